import type { Session } from '../../db/connection.js';
import { PgmaskError } from '../../errors.js';

/** Shadow tables are built in `pgmask_shadow_<oid of the real table's schema>`, so that names stay as they are. */
export const SHADOW_SCHEMA_PREFIX = 'pgmask_shadow_';
/** In the swap the real tables leave for `pgmask_old_<schema oid>`, and are dropped there. */
export const OLD_SCHEMA_PREFIX = 'pgmask_old_';

/** The advisory lock a swapping run holds on the target for as long as it runs (the key's two halves). */
const SWAP_LOCK = [0x70676d61, 0x73776170] as const;

/**
 * Takes the target's swap lock for the life of `session` (it goes when the connection goes,
 * a killed run's too): two runs never build or swap shadows at once.
 */
export async function lockTargetForSwap(session: Session): Promise<void> {
  const [row] = await session.query<{ locked: boolean }>('SELECT pg_catalog.pg_try_advisory_lock($1, $2) AS locked', [...SWAP_LOCK]);
  if (!row?.locked) throw new PgmaskError('SWAP_BUSY', 'another pgmask copy --swap is running on the target database: try again when it has finished');
}

/**
 * Drops every shadow and old-table schema on the target, with what they hold: what an earlier
 * run left when it was killed, or this run's own after a failure. Only under the swap lock.
 * Returns how many schemas it dropped.
 */
export async function dropShadows(session: Session): Promise<number> {
  const schemas = await session.query<{ name: string }>(
    `SELECT pg_catalog.quote_ident(nspname) AS name FROM pg_catalog.pg_namespace
      WHERE nspname ~ ('^(' || $1 || '|' || $2 || ')[0-9]+$') ORDER BY nspname`,
    [SHADOW_SCHEMA_PREFIX, OLD_SCHEMA_PREFIX],
  );
  if (schemas.length) await session.query(`DROP SCHEMA ${schemas.map((s) => s.name).join(', ')} CASCADE`);
  return schemas.length;
}
