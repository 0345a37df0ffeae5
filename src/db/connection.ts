import { readFileSync, type Stats, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import { type CopyStreamQuery, from as copyFrom } from 'pg-copy-streams';
import { DatabaseError, UsageError } from '../errors.js';
import { type Conninfo, keyLabel, parseConninfo } from './conninfo.js';
import { CopyOutStream } from './copy-out-stream.js';
import { FramedCopyIn } from './framed-copy-in.js';
import { keepaliveSettings } from './keepalives.js';

/** Where a connection goes, without its password: safe to print and to report. */
export interface ConnectionInfo {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
}

/**
 * Session settings that change COPY output, pinned as pg_dump pins them, so that a kept
 * column arrives byte-identical whatever the server's or role's defaults are.
 */
const PINNED_SETTINGS = [
  "SET client_encoding = 'UTF8'",
  'SET DateStyle = ISO',
  'SET IntervalStyle = postgres',
  'SET extra_float_digits = 3',
  'SET statement_timeout = 0',
  'SET lock_timeout = 0',
  'SET idle_in_transaction_session_timeout = 0',
  "SET application_name = 'pgmask'",
].join('; ');

/** How long `Session.end` waits for the server to close the connection before dropping the socket. */
const END_WAIT_MS = 5000;

/** libpq options pgmask maps onto node-postgres. */
const SUPPORTED_OPTIONS = new Set([
  'host',
  'port',
  'dbname',
  'user',
  'password',
  'connect_timeout',
  'options',
  'sslmode',
  'sslrootcert',
  'sslcert',
  'sslkey',
  'channel_binding',
  'keepalives',
  'keepalives_idle',
  'keepalives_interval',
  'keepalives_count',
]);
/** libpq options that change nothing that matters for pgmask's own connections (pg_dump and psql still get them). */
const IGNORED_OPTIONS = new Set(['application_name', 'fallback_application_name', 'client_encoding', 'sslcompression', 'sslsni', 'target_session_attrs', 'gssencmode']);
const SSL_MODES = new Set(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']);

/** How pgmask's own connections use TLS, resolved from sslmode and friends as libpq resolves them. */
export interface TlsSettings {
  /** The sslmode in force (`disable` when neither the string nor PGSSLMODE sets one). */
  readonly mode: string;
  /** Where the CA certificates come from: a file, `system`, or undefined when nothing is verified. */
  readonly rootcert: string | undefined;
  /** Node's TLS options, or false for a plain connection. */
  readonly ssl: false | ConnectionOptions;
  /** sslmode=prefer: fall back to a plain connection when the server does not do TLS. */
  readonly fallbackToPlain: boolean;
}

function readTlsFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new DatabaseError('TLS_CONFIG', `cannot read ${what} ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** libpq refuses a private key that group or others may read; so does pgmask, with the same rule. */
function checkKeyFileMode(path: string): void {
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch (error) {
    throw new DatabaseError('TLS_CONFIG', `cannot read sslkey ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const uid = process.getuid?.();
  const mode = stat.mode & 0o777;
  if ((stat.uid === uid && (mode & 0o077) !== 0) || (stat.uid === 0 && (mode & 0o037) !== 0)) {
    throw new DatabaseError(
      'TLS_CONFIG',
      `private key file ${path} is readable by group or others (mode ${mode.toString(8)}); restrict it with chmod 600 (libpq, and so pg_dump and psql, refuse it too)`,
    );
  }
}

/**
 * libpq's sslmode semantics on node-postgres (whose own reading of sslmode differs: it treats
 * `prefer`, `require` and `verify-ca` as `verify-full`): `require` encrypts without checking
 * the certificate unless a root certificate is given (then it checks the CA, as verify-ca);
 * `verify-ca` checks the CA only; `verify-full` checks the CA and the host name. The CA comes
 * from sslrootcert (`system`: the system's trusted roots), else ~/.postgresql/root.crt.
 * Differences from libpq: without sslmode the connection is plain (libpq tries TLS first);
 * `allow` is plain; ~/.postgresql/postgresql.crt is not read unless named in sslcert.
 */
export function tlsSettings(params: Conninfo, env: NodeJS.ProcessEnv = process.env): TlsSettings {
  const mode = params.get('sslmode') ?? env['PGSSLMODE'] ?? 'disable';
  if (!SSL_MODES.has(mode)) throw new UsageError(`invalid sslmode "${mode}": use disable, allow, prefer, require, verify-ca or verify-full`);
  if (mode === 'disable' || mode === 'allow') return { mode, rootcert: undefined, ssl: false, fallbackToPlain: false };
  const options: ConnectionOptions = {};
  const certFile = params.get('sslcert') ?? env['PGSSLCERT'];
  const keyFile = params.get('sslkey') ?? env['PGSSLKEY'];
  if (certFile) options.cert = readTlsFile(certFile, 'sslcert');
  if (keyFile) {
    checkKeyFileMode(keyFile);
    options.key = readTlsFile(keyFile, 'sslkey');
  }
  const defaultRoot = join(homedir(), '.postgresql', 'root.crt');
  const given = params.get('sslrootcert') ?? env['PGSSLROOTCERT'];
  const rootcert = given ?? (safeExists(defaultRoot) ? defaultRoot : undefined);
  if (rootcert === 'system' && mode !== 'verify-full') {
    throw new UsageError(`sslrootcert=system needs sslmode=verify-full (sslmode ${mode} would not check the host name)`);
  }
  const verify = mode === 'verify-ca' || mode === 'verify-full' || (mode === 'require' && rootcert !== undefined);
  if (!verify) return { mode, rootcert: undefined, ssl: { ...options, rejectUnauthorized: false }, fallbackToPlain: mode === 'prefer' };
  if (rootcert === undefined) {
    throw new UsageError(
      `sslmode=${mode} needs a root certificate to check the server's: give sslrootcert=FILE (or sslrootcert=system for the system's trusted roots), or put it in ${defaultRoot}`,
    );
  }
  if (rootcert !== 'system') options.ca = readTlsFile(rootcert, 'sslrootcert');
  if (mode !== 'verify-full') options.checkServerIdentity = () => undefined;
  return { mode, rootcert, ssl: { ...options, rejectUnauthorized: true }, fallbackToPlain: false };
}

function safeExists(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The connection parameters given, checked: options pgmask cannot honour are refused rather than silently dropped. */
function connectionParams(connection: string | undefined): Conninfo {
  const params = connection ? parseConninfo(connection) : new Map<string, string>();
  for (const key of params.keys()) {
    if (SUPPORTED_OPTIONS.has(key) || IGNORED_OPTIONS.has(key)) continue;
    throw new UsageError(`connection option ${keyLabel(key)} is not supported by pgmask; remove it, or set what it does another way`);
  }
  if (params.get('gssencmode') === 'require') throw new UsageError('gssencmode=require is not supported by pgmask (GSSAPI encryption); use sslmode instead');
  return params;
}

/**
 * libpq-style connection: a URL or key=value string, with PG* environment variables filling
 * the gaps, and sslmode read as libpq reads it (see `tlsSettings`).
 */
export function clientConfig(connection: string | undefined, env: NodeJS.ProcessEnv = process.env): pg.ClientConfig {
  return clientSettings(connection, env).config;
}

function clientSettings(connection: string | undefined, env: NodeJS.ProcessEnv): { config: pg.ClientConfig; tls: TlsSettings } {
  const params = connectionParams(connection);
  const tls = tlsSettings(params, env);
  return { config: { ...baseConfig(params), ssl: tls.ssl }, tls };
}

/** Host, port, database, user, password and options of a connection, without TLS. */
function baseConfig(params: Conninfo): pg.ClientConfig {
  const config: pg.ClientConfig = {};
  const host = params.get('host');
  const port = params.get('port');
  if (host !== undefined && host !== '') config.host = host;
  if (port !== undefined && port !== '') {
    if (!/^\d+$/.test(port)) throw new UsageError(`invalid port "${port}" in the connection string`);
    config.port = Number(port);
  }
  const database = params.get('dbname');
  if (database !== undefined && database !== '') config.database = database;
  const user = params.get('user');
  if (user !== undefined && user !== '') config.user = user;
  const password = params.get('password');
  if (password !== undefined) config.password = password;
  const options = params.get('options');
  if (options) config.options = options;
  const timeout = params.get('connect_timeout');
  if (timeout && Number(timeout) > 0) config.connectionTimeoutMillis = Math.max(2, Number(timeout)) * 1000;
  // Node sets the first probe's delay only: interval and count stay libuv's (1 s, 10 probes). See the README.
  const keepalive = keepaliveSettings(params);
  config.keepAlive = keepalive.enabled;
  if (keepalive.enabled && keepalive.idleSeconds > 0) config.keepAliveInitialDelayMillis = keepalive.idleSeconds * 1000;
  if (params.get('channel_binding') === 'require') (config as { enableChannelBinding?: boolean }).enableChannelBinding = true;
  return config;
}

/** Host, port, database and user a connection string resolves to (never the password). */
export function describeConnection(connection: string | undefined): ConnectionInfo {
  // pg resolves URL, key=value and PG* variables in this class, which its index does not export.
  const ConnectionParameters = createRequire(import.meta.url)('pg/lib/connection-parameters.js') as new (c: pg.ClientConfig) => Record<string, unknown>;
  const params = new ConnectionParameters({ ...baseConfig(connectionParams(connection)), ssl: false });
  return {
    host: String(params['host'] ?? 'localhost'),
    port: Number(params['port'] ?? 5432),
    database: String(params['database'] ?? ''),
    user: String(params['user'] ?? ''),
  };
}

/** `user@host:port/database`, for messages and reports. */
export function connectionLabel(info: ConnectionInfo): string {
  return `${info.user}@${info.host}:${info.port}/${info.database}`;
}

/** Node's codes for a connection the network or the peer broke. */
const CONNECTION_LOST_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_PREMATURE_CLOSE']);

/** Node's codes for a server certificate that did not verify. */
const CERTIFICATE_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
]);

/** Marks an error with the side (source or target) whose connection raised it. */
function tagRole(error: unknown, role: string): void {
  if (error && typeof error === 'object' && !('pgmaskRole' in error)) {
    Object.defineProperty(error, 'pgmaskRole', { value: role, enumerable: false });
  }
}

function redactSecrets(message: string): string {
  return message.replace(/(postgres(?:ql)?:\/\/[^:/@\s]+:)[^@\s]+@/gi, '$1***@').replace(/(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]+)/gi, '$1***');
}

/**
 * The message of a server error, stripped of anything that may echo a value from the data:
 * DETAIL and WHERE are dropped, and quoted literals in the message are masked. A connection
 * that broke says so, and on which side (source or target) when known.
 */
export function safeErrorMessage(error: unknown): string {
  const e = error as Partial<pg.DatabaseError> & { message?: string; pgmaskRole?: string };
  let message = redactSecrets(String(e.message ?? error));
  const side = e.pgmaskRole ? `${e.pgmaskRole} ` : '';
  if (e.severity) {
    // Server messages quote offending input ("invalid input syntax for type integer: \"abc\"").
    message = message.replace(/: ".*"$/s, ': (value withheld)').replace(/"[^"]*" \(value withheld\)/, '(value withheld)');
    const where = [e.table && `table ${e.table}`, e.column && `column ${e.column}`, e.constraint && `constraint ${e.constraint}`].filter(Boolean).join(', ');
    const prefix = e.severity === 'FATAL' || e.severity === 'PANIC' ? `the ${side}server ended the connection: ` : '';
    return `${prefix}${message}${where ? ` (${where})` : ''}${e.code ? ` [SQLSTATE ${e.code}]` : ''}`;
  }
  if (CONNECTION_LOST_CODES.has(e.code ?? '') || /^Connection terminated|not queryable/.test(message)) {
    return `the connection to the ${side}server was lost (${message}): the server closed it, or the network failed`;
  }
  return message;
}

/** The message for a connection that could not be made, naming a TLS problem as one. */
function connectFailure(error: unknown, tls: TlsSettings, host: string): string {
  const e = error as { code?: string; message?: string };
  const message = safeErrorMessage(error);
  const roots = tls.rootcert === 'system' ? "the system's trusted roots" : tls.rootcert ? `sslrootcert ${tls.rootcert}` : 'the trusted roots';
  if (e.code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `TLS: the server's certificate is not valid for host name "${host}" (sslmode=${tls.mode} checks the host name): ${message}; connect with a host name the certificate names`;
  }
  if (e.code && CERTIFICATE_CODES.has(e.code)) {
    return `TLS: the server's certificate is not signed by a CA in ${roots} (sslmode=${tls.mode}): ${message}`;
  }
  if (e.code === 'CERT_HAS_EXPIRED' || e.code === 'CERT_NOT_YET_VALID') return `TLS: the server's certificate is expired or not yet valid: ${message}`;
  if (/does not support SSL/.test(message)) return `TLS: the server does not accept TLS connections (sslmode=${tls.mode}): ${message}`;
  if (/^ERR_SSL|^ERR_TLS/.test(e.code ?? '')) return `TLS: the handshake failed (sslmode=${tls.mode}): ${message}`;
  return message;
}

/** Runs a statement's work, failing it when it does not settle in time (see `Session.guardStatements`). */
export type StatementGuard = <T>(work: () => Promise<T>) => Promise<T>;

/** A connection to one server with COPY-relevant settings pinned. The only pg wrapper. */
export class Session {
  readonly info: ConnectionInfo;
  /** `source` or `target`: named in the message of an error that comes from this connection. */
  readonly role: string;
  private readonly client: pg.Client;
  private ended = false;
  private guard: StatementGuard | undefined;
  private unguardedDepth = 0;

  private constructor(client: pg.Client, info: ConnectionInfo, role: string) {
    this.client = client;
    this.info = info;
    this.role = role;
  }

  /**
   * Connects and pins the session settings. Errors name the server and, for TLS, the
   * certificate problem; never a password.
   */
  static async connect(connection: string | undefined, role: string): Promise<Session> {
    let info: ConnectionInfo;
    let settings: ReturnType<typeof clientSettings>;
    try {
      info = describeConnection(connection);
      settings = clientSettings(connection, process.env);
    } catch (error) {
      if (error instanceof UsageError) throw new UsageError(`the ${role} connection: ${error.message}`);
      if (error instanceof DatabaseError) throw new DatabaseError(error.code, `the ${role} connection: ${error.message}`);
      throw error;
    }
    const { config, tls } = settings;
    const open = async (ssl: pg.ClientConfig['ssl']): Promise<pg.Client> => {
      const client = new pg.Client({ ...config, ssl });
      client.on('error', () => {}); // a dropped connection surfaces on the pending query
      try {
        await client.connect();
        await client.query(PINNED_SETTINGS);
        return client;
      } catch (error) {
        await client.end().catch(() => {});
        throw error;
      }
    };
    try {
      let client: pg.Client;
      try {
        client = await open(tls.ssl);
      } catch (error) {
        // sslmode=prefer: a server without TLS is spoken to in plain text, as libpq does.
        if (!tls.fallbackToPlain || !/does not support SSL/.test((error as Error).message)) throw error;
        client = await open(false);
      }
      return new Session(client, info, role);
    } catch (error) {
      throw new DatabaseError('CONNECT', `cannot connect to the ${role} database ${connectionLabel(info)}: ${connectFailure(error, tls, info.host)}`, { cause: error });
    }
  }

  /** The server's backend process id, for cancelling or terminating it. */
  get pid(): number {
    return (this.client as unknown as { processID: number }).processID;
  }

  /**
   * Bytes this connection's socket has handed to the operating system so far (written, less
   * what still waits in Node's buffers): stops growing when the server or the network stops
   * taking them. For the stall watchdog.
   */
  get bytesFlushed(): number {
    const socket = (this.client as unknown as { connection?: { stream?: { bytesWritten?: number; writableLength?: number } } }).connection?.stream;
    return (socket?.bytesWritten ?? 0) - (socket?.writableLength ?? 0);
  }

  /**
   * Runs every later `query` and `queryOneStatement` through `guard` (a run's stall watchdog,
   * which fails a statement that does not return in time), except inside `unguarded`.
   */
  guardStatements(guard: StatementGuard | undefined): void {
    this.guard = guard;
  }

  /** Runs `work` with this session's statements unguarded: for statements that compute for long by nature (index builds, key checks). */
  async unguarded<T>(work: () => Promise<T>): Promise<T> {
    this.unguardedDepth++;
    try {
      return await work();
    } finally {
      this.unguardedDepth--;
    }
  }

  private guarded<T>(work: () => Promise<T>): Promise<T> {
    return this.guard && this.unguardedDepth === 0 ? this.guard(work) : work();
  }

  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: readonly unknown[]): Promise<R[]> {
    try {
      const result = await this.guarded(() => this.client.query<R>(sql, params as unknown[] | undefined));
      return result.rows;
    } catch (error) {
      tagRole(error, this.role);
      throw error;
    }
  }

  /**
   * One statement over the extended protocol, which refuses a text of several statements: for
   * SQL that embeds text from a rules file (a `where:` predicate), which must not be able to
   * end the statement and start another.
   */
  async queryOneStatement<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string): Promise<R[]> {
    try {
      const result = await this.guarded(() => this.client.query<R>({ text: sql, queryMode: 'extended' } as pg.QueryConfig));
      return result.rows;
    } catch (error) {
      tagRole(error, this.role);
      throw error;
    }
  }

  /** `COPY ... TO STDOUT`: a readable stream of the COPY data, or with `framed` of its whole CopyData messages (see `CopyOutStream`). */
  copyOut(sql: string, framed = false): CopyOutStream {
    const stream = new CopyOutStream(sql, framed);
    this.client.query(stream);
    return stream.on('error', (error) => tagRole(error, this.role));
  }

  /** `COPY ... FROM STDIN`: a writable stream for COPY data, or with `framed` for whole CopyData messages (see `FramedCopyIn`: a failed framed copy closes the connection). */
  copyIn(sql: string, framed = false): CopyStreamQuery {
    return this.client.query(framed ? new FramedCopyIn(sql) : copyFrom(sql)).on('error', (error) => tagRole(error, this.role));
  }

  /**
   * Closes the connection; safe to call twice. A server or network that does not answer the
   * goodbye within `END_WAIT_MS` gets its socket dropped: ending never hangs.
   */
  async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    const timer = setTimeout(() => this.dropSocket(), END_WAIT_MS).unref();
    await this.client.end().catch(() => {});
    clearTimeout(timer);
  }

  private dropSocket(): void {
    const connection = (this.client as unknown as { connection?: { stream?: { destroy(): void } } }).connection;
    connection?.stream?.destroy();
  }

  /** Drops the socket at once: the way to stop a COPY TO, which destroying its stream does not stop on the server. */
  destroy(): void {
    if (this.ended) return;
    this.ended = true;
    this.dropSocket();
    this.client.end().catch(() => {});
  }
}
