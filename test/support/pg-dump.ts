import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { serverUrl } from './database.js';

let answer: Promise<boolean> | undefined;

/**
 * Whether the pg_dump on PATH can dump the test server (its major version is at least the
 * server's). Tests that need pg_dump are skipped, visibly, where it cannot: CI's second run
 * uses embedded PostgreSQL 17 on a machine whose client tools are older.
 */
export function pgDumpCanDump(): Promise<boolean> {
  answer ??= (async () => {
    let major: number;
    try {
      major = Number(/\(PostgreSQL\)\s+(\d+)/.exec(execFileSync('pg_dump', ['--version']).toString())?.[1]);
    } catch {
      return false;
    }
    const client = new pg.Client({ connectionString: serverUrl() });
    await client.connect();
    try {
      const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
      return major >= Math.floor(Number(rows[0]!.v) / 10000);
    } finally {
      await client.end();
    }
  })();
  return answer;
}
