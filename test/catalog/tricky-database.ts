import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll } from 'vitest';
import { databaseUrl, serverUrl, type TestDatabase, useDatabase } from '../support/database.js';

/** A database for this test file holding test/catalog/tricky-schema.sql. */
export async function useTrickyDatabase(): Promise<TestDatabase> {
  const db = await useDatabase('pgmask_catalog');
  await db.runFile('test/catalog/tricky-schema.sql');
  return db;
}

/**
 * A login role without SUPERUSER or BYPASSRLS that may read the tricky database, owning
 * `owned_rls` and `owned_forced`. Dropped after the file's tests.
 */
export async function useLimitedRole(db: TestDatabase): Promise<{ name: string; url: string }> {
  const name = `pgmask_role_${randomBytes(4).toString('hex')}`;
  await db.query(`
    CREATE ROLE ${name} LOGIN NOSUPERUSER NOBYPASSRLS;
    GRANT USAGE ON SCHEMA public, "Sales", "a.b" TO ${name};
    GRANT SELECT ON ALL TABLES IN SCHEMA public, "Sales", "a.b" TO ${name};
    ALTER TABLE owned_rls OWNER TO ${name};
    ALTER TABLE owned_forced OWNER TO ${name};`);
  afterAll(async () => {
    await db.query(`ALTER TABLE owned_rls OWNER TO postgres; ALTER TABLE owned_forced OWNER TO postgres; DROP OWNED BY ${name}`);
    await db.drop();
    const client = new pg.Client({ connectionString: serverUrl() });
    await client.connect();
    await client.query(`DROP ROLE IF EXISTS ${name}`).finally(() => client.end());
  });
  const url = new URL(db.url);
  url.username = name;
  return { name, url: databaseUrl(db.name, url.toString()) };
}
