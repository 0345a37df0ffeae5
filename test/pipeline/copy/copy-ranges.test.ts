import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../../../src/catalog/read-catalog.js';
import { loadRules } from '../../../src/config/load-rules.js';
import { Session } from '../../../src/db/connection.js';
import { copyDatabase } from '../../../src/pipeline/copy/copy-database.js';
import { pieceRuns, planPieces, rangeJobs, splittable } from '../../../src/pipeline/copy/copy-pieces.js';
import { planTables, type TablePlan } from '../../../src/pipeline/run/table-plan.js';
import { maskingKeyFromBytes } from '../../../src/random/key.js';
import { createDatabase, useDatabase } from '../../support/database.js';
import { needsPgDump } from '../../support/pg-dump.js';

const dir = mkdtempSync(join(tmpdir(), 'pgmask-ranges-'));
const keepFile = join(dir, 'keep.yaml');
writeFileSync(keepFile, 'version: 1\nunlisted: keep\ntables: {}\n');
const maskFile = join(dir, 'mask.yaml');
writeFileSync(maskFile, 'version: 1\nunlisted: keep\ntables:\n  public.big:\n    columns:\n      id: keep\n      email: email\n      note: text.scrub\n      payload: keep\n');
const key = maskingKeyFromBytes(Buffer.alloc(32, 9), 'ranges-test');
const env = { ...process.env };

/** A plan with the given size, for the pure planner. */
const fakePlan = (name: string, bytes: number, skip = false): TablePlan =>
  ({
    key: `public.${name}`,
    table: { sqlName: `public.${name}`, bytes },
    columns: [{ name: 'id' }],
    copyOutSql: `COPY public.${name} (id) TO STDOUT`,
    skip,
  }) as unknown as TablePlan;

describe('planPieces', () => {
  const MiB = 1024 * 1024;
  it('cuts big tables into contiguous block ranges, first and last open, when jobs outnumber them', () => {
    const plans = [fakePlan('a', 400 * MiB), fakePlan('b', 200 * MiB), fakePlan('c', 1 * MiB), fakePlan('s', 900 * MiB, true)];
    const blocks = new Map([
      ['public.a', 51_200],
      ['public.b', 25_600],
      ['public.c', 128],
    ]);
    const pieces = planPieces(plans, { jobs: 6, blocks, serverVersion: 150000 });
    const of = (key: string) => pieces.filter((p) => p.plan.key === key);
    expect(of('public.a')).toHaveLength(3);
    expect(of('public.b')).toHaveLength(3);
    expect(of('public.c')).toHaveLength(1);
    expect(of('public.s')).toHaveLength(0);
    for (const key of ['public.a', 'public.b']) {
      const ranges = of(key).sort((x, y) => (x.fromBlock ?? -1) - (y.fromBlock ?? -1));
      expect(ranges[0]!.fromBlock).toBeUndefined();
      expect(ranges.at(-1)!.toBlock).toBeUndefined();
      for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.fromBlock).toBe(ranges[i - 1]!.toBlock);
      expect(ranges[1]!.copyOutSql).toMatch(
        /^COPY \(SELECT "id" FROM ONLY public\.\w WHERE ctid >= '\(\d+,0\)'::pg_catalog\.tid AND ctid < '\(\d+,0\)'::pg_catalog\.tid\) TO STDOUT$/,
      );
    }
    // Largest pieces first.
    expect(pieces[0]!.plan.key).toBe('public.a');
  });

  it('does not offer a table with a unique: true column for ranges, whose pseudonyms follow row order', () => {
    const plans = [fakePlan('a', 400 * MiB), fakePlan('b', 200 * MiB), fakePlan('c', 300 * MiB), fakePlan('tiny', MiB)];
    const maskers = new Map([
      ['public.a', { columns: [{ ordered: false }, { ordered: true }] }],
      ['public.b', { columns: [{ ordered: false }] }],
      ['public.c', undefined],
    ]);
    expect(splittable(plans, maskers, 64 * MiB).map((p) => p.key)).toEqual(['public.b', 'public.c']);
  });

  it('leaves to the other big tables the jobs that the tables with a unique: true column do not take', () => {
    const plans = [fakePlan('a', 400 * MiB), fakePlan('b', 300 * MiB), fakePlan('c', 20 * MiB), fakePlan('d', 30 * MiB)];
    const ordered = { columns: [{ ordered: true }] };
    // a is copied on a job of its own from start to end: with two jobs, b has one.
    expect(rangeJobs(plans, new Map([['public.a', ordered]]), 2, 64 * MiB)).toBe(1);
    expect(rangeJobs(plans, new Map([['public.a', ordered]]), 4, 64 * MiB)).toBe(3);
    // c and d take a job for 50 MiB together, less than a big table: every job is free.
    expect(
      rangeJobs(
        plans,
        new Map([
          ['public.c', ordered],
          ['public.d', ordered],
        ]),
        2,
        64 * MiB,
      ),
    ).toBe(2);
    expect(
      rangeJobs(
        plans,
        new Map([
          ['public.c', ordered],
          ['public.d', ordered],
        ]),
        2,
        40 * MiB,
      ),
    ).toBe(1);
    expect(rangeJobs(plans, new Map(), 2, 64 * MiB)).toBe(2);
    // With one job left for one big table, it is not cut.
    const blocks = new Map([['public.b', 38_400]]);
    expect(planPieces(plans, { jobs: rangeJobs(plans, new Map([['public.a', ordered]]), 2, 64 * MiB), blocks, serverVersion: 150000 })).toHaveLength(4);
  });

  it('copies the tables with a unique: true column one after another, where the first of them stood, and the rest each on its own', () => {
    const plans = [fakePlan('a', 400 * MiB), fakePlan('b', 300 * MiB), fakePlan('c', 200 * MiB), fakePlan('d', 100 * MiB)];
    const pieces = planPieces(plans, { jobs: 2, blocks: new Map(), serverVersion: 150000 });
    const ordered = { columns: [{ ordered: true }] };
    const runs = (maskers: Map<string, { columns: { ordered: boolean }[] } | undefined>) => pieceRuns(pieces, maskers).map((run) => run.map((p) => p.plan.key));
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

  it('leaves tables whole when jobs do not outnumber the big tables, on PostgreSQL before 14, and with one job', () => {
    const plans = [fakePlan('a', 400 * MiB), fakePlan('b', 200 * MiB)];
    const blocks = new Map([
      ['public.a', 51_200],
      ['public.b', 25_600],
    ]);
    expect(planPieces(plans, { jobs: 2, blocks, serverVersion: 150000 })).toHaveLength(2);
    expect(planPieces(plans, { jobs: 8, blocks, serverVersion: 130000 })).toHaveLength(2);
    expect(planPieces(plans, { jobs: 1, blocks, serverVersion: 150000 })).toHaveLength(2);
    expect(planPieces(plans, { jobs: 8, blocks, serverVersion: 150000 }).every((p) => p.of === 4)).toBe(true);
  });
});

describe('pgmask copy reads a big table in block ranges', async () => {
  const source = await useDatabase('pgmask_ranges_src');
  const pgDump = await needsPgDump();
  beforeAll(async () => {
    await source.query(`
      CREATE TABLE big (id integer PRIMARY KEY, email text, note text, payload text);
      CREATE TABLE small (id integer PRIMARY KEY, label text);
      INSERT INTO big SELECT i, 'user' || i || '@corp.se',
        CASE WHEN i % 5 = 0 THEN NULL ELSE E'Ring 070-123 45 ' || lpad((i % 100)::text, 2, '0') || E'\\nom user' || i || '@corp.se' END,
        repeat(E'x\\t\\\\y', i % 40) FROM generate_series(1, 30000) i;
      DELETE FROM big WHERE id % 7 = 0;
      UPDATE big SET payload = payload || 'updated' WHERE id % 11 = 0;
      INSERT INTO small SELECT i, 'label ' || i FROM generate_series(1, 10) i;
    `);
  });

  async function pieceCount(jobs: number): Promise<number> {
    const session = await Session.connect(source.url, 'source');
    try {
      const catalog = await readCatalog(session);
      const plans = planTables(await loadRules(keepFile), catalog);
      const [row] = await session.query<{ blocks: string }>("SELECT pg_relation_size('big') / current_setting('block_size')::int AS blocks");
      return planPieces(plans, { jobs, blocks: new Map([['public.big', Number(row!.blocks)]]), serverVersion: catalog.serverVersion, splitMinBytes: 1 }).filter(
        (p) => p.plan.key === 'public.big',
      ).length;
    } finally {
      await session.end();
    }
  }

  it('copies every row exactly once, byte-identical with all-keep rules, and counts rows per table', pgDump, async () => {
    expect(await pieceCount(4)).toBeGreaterThan(1);
    const target = await createDatabase('pgmask_ranges_keep');
    try {
      const report = await copyDatabase({ source: source.url, target: target.url, rules: await loadRules(keepFile), key, jobs: 4, splitBytes: 1, env, version: 'test' });
      expect(report.outcome).toBe('succeeded');
      const [count] = await source.query<{ n: number }>('SELECT count(*)::int AS n FROM big');
      expect(report.tables.find((t) => t.table === 'public.big')).toMatchObject({ status: 'copied', rows: count!.n });
      const [distinct] = await target.query<{ n: number; d: number }>('SELECT count(*)::int AS n, count(DISTINCT id)::int AS d FROM big');
      expect(distinct).toEqual({ n: count!.n, d: count!.n });
      for (const q of ['SELECT * FROM big ORDER BY id', 'SELECT * FROM small ORDER BY id']) {
        expect((await target.copyOut(q)).equals(await source.copyOut(q)), q).toBe(true);
      }
      // Into the existing tables again, also in ranges.
      const again = await copyDatabase({
        source: source.url,
        target: target.url,
        rules: await loadRules(keepFile),
        key,
        jobs: 3,
        splitBytes: 1,
        schema: 'existing',
        yes: true,
        env,
        version: 'test',
      });
      expect(again.outcome).toBe('succeeded');
      expect((await target.copyOut('SELECT * FROM big ORDER BY id')).equals(await source.copyOut('SELECT * FROM big ORDER BY id'))).toBe(true);
    } finally {
      await target.drop();
    }
  });

  it('masks a table read in ranges exactly as when it is read whole', pgDump, async () => {
    const whole = await createDatabase('pgmask_ranges_whole');
    const split = await createDatabase('pgmask_ranges_split');
    try {
      const rules = await loadRules(maskFile);
      await copyDatabase({ source: source.url, target: whole.url, rules, key, jobs: 1, env, version: 'test' });
      await copyDatabase({ source: source.url, target: split.url, rules, key, jobs: 4, splitBytes: 1, env, version: 'test' });
      const q = 'SELECT * FROM big ORDER BY id';
      const masked = await split.copyOut(q);
      expect(masked.equals(await whole.copyOut(q))).toBe(true);
      expect(masked.includes('@corp.se')).toBe(false);
    } finally {
      await whole.drop();
      await split.drop();
    }
  });
});
