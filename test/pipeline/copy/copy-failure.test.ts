import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { createDatabase, serverUrl, type TestDatabase, useDatabase } from '../../support/database.js';
import { needsPgDump } from '../../support/pg-dump.js';
import { writeRulesFile } from '../../support/rules-file.js';

const { dir, file: rulesFile } = writeRulesFile(
  'pgmask-failure-',
  `version: 1
unlisted: keep
tables:
  public.notes:
    columns:
      id: keep
      payload: { transform: json, paths: { "$.email": email } }
  public.big:
    columns:
      id: keep
      email: email
      filler: keep
`,
);
const bigRulesFile = join(dir, 'big.yaml');
writeFileSync(bigRulesFile, 'version: 1\nunlisted: keep\ntables:\n  public.big:\n    columns:\n      id: keep\n      email: email\n      filler: keep\n');
const CANARY = 'canary-4f9c2e';

/**
 * Connections pgmask holds on either database: none may be left after a run ends. A backend
 * leaves pg_stat_activity a moment after its client has gone, so this waits up to 3 s.
 */
async function pgmaskConnections(...databases: TestDatabase[]): Promise<number> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'pgmask' AND datname = ANY($1)", [
        databases.map((d) => d.name),
      ]);
      if (rows[0]!.n === 0 || attempt === 30) return rows[0]!.n;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await client.end();
  }
}

describe('pgmask copy when something fails', async () => {
  const source = await useDatabase('pgmask_fail_src');
  beforeAll(async () => {
    await source.query(`
      CREATE TABLE notes (id int PRIMARY KEY, payload text NOT NULL);
      INSERT INTO notes SELECT i, json_build_object('email', 'person' || i || '@corp.se')::text FROM generate_series(1, 5000) i;
      UPDATE notes SET payload = '{"email": "${CANARY}@corp.se", broken' WHERE id = 4000;
      CREATE TABLE big (id int PRIMARY KEY, email text NOT NULL, filler text NOT NULL);
      INSERT INTO big SELECT i, 'big' || i || '@corp.se', repeat('x', 200) FROM generate_series(1, 400000) i;
      ANALYZE;`);
  });

  it('stops at a value a transformer cannot mask, names table, column and line, leaks nothing, and a rerun succeeds', await needsPgDump(), async () => {
    const target = await createDatabase('pgmask_fail_dst');
    const report = join(dir, 'failed.json');
    try {
      const result = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', rulesFile, '--report', report, '--jobs', '2']);
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/table public\.notes, column payload, line \d+/);
      expect(result.stderr).not.toContain(CANARY);
      const json = JSON.parse(readFileSync(report, 'utf8'));
      expect(json).toMatchObject({ outcome: 'failed', error: { code: 'TRANSFORM', table: 'public.notes' } });
      expect(json.tables.find((t: { table: string }) => t.table === 'public.notes').status).toBe('failed');
      expect(readFileSync(report, 'utf8')).not.toContain(CANARY);
      // The tables this run created are gone again: none holds part of its rows.
      expect(await target.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'")).toEqual([{ n: 0 }]);
      expect(await pgmaskConnections(source, target)).toBe(0);

      await source.query(`UPDATE notes SET payload = '{}' WHERE id = 4000`);
      const rerun = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', rulesFile]);
      expect(rerun.stderr).toContain('succeeded');
      expect(rerun.code).toBe(0);
      expect(await target.query('SELECT count(*)::int AS n FROM notes')).toEqual([{ n: 5000 }]);
      expect(await target.query("SELECT count(*)::int AS n FROM pg_indexes WHERE tablename IN ('notes', 'big')")).toEqual([{ n: 2 }]);
      // Over a complete copy, --schema create needs --yes, then drops and makes the tables anew.
      const again = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', rulesFile, '--schema', 'create']);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/--yes/);
      const replaced = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', rulesFile, '--schema', 'create', '--yes']);
      expect(replaced.code).toBe(0);
      expect(await target.query('SELECT count(*)::int AS n FROM big')).toEqual([{ n: 400000 }]);
    } finally {
      await source.query(`UPDATE notes SET payload = '{"email": "${CANARY}@corp.se", broken' WHERE id = 4000`);
      await target.drop();
    }
  });

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`stops cleanly on ${signal} with exit code ${code}`, async () => {
      const target = await createDatabase('pgmask_sig_dst');
      const report = join(dir, `${signal}.json`);
      try {
        let sent = 0;
        await target.query('CREATE TABLE notes (id int PRIMARY KEY, payload text NOT NULL); CREATE TABLE big (id int PRIMARY KEY, email text NOT NULL, filler text NOT NULL)');
        const args = ['copy', '--source', source.url, '--target', target.url, '--rules', bigRulesFile, '--report', report, '--schema', 'existing'];
        const result = await runCli(args, {
          timeoutMs: 30_000,
          onStderr: (stderr, child) => {
            if (!sent && stderr.includes('public.big: started')) {
              sent = performance.now();
              setTimeout(() => child.kill(signal), 300);
            }
          },
        });
        expect(sent).toBeGreaterThan(0);
        expect(result.code).toBe(code);
        expect(performance.now() - sent).toBeLessThan(10_000);
        expect(JSON.parse(readFileSync(report, 'utf8')).outcome).toBe('interrupted');
        expect(await target.query('SELECT count(*)::int AS n FROM big')).toEqual([{ n: 0 }]);
        expect(await pgmaskConnections(source, target)).toBe(0);
        const rerun = await runCli([...args, '--yes']);
        expect(rerun.code).toBe(0);
        expect(await target.query('SELECT count(*)::int AS n FROM big')).toEqual([{ n: 400000 }]);
      } finally {
        await target.drop();
      }
    });
  }
});

describe('pgmask copy summary after a failure', async () => {
  const source = await useDatabase('pgmask_fail_sum_src');
  const { file: rules } = writeRulesFile(
    'pgmask-failure-summary-',
    'version: 1\nunlisted: keep\ntables:\n  public.notes:\n    columns:\n      id: keep\n      payload: { transform: json, paths: { "$.email": email } }\n',
  );
  beforeAll(async () => {
    // Largest first, one job: the three bigger tables are copied, notes fails, the two smaller never start.
    await source.query(`
      CREATE TABLE big1 (id int PRIMARY KEY, filler text NOT NULL);
      CREATE TABLE big2 (id int PRIMARY KEY, filler text NOT NULL);
      CREATE TABLE big3 (id int PRIMARY KEY, filler text NOT NULL);
      INSERT INTO big1 SELECT i, repeat('x', 400) FROM generate_series(1, 3000) i;
      INSERT INTO big2 SELECT i, repeat('x', 400) FROM generate_series(1, 2500) i;
      INSERT INTO big3 SELECT i, repeat('x', 400) FROM generate_series(1, 1952) i;
      CREATE TABLE notes (id int PRIMARY KEY, payload text NOT NULL);
      INSERT INTO notes SELECT i, json_build_object('email', 'person' || i || '@corp.se')::text FROM generate_series(1, 2000) i;
      UPDATE notes SET payload = '{"email": "${CANARY}@corp.se", broken' WHERE id = 1500;
      CREATE TABLE small1 (id int PRIMARY KEY);
      CREATE TABLE small2 (id int PRIMARY KEY);
      INSERT INTO small1 VALUES (1);
      INSERT INTO small2 VALUES (1);
      ANALYZE;`);
  });

  it('says which tables were copied, which one failed and how many never started', await needsPgDump(), async () => {
    const target = await createDatabase('pgmask_fail_sum_dst');
    try {
      const result = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', rules, '--jobs', '1']);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('failed: 3 table(s) copied (7,452 rows), 1 failed (public.notes), 2 not started; key fingerprint ');
      expect(result.stderr).toMatch(/^the \d+ table\(s\) this run made in the target were dropped again/m);
      expect(await target.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'")).toEqual([{ n: 0 }]);
      expect(result.stderr).not.toContain(CANARY);
    } finally {
      await target.drop();
    }
  });
});
