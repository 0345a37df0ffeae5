import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { createDatabase, useDatabase } from '../../support/database.js';
import { needsPgDump } from '../../support/pg-dump.js';
import { writeRulesFile } from '../../support/rules-file.js';

const { file: rulesFile } = writeRulesFile(
  'pgmask-post-data-',
  'version: 1\nunlisted: keep\ntables:\n  public.people:\n    columns:\n      id: keep\n      email: { transform: email, unique: true }\n      team: keep\n      note: keep\n',
);

/** pg_dump's post-data section of a database, without its comments and \restrict lines. */
function postData(url: string): string {
  const sql = execFileSync('pg_dump', ['--schema-only', '--section=post-data', '--no-owner', '--no-privileges', '--dbname', url], { encoding: 'utf8' });
  return sql
    .split('\n')
    .filter((line) => !line.startsWith('--') && !line.startsWith('\\'))
    .join('\n');
}

const pgDump = await needsPgDump();

describe('pgmask copy --schema create: indexes, keys and the rest of post-data', async () => {
  const source = await useDatabase('pgmask_post_src');

  it('builds every post-data object of the source, whatever order the tables finish in', pgDump, async () => {
    await source.query(`
      CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.note := coalesce(NEW.note, ''); RETURN NEW; END $$;
      CREATE TABLE people (id int GENERATED ALWAYS AS IDENTITY, email text NOT NULL, team int, note text);
      CREATE TABLE teams (id int, name text NOT NULL, during tsrange);
      CREATE SCHEMA "Sales";
      CREATE TABLE "Sales"."Order Items" (order_id int, "line;no" int, note text);
      CREATE TABLE events (id int, at date NOT NULL) PARTITION BY RANGE (at);
      CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
      CREATE TABLE base (id int PRIMARY KEY);
      CREATE TABLE child (extra text) INHERITS (base);
      INSERT INTO teams SELECT i, 'team ' || i, tsrange(now()::timestamp + i * interval '1 day', now()::timestamp + (i + 1) * interval '1 day') FROM generate_series(1, 50) i;
      INSERT INTO people (email, team, note) SELECT 'p' || i || '@corp.se', 1 + i % 50, CASE WHEN i % 2 = 0 THEN 'n' || i END FROM generate_series(1, 20000) i;
      INSERT INTO "Sales"."Order Items" SELECT i / 3, i % 3, 'x;' || i FROM generate_series(1, 3000) i;
      INSERT INTO events SELECT i, date '2024-01-01' + i % 300 FROM generate_series(1, 1000) i;
      INSERT INTO child SELECT i, 'c' || i FROM generate_series(1, 100) i;
      ALTER TABLE people ADD PRIMARY KEY (id);
      CREATE UNIQUE INDEX people_email_key ON people (email);
      CREATE INDEX people_lower_note ON people (lower(note)) WHERE note IS NOT NULL;
      ALTER TABLE teams ADD CONSTRAINT teams_pkey PRIMARY KEY (id);
      CREATE EXTENSION IF NOT EXISTS btree_gist;
      ALTER TABLE teams ADD CONSTRAINT teams_no_overlap EXCLUDE USING gist (during WITH &&);
      ALTER TABLE teams ADD CONSTRAINT teams_name_key UNIQUE (name);
      ALTER TABLE people ADD CONSTRAINT people_team_fkey FOREIGN KEY (team) REFERENCES teams (id);
      ALTER TABLE people REPLICA IDENTITY USING INDEX people_email_key;
      ALTER TABLE people CLUSTER ON people_pkey;
      CREATE TRIGGER people_touch BEFORE INSERT ON people FOR EACH ROW EXECUTE FUNCTION touch();
      ALTER TABLE "Sales"."Order Items" ADD CONSTRAINT "Order Items_uq" UNIQUE (order_id, "line;no");
      CREATE INDEX "idx; tricky" ON "Sales"."Order Items" ((lower(note || ';')));
      CREATE INDEX events_at_idx ON events (at);
      ALTER TABLE events ADD PRIMARY KEY (id, at);
      CREATE INDEX child_extra ON child (extra);
      COMMENT ON INDEX people_lower_note IS 'notes, case-folded';
      ANALYZE;`);
    const target = await createDatabase('pgmask_post_dst');
    try {
      const result = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', rulesFile, '--schema', 'create', '--jobs', '3']);
      expect(result.stderr).toContain('succeeded');
      expect(result.code).toBe(0);
      expect(postData(target.url)).toBe(postData(source.url));
      // The trigger is back, enabled, and the foreign key holds on the masked rows.
      expect(await target.query("SELECT tgenabled FROM pg_trigger WHERE tgname = 'people_touch'")).toEqual([{ tgenabled: 'O' }]);
      expect(await target.query('SELECT count(*)::int AS n FROM people JOIN teams ON teams.id = people.team')).toEqual([{ n: 20000 }]);
    } finally {
      await target.drop();
    }
  });
  /** Each foreign key of a database, with whether it is validated. */
  const keys = (db: { query: (sql: string) => Promise<unknown[]> }) =>
    db.query("SELECT conrelid::regclass::text AS t, conname, convalidated FROM pg_constraint WHERE contype = 'f' ORDER BY 1, 2");

  describe('foreign keys between copied tables: added as soon as their tables are in, then checked', pgDump, async () => {
    const keySource = await useDatabase('pgmask_post_keys_src');
    await keySource.query(`
      CREATE TABLE regions (id int PRIMARY KEY, code text NOT NULL);
      CREATE UNIQUE INDEX regions_code_key ON regions (code);
      CREATE TABLE staff (id int PRIMARY KEY, boss int, region_code text, email text NOT NULL);
      CREATE TABLE pairs (x int, y int, PRIMARY KEY (x, y));
      CREATE TABLE notes (staff_id int, region_id int, x int, y int, body text);
      INSERT INTO regions SELECT i, 'r' || i FROM generate_series(1, 20) i;
      INSERT INTO staff SELECT i, NULLIF(i / 2, 0), 'r' || (1 + i % 20), 's' || i || '@corp.se' FROM generate_series(1, 5000) i;
      INSERT INTO pairs SELECT i, i % 7 FROM generate_series(1, 300) i;
      INSERT INTO notes SELECT 1 + i % 5000, 1 + i % 20, 1 + i % 300, (1 + i % 300) % 7, 'n' || i FROM generate_series(1, 8000) i;
      INSERT INTO notes VALUES (1, 999, 1, 1, 'a region that is gone');
      ALTER TABLE staff ADD CONSTRAINT staff_boss_fkey FOREIGN KEY (boss) REFERENCES staff (id);
      ALTER TABLE staff ADD CONSTRAINT staff_region_code_fkey FOREIGN KEY (region_code) REFERENCES regions (code) ON UPDATE CASCADE;
      ALTER TABLE notes ADD CONSTRAINT notes_staff_fkey FOREIGN KEY (staff_id) REFERENCES staff (id) DEFERRABLE INITIALLY DEFERRED;
      ALTER TABLE notes ADD CONSTRAINT notes_pair_fkey FOREIGN KEY (x, y) REFERENCES pairs (x, y);
      ALTER TABLE notes ADD CONSTRAINT notes_region_fkey FOREIGN KEY (region_id) REFERENCES regions (id) NOT VALID;
      COMMENT ON CONSTRAINT notes_pair_fkey ON notes IS 'each note names a pair';
      ANALYZE;`);

    it("ends with the source's keys: the same statements, checked where the source's are, NOT VALID where they are not", async () => {
      const { file } = writeRulesFile(
        'pgmask-post-keys-',
        'version: 1\nunlisted: keep\ntables:\n  public.staff:\n    columns:\n      id: keep\n      boss: keep\n      region_code: keep\n      email: { transform: email, unique: true }\n',
      );
      const target = await createDatabase('pgmask_post_keys_dst');
      try {
        const result = await runCli(['copy', '--source', keySource.url, '--target', target.url, '--rules', file, '--schema', 'create', '--jobs', '2']);
        expect(result.stderr).toContain('succeeded');
        expect(result.code).toBe(0);
        expect(postData(target.url)).toBe(postData(keySource.url));
        expect(await keys(target)).toEqual(await keys(keySource));
        expect((await keys(target)).filter((k) => !(k as { convalidated: boolean }).convalidated)).toEqual([{ t: 'notes', conname: 'notes_region_fkey', convalidated: false }]);
      } finally {
        await target.drop();
      }
    });

    it('fails the run, naming the table and the key and no value, when masked rows break a key', async () => {
      const { file } = writeRulesFile(
        'pgmask-post-keys-',
        'version: 1\nunlisted: keep\ntables:\n  public.staff:\n    columns:\n      id: keep\n      boss: keep\n      region_code: { transform: hash, length: 8 }\n      email: keep\n',
      );
      const target = await createDatabase('pgmask_post_keys_bad');
      try {
        const result = await runCli(['copy', '--source', keySource.url, '--target', target.url, '--rules', file, '--schema', 'create']);
        expect(result.code).not.toBe(0);
        expect(result.stderr).toContain('staff_region_code_fkey');
        expect(result.stderr).toContain('public.staff');
        expect(result.stderr).not.toMatch(/\br\d+\b/);
        expect(await target.query("SELECT count(*)::int AS n FROM pg_class WHERE relname = 'staff'")).toEqual([{ n: 0 }]);
      } finally {
        await target.drop();
      }
    });
  });
});
