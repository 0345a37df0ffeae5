import { UsageError } from '../errors.js';
import { type Flag, type FlagValues, type Io, stringFlag } from './command.js';

/** `--source URL`, shared by every command that reads a source database. */
export const sourceFlag: Flag = { name: 'source', type: 'string', value: 'URL', description: 'Source connection (libpq URL or key=value; PG* variables fill gaps)' };

/** The source connection string: `--source`, or undefined where PGHOST or PGDATABASE say where; neither is a usage error. */
export function sourceConnection(flags: FlagValues, io: Io): string | undefined {
  const source = stringFlag(flags, 'source');
  if (!source && !io.env['PGHOST'] && !io.env['PGDATABASE']) throw new UsageError('--source URL is required');
  return source;
}
