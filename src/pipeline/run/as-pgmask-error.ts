import { safeErrorMessage } from '../../db/connection.js';
import { DatabaseError, ExitCode, PgmaskError } from '../../errors.js';

/**
 * Any failure as a PgmaskError: pgmask's own pass through; an abort becomes an interruption;
 * anything else (a server error, a broken socket) becomes a DatabaseError whose message holds
 * no value from the data.
 */
export function asPgmaskError(error: unknown, table?: string): PgmaskError {
  if (error instanceof PgmaskError) return error;
  if ((error as Error)?.name === 'AbortError') return new PgmaskError('INTERRUPTED', 'the run was stopped', ExitCode.interrupted);
  return new DatabaseError('DATABASE', `${table ? `table ${table}: ` : ''}${safeErrorMessage(error)}`, { cause: error });
}
