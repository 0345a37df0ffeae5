import { Worker } from 'node:worker_threads';
import type { MaskingSession, MaskingWarning } from '../masking-session.js';
import type { MaskedRule } from '../table-masker.js';
import type { BatchMessage, LaneFailure, ThreadMessage, ThreadSetup } from './lane-messages.js';
import type { ThreadSlots } from './thread-slots.js';

/** A batch masked by the thread (see `ThreadMessage`). */
export interface LaneResult {
  readonly rows: number;
  readonly out: Buffer;
  readonly bounds: Int32Array;
  readonly starts: Int32Array;
}

/** Built, the thread runs lane-thread.js; from the TypeScript source (tests, benches), lane-thread.ts through tsx. */
function threadEntry(): URL {
  if (!import.meta.url.endsWith('.ts')) return new URL('./lane-thread.js', import.meta.url);
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `const { register } = await import(${JSON.stringify(tsx)}); register(); await import(${JSON.stringify(new URL('./lane-thread.ts', import.meta.url).href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

/**
 * The stream thread's handle on one masking thread: sends batches, hands back their results in
 * the order sent. A thread is started only while one of the run's slots (CPUs - 1) is free.
 */
export class LaneWorker {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (result: LaneResult) => void; reject: (failure: LaneFailure) => void }>();
  private closing: ((warnings: readonly MaskingWarning[]) => void) | undefined;
  private ended = false;
  /** Whether this thread holds one of the run's thread slots. */
  private counted = true;
  /** Whether the thread has built its rules and takes batches without delay. */
  ready = false;
  /** Why the thread failed, once it has. */
  failure: LaneFailure | undefined;
  /** Settles once the thread is ready or has failed. */
  readonly started: Promise<void>;
  private onStarted: () => void = () => {};

  /** Starts a thread for `columns` of the masker's table, or returns undefined when every thread slot is taken. */
  static start(session: MaskingSession, table: string, names: readonly string[], columns: readonly MaskedRule[]): LaneWorker | undefined {
    if (!session.threads.take()) return undefined;
    const setup: ThreadSetup = {
      key: session.key.bytesForThread(),
      testdataDir: session.testdataDir,
      env: { ...session.env },
      today: session.today,
      table,
      names,
      columns: columns.map((c) => ({ index: c.index, spec: c.spec, target: c.target })),
    };
    return new LaneWorker(setup, session.threads);
  }

  private constructor(
    setup: ThreadSetup,
    private readonly slots: ThreadSlots,
  ) {
    this.started = new Promise((resolve) => (this.onStarted = resolve));
    this.worker = new Worker(threadEntry(), { workerData: setup });
    this.worker.on('message', (message: ThreadMessage) => this.receive(message));
    this.worker.on('error', (error) => this.fail({ kind: 'other', reason: `the masking thread stopped (${error.name})` }));
    this.worker.on('exit', () => {
      this.release();
      this.fail({ kind: 'other', reason: 'the masking thread ended early' });
    });
  }

  /** Sends a batch; resolves with its result. */
  mask(batch: BatchMessage): Promise<LaneResult> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.set(batch.id, { resolve, reject });
      this.worker.postMessage(batch);
    });
  }

  /** Ends the thread once it has answered every batch; resolves with the warnings it collected. */
  close(): Promise<readonly MaskingWarning[]> {
    if (this.failure || this.ended) {
      this.stop();
      return Promise.resolve([]);
    }
    return new Promise((resolve) => {
      this.closing = resolve;
      this.worker.postMessage('close');
    });
  }

  /** Stops the thread at once (unless it has ended by itself). */
  stop(): void {
    if (this.ended) return;
    this.ended = true;
    void this.worker.terminate();
    this.release();
  }

  private release(): void {
    if (this.counted) {
      this.counted = false;
      this.slots.release();
    }
  }

  private receive(message: ThreadMessage): void {
    if ('ready' in message) {
      this.ready = true;
      this.onStarted();
    } else if ('warnings' in message) {
      // The thread ends by itself once it has sent them.
      this.ended = true;
      this.closing?.(message.warnings);
    } else if ('failure' in message) {
      if (message.id === undefined) this.fail(message.failure);
      else this.settle(message.id)?.reject(message.failure);
    } else {
      const out = Buffer.from(message.out.buffer, message.out.byteOffset, message.out.length);
      this.settle(message.id)?.resolve({ rows: message.rows, out, bounds: message.bounds, starts: message.starts });
    }
  }

  private settle(id: number): { resolve: (result: LaneResult) => void; reject: (failure: LaneFailure) => void } | undefined {
    const entry = this.waiting.get(id);
    this.waiting.delete(id);
    return entry;
  }

  private fail(failure: LaneFailure): void {
    if (this.ended) return;
    this.failure ??= failure;
    this.onStarted();
    for (const entry of this.waiting.values()) entry.reject(this.failure);
    this.waiting.clear();
    this.closing?.([]);
    this.stop();
  }
}
