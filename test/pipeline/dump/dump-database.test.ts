import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedCrm } from '../../../fixtures/crm/seed.js';
import { parseRules } from '../../../src/config/parse-rules.js';
import type { Rules } from '../../../src/config/rules.js';
import { dumpDatabase } from '../../../src/pipeline/dump/dump-database.js';
import { RunFailedError } from '../../../src/pipeline/run/run-failed-error.js';
import { maskingKeyFromBytes } from '../../../src/random/key.js';
import { runCli } from '../../support/cli.js';
import { createDatabase, useDatabase } from '../../support/database.js';
import { needsPgDump } from '../../support/pg-dump.js';

const dir = mkdtempSync(join(tmpdir(), 'pgmask-dump-'));

describe('pgmask dump', await needsPgDump(), async () => {
  const source = await useDatabase('pgmask_dump_src');
  beforeAll(async () => {
    await seedCrm(source.url, { customers: 300 });
  });

  it('writes a masked plain dump that psql restores into an empty database without error', async () => {
    const out = join(dir, 'masked.sql');
    const result = await runCli(['dump', '--source', source.url, '--rules', 'rules/crm.yaml', '--out', out]);
    expect(result.stderr).toContain('succeeded');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const sql = readFileSync(out, 'utf8');
    const originals = await source.query<{ email: string; phone: string }>('SELECT email, phone FROM customers');
    expect(originals.filter((o) => sql.includes(o.email) || sql.includes(o.phone))).toEqual([]);

    const target = await createDatabase('pgmask_dump_dst');
    try {
      execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', out, '--dbname', target.url], { stdio: 'pipe' });
      for (const table of ['customers', 'contacts', 'orders', 'invoices', 'newsletter_signups']) {
        const [a] = await source.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
        const [b] = await target.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
        expect(b!.n, table).toBe(a!.n);
      }
      expect(await target.query('SELECT count(*)::int AS n FROM audit_log')).toEqual([{ n: 0 }]);
      expect(await target.query('SELECT count(*)::int AS n FROM customer_order_totals')).toEqual([{ n: 300 }]);
      const [next] = await target.query<{ id: string }>("INSERT INTO orders (customer_id, ordered_at, amount, status) VALUES (1, now(), 1, 'new') RETURNING id");
      expect(Number(next!.id)).toBe(601);
      const [joined] = await target.query<{ n: number }>('SELECT count(*)::int AS n FROM newsletter_signups s JOIN customers c USING (email)');
      expect(joined!.n).toBe(60);
    } finally {
      await target.drop();
    }
  });

  it('writes to stdout by default, and leaves no file behind when it fails', async () => {
    const stdout = await runCli(['dump', '--source', source.url, '--rules', 'rules/crm.yaml']);
    expect(stdout.code).toBe(0);
    expect(stdout.stdout).toMatch(/^COPY public\.customers \("id", "personnummer",/m);

    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'version: 1\nunlisted: fail\ntables: {}\n');
    const out = join(dir, 'never.sql');
    const failed = await runCli(['dump', '--source', source.url, '--rules', bad, '--out', out]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/nothing was written/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('never.sql'))).toEqual([]);
  });
});

/** Rules for the many-tables database: the people's e-mail addresses are masked, the other tables kept. */
const MANY_RULES = 'version: 1\nunlisted: keep\ntables:\n  public.people:\n    columns:\n      id: keep\n      email: email\n      filler: keep\n';
const manyRulesFile = join(dir, 'many.yaml');
writeFileSync(manyRulesFile, MANY_RULES);
const OUTPUT_EVENTS = ['error', 'close', 'finish', 'end', 'drain', 'unpipe'] as const;

function manyRules(): Rules {
  const parsed = parseRules(MANY_RULES, manyRulesFile);
  if (!parsed.rules) throw new Error(parsed.findings.map((f) => f.message).join('\n'));
  return parsed.rules;
}

/** Rejects with what `promise` rejects with; fails the test when it resolves. */
async function failure(promise: Promise<unknown>): Promise<RunFailedError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RunFailedError);
  return error as RunFailedError;
}

describe('pgmask dump of many tables', await needsPgDump(), async () => {
  const source = await useDatabase('pgmask_dump_many');
  const key = maskingKeyFromBytes(Buffer.alloc(32, 7));
  beforeAll(async () => {
    const tables = Array.from({ length: 14 }, (_, i) => `t${String(i + 1).padStart(2, '0')}`);
    await source.query(`
      ${tables.map((t, i) => `CREATE TABLE ${t} (id int PRIMARY KEY, label text); INSERT INTO ${t} SELECT g, '${t}-' || g FROM generate_series(1, ${10 + i}) g;`).join('\n')}
      CREATE TABLE people (id int PRIMARY KEY, email text NOT NULL, filler text NOT NULL);
      INSERT INTO people SELECT g, 'person' || g || '@corp.se', repeat('x', 100) FROM generate_series(1, 60000) g;
      ANALYZE;`);
  });

  it('warns of no listener leak on the output, and the dump restores', async () => {
    for (const out of [join(dir, 'many.sql'), undefined]) {
      const result = await runCli(['dump', '--source', source.url, '--rules', manyRulesFile, ...(out ? ['--out', out] : [])]);
      expect(result.stderr).not.toMatch(/MaxListenersExceededWarning|memory leak/);
      expect(result.stderr).toContain('succeeded: 15 table(s)');
      expect(result.code).toBe(0);
      const file = out ?? join(dir, 'many-stdout.sql');
      if (!out) writeFileSync(file, result.stdout);
      const target = await createDatabase('pgmask_dump_many_dst');
      try {
        execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', file, '--dbname', target.url], { stdio: 'pipe' });
        for (const table of ['t01', 't07', 't14', 'people']) {
          const [a] = await source.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
          expect(await target.query(`SELECT count(*)::int AS n FROM ${table}`), table).toEqual([{ n: a!.n }]);
        }
        expect(await target.query("SELECT count(*)::int AS n FROM people WHERE email LIKE 'person%@corp.se'")).toEqual([{ n: 0 }]);
      } finally {
        await target.drop();
      }
    }
  });

  it('leaves no listener on the output however many tables pass', async () => {
    const out = new PassThrough();
    out.resume();
    const before = OUTPUT_EVENTS.map((e) => out.listenerCount(e));
    const report = await dumpDatabase({ source: source.url, rules: manyRules(), key, out, version: 'test' });
    expect(report.tables.filter((t) => t.status === 'copied')).toHaveLength(15);
    expect(OUTPUT_EVENTS.map((e) => out.listenerCount(e))).toEqual(before);
  });

  it('holds back while the output does not take more, and a signal stops it', async () => {
    let taken = 0;
    let stalled!: () => void;
    const reached = new Promise<void>((resolve) => (stalled = resolve));
    // Takes 256 KiB, then never calls back again: the dump must wait for it, not buffer the table.
    const out = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, callback) {
        taken += chunk.length;
        if (taken < 256 * 1024) callback();
        else stalled();
      },
    });
    const controller = new AbortController();
    const run = dumpDatabase({ source: source.url, rules: manyRules(), key, out, version: 'test', signal: controller.signal });
    await reached;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(taken + out.writableLength).toBeLessThan(1024 * 1024);
    const stopped = performance.now();
    controller.abort(new Error('stop'));
    const error = await failure(run);
    expect(performance.now() - stopped).toBeLessThan(5_000);
    expect(error.report.outcome).toBe('interrupted');
    expect(OUTPUT_EVENTS.map((e) => out.listenerCount(e))).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('fails with OUTPUT_CLOSED when the output closes half-way', async () => {
    let taken = 0;
    const out = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        taken += chunk.length;
        if (taken > 512 * 1024) callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
        else callback();
      },
    });
    const error = await failure(dumpDatabase({ source: source.url, rules: manyRules(), key, out, version: 'test' }));
    expect(error.code).toBe('OUTPUT_CLOSED');
    expect(error.message).toMatch(/output was closed/);
    expect(error.report.outcome).toBe('failed');
    expect(error.report.tables.find((t) => t.table === 'public.people')?.status).toBe('failed');

    const destroyed = new PassThrough();
    destroyed.destroy();
    expect((await failure(dumpDatabase({ source: source.url, rules: manyRules(), key, out: destroyed, version: 'test' }))).code).toBe('OUTPUT_CLOSED');
  });
});
