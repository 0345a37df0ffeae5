import { Transform, type TransformCallback } from 'node:stream';

const NEWLINE = 0x0a;

/**
 * Passes COPY text through unchanged and counts its rows. A raw newline byte only ever ends
 * a row (one inside a value is written `\n`), so the count is the number of newline bytes,
 * found with the native byte search: for a table nothing is masked in, nothing more is read.
 *
 * @example
 * ```ts
 * const counter = new RowCounter();
 * await pipeline(session.copyOut('COPY public.orders TO STDOUT'), counter, target.copyIn('COPY public.orders FROM STDIN'));
 * console.log(counter.rows);
 * ```
 */
export class RowCounter extends Transform {
  /** Rows passed through so far. */
  rows = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let rows = 0;
    for (let at = chunk.indexOf(NEWLINE); at >= 0; at = chunk.indexOf(NEWLINE, at + 1)) rows++;
    this.rows += rows;
    callback(null, chunk);
  }
}
