/**
 * Nanoseconds per value for the keyed PRF and every transformer, on short inputs.
 * Run: npm run bench:transformers (the Skatteverket lists shipped with pgmask, or PGMASK_TESTDATA_DIR).
 */
import { randomBytes } from 'node:crypto';
import { buildTransform } from '../src/masking/build-transform.js';
import { createMaskingSession } from '../src/masking/masking-session.js';
import { maskingKeyFromBytes } from '../src/random/key.js';
import { luhnCheckDigit } from '../src/se/luhn.js';
import { transformers } from '../src/transformers/registry.js';
import type { ColumnTarget, RowValues, RuleSpec } from '../src/transformers/transformer.js';

const N = 1024;
const pad = (n: number, w: number): string => String(n).padStart(w, '0');
const pnr = (i: number): string => {
  const nine = `${pad(50 + (i % 50), 2)}${pad(1 + (i % 12), 2)}${pad(1 + (i % 28), 2)}${pad(1 + ((i * 7) % 998), 3)}`;
  return `${nine.slice(0, 6)}-${nine.slice(6)}${luhnCheckDigit(nine)}`;
};
const inputs: Record<string, (i: number) => string> = {
  default: (i) => `value ${i}`,
  'person.first_name': (i) => ['Anna', 'Erik', 'Karin', 'Lars', 'Maria', 'Johan'][i % 6]! + (i >> 3),
  'person.last_name': (i) => `Andersson${i}`,
  'person.full_name': (i) => `Anna Andersson${i}`,
  email: (i) => `user${i}@gmail.com`,
  phone: (i) => `+1 555 010 ${pad(i, 4)}`,
  'se.phone': (i) => `070-${pad(100 + (i % 900), 3)} ${pad(i % 100, 2)} ${pad((i * 7) % 100, 2)}`,
  'address.street': (i) => `Storgatan ${i}`,
  'address.city': (i) => `Stad${i}`,
  'se.postal_code': (i) => `${pad(10000 + i * 37, 5).slice(0, 3)} ${pad(i % 100, 2)}`,
  'se.personnummer': pnr,
  'se.samordningsnummer': (i) => pnr(i).replace(/^(\d{4})(\d)(\d)/, (_m, a: string, d1: string, d2: string) => `${a}${Number(d1) + 6}${d2}`),
  'se.organisationsnummer': (i) => `556${pad(i, 3)}-${pad(i * 13, 4).slice(0, 4)}`,
  'se.birth_date': (i) => `19${pad(50 + (i % 50), 2)}-01-${pad(1 + (i % 28), 2)}`,
  'date.shift': (i) => `19${pad(50 + (i % 50), 2)}-01-${pad(1 + (i % 28), 2)}`,
  'date.generalize': (i) => `19${pad(50 + (i % 50), 2)}-01-${pad(1 + (i % 28), 2)}`,
  'number.noise': (i) => `${1000 + i}.50`,
  'text.lorem': (i) => `Ring kunden ${i} om fakturan.`,
  'text.scrub': (i) => `Ring ${pnr(i)} på 070-123 45 ${pad(i % 100, 2)}.`,
  json: (i) => `{"contact": {"email": "u${i}@gmail.com"}, "n": ${i}}`,
  array: (i) => `{a${i}@x.se,NULL,b${i}@y.se}`,
  uuid: (i) => `4f1c2a9e-8d3b-4c7a-9e2f-${pad(i, 12)}`,
};
const options: Record<string, RuleSpec['options']> = {
  json: { paths: { '$.contact.email': 'email' } },
  template: { template: '{first_name}.{last_name}@example.com' },
  array: { element: 'email' },
  'se.birth_date': { from: 'personnummer' },
};

const key = maskingKeyFromBytes(randomBytes(32), 'bench');
const session = createMaskingSession({ key });
const row: RowValues = {
  original: (c) => (c === 'personnummer' ? '811218-9876' : c),
  masked: (c) => (c === 'personnummer' ? '811218-9876' : c === 'first_name' ? 'Karin' : c === 'last_name' ? 'Öberg' : c),
};

function measure(fn: (s: string) => unknown, values: readonly string[], minMs = 300): number {
  for (let i = 0; i < 20_000; i++) fn(values[i & (N - 1)]!); // warm up
  let iterations = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  while (elapsed < BigInt(minMs) * 1_000_000n) {
    for (let i = 0; i < 10_000; i++) fn(values[i & (N - 1)]!);
    iterations += 10_000;
    elapsed = process.hrtime.bigint() - start;
  }
  return Number(elapsed) / iterations;
}

const targets: Record<string, number> = { 'keyed PRF (SipHash-2-4)': 300, 'se.personnummer': 1000, 'person.first_name': 1000, 'se.phone': 1000, email: 2000 };
const results: [string, number][] = [];

const prf = session.prf('bench');
const short = Array.from({ length: N }, (_, i) => pnr(i));
results.push(['keyed PRF (SipHash-2-4)', measure((s) => prf.hash(s), short)]);
const synthetic = buildTransform(session, { transform: 'se.personnummer', options: { pool: 'synthetic' } }, { table: 'bench', column: 'pnr', family: 'text' });
results.push(['se.personnummer (pool: synthetic)', measure((s) => synthetic(s, row), short)]);

for (const t of transformers) {
  const column: Partial<ColumnTarget> = {
    table: 'bench',
    column: 'c',
    family: t.name === 'array' ? 'array' : t.name === 'json' ? 'json' : t.name === 'uuid' ? 'uuid' : 'text',
    elementFamily: 'text',
  };
  const fn = buildTransform(session, { transform: t.name, options: options[t.name] ?? {} }, column);
  const make = inputs[t.name] ?? inputs['default']!;
  const values = Array.from({ length: N }, (_, i) => make(i));
  results.push([t.name, measure((s) => fn(s, row), values)]);
}

const width = Math.max(...results.map(([n]) => n.length)) + 2;
process.stdout.write(`${'transformer'.padEnd(width)}${'ns/value'.padStart(10)}  target\n`);
let missed = 0;
for (const [name, ns] of results) {
  const target = targets[name];
  const verdict = target === undefined ? '' : ns <= target ? `≤ ${target} ok` : `≤ ${target} MISSED`;
  if (target !== undefined && ns > target) missed++;
  process.stdout.write(`${name.padEnd(width)}${ns.toFixed(0).padStart(10)}  ${verdict}\n`);
}
if (missed > 0) process.exitCode = 1;
