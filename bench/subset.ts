/**
 * Subset closure cost: a 1 % subset (10,000 customers, their orders and the orders' lines) of a
 * source of 1,000,000 customers, 1,000,000 orders and 1,000,000 order lines (and 50
 * countries, pulled in as parents), selected inside the server. Prints the closure's time, rounds and statements,
 * and per table the selected rows and the bytes the selection's temporary table holds per row;
 * then `pgmask copy` of that subset beside `pg_dump | psql` of the whole source, in turn.
 * Run with `npm run bench:subset` (options: --customers N, --percent P, --runs N, --large-from N
 * (selectSubset's `largeFrom`), --keep to keep
 * the database). PGMASK_BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres)
 * names the maintenance database; a database pgmask_bench_subset is created (reused with --keep).
 */

import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { readCatalog } from '../src/catalog/read-catalog.js';
import { Session } from '../src/db/connection.js';
import { referenceGraph } from '../src/subset/reference-graph.js';
import { selectSubset } from '../src/subset/select-subset.js';
import { subsetReadSql } from '../src/subset/subset-read-sql.js';
import { withClient } from '../test/support/with-client.js';
import { runPipeline } from './bench-run.js';

const { values: args } = parseArgs({
  options: {
    customers: { type: 'string', default: '1000000' },
    percent: { type: 'string', default: '1' },
    runs: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
    'large-from': { type: 'string' },
  },
});
const customers = Number(args.customers);
const server = process.env['PGMASK_BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = 'pgmask_bench_subset';
const url = new URL(server);
url.pathname = `/${name}`;

async function build(): Promise<void> {
  const exists = await withClient(server, async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);
  if (exists && args.keep) {
    const ready = await withClient(url.toString(), async (c) => {
      if ((await c.query(`SELECT to_regclass('meta.bench_ready') IS NOT NULL AS ok`)).rows[0]?.ok !== true) return false;
      return (await c.query('SELECT n FROM meta.bench_ready')).rows[0]?.n === customers;
    });
    if (ready) return;
  }
  await withClient(server, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  const started = performance.now();
  await withClient(url.toString(), async (c) => {
    await c.query(`
      CREATE TABLE countries (code text PRIMARY KEY, name text NOT NULL);
      INSERT INTO countries SELECT 'C' || g, 'country ' || g FROM generate_series(1, 50) g;
      CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, email text NOT NULL, country text NOT NULL REFERENCES countries (code));
      INSERT INTO customers SELECT g, 'customer ' || g, 'c' || g || '@example.com', 'C' || (g % 50 + 1) FROM generate_series(1, ${customers}) g;
      CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers (id), placed date NOT NULL, total numeric(10, 2) NOT NULL);
      INSERT INTO orders SELECT g, (g::int8 * 7919) % ${customers} + 1, DATE '2020-01-01' + g % 1500, g % 1000 FROM generate_series(1, ${customers}) g;
      CREATE INDEX ON orders (customer_id);
      CREATE TABLE order_lines (order_id int NOT NULL REFERENCES orders (id), line int NOT NULL, product text NOT NULL, PRIMARY KEY (order_id, line));
      INSERT INTO order_lines SELECT (g::int8 * 104729) % ${customers} + 1, g, 'product ' || g % 977 FROM generate_series(1, ${customers}) g;
    `);
    await c.query('VACUUM ANALYZE');
    await c.query(`CREATE SCHEMA meta; CREATE TABLE meta.bench_ready AS SELECT ${customers} AS n`);
  });
  console.log(`built ${name}: ${customers} customers, orders and order lines in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function main(): Promise<void> {
  await build();
  const spec = { roots: [{ table: 'public.customers', percent: Number(args.percent) }], children: 'all' as const };
  for (let run = 1; run <= Number(args.runs); run++) {
    const session = await Session.connect(url.toString(), 'source');
    try {
      await session.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      const catalog = await readCatalog(session, { schemas: ['public'] });
      const graph = referenceGraph(catalog, spec);
      const started = performance.now();
      const statements: string[] = [];
      const selection = await selectSubset(session, graph, {
        ...(args['large-from'] ? { largeFrom: Number(args['large-from']) } : {}),
        onStatement: (s) =>
          statements.push(
            `    ${s.kind.padEnd(8)} ${(s.edge ? `${s.edge.child} ${s.edge.name}` : '').padEnd(40)} → ${s.node.padEnd(18)} ${String(s.rows).padStart(8)} rows ${s.milliseconds.toFixed(0).padStart(6)} ms${s.large ? ' (large)' : ''}`,
          ),
      });
      const seconds = (performance.now() - started) / 1000;
      console.log(`run ${run}: closure ${seconds.toFixed(2)} s, ${selection.rounds} rounds, ${selection.statements} statements`);
      console.log(statements.join('\n'));
      let held = 0;
      let bytes = 0;
      for (const node of selection.nodes.values()) {
        held += node.selectedRows;
        bytes += node.selectionBytes;
        const perRow = node.selectedRows ? (node.selectionBytes / node.selectedRows).toFixed(1) : '-';
        console.log(
          `  ${node.table.padEnd(20)} ${String(node.selectedRows).padStart(9)} of ${String(node.totalRows).padStart(9)} (${node.totalRowsExact ? 'count' : 'estimate'}), selection ${node.selectionBytes} bytes, ${perRow} bytes/row`,
        );
      }
      console.log(`  total ${held} rows held in ${bytes} bytes: ${(bytes / held).toFixed(1)} bytes/row`);
      if (run === 1) {
        const read = performance.now();
        let rows = 0;
        for (const node of graph.nodes.values()) {
          const sql = subsetReadSql(
            selection,
            node.key,
            node.table.columns.map((c) => c.name),
          );
          const [row] = await session.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) q`);
          rows += row?.n ?? 0;
        }
        console.log(`  reading the ${rows} selected rows back (subsetReadSql, counted): ${((performance.now() - read) / 1000).toFixed(2)} s`);
        const plan = await session.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${subsetReadSql(selection, 'public.orders', ['id', 'customer_id'])}`);
        console.log(plan.map((r) => `    ${r['QUERY PLAN']}`).join('\n'));
      }
    } finally {
      await session.query('ROLLBACK').catch(() => {});
      await session.end();
    }
  }
  await copies();
  if (!args.keep) await withClient(server, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/**
 * `pgmask copy` of the subset (the e-mail addresses masked) beside `pg_dump | psql` of the whole
 * source, runs taken in turn: the subset's copy should cost what the subset holds, not the source.
 */
async function copies(): Promise<void> {
  const root = resolve(import.meta.dirname, '..');
  const rules = join(tmpdir(), `pgmask-bench-subset-${process.pid}.yaml`);
  writeFileSync(
    rules,
    `version: 1
tables:
  public.countries: { columns: { code: keep, name: keep } }
  public.customers: { columns: { id: keep, name: person.full_name, email: email, country: keep } }
  public.orders: { columns: { id: keep, customer_id: keep, placed: keep, total: keep } }
  public.order_lines: { columns: { order_id: keep, line: keep, product: keep } }
  meta.bench_ready: { columns: { n: keep } }
subset:
  roots: [{ table: public.customers, percent: ${Number(args.percent)} }]
  children: all
`,
  );
  const target = new URL(server);
  target.pathname = '/pgmask_bench_subset_dst';
  const env = { ...process.env, PGMASK_KEY: randomBytes(32).toString('hex') };
  const times: Record<string, number[]> = { 'pgmask copy (subset)': [], 'pg_dump | psql (whole)': [] };
  for (let run = 0; run < Number(args.runs); run++) {
    for (const scenario of Object.keys(times)) {
      await withClient(server, async (c) => {
        await c.query('DROP DATABASE IF EXISTS pgmask_bench_subset_dst WITH (FORCE)');
        await c.query('CREATE DATABASE pgmask_bench_subset_dst');
      });
      const stages =
        scenario === 'pgmask copy (subset)'
          ? [
              {
                command: process.execPath,
                args: [join(root, 'bin', 'pgmask.js'), 'copy', '--source', url.toString(), '--target', target.toString(), '--rules', rules, '--yes'],
                measure: true,
              },
            ]
          : [
              { command: 'pg_dump', args: ['--no-owner', '--no-privileges', '--dbname', url.toString()] },
              { command: 'psql', args: ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '--dbname', target.toString()] },
            ];
      times[scenario]!.push((await runPipeline(stages, env, root)).seconds);
    }
  }
  await withClient(server, (c) => c.query('DROP DATABASE IF EXISTS pgmask_bench_subset_dst WITH (FORCE)'));
  rmSync(rules, { force: true });
  for (const [scenario, t] of Object.entries(times)) console.log(`${scenario.padEnd(24)} ${t.map((s) => s.toFixed(2)).join(' s, ')} s`);
}

await main();
