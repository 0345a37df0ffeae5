import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../../../src/catalog/read-catalog.js';
import { parseRules } from '../../../src/config/parse-rules.js';
import { Session } from '../../../src/db/connection.js';
import { checkRules } from '../../../src/pipeline/checks/check-rules.js';
import { type ScanResult, scanDatabase } from '../../../src/pipeline/scan/scan-database.js';
import { createDatabase, type TestDatabase } from '../../support/database.js';

/** Values that must never appear in anything scan writes. */
const CANARIES = ['198112189876', 'Kanarie', 'Fågelsson', 'kanarie.fagelsson@gmail.com', '070-226 31 53', 'Drottninggatan 71', '113 60', 'SE4550000000058398257466'];

const SCHEMA = `
CREATE TABLE kunder (
  id serial PRIMARY KEY,
  personnummer text UNIQUE,
  fornamn text NOT NULL,
  efternamn text NOT NULL,
  fodelsedatum date,
  epost text UNIQUE,
  telefon varchar(30),
  gatuadress text,
  postnummer varchar(6),
  anteckningar text,
  profil jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  status text NOT NULL DEFAULT 'aktiv'
);
CREATE TABLE ordrar (
  id bigserial PRIMARY KEY,
  kund_epost text REFERENCES kunder (epost),
  ordernummer text NOT NULL,
  belopp numeric(10, 2) NOT NULL,
  skapad date NOT NULL
);
CREATE TABLE products (id int PRIMARY KEY, name text NOT NULL, description text, sku text UNIQUE, tags text[]);
CREATE TABLE sessions (id uuid PRIMARY KEY, client inet, extra text, reset_password_token text);
CREATE TABLE empty_contacts (id int PRIMARY KEY, email text, mobile text, notes text);
COMMENT ON COLUMN sessions.extra IS 'Kundens e-postadress vid inloggning';
CREATE TABLE events (id int, kind text, payload jsonb) PARTITION BY RANGE (id);
CREATE TABLE events_1 PARTITION OF events FOR VALUES FROM (0) TO (1000);
CREATE TABLE events_2 PARTITION OF events FOR VALUES FROM (1000) TO (2000);
`;

const FIRST = ['Anna', 'Erik', 'Karin', 'Lars', 'Maria', 'Johan', 'Eva', 'Anders', 'Sara', 'Per'];
const LAST = ['Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson', 'Svensson', 'Gustafsson'];

/** A valid personnummer (Luhn) for row i: 19YYMMDD-NNNC in twelve digits. */
function personnummer(i: number): string {
  const date = `19${String(50 + (i % 40)).padStart(2, '0')}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}`;
  const serial = String(100 + (i % 900)).padStart(3, '0');
  const nine = date.slice(2) + serial;
  let sum = 0;
  for (let k = 0; k < 9; k++) {
    let d = Number(nine[k]) * (k % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return `${date}${serial}${(10 - (sum % 10)) % 10}`;
}

async function fill(db: TestDatabase): Promise<void> {
  await db.query(SCHEMA);
  const rows: string[] = [];
  for (let i = 0; i < 300; i++) {
    const first = FIRST[i % 10]!;
    const last = LAST[(i * 7) % 10]!;
    const pnr = i === 0 ? '198112189876' : personnummer(i);
    const phone = `070-${String(1000000 + i * 7).slice(0, 3)} ${String(10 + (i % 90))} ${String(10 + ((i * 3) % 90))}`;
    const note = i % 3 === 0 ? `Ringde ${first} ${last} om fakturan, nås på ${phone}.` : 'Kunden vill ha faktura per post.';
    const profile = JSON.stringify({ kontakt: { epost: `${first}.${last}${i}@gmail.com`.toLowerCase(), mobil: phone }, tema: 'mörkt' });
    rows.push(
      `(${[
        pnr,
        first,
        last,
        `${pnr.slice(0, 4)}-${pnr.slice(4, 6)}-${pnr.slice(6, 8)}`,
        `${first}.${last}${i}@gmail.com`.toLowerCase(),
        phone,
        `Storgatan ${1 + (i % 80)}`,
        `1${String(10 + (i % 89))} ${String(10 + (i % 89))}`,
        note,
        profile,
      ]
        .map((v) => `'${v.replaceAll("'", "''")}'`)
        .join(', ')})`,
    );
  }
  rows[1] = `('199001011239', 'Kanarie', 'Fågelsson', '1990-01-01', 'kanarie.fagelsson@gmail.com', '070-226 31 53', 'Drottninggatan 71', '113 60', 'Kanarie Fågelsson ringde från 070-226 31 53.', '{"iban": "SE4550000000058398257466"}')`;
  await db.query(`INSERT INTO kunder (personnummer, fornamn, efternamn, fodelsedatum, epost, telefon, gatuadress, postnummer, anteckningar, profil) VALUES ${rows.join(',\n')}`);
  await db.query(`INSERT INTO ordrar (kund_epost, ordernummer, belopp, skapad) SELECT epost, 'ORD-' || (100000 + id), 100 + id, DATE '2024-01-01' + id FROM kunder`);
  await db.query(
    `INSERT INTO products SELECT g, 'Produkt ' || g, 'En stabil stol i ek, tål ' || g || ' kilo. Levereras monterad.', 'SKU-' || (10000 + g), ARRAY['ek', 'stol'] FROM generate_series(1, 200) g`,
  );
  await db.query(`INSERT INTO sessions SELECT gen_random_uuid(), ('10.0.' || (g % 250) || '.' || (g % 200))::inet, NULL FROM generate_series(1, 50) g`);
  await db.query(`INSERT INTO events SELECT g, 'click', jsonb_build_object('user', jsonb_build_object('email', 'user' || g || '@example.org')) FROM generate_series(1, 1999) g`);
  await db.query('ANALYZE');
}

describe('scanDatabase', () => {
  let db: TestDatabase;
  afterAll(() => db?.drop());
  let result: ScanResult;
  const rule = (table: string, column: string) => result.tables.find((t) => t.key === table)?.columns.find((c) => c.column === column);

  beforeAll(async () => {
    db = await createDatabase('pgmask_scan');
    await fill(db);
    result = await scanDatabase({ source: db.url, now: new Date('2026-12-07T00:00:00Z') });
  }, 60_000);

  it('proposes a rule for every column of every table, partitions under their parent', () => {
    expect(result.tables.map((t) => t.key).sort()).toEqual(['public.empty_contacts', 'public.events', 'public.kunder', 'public.ordrar', 'public.products', 'public.sessions']);
    expect(result.tables.find((t) => t.key === 'public.kunder')!.columns).toHaveLength(13);
  });

  it('writes a rules file validate accepts as it is, against the same database', async () => {
    const parsed = parseRules(result.rules, 'scanned.yaml');
    expect(parsed.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const session = await Session.connect(db.url, 'source');
    try {
      const catalog = await readCatalog(session);
      expect(checkRules(parsed.rules!, catalog).filter((f) => f.severity === 'error')).toEqual([]);
    } finally {
      await session.end();
    }
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('masks identity numbers, names, contact details and addresses with their own transformers, coherently', () => {
    expect(rule('public.kunder', 'personnummer')?.rule).toEqual({ transform: 'se.personnummer', unique: true });
    expect(rule('public.kunder', 'fornamn')?.rule).toEqual({ transform: 'person.first_name', options: { sex_from: 'personnummer' } });
    expect(rule('public.kunder', 'efternamn')?.rule.transform).toBe('person.last_name');
    expect(rule('public.kunder', 'fodelsedatum')?.rule).toEqual({ transform: 'se.birth_date', options: { from: 'personnummer' } });
    expect(rule('public.kunder', 'telefon')?.rule.transform).toMatch(/phone/);
    expect(rule('public.kunder', 'gatuadress')?.rule.transform).toBe('address.street');
    expect(rule('public.kunder', 'postnummer')?.rule.transform).toBe('se.postal_code');
    expect(rule('public.kunder', 'anteckningar')?.rule.transform).toBe('text.scrub');
    expect(rule('public.sessions', 'client')?.rule.transform).toBe('ip');
  });

  it('gives a foreign key the rule of the column it references, so joins hold', () => {
    const parent = rule('public.kunder', 'epost')!;
    const child = rule('public.ordrar', 'kund_epost')!;
    expect(parent.rule).toEqual({ transform: 'email' });
    expect(child.rule.transform).toBe('email');
    expect(child.rule.options).toEqual(parent.rule.options);
    expect(child.evidence.join(' ')).toMatch(/references public\.kunder\(epost\)/);
  });

  it('finds json paths that hold personal values', () => {
    const profil = rule('public.kunder', 'profil')!;
    expect(profil.rule.transform).toBe('json');
    const paths = Object.keys((profil.rule.options as { paths: Record<string, unknown> }).paths);
    expect(paths).toEqual(expect.arrayContaining(['$.kontakt.epost', '$.kontakt.mobil']));
    const payload = rule('public.events', 'payload')!;
    expect(payload.rule.transform).toBe('json');
  });

  it('keeps codes, amounts, product text and keys', () => {
    for (const [table, column] of [
      ['public.kunder', 'id'],
      ['public.kunder', 'created_at'],
      ['public.kunder', 'status'],
      ['public.ordrar', 'ordernummer'],
      ['public.ordrar', 'belopp'],
      ['public.ordrar', 'skapad'],
      ['public.products', 'name'],
      ['public.products', 'sku'],
      ['public.products', 'tags'],
      ['public.sessions', 'id'],
    ] as const) {
      expect(rule(table, column)?.rule.transform, `${table}.${column}`).toBe('keep');
    }
  });

  it('says why it keeps free text in which it found nothing, so validate need not warn', () => {
    expect(rule('public.products', 'description')?.rule).toEqual({ transform: 'keep', options: { reason: 'pgmask scan: nothing personal in its 200 values' } });
  });

  it('asks for a review of secrets, which are no personal data but work against production', () => {
    const token = rule('public.sessions', 'reset_password_token')!;
    expect(token.rule.transform).toBe('keep');
    expect(token.review).toMatch(/a secret \(a password hash, token or key\)/);
  });

  it('decides empty tables by names and comments alone', () => {
    expect(rule('public.empty_contacts', 'email')?.rule.transform).toBe('email');
    expect(rule('public.empty_contacts', 'mobile')?.rule.transform).toMatch(/phone/);
    expect(rule('public.empty_contacts', 'notes')?.rule.transform).toBe('text.scrub');
    expect(rule('public.sessions', 'extra')?.kind).toBe('email');
  });

  it('states its evidence in counts, and never a sampled value', () => {
    const epost = rule('public.kunder', 'epost')!;
    expect(epost.evidence.join('; ')).toMatch(/of 300 sampled values are e-mail addresses/);
    const everything = `${result.rules}\n${JSON.stringify(result)}`;
    for (const canary of CANARIES) expect(everything.includes(canary), canary).toBe(false);
  });

  it('counts the rows of tables it read whole, and lists personal columns in the inventory', () => {
    const kunder = result.inventory.find((t) => t.key === 'public.kunder')!;
    expect(kunder.rows).toBe(300);
    expect(kunder.columns.map((c) => c.column)).toEqual(expect.arrayContaining(['personnummer', 'fornamn', 'epost', 'anteckningar']));
    expect(result.inventory.find((t) => t.key === 'public.products')!.columns).toEqual([]);
  });

  it('adds only what an existing rules file is missing, keeping its rules and comments', async () => {
    const existing = `# our rules\nversion: 1\nunlisted: fail\ntables:\n  public.kunder:\n    columns:\n      id: keep # the key\n      personnummer: { transform: se.personnummer, unique: true }\n`;
    const completed = await scanDatabase({ source: db.url, existing: { text: existing, file: 'rules.yaml' } });
    expect(completed.rules.startsWith(existing.trimEnd().split('\n').slice(0, -1).join('\n'))).toBe(true);
    expect(completed.rules).toContain('id: keep # the key');
    expect(completed.added?.some((a) => a.table === 'public.kunder' && a.column === 'epost')).toBe(true);
    expect(completed.added?.some((a) => a.table === 'public.products' && a.column === undefined)).toBe(true);
    expect(completed.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const again = await scanDatabase({ source: db.url, existing: { text: completed.rules, file: 'rules.yaml' } });
    expect(again.added).toEqual([]);
    expect(again.rules).toBe(completed.rules);
  });
});
