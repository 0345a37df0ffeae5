import { Session } from '../../db/connection.js';
import { dropShadows } from '../swap/shadow-schemas.js';

/**
 * After a failed `--schema create` run: drops the tables it made, so that no table holds part
 * of its rows and a rerun starts afresh. Best effort: the target may be what failed. Returns
 * whether they were dropped.
 */
export async function dropTables(connection: string | undefined, tables: readonly string[]): Promise<boolean> {
  const target = await Session.connect(connection, 'target').catch(() => undefined);
  if (!target) return false;
  try {
    await target.query(`DROP TABLE IF EXISTS ${tables.join(', ')} CASCADE`);
    return true;
  } catch {
    // Left for the rerun, which drops them with --schema create --yes.
    return false;
  } finally {
    await target.end();
  }
}

/**
 * After a failed `--schema existing` run: empties the tables it reports failed that hold rows.
 * A table read in block ranges keeps the ranges that committed before another range failed;
 * no table may be left holding part of its rows. Best effort: the target may be what failed.
 * TRUNCATE refuses a table other tables reference; DELETE (triggers off) then does it.
 */
export async function emptyTables(connection: string | undefined, tables: readonly string[]): Promise<boolean> {
  const target = await Session.connect(connection, 'target').catch(() => undefined);
  if (!target) return false;
  try {
    await target.query(`TRUNCATE ${tables.join(', ')}`);
    return true;
  } catch {
    try {
      await target.query('SET session_replication_role = replica');
      for (const table of tables) await target.query(`DELETE FROM ${table}`);
      return true;
    } catch {
      return false;
    }
  } finally {
    await target.end();
  }
}

/**
 * After a failed `--swap` run, before its swap committed: drops the shadows, over the run's own
 * target connection (which holds the swap lock) or, when that one is gone, a new one. Best
 * effort: what is left, the next run drops before it begins.
 */
export async function removeShadows(session: Session | undefined, connection: string | undefined): Promise<boolean> {
  try {
    if (session) {
      await session.query('ROLLBACK');
      await dropShadows(session);
      return true;
    }
  } catch {
    // The run's connection is what failed: a new one below.
  }
  const target = await Session.connect(connection, 'target').catch(() => undefined);
  if (!target) return false;
  try {
    await dropShadows(target);
    return true;
  } catch {
    return false;
  } finally {
    await target.end();
  }
}
