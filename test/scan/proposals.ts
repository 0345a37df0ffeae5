import type { PiiKind } from '../../src/scan/pii-kind.js';
import type { ColumnProposal, ProposedRule, TableProposal } from '../../src/scan/proposal.js';

/** A column proposal for tests. */
export function column(name: string, rule: ProposedRule | string, more: { kind?: PiiKind; evidence?: string[]; review?: string } = {}): ColumnProposal {
  return {
    column: name,
    rule: typeof rule === 'string' ? { transform: rule } : rule,
    kind: more.kind,
    evidence: more.evidence ?? [],
    review: more.review,
  };
}

/** A table proposal for tests. */
export function table(schema: string, name: string, key: string, columns: ColumnProposal[], rows = 0): TableProposal {
  return { schema, name, key, rows, columns };
}

/** Proposals with every shape a rule takes: unique, options, json paths, quoted keys and names. */
export const PROPOSALS: TableProposal[] = [
  table(
    'public',
    'customers',
    'public.customers',
    [
      column('id', 'keep'),
      column(
        'personnummer',
        { transform: 'se.personnummer', unique: true },
        { kind: 'personnummer', evidence: ['name "personnummer"', '200 of 200 sampled values are personnummer'] },
      ),
      column('samordningsnummer', 'se.samordningsnummer', { kind: 'samordningsnummer', evidence: ['12 of 12 sampled values are samordningsnummer'] }),
      column('first_name', { transform: 'person.first_name', options: { sex_from: 'personnummer' } }, { kind: 'first_name', evidence: ['name "first_name"'] }),
      column('email', { transform: 'email', unique: true }, { kind: 'email', evidence: ['name "email"', '1,000 of 1,000 sampled values are e-mail addresses'] }),
      column('birth_date', { transform: 'se.birth_date', options: { from: 'personnummer' } }, { kind: 'birth_date', evidence: ['name "birth_date"'] }),
      column('notes', 'text.scrub', { kind: 'free_text', evidence: ['type text'], review: '31 of 200 sampled values hold names or numbers in free text' }),
      column(
        'metadata',
        { transform: 'json', options: { paths: { '$.contact.email': 'email', '$.contact.phone': 'se.phone' } } },
        { kind: 'email', evidence: ['e-mail addresses at $.contact.email'] },
      ),
      column('Full Name', 'person.full_name', { kind: 'full_name', evidence: ['name "Full Name"'] }),
      column('123', 'keep'),
      column('true', 'keep'),
      column('null', 'null', { review: 'a column named null' }),
      column('a: b # c', 'keep'),
    ],
    1000,
  ),
  table('public', 'Order Items', 'public."Order Items"', [column('order_id', 'keep'), column('Delivery Address', 'address.street', { kind: 'street' })], 52),
  table('Sales', 'Kund', '"Sales"."Kund"', [column('Namn', 'person.full_name', { kind: 'full_name' })], 7),
  table('public', 'empty', 'public.empty', []),
];
