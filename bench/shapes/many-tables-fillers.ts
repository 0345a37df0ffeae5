/**
 * The many small tables of the many-tables shape: `modul_sak` tables (crm_kategori,
 * ekonomi_avtal, webb_webhooks…), five kinds in turn (lookup, child of kund, child of the table
 * before, event log, English table under users), each with a primary key and its indexes and
 * foreign keys, 55 % of them empty and the rest 1–1,000 rows, chosen by a fixed hash of the
 * table's number. Every 40th table has an e-mail column and every 40th a note, masked.
 */
import { choice, email, note, plainText, timestamp } from './sql-person.js';
import { type ColumnSpec, ID, parentId, type TableSpec } from './table-spec.js';

const MODULES = ['crm', 'ekonomi', 'lager', 'hr', 'webb', 'support', 'marknad', 'admin', 'rapport', 'integration'];
const THINGS = [
  'kategori',
  'status',
  'typ',
  'installning',
  'mall',
  'regel',
  'historik',
  'import',
  'export',
  'koppling',
  'notering',
  'dokument',
  'bilaga',
  'logg',
  'kalender',
  'uppgift',
  'projekt',
  'avtal',
  'prislista',
  'rabatt',
  'kampanj',
  'region',
  'valuta',
  'settings',
  'templates',
  'jobs',
  'webhooks',
  'tags',
  'attachments',
  'events',
];

/** The rows of filler `f`: 0 for 55 % of them, else 1–1,000, the same every build. */
function rowsOf(f: number): number {
  const h = Math.imul(f + 1, 2654435761) >>> 0;
  return h % 100 < 55 ? 0 : 1 + ((h >>> 8) % 1000);
}

/** The name of filler `f`: module and thing; after 300 the modules take a number (crm2_kategori). */
export function fillerName(f: number): string {
  const round = Math.floor(f / (MODULES.length * THINGS.length));
  const module = MODULES[Math.floor(f / THINGS.length) % MODULES.length]!;
  return `${module}${round > 0 ? round + 1 : ''}_${THINGS[f % THINGS.length]}`;
}

/** `count` filler tables; `kund` and `users` are the rows of those core tables (their foreign keys point there). */
export function fillerTables(count: number, empty: boolean, kund: number, users: number): TableSpec[] {
  const tables: TableSpec[] = [];
  for (let f = 0; f < count; f++) {
    const name = fillerName(f);
    const rows = empty ? 0 : rowsOf(f);
    const kind = f % 5;
    const after = [`ALTER TABLE ${name} ADD CONSTRAINT ${name}_pkey PRIMARY KEY (id)`];
    const fk = (column: string, parent: string) => after.push(`ALTER TABLE ${name} ADD CONSTRAINT ${name}_${column}_fkey FOREIGN KEY (${column}) REFERENCES ${parent} (id)`);
    const index = (column: string) => after.push(`CREATE INDEX ${name}_${column}_idx ON ${name} (${column})`);
    let columns: ColumnSpec[];
    if (kind === 0) {
      columns = [
        ['id', 'integer', 'g'],
        ['kod', 'varchar(20) NOT NULL', `'K' || g`],
        ['namn', 'text NOT NULL', `'Namn ' || g`],
        ['beskrivning', 'text', plainText('g')],
        ['aktiv', 'boolean NOT NULL DEFAULT true', 'g % 7 <> 0'],
        ['sortering', 'integer', 'g * 10'],
      ];
      after.push(`CREATE UNIQUE INDEX ${name}_kod_key ON ${name} (kod)`);
    } else if (kind === 1) {
      columns = [
        ID,
        ['kund_id', 'bigint', parentId('g', kund, 17)],
        ['typ', 'text', choice(['A', 'B', 'C'], 'g')],
        ['belopp', 'numeric(12,2)', '(g * 131 % 100000) / 100.0'],
        ['kommentar', 'text', plainText('g + 1')],
        ['skapad', 'timestamptz NOT NULL', timestamp('g')],
      ];
      index('kund_id');
      fk('kund_id', 'kund');
    } else if (kind === 2) {
      const parent = tables[tables.length - 1]!;
      columns = [ID, ['parent_id', 'bigint', parentId('g', parent.rows, 1)], ['varde', 'text', plainText('g + 2')], ['skapad', 'timestamptz', timestamp('g')]];
      index('parent_id');
      fk('parent_id', parent.name);
    } else if (kind === 3) {
      columns = [
        ID,
        ['handelse', 'text NOT NULL', choice(['skapad', 'ändrad', 'borttagen', 'exporterad'], 'g')],
        ['data', 'jsonb', `jsonb_build_object('n', g, 'ok', g % 2 = 0)`],
        ['skapad', 'timestamptz NOT NULL', timestamp('g')],
      ];
      index('skapad');
    } else {
      columns = [
        ID,
        ['user_id', 'bigint', parentId('g', users, 3)],
        ['name', 'text NOT NULL', `'item ' || g`],
        ['description', 'text', plainText('g + 3')],
        ['created_at', 'timestamptz NOT NULL', timestamp('g')],
        ['updated_at', 'timestamptz', timestamp('g + 1')],
      ];
      index('user_id');
      fk('user_id', 'users');
      after.push(`CREATE UNIQUE INDEX ${name}_name_key ON ${name} (name)`);
    }
    const masked: Record<string, string> = {};
    const emails: string[] = [];
    if (f % 40 === 7) {
      columns.push(['kontakt_epost', 'text', email('g', `f${f}x`)]);
      masked['kontakt_epost'] = 'email';
      emails.push('kontakt_epost');
    }
    if (f % 40 === 27) {
      columns.push(['anteckning', 'text', note('g')]);
      masked['anteckning'] = 'text.scrub';
    }
    tables.push({ name, rows, columns, after, masked, emails });
  }
  return tables;
}
