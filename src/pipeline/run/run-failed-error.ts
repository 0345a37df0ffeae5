import { PgmaskError } from '../../errors.js';
import type { RunReport } from './report.js';

/**
 * A copy, dump or mask run that failed, with its report: which table failed and why, and how far
 * the others got. Code, message and exit code are the cause's.
 */
export class RunFailedError extends PgmaskError {
  constructor(
    readonly report: RunReport,
    cause: PgmaskError,
  ) {
    super(cause.code, cause.message, cause.exitCode, { cause });
  }
}
