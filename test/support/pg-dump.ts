import { execFileSync } from 'node:child_process';
import type { TestOptions } from 'vitest';
import { serverUrl } from './database.js';
import { skipUnless } from './skip-unless.js';
import { withClient } from './with-client.js';

/** Whether the pg_dump on PATH can dump the test server, and if not, why. */
export interface PgDumpFit {
  readonly canDump: boolean;
  /** The reason tests that need it are skipped, e.g. "they need pg_dump ≥ 17 to dump the PostgreSQL 17 test server (pg_dump on PATH: 15)". */
  readonly reason: string;
}

let answer: Promise<PgDumpFit> | undefined;

/**
 * Whether the pg_dump on PATH can dump the test server (its major version is at least the
 * server's). Tests that need pg_dump are skipped, visibly, where it cannot: CI's second run
 * uses embedded PostgreSQL 17 on a machine whose client tools are older.
 */
export function pgDumpFit(): Promise<PgDumpFit> {
  answer ??= (async () => {
    let dump: number | undefined;
    try {
      dump = Number(/\(PostgreSQL\)\s+(\d+)/.exec(execFileSync('pg_dump', ['--version']).toString())?.[1]);
    } catch {
      dump = undefined;
    }
    const server = await withClient(serverUrl(), async (c) =>
      Math.floor(Number((await c.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]!.v) / 10000),
    );
    return {
      canDump: dump !== undefined && dump >= server,
      reason: `they need pg_dump ≥ ${server} to dump the PostgreSQL ${server} test server (${dump === undefined ? 'no pg_dump on PATH' : `pg_dump on PATH: ${dump}`})`,
    };
  })();
  return answer;
}

/** Whether the pg_dump on PATH can dump the test server. */
export async function pgDumpCanDump(): Promise<boolean> {
  return (await pgDumpFit()).canDump;
}

/** Options for a test or suite that needs pg_dump: skipped, with the reason, where it cannot dump the test server. */
export async function needsPgDump(): Promise<TestOptions> {
  const { canDump, reason } = await pgDumpFit();
  return skipUnless(canDump, reason);
}
