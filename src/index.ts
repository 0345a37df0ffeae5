/**
 * pgmask's public library API. Explicit named exports, no side effects on import.
 */
export { ExitCode, PgmaskError, UsageError, ConfigError, KeyError, CopyFormatError, TransformError, DatabaseError } from './errors.js';
export type { FilePosition, CopyPosition } from './errors.js';
export { run } from './cli/main.js';
