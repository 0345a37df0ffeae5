import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/config/load-rules.js';
import { copyDatabase, CopyFailedError } from '../../src/pipeline/copy-database.js';
import { maskingKeyFromBytes } from '../../src/random/key.js';
import { createDatabase, useDatabase } from '../support/database.js';
import { pgDumpCanDump } from '../support/pg-dump.js';
import { writeRulesFile } from '../support/rules-file.js';

const rules = await loadRules(writeRulesFile('pgmask-own-thread-', 'version: 1\nunlisted: keep\ntables:\n  public.people:\n    columns:\n      email: email\n').file);
const key = maskingKeyFromBytes(Buffer.alloc(32, 9), 'own-thread-test');
const env = { ...process.env, PGMASK_TESTDATA_DIR: process.env['PGMASK_TESTDATA_DIR'] };

describe.skipIf(!(await pgDumpCanDump()))('a table nothing is masked in, on a thread of its own beside a masked one', async () => {
  const source = await useDatabase('pgmask_own_thread_src');
  await source.query(`
    CREATE TABLE people (id int PRIMARY KEY, email text);
    CREATE TABLE events (id int PRIMARY KEY, person int REFERENCES people, at timestamptz, note text, body bytea, tags text[]);
    INSERT INTO people SELECT i, 'p' || i || '@corp.se' FROM generate_series(1, 3000) i;
    INSERT INTO events SELECT i, 1 + i % 3000, timestamptz '2024-01-01' + i * interval '1 minute',
      CASE WHEN i % 5 = 0 THEN NULL ELSE E'tab\\there, line\\nthere, åäö \\\\ ' || i END, decode(md5(i::text), 'hex'), ARRAY['a' || i, NULL]
      FROM generate_series(1, 40000) i;
    ANALYZE;`);

  it('loads its rows as they are, in either format, and says so in the report', async () => {
    for (const copyFormat of ['auto', 'text'] as const) {
      const target = await createDatabase('pgmask_own_thread_dst');
      try {
        const report = await copyDatabase({ source: source.url, target: target.url, rules, key, env, version: 'test', jobs: 2, threadBytes: 0, copyFormat });
        const events = report.tables.find((t) => t.table === 'public.events')!;
        expect(events).toMatchObject({ status: 'copied', rows: 40000, ownThread: true });
        expect(events.format).toBe(copyFormat === 'auto' ? 'binary' : undefined);
        expect(events.bytes).toBeGreaterThan(0);
        expect(report.tables.find((t) => t.table === 'public.people')!.ownThread).toBeUndefined();
        const q = 'SELECT * FROM events ORDER BY id';
        expect((await target.copyOut(q)).equals(await source.copyOut(q))).toBe(true);
        expect(await target.query("SELECT count(*)::int AS n FROM people WHERE email LIKE '%@corp.se'")).toEqual([{ n: 0 }]);
      } finally {
        await target.drop();
      }
    }
  });

  it('stays on the stream thread when nothing else is masked, or below the size', async () => {
    const target = await createDatabase('pgmask_own_thread_dst');
    try {
      const report = await copyDatabase({ source: source.url, target: target.url, rules, key, env, version: 'test', jobs: 2 });
      expect(report.tables.every((t) => t.ownThread === undefined)).toBe(true);
    } finally {
      await target.drop();
    }
  });

  it("fails the run with the thread's error, naming the table and no value, and empties what it loaded", async () => {
    const target = await createDatabase('pgmask_own_thread_bad');
    try {
      await target.query(`
        CREATE TABLE people (id int PRIMARY KEY, email text);
        CREATE TABLE events (id int PRIMARY KEY, person int, at timestamptz, note text, body bytea, tags text[], CHECK (id < 39000));`);
      const run = copyDatabase({ source: source.url, target: target.url, rules, key, env, version: 'test', jobs: 2, threadBytes: 0, schema: 'existing' });
      const error = (await run.catch((e: unknown) => e)) as CopyFailedError;
      expect(error).toBeInstanceOf(CopyFailedError);
      expect(error.report.error).toMatchObject({ table: 'public.events' });
      expect(error.message).toContain('events_id_check');
      expect(error.message).not.toMatch(/39\d{3}|åäö|there|corp\.se/);
      expect(await target.query('SELECT count(*)::int AS n FROM events')).toEqual([{ n: 0 }]);
    } finally {
      await target.drop();
    }
  });
  it('is stopped when another table fails, and leaves its table whole or empty', async () => {
    const target = await createDatabase('pgmask_own_thread_stop');
    try {
      await target.query(`
        CREATE TABLE people (id int PRIMARY KEY, email text, CHECK (id < 10));
        CREATE TABLE events (id int PRIMARY KEY, person int, at timestamptz, note text, body bytea, tags text[]);`);
      const error = (await copyDatabase({ source: source.url, target: target.url, rules, key, env, version: 'test', jobs: 2, threadBytes: 0, schema: 'existing' }).catch((e: unknown) => e)) as CopyFailedError;
      expect(error).toBeInstanceOf(CopyFailedError);
      expect(error.report.error).toMatchObject({ table: 'public.people' });
      const [{ n }] = (await target.query('SELECT count(*)::int AS n FROM events')) as [{ n: number }];
      expect([0, 40000]).toContain(n);
    } finally {
      await target.drop();
    }
  });
});
