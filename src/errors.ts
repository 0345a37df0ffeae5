/**
 * Typed errors. Each carries where the problem is (file, line, column, table, column name,
 * byte offset) and never a raw value from the data: messages are built from names and
 * positions only.
 */

/** Exit codes shared by every command. */
export const ExitCode = {
  ok: 0,
  validation: 1,
  usage: 2,
  runtime: 3,
  /** A bug in pgmask: an error it did not expect (sysexits' EX_SOFTWARE). */
  internal: 70,
  interrupted: 130,
  terminated: 143,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Where in a file a problem sits (1-based line and column). */
export interface FilePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Base class of every error pgmask raises on purpose. */
export class PgmaskError extends Error {
  /** A stable, machine-readable code such as `COPY_FORMAT` or `KEY_MISSING`. */
  readonly code: string;
  /** The process exit code a CLI maps this error to. */
  readonly exitCode: ExitCode;

  constructor(code: string, message: string, exitCode: ExitCode = ExitCode.runtime, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
  }
}

/**
 * An error pgmask did not expect: a bug (exit code 70). The message names the error's kind and
 * where it was thrown, never its own message, which may quote a value from the data (a JSON
 * parser's does).
 */
export class InternalError extends PgmaskError {
  constructor(cause: unknown) {
    const kind = cause instanceof Error ? cause.name : typeof cause;
    const frames = cause instanceof Error ? (cause.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)) : [];
    super('INTERNAL', `internal error (a bug in pgmask: please report it): ${kind}${frames.map((line) => `\n${line}`).join('')}`, ExitCode.internal, { cause });
  }

  /** Whether an error is a programming error (TypeError, ReferenceError, SyntaxError) rather than a failure outside pgmask. */
  static isBug(error: unknown): boolean {
    return error instanceof TypeError || error instanceof ReferenceError || error instanceof SyntaxError;
  }
}

/** Wrong command-line arguments: exit code 2. */
export class UsageError extends PgmaskError {
  constructor(message: string) {
    super('USAGE', message, ExitCode.usage);
  }
}

/** A rules file or a rule that cannot be used: exit code 1. */
export class ConfigError extends PgmaskError {
  readonly position: FilePosition | undefined;

  constructor(code: string, message: string, position?: FilePosition) {
    super(code, position ? `${position.file}:${position.line}:${position.column}: ${message}` : message, ExitCode.validation);
    this.position = position;
  }
}

/** Missing, short or unreadable secret key. */
export class KeyError extends PgmaskError {
  constructor(code: string, message: string) {
    super(code, message, ExitCode.usage);
  }
}

/** Where in a COPY stream a problem was found. */
export interface CopyPosition {
  /** `schema.table`, or undefined when the stream is not tied to a table. */
  readonly table: string | undefined;
  /** 1-based row number within the COPY data. */
  readonly line: number;
  /** 0-based byte offset from the start of the COPY data. */
  readonly offset: number;
}

/** Malformed COPY text data. The message names table, line and offset, never the value. */
export class CopyFormatError extends PgmaskError implements CopyPosition {
  /** What is wrong, without the where. */
  readonly reason: string;
  readonly table: string | undefined;
  readonly line: number;
  readonly offset: number;

  constructor(reason: string, position: CopyPosition) {
    const where = `${position.table ? `table ${position.table}, ` : ''}line ${position.line}, byte offset ${position.offset}`;
    super('COPY_FORMAT', `malformed COPY data (${where}): ${reason}`, ExitCode.runtime);
    this.reason = reason;
    this.table = position.table;
    this.line = position.line;
    this.offset = position.offset;
  }
}

/** A transformer failed on a value. Names the table, column and row, never the value. */
export class TransformError extends PgmaskError {
  /** What went wrong, without the where. */
  readonly reason: string;
  readonly table: string | undefined;
  readonly column: string;
  readonly line: number | undefined;

  constructor(reason: string, where: { table?: string | undefined; column: string; line?: number | undefined }, options?: ErrorOptions) {
    const at = [where.table && `table ${where.table}`, `column ${where.column}`, where.line !== undefined && `line ${where.line}`].filter(Boolean).join(', ');
    super('TRANSFORM', `cannot mask a value (${at}): ${reason}`, ExitCode.runtime, options);
    this.reason = reason;
    this.table = where.table;
    this.column = where.column;
    this.line = where.line;
  }
}

/** A database could not be reached or answered with an error. */
export class DatabaseError extends PgmaskError {
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(code, message, ExitCode.runtime, options);
  }
}
