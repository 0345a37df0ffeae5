import type { Writable } from 'node:stream';
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
import { selectRows, subsetCopyOutSql, subsetReport } from '../run/select-rows.js';
import { exportSnapshot } from '../run/source-snapshot.js';
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
  try {
    Object.assign(report, { source: reportServer(source.info) });
    const maskThread = useMaskThread(options.maskThread ?? 'auto', isLocalHost(source.info.host));
    const { catalog, plans, masking, maskers, warnings } = await prepare(source, { ...options, env });
    report.warnings.push(...warnings);
    await requirePgDump(catalog.serverVersion, env);

    const snapshot = await exportSnapshot(source, plans, options.rules.subset !== undefined);
    const selection = await selectRows(source, catalog, options.rules.subset);
    if (selection) report.subset = subsetReport(selection);

    const section = async (name: 'pre-data' | 'post-data'): Promise<void> => {
      const dump = startPgDump({
        connection: options.source,
        args: ['--schema-only', `--section=${name}`, '--no-owner', '--no-privileges', `--snapshot=${snapshot}`],
        env,
        ...(signal ? { signal } : {}),
      });
      await Promise.all([pipeline(dump.stdout, writer.sink, streaming), dump.done]);
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
      await (rewriter ? pipeline(out, rewriter, writer.sink, streaming) : pipeline(out, writer.sink, streaming));
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
    const failure = asPgmaskError(signal?.aborted ? signal.reason : (writer.failure ?? error), current);
    report.outcome = signal?.aborted ? 'interrupted' : 'failed';
    report.error = { code: failure.code, message: failure.message, table: current };
    const failed = report.tables.find((t) => t.table === current);
    if (failed) Object.assign(failed, { status: 'failed', error: failure.message });
    throw new RunFailedError(report, failure);
  } finally {
    writer.close();
    report.endedAt = new Date().toISOString();
    await source.end();
  }
}
