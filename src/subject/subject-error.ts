import { ExitCode, PgmaskError } from '../errors.js';

/**
 * A data-subject request that cannot run: an identifier that is not what its flag says (exit
 * code 2), a `--where` naming a table the source does not hold (exit code 1). Messages name
 * flags, tables and columns, never the identifier.
 */
export class SubjectError extends PgmaskError {
  constructor(code: string, message: string, exitCode: ExitCode = ExitCode.validation) {
    super(code, message, exitCode);
  }
}
