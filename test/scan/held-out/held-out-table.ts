import type { PiiKind } from '../../../src/scan/pii-kind.js';

/** A value a generator returns: written to COPY text as PostgreSQL reads it for the column's type. */
export type CellValue = string | number | boolean | null | readonly string[] | { readonly json: unknown };

/** What a row generator sees: its row number and the rows already made for earlier tables. */
export interface RowContext {
  readonly i: number;
  /** What the table's `prepare` made for this row (one person's names, so that an e-mail matches them). */
  readonly p: Readonly<Record<string, string>>;
  /** Rows generated for an earlier table (by its `schema.name`), for foreign keys on personal values. */
  rows(table: string): readonly Readonly<Record<string, CellValue>>[];
}

/** One column of a held-out table: its SQL, its true label and how its values are made. */
export interface ColumnSpec {
  readonly name: string;
  readonly type: string;
  readonly kind: PiiKind | null;
  readonly note?: string;
  /** Extra SQL after the type (NOT NULL, UNIQUE, REFERENCES ...). */
  readonly sql?: string;
  /** COMMENT ON COLUMN text. */
  readonly comment?: string;
  /** Omitted: the column is left to its default (identity, now()). */
  readonly gen?: (ctx: RowContext) => CellValue;
}

/** One table of the held-out database. */
export interface TableSpec {
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
  readonly rows: number;
  /** Table constraints (PRIMARY KEY (...), UNIQUE (...), FOREIGN KEY ...). */
  readonly constraints?: readonly string[];
  /** `PARTITION BY ...` and the partitions' `FOR VALUES ...` clauses, by partition name. */
  readonly partitions?: { readonly by: string; readonly parts: Readonly<Record<string, string>> };
  readonly comment?: string;
  /** Runs before the row's columns: values several columns derive from. */
  readonly prepare?: (i: number) => Record<string, string>;
  /** Whether rows are kept for later tables' generators (off for the big table). */
  readonly keepRows?: boolean;
}

/** A column spec with a short constructor, for the long table lists. */
export function col(name: string, type: string, kind: PiiKind | null, gen?: ColumnSpec['gen'], extra: Partial<ColumnSpec> = {}): ColumnSpec {
  return { name, type, kind, ...(gen ? { gen } : {}), ...extra };
}

/** An `id` column filled with the row number + 1. */
export function idCol(name = 'id', type = 'integer'): ColumnSpec {
  return { name, type, kind: null, sql: 'PRIMARY KEY', gen: ({ i }) => i + 1 };
}
