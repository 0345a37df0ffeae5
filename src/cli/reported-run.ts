import type { RunReport } from '../pipeline/run/report.js';
import { RunFailedError } from '../pipeline/run/run-failed-error.js';
import type { Io } from './command.js';
import type { Output } from './output-file.js';
import { formatSummary } from './summary.js';
import { writeFileAtomic } from './write-atomic.js';

/** Options of `reportedRun`. */
export interface ReportedRunOptions {
  readonly io: Io;
  /** Where the JSON report goes (`--report`), if anywhere. */
  readonly reportFile: string | undefined;
  /** Prints the report once the run has ended; by default its summary on stderr. */
  readonly print?: (report: RunReport) => void;
  /** Where the run writes (`--out`): committed when it succeeds, discarded when it fails. */
  readonly output?: Output;
}

/**
 * Runs a copy, dump or mask and, whether it succeeds or fails, prints its report and writes the
 * report file; its output file appears only when it succeeds. `run` hands its report to `onReport` as soon as it has one, so that a run that
 * fails after it has one still reports. A failed run's error is its cause (the report is shown).
 */
export async function reportedRun(options: ReportedRunOptions, run: (onReport: (report: RunReport) => void) => Promise<RunReport>): Promise<RunReport> {
  const { io, reportFile } = options;
  let report: RunReport | undefined;
  try {
    report = await run((r) => (report = r));
    await options.output?.commit();
    return report;
  } catch (error) {
    await options.output?.discard();
    if (!(error instanceof RunFailedError)) throw error;
    report = error.report;
    throw error.cause;
  } finally {
    if (report) {
      if (options.print) options.print(report);
      else io.stderr.write(formatSummary(report));
      if (reportFile) await writeFileAtomic(reportFile, `${JSON.stringify(report, null, 2)}\n`);
    }
  }
}
