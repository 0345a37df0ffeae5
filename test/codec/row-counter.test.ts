import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { RowCounter } from '../../src/copy/row-counter.js';

async function run(chunks: readonly Buffer[]): Promise<{ rows: number; out: Buffer }> {
  const counter = new RowCounter();
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(chunks),
    counter,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        out.push(chunk);
        callback();
      },
    }),
  );
  return { rows: counter.rows, out: Buffer.concat(out) };
}

describe('RowCounter', () => {
  const text = Buffer.from('1\tå\\nb\t\\N\n2\ta\\tb\tx\n\n3\t\\\\\t🎉\n', 'utf8');

  it('passes the bytes through unchanged and counts one row per newline byte, however the data is cut', async () => {
    for (let cut = 0; cut <= text.length; cut++) {
      const { rows, out } = await run([text.subarray(0, cut), text.subarray(cut)]);
      expect(rows).toBe(4);
      expect(out).toEqual(text);
    }
  });

  it('counts nothing in no data', async () => {
    expect((await run([])).rows).toBe(0);
  });
});
