import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRules } from '../../../src/config/load-rules.js';
import type { MaskThreads } from '../../../src/masking/lanes/thread-policy.js';
import { copyDatabase } from '../../../src/pipeline/copy/copy-database.js';
import { maskDump } from '../../../src/pipeline/dump/mask-dump.js';
import { maskingKeyFromBytes } from '../../../src/random/key.js';
import { createDatabase, useDatabase } from '../../support/database.js';
import { needsPgDump } from '../../support/pg-dump.js';
import { pgDump } from '../../support/pg-tools.js';

const dir = mkdtempSync(join(tmpdir(), 'pgmask-threads-'));
const rulesFile = join(dir, 'rules.yaml');
writeFileSync(
  rulesFile,
  `version: 1
unlisted: keep
tables:
  public.people:
    columns:
      id: keep
      kept: keep
      pnr: { transform: se.personnummer, unique: true }
      first_name: { transform: person.first_name, sex_from: pnr }
      email: { transform: email, unique: true }
      street: address.street
      note: { transform: text.scrub, row: [street] }
      meta: { transform: json, paths: { "$.contact.email": email, "$.contact.name": { transform: template, template: "{first_name}" } } }
`,
);
// The note reads the street only: row-aware on every column, it would read pnr and email, whose
// unique: true keeps them on the stream's thread, and take the note there too (nothing would be left to move).
const key = maskingKeyFromBytes(Buffer.alloc(32, 5), 'threads-test');
const env = { ...process.env };
const ROWS = 150_000;

describe('masking on two threads, end to end', await needsPgDump(), async () => {
  const source = await useDatabase('pgmask_threads_src');
  let dumpFile = '';
  beforeAll(async () => {
    await source.query(`CREATE TABLE people (id int PRIMARY KEY, pnr text, first_name text, email text UNIQUE, street text, note text, meta jsonb, kept text)`);
    await source.query(`
      INSERT INTO people
      SELECT i,
             CASE WHEN i % 17 = 0 THEN NULL ELSE '19' || lpad((40 + i % 60)::text, 2, '0') || '0' || (1 + i % 9) || '1' || (i % 10) || '-' || (1000 + (i * 37) % 9000) END,
             'Förnamn ' || (i % 97),
             'person' || i || '@exempel.se',
             'Gatan ' || i || E'\\tlgh ' || (i % 5),
             CASE WHEN i % 5 = 0 THEN NULL ELSE 'ring 070-' || (1000000 + i) || E' eller p' || i || E'@firma.se\\nmvh åäö' END,
             jsonb_build_object('contact', jsonb_build_object('email', 'p' || (i % 300) || '@firma.se', 'name', 'Förnamn ' || (i % 97)), 'n', i),
             E'kept \\\\ ' || i
      FROM generate_series(1, ${ROWS}) AS i`);
    dumpFile = join(dir, 'source.sql');
    writeFileSync(dumpFile, await pgDump(source.url));
  });

  async function maskFile(maskThread: MaskThreads): Promise<{ output: Buffer; threads: number | undefined }> {
    const chunks: Buffer[] = [];
    const output = new PassThrough();
    output.on('data', (c: Buffer) => chunks.push(c));
    const report = await maskDump({ input: createReadStream(dumpFile), output, rules: await loadRules(rulesFile), key, env, version: 'test', maskThread, laneMinBytes: 0 });
    return { output: Buffer.concat(chunks), threads: report.tables.find((t) => t.table === 'public.people')?.threads };
  }

  it('pgmask mask writes the same dump, byte for byte, on one thread and on two', async () => {
    const one = await maskFile('off');
    const two = await maskFile('on');
    expect(one.threads).toBeUndefined();
    expect(two.threads).toBe(2);
    expect(two.output.equals(one.output)).toBe(true);
    expect(one.output.includes('person77@exempel.se')).toBe(false);
    // The json path's template reads first_name, which stays on the stream's thread with pnr: so does meta.
    expect(two.output.includes('fornamn')).toBe(false);
  });

  it('pgmask copy loads the same rows, byte for byte, on one thread and on two', async () => {
    const one = await createDatabase('pgmask_threads_one');
    const two = await createDatabase('pgmask_threads_two');
    try {
      const rules = await loadRules(rulesFile);
      const off = await copyDatabase({ source: source.url, target: one.url, rules, key, env, version: 'test', maskThread: 'off', laneMinBytes: 0 });
      const on = await copyDatabase({ source: source.url, target: two.url, rules, key, env, version: 'test', maskThread: 'on', laneMinBytes: 0 });
      expect(off.tables[0]).toMatchObject({ table: 'public.people', rows: ROWS });
      expect(off.tables[0]!.threads).toBeUndefined();
      expect(on.tables[0]).toMatchObject({ table: 'public.people', rows: ROWS, threads: 2 });
      const q = 'SELECT * FROM people ORDER BY id';
      const masked = await two.copyOut(q);
      expect(masked.equals(await one.copyOut(q))).toBe(true);
      expect(masked.includes('person77@exempel.se')).toBe(false);
    } finally {
      await one.drop();
      await two.drop();
    }
  });
});
