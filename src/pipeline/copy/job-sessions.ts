import { Session } from '../../db/connection.js';

/** Where a job's connections go and how they are set up. */
export interface JobSessionOptions {
  readonly source: string | undefined;
  readonly target: string | undefined;
  /** The run's exported snapshot, imported once by the job's source connection. */
  readonly snapshot: string;
  /** `existing`: the target connection loads with `session_replication_role = replica` (no triggers, no key checks). */
  readonly mode: 'create' | 'existing';
  /**
   * A source connection already in the snapshot's transaction, used instead of a new one and left
   * open at `end` (a subset's selection lives in its temporary tables: only it can read the rows).
   */
  readonly sourceSession?: Session | undefined;
}

/** A job's open source and target connections. */
export interface OpenSessions {
  readonly source: Session;
  readonly target: Session;
}

/**
 * The two connections one job copies all its pieces over: opened at its first piece (the source
 * one in a REPEATABLE READ, READ ONLY transaction that imports the run's snapshot, row security
 * off; the target one in a transaction that `commit` ends and begins anew after each piece),
 * reused for every piece after it. A piece that fails `discard`s them (a failed COPY may
 * leave either in the middle of a protocol exchange or an aborted transaction); the next piece,
 * if any, opens new ones. `end` closes them once the job has no pieces left.
 *
 * @example
 * ```ts
 * const sessions = new JobSessions({ source, target, snapshot, mode: 'create' });
 * try {
 *   const { source: from, target: into } = await sessions.open();
 *   // COPY ... TO STDOUT on `from`, COPY ... FROM STDIN on `into`
 * } catch (error) {
 *   sessions.discard();
 *   throw error;
 * } finally {
 *   await sessions.end();
 * }
 * ```
 */
export class JobSessions {
  private open_: OpenSessions | undefined;
  /** While `open` runs: the sides whose connection is not set up yet (the one a stall blames). */
  readonly pending = new Set<'source' | 'target'>();
  private opening: Partial<Record<'source' | 'target', Session>> = {};

  constructor(private readonly options: JobSessionOptions) {}

  /** The job's connections, opened and set up on first use. */
  async open(): Promise<OpenSessions> {
    if (this.open_) return this.open_;
    const { options } = this;
    const shared = options.sourceSession;
    const connect = async (role: 'source' | 'target'): Promise<Session> => {
      this.pending.add(role);
      const session = await Session.connect(role === 'source' ? options.source : options.target, role);
      this.opening[role] = session;
      return session;
    };
    const [source, target] = await Promise.allSettled([shared ?? connect('source'), connect('target')]);
    if (source.status === 'rejected' || target.status === 'rejected') {
      if (source.status === 'fulfilled' && !shared) source.value.destroy();
      if (target.status === 'fulfilled') target.value.destroy();
      throw source.status === 'rejected' ? source.reason : (target as PromiseRejectedResult).reason;
    }
    const sessions = { source: source.value, target: target.value };
    try {
      await Promise.all(
        [
          shared
            ? Promise.resolve()
            : sessions.source.query(`BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; SET TRANSACTION SNAPSHOT '${options.snapshot}'; SET row_security = off`),
          (async () => {
            if (options.mode === 'existing') await sessions.target.query('SET session_replication_role = replica');
            await sessions.target.query('BEGIN');
          })(),
        ].map((step, i) => step.then(() => this.pending.delete(i === 0 ? 'source' : 'target'))),
      );
    } catch (error) {
      if (!shared) sessions.source.destroy();
      sessions.target.destroy();
      throw error;
    } finally {
      this.pending.clear();
      this.opening = {};
    }
    this.open_ = sessions;
    return sessions;
  }

  /**
   * Commits the rows the target connection loaded since its last commit, and begins the
   * transaction the job's next piece loads in: one round trip.
   */
  async commit(): Promise<void> {
    await this.open_?.target.query('COMMIT; BEGIN');
  }

  /** Drops both connections at once (also those `open` is still setting up): after a failure, neither is used again. */
  discard(): void {
    if (!this.options.sourceSession) (this.open_?.source ?? this.opening.source)?.destroy();
    (this.open_?.target ?? this.opening.target)?.destroy();
    this.open_ = undefined;
  }

  /** Closes both connections (their transactions, which hold nothing by then, end with them). */
  async end(): Promise<void> {
    const open = this.open_;
    this.open_ = undefined;
    if (open) await Promise.all([this.options.sourceSession ? undefined : open.source.end(), open.target.end()]);
  }
}
