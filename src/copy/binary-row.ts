/**
 * One row of COPY's binary format, held as field offsets into the buffer it arrived in. Fields
 * whose form is `text`, `jsonb`, an integer, numeric, date or timestamp (see `FieldForm`) can be
 * read and replaced, as text; `opaque` ones pass through as their original bytes.
 */
import { TransformError } from '../errors.js';
import { decodeNumeric, encodeNumeric, NUMERIC_REASON } from './binary-numeric.js';
import { decodeNumericForm, encodeNumericForm, NUMERIC_FORM_LENGTH, type NumericForm, numericFormReason } from './binary-value.js';
import type { ChunkWriter } from './chunk-writer.js';
import { CopyRow } from './copy-row.js';

/**
 * How a binary COPY field's bytes are read: `text`, the value's text as UTF-8; `jsonb`, a
 * version byte (1) and then the text; `int2`, `int4`, `int8`, `date`, `timestamp`, `numeric`,
 * the type's own binary value, read as the text PostgreSQL writes for it (DateStyle ISO) and
 * written back from text (see `binary-value.ts`, `binary-numeric.ts`); `opaque`, bytes passed
 * through but not read. The catalog
 * tells each column's (`Column.binaryForm`).
 */
export type FieldForm = 'text' | 'jsonb' | NumericForm | 'numeric' | 'opaque';

function isNumericForm(form: FieldForm | undefined): form is NumericForm {
  return form !== undefined && Object.hasOwn(NUMERIC_FORM_LENGTH, form);
}

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
  /** Column names, for errors; `column N` where missing. */
  private readonly columns: readonly string[];
  /** Whether each field's form is a numeric form (`isNumericForm`), looked up once. */
  private readonly numericForm: readonly boolean[];
  /** The binary value of each replaced field of a numeric form or numeric. */
  private readonly encoded: (Buffer | undefined)[];
  private rowEnd = 0;

  constructor(forms: readonly (FieldForm | undefined)[], table?: string, columns: readonly string[] = []) {
    super(forms.length, table);
    this.forms = forms;
    this.columns = columns;
    this.starts = new Int32Array(forms.length);
    this.lengths = new Int32Array(forms.length);
    this.numericForm = forms.map(isNumericForm);
    this.encoded = forms.map((form) => (isNumericForm(form) ? Buffer.alloc(NUMERIC_FORM_LENGTH[form]) : undefined));
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
    if (this.numericForm[i] && isNumericForm(form)) {
      if (length !== NUMERIC_FORM_LENGTH[form]) throw this.error(`column ${i + 1} holds a ${form} of ${length} bytes`, this.offset + (start - this.start));
      return decodeNumericForm(form, this.buffer, start);
    }
    if (form === 'numeric') {
      const text = decodeNumeric(this.buffer, start, length);
      if (text === undefined) throw this.error(`column ${i + 1} holds a numeric of a form pgmask does not know`, this.offset + (start - this.start));
      return text;
    }
    if (form === 'jsonb') {
      if (length === 0 || this.buffer[start] !== JSONB_VERSION) throw this.error(`column ${i + 1} holds jsonb of an unknown binary version`, this.offset + (start - this.start));
      start++;
    } else if (form !== 'text') {
      throw new RangeError(`field ${i} is not text in COPY's binary format`);
    }
    return (this.buffer as FastBuffer).utf8Slice(start, this.starts[i]! + length);
  }

  /**
   * Replaces field `i` (null writes NULL). Fields of an opaque form cannot be replaced; a value
   * for a numeric form must be one of its type, else a `TransformError` naming table, column
   * and line (never the value).
   */
  override set(i: number, value: string | null): void {
    this.check(i);
    const form = this.forms[i];
    if (this.numericForm[i] && isNumericForm(form)) {
      if (value !== null && !encodeNumericForm(form, value, this.encoded[i]!)) {
        throw new TransformError(numericFormReason(form), { table: this.table, column: this.columns[i] ?? `column ${i + 1}`, line: this.line });
      }
    } else if (form === 'numeric') {
      const bytes = value === null ? undefined : encodeNumeric(value);
      if (value !== null && bytes === undefined) throw new TransformError(NUMERIC_REASON, { table: this.table, column: this.columns[i] ?? `column ${i + 1}`, line: this.line });
      this.encoded[i] = bytes;
    } else if (form !== 'text' && form !== 'jsonb') {
      throw new RangeError(`field ${i} is not text in COPY's binary format`);
    }
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
      const form = forms[i];
      const value = values[i]!;
      if (value !== null && (form === 'numeric' || this.numericForm[i])) {
        const bytes = this.encoded[i]!;
        writer.writeInt32(bytes.length);
        writer.copy(bytes, 0, bytes.length);
      } else {
        writer.writeBinaryField(value, form === 'jsonb' ? JSONB_VERSION : -1);
      }
      resume = start + Math.max(0, lengths[i]!);
    }
    return resume;
  }
}
