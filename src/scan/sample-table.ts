import { quoteIdent } from '../catalog/names.js';
import type { Column, Table } from '../catalog/types.js';
import type { Session } from '../db/connection.js';

/** What `sampleTable` read: each column's sampled values as text (NULLs left out), and the table's rows. */
export interface TableSample {
  /** Rows in the table: counted when the sample read it all (`exact`), else the planner's estimate. */
  readonly rows: number;
  readonly exact: boolean;
  /** Rows the sample read. */
  readonly read: number;
  /** Column name → its non-NULL sampled values, as PostgreSQL's text output. */
  readonly values: ReadonlyMap<string, readonly string[]>;
}

/** How much of a table to read, and what the catalog says of its size. */
export interface SampleSize {
  /** Rows to read at most. */
  readonly rows: number;
  /** The planner's row estimate (-1 when the table was never analyzed). */
  readonly rowEstimate: number;
  /** The table's size on disk, in bytes. */
  readonly bytes: number;
}

/** Text longer than this is cut: enough for the finders, bounded for the wire. */
const TEXT_LIMIT = 4000;
/** A json document longer than this is not read (a cut document does not parse). */
const JSON_LIMIT = 100_000;
/** A column with fewer values than this in the sample is read again, for rows where it holds one. */
const SPARSE = 20;
/** Values read for such a column. */
const SPARSE_ROWS = 100;
/** Below this, a table never analyzed is read from its start. */
const SMALL_BYTES = 8 * 1024 * 1024;

/** The select-list expression that reads a column's value as bounded text. */
function sampled(column: Column, alias: string): string {
  const text = `${quoteIdent(column.name)}::text`;
  if (column.family === 'json') return `CASE WHEN octet_length(${text}) <= ${JSON_LIMIT} THEN ${text} END AS ${alias}`;
  if (column.family === 'array') return `CASE WHEN octet_length(${text}) <= ${JSON_LIMIT} THEN ${text} END AS ${alias}`;
  if (column.family === 'text') return `left(${text}, ${TEXT_LIMIT}) AS ${alias}`;
  return `${text} AS ${alias}`;
}

/**
 * Reads up to `size.rows` rows of the given columns, at a cost bounded whatever the table's size:
 * a table larger than about ten samples is read through `TABLESAMPLE SYSTEM` with a percentage
 * that yields about three samples' worth of rows (the same pages in every run: `REPEATABLE`),
 * a smaller one from its start with `LIMIT`. Rows of inheritance children are not read with
 * their parent's (`ONLY`); a partitioned table's are its partitions'. Values are cast to text,
 * long text cut at 4,000 characters, and json and arrays over 100 kB left out. A column that
 * holds fewer than 20 values in a sample of a table not read whole is read again where it is not
 * NULL (up to 100 values; ten times the pages on a large table), so that a mostly empty column
 * (an error message, a field few fill in) is judged by values too. Runs in the session's
 * transaction (its snapshot).
 */
export async function sampleTable(session: Session, table: Table, columns: readonly Column[], size: SampleSize): Promise<TableSample> {
  const from = `${table.kind === 'partitioned' ? '' : 'ONLY '}${table.sqlName}`;
  const estimate = size.rowEstimate >= 0 ? size.rowEstimate : size.bytes <= SMALL_BYTES ? 0 : size.bytes / 100;
  const list = columns.length > 0 ? columns.map((c, i) => sampled(c, `c${i}`)).join(', ') : '1 AS c';
  const read = async (clause: string): Promise<Record<string, string | null>[]> =>
    session.query<Record<string, string | null>>(`SELECT ${list} FROM ${from}${clause} LIMIT ${size.rows}`);

  let rows: Record<string, string | null>[] | undefined;
  let whole = true;
  if (estimate > size.rows * 10) {
    const percent = Math.max(0.0001, Math.min(100, (100 * size.rows * 3) / estimate));
    rows = await read(` TABLESAMPLE SYSTEM (${percent.toFixed(6)}) REPEATABLE (0)`);
    whole = false;
    // A stale estimate can make the pages picked too few: read from the start instead.
    if (rows.length < size.rows / 2) rows = undefined;
  }
  if (!rows) {
    rows = await read('');
    whole = rows.length < size.rows;
  }
  const values = new Map<string, string[]>();
  for (const [i, column] of columns.entries()) {
    const alias = `c${i}`;
    let list: string[] = [];
    for (const row of rows) {
      const value = row[alias];
      if (value !== null && value !== undefined) list.push(value);
    }
    // A column mostly NULL (an error message, a field few fill in) gets its own look at rows that hold a value.
    if (!whole && list.length < SPARSE) {
      const clause = estimate > size.rows * 10 ? ` TABLESAMPLE SYSTEM (${Math.min(100, (100 * size.rows * 30) / estimate).toFixed(6)}) REPEATABLE (0)` : '';
      const more = await session.query<{ c: string }>(`SELECT ${sampled(column, 'c')} FROM ${from}${clause} WHERE ${quoteIdent(column.name)} IS NOT NULL LIMIT ${SPARSE_ROWS}`);
      if (more.length > list.length) list = more.map((r) => r.c).filter((v) => v !== null);
    }
    values.set(column.name, list);
  }
  const rowCount = whole ? rows.length : Math.max(Math.round(estimate), rows.length);
  return { rows: rowCount, exact: whole, read: rows.length, values };
}
