import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { Session } from '../../src/db/connection.js';
import { useDatabase } from '../support/database.js';

/** One CopyData message. */
function copyData(payload: string): Buffer {
  const body = Buffer.from(payload);
  const header = Buffer.from([0x64, 0, 0, 0, 0]);
  header.writeUInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

describe("framed COPY: the source's CopyData messages sent on whole (FramedCopyIn)", async () => {
  const db = await useDatabase('pgmask_framed_copy');
  await db.query(`
    CREATE TABLE t (id int PRIMARY KEY, note text, blob bytea);
    CREATE TABLE u (LIKE t);
    INSERT INTO t SELECT i, CASE WHEN i % 11 = 0 THEN NULL ELSE repeat(md5(i::text), 1 + i % 40) || E'\\t\\\\' END, decode(repeat('00ff', i % 300), 'hex') FROM generate_series(1, 60000) i;
    CREATE FUNCTION noisy(i int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN IF i % 1000 = 0 THEN RAISE NOTICE 'row %', i; END IF; RETURN i; END $$;`);
  const digest = async (table: string): Promise<unknown> => (await db.query(`SELECT count(*)::int AS n, md5(string_agg(${table}::text, ',' ORDER BY id)) AS sum FROM ${table}`))[0];

  it('moves every row as it was, in text and binary, passing over notices among them', async () => {
    const source = await Session.connect(db.url, 'source');
    const target = await Session.connect(db.url, 'target');
    try {
      for (const format of ['text', 'binary']) {
        await target.query('TRUNCATE u');
        const out = source.copyOut(`COPY (SELECT noisy(id), note, blob FROM t) TO STDOUT (FORMAT ${format})`, true);
        const into = target.copyIn(`COPY u FROM STDIN (FORMAT ${format})`, true);
        await pipeline(out, into);
        expect(into.rowCount).toBe(60000);
        expect(out.rowCount).toBe(60000);
        expect(out.bytesSoFar).toBeGreaterThan(60000 * 40);
        expect(await digest('u')).toEqual(await digest('t'));
      }
      expect(await target.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await source.end();
      await target.end();
    }
  });

  it('closes the connection at once when the copy fails inside a message, and no row stays', async () => {
    await db.query('TRUNCATE u');
    const target = await Session.connect(db.url, 'target');
    try {
      // Half of a 200 kB row: a CopyFail sent now would be read as part of it, and the server would wait for the rest.
      const half = copyData(`2\t${'x'.repeat(200_000)}\t\\\\x00\n`).subarray(0, 100_000);
      const feed = new Readable({ read() {} });
      feed.push(copyData('1\tfirst\t\\\\x00\n'));
      feed.push(half);
      setTimeout(() => feed.destroy(new Error('the source went away')), 100);
      const started = performance.now();
      await expect(pipeline(feed, target.copyIn('COPY u FROM STDIN', true))).rejects.toThrow(/the source went away/);
      expect(performance.now() - started).toBeLessThan(5000);
      await expect(target.query('SELECT 1')).rejects.toThrow();
      // The server ended the COPY with the connection: nothing of it was kept.
      for (let tries = 0; tries < 50 && (await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'COPY u FROM%'`))[0]!.n > 0; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await digest('u')).toEqual({ n: 0, sum: null });
    } finally {
      target.destroy();
    }
  });
});
