import { Worker } from 'node:worker_threads';
import { ExitCode, PgmaskError } from '../errors.js';
import { threadEntry } from '../lanes/thread-entry.js';
import type { PieceContext } from './copy-piece.js';
import type { CopyPiece, TablePlan } from './plan.js';
import type { TableReport } from './report.js';

/** Pieces of tables nothing is masked in, from this many bytes up, go to a thread of their own while another table is masked. */
export const THREAD_MIN_BYTES = 64 * 1024 * 1024;

/** What the piece thread is started with. */
export interface PieceSetup {
  readonly plan: TablePlan;
  readonly piece: CopyPiece;
  readonly source: string | undefined;
  readonly target: string | undefined;
  readonly snapshot: string;
  readonly mode: 'create' | 'existing';
  readonly binary: boolean;
}

/** What the piece thread says: its progress, then how the piece ended (no value from the data in either). */
export type PieceMessage =
  | { readonly kind: 'progress'; readonly rows: number; readonly bytes: number }
  | { readonly kind: 'done'; readonly rows: number; readonly bytes: number; readonly seconds: number; readonly binary: boolean }
  | { readonly kind: 'failed'; readonly code: string; readonly message: string; readonly exitCode: ExitCode };

/**
 * `copyPiece` for a table nothing is masked in, on a thread of its own (piece-thread.ts): its
 * rows then move at the servers' pace instead of waiting their turns between the masked rows of
 * another table on the stream's thread. Settles once the thread has ended (its connections
 * closed); rejects with the thread's error, rebuilt as a PgmaskError.
 */
export function copyPieceOnThread(plan: TablePlan, ctx: PieceContext, result: TableReport, piece: CopyPiece, onProgress: (rows: number, bytes: number) => void): Promise<void> {
  const setup: PieceSetup = { plan, piece, source: ctx.source, target: ctx.target, snapshot: ctx.snapshot, mode: ctx.mode, binary: ctx.binary.has(plan.key) };
  const worker = new Worker(threadEntry(import.meta.url, 'piece-thread'), { workerData: setup });
  const stop = (): void => worker.postMessage('stop');
  ctx.signal.addEventListener('abort', stop, { once: true });
  let outcome: PieceMessage | undefined;
  return new Promise((resolve, reject) => {
    worker.on('message', (message: PieceMessage) => {
      if (message.kind === 'progress') onProgress(message.rows, message.bytes);
      else outcome = message;
    });
    // Only the error's name: its message may come from anywhere.
    worker.on('error', (error) => (outcome ??= { kind: 'failed', code: 'THREAD', message: `table ${plan.key}: the copy thread failed (${error.name})`, exitCode: ExitCode.runtime }));
    worker.on('exit', () => {
      ctx.signal.removeEventListener('abort', stop);
      if (outcome?.kind === 'done') {
        result.rows += outcome.rows;
        result.bytes += outcome.bytes;
        result.seconds = outcome.seconds;
        if (outcome.binary) result.format = 'binary';
        result.ownThread = true;
        resolve();
      } else if (outcome?.kind === 'failed') {
        reject(new PgmaskError(outcome.code, outcome.message, outcome.exitCode));
      } else {
        reject(new PgmaskError('THREAD', `table ${plan.key}: the copy thread ended without a result`));
      }
    });
  });
}
