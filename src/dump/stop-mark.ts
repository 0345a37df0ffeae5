import type { Writable } from 'node:stream';

/**
 * What a failed mask writes after the part of a dump it wrote, so that whoever loads the
 * stream fails instead of loading part of it, wherever the stream was cut:
 *
 * - a line that is not UTF-8 (byte 0xFF): in a COPY block it fails the block whatever its
 *   columns, and COPY loads all of a block's rows or none, so no table is ever loaded in part;
 *   between statements the server refuses it too;
 * - the end of COPY data (`\.`), so that psql leaves a block it was reading (between
 *   statements psql calls it an invalid command, an error too);
 * - a statement that raises an error naming pgmask: `psql -v ON_ERROR_STOP=1` stops there, and
 *   `--single-transaction` then rolls back everything the stream loaded.
 */
export const STOP_MARK: Buffer = Buffer.concat([
  Buffer.from('\n'),
  Buffer.from([0xff]),
  Buffer.from('\n\\.\nDO $pgmask$ BEGIN RAISE EXCEPTION $m$pgmask mask failed: this dump is incomplete$m$; END $pgmask$;\n'),
]);

/**
 * Ends a dump that stopped half-way with `STOP_MARK`, unless the output is gone. Waits at most
 * a second for the output to take it, and not at all when the run was stopped: a reader that
 * stopped reading must not hold the run up (the mark stays queued for it).
 */
export async function writeStopMark(output: Writable, signal?: AbortSignal): Promise<void> {
  if (output.destroyed || output.writableEnded) return;
  const taken = new Promise<void>((resolve) => output.write(STOP_MARK, () => resolve()));
  if (signal?.aborted) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([taken, new Promise<void>((resolve) => (timer = setTimeout(resolve, 1000)))]);
  clearTimeout(timer);
}
