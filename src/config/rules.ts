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
  /** What `pgmask subject erase` does with this table's rows of a person (`subject:`); undefined when the file says nothing. */
  readonly subject?: SubjectPolicy;
  readonly position: FilePosition;
}

/**
 * A table's policy for a data subject's rows (`subject:` in its entry): `delete` them, `mask`
 * their personal columns with the table's own rules, or `retain` them for a stated reason.
 */
export type SubjectPolicy = { readonly kind: 'delete' } | { readonly kind: 'mask' } | { readonly kind: 'retain'; readonly reason: string };

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
  /** Which rows to take, when the file has a `subset:` section. */
  readonly subset?: SubsetRules;
}

/** A table the subset starts from (`subset.roots[]`). */
export interface SubsetRoot {
  /** `tableKey(schema, name)`, normalised as the keys of `tables:` are. */
  readonly table: string;
  /** An SQL predicate on the table's rows (no alias), run in the source. */
  readonly where: string | undefined;
  /** At most this many rows, in a stable order. Never set together with `percent`. */
  readonly limit: number | undefined;
  /** That percent of the matching rows, rounded up, in (0, 100]. Never set together with `limit`. */
  readonly percent: number | undefined;
  readonly position: FilePosition;
}

/** A reference followed downwards (`subset.children[]`): rows of `table` that reference selected rows. */
export interface ChildRule {
  /** A foreign-key constraint of `table` (the referencing table), or a virtual key's name. */
  readonly foreignKey: string;
  /** The referencing table, as `tableKey` prints it. */
  readonly table: string;
  /** At most this many referencing rows per parent row, in a stable order. */
  readonly limitPerParent: number | undefined;
  readonly position: FilePosition;
}

/** A reference the catalog does not hold (`subset.virtual_keys[]`). */
export interface VirtualKey {
  /** Unique among the virtual keys. */
  readonly name: string;
  /** The referencing table, as `tableKey` prints it. */
  readonly table: string;
  readonly columns: readonly string[];
  /** The referenced table, as `tableKey` prints it. */
  readonly references: string;
  /** The referenced columns; undefined means the referenced table's primary key. */
  readonly referencedColumns: readonly string[] | undefined;
  /** Only referencing rows where this SQL predicate holds (polymorphic references). */
  readonly where: string | undefined;
  readonly position: FilePosition;
}

/** A nullable reference written NULL when its parent row is not in the subset (`subset.null_outside[]`). */
export interface NullOutside {
  /** The referencing table, as `tableKey` prints it. */
  readonly table: string;
  /** A foreign-key constraint of `table`, or a virtual key's name. */
  readonly foreignKey: string;
  readonly position: FilePosition;
}

/** The `subset:` section: which rows a copy takes (see the README's "Subsets"). */
export interface SubsetRules {
  /** At least one. */
  readonly roots: readonly SubsetRoot[];
  /** Which references are followed downwards: `none` (the default), `all`, or the listed ones. */
  readonly children: 'all' | 'none' | readonly ChildRule[];
  readonly virtualKeys: readonly VirtualKey[];
  /** Tables copied whole, as `tableKey` prints them, in the file's order, each once. */
  readonly whole: readonly string[];
  /** Tables left empty, as `tableKey` prints them, in the file's order, each once. */
  readonly empty: readonly string[];
  /** Where each table of `whole` is named (its first mention). */
  readonly wholeAt: ReadonlyMap<string, FilePosition>;
  /** Where each table of `empty` is named (its first mention). */
  readonly emptyAt: ReadonlyMap<string, FilePosition>;
  readonly nullOutside: readonly NullOutside[];
  /** The `subset:` key. */
  readonly position: FilePosition;
}
