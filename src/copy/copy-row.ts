/**
 * What a row of COPY text and a row of COPY's binary format share: where the row sits, which
 * fields were replaced and with what. Fields are decoded only when asked for (`decode`, each
 * format's own), and written back as their original bytes unless replaced.
 */
import { CopyFormatError } from '../errors.js';
import type { ChunkWriter } from './chunk-writer.js';
import type { FieldMemo } from './field-memo.js';

/**
 * A row as a splitter delivers it. The splitter reuses one object for every row: read what you
 * need before the callback returns, and do not keep it.
 */
export abstract class CopyRow {
  /** Number of fields of every row. */
  readonly fieldCount: number;
  /** `schema.table`, for errors; undefined when unknown. */
  readonly table: string | undefined;
  /** The buffer holding the row's bytes. Never overwritten once the row is delivered. */
  buffer: Buffer = Buffer.alloc(0);
  /** Byte position of the row in `buffer`. */
  start = 0;
  /** 1-based row number in the COPY data. */
  line = 0;
  /** 0-based byte offset of the row from the start of the COPY data. */
  offset = 0;

  /** 1 for each field `set()` on this row. */
  protected readonly replaced: Uint8Array;
  /** The replacement of each replaced field. */
  protected readonly values: (string | null)[];
  protected changes = 0;

  constructor(fieldCount: number, table: string | undefined) {
    this.fieldCount = fieldCount;
    this.table = table;
    this.replaced = new Uint8Array(fieldCount);
    this.values = new Array<string | null>(fieldCount).fill(null);
  }

  /** Byte position just past the row in `buffer`. */
  abstract get end(): number;

  /** The format the row's bytes are in: a FieldMemo holds the bytes of one format. */
  abstract readonly format: 'text' | 'binary';

  /** Where the bytes that stand for field `i` in its format (NULL included) start and end in `buffer`. */
  protected abstract keyStart(i: number): number;
  protected abstract keyEnd(i: number): number;

  /** Field `i` decoded from its original bytes; null for NULL. */
  protected abstract decode(i: number): string | null;

  /**
   * Writes the row up to its last replaced field: bytes of `buffer` from `from` (the row start,
   * or earlier bytes of the same buffer still waiting to be written) up to the first
   * replacement, the replacement, and so on. Returns where the original bytes still to be
   * written resume; `from` itself when the row has no replacement.
   */
  abstract writeChangesTo(writer: ChunkWriter, from: number): number;

  /** Starts the next row: forgets the last row's replacements. */
  protected startRow(buffer: Buffer, start: number, line: number, offset: number): void {
    this.buffer = buffer;
    this.start = start;
    this.line = line;
    this.offset = offset;
    if (this.changes !== 0) {
      this.replaced.fill(0);
      this.values.fill(null);
      this.changes = 0;
    }
  }

  /** Whether `set()` was called on this row. */
  get modified(): boolean {
    return this.changes !== 0;
  }

  protected check(i: number): void {
    if (!(i >= 0 && i < this.fieldCount)) throw new RangeError(`field index ${i} is outside 0..${this.fieldCount - 1}`);
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

  /** Replaces field `i` (null writes NULL). */
  set(i: number, value: string | null): void {
    this.check(i);
    if (this.replaced[i] === 0) {
      this.replaced[i] = 1;
      this.changes++;
    }
    this.values[i] = value;
  }

  /** The value `memo` holds for field `i`'s original bytes; undefined when it holds none (see FieldMemo). */
  recall(i: number, memo: FieldMemo): string | null | undefined {
    return memo.recall(this.format, this.buffer, this.keyStart(i), this.keyEnd(i));
  }

  /** Stores `value` in `memo` for field `i`'s original bytes, after a `recall` that found none. */
  remember(i: number, memo: FieldMemo, value: string | null): void {
    memo.remember(this.buffer, this.keyStart(i), this.keyEnd(i), value);
  }

  /** Writes the whole row: untouched fields as their original bytes. */
  writeTo(writer: ChunkWriter): void {
    writer.copy(this.buffer, this.writeChangesTo(writer, this.start), this.end);
  }

  /** An error about this row, naming table, line and offset. */
  error(reason: string, offset: number = this.offset): CopyFormatError {
    return new CopyFormatError(reason, { table: this.table, line: this.line, offset });
  }
}
