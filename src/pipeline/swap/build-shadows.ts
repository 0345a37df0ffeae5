import pLimit from 'p-limit';
import { type Session, safeErrorMessage } from '../../db/connection.js';
import { retryingDeadlocks } from '../../db/retrying-deadlocks.js';
import { PgmaskError } from '../../errors.js';
import { type SwapPlan, type SwapRelation, type SwapStatement, shadowSql } from './swap-plan.js';

/** Statements sent to the server in one round trip. */
const STATEMENTS_PER_QUERY = 100;

/** A statement of the shadow build failed: `table` names the real table it was building the shadow of. */
export class ShadowBuildError extends PgmaskError {
  constructor(
    readonly table: string,
    cause: unknown,
  ) {
    super('SWAP_SHADOW', `table ${table}: building its shadow failed: ${safeErrorMessage(cause)}`, undefined, { cause });
  }
}

/** Creates the shadow schemas and the empty shadow of every relation, roots before their partitions: a round trip per hundred. */
export async function createShadows(target: Session, plan: SwapPlan): Promise<void> {
  const schemas = [...new Set(plan.relations.map((r) => r.shadowSchema))];
  await target.query(schemas.map((s) => `CREATE SCHEMA ${s}`).join('; '));
  await runBatched(
    target,
    plan.relations.map((r) => ({ relation: r, sql: shadowSql(r.create, r) })),
  );
}

/**
 * Builds on the shadows, once their rows are in, what the real tables have: primary keys,
 * unique and exclusion constraints and indexes (a partition tree's partitions before its root,
 * whose own then take theirs in), then foreign keys, then triggers, row security, grants,
 * owner, comments and options, and ANALYZE. Each step `jobs` trees at a time over `sessions`,
 * a tree's statements a round trip per hundred.
 */
export async function finishShadows(sessions: readonly Session[], plan: SwapPlan): Promise<void> {
  const trees = treesOf(plan.relations);
  const step = async (statements: (r: SwapRelation) => readonly SwapStatement[], order: 'leaves first' | 'roots first'): Promise<void> => {
    const idle = [...sessions];
    const limit = pLimit(sessions.length);
    await Promise.all(
      trees.map((tree) =>
        limit(async () => {
          const session = idle.pop()!;
          try {
            const members = order === 'leaves first' ? [...tree].reverse() : tree;
            await runBatched(
              session,
              members.flatMap((r) => statements(r).map((s) => ({ relation: r, sql: shadowSql(s, r) }))),
            );
          } finally {
            idle.push(session);
          }
        }),
      ),
    );
  };
  await step((r) => r.keys, 'leaves first');
  await step((r) => r.foreignKeys, 'roots first');
  await step((r) => r.rest, 'roots first');
}

/** Bytes the shadows take on the target (tables, indexes, TOAST): the extra disk the swap needs while both copies exist. */
export async function shadowBytes(target: Session, plan: SwapPlan): Promise<number> {
  const [row] = await target.query<{ bytes: string | null }>(
    'SELECT sum(pg_catalog.pg_total_relation_size(pg_catalog.to_regclass(name)))::text AS bytes FROM unnest($1::text[]) AS name',
    [plan.relations.map((r) => `${r.shadowSchema}.${r.name}`)],
  );
  return Number(row?.bytes ?? 0);
}

/** The relations by partition tree (a plain table is a tree of one), each tree's roots before its partitions. */
function treesOf(relations: readonly SwapRelation[]): SwapRelation[][] {
  const trees = new Map<number, SwapRelation[]>();
  const rootOf = new Map<number, number>();
  for (const r of relations) {
    const root = r.parent === undefined ? r.oid : rootOf.get(r.parent)!;
    rootOf.set(r.oid, root);
    trees.set(root, [...(trees.get(root) ?? []), r]);
  }
  return [...trees.values()];
}

/** Runs the statements in order, a hundred a round trip; a failure names the table whose shadow the failing batch was building. */
async function runBatched(session: Session, statements: readonly { relation: SwapRelation; sql: string }[]): Promise<void> {
  for (let from = 0; from < statements.length; from += STATEMENTS_PER_QUERY) {
    const some = statements.slice(from, from + STATEMENTS_PER_QUERY);
    try {
      // One implicit transaction: a deadlock with another session's foreign keys rolls it back whole.
      await retryingDeadlocks(() => session.query(some.map((s) => s.sql).join(';\n')));
    } catch (error) {
      // Which statement of the batch failed: each again, alone, until one fails (all or none of a failed batch was applied).
      const failed = some.length === 1 ? some[0]! : await firstFailing(session, some);
      throw new ShadowBuildError(failed.relation.key, error);
    }
  }
}

/** Runs the statements one at a time, returning the first that fails (the batch they came from failed as a whole). */
async function firstFailing(session: Session, statements: readonly { relation: SwapRelation; sql: string }[]): Promise<{ relation: SwapRelation; sql: string }> {
  for (const s of statements) {
    try {
      await session.query(s.sql);
    } catch {
      return s;
    }
  }
  return statements[0]!;
}
