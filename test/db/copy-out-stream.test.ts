import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { to as copyTo } from 'pg-copy-streams';
import { describe, expect, it } from 'vitest';
import { Session } from '../../src/db/connection.js';
import { useDatabase } from '../support/database.js';
import { withClient } from '../support/with-client.js';

async function drain(stream: Readable): Promise<{ bytes: number; sha: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream) {
    bytes += (chunk as Buffer).length;
    hash.update(chunk as Buffer);
  }
  return { bytes, sha: hash.digest('hex') };
}

describe('Session.copyOut (CopyOutStream)', async () => {
  const db = await useDatabase('pgmask_copy_out');
  await db.query(`
    CREATE TABLE t (id int, note text, blob bytea);
    INSERT INTO t SELECT i, repeat(md5(i::text), 1 + i % 40), decode(repeat('00ff', i % 300), 'hex') FROM generate_series(1, 60000) i;
    CREATE FUNCTION noisy(i int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN IF i % 1000 = 0 THEN RAISE NOTICE 'row %', i; END IF; RETURN i; END $$;`);

  it("reads the bytes pg-copy-streams reads, in text and binary, with the server's row count", async () => {
    const session = await Session.connect(db.url, 'source');
    try {
      for (const format of ['text', 'binary']) {
        const sql = `COPY t TO STDOUT (FORMAT ${format})`;
        const stream = session.copyOut(sql);
        const got = await drain(stream);
        expect(stream.rowCount).toBe(60000);
        expect(stream.rowsSoFar(format === 'binary')).toBe(60000);
        const reference = await withClient(db.url, (client) => drain(client.query(copyTo(sql))));
        expect(got).toEqual(reference);
        expect(got.bytes).toBeGreaterThan(60000 * 40);
      }
      expect(await session.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await session.end();
    }
  });

  it('passes over notices the server sends among the rows', async () => {
    const session = await Session.connect(db.url, 'source');
    try {
      const plain = await drain(session.copyOut('COPY (SELECT id, note FROM t ORDER BY id) TO STDOUT'));
      const stream = session.copyOut('COPY (SELECT noisy(id), note FROM t ORDER BY id) TO STDOUT');
      expect(await drain(stream)).toEqual(plain);
      expect(stream.rowsSoFar(false)).toBe(60000);
    } finally {
      await session.end();
    }
  });

  it("fails with the server's error when the copy breaks off after rows were sent, and the session goes on", async () => {
    const session = await Session.connect(db.url, 'source');
    try {
      const stream = session.copyOut('COPY (SELECT id, 1 / (50000 - id) FROM t) TO STDOUT');
      let bytes = 0;
      await expect(
        (async () => {
          for await (const chunk of stream) bytes += (chunk as Buffer).length;
        })(),
      ).rejects.toThrow(/division by zero/);
      expect(bytes).toBeGreaterThan(0);
      expect(await session.query('SELECT 2 AS two')).toEqual([{ two: 2 }]);
    } finally {
      await session.end();
    }
  });

  it('reads an empty result, and one COPY after another on one session', async () => {
    const session = await Session.connect(db.url, 'source');
    try {
      for (let k = 0; k < 3; k++) {
        const binary = k === 1;
        const stream = session.copyOut(`COPY (SELECT * FROM t WHERE false) TO STDOUT (FORMAT ${binary ? 'binary' : 'text'})`);
        // Binary: a header and a trailer, in one message.
        expect(await drain(stream)).toMatchObject({ bytes: binary ? 21 : 0 });
        expect(stream.rowCount).toBe(0);
        expect(stream.rowsSoFar(binary)).toBe(0);
      }
    } finally {
      await session.end();
    }
  });
});
