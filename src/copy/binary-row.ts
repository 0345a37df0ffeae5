/**
 * One row of COPY's binary format, held as field offsets into the buffer it arrived in. Only
 * fields whose binary form is text (see `BinaryForm`) can be read or replaced; the others pass
 * through as their original bytes.
 */
import type { BinaryForm } from '../catalog/types.js';
import { CopyFormatError } from '../errors.js';
import type { ChunkWriter } from './chunk-writer.js';

/** The version byte before a jsonb value's text. */
export const JSONB_VERSION = 1;

/** Node's direct UTF-8 reader, which skips `Buffer#toString`'s argument parsing. */
interface FastBuffer extends Buffer {
  utf8Slice(start: number, end: number): string;
}

/**
 * A row of binary COPY data. The splitter reuses one `BinaryRow` for every row it delivers:
 * read what you need before the callback returns, and do not keep it.
 *
 * Field `i` is `lengths[i]` bytes (-1: NULL) from `starts[i]` of `buffer`; its 4-byte length
 * word sits just before.
 */
export class BinaryRow {
  readonly fieldCount: number;
  readonly table: string | undefined;
  /** Each field's binary form, by position. */
  readonly forms: readonly (BinaryForm | undefined)[];
  /** Where each field's bytes start. Written by the splitter. */
  readonly starts: Int32Array;
  /** Each field's length, -1 for NULL. Written by the splitter. */
  readonly lengths: Int32Array;
  buffer: Buffer = Buffer.alloc(0);
  /** Byte position of the row (its field count) in `buffer`. */
  start = 0;
  /** Byte position just past the row in `buffer`. */
  end = 0;
  /** 1-based row number in the COPY data. */
  line = 0;
  /** 0-based byte offset of the row from the start of the COPY data. */
  offset = 0;

  private readonly replaced: Uint8Array;
  private readonly values: (string | null)[];
  private changes = 0;

  constructor(forms: readonly (BinaryForm | undefined)[], table?: string) {
    this.fieldCount = forms.length;
    this.forms = forms;
    this.table = table;
    this.starts = new Int32Array(forms.length);
    this.lengths = new Int32Array(forms.length);
    this.replaced = new Uint8Array(forms.length);
    this.values = new Array<string | null>(forms.length).fill(null);
  }

  /**
   * Starts a new row: the splitter calls this after filling `starts` and `lengths`.
   * @internal
   */
  reset(buffer: Buffer, start: number, end: number, line: number, offset: number): void {
    this.buffer = buffer;
    this.start = start;
    this.end = end;
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

  private check(i: number): void {
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

  private decode(i: number): string | null {
    const length = this.lengths[i]!;
    if (length < 0) return null;
    let start = this.starts[i]!;
    const form = this.forms[i];
    if (form === 'jsonb') {
      if (length === 0 || this.buffer[start] !== JSONB_VERSION) throw this.error(`column ${i + 1} holds jsonb of an unknown binary version`, this.offset + (start - this.start));
      start++;
    } else if (form !== 'text') {
      throw new RangeError(`field ${i} is not text in COPY's binary format`);
    }
    return (this.buffer as FastBuffer).utf8Slice(start, this.starts[i]! + length);
  }

  /** Replaces field `i` (null writes NULL). Only fields whose binary form is text can be replaced. */
  set(i: number, value: string | null): void {
    this.check(i);
    const form = this.forms[i];
    if (form !== 'text' && form !== 'jsonb') throw new RangeError(`field ${i} is not text in COPY's binary format`);
    if (this.replaced[i] === 0) {
      this.replaced[i] = 1;
      this.changes++;
    }
    this.values[i] = value;
  }

  /**
   * Writes the row up to its last replaced field: bytes of `buffer` from `from` up to the first
   * replaced field's length word, the replacement with its length, and so on. Returns where the
   * original bytes still to be written resume; `from` itself when the row has no replacement.
   */
  writeChangesTo(writer: ChunkWriter, from: number): number {
    if (this.changes === 0) return from;
    const { starts, lengths, replaced, values, forms, buffer } = this;
    let resume = from;
    for (let i = 0; i < this.fieldCount; i++) {
      if (replaced[i] === 0) continue;
      const start = starts[i]!;
      writer.copy(buffer, resume, start - 4);
      writer.writeBinaryField(values[i]!, forms[i] === 'jsonb' ? JSONB_VERSION : -1);
      resume = start + Math.max(0, lengths[i]!);
    }
    return resume;
  }

  /** Writes the whole row: untouched fields as their original bytes. */
  writeTo(writer: ChunkWriter): void {
    writer.copy(this.buffer, this.writeChangesTo(writer, this.start), this.end);
  }

  /** An error about this row, naming table, row and offset. */
  error(reason: string, offset: number = this.offset): CopyFormatError {
    return new CopyFormatError(reason, { table: this.table, line: this.line, offset });
  }
}
