import pLimit, { type LimitFunction } from 'p-limit';
import { tableKey } from '../../catalog/table-key.js';
import type { Session } from '../../db/connection.js';
import { retryingDeadlocks } from '../../db/retrying-deadlocks.js';
import type { ForeignKeyStatement, PostDataPlan, PostDataStatement } from './split-post-data.js';

/** At most this many statements of small tables' groups go to the server in one round trip. */
export const BATCH_STATEMENTS = 100;

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
 * Builds the post-data section on the target: a table's group (its indexes and keys, sent in one
 * round trip) as soon as `tableLoaded` says its rows are in, one group at a time while data is still loading; from
 * `finish` on, `jobs` groups at a time (a group queued behind one still building starts at
 * once), then the groups of tables never loaded, and last the rest in dump order.
 *
 * A foreign key of the plan's `foreignKeys` is added (`NOT VALID`, with the other keys that
 * became ready at the same time) by the lane that completes what it waits for: its own table's group, and the statement building the referenced index.
 * Its check then runs on lanes of their own, `jobs` keys at a time, beside the index builds
 * still to come (a referenced table's other indexes among them); `finish` returns once all are
 * checked. Two checks of keys on the same table take turns (each holds SHARE UPDATE EXCLUSIVE on it).
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
  /** Groups queued and not taken by a lane yet, in the order their tables were loaded. */
  private readonly queued: { readonly table: string; readonly group: readonly PostDataStatement[] }[] = [];
  /** Runs the groups: one at a time while data loads, `jobs` at a time from `finish` on. */
  private readonly groupLimit = pLimit(1);
  private readonly groups: Promise<void>[] = [];
  /** Lanes open and not in use by a group. */
  private readonly idle: Lane[] = [];
  private readonly opened: Lane[] = [];
  /** Foreign keys not added yet. */
  private keys: readonly ForeignKeyStatement[];
  /** Tables whose rows are in and whose group is built. */
  private readonly built = new Set<string>();
  /** Indexes built, as `table\0index`. */
  private readonly indexes = new Set<string>();
  /** The checks of the keys added, `jobs` at a time, each on a lane of `checkLanes` not in use. */
  private readonly checks: Promise<void>[] = [];
  private readonly checkLimit: LimitFunction;
  private readonly checkLanes: Lane[] = [];
  private failure: PostDataFailure | undefined;
  private stopped = false;

  constructor(
    private readonly plan: PostDataPlan,
    private readonly connect: () => Promise<Session>,
    private readonly jobs: number,
    /** Called once, with the first failure, while data may still be loading (to stop it). */
    private readonly onFailure: (failure: PostDataFailure) => void,
    /**
     * Small tables: their groups go to the server several in one round trip, and a key on one is
     * added and checked in one statement (the dump's own), not added NOT VALID and checked apart.
     */
    private readonly small: (table: string) => boolean = () => false,
  ) {
    this.waiting = new Map(plan.byTable);
    this.keys = plan.foreignKeys;
    this.checkLimit = pLimit(jobs);
  }

  /** The rows of `table` are in: its group is queued behind the groups queued before it. */
  tableLoaded(table: string): void {
    // A table with no group of its own is built once in; a key on it may then be added.
    const group = this.waiting.get(table) ?? (this.keys.some((k) => k.table === table) ? [] : undefined);
    if (!group) {
      this.built.add(table);
      return;
    }
    this.waiting.delete(table);
    this.queueGroup(table, group);
  }

  /** Builds the groups not built yet, `jobs` at a time, then the rest, and waits for the keys' checks. Throws the first failure. */
  async finish(): Promise<void> {
    this.groupLimit.concurrency = this.jobs;
    for (const [table, group] of this.waiting) this.queueGroup(table, group);
    this.waiting.clear();
    await Promise.all(this.groups);
    this.throwIfFailed();
    // Every table is in and every group built: a key not added yet is on a table `tableLoaded` was not told of.
    const lane = this.keys.length || this.plan.rest.length ? (this.idle.pop() ?? (await this.tryLane(undefined))) : undefined;
    if (lane) {
      for (const key of this.keys) this.built.add(key.table);
      await this.addKeys(lane);
      await this.run(lane, this.plan.rest, undefined);
    }
    await Promise.all(this.checks);
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
    await Promise.all(this.groups);
    await Promise.all(this.checks);
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

  /** A new lane, or undefined when it cannot connect (the failure recorded for `table`). */
  private async tryLane(table: string | undefined): Promise<Lane | undefined> {
    try {
      return await this.lane();
    } catch (error) {
      this.fail(error, table);
      return undefined;
    }
  }

  /**
   * Queues a table's group on a lane not in use. The lane takes with it the other small tables'
   * groups queued by then (up to `BATCH_STATEMENTS` statements): as pg_restore's many small
   * items, but in one round trip.
   */
  private queueGroup(table: string, group: readonly PostDataStatement[]): void {
    this.queued.push({ table, group });
    this.groups.push(
      this.groupLimit(async () => {
        if (this.failure || this.stopped) return;
        const batch = this.takeBatch();
        if (!batch.length) return;
        const lane = this.idle.pop() ?? (await this.tryLane(batch[0]!.table));
        if (!lane) return;
        await this.runGroups(lane, batch);
        this.idle.push(lane);
      }),
    );
  }

  /** The first group queued, and when its table is small, the other small tables' groups queued. */
  private takeBatch(): { readonly table: string; readonly group: readonly PostDataStatement[] }[] {
    const first = this.queued.shift();
    if (!first) return [];
    const batch = [first];
    if (!this.small(first.table)) return batch;
    let statements = first.group.length;
    for (let i = 0; i < this.queued.length && statements < BATCH_STATEMENTS; ) {
      const next = this.queued[i]!;
      if (!this.small(next.table) || statements + next.group.length > BATCH_STATEMENTS) {
        i++;
        continue;
      }
      this.queued.splice(i, 1);
      batch.push(next);
      statements += next.group.length;
    }
    return batch;
  }

  /**
   * Builds tables' groups in one round trip (one implicit transaction: their indexes appear
   * together), then adds the foreign keys they complete. A failure names the table the server
   * names.
   */
  private async runGroups(lane: Lane, batch: readonly { readonly table: string; readonly group: readonly PostDataStatement[] }[]): Promise<void> {
    const owner = (error: unknown): string | undefined => {
      if (batch.length === 1) return batch[0]!.table;
      const { schema, table } = error as { schema?: unknown; table?: unknown };
      const key = typeof schema === 'string' && typeof table === 'string' ? tableKey(schema, table) : undefined;
      return batch.find((b) => b.table === key)?.table;
    };
    if (
      !(await this.run(
        lane,
        batch.flatMap((b) => b.group),
        owner,
        true,
      ))
    )
      return;
    for (const { table, group } of batch) {
      for (const statement of group) if (statement.index !== undefined) this.indexes.add(`${table}\0${statement.index}`);
      this.built.add(table);
    }
    await this.addKeys(lane);
  }

  /**
   * Adds the keys whose table is built and whose referenced index is, in one round trip, and
   * queues their checks; a key on a `small` table is added by the dump's own statement,
   * checked as it is added.
   */
  private async addKeys(lane: Lane): Promise<void> {
    const ready = this.keys.filter((k) => this.built.has(k.table) && this.indexes.has(`${k.referenced}\0${k.index}`));
    if (!ready.length) return;
    this.keys = this.keys.filter((k) => !ready.includes(k));
    const atOnce = new Set(ready.filter((k) => this.small(k.table)));
    const statements = ready.map((k) => (atOnce.has(k) ? { sql: k.checked, settings: k.settings } : k));
    // A failure names the table of the key the server names.
    const owner = (error: unknown): string | undefined =>
      ready.length === 1 ? ready[0]!.table : ready.find((k) => k.name === (error as { constraint?: unknown }).constraint)?.table;
    if (!(await this.run(lane, statements, owner, true))) return;
    for (const key of ready.filter((k) => !atOnce.has(k))) {
      this.checks.push(
        this.checkLimit(async () => {
          if (this.failure || this.stopped) return;
          const checkLane = this.checkLanes.pop() ?? (await this.tryLane(key.table));
          if (!checkLane) return;
          await this.run(checkLane, [{ sql: key.validate, settings: key.settings }], key.table);
          this.checkLanes.push(checkLane);
        }),
      );
    }
  }

  /**
   * Runs statements in order, each after the session settings the dump put before it (those
   * not applied yet go with it: while data loads, each reply waits its turn behind the rows
   * pgmask is masking). `together`: all of them in one round trip, as one implicit transaction
   * (only for index, key and constraint statements, which may run in a transaction block).
   */
  private async run(
    lane: Lane,
    statements: readonly PostDataStatement[],
    table: string | undefined | ((error: unknown) => string | undefined),
    together = false,
  ): Promise<boolean> {
    let current: PostDataStatement | undefined;
    try {
      const batch: string[] = [];
      let applied = lane.applied;
      for (const statement of statements) {
        if (this.failure || this.stopped) return false;
        if (!together) {
          // One statement a round trip: some (CREATE SUBSCRIPTION, ...) refuse to share one.
          current = statement;
          if (lane.applied < statement.settings) await lane.session.query(this.plan.settings.slice(lane.applied, statement.settings).join('\n'));
          lane.applied = Math.max(lane.applied, statement.settings);
          await lane.session.query(statement.sql);
          continue;
        }
        if (applied < statement.settings) batch.push(...this.plan.settings.slice(applied, statement.settings));
        applied = Math.max(applied, statement.settings);
        batch.push(statement.sql);
      }
      if (batch.length) {
        // One implicit transaction: a deadlock with another lane's keys rolls it back whole.
        await retryingDeadlocks(() => lane.session.query(batch.join('\n')));
        lane.applied = applied;
      }
      return true;
    } catch (error) {
      this.fail(error, (typeof table === 'function' ? table(error) : table) ?? failedTable(error, current ? [current] : statements));
      return false;
    }
  }
}

/**
 * The table of the statement that failed, when the caller could not tell: the one table the
 * statements are on, else the table of the index or constraint the server names, else the
 * table the server names.
 */
export function failedTable(error: unknown, statements: readonly PostDataStatement[]): string | undefined {
  const tables = new Set(statements.map((s) => s.table));
  if (tables.size === 1) return statements[0]!.table;
  const { schema, table, constraint } = (error ?? {}) as { schema?: unknown; table?: unknown; constraint?: unknown };
  const named = typeof constraint === 'string' ? statements.find((s) => s.index === constraint || (s as { name?: string }).name === constraint)?.table : undefined;
  return named ?? (typeof schema === 'string' && typeof table === 'string' ? tableKey(schema, table) : undefined);
}
