import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createDatabase, serverUrl, type TestDatabase, useDatabase } from '../support/database.js';
import { pgmaskBackends, tempDir, waitForPgmaskQuery, writeFile } from './support.js';

/**
 * `copy --swap` as a nightly refresh meets faults: killed (SIGKILL) while loading, while building
 * the shadows' keys and just before the swap, interrupted, failing on a key. Each time the
 * target's tables must hold exactly what they held before (checksums per table), and the next
 * run must succeed and leave no shadow behind. A reader looping `count(*)` on every table
 * during a refresh sees the old count or the new one, never another.
 */

const dir = tempDir('swap');
const BIG_ROWS = 300_000;
const rulesFile = writeFile(
  dir,
  'rules.yaml',
  `version: 1
unlisted: fail
tables:
  sw.big: { columns: { id: keep, email: email, filler: keep } }
  sw.small: { columns: { id: keep, big_id: keep, name: person.first_name } }
  sw.empty: { columns: { id: keep } }
`,
);

const SCHEMA = `
  CREATE SCHEMA sw;
  CREATE TABLE sw.big (id int PRIMARY KEY, email text NOT NULL, filler text NOT NULL);
  CREATE TABLE sw.small (id int PRIMARY KEY, big_id int REFERENCES sw.big, name text NOT NULL);
  CREATE TABLE sw.empty (id int PRIMARY KEY);`;

/** Only the target has these: an index to build, a table the run does not copy that references a copied one, and a view. */
const TARGET_ONLY = `
  CREATE INDEX big_email ON sw.big (email);
  CREATE TABLE sw.note (id int PRIMARY KEY, small_id int REFERENCES sw.small);
  CREATE VIEW sw.small_names AS SELECT id, name FROM sw.small;`;

const TABLES = ['sw.big', 'sw.small', 'sw.empty', 'sw.note'] as const;

/** Rows and an md5 of every row, per table, in key order. */
async function checksums(db: TestDatabase): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of TABLES) {
    const [row] = await db.query<{ sum: string }>(`SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t.id)), '') AS sum FROM ${table} t`);
    out[table] = row!.sum;
  }
  return out;
}

const shadowSchemas = async (db: TestDatabase): Promise<number> =>
  (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_namespace WHERE nspname ~ '^pgmask_(shadow|old)_'"))[0]!.n;

describe('copy --swap under faults', async () => {
  const source = await useDatabase('pgmask_swapf_src');
  beforeAll(async () => {
    await source.query(`${SCHEMA}
      INSERT INTO sw.big SELECT i, 'big' || i || '@corp.se', repeat('x', 100) FROM generate_series(1, ${BIG_ROWS}) i;
      INSERT INTO sw.small SELECT i, i, 'Name' || i FROM generate_series(1, 500) i;
      ANALYZE;`);
  });

  /** A target with the schema and old rows of its own. */
  async function existingTarget(): Promise<TestDatabase> {
    const target = await createDatabase('pgmask_swapf_dst');
    await target.query(SCHEMA + TARGET_ONLY);
    await target.query(`INSERT INTO sw.big SELECT i, 'old' || i || '@corp.se', 'old' FROM generate_series(1, 1000) i;
      INSERT INTO sw.small SELECT i, i, 'Old' || i FROM generate_series(1, 50) i;
      INSERT INTO sw.empty VALUES (1), (2);
      INSERT INTO sw.note SELECT i, i FROM generate_series(1, 50) i;`);
    return target;
  }

  const args = (target: TestDatabase, report = 'report.json'): string[] => [
    'copy',
    '--source',
    source.url,
    '--target',
    target.url,
    '--rules',
    rulesFile,
    '--swap',
    '--yes',
    '--jobs',
    '2',
    '--report',
    join(dir, report),
  ];

  /** Runs a swap, kills it with SIGKILL once `ready` resolves, and returns once it has exited. */
  async function killedRun(target: TestDatabase, ready: () => Promise<boolean>): Promise<boolean> {
    let child: ChildProcess | undefined;
    const run = runCli(args(target), {
      timeoutMs: 120_000,
      onStderr: (_text, c) => {
        child ??= c;
      },
    });
    const hit = await ready();
    child?.kill('SIGKILL');
    await run;
    return hit;
  }

  /** After a fault: the old rows as they were; then a run that succeeds, drops what the killed one left, and loads the new rows. */
  async function expectUnchangedThenRerun(target: TestDatabase, before: Record<string, string>, leftovers: boolean): Promise<void> {
    expect(await checksums(target)).toEqual(before);
    expect(await pgmaskBackends(serverUrl(), [source.name, target.name])).toBe(0);
    const rerun = await runCli(args(target, 'rerun.json'), { timeoutMs: 120_000 });
    expect(rerun.code, rerun.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'rerun.json'), 'utf8'));
    expect(report.swap.leftoversDropped > 0).toBe(leftovers);
    expect(await shadowSchemas(target)).toBe(0);
    const after = await checksums(target);
    expect(after['sw.big']!.startsWith(`${BIG_ROWS}:`)).toBe(true);
    expect(after['sw.small']!.startsWith('500:')).toBe(true);
    expect(after['sw.empty']).toBe('0:');
    expect(after['sw.note']).toBe(before['sw.note']);
  }

  it('SIGKILL while loading leaves every table as it was; the next run drops the shadows and succeeds', async () => {
    const target = await existingTarget();
    try {
      const before = await checksums(target);
      const hit = await killedRun(target, async () => (await waitForPgmaskQuery(serverUrl(), target.name, 'COPY pgmask_shadow_%big%')) !== undefined);
      expect(hit).toBe(true);
      expect(await shadowSchemas(target)).toBeGreaterThan(0);
      await expectUnchangedThenRerun(target, before, true);
    } finally {
      await target.drop();
    }
  });

  /** Holds a lock that the named step of the run will wait for, until released. */
  async function holdLock(target: TestDatabase, sql: string): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    await client.query(`BEGIN; ${sql}`);
    return client;
  }

  /** Whether a pgmask backend on the target waits for a lock in a statement matching `like`, within 60 s. */
  async function waitingOnLock(target: TestDatabase, like: string): Promise<boolean> {
    const client = new pg.Client({ connectionString: serverUrl() });
    await client.connect();
    try {
      for (let i = 0; i < 3000; i++) {
        const { rows } = await client.query("SELECT 1 FROM pg_stat_activity WHERE application_name = 'pgmask' AND datname = $1 AND wait_event_type = 'Lock' AND query LIKE $2", [
          target.name,
          like,
        ]);
        if (rows.length) return true;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return false;
    } finally {
      await client.end();
    }
  }

  it('SIGKILL while the shadows get their keys leaves every table as it was', async () => {
    const target = await existingTarget();
    try {
      const before = await checksums(target);
      // The shadow of sw.small gets its key to sw.big's shadow; sw.note's key waits on sw.small: a reader's lock on sw.note does not block it, one on the shadow schema's big does.
      const blocker = new pg.Client({ connectionString: target.url });
      await blocker.connect();
      let hit = false;
      try {
        hit = await killedRun(target, async () => {
          // Once the shadows exist, take a lock their key building needs.
          for (let i = 0; i < 3000; i++) {
            const { rows } = await blocker.query("SELECT to_regclass(nspname || '.big')::text AS big FROM pg_namespace WHERE nspname LIKE 'pgmask\\_shadow\\_%'");
            if (rows[0]?.big) {
              await blocker.query(`BEGIN; LOCK TABLE ${rows[0].big} IN ACCESS SHARE MODE`);
              break;
            }
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
          return waitingOnLock(target, '%pgmask_shadow_%');
        });
      } finally {
        await blocker.end();
      }
      expect(hit).toBe(true);
      await expectUnchangedThenRerun(target, before, true);
    } finally {
      await target.drop();
    }
  });

  it('SIGKILL while the swap waits for its locks leaves every table as it was', async () => {
    const target = await existingTarget();
    try {
      const before = await checksums(target);
      const reader = await holdLock(target, 'SELECT count(*) FROM sw.small');
      let hit = false;
      try {
        hit = await killedRun(target, () => waitingOnLock(target, 'LOCK TABLE%'));
      } finally {
        await reader.end();
      }
      expect(hit).toBe(true);
      await expectUnchangedThenRerun(target, before, true);
    } finally {
      await target.drop();
    }
  });

  it('a failure building a shadow (a key the new rows break) fails the run, drops the shadows, and leaves every table as it was', async () => {
    const target = await existingTarget();
    try {
      // Masked first names repeat: a unique index on them cannot be built on the new rows.
      await target.query('CREATE UNIQUE INDEX small_name ON sw.small (name)');
      const before = await checksums(target);
      const result = await runCli(args(target), { timeoutMs: 120_000 });
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/table sw\.small: building its shadow failed: could not create unique index/);
      expect(await checksums(target)).toEqual(before);
      expect(await shadowSchemas(target)).toBe(0);
    } finally {
      await target.drop();
    }
  });

  it('SIGINT while loading exits 130, drops its shadows, and leaves every table as it was', async () => {
    const target = await existingTarget();
    try {
      const before = await checksums(target);
      let child: ChildProcess | undefined;
      const run = runCli(args(target), { timeoutMs: 120_000, onStderr: (_text, c) => void (child ??= c) });
      expect(await waitForPgmaskQuery(serverUrl(), target.name, 'COPY pgmask_shadow_%big%')).toBeDefined();
      child?.kill('SIGINT');
      const result = await run;
      expect(result.code).toBe(130);
      expect(await checksums(target)).toEqual(before);
      expect(await shadowSchemas(target)).toBe(0);
    } finally {
      await target.drop();
    }
  });

  it('a reader looping count(*) on every table during a refresh sees the old count or the new one, never another', async () => {
    const target = await existingTarget();
    const reader = new pg.Client({ connectionString: target.url });
    await reader.connect();
    try {
      const counts = async (): Promise<number[]> =>
        (await reader.query<{ n: number }>(TABLES.map((t) => `SELECT count(*)::int AS n FROM ${t}`).join(' UNION ALL '))).rows.map((r) => r.n);
      const old = await counts();
      let done = false;
      const seen: number[][] = [];
      const loop = (async () => {
        while (!done) {
          // One table at a time, as a reader would: each must be old or new on its own.
          for (const [i, table] of TABLES.entries()) {
            const { rows } = await reader.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
            seen.push([i, rows[0]!.n]);
          }
        }
      })();
      const result = await runCli(args(target), { timeoutMs: 120_000 });
      done = true;
      await loop;
      expect(result.code, result.stderr).toBe(0);
      const fresh = await counts();
      expect(fresh).toEqual([BIG_ROWS, 500, 0, 50]);
      const strange = seen.filter(([i, n]) => n !== old[i!] && n !== fresh[i!]);
      expect(strange).toEqual([]);
      // The reader did read during the run, and saw both.
      expect(seen.length).toBeGreaterThan(20);
      expect(seen.some(([i, n]) => i === 0 && n === old[0])).toBe(true);
    } finally {
      await reader.end();
      await target.drop();
    }
  });
});
