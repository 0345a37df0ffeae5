import { describe, expect, test } from 'vitest';
import { categoriesOf } from '../../src/scan/categories-of.js';
import { type InventoryTable, renderInventory } from '../../src/scan/inventory.js';
import { inventoryJson } from '../../src/scan/inventory-json.js';

const generatedAt = new Date('2026-12-07T06:00:00Z');

const TABLES: InventoryTable[] = [
  {
    key: 'public.customers',
    rows: 1234567,
    columns: [
      { column: 'email', kind: 'email', transform: 'email' },
      { column: 'personnummer', kind: 'personnummer', transform: 'se.personnummer' },
      { column: 'notes', kind: 'free_text', transform: 'keep', review: '31 of 200 sampled values hold names' },
      { column: 'first_name', kind: 'first_name', transform: 'person.first_name' },
    ],
  },
  { key: 'public.orders', rows: 10, columns: [] },
  { key: 'public."Order | Items"', rows: 52, columns: [{ column: 'ip`addr', kind: 'ip', transform: 'ip' }] },
  { key: 'public.settings', rows: 3, columns: [] },
];

describe('renderInventory', () => {
  test('renders a summary, kept columns first, a table of where personal data lives and the rest', () => {
    const text = renderInventory(TABLES, { source: 'crm', rulesFile: 'rules.yaml', generatedAt });
    expect(text).toBe(
      [
        '# Personal data inventory: crm',
        '',
        'Scanned by pgmask scan on 2026-12-07; rules from `rules.yaml`.',
        '',
        '**2 of 4 tables hold personal data: 5 personal columns, 1 kept unmasked, 1 to review.**',
        '',
        '## Kept unmasked',
        '',
        'These personal columns are copied unchanged by the rules:',
        '',
        '- `public.customers` `notes` (free text)',
        '',
        '## Where personal data lives',
        '',
        '| Table | Rows | Categories | Columns |',
        '|---|---:|---|---|',
        '| `public.customers` | 1,234,567 | identity numbers, names, contact, free text | `email` → `email`, `personnummer` → `se.personnummer`, `notes` → `keep` (**kept unmasked**, review), `first_name` → `person.first_name` |',
        '| `public."Order \\| Items"` | 52 | network | `` ip`addr `` → `ip` |',
        '',
        '## To review',
        '',
        '- `public.customers` `notes`: 31 of 200 sampled values hold names',
        '',
        '## Tables without personal data found',
        '',
        '`public.orders`, `public.settings`',
        '',
      ].join('\n'),
    );
  });

  test('counts the tables without personal data when there are many, and leaves out empty sections', () => {
    const clean = Array.from({ length: 51 }, (_, i) => ({ key: `public.t${i}`, rows: i, columns: [] }));
    const text = renderInventory(clean, { source: 'big', generatedAt });
    expect(text).toContain('**0 of 51 tables hold personal data: 0 personal columns, 0 kept unmasked, 0 to review.**');
    expect(text).toContain('## Tables without personal data found\n\n51 tables.\n');
    expect(text).not.toContain('## Kept unmasked');
    expect(text).not.toContain('| Table |');
    expect(text).not.toContain('rules from');
  });
});

describe('inventoryJson', () => {
  test('gives the summary and each table with its categories', () => {
    const json = inventoryJson(TABLES);
    expect(json.summary).toEqual({ tables: 4, tablesWithPersonalData: 2, personalColumns: 5, keptUnmasked: 1, toReview: 1 });
    expect(json.tables[0]).toEqual({
      table: 'public.customers',
      rows: 1234567,
      categories: ['identity numbers', 'names', 'contact', 'free text'],
      columns: [
        { column: 'email', kind: 'email', category: 'contact', transform: 'email' },
        { column: 'personnummer', kind: 'personnummer', category: 'identity numbers', transform: 'se.personnummer' },
        { column: 'notes', kind: 'free_text', category: 'free text', transform: 'keep', review: '31 of 200 sampled values hold names' },
        { column: 'first_name', kind: 'first_name', category: 'names', transform: 'person.first_name' },
      ],
    });
    expect(json.tables[1]).toEqual({ table: 'public.orders', rows: 10, categories: [], columns: [] });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  test('categories come in the inventory order, each once', () => {
    expect(
      categoriesOf([
        { column: 'a', kind: 'ip', transform: 'ip' },
        { column: 'b', kind: 'iban', transform: 'keep' },
        { column: 'c', kind: 'city', transform: 'address.city' },
        { column: 'd', kind: 'street', transform: 'address.street' },
        { column: 'e', kind: 'samordningsnummer', transform: 'se.samordningsnummer' },
      ]),
    ).toEqual(['identity numbers', 'address', 'financial', 'network']);
  });
});
