import { safeErrorMessage } from '../../db/connection.js';
import { DatabaseError, ExitCode, InternalError, PgmaskError } from '../../errors.js';

/**
 * Any failure as a PgmaskError: pgmask's own pass through; a programming error becomes an
 * InternalError (exit code 70); an abort becomes an interruption; anything else (a server
 * error, a broken socket) becomes a DatabaseError whose message holds no value from the data.
 */
export function asPgmaskError(error: unknown, table?: string): PgmaskError {
  if (error instanceof PgmaskError) return error;
  if (InternalError.isBug(error)) return new InternalError(error);
  if ((error as Error)?.name === 'AbortError') return new PgmaskError('INTERRUPTED', 'the run was stopped', ExitCode.interrupted);
  return new DatabaseError('DATABASE', `${table ? `table ${table}: ` : ''}${safeErrorMessage(error)}`, { cause: error });
}
