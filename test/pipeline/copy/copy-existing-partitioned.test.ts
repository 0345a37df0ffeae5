import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { createDatabase, useDatabase } from '../../support/database.js';
import { writeRulesFile } from '../../support/rules-file.js';

const SCHEMA = `
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE ev (id int, p_id int NOT NULL REFERENCES p, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE ev1 PARTITION OF ev FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE ev2 PARTITION OF ev FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
`;

const { file: rules } = writeRulesFile(
  'pgmask-existing-partitioned-',
  `version: 1
tables:
  public.p: { columns: { id: keep } }
  public.ev: { columns: { id: keep, p_id: keep, at: keep } }
`,
);

describe('pgmask copy --schema existing with a partitioned table that has a foreign key', async () => {
  const source = await useDatabase('pgmask_existing_part_src');
  beforeAll(async () => {
    await source.query(SCHEMA);
    await source.query(`INSERT INTO p SELECT generate_series(1, 10); INSERT INTO ev SELECT g, 1 + g % 10, DATE '2025-02-01' + g * 3 FROM generate_series(1, 200) g`);
  });

  it('empties the partitioned table with the table it references, loads both, and every key holds', async () => {
    const target = await createDatabase('pgmask_existing_part_dst');
    try {
      await target.query(SCHEMA);
      await target.query(`INSERT INTO p VALUES (99); INSERT INTO ev VALUES (1, 99, '2026-05-01')`);
      const result = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', rules, '--schema', 'existing', '--yes']);
      expect(result.stderr).toContain('succeeded');
      expect(result.code).toBe(0);
      const [counts] = await target.query<{ p: number; ev: number; old: number }>(
        `SELECT (SELECT count(*)::int FROM p) AS p, (SELECT count(*)::int FROM ev) AS ev, (SELECT count(*)::int FROM p WHERE id = 99) AS old`,
      );
      expect(counts).toEqual({ p: 10, ev: 200, old: 0 });
    } finally {
      await target.drop();
    }
  });
});
