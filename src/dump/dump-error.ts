import { type ExitCode, PgmaskError } from '../errors.js';

/** Where in a pg_dump stream a problem sits. */
export interface DumpPosition {
  /** 1-based line of the dump. */
  readonly line: number;
  /** `schema.table` of the COPY block concerned, when there is one. */
  readonly table?: string | undefined;
  /** The column concerned, when there is one. */
  readonly column?: string | undefined;
}

/**
 * A pg_dump stream that `pgmask mask` cannot take, or a COPY block the rules do not cover.
 * The message names the dump line (and table and column where known), never a value of the
 * data. Exit code 2 when the input is the wrong kind of dump (custom format, INSERT
 * statements, another encoding): the command producing it must change. Exit code 1 when the
 * rules do not cover a COPY block, as with validation.
 */
export class DumpError extends PgmaskError implements DumpPosition {
  readonly line: number;
  readonly table: string | undefined;
  readonly column: string | undefined;

  constructor(code: string, reason: string, position: DumpPosition, exitCode: ExitCode, options?: ErrorOptions) {
    super(code, `dump line ${position.line}: ${reason}`, exitCode, options);
    this.line = position.line;
    this.table = position.table;
    this.column = position.column;
  }
}
