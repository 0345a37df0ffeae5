import { readSequences } from '../../catalog/read-sequences.js';
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
    await verifyForeignKeys(
      target,
      prepared.plans.filter((p) => !p.skip),
      inspected.catalog,
    );
  }

  progress?.phase?.('sequences');
  for (const sequence of await readSequences(source)) {
    await target.query('SELECT pg_catalog.setval($1::regclass, $2, $3)', [sequence.sqlName, sequence.lastValue, sequence.isCalled]);
  }
  for (const view of prepared.catalog.views.filter((v) => v.materialized)) {
    await target.query(`REFRESH MATERIALIZED VIEW ${view.sqlName}`);
  }
  await source.query('COMMIT');
}
