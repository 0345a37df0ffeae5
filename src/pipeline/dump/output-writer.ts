import type { Writable } from 'node:stream';
import { ExitCode, PgmaskError } from '../../errors.js';

/** A failure of the output as a PgmaskError that says so (and not as the source's). */
export function outputClosed(cause?: unknown): PgmaskError {
  return new PgmaskError('OUTPUT_CLOSED', 'the output was closed before the whole dump was written (did the reading process stop?)', ExitCode.runtime, {
    ...(cause !== undefined ? { cause } : {}),
  });
}

/**
 * Writes a run's output into a stream that stays open (its caller ends or discards it): text
 * and the chunks of one stream after another, with backpressure. However many streams pass,
 * it holds one `error` listener on the output for its life, and a `drain` wait holds its own
 * listeners only while it waits; `close()` takes the error listener off.
 * (`pipeline(..., { end: false })` per stream leaves its listeners on the output.)
 *
 * A write fails with `OUTPUT_CLOSED` once the output has failed or closed, and a wait for
 * `drain` ends when the output fails or closes or `signal` aborts.
 */
export class OutputWriter {
  readonly #out: Writable;
  readonly #signal: AbortSignal | undefined;
  #error: unknown;
  #failure: PgmaskError | undefined;
  readonly #onError = (error: unknown): void => {
    this.#error ??= error;
  };

  constructor(out: Writable, signal?: AbortSignal) {
    this.#out = out;
    this.#signal = signal;
    out.on('error', this.#onError);
  }

  /**
   * The last stage of a `pipeline` that writes what it gets into the output, e.g.
   * `pipeline(source, writer.sink, { signal })`: the pipeline's signal also ends a wait for `drain`.
   */
  readonly sink = async (source: AsyncIterable<Buffer | string>, options?: { signal?: AbortSignal }): Promise<void> => {
    for await (const chunk of source) await this.write(chunk, options?.signal);
  };

  /** Writes a chunk; resolves at once while the output takes more, else once it has drained. */
  async write(chunk: Buffer | string, stage?: AbortSignal): Promise<void> {
    this.#check();
    if (!this.#out.write(chunk)) await this.#drained(stage);
  }

  /** Resolves once the output has taken everything written so far; fails if it cannot. */
  async flush(): Promise<void> {
    this.#check();
    await new Promise<void>((resolve, reject) => this.#out.write(Buffer.alloc(0), (error) => (error ? reject(this.#closed(error)) : resolve())));
    this.#check();
  }

  /** The `OUTPUT_CLOSED` error a write or wait failed with, if one did: the run's cause, whatever the streams before it say. */
  get failure(): PgmaskError | undefined {
    return this.#failure;
  }

  /** Takes the writer's error listener off the output. */
  close(): void {
    this.#out.off('error', this.#onError);
  }

  #closed(cause?: unknown): PgmaskError {
    this.#failure ??= outputClosed(cause);
    return this.#failure;
  }

  #check(): void {
    const out = this.#out;
    if (this.#error !== undefined || out.errored) throw this.#closed(this.#error ?? out.errored);
    if (out.destroyed || out.writableEnded) throw this.#closed();
  }

  #drained(stage: AbortSignal | undefined): Promise<void> {
    const out = this.#out;
    const signals = [this.#signal, stage].filter((s): s is AbortSignal => s !== undefined);
    return new Promise<void>((resolve, reject) => {
      const settle = (error?: unknown): void => {
        out.off('drain', onDrain);
        out.off('error', onFailure);
        out.off('close', onFailure);
        for (const s of signals) s.removeEventListener('abort', onAbort);
        if (error === undefined) resolve();
        else reject(error);
      };
      const onDrain = (): void => settle();
      const onFailure = (error?: unknown): void => settle(this.#closed(error ?? this.#error));
      const onAbort = (): void => settle(signals.find((s) => s.aborted)!.reason);
      const aborted = signals.find((s) => s.aborted);
      if (aborted) return reject(aborted.reason);
      if (out.destroyed) return reject(this.#closed(this.#error));
      out.on('drain', onDrain);
      out.on('error', onFailure);
      out.on('close', onFailure);
      for (const s of signals) s.addEventListener('abort', onAbort, { once: true });
    });
  }
}
