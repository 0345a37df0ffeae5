import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRules } from '../../../src/config/load-rules.js';
import { maskDump } from '../../../src/pipeline/dump/mask-dump.js';
import { loadKey } from '../../../src/random/key.js';
import { runCli, TEST_KEY } from '../../support/cli.js';
import { createDatabase, useDatabase } from '../../support/database.js';
import { needsPgDump } from '../../support/pg-dump.js';
import { counts, pgDump, psqlRestore } from '../../support/pg-tools.js';

const RULES = 'test/pipeline/dump/tricky-rules.yaml';
const TABLES = ['people', '"Order Items"', 'events', 'events_2024_a', 'events_2024_other', 'events_2025', 'ONLY animals', 'dogs'];
const dir = mkdtempSync(join(tmpdir(), 'pgmask-mask-tricky-'));

async function maskInProcess(chunks: readonly Buffer[]): Promise<Buffer> {
  const out: Buffer[] = [];
  const output = new PassThrough();
  output.on('data', (c: Buffer) => out.push(c));
  await maskDump({ input: Readable.from(chunks), output, rules: await loadRules(RULES), key: loadKey({ env: { PGMASK_KEY: TEST_KEY } }), version: 'test' });
  return Buffer.concat(out);
}

describe('pgmask mask on a pg_dump of a tricky schema', await needsPgDump(), async () => {
  const source = await useDatabase('pgmask_mask_tricky');
  let dump = '';
  const dumpFile = join(dir, 'tricky.sql');
  beforeAll(async () => {
    await source.runFile('test/pipeline/dump/tricky-schema.sql');
    dump = await pgDump(source.url);
    writeFileSync(dumpFile, dump);
  });

  it('holds the traps it is meant to: COPY and INSERT lines in a function body, a comment and a BEGIN ATOMIC body', () => {
    const lines = dump.split('\n');
    expect(lines.filter((l) => l === 'COPY x (a) FROM stdin;')).toHaveLength(2);
    expect(lines).toContain('COPY public.animals (id, owner_email) FROM stdin;'); // once in the comment, once for real
    expect(lines.filter((l) => l === 'COPY public.animals (id, owner_email) FROM stdin;')).toHaveLength(2);
    expect(lines.filter((l) => /^\s*INSERT INTO/.test(l)).length).toBeGreaterThanOrEqual(4);
    expect(dump).toContain('ATTACH PARTITION public.events_2024_a');
  });

  it('restores with psql into an empty database, masked, with every row and the SQL intact', async () => {
    const target = await createDatabase('pgmask_mask_tricky_t');
    try {
      const result = await runCli(['mask', '--rules', RULES, '--in', dumpFile]);
      expect(result.stderr).toContain('succeeded');
      expect(result.code).toBe(0);
      const restore = await psqlRestore(target.url, result.stdout);
      expect(restore.stderr).toBe('');
      expect(restore.code).toBe(0);

      expect(await counts((sql) => target.query(sql), TABLES)).toEqual(await counts((sql) => source.query(sql), TABLES));
      const emails = ['tolvan.tolvansson@mail.se', 'anna.karlsson@mail.se', 'bo.ek@mail.se'];
      const personnummer = ['19121212-1212', '19800101-2384', '19750505-5550', '191212121212', '198001012384', '197505055550'];
      const restored = await pgDump(target.url);
      expect([...emails, ...personnummer, '070-123 45 67', 'Tolle'].filter((v) => restored.includes(v))).toEqual([]);

      // Masked the same way wherever the same value sits; kept columns kept.
      const people = await target.query<{
        id: number;
        email: string;
        profile: { email?: string };
        mood: string | null;
        nicknames: string[] | null;
        label: string;
        select: string | null;
        Ünï: string | null;
      }>('SELECT id, email, profile, mood::text, nicknames, label, "select", "Ünï" FROM people ORDER BY id');
      expect(people.map((p) => p.mood)).toEqual(['happy', 'sad', null]);
      expect(people[0]!.profile.email).toBe(people[0]!.email);
      expect(people[0]!.nicknames).toHaveLength(2);
      expect(people[1]!.nicknames).toEqual([]);
      expect(people[2]!.select).toBe('select');
      expect(people[2]!.label).toBe('select!'); // the generated column is computed again
      const [order] = await target.query<{ buyer_email: string }>('SELECT buyer_email FROM "Order Items" WHERE "Order ID" = 1');
      expect(order!.buyer_email).toBe(people[0]!.email);
      const events = await target.query<{ email: string }>("SELECT email FROM events WHERE at = '2024-03-01'");
      expect(events[0]!.email).toBe(people[0]!.email); // the rules of public.events cover its partitions, two levels down
      const [dog] = await target.query<{ owner_email: string }>('SELECT owner_email FROM dogs');
      expect(dog!.owner_email).toBe(people[1]!.email);

      // Function bodies and the comment came through unchanged.
      const definitions = "SELECT string_agg(pg_get_functiondef(p.oid), E'\\n' ORDER BY proname) AS d FROM pg_proc p WHERE pronamespace = 'public'::regnamespace";
      expect((await target.query(definitions))[0]).toEqual((await source.query(definitions))[0]);
      const comment = "SELECT obj_description('animals'::regclass, 'pg_class') AS c";
      expect((await target.query(comment))[0]).toEqual((await source.query(comment))[0]);
    } finally {
      await target.drop();
    }
  });

  it('gives the dump back byte for byte under unlisted: keep', async () => {
    const keep = join(dir, 'keep.yaml');
    writeFileSync(keep, 'version: 1\nunlisted: keep\ntables: {}\n');
    const out = join(dir, 'kept.sql');
    const result = await runCli(['mask', '--rules', keep, '--in', dumpFile, '--out', out]);
    expect(result.code).toBe(0);
    expect(readFileSync(out).equals(readFileSync(dumpFile))).toBe(true);
  });

  it('gives the same output whatever the input is cut into', async () => {
    const data = Buffer.from(dump);
    const whole = await maskInProcess([data]);
    expect(whole.equals(data)).toBe(false);
    const bytewise = Array.from({ length: data.length }, (_, i) => data.subarray(i, i + 1));
    expect((await maskInProcess(bytewise)).equals(whole)).toBe(true);
    let seed = 11;
    const random = (n: number): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    for (let i = 0; i < 40; i++) {
      const points = [...new Set(Array.from({ length: 1 + random(40) }, () => random(data.length)))].sort((a, b) => a - b);
      const chunks = [0, ...points].map((p, k, all) => data.subarray(p, all[k + 1] ?? data.length)).filter((c) => c.length > 0);
      expect((await maskInProcess(chunks)).equals(whole), `cut at ${points.join(',')}`).toBe(true);
    }
  });

  it('does not let the rules of a parent reach an inheritance child', async () => {
    const rules = join(dir, 'no-dogs.yaml');
    writeFileSync(rules, readFileSync(RULES, 'utf8').replace(/  public\.dogs:\n(      .*\n|    .*\n)*/, ''));
    const result = await runCli(['mask', '--rules', rules, '--in', dumpFile]);
    expect(result.code).toBe(1);
    const line = dump.split('\n').indexOf('COPY public.dogs (id, owner_email, breed) FROM stdin;') + 1;
    expect(result.stderr).toContain(`pgmask: dump line ${line}: table public.dogs has no rules`);
    expect(result.stderr).toContain('the rules of public.animals do not apply to it: an inheritance child is a table of its own');
    expect(result.stdout).not.toContain('anna.karlsson@mail.se');
  });

  it('names the partitioned root when no rule covers a partition', async () => {
    const rules = join(dir, 'no-events.yaml');
    writeFileSync(rules, readFileSync(RULES, 'utf8').replace(/  public\.events:\n(      .*\n|    .*\n)*/, ''));
    const result = await runCli(['mask', '--rules', rules, '--in', dumpFile]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/table public\.events_2024_a is a partition of public\.events, and neither has rules; add public\.events under tables:/);
  });
});
