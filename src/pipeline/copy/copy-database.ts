import { cpus } from 'node:os';
import pLimit from 'p-limit';
import { readSequences } from '../../catalog/read-sequences.js';
import type { Rules } from '../../config/rules.js';
import { type ConnectionInfo, Session } from '../../db/connection.js';
import { copySchemaSection, readSchemaSection, requirePgDump } from '../../db/pg-tools.js';
import { systemIdentity } from '../../db/system-identity.js';
import { UsageError } from '../../errors.js';
import { isLocalHost, type MaskThreads, useMaskThread } from '../../masking/lanes/thread-policy.js';
import type { MaskingKey } from '../../random/key.js';
import { PostDataBuilder } from '../post-data/post-data-builder.js';
import { splitPostData } from '../post-data/split-post-data.js';
import { asPgmaskError } from '../run/as-pgmask-error.js';
import { prepare } from '../run/prepare.js';
import type { ProgressListener } from '../run/progress.js';
import { type RunReport, reportServer, startReport } from '../run/report.js';
import { RunFailedError } from '../run/run-failed-error.js';
import { type CopyPiece, copiesBinary, pieceRuns, planPieces, rangeJobs, SPLIT_MIN_BYTES, splittable, type TablePlan } from '../run/table-plan.js';
import { copyPiece, type PieceContext } from './copy-piece.js';
import { inspectTarget } from './inspect-target.js';
import { dropTables, emptyTables } from './target-cleanup.js';
import { verifyForeignKeys } from './verify-foreign-keys.js';

/** Options of `copyDatabase`. Connections are libpq strings; PG* variables fill the gaps. */
export interface CopyOptions {
  readonly source: string | undefined;
  readonly target: string | undefined;
  readonly rules: Rules;
  readonly key: MaskingKey;
  /** Tables copied at a time; default: the number of CPUs. */
  readonly jobs?: number;
  /** `create`: schema from pg_dump; `existing`: the target's own schema. Default: create when the target has none of the tables. */
  readonly schema?: 'create' | 'existing';
  /** Overwrite non-empty target tables. */
  readonly yes?: boolean;
  /** Asked when target tables hold rows and `yes` is not set; without it, the run refuses. */
  readonly confirm?: (question: string) => Promise<boolean>;
  /** Plan and check only; write nothing. */
  readonly dryRun?: boolean;
  readonly testdataDir?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  readonly progress?: ProgressListener;
  readonly version: string;
  /** Called with the report as it is being filled, so that a caller can save it even when the run fails. */
  readonly onReport?: (report: RunReport) => void;
  /**
   * Tables at least this large (bytes) are read in ranges of heap blocks, several at a time,
   * when `jobs` outnumber them (PostgreSQL 14+); default 64 MiB.
   */
  readonly splitBytes?: number;
  /**
   * Whether a big table's masking is shared with a second thread (see `useMaskThread`); default
   * `auto`: where the machine has a CPU to spare.
   */
  readonly maskThread?: MaskThreads;
  /** Bytes of a table's rows after which its masking is shared with a second thread; default 8 MiB (`LANE_MIN_BYTES`). */
  readonly laneMinBytes?: number;
  /**
   * `auto` (default): tables whose column types allow it move in COPY's binary format when both
   * servers run the same major version (see `copiesBinary`); `text`: every table as text.
   */
  readonly copyFormat?: 'auto' | 'text';
}

const now = (): number => performance.now();

/** Whether a table's rows go straight into it (a plain table, not a partition, not loaded through a root). */
const loadsItself = (plan: TablePlan): boolean => plan.table.kind === 'table' && plan.table.partitionOf === undefined && plan.loadInto === plan.table.sqlName;

/**
 * Copies a database into another, masking every column the rules name, under one
 * consistent snapshot, `jobs` tables at a time. Nothing is written when validation fails.
 *
 * @example
 * ```ts
 * const report = await copyDatabase({ source, target, rules: await loadRules('rules.yaml'), key: loadKey({ env: process.env }), version });
 * ```
 */
export async function copyDatabase(options: CopyOptions): Promise<RunReport> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const env = options.env ?? process.env;
  const report = startReport('copy', options);
  options.onReport?.(report);
  const sessions: Session[] = [];
  let failedTable: string | undefined;
  /** Tables this run created (--schema create): dropped again when the run fails. */
  let createdTables: readonly string[] = [];
  /** Tables this run loads (--schema existing), by plan key: what to empty again when the run fails. */
  let loadedTables: ReadonlyMap<string, string> = new Map();
  /** Builds indexes and keys (--schema create): each table's as soon as its rows are in. */
  let postData: PostDataBuilder | undefined;
  let targetSession: Session | undefined;
  try {
    options.progress?.phase?.('validate');
    const source = await Session.connect(options.source, 'source');
    sessions.push(source);
    const target = await Session.connect(options.target, 'target');
    sessions.push(target);
    targetSession = target;
    Object.assign(report, { source: reportServer(source.info), target: reportServer(target.info) });
    if ((await systemIdentity(source)) === (await systemIdentity(target))) {
      throw new UsageError('the target is the source database: refusing to copy a database onto itself');
    }

    const { catalog, plans, masking, maskers, warnings } = await prepare(source, { ...options, env });
    report.warnings.push(...warnings);
    for (const plan of plans) {
      report.tables.push({ table: plan.key, status: plan.skip ? 'skipped' : 'pending', rows: 0, bytes: 0, seconds: 0, columns: plan.transforms });
    }
    const inspected = await inspectTarget(target, plans, options.schema);
    report.schema = inspected.mode;
    const jobs = Math.max(1, options.jobs ?? cpus().length);
    report.jobs = jobs;
    options.progress?.planned?.(plans.filter((p) => !p.skip).map((p) => ({ table: p.key, rowEstimate: Math.max(0, p.table.rowEstimate) })));

    if (options.dryRun) {
      report.outcome = 'planned';
      return report;
    }
    if (inspected.nonEmpty.length && !options.yes) {
      const what = inspected.mode === 'create' ? 'exist and will be dropped and made anew' : 'hold rows and will be emptied';
      const question = `${inspected.nonEmpty.length} target table(s) ${what} (first: ${inspected.nonEmpty[0]}). Go on?`;
      if (!options.confirm || !(await options.confirm(question))) {
        const alternative = inspected.mode === 'create' ? ', or --schema existing to load into them' : '';
        throw new UsageError(`${inspected.nonEmpty.length} target table(s) ${what} (first: ${inspected.nonEmpty[0]}); pass --yes to overwrite them${alternative}`);
      }
    }
    if (inspected.mode === 'create') await requirePgDump(catalog.serverVersion, env, 'use --schema existing');

    // One consistent picture: export a snapshot every worker imports; lock like pg_dump does.
    await source.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const [exported] = await source.query<{ snapshot: string }>('SELECT pg_export_snapshot() AS snapshot');
    const snapshot = exported!.snapshot;
    const copied = plans.filter((p) => !p.skip);
    if (inspected.mode === 'existing') loadedTables = new Map(copied.map((p) => [p.key, p.loadInto === p.table.sqlName ? `ONLY ${p.loadInto}` : p.loadInto]));
    if (plans.length) await source.query(`LOCK TABLE ${plans.map((p) => `ONLY ${p.table.sqlName}`).join(', ')} IN ACCESS SHARE MODE`);

    const signal = controller.signal;
    if (inspected.mode === 'create') {
      options.progress?.phase?.('schema');
      // A rerun over an earlier copy: drop its tables with what depends on them, and let
      // pg_dump's --clean drop what else an earlier (perhaps failed) run created.
      if (inspected.present.length) await target.query(`DROP TABLE IF EXISTS ${inspected.present.map((p) => p.table.sqlName).join(', ')} CASCADE`);
      createdTables = catalog.tables.filter((t) => t.kind !== 'foreign').map((t) => t.sqlName);
      // The post-data section is read while the pre-data section is made, UTF-8 whatever the
      // source's encoding: its statements run over pgmask's own connection.
      const [, sql] = await Promise.all([
        copySchemaSection('pre-data', options.source, options.target, { snapshot, env, signal, extraArgs: ['--clean', '--if-exists'] }),
        readSchemaSection('post-data', options.source, { snapshot, env, signal, extraArgs: ['--encoding=UTF8'] }),
      ]);
      const connect = async (): Promise<Session> => {
        const session = await Session.connect(options.target, 'target');
        sessions.push(session);
        return session;
      };
      const ownLoads = copied.filter(loadsItself);
      const referencedIndex = (table: string, constraint: string): string | undefined =>
        ownLoads.find((p) => p.key === table)?.table.foreignKeys.find((fk) => fk.name === constraint)?.referencedIndex;
      postData = new PostDataBuilder(splitPostData(sql, new Set(ownLoads.map((p) => p.key)), referencedIndex), connect, jobs, (failure) => {
        failedTable ??= failure.table;
        controller.abort(asPgmaskError(failure.error, failure.table));
      });
    } else if (copied.length) {
      await target.query(`TRUNCATE ${[...new Set(copied.map((p) => `ONLY ${p.table.sqlName}`))].join(', ')}`);
    }

    const localServer = isLocalHost(source.info.host) || isLocalHost(target.info.host);
    const maskThread = useMaskThread(options.maskThread ?? 'auto', localServer);
    // Binary data is read by the one-thread rewriter only: a table whose masking may go to a second thread moves as text.
    const sameMajor = Math.floor(catalog.serverVersion / 10000) === Math.floor(inspected.catalog.serverVersion / 10000);
    const binary = new Set(options.copyFormat === 'text' || !sameMajor ? [] : copied.filter((p) => copiesBinary(p) && !(maskThread && maskers.get(p.key))).map((p) => p.key));
    const ctx: PieceContext = {
      source: options.source,
      target: options.target,
      snapshot,
      mode: inspected.mode,
      maskers,
      masking,
      maskThread,
      binary,
      laneMinBytes: options.laneMinBytes,
      signal,
    };
    // A big table is read in block ranges when the jobs free for them outnumber the big tables.
    const blocks = new Map<string, number>();
    const splitMinBytes = options.splitBytes ?? SPLIT_MIN_BYTES;
    const big = splittable(copied, maskers, splitMinBytes);
    const freeJobs = rangeJobs(copied, maskers, jobs, splitMinBytes);
    if (freeJobs > big.length && catalog.serverVersion >= 140000) {
      for (const plan of big) {
        const [row] = await source.query<{ blocks: string }>(
          `SELECT pg_catalog.pg_relation_size($1::pg_catalog.regclass) / pg_catalog.current_setting('block_size')::bigint AS blocks`,
          [plan.table.sqlName],
        );
        blocks.set(plan.key, Number(row?.blocks ?? 0));
      }
    }
    const pieces = planPieces(copied, { jobs: freeJobs, blocks, serverVersion: catalog.serverVersion, splitMinBytes });
    /** Per table: pieces not yet settled, when the first started, and each piece's rows and bytes so far. */
    const tables = new Map(
      copied.map((plan) => [plan.key, { left: pieces.filter((p) => p.plan === plan).length, started: 0, rows: new Map<CopyPiece, number>(), bytes: new Map<CopyPiece, number>() }]),
    );
    options.progress?.phase?.('data');
    /** Copies one piece; a failure goes into the report and aborts the run. */
    const copyOne = async (piece: CopyPiece): Promise<void> => {
      const plan = piece.plan;
      const state = tables.get(plan.key)!;
      const result = report.tables.find((t) => t.table === plan.key)!;
      try {
        if (signal.aborted) return;
        if (state.started === 0) {
          state.started = now();
          result.status = 'running';
          options.progress?.tableStarted?.(plan.key);
        }
        const onProgress = (rows: number, bytes: number): void => {
          state.rows.set(piece, rows);
          state.bytes.set(piece, bytes);
          let allRows = 0;
          let allBytes = 0;
          for (const n of state.rows.values()) allRows += n;
          for (const n of state.bytes.values()) allBytes += n;
          options.progress?.tableProgress?.(plan.key, allRows, allBytes);
        };
        await copyPiece(plan, ctx, result, piece, onProgress);
      } catch (error) {
        result.status = 'failed';
        const failure = asPgmaskError(signal.aborted && options.signal?.aborted ? options.signal.reason : error, plan.key);
        result.error ??= failure.message;
        if (!signal.aborted) {
          failedTable = plan.key;
          controller.abort(failure);
        }
      } finally {
        state.left--;
        if (state.left === 0 && state.started !== 0) {
          if (piece.of > 1) result.seconds = Number(((now() - state.started) / 1000).toFixed(3));
          if (result.status === 'running') result.status = 'copied';
          if (result.status === 'copied') postData?.tableLoaded(plan.key);
          options.progress?.tableFinished?.(plan.key, { rows: result.rows, seconds: result.seconds, status: result.status });
        }
      }
    };
    // A failure goes into the report and stops the run: the pieces after it return at once.
    const limit = pLimit(jobs);
    await Promise.allSettled(
      pieceRuns(pieces, maskers).map((run) =>
        limit(async () => {
          for (const piece of run) await copyOne(piece);
        }),
      ),
    );
    // Every worker has settled (and closed its connections) before a failure is reported.
    if (signal.aborted) throw asPgmaskError(signal.reason);
    for (const warning of masking.warnings) report.warnings.push(warning);

    if (postData) {
      options.progress?.phase?.('post-data');
      await postData.finish();
    } else {
      options.progress?.phase?.('verify');
      await verifyForeignKeys(target, copied, inspected.catalog);
    }

    options.progress?.phase?.('sequences');
    for (const sequence of await readSequences(source)) {
      await target.query('SELECT pg_catalog.setval($1::regclass, $2, $3)', [sequence.sqlName, sequence.lastValue, sequence.isCalled]);
    }
    for (const view of catalog.views.filter((v) => v.materialized)) {
      await target.query(`REFRESH MATERIALIZED VIEW ${view.sqlName}`);
    }
    await source.query('COMMIT');
    report.outcome = 'succeeded';
    return report;
  } catch (error) {
    const failure = asPgmaskError(options.signal?.aborted ? options.signal.reason : error, failedTable);
    report.outcome = options.signal?.aborted ? 'interrupted' : 'failed';
    report.error = { code: failure.code, message: failure.message, table: failedTable };
    if (postData && targetSession) await postData.stop(targetSession);
    if (createdTables.length) await dropTables(options.target, createdTables);
    const partial = report.tables.filter((t) => t.status === 'failed' && t.rows > 0 && loadedTables.has(t.table));
    if (partial.length && (await emptyTables(options.target, [...new Set(partial.map((t) => loadedTables.get(t.table)!))]))) {
      for (const t of partial) Object.assign(t, { rows: 0, bytes: 0 });
    }
    throw new RunFailedError(report, failure);
  } finally {
    report.endedAt = new Date().toISOString();
    options.signal?.removeEventListener('abort', onAbort);
    await Promise.all(sessions.map((s) => s.end()));
  }
}

export type { ConnectionInfo };
