import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';

function demo(env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
      env: { ...process.env, PGMASK_DEMO_DATABASE_URL: inject('databaseUrl'), PGMASK_DEMO_CUSTOMERS: '400', PGMASK_KEY: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the demo did not finish in time:\n${out}`));
    }, 90_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe('npm run demo', () => {
  it('copies the CRM database and shows rows before and after', async () => {
    const { code, out } = await demo({});
    expect(out).toContain('succeeded: 5 table(s)');
    expect(code).toBe(0);
    expect(out).toMatch(/Before \(crm_prod_[0-9a-f]+\):/);
    expect(out).toMatch(/After \(crm_dev_[0-9a-f]+\):/);
    expect(out).toMatch(/still join customers on the masked e-mail: (\d+) \(production: \1\)/);
    expect(out).toContain('Demo databases dropped.');
  });

  it('falls back to pool: synthetic, saying why, when the test lists cannot be had', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'pgmask-demo-empty-'));
    const { code, out } = await demo({ PGMASK_TESTDATA_DIR: '', HOME: empty, XDG_CACHE_HOME: join(empty, 'cache'), PGMASK_TESTDATA_URL: 'http://127.0.0.1:9/rowstore' });
    expect(out).toContain("Could not get Skatteverket's test lists");
    expect(out).toContain('Running with `pool: synthetic`');
    expect(out).toContain('succeeded: 5 table(s)');
    expect(code).toBe(0);
  });
});
