import { cpus } from 'node:os';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pLimit from 'p-limit';
import { readCatalog } from '../catalog/read-catalog.js';
import { readSequences } from '../catalog/read-sequences.js';
import { quoteIdent, sqlIdent } from '../catalog/names.js';
import type { Catalog, Table } from '../catalog/types.js';
import type { Rules } from '../config/rules.js';
import { createRowRewriter } from '../copy/row-rewriter.js';
import { safeErrorMessage, Session, type ConnectionInfo } from '../db/connection.js';
import { copySchemaSection, pgDumpMajorVersion } from '../db/pg-tools.js';
import { DatabaseError, ExitCode, PgmaskError, UsageError } from '../errors.js';
import type { MaskingKey } from '../random/key.js';
import { planPieces, SPLIT_MIN_BYTES, type CopyPiece, type TablePlan } from './plan.js';
import { asPgmaskError } from './as-pgmask-error.js';
import { prepare } from './prepare.js';
import type { ProgressListener } from './progress.js';
import { reportServer, startReport, type RunReport, type TableReport } from './report.js';
import type { RowMasker } from './row-masker.js';

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
}

/** A failed run: the report says which table failed and why. */
export class CopyFailedError extends PgmaskError {
  constructor(
    readonly report: RunReport,
    cause: PgmaskError,
  ) {
    super(cause.code, cause.message, cause.exitCode, { cause });
  }
}

interface RunContext {
  readonly options: CopyOptions;
  readonly snapshot: string;
  readonly mode: 'create' | 'existing';
  /** Built before a byte moves, so that a rule that cannot be built fails the run early. */
  readonly maskers: ReadonlyMap<string, RowMasker | undefined>;
  readonly signal: AbortSignal;
}

const now = (): number => performance.now();

async function systemIdentity(session: Session): Promise<string> {
  const [row] = await session.query<{ id: string | null; db: string }>(
    `SELECT (SELECT system_identifier::text FROM pg_control_system()) AS id, current_database() AS db`,
  ).catch(() => session.query<{ id: string | null; db: string }>('SELECT NULL::text AS id, current_database() AS db'));
  return row?.id ? `${row.id}/${row.db}` : `${session.info.host}:${session.info.port}/${row?.db ?? session.info.database}`;
}

function sameTable(a: Table, b: Table): boolean {
  return a.schema === b.schema && a.name === b.name;
}

/** Checks the target: which planned tables exist there, whether they hold rows, whether their columns match. */
async function inspectTarget(target: Session, plans: readonly TablePlan[], requested: 'create' | 'existing' | undefined) {
  const catalog = await readCatalog(target);
  const present = plans.filter((p) => catalog.tables.some((t) => sameTable(t, p.table)));
  const mode = requested ?? (present.length === 0 ? 'create' : 'existing');
  if (mode === 'existing') {
    const problems: string[] = [];
    for (const plan of plans) {
      const table = catalog.tables.find((t) => sameTable(t, plan.table));
      if (!table) {
        problems.push(`${plan.key}: missing on the target`);
        continue;
      }
      for (const column of plan.columns) {
        const there = table.columns.find((c) => c.name === column.name);
        if (!there) problems.push(`${plan.key}.${quoteIdent(column.name)}: missing on the target`);
        else if (there.type !== column.type) problems.push(`${plan.key}.${quoteIdent(column.name)}: ${there.type} on the target, ${column.type} on the source`);
        else if (there.generated && !column.generated) problems.push(`${plan.key}.${quoteIdent(column.name)}: generated on the target only`);
      }
      // A column only the target has gets NULL or its default: NOT NULL without a default would fail every row, after the truncation.
      for (const there of plan.skip ? [] : table.columns) {
        if (there.notNull && !there.hasDefault && !there.identity && !there.generated && !plan.columns.some((c) => c.name === there.name)) {
          problems.push(`${plan.key}.${quoteIdent(there.name)}: NOT NULL without a default, only on the target (no row could be loaded)`);
        }
      }
    }
    if (problems.length) {
      throw new PgmaskError('SCHEMA_DRIFT', `the target schema differs from the source (--schema existing):\n  ${problems.slice(0, 20).join('\n  ')}`, ExitCode.validation);
    }
    // Rows are loaded with triggers and foreign keys off: find out now, before a table is emptied, whether the role may.
    try {
      await target.query('SET session_replication_role = replica');
      await target.query('RESET session_replication_role');
    } catch (error) {
      throw new DatabaseError(
        'TARGET_ROLE',
        `--schema existing loads rows with triggers off (session_replication_role = replica), which the target role may not set (${safeErrorMessage(error)}); connect as a superuser, or GRANT SET ON PARAMETER session_replication_role TO the role (PostgreSQL 15 or later)`,
      );
    }
  }
  // In create mode the tables a previous run made are dropped and made anew: they count as overwritten.
  const nonEmpty: string[] = mode === 'create' ? present.map((p) => p.key) : [];
  for (const plan of mode === 'existing' ? present : []) {
    const [row] = await target.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ONLY ${plan.table.sqlName}) AS any`);
    if (row?.any) nonEmpty.push(plan.key);
  }
  return { mode, catalog, present, nonEmpty };
}

/**
 * Copies one table, or one range of its blocks: source COPY TO → row masker → target COPY
 * FROM, under the exported snapshot. Adds its rows and bytes to the table's report.
 */
async function copyTable(
  plan: TablePlan,
  ctx: RunContext,
  result: TableReport,
  piece: CopyPiece,
  onProgress: (rows: number, bytes: number) => void,
): Promise<void> {
  const { options } = ctx;
  const started = now();
  const source = await Session.connect(options.source, 'source');
  let target: Session | undefined;
  try {
    target = await Session.connect(options.target, 'target');
    await source.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    await source.query(`SET TRANSACTION SNAPSHOT '${ctx.snapshot}'`);
    await source.query('SET row_security = off');
    if (ctx.mode === 'existing') await target.query('SET session_replication_role = replica');
    await target.query('BEGIN');

    const masker = ctx.maskers.get(plan.key);

    const out = source.copyOut(piece.copyOutSql);
    const into = target.copyIn(plan.copyInSql);
    let bytes = 0;
    let lastReport = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        const t = now();
        if (t - lastReport > 200) {
          lastReport = t;
          onProgress(rewriter.rows, bytes);
        }
        callback(null, chunk);
      },
    });
    const rewriter = createRowRewriter({
      table: plan.key,
      columns: plan.columns.length,
      ...(masker ? { rewrite: (row) => masker.mask(row) } : {}),
    });
    try {
      await pipeline(out, meter, rewriter, into, { signal: ctx.signal });
    } catch (error) {
      // pg-copy-streams' COPY TO stream has no destroy: drop the source connection so it cannot hang.
      source.destroy();
      throw error;
    }
    const sourceRows = (out as unknown as { rowCount: number }).rowCount;
    const targetRows = (into as unknown as { rowCount: number }).rowCount;
    if (sourceRows !== targetRows || rewriter.rows !== sourceRows) {
      const range = piece.of > 1 ? ` (blocks ${piece.fromBlock ?? 0} to ${piece.toBlock ?? 'the end'})` : '';
      throw new PgmaskError('ROW_COUNT', `table ${plan.key}${range}: ${sourceRows} rows read from the source, ${targetRows} written to the target`);
    }
    await target.query('COMMIT');
    await source.query('COMMIT');
    onProgress(targetRows, bytes);
    result.rows += targetRows;
    result.bytes += bytes;
  } catch (error) {
    source.destroy();
    target?.destroy();
    throw error;
  } finally {
    result.seconds = Number(((now() - started) / 1000).toFixed(3));
    await source.end();
    await target?.end();
  }
}

/**
 * After a failed `--schema create` run: drops the tables it made, so that no table holds part
 * of its rows and a rerun starts afresh. Best effort: the target may be what failed.
 */
async function dropTables(connection: string | undefined, tables: readonly string[]): Promise<void> {
  const target = await Session.connect(connection, 'target').catch(() => undefined);
  if (!target) return;
  try {
    await target.query(`DROP TABLE IF EXISTS ${tables.join(', ')} CASCADE`);
  } catch {
    // Left for the rerun, which drops them with --schema create --yes.
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
async function emptyTables(connection: string | undefined, tables: readonly string[]): Promise<boolean> {
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

/** Proves that every foreign key of the copied tables holds on the target. */
async function verifyForeignKeys(target: Session, plans: readonly TablePlan[], catalog: Catalog): Promise<void> {
  for (const plan of plans) {
    for (const fk of plan.table.foreignKeys) {
      const referenced = catalog.tables.find((t) => t.schema === fk.referencedSchema && t.name === fk.referencedTable);
      if (!referenced) continue;
      const notNull = fk.columns.map((c) => `c.${sqlIdent(c)} IS NOT NULL`).join(' AND ');
      const join = fk.columns.map((c, i) => `p.${sqlIdent(fk.referencedColumns[i]!)} = c.${sqlIdent(c)}`).join(' AND ');
      const [row] = await target.query<{ dangling: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM ${plan.loadInto === plan.table.sqlName ? `ONLY ${plan.table.sqlName}` : plan.table.sqlName} c WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${referenced.sqlName} p WHERE ${join})) AS dangling`,
      );
      if (row?.dangling) {
        throw new PgmaskError('FOREIGN_KEY', `table ${plan.key}: rows whose foreign key ${sqlIdent(fk.name)} points at no row of ${referenced.sqlName}`);
      }
    }
  }
}

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
  try {
    options.progress?.phase?.('validate');
    const source = await Session.connect(options.source, 'source');
    sessions.push(source);
    const target = await Session.connect(options.target, 'target');
    sessions.push(target);
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
    if (inspected.mode === 'create') {
      const dumpMajor = await pgDumpMajorVersion(env);
      const serverMajor = Math.floor(catalog.serverVersion / 10000);
      if (dumpMajor === undefined) throw new DatabaseError('PG_DUMP', 'pg_dump was not found on PATH; install the PostgreSQL client tools, or use --schema existing');
      if (dumpMajor < serverMajor) {
        throw new DatabaseError('PG_DUMP', `pg_dump ${dumpMajor} cannot dump a PostgreSQL ${serverMajor} server; install pg_dump ${serverMajor} or newer, or use --schema existing`);
      }
    }

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
      await copySchemaSection('pre-data', options.source, options.target, { snapshot, env, signal, extraArgs: ['--clean', '--if-exists'] });
    } else if (copied.length) {
      await target.query(`TRUNCATE ${[...new Set(copied.map((p) => `ONLY ${p.table.sqlName}`))].join(', ')}`);
    }

    const ctx: RunContext = { options, snapshot, mode: inspected.mode, maskers, signal };
    // A big table is read in block ranges when the jobs outnumber the big tables.
    const blocks = new Map<string, number>();
    const splitMinBytes = options.splitBytes ?? SPLIT_MIN_BYTES;
    const big = copied.filter((p) => p.table.bytes >= splitMinBytes);
    if (jobs > big.length && catalog.serverVersion >= 140000) {
      for (const plan of big) {
        const [row] = await source.query<{ blocks: string }>(
          `SELECT pg_catalog.pg_relation_size($1::pg_catalog.regclass) / pg_catalog.current_setting('block_size')::bigint AS blocks`,
          [plan.table.sqlName],
        );
        blocks.set(plan.key, Number(row?.blocks ?? 0));
      }
    }
    const pieces = planPieces(copied, { jobs, blocks, serverVersion: catalog.serverVersion, splitMinBytes });
    /** Per table: pieces not yet settled, when the first started, and each piece's rows and bytes so far. */
    const tables = new Map(
      copied.map((plan) => [plan.key, { left: pieces.filter((p) => p.plan === plan).length, started: 0, rows: new Map<CopyPiece, number>(), bytes: new Map<CopyPiece, number>() }]),
    );
    options.progress?.phase?.('data');
    const limit = pLimit(jobs);
    await Promise.allSettled(
      pieces.map((piece) =>
        limit(async () => {
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
            await copyTable(plan, ctx, result, piece, onProgress);
          } catch (error) {
            result.status = 'failed';
            const failure = asPgmaskError(signal.aborted && options.signal?.aborted ? options.signal.reason : error, plan.key);
            result.error ??= failure.message;
            if (!signal.aborted) {
              failedTable = plan.key;
              controller.abort(failure);
            }
            throw failure;
          } finally {
            state.left--;
            if (state.left === 0 && state.started !== 0) {
              if (piece.of > 1) result.seconds = Number(((now() - state.started) / 1000).toFixed(3));
              if (result.status === 'running') result.status = 'copied';
              options.progress?.tableFinished?.(plan.key, { rows: result.rows, seconds: result.seconds, status: result.status });
            }
          }
        }),
      ),
    );
    // Every worker has settled (and closed its connections) before a failure is reported.
    if (signal.aborted) throw asPgmaskError(signal.reason);
    for (const warning of masking.warnings) report.warnings.push(warning);

    if (inspected.mode === 'create') {
      options.progress?.phase?.('post-data');
      await copySchemaSection('post-data', options.source, options.target, { snapshot, env, signal });
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
    if (createdTables.length) await dropTables(options.target, createdTables);
    const partial = report.tables.filter((t) => t.status === 'failed' && t.rows > 0 && loadedTables.has(t.table));
    if (partial.length && (await emptyTables(options.target, [...new Set(partial.map((t) => loadedTables.get(t.table)!))]))) {
      for (const t of partial) Object.assign(t, { rows: 0, bytes: 0 });
    }
    throw new CopyFailedError(report, failure);
  } finally {
    report.endedAt = new Date().toISOString();
    options.signal?.removeEventListener('abort', onAbort);
    await Promise.all(sessions.map((s) => s.end()));
  }
}

export type { ConnectionInfo };
