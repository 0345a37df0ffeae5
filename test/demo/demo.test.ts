import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { SHIPPED_TESTDATA } from '../../src/se/testdata.js';

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

  it("shows Skatteverket's official test personnummer with nothing configured and no network: the lists ship with pgmask", async () => {
    const empty = mkdtempSync(join(tmpdir(), 'pgmask-demo-empty-'));
    const { code, out } = await demo({ PGMASK_TESTDATA_DIR: '', HOME: empty, XDG_CACHE_HOME: join(empty, 'cache') });
    expect(code).toBe(0);
    expect(out).toMatch(/personnummer: 41,493 numbers from the lists shipped with pgmask, dated 2024-07-01/);
    expect(out).not.toContain('synthetic');
    const after = out
      .slice(out.search(/After \(crm_dev_[0-9a-f]+\):/))
      .split('\n')
      .slice(3, 8);
    // Written with 12 or 10 digits, as the source wrote them: the digits are those of a number in the shipped list.
    const list = readFileSync(join(SHIPPED_TESTDATA.dir, 'testpersonnummer.txt'), 'utf8').trim().split('\n');
    const known = new Set([...list, ...list.map((n) => n.slice(2))]);
    expect(after).toHaveLength(5);
    for (const row of after) expect(known.has(row.split('│')[0]!.trim().replace('-', ''))).toBe(true);
  });
});
