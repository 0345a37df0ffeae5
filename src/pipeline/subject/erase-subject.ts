import type { Rules, SubjectPolicy } from '../../config/rules.js';
import { type Session, safeErrorMessage } from '../../db/connection.js';
import { ExitCode, PgmaskError } from '../../errors.js';
import { createMaskingSession } from '../../masking/masking-session.js';
import type { MaskableRow } from '../../masking/row-masker.js';
import { tableMasker } from '../../masking/table-masker.js';
import type { MaskingKey } from '../../random/key.js';
import { brokenKeyError, type ErasurePlan, planErasure } from '../../subject/erasure-plan.js';
import { deleteStatements, maskReadSql, referencingRowsSql, updateStatement } from '../../subject/erasure-sql.js';
import type { SubjectSelection, SubjectTable } from '../../subject/find-subject-rows.js';
import { SubjectError } from '../../subject/subject-error.js';
import type { ReferenceGraph } from '../../subset/reference-graph.js';
import type { RuleSpec } from '../../transformers/transformer.js';
import { type FindSubjectOptions, type SubjectFindings, searchSubject } from './find-subject.js';

/** Options of `eraseSubject`. */
export interface EraseSubjectOptions extends FindSubjectOptions {
  /** Run the erasure (one transaction, the one that found the rows); otherwise nothing changes. */
  readonly execute: boolean;
  /** Build the statements (for `--script`) even without `execute`: masked values need the key then. */
  readonly statements: boolean;
  /** The masking key, asked for only when rows are masked and statements are built. */
  readonly key: () => MaskingKey;
  /** Folder of the Skatteverket test lists, as for copy. */
  readonly testdataDir?: string | undefined;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** One table of an erasure: its policy and its rows, deleted, masked or retained. */
export interface ErasedTable {
  readonly table: string;
  readonly policy: SubjectPolicy;
  /** Rows of the person found in the table. */
  readonly found: number;
  readonly deleted: number;
  readonly masked: number;
  readonly retained: number;
}

/** What `eraseSubject` planned and, with `execute`, did. Counts only: no value and no key. */
export interface SubjectErasure {
  readonly findings: SubjectFindings;
  readonly executed: boolean;
  /** Per table with rows of the person, in catalog order. With `execute`: the rows each statement changed. */
  readonly tables: readonly ErasedTable[];
  /** The statements, in order (deletes children before parents, then updates), without BEGIN/COMMIT; empty unless built. */
  readonly statements: readonly string[];
}

/** The columns a mask rewrites: those the table's rules mask (not `keep`), that the table holds and are not generated. */
function maskedColumns(rules: Rules, graph: ReferenceGraph, table: string): Map<string, RuleSpec> {
  const node = graph.nodes.get(table)!;
  const rule = rules.tables.get(table);
  const masked = new Map<string, RuleSpec>();
  for (const column of node.table.columns) {
    const columnRule = rule?.columns.get(column.name);
    if (!columnRule || columnRule.transform === 'keep' || column.generated) continue;
    masked.set(column.name, { transform: columnRule.transform, options: columnRule.options, unique: columnRule.unique, ...(columnRule.scope ? { scope: columnRule.scope } : {}) });
  }
  return masked;
}

/** Refuses a plan whose deletes would leave a row referencing a deleted row through a foreign key. */
async function checkReferences(session: Session, graph: ReferenceGraph, selection: SubjectSelection, plan: ErasurePlan): Promise<void> {
  const policies = new Map(plan.tables.map((t) => [t.table, t.policy]));
  for (const edge of plan.deleteEdges) {
    const parentSelection = selection.selectionTables.get(edge.parent)!;
    const childPolicy = policies.get(edge.child);
    const childSelection = childPolicy?.kind === 'delete' ? selection.selectionTables.get(edge.child) : undefined;
    const [row] = await session.query<{ n: number }>(referencingRowsSql(graph, edge, parentSelection, childSelection));
    if ((row?.n ?? 0) > 0) throw brokenKeyError(edge, row!.n, childSelection ? undefined : childPolicy);
  }
}

/** The UPDATE statements that mask a table's found rows with its own rules, as a copy with the same key would mask them. */
async function maskStatements(
  session: Session,
  graph: ReferenceGraph,
  found: SubjectTable,
  selectionTable: string,
  masked: ReadonlyMap<string, RuleSpec>,
  masking: ReturnType<typeof createMaskingSession>,
): Promise<string[]> {
  const node = graph.nodes.get(found.table)!;
  const columns = node.table.columns.filter((c) => !c.generated);
  const names = columns.map((c) => c.name);
  const masker = tableMasker({ key: found.table, columns, masked }, masking)!;
  const rows = await session.query<Record<string, string | null>>(maskReadSql(node, found, selectionTable, names));
  const keyCount = found.keyColumns.length;
  const statements: string[] = [];
  for (const [line, read] of rows.entries()) {
    const original = names.map((_, i) => read[`v${i}`] ?? null);
    const out = [...original];
    const row: MaskableRow = { line: line + 1, get: (i) => out[i] ?? null, original: (i) => original[i] ?? null, set: (i, v) => void (out[i] = v) };
    masker.mask(row);
    const key = Object.fromEntries(found.keyColumns.map((c, i) => [c, read[`k${i}`] as string]));
    if (Object.keys(key).length !== keyCount) throw new SubjectError('SUBJECT_ERASE', `subject erase: the rows of ${found.table} could not be named by their key (a bug)`);
    const set = masker.columns.map((c) => [c.name, out[c.index] ?? null] as const);
    statements.push(updateStatement(node, found, { key, found: [] }, set));
  }
  return statements;
}

/**
 * Erases one person's rows (`pgmask subject erase`): finds them as `findSubject` does, then, in
 * the same transaction, plans what each table's `subject:` policy says (fail closed: a table
 * with rows and no policy, a cycle of foreign keys between deleted tables, or a row that stays
 * and references a row to be deleted is an error and nothing changes), and builds the
 * statements: DELETEs by key, children before parents; UPDATEs that rewrite the masked columns
 * with the table's own rules and the run's key. With `execute` they run there and the
 * transaction commits; any failure rolls all of it back. Otherwise it is rolled back.
 *
 * @throws {SubjectError} for a plan that cannot be carried out (exit code 1), or an erasure that failed and was rolled back (exit code 3).
 * @example
 * const erasure = await eraseSubject({ source, rules, identifier, execute: false, statements: true, key: () => loadKey({ env: process.env }) });
 */
export async function eraseSubject(options: EraseSubjectOptions): Promise<SubjectErasure> {
  const { rules } = options;
  const build = options.execute || options.statements;
  const { findings, read } = await searchSubject(
    options,
    async (session, graph, selection) => {
      const plan = planErasure(graph, selection.tables, (table) => rules.tables.get(table)?.subject);
      await checkReferences(session, graph, selection, plan);
      const masks = new Map<string, Map<string, RuleSpec>>();
      for (const t of plan.tables) {
        if (t.policy.kind !== 'mask') continue;
        const masked = maskedColumns(rules, graph, t.table);
        if (masked.size === 0) {
          throw new SubjectError(
            'SUBJECT_NOTHING_TO_MASK',
            `subject erase: table ${t.table} has subject: mask, but its rules mask none of its columns; give its personal columns rules under columns:, or choose delete. Nothing was changed`,
          );
        }
        masks.set(t.table, masked);
      }
      const statements: { table: string; sql: string }[] = [];
      if (build) {
        const byTable = new Map(plan.tables.map((t) => [t.table, t]));
        for (const table of plan.deleteOrder) {
          for (const sql of deleteStatements(graph.nodes.get(table)!, byTable.get(table)!.found)) statements.push({ table, sql });
        }
        if (masks.size > 0) {
          const masking = createMaskingSession({ key: options.key(), testdataDir: options.testdataDir, env: options.env ?? process.env });
          for (const [table, masked] of masks) {
            for (const sql of await maskStatements(session, graph, byTable.get(table)!.found, selection.selectionTables.get(table)!, masked, masking))
              statements.push({ table, sql });
          }
        }
      }
      const changed = new Map<string, number>();
      if (options.execute) {
        try {
          for (const { table, sql } of statements) {
            const [row] = await session.query<{ n: number }>(`WITH changed AS (${sql.slice(0, -1)} RETURNING 1) SELECT count(*)::int AS n FROM changed`);
            changed.set(table, (changed.get(table) ?? 0) + (row?.n ?? 0));
          }
        } catch (error) {
          if (error instanceof PgmaskError) throw error;
          throw new SubjectError('SUBJECT_ERASE_FAILED', `subject erase failed and was rolled back, nothing changed: ${safeErrorMessage(error)}`, ExitCode.runtime);
        }
      }
      const tables = plan.tables.map((t): ErasedTable => {
        const found = t.found.rows.length;
        const done = options.execute ? (changed.get(t.table) ?? 0) : found;
        return {
          table: t.table,
          policy: t.policy,
          found,
          deleted: t.policy.kind === 'delete' ? done : 0,
          masked: t.policy.kind === 'mask' ? done : 0,
          retained: t.policy.kind === 'retain' ? found : 0,
        };
      });
      return { tables, statements: statements.map((s) => s.sql) };
    },
    () => options.execute,
  );
  return { findings, executed: options.execute, tables: read.tables, statements: read.statements };
}
