import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { retryingDeadlocks } from '../../src/db/retrying-deadlocks.js';
import { useDatabase } from '../support/database.js';

/** Two sessions that lock the same two tables in turn, each in one round trip: one of them is the deadlock's victim. */
const lockingInTurn = (first: string, second: string): string =>
  `LOCK TABLE ${first} IN SHARE ROW EXCLUSIVE MODE; SELECT pg_sleep(0.3); LOCK TABLE ${second} IN SHARE ROW EXCLUSIVE MODE`;

describe('retryingDeadlocks', async () => {
  const db = await useDatabase('pgmask_deadlock');
  beforeAll(async () => {
    await db.query('CREATE TABLE a (id int); CREATE TABLE b (id int)');
  });

  async function twoSessions(run: (client: pg.Client, sql: string) => Promise<unknown>): Promise<PromiseSettledResult<unknown>[]> {
    const clients = [new pg.Client({ connectionString: db.url }), new pg.Client({ connectionString: db.url })];
    await Promise.all(clients.map((c) => c.connect()));
    try {
      return await Promise.allSettled([run(clients[0]!, lockingInTurn('a', 'b')), run(clients[1]!, lockingInTurn('b', 'a'))]);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  }

  it('without it, one of two sessions locking the same tables in turn fails with a deadlock', async () => {
    const results = await twoSessions((client, sql) => client.query(sql));
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(['40P01']);
  });

  it('runs the victim again, and both get through', async () => {
    let attempts = 0;
    const results = await twoSessions((client, sql) =>
      retryingDeadlocks(() => {
        attempts++;
        return client.query(sql);
      }),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(attempts).toBe(3);
  });

  it('does not run again what failed for another reason', async () => {
    let attempts = 0;
    await expect(
      retryingDeadlocks(async () => {
        attempts++;
        await db.query('SELECT * FROM no_such_table');
      }),
    ).rejects.toMatchObject({ code: '42P01' });
    expect(attempts).toBe(1);
  });
});
