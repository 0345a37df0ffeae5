import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/main.js';
import { useTrickyDatabase } from '../../catalog/tricky-database.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = (path: string): string => join(root, 'test/fixtures/rules', path);

/** Runs the CLI in-process with captured output. */
async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        append(chunk.toString());
        callback();
      },
    });
  const code = await run(argv, {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    env: {},
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}

/** A URL with a password, for checking that it never shows. */
function withPassword(url: string, password: string, port?: number): string {
  const u = new URL(url);
  u.password = password;
  if (port !== undefined) u.port = String(port);
  return u.toString();
}

describe('pgmask validate', async () => {
  const db = await useTrickyDatabase();
  const dir = await mkdtemp(join(tmpdir(), 'pgmask-validate-'));
  const complete = fixture('good/tricky.yaml');
  const missingColumn = join(dir, 'missing-column.yaml');
  await writeFile(missingColumn, readFileSync(complete, 'utf8').replace('      handle: keep\n', ''));

  describe('usage errors (exit 2)', () => {
    it('without --rules', async () => {
      const { code, stderr } = await cli('validate');
      expect(code).toBe(2);
      expect(stderr).toMatch(/missing --rules FILE/);
    });

    it('with an unknown flag or an extra argument', async () => {
      expect((await cli('validate', '--rules', complete, '--colour')).code).toBe(2);
      expect((await cli('validate', '--rules', complete, 'extra')).code).toBe(2);
    });

    it('prints help', async () => {
      const { code, stdout } = await cli('validate', '--help');
      expect(code).toBe(0);
      expect(stdout).toMatch(/Usage: pgmask validate --rules FILE \[--source URL\] \[--json\]/);
    });
  });

  describe('the file alone', () => {
    it('exit 0 and a summary for a valid file', async () => {
      const { code, stdout } = await cli('validate', '--rules', complete);
      expect(code).toBe(0);
      expect(stdout).toBe(`${complete}: ok (file only; add --source to check against a database): 0 errors, 0 warnings\n`);
    });

    it('exit 1 and one line per finding, file:line:col: severity CODE message', async () => {
      const file = fixture('bad/39-several-errors.yaml');
      const { code, stdout } = await cli('validate', '--rules', file);
      expect(code).toBe(1);
      const lines = stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(4);
      expect(lines[0]).toBe(
        `${file}:5:1: error RULES_UNKNOWN_KEY unknown key 'unlistd' at the top level; did you mean 'unlisted'?; the top level holds version, unlisted, tables, subset`,
      );
      expect(lines[1]).toMatch(new RegExp(`^${escape(file)}:9:14: error RULES_UNKNOWN_TRANSFORMER unknown transformer 'emial'`));
      expect(lines[2]).toMatch(new RegExp(`^${escape(file)}:10:33: error RULES_UNKNOWN_OPTION transformer 'null' has no option 'mask'`));
      expect(lines[3]).toBe(`${file}: failed (file only; add --source to check against a database): 3 errors, 0 warnings`);
    });

    it('exit 1 for a file that cannot be read', async () => {
      const { code, stdout } = await cli('validate', '--rules', join(dir, 'nope.yaml'));
      expect(code).toBe(1);
      expect(stdout).toMatch(/error RULES_READ cannot read the rules file .*nope\.yaml: no such file/);
    });
  });

  describe('against a database', () => {
    it('exit 0 for complete rules, with a warning line for each free-text column they keep: warnings do not fail', async () => {
      const { code, stdout } = await cli('validate', '--rules', complete, '--source', db.url);
      expect(code).toBe(0);
      const lines = stdout.trimEnd().split('\n');
      expect(lines.slice(0, -1).map((l) => l.replace(/ is copied unchanged .*/, ''))).toEqual([
        `${complete}:8:7: warning KEEP_FREE_TEXT public.customers.name`,
        `${complete}:16:7: warning KEEP_FREE_TEXT public.customers."select"`,
        `${complete}:18:7: warning KEEP_FREE_TEXT public.customers.handle`,
        `${complete}:45:38: warning KEEP_FREE_TEXT public.dogs.breed`,
      ]);
      expect(lines[0]).toMatch(/its type, text, holds text of any length: .*; rule it text\.scrub \(or redact\), or .* \{ transform: keep, reason: "\.\.\." \}$/);
      expect(lines.at(-1)).toMatch(/: ok against postgres@.*\/pgmask_catalog_\w+ \(23 tables\): 0 errors, 4 warnings$/);
    });

    it('does not connect when the file itself has errors', async () => {
      const { code, stdout } = await cli('validate', '--rules', fixture('bad/17-unknown-transformer.yaml'), '--source', withPassword(db.url, 'x', 1));
      expect(code).toBe(1);
      expect(stdout).toMatch(/: failed \(not checked against the database: the file itself has errors\): 1 error, 0 warnings\n$/);
    });

    it('exit 1 with a column without a rule, named schema.table.column at the table entry', async () => {
      const { code, stdout } = await cli('validate', '--rules', missingColumn, '--source', db.url);
      expect(code).toBe(1);
      expect(stdout).toMatch(new RegExp(`^${escape(missingColumn)}:4:3: error COLUMN_WITHOUT_RULE public\\.customers\\.handle has no rule`));
    });

    it('exit 1 with a new column in a listed table under the top-level unlisted: keep; exit 0 when the table opts out', async () => {
      const listed = readFileSync(missingColumn, 'utf8').replace('version: 1\n', 'version: 1\nunlisted: keep\n');
      const topKeep = join(dir, 'top-keep.yaml');
      await writeFile(topKeep, listed);
      const refused = await cli('validate', '--rules', topKeep, '--source', db.url);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toContain(
        `${topKeep}:5:3: error COLUMN_WITHOUT_RULE public.customers.handle has no rule (the top-level unlisted: keep covers only tables with no entry); give it a rule under columns: of public.customers (keep, if it holds nothing personal), or opt the table out with unlisted: keep in its entry to copy its columns without a rule unchanged; \`pgmask scan --rules FILE --source URL\` proposes the missing rules\n`,
      );
      const optOut = join(dir, 'opt-out.yaml');
      await writeFile(optOut, listed.replace('  public.customers:\n', '  public.customers:\n    unlisted: keep\n'));
      const kept = await cli('validate', '--rules', optOut, '--source', db.url);
      expect(kept.code).toBe(0);
      expect(kept.stdout).toContain(
        `${optOut}:5:3: warning KEEP_FREE_TEXT_UNLISTED column handle of public.customers has no rule and is copied unchanged (unlisted: keep in its entry)`,
      );
    });

    it('--json: { ok, rulesFile, source, findings, summary }', async () => {
      const { code, stdout } = await cli('validate', '--rules', missingColumn, '--source', db.url, '--json');
      expect(code).toBe(1);
      const report = JSON.parse(stdout) as Record<string, unknown>;
      expect(Object.keys(report)).toEqual(['ok', 'rulesFile', 'source', 'findings', 'summary']);
      expect(report).toMatchObject({ ok: false, rulesFile: missingColumn, source: expect.stringMatching(/^postgres@127\.0\.0\.1:\d+\/pgmask_catalog_/) });
      const findings = report['findings'] as Record<string, unknown>[];
      expect(findings.filter((f) => f['severity'] === 'error')).toEqual([
        {
          severity: 'error',
          code: 'COLUMN_WITHOUT_RULE',
          message: expect.stringContaining('public.customers.handle has no rule'),
          file: { file: missingColumn, line: 4, column: 3 },
          table: 'public.customers',
          column: 'handle',
        },
      ]);
      expect(findings.filter((f) => f['severity'] === 'warning').map((f) => [f['code'], f['table'], f['column']])).toEqual([
        ['KEEP_FREE_TEXT', 'public.customers', 'name'],
        ['KEEP_FREE_TEXT', 'public.customers', 'select'],
        ['KEEP_FREE_TEXT', 'public.dogs', 'breed'],
      ]);
      expect(report['summary']).toEqual({ errors: 1, warnings: 3, infos: 0 });
    });

    it('--json for a valid file: ok true, findings without file positions carry table names', async () => {
      const keep = join(dir, 'keep.yaml');
      await writeFile(keep, 'version: 1\nunlisted: keep\n');
      const { code, stdout } = await cli('validate', '--rules', keep, '--source', db.url, '--json');
      expect(code).toBe(0);
      const report = JSON.parse(stdout) as { ok: boolean; findings: Record<string, unknown>[]; summary: Record<string, number> };
      expect(report.ok).toBe(true);
      expect(report.summary).toEqual({ errors: 0, warnings: 1, infos: report.findings.length - 1 });
      // The one warning (free text in tables copied unchanged) has no table, and comes first.
      expect(report.findings[0]).toEqual({ severity: 'warning', code: 'KEEP_FREE_TEXT_UNLISTED_TABLES', message: expect.stringMatching(/^11 tables without rules/) });
      expect(report.findings[1]).toEqual({ severity: 'info', code: 'TABLE_UNLISTED_KEPT', message: expect.any(String), table: '"Sales"."Kund"' });
    });

    it('never prints the password of the connection string', async () => {
      const password = 'S3cret-Pa55word';
      const url = withPassword(db.url, password);
      const results = [await cli('validate', '--rules', complete, '--source', url), await cli('validate', '--rules', missingColumn, '--source', url, '--json')];
      expect(results.map((r) => r.code)).toEqual([0, 1]);
      for (const r of results) expect(r.stdout + r.stderr).not.toContain(password);
    });
  });

  describe('runtime errors (exit 3)', () => {
    const password = 'Hunter2-Hunter2';

    it('a server that cannot be reached', async () => {
      const url = withPassword(db.url, password, 1);
      const { code, stdout, stderr } = await cli('validate', '--rules', complete, '--source', url);
      expect(code).toBe(3);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^pgmask: cannot connect to the source database postgres@127\.0\.0\.1:1\/pgmask_catalog_\w+: /);
      expect(stderr).not.toContain(password);
    });

    it('with --json, an error document on stdout', async () => {
      const url = withPassword(db.url, password, 1);
      const { code, stdout, stderr } = await cli('validate', '--rules', complete, '--source', url, '--json');
      expect(code).toBe(3);
      expect(JSON.parse(stdout)).toEqual({ ok: false, rulesFile: complete, error: { code: 'CONNECT', message: expect.stringContaining('cannot connect') } });
      expect(stdout + stderr).not.toContain(password);
    });

    it('a database that does not exist', async () => {
      const url = new URL(db.url);
      url.pathname = '/pgmask_no_such_database';
      const { code, stderr } = await cli('validate', '--rules', complete, '--source', url.toString());
      expect(code).toBe(3);
      expect(stderr).toMatch(/database "pgmask_no_such_database" does not exist|\(value withheld\)/);
    });
  });

  describe('the built CLI (node bin/pgmask.js)', () => {
    beforeAll(async () => {
      // Other parts of the tree may not type-check while they are being written; tsc emits anyway.
      await promisify(execFile)('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root }).catch(() => undefined);
      if (!existsSync(join(root, 'dist/cli/commands/validate.js'))) throw new Error('npm run build did not produce dist/cli/commands/validate.js');
    }, 180_000);

    const spawnCli = (...args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [join(root, 'bin/pgmask.js'), ...args], { cwd: dir, env: { PATH: process.env['PATH'] ?? '' } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });

    it('exits 0, 1, 2 and 3 as documented', async () => {
      expect((await spawnCli('validate', '--rules', complete, '--source', db.url)).code).toBe(0);
      const failed = await spawnCli('validate', '--rules', missingColumn, '--source', db.url, '--json');
      expect(failed.code).toBe(1);
      expect(JSON.parse(failed.stdout)).toMatchObject({ ok: false, summary: { errors: 1, warnings: 3 } });
      expect((await spawnCli('validate')).code).toBe(2);
      const unreachable = await spawnCli('validate', '--rules', complete, '--source', withPassword(db.url, 'Pa55-Spawned', 1));
      expect(unreachable.code).toBe(3);
      expect(unreachable.stdout + unreachable.stderr).not.toContain('Pa55-Spawned');
    });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
