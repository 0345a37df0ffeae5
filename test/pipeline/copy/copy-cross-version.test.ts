import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../../src/pipeline/run/report.js';
import { runCli } from '../../support/cli.js';
import { databaseUrl, useDatabase } from '../../support/database.js';
import { pgDumpFit } from '../../support/pg-dump.js';
import { writeRulesFile } from '../../support/rules-file.js';
import { startEmbedded, type TestServer } from '../../support/server.js';
import { skipUnless } from '../../support/skip-unless.js';
import { withClient } from '../../support/with-client.js';

const { dir, file: rulesFile } = writeRulesFile(
  'pgmask-versions-',
  `version: 1
unlisted: keep
tables:
  public.people:
    columns:
      id: keep
      email: email
      born: keep
      tags: keep
`,
);

const major = (url: string): Promise<number> =>
  withClient(url, async (c) => Math.floor(Number((await c.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]!.v) / 10000));

// The other server is embedded PostgreSQL 17: the versions differ where the test server is older (CI's first run).
describe('pgmask copy between servers of different major versions', async () => {
  const source = await useDatabase('pgmask_versions_src');
  const sourceMajor = await major(source.url);
  const pgDump = await pgDumpFit();
  const differ = sourceMajor < 17 && pgDump.canDump;
  let other: TestServer | undefined;
  beforeAll(async () => {
    if (!differ) return;
    other = await startEmbedded();
    await source.query(`
      CREATE TABLE people (id int PRIMARY KEY, email text, born date, tags text[]);
      INSERT INTO people SELECT i, 'p' || i || '@corp.se', date '1990-01-01' + i, ARRAY['a', 'b'] FROM generate_series(1, 500) AS i;`);
  });
  afterAll(() => other?.stop());

  const needs =
    sourceMajor < 17
      ? skipUnless(pgDump.canDump, pgDump.reason)
      : skipUnless(false, `it copies into embedded PostgreSQL 17, so it needs a test server of an older major version (this one is ${sourceMajor})`);
  it('moves every table as text, since the binary format may differ between versions', needs, async () => {
    await withClient(other!.url, (c) => c.query('CREATE DATABASE target'));
    const target = databaseUrl('target', other!.url);
    const reportFile = join(dir, 'report.json');
    const result = await runCli(['copy', '--source', source.url, '--target', target, '--rules', rulesFile, '--report', reportFile]);
    expect(result.stderr).toContain('succeeded');
    expect(result.code).toBe(0);
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as RunReport;
    expect(report.tables.map((t) => [t.table, t.rows, t.format])).toEqual([['public.people', 500, undefined]]);
    const rows = await withClient(
      target,
      async (c) => (await c.query<{ n: number; masked: number }>("SELECT count(*)::int AS n, count(*) FILTER (WHERE email LIKE '%@example.com')::int AS masked FROM people")).rows,
    );
    expect(rows).toEqual([{ n: 500, masked: 500 }]);
  });
});
