import { ExitCode, PgmaskError } from '../errors.js';

/**
 * A subset that cannot be planned or selected: a table, key or column the rules name and the
 * catalog does not hold (exit code 1), or a selected row that references an `empty` table
 * (exit code 3). Messages name tables, keys and columns, never a value.
 */
export class SubsetError extends PgmaskError {
  constructor(code: string, message: string, exitCode: ExitCode = ExitCode.validation) {
    super(code, message, exitCode);
  }
}
