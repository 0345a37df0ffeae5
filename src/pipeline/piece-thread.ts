/**
 * The thread `copyPieceOnThread` starts: copies one piece of a table nothing is masked in, over
 * connections of its own, and reports its progress and its end. A message from the stream's
 * thread stops it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { asPgmaskError } from './as-pgmask-error.js';
import { copyPiece } from './copy-piece.js';
import type { PieceMessage, PieceSetup } from './copy-piece-on-thread.js';
import type { TableReport } from './report.js';

const setup = workerData as PieceSetup;
const port = parentPort!;
const post = (message: PieceMessage): void => port.postMessage(message);
const controller = new AbortController();
port.on('message', () => controller.abort());
// The thread ends when the copy has, whether or not a stop came.
port.unref();

const result: TableReport = { table: setup.plan.key, status: 'running', rows: 0, bytes: 0, seconds: 0, columns: {} };
try {
  const ctx = {
    source: setup.source,
    target: setup.target,
    snapshot: setup.snapshot,
    mode: setup.mode,
    maskers: new Map(),
    maskThread: false,
    binary: new Set(setup.binary ? [setup.plan.key] : []),
    signal: controller.signal,
  };
  await copyPiece(setup.plan, ctx, result, setup.piece, (rows, bytes) => post({ kind: 'progress', rows, bytes }));
  post({ kind: 'done', rows: result.rows, bytes: result.bytes, seconds: result.seconds, binary: result.format === 'binary' });
} catch (error) {
  const failure = asPgmaskError(error, setup.plan.key);
  post({ kind: 'failed', code: failure.code, message: failure.message, exitCode: failure.exitCode });
}
