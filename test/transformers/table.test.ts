import { describe, expect, it } from 'vitest';
import { PgmaskError } from '../../src/errors.js';
import { transformers } from '../../src/transformers/registry.js';
import type { ColumnTarget, RuleSpec } from '../../src/transformers/transformer.js';
import { build, row, session } from './support.js';

type Check = string | null | RegExp | ((out: string | null) => void);
interface Table {
  readonly spec?: Omit<RuleSpec, 'transform'>;
  readonly column?: Partial<ColumnTarget>;
  readonly cases: readonly (readonly [input: string | null, check: Check])[];
}

const UNICODE = 'Åsa Öberg-Ärlig 😀 ﬁ';
const LONG = 'x'.repeat(10_000);
const changed = (input: string) => (out: string | null) => {
  expect(out).not.toBeNull();
  expect(out).not.toBe(input);
};

/** Per transformer: NULL, empty, unicode, extremes — and what must come out. */
const TABLES: Record<string, Table> = {
  keep: {
    cases: [
      [null, null],
      ['', ''],
      [UNICODE, UNICODE],
      [LONG, LONG],
    ],
  },
  null: {
    cases: [
      [null, null],
      ['', null],
      [UNICODE, null],
      [LONG, null],
    ],
  },
  redact: {
    cases: [
      [null, null],
      ['', 'REDACTED'],
      [UNICODE, 'REDACTED'],
      [LONG, 'REDACTED'],
    ],
  },
  hash: {
    cases: [
      [null, null],
      ['', /^[0-9a-f]{32}$/],
      [UNICODE, /^[0-9a-f]{32}$/],
      [LONG, /^[0-9a-f]{32}$/],
    ],
  },
  'person.first_name': {
    cases: [
      [null, null],
      ['', ''],
      [UNICODE, /^\p{L}[\p{L}-]*$/u],
      [LONG, /^\p{L}[\p{L}-]*$/u],
    ],
  },
  'person.last_name': {
    cases: [
      [null, null],
      ['', ''],
      [UNICODE, /^\p{L}[\p{L}-]*$/u],
      [LONG, /^\p{L}[\p{L}-]*$/u],
    ],
  },
  'person.full_name': {
    cases: [
      [null, null],
      ['', ''],
      [UNICODE, /^\p{L}+ \p{L}+$/u],
      ['Ensam', /^\p{L}+ \p{L}+$/u],
      [`  ${LONG}  `, /^\p{L}+ \p{L}+$/u],
    ],
  },
  email: {
    cases: [
      [null, null],
      ['', ''],
      [UNICODE, /^[a-z0-9.-]+\.[a-z2-7]{10}@example\.com$/],
      [LONG, /^[a-z0-9.-]+@example\.com$/],
      ['ANNA@EXAMPLE.COM', changed('ANNA@EXAMPLE.COM')],
    ],
  },
  phone: {
    cases: [
      [null, null],
      ['', ''],
      ['ring mig', 'ring mig'],
      ['+46 (0)8-123 45 67', /^\+46 \(0\)8-\d{3} \d\d \d\d$/],
      ['0'.repeat(30), /^00\d{28}$/],
    ],
  },
  'se.phone': {
    cases: [
      [null, null],
      ['', ''],
      ['070-123 45 67', /^070-174 06 \d\d$/],
      ['0980-123 45', /^0(8-465 004 \d\d|31-390 06 \d\d|40-628 04 \d\d|980-319 2\d\d)$/],
    ],
  },
  'address.street': {
    cases: [
      [null, null],
      ['', ''],
      [UNICODE, /^[\p{L} ]+$/u],
      ['Storgatan 12B', /^[\p{L} ]+ \d{1,3}$/u],
      [LONG, /^[\p{L} ]+$/u],
    ],
  },
  'address.city': {
    cases: [
      [null, null],
      ['', ''],
      [UNICODE, /^\p{L}+$/u],
      [LONG, /^\p{L}+$/u],
    ],
  },
  'se.postal_code': {
    spec: { options: { keep: 2 } },
    cases: [
      [null, null],
      ['', ''],
      ['411 06', /^41\d \d\d$/],
      ['41106', /^41\d{3}$/],
      ['012 34', /^[1-9]\d{2} \d\d$/],
      [UNICODE, /^[1-9]\d{2} \d\d$/],
    ],
  },
  'se.personnummer': {
    cases: [
      [null, null],
      ['', ''],
      ['811218-9876', /^\d{6}[-+]\d{4}$/],
      ['198112189876', /^\d{12}$/],
      [UNICODE, /^\d{8}-\d{4}$/],
      ['not a number', /^\d{12}$/],
      ['0000000000', /^\d{10}$/],
      ['00000000000', /^\d{12}$/],
    ],
  },
  'se.samordningsnummer': {
    cases: [
      [null, null],
      ['', ''],
      ['701063-2391', /^\d{4}[6-9]\d[-+]\d{4}$/],
      [UNICODE, /^\d{6}[6-9]\d-\d{4}$/],
    ],
  },
  'se.organisationsnummer': {
    cases: [
      [null, null],
      ['', ''],
      ['556036-0793', /^5\d[2-9]\d{3}-\d{4}$/],
      ['165560360793', /^165\d[2-9]\d{7}$/],
      ['811218-9876', /^\d{6}[-+]\d{4}$/],
      [UNICODE, /^5\d[2-9]\d{3}-\d{4}$/],
    ],
  },
  'se.birth_date': {
    spec: { options: { from: 'personnummer' } },
    column: { family: 'date', type: 'date' },
    cases: [
      [null, null],
      ['', ''],
      ['1981-12-18', /^\d{4}-\d\d-\d\d$/],
      ['infinity', /^\d{4}-\d\d-\d\d$/],
    ],
  },
  'date.shift': {
    spec: { options: { max_days: 10 } },
    cases: [
      [null, null],
      ['', ''],
      ['infinity', 'infinity'],
      ['-infinity', '-infinity'],
      ['2000-01-01', (out) => expect(Math.abs(Date.parse(out!) - Date.parse('2000-01-01')) / 86_400_000).toBeGreaterThanOrEqual(1)],
      ['2024-02-29 23:59:59.999999+01', /^2024-0[23]-\d\d 23:59:59\.999999\+01$/],
      ['0044-03-15 BC', /^0044-0[23]-\d\d BC$/],
      ['9999-12-31', /^(9999-12-\d\d|10000-01-\d\d)$/],
    ],
  },
  'date.generalize': {
    cases: [
      [null, null],
      ['', ''],
      ['1981-12-18', '1981-12-01'],
      ['1981-12-18 13:14:15.5+02', '1981-12-01 00:00:00+02'],
      ['0044-03-15 BC', '0044-03-01 BC'],
      ['infinity', 'infinity'],
    ],
  },
  'number.noise': {
    spec: { options: { percent: 10 } },
    column: { family: 'numeric', type: 'numeric(7,2)' },
    cases: [
      [null, null],
      ['', ''],
      ['0', '0'],
      ['0.00', '0.00'],
      ['NaN', 'NaN'],
      ['-48500.00', (out) => expect(out).toMatch(/^-\d{5}\.\d\d$/)],
      ['99999.99', (out) => expect(Number(out)).toBeLessThanOrEqual(99999.99)],
      ['0.01', /^0\.0[1-9]$|^0\.01$/],
    ],
  },
  'text.lorem': {
    cases: [
      [null, null],
      ['', ''],
      [UNICODE, (out) => expect([...out!].length).toBeLessThanOrEqual([...UNICODE].length)],
      ['a\nb c', /^\S\n\S+$/],
      [LONG, (out) => expect(out!.length).toBeLessThanOrEqual(LONG.length)],
    ],
  },
  'text.scrub': {
    cases: [
      [null, null],
      ['', ''],
      // A person's name: first and family name become pseudonyms, the rest stays.
      [
        UNICODE,
        (out) => {
          expect(out).toMatch(/^\p{Lu}[\p{L}-]+ \p{Lu}[\p{L}-]+ 😀 ﬁ$/u);
          expect(out).not.toMatch(/Åsa|Öberg|Ärlig/);
        },
      ],
      ['Räksmörgås 😀 åäö ﬁ', 'Räksmörgås 😀 åäö ﬁ'],
      [LONG, LONG],
      ['från 81.232.47.115 och 2a02:aa1::5, version 1.2.3.4 kl 12:30', /^från (192\.0\.2|198\.51\.100|203\.0\.113)\.\d+ och 2001:db8:[0-9a-f:]+, version 1\.2\.3\.4 kl 12:30$/],
    ],
  },
  json: {
    spec: { options: { paths: { '$.a': 'email', '$.list[*].tel': 'se.phone', '$.n': 'number.noise' } } },
    column: { family: 'json', type: 'jsonb' },
    cases: [
      [null, null],
      ['{}', '{}'],
      ['[]', '[]'],
      ['{"a": null, "big": 123456789012345678901234567890}', '{"a": null, "big": 123456789012345678901234567890}'],
      [
        '{"a": "x@y.se", "list": [{"tel": "070-123 45 67"}, {"tel": null}, {"x": 1}]}',
        /^\{"a": "[a-z.0-9]+@example\.com", "list": \[\{"tel": "070-174 06 \d\d"\}, \{"tel": null\}, \{"x": 1\}\]\}$/,
      ],
      ['{"n": 1000}', /^\{"n": \d+\}$/],
      ['{"a": "\\u00e5\\"\\n😀"}', /^\{"a": "[a-z.0-9]+@example\.com"\}$/],
    ],
  },
  template: {
    spec: { options: { template: '{first_name}.{last_name}@example.com' } },
    cases: [
      [null, null],
      ['', 'asa.oberg@example.com'],
      [UNICODE, 'asa.oberg@example.com'],
    ],
  },
  array: {
    spec: { options: { element: 'se.phone' } },
    column: { family: 'array', elementFamily: 'text', type: 'text[]' },
    cases: [
      [null, null],
      ['{}', '{}'],
      ['{NULL}', '{NULL}'],
      ['{"070-123 45 67",NULL,""}', /^\{"070-174 06 \d\d",NULL,""\}$/],
      ['{{0701234567},{0812345678}}', /^\{\{070174\d{4}\},\{0\d+\}\}$/],
      ['[0:0]={0701234567}', /^\[0:0\]=\{070174\d{4}\}$/],
    ],
  },
  ip: {
    column: { family: 'network', type: 'inet' },
    cases: [
      [null, null],
      ['', ''],
      ['0.0.0.0', /^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+$/],
      ['255.255.255.255/32', /^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+\/32$/],
      ['0.0.0.0/0', '0.0.0.0/0'],
      ['::', /^2001:db8:/],
      ['::/0', '::/0'],
      ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128', /^2001:db8:[0-9a-f:]+\/128$/],
      ['::ffff:0.0.0.0', /^::ffff:(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+$/],
    ],
  },
  uuid: {
    column: { family: 'uuid', type: 'uuid' },
    cases: [
      [null, null],
      ['00000000-0000-0000-0000-000000000000', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/],
    ],
  },
};

describe('every transformer, table-driven', () => {
  it('has a table for every registered transformer', () => {
    expect(Object.keys(TABLES).sort()).toEqual(transformers.map((t) => t.name).sort());
  });

  const s = session();
  const r = row({ personnummer: '811218-9876', first_name: 'Karin', last_name: 'Berg' }, { personnummer: '811218-9876', first_name: 'Åsa', last_name: 'Öberg' });
  for (const [name, table] of Object.entries(TABLES)) {
    describe(name, () => {
      const fn = build(s, { transform: name, ...table.spec }, { column: name, ...table.column });
      it.each(
        table.cases.map(
          ([input, check]) => [input === null ? 'NULL' : input.length > 40 ? `${input.slice(0, 20)}… (${input.length})` : JSON.stringify(input), input, check] as const,
        ),
      )('%s', (_label, input, check) => {
        const out = fn(input, r);
        if (typeof check === 'function') check(out);
        else if (check instanceof RegExp) expect(out).toMatch(check);
        else expect(out).toBe(check);
      });
    });
  }
});

describe('failures name the column, never the value', () => {
  it.each([
    ['date.shift', 'not a date SECRET-1', {}],
    ['date.generalize', 'SECRET-2', {}],
    ['number.noise', 'SECRET-3', { family: 'numeric' as const }],
    ['json', '{"SECRET-4": ', { family: 'json' as const }],
    ['array', '{"SECRET-5"', { family: 'array' as const }],
    ['ip', 'SECRET-6', {}],
  ])('%s', (name, input, column) => {
    const fn = build(
      session(),
      name === 'json' ? { transform: name, options: { paths: { '$.a': 'email' } } } : name === 'array' ? { transform: name, options: { element: 'email' } } : name,
      { table: 'public.t', column: 'c', ...column },
    );
    try {
      fn(input);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PgmaskError);
      expect((error as Error).message).toContain('public.t');
      expect((error as Error).message).not.toContain('SECRET');
    }
  });
});
