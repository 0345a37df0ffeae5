import { sqlIdent } from '../catalog/names.js';
import type { Session } from '../db/connection.js';
import { fromSql, selectedRowsSql } from '../subset/closure-sql.js';
import type { ReferenceGraph, SubsetNode } from '../subset/reference-graph.js';
import type { HowFound } from './how-found.js';
import type { SubjectSearch } from './subject-searches.js';

/** One search's outcome: the rows it found and whether it had to read the whole table. */
export interface SearchOutcome {
  readonly table: string;
  readonly how: HowFound;
  readonly rows: number;
  /**
   * No index serves the predicate: with sequential scans discouraged (`enable_seqscan = off`),
   * the search's plan still reads the table with a Seq Scan.
   */
  readonly scanned: boolean;
}

/** A row of the subject: its key and every way it was found. */
export interface SubjectRow {
  /** Primary-key column → value as PostgreSQL writes it as text; `ctid` (and `partition`) for a table without one. */
  readonly key: Readonly<Record<string, string>>;
  readonly found: readonly HowFound[];
}

/** A table with rows of the subject. */
export interface SubjectTable {
  readonly table: string;
  /** The columns of `key`: the primary key, or `ctid` (with `partition` under a partitioned table). */
  readonly keyColumns: readonly string[];
  /** False when rows are named by ctid: valid in the snapshot that found them only. */
  readonly stableKey: boolean;
  /** In key order. */
  readonly rows: readonly SubjectRow[];
}

/** What `findSubjectRows` leaves in the session and returns. */
export interface SubjectSelection {
  readonly searches: readonly SearchOutcome[];
  /** Tables with rows of the subject, in catalog order. */
  readonly tables: readonly SubjectTable[];
  /** Rounds of the closure along references (the last one added nothing). */
  readonly rounds: number;
  /** Per node key, the temporary table (in pg_temp, unquoted) holding the ctids found, with `how` and `stamp`. */
  readonly selectionTables: ReadonlyMap<string, string>;
}

/** Options of `findSubjectRows`. */
export interface FindSubjectRowsOptions {
  /** Columns a table's rows may not be named by (personal data in a primary key): such a table's rows are named by ctid. */
  readonly personalKey?: (node: SubsetNode) => boolean;
}

/**
 * Finds a data subject's rows inside the server, in the caller's transaction (READ WRITE: the
 * rows found are held in temporary tables, `pg_temp.pgmask_subject_<oid>`, ON COMMIT DROP):
 * each search's matching rows, then, round after round until one adds nothing, every row that
 * references a row found already, through every foreign key and virtual key of `graph`
 * (referencing rows only: the rows a found row references are not the person's). A row found
 * several ways keeps each. Nothing of the identifier leaves the server; the rows are returned by
 * primary key. The temporary tables stay for the rest of the transaction (export and erase read
 * them).
 */
export async function findSubjectRows(
  session: Session,
  graph: ReferenceGraph,
  searches: readonly SubjectSearch[],
  options: FindSubjectRowsOptions = {},
): Promise<SubjectSelection> {
  const hows: HowFound[] = searches.map((s) => s.how);
  const edgeHow = new Map(graph.edges.map((edge, i) => [edge, searches.length + i]));
  for (const edge of graph.edges) {
    hows.push({ kind: 'references', table: edge.parent, columns: edge.referencedColumns, via: edge.name, virtual: edge.kind === 'virtual' });
  }

  // The selection tables: created when a node first gets a row, named as subset's nodes name theirs, with a prefix of their own.
  const selection = new Map<string, SubsetNode>();
  const ensure = async (key: string): Promise<SubsetNode> => {
    const existing = selection.get(key);
    if (existing) return existing;
    const node = graph.nodes.get(key)!;
    const own: SubsetNode = { ...node, selectionTable: `pgmask_subject_${node.table.oid}` };
    const columns = node.partitioned
      ? 'part oid NOT NULL, "row" tid NOT NULL, how int NOT NULL, stamp int NOT NULL, PRIMARY KEY (part, "row", how)'
      : '"row" tid NOT NULL, how int NOT NULL, stamp int NOT NULL, PRIMARY KEY ("row", how)';
    await session.query(`CREATE TEMP TABLE ${sqlIdent(own.selectionTable)} (${columns}) ON COMMIT DROP`);
    selection.set(key, own);
    return own;
  };
  const target = (node: SubsetNode): string => `pg_temp.${sqlIdent(node.selectionTable)} ${node.partitioned ? '(part, "row", how, stamp)' : '("row", how, stamp)'}`;
  const counted = (insert: string): string => `WITH ins AS (${insert} ON CONFLICT DO NOTHING RETURNING 1) SELECT count(*)::int AS n FROM ins`;

  let stamp = 0;
  const lastChange = new Map<string, number>();
  const outcomes: SearchOutcome[] = [];
  for (const [i, search] of searches.entries()) {
    const node = graph.nodes.get(search.node)!;
    const params = search.param === undefined ? [] : [search.param];
    const from = `FROM ${fromSql(node)} x WHERE (${search.predicate})`;
    // Planned with sequential scans discouraged, run as the planner likes: on a small table a Seq Scan is cheaper than an index it could use.
    const [setting] = await session.query<{ was: string }>(`SELECT current_setting('enable_seqscan') AS was, set_config('enable_seqscan', 'off', true)`);
    const [plan] = await session.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) SELECT x.ctid ${from}`, params);
    await session.query(`SELECT set_config('enable_seqscan', $1, true)`, [setting?.was ?? 'on']);
    const scanned = JSON.stringify(plan?.['QUERY PLAN'] ?? '').includes('"Node Type":"Seq Scan"');
    const own = await ensure(search.node);
    stamp++;
    const [row] = await session.query<{ n: number }>(counted(`INSERT INTO ${target(own)} SELECT ${node.partitioned ? 'x.tableoid, ' : ''}x.ctid, ${i}, ${stamp} ${from}`), params);
    const rows = row?.n ?? 0;
    if (rows > 0) lastChange.set(search.node, stamp);
    outcomes.push({ table: search.node, how: search.how, rows, scanned });
  }

  // Downwards along every reference from the rows found since the step last ran, until a round adds nothing.
  const seen = new Map(graph.edges.map((edge) => [edge, 0]));
  let rounds = 0;
  for (;;) {
    rounds++;
    let changed = 0;
    for (const edge of graph.edges) {
      const from = lastChange.get(edge.parent) ?? 0;
      const since = seen.get(edge)!;
      if (from <= since) continue;
      const parent = selection.get(edge.parent)!;
      const child = await ensure(edge.child);
      seen.set(edge, stamp);
      stamp++;
      const source = selectedRowsSql(parent, edge.referencedColumns, 's.stamp > $2::int');
      const on = edge.columns.map((c, k) => `c.${sqlIdent(c)} = p.pgmask_k${k + 1}`).join(' AND ');
      const where = edge.where ? ` WHERE (${edge.where})` : '';
      const [row] = await session.query<{ n: number }>(
        counted(
          `INSERT INTO ${target(child)} SELECT DISTINCT ${child.partitioned ? 'c.tableoid, ' : ''}c.ctid, ${edgeHow.get(edge)}, $1::int FROM ${source} p JOIN ${fromSql(child)} c ON ${on}${where}`,
        ),
        [stamp, since],
      );
      if ((row?.n ?? 0) > 0) {
        lastChange.set(edge.child, stamp);
        changed += row!.n;
      }
    }
    if (changed === 0) break;
  }

  const tables: SubjectTable[] = [];
  for (const node of graph.nodes.values()) {
    const own = selection.get(node.key);
    if (!own) continue;
    const table = await readRows(session, own, hows, options.personalKey?.(node) ?? false);
    if (table.rows.length > 0) tables.push(table);
  }
  return { searches: outcomes, tables, rounds, selectionTables: new Map([...selection].map(([key, node]) => [key, node.selectionTable])) };
}

/** The rows of a node's selection by key, each with every way it was found. */
async function readRows(session: Session, node: SubsetNode, hows: readonly HowFound[], personalKey: boolean): Promise<SubjectTable> {
  const pk = personalKey ? undefined : node.table.primaryKey;
  const keyColumns = pk ?? (node.partitioned ? ['partition', 'ctid'] : ['ctid']);
  const keys = pk
    ? pk.map((c, i) => `x.${sqlIdent(c)}::text AS k${i}`)
    : [...(node.partitioned ? ['x.tableoid::regclass::text AS k0'] : []), `x.ctid::text AS k${node.partitioned ? 1 : 0}`];
  const order = pk ? pk.map((c) => `x.${sqlIdent(c)}`).join(', ') : node.partitioned ? 'x.tableoid, x.ctid' : 'x.ctid';
  const on = node.partitioned ? 'x.tableoid = s.part AND x.ctid = s."row"' : 'x.ctid = s."row"';
  const rows = await session.query<Record<string, string | number>>(
    `SELECT ${keys.join(', ')}, s.how FROM pg_temp.${sqlIdent(node.selectionTable)} s JOIN ${fromSql(node)} x ON ${on} ORDER BY ${order}, s.how`,
  );
  const byKey = new Map<string, { key: Record<string, string>; found: HowFound[] }>();
  for (const row of rows) {
    const key = Object.fromEntries(keyColumns.map((c, i) => [c, row[`k${i}`] as string]));
    const id = JSON.stringify(keyColumns.map((_, i) => row[`k${i}`]));
    const entry = byKey.get(id) ?? { key, found: [] };
    entry.found.push(hows[row['how'] as number]!);
    byKey.set(id, entry);
  }
  return { table: node.key, keyColumns, stableKey: pk !== undefined, rows: [...byKey.values()] };
}
