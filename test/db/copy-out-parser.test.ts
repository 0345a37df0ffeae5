import { describe, expect, it } from 'vitest';
import { CopyOutParser } from '../../src/db/copy-out-parser.js';

/** One protocol message: type byte, length (counting itself), body. */
function message(type: string, body: Buffer | string = ''): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const header = Buffer.alloc(5);
  header[0] = type.charCodeAt(0);
  header.writeUInt32BE(bytes.length + 4, 1);
  return Buffer.concat([header, bytes]);
}

const ROWS = ['1\tAnna\n', '', '2\tBo\n', 'x'.repeat(300) + '\n', '3\tÅsa\n'];
const AFTER = Buffer.concat([message('C', 'COPY 5\0'), message('Z', 'I')]);

/** A COPY TO as the server sends it, a notice and a parameter change among the rows, and what follows it. */
const WIRE = Buffer.concat([
  message('H', Buffer.from([0, 0, 2, 0, 0, 0, 0])),
  message('d', ROWS[0]!),
  message('N', 'SNOTICE\0Mhello\0\0'),
  message('d', ROWS[1]!),
  message('d', ROWS[2]!),
  message('S', 'TimeZone\0UTC\0'),
  message('d', ROWS[3]!),
  message('d', ROWS[4]!),
  message('c'),
  AFTER,
]);

/** Feeds `wire` in pieces cut at `cuts` (each piece a copy of its own, as a socket gives them) until the copy ends. */
function feed(wire: Buffer, cuts: readonly number[], framed = false): { data: Buffer; end: string | undefined; rest: Buffer | undefined } {
  const parser = new CopyOutParser(framed);
  const data: Buffer[] = [];
  let from = 0;
  for (const to of [...cuts, wire.length]) {
    const step = parser.parse(Buffer.from(wire.subarray(from, to)));
    from = to;
    if (step.data) data.push(Buffer.from(step.data));
    // What the socket gives after the end goes to the client's parser with the rest.
    if (step.end) return { data: Buffer.concat(data), end: step.end, rest: Buffer.concat([step.rest!, wire.subarray(to)]) };
  }
  return { data: Buffer.concat(data), end: undefined, rest: undefined };
}

describe('CopyOutParser', () => {
  it('gives the CopyData payloads back to back and the bytes after CopyDone, wherever the chunks are cut (every one and two cuts)', () => {
    const expected = Buffer.from(ROWS.join(''));
    for (let a = 0; a <= WIRE.length; a++) {
      for (let b = a; b <= WIRE.length; b += a % 7 === 0 ? 1 : 13) {
        const got = feed(WIRE, [a, b]);
        expect(got.data.equals(expected), `cut at ${a} and ${b}`).toBe(true);
        expect(got.end).toBe('done');
        expect(got.rest!.equals(AFTER), `rest when cut at ${a} and ${b}`).toBe(true);
      }
    }
  });

  it('framed, gives the CopyData messages whole and nothing else, wherever the chunks are cut', () => {
    const expected = Buffer.concat(ROWS.map((row) => message('d', row)));
    for (let a = 0; a <= WIRE.length; a++) {
      for (let b = a; b <= WIRE.length; b += a % 7 === 0 ? 1 : 13) {
        const got = feed(WIRE, [a, b], true);
        expect(got.data.equals(expected), `cut at ${a} and ${b}`).toBe(true);
        expect(got.rest!.equals(AFTER), `rest when cut at ${a} and ${b}`).toBe(true);
      }
    }
  });

  it('counts the CopyData messages and their payload bytes', () => {
    for (const framed of [false, true]) {
      const parser = new CopyOutParser(framed);
      parser.parse(Buffer.from(WIRE));
      expect(parser.messages).toBe(ROWS.length);
      expect(parser.bytes).toBe(Buffer.byteLength(ROWS.join('')));
    }
  });

  it('stops at an ErrorResponse, giving the rows before it and the error message itself as the rest', () => {
    const error = Buffer.concat([message('E', 'SERROR\0C22012\0Mdivision by zero\0\0'), message('Z', 'I')]);
    const wire = Buffer.concat([message('H', Buffer.from([0, 0, 0])), message('d', 'a\n'), message('d', 'b\n'), error]);
    for (let cut = 0; cut <= wire.length; cut++) {
      const got = feed(wire, [cut]);
      expect(got.data.toString()).toBe('a\nb\n');
      expect(got.end).toBe('error');
      expect(got.rest!.equals(error), `cut at ${cut}`).toBe(true);
    }
  });

  it('takes a message that has no place in a copy as its end, as the protocol says', () => {
    const wire = Buffer.concat([message('H', Buffer.from([0, 0, 0])), message('d', 'a\n'), AFTER]);
    const got = feed(wire, [9]);
    expect(got.end).toBe('done');
    expect(got.data.toString()).toBe('a\n');
    expect(got.rest!.equals(AFTER.subarray(message('C', 'COPY 5\0').length))).toBe(true);
  });

  it('refuses bytes after the end', () => {
    const parser = new CopyOutParser();
    parser.parse(Buffer.concat([message('H', Buffer.from([0, 0, 0])), message('c')]));
    expect(() => parser.parse(Buffer.from('x'))).toThrow(/ended/);
  });
});
