import { Session } from '../../db/connection.js';
import type { PgmaskError } from '../../errors.js';
import type { PostDataBuilder } from '../post-data/post-data-builder.js';
import { asPgmaskError } from '../run/as-pgmask-error.js';
import { type RunReport, startReport } from '../run/report.js';
import { DEFAULT_STALL_TIMEOUT_SECONDS, StallError, StallWatchdog } from '../run/stall-watchdog.js';
import type { SwapPlan } from '../swap/swap-plan.js';
import type { CopyOptions } from './copy-options.js';

/**
 * What the phases of one copy share: its options and report, the connections it opened, what
 * to undo when it fails, and the signal that stops its work at the first failure (or when the
 * caller's signal aborts).
 */
export class CopyRun {
  readonly report: RunReport;
  readonly env: NodeJS.ProcessEnv;
  /** Fails a table whose COPY, or a statement the run waits on, moves no byte for `stallTimeout` seconds. */
  readonly watchdog: StallWatchdog;
  private readonly controller = new AbortController();
  private readonly onAbort = (): void => this.controller.abort(this.options.signal?.reason);
  private readonly sessions: Session[] = [];
  /** The table whose failure stopped the run. */
  failedTable: string | undefined;
  /** Tables this run created (--schema create): dropped again when the run fails. */
  createdTables: readonly string[] = [];
  /** Tables this run loads (--schema existing), by plan key: what to empty again when the run fails. */
  loadedTables: ReadonlyMap<string, string> = new Map();
  /** `--swap`: what the swap replaces, once the run holds the target's swap lock; `swapped` once it committed. */
  swap: { readonly plan: SwapPlan; readonly leftovers: number; swapped?: boolean } | undefined;
  /** Builds indexes and keys (--schema create): each table's as soon as its rows are in. */
  postData: PostDataBuilder | undefined;
  /** pgmask's own connection to the target. */
  target: Session | undefined;

  constructor(readonly options: CopyOptions) {
    this.env = options.env ?? process.env;
    this.report = startReport('copy', options);
    this.watchdog = new StallWatchdog(options.stallTimeout ?? DEFAULT_STALL_TIMEOUT_SECONDS);
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
    options.onReport?.(this.report);
  }

  /** Aborted at the run's first failure, or when the caller's signal aborts. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Whether the caller stopped the run (SIGINT, SIGTERM). */
  get interrupted(): boolean {
    return this.options.signal?.aborted ?? false;
  }

  /**
   * Opens a connection that the run ends when it ends. Its statements are watched (see
   * `StallWatchdog.during`): one that does not return within the stall timeout fails the run,
   * blaming this side, and the connection is dropped; `unguarded` opts work out.
   */
  async connect(role: 'source' | 'target', options: { watched?: boolean } = {}): Promise<Session> {
    const connecting = Session.connect(role === 'source' ? this.options.source : this.options.target, role);
    const session = await this.watchdog.during(
      undefined,
      role,
      (error) => {
        this.fail(undefined, error);
        connecting.then((late) => late.destroy()).catch(() => {});
      },
      () => connecting,
    );
    this.sessions.push(session);
    if (options.watched !== false) {
      session.guardStatements((work) =>
        this.watchdog.during(
          undefined,
          role,
          (error) => {
            this.fail(undefined, error);
            session.destroy();
          },
          work,
        ),
      );
    }
    return session;
  }

  /** A table failed: the run stops (the first failure is the one reported). */
  fail(table: string | undefined, error: unknown): void {
    if (this.signal.aborted) return;
    this.failedTable ??= table;
    this.controller.abort(asPgmaskError(error, table));
  }

  /** The failure that stopped the run: the caller's reason when it was stopped, else `error`. */
  failure(error: unknown): PgmaskError {
    return asPgmaskError(this.interrupted ? this.options.signal!.reason : error, this.failedTable);
  }

  /** Ends every connection the run opened (drops them, after a stall). */
  async end(): Promise<void> {
    this.report.endedAt = new Date().toISOString();
    this.watchdog.stop();
    this.options.signal?.removeEventListener('abort', this.onAbort);
    // After a stall, a goodbye may never be answered: the connections are dropped instead.
    if (this.signal.reason instanceof StallError) for (const s of this.sessions) s.destroy();
    else await Promise.all(this.sessions.map((s) => s.end()));
  }
}
