/**
 * Cuts COPY text into rows and fields without decoding it. A raw 0x0A byte always ends a row
 * and a raw 0x09 byte always ends a field (the escaped forms are two bytes, `\n` and `\t`),
 * and neither byte occurs inside a multi-byte UTF-8 sequence, so chunks may be cut anywhere.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { CopyFormatError } from '../errors.js';
import { LazyRow } from './lazy-row.js';

const TAB = 0x09;
const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;
const PERIOD = 0x2e;
/** Offsets are kept in an Int32Array: a row must fit in one below 2 GiB. */
const MAX_ROW_BYTES = 0x7fffffff;

/** Whether any of a word's four bytes is below 0x0b (a tab, a newline or another control byte). */
function hasControlByte(word: number): boolean {
  return ((word - 0x0b0b0b0b) & ~word & 0x80808080) !== 0;
}

/** Options of a row splitter. */
export interface RowSplitterOptions {
  /** `schema.table`, named in errors. */
  readonly table?: string | undefined;
  /** Number of fields every row must have. */
  readonly columns: number;
  /**
   * Stop at the end-of-data line `\.` (pg_dump plain format): `push()` then returns the
   * position just past that line, and the splitter takes no more data.
   */
  readonly endMarker?: boolean;
}

/**
 * The row splitter without streams: feed it chunks, it calls back once per whole row.
 *
 * It keeps no copy of the data except the incomplete row at the end of a chunk, which it
 * carries into a buffer of its own until the row's newline arrives. A delivered row's bytes
 * are never overwritten afterwards, so subarrays of `row.buffer` stay valid.
 *
 * Rules beyond PostgreSQL's own COPY FROM, all true of what COPY TO writes:
 * rows end with a newline (LF) only, so a raw CR is data; a backslash right before a tab or a
 * newline is a lone trailing backslash and an error (COPY FROM would take the tab or newline
 * as data); the last row must end with a newline, or the data is taken as truncated.
 *
 * @example
 * ```ts
 * const splitter = new RowSplitter({ table: 'public.users', columns: 3 });
 * for await (const chunk of source) splitter.push(chunk, (row) => console.log(row.get(0)));
 * splitter.end();
 * ```
 */
export class RowSplitter {
  readonly table: string | undefined;
  readonly columns: number;
  private readonly endMarker: boolean;
  private readonly row: LazyRow;
  /** The incomplete row carried from earlier chunks: `carry[0, carryLength)`. */
  private carry: Buffer | undefined;
  private carryLength = 0;
  /** Stream offset of the current chunk's first byte. */
  private chunkOffset = 0;
  /** Number of the next row (1-based). */
  private nextLine = 1;
  private finished = false;

  constructor(options: RowSplitterOptions) {
    if (!Number.isInteger(options.columns) || options.columns < 0) throw new RangeError('columns must be a whole number of at least 0');
    this.table = options.table;
    this.columns = options.columns;
    this.endMarker = options.endMarker ?? false;
    this.row = new LazyRow(options.columns, options.table);
  }

  /** Rows delivered so far. */
  get rows(): number {
    return this.nextLine - 1;
  }

  /** Bytes taken in so far. */
  get bytes(): number {
    return this.chunkOffset;
  }

  /** Whether the end-of-data line was seen (with `endMarker`). */
  get ended(): boolean {
    return this.finished;
  }

  /**
   * Takes the next chunk and calls `onRow` for each row it completes, with the same reused
   * `LazyRow` each time. Throws `CopyFormatError` on malformed data (errors from `onRow` pass
   * through). Returns -1, or with `endMarker` the position in `chunk` just past the `\.` line.
   */
  push(chunk: Buffer, onRow: (row: LazyRow) => void): number {
    if (this.finished) throw new CopyFormatError('data after the end-of-data line', this.position(this.chunkOffset));
    let pos = 0;
    if (this.carryLength > 0) {
      const newline = chunk.indexOf(NEWLINE);
      const take = newline < 0 ? chunk.length : newline + 1;
      this.append(chunk, take);
      if (newline < 0) {
        this.chunkOffset += chunk.length;
        return -1;
      }
      const carry = this.carry!;
      const carryLength = this.carryLength;
      const carryOffset = this.chunkOffset - (carryLength - take);
      this.carry = undefined; // delivered rows are never overwritten: the next tail gets a new buffer
      this.carryLength = 0;
      this.scan(carry, 0, carryLength, carryOffset, onRow);
      pos = take;
      if (this.finished) return this.finish(pos);
    }
    const rest = this.scan(chunk, pos, chunk.length, this.chunkOffset, onRow);
    if (this.finished) return this.finish(rest);
    if (rest < chunk.length) {
      this.carryLength = 0;
      this.append(chunk.subarray(rest), chunk.length - rest);
    }
    this.chunkOffset += chunk.length;
    return -1;
  }

  /** Ends the data: throws `CopyFormatError` if a row is left without its newline. */
  end(): void {
    if (this.carryLength > 0 && !this.finished) {
      throw new CopyFormatError('the last row has no newline: the data looks truncated', this.position(this.chunkOffset - this.carryLength));
    }
  }

  private finish(pos: number): number {
    this.chunkOffset += pos;
    return pos;
  }

  private position(offset: number): { table: string | undefined; line: number; offset: number } {
    return { table: this.table, line: this.nextLine, offset };
  }

  /** Appends `source[0, length)` to the carried row, growing its buffer by doubling. */
  private append(source: Buffer, length: number): void {
    const needed = this.carryLength + length;
    if (needed > MAX_ROW_BYTES) throw new CopyFormatError('a row is 2 GiB or longer, which pgmask cannot hold', this.position(this.chunkOffset - this.carryLength));
    let carry = this.carry;
    if (carry === undefined || carry.length < needed) {
      const grown = Buffer.allocUnsafe(Math.min(MAX_ROW_BYTES, Math.max(needed, 256, carry === undefined ? 0 : carry.length * 2)));
      if (carry !== undefined) carry.copy(grown, 0, 0, this.carryLength);
      this.carry = carry = grown;
    }
    source.copy(carry, this.carryLength, 0, length);
    this.carryLength = needed;
  }

  /** Whether the backslash at `at` is a lone one (not the second of `\\`), looking back to `from`. */
  private static oddBackslashes(buf: Buffer, at: number, from: number): boolean {
    let n = 0;
    while (at >= from && buf[at] === BACKSLASH) {
      n++;
      at--;
    }
    return (n & 1) === 1;
  }

  /**
   * Delivers every whole row in `buf[pos, end)`; returns where the incomplete tail starts
   * (`end` when there is none). `base` is the stream offset of `buf[0]`.
   */
  private scan(buf: Buffer, pos: number, end: number, base: number, onRow: (row: LazyRow) => void): number {
    const row = this.row;
    const bounds = row.bounds;
    const columns = this.columns;
    const lastField = columns - 1;
    let rowStart = pos;
    let field = 0;
    bounds[0] = pos;
    // Most bytes are data: whole aligned 4-byte words without a byte below 0x0b are skipped.
    const words = new Uint32Array(buf.buffer, 0, buf.buffer.byteLength >>> 2);
    const offset = buf.byteOffset;
    const lastWord = Math.floor((offset + end) / 4);
    for (let p = pos; p < end; p++) {
      if (((offset + p) & 3) === 0) {
        let w = (offset + p) / 4;
        while (w < lastWord && !hasControlByte(words[w]!)) w++;
        p = w * 4 - offset;
        if (p >= end) break;
      }
      const c = buf[p]!;
      if (c > NEWLINE) continue;
      if (c === TAB) {
        if (buf[p - 1] === BACKSLASH && p > rowStart && RowSplitter.oddBackslashes(buf, p - 1, bounds[field]!)) {
          throw new CopyFormatError('a field ends in a lone backslash', this.position(base + p - 1));
        }
        if (field >= lastField) {
          throw new CopyFormatError(`a row has more than the ${columns} fields the table has`, this.position(base + p));
        }
        bounds[++field] = p + 1;
      } else if (c === NEWLINE) {
        if (this.endMarker && p - rowStart === 2 && buf[rowStart] === BACKSLASH && buf[rowStart + 1] === PERIOD) {
          this.finished = true;
          return p + 1;
        }
        if (buf[p - 1] === BACKSLASH && p > rowStart && RowSplitter.oddBackslashes(buf, p - 1, bounds[field]!)) {
          throw new CopyFormatError('a field ends in a lone backslash', this.position(base + p - 1));
        }
        if (field !== lastField && !(columns === 0 && p === rowStart)) {
          throw new CopyFormatError(
            columns === 0 ? 'a row holds data but the table has no columns' : `a row has ${field + 1} of the ${columns} fields the table has`,
            this.position(base + p),
          );
        }
        bounds[columns] = p + 1;
        row.reset(buf, rowStart, this.nextLine, base + rowStart);
        this.nextLine++;
        onRow(row);
        rowStart = p + 1;
        field = 0;
        bounds[0] = rowStart;
      }
    }
    return rowStart;
  }
}

/**
 * The row splitter as a stream: takes COPY text in chunks of any size and gives out chunks
 * that each hold whole rows only, checked for the field count. Complete rows of an input chunk
 * go out as one subarray of it (no copy); a row cut by a chunk boundary goes out on its own.
 *
 * @example
 * ```ts
 * await pipeline(session.copyOut('COPY public.users TO STDOUT'), new RowSplitterStream({ columns: 3 }), sink);
 * ```
 */
export class RowSplitterStream extends Transform {
  private readonly splitter: RowSplitter;

  constructor(options: RowSplitterOptions) {
    super();
    this.splitter = new RowSplitter({ table: options.table, columns: options.columns });
  }

  /** Rows passed through so far. */
  get rows(): number {
    return this.splitter.rows;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let first = -1;
    let last = -1;
    try {
      this.splitter.push(chunk, (row) => {
        if (row.buffer !== chunk) {
          this.push(row.buffer.subarray(row.start, row.end));
        } else {
          if (first < 0) first = row.start;
          last = row.end;
        }
      });
    } catch (error) {
      callback(error as Error);
      return;
    }
    if (first >= 0) this.push(chunk.subarray(first, last));
    callback();
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.splitter.end();
    } catch (error) {
      callback(error as Error);
      return;
    }
    callback();
  }
}
