import type { TablePlan } from '../run/table-plan.js';

/**
 * Whether a table can be copied in COPY's binary format, which spares both servers turning
 * values into text and back and pgmask escaping: every column's type must carry its values the
 * same way in any database of the server's major version, and every masked column's must be
 * one pgmask reads and writes (text, jsonb, integers, numeric, date, timestamp: see `BinaryForm`). The caller also checks that both servers run the same major version.
 */
export function copiesBinary(plan: TablePlan): boolean {
  return plan.columns.every((c) => c.binaryForm !== undefined && (!plan.masked.has(c.name) || c.binaryForm !== 'opaque'));
}

/** Options of `binaryTables`. */
export interface BinaryTablesOptions {
  /** `--copy-format`: `text` moves every table as text. */
  readonly copyFormat: 'auto' | 'text' | undefined;
  /** server_version_num of the source and of the target. */
  readonly sourceVersion: number;
  readonly targetVersion: number;
  /** Whether masking may go to a second thread: such a table moves as text (only the one-thread rewriter reads binary). */
  readonly maskThread: boolean;
  /** Whether a table has a masked column, by plan key. */
  readonly masked: (key: string) => boolean;
}

/** The tables (plan keys) whose rows move in COPY's binary format. */
export function binaryTables(plans: readonly TablePlan[], options: BinaryTablesOptions): ReadonlySet<string> {
  const sameMajor = Math.floor(options.sourceVersion / 10000) === Math.floor(options.targetVersion / 10000);
  if (options.copyFormat === 'text' || !sameMajor) return new Set();
  return new Set(plans.filter((p) => copiesBinary(p) && !(options.maskThread && options.masked(p.key))).map((p) => p.key));
}
