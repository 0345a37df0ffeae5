/**
 * One row of COPY text, held as field offsets into the buffer it arrived in. A field is
 * decoded only when asked for; fields nobody replaced are written back as their original bytes.
 */
import type { CopyPosition } from '../errors.js';
import { ChunkWriter } from './chunk-writer.js';
import { CopyRow } from './copy-row.js';
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
export class LazyRow extends CopyRow {
  /** Field starts, then the row end. Written by the row splitter. */
  readonly bounds: Int32Array;

  /** The row's bytes read as Latin-1 (one character per byte), made on the first plain ASCII field asked for. */
  private text: string | undefined;
  /** Where a byte of `buffer` sits in the COPY data, for decoding errors. */
  private readonly positionAt = (at: number): CopyPosition => ({ table: this.table, line: this.line, offset: this.offset + (at - this.start) });

  constructor(fieldCount: number, table?: string) {
    super(fieldCount, table);
    this.bounds = new Int32Array(fieldCount + 1);
  }

  /**
   * Starts a new row: the splitter calls this after filling `bounds`.
   * @internal
   */
  reset(buffer: Buffer, start: number, line: number, offset: number): void {
    this.startRow(buffer, start, line, offset);
    this.text = undefined;
  }

  /** Byte position just past the row's newline in `buffer`. */
  get end(): number {
    return this.bounds[this.fieldCount]!;
  }

  readonly format = 'text';

  /** A field's escaped bytes (`\N` for NULL). */
  protected keyStart(i: number): number {
    return this.bounds[i]!;
  }

  protected keyEnd(i: number): number {
    return this.bounds[i + 1]! - 1;
  }

  /** Whether field `i` is NULL (its original bytes, or its replacement). */
  isNull(i: number): boolean {
    this.check(i);
    if (this.replaced[i] === 1) return this.values[i] === null;
    return isNullField(this.buffer, this.bounds[i]!, this.bounds[i + 1]! - 1);
  }

  protected decode(i: number): string | null {
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

  /** The original, still escaped bytes of field `i` (a subarray, no copy). */
  raw(i: number): Buffer {
    this.check(i);
    return this.buffer.subarray(this.bounds[i]!, this.bounds[i + 1]! - 1);
  }

  /** `CopyRow.writeChangesTo`, each replacement escaped as a COPY text field. */
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

  /** The whole row as a new buffer, newline included. */
  toBuffer(): Buffer {
    const chunks: Buffer[] = [];
    const writer = new ChunkWriter((chunk) => chunks.push(chunk), 1024);
    this.writeTo(writer);
    writer.flush();
    return Buffer.concat(chunks);
  }
}
