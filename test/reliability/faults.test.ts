import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli } from '../support/cli.js';
import { createDatabase, serverUrl, type TestDatabase, useDatabase } from '../support/database.js';
import { needsPgDump } from '../support/pg-dump.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { disabledTriggers, pgmaskBackends, tempDir, terminateBackend, waitForPgmaskQuery, writeFile } from './support.js';

/**
 * Faults in the middle of a run: a backend killed, a connection cut, a signal, a constraint
 * that fails half-way. Each time pgmask must exit non-zero within seconds, say which table
 * failed and why, leave no half-filled table behind a run that claims success, no connection
 * of its own on either server, no trigger disabled, and a rerun must succeed.
 */

const dir = tempDir('faults');
const BIG_ROWS = 400_000;
const SMALL_ROWS = 100;
const rulesFile = writeFile(
  dir,
  'rules.yaml',
  `version: 1
unlisted: keep
tables:
  flt.big:
    columns:
      id: keep
      email: email
      filler: keep
  flt.small:
    columns:
      id: keep
      name: person.first_name
      touched: keep
`,
);

const keptRulesFile = writeFile(
  dir,
  'kept.yaml',
  'version: 1\nunlisted: keep\ntables:\n  flt.small:\n    columns:\n      id: keep\n      name: person.first_name\n      touched: keep\n',
);

const SCHEMA = `
  CREATE SCHEMA flt;
  CREATE TABLE flt.big (id int PRIMARY KEY, email text NOT NULL, filler text NOT NULL);
  CREATE TABLE flt.small (id int PRIMARY KEY, name text NOT NULL, touched boolean NOT NULL DEFAULT false);`;

/** A trigger on the target that must neither fire on copied rows nor be left disabled. */
const TARGET_TRIGGER = `
  CREATE FUNCTION flt.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.touched := true; RETURN NEW; END $$;
  CREATE TRIGGER small_touch BEFORE INSERT ON flt.small FOR EACH ROW EXECUTE FUNCTION flt.touch();`;

/** How long pgmask may take to exit after a fault. */
const EXIT_WITHIN_MS = 10_000;

interface Report {
  outcome: string;
  error?: { code: string; message: string; table?: string };
  tables: { table: string; status: string; error?: string }[];
}
const readReport = (path: string): Report => JSON.parse(readFileSync(path, 'utf8')) as Report;

describe('faults in the middle of a run', async () => {
  const source = await useDatabase('pgmask_fault_src');
  beforeAll(async () => {
    await source.query(`${SCHEMA}
      INSERT INTO flt.big SELECT i, 'big' || i || '@corp.se', repeat('x', 200) FROM generate_series(1, ${BIG_ROWS}) i;
      INSERT INTO flt.small (id, name) SELECT i, 'Name' || i FROM generate_series(1, ${SMALL_ROWS}) i;
      ANALYZE;`);
  });

  async function existingTarget(): Promise<TestDatabase> {
    const target = await createDatabase('pgmask_fault_dst');
    await target.query(SCHEMA + TARGET_TRIGGER);
    return target;
  }

  /** What every fault must leave behind: no connection, no disabled trigger, a rerun that succeeds. */
  async function expectCleanAfterFault(target: TestDatabase, args: readonly string[]): Promise<void> {
    expect(await pgmaskBackends(serverUrl(), [source.name, target.name])).toBe(0);
    expect(await disabledTriggers(target)).toEqual([]);
    const rerun = await runCli(args, { timeoutMs: 60_000 });
    expect(rerun.stderr).toContain('succeeded');
    expect(rerun.code).toBe(0);
    expect(await target.query('SELECT count(*)::int AS n FROM flt.big')).toEqual([{ n: BIG_ROWS }]);
    expect(await target.query('SELECT count(*)::int AS n, bool_or(touched) AS fired FROM flt.small')).toEqual([{ n: SMALL_ROWS, fired: false }]);
    expect(await disabledTriggers(target)).toEqual([]);
    expect(await pgmaskBackends(serverUrl(), [source.name, target.name])).toBe(0);
  }

  /**
   * The failed run's report names the table that failed (`table`, when only one can) and why;
   * every failed table was rolled back, and a table the report calls copied holds all its rows.
   */
  async function expectFailed(result: CliResult, reportFile: string, target: TestDatabase, why: RegExp, table?: string): Promise<void> {
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toMatch(why);
    expect(result.stderr).not.toMatch(/internal error|SQLSTATE E[A-Z]/);
    const report = readReport(reportFile);
    expect(report.outcome).toBe('failed');
    expect(report.error?.message).toMatch(why);
    const failed = report.tables.filter((t) => t.status === 'failed');
    expect(failed.map((t) => t.table)).toContain(report.error?.table);
    if (table) expect(report.error?.table).toBe(table);
    for (const t of failed) {
      // The table that failed says why; the others were stopped because of it.
      if (t.error !== 'the run was stopped') expect(t.error, t.table).toMatch(why);
      expect(await target.query(`SELECT count(*)::int AS n FROM ${t.table}`), t.table).toEqual([{ n: 0 }]);
    }
    for (const t of report.tables.filter((t) => t.status === 'copied')) {
      const expected = t.table === 'flt.big' ? BIG_ROWS : SMALL_ROWS;
      expect(await target.query(`SELECT count(*)::int AS n FROM ${t.table}`), t.table).toEqual([{ n: expected }]);
    }
  }

  for (const side of ['source', 'target'] as const) {
    it(`exits within seconds when the ${side} backend is terminated mid-table`, async () => {
      const target = await existingTarget();
      const reportFile = join(dir, `kill-${side}.json`);
      const args = ['copy', '--source', source.url, '--target', target.url, '--rules', rulesFile, '--schema', 'existing', '--yes', '--jobs', '2', '--report', reportFile];
      try {
        let killedAt = 0;
        const running = runCli(args, { timeoutMs: 60_000 });
        const db = side === 'source' ? source : target;
        const pid = await waitForPgmaskQuery(serverUrl(), db.name, side === 'source' ? 'COPY %flt.big%TO STDOUT%' : 'COPY flt.big%FROM STDIN%');
        expect(pid, 'the COPY of flt.big was never seen running').toBeDefined();
        expect(await terminateBackend(serverUrl(), pid!)).toBe(true);
        killedAt = performance.now();
        const result = await running;
        expect(performance.now() - killedAt).toBeLessThan(EXIT_WITHIN_MS);
        await expectFailed(result, reportFile, target, new RegExp(`${side} server (ended the connection: terminating connection|was lost)`), 'flt.big');
        await expectCleanAfterFault(target, args);
      } finally {
        await target.drop();
      }
    });
  }

  for (const [side, reset, rules] of [
    ['source', false, rulesFile],
    ['source', true, rulesFile],
    ['target', false, rulesFile],
    ['target', true, rulesFile],
    // flt.big kept: its rows pass in the source's own CopyData messages, and a cut ends one half-way.
    ['source', false, keptRulesFile],
    ['target', true, keptRulesFile],
  ] as const) {
    const kept = rules === keptRulesFile ? ', flt.big kept' : '';
    it(`exits within seconds when a proxy cuts the ${side} connection mid-stream (${reset ? 'RST' : 'FIN'}${kept})`, async () => {
      const target = await existingTarget();
      const url = new URL(serverUrl());
      const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
      const reportFile = join(dir, `cut-${side}-${reset}${kept ? '-kept' : ''}.json`);
      const through = (db: TestDatabase, proxied: boolean): string => (proxied ? proxy.via(db.url) : db.url);
      const args = (proxied: boolean): string[] => [
        'copy',
        '--source',
        through(source, proxied && side === 'source'),
        '--target',
        through(target, proxied && side === 'target'),
        '--rules',
        rules,
        '--schema',
        'existing',
        '--yes',
        '--jobs',
        '2',
        '--report',
        reportFile,
      ];
      try {
        // Cut once 8 MB of rows have gone through: well inside the 90 MB of flt.big.
        proxy.cutAfter(8 << 20, side === 'source' ? 'down' : 'up', { reset });
        const started = performance.now();
        const result = await runCli(args(true), { timeoutMs: 60_000 });
        expect(proxy.cuts).toBe(1);
        expect(performance.now() - started).toBeLessThan(30_000);
        // A cut while a job still connects says so in other words.
        await expectFailed(
          result,
          reportFile,
          target,
          new RegExp(`the connection to the ${side} server was lost|cannot connect to the ${side} database .*: the connection to the server was lost`),
        );
        await expectCleanAfterFault(target, args(false));
      } finally {
        await proxy.close();
        await target.drop();
      }
    });
  }

  it('fails cleanly when a target constraint rejects a row half-way, and reruns once it is fixed', async () => {
    const target = await existingTarget();
    await target.query(`ALTER TABLE flt.big ADD CONSTRAINT big_id_below CHECK (id < ${BIG_ROWS / 2})`);
    const reportFile = join(dir, 'constraint.json');
    const args = ['copy', '--source', source.url, '--target', target.url, '--rules', rulesFile, '--schema', 'existing', '--yes', '--jobs', '2', '--report', reportFile];
    try {
      const result = await runCli(args, { timeoutMs: 60_000 });
      await expectFailed(result, reportFile, target, /big_id_below/, 'flt.big');
      expect(result.stderr).toMatch(/violates check constraint/);
      // The failing row is not quoted (DETAIL: Failing row contains ...).
      expect(result.stderr).not.toMatch(/Failing row|big\d+@corp\.se/);
      await target.query('ALTER TABLE flt.big DROP CONSTRAINT big_id_below');
      await expectCleanAfterFault(target, args);
    } finally {
      await target.drop();
    }
  });

  it('a table read in block ranges whose last range fails is emptied again: it holds none of the ranges that committed', async () => {
    const src = await createDatabase('pgmask_fault_ranged_src');
    const target = await createDatabase('pgmask_fault_ranged_dst');
    const ddl = 'CREATE SCHEMA flt; CREATE TABLE flt.ranged (id int PRIMARY KEY, email text NOT NULL, filler text NOT NULL);';
    const rules = writeFile(dir, 'ranged.yaml', 'version: 1\nunlisted: keep\ntables:\n  flt.ranged:\n    columns:\n      id: keep\n      email: email\n      filler: keep\n');
    const reportFile = join(dir, 'ranged.json');
    try {
      // Over 64 MiB, so that two jobs read it in two ranges of heap blocks. The first blocks hold
      // few wide rows, the last many narrow ones: the first range commits long before the last
      // reaches the rows the target refuses.
      await src.query(`${ddl}
        INSERT INTO flt.ranged SELECT i, 'r' || i || '@corp.se', repeat('w', 1500) FROM generate_series(1, 40000) i;
        INSERT INTO flt.ranged SELECT i, 'r' || i || '@corp.se', '' FROM generate_series(40001, 440000) i;
        ANALYZE;`);
      await target.query(`${ddl} ALTER TABLE flt.ranged ADD CONSTRAINT ranged_id_below CHECK (id <= 439000);`);
      const args = ['copy', '--source', src.url, '--target', target.url, '--rules', rules, '--schema', 'existing', '--yes', '--jobs', '2', '--report', reportFile];
      const result = await runCli(args, { timeoutMs: 60_000 });
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr).toMatch(/table flt\.ranged: new row for relation "ranged" violates check constraint "ranged_id_below"/);
      const report = readReport(reportFile);
      expect(report).toMatchObject({ outcome: 'failed', error: { table: 'flt.ranged' } });
      expect(report.tables.map((t) => [t.table, t.status, (t as { rows?: number }).rows])).toEqual([['flt.ranged', 'failed', 0]]);
      expect(await target.query('SELECT count(*)::int AS n FROM flt.ranged')).toEqual([{ n: 0 }]);
      expect(await pgmaskBackends(serverUrl(), [src.name, target.name])).toBe(0);
      await target.query('ALTER TABLE flt.ranged DROP CONSTRAINT ranged_id_below');
      const rerun = await runCli(args, { timeoutMs: 60_000 });
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(await target.query('SELECT count(*)::int AS n FROM flt.ranged')).toEqual([{ n: 440000 }]);
    } finally {
      await target.drop();
      await src.drop();
    }
  });

  it('--schema create: a masked composite key that collides fails the index build, drops what it made, and a rerun succeeds', await needsPgDump(), async () => {
    const src = await createDatabase('pgmask_fault_pd_src');
    const target = await createDatabase('pgmask_fault_pd_dst');
    const rules = writeFile(dir, 'post-data.yaml', 'version: 1\nunlisted: keep\ntables:\n  pd.members:\n    columns:\n      id: keep\n      team: keep\n      name: redact\n');
    const reportFile = join(dir, 'post-data.json');
    const args = ['copy', '--source', src.url, '--target', target.url, '--rules', rules, '--schema', 'create', '--yes', '--report', reportFile];
    try {
      await src.query(`
        CREATE SCHEMA pd;
        CREATE TABLE pd.members (id int PRIMARY KEY, team int NOT NULL, name text NOT NULL, UNIQUE (team, name));
        INSERT INTO pd.members SELECT i, i % 10, 'Member ' || i FROM generate_series(1, 1000) i;
        CREATE TABLE pd.other (id int PRIMARY KEY);
        INSERT INTO pd.other SELECT generate_series(1, 10);`);
      const result = await runCli(args, { timeoutMs: 60_000 });
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr).toMatch(/could not create unique index "members_team_name_key"/);
      expect(result.stderr).not.toMatch(/Key \(|REDACTED|is duplicated/);
      const report = readReport(reportFile);
      expect(report.outcome).toBe('failed');
      expect(report.error?.message).toMatch(/members_team_name_key/);
      // The report names the table whose index failed, not only the index.
      expect(report.error?.table).toBe('pd.members');
      expect(report.tables.find((t) => t.table === 'pd.members')).toMatchObject({ status: 'failed', error: expect.stringMatching(/members_team_name_key/) });
      // Nothing of the failed run is left: no table holds rows whose index could not be built.
      expect(await target.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'pd'")).toEqual([{ n: 0 }]);
      expect(await pgmaskBackends(serverUrl(), [src.name, target.name])).toBe(0);

      await src.query('ALTER TABLE pd.members DROP CONSTRAINT members_team_name_key; ALTER TABLE pd.members ADD UNIQUE (id, name)');
      const rerun = await runCli(args, { timeoutMs: 60_000 });
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(await target.query('SELECT count(*)::int AS n, count(DISTINCT name)::int AS names FROM pd.members')).toEqual([{ n: 1000, names: 1 }]);
    } finally {
      await target.drop();
      await src.drop();
    }
  });

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`--schema create: ${signal} mid-table exits ${code}, drops the tables it made, leaves no pg_dump or psql behind`, await needsPgDump(), async () => {
      const target = await createDatabase('pgmask_fault_sig_dst');
      const reportFile = join(dir, `create-${signal}.json`);
      const args = ['copy', '--source', source.url, '--target', target.url, '--rules', rulesFile, '--schema', 'create', '--yes', '--jobs', '2', '--report', reportFile];
      try {
        let sent = 0;
        const result = await runCli(args, {
          timeoutMs: 60_000,
          onStderr: (stderr, child) => {
            if (!sent && stderr.includes('flt.big: started')) {
              sent = performance.now();
              setTimeout(() => child.kill(signal), 300);
            }
          },
        });
        expect(sent).toBeGreaterThan(0);
        expect(result.code).toBe(code);
        expect(performance.now() - sent).toBeLessThan(EXIT_WITHIN_MS);
        expect(readReport(reportFile).outcome).toBe('interrupted');
        expect(await target.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'flt'")).toEqual([{ n: 0 }]);
        expect(await pgmaskBackends(serverUrl(), [source.name, target.name])).toBe(0);
        const tools = await target.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = ANY($1) AND application_name IN ('pg_dump', 'psql')", [
          [source.name, target.name],
        ]);
        expect(tools).toEqual([{ n: 0 }]);
        const rerun = await runCli(args, { timeoutMs: 60_000 });
        expect(rerun.code, rerun.stderr).toBe(0);
        expect(await target.query('SELECT count(*)::int AS n FROM flt.big')).toEqual([{ n: BIG_ROWS }]);
      } finally {
        await target.drop();
      }
    });
  }

  it('pgmask dump: a source backend terminated mid-table fails the dump, names the table, and leaves no file', await needsPgDump(), async () => {
    const out = join(dir, 'dump', 'masked.sql');
    const reportFile = join(dir, 'dump-kill.json');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'dump'), { recursive: true });
    const args = ['dump', '--source', source.url, '--rules', rulesFile, '--out', out, '--report', reportFile];
    const running = runCli(args, { timeoutMs: 60_000 });
    const pid = await waitForPgmaskQuery(serverUrl(), source.name, 'COPY %flt.big%TO STDOUT%');
    expect(pid).toBeDefined();
    await terminateBackend(serverUrl(), pid!);
    const killedAt = performance.now();
    const result = await running;
    expect(performance.now() - killedAt).toBeLessThan(EXIT_WITHIN_MS);
    expect(result.code).toBe(3);
    const report = readReport(reportFile);
    expect(report).toMatchObject({ outcome: 'failed', error: { table: 'flt.big' } });
    expect(report.error?.message).toMatch(/terminat/i);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(join(dir, 'dump'))).toEqual([]);
    expect(await pgmaskBackends(serverUrl(), [source.name])).toBe(0);
    const rerun = await runCli(args, { timeoutMs: 60_000 });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^COPY flt\.big /m);
  });
});
