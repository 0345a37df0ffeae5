import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { createDatabase, useDatabase } from '../../support/database.js';
import { needsPgDump } from '../../support/pg-dump.js';
import { writeRulesFile } from '../../support/rules-file.js';

// Both columns draw on one uniqueness state (same transformer, options and scope); five hex
// characters leave about a million outputs for 60,000 values, so hundreds of them collide.
const { file: rulesFile } = writeRulesFile(
  'pgmask-ordered-',
  `version: 1
unlisted: keep
tables:
  public.left_side:
    columns:
      id: keep
      code: { transform: hash, length: 5, unique: true }
      filler: keep
  public.right_side:
    columns:
      id: keep
      code: { transform: hash, length: 5, unique: true }
      filler: keep
`,
);

describe('pgmask copy of tables that share a uniqueness state', async () => {
  const source = await useDatabase('pgmask_ordered_src');
  beforeAll(async () => {
    await source.query(`
      CREATE TABLE left_side (id int PRIMARY KEY, code text, filler text);
      CREATE TABLE right_side (id int PRIMARY KEY, code text, filler text);
      INSERT INTO left_side SELECT i, 'left-' || i, repeat('x', 40) FROM generate_series(1, 30000) AS i;
      INSERT INTO right_side SELECT i, 'right-' || i, repeat('y', 40) FROM generate_series(1, 30000) AS i;
      ANALYZE;`);
  });

  it('copies them one after another, so that every value gets the same pseudonym in every run', await needsPgDump(), async () => {
    const copies: string[] = [];
    for (let run = 0; run < 3; run++) {
      const target = await createDatabase('pgmask_ordered_dst');
      try {
        const result = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', rulesFile, '--jobs', '2']);
        expect(result.stderr).toContain('succeeded');
        // One table after the other, though two jobs could copy both at once.
        const events = result.stderr
          .split('\n')
          .filter((line) => /_side: (started|copied)/.test(line))
          .map((line) => line.replace(/^pgmask: public\.(\w+): (\w+).*$/, '$1 $2'));
        expect(events).toEqual(['right_side started', 'right_side copied', 'left_side started', 'left_side copied']);
        const both = await target.copyOut('SELECT l.code, r.code FROM left_side l JOIN right_side r USING (id) ORDER BY id');
        copies.push(both.toString());
      } finally {
        await target.drop();
      }
    }
    expect(new Set(copies.map((c) => c.split('\n').length))).toEqual(new Set([30001]));
    expect(copies[1]).toBe(copies[0]);
    expect(copies[2]).toBe(copies[0]);
  });
});
