import { type Session, safeErrorMessage } from '../../db/connection.js';
import { PgmaskError } from '../../errors.js';
import { type SwapPlan, shadowName } from './swap-plan.js';

/** How long the swap waits for its locks before it lets readers through and tries again. */
export const SWAP_LOCK_TIMEOUT_MS = 2000;
/** Attempts at taking the locks before the run fails, the target unchanged. */
export const SWAP_LOCK_ATTEMPTS = 15;

/** What the swap did. */
export interface SwapResult {
  /** Seconds from holding the locks to the commit: how long readers of the swapped tables waited at most. */
  readonly lockSeconds: number;
  /** Attempts it took to get the locks. */
  readonly attempts: number;
  /** Foreign keys of tables the run does not copy that the new rows do not satisfy: left `NOT VALID`. */
  readonly keysNotValid: readonly string[];
}

/**
 * Swaps the shadows in, in one transaction: takes every swapped table's lock (waiting at most
 * `SWAP_LOCK_TIMEOUT_MS` at a time, so that readers queued behind the swap are not held up for
 * longer, and trying again), moves the real tables out to `pgmask_old_*` and the shadows in
 * under their names, gives serial sequences, views and other tables' foreign keys over to the
 * new tables, runs `inside` (the sequences), drops the old tables and the empty schemas, and
 * commits. Readers see the old rows until the commit and the new ones after it. Any failure, or
 * the connection lost, rolls all of it back: the target is as it was. The other tables' foreign
 * keys are then checked again outside the locks.
 */
export async function swapIn(target: Session, plan: SwapPlan, inside: () => Promise<void>): Promise<SwapResult> {
  const roots = plan.relations.filter((r) => r.parent === undefined);
  const referencing = [...new Set(plan.incoming.map((k) => k.table))];
  const locks = `LOCK TABLE ${[...roots.map((r) => r.sqlName), ...referencing].join(', ')} IN ACCESS EXCLUSIVE MODE`;
  let attempts = 0;
  let locked = 0;
  for (;;) {
    attempts++;
    await target.query(`BEGIN; SET LOCAL lock_timeout = ${SWAP_LOCK_TIMEOUT_MS}`);
    try {
      await target.query(locks);
      locked = performance.now();
      break;
    } catch (error) {
      await target.query('ROLLBACK');
      if ((error as { code?: string }).code !== '55P03' || attempts >= SWAP_LOCK_ATTEMPTS) {
        throw new PgmaskError(
          'SWAP_LOCK',
          `the swap could not lock the tables it replaces (${safeErrorMessage(error)}) after ${attempts} attempt(s) of ${SWAP_LOCK_TIMEOUT_MS / 1000} s: a long transaction holds one; the target is unchanged`,
        );
      }
    }
  }
  try {
    const schemas = (pick: (r: (typeof plan.relations)[number]) => string): string[] => [...new Set(plan.relations.map(pick))];
    const statements = [
      ...plan.incoming.map((k) => `ALTER TABLE ${k.table} DROP CONSTRAINT ${k.name}`),
      ...plan.serials.map((s) => `ALTER SEQUENCE ${s.sequence} OWNED BY NONE`),
      ...schemas((r) => r.oldSchema).map((s) => `CREATE SCHEMA ${s}`),
      ...plan.relations.map((r) => `ALTER TABLE ${r.sqlName} SET SCHEMA ${r.oldSchema}`),
      ...plan.relations.map((r) => `ALTER TABLE ${shadowName(r)} SET SCHEMA ${r.schema}`),
      ...plan.serials.map((s) => `ALTER SEQUENCE ${s.sequence} OWNED BY ${s.table}.${s.column}`),
      ...plan.views,
      ...plan.incoming.map((k) => `ALTER TABLE ${k.table} ADD CONSTRAINT ${k.name} ${k.definition}${k.validated && !k.partitioned ? ' NOT VALID' : ''}`),
    ];
    await target.query(statements.join(';\n'));
    await inside();
    // Plain DROPs: whatever still depended on an old table would fail the swap, not be dropped with it.
    await target.query(
      [
        `DROP TABLE ${roots.map((r) => `${r.oldSchema}.${r.name}`).join(', ')}`,
        `DROP SCHEMA ${[...schemas((r) => r.oldSchema), ...schemas((r) => r.shadowSchema)].join(', ')}`,
      ].join(';\n'),
    );
    await target.query('COMMIT');
  } catch (error) {
    await target.query('ROLLBACK').catch(() => {});
    throw new PgmaskError('SWAP', `the swap failed and was rolled back, the target unchanged: ${safeErrorMessage(error)}`, undefined, { cause: error });
  }
  const lockSeconds = (performance.now() - locked) / 1000;
  const keysNotValid: string[] = [];
  for (const key of plan.incoming.filter((k) => k.validated && !k.partitioned)) {
    try {
      // A check of a big table computes for long without a byte moving: not watched.
      await target.unguarded(() => target.query(`ALTER TABLE ${key.table} VALIDATE CONSTRAINT ${key.name}`));
    } catch {
      keysNotValid.push(`${key.table}.${key.name}`);
    }
  }
  return { lockSeconds, attempts, keysNotValid };
}
