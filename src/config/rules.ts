import type { FilePosition } from '../errors.js';

/** One column's rule, normalised from `col: name` or `col: { transform: name, ... }`. */
export interface ColumnRule {
  readonly column: string;
  readonly transform: string;
  /** The transformer's own options (every key except transform, unique and scope). */
  readonly options: Readonly<Record<string, unknown>>;
  readonly unique: boolean;
  readonly scope: string | undefined;
  readonly position: FilePosition;
}

export interface TableRule {
  readonly schema: string;
  readonly name: string;
  /** Copy the schema, no rows. */
  readonly skip: boolean;
  readonly columns: ReadonlyMap<string, ColumnRule>;
  /**
   * What this table's columns without a rule mean: `fail` (the default) refuses them, `keep`
   * (the table's own opt-out, `unlisted: keep` in its entry) copies them unchanged. The
   * top-level `unlisted` never reaches a listed table's columns.
   */
  readonly unlisted: 'fail' | 'keep';
  readonly position: FilePosition;
}

/** A validated rules file. */
export interface Rules {
  readonly file: string;
  /** sha256 of the file's bytes, hex. */
  readonly sha256: string;
  readonly version: 1;
  /** What a table with no entry under `tables:` means: `fail` refuses it, `keep` copies it unchanged. */
  readonly unlisted: 'fail' | 'keep';
  /** Keyed by `tableKey(schema, name)`. */
  readonly tables: ReadonlyMap<string, TableRule>;
}
