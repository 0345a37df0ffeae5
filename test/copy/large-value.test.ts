import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { createRowRewriter } from '../../src/copy/row-rewriter.js';

const CHUNK = 64 * 1024;
/** Escaped COPY text with multi-byte characters; its length does not divide 64 KiB, so chunks cut it anywhere. */
const PIECE = Buffer.from('plain text \\t tab \\n newline \\\\ backslash é 漢字 🎉 \\\\N ', 'utf8');
/** 100 MiB, rounded up to whole pieces so that the value is canonical COPY text. */
const VALUE_BYTES = Math.ceil((100 * 1024 * 1024) / PIECE.length) * PIECE.length;

/** Yields `head`, then VALUE_BYTES of escaped text, then `tail`, in 64 KiB chunks built one at a time. */
function* valueStream(head: string, tail: string): Generator<Buffer> {
  yield Buffer.from(head);
  let produced = 0;
  let phase = 0;
  while (produced < VALUE_BYTES) {
    const size = Math.min(CHUNK, VALUE_BYTES - produced);
    const chunk = Buffer.allocUnsafe(size);
    for (let i = 0; i < size; i++) chunk[i] = PIECE[(phase + i) % PIECE.length]!;
    phase = (phase + size) % PIECE.length;
    produced += size;
    yield chunk;
  }
  yield Buffer.from(tail);
}

function hashOf(chunks: Iterable<Buffer>): string {
  const hash = createHash('sha256');
  for (const chunk of chunks) hash.update(chunk);
  return hash.digest('hex');
}

describe('a 100 MB value', () => {
  it('streams through the rewriter without holding more than a small multiple of it', async () => {
    const expected = hashOf(valueStream('42\t', '\tlast\n'));
    const before = process.memoryUsage();
    let peakRss = before.rss;
    let peakArrayBuffers = before.arrayBuffers;
    const sample = (): void => {
      const now = process.memoryUsage();
      peakRss = Math.max(peakRss, now.rss);
      peakArrayBuffers = Math.max(peakArrayBuffers, now.arrayBuffers);
    };
    const hash = createHash('sha256');
    let outBytes = 0;
    const rewriter = createRowRewriter({
      table: 'public.big',
      columns: 3,
      rewrite: (row) => {
        expect(row.get(0)).toBe('1');
        expect(row.get(2)).toBe('last');
        row.set(0, '42');
      },
    });
    let chunks = 0;
    await pipeline(
      Readable.from(
        (function* () {
          for (const chunk of valueStream('1\t', '\tlast\n')) {
            if (++chunks % 64 === 0) sample();
            yield chunk;
          }
        })(),
      ),
      rewriter,
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          sample();
          hash.update(chunk);
          outBytes += chunk.length;
          callback();
        },
      }),
    );
    sample();
    expect(rewriter.rows).toBe(1);
    expect(outBytes).toBe(VALUE_BYTES + '42\t\tlast\n'.length);
    expect(hash.digest('hex')).toBe(expected);
    const rssGrowth = peakRss - before.rss;
    const arrayBufferGrowth = peakArrayBuffers - before.arrayBuffers;
    process.stderr.write(`100 MB value: rss grew ${(rssGrowth / 2 ** 20).toFixed(0)} MiB, arrayBuffers ${(arrayBufferGrowth / 2 ** 20).toFixed(0)} MiB\n`);
    expect(rssGrowth).toBeLessThan(5 * VALUE_BYTES);
    expect(arrayBufferGrowth).toBeLessThan(5 * VALUE_BYTES);
  });

  it('decodes and re-encodes a 100 MB value', async () => {
    let length = -1;
    const hash = createHash('sha256');
    const rewriter = createRowRewriter({
      table: 'public.big',
      columns: 3,
      rewrite: (row) => {
        const value = row.get(1)!;
        length = value.length;
        row.set(1, value);
      },
    });
    await pipeline(
      Readable.from(valueStream('1\t', '\tlast\n')),
      rewriter,
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          callback();
        },
      }),
    );
    expect(length).toBeGreaterThan(VALUE_BYTES / 2);
    expect(hash.digest('hex')).toBe(hashOf(valueStream('1\t', '\tlast\n')));
  });
});
