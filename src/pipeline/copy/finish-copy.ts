import { readSequences, SEQUENCES_PER_QUERY } from '../../catalog/read-sequences.js';
import type { ConfirmedCopy } from './connect-and-confirm.js';
import type { CopyRun } from './copy-run.js';
import { verifyForeignKeys } from './verify-foreign-keys.js';

/**
 * The last phases, once every table's rows are in. `--schema create`: the rest of the post-data
 * section (what is left of the indexes and keys, then triggers and the rest); `--schema
 * existing`: proves every foreign key the source holds. Then sequences continue after the
 * copied rows, materialized views are refreshed, and the source's snapshot is let go.
 */
export async function finishCopy(run: CopyRun, copy: ConfirmedCopy): Promise<void> {
  const { progress } = run.options;
  const { source, target, prepared, inspected } = copy;
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
  const sequences = await readSequences(source);
  for (let from = 0; from < sequences.length; from += SEQUENCES_PER_QUERY) {
    const some = sequences.slice(from, from + SEQUENCES_PER_QUERY);
    const calls = some.map((_, i) => `pg_catalog.setval($${3 * i + 1}::regclass, $${3 * i + 2}, $${3 * i + 3})`);
    await target.query(
      `SELECT ${calls.join(', ')}`,
      some.flatMap((s) => [s.sqlName, s.lastValue, s.isCalled]),
    );
  }
  for (const view of prepared.catalog.views.filter((v) => v.materialized)) {
    await target.unguarded(() => target.query(`REFRESH MATERIALIZED VIEW ${view.sqlName}`));
  }
  await source.query('COMMIT');
}
