import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedCrm } from '../../../fixtures/crm/seed.js';
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
