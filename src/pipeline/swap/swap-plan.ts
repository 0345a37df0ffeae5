/** A statement about a shadow relation, given its qualified name and its schema (both quoted). */
export type SwapStatement = (table: string, schema: string) => string;

/** One relation the swap replaces: a copied table, or a member of a copied partition tree. */
export interface SwapRelation {
  readonly oid: number;
  /** `schema.table`, as rules and reports name it. */
  readonly key: string;
  /** The real table's qualified name, as SQL. */
  readonly sqlName: string;
  /** The name alone, quoted. */
  readonly name: string;
  /** Its schema, quoted. */
  readonly schema: string;
  /** The schema its shadow is built in (`pgmask_shadow_<schema oid>`) and the one the real table leaves for in the swap (`pgmask_old_<schema oid>`), quoted. */
  readonly shadowSchema: string;
  readonly oldSchema: string;
  /** The partitioned table it is a partition of (oid). */
  readonly parent: number | undefined;
  /** Makes the empty shadow: the columns, defaults (a partition's own too, and its columns' storage and compression), NOT NULL and CHECK constraints, comments on columns. */
  readonly create: SwapStatement;
  /** Primary keys, unique and exclusion constraints and indexes, built once the rows are in. */
  readonly keys: readonly SwapStatement[];
  /** Foreign keys the relation declares, once every table's keys are built. */
  readonly foreignKeys: readonly SwapStatement[];
  /** Identity columns, triggers (created after the load, so none fires on it), row security and its policies, options, owner, grants, comments, ANALYZE. */
  readonly rest: readonly SwapStatement[];
}

/** A foreign key of a table the run does not copy that references a swapped table: moved to the new table in the swap. */
export interface IncomingForeignKey {
  /** The referencing table, qualified. */
  readonly table: string;
  /** The constraint's name, quoted. */
  readonly name: string;
  /** `FOREIGN KEY ... REFERENCES ...`, names qualified. */
  readonly definition: string;
  /** Whether the key held (was validated) before the swap: it is validated again after it. */
  readonly validated: boolean;
  /** A partitioned referencing table cannot take a key `NOT VALID`: it is checked inside the swap. */
  readonly partitioned: boolean;
}

/** What the swap replaces and what it moves over to the new tables. */
export interface SwapPlan {
  /** Every relation replaced, roots before their partitions. */
  readonly relations: readonly SwapRelation[];
  /** Every view over a swapped table: `CREATE OR REPLACE VIEW`, names qualified, run after the swap, reads the new tables and keeps the view's grants, owner and dependents. */
  readonly views: readonly { readonly name: string; readonly sql: string }[];
  readonly incoming: readonly IncomingForeignKey[];
  /** Sequences owned by a swapped column (serial): their ownership moves to the new table's column. */
  readonly serials: readonly { readonly sequence: string; readonly table: string; readonly column: string }[];
}

/** A statement with the shadow relation's names filled in. */
export function shadowSql(statement: SwapStatement, relation: SwapRelation): string {
  return statement(shadowName(relation), relation.shadowSchema);
}

/** The shadow's qualified name. */
export function shadowName(relation: SwapRelation): string {
  return `${relation.shadowSchema}.${relation.name}`;
}
