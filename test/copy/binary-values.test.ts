import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNumeric } from '../../src/copy/binary-numeric.js';
import type { BinaryRow, FieldForm } from '../../src/copy/binary-row.js';
import { BinaryRowSplitter } from '../../src/copy/binary-row-splitter.js';
import { encodeNumericForm, NUMERIC_FORM_LENGTH, type NumericForm } from '../../src/copy/binary-value.js';
import { createBinaryRowRewriter } from '../../src/copy/row-rewriter.js';
import { Session } from '../../src/db/connection.js';
import { TransformError } from '../../src/errors.js';
import { useDatabase } from '../support/database.js';
import { collect, parseChunks, transformChunks } from './helpers.js';

const FORMS: NumericForm[] = ['int2', 'int4', 'int8', 'date', 'timestamp'];
const COLUMNS = 'i2, i4, i8, d, ts';

/** Days from 2000-01-01 to the first and past the last date PostgreSQL accepts. */
const FIRST_DAY = -2451545;
const END_DAY = 2147483494 - 2451545;
/** Days from 2000-01-01 to past the last timestamp's day (294277-01-01). */
const TIMESTAMP_END_DAY = 109203528 - 2451545;

const EDGE_SQL = `
INSERT INTO v (i2, i4, i8, d, ts) VALUES
  (-32768, -2147483648, -9223372036854775808, '-infinity', '-infinity'),
  (32767, 2147483647, 9223372036854775807, 'infinity', 'infinity'),
  (0, 0, 0, '2000-01-01', '2000-01-01 00:00'),
  (-1, -1, -1, '1999-12-31', '1999-12-31 23:59:59.999999'),
  (1, 1, 4503599627370495, '0001-01-01', '0001-01-01 00:00'),
  (-1, -1, -4503599627370496, '0001-12-31 BC', '0001-12-31 23:59:59.5 BC'),
  (2, 2, 4503599627370496, '4713-11-24 BC', '4713-11-24 00:00 BC'),
  (-2, -2, -4503599627370497, '5874897-12-31', '294276-12-31 23:59:59.999999'),
  (3, 3, 9007199254740993, '9999-12-31', '9999-12-31 23:59:59'),
  (4, 4, -9007199254740993, '10000-01-01', '10000-01-01 00:00:00.000001'),
  (5, 5, 5, '2000-02-29', '1900-02-28 12:00:00.1'),
  (6, 6, 6, '1900-03-01', '2024-02-29 06:07:08.09'),
  (7, 7, 7, '0100-03-01 BC', '0005-02-29 00:00 BC'),
  (NULL, NULL, NULL, NULL, NULL);
`;

interface Field {
  text: string | null;
  bytes: Buffer | null;
}

/** Each row's fields as read by BinaryRow and as their raw bytes. */
function readBinary(data: Buffer, forms: readonly FieldForm[]): Field[][] {
  const splitter = new BinaryRowSplitter({ table: 'public.v', forms });
  const rows: Field[][] = [];
  splitter.push(data, (row: BinaryRow) => {
    rows.push(forms.map((_, i) => ({ text: row.get(i), bytes: row.lengths[i]! < 0 ? null : Buffer.from(row.buffer.subarray(row.starts[i]!, row.starts[i]! + row.lengths[i]!)) })));
  });
  splitter.end();
  return rows;
}

describe('COPY binary integers, dates and timestamps read as PostgreSQL writes them in text', async () => {
  const db = await useDatabase();
  let session: Session;

  beforeAll(async () => {
    await db.query(`CREATE TABLE v (id serial PRIMARY KEY, i2 int2, i4 int4, i8 int8, d date, ts timestamp);
                    CREATE TABLE w (LIKE v INCLUDING DEFAULTS);`);
    await db.query(EDGE_SQL);
    // Random values over each type's whole range, and many near 2000 and the edges.
    const int = (min: number, max: number) => fc.sample(fc.integer({ min, max }), { numRuns: 3000, seed: 42 });
    const days = fc.sample(fc.oneof(fc.integer({ min: FIRST_DAY, max: END_DAY - 1 }), fc.integer({ min: -800_000, max: 100_000 })), { numRuns: 3000, seed: 7 });
    const tsDays = fc.sample(fc.integer({ min: FIRST_DAY, max: TIMESTAMP_END_DAY - 1 }), { numRuns: 3000, seed: 9 });
    const micros = fc.sample(
      fc.oneof(
        fc.integer({ min: 0, max: 86_399_999_999 }),
        fc.integer({ min: 0, max: 86_399 }).map((s) => s * 1_000_000),
      ),
      { numRuns: 3000, seed: 11 },
    );
    const i8 = fc.sample(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { numRuns: 3000, seed: 13 }).map(String);
    await db.query(
      `INSERT INTO v (i2, i4, i8, d, ts)
         SELECT a, b, c, date '2000-01-01' + d, timestamp '2000-01-01' + e * interval '1 day' + f * interval '1 microsecond'
           FROM unnest($1::int2[], $2::int4[], $3::int8[], $4::int4[], $5::int4[], $6::int8[]) AS u(a, b, c, d, e, f)`,
      [int(-32768, 32767), int(-2147483648, 2147483647), i8, days, tsDays, micros],
    );
    session = await Session.connect(db.url, 'source');
  });
  afterAll(() => session?.end());

  it('decodes every value to the text COPY writes, and encodes that text back to the same bytes', async () => {
    const sql = `SELECT ${COLUMNS} FROM v ORDER BY id`;
    const binary = await collect(session.copyOut(`COPY (${sql}) TO STDOUT (FORMAT binary)`));
    const text = parseChunks([await collect(session.copyOut(`COPY (${sql}) TO STDOUT`))], FORMS.length);
    const rows = readBinary(binary, FORMS);
    expect(rows).toHaveLength(3014);
    expect(rows.map((row) => row.map((f) => f.text))).toEqual(text.map((r) => r.values));
    for (const row of rows) {
      row.forEach((field, i) => {
        if (field.text === null) return;
        const out = Buffer.alloc(NUMERIC_FORM_LENGTH[FORMS[i]!]);
        expect(encodeNumericForm(FORMS[i]!, field.text, out), field.text).toBe(true);
        expect(out.equals(field.bytes!), `${FORMS[i]} ${field.text}`).toBe(true);
      });
    }
  });

  it('encodes other spellings PostgreSQL accepts as PostgreSQL does', async () => {
    const spellings: [string, string, string, string, string][] = [
      [' 42 ', '+7', '-0', '2020-1-5', '2020-1-5 7:08'],
      ['007', '-00012', ' 9223372036854775807 ', 'Infinity', ' infinity '],
      ['-32768', '2147483647', '-9223372036854775808', '2020-01-05 AD', '2020-01-05T10:11:12.5'],
      ['0', '0', '0', '  2020-01-05  BC ', '2020-01-05 10:11:12+02'],
      ['1', '1', '1', '2020-01-05', '2020-01-05 24:00:00'],
      ['1', '1', '1', '2020-01-05', '1999-12-31 23:59:60'],
      ['1', '1', '1', '2020-01-05', '0044-03-15 12:00 bc'],
    ];
    await db.query('TRUNCATE w');
    for (const row of spellings) await db.query('INSERT INTO w (i2, i4, i8, d, ts) VALUES ($1, $2, $3, $4, $5)', row);
    const rows = readBinary(await collect(session.copyOut(`COPY (SELECT ${COLUMNS} FROM w ORDER BY id) TO STDOUT (FORMAT binary)`)), FORMS);
    rows.forEach((row, r) => {
      row.forEach((field, i) => {
        const out = Buffer.alloc(NUMERIC_FORM_LENGTH[FORMS[i]!]);
        expect(encodeNumericForm(FORMS[i]!, spellings[r]![i]!, out), spellings[r]![i]).toBe(true);
        expect(out.equals(field.bytes!), `${FORMS[i]} ${spellings[r]![i]}`).toBe(true);
      });
    });
  });

  it('refuses text PostgreSQL refuses too', async () => {
    const bad: Record<NumericForm, string[]> = {
      int2: ['32768', '-32769', '1.5', 'x', '', '1e3'],
      int4: ['2147483648', '-2147483649', '12345678901', ' ', '--1'],
      int8: ['9223372036854775808', '-9223372036854775809', '1.0', 'NaN'],
      date: ['2023-02-29', '1900-02-29', '0000-01-01', '2020-13-01', '2020-00-10', '2020-01-32', '5874898-01-01', '4714-11-23 BC', 'nope'],
      timestamp: ['2020-01-01 25:00', '2020-01-01 24:00:01', '2020-01-01 10:60', '294277-01-01 00:00', '4714-11-23 23:59 BC', '2020-02-30 00:00'],
    };
    for (const form of FORMS) {
      for (const text of bad[form]) {
        expect(encodeNumericForm(form, text, Buffer.alloc(8)), `${form} ${text}`).toBe(false);
        const type = form === 'timestamp' ? 'timestamp' : form;
        await expect(db.query(`SELECT $1::${type}`, [text]), `${form} ${text}`).rejects.toThrow();
      }
    }
  });

  it('writes masked values PostgreSQL loads as their text says, and names table, column and line of one that is not of its type', async () => {
    const binary = await collect(session.copyOut(`COPY (SELECT ${COLUMNS} FROM v ORDER BY id) TO STDOUT (FORMAT binary)`));
    const columns = ['i2', 'i4', 'i8', 'd', 'ts'];
    const replaced = ['-5', '123456', '-9007199254740993', '1066-10-14', '1969-07-20 20:17:40.5'];
    const data = await transformChunks(
      [binary],
      createBinaryRowRewriter({
        table: 'public.v',
        forms: FORMS,
        columns,
        chunkSize: 1024,
        rewrite: (row) => {
          if (row.line % 2 === 0) for (const [i, v] of replaced.entries()) row.set(i, i === 2 && row.line % 4 === 0 ? null : v);
        },
      }),
    );
    await db.query('TRUNCATE w');
    const target = await Session.connect(db.url, 'target');
    try {
      await pipeline(Readable.from([data]), target.copyIn(`COPY w (${COLUMNS}) FROM STDIN (FORMAT binary)`));
    } finally {
      await target.end();
    }
    const loaded = parseChunks([await collect(session.copyOut(`COPY (SELECT ${COLUMNS} FROM w ORDER BY id) TO STDOUT`))], 5).map((r) => r.values);
    const original = parseChunks([await collect(session.copyOut(`COPY (SELECT ${COLUMNS} FROM v ORDER BY id) TO STDOUT`))], 5).map((r) => r.values);
    expect(loaded).toHaveLength(original.length);
    loaded.forEach((row, k) => {
      const line = k + 1;
      expect(row).toEqual(line % 2 === 0 ? replaced.map((v, i) => (i === 2 && line % 4 === 0 ? null : v)) : original[k]);
    });

    for (const [i, form] of FORMS.entries()) {
      const error = await transformChunks(
        [binary],
        createBinaryRowRewriter({ table: 'public.v', forms: FORMS, columns, rewrite: (row) => row.line === 3 && row.set(i, 'secret-value-42x') }),
      ).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, form).toBeInstanceOf(TransformError);
      expect((error as TransformError).message).toMatch(new RegExp(`^cannot mask a value \\(table public\\.v, column ${columns[i]}, line 3\\): the masked value is not `));
      expect((error as TransformError).message).not.toContain('secret');
    }
  });
});

describe('COPY binary numerics read as PostgreSQL writes them in text', async () => {
  const db = await useDatabase();
  let session: Session;

  /** Each value's text as PostgreSQL writes it and its binary bytes, for the texts given. */
  async function both(column: string, texts: readonly string[]): Promise<{ text: string | null; bytes: Buffer | null }[]> {
    await db.query('TRUNCATE n');
    await db.query(`INSERT INTO n (${column}) SELECT unnest($1::text[])::numeric`, [texts]);
    const sql = `SELECT ${column} FROM n ORDER BY id`;
    const text = parseChunks([await collect(session.copyOut(`COPY (${sql}) TO STDOUT`))], 1).map((r) => r.values[0]!);
    const rows = readBinary(await collect(session.copyOut(`COPY (${sql}) TO STDOUT (FORMAT binary)`)), ['numeric']);
    expect(rows.map((r) => r[0]!.text)).toEqual(text);
    return rows.map((r) => r[0]!);
  }

  beforeAll(async () => {
    await db.query('CREATE TABLE n (id serial PRIMARY KEY, x numeric, m numeric(12, 2))');
    session = await Session.connect(db.url, 'source');
  });
  afterAll(() => session?.end());

  const EDGES = ['0', '-0', '0.000', '1', '-1', '9999', '10000', '10001', '0.0001', '0.00001', '123456789.987654321', '-0.5', 'NaN', 'Infinity', '-Infinity'];
  const EDGES_MORE = ['1e100', '1e-100', '-12345678901234567890123456789012345678901234567890.0000000001000', '99999999.99', '1.10', '100.00'];
  const decimal = fc
    .tuple(fc.constantFrom('', '-', '+'), fc.stringMatching(/^\d{0,40}$/), fc.option(fc.stringMatching(/^\d{0,40}$/)), fc.option(fc.integer({ min: -60, max: 60 })))
    .filter(([, w, f]) => w.length + (f ?? '').length > 0)
    .map(([s, w, f, e]) => `${s}${w}${f === null ? '' : `.${f}`}${e === null ? '' : `e${e}`}`);

  it('decodes every value to the text COPY writes, and encodes that text back to the same bytes', async () => {
    const texts = [...EDGES, ...EDGES_MORE, ...fc.sample(decimal, { numRuns: 3000, seed: 5 })];
    const fields = await both('x', texts);
    expect(fields).toHaveLength(texts.length);
    for (const field of fields) expect(encodeNumeric(field.text!)?.equals(field.bytes!), field.text!).toBe(true);
    // A column with a typmod holds what PostgreSQL rounded: its text goes back to its bytes too.
    const rounded = await both('m', [
      ...EDGES.filter((e) => !e.endsWith('Infinity')),
      '99999999.99',
      '-0.005',
      '123.456',
      ...fc.sample(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { numRuns: 500, seed: 3 }).map(String),
    ]);
    for (const field of rounded) expect(encodeNumeric(field.text!)?.equals(field.bytes!), field.text!).toBe(true);
  });

  it('encodes other spellings PostgreSQL accepts as PostgreSQL does, and refuses what it refuses', async () => {
    const spellings = [
      '1e3',
      ' -0.0 ',
      '.5',
      '5.',
      '1.50E-2',
      'inf',
      '-inf',
      '+Infinity',
      'nan',
      '+12',
      '00012.3400',
      '1E+02',
      '-0e-5',
      '7e1000',
      '1e-1000',
      '1e131071',
      '-1e-16383',
    ];
    const fields = await both('x', spellings);
    for (const [i, field] of fields.entries()) expect(encodeNumeric(spellings[i]!)?.equals(field.bytes!), spellings[i]).toBe(true);
    for (const text of ['.', '', ' ', 'e5', '1e131072', '1e-16384', '1e200000', 'abc', '1.2.3', '--1', '1 2', '+-1', 'Infinityx']) {
      expect(encodeNumeric(text), text).toBeUndefined();
      await expect(db.query('SELECT $1::numeric', [text]), text).rejects.toThrow();
    }
  });

  it('refuses a masked value that is not a numeric with an error naming table, column and line, not the value', async () => {
    await both('x', ['1', '2', '3']);
    const data = await collect(session.copyOut('COPY (SELECT x FROM n ORDER BY id) TO STDOUT (FORMAT binary)'));
    const rewriter = createBinaryRowRewriter({ table: 'public.n', forms: ['numeric'], columns: ['x'], rewrite: (row) => row.line === 2 && row.set(0, '12,5 secret') });
    const error = await transformChunks([data], rewriter).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TransformError);
    expect((error as TransformError).message).toMatch(/^cannot mask a value \(table public\.n, column x, line 2\): the masked value is not a numeric /);
    expect((error as TransformError).message).not.toContain('secret');
  });
});
