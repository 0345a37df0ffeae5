import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useDatabase } from '../../support/database.js';
import { needsPgDump } from '../../support/pg-dump.js';
import { shell } from '../../support/pg-tools.js';
import { writeRulesFile } from '../../support/rules-file.js';

const ROWS = 30_000;
/** Row of `events` whose payload is not JSON: the json rule fails there, long after the first rows went out. */
const BAD_ROW = 25_000;

function dump(): string {
  const rows: string[] = [];
  for (let i = 1; i <= ROWS; i++) rows.push(i === BAD_ROW ? `${i}\t{"email": ` : `${i}\t{"email": "person${i}@mail.se"}`);
  return [
    "SET client_encoding = 'UTF8';",
    'CREATE TABLE public.accounts (id integer PRIMARY KEY);',
    'CREATE TABLE public.events (id integer, payload text);',
    'COPY public.accounts (id) FROM stdin;',
    '1',
    '2',
    '\\.',
    'COPY public.events (id, payload) FROM stdin;',
    ...rows,
    '\\.',
    '',
  ].join('\n');
}

const RULES = `version: 1
tables:
  public.accounts:
    columns:
      id: keep
  public.events:
    columns:
      id: keep
      payload: { transform: json, paths: { "$.email": email } }
`;

describe('pg_dump | pgmask mask | psql: a mask that fails half-way never leaves a table loaded in part', async () => {
  const { dir, file } = writeRulesFile('pgmask-stop-mark-', RULES);
  const input = join(dir, 'dump.sql');
  writeFileSync(input, dump());
  const mask = `node bin/pgmask.js mask --rules '${file}' < '${input}'`;

  it('with the README recipe (pipefail, ON_ERROR_STOP, one transaction), nothing is loaded and the pipeline fails', async () => {
    const target = await useDatabase('pgmask_stop_mark');
    const result = await shell(`set -o pipefail; ${mask} | psql -X -q -v ON_ERROR_STOP=1 --single-transaction --dbname '${target.url}'`);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`cannot mask a value (table public.events, column payload, line ${BAD_ROW})`);
    expect(result.stderr).toContain('invalid byte sequence for encoding "UTF8": 0xff');
    expect(await target.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'")).toEqual([{ n: 0 }]);
  });

  it('even without them, the table the stream was cut in is loaded whole or not at all', async () => {
    const target = await useDatabase('pgmask_stop_mark_plain');
    const result = await shell(`${mask} | psql -X -q --dbname '${target.url}'`);
    expect(result.stderr).toContain('pgmask mask failed: this dump is incomplete');
    expect(await target.query('SELECT count(*)::int AS n FROM events')).toEqual([{ n: 0 }]);
    expect(await target.query('SELECT count(*)::int AS n FROM accounts')).toEqual([{ n: 2 }]);
  });

  it('pgmask dump that fails half-way ends its output the same way', await needsPgDump(), async () => {
    const source = await useDatabase('pgmask_stop_mark_source');
    await source.query('CREATE TABLE accounts (id integer PRIMARY KEY); CREATE TABLE events (id integer, payload text)');
    await source.query('INSERT INTO accounts VALUES (1), (2)');
    await source.query(
      `INSERT INTO events SELECT i, CASE WHEN i = ${BAD_ROW} THEN '{"email": ' ELSE format('{"email": "person%s@mail.se"}', i) END FROM generate_series(1, ${ROWS}) i`,
    );
    const target = await useDatabase('pgmask_stop_mark_dump');
    const result = await shell(`node bin/pgmask.js dump --source '${source.url}' --rules '${file}' | psql -X -q --dbname '${target.url}'`);
    expect(result.stderr).toContain('pgmask mask failed: this dump is incomplete');
    expect(await target.query('SELECT count(*)::int AS n FROM events')).toEqual([{ n: 0 }]);
  });
});
