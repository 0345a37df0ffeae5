import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { createDatabase, type TestDatabase } from '../../support/database.js';

const CANARY_EMAIL = 'greta.garbosson@gmail.com';

describe('pgmask scan (CLI)', () => {
  let db: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    db = await createDatabase('pgmask_scan_cli');
    await db.query(`
      CREATE TABLE users (id serial PRIMARY KEY, email text UNIQUE NOT NULL, full_name text, notes text, created_at timestamptz DEFAULT now());
      INSERT INTO users (email, full_name, notes)
        SELECT CASE WHEN g = 1 THEN '${CANARY_EMAIL}' ELSE 'user' || g || '@mail.se' END, 'Anna Svensson', 'Ring Anna på 070-123 45 67'
        FROM generate_series(1, 50) g;
      CREATE TABLE plans (id int PRIMARY KEY, title text, price numeric);`);
    dir = await mkdtemp(join(tmpdir(), 'pgmask-scan-'));
  }, 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await db?.drop();
  });

  it('writes a rules file that validate accepts (exit 0), an inventory, and a summary on stderr', async () => {
    const out = join(dir, 'rules.yaml');
    const inventory = join(dir, 'inventory.md');
    const scan = await runCli(['scan', '--source', db.url, '--out', out, '--inventory', inventory]);
    expect(scan.stderr).toMatch(/scanned 2 tables and 8 columns/);
    expect(scan.code).toBe(0);
    expect(scan.stdout).toBe('');
    const rules = await readFile(out, 'utf8');
    expect(rules).toMatch(/^ +email: email +# name "email"; 50 of 50 sampled values are e-mail addresses$/m);
    const validate = await runCli(['validate', '--rules', out, '--source', db.url]);
    expect(validate.stdout).toMatch(/ok against/);
    expect(validate.code).toBe(0);
    const markdown = await readFile(inventory, 'utf8');
    expect(markdown).toMatch(/public\.users/);
    for (const text of [rules, markdown, scan.stderr]) expect(text).not.toContain(CANARY_EMAIL);
  });

  it('never writes over an existing file with --out, and says what to do', async () => {
    const out = join(dir, 'mine.yaml');
    await writeFile(out, 'version: 1\n');
    const scan = await runCli(['scan', '--source', db.url, '--out', out]);
    expect(scan.code).toBe(2);
    expect(scan.stderr).toMatch(/exists.*--rules/);
    expect(await readFile(out, 'utf8')).toBe('version: 1\n');
  });

  it('completes a rules file in place with --rules and lists what it added; --json prints the decisions', async () => {
    const file = join(dir, 'drift.yaml');
    await writeFile(
      file,
      '# ours\nversion: 1\nunlisted: fail\ntables:\n  public.users:\n    columns:\n      id: keep\n      email: { transform: email, unique: true } # checked by Eva\n',
    );
    const scan = await runCli(['scan', '--source', db.url, '--rules', file, '--json']);
    expect(scan.code).toBe(0);
    expect(scan.stderr).toMatch(/public\.users\.full_name: person\.full_name/);
    expect(scan.stderr).toMatch(/table public\.plans/);
    const text = await readFile(file, 'utf8');
    expect(
      text.startsWith(
        '# ours\nversion: 1\nunlisted: fail\ntables:\n  public.users:\n    columns:\n      id: keep\n      email: { transform: email, unique: true } # checked by Eva\n',
      ),
    ).toBe(true);
    const report = JSON.parse(scan.stdout);
    expect(report.added).toEqual(expect.arrayContaining([{ table: 'public.users', column: 'full_name' }]));
    expect(report.tables.find((t: { table: string }) => t.table === 'public.users').columns.find((c: { column: string }) => c.column === 'email').kind).toBe('email');
    expect(scan.stdout).not.toContain(CANARY_EMAIL);
    expect((await stat(file)).isFile()).toBe(true);
  });

  it('refuses a bad --sample and a missing rules file with clear errors', async () => {
    const bad = await runCli(['scan', '--source', db.url, '--sample', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--sample must be a whole number/);
    const missing = await runCli(['scan', '--source', db.url, '--rules', join(dir, 'nope.yaml')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read the rules file .*nope\.yaml: no such file/);
  });
});
