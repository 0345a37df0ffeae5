import { Transform, type TransformCallback } from 'node:stream';
import type { LanedRows } from './laned-rows.js';
import { whenRoomFor } from './laned-rows.js';
import { OrderedOutput } from './ordered-output.js';

/** What a `LanedTransform` drives: a stage that writes to the transform's ordered output. */
export interface LanedStage {
  /** Takes a chunk of input; may throw. */
  take(chunk: Buffer): void;
  /** The input has ended: writes what is left; may throw. */
  finish(): void;
  /** The lanes whose batches the next chunk waits for (the current table's), if any. */
  readonly lanes: LanedRows | undefined;
  /** The stream failed or was destroyed: stops every masking thread at once. */
  stop(): void;
}

/**
 * A Transform whose output may be made partly on a masking thread: what its stage writes goes
 * out in order through an `OrderedOutput`, and the next chunk is taken only when there is room
 * for it (see `whenRoomFor`): the backpressure of a stream masked on two threads.
 */
export class LanedTransform<S extends LanedStage = LanedStage> extends Transform {
  protected readonly stage: S;
  private readonly output: OrderedOutput;
  /** Bytes handed on so far. */
  bytesOut = 0;

  /** @param makeStage builds the stage around the output it writes to */
  constructor(makeStage: (output: OrderedOutput) => S) {
    super();
    this.output = new OrderedOutput(
      (chunk) => {
        this.bytesOut += chunk.length;
        this.push(chunk);
      },
      (error) => this.destroy(error),
    );
    this.stage = makeStage(this.output);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.stage.take(chunk);
    } catch (error) {
      callback(error as Error);
      return;
    }
    whenRoomFor(this.stage.lanes, this.output, callback);
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.stage.finish();
    } catch (error) {
      callback(error as Error);
      return;
    }
    this.output.settled(0).then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.stage.stop();
    callback(error);
  }
}
