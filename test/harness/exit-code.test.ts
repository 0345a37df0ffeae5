import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Runs a fixture file of test/fixtures/harness/ through the test harness (its global setup,
 * its reporters) in a child vitest, the way `npm test` does, with the server chosen by `env`.
 */
function harnessRun(file: 'failing' | 'passing', env: Record<string, string | undefined>): Promise<{ code: number | null; out: string }> {
  const childEnv: NodeJS.ProcessEnv = { PGMASK_TEST_NO_BUILD: '1' };
  for (const [key, value] of Object.entries({ ...process.env, ...env })) {
    // The child is a vitest of its own, not a worker of this run.
    if (value !== undefined && !key.startsWith('VITEST') && !['PGMASK_TEST_DATABASE_URL', 'PGMASK_TEST_SERVER'].includes(key)) childEnv[key] = value;
  }
  for (const key of ['PGMASK_TEST_DATABASE_URL', 'PGMASK_TEST_SERVER']) if (env[key] !== undefined) childEnv[key] = env[key];
  const args = ['node_modules/vitest/vitest.mjs', 'run', '--config', 'test/fixtures/harness/vitest.config.ts', `test/fixtures/harness/${file}.fixture.ts`];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...childEnv, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the harness run did not finish in time:\n${out}`));
    }, 150_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

const servers = [
  { name: 'the server in PGMASK_TEST_DATABASE_URL', source: 'env', env: () => ({ PGMASK_TEST_DATABASE_URL: inject('databaseUrl') }) },
  { name: 'embedded PostgreSQL', source: 'embedded-postgres', env: () => ({ PGMASK_TEST_SERVER: 'embedded' }) },
] as const;

describe('the test run exit code', () => {
  for (const server of servers) {
    it(`is not 0 when a test fails, with ${server.name}`, { timeout: 180_000 }, async () => {
      const { code, out } = await harnessRun('failing', server.env());
      expect(out).toContain(`pgmask tests: PostgreSQL from ${server.source}`);
      expect(out).toMatch(/Tests\s+1 failed \| 1 passed \(2\)/);
      expect(out).not.toContain('close timed out'); // nothing of the harness keeps the process alive after the run
      expect(code, out).toBe(1);
    });

    it(`is 0 when every test passes, and skipped tests are counted with their reason, with ${server.name}`, { timeout: 180_000 }, async () => {
      const { code, out } = await harnessRun('passing', server.env());
      expect(out).toContain(`pgmask tests: PostgreSQL from ${server.source}`);
      expect(out).toMatch(/Tests\s+2 passed \| 4 skipped \(6\)/);
      expect(out).not.toContain('close timed out');
      expect(out).toContain('\n2 tests skipped: they need the fixture tool\n');
      expect(out).toContain('\n1 test skipped: it needs another fixture tool\n');
      expect(out).toContain('\n1 test skipped without a reason given\n');
      expect(out).not.toContain('never shown');
      expect(out.indexOf('2 tests skipped: they need the fixture tool')).toBeLessThan(out.indexOf('1 test skipped: it needs another fixture tool'));
      expect(out.indexOf('1 test skipped: it needs another fixture tool')).toBeLessThan(out.indexOf('1 test skipped without a reason given'));
      expect(code, out).toBe(0);
    });
  }
});
