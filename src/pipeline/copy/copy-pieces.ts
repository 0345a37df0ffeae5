import { sqlIdent } from '../../catalog/names.js';
import type { TablePlan } from '../run/table-plan.js';
import { BlockCursor, type BlockRange } from './block-cursor.js';

/** One COPY of the run: a whole table, or a range of its heap blocks read by ctid. */
export interface CopyPiece {
  readonly plan: TablePlan;
  /** The heap blocks read; undefined: the whole table. */
  readonly range: BlockRange | undefined;
  /** `COPY ... TO STDOUT` of this piece on the source. */
  readonly copyOutSql: string;
  /** Estimated bytes of the piece. */
  readonly bytes: number;
}

/**
 * A table to copy: whole, in one piece, or, with a `cursor`, in ranges of its heap blocks that
 * the job which takes the table and every job that runs out of other work take one at a time.
 */
export interface CopyTask {
  readonly plan: TablePlan;
  /** Estimated bytes of the table, for ordering. */
  readonly bytes: number;
  readonly cursor: BlockCursor | undefined;
}

/**
 * Tables at least this large (pg_table_size) are read in block ranges when more than one job
 * copies. A range costs a COPY on each side and a commit (a few ms), and its TID range scan
 * reads through the source's shared buffers without the small ring of buffers a big sequential
 * scan reuses (PostgreSQL gives it no bulk-read strategy): on a server whose shared_buffers is
 * small next to the table, about 2 ms of the source's CPU more per MB read than one COPY of the
 * whole table (PostgreSQL 15, 128 MB shared_buffers: 0.7 s against 1.2 s for 213 MB).
 */
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
 * The tables that may be read in ranges: plain tables of at least `minBytes` with a masked
 * column, and not `keepsOrder`: ranges copied at the same time would make the order of its
 * rows, and so the output, differ from run to run. A table nothing is masked in is read whole:
 * it moves as the source's own COPY messages, as fast as the servers go, and the TID range scans
 * of its ranges would cost the source more than the second job gains (two kept tables of 212
 * and 72 MB, two jobs, one server: 20% slower in ranges).
 */
export function splittable(plans: readonly TablePlan[], maskers: MaskerColumns, minBytes: number): TablePlan[] {
  return plans.filter((p) => !p.skip && p.table.kind === 'table' && p.table.bytes >= minBytes && maskers.get(p.key) !== undefined && !keepsOrder(p, maskers));
}

/** Options of `planTasks`. */
export interface TaskOptions {
  /** Jobs copying at a time: with one, no table is read in ranges. */
  readonly jobs: number;
  /** Heap blocks of each table that may be split, by plan key (pg_relation_size / block_size). */
  readonly blocks: ReadonlyMap<string, number>;
  /** server_version_num of the source: ranges need PostgreSQL 14's TID range scans. */
  readonly serverVersion: number;
  /** Smallest table to read in ranges; default SPLIT_MIN_BYTES. A range is at least an eighth of it (but the last). */
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
 * The copy's tables, largest first: each whole, except that with more than one job, on
 * PostgreSQL 14+, a `splittable` table of more than one block in `blocks` gets a `BlockCursor`. Its ranges take a share of what is left of the table, 1 / (2 × jobs), at
 * least an eighth of `splitMinBytes`: a table copied alone by its job is read in a dozen COPYs
 * or so, and a job that is free near its end takes a range of a quarter of the rest or less.
 */
export function planTasks(plans: readonly TablePlan[], maskers: MaskerColumns, options: TaskOptions): CopyTask[] {
  const minBytes = Math.max(1, options.splitMinBytes ?? SPLIT_MIN_BYTES);
  const ranged = new Set(options.serverVersion >= 140000 && options.jobs > 1 ? splittable(plans, maskers, minBytes) : []);
  return plans
    .filter((p) => !p.skip)
    .map((plan) => {
      const blocks = options.blocks.get(plan.key) ?? 0;
      if (!ranged.has(plan) || blocks <= 1) return { plan, bytes: plan.table.bytes, cursor: undefined };
      const minBlocks = Math.max(1, Math.ceil((blocks * minBytes) / 8 / plan.table.bytes));
      return { plan, bytes: plan.table.bytes, cursor: new BlockCursor(blocks, minBlocks, 2 * options.jobs) };
    })
    .sort((a, b) => b.bytes - a.bytes || a.plan.key.localeCompare(b.plan.key));
}

/** The whole table as one piece. */
export function wholePiece(plan: TablePlan): CopyPiece {
  return { plan, range: undefined, copyOutSql: plan.copyOutSql, bytes: plan.table.bytes };
}

/** A range of a table's blocks as a piece; its bytes estimated from the table's measured blocks. */
export function rangePiece(plan: TablePlan, cursor: BlockCursor, range: BlockRange): CopyPiece {
  const to = range.toBlock ?? cursor.blocks;
  const share = cursor.blocks > 0 ? Math.max(0, to - (range.fromBlock ?? 0)) / cursor.blocks : 1;
  return { plan, range, copyOutSql: rangeCopyOutSql(plan, range.fromBlock, range.toBlock), bytes: plan.table.bytes * share };
}

/**
 * The tasks as runs, in the order the jobs take them: each task a run of its own, except the
 * tables that `keepsOrder`, which form one run, one after another, where the first of them
 * stood. Such tables claim pseudonyms in the order their rows arrive: copied at the same time,
 * two of them could interleave their claims by timing, and a value both hold could get another
 * pseudonym from run to run.
 */
export function taskRuns(tasks: readonly CopyTask[], maskers: MaskerColumns): CopyTask[][] {
  const chain = tasks.filter((t) => keepsOrder(t.plan, maskers));
  return tasks.flatMap((task) => (!keepsOrder(task.plan, maskers) ? [[task]] : task === chain[0] ? [chain] : []));
}
