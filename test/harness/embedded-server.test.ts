import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedNative } from '../support/embedded-binaries.js';
import { startEmbeddedServer } from '../support/embedded-server.js';
import { skipUnless } from '../support/skip-unless.js';
import { withClient } from '../support/with-client.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const asRoot = skipUnless(process.getuid?.() === 0, 'they need root (as root, embedded PostgreSQL runs as the postgres user)');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function gone(pid: number, within = 10_000): Promise<boolean> {
  const until = performance.now() + within;
  while (alive(pid) && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
  return !alive(pid);
}

/** Runs test/fixtures/harness/embedded-server-child.ts; `signal` is sent once the server is up. */
function child(mode: string, signal?: NodeJS.Signals): Promise<{ code: number | null; server: { pid: number; dir: string } | undefined; out: string; secondsAfterStart: number }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/harness/embedded-server-child.ts', mode], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let server: { pid: number; dir: string } | undefined;
    let startedAt = 0;
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const line = /^\{.*\}$/m.exec(out)?.[0];
      if (line && !server) {
        server = JSON.parse(line) as { pid: number; dir: string };
        startedAt = performance.now();
        if (signal) proc.kill(signal);
      }
    });
    proc.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`the child did not finish in time:\n${out}`));
    }, 90_000);
    proc.on('error', reject);
    proc.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, server, out, secondsAfterStart: (performance.now() - startedAt) / 1000 });
    });
  });
}

describe('embedded PostgreSQL (test harness and demo)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'pgmask-embedded-test-')); // mode 0700
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('answers, and stop() shuts it down and removes its folder', { timeout: 120_000 }, async () => {
    const server = await startEmbeddedServer();
    try {
      const version = await withClient(server.url, async (c) => (await c.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]!.v);
      expect(Math.floor(Number(version) / 10000)).toBe(17);
    } finally {
      await server.stop();
    }
    expect(await gone(server.pid)).toBe(true);
    expect(existsSync(server.dir)).toBe(false);
  });

  it('leaves the exit code of the process alone', { timeout: 120_000 }, async () => {
    const { code, server, out, secondsAfterStart } = await child('exit-code');
    expect(server, out).toBeDefined();
    expect(code, out).toBe(3);
    expect(secondsAfterStart).toBeLessThan(10); // once stopped, nothing of the server keeps the process alive
    expect(existsSync(server!.dir)).toBe(false);
  });

  for (const [mode, signal, expected] of [
    ['exit', undefined, 4],
    ['wait', 'SIGTERM', 128 + 15],
    ['wait', 'SIGINT', 128 + 2],
  ] as const) {
    it(`is shut down, and its folder removed, when the process ends without stop() (${signal ?? 'process.exit'})`, { timeout: 120_000 }, async () => {
      const { code, server, out } = await child(mode, signal);
      expect(server, out).toBeDefined();
      expect(code, out).toBe(expected);
      expect(await gone(server!.pid)).toBe(true);
      expect(existsSync(server!.dir)).toBe(false);
    });
  }

  it('starts as root from binaries in a folder only root may enter (a checkout in /root or a 0700 folder)', { ...asRoot, timeout: 120_000 }, async () => {
    const checkout = join(scratch, 'checkout');
    symlinkSync(await embeddedNative(), checkout); // scratch is 0700: the postgres user cannot follow this path
    const started = performance.now();
    const server = await startEmbeddedServer({ native: checkout, timeout: 30_000 });
    try {
      const [row] = await withClient(server.url, async (c) => (await c.query<{ user: string }>('SELECT current_user AS user')).rows);
      expect(row).toEqual({ user: 'postgres' });
      expect(existsSync(join(server.dir, 'native', 'bin', 'postgres'))).toBe(true); // it runs a copy the postgres user can reach
    } finally {
      await server.stop();
    }
    expect(performance.now() - started).toBeLessThan(60_000);
  });

  it('fails at once, saying why and what to do, where the postgres user can reach no copy either', { ...asRoot, timeout: 60_000 }, async () => {
    const checkout = join(scratch, 'checkout-2');
    symlinkSync(await embeddedNative(), checkout);
    const started = performance.now();
    const error = await startEmbeddedServer({ native: checkout, tmp: scratch, timeout: 30_000 }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(error?.message).toMatch(/runs as the postgres user, which can reach neither the binaries in .*checkout-2 nor their copy in .*pgmask-pg-/);
    expect(error?.message).toContain(`(${scratch} has mode 0700)`);
    expect(error?.message).toContain('set TMPDIR to a folder every user may enter');
    expect(error?.message).toContain('PGMASK_TEST_DATABASE_URL');
  });
});
