import { describe, expect, it } from 'vitest';
import { Session } from '../../../src/db/connection.js';
import { PostDataBuilder } from '../../../src/pipeline/post-data/post-data-builder.js';
import type { PostDataPlan } from '../../../src/pipeline/post-data/split-post-data.js';
import { useDatabase } from '../../support/database.js';

/** How long each group's one statement takes. */
const BUILD_SECONDS = 0.8;

describe('PostDataBuilder', async () => {
  const db = await useDatabase('pgmask_post_data_builder');
  await db.query('CREATE TABLE log (run text, tbl text, started timestamptz, ended timestamptz)');

  /** A plan whose group for each table logs when its statement starts and ends, taking BUILD_SECONDS. */
  const plan = (run: string, tables: readonly string[]): PostDataPlan => ({
    settings: [],
    byTable: new Map(
      tables.map((t) => [
        `public.${t}`,
        [{ sql: `INSERT INTO log SELECT '${run}', '${t}', statement_timestamp(), clock_timestamp() FROM pg_sleep(${BUILD_SECONDS});`, settings: 0, index: `${t}_idx` }],
      ]),
    ),
    foreignKeys: [],
    rest: [],
  });

  const build = async (run: string, steps: (builder: PostDataBuilder) => Promise<void>): Promise<Map<string, { started: Date; ended: Date }>> => {
    const sessions: Session[] = [];
    const connect = async (): Promise<Session> => {
      const session = await Session.connect(db.url, 'target');
      sessions.push(session);
      return session;
    };
    const builder = new PostDataBuilder(plan(run, ['a', 'b']), connect, 2, (failure) => {
      throw failure.error;
    });
    try {
      await steps(builder);
    } finally {
      for (const session of sessions) await session.end();
    }
    const rows = await db.query<{ tbl: string; started: Date; ended: Date }>('SELECT tbl, started, ended FROM log WHERE run = $1', [run]);
    return new Map(rows.map((r) => [r.tbl, r]));
  };

  it('builds one group at a time while rows still load', async () => {
    const log = await build('loading', async (builder) => {
      builder.tableLoaded('public.a');
      builder.tableLoaded('public.b');
      // Both groups are done before the load ends.
      await new Promise((done) => setTimeout(done, 2 * BUILD_SECONDS * 1000 + 1000));
      await builder.finish();
    });
    expect(log.get('b')!.started.getTime()).toBeGreaterThanOrEqual(log.get('a')!.ended.getTime());
  });

  it('starts a group queued behind one still building as soon as the load ends', async () => {
    const log = await build('ended', async (builder) => {
      builder.tableLoaded('public.a');
      builder.tableLoaded('public.b');
      await builder.finish();
    });
    expect(log.get('b')!.started.getTime()).toBeLessThan(log.get('a')!.ended.getTime());
  });

  it("builds small tables' groups together, and a failure among them names the table the server names", async () => {
    await db.query(`
      CREATE SCHEMA batch;
      CREATE TABLE batch.a (x int); CREATE TABLE batch.b (x int); CREATE TABLE batch.c (x int);
      INSERT INTO batch.a VALUES (1), (2); INSERT INTO batch.b VALUES (1), (1); INSERT INTO batch.c VALUES (1);`);
    const groups = (unique: string): PostDataPlan => ({
      settings: ["SET search_path = '';"],
      byTable: new Map(
        ['a', 'b', 'c'].map((t) => [`batch.${t}`, [{ sql: `CREATE ${t === unique ? 'UNIQUE ' : ''}INDEX ${t}_x_idx ON batch.${t} (x);`, settings: 1, index: `${t}_x_idx` }]]),
      ),
      foreignKeys: [],
      rest: [],
    });
    const run = async (unique: string): Promise<string | undefined> => {
      const sessions: Session[] = [];
      let failed: string | undefined;
      const builder = new PostDataBuilder(
        groups(unique),
        async () => {
          const session = await Session.connect(db.url, 'target');
          sessions.push(session);
          return session;
        },
        2,
        (failure) => {
          failed = failure.table ?? 'no table';
        },
        () => true,
      );
      try {
        for (const t of ['a', 'b', 'c']) builder.tableLoaded(`batch.${t}`);
        await builder.finish().catch(() => {});
      } finally {
        for (const session of sessions) await session.end();
      }
      return failed;
    };
    const indexes = (): Promise<{ n: number }[]> => db.query("SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = 'batch'");

    expect(await run('b')).toBe('batch.b');
    expect(await indexes()).toEqual([{ n: 0 }]);
    expect(await run('c')).toBeUndefined();
    expect(await indexes()).toEqual([{ n: 3 }]);
  });
});
