import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { writeRulesFile } from '../support/rules-file.js';
import { createDatabase, useDatabase } from '../support/database.js';
import { pgDumpCanDump } from '../support/pg-dump.js';

const { file: rulesFile } = writeRulesFile('pgmask-post-data-', 'version: 1\nunlisted: keep\ntables:\n  public.people:\n    columns:\n      email: { transform: email, unique: true }\n');

/** pg_dump's post-data section of a database, without its comments and \restrict lines. */
function postData(url: string): string {
  const sql = execFileSync('pg_dump', ['--schema-only', '--section=post-data', '--no-owner', '--no-privileges', '--dbname', url], { encoding: 'utf8' });
  return sql
    .split('\n')
    .filter((line) => !line.startsWith('--') && !line.startsWith('\\'))
    .join('\n');
}

const canDump = await pgDumpCanDump();

describe('pgmask copy --schema create: indexes, keys and the rest of post-data', async () => {
  const source = await useDatabase('pgmask_post_src');

  it.skipIf(!canDump)('builds every post-data object of the source, whatever order the tables finish in', async () => {
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
});
