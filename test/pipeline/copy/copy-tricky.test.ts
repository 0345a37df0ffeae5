import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { createDatabase, useDatabase } from '../../support/database.js';
import { needsPgDump } from '../../support/pg-dump.js';
import { writeRulesFile } from '../../support/rules-file.js';

const { file: rulesFile } = writeRulesFile(
  'pgmask-tricky-',
  `version: 1
unlisted: keep
tables:
  public.customers:
    unlisted: keep
    columns:
      email: { transform: hash, length: 24, unique: true }
      name: person.full_name
  public."Order Items":
    columns:
      order_id: keep
      line: keep
      customer_email: { transform: hash, length: 24 }
  public.events:
    columns:
      id: keep
      at: { transform: date.shift, max_days: 20 }
      payload: keep
  public.event_refs:
    columns:
      id: keep
      event_id: keep
      event_at: { transform: date.shift, max_days: 20 }
  '"Sales"."Kund"':
    columns:
      "Namn": person.first_name
      "Ålder": keep
      "e.post": keep
  public."ünïcødé":
    columns:
      "名前": person.last_name
      "emoji 🎉": keep
  public.scratch:
    skip: true
`,
);

// Tables whose every column is kept: their COPY output must come out byte-identical.
const KEPT = ['serials', 'parent', 'child', 'ping', 'pong', 'animals', 'dogs', 'secrets', 'forced', '"a.b"."c"', 'owned_rls', 'owned_forced'];

describe('pgmask copy on a schema with partitions, inheritance, cycles, RLS and hostile names', async () => {
  const source = await useDatabase('pgmask_tricky_src');
  beforeAll(async () => {
    await source.runFile('test/catalog/tricky-schema.sql');
    await source.query(`
      INSERT INTO customers (email, name, nickname, nick2, country, mood, tags, scores, "select", "x""); drop table t;--", handle)
        SELECT 'user' || i || '@corp.se', 'Name ' || i, 'nick' || i, 'n' || i, 'SWE', 'happy', ARRAY['a', NULL, 'NULL'], ARRAY[1, 2], 'sel' || i, E'tab\\there', 'Handle' || i
        FROM generate_series(1, 50) i;
      INSERT INTO serials (after_drop) SELECT 'row ' || i FROM generate_series(1, 7) i;
      INSERT INTO "Order Items" SELECT i, 1, 'user' || i || '@corp.se' FROM generate_series(1, 20) i;
      INSERT INTO "Sales"."Kund" VALUES ('Åsa', 41, 'asa@x.se');
      INSERT INTO "a.b"."c" VALUES (1), (2);
      INSERT INTO "ünïcødé" VALUES ('山田', '🎉');
      INSERT INTO parent VALUES (1, 1, 'p'), (1, 2, 'q');
      INSERT INTO child VALUES (1, 1, 1), (2, 1, 2);
      INSERT INTO ping VALUES (1, NULL); INSERT INTO pong VALUES (1, 1); UPDATE ping SET pong_id = 1;
      INSERT INTO events VALUES (1, '2024-03-01', 'a'), (2, '2024-06-01', 'b'), (3, '2024-09-01', 'c'), (7, '2025-06-01', 'd');
      INSERT INTO event_refs VALUES (1, 1, '2024-03-01'), (2, 7, '2025-06-01');
      INSERT INTO animals VALUES (1, 'cat'); INSERT INTO dogs VALUES (2, 'rex', 'lab');
      INSERT INTO scratch VALUES ('temp');
      INSERT INTO secrets VALUES (1, 'hidden'); INSERT INTO forced VALUES (1);
      INSERT INTO owned_rls VALUES (1); INSERT INTO owned_forced VALUES (1);
      REFRESH MATERIALIZED VIEW customer_count;
      CREATE FUNCTION shout() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.after_drop := upper(NEW.after_drop); RETURN NEW; END $$;
      CREATE TRIGGER serials_shout BEFORE INSERT ON serials FOR EACH ROW EXECUTE FUNCTION shout();
      ANALYZE;`);
  });

  it('copies every table once, masks through the partition root, keeps the rest byte-identical', await needsPgDump(), async () => {
    const target = await createDatabase('pgmask_tricky_dst');
    try {
      const result = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', rulesFile, '--jobs', '3']);
      expect(result.stderr).toContain('succeeded');
      expect(result.code).toBe(0);

      for (const table of KEPT) {
        expect((await target.copyOut(table)).equals(await source.copyOut(table)), table).toBe(true);
      }
      // Inheritance: the child's rows are copied once, not again through the parent.
      expect(await target.query('SELECT count(*)::int AS n FROM animals')).toEqual([{ n: 2 }]);
      // The trigger exists on the target but did not fire on the copied rows.
      expect(await target.query('SELECT after_drop FROM serials ORDER BY id LIMIT 1')).toEqual([{ after_drop: 'row 1' }]);
      const [inserted] = await target.query<{ id: number; after_drop: string }>("INSERT INTO serials (after_drop) VALUES ('new') RETURNING id, after_drop");
      expect(inserted).toEqual({ id: 8, after_drop: 'NEW' });
      // skip: schema, no rows; unlogged stays unlogged.
      expect(await target.query("SELECT count(*)::int AS n, (SELECT relpersistence FROM pg_class WHERE relname = 'scratch') AS p FROM scratch")).toEqual([{ n: 0, p: 'u' }]);

      // Partition key masked: every row reached a partition through the root, and the
      // foreign key that references the masked key still holds (same shift for the same date).
      expect(await target.query('SELECT count(*)::int AS n FROM events')).toEqual([{ n: 4 }]);
      const [shifted] = await target.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE at NOT IN ('2024-03-01', '2024-06-01', '2024-09-01', '2025-06-01')");
      expect(shifted!.n).toBeGreaterThan(0);
      expect(await target.query('SELECT count(*)::int AS n FROM event_refs r JOIN events e ON e.id = r.event_id AND e.at = r.event_at')).toEqual([{ n: 2 }]);

      // Masked e-mail: same pseudonym in both tables; the generated column is recomputed from it.
      const customers = await target.query<{ email: string; full_label: string; name: string }>('SELECT email, full_label, name FROM customers ORDER BY id');
      expect(customers).toHaveLength(50);
      expect(customers.some((c) => c.email.includes('@corp.se'))).toBe(false);
      expect(customers.every((c) => c.full_label === `${c.name} <${c.email}>`)).toBe(true);
      expect(await target.query('SELECT count(*)::int AS n FROM "Order Items" o JOIN customers c ON c.email = o.customer_email')).toEqual([{ n: 20 }]);
      const [kund] = await target.query<{ Namn: string; Ålder: number }>('SELECT "Namn", "Ålder" FROM "Sales"."Kund"');
      expect(kund!.Namn).not.toBe('Åsa');
      expect(kund!.Ålder).toBe(41);
      expect(
        (await target.copyOut('SELECT "select", "x""); drop table t;--", tags, scores FROM customers ORDER BY id')).equals(
          await source.copyOut('SELECT "select", "x""); drop table t;--", tags, scores FROM customers ORDER BY id'),
        ),
      ).toBe(true);

      // Views are created, materialized views refreshed on the target, identity continues.
      expect(await target.query('SELECT n::int FROM customer_count')).toEqual([{ n: 50 }]);
      expect(await target.query('SELECT count(*)::int AS n FROM customer_names')).toEqual([{ n: 50 }]);
      const [next] = await target.query<{ id: string }>("INSERT INTO customers (email, nickname, nick2) VALUES ('new@example.com', 'a', 'b') RETURNING id");
      expect(Number(next!.id)).toBe(51);
    } finally {
      await target.drop();
    }
  });
});
