import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { hasErrors } from '../../config/finding.js';
import type { Rules } from '../../config/rules.js';
import type { CopyHeader } from '../../dump/copy-header.js';
import { atDumpLine, type CopyBlockHandler, DumpParser } from '../../dump/dump-parser.js';
import { DumpSchema } from '../../dump/dump-schema.js';
import { writeStopMark } from '../../dump/stop-mark.js';
import { ConfigError, ExitCode, InternalError, PgmaskError } from '../../errors.js';
import { LanedRows } from '../../masking/lanes/laned-rows.js';
import { LanedTransform } from '../../masking/lanes/laned-transform.js';
import type { OrderedOutput } from '../../masking/lanes/ordered-output.js';
import { type MaskThreads, useMaskThread } from '../../masking/lanes/thread-policy.js';
import { createMaskingSession } from '../../masking/masking-session.js';
import type { MaskingKey } from '../../random/key.js';
import { checkDataNeeds } from '../checks/check-data-needs.js';
import { RulesRejectedError } from '../checks/rules-rejected-error.js';
import { type RunReport, startReport, type TableReport } from '../run/report.js';
import { RunFailedError } from '../run/run-failed-error.js';
import { DEFAULT_STALL_TIMEOUT_SECONDS, type StallError, StallWatchdog } from '../run/stall-watchdog.js';
import { planCopyBlock } from './copy-block-plan.js';
import { outputClosed } from './output-writer.js';

/** Options of `maskDump`. */
export interface MaskDumpOptions {
  /** A pg_dump plain-format SQL stream. */
  readonly input: Readable;
  /** Where the masked dump goes; it is not ended (the caller commits or discards it). */
  readonly output: Writable;
  readonly rules: Rules;
  readonly key: MaskingKey;
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  /** Folder of the Skatteverket test lists; else PGMASK_TESTDATA_DIR, else the cache. */
  readonly testdataDir?: string;
  /** pgmask's version, for the report. */
  readonly version: string;
  /**
   * Whether a big table's masking is shared with a second thread (see `useMaskThread`); default
   * `auto`, which counts pg_dump and psql around pgmask as a local server.
   */
  readonly maskThread?: MaskThreads;
  /** Bytes of a table's rows after which its masking is shared with a second thread; default 8 MiB (`LANE_MIN_BYTES`). */
  readonly laneMinBytes?: number;
  /** Seconds the input and the output may move no byte before the run fails as stalled (`StallError`); default 300, 0: never. */
  readonly stallTimeout?: number;
}

/** Any failure as a PgmaskError whose message holds no value from the data. */
function asMaskError(error: unknown): PgmaskError {
  if (error instanceof PgmaskError) return error;
  if (InternalError.isBug(error)) return new InternalError(error);
  const e = error as NodeJS.ErrnoException | undefined;
  if (e?.name === 'AbortError') return new PgmaskError('INTERRUPTED', 'the run was stopped', ExitCode.interrupted);
  if (e?.code === 'EPIPE' || e?.code === 'ERR_STREAM_DESTROYED' || e?.code === 'ERR_STREAM_PREMATURE_CLOSE') {
    return outputClosed(error);
  }
  const what = e?.code ? `${e.name ?? 'Error'} ${e.code}${e.syscall ? ` (${e.syscall})` : ''}` : (e?.name ?? 'error');
  return new PgmaskError('MASK_FAILED', `reading or writing the dump failed: ${what}`, ExitCode.runtime, { cause: error });
}

/** Resolves once `output` has taken every byte written so far. */
function drained(output: Writable): Promise<void> {
  return new Promise((resolve, reject) => output.write(Buffer.alloc(0), (error) => (error ? reject(error) : resolve())));
}

/**
 * Refuses rules with a `subset:` section: a dump stream holds the rows it holds, and `mask`
 * cannot choose among them.
 *
 * @throws {ConfigError} (code SUBSET_NOT_SUPPORTED, exit code 1) at the `subset:` key.
 */
export function refuseSubset(rules: Rules): void {
  if (!rules.subset) return;
  throw new ConfigError('SUBSET_NOT_SUPPORTED', 'mask reads a dump stream and cannot select a subset; use pgmask copy or pgmask dump', rules.subset.position);
}

/**
 * Masks a pg_dump plain-format SQL stream (pg_dump 12 to 17): every SQL statement passes
 * through byte for byte, and the rows of each `COPY schema.table (columns) FROM stdin;` block
 * are rewritten by the rules, the columns taken from the COPY header. No database is needed.
 * Streams with backpressure: memory stays flat whatever the dump size.
 *
 * Fails closed (exit code 1) at a COPY block whose table or columns the rules do not cover,
 * before any of its rows are written (the top-level `unlisted: keep` passes tables with no entry,
 * a table's own `unlisted: keep` its columns without a rule). A run that fails
 * after part of the dump went out ends the output with `STOP_MARK`, so that psql fails rather
 * than load part of a table. A table with
 * `skip: true` keeps its COPY header and `\.` line and loses its rows. INSERT-style dumps,
 * custom/tar/compressed dumps and non-UTF8 dumps are refused (exit code 2). Rules with a
 * `subset:` section are refused before the stream is read (`refuseSubset`).
 *
 * @throws {ConfigError} for rules with `subset:` (see `refuseSubset`).
 * @throws {RunFailedError} with the report and the cause's code, message and exit code.
 * @example
 * ```ts
 * const report = await maskDump({ input: process.stdin, output: process.stdout, rules: await loadRules('rules.yaml'), key, version });
 * ```
 */
export async function maskDump(options: MaskDumpOptions): Promise<RunReport> {
  const { rules, signal } = options;
  refuseSubset(rules);
  const env = options.env ?? process.env;
  const report = startReport('mask', options);
  const masking = createMaskingSession({ key: options.key, env, ...(options.testdataDir ? { testdataDir: options.testdataDir } : {}) });
  const schema = new DumpSchema();
  const usedEntries = new Set<string>();
  const warned = new Set<string>();
  let current: TableReport | undefined;
  const maskThread = useMaskThread(options.maskThread ?? 'auto', true);
  /** Blocks whose rows went to a second thread, and the current block's. */
  const laned = new Set<LanedRows>();
  let blockLanes: LanedRows | undefined;
  let stalled: StallError | undefined;

  /** Starts a COPY block: plans it, reports it, and hands the parser what to do with its rows. */
  const startBlock = (header: CopyHeader, line: number, output: OrderedOutput, parser: DumpParser): CopyBlockHandler => {
    const plan = planCopyBlock(header, line, rules, schema, masking);
    if (plan.entryKey !== undefined) usedEntries.add(plan.entryKey);
    for (const warning of plan.warnings) {
      if (warned.has(warning.message)) continue;
      warned.add(warning.message);
      report.warnings.push(warning);
    }
    let table = report.tables.find((t) => t.table === plan.key);
    if (!table) {
      table = { table: plan.key, status: 'pending', rows: 0, bytes: 0, seconds: 0, columns: plan.transforms };
      report.tables.push(table);
    }
    const result = table;
    result.status = 'running';
    current = result;
    const started = performance.now();
    const masker = plan.masker;
    const lanes =
      masker && maskThread
        ? new LanedRows({
            masker,
            session: masking,
            output,
            cut: () => parser.flushOutput(),
            minBytes: options.laneMinBytes,
            mapError: (error) => atDumpLine(error, line, plan.key) as Error,
          })
        : undefined;
    if (lanes) laned.add(lanes);
    blockLanes = lanes;
    return {
      rows: plan.skip ? 'skip' : masker ? (row) => masker.mask(row) : 'pass',
      ...(lanes ? { taker: { chunkStarting: () => lanes.chunkStarting(), take: (row) => lanes.take(row), finish: () => lanes.end() } } : {}),
      end: (stats) => {
        if (lanes?.active) result.threads = 2;
        blockLanes = undefined;
        if (!plan.skip) {
          result.rows += stats.rows;
          result.bytes += stats.bytes;
        }
        result.seconds = Number((result.seconds + (performance.now() - started) / 1000).toFixed(3));
        result.status = plan.skip ? 'skipped' : 'copied';
        current = undefined;
      },
    };
  };
  let parser!: DumpParser;
  let bytesIn = 0;
  const stream = new LanedTransform((output) => {
    const dump: DumpParser = new DumpParser({
      output: (chunk) => output.write(chunk),
      onStatement: (text) => schema.learn(text),
      largeObjects: rules.unlisted === 'keep' ? 'pass' : 'refuse',
      onCopy: (header, line) => startBlock(header, line, output, dump),
    });
    parser = dump;
    return {
      take: (chunk) => {
        bytesIn += chunk.length;
        return dump.push(chunk);
      },
      finish: () => dump.end(),
      get lanes() {
        return blockLanes;
      },
      stop: () => {
        for (const lanes of laned) lanes.stop();
      },
    };
  });

  try {
    // Every rule is built before the first byte is read, so that missing data (a test list) stops the run with nothing written.
    const needs = checkDataNeeds(rules, masking);
    if (hasErrors(needs)) throw new RulesRejectedError(needs, 'the rules need data that is missing');
    // The watchdog: bytes in and out; a stall blames the output when it holds bytes back, else the input.
    const watchdog = new StallWatchdog(options.stallTimeout ?? DEFAULT_STALL_TIMEOUT_SECONDS);
    const stop = new AbortController();
    let stall: (error: StallError) => void = () => {};
    const stalledRun = new Promise<never>((_resolve, reject) => (stall = reject));
    stalledRun.catch(() => {});
    const unwatch = watchdog.watch({
      get table() {
        return current?.table;
      },
      work: 'the dump',
      progress: () => bytesIn + stream.bytesOut,
      side: () => (options.output.writableNeedDrain ? 'output' : 'input'),
      onStall: (error) => {
        stalled = error;
        stall(error);
        stop.abort(error);
      },
    });
    try {
      const stopped = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
      await Promise.race([pipeline(options.input, stream, options.output, { end: false, signal: stopped }), stalledRun]);
      await Promise.race([drained(options.output), stalledRun]);
    } finally {
      unwatch();
      watchdog.stop();
    }
    for (const key of rules.tables.keys()) {
      if (!usedEntries.has(key)) {
        report.warnings.push({ code: 'RULE_TABLE_NOT_IN_DUMP', message: `the rules name table ${key}, but the dump holds no COPY block of it (or of its partitions)` });
      }
    }
    report.warnings.push(...masking.warnings);
    report.outcome = 'succeeded';
    return report;
  } catch (error) {
    const failure = stalled ?? asMaskError(signal?.aborted ? signal.reason : error);
    report.outcome = signal?.aborted ? 'interrupted' : 'failed';
    report.error = { code: failure.code, message: failure.message, table: (failure as { table?: string | undefined }).table ?? current?.table };
    if (current) Object.assign(current, { status: 'failed', rows: current.rows + parser.blockRows, error: failure.message });
    if (stream.bytesOut > 0) await writeStopMark(options.output, signal);
    throw new RunFailedError(report, failure);
  } finally {
    report.endedAt = new Date().toISOString();
  }
}
