import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestDatabase } from '../support/database.js';
import { pgDumpCanDump } from '../support/pg-dump.js';

/** A fresh temporary folder. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `pgmask-${prefix}-`));
}

/** Writes a file into a folder and returns its path. */
export function writeFile(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Every regular file under a folder, recursively. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    const stat = statSync(path);
    if (stat.isDirectory()) out.push(...filesUnder(path));
    else if (stat.isFile()) out.push(path);
  }
  return out;
}

/** The canaries found in a text (empty when none leaked). */
export function canariesIn(text: string, canaries: readonly string[]): string[] {
  return canaries.filter((c) => text.includes(c));
}

/** `file: canary` for every canary found in any file under the folders. */
export function canariesInFiles(dirs: readonly string[], canaries: readonly string[]): string[] {
  const found: string[] = [];
  for (const dir of dirs) {
    for (const file of filesUnder(dir)) {
      const text = readFileSync(file, 'latin1') + readFileSync(file, 'utf8');
      for (const c of canariesIn(text, canaries)) found.push(`${file}: ${c}`);
    }
  }
  return found;
}

/**
 * Everything a database holds, as text: a full `pg_dump` where the pg_dump on PATH can dump
 * the server, else the COPY text of every table and materialized view (schema definitions left
 * out, which hold no rows).
 */
export async function databaseText(db: TestDatabase): Promise<string> {
  if (await pgDumpCanDump()) {
    return new Promise((resolve, reject) =>
      execFile('pg_dump', ['--no-owner', '--dbname', db.url], { maxBuffer: 1 << 30 }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
    );
  }
  const relations = await db.query<{ name: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`,
  );
  const parts: string[] = [];
  for (const r of relations) parts.push(`-- ${r.name}\n${(await db.copyOut(`SELECT * FROM ${r.name}`)).toString('utf8')}`);
  return parts.join('\n');
}

/**
 * Connections pgmask holds (application_name 'pgmask') on the given databases of one server.
 * A backend leaves pg_stat_activity a moment after its client has gone: this polls up to 5 s.
 */
export async function pgmaskBackends(serverUrl: string, databases: readonly string[]): Promise<number> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      const { rows } = await client.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'pgmask' AND datname = ANY($1) AND pid <> pg_backend_pid()",
        [databases],
      );
      if (rows[0]!.n === 0 || attempt === 50) return rows[0]!.n;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await client.end();
  }
}

/** User triggers of a database that are not enabled (`tgenabled` other than 'O'). */
export async function disabledTriggers(db: TestDatabase): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    `SELECT format('%s on %s (%s)', tgname, tgrelid::regclass, tgenabled) AS name FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'O'`,
  );
  return rows.map((r) => r.name);
}

/**
 * Waits until a pgmask backend on `db` runs a statement matching `queryLike` (SQL LIKE) and
 * returns its pid, or undefined after `timeoutMs`.
 */
export async function waitForPgmaskQuery(serverUrl: string, database: string, queryLike: string, timeoutMs = 20_000): Promise<number | undefined> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const until = performance.now() + timeoutMs;
    while (performance.now() < until) {
      const { rows } = await client.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE application_name = 'pgmask' AND datname = $1 AND state = 'active' AND query LIKE $2 LIMIT 1",
        [database, queryLike],
      );
      if (rows[0]) return rows[0].pid;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return undefined;
  } finally {
    await client.end();
  }
}

/** Terminates a backend, as an administrator or a failover would. */
export async function terminateBackend(serverUrl: string, pid: number): Promise<boolean> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_terminate_backend($1) AS ok', [pid]);
    return rows[0]!.ok;
  } finally {
    await client.end();
  }
}
