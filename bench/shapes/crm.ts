/**
 * The crm shape: `customers` customers (13 columns), 2 × as many orders and a quarter as many
 * contacts, 3.25 × `customers` rows. 12 ruled columns: a synthetic unique personnummer, names,
 * unique e-mail addresses in customers and contacts, se.phone, date.shift on the birth date,
 * text.scrub on the notes, a json path, address.street on the big orders table, and the
 * contact's name and phone. Primary keys, unique indexes on both e-mail columns and the
 * personnummer, foreign keys and their indexes.
 */
import type pg from 'pg';
import type { Shape } from './shape.js';
import { city, email, firstName, lastName, note, phone, street, timestamp } from './sql-person.js';
import { buildTables, ID, leakQuery, maskedCount, parentId, rulesYaml, type TableSpec } from './table-spec.js';

/** Bump when the generated schema or data change: older builds are then rebuilt. */
const VERSION = 1;

/** The crm shape at `customers` customers. */
export function crmShape(customers: number): Shape {
  const n = customers;
  const specs: TableSpec[] = [
    {
      name: 'customers',
      rows: n,
      columns: [
        ID,
        ['personnummer', 'varchar(13) NOT NULL', 'bench_pnr(g)'],
        ['first_name', 'text NOT NULL', firstName('g')],
        ['last_name', 'text NOT NULL', lastName('g')],
        ['email', 'text NOT NULL', email('g')],
        ['phone', 'text', phone('g')],
        ['street', 'text', street('g')],
        ['postal_code', 'varchar(6)', `lpad((10000 + g % 89999)::text, 5, '0')`],
        ['city', 'text', city('g')],
        ['birth_date', 'date', 'bench_birth(g)'],
        ['created_at', 'timestamptz NOT NULL', timestamp('g')],
        ['notes', 'text', note('g')],
        [
          'metadata',
          'jsonb NOT NULL',
          `jsonb_build_object('source', CASE WHEN g % 2 = 1 THEN 'web' ELSE 'store' END, 'contact', jsonb_build_object('email', ${email('g')}), 'score', g % 1000)`,
        ],
      ],
      after: [
        'ALTER TABLE customers ADD PRIMARY KEY (id)',
        'CREATE UNIQUE INDEX customers_email_key ON customers (email)',
        'CREATE UNIQUE INDEX customers_personnummer_key ON customers (personnummer)',
      ],
      masked: {
        personnummer: '{ transform: se.personnummer, pool: synthetic, unique: true }',
        first_name: 'person.first_name',
        last_name: 'person.last_name',
        email: '{ transform: email, unique: true }',
        phone: 'se.phone',
        birth_date: '{ transform: date.shift, max_days: 30 }',
        notes: 'text.scrub',
        metadata: '{ transform: json, paths: { "$.contact.email": email } }',
      },
      emails: ['email'],
    },
    {
      name: 'orders',
      rows: 2 * n,
      columns: [
        ID,
        ['customer_id', 'bigint NOT NULL', parentId('g', n)],
        ['amount', 'numeric(12,2) NOT NULL', '((g * 7919) % 500000) / 100.0'],
        ['status', 'text NOT NULL', `(ARRAY['new', 'paid', 'shipped', 'returned'])[1 + g % 4]`],
        ['delivery_address', 'text', `${street('g + 5')} || ', ' || ${city('g')}`],
        ['ordered_at', 'timestamptz NOT NULL', timestamp('g * 3')],
      ],
      after: [
        'ALTER TABLE orders ADD PRIMARY KEY (id)',
        'ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id)',
        'CREATE INDEX orders_customer_id_idx ON orders (customer_id)',
      ],
      masked: { delivery_address: 'address.street' },
    },
    {
      name: 'contacts',
      rows: Math.floor(n / 4),
      columns: [
        ID,
        ['customer_id', 'bigint NOT NULL', parentId('g', n, 13)],
        ['name', 'text NOT NULL', `${firstName('g + 3')} || ' ' || ${lastName('g + 5')}`],
        ['email', 'text NOT NULL', email('g', 'k')],
        ['phone', 'text', phone('g + 11')],
        ['created_at', 'timestamptz', timestamp('g')],
      ],
      after: [
        'ALTER TABLE contacts ADD PRIMARY KEY (id)',
        'CREATE UNIQUE INDEX contacts_email_key ON contacts (email)',
        'ALTER TABLE contacts ADD CONSTRAINT contacts_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id)',
        'CREATE INDEX contacts_customer_id_idx ON contacts (customer_id)',
      ],
      masked: { name: 'person.full_name', email: '{ transform: email, unique: true }', phone: 'se.phone' },
      emails: ['email'],
    },
  ];
  const rows = specs.reduce((sum, t) => sum + t.rows, 0);
  const maskedColumns = maskedCount(specs);
  return {
    name: 'crm',
    database: `pgmask_bench_crm_${customers}`,
    marker: `pgmask bench crm v${VERSION}, customers=${customers}`,
    description: `${n.toLocaleString('en')} customers + ${(2 * n).toLocaleString('en')} orders + ${Math.floor(n / 4).toLocaleString('en')} contacts, ${maskedColumns} ruled columns`,
    tables: specs.length,
    rows,
    maskedColumns,
    build: (c: pg.Client) => buildTables(c, specs),
    rules: () => rulesYaml(specs, `pgmask bench, crm shape: ${maskedColumns} ruled columns; the rest kept.`),
    leakQuery: leakQuery(specs),
  };
}
