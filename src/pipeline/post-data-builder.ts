import pLimit from 'p-limit';
import type { Session } from '../db/connection.js';
import type { PostDataPlan, PostDataStatement } from './post-data.js';

/** A post-data statement failed: `table` names the table whose group it belongs to, if any. */
export interface PostDataFailure {
  readonly error: unknown;
  readonly table: string | undefined;
}

/** A target connection with the settings it has run so far. */
interface Lane {
  readonly session: Session;
  applied: number;
}

/**
 * Builds the post-data section on the target: a table's group (its indexes and keys) as soon
 * as `tableLoaded` says its rows are in, one group at a time while data is still loading, then
 * at `finish` the groups left, `jobs` at a time, and last the rest in dump order.
 *
 * @example
 * ```ts
 * const builder = new PostDataBuilder(splitPostData(sql, tables), () => Session.connect(target, 'target'), jobs, onFailure);
 * builder.tableLoaded('public.orders'); // while other tables still load
 * await builder.finish();
 * ```
 */
export class PostDataBuilder {
  private readonly waiting: Map<string, readonly PostDataStatement[]>;
  private early: Promise<void> = Promise.resolve();
  private earlyLane: Lane | undefined;
  private readonly opened: Lane[] = [];
  private failure: PostDataFailure | undefined;
  private stopped = false;

  constructor(
    private readonly plan: PostDataPlan,
    private readonly connect: () => Promise<Session>,
    private readonly jobs: number,
    /** Called once, with the first failure, while data may still be loading (to stop it). */
    private readonly onFailure: (failure: PostDataFailure) => void,
  ) {
    this.waiting = new Map(plan.byTable);
  }

  /** The rows of `table` are in: its group is queued behind the groups queued before it. */
  tableLoaded(table: string): void {
    const group = this.waiting.get(table);
    if (!group) return;
    this.waiting.delete(table);
    this.early = this.early.then(async () => {
      if (this.failure || this.stopped) return;
      try {
        this.earlyLane ??= await this.lane();
      } catch (error) {
        this.fail(error, table);
        return;
      }
      await this.run(this.earlyLane, group, table);
    });
  }

  /** Builds the groups not built yet, `jobs` at a time, then the rest. Throws the first failure. */
  async finish(): Promise<void> {
    await this.early;
    this.throwIfFailed();
    const limit = pLimit(this.jobs);
    const lanes: Lane[] = this.earlyLane ? [this.earlyLane] : [];
    const take = async (): Promise<Lane> => lanes.pop() ?? (await this.lane());
    await Promise.all(
      [...this.waiting].map(([table, group]) =>
        limit(async () => {
          if (this.failure || this.stopped) return;
          let lane: Lane;
          try {
            lane = await take();
          } catch (error) {
            this.fail(error, table);
            return;
          }
          await this.run(lane, group, table);
          lanes.push(lane);
        }),
      ),
    );
    this.waiting.clear();
    this.throwIfFailed();
    if (this.plan.rest.length) await this.run(lanes.pop() ?? (await this.lane()), this.plan.rest, undefined);
    this.throwIfFailed();
  }

  /**
   * Starts nothing more, cancels the statements running (through `control`, a connection to the
   * same server) and waits for the queued work to settle: a failed run calls this before it
   * drops or empties what it made.
   */
  async stop(control: Session): Promise<void> {
    this.stopped = true;
    for (const lane of this.opened) await control.query('SELECT pg_catalog.pg_cancel_backend($1)', [lane.session.pid]).catch(() => {});
    await this.early;
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }

  private fail(error: unknown, table: string | undefined): void {
    if (this.failure || this.stopped) return;
    this.failure = { error, table };
    this.onFailure(this.failure);
  }

  private async lane(): Promise<Lane> {
    const lane = { session: await this.connect(), applied: 0 };
    this.opened.push(lane);
    return lane;
  }

  /**
   * Runs statements in order, each after the session settings the dump put before it (those
   * not applied yet go in one round trip: while data loads, each reply waits its turn behind
   * the rows pgmask is masking).
   */
  private async run(lane: Lane, statements: readonly PostDataStatement[], table: string | undefined): Promise<void> {
    try {
      for (const statement of statements) {
        if (this.failure || this.stopped) return;
        if (lane.applied < statement.settings) {
          await lane.session.query(this.plan.settings.slice(lane.applied, statement.settings).join('\n'));
          lane.applied = statement.settings;
        }
        await lane.session.query(statement.sql);
      }
    } catch (error) {
      this.fail(error, table);
    }
  }
}
