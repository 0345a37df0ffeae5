import { tableKey } from '../../catalog/table-key.js';
import type { Table } from '../../catalog/types.js';
import { copySchemaSection, readSchemaSection } from '../../db/pg-tools.js';
import { PostDataBuilder } from '../post-data/post-data-builder.js';
import { splitPostData } from '../post-data/split-post-data.js';
import type { TablePlan } from '../run/table-plan.js';
import type { ConfirmedCopy } from './connect-and-confirm.js';
import type { CopyRun } from './copy-run.js';
import { makeShadows } from './make-shadows.js';

/**
 * Tables at most this large (pg_table_size on the source) are small to the post-data builder:
 * their indexes and keys go to the server with other small tables', and their foreign keys are
 * added and checked in one statement (the check takes a moment; a second round trip costs more).
 */
export const SMALL_TABLE_BYTES = 1024 * 1024;

/** Whether a table's rows go straight into it (a plain table, not a partition, not loaded through a root). */
const loadsItself = (plan: TablePlan): boolean => plan.table.kind === 'table' && plan.table.partitionOf === undefined && plan.loadInto === plan.table.sqlName;

/**
 * What `--schema existing` empties: each copied table alone (`ONLY`), and the partitioned tables
 * at the top of the copied partitions' trees, whole: a foreign key of a partitioned table belongs
 * to it, not to its partitions, and TRUNCATE wants every table that references a truncated one
 * in the same statement.
 */
function truncateList(copied: readonly TablePlan[], tables: readonly Table[]): string[] {
  const byKey = new Map(tables.map((t) => [tableKey(t.schema, t.name), t]));
  const list = new Set(copied.map((p) => `ONLY ${p.table.sqlName}`));
  for (const plan of copied) {
    let root: Table | undefined;
    for (let parent = plan.table.partitionOf, depth = 0; parent !== undefined && depth < 64; depth++) {
      root = byKey.get(parent);
      parent = root?.partitionOf;
    }
    if (root) list.add(root.sqlName);
  }
  return [...list];
}

/**
 * The schema phase. `--schema create`: drops an earlier copy's tables, makes the schema from
 * pg_dump's pre-data section, and readies the post-data section to build each table's indexes
 * and keys as soon as its rows are in. `--schema existing`: empties the copied tables, or with
 * `--swap` makes their shadows (see `makeShadows`). Returns the copy as the data phase is to
 * load it.
 */
export async function makeSchema(run: CopyRun, copy: ConfirmedCopy, snapshot: string): Promise<ConfirmedCopy> {
  const { options } = run;
  const { target, inspected, prepared } = copy;
  const copied = prepared.plans.filter((p) => !p.skip);
  if (inspected.mode === 'existing' && options.swap) return makeShadows(run, copy);
  if (inspected.mode === 'existing') {
    run.loadedTables = new Map(copied.map((p) => [p.key, p.loadInto === p.table.sqlName ? `ONLY ${p.loadInto}` : p.loadInto]));
    if (copied.length) await target.query(`TRUNCATE ${truncateList(copied, prepared.catalog.tables).join(', ')}`);
    return copy;
  }
  options.progress?.phase?.('schema');
  // A rerun over an earlier copy: drop its tables with what depends on them, and let
  // pg_dump's --clean drop what else an earlier (perhaps failed) run created.
  if (inspected.present.length) await target.query(`DROP TABLE IF EXISTS ${inspected.present.map((p) => p.table.sqlName).join(', ')} CASCADE`);
  run.createdTables = prepared.catalog.tables.filter((t) => t.kind !== 'foreign').map((t) => t.sqlName);
  // The post-data section is read while the pre-data section is made, UTF-8 whatever the
  // source's encoding: its statements run over pgmask's own connection.
  const { env, signal } = run;
  const [, sql] = await Promise.all([
    copySchemaSection('pre-data', options.source, options.target, { snapshot, env, signal, extraArgs: ['--clean', '--if-exists'] }),
    readSchemaSection('post-data', options.source, { snapshot, env, signal, extraArgs: ['--encoding=UTF8'] }),
  ]);
  const ownLoads = copied.filter(loadsItself);
  const referencedIndex = (table: string, constraint: string): string | undefined =>
    ownLoads.find((p) => p.key === table)?.table.foreignKeys.find((fk) => fk.name === constraint)?.referencedIndex;
  const bytes = new Map(ownLoads.map((p) => [p.key, p.table.bytes]));
  const statements = splitPostData(sql, new Set(ownLoads.map((p) => p.key)), referencedIndex);
  run.postData = new PostDataBuilder(
    statements,
    // Index and key builds compute for long without a byte moving: not watched.
    () => run.connect('target', { watched: false }),
    copy.jobs,
    (failure) => run.fail(failure.table, failure.error),
    (table) => (bytes.get(table) ?? Number.POSITIVE_INFINITY) <= SMALL_TABLE_BYTES,
  );
  return copy;
}
