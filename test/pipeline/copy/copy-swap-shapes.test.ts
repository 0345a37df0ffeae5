import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { createDatabase, serverUrl, type TestDatabase, useDatabase } from '../../support/database.js';
import { needsPgDump } from '../../support/pg-dump.js';
import { writeRulesFile } from '../../support/rules-file.js';
import { withClient } from '../../support/with-client.js';

/** A role of the server, named for this file: column grants and a grant WITH GRANT OPTION go to it. */
const READER = 'pgmask_swap_shapes_reader';
/** A role the reader passes its grant on to: a grant whose grantor is not the owner. */
const SECOND = 'pgmask_swap_shapes_second';
/** A role that may log in, owns the tables of a target and is not a member of READER. */
const OWNER = 'pgmask_swap_shapes_owner';

/**
 * Messy shapes both sides have: quoted, mixed-case and dotted names, three tables named "Order"
 * in three schemas, enum, domain, array, jsonb, generated and identity ALWAYS columns, a sequence
 * two tables' defaults share, deferrable unique and foreign keys, a self-reference, keys in a
 * cycle, exclusion constraints, a two-level partition tree with default partitions and a key on
 * its root, an unlogged table, a dropped column, a column with a collation.
 */
const TABLES = `
CREATE SCHEMA "Sales Dept";
CREATE SCHEMA other;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN posint AS int CHECK (VALUE > 0);
CREATE SEQUENCE shared_seq;
CREATE TABLE "Order" ("Id" int PRIMARY KEY, "Customer Name" text, "a.b" text, m mood, p posint, tags text[], doc jsonb,
  total numeric, twice numeric GENERATED ALWAYS AS (total * 2) STORED);
CREATE TABLE "Sales Dept"."Order" (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "Note.Text" text);
CREATE TABLE other."Order" (id bigint DEFAULT nextval('shared_seq') PRIMARY KEY, label text);
CREATE TABLE public.shared_b (id bigint DEFAULT nextval('shared_seq') PRIMARY KEY, label text);
CREATE TABLE person (id int PRIMARY KEY, boss int REFERENCES person, email text,
  CONSTRAINT "person email uniq" UNIQUE (email) DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE cyc_a (id int PRIMARY KEY, b_id int);
CREATE TABLE cyc_b (id int PRIMARY KEY, a_id int REFERENCES cyc_a DEFERRABLE INITIALLY DEFERRED);
ALTER TABLE cyc_a ADD CONSTRAINT cyc_a_b FOREIGN KEY (b_id) REFERENCES cyc_b DEFERRABLE;
CREATE TABLE booking (id int PRIMARY KEY, room int, during int4range, EXCLUDE USING gist (during WITH &&) WHERE (room IS NOT NULL), EXCLUDE USING btree (id WITH =));
CREATE TABLE meas (id int, at date NOT NULL, region text NOT NULL, v numeric, PRIMARY KEY (id, at, region)) PARTITION BY RANGE (at);
CREATE TABLE meas_2025 PARTITION OF meas FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') PARTITION BY LIST (region);
CREATE TABLE meas_2025_eu PARTITION OF meas_2025 FOR VALUES IN ('eu');
CREATE TABLE meas_2025_rest PARTITION OF meas_2025 DEFAULT;
CREATE TABLE meas_other PARTITION OF meas DEFAULT;
CREATE UNLOGGED TABLE scratch (id int, note text);
CREATE TABLE empty_one (id int PRIMARY KEY, x text);
CREATE TABLE guarded (id int PRIMARY KEY, person_id int, qty int);
CREATE TABLE "Sales Dept"."odd.name" (id serial PRIMARY KEY, order_id int REFERENCES "Sales Dept"."Order" ON DELETE SET NULL, gone int, kept text COLLATE "C");
ALTER TABLE "Sales Dept"."odd.name" DROP COLUMN gone;
CREATE TABLE notes (id int PRIMARY KEY, sales_id int REFERENCES "Sales Dept"."odd.name", meas_id int, meas_at date, meas_region text,
  FOREIGN KEY (meas_id, meas_at, meas_region) REFERENCES meas);
CREATE TABLE meas_ref (id int, at date, region text, FOREIGN KEY (id, at, region) REFERENCES meas) PARTITION BY LIST (region);
CREATE TABLE meas_ref_all PARTITION OF meas_ref DEFAULT;
CREATE TYPE pair AS (a int, b text);
CREATE TABLE typed OF pair (PRIMARY KEY (a));
CREATE TABLE pt (id int, at date, note text) PARTITION BY RANGE (at);
CREATE TABLE pt_a PARTITION OF pt FOR VALUES FROM ('2020-01-01') TO ('2030-01-01');
`;

/** What only the target has, which the swap must carry over as it is. */
const TARGET_ONLY = `
CREATE INDEX "Order idx.Name" ON "Order" ("Customer Name") WHERE "a.b" IS NOT NULL;
CREATE UNIQUE INDEX order_partial_uniq ON "Order" (m) WHERE m = 'happy';
CREATE INDEX order_tags ON "Order" USING gin (tags);
CREATE INDEX order_doc ON "Order" USING gin (doc jsonb_path_ops);
COMMENT ON TABLE "Order" IS 'it''s the "Order" table; O''Brien';
COMMENT ON COLUMN "Order"."a.b" IS 'dots';
INSERT INTO guarded VALUES (77, 999, -1);
ALTER TABLE guarded ADD CONSTRAINT qty_pos CHECK (qty > 0) NOT VALID;
ALTER TABLE guarded ADD CONSTRAINT guarded_person FOREIGN KEY (person_id) REFERENCES person NOT VALID;
CREATE INDEX meas_v ON meas (v);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER "Order when" BEFORE UPDATE ON "Order" FOR EACH ROW WHEN (OLD.total IS DISTINCT FROM NEW.total) EXECUTE FUNCTION touch();
CREATE CONSTRAINT TRIGGER person_ct AFTER INSERT OR UPDATE ON person DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION touch();
CREATE VIEW person_v AS SELECT id, email FROM person WHERE id > 0 WITH CASCADED CHECK OPTION;
CREATE VIEW person_iv AS SELECT id, email FROM person;
CREATE FUNCTION person_iv_ins() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO person (id, email) VALUES (NEW.id, NEW.email); RETURN NEW; END $$;
CREATE TRIGGER person_iv_ins INSTEAD OF INSERT ON person_iv FOR EACH ROW EXECUTE FUNCTION person_iv_ins();
CREATE VIEW two AS SELECT a.id, b.id AS b FROM cyc_a a JOIN cyc_b b ON b.a_id = a.id;
GRANT SELECT ("Customer Name"), UPDATE ("a.b") ON "Order" TO ${READER};
GRANT SELECT ON person TO ${READER} WITH GRANT OPTION;
ALTER TABLE empty_one ADD COLUMN only_target text DEFAULT 'dflt';
ALTER TABLE other."Order" ADD COLUMN only_target int;
COMMENT ON CONSTRAINT qty_pos ON guarded IS 'not yet';
ALTER TABLE meas_other ALTER COLUMN v SET DEFAULT 0;
CREATE INDEX meas_eu_only ON meas_2025_eu (v) WHERE v > 5;
ALTER TABLE meas_2025_rest ADD CONSTRAINT rest_not_eu CHECK (region <> 'eu');
CREATE INDEX "odd idx" ON "Sales Dept"."odd.name" (kept text_pattern_ops) INCLUDE (order_id);
ALTER TABLE person ALTER COLUMN email SET (n_distinct = 100);
ALTER TABLE scratch SET (toast.autovacuum_enabled = false);
ALTER TABLE booking ADD CONSTRAINT only_here CHECK (id > 0) NO INHERIT;
ALTER TABLE meas_2025_eu ALTER COLUMN v SET STORAGE EXTERNAL;
ALTER TABLE meas_2025 ALTER COLUMN v SET STORAGE MAIN;
CREATE INDEX person_lower ON person (lower(email));
ALTER INDEX person_lower ALTER COLUMN 1 SET STATISTICS 300;
CREATE INDEX meas_vv ON meas ((v + 1));
ALTER INDEX meas_vv ALTER COLUMN 1 SET STATISTICS 50;
CREATE VIEW "Sales Dept"."v.nested" WITH (check_option = local) AS SELECT id, email FROM person_v WHERE id < 1000;
CREATE VIEW empty_v AS SELECT id, only_target FROM empty_one;
ALTER TABLE meas_2025_eu ENABLE ROW LEVEL SECURITY;
CREATE POLICY "eu only" ON meas_2025_eu USING (region = 'eu');
CREATE TRIGGER part_local AFTER INSERT ON meas_2025_rest FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER root_trg AFTER INSERT ON meas FOR EACH ROW EXECUTE FUNCTION touch();
CREATE FUNCTION stmt() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER "Order trans" AFTER INSERT ON "Order" REFERENCING NEW TABLE AS "new rows" FOR EACH STATEMENT EXECUTE FUNCTION stmt();
ALTER TABLE shared_b ALTER COLUMN id SET DEFAULT nextval('"Sales Dept"."odd.name_id_seq"');
CREATE INDEX meas_eu_named ON meas_2025_eu (at);
CREATE INDEX meas_at ON meas (at);
ALTER TABLE "Order" REPLICA IDENTITY FULL;
ALTER TABLE person CLUSTER ON person_pkey;
COMMENT ON SEQUENCE "Sales Dept"."Order_id_seq" IS 'identity seq';
GRANT USAGE ON SEQUENCE "Sales Dept"."Order_id_seq" TO ${READER};
COMMENT ON INDEX person_pkey IS 'pk index';
COMMENT ON CONSTRAINT "person email uniq" ON person IS 'uniq';
GRANT SELECT ON SEQUENCE shared_seq TO ${READER};
GRANT SELECT (id) ON person TO ${READER} WITH GRANT OPTION;
SET ROLE ${READER};
GRANT SELECT ON person TO ${SECOND};
GRANT SELECT (id) ON person TO ${SECOND};
RESET ROLE;
CREATE CONSTRAINT TRIGGER cyc_a_from AFTER INSERT ON cyc_a FROM cyc_b FOR EACH ROW EXECUTE FUNCTION touch();
CREATE CONSTRAINT TRIGGER cyc_b_self AFTER INSERT ON cyc_b FROM cyc_b FOR EACH ROW EXECUTE FUNCTION touch();
`;

const ROWS = `
INSERT INTO "Order" ("Id", "Customer Name", "a.b", m, p, tags, doc, total) SELECT g, 'n' || g, 'x', (ARRAY['sad','ok','happy']::mood[])[1 + g % 2], g, ARRAY['t' || g], jsonb_build_object('k', g), g FROM generate_series(1, 50) g;
INSERT INTO "Sales Dept"."Order" ("Note.Text") SELECT 'n' || g FROM generate_series(1, 7) g;
INSERT INTO other."Order" (label) SELECT 'o' FROM generate_series(1, 5);
INSERT INTO shared_b (label) SELECT 'b' FROM generate_series(1, 5);
INSERT INTO person SELECT g, CASE WHEN g > 1 THEN 1 END, 'p' || g || '@x' FROM generate_series(1, 20) g;
BEGIN; SET CONSTRAINTS ALL DEFERRED; INSERT INTO cyc_a SELECT g, g FROM generate_series(1, 10) g; INSERT INTO cyc_b SELECT g, g FROM generate_series(1, 10) g; COMMIT;
INSERT INTO booking SELECT g, g % 3, int4range(g * 10, g * 10 + 5) FROM generate_series(1, 12) g;
INSERT INTO meas SELECT g, DATE '2025-01-01' + g, (ARRAY['eu','us'])[1 + g % 2], g FROM generate_series(1, 30) g;
INSERT INTO meas SELECT g, DATE '2027-01-01' + g, 'eu', g FROM generate_series(1, 4) g;
INSERT INTO scratch SELECT g, 's' FROM generate_series(1, 9) g;
INSERT INTO typed SELECT g, 'x' FROM generate_series(1, 3) g;
INSERT INTO pt SELECT g, '2021-01-01', 'n' FROM generate_series(1, 3) g;
INSERT INTO guarded SELECT g, 1 + g % 20, g FROM generate_series(1, 6) g;
INSERT INTO "Sales Dept"."odd.name" (order_id, kept) SELECT g, 'k' FROM generate_series(1, 7) g;
`;

/** Rows the target held before: none of them is left after the swap. */
const OLD_ROWS = `
INSERT INTO "Order" ("Id", "Customer Name", m, total) VALUES (1000, 'old', 'ok', 1);
INSERT INTO person VALUES (500, NULL, 'old@x');
INSERT INTO meas VALUES (999, '2025-05-05', 'eu', 1);
INSERT INTO empty_one VALUES (1, 'old');
INSERT INTO scratch VALUES (1, 'old');
`;

const { dir, file: rules } = writeRulesFile(
  'pgmask-swap-shapes-',
  `version: 1
unlisted: keep
tables:
  public.person: { unlisted: keep, columns: { email: email } }
  public.notes: { skip: true }
  public.meas_ref: { skip: true }
  public.meas_ref_all: { skip: true }
`,
);

/** The same with a subset: a part of "Order" and of guarded, the tables they reference, some tables whole. */
const subsetRules = join(dir, 'subset.yaml');
writeFileSync(
  subsetRules,
  `version: 1
unlisted: keep
tables:
  public.person: { unlisted: keep, columns: { email: email } }
  public.notes: { skip: true }
  public.meas_ref: { skip: true }
  public.meas_ref_all: { skip: true }
subset:
  roots:
    - { table: public.guarded, where: "id <= 3" }
    - { table: public."Order", limit: 10 }
  whole: [public.cyc_a, public.cyc_b, public.booking, public.meas, public.scratch, other."Order", public.shared_b]
`,
);

/** The target's schema as pg_dump prints it, without the random \\restrict line of pg_dump 15.14 and later. */
function schemaOf(db: TestDatabase): string {
  return execFileSync('pg_dump', ['--schema-only', '--dbname', db.url], { encoding: 'utf8' }).replace(/^\\(un)?restrict .*$/gm, '');
}

/** Counts and sums that tell the source's rows from the target's old ones. */
async function rowsOf(db: TestDatabase): Promise<Record<string, unknown>> {
  const [row] = await db.query<Record<string, unknown>>(
    `SELECT (SELECT count(*)::int FROM "Order") AS "order", (SELECT sum(twice)::int FROM "Order") AS twice,
            (SELECT count(*)::int FROM "Order" WHERE m = 'ok' AND tags = ARRAY['t' || "Id"] AND doc ->> 'k' = "Id"::text) AS typed,
            (SELECT count(*)::int FROM "Sales Dept"."Order") AS sales, (SELECT count(*)::int FROM "Sales Dept"."odd.name") AS odd,
            (SELECT count(*)::int FROM other."Order" WHERE only_target IS NULL) AS other, (SELECT count(*)::int FROM shared_b) AS shared_b,
            (SELECT count(*)::int FROM person) AS person, (SELECT count(*)::int FROM person WHERE email LIKE 'p%@x') AS unmasked,
            (SELECT count(*)::int FROM two) AS two, (SELECT count(*)::int FROM booking) AS booking,
            (SELECT count(*)::int FROM meas) AS meas, (SELECT count(*)::int FROM meas_other) AS meas_other,
            (SELECT count(*)::int FROM meas_2025_eu) AS meas_eu, (SELECT count(*)::int FROM scratch) AS scratch,
            (SELECT count(*)::int FROM empty_one) AS empty_one, (SELECT count(*)::int FROM guarded) AS guarded, (SELECT count(*)::int FROM typed) AS typed_table`,
  );
  return row!;
}

const NEW_ROWS = {
  order: 50,
  twice: 2550,
  typed: 25,
  sales: 7,
  odd: 7,
  other: 5,
  shared_b: 5,
  person: 20,
  unmasked: 0,
  two: 10,
  booking: 12,
  meas: 34,
  meas_other: 4,
  meas_eu: 15,
  scratch: 9,
  empty_one: 0,
  guarded: 6,
  typed_table: 3,
};

describe('pgmask copy --swap over a messy schema', async () => {
  const source = await useDatabase('pgmask_swap_shapes_src');
  let target: TestDatabase;
  beforeAll(async () => {
    await withClient(serverUrl(), async (c) => {
      for (const role of [READER, SECOND]) await c.query(`DO $$ BEGIN CREATE ROLE ${role}; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
      await c.query(`DO $$ BEGIN CREATE ROLE ${OWNER} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
      await c.query(`GRANT SET ON PARAMETER session_replication_role TO ${OWNER}`);
    });
    await source.query(TABLES + ROWS);
    target = await createDatabase('pgmask_swap_shapes_dst');
    await target.query(TABLES + TARGET_ONLY + OLD_ROWS);
  });
  afterAll(async () => {
    await target?.drop();
    await withClient(serverUrl(), async (c) => {
      await c.query(`REVOKE SET ON PARAMETER session_replication_role FROM ${OWNER}`).catch(() => {});
      await c.query(`DROP ROLE IF EXISTS ${SECOND}, ${READER}, ${OWNER}`).catch(() => {});
    });
  });

  it('swaps the rows in and leaves the schema as pg_dump prints it, byte for byte; a second swap over the first and a subset', await needsPgDump(), async () => {
    const before = schemaOf(target);
    for (const run of ['first', 'second']) {
      const result = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', rules, '--swap', '--yes', '--report', join(dir, `${run}.json`)]);
      expect(result.code, result.stderr).toBe(0);
      expect(schemaOf(target), run).toBe(before);
      expect(await rowsOf(target), run).toEqual(NEW_ROWS);
    }
    // Sequences go on after the copied rows: the identity ALWAYS column's, and the one two tables share.
    const [next] = await target.query<{ sales: number; shared: number }>(
      `WITH i AS (INSERT INTO "Sales Dept"."Order" DEFAULT VALUES RETURNING id) SELECT (SELECT id FROM i) AS sales, nextval('shared_seq')::int AS shared`,
    );
    expect(next).toEqual({ sales: 8, shared: 11 });
    // A subset swapped in over it: the schema still as it was, the tables out of the subset empty.
    const result = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', subsetRules, '--swap', '--yes']);
    expect(result.code, result.stderr).toBe(0);
    expect(schemaOf(target)).toBe(before);
    expect(await rowsOf(target)).toMatchObject({ order: 10, sales: 0, odd: 0, person: 0, guarded: 3, meas: 34, two: 10, other: 5 });
  });

  it('refuses a grant given by a role the target role may not act as, before it changes anything', async () => {
    const owned = await createDatabase('pgmask_swap_shapes_owned');
    try {
      await owned.query(`${TABLES}
        GRANT CREATE ON DATABASE ${owned.name} TO ${OWNER};
        DO $$ DECLARE t record; BEGIN
          FOR t IN SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname IN ('public', 'other', 'Sales Dept') LOOP
            EXECUTE format('ALTER TABLE %s OWNER TO ${OWNER}', t.name);
          END LOOP;
        END $$;
        GRANT USAGE ON SCHEMA "Sales Dept", other TO ${OWNER};
        GRANT SELECT ON person TO ${READER} WITH GRANT OPTION;
        SET ROLE ${READER};
        GRANT SELECT ON person TO ${SECOND};
        RESET ROLE;
        INSERT INTO person VALUES (1, NULL, 'old@x')`);
      const url = new URL(owned.url);
      url.username = OWNER;
      const result = await runCli(['copy', '--source', source.url, '--target', url.toString(), '--rules', rules, '--swap', '--yes']);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toContain(`table public.person has a grant given by ${READER}, a role the target role is not a member of`);
      expect(await owned.query('SELECT email FROM person')).toEqual([{ email: 'old@x' }]);
    } finally {
      await owned.query(`DROP OWNED BY ${OWNER}, ${READER}, ${SECOND}`);
      await owned.drop();
    }
  });

  it("refuses a partition whose columns are in another order than its parent's and a policy that reads its own table, before it changes anything", async () => {
    const reordered = await createDatabase('pgmask_swap_shapes_order');
    try {
      await reordered.query(`${TABLES}
        DROP TABLE pt_a;
        CREATE TABLE pt_a (note text, at date, id int);
        ALTER TABLE pt ATTACH PARTITION pt_a FOR VALUES FROM ('2020-01-01') TO ('2030-01-01');
        INSERT INTO pt VALUES (9, '2021-01-01', 'old');
        ALTER TABLE typed ENABLE ROW LEVEL SECURITY;
        CREATE POLICY "own rows" ON typed USING (a IN (SELECT t.a FROM typed t WHERE t.b = 'x'));
        CREATE POLICY plain ON typed USING (b = 'typed')`);
      const result = await runCli(['copy', '--source', source.url, '--target', reordered.url, '--rules', rules, '--swap', '--yes']);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toContain("public.pt_a: a partition whose columns are in another order than its parent's");
      expect(result.stderr).toContain('policy own rows on table public.typed reads its own table in a subquery');
      expect(result.stderr).not.toContain('policy plain');
      expect(await reordered.query('SELECT id FROM pt')).toEqual([{ id: 9 }]);
    } finally {
      await reordered.drop();
    }
  });
});
