import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { afterAll, inject } from 'vitest';
import { withClient } from './with-client.js';

/** The test server's maintenance connection string. */
export const serverUrl = (): string => inject('databaseUrl');

/** A connection string for another database on the same server. */
export function databaseUrl(database: string, base: string = serverUrl()): string {
  const url = new URL(base);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** A database that belongs to one test file. */
export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  /** Runs SQL (several statements allowed) and returns the last result's rows. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Runs a SQL file, relative to the repository root or absolute. */
  runFile(path: string): Promise<void>;
  /** Reads a table (or a query) back as COPY text bytes. */
  copyOut(tableOrQuery: string): Promise<Buffer>;
  /**
   * Every row of every table outside the system schemas as COPY text, for searching the whole
   * database for values (works whatever pg_dump is installed).
   */
  allRowsText(): Promise<string>;
  drop(): Promise<void>;
}

/** Creates a database with a random name; it is dropped with `drop()`. */
export async function createDatabase(prefix = 'pgmask_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withClient(serverUrl(), (c) => c.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8'`));
  const url = databaseUrl(name);
  const db: TestDatabase = {
    name,
    url,
    query: async (sql, params) =>
      withClient(url, async (c) => {
        const result = (await c.query(sql, params)) as pg.QueryResult | pg.QueryResult[];
        const last = Array.isArray(result) ? result[result.length - 1] : result;
        return (last?.rows ?? []) as never[];
      }),
    runFile: async (path) => {
      const sql = await readFile(new URL(path, new URL('../../', import.meta.url)), 'utf8');
      await withClient(url, (c) => c.query(sql));
    },
    copyOut: (tableOrQuery) =>
      withClient(url, async (c) => {
        const source = /^\s*(select|with|values)\b/i.test(tableOrQuery) ? `(${tableOrQuery})` : tableOrQuery;
        const stream = c.query(copyTo(`COPY ${source} TO STDOUT`));
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks);
      }),
    allRowsText: async () => {
      const tables = await db.query<{ name: string }>(
        `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1`,
      );
      const parts: string[] = [];
      for (const { name } of tables) parts.push(`-- ${name}\n${(await db.copyOut(`SELECT * FROM ${name}`)).toString()}`);
      return parts.join('\n');
    },
    drop: () => withClient(serverUrl(), (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
  return db;
}

/** The databases `useDatabase` made for the current test file. */
const opened = new Set<TestDatabase>();

// Registered when a test file first imports this module, so it runs after all of that file's
// tests: a database made in a hook or inside a test (where a new afterAll is not run) is dropped too.
afterAll(async () => {
  for (const db of opened) await db.drop();
  opened.clear();
});

/** Creates a database for the current test file and drops it after the file's tests (wherever it is called: a describe, a hook or a test). */
export async function useDatabase(prefix?: string): Promise<TestDatabase> {
  const db = await createDatabase(prefix);
  opened.add(db);
  return db;
}
