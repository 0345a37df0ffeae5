import { type Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { readSequences } from '../../catalog/read-sequences.js';
import type { Rules } from '../../config/rules.js';
import { Session } from '../../db/connection.js';
import { requirePgDump, startPgDump } from '../../db/pg-tools.js';
import { writeStopMark } from '../../dump/stop-mark.js';
import { PgmaskError } from '../../errors.js';
import { LanedRowRewriter, maskingRewriter } from '../../masking/lanes/laned-row-rewriter.js';
import { isLocalHost, type MaskThreads, useMaskThread } from '../../masking/lanes/thread-policy.js';
import type { MaskingKey } from '../../random/key.js';
import { asPgmaskError } from '../run/as-pgmask-error.js';
import { prepare } from '../run/prepare.js';
import { type RunReport, reportServer, startReport } from '../run/report.js';
import { RunFailedError } from '../run/run-failed-error.js';
import { selectRows, subsetCopyOutSql, subsetReport, subsetWarnings } from '../run/select-rows.js';
import { exportSnapshot } from '../run/source-snapshot.js';
import { DEFAULT_STALL_TIMEOUT_SECONDS, type StallError, StallWatchdog } from '../run/stall-watchdog.js';
import { OutputWriter } from './output-writer.js';

/** Options of `dumpDatabase`. */
export interface DumpOptions {
  readonly source: string | undefined;
  readonly rules: Rules;
  readonly key: MaskingKey;
  /** Where the plain-format SQL goes; it is not ended. */
  readonly out: Writable;
  readonly testdataDir?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  readonly version: string;
  /** Whether a big table's masking is shared with a second thread (see `useMaskThread`); default `auto`. */
  readonly maskThread?: MaskThreads;
  /** Bytes of a table's rows after which its masking is shared with a second thread; default 8 MiB (`LANE_MIN_BYTES`). */
  readonly laneMinBytes?: number;
  /**
   * Seconds a table's COPY, pg_dump's output, the dump's output or a statement may move no byte
   * before the run fails as stalled (`StallError`, exit code 3); default 300, 0: never.
   */
  readonly stallTimeout?: number;
}

const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/**
 * Writes a masked plain-format dump of a database: pg_dump's pre-data schema, one masked
 * COPY block per table read under one exported snapshot, then sequence values, pg_dump's
 * post-data schema and materialized view refreshes. `psql -f` restores it into an empty
 * database.
 */
export async function dumpDatabase(options: DumpOptions): Promise<RunReport> {
  const env = options.env ?? process.env;
  const signal = options.signal;
  const report = startReport('dump', options);
  const source = await Session.connect(options.source, 'source').catch((error: unknown) => {
    throw new RunFailedError({ ...report, outcome: 'failed' }, asPgmaskError(error));
  });
  let current: string | undefined;
  /** Whether part of the dump may have gone out. */
  let writing = false;
  // One writer for every section and table: backpressure from the output, no listener left on it per table.
  const writer = new OutputWriter(options.out, signal);
  const streaming = signal ? { signal } : {};
  const watchdog = new StallWatchdog(options.stallTimeout ?? DEFAULT_STALL_TIMEOUT_SECONDS);
  let stalled: StallError | undefined;
  // A statement that does not return within the stall timeout fails the dump; the connection is dropped.
  source.guardStatements((work) =>
    watchdog.during(
      undefined,
      'source',
      (error) => {
        stalled = error;
        source.destroy();
      },
      work,
    ),
  );
  /**
   * Moves a stream into the output under the watchdog: counts the bytes it reads, and when none
   * moved for the stall timeout, blames the output when it holds bytes back, else the source,
   * and stops the stream (`stop`: destroy the connection or kill pg_dump).
   */
  const watched = async (table: string | undefined, work: string, from: Readable, stage: Transform | undefined, stop: () => void): Promise<void> => {
    let moved = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        moved += chunk.length;
        callback(null, chunk);
      },
    });
    let stall: (error: StallError) => void = () => {};
    const stalledMove = new Promise<never>((_resolve, reject) => (stall = reject));
    stalledMove.catch(() => {});
    const unwatch = watchdog.watch({
      table,
      work,
      progress: () => moved,
      side: () => (options.out.writableNeedDrain ? 'output' : 'source'),
      onStall: (error) => {
        stalled = error;
        stall(error);
        stop();
      },
    });
    try {
      await Promise.race([stage ? pipeline(from, meter, stage, writer.sink, streaming) : pipeline(from, meter, writer.sink, streaming), stalledMove]);
    } finally {
      unwatch();
    }
  };
  try {
    Object.assign(report, { source: reportServer(source.info) });
    const maskThread = useMaskThread(options.maskThread ?? 'auto', isLocalHost(source.info.host));
    const { catalog, plans, masking, maskers, warnings } = await prepare(source, { ...options, env });
    report.warnings.push(...warnings);
    await requirePgDump(catalog.serverVersion, env);

    const snapshot = await exportSnapshot(source, plans, options.rules.subset !== undefined);
    // The selection computes for long without a byte moving: not watched.
    const selection = await source.unguarded(() => selectRows(source, catalog, options.rules.subset));
    if (selection) {
      report.subset = subsetReport(selection);
      report.warnings.push(...subsetWarnings(selection));
    }

    const section = async (name: 'pre-data' | 'post-data'): Promise<void> => {
      const kill = new AbortController();
      const dump = startPgDump({
        connection: options.source,
        args: ['--schema-only', `--section=${name}`, '--no-owner', '--no-privileges', `--snapshot=${snapshot}`],
        env,
        signal: signal ? AbortSignal.any([signal, kill.signal]) : kill.signal,
      });
      await Promise.all([watched(undefined, `pg_dump's ${name} section`, dump.stdout, undefined, () => kill.abort()), dump.done]);
    };

    writing = true;
    await section('pre-data');
    const ordered = [...plans].sort((a, b) => a.key.localeCompare(b.key));
    for (const plan of ordered) {
      const result = { table: plan.key, status: plan.skip ? ('skipped' as const) : ('pending' as const), rows: 0, bytes: 0, seconds: 0, columns: plan.transforms };
      report.tables.push(result);
    }
    for (const plan of ordered.filter((p) => !p.skip)) {
      current = plan.key;
      const result = report.tables.find((t) => t.table === plan.key)!;
      result.status = 'running';
      const started = performance.now();
      const masker = maskers.get(plan.key);
      await writer.write(`\n--\n-- Data for ${plan.key}, masked by pgmask\n--\n\n${plan.copyInSql.replace(/ FROM STDIN$/, ' FROM stdin;')}\n`);
      const out = source.copyOut(selection ? subsetCopyOutSql(selection, plan) : plan.copyOutSql);
      // A table nothing is masked in goes out as the server wrote it.
      const rewriter = masker && maskingRewriter({ masker, session: masking, threaded: maskThread, bytes: plan.table.bytes, minBytes: options.laneMinBytes });
      await watched(plan.key, plan.key, out, rewriter || undefined, () => source.destroy());
      await writer.write('\\.\n\n');
      const rows = out.rowCount;
      if (rewriter && rows !== rewriter.rows) throw new PgmaskError('ROW_COUNT', `table ${plan.key}: ${rows} rows read, ${rewriter.rows} written`);
      Object.assign(result, { status: 'copied', rows, bytes: out.bytesSoFar, seconds: Number(((performance.now() - started) / 1000).toFixed(3)) });
      if (rewriter instanceof LanedRowRewriter && rewriter.laned) result.threads = 2;
    }
    current = undefined;
    await writer.write('\n--\n-- Sequence values\n--\n\n');
    for (const sequence of await readSequences(source)) {
      await writer.write(`SELECT pg_catalog.setval(${literal(sequence.sqlName)}, ${sequence.lastValue}, ${sequence.isCalled});\n`);
    }
    await section('post-data');
    const matviews = catalog.views.filter((v) => v.materialized);
    if (matviews.length) await writer.write(`\n${matviews.map((v) => `REFRESH MATERIALIZED VIEW ${v.sqlName};`).join('\n')}\n`);
    await writer.flush();
    await source.query('COMMIT');
    report.warnings.push(...masking.warnings);
    report.outcome = 'succeeded';
    return report;
  } catch (error) {
    source.destroy();
    // Part of the dump went out: end it so that whoever loads it fails rather than load part of a table.
    if (writing && !writer.failure) await writeStopMark(options.out, signal);
    // A failed output ends the streams feeding it, whose errors (an AbortError) may come out first.
    const failure = stalled ?? asPgmaskError(signal?.aborted ? signal.reason : (writer.failure ?? error), current);
    report.outcome = signal?.aborted ? 'interrupted' : 'failed';
    report.error = { code: failure.code, message: failure.message, table: current };
    const failed = report.tables.find((t) => t.table === current);
    if (failed) Object.assign(failed, { status: 'failed', error: failure.message });
    throw new RunFailedError(report, failure);
  } finally {
    watchdog.stop();
    writer.close();
    report.endedAt = new Date().toISOString();
    if (stalled) source.destroy();
    else await source.end();
  }
}
