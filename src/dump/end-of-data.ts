/**
 * Finds the end of a COPY block in a pg_dump stream, the line `\.`, without splitting rows: for
 * blocks whose rows pass through unchanged. A raw newline always ends a row and a row can never
 * be `\.` alone (COPY writes a backslash in data as `\\`), so the first line that is `\.` ends
 * the block. Chunks may be cut anywhere, also inside the `\.` line.
 */

const NEWLINE = 0x0a;
/** The end-of-data line. */
export const END_OF_DATA = Buffer.from('\\.\n');

/**
 * Counts rows up to the `\.` line and hands on the bytes before it.
 *
 * @example
 * ```ts
 * const finder = new EndOfDataFinder();
 * const end = finder.push(chunk, (buf, start, end) => out.push(buf.subarray(start, end)));
 * if (end >= 0) console.log(finder.rows, 'rows; SQL resumes at', end);
 * ```
 */
export class EndOfDataFinder {
  /** Rows seen so far. */
  rows = 0;
  /** Bytes of rows handed on so far. */
  bytes = 0;
  private atLineStart = true;
  /** Bytes of the `\.` line matched at the end of the last chunk, not yet handed on. */
  private held = 0;

  /**
   * Takes the next chunk and hands row bytes to `write`. Returns -1, or the position in `chunk`
   * just past the `\.` line, whose bytes are not handed on.
   */
  push(chunk: Buffer, write: (buf: Buffer, start: number, end: number) => void): number {
    const out = (buf: Buffer, start: number, end: number): void => {
      if (end <= start) return;
      this.bytes += end - start;
      write(buf, start, end);
    };
    let p = 0;
    if (this.held > 0) {
      let k = this.held;
      while (k < END_OF_DATA.length && p < chunk.length && chunk[p] === END_OF_DATA[k]) {
        k++;
        p++;
      }
      if (k === END_OF_DATA.length) return p;
      if (p === chunk.length) {
        this.held = k;
        return -1;
      }
      // Not the end after all: the held bytes begin a row.
      out(END_OF_DATA, 0, this.held);
      this.held = 0;
      this.atLineStart = false;
    }
    for (;;) {
      if (p === chunk.length) {
        out(chunk, 0, p);
        return -1;
      }
      if (this.atLineStart) {
        let k = 0;
        while (k < END_OF_DATA.length && p + k < chunk.length && chunk[p + k] === END_OF_DATA[k]) k++;
        if (k === END_OF_DATA.length) {
          out(chunk, 0, p);
          return p + k;
        }
        if (k > 0 && p + k === chunk.length) {
          out(chunk, 0, p);
          this.held = k;
          return -1;
        }
        this.atLineStart = false;
      }
      const newline = chunk.indexOf(NEWLINE, p);
      if (newline < 0) {
        out(chunk, 0, chunk.length);
        return -1;
      }
      this.rows++;
      p = newline + 1;
      this.atLineStart = true;
    }
  }
}
