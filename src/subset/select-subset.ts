import { performance } from 'node:perf_hooks';
import { sqlTableName } from '../catalog/names.js';
import type { Session } from '../db/connection.js';
import { ExitCode } from '../errors.js';
import { childStepSql, createSelectionSql, parentStepSql, referencesAnySql, rootCountSql, rootSql, selectionTableSql, wholeSql } from './closure-sql.js';
import type { ReferenceEdge, ReferenceGraph, SubsetNode } from './reference-graph.js';
import { SubsetError } from './subset-error.js';

/** Options of `selectSubset`. */
export interface SelectSubsetOptions {
  /** Tables whose planner estimate (reltuples) is below this are counted with count(*); others keep the estimate. Default 1,000,000. */
  readonly exactCountBelow?: number;
  /** Called after each round of the closure with the rows it added (or upgraded to followed downwards). */
  readonly onRound?: (round: number, changedRows: number) => void;
  /**
   * From how many source rows a step reads them by `ctid IN (...)` over an analyzed selection
   * (the planner hashes) rather than by a Tid Scan of an array (the planner guesses 10 rows and
   * probes indexes per row). Default 50,000.
   */
  readonly largeFrom?: number;
  /** Called after each closure statement: what it did, to which node, the rows it added (or upgraded), its time. */
  readonly onStatement?: (statement: ClosureStatement) => void;
}

/** One statement of the closure, for progress and timing. */
export interface ClosureStatement {
  readonly kind: 'root' | 'whole' | 'parents' | 'children';
  /** The node the statement adds rows to. */
  readonly node: string;
  /** The edge followed (`parents`, `children`): its name and child table. */
  readonly edge: { readonly name: string; readonly child: string } | undefined;
  readonly rows: number;
  /** Whether the step read its source rows as many (`largeFrom`). */
  readonly large: boolean;
  readonly milliseconds: number;
}

/** What the subset holds of one node. */
export interface NodeSelection {
  /** The node's table key. */
  readonly table: string;
  readonly selectedRows: number;
  /** The table's rows: count(*) when `totalRowsExact`, else the planner's estimate. */
  readonly totalRows: number;
  readonly totalRowsExact: boolean;
  /** pg_total_relation_size of the selection's temporary table, in bytes. */
  readonly selectionBytes: number;
}

/** The selected rows of every node, held in temporary tables of the session's transaction (dropped at its end). */
export interface SubsetSelection {
  readonly graph: ReferenceGraph;
  /** By node key, in the graph's order. */
  readonly nodes: ReadonlyMap<string, NodeSelection>;
  /** Rounds of the closure until one added nothing (that last round included). */
  readonly rounds: number;
  /** Closure statements run (roots, whole tables and steps). */
  readonly statements: number;
}

/**
 * Selects a referentially complete subset inside the source server, in the session's current
 * transaction (REPEATABLE READ, the run's snapshot imported; READ WRITE, for temporary tables).
 * Every node gets a temporary table (ON COMMIT DROP) of the ctids of its selected rows; then the
 * transaction is made READ ONLY (temporary tables stay writable), so that no predicate of the
 * rules can write to the source. Roots
 * and whole tables are selected first (followed downwards), then rounds follow every edge
 * upwards (except `nulled` ones) and every `down` edge downwards from the rows added since the
 * step last ran, until a round adds nothing. No key leaves the server.
 *
 * @throws SubsetError (exit code 3) when a selected row references an `empty` table through an edge that is not nulled.
 */
export async function selectSubset(session: Session, graph: ReferenceGraph, options: SelectSubsetOptions = {}): Promise<SubsetSelection> {
  const nodes = [...graph.nodes.values()];
  if (nodes.length > 0) await session.query(nodes.map(createSelectionSql).join('; '));
  // From here on the transaction writes to its temporary tables only: a `where:` that would
  // write to the source (through a function) fails.
  await session.query('SET TRANSACTION READ ONLY');

  let stamp = 0;
  let statements = 0;
  const largeFrom = options.largeFrom ?? 50_000;
  /** Per node, the stamps that added (or upgraded) rows and how many, in order. */
  const changes = new Map<string, { stamp: number; rows: number }[]>();
  /** Per node, the stamp of its last ANALYZE. */
  const analyzed = new Map<string, number>();
  const lastChange = (node: string): number => changes.get(node)?.at(-1)?.stamp ?? 0;
  const rowsSince = (node: string, seen: number): number => (changes.get(node) ?? []).reduce((sum, c) => sum + (c.stamp > seen ? c.rows : 0), 0);
  const run = async (sql: string, node: string, params: readonly unknown[], what: Omit<ClosureStatement, 'node' | 'rows' | 'milliseconds'>): Promise<number> => {
    stamp++;
    statements++;
    const started = performance.now();
    const [row] = await session.query<{ n: number }>(sql, [stamp, ...params]);
    const n = row?.n ?? 0;
    if (n > 0) changes.set(node, [...(changes.get(node) ?? []), { stamp, rows: n }]);
    options.onStatement?.({ ...what, node, rows: n, milliseconds: performance.now() - started });
    return n;
  };

  for (const root of graph.roots) {
    const node = graph.nodes.get(root.node)!;
    let limit = root.limit;
    if (root.percent !== undefined) {
      const [count] = await session.query<{ n: string }>(rootCountSql(root, node));
      limit = Math.ceil((Number(count?.n ?? 0) * root.percent) / 100);
    }
    await run(rootSql(root, node, limit !== undefined), node.key, limit !== undefined ? [limit] : [], { kind: 'root', edge: undefined, large: false });
  }
  for (const node of nodes) if (node.role === 'whole') await run(wholeSql(node), node.key, [], { kind: 'whole', edge: undefined, large: false });

  const usable = (edge: ReferenceEdge): boolean => graph.nodes.get(edge.child)?.role !== 'empty' && graph.nodes.get(edge.parent)?.role !== 'empty';
  const steps = [
    ...graph.edges
      .filter((e) => !e.nulled && usable(e))
      .map((edge) => ({ edge, kind: 'parents' as const, sql: (large: boolean) => parentStepSql(graph, edge, large), from: edge.child, to: edge.parent, seen: 0 })),
    ...graph.edges
      .filter((e) => e.down && usable(e))
      .map((edge) => ({ edge, kind: 'children' as const, sql: (large: boolean) => childStepSql(graph, edge, large), from: edge.parent, to: edge.child, seen: 0 })),
  ];
  let rounds = 0;
  for (;;) {
    rounds++;
    let changed = 0;
    for (const step of steps) {
      if (lastChange(step.from) <= step.seen) continue;
      const seen = step.seen;
      const large = rowsSince(step.from, seen) >= largeFrom;
      if (large && (analyzed.get(step.from) ?? 0) < lastChange(step.from)) {
        await session.query(`ANALYZE ${selectionTableSql(graph.nodes.get(step.from)!)}`);
        analyzed.set(step.from, lastChange(step.from));
      }
      step.seen = stamp; // rows stamped up to now are followed by this statement; its own (a self-reference) by the next
      changed += await run(step.sql(large), step.to, [seen], { kind: step.kind, edge: { name: step.edge.name, child: step.edge.child }, large });
    }
    options.onRound?.(rounds, changed);
    if (changed === 0) break;
  }

  for (const edge of graph.edges) {
    if (edge.nulled || graph.nodes.get(edge.parent)?.role !== 'empty' || graph.nodes.get(edge.child)?.role === 'empty') continue;
    const [row] = await session.query<{ found: boolean }>(referencesAnySql(graph, edge));
    if (row?.found) {
      throw new SubsetError(
        'SUBSET_EMPTY_REFERENCED',
        `subset: selected rows of ${edge.child} reference ${edge.parent}, which is listed under empty, through ${edge.kind === 'virtual' ? 'virtual key' : 'foreign key'} ${edge.name} (${edge.columns.join(', ')}); add the key to null_outside or take ${edge.parent} out of empty`,
        ExitCode.runtime,
      );
    }
  }

  return { graph, nodes: await measure(session, nodes, options.exactCountBelow ?? 1_000_000), rounds, statements };
}

async function measure(session: Session, nodes: readonly SubsetNode[], exactCountBelow: number): Promise<Map<string, NodeSelection>> {
  const result = new Map<string, NodeSelection>();
  if (nodes.length === 0) return result;
  const estimateOf = (node: SubsetNode): number => {
    const tables = node.partitioned ? node.leaves : [node.table];
    return tables.some((t) => t.rowEstimate < 0) ? -1 : tables.reduce((sum, t) => sum + t.rowEstimate, 0);
  };
  const parts = nodes.map((node, i) => {
    const estimate = estimateOf(node);
    const exact = estimate < exactCountBelow;
    const total = exact ? `(SELECT count(*) FROM ${node.partitioned ? '' : 'ONLY '}${sqlTableName(node.table.schema, node.table.name)})` : `${Math.round(estimate)}`;
    return `SELECT ${i} AS i, (SELECT count(*) FROM ${selectionTableSql(node)})::int8::text AS selected, ${total}::int8::text AS total, ${exact} AS exact, pg_catalog.pg_total_relation_size('${selectionTableSql(node)}'::regclass)::int8::text AS bytes`;
  });
  const rows = await session.query<{ i: number; selected: string; total: string; exact: boolean; bytes: string }>(parts.join(' UNION ALL '));
  for (const row of rows.sort((a, b) => a.i - b.i)) {
    const node = nodes[row.i]!;
    result.set(node.key, { table: node.key, selectedRows: Number(row.selected), totalRows: Number(row.total), totalRowsExact: row.exact, selectionBytes: Number(row.bytes) });
  }
  return result;
}
