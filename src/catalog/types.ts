/**
 * Plain readonly types for what pgmask reads from pg_catalog. Filled by `readCatalog`.
 */

/** The kinds of value a transformer may accept, derived from a column's (base) type. */
export type TypeFamily =
  | 'text' // text, varchar, char, name, citext
  | 'integer' // int2, int4, int8
  | 'numeric' // numeric, float4, float8, money
  | 'boolean'
  | 'date'
  | 'timestamp' // timestamp, timestamptz
  | 'time' // time, timetz, interval
  | 'uuid'
  | 'json' // json, jsonb
  | 'bytea'
  | 'network' // inet, cidr, macaddr
  | 'enum'
  | 'array'
  | 'other';

export interface Column {
  readonly name: string;
  readonly attnum: number;
  /** `format_type(atttypid, atttypmod)`, e.g. `character varying(20)`, `text[]`, `public.mood`. */
  readonly type: string;
  /** The base type after resolving domains, as format_type prints it with its typmod. */
  readonly baseType: string;
  readonly family: TypeFamily;
  /** For arrays: the element's family. */
  readonly elementFamily: TypeFamily | undefined;
  /** Character limit of varchar(n) / char(n) (also through a domain); undefined when unlimited. */
  readonly maxLength: number | undefined;
  readonly notNull: boolean;
  readonly hasDefault: boolean;
  /** `always` / `by default` for identity columns. */
  readonly identity: 'always' | 'by default' | undefined;
  /** A stored generated column: recomputed on the target, never copied. */
  readonly generated: boolean;
  /** `COMMENT ON COLUMN`, when there is one: `scan` reads it for what the column holds. */
  readonly comment?: string;
  /** Labels of an enum type, in sort order. */
  readonly enumLabels: readonly string[] | undefined;
  /** How COPY's binary format carries the column's values (see `BinaryForm`). */
  readonly binaryForm: BinaryForm | undefined;
}

/**
 * How COPY's binary format carries a type's values between two databases of the same major
 * version: `text`, the value's text as UTF-8 (text, varchar, char, json, enums); `jsonb`, a
 * version byte (1) and then the text; `int2`, `int4`, `int8`, `date`, `timestamp`, `numeric`, the type's
 * own binary value, which pgmask reads and writes as text; `opaque`, another built-in type's
 * own binary form, passed through but not read. Undefined for types whose binary form may hold a database's own OIDs
 * (composites, arrays of types not built in) or depends on an extension, and for types without
 * one: such a table is copied as text.
 */
export type BinaryForm = 'text' | 'jsonb' | 'int2' | 'int4' | 'int8' | 'date' | 'timestamp' | 'numeric' | 'opaque';

export type TableKind = 'table' | 'partitioned' | 'foreign';

export interface ForeignKey {
  readonly name: string;
  readonly columns: readonly string[];
  readonly referencedSchema: string;
  readonly referencedTable: string;
  readonly referencedColumns: readonly string[];
  /** The referenced table's unique index the key relies on (the one of its primary key or unique constraint, or a unique index). */
  readonly referencedIndex: string | undefined;
  /** False for a key added NOT VALID and not validated since: rows older than it may break it. */
  readonly validated: boolean;
}

export interface Table {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  /** Quoted, schema-qualified name for SQL, e.g. `public."Order Items"`. */
  readonly sqlName: string;
  readonly kind: TableKind;
  /** Parent when this table is a partition (`partitionOf`) or an inheritance child (`inheritsFrom`). */
  readonly partitionOf: string | undefined;
  readonly inheritsFrom: readonly string[];
  /** Partition key columns, for partitioned tables. */
  readonly partitionKey: readonly string[];
  readonly unlogged: boolean;
  readonly columns: readonly Column[];
  readonly primaryKey: readonly string[] | undefined;
  /** Unique constraints and unique indexes (column lists; expression indexes left out). */
  readonly uniqueKeys: readonly (readonly string[])[];
  readonly foreignKeys: readonly ForeignKey[];
  /** Sequences owned by columns of this table (serial and identity): column → sequence sqlName. */
  readonly ownedSequences: ReadonlyMap<string, string>;
  readonly rowSecurity: boolean;
  readonly forceRowSecurity: boolean;
  /**
   * Whether the connecting role owns the table (directly or through a role it inherits).
   * Owners bypass row-level security unless it is forced. Undefined when unknown.
   */
  readonly ownedByConnectingRole?: boolean;
  /** reltuples (may be -1 when never analyzed). */
  readonly rowEstimate: number;
  /** pg_table_size in bytes. */
  readonly bytes: number;
}

export interface View {
  readonly schema: string;
  readonly name: string;
  readonly sqlName: string;
  readonly materialized: boolean;
}

export interface Catalog {
  readonly serverVersion: number;
  /** Ordinary, partitioned, partition and inheritance-child tables (system schemas left out). */
  readonly tables: readonly Table[];
  readonly views: readonly View[];
  /** Whether the connecting role bypasses row-level security (superuser or BYPASSRLS). */
  readonly bypassRowSecurity: boolean;
}
