import { beforeAll, describe, expect, it } from 'vitest';
import { localeData } from '../../../src/random/faker.js';
import { luhnCheckDigit } from '../../../src/se/luhn.js';
import { runCli } from '../../support/cli.js';
import { createDatabase, useDatabase } from '../../support/database.js';
import { needsPgDump } from '../../support/pg-dump.js';
import { writeRulesFile } from '../../support/rules-file.js';

/**
 * A small webshop as a new user rules it: the customer's own columns masked, free text
 * scrubbed. The notes must agree with their row (also under `unique: true`), a bare mobile
 * number must stay a phone number, and ticket bodies must keep no customer's name.
 */

const CUSTOMERS = 500;

const { file: rulesFile } = writeRulesFile(
  'pgmask-row-scrub-',
  `version: 1
unlisted: fail
tables:
  public.customers:
    columns:
      id: keep
      full_name: person.full_name
      personnummer: { transform: se.personnummer, unique: true }
      phone: se.phone
      email: email
      note: text.scrub
      tags: { transform: array, element: text.scrub }
  public.tickets:
    columns:
      id: keep
      customer_id: keep
      body: text.scrub
`,
);

interface Customer {
  id: number;
  full_name: string;
  personnummer: string;
  phone: string;
  email: string;
  note: string;
  tags: string[];
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Customer i: a Swedish name, a valid personnummer, and a mobile number whose digits also read as a possible date (07MMDD…). */
function customer(i: number): Customer {
  const female = i % 2 === 0;
  const firsts = female ? localeData.firstNames.female : localeData.firstNames.male;
  const first = firsts[(i * 7) % firsts.length]!;
  const last = localeData.lastNames[(i * 13) % localeData.lastNames.length]!;
  const nine = `${pad(50 + (i % 49))}${pad(1 + (i % 12))}${pad(1 + (i % 28))}${pad(10 + (i % 80))}${female ? 2 * (i % 5) : 2 * (i % 5) + 1}`;
  const personnummer = `19${nine}${luhnCheckDigit(nine)}`;
  const phone = `07${pad(1 + (i % 12))}${pad(1 + ((i * 3) % 28))}${pad(i % 100)}${pad((i * 7) % 100)}`;
  const email = `${first}.${last}${i}@webshop-kund.se`.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const short = `${personnummer.slice(2, 8)}-${personnummer.slice(8)}`;
  const note = `Ring ${phone} efter kl 10. ${last}, ${first} (pnr ${short}) vill ha faktura till ${email.toUpperCase()}.`;
  return { id: i, full_name: `${first} ${last}`, personnummer, phone, email, note, tags: [phone, `vip-${i % 3}`, phone.slice(0, 3) + '-' + phone.slice(3)] };
}

const words = (text: string): Set<string> => new Set(text.toLowerCase().split(/[^\p{L}-]+/u));

describe('pgmask copy scrubs free text that agrees with its row', async () => {
  const source = await useDatabase('pgmask_row_scrub_src');
  const customers = Array.from({ length: CUSTOMERS }, (_, k) => customer(k + 1));
  beforeAll(async () => {
    await source.query(`
      CREATE TABLE customers (id int PRIMARY KEY, full_name text NOT NULL, personnummer text UNIQUE NOT NULL, phone text, email text, note text, tags text[]);
      CREATE TABLE tickets (id int PRIMARY KEY, customer_id int REFERENCES customers, body text);`);
    await source.query(`INSERT INTO customers SELECT * FROM json_populate_recordset(NULL::customers, $1)`, [JSON.stringify(customers)]);
    await source.query(`
      INSERT INTO tickets
        SELECT c.id, c.id, CASE c.id % 3
          WHEN 0 THEN 'Ärende från ' || c.full_name || ': leveransen är sen. Kunden vill ha svar i dag.'
          WHEN 1 THEN 'Customer ' || c.full_name || ' called about the invoice. Will follow up Monday.'
          ELSE 'Hej ' || split_part(c.full_name, ' ', 1) || ', tack för ditt samtal! Mvh Support' END
        FROM customers c;
      ANALYZE;`);
  });

  it('writes into each note the values its row was masked to, keeps bare mobile numbers phone numbers, and leaves no name in tickets', await needsPgDump(), async () => {
    const target = await createDatabase('pgmask_row_scrub_dst');
    try {
      const result = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', rulesFile]);
      expect(result.stderr).toContain('succeeded');
      expect(result.code).toBe(0);
      const masked = await target.query<Customer>('SELECT * FROM customers ORDER BY id');
      expect(masked).toHaveLength(CUSTOMERS);

      let disagreeing = 0;
      for (const [k, row] of masked.entries()) {
        const [first, last] = row.full_name.split(' ');
        const short = `${row.personnummer.slice(2, 8)}-${row.personnummer.slice(8)}`;
        const expected = `Ring ${row.phone} efter kl 10. ${last}, ${first} (pnr ${short}) vill ha faktura till ${row.email.toUpperCase()}.`;
        if (row.note !== expected) disagreeing++;
        // A bare mobile number stays a phone number: one PTS reserves for fiction, the row's own.
        expect(row.phone).toMatch(/^070174\d{4}$/);
        expect(row.tags[0]).toBe(row.phone);
        expect(row.tags[2]).toMatch(/^070-174\d{4}$/);
        expect(row.tags[1]).toBe(customers[k]!.tags[1]);
      }
      expect(disagreeing).toBe(0);
      // unique: true holds, and so no note names another customer's number.
      expect(new Set(masked.map((r) => r.personnummer)).size).toBe(CUSTOMERS);

      const tickets = await target.query<{ id: number; body: string }>('SELECT id, body FROM tickets ORDER BY id');
      let named = 0;
      for (const ticket of tickets) {
        const original = customers[ticket.id - 1]!.full_name.toLowerCase().split(' ');
        const kept = words(ticket.body);
        if (original.some((w) => kept.has(w))) named++;
      }
      expect(named).toBe(0);
    } finally {
      await target.drop();
    }
  });
});
