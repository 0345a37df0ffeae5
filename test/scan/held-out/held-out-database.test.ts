import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableKey } from '../../../src/catalog/table-key.js';
import { PII_KINDS } from '../../../src/scan/pii-kind.js';
import { luhnValid } from '../../../src/se/luhn.js';
import { createDatabase, type TestDatabase } from '../../support/database.js';
import { buildHeldOutDatabase, type HeldOutLabel } from './held-out-database.js';

describe('the held-out scan database', () => {
  let db: TestDatabase | undefined;
  let labels: HeldOutLabel[] = [];
  let columns: { schema: string; name: string; column: string }[] = [];
  let buildMs = 0;

  beforeAll(async () => {
    db = await createDatabase('pgmask_heldout');
    const started = Date.now();
    labels = await buildHeldOutDatabase(db.url);
    buildMs = Date.now() - started;
    columns = await db.query(
      `SELECT n.nspname AS schema, c.relname AS name, a.attname AS column
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid
        WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped
          AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
        ORDER BY 1, 2, a.attnum`,
    );
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('labels every column of every table (partitions excepted) exactly once, and no column that is missing', () => {
    const keyOf = (table: string, column: string) => `${table}\u0000${column}`;
    const labelled = new Map<string, number>();
    for (const l of labels) labelled.set(keyOf(l.table, l.column), (labelled.get(keyOf(l.table, l.column)) ?? 0) + 1);
    const present = new Set(columns.map((c) => keyOf(tableKey(c.schema, c.name), c.column)));
    const unlabelled = [...present].filter((k) => labelled.get(k) !== 1);
    const missing = [...labelled.keys()].filter((k) => !present.has(k));
    expect(unlabelled).toEqual([]);
    expect(missing).toEqual([]);
    expect(labels.every((l) => l.kind === null || (PII_KINDS as readonly string[]).includes(l.kind))).toBe(true);
  });

  it('is big enough to measure a scan on', async () => {
    const tables = new Set(labels.map((l) => l.table));
    expect(tables.size).toBeGreaterThanOrEqual(30);
    expect(labels.length).toBeGreaterThanOrEqual(300);
    expect(labels.filter((l) => l.kind !== null).length).toBeGreaterThanOrEqual(90);
    const [big] = await db!.query<{ n: string }>(`SELECT count(*) AS n FROM skola."frånvaro"`);
    expect(Number(big!.n)).toBeGreaterThanOrEqual(100_000);
    const empty = await db!.query<{ n: string }>(`SELECT (SELECT count(*) FROM skola.atgardsprogram) + (SELECT count(*) FROM app.data_exports) AS n`);
    expect(Number(empty[0]!.n)).toBe(0);
    const partitions = await db!.query(`SELECT 1 FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent WHERE p.relkind = 'p'`);
    expect(partitions.length).toBeGreaterThanOrEqual(2);
    expect(buildMs).toBeLessThan(40_000);
  });

  it('holds the values its labels claim: check digits, foreign keys on personal values, the same data on every build', async () => {
    const [fk] = await db!.query<{ n: string }>(`SELECT count(*) AS n FROM skola.elev_vardnadshavare ev JOIN skola.vardnadshavare v ON v.personnummer = ev.vardnadshavare_pnr`);
    expect(Number(fk!.n)).toBe(4800);
    const digitsOf = async (sql: string) => (await db!.query<{ v: string }>(sql)).map((r) => r.v.replace(/[^0-9A-Z]/g, ''));
    const pnr = await digitsOf(`SELECT "PERSNR" AS v FROM skola.personal UNION ALL SELECT personnummer FROM skola.elever UNION ALL SELECT ssn FROM app.members`);
    expect(pnr.filter((n) => !luhnValid(n.slice(-10)))).toEqual([]);
    const cards = await digitsOf(`SELECT card_number AS v FROM app.payment_methods WHERE card_number IS NOT NULL UNION ALL SELECT corporate_card FROM app.expense_claims`);
    expect(cards.length).toBeGreaterThan(0);
    expect(cards.filter((n) => !luhnValid(n))).toEqual([]);
    const ibanValid = (iban: string) => {
      let rest = 0;
      for (const ch of `${iban.slice(4)}${iban.slice(0, 4)}`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55))) rest = (rest * 10 + Number(ch)) % 97;
      return rest === 1;
    };
    const ibans = await digitsOf(`SELECT iban AS v FROM app.employees UNION ALL SELECT billing_iban FROM app.payment_methods WHERE billing_iban IS NOT NULL`);
    expect(ibans.filter((n) => !ibanValid(n))).toEqual([]);
    const [first] = await db!.query<{ personnummer: string; gatuadress: string }>(`SELECT personnummer, gatuadress FROM skola.vardnadshavare WHERE id = 1`);
    const again = await createDatabase('pgmask_heldout');
    try {
      await buildHeldOutDatabase(again.url);
      const [second] = await again.query(`SELECT personnummer, gatuadress FROM skola.vardnadshavare WHERE id = 1`);
      expect(second).toEqual(first);
    } finally {
      await again.drop();
    }
  });
});
