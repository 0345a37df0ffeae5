/**
 * The benchmark's source database: `customers` (N rows, 13 columns) and `orders` (2N rows,
 * foreign key to customers), generated on the server with generate_series, with primary keys,
 * a unique index on the e-mail and the foreign key. Built once per size and generator version
 * and reused: the database's comment records what was built, and is set only when the build
 * has finished, so an interrupted build is redone. `ensureBuilt` does the same for every shape
 * (bench/shapes/).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { withClient } from '../test/support/with-client.js';
import { arr, CITIES, FIRST, fold, LAST, STREETS, ZIPS } from './shapes/sample-words.js';

/** Bump when the generated data changes: older builds are then rebuilt. */
export const GENERATOR_VERSION = 1;

/** A database on the benchmark server. */
export interface BenchSource {
  readonly database: string;
  readonly url: string;
  readonly customers: number;
  /** Whether this call built it (false: an earlier build was reused). */
  readonly built: boolean;
  /** Seconds the build took (0 when reused). */
  readonly buildSeconds: number;
}

/** A connection string for another database on the same server. */
export function databaseUrl(server: string, database: string): string {
  const url = new URL(server);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** Drops (if there) and creates an empty UTF8 database. */
export async function recreateDatabase(server: string, database: string): Promise<void> {
  await withClient(server, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${database}" TEMPLATE template0 ENCODING 'UTF8'`);
  });
}

/** Drops a database if it is there. */
export async function dropDatabase(server: string, database: string): Promise<void> {
  await withClient(server, (c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
}

/** The comment of a finished customers source of `customers` rows. */
export function marker(customers: number): string {
  return `pgmask bench source v${GENERATOR_VERSION}, customers=${customers}`;
}

/** The official test personnummer (12 digits) with their birth dates; birth null where the date is impossible. */
function testPersonnummer(dir: string): { pnr: string; birth: string | null }[] {
  const lines = readFileSync(join(dir, 'testpersonnummer.txt'), 'utf8').split('\n');
  const out: { pnr: string; birth: string | null }[] = [];
  for (const line of lines) {
    const pnr = line.trim();
    if (!/^\d{12}$/.test(pnr)) continue;
    const y = Number(pnr.slice(0, 4));
    const m = Number(pnr.slice(4, 6));
    const d = Number(pnr.slice(6, 8));
    const date = new Date(Date.UTC(y, m - 1, d));
    const valid = date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
    out.push({ pnr, birth: valid ? `${pnr.slice(0, 4)}-${pnr.slice(4, 6)}-${pnr.slice(6, 8)}` : null });
  }
  return out;
}

/** The build, statement by statement. `n` customers, `2n` orders. */
function buildStatements(n: number): string[] {
  return [
    `CREATE TABLE customers (
      id            bigint GENERATED ALWAYS AS IDENTITY,
      personnummer  varchar(13) NOT NULL,
      first_name    text NOT NULL,
      last_name     text NOT NULL,
      email         text NOT NULL,
      phone         text,
      street        text,
      postal_code   varchar(6),
      city          text,
      birth_date    date,
      created_at    timestamptz NOT NULL,
      notes         text,
      metadata      jsonb NOT NULL
    )`,
    `CREATE TABLE orders (
      id           bigint GENERATED ALWAYS AS IDENTITY,
      customer_id  bigint NOT NULL,
      amount       numeric(12, 2) NOT NULL,
      status       text NOT NULL,
      address      text,
      created_at   timestamptz NOT NULL
    )`,
    // Names, e-mail and phone follow from i; the personnummer cycles through the test list
    // (the column has no unique index: the list holds about 41,500 numbers).
    `INSERT INTO customers OVERRIDING SYSTEM VALUE
     SELECT i, CASE WHEN i % 3 = 0 THEN substr(p.pnr, 1, 8) || '-' || substr(p.pnr, 9) ELSE p.pnr END,
            f.name, l.name, f.ascii || '.' || l.ascii || '.' || i || '@mail' || (i % 7) || '.se',
            ph.phone,
            s.street || ' ' || (1 + i % 80) || E'\\t' || 'lgh ' || (1001 + i % 300),
            z.zip || ' ' || lpad((10 + i % 90)::text, 2, '0'),
            z.city,
            p.birth,
            timestamptz '2020-01-01 00:00:00+00' + (i % 1500) * interval '1 day' + (i % 86400) * interval '1 second',
            CASE WHEN i % 10 = 0 THEN NULL
                 WHEN i % 2 = 0 THEN 'Ringde från ' || ph.phone || ', nås även på ' || f.ascii || '.' || l.ascii || '.' || i || '@mail' || (i % 7) || '.se.' || E'\\n' || 'Vill ha faktura per post.'
                 ELSE 'Föredrar e-post: ' || f.ascii || '.' || l.ascii || '.' || i || '@mail' || (i % 7) || '.se' || E'\\n' || 'Kund sedan ' || (2000 + i % 24) || '.' END,
            jsonb_build_object(
              'source', CASE WHEN i % 2 = 1 THEN 'web' ELSE 'store' END,
              'contact', jsonb_build_object('email', f.ascii || '.' || l.ascii || '.' || i || '@mail' || (i % 7) || '.se', 'newsletter', i % 3 = 0),
              'tags', CASE WHEN i % 3 = 0 THEN '["vip", "nordic"]'::jsonb ELSE '[]'::jsonb END,
              'score', i % 1000)
     FROM generate_series(1::bigint, ${n}) AS i
     CROSS JOIN LATERAL (SELECT (${arr(FIRST)})[1 + (i * 7) % ${FIRST.length}] AS name, (${arr(FIRST.map(fold))})[1 + (i * 7) % ${FIRST.length}] AS ascii) f
     CROSS JOIN LATERAL (SELECT (${arr(LAST)})[1 + (i / 3) % ${LAST.length}] AS name, (${arr(LAST.map(fold))})[1 + (i / 3) % ${LAST.length}] AS ascii) l
     CROSS JOIN LATERAL (SELECT '070-' || lpad(((i * 7919) % 1000)::text, 3, '0') || ' ' || lpad((i % 100)::text, 2, '0') || ' ' || lpad(((i / 100) % 100)::text, 2, '0') AS phone) ph
     CROSS JOIN LATERAL (SELECT (${arr(STREETS)})[1 + (i * 13) % ${STREETS.length}] AS street) s
     CROSS JOIN LATERAL (SELECT (${arr(ZIPS)})[1 + (i * 11) % ${ZIPS.length}] AS zip, (${arr(CITIES)})[1 + (i * 11) % ${CITIES.length}] AS city) z
     JOIN bench_pnr p ON p.n = (i - 1) % (SELECT count(*) FROM bench_pnr)`,
    `INSERT INTO orders OVERRIDING SYSTEM VALUE
     SELECT j, 1 + (j * 7) % ${n}, ((j * 7919) % 500000) / 100.0, (${arr(['new', 'paid', 'shipped', 'returned'])})[1 + j % 4],
            (${arr(STREETS)})[1 + j % ${STREETS.length}] || ' ' || (j % 60) || ', ' || (${arr(CITIES)})[1 + j % ${CITIES.length}],
            timestamptz '2021-01-01 00:00:00+00' + (j % 1200) * interval '1 day' + (j % 86400) * interval '1 second'
     FROM generate_series(1::bigint, ${2 * n}) AS j`,
    `SELECT setval(pg_get_serial_sequence('customers', 'id'), ${n}), setval(pg_get_serial_sequence('orders', 'id'), ${2 * n})`,
    'ALTER TABLE customers ADD PRIMARY KEY (id)',
    'CREATE UNIQUE INDEX customers_email_key ON customers (email)',
    'ALTER TABLE orders ADD PRIMARY KEY (id)',
    'ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id)',
    'CREATE INDEX orders_customer_id_idx ON orders (customer_id)',
    'DROP TABLE bench_pnr',
  ];
}

/** What {@link ensureBuilt} returns: where the database is, and whether this call built it. */
export interface BuiltDatabase {
  readonly database: string;
  readonly url: string;
  readonly built: boolean;
  readonly buildSeconds: number;
}

/**
 * Returns `database`, building it with `build` when it is missing or its comment is not `marker`
 * (another generator version or size). The comment is set only when the build has finished, so
 * an interrupted build is redone.
 */
export async function ensureBuilt(
  server: string,
  database: string,
  marker: string,
  build: (client: pg.Client) => Promise<void>,
  log: (line: string) => void,
  what: string,
): Promise<BuiltDatabase> {
  const url = databaseUrl(server, database);
  const have = await withClient(server, async (c) => {
    const r = await c.query<{ comment: string | null }>('SELECT shobj_description(oid, $2) AS comment FROM pg_database WHERE datname = $1', [database, 'pg_database']);
    return r.rows[0]?.comment ?? undefined;
  });
  if (have === marker) return { database, url, built: false, buildSeconds: 0 };
  log(`building ${database} (${what})…`);
  const started = performance.now();
  await recreateDatabase(server, database);
  await withClient(url, async (c) => {
    await c.query("SET synchronous_commit = off; SET maintenance_work_mem = '256MB'");
    await build(c);
  });
  await withClient(server, (c) => c.query(`COMMENT ON DATABASE "${database}" IS '${marker.replace(/'/g, "''")}'`));
  const buildSeconds = (performance.now() - started) / 1000;
  log(`built ${database} in ${buildSeconds.toFixed(1)} s`);
  return { database, url, built: true, buildSeconds };
}

/** Loads the official test personnummer into an unlogged table `bench_pnr (n, pnr, birth)`, n from 0. */
export async function loadTestPersonnummer(c: pg.Client, testdataDir: string): Promise<void> {
  await c.query('CREATE UNLOGGED TABLE bench_pnr (n integer PRIMARY KEY, pnr text NOT NULL, birth date)');
  const rows = testPersonnummer(testdataDir).map((x, i) => `${i}\t${x.pnr}\t${x.birth ?? '\\N'}\n`);
  await pipeline(Readable.from(rows), c.query(copyFrom('COPY bench_pnr FROM STDIN')));
}

/** Builds the customers source (`customers` customers, twice as many orders) in the empty database `c` is connected to. */
export async function buildCustomers(c: pg.Client, customers: number, testdataDir: string): Promise<void> {
  await loadTestPersonnummer(c, testdataDir);
  for (const sql of buildStatements(customers)) await c.query(sql);
  await c.query('VACUUM (FREEZE, ANALYZE) customers');
  await c.query('VACUUM (FREEZE, ANALYZE) orders');
}

/**
 * Returns the source database for `customers` rows, building it when it is missing or was built
 * by another generator version. `server` is the maintenance connection (databases are created there).
 */
export async function ensureSource(server: string, customers: number, testdataDir: string, log: (line: string) => void): Promise<BenchSource> {
  const built = await ensureBuilt(
    server,
    `pgmask_bench_src_${customers}`,
    marker(customers),
    (c) => buildCustomers(c, customers, testdataDir),
    log,
    `${customers.toLocaleString('en')} customers, ${(2 * customers).toLocaleString('en')} orders`,
  );
  return { ...built, customers };
}
