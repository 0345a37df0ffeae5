/**
 * One row of COPY text, held as field offsets into the buffer it arrived in. A field is
 * decoded only when asked for; fields nobody replaced are written back as their original bytes.
 */
import { CopyFormatError, type CopyPosition } from '../errors.js';
import { ChunkWriter } from './chunk-writer.js';
import { isNullField, unescapeField } from './escape.js';

const BACKSLASH = 0x5c;

/** Node's direct Latin-1 reader, which skips `Buffer#toString`'s argument parsing. */
interface FastBuffer extends Buffer {
  latin1Slice(start: number, end: number): string;
}

/**
 * A row of COPY text data. The row splitter reuses one `LazyRow` for every row it delivers:
 * read what you need (or call `toBuffer()`) before the callback returns, and do not keep it.
 *
 * Field `i` is bytes `[bounds[i], bounds[i + 1] - 1)` of `buffer`: each field start, then the
 * end of the row (just past its newline) in `bounds[fieldCount]`.
 *
 * @example
 * ```ts
 * splitter.push(chunk, (row) => {
 *   const email = row.get(2);
 *   if (email !== null) row.set(2, email.toLowerCase());
 * });
 * ```
 */
export class LazyRow {
  /** Number of fields of every row. */
  readonly fieldCount: number;
  /** `schema.table`, for errors; undefined when unknown. */
  readonly table: string | undefined;
  /** Field starts, then the row end. Written by the row splitter. */
  readonly bounds: Int32Array;
  /** The buffer holding the row's bytes. Never overwritten once the row is delivered. */
  buffer: Buffer = Buffer.alloc(0);
  /** Byte position of the row in `buffer`. */
  start = 0;
  /** 1-based row number in the COPY data. */
  line = 0;
  /** 0-based byte offset of the row from the start of the COPY data. */
  offset = 0;

  /** The row's bytes read as Latin-1 (one character per byte), made on the first plain ASCII field asked for. */
  private text: string | undefined;
  private readonly replaced: Uint8Array;
  private readonly values: (string | null)[];
  private changes = 0;
  /** Where a byte of `buffer` sits in the COPY data, for decoding errors. */
  private readonly positionAt = (at: number): CopyPosition => ({ table: this.table, line: this.line, offset: this.offset + (at - this.start) });

  constructor(fieldCount: number, table?: string) {
    this.fieldCount = fieldCount;
    this.table = table;
    this.bounds = new Int32Array(fieldCount + 1);
    this.replaced = new Uint8Array(fieldCount);
    this.values = new Array<string | null>(fieldCount).fill(null);
  }

  /**
   * Starts a new row: the splitter calls this after filling `bounds`.
   * @internal
   */
  reset(buffer: Buffer, start: number, line: number, offset: number): void {
    this.buffer = buffer;
    this.start = start;
    this.line = line;
    this.offset = offset;
    this.text = undefined;
    if (this.changes !== 0) {
      this.replaced.fill(0);
      this.values.fill(null);
      this.changes = 0;
    }
  }

  /** Byte position just past the row's newline in `buffer`. */
  get end(): number {
    return this.bounds[this.fieldCount]!;
  }

  /** Whether `set()` was called on this row. */
  get modified(): boolean {
    return this.changes !== 0;
  }

  private check(i: number): void {
    if (!(i >= 0 && i < this.fieldCount)) throw new RangeError(`field index ${i} is outside 0..${this.fieldCount - 1}`);
  }

  /** Whether field `i` is NULL (its original bytes, or its replacement). */
  isNull(i: number): boolean {
    this.check(i);
    if (this.replaced[i] === 1) return this.values[i] === null;
    return isNullField(this.buffer, this.bounds[i]!, this.bounds[i + 1]! - 1);
  }

  /** Field `i` decoded (its replacement if it has one); null for NULL. */
  get(i: number): string | null {
    this.check(i);
    if (this.replaced[i] === 1) return this.values[i]!;
    return this.decode(i);
  }

  /** Field `i` decoded from its original bytes, whatever `set()` did. */
  original(i: number): string | null {
    this.check(i);
    return this.decode(i);
  }

  private decode(i: number): string | null {
    const buf = this.buffer;
    const start = this.bounds[i]!;
    const end = this.bounds[i + 1]! - 1;
    for (let p = start; p < end; p++) {
      const c = buf[p]!;
      if (c === BACKSLASH || c > 0x7f) return unescapeField(buf, start, end, this.positionAt);
    }
    // Plain ASCII: a piece of the row read once, rather than a native call per field.
    const text = (this.text ??= (buf as FastBuffer).latin1Slice(this.start, this.end));
    return text.substring(start - this.start, end - this.start);
  }

  /** Replaces field `i` (null writes NULL). The row is written with the new value escaped. */
  set(i: number, value: string | null): void {
    this.check(i);
    if (this.replaced[i] === 0) {
      this.replaced[i] = 1;
      this.changes++;
    }
    this.values[i] = value;
  }

  /** The original, still escaped bytes of field `i` (a subarray, no copy). */
  raw(i: number): Buffer {
    this.check(i);
    return this.buffer.subarray(this.bounds[i]!, this.bounds[i + 1]! - 1);
  }

  /**
   * Writes the row up to its last replaced field: bytes of `buffer` from `from` (the row start,
   * or earlier bytes of the same buffer still waiting to be written) up to the first
   * replacement, the replacement escaped, and so on. Returns where the original bytes that are
   * still to be written resume; `from` itself when the row has no replacement.
   */
  writeChangesTo(writer: ChunkWriter, from: number): number {
    if (this.changes === 0) return from;
    const { bounds, replaced, values, buffer } = this;
    let resume = from;
    for (let i = 0; i < this.fieldCount; i++) {
      if (replaced[i] === 0) continue;
      const fieldStart = bounds[i]!;
      writer.copy(buffer, resume, fieldStart);
      writer.writeField(values[i]!);
      resume = bounds[i + 1]! - 1; // the delimiter or newline after the field
    }
    return resume;
  }

  /** Writes the whole row, newline included: untouched fields as their original bytes. */
  writeTo(writer: ChunkWriter): void {
    writer.copy(this.buffer, this.writeChangesTo(writer, this.start), this.end);
  }

  /** The whole row as a new buffer, newline included. */
  toBuffer(): Buffer {
    const chunks: Buffer[] = [];
    const writer = new ChunkWriter((chunk) => chunks.push(chunk), 1024);
    this.writeTo(writer);
    writer.flush();
    return Buffer.concat(chunks);
  }

  /** An error about this row, naming table, line and offset. */
  error(reason: string, offset: number = this.offset): CopyFormatError {
    return new CopyFormatError(reason, { table: this.table, line: this.line, offset });
  }
}
