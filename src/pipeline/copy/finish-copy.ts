import { readSequences, SEQUENCES_PER_QUERY, type SequenceState } from '../../catalog/read-sequences.js';
import type { Session } from '../../db/connection.js';
import { finishShadows, ShadowBuildError, shadowBytes } from '../swap/build-shadows.js';
import { swapIn } from '../swap/swap-in.js';
import type { ConfirmedCopy } from './connect-and-confirm.js';
import type { CopyRun } from './copy-run.js';
import { verifyForeignKeys } from './verify-foreign-keys.js';

/**
 * The last phases, once every table's rows are in. `--schema create`: the rest of the post-data
 * section (what is left of the indexes and keys, then triggers and the rest); `--schema
 * existing`: proves every foreign key the source holds; `--swap`: builds the shadows' keys,
 * indexes and the rest, and swaps them in. Sequences continue after the copied rows (with
 * `--swap`, inside the swap), materialized views are refreshed, and the source's snapshot is let go.
 */
export async function finishCopy(run: CopyRun, copy: ConfirmedCopy): Promise<void> {
  const { progress } = run.options;
  const { source, target, prepared, inspected } = copy;
  if (run.swap) {
    await swapShadows(run, copy);
  } else {
    if (run.postData) {
      progress?.phase?.('post-data');
      await run.postData.finish();
    } else {
      progress?.phase?.('verify');
      // Checking keys and refreshing views compute for long without a byte moving: not watched.
      await target.unguarded(() =>
        verifyForeignKeys(
          target,
          prepared.plans.filter((p) => !p.skip),
          inspected.catalog,
        ),
      );
    }
    progress?.phase?.('sequences');
    await setSequences(target, await readSequences(source));
  }
  for (const view of prepared.catalog.views.filter((v) => v.materialized)) {
    await target.unguarded(() => target.query(`REFRESH MATERIALIZED VIEW ${view.sqlName}`));
  }
  await source.query('COMMIT');
}

/** `--swap`: the shadows' keys, indexes, triggers and the rest, `jobs` tables at a time; then the swap, sequences inside it. */
async function swapShadows(run: CopyRun, copy: ConfirmedCopy): Promise<void> {
  const { plan, leftovers } = run.swap!;
  const { source, target } = copy;
  run.options.progress?.phase?.('post-data');
  // Index and key builds compute for long without a byte moving: not watched.
  const sessions = await Promise.all(Array.from({ length: copy.jobs }, () => run.connect('target', { watched: false })));
  try {
    await finishShadows(sessions, plan);
  } catch (error) {
    if (error instanceof ShadowBuildError) run.failedTable ??= error.table;
    throw error;
  } finally {
    await Promise.all(sessions.map((s) => s.end()));
  }
  const bytes = await shadowBytes(target, plan);
  run.options.progress?.phase?.('swap');
  // The source's sequences are read before the swap takes its locks, and set inside it.
  const sequences = await readSequences(source);
  const result = await swapIn(target, plan, () => setSequences(target, sequences));
  run.swap!.swapped = true;
  run.report.swap = {
    tables: plan.relations.length,
    lockSeconds: Number(result.lockSeconds.toFixed(3)),
    lockAttempts: result.attempts,
    shadowBytes: bytes,
    views: plan.views.length,
    foreignKeys: plan.incoming.length,
    leftoversDropped: leftovers,
  };
  if (result.oldTablesLeft) {
    run.report.warnings.push({
      code: 'SWAP_OLD_TABLES_LEFT',
      message: 'the old tables could not be dropped after the swap (a reader held them for a minute): they stay in the pgmask_old_* schemas until the next run drops them',
    });
  }
  for (const key of result.keysNotValid) {
    run.report.warnings.push({
      code: 'SWAP_FOREIGN_KEY_NOT_VALID',
      message: `foreign key ${key} (a table not copied) points at rows the new tables do not hold: it is left NOT VALID`,
    });
  }
}

/** Sets every sequence on the target as the source has it: many a round trip. */
async function setSequences(target: Session, sequences: readonly SequenceState[]): Promise<void> {
  for (let from = 0; from < sequences.length; from += SEQUENCES_PER_QUERY) {
    const some = sequences.slice(from, from + SEQUENCES_PER_QUERY);
    const calls = some.map((_, i) => `pg_catalog.setval($${3 * i + 1}::regclass, $${3 * i + 2}, $${3 * i + 3})`);
    await target.query(
      `SELECT ${calls.join(', ')}`,
      some.flatMap((s) => [s.sqlName, s.lastValue, s.isCalled]),
    );
  }
}
