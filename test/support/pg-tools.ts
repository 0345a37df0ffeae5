import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { TEST_KEY } from './cli.js';

const run = promisify(execFile);

/** A plain-format pg_dump of a database, as text. */
export async function pgDump(url: string, args: readonly string[] = []): Promise<string> {
  const { stdout } = await run('pg_dump', ['--no-owner', ...args, '--dbname', url], { maxBuffer: 1024 * 1024 * 1024, encoding: 'utf8' });
  return stdout;
}

/** Restores SQL with `psql -X -v ON_ERROR_STOP=1`; resolves with psql's exit code and stderr. */
export function psqlRestore(url: string, sql: string | Buffer): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '--dbname', url], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
    child.stdin.end(sql);
  });
}

/** Runs a shell pipeline with bash -o pipefail, PGMASK_KEY set; resolves with exit code and stderr. */
export function shell(script: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-o', 'pipefail', '-c', script], { env: { ...process.env, PGMASK_KEY: TEST_KEY, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, stdout }));
  });
}

/** Row counts of tables. */
export async function counts(query: (sql: string) => Promise<{ n: number }[]>, tables: readonly string[]): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of tables) result[table] = (await query(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;
  return result;
}
