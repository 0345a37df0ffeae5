import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DatabaseError } from '../errors.js';
import { formatConninfo, parseConninfo } from './conninfo.js';
import { withKeepaliveDefaults } from './keepalives.js';

/**
 * Arguments and environment that point a libpq tool (pg_dump, psql) at a connection: the
 * connection as a key=value string without its password, which goes in PGPASSWORD (argv is
 * visible to every user of the machine, and tools may print it). Keepalive parameters the string
 * does not set get pgmask's defaults (`KEEPALIVE_DEFAULTS`).
 */
export function libpqTarget(connection: string | undefined, env: NodeJS.ProcessEnv): { args: string[]; env: NodeJS.ProcessEnv } {
  // Keepalives as pgmask's own connections have them: the string's, else pgmask's defaults.
  const params = withKeepaliveDefaults(connection ? parseConninfo(connection) : new Map());
  const password = params.get('password');
  params.delete('password');
  return { args: ['--dbname', formatConninfo(params)], env: password !== undefined ? { ...env, PGPASSWORD: password } : env };
}

/**
 * A libpq tool's stderr without the lines that may quote data: DETAIL, CONTEXT, HINT and
 * QUERY, with their continuation lines (a value with a line break in it goes on over several
 * lines, none of which starts with a prefix).
 */
export function safeToolOutput(stderr: string): string {
  const kept: string[] = [];
  let quoting = false;
  for (const line of stderr.split('\n')) {
    if (/^\s*(DETAIL|CONTEXT|HINT|QUERY|STATEMENT):/.test(line) || /^(psql|pg_dump):.*\b(DETAIL|CONTEXT|HINT|QUERY|STATEMENT):/.test(line)) quoting = true;
    else if (/^(psql|pg_dump|pg_restore)\b|^(ERROR|FATAL|PANIC|WARNING|NOTICE|INFO|LOG):|^LINE \d+:/.test(line)) quoting = false;
    if (!quoting && line.trim()) kept.push(line);
  }
  return kept.slice(0, 20).join('\n');
}

/** The major version of the `pg_dump` on PATH (e.g. 15), or undefined when there is none. */
export async function pgDumpMajorVersion(env: NodeJS.ProcessEnv = process.env): Promise<number | undefined> {
  return new Promise((resolve) => {
    const child = spawn('pg_dump', ['--version'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', () => resolve(undefined));
    child.on('close', () => {
      const match = /\(PostgreSQL\)\s+(\d+)/.exec(out);
      resolve(match ? Number(match[1]) : undefined);
    });
  });
}

/**
 * Fails with a clear error unless the pg_dump on PATH can dump a server of this version
 * (`server_version_num`); `alternative` names what else the user may do.
 */
export async function requirePgDump(serverVersion: number, env: NodeJS.ProcessEnv = process.env, alternative?: string): Promise<void> {
  const dumpMajor = await pgDumpMajorVersion(env);
  const serverMajor = Math.floor(serverVersion / 10000);
  const or = alternative ? `, or ${alternative}` : '';
  if (dumpMajor === undefined) throw new DatabaseError('PG_DUMP', `pg_dump was not found on PATH; install the PostgreSQL client tools${or}`);
  if (dumpMajor < serverMajor)
    throw new DatabaseError('PG_DUMP', `pg_dump ${dumpMajor} cannot dump a PostgreSQL ${serverMajor} server; install pg_dump ${serverMajor} or newer${or}`);
}

type Tool = ChildProcessByStdio<Writable | null, Readable, Readable>;

function collect(child: Tool, name: string): Promise<void> {
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 64_000) stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', (error) => reject(new DatabaseError('TOOL', `cannot run ${name}: ${error.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new DatabaseError('TOOL', `${name} failed (${signal ?? `exit ${code}`}): ${safeToolOutput(stderr)}`));
    });
  });
}

/** Options for one pg_dump run. */
export interface PgDumpOptions {
  readonly connection: string | undefined;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
}

/** Starts pg_dump; its stdout is the dump, `done` settles when it exits. */
export function startPgDump(options: PgDumpOptions): { stdout: Readable; done: Promise<void> } {
  const target = libpqTarget(options.connection, options.env ?? process.env);
  const child = spawn('pg_dump', [...options.args, ...target.args], {
    env: target.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.signal ? { signal: options.signal } : {}),
  }) as Tool;
  const done = collect(child, 'pg_dump');
  done.catch(() => {});
  return { stdout: child.stdout, done };
}

/** Runs SQL from a stream through psql against a database, stopping on the first error. */
export async function runPsql(connection: string | undefined, sql: Readable, options: { env?: NodeJS.ProcessEnv; signal?: AbortSignal } = {}): Promise<void> {
  const target = libpqTarget(connection, options.env ?? process.env);
  const child = spawn('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', ...target.args], {
    env: target.env,
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(options.signal ? { signal: options.signal } : {}),
  }) as ChildProcessByStdio<Writable, Readable, Readable>;
  child.stdout.resume();
  const done = collect(child, 'psql');
  await Promise.all([pipeline(sql, child.stdin).catch(() => {}), done]);
}

/** Options of a pg_dump schema section run. */
export interface SchemaSectionOptions {
  readonly snapshot?: string | undefined;
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  readonly extraArgs?: readonly string[];
}

/** Starts pg_dump for one schema section (`pre-data` or `post-data`) of `source` under a snapshot. */
function dumpSchemaSection(section: 'pre-data' | 'post-data', source: string | undefined, options: SchemaSectionOptions): { stdout: Readable; done: Promise<void> } {
  return startPgDump({
    connection: source,
    args: ['--schema-only', `--section=${section}`, '--no-owner', '--no-privileges', ...(options.snapshot ? [`--snapshot=${options.snapshot}`] : []), ...(options.extraArgs ?? [])],
    ...(options.env ? { env: options.env } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** Copies one pg_dump schema section (`pre-data` or `post-data`) from source to target under a snapshot. */
export async function copySchemaSection(section: 'pre-data' | 'post-data', source: string | undefined, target: string | undefined, options: SchemaSectionOptions): Promise<void> {
  const dump = dumpSchemaSection(section, source, options);
  await Promise.all([runPsql(target, dump.stdout, options), dump.done]);
}

/** One pg_dump schema section of `source` as SQL text. */
export async function readSchemaSection(section: 'pre-data' | 'post-data', source: string | undefined, options: SchemaSectionOptions): Promise<string> {
  const dump = dumpSchemaSection(section, source, options);
  const chunks: Buffer[] = [];
  dump.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  await dump.done;
  return Buffer.concat(chunks).toString('utf8');
}
