/**
 * One row of COPY's binary format, held as field offsets into the buffer it arrived in. Only
 * fields whose form is `text` or `jsonb` (see `FieldForm`) can be read or replaced; the others
 * pass through as their original bytes.
 */
import type { ChunkWriter } from './chunk-writer.js';
import { CopyRow } from './copy-row.js';

/**
 * How a binary COPY field's bytes are read: `text`, the value's text as UTF-8; `jsonb`, a
 * version byte (1) and then the text; `opaque`, bytes passed through but not read. The
 * catalog tells each column's (`Column.binaryForm`).
 */
export type FieldForm = 'text' | 'jsonb' | 'opaque';

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
export class BinaryRow extends CopyRow {
  /** Each field's binary form, by position. */
  readonly forms: readonly (FieldForm | undefined)[];
  /** Where each field's bytes start. Written by the splitter. */
  readonly starts: Int32Array;
  /** Each field's length, -1 for NULL. Written by the splitter. */
  readonly lengths: Int32Array;
  private rowEnd = 0;

  constructor(forms: readonly (FieldForm | undefined)[], table?: string) {
    super(forms.length, table);
    this.forms = forms;
    this.starts = new Int32Array(forms.length);
    this.lengths = new Int32Array(forms.length);
  }

  /**
   * Starts a new row: the splitter calls this after filling `starts` and `lengths`.
   * @internal
   */
  reset(buffer: Buffer, start: number, end: number, line: number, offset: number): void {
    this.startRow(buffer, start, line, offset);
    this.rowEnd = end;
  }

  /** Byte position just past the row in `buffer`. */
  get end(): number {
    return this.rowEnd;
  }

  readonly format = 'binary';

  /** A field's length word and bytes. */
  protected keyStart(i: number): number {
    return this.starts[i]! - 4;
  }

  protected keyEnd(i: number): number {
    return this.starts[i]! + Math.max(0, this.lengths[i]!);
  }

  protected decode(i: number): string | null {
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
  override set(i: number, value: string | null): void {
    this.check(i);
    const form = this.forms[i];
    if (form !== 'text' && form !== 'jsonb') throw new RangeError(`field ${i} is not text in COPY's binary format`);
    super.set(i, value);
  }

  /** `CopyRow.writeChangesTo`, each replacement with its length word (jsonb's after its version byte). */
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
}
