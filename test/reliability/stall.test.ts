import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createDatabase, serverUrl, type TestDatabase, useDatabase } from '../support/database.js';
import { needsPgDump } from '../support/pg-dump.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { pgmaskBackends, tempDir, writeFile } from './support.js';

/**
 * A network that stops forwarding without closing (a hung load balancer, a dropped route): the
 * run must not hang. With `--stall-timeout 2`, a copy whose source or target connection goes
 * silent mid-COPY fails within seconds with exit code 3, naming the table and the side.
 */

const dir = tempDir('stall');
const ROWS = 100_000;
const SCHEMA = 'CREATE SCHEMA stl; CREATE TABLE stl.wide (id int PRIMARY KEY, email text NOT NULL, filler text NOT NULL); CREATE TABLE stl.tiny (id int PRIMARY KEY);';
const rulesFile = writeFile(dir, 'rules.yaml', 'version: 1\nunlisted: keep\ntables:\n  stl.wide:\n    columns:\n      id: keep\n      email: email\n      filler: keep\n');

interface Report {
  outcome: string;
  error?: { code: string; message: string; table?: string };
  tables: { table: string; status: string; error?: string }[];
}

describe('a stalled connection', async () => {
  const source = await useDatabase('pgmask_stall_src');
  beforeAll(async () => {
    // About 20 MB of rows: more than the kernel's socket buffers on either side hold.
    await source.query(`${SCHEMA}
      INSERT INTO stl.wide SELECT i, 'w' || i || '@corp.se', repeat('x', 200) FROM generate_series(1, ${ROWS}) i;
      INSERT INTO stl.tiny SELECT generate_series(1, 10);
      ANALYZE;`);
  });

  for (const [side, direction] of [
    ['source', 'down'],
    ['target', 'up'],
  ] as const) {
    it(`fails within the stall timeout, exit 3, naming the table and the ${side} side, when the ${side} stops forwarding mid-COPY`, async () => {
      const target: TestDatabase = await createDatabase('pgmask_stall_dst');
      await target.query(SCHEMA);
      const url = new URL(serverUrl());
      const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
      const reportFile = join(dir, `stall-${side}.json`);
      try {
        // 4 MB into the data: well inside the 20 MB of stl.wide; the catalog queries before it move far less.
        proxy.stallAfter(4 << 20, direction, 'both');
        const started = performance.now();
        const result = await runCli(
          [
            'copy',
            '--source',
            side === 'source' ? proxy.via(source.url) : source.url,
            '--target',
            side === 'target' ? proxy.via(target.url) : target.url,
            '--rules',
            rulesFile,
            '--schema',
            'existing',
            '--yes',
            '--jobs',
            '1',
            '--stall-timeout',
            '2',
            '--report',
            reportFile,
          ],
          { timeoutMs: 30_000 },
        );
        const seconds = (performance.now() - started) / 1000;
        expect(result.code, result.stderr).toBe(3);
        expect(result.stderr).toMatch(new RegExp(`table stl\\.wide: no progress on the ${side} side for 2 s`));
        const report = JSON.parse(readFileSync(reportFile, 'utf8')) as Report;
        expect(report.outcome).toBe('failed');
        expect(report.error).toMatchObject({ code: 'STALL', table: 'stl.wide' });
        expect(report.tables.find((t) => t.table === 'stl.wide')).toMatchObject({ status: 'failed' });
        expect(report.tables.find((t) => t.table === 'stl.wide')?.error).toMatch(new RegExp(`${side} side`));
        // The stall timeout, cleanup bounded by it, and the start of the process: well under the 30 s a hang would take.
        expect(seconds).toBeLessThan(15);
        expect(await target.query('SELECT count(*)::int AS n FROM stl.wide')).toEqual([{ n: 0 }]);
      } finally {
        await proxy.close();
        expect(await pgmaskBackends(serverUrl(), [source.name, target.name])).toBe(0);
        await target.drop();
      }
    });
  }
});

describe('a statement that does not return', async () => {
  const source = await useDatabase('pgmask_stall_lock_src');
  beforeAll(async () => {
    await source.query(`${SCHEMA} INSERT INTO stl.tiny SELECT generate_series(1, 10);`);
  });

  it('fails within the stall timeout, exit 3, blaming the target, when emptying a target table waits on a lock', async () => {
    const target = await createDatabase('pgmask_stall_lock_dst');
    await target.query(`${SCHEMA} INSERT INTO stl.tiny VALUES (1);`);
    const holder = new pg.Client({ connectionString: target.url });
    await holder.connect();
    const reportFile = join(dir, 'stall-lock.json');
    try {
      await holder.query('BEGIN; LOCK TABLE stl.tiny IN ACCESS SHARE MODE');
      const started = performance.now();
      const result = await runCli(
        ['copy', '--source', source.url, '--target', target.url, '--rules', rulesFile, '--schema', 'existing', '--yes', '--stall-timeout', '2', '--report', reportFile],
        { timeoutMs: 30_000 },
      );
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr).toMatch(/a statement: no progress on the target side for 2 s/);
      expect((performance.now() - started) / 1000).toBeLessThan(15);
      const report = JSON.parse(readFileSync(reportFile, 'utf8')) as Report;
      expect(report).toMatchObject({ outcome: 'failed', error: { code: 'STALL' } });
    } finally {
      // The abandoned TRUNCATE's backend waits on the lock until the holder lets go, then sees pgmask gone.
      await holder.query('ROLLBACK').catch(() => {});
      await holder.end();
      expect(await pgmaskBackends(serverUrl(), [source.name, target.name])).toBe(0);
      await target.drop();
    }
  });
});

describe('pgmask dump and mask: a stalled source or input', async () => {
  const source = await useDatabase('pgmask_stall_dump_src');
  beforeAll(async () => {
    await source.query(`${SCHEMA}
      INSERT INTO stl.wide SELECT i, 'w' || i || '@corp.se', repeat('x', 200) FROM generate_series(1, ${ROWS}) i;
      ANALYZE;`);
  });

  it('pgmask dump: a source that stops forwarding mid-COPY fails within the stall timeout, exit 3, naming the table and the source', await needsPgDump(), async () => {
    const url = new URL(serverUrl());
    const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    const out = join(dir, 'stalled-dump.sql');
    try {
      proxy.stallAfter(4 << 20, 'down', 'both');
      const started = performance.now();
      const result = await runCli(['dump', '--source', proxy.via(source.url), '--rules', rulesFile, '--out', out, '--stall-timeout', '2'], { timeoutMs: 30_000 });
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr).toMatch(/table stl\.wide: no progress on the source side for 2 s/);
      expect((performance.now() - started) / 1000).toBeLessThan(15);
      expect(existsSync(out)).toBe(false);
    } finally {
      await proxy.close();
      expect(await pgmaskBackends(serverUrl(), [source.name])).toBe(0);
    }
  });

  it('pgmask mask: an input that stops coming mid-COPY without ending fails within the stall timeout, exit 3, naming the table and the input', async () => {
    const started = performance.now();
    const result = await runCli(['mask', '--rules', rulesFile, '--stall-timeout', '2'], {
      input: "SET client_encoding = 'UTF8';\nCOPY stl.wide (id, email, filler) FROM stdin;\n1\ta@corp.se\tx\n",
      keepStdinOpen: true,
      timeoutMs: 30_000,
    });
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/table stl\.wide: no progress on the input side for 2 s/);
    expect((performance.now() - started) / 1000).toBeLessThan(10);
  });
});
