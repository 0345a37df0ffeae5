import { ExitCode, PgmaskError } from '../../errors.js';

/**
 * The side of a run that stopped moving bytes: a server connection (`source`, `target`), or
 * for `dump` and `mask` the stream in (`input`) or out (`output`).
 */
export type StallSide = 'source' | 'target' | 'input' | 'output';

/** Default of `--stall-timeout`: seconds without a byte moving before a run fails. */
export const DEFAULT_STALL_TIMEOUT_SECONDS = 300;

const WHY: Record<StallSide, string> = {
  source: 'the source server or the network to it stalled without closing the connection',
  target: 'the target server or the network to it stalled without closing the connection',
  input: 'the input stopped coming without ending',
  output: "whatever reads pgmask's output stopped taking it",
};

/** A table's COPY, or a statement pgmask waited on, moved no byte for the stall timeout (exit code 3). */
export class StallError extends PgmaskError {
  constructor(
    readonly table: string | undefined,
    readonly side: StallSide,
    readonly seconds: number,
    /** What stalled when no table did (default `a statement`). */
    work = 'a statement',
  ) {
    const what = table ? `table ${table}` : work;
    super('STALL', `${what}: no progress on the ${side} side for ${seconds} s (--stall-timeout ${seconds}): ${WHY[side]}`, ExitCode.runtime);
  }
}

/** One thing the watchdog watches: a table's COPY or a statement. */
export interface StallWatch {
  /** The table, named in the error; undefined for a statement outside any table's work. */
  readonly table: string | undefined;
  /** What the error names when `table` is undefined (default `a statement`). */
  readonly work?: string;
  /** A count that grows while bytes move (bytes read plus bytes written); a statement's stays 0. */
  progress(): number;
  /** Which side to blame when the count stops growing: the one the work is waiting on. */
  side(): StallSide;
  /** Called once, when the count has not grown for the timeout: ends the sessions the work waits on, so that its promises reject. */
  onStall(error: StallError): void;
}

interface Watched {
  readonly watch: StallWatch;
  last: number;
  since: number;
}

/**
 * A run's progress watchdog: polls each watched COPY or statement (a few times a second at
 * most, once a second at least) and, when its progress count has not grown for `timeoutSeconds`,
 * calls its `onStall` with a `StallError` naming the table and the side it was waiting on. A
 * timeout of 0 watches nothing. The timer does not keep the process alive.
 *
 * @example
 * ```ts
 * const watchdog = new StallWatchdog(300);
 * const unwatch = watchdog.watch({ table: 'public.orders', progress: () => out.bytesSoFar, side: () => 'source', onStall: (e) => { stalled = e; session.destroy(); } });
 * try { await copy(); } finally { unwatch(); }
 * ```
 */
export class StallWatchdog {
  private readonly watched = new Set<Watched>();
  private timer: NodeJS.Timeout | undefined;
  private readonly timeoutMs: number;

  constructor(readonly timeoutSeconds: number) {
    this.timeoutMs = timeoutSeconds * 1000;
  }

  /** Watches `watch` until the returned function is called. */
  watch(watch: StallWatch): () => void {
    if (this.timeoutMs <= 0) return () => {};
    const entry: Watched = { watch, last: watch.progress(), since: performance.now() };
    this.watched.add(entry);
    this.timer ??= setInterval(() => this.check(), Math.max(50, Math.min(1000, this.timeoutMs / 8))).unref();
    return () => {
      this.watched.delete(entry);
      this.idle();
    };
  }

  /**
   * Runs `work` as a statement the watchdog watches: when it has not settled within the timeout,
   * `onStall` is called (to end the sessions it waits on) and the returned promise rejects with
   * the `StallError` at once, whether or not `work` ever settles. With no timeout, `work` as it is.
   */
  async during<T>(table: string | undefined, side: StallSide, onStall: (error: StallError) => void, work: () => Promise<T>): Promise<T> {
    let rejectStall: (error: StallError) => void = () => {};
    const stalled = new Promise<never>((_resolve, reject) => (rejectStall = reject));
    stalled.catch(() => {});
    const unwatch = this.watch({
      table,
      progress: () => 0,
      side: () => side,
      onStall: (error) => {
        rejectStall(error);
        onStall(error);
      },
    });
    try {
      return await Promise.race([work(), stalled]);
    } finally {
      unwatch();
    }
  }

  /** Stops watching everything. */
  stop(): void {
    this.watched.clear();
    this.idle();
  }

  private idle(): void {
    if (this.watched.size > 0 || !this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private check(): void {
    const t = performance.now();
    for (const entry of [...this.watched]) {
      const progress = entry.watch.progress();
      if (progress !== entry.last) {
        entry.last = progress;
        entry.since = t;
      } else if (t - entry.since >= this.timeoutMs) {
        this.watched.delete(entry);
        entry.watch.onStall(new StallError(entry.watch.table, entry.watch.side(), this.timeoutSeconds, entry.watch.work));
      }
    }
    this.idle();
  }
}
