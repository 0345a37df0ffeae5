/**
 * The `subset:` section of a rules file as plain data (see the shared spec): which rows a
 * subset starts from and how it follows references. Table keys are written as `tableKey`
 * prints them (`public.customers`, `public."Order Items"`); an unqualified name means `public`.
 */
export interface SubsetSpec {
  /** Where the subset starts: at least one. */
  readonly roots: readonly SubsetRoot[];
  /** Which references are followed downwards (rows that reference selected rows); default `none`. */
  readonly children?: 'all' | 'none' | readonly SubsetChildren[];
  /** References the catalog does not hold. */
  readonly virtualKeys?: readonly VirtualKey[];
  /** Tables whose rows are all selected. */
  readonly whole?: readonly string[];
  /** Tables left empty: a selected row may reference one only through a `nullOutside` key. */
  readonly empty?: readonly string[];
  /** References written NULL when their parent row is not selected, instead of selecting it. */
  readonly nullOutside?: readonly KeyRef[];
}

/** A root: the rows of a table a subset starts from. */
export interface SubsetRoot {
  readonly table: string;
  /** An SQL predicate on the table's rows (no alias), run in the source. */
  readonly where?: string;
  /** At most this many rows, in the table's stable order. */
  readonly limit?: number;
  /** Instead of `limit`: this percent of the matching rows, rounded up, in the stable order. */
  readonly percent?: number;
}

/** A reference by name: a foreign key constraint of `table` (the referencing table) or a virtual key's name. */
export interface KeyRef {
  readonly table: string;
  readonly foreignKey: string;
}

/** A reference followed downwards, optionally at most `limitPerParent` referencing rows per referenced row. */
export interface SubsetChildren extends KeyRef {
  readonly limitPerParent?: number;
}

/** A reference the catalog does not hold, declared in the rules. */
export interface VirtualKey {
  /** Unique among virtual keys and the referencing table's foreign keys. */
  readonly name: string;
  /** The referencing table. */
  readonly table: string;
  readonly columns: readonly string[];
  /** The referenced table. */
  readonly references: string;
  /** Default: the referenced table's primary key. Must be its primary key or a unique key. */
  readonly referencedColumns?: readonly string[];
  /** Only referencing rows where this SQL predicate (no alias) holds: polymorphic references. */
  readonly where?: string;
}
