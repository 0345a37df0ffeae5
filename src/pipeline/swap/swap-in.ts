import { type Session, safeErrorMessage } from '../../db/connection.js';
import { PgmaskError } from '../../errors.js';
import { dependentsSql } from './dependents-sql.js';
import { type SwapPlan, type SwapRelation, shadowName } from './swap-plan.js';

/** How long the swap waits for a lock before it lets readers through and tries again. */
export const SWAP_LOCK_TIMEOUT_MS = 2000;
/** Attempts at the swap before the run fails, the target unchanged. */
export const SWAP_LOCK_ATTEMPTS = 15;

/** What the swap did. */
export interface SwapResult {
  /** Seconds from holding the locks to the commit: how long readers of the swapped tables waited at most. */
  readonly lockSeconds: number;
  /** Attempts it took. */
  readonly attempts: number;
  /** Foreign keys of tables the run does not copy that the new rows do not satisfy: left `NOT VALID`. */
  readonly keysNotValid: readonly string[];
  /** Whether the old tables could not be dropped after the swap (a reader held them for a minute): the next run drops them. */
  readonly oldTablesLeft: boolean;
}

/** How long dropping the old tables after the swap waits for readers that still read them. */
const DROP_LOCK_TIMEOUT_MS = 60_000;

/** A lock not had in time (55P03) or a deadlock with a reader (40P01): the swap rolls back and tries again. */
const RETRIED = new Set(['55P03', '40P01']);

/**
 * Swaps the shadows in, in one transaction: locks every swapped table, the views over them and
 * the other tables whose foreign keys move; moves the real tables out to `pgmask_old_*` and the
 * shadows in under their names; gives serial sequences, views and the other tables' foreign
 * keys over to the new tables; runs `inside` (the sequences); makes sure nothing depends on the
 * old tables any more (`dependentsSql`); drops the empty shadow schemas; commits. Readers see
 * the old rows until the commit and the new ones after it. Then, outside the locks (deleting
 * their files takes seconds for hundreds of tables), the old tables are dropped.
 * No lock is waited for longer than `SWAP_LOCK_TIMEOUT_MS`, so that readers queued behind the
 * swap are not held up for longer: it rolls back and tries again, up to `SWAP_LOCK_ATTEMPTS`
 * times. Any failure, or the connection lost, rolls all of it back: the target is as it was. The
 * other tables' foreign keys are then checked again, outside the locks.
 */
export async function swapIn(target: Session, plan: SwapPlan, inside: () => Promise<void>): Promise<SwapResult> {
  const roots = plan.relations.filter((r) => r.parent === undefined);
  const referencing = [...new Set(plan.incoming.map((k) => k.table))];
  const lock = `LOCK TABLE ${[...roots.map((r) => r.sqlName), ...plan.views.map((v) => v.name), ...referencing].join(', ')} IN ACCESS EXCLUSIVE MODE`;
  const schemas = (pick: (r: SwapRelation) => string): string[] => [...new Set(plan.relations.map(pick))];
  const swap = [
    ...plan.incoming.map((k) => `ALTER TABLE ${k.table} DROP CONSTRAINT ${k.name}`),
    ...plan.serials.map((s) => `ALTER SEQUENCE ${s.sequence} OWNED BY NONE`),
    ...schemas((r) => r.oldSchema).map((s) => `CREATE SCHEMA ${s}`),
    ...plan.relations.map((r) => `ALTER TABLE ${r.sqlName} SET SCHEMA ${r.oldSchema}`),
    ...plan.relations.map((r) => `ALTER TABLE ${shadowName(r)} SET SCHEMA ${r.schema}`),
    ...plan.serials.map((s) => `ALTER SEQUENCE ${s.sequence} OWNED BY ${s.table}.${s.column}`),
    ...plan.views.map((v) => v.sql),
    ...plan.incoming.map((k) => `ALTER TABLE ${k.table} ADD CONSTRAINT ${k.name} ${k.definition}${k.validated && !k.partitioned ? ' NOT VALID' : ''}`),
  ].join(';\n');
  // Plain DROPs: whatever still depended on an old table would fail them, not be dropped with it.
  const dropOld = [`DROP TABLE ${roots.map((r) => `${r.oldSchema}.${r.name}`).join(', ')}`, `DROP SCHEMA ${schemas((r) => r.oldSchema).join(', ')}`].join(';\n');
  const oids = plan.relations.map((r) => r.oid);

  let lockSeconds = 0;
  let attempts = 0;
  for (;;) {
    attempts++;
    try {
      await target.query(`BEGIN; SET LOCAL lock_timeout = ${SWAP_LOCK_TIMEOUT_MS}`);
      await target.query(lock);
      const locked = performance.now();
      await target.query(swap);
      await inside();
      const left = await target.query<{ what: string; on_what: string }>(dependentsSql('left behind'), [oids]);
      if (left.length) throw new PgmaskError('SWAP_LEFT_BEHIND', `${left.map((l) => `${l.what} would go on reading ${l.on_what}`).join('; ')}`);
      await target.query(`DROP SCHEMA ${schemas((r) => r.shadowSchema).join(', ')}`);
      await target.query('COMMIT');
      lockSeconds = (performance.now() - locked) / 1000;
      break;
    } catch (error) {
      await target.query('ROLLBACK').catch(() => {});
      const code = (error as { code?: string }).code ?? '';
      if (RETRIED.has(code) && attempts < SWAP_LOCK_ATTEMPTS) continue;
      const why = RETRIED.has(code)
        ? `it could not lock the tables it replaces in ${attempts} attempts of ${SWAP_LOCK_TIMEOUT_MS / 1000} s (a long transaction holds one): ${safeErrorMessage(error)}`
        : safeErrorMessage(error);
      throw new PgmaskError('SWAP', `the swap was rolled back, the target unchanged: ${why}`, undefined, { cause: error });
    }
  }
  let oldTablesLeft = false;
  try {
    await target.unguarded(() => target.query(`BEGIN; SET LOCAL lock_timeout = ${DROP_LOCK_TIMEOUT_MS}; ${dropOld}; COMMIT`));
  } catch {
    await target.query('ROLLBACK').catch(() => {});
    oldTablesLeft = true;
  }
  const keysNotValid: string[] = [];
  for (const key of plan.incoming.filter((k) => k.validated && !k.partitioned)) {
    try {
      // A check of a big table computes for long without a byte moving: not watched.
      await target.unguarded(() => target.query(`ALTER TABLE ${key.table} VALIDATE CONSTRAINT ${key.name}`));
    } catch {
      keysNotValid.push(`${key.table}.${key.name}`);
    }
  }
  return { lockSeconds, attempts, keysNotValid, oldTablesLeft };
}
