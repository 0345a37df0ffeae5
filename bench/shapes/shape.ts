/**
 * A benchmark shape: a synthetic source database of a kind users have, the rules that mask it,
 * and the checks that a target holds what it should. `npm run bench -- --shape NAME` picks one.
 */
import type pg from 'pg';

/** One shape, sized by its flags. */
export interface Shape {
  /** The flag's value: `customers`, `many-tables`, `crm`. */
  readonly name: string;
  /** The source database's name: one per shape and size, so each size is built once. */
  readonly database: string;
  /** The source database's comment once built: the generator version and the sizes. A different marker rebuilds. */
  readonly marker: string;
  /** One line for the results table: tables and rows. */
  readonly description: string;
  /** Tables in the source. */
  readonly tables: number;
  /** Rows in all tables of the source. */
  readonly rows: number;
  /** Columns the rules mask (every rule that is not `keep`). */
  readonly maskedColumns: number;
  /** Builds the source in an empty database (the client is connected to it). */
  build(client: pg.Client): Promise<void>;
  /** The rules file's text. */
  rules(): string;
  /**
   * A query on the target that returns one row `{ original }`: how many values that the rules
   * mask still hold a source value (0 after a masked run).
   */
  readonly leakQuery: string;
}

/** The source's tables as `schema.table`, quoted for SQL, in a stable order. */
export async function tableNames(client: pg.Client): Promise<string[]> {
  const r = await client.query<{ name: string }>(
    `SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
      ORDER BY 1`,
  );
  return r.rows.map((row) => row.name);
}

/** Rows of every table in `tables`, by name, in one round trip. */
export async function rowCounts(client: pg.Client, tables: readonly string[]): Promise<Map<string, number>> {
  if (tables.length === 0) return new Map();
  const sql = tables.map((t) => `SELECT '${t.replace(/'/g, "''")}' AS name, count(*) AS rows FROM ${t}`).join(' UNION ALL ');
  const r = await client.query<{ name: string; rows: string }>(sql);
  return new Map(r.rows.map((row) => [row.name, Number(row.rows)]));
}
