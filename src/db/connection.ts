import { createRequire } from 'node:module';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { Readable, Writable } from 'node:stream';
import { DatabaseError } from '../errors.js';

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

/** libpq-style connection: a URL or key=value string, with PG* environment variables filling the gaps. */
export function clientConfig(connection: string | undefined): pg.ClientConfig {
  return connection ? { connectionString: connection } : {};
}

/** Host, port, database and user a connection string resolves to (never the password). */
export function describeConnection(connection: string | undefined): ConnectionInfo {
  // pg resolves URL, key=value and PG* variables in this class, which its index does not export.
  const ConnectionParameters = createRequire(import.meta.url)('pg/lib/connection-parameters.js') as new (c: pg.ClientConfig) => Record<string, unknown>;
  const params = new ConnectionParameters(clientConfig(connection));
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

/**
 * The message of a server error, stripped of anything that may echo a value from the data:
 * DETAIL and WHERE are dropped, and quoted literals in the message are masked.
 */
export function safeErrorMessage(error: unknown): string {
  const e = error as Partial<pg.DatabaseError> & { message?: string };
  let message = String(e.message ?? error);
  message = message.replace(/(postgres(?:ql)?:\/\/[^:/@\s]+:)[^@\s]+@/gi, '$1***@');
  message = message.replace(/password=\S+/gi, 'password=***');
  if (e.severity || e.code) {
    // Server messages quote offending input ("invalid input syntax for type integer: \"abc\"").
    message = message.replace(/: ".*"$/s, ': (value withheld)').replace(/"[^"]*" \(value withheld\)/, '(value withheld)');
    const where = [e.table && `table ${e.table}`, e.column && `column ${e.column}`, e.constraint && `constraint ${e.constraint}`]
      .filter(Boolean)
      .join(', ');
    return `${message}${where ? ` (${where})` : ''}${e.code ? ` [SQLSTATE ${e.code}]` : ''}`;
  }
  return message;
}

/** A connection to one server with COPY-relevant settings pinned. The only pg wrapper. */
export class Session {
  readonly info: ConnectionInfo;
  private readonly client: pg.Client;
  private ended = false;

  private constructor(client: pg.Client, info: ConnectionInfo) {
    this.client = client;
    this.info = info;
  }

  /** Connects and pins the session settings. Errors name the server, never a password. */
  static async connect(connection: string | undefined, role: string): Promise<Session> {
    const info = describeConnection(connection);
    const client = new pg.Client(clientConfig(connection));
    client.on('error', () => {}); // a dropped connection surfaces on the pending query
    try {
      await client.connect();
      await client.query(PINNED_SETTINGS);
    } catch (error) {
      await client.end().catch(() => {});
      throw new DatabaseError('CONNECT', `cannot connect to the ${role} database ${connectionLabel(info)}: ${safeErrorMessage(error)}`, { cause: error });
    }
    return new Session(client, info);
  }

  /** The server's backend process id, for cancelling or terminating it. */
  get pid(): number {
    return (this.client as unknown as { processID: number }).processID;
  }

  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: readonly unknown[]): Promise<R[]> {
    const result = await this.client.query<R>(sql, params as unknown[] | undefined);
    return result.rows;
  }

  /** `COPY ... TO STDOUT`: a readable stream of COPY text bytes. */
  copyOut(sql: string): Readable {
    return this.client.query(copyTo(sql));
  }

  /** `COPY ... FROM STDIN`: a writable stream for COPY text bytes. */
  copyIn(sql: string): Writable {
    return this.client.query(copyFrom(sql));
  }

  /** Closes the connection; safe to call twice. */
  async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.client.end().catch(() => {});
  }

  /** Drops the socket at once: the way to stop a COPY TO stream, which has no destroy. */
  destroy(): void {
    if (this.ended) return;
    this.ended = true;
    const connection = (this.client as unknown as { connection?: { stream?: { destroy(): void } } }).connection;
    connection?.stream?.destroy();
    this.client.end().catch(() => {});
  }
}
