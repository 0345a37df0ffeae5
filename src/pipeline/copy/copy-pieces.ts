import { sqlIdent } from '../../catalog/names.js';
import type { TablePlan } from '../run/table-plan.js';

/** One unit of copying work: a whole table, or a range of its heap blocks read by ctid. */
export interface CopyPiece {
  readonly plan: TablePlan;
  /** First heap block of the range; undefined: from the table's start. */
  readonly fromBlock: number | undefined;
  /** Block the range stops before; undefined: to the table's end (whatever its size by then). */
  readonly toBlock: number | undefined;
  /** Pieces the table is cut into (1: the whole table). */
  readonly of: number;
  /** `COPY ... TO STDOUT` of this piece on the source. */
  readonly copyOutSql: string;
  /** Estimated bytes of the piece, for ordering. */
  readonly bytes: number;
}

/** Tables at least this large (pg_table_size) are cut into block ranges when jobs outnumber them. */
export const SPLIT_MIN_BYTES = 64 * 1024 * 1024;

/** The masked columns of each table, as far as scheduling needs them. */
export type MaskerColumns = ReadonlyMap<string, { readonly columns: readonly { readonly ordered: boolean }[] } | undefined>;

/**
 * Whether a table has a column whose masking keeps ordered run-wide state (`unique: true`):
 * its pseudonyms follow the order its rows arrive in.
 */
export function keepsOrder(plan: TablePlan, maskers: MaskerColumns): boolean {
  return maskers.get(plan.key)?.columns.some((c) => c.ordered) ?? false;
}

/**
 * The tables big enough to be read in ranges: at least `minBytes`, and not `keepsOrder`: ranges
 * copied at the same time would make the order of its rows, and so the output, differ from run
 * to run.
 */
export function splittable(plans: readonly TablePlan[], maskers: MaskerColumns, minBytes: number): TablePlan[] {
  return plans.filter((p) => p.table.bytes >= minBytes && !keepsOrder(p, maskers));
}

/**
 * The jobs free for the big tables' ranges: all of them, less the one that the tables which
 * `keepsOrder` take when, together, they are big (they are copied one after another, on one job,
 * for as long as that takes; with two jobs, cutting another big table would only copy its ranges
 * one after another).
 */
export function rangeJobs(plans: readonly TablePlan[], maskers: MaskerColumns, jobs: number, minBytes: number): number {
  const orderedBytes = plans.filter((p) => keepsOrder(p, maskers)).reduce((sum, p) => sum + p.table.bytes, 0);
  return orderedBytes >= minBytes ? jobs - 1 : jobs;
}

/** Options of `planPieces`. */
export interface PieceOptions {
  /** Copies at a time that can take the big tables' ranges. */
  readonly jobs: number;
  /** Heap blocks of each table that may be split, by plan key (pg_relation_size / block_size). */
  readonly blocks: ReadonlyMap<string, number>;
  /** server_version_num of the source: ranges need PostgreSQL 14's TID range scans. */
  readonly serverVersion: number;
  /** Smallest table to split; default SPLIT_MIN_BYTES. A piece is at least a quarter of it. */
  readonly splitMinBytes?: number | undefined;
}

/** `COPY (SELECT columns FROM ONLY table WHERE ctid in [from, to)) TO STDOUT`: the rows of some heap blocks. */
export function rangeCopyOutSql(plan: TablePlan, fromBlock: number | undefined, toBlock: number | undefined): string {
  const conditions = [
    ...(fromBlock !== undefined ? [`ctid >= '(${fromBlock},0)'::pg_catalog.tid`] : []),
    ...(toBlock !== undefined ? [`ctid < '(${toBlock},0)'::pg_catalog.tid`] : []),
  ];
  const list = plan.columns.map((c) => sqlIdent(c.name)).join(', ');
  return `COPY (SELECT ${list} FROM ONLY ${plan.table.sqlName}${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''}) TO STDOUT`;
}

/**
 * Cuts the copy into pieces: one per table, except that when `jobs` outnumber the big tables
 * (at least `splitMinBytes`), each big table is cut into about jobs / big-tables ranges of
 * heap blocks, so that every job has work. The first range has no lower bound and the last no
 * upper bound: together they cover every row, each exactly once. Largest pieces first.
 */
export function planPieces(plans: readonly TablePlan[], options: PieceOptions): CopyPiece[] {
  const whole = (plan: TablePlan): CopyPiece => ({ plan, fromBlock: undefined, toBlock: undefined, of: 1, copyOutSql: plan.copyOutSql, bytes: plan.table.bytes });
  const minBytes = Math.max(1, options.splitMinBytes ?? SPLIT_MIN_BYTES);
  const big = plans.filter((p) => !p.skip && p.table.bytes >= minBytes && (options.blocks.get(p.key) ?? 0) > 1);
  if (options.serverVersion < 140000 || options.jobs <= 1 || big.length === 0 || options.jobs <= big.length) {
    return plans.filter((p) => !p.skip).map(whole);
  }
  const pieces: CopyPiece[] = [];
  for (const plan of plans) {
    if (plan.skip) continue;
    const blocks = options.blocks.get(plan.key) ?? 0;
    if (!big.includes(plan)) {
      pieces.push(whole(plan));
      continue;
    }
    const count = Math.max(1, Math.min(Math.ceil(options.jobs / big.length), blocks, Math.floor(plan.table.bytes / (minBytes / 4))));
    if (count === 1) {
      pieces.push(whole(plan));
      continue;
    }
    for (let i = 0; i < count; i++) {
      const fromBlock = i === 0 ? undefined : Math.round((blocks * i) / count);
      const toBlock = i === count - 1 ? undefined : Math.round((blocks * (i + 1)) / count);
      pieces.push({ plan, fromBlock, toBlock, of: count, copyOutSql: rangeCopyOutSql(plan, fromBlock, toBlock), bytes: plan.table.bytes / count });
    }
  }
  return pieces.sort((a, b) => b.bytes - a.bytes || a.plan.key.localeCompare(b.plan.key) || (a.fromBlock ?? -1) - (b.fromBlock ?? -1));
}

/**
 * The pieces as runs, in the order the jobs take them: each piece a run of its own, except the
 * pieces of tables that `keepsOrder`, which form one run, one after another, where the first of
 * them stood. Such tables claim pseudonyms in the order their rows arrive: copied at the same
 * time, two of them could interleave their claims by timing, and a value both hold could get
 * another pseudonym from run to run.
 */
export function pieceRuns(pieces: readonly CopyPiece[], maskers: MaskerColumns): CopyPiece[][] {
  const chain = pieces.filter((p) => keepsOrder(p.plan, maskers));
  return pieces.flatMap((piece) => (!keepsOrder(piece.plan, maskers) ? [[piece]] : piece === chain[0] ? [chain] : []));
}
