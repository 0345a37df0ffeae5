import { to as copyTo } from 'pg-copy-streams';
import { describe, expect, it } from 'vitest';
import type { BinaryForm } from '../../src/catalog/types.js';
import { createBinaryRowRewriter, createRowRewriter } from '../../src/copy/row-rewriter.js';
import { type MaskableRow, type MaskedColumn, RowMasker } from '../../src/masking/row-masker.js';
import { useDatabase } from '../support/database.js';
import { withClient } from '../support/with-client.js';

const COLUMNS = ['id', 'name', 'city', 'note'];
const FORMS: readonly BinaryForm[] = ['opaque', 'text', 'text', 'text'];
const ROWS = 20000;

/** Masked columns whose transforms count their calls: `name` depends on its value alone, `city` on the row's note too. */
function columns(calls: Map<string, number>): MaskedColumn[] {
  const count = (name: string): void => void calls.set(name, (calls.get(name) ?? 0) + 1);
  return [
    { name: 'name', index: 1, transform: (v) => (count('name'), v === null ? null : `N<${v.toUpperCase()}>`) },
    { name: 'city', index: 2, transform: (v, row) => (count('city'), `${v ?? 'none'} by ${row.original('note')?.length ?? -1}`) },
  ];
}

/** Each row's masked values, read back out of a rewriter's output. */
async function rewrite(data: Buffer, format: 'text' | 'binary', masker: RowMasker): Promise<(string | null)[][]> {
  const seen: (string | null)[][] = [];
  const rewriteRow = (row: MaskableRow & { get(i: number): string | null }): void => {
    masker.mask(row);
    seen.push([row.get(1), row.get(2)]);
  };
  const stream = format === 'text' ? createRowRewriter({ columns: COLUMNS.length, rewrite: rewriteRow }) : createBinaryRowRewriter({ forms: FORMS, rewrite: rewriteRow });
  stream.on('data', () => {});
  for (let at = 0; at < data.length; at += 4096) stream.write(data.subarray(at, at + 4096));
  stream.end();
  await new Promise((done) => stream.on('end', done));
  return seen;
}

describe('RowMasker with a memo per column', async () => {
  const db = await useDatabase('pgmask_row_memo');
  // 40 names (escapes, non-ASCII, empty, NULL among them) repeating, and notes of many lengths.
  await db.query(`
    CREATE TABLE t (id int, name text, city text, note text);
    INSERT INTO t SELECT i,
      CASE WHEN i % 40 = 0 THEN NULL WHEN i % 40 = 1 THEN '' WHEN i % 40 = 2 THEN E'tab\\there' WHEN i % 40 = 3 THEN E'back\\\\slash'
           ELSE (ARRAY['Åsa','Karin','Örjan','Li'])[1 + i % 4] || (i % 37)::text END,
      (ARRAY['Malmö','Lund','Umeå'])[1 + i % 3],
      repeat('x', i % 97)
    FROM generate_series(1, ${ROWS}) i;`);
  const read = (format: string): Promise<Buffer> =>
    withClient(db.url, async (client) => {
      const chunks: Buffer[] = [];
      for await (const chunk of client.query(copyTo(`COPY (SELECT * FROM t ORDER BY id) TO STDOUT (FORMAT ${format})`))) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    });
  const distinctNames = Number((await db.query<{ n: string }>("SELECT count(DISTINCT coalesce(name, E'\\\\N')) AS n FROM t"))[0]!.n);
  const rows = (await db.query<{ id: number; name: string | null; city: string; note: string }>('SELECT * FROM t ORDER BY id')).map((r) => [String(r.id), r.name, r.city, r.note]);

  for (const format of ['text', 'binary'] as const) {
    it(`gives in ${format} what masking every value gives, and masks a repeated value once when it depends on the value alone`, async () => {
      // Without bytes to key on (rows with no recall), every value is masked.
      const plainCalls = new Map<string, number>();
      const plain = new RowMasker('public.t', COLUMNS, columns(plainCalls));
      const expected = rows.map((values) => {
        const out = [...values];
        plain.mask({ line: 1, get: (i) => out[i]!, original: (i) => values[i]!, set: (i, v) => void (out[i] = v) });
        return [out[1]!, out[2]!];
      });
      expect(plainCalls.get('name')).toBe(ROWS);

      const calls = new Map<string, number>();
      const got = await rewrite(await read(format), format, new RowMasker('public.t', COLUMNS, columns(calls)));
      expect(got).toEqual(expected);
      // name: once per distinct value, NULL among them.
      expect(distinctNames).toBeLessThan(200);
      expect(calls.get('name')).toBe(distinctNames);
      // city reads the row: every value is masked.
      expect(calls.get('city')).toBe(ROWS);
    });
  }

  it('stops using the memo of a column once its rule reads the row, also for some values only', async () => {
    let calls = 0;
    const masker = new RowMasker('public.t', COLUMNS, [
      // Reads the row's note only for Karin: the other names' values do not depend on it.
      { name: 'name', index: 1, transform: (v, row) => (calls++, v?.startsWith('Karin') ? `${v}/${row.original('note')}` : `${v}!`) },
    ]);
    const data = await read('binary');
    const seen: (string | null)[] = [];
    const stream = createBinaryRowRewriter({ forms: FORMS, rewrite: (row) => (masker.mask(row), seen.push(row.get(1))) });
    stream.on('data', () => {});
    stream.end(data);
    await new Promise((done) => stream.on('end', done));
    expect(seen).toEqual(rows.map(([, name, , note]) => (name?.startsWith('Karin') ? `${name}/${note}` : `${name}!`)));
    // Karin comes in the fifth row, before any value repeats: from there on, every value is masked.
    expect(calls).toBe(ROWS);
  });
});
