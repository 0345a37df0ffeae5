import { FieldMemo } from '../copy/field-memo.js';
import { PgmaskError, TransformError } from '../errors.js';
import type { RowValues, TransformFn } from '../transformers/transformer.js';
import { keepsState } from './build-transform.js';

/** The part of a COPY row the masker needs: decode a field, replace a field. */
export interface MaskableRow {
  readonly line: number;
  get(index: number): string | null;
  /** The field's value as read, even after `set()`. */
  original(index: number): string | null;
  set(index: number, value: string | null): void;
  /** The value `memo` holds for the field's original bytes (rows that hold bytes; see FieldMemo). */
  recall?(index: number, memo: FieldMemo): string | null | undefined;
  /** Stores the field's masked value in `memo`, after a `recall` that found none. */
  remember?(index: number, memo: FieldMemo, value: string | null): void;
}

/** One masked column of a table: its position in the COPY column list and its transform. */
export interface MaskedColumn {
  readonly name: string;
  readonly index: number;
  readonly transform: TransformFn;
}

/**
 * Masks the rule-bearing fields of each row, leaving the others as their original bytes.
 * A column that another column's rule reads (`from:`, templates) is masked on demand,
 * once per row, so every column sees the same masked value.
 *
 * A column whose masking depends on its value alone keeps its masked values in a FieldMemo,
 * under the field's bytes: a value that repeats is not decoded or masked again. A column's rule
 * depends on more when it keeps run-wide state (`unique: true`), or once it reads the row: its
 * memo is then dropped, and a value masked while it read the row is never stored.
 */
export class RowMasker<C extends MaskedColumn = MaskedColumn> {
  private readonly indexByName: ReadonlyMap<string, number>;
  private readonly transformByIndex: (TransformFn | undefined)[];
  /** Every column of the table, in COPY order. */
  readonly names: readonly string[];
  /** The masked columns. */
  readonly columns: readonly C[];
  /** A column's masked value of the current row, valid where `maskedIn` holds the row's number. */
  private readonly cache: (string | null)[];
  private readonly maskedIn: Float64Array;
  private readonly active: boolean[];
  /** Columns whose transform read the row. */
  private readonly readsRow: boolean[];
  /** Per masked column, in the order of `columns`: its memo, or null when it may have none. */
  private readonly memos: (FieldMemo | null)[];
  /** Counts the rows masked: names the current row in `maskedIn`. */
  private rowNumber = 0;
  private row: MaskableRow | undefined;
  private readonly values: RowValues;

  constructor(
    readonly table: string,
    columns: readonly string[],
    masked: readonly NoInfer<C>[],
  ) {
    this.indexByName = new Map(columns.map((name, i) => [name, i]));
    this.names = columns;
    this.transformByIndex = columns.map(() => undefined);
    for (const column of masked) this.transformByIndex[column.index] = column.transform;
    this.columns = [...masked];
    this.cache = columns.map(() => null);
    this.maskedIn = new Float64Array(columns.length);
    this.active = columns.map(() => false);
    this.readsRow = columns.map(() => false);
    this.memos = masked.map((column) => (keepsState(column.transform) ? null : new FieldMemo()));
    this.values = {
      original: (name) => {
        this.noteRowRead();
        const index = this.indexByName.get(name);
        return index === undefined || !this.row ? null : this.row.original(index);
      },
      masked: (name) => {
        this.noteRowRead();
        const index = this.indexByName.get(name);
        return index === undefined ? null : this.maskField(index);
      },
    };
  }

  /** Masks one row in place. */
  mask(row: MaskableRow): void {
    this.row = row;
    this.rowNumber++;
    const { columns, memos } = this;
    for (let k = 0; k < columns.length; k++) {
      const index = columns[k]!.index;
      const memo = memos[k]!;
      if (memo === null || row.recall === undefined) {
        row.set(index, this.maskField(index));
        continue;
      }
      const held = row.recall(index, memo);
      if (held !== undefined) {
        this.cache[index] = held;
        this.maskedIn[index] = this.rowNumber;
        row.set(index, held);
        continue;
      }
      const value = this.maskField(index);
      if (this.readsRow[index] || !memo.enabled) memos[k] = null;
      else row.remember!(index, memo, value);
      row.set(index, value);
    }
    this.row = undefined;
  }

  /** A transform read the row: the column it masks (and any whose masking asked for it) depends on more than its value. */
  private noteRowRead(): void {
    for (let i = 0; i < this.active.length; i++) if (this.active[i]) this.readsRow[i] = true;
  }

  /**
   * Masks one row in place like `mask`, adding each masked column's time (ms) to `costs`, in
   * the order of `columns`. A column another one reads is timed within its reader.
   */
  maskTimed(row: MaskableRow, costs: Float64Array): void {
    this.row = row;
    this.rowNumber++;
    const columns = this.columns;
    for (let k = 0; k < columns.length; k++) {
      const index = columns[k]!.index;
      const started = performance.now();
      row.set(index, this.maskField(index));
      costs[k] = costs[k]! + (performance.now() - started);
    }
    this.row = undefined;
  }

  /** A column's masked value: once per row, also when other rules read it; a cycle of reads is an error. */
  private maskField(index: number): string | null {
    if (this.maskedIn[index] === this.rowNumber) return this.cache[index]!;
    const row = this.row!;
    const transform = this.transformByIndex[index];
    if (!transform) return row.original(index);
    const name = this.names[index]!;
    if (this.active[index]) {
      throw new TransformError('the rules of this table read each other in a cycle', { table: this.table, column: name, line: row.line });
    }
    this.active[index] = true;
    try {
      const value = transform(row.original(index), this.values);
      this.cache[index] = value;
      this.maskedIn[index] = this.rowNumber;
      return value;
    } catch (error) {
      throw this.failure(error, name, row.line);
    } finally {
      this.active[index] = false;
    }
  }

  /** A transformer's error as a TransformError naming table, column and line, never the value. */
  private failure(error: unknown, column: string, line: number): TransformError {
    if (error instanceof TransformError) {
      return error.line !== undefined ? error : new TransformError(error.reason, { table: this.table, column, line }, { cause: error });
    }
    // Only pgmask's own messages are known to hold no value; others (JSON.parse, ...) may quote the input.
    const reason = error instanceof PgmaskError ? error.message : `the transformer failed (${(error as Error)?.name ?? 'error'})`;
    return new TransformError(reason, { table: this.table, column, line });
  }
}
