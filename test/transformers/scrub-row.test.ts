import { describe, expect, it } from 'vitest';
import { findTransformer, ruleReads } from '../../src/transformers/registry.js';
import type { RowColumn } from '../../src/transformers/transformer.js';
import { build, row, session } from './support.js';

/** The masked columns of a customers table, as a run gives them to its text.scrub rules. */
const ROW: readonly RowColumn[] = [
  { name: 'first_name', inText: 'first_name' },
  { name: 'last_name', inText: 'last_name' },
  { name: 'full_name', inText: 'full_name' },
  { name: 'personnummer', inText: 'identity' },
  { name: 'phone', inText: 'phone' },
  { name: 'email', inText: 'email' },
  { name: 'street', inText: 'phrase' },
  { name: 'customer_ref', inText: undefined },
];

const original = {
  first_name: 'Kurt',
  last_name: 'Holmqvist',
  full_name: 'Britt-Marie Ek Sundin',
  personnummer: '19811218-9876',
  phone: '070-226 31 53',
  email: 'kurt.h@gmail.com',
  street: 'Storgatan 12',
  customer_ref: 'K-4711',
};
const masked = {
  first_name: 'Patrik',
  last_name: 'Lundström',
  full_name: 'Eva Dahl',
  personnummer: '19890214-2397',
  phone: '070-174 06 45',
  email: 'ake.hansen.q2@example.com',
  street: 'Kungsvägen 3',
  customer_ref: 'X-0000',
};

describe('text.scrub, row-aware', () => {
  const scrub = (text: string, options: Record<string, unknown> = {}, rowValues = row(original, masked)) =>
    build(session(), { transform: 'text.scrub', options }, { column: 'note', row: ROW })(text, rowValues);

  it("writes the row's own masked values, in the spelling the text used", () => {
    expect(scrub('Kurt Holmqvist ringde. HOLMQVIST, kurt. Kurts order, Holmqvists faktura.')).toBe(
      'Patrik Lundström ringde. LUNDSTRÖM, patrik. Patriks order, Lundströms faktura.',
    );
    expect(scrub('pnr 811218-9876, 198112189876, 8112189876, 19811218-9876')).toBe('pnr 890214-2397, 198902142397, 8902142397, 19890214-2397');
    expect(scrub('Ring 0702263153, +46 70 226 31 53 eller 070-2263153')).toBe('Ring 0701740645, +46 70 174 06 45 eller 070-1740645');
    expect(scrub('Mejl: KURT.H@GMAIL.COM och Kurt.H@gmail.com')).toBe('Mejl: AKE.HANSEN.Q2@EXAMPLE.COM och ake.hansen.q2@example.com');
    expect(scrub('Bor på storgatan 12, 3 tr.')).toBe('Bor på Kungsvägen 3, 3 tr.');
  });

  it('maps a full name word by word: first to first, family to family, in any order', () => {
    const out = scrub('Britt-Marie Ek Sundin; Sundin, Britt-Marie; fru Sundin')!;
    expect(out).toMatch(/^Eva \p{Lu}\p{Ll}+ Dahl; Dahl, Eva; fru Dahl$/u);
    expect(out).not.toMatch(/Britt|Sundin|\bEk\b/);
  });

  it('agrees with the row also where the generic pseudonym would differ (another scope, unique: true)', () => {
    // The row's masked personnummer is whatever its rule gave (here not what text.scrub alone would give).
    const alone = build(session(), 'text.scrub', { column: 'note' })('pnr 811218-9876');
    expect(alone).not.toBe('pnr 890214-2397');
    expect(scrub('pnr 811218-9876')).toBe('pnr 890214-2397');
  });

  it('looks only for the columns `row:` names, and for none with `row: false`', () => {
    expect(scrub('Kurt ringde från 0702263153', { row: ['phone'] })).toMatch(/^(?!Kurt|Patrik)\p{Lu}\p{Ll}+ ringde från 0701740645$/u);
    expect(scrub('Ref K-4711 gäller', { row: ['customer_ref'] })).toBe('Ref X-0000 gäller');
    expect(scrub('Ref K-4711 gäller')).toBe('Ref K-4711 gäller');
    const off = scrub('Kurt ringde från 0702263153', { row: false })!;
    expect(off).not.toContain('Patrik');
    expect(off).not.toContain('0702263153');
  });

  it('lets the generic scrub handle a value whose column was masked to NULL', () => {
    const out = scrub('Ring 0702263153', {}, row(original, { ...masked, phone: null }))!;
    expect(out).toMatch(/^Ring 070174\d{4}$/);
  });

  it('reads the columns it looks for, so a run masks them first and keeps them on one thread with the note', () => {
    const column = { column: 'note', row: ROW };
    expect(ruleReads({ transform: 'text.scrub' }, findTransformer, column)).toEqual(['first_name', 'last_name', 'full_name', 'personnummer', 'phone', 'email', 'street']);
    expect(ruleReads({ transform: 'text.scrub', options: { row: ['phone', 'customer_ref'] } }, findTransformer, column)).toEqual(['phone', 'customer_ref']);
    expect(ruleReads({ transform: 'text.scrub', options: { row: false } }, findTransformer, column)).toEqual([]);
    expect(ruleReads({ transform: 'json', options: { paths: { '$.note': 'text.scrub' } } }, findTransformer, column)).toContain('personnummer');
    // Without the table's columns (a rules file checked alone), only the columns `row:` names.
    expect(ruleReads({ transform: 'text.scrub' })).toEqual([]);
  });

  it('works in json string leaves and array elements', () => {
    const s = session();
    const json = build(
      s,
      { transform: 'json', options: { paths: { '$.note': 'text.scrub', '$.log[*]': 'text.scrub' } } },
      { column: 'data', family: 'json', type: 'jsonb', row: ROW },
    );
    expect(json('{"log": ["Kurt ringde 0702263153"], "note": "Mejla kurt.h@gmail.com"}', row(original, masked))).toBe(
      '{"log": ["Patrik ringde 0701740645"], "note": "Mejla ake.hansen.q2@example.com"}',
    );
    const array = build(s, { transform: 'array', options: { element: 'text.scrub' } }, { column: 'tags', family: 'array', elementFamily: 'text', type: 'text[]', row: ROW });
    expect(array('{"Holmqvist 811218-9876",vip}', row(original, masked))).toBe('{"Lundström 890214-2397",vip}');
  });
});

describe('text.scrub, phone number or personnummer', () => {
  const scrub = build(session(), 'text.scrub');
  const pnr = build(session(), 'se.personnummer');
  const phone = build(session(), 'se.phone');

  it('reads a number that is a Swedish phone number as written as a phone number', () => {
    for (const tel of ['0702263153', '070-226 31 53', '070 226 31 53', '070-2263153', '+46702263153', '+46 70 226 31 53', '0046702263153', '08-123 456 78']) {
      expect(scrub(`Ring ${tel} i dag`)).toBe(`Ring ${phone(tel)} i dag`);
    }
  });

  it("reads it as a personnummer when it carries a personnummer's separator, 12 digits, or a marker", () => {
    for (const id of ['070226-3153', '20070226-3153', '200702263153', '811218-9876', '8112189876']) {
      expect(scrub(`Kund ${id} ringde`)).toBe(`Kund ${pnr(id)} ringde`);
    }
    for (const marker of ['pnr', 'Pnr:', 'personnummer', 'pers.nr', 'pers nr', 'p-nr', 'födelsenummer', 'SSN #']) {
      expect(scrub(`${marker} 0702263153`)).toBe(`${marker} ${pnr('0702263153')}`);
    }
    // Written with a space where a personnummer has none, after a marker: still a personnummer.
    expect(scrub('pnr 070226 3153')).toBe(`pnr ${pnr('0702263153')}`);
    expect(scrub('tel 070226 3153')).toBe(`tel ${phone('070226 3153')}`);
  });

  it('gives a phone number that is no possible date to the phone reader, whatever stands before it', () => {
    expect(scrub('pnr 0712345678')).toBe(`pnr ${phone('0712345678')}`);
  });
});
