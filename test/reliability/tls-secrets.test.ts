import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, type TestOptions } from 'vitest';
import { clientConfig, safeErrorMessage, tlsSettings } from '../../src/db/connection.js';
import { formatConninfo, parseConninfo } from '../../src/db/conninfo.js';
import { KEEPALIVE_DEFAULTS, keepaliveSettings } from '../../src/db/keepalives.js';
import { libpqTarget, safeToolOutput } from '../../src/db/pg-tools.js';
import { type CliResult, runCli, TEST_KEY } from '../support/cli.js';
import { createDatabase, serverUrl } from '../support/database.js';
import { skipUnless } from '../support/skip-unless.js';
import { serverBinaries, startTlsServer, type TlsServer } from '../support/tls-server.js';
import { canariesIn, canariesInFiles, tempDir, writeFile } from './support.js';

/**
 * TLS and secrets: a second PostgreSQL with ssl = on and a certificate from a CA made here;
 * sslmode verify-full, verify-ca, require and prefer as libpq means them; clear messages for a
 * wrong CA or host name; and no password, no key, in any output, report or error.
 */

const dir = tempDir('tls-secrets');
/** Options for tests of pg_dump and psql over TLS: skipped, visibly, where the pg_dump on PATH cannot dump the TLS test server. */
const pgDumpFitsTlsServer = await (async (): Promise<TestOptions> => {
  const server = (await serverBinaries()).major;
  let dump: number | undefined;
  try {
    dump = Number(/\(PostgreSQL\)\s+(\d+)/.exec(execFileSync('pg_dump', ['--version']).toString())?.[1]);
  } catch {
    dump = undefined;
  }
  return skipUnless(
    dump !== undefined && dump >= server,
    `they need pg_dump ≥ ${server} to dump the PostgreSQL ${server} TLS test server (${dump === undefined ? 'no pg_dump on PATH' : `pg_dump on PATH: ${dump}`})`,
  );
})();
/** Passwords full of characters that need quoting in URLs and key=value strings. */
const APP_PASSWORD = "App p'w\\ /@:?#&=%+-c9d1c";
const WRITER_PASSWORD = 'Writer-Secret-7e4a0b';
const rulesFile = writeFile(
  dir,
  'rules.yaml',
  `version: 1
unlisted: fail
tables:
  public.people:
    columns:
      id: keep
      email: { transform: email, unique: true }
      name: person.full_name
`,
);

/** Everything a run printed or wrote, checked for every secret the tests use. */
function expectNoSecrets(result: CliResult, ...files: string[]): void {
  const secrets = [APP_PASSWORD, encodeURIComponent(APP_PASSWORD), WRITER_PASSWORD, 'Super-Secret-5f2b', TEST_KEY, 'c9d1c'];
  expect(canariesIn(result.stdout, secrets), 'stdout').toEqual([]);
  expect(canariesIn(result.stderr, secrets), 'stderr').toEqual([]);
  for (const file of files) expect(canariesIn(readFileSync(file, 'utf8'), secrets), file).toEqual([]);
}

describe('pgmask over TLS, and secrets', async () => {
  let server: TlsServer;
  let ca: string;
  /** The app role's connection to its database on the TLS server. */
  const app = (query: Record<string, string>, host = 'localhost', database = 'shop'): string => server.url({ user: 'app', password: APP_PASSWORD, database, host, query });

  beforeAll(async () => {
    server = await startTlsServer();
    ca = server.certificates.ca;
    const admin = new pg.Client({
      host: 'localhost',
      port: server.port,
      user: 'postgres',
      password: server.superuserPassword,
      database: 'postgres',
      ssl: { ca: readFileSync(ca, 'utf8') },
    });
    await admin.connect();
    await admin.query(`CREATE ROLE app LOGIN PASSWORD '${APP_PASSWORD.replace(/'/g, "''")}'`);
    await admin.query(`CREATE ROLE writer LOGIN PASSWORD '${WRITER_PASSWORD}'`);
    await admin.query('CREATE DATABASE shop OWNER app');
    await admin.query('CREATE DATABASE copy_dst OWNER app');
    await admin.query('CREATE DATABASE locked_dst'); // owned by postgres: writer may connect, not create
    await admin.end();
    const shop = new pg.Client({
      host: '127.0.0.1',
      port: server.port,
      user: 'app',
      password: APP_PASSWORD,
      database: 'shop',
      ssl: { ca: readFileSync(ca, 'utf8'), servername: 'localhost' },
    });
    await shop.connect();
    await shop.query(`
      CREATE TABLE people (id int PRIMARY KEY, email text NOT NULL UNIQUE, name text NOT NULL);
      INSERT INTO people SELECT i, 'person' || i || '@corp.se', 'Anna Person' || i FROM generate_series(1, 50) i;`);
    await shop.end();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  describe('sslmode=verify-full with the right CA', async () => {
    it('validate connects, by host name and by IP address (both in the certificate)', async () => {
      for (const host of ['localhost', '127.0.0.1']) {
        const result = await runCli(['validate', '--rules', rulesFile, '--source', app({ sslmode: 'verify-full', sslrootcert: ca }, host)]);
        expect(result.stdout + result.stderr).toMatch(new RegExp(`ok against app@${host.replace(/\./g, '\\.')}:${server.port}/shop`));
        expect(result.code).toBe(0);
        expectNoSecrets(result);
      }
    });

    it('a small copy from the TLS server into another server is masked and complete', async () => {
      const target = await createDatabase('pgmask_tls_dst');
      const report = join(dir, 'copy.json');
      try {
        await target.query('CREATE TABLE people (id int PRIMARY KEY, email text NOT NULL UNIQUE, name text NOT NULL)');
        const result = await runCli([
          'copy',
          '--source',
          app({ sslmode: 'verify-full', sslrootcert: ca }),
          '--target',
          target.url,
          '--rules',
          rulesFile,
          '--schema',
          'existing',
          '--report',
          report,
        ]);
        expect(result.stderr).toContain('succeeded');
        expect(result.code).toBe(0);
        expect(await target.query("SELECT count(*)::int AS n, count(*) FILTER (WHERE email LIKE '%@corp.se' OR name LIKE 'Anna Person%')::int AS original FROM people")).toEqual([
          { n: 50, original: 0 },
        ]);
        expectNoSecrets(result, report);
      } finally {
        await target.drop();
      }
    });

    it('--schema create: pg_dump and psql get the same TLS settings and the password in their environment only', pgDumpFitsTlsServer, async () => {
      const report = join(dir, 'create.json');
      const tls = { sslmode: 'verify-full', sslrootcert: ca };
      const result = await runCli([
        'copy',
        '--source',
        app(tls),
        '--target',
        app(tls, 'localhost', 'copy_dst'),
        '--rules',
        rulesFile,
        '--schema',
        'create',
        '--yes',
        '--report',
        report,
      ]);
      expect(result.stderr).toContain('succeeded');
      expect(result.code).toBe(0);
      expectNoSecrets(result, report);
      const check = new pg.Client({
        host: '127.0.0.1',
        port: server.port,
        user: 'app',
        password: APP_PASSWORD,
        database: 'copy_dst',
        ssl: { ca: readFileSync(ca, 'utf8'), servername: 'localhost' },
      });
      await check.connect();
      const { rows } = await check.query(
        "SELECT count(*)::int AS n, count(*) FILTER (WHERE email LIKE '%@corp.se')::int AS original, (SELECT count(*)::int FROM pg_indexes WHERE tablename = 'people') AS indexes FROM people",
      );
      await check.end();
      expect(rows).toEqual([{ n: 50, original: 0, indexes: 2 }]);
    });

    it('PGSSLMODE and PGSSLROOTCERT are honoured as libpq honours them', async () => {
      const plain = app({});
      const good = await runCli(['validate', '--rules', rulesFile, '--source', plain], { env: { PGSSLMODE: 'verify-full', PGSSLROOTCERT: ca } });
      expect(good.code, good.stderr).toBe(0);
      const wrong = await runCli(['validate', '--rules', rulesFile, '--source', plain], { env: { PGSSLMODE: 'verify-full', PGSSLROOTCERT: server.certificates.wrongCa } });
      expect(wrong.code).toBe(3);
      expect(wrong.stderr).toMatch(/TLS: the server's certificate is not signed by a CA in sslrootcert .*wrong-ca\.pem/);
      expectNoSecrets(good);
      expectNoSecrets(wrong);
    });
  });

  describe('certificates that must be refused', async () => {
    it('a wrong CA fails with exit code 3 and a message that names the TLS problem', async () => {
      for (const mode of ['verify-full', 'verify-ca', 'require']) {
        const result = await runCli(['validate', '--rules', rulesFile, '--source', app({ sslmode: mode, sslrootcert: server.certificates.wrongCa })]);
        expect(result.code, `${mode}: ${result.stderr}`).toBe(3);
        expect(result.stderr).toMatch(
          new RegExp(
            `cannot connect to the source database app@localhost:${server.port}/shop: TLS: the server's certificate is not signed by a CA in sslrootcert \\S*wrong-ca\\.pem \\(sslmode=${mode}\\)`,
          ),
        );
        expectNoSecrets(result);
      }
    });

    it('a host-name mismatch fails verify-full; verify-ca and require (without a root certificate) do not check the name, as in libpq', async () => {
      await server.useWrongNameCertificate(true);
      try {
        const full = await runCli(['validate', '--rules', rulesFile, '--source', app({ sslmode: 'verify-full', sslrootcert: ca })]);
        expect(full.code).toBe(3);
        expect(full.stderr).toMatch(/TLS: the server's certificate is not valid for host name "localhost" \(sslmode=verify-full checks the host name\)/);
        expect(full.stderr).toMatch(/db\.invalid/);
        expectNoSecrets(full);

        const verifyCa = await runCli(['validate', '--rules', rulesFile, '--source', app({ sslmode: 'verify-ca', sslrootcert: ca })]);
        expect(verifyCa.code, verifyCa.stderr).toBe(0);
        const require = await runCli(['validate', '--rules', rulesFile, '--source', app({ sslmode: 'require' })], { env: { HOME: dir } });
        expect(require.code, require.stderr).toBe(0);
      } finally {
        await server.useWrongNameCertificate(false);
      }
    });

    it('verify-full without any root certificate is refused before connecting', async () => {
      const result = await runCli(['validate', '--rules', rulesFile, '--source', app({ sslmode: 'verify-full' })], { env: { HOME: dir } });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/the source connection: sslmode=verify-full needs a root certificate .*sslrootcert=FILE/);
      expectNoSecrets(result);
    });

    const withoutTls = skipUnless(await serverWithoutTls(), 'it needs a test server with ssl = off');
    it('require against a server without TLS fails clearly; prefer falls back to plain text', withoutTls, async () => {
      const url = new URL(serverUrl());
      url.searchParams.set('sslmode', 'require');
      const required = await runCli(['validate', '--rules', rulesFile, '--source', url.toString()]);
      expect(required.code).toBe(3);
      expect(required.stderr).toMatch(/TLS: the server does not accept TLS connections \(sslmode=require\)/);
      url.searchParams.set('sslmode', 'prefer');
      const preferred = await runCli(['validate', '--rules', rulesFile, '--source', url.toString()]);
      // Connected: the rules name a table that database does not hold.
      expect(preferred.stdout).toMatch(/failed against postgres@/);
      expect(preferred.code).toBe(1);
    });
  });

  describe('client certificates', () => {
    it('a client key with mode 600 is used; one readable by others is refused, naming the file', async () => {
      const { clientCert, clientKey } = server.certificates;
      const good = await runCli(['validate', '--rules', rulesFile, '--source', app({ sslmode: 'verify-full', sslrootcert: ca, sslcert: clientCert, sslkey: clientKey })]);
      expect(good.code, good.stderr).toBe(0);
      const loose = join(dir, 'loose.key');
      writeFileSync(loose, readFileSync(clientKey));
      chmodSync(loose, 0o644);
      const bad = await runCli(['validate', '--rules', rulesFile, '--source', app({ sslmode: 'verify-full', sslrootcert: ca, sslcert: clientCert, sslkey: loose })]);
      expect(bad.code).toBe(3);
      expect(bad.stderr).toMatch(/private key file \S*loose\.key is readable by group or others \(mode 644\); restrict it with chmod 600/);
      expect(bad.stderr).not.toMatch(/PRIVATE KEY|MII/);
      expectNoSecrets(bad);
    });
  });

  describe('passwords never appear', async () => {
    it('a wrong password: validate, copy and dump fail without printing it', async () => {
      const wrong = server.url({ user: 'app', password: `${APP_PASSWORD}x`, database: 'shop', query: { sslmode: 'verify-full', sslrootcert: ca } });
      const target = server.url({ user: 'writer', password: WRITER_PASSWORD, database: 'locked_dst', query: { sslmode: 'verify-full', sslrootcert: ca } });
      const report = join(dir, 'wrong-password.json');
      const dumpReport = join(dir, 'wrong-password-dump.json');
      const runs: [CliResult, string[]][] = [
        [await runCli(['validate', '--rules', rulesFile, '--source', wrong]), []],
        [await runCli(['validate', '--rules', rulesFile, '--source', wrong, '--json']), []],
        [await runCli(['copy', '--source', wrong, '--target', target, '--rules', rulesFile, '--report', report]), [report]],
        [await runCli(['dump', '--source', wrong, '--rules', rulesFile, '--report', dumpReport]), []],
      ];
      for (const [result, files] of runs) {
        expect(result.code).toBe(3);
        expect(result.stdout + result.stderr).toMatch(/password authentication failed for user "app"/);
        expectNoSecrets(result, ...files);
      }
      expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ outcome: 'failed', error: { code: 'CONNECT' } });
    });

    it('a key=value connection string with a quoted password is read as libpq reads it, and printed without the password', async () => {
      const conninfo = `host=localhost port=${server.port} dbname=shop user=app password='${APP_PASSWORD.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}' sslmode=verify-full sslrootcert='${ca}'`;
      const result = await runCli(['validate', '--rules', rulesFile, '--source', conninfo]);
      expect(result.stdout).toMatch(new RegExp(`ok against app@localhost:${server.port}/shop`));
      expect(result.code).toBe(0);
      expectNoSecrets(result);
      // A mistyped string says where it is wrong, not what it holds.
      const broken = await runCli(['validate', '--rules', rulesFile, '--source', `host=localhost password:${APP_PASSWORD}`]);
      expect(broken.code).toBe(2);
      expect(broken.stderr).toMatch(/invalid connection string: missing "=" after a keyword/);
      expectNoSecrets(broken);
      const unknown = await runCli(['validate', '--rules', rulesFile, '--source', `${conninfo} sslcrl=/x`]);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/connection option "sslcrl" is not supported/);
      expectNoSecrets(unknown);
    });

    it('when pg_dump fails, its message is shown, and the password was neither in its arguments nor in the message', pgDumpFitsTlsServer, async () => {
      const bin = tempDir('fake-pg-dump');
      const fake = writeFile(
        bin,
        'pg_dump',
        `#!/bin/sh
if [ "$1" = "--version" ]; then PATH="${process.env['PATH']}" exec pg_dump --version; fi
echo "pg_dump: error: fake failure; arguments: $*" >&2
[ -n "$PGPASSWORD" ] && echo "pg_dump: the password came in the environment" >&2
exit 1
`,
      );
      chmodSync(fake, 0o755);
      const env = { PATH: `${bin}:${process.env['PATH']}` };
      const report = join(dir, 'pg-dump-fails.json');
      const tls = { sslmode: 'verify-full', sslrootcert: ca };
      const result = await runCli(
        ['copy', '--source', app(tls), '--target', app(tls, 'localhost', 'copy_dst'), '--rules', rulesFile, '--schema', 'create', '--yes', '--report', report],
        { env },
      );
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr).toMatch(/pg_dump failed \(exit 1\): pg_dump: error: fake failure; arguments: .*--dbname .*user='app'/);
      expect(result.stderr).toMatch(/the password came in the environment/);
      expectNoSecrets(result, report);
    });

    it('when psql fails on the target, the error is shown without the password', pgDumpFitsTlsServer, async () => {
      const report = join(dir, 'psql-fails.json');
      const tls = { sslmode: 'verify-full', sslrootcert: ca };
      const target = server.url({ user: 'writer', password: WRITER_PASSWORD, database: 'locked_dst', query: tls });
      const result = await runCli(['copy', '--source', app(tls), '--target', target, '--rules', rulesFile, '--schema', 'create', '--report', report]);
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/psql failed \(exit 3\): .*permission denied for schema public/);
      expectNoSecrets(result, report);
      expect(JSON.parse(readFileSync(report, 'utf8')).error.message).toMatch(/permission denied for schema public/);
    });
  });

  describe('the masking key', () => {
    it('a key file readable by others gets a warning, and the key never appears', async () => {
      const keyFile = writeFile(dir, 'loose-masking.key', `${TEST_KEY}\n`);
      chmodSync(keyFile, 0o644);
      const target = await createDatabase('pgmask_tls_key_dst');
      const report = join(dir, 'key.json');
      try {
        await target.query('CREATE TABLE people (id int PRIMARY KEY, email text NOT NULL UNIQUE, name text NOT NULL)');
        const result = await runCli(
          [
            'copy',
            '--source',
            app({ sslmode: 'verify-full', sslrootcert: ca }),
            '--target',
            target.url,
            '--rules',
            rulesFile,
            '--schema',
            'existing',
            '--key-file',
            keyFile,
            '--report',
            report,
          ],
          { env: { PGMASK_KEY: '' } },
        );
        expect(result.stderr).toMatch(/pgmask: warning: key file \S*loose-masking\.key is readable by group or others \(mode 644\); restrict it with chmod 600/);
        expect(result.code, result.stderr).toBe(0);
        expectNoSecrets(result, report);
        expect(canariesInFiles([dir], [TEST_KEY]).filter((f) => !f.startsWith(`${keyFile}:`))).toEqual([]);
      } finally {
        await target.drop();
      }
    });
  });
});

describe('connection strings, TLS settings and tool output (no server)', () => {
  it('parses URLs and key=value strings as libpq does, and formats them back', () => {
    const url = parseConninfo(`postgresql://app:${encodeURIComponent(APP_PASSWORD)}@[::1]:6543/my%20db?sslmode=verify-ca&sslrootcert=%2Ftmp%2Fca.pem&application_name=a+b`);
    expect(Object.fromEntries(url)).toEqual({
      user: 'app',
      password: APP_PASSWORD,
      host: '::1',
      port: '6543',
      dbname: 'my db',
      sslmode: 'verify-ca',
      sslrootcert: '/tmp/ca.pem',
      application_name: 'a+b',
    });
    expect(Object.fromEntries(parseConninfo('postgres://db.example/x?ssl=true'))).toEqual({ host: 'db.example', dbname: 'x', sslmode: 'require' });
    const kv = parseConninfo(`host = db port=5433 dbname='my db' password='it\\'s a \\\\ secret' options='-c search_path=x'`);
    expect(Object.fromEntries(kv)).toEqual({ host: 'db', port: '5433', dbname: 'my db', password: "it's a \\ secret", options: '-c search_path=x' });
    expect(Object.fromEntries(parseConninfo(formatConninfo(kv)))).toEqual(Object.fromEntries(kv));
    expect(() => parseConninfo("host=db password='unterminated")).toThrow(/unterminated quoted value of "password"/);
    expect(() => parseConninfo('postgres://a:1,b:2/db')).toThrow(/several hosts/);
  });

  it('gives pg the fields of a key=value string (pg alone would read it all as a database name)', () => {
    const config = clientConfig("host=db.example port=5433 dbname=shop user=app password='s3 cret'", {});
    expect(config).toMatchObject({ host: 'db.example', port: 5433, database: 'shop', user: 'app', password: 's3 cret', ssl: false });
  });

  it('reads sslmode as libpq does', () => {
    const home = { HOME: dir };
    const settings = (query: string) => tlsSettings(parseConninfo(`postgres://h/db?${query}`), home);
    const caFile = writeFile(dir, 'fake-ca.pem', 'not read by the TLS layer in this test');
    expect(settings('sslmode=disable').ssl).toBe(false);
    expect(settings('sslmode=allow').ssl).toBe(false);
    expect(settings('sslmode=prefer')).toMatchObject({ ssl: { rejectUnauthorized: false }, fallbackToPlain: true });
    expect(settings('sslmode=require')).toMatchObject({ ssl: { rejectUnauthorized: false }, fallbackToPlain: false });
    const requireWithRoot = settings(`sslmode=require&sslrootcert=${caFile}`).ssl as { rejectUnauthorized: boolean; ca: string; checkServerIdentity?: unknown };
    expect(requireWithRoot.rejectUnauthorized).toBe(true);
    expect(requireWithRoot.ca).toMatch(/not read/);
    expect(typeof requireWithRoot.checkServerIdentity).toBe('function');
    const verifyCa = settings(`sslmode=verify-ca&sslrootcert=${caFile}`).ssl as { checkServerIdentity?: () => unknown };
    expect(verifyCa.checkServerIdentity?.()).toBeUndefined();
    const full = settings(`sslmode=verify-full&sslrootcert=${caFile}`).ssl as { rejectUnauthorized: boolean; checkServerIdentity?: unknown };
    expect(full.rejectUnauthorized).toBe(true);
    expect(full.checkServerIdentity).toBeUndefined(); // Node's own check: the host name is verified
    expect(settings('sslmode=verify-full&sslrootcert=system').ssl).toEqual({ rejectUnauthorized: true });
    expect(() => settings('sslmode=require&sslrootcert=system')).toThrow(/sslrootcert=system needs sslmode=verify-full/);
    expect(() => settings('sslmode=verify-full')).toThrow(/needs a root certificate/);
    expect(() => settings('sslmode=bogus')).toThrow(/invalid sslmode/);
    expect(tlsSettings(new Map(), { PGSSLMODE: 'require' }).mode).toBe('require');
    expect(tlsSettings(new Map(), {}).ssl).toBe(false);
  });

  it('hands libpq tools the connection without its password, which goes in PGPASSWORD', () => {
    for (const connection of [
      `postgres://app:${encodeURIComponent(APP_PASSWORD)}@db:5433/shop?sslmode=verify-full`,
      `postgres://app@db:5433/shop?password=${encodeURIComponent(APP_PASSWORD)}&sslmode=verify-full`,
      `host=db port=5433 dbname=shop user=app password='${APP_PASSWORD.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}' sslmode=verify-full`,
    ]) {
      const { args, env } = libpqTarget(connection, {});
      expect(env['PGPASSWORD']).toBe(APP_PASSWORD);
      expect(args.join(' ')).not.toContain('c9d1c');
      expect(Object.fromEntries(parseConninfo(args[1]!))).toEqual({ host: 'db', port: '5433', dbname: 'shop', user: 'app', sslmode: 'verify-full', ...KEEPALIVE_DEFAULTS });
    }
  });

  it('reads keepalives as libpq does: on by default (first probe after 60 s), the string may change them or turn them off', () => {
    expect(clientConfig('host=db', {})).toMatchObject({ keepAlive: true, keepAliveInitialDelayMillis: 60_000 });
    expect(clientConfig('postgres://db/x?keepalives_idle=15&keepalives_interval=5&keepalives_count=3', {})).toMatchObject({
      keepAlive: true,
      keepAliveInitialDelayMillis: 15_000,
    });
    expect(clientConfig('host=db keepalives=0', {})).toMatchObject({ keepAlive: false });
    expect(clientConfig('host=db keepalives=7', {})).toMatchObject({ keepAlive: true });
    expect(() => clientConfig('host=db keepalives_idle=soon', {})).toThrow(/invalid integer value for connection option "keepalives_idle"/);
    expect(keepaliveSettings(parseConninfo('host=db keepalives_interval=5 keepalives_count=3'))).toEqual({ enabled: true, idleSeconds: 60, intervalSeconds: 5, count: 3 });
    // pg_dump and psql get the string's own values, else the same defaults; no connection string: the defaults alone.
    const given = libpqTarget('host=db keepalives_idle=15 keepalives=0', {}).args[1]!;
    expect(Object.fromEntries(parseConninfo(given))).toEqual({ host: 'db', keepalives_idle: '15', keepalives: '0', keepalives_interval: '10', keepalives_count: '6' });
    expect(Object.fromEntries(parseConninfo(libpqTarget(undefined, {}).args[1]!))).toEqual(KEEPALIVE_DEFAULTS);
  });

  it('error messages drop passwords, say which connection was lost, and keep SQLSTATE for server errors only', () => {
    expect(safeErrorMessage(new Error(`bad postgres://app:${encodeURIComponent('pw/x')}@h/db`))).not.toContain('pw');
    expect(safeErrorMessage(new Error("bad host=h password='a b c' port=1"))).toBe('bad host=h password=*** port=1');
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    Object.defineProperty(epipe, 'pgmaskRole', { value: 'target' });
    expect(safeErrorMessage(epipe)).toBe('the connection to the target server was lost (write EPIPE): the server closed it, or the network failed');
    expect(
      safeErrorMessage(
        Object.assign(new Error('duplicate key value violates unique constraint "u"'), { severity: 'ERROR', code: '23505', detail: 'Key (x)=(secret) already exists.' }),
      ),
    ).toBe('duplicate key value violates unique constraint "u" [SQLSTATE 23505]');
  });

  it('drops DETAIL, CONTEXT and HINT from tool output, with the lines a value with line breaks runs on to', () => {
    const stderr = [
      'psql:<stdin>:41: ERROR:  could not create unique index "t_x_key"',
      'DETAIL:  Key (x)=(first line',
      'CANARY second line',
      'CANARY third line) is duplicated.',
      'psql:<stdin>:42: ERROR:  another',
      'LINE 1: ALTER TABLE t ...',
      'CONTEXT:  COPY t, line 1: "CANARY"',
      'CANARY more',
      'pg_dump: error: query failed',
      '',
    ].join('\n');
    const safe = safeToolOutput(stderr);
    expect(safe).not.toContain('CANARY');
    expect(safe.split('\n')).toEqual([
      'psql:<stdin>:41: ERROR:  could not create unique index "t_x_key"',
      'psql:<stdin>:42: ERROR:  another',
      'LINE 1: ALTER TABLE t ...',
      'pg_dump: error: query failed',
    ]);
  });
});

/** Whether the shared test server refuses TLS (so that sslmode=require against it must fail). */
async function serverWithoutTls(): Promise<boolean> {
  const client = new pg.Client({ connectionString: serverUrl() });
  try {
    await client.connect();
    const { rows } = await client.query<{ ssl: string }>('SHOW ssl');
    return rows[0]?.ssl === 'off';
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}
