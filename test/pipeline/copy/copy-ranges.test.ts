import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../../../src/catalog/read-catalog.js';
import { loadRules } from '../../../src/config/load-rules.js';
import { Session } from '../../../src/db/connection.js';
import { BlockCursor, type BlockRange } from '../../../src/pipeline/copy/block-cursor.js';
import { copyDatabase } from '../../../src/pipeline/copy/copy-database.js';
import { planTasks, rangePiece, splittable, taskRuns, wholePiece } from '../../../src/pipeline/copy/copy-pieces.js';
import type { RunReport } from '../../../src/pipeline/run/report.js';
import { planTables, type TablePlan } from '../../../src/pipeline/run/table-plan.js';
import { maskingKeyFromBytes } from '../../../src/random/key.js';
import { createDatabase, type TestDatabase, useDatabase } from '../../support/database.js';
import { needsPgDump } from '../../support/pg-dump.js';

const dir = mkdtempSync(join(tmpdir(), 'pgmask-ranges-'));
const keepFile = join(dir, 'keep.yaml');
writeFileSync(keepFile, 'version: 1\nunlisted: keep\ntables: {}\n');
const maskFile = join(dir, 'mask.yaml');
writeFileSync(maskFile, 'version: 1\nunlisted: keep\ntables:\n  public.big:\n    columns:\n      id: keep\n      email: email\n      note: text.scrub\n      payload: keep\n');
const key = maskingKeyFromBytes(Buffer.alloc(32, 9), 'ranges-test');
const env = { ...process.env };

/** A plan with the given size, for the pure planner. */
const fakePlan = (name: string, bytes: number, skip = false, kind = 'table'): TablePlan =>
  ({
    key: `public.${name}`,
    table: { sqlName: `public.${name}`, bytes, kind },
    columns: [{ name: 'id' }],
    copyOutSql: `COPY public.${name} (id) TO STDOUT`,
    skip,
  }) as unknown as TablePlan;

/** Every range a cursor hands out, in order. */
function drain(cursor: BlockCursor): BlockRange[] {
  const ranges: BlockRange[] = [];
  for (let range = cursor.take(); range; range = cursor.take()) ranges.push(range);
  return ranges;
}

/** Checks that ranges follow one another from the table's start to an open end. */
function expectContiguous(ranges: readonly BlockRange[]): void {
  expect(ranges[0]!.fromBlock).toBeUndefined();
  expect(ranges.at(-1)!.toBlock).toBeUndefined();
  for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.fromBlock).toBe(ranges[i - 1]!.toBlock);
  for (const r of ranges.slice(0, -1)) expect(r.toBlock!).toBeGreaterThan(r.fromBlock ?? 0);
}

describe('BlockCursor', () => {
  it('hands out contiguous ranges, first and last open, shrinking to the minimum, the rest joined to the last', () => {
    const cursor = new BlockCursor(25_600, 1024, 4);
    const ranges = drain(cursor);
    expectContiguous(ranges);
    const sizes = ranges.slice(0, -1).map((r) => r.toBlock! - (r.fromBlock ?? 0));
    // A quarter of what is left each time: 6400, 4800, 3600, 2700, ... down to 1024.
    expect(sizes.slice(0, 3)).toEqual([6400, 4800, 3600]);
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]!).toBeLessThanOrEqual(sizes[i - 1]!);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(1024);
    const last = 25_600 - ranges.at(-1)!.fromBlock!;
    expect(last).toBeGreaterThanOrEqual(1024);
    expect(last).toBeLessThan(2 * 1024);
    // A dozen COPYs or so for a table copied alone.
    expect(ranges.length).toBeGreaterThan(8);
    expect(ranges.length).toBeLessThan(16);
    expect(cursor.exhausted).toBe(true);
    expect(cursor.left).toBe(0);
    expect(cursor.take()).toBeUndefined();
  });

  it('hands a table smaller than two ranges out whole, in one open range', () => {
    expect(drain(new BlockCursor(1500, 1024, 4))).toEqual([{ fromBlock: undefined, toBlock: undefined }]);
    expect(drain(new BlockCursor(0, 1, 4))).toEqual([{ fromBlock: undefined, toBlock: undefined }]);
    expect(drain(new BlockCursor(1, 1, 4))).toEqual([{ fromBlock: undefined, toBlock: undefined }]);
  });

  it('shares the rest between the jobs that take from it: the ranges of all of them cover the table once', () => {
    const cursor = new BlockCursor(10_000, 10, 4);
    const taken: BlockRange[][] = [[], []];
    // The first job alone for a while, then the two in turn.
    for (let i = 0; i < 3; i++) taken[0]!.push(cursor.take()!);
    const leftWhenJoined = cursor.left;
    for (let job = 1, range = cursor.take(); range; job = 1 - job, range = cursor.take()) taken[job]!.push(range);
    const second = taken[1]!;
    expect(second[0]!.toBlock! - second[0]!.fromBlock!).toBe(Math.ceil(leftWhenJoined / 4));
    const all = [...taken[0]!, ...taken[1]!].sort((a, b) => (a.fromBlock ?? -1) - (b.fromBlock ?? -1));
    expectContiguous(all);
  });
});

describe('planTasks', () => {
  const MiB = 1024 * 1024;
  const blocks = new Map([
    ['public.a', 51_200],
    ['public.b', 25_600],
    ['public.c', 128],
    ['public.p', 51_200],
    ['public.u', 51_200],
    ['public.k', 38_400],
  ]);
  const plans = [
    fakePlan('a', 400 * MiB),
    fakePlan('b', 200 * MiB),
    fakePlan('c', 1 * MiB),
    fakePlan('s', 900 * MiB, true),
    fakePlan('p', 400 * MiB, false, 'partitioned'),
    fakePlan('u', 500 * MiB),
    fakePlan('k', 300 * MiB),
  ];
  const masked = { columns: [{ ordered: false }] };
  // k has no masked column; u a unique: true one.
  const maskers = new Map([
    ['public.a', masked],
    ['public.b', masked],
    ['public.c', masked],
    ['public.p', masked],
    ['public.u', { columns: [{ ordered: false }, { ordered: true }] }],
  ]);

  it('reads the big masked tables in ranges with more than one job, largest first, never a table with a unique: true column', () => {
    const tasks = planTasks(plans, maskers, { jobs: 2, blocks, serverVersion: 150000 });
    expect(tasks.map((t) => [t.plan.key, t.cursor !== undefined])).toEqual([
      ['public.u', false],
      ['public.a', true],
      ['public.p', false],
      ['public.k', false],
      ['public.b', true],
      ['public.c', false],
    ]);
    const a = tasks.find((t) => t.plan.key === 'public.a')!.cursor!;
    // Ranges of at least an eighth of 64 MiB: 8 MiB, 1024 blocks of this table; a quarter of the rest with two jobs.
    expect(a.minBlocks).toBe(1024);
    expect(a.parts).toBe(4);
    const range = a.take()!;
    const piece = rangePiece(tasks[1]!.plan, a, range);
    expect(piece.bytes).toBe(100 * MiB);
    expect(piece.copyOutSql).toBe(`COPY (SELECT "id" FROM ONLY public.a WHERE ctid < '(12800,0)'::pg_catalog.tid) TO STDOUT`);
    const next = rangePiece(tasks[1]!.plan, a, a.take()!);
    expect(next.copyOutSql).toMatch(/^COPY \(SELECT "id" FROM ONLY public\.a WHERE ctid >= '\(12800,0\)'::pg_catalog\.tid AND ctid < '\(\d+,0\)'::pg_catalog\.tid\) TO STDOUT$/);
    expect(splittable(plans, maskers, 64 * MiB).map((p) => p.key)).toEqual(['public.a', 'public.b']);
  });

  it('reads every table whole with one job, on PostgreSQL before 14, below the size and without a block count', () => {
    for (const options of [
      { jobs: 1, blocks, serverVersion: 150000 },
      { jobs: 4, blocks, serverVersion: 130000 },
      { jobs: 4, blocks, serverVersion: 150000, splitMinBytes: 1000 * MiB },
      { jobs: 4, blocks: new Map(), serverVersion: 150000 },
    ]) {
      expect(planTasks(plans, maskers, options).every((t) => t.cursor === undefined)).toBe(true);
    }
    expect(wholePiece(plans[0]!)).toEqual({ plan: plans[0], range: undefined, copyOutSql: plans[0]!.copyOutSql, bytes: 400 * MiB });
  });

  it('copies the tables with a unique: true column one after another, where the first of them stood, and the rest each on its own', () => {
    const four = [fakePlan('a', 400 * MiB), fakePlan('b', 300 * MiB), fakePlan('c', 200 * MiB), fakePlan('d', 100 * MiB)];
    const ordered = { columns: [{ ordered: true }] };
    const runs = (m: Map<string, { columns: { ordered: boolean }[] } | undefined>) =>
      taskRuns(planTasks(four, m, { jobs: 2, blocks: new Map(), serverVersion: 150000 }), m).map((run) => run.map((t) => t.plan.key));
    expect(
      runs(
        new Map([
          ['public.b', ordered],
          ['public.d', ordered],
          ['public.c', { columns: [{ ordered: false }] }],
        ]),
      ),
    ).toEqual([['public.a'], ['public.b', 'public.d'], ['public.c']]);
    expect(runs(new Map())).toEqual([['public.a'], ['public.b'], ['public.c'], ['public.d']]);
  });
});

/** Logs every COPY into `table` on the target, also under `--schema existing` (ENABLE ALWAYS): which connection, when, how many rows. */
async function logCopies(target: TestDatabase, table: string): Promise<void> {
  await target.query(`
    CREATE TABLE IF NOT EXISTS copy_log (tab text, pid int, at timestamptz, rows int);
    CREATE OR REPLACE FUNCTION log_copy() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO copy_log SELECT TG_TABLE_NAME, pg_backend_pid(), clock_timestamp(), count(*) FROM new_rows; RETURN NULL; END $$;
    CREATE TRIGGER ${table}_log AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_copy();
    ALTER TABLE ${table} ENABLE ALWAYS TRIGGER ${table}_log;`);
}

/** The COPYs the target logged into `table`, in the order they ended. */
const copiesInto = (target: TestDatabase, table: string) => target.query<{ pid: number; rows: number }>('SELECT pid, rows FROM copy_log WHERE tab = $1 ORDER BY at', [table]);

/** Row count, id sum and a digest of the rows in id order: equal tables have equal checksums. */
const checksum = async (db: TestDatabase, table: string) =>
  (await db.query(`SELECT count(*)::int AS n, sum(id)::bigint AS ids, md5(string_agg(t::text, E'\\n' ORDER BY id)) AS digest FROM ${table} t`))[0];

describe('pgmask copy reads a big table in block ranges', async () => {
  const source = await useDatabase('pgmask_ranges_src');
  const pgDump = await needsPgDump();
  beforeAll(async () => {
    await source.query(`
      CREATE TABLE big (id integer PRIMARY KEY, email text, note text, payload text);
      CREATE TABLE small_a (id integer PRIMARY KEY, label text);
      CREATE TABLE small_b (id integer PRIMARY KEY, label text);
      CREATE TABLE small_c (id integer PRIMARY KEY, label text);
      INSERT INTO big SELECT i, 'user' || i || '@corp.se',
        CASE WHEN i % 5 = 0 THEN NULL ELSE E'Ring 070-123 45 ' || lpad((i % 100)::text, 2, '0') || E'\\nom user' || i || '@corp.se' END,
        repeat(E'x\\t\\\\y', i % 40) FROM generate_series(1, 60000) i;
      DELETE FROM big WHERE id % 7 = 0;
      UPDATE big SET payload = payload || 'updated' WHERE id % 11 = 0;
      INSERT INTO small_a SELECT i, 'label ' || i FROM generate_series(1, 10) i;
      INSERT INTO small_b SELECT i, 'label ' || i FROM generate_series(1, 10) i;
      INSERT INTO small_c SELECT i, 'label ' || i FROM generate_series(1, 10) i;
    `);
  });

  it('reads every row exactly once through a cursor whose measured size is short of the table: the last range is open', async () => {
    const session = await Session.connect(source.url, 'source');
    try {
      const plans = planTables(await loadRules(keepFile), await readCatalog(session));
      const plan = plans.find((p) => p.key === 'public.big')!;
      const [size] = await session.query<{ blocks: string }>("SELECT pg_relation_size('big') / current_setting('block_size')::int AS blocks");
      const cursor = new BlockCursor(Math.floor(Number(size!.blocks) / 2), 3, 4);
      let rows = 0;
      let ids = 0;
      let ranges = 0;
      for (let range = cursor.take(); range; range = cursor.take(), ranges++) {
        const select = rangePiece(plan, cursor, range).copyOutSql.replace(/^COPY \((.*)\) TO STDOUT$/, '$1');
        const [r] = await session.query<{ n: string; ids: string | null }>(`SELECT count(*) AS n, sum(id) AS ids FROM (${select}) s`);
        rows += Number(r!.n);
        ids += Number(r!.ids ?? 0);
      }
      expect(ranges).toBeGreaterThan(3);
      expect({ rows, ids }).toEqual(await source.query<{ rows: number; ids: number }>('SELECT count(*)::int AS rows, sum(id)::int AS ids FROM big').then((r) => r[0]));
    } finally {
      await session.end();
    }
  });

  it('copies every row exactly once, its kept columns byte-identical, and counts rows per table', pgDump, async () => {
    const target = await createDatabase('pgmask_ranges_keep');
    const kept = 'SELECT id, payload FROM big ORDER BY id';
    try {
      const report = await copyDatabase({ source: source.url, target: target.url, rules: await loadRules(maskFile), key, jobs: 4, splitBytes: 1, env, version: 'test' });
      expect(report.outcome).toBe('succeeded');
      const [count] = await source.query<{ n: number }>('SELECT count(*)::int AS n FROM big');
      expect(report.tables.find((t) => t.table === 'public.big')).toMatchObject({ status: 'copied', rows: count!.n });
      const [distinct] = await target.query<{ n: number; d: number }>('SELECT count(*)::int AS n, count(DISTINCT id)::int AS d FROM big');
      expect(distinct).toEqual({ n: count!.n, d: count!.n });
      for (const q of [kept, 'SELECT * FROM small_a ORDER BY id']) {
        expect((await target.copyOut(q)).equals(await source.copyOut(q)), q).toBe(true);
      }
      // Into the existing tables again, also in ranges, each range a COPY of its own.
      await logCopies(target, 'big');
      const again = await copyDatabase({
        source: source.url,
        target: target.url,
        rules: await loadRules(maskFile),
        key,
        jobs: 3,
        splitBytes: 1,
        schema: 'existing',
        yes: true,
        env,
        version: 'test',
      });
      expect(again.outcome).toBe('succeeded');
      expect((await target.copyOut(kept)).equals(await source.copyOut(kept))).toBe(true);
      const copies = await copiesInto(target, 'big');
      expect(copies.length).toBeGreaterThan(3);
      expect(copies.reduce((n, c) => n + c.rows, 0)).toBe(count!.n);
    } finally {
      await target.drop();
    }
  });

  it('reads a table nothing is masked in whole, in one COPY', pgDump, async () => {
    const target = await createDatabase('pgmask_ranges_kept');
    try {
      await copyDatabase({ source: source.url, target: target.url, rules: await loadRules(keepFile), key, jobs: 1, env, version: 'test' });
      await logCopies(target, 'big');
      const report = await copyDatabase({
        source: source.url,
        target: target.url,
        rules: await loadRules(keepFile),
        key,
        jobs: 2,
        splitBytes: 1,
        schema: 'existing',
        yes: true,
        env,
        version: 'test',
      });
      expect(report.outcome).toBe('succeeded');
      expect(await copiesInto(target, 'big')).toHaveLength(1);
      const q = 'SELECT * FROM big ORDER BY id';
      expect((await target.copyOut(q)).equals(await source.copyOut(q))).toBe(true);
    } finally {
      await target.drop();
    }
  });

  it('lets a job out of tables take ranges of a table still being copied, the output as when it is read whole', pgDump, async () => {
    const whole = await createDatabase('pgmask_ranges_whole');
    const split = await createDatabase('pgmask_ranges_split');
    try {
      const rules = await loadRules(maskFile);
      await copyDatabase({ source: source.url, target: whole.url, rules, key, jobs: 1, env, version: 'test' });
      await copyDatabase({ source: source.url, target: split.url, rules, key, jobs: 1, env, version: 'test' });
      await logCopies(split, 'big');
      const events: string[] = [];
      const progress: number[] = [];
      let countWhenFinished: Promise<unknown> | undefined;
      const report = await copyDatabase({
        source: source.url,
        target: split.url,
        rules,
        key,
        jobs: 2,
        splitBytes: 1,
        schema: 'existing',
        yes: true,
        env,
        version: 'test',
        progress: {
          tableStarted: (table) => table === 'public.big' && events.push('started'),
          tableProgress: (table, rows) => table === 'public.big' && progress.push(rows),
          tableFinished: (table, r) => {
            if (table !== 'public.big') return;
            events.push(`${r.status} ${r.rows}`);
            countWhenFinished = split.query('SELECT count(*)::int AS n FROM big');
          },
        },
      });
      expect(report.outcome).toBe('succeeded');
      const [count] = await source.query<{ n: number }>('SELECT count(*)::int AS n FROM big');
      const big = report.tables.find((t) => t.table === 'public.big')!;
      expect(big).toMatchObject({ status: 'copied', rows: count!.n });
      expect(big.seconds).toBeGreaterThan(0);
      // One start, one end once every range is in; progress only grows.
      expect(events).toEqual(['started', `copied ${count!.n}`]);
      expect(await countWhenFinished).toEqual([{ n: count!.n }]);
      expect(progress.length).toBeGreaterThan(0);
      for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThanOrEqual(progress[i - 1]!);
      // The first job took the table; the second, done with the small tables, took ranges of the rest while the first still copied it.
      const copies = await copiesInto(split, 'big');
      const first = copies[0]!.pid;
      const helper = copies.findIndex((c) => c.pid !== first);
      expect(helper).toBeGreaterThan(0);
      expect(copies.slice(helper + 1).some((c) => c.pid === first)).toBe(true);
      expect(new Set(copies.map((c) => c.pid)).size).toBe(2);
      // Every row exactly once, masked as when the table is read whole.
      expect(await checksum(split, 'big')).toEqual(await checksum(whole, 'big'));
      const q = 'SELECT * FROM big ORDER BY id';
      const masked = await split.copyOut(q);
      expect(masked.equals(await whole.copyOut(q))).toBe(true);
      expect(masked.includes('@corp.se')).toBe(false);
    } finally {
      await whole.drop();
      await split.drop();
    }
  });

  it('masks ranges on two threads as it masks the whole table on one', pgDump, async () => {
    const whole = await createDatabase('pgmask_ranges_lane_whole');
    const laned = await createDatabase('pgmask_ranges_laned');
    try {
      const rules = await loadRules(maskFile);
      const [size] = await source.query<{ bytes: string }>("SELECT pg_table_size('big') AS bytes");
      await copyDatabase({ source: source.url, target: whole.url, rules, key, jobs: 1, maskThread: 'off', env, version: 'test' });
      await copyDatabase({ source: source.url, target: laned.url, rules, key, jobs: 1, env, version: 'test' });
      await logCopies(laned, 'big');
      // Ranges of an eighth of the table at least: a handful, each starting its masking thread at once.
      const report = await copyDatabase({
        source: source.url,
        target: laned.url,
        rules,
        key,
        jobs: 2,
        splitBytes: Number(size!.bytes),
        maskThread: 'on',
        laneMinBytes: 0,
        schema: 'existing',
        yes: true,
        env,
        version: 'test',
      });
      expect(report.tables.find((t) => t.table === 'public.big')).toMatchObject({ status: 'copied', threads: 2 });
      expect((await copiesInto(laned, 'big')).length).toBeGreaterThan(2);
      const q = 'SELECT * FROM big ORDER BY id';
      expect((await laned.copyOut(q)).equals(await whole.copyOut(q))).toBe(true);
    } finally {
      await whole.drop();
      await laned.drop();
    }
  });

  it('stops a table read in ranges when another table fails, reports it failed and empties it again (--schema existing)', pgDump, async () => {
    const target = await createDatabase('pgmask_ranges_stopped');
    try {
      const rules = await loadRules(maskFile);
      await copyDatabase({ source: source.url, target: target.url, rules, key, jobs: 1, env, version: 'test' });
      await logCopies(target, 'big');
      // small_a fails once a range of big is in: big is then stopped part way.
      await target.query(`
        CREATE FUNCTION refuse_after_big() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            FOR i IN 1..600 LOOP
              EXIT WHEN EXISTS (SELECT 1 FROM copy_log WHERE tab = 'big');
              PERFORM pg_sleep(0.05);
            END LOOP;
            RAISE EXCEPTION 'small_a refused';
          END $$;
        CREATE TRIGGER small_a_refuse AFTER INSERT ON small_a FOR EACH STATEMENT EXECUTE FUNCTION refuse_after_big();
        ALTER TABLE small_a ENABLE ALWAYS TRIGGER small_a_refuse;`);
      const failed = await copyDatabase({ source: source.url, target: target.url, rules, key, jobs: 2, splitBytes: 1, schema: 'existing', yes: true, env, version: 'test' }).then(
        () => undefined,
        (error: { report: RunReport }) => error.report,
      );
      expect(failed).toMatchObject({ outcome: 'failed', error: { table: 'public.small_a' } });
      // Some of big's ranges were in when small_a failed, not all; none is left.
      const [count] = await source.query<{ n: number }>('SELECT count(*)::int AS n FROM big');
      const copies = await copiesInto(target, 'big');
      expect(copies.length).toBeGreaterThan(0);
      expect(copies.reduce((n, c) => n + c.rows, 0)).toBeLessThan(count!.n);
      expect(failed!.tables.find((t) => t.table === 'public.big')).toMatchObject({ status: 'failed', rows: 0 });
      expect(await target.query('SELECT count(*)::int AS n FROM big')).toEqual([{ n: 0 }]);
    } finally {
      await target.drop();
    }
  });
});

describe('pgmask copy of a big table with a unique: true column', async () => {
  const source = await useDatabase('pgmask_ranges_ordered_src');
  const pgDump = await needsPgDump();
  const uniqueFile = join(dir, 'unique.yaml');
  writeFileSync(
    uniqueFile,
    'version: 1\nunlisted: keep\ntables:\n  public.coded:\n    columns:\n      id: keep\n      code: { transform: hash, length: 5, unique: true }\n      filler: keep\n',
  );
  beforeAll(async () => {
    await source.query(`
      CREATE TABLE coded (id integer PRIMARY KEY, code text, filler text);
      INSERT INTO coded SELECT i, 'code-' || i, repeat('f', 60) FROM generate_series(1, 40000) i;`);
  });

  it('never reads it in ranges: one COPY, the pseudonyms those of one job', pgDump, async () => {
    const one = await createDatabase('pgmask_ranges_ordered_one');
    const two = await createDatabase('pgmask_ranges_ordered_two');
    try {
      const rules = await loadRules(uniqueFile);
      await copyDatabase({ source: source.url, target: one.url, rules, key, jobs: 1, env, version: 'test' });
      await copyDatabase({ source: source.url, target: two.url, rules, key, jobs: 1, env, version: 'test' });
      await logCopies(two, 'coded');
      const report = await copyDatabase({ source: source.url, target: two.url, rules, key, jobs: 2, splitBytes: 1, schema: 'existing', yes: true, env, version: 'test' });
      expect(report.tables.find((t) => t.table === 'public.coded')).toMatchObject({ status: 'copied', rows: 40000 });
      expect(await copiesInto(two, 'coded')).toEqual([{ pid: expect.any(Number), rows: 40000 }]);
      expect(await checksum(two, 'coded')).toEqual(await checksum(one, 'coded'));
    } finally {
      await one.drop();
      await two.drop();
    }
  });
});
