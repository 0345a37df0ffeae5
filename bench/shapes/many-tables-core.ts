/**
 * The core of the many-tables shape: 22 tables a Swedish shop with an English admin part has
 * (kund, order_huvud, order_rad, faktura, anstalld, users, audit_log, tickets…), four of them big,
 * the rest 0–1,000 rows, with the personal columns masked. The filler tables come after
 * (many-tables-fillers.ts).
 */
import { choice, city, email, firstName, lastName, note, phone, plainText, street, timestamp } from './sql-person.js';
import { ID, parentId, type TableSpec } from './table-spec.js';

/** The core tables: `big` rows in kund, order_huvud, order_rad and audit_log; every table empty when `empty`. */
export function coreTables(big: number, empty: boolean): TableSpec[] {
  const n = (rows: number): number => (empty ? 0 : rows);
  const kund = n(big);
  const orders = n(big);
  const users = n(1000);
  const produkt = n(500);
  const faktura = n(1000);
  const tickets = n(500);
  const kundtyp = n(5);
  const avdelning = n(12);
  const roles = n(6);
  const kategori = n(30);
  const fk = (table: string, column: string, parent: string) => `ALTER TABLE ${table} ADD CONSTRAINT ${table}_${column}_fkey FOREIGN KEY (${column}) REFERENCES ${parent} (id)`;
  const pk = (table: string, columns = 'id') => `ALTER TABLE ${table} ADD CONSTRAINT ${table}_pkey PRIMARY KEY (${columns})`;
  const index = (table: string, column: string) => `CREATE INDEX ${table}_${column}_idx ON ${table} (${column})`;
  return [
    {
      name: 'kundtyp',
      rows: kundtyp,
      columns: [
        ['id', 'integer', 'g'],
        ['kod', 'varchar(20) NOT NULL', `'typ' || g`],
        ['namn', 'text NOT NULL', choice(['Privat', 'Företag', 'Förening', 'Kommun', 'Partner'], 'g - 1')],
      ],
      after: [pk('kundtyp'), 'CREATE UNIQUE INDEX kundtyp_kod_key ON kundtyp (kod)'],
      masked: {},
    },
    {
      name: 'kund',
      rows: kund,
      columns: [
        ID,
        ['personnummer', 'varchar(13) NOT NULL', 'bench_pnr(g)'],
        ['fornamn', 'text NOT NULL', firstName('g')],
        ['efternamn', 'text NOT NULL', lastName('g')],
        ['epost', 'text NOT NULL', email('g')],
        ['telefon', 'text', phone('g')],
        ['fodelsedatum', 'date', 'bench_birth(g)'],
        ['kundtyp_id', 'integer', parentId('g', kundtyp, 1)],
        ['anteckningar', 'text', note('g')],
        ['skapad', 'timestamptz NOT NULL', timestamp('g')],
        ['uppdaterad', 'timestamptz', timestamp('g + 40')],
      ],
      after: [
        pk('kund'),
        'CREATE UNIQUE INDEX kund_personnummer_key ON kund (personnummer)',
        'CREATE UNIQUE INDEX kund_epost_key ON kund (epost)',
        'CREATE INDEX kund_efternamn_fornamn_idx ON kund (efternamn, fornamn)',
        fk('kund', 'kundtyp_id', 'kundtyp'),
      ],
      masked: {
        personnummer: '{ transform: se.personnummer, pool: synthetic, unique: true }',
        fornamn: 'person.first_name',
        efternamn: 'person.last_name',
        epost: '{ transform: email, unique: true }',
        telefon: 'se.phone',
        fodelsedatum: '{ transform: date.shift, max_days: 30 }',
        anteckningar: 'text.scrub',
      },
      emails: ['epost'],
    },
    {
      name: 'kund_adress',
      rows: n(1000),
      columns: [
        ID,
        ['kund_id', 'bigint NOT NULL', parentId('g', kund)],
        ['gatuadress', 'text', street('g')],
        ['postnummer', 'varchar(6)', `'1' || lpad((g % 10000)::text, 4, '0')`],
        ['ort', 'text', city('g')],
      ],
      after: [pk('kund_adress'), index('kund_adress', 'kund_id'), fk('kund_adress', 'kund_id', 'kund')],
      masked: { gatuadress: 'address.street' },
    },
    {
      name: 'kontaktperson',
      rows: n(400),
      columns: [
        ID,
        ['kund_id', 'bigint NOT NULL', parentId('g', kund, 11)],
        ['namn', 'text NOT NULL', `${firstName('g + 3')} || ' ' || ${lastName('g + 5')}`],
        ['epost', 'text', email('g', 'kp')],
        ['telefon', 'text', phone('g + 17')],
      ],
      after: [pk('kontaktperson'), index('kontaktperson', 'kund_id'), fk('kontaktperson', 'kund_id', 'kund')],
      masked: { namn: 'person.full_name', epost: 'email', telefon: 'se.phone' },
      emails: ['epost'],
    },
    {
      name: 'produkt_kategori',
      rows: kategori,
      columns: [ID, ['namn', 'text NOT NULL', `'Kategori ' || g`]],
      after: [pk('produkt_kategori')],
      masked: {},
    },
    {
      name: 'produkt',
      rows: produkt,
      columns: [
        ID,
        ['artikelnummer', 'text NOT NULL', `'A-' || lpad(g::text, 6, '0')`],
        ['namn', 'text NOT NULL', `'Produkt ' || g`],
        ['beskrivning', 'text', plainText('g')],
        ['pris', 'numeric(12,2) NOT NULL', '((g * 7919) % 100000) / 100.0'],
        ['kategori_id', 'bigint', parentId('g', kategori)],
      ],
      after: [pk('produkt'), 'CREATE UNIQUE INDEX produkt_artikelnummer_key ON produkt (artikelnummer)', fk('produkt', 'kategori_id', 'produkt_kategori')],
      masked: {},
    },
    {
      name: 'order_huvud',
      rows: orders,
      columns: [
        ID,
        ['kund_id', 'bigint NOT NULL', parentId('g', kund)],
        ['orderdatum', 'timestamptz NOT NULL', timestamp('g * 3')],
        ['status', 'text NOT NULL', choice(['ny', 'betald', 'skickad', 'returnerad'], 'g')],
        ['belopp', 'numeric(12,2) NOT NULL', '((g * 7919) % 500000) / 100.0'],
        ['leveransadress', 'text', `${street('g')} || ', ' || ${city('g')}`],
      ],
      after: [pk('order_huvud'), index('order_huvud', 'kund_id'), index('order_huvud', 'orderdatum'), fk('order_huvud', 'kund_id', 'kund')],
      masked: { leveransadress: 'address.street' },
    },
    {
      name: 'order_rad',
      rows: n(big),
      columns: [
        ID,
        ['order_id', 'bigint NOT NULL', parentId('g', orders, 1)],
        ['produkt_id', 'bigint NOT NULL', parentId('g', produkt, 13)],
        ['antal', 'integer NOT NULL', '1 + g % 5'],
        ['a_pris', 'numeric(12,2) NOT NULL', '((g * 31) % 100000) / 100.0'],
        ['kommentar', 'text', `CASE WHEN g % 20 = 0 THEN ${plainText('g')} END`],
      ],
      after: [pk('order_rad'), index('order_rad', 'order_id'), fk('order_rad', 'order_id', 'order_huvud'), fk('order_rad', 'produkt_id', 'produkt')],
      masked: {},
    },
    {
      name: 'faktura',
      rows: faktura,
      columns: [
        ID,
        ['kund_id', 'bigint NOT NULL', parentId('g', kund, 3)],
        ['fakturanummer', 'text NOT NULL', `'F' || (100000 + g)`],
        ['belopp', 'numeric(12,2) NOT NULL', '((g * 104729) % 900000) / 100.0'],
        ['forfallodatum', 'date NOT NULL', `date '2024-01-31' + (g % 365)::int`],
        ['betald', 'boolean NOT NULL', 'g % 3 <> 0'],
        ['meddelande', 'text', note('g + 1')],
      ],
      after: [pk('faktura'), 'CREATE UNIQUE INDEX faktura_fakturanummer_key ON faktura (fakturanummer)', index('faktura', 'kund_id'), fk('faktura', 'kund_id', 'kund')],
      masked: { meddelande: 'text.scrub' },
    },
    {
      name: 'faktura_rad',
      rows: n(1000),
      columns: [ID, ['faktura_id', 'bigint NOT NULL', parentId('g', faktura, 1)], ['text', 'text', plainText('g')], ['belopp', 'numeric(12,2)', '(g % 5000) / 10.0']],
      after: [pk('faktura_rad'), index('faktura_rad', 'faktura_id'), fk('faktura_rad', 'faktura_id', 'faktura')],
      masked: {},
    },
    {
      name: 'betalning',
      rows: n(800),
      columns: [
        ID,
        ['faktura_id', 'bigint NOT NULL', parentId('g', faktura, 1)],
        ['betald_at', 'timestamptz', timestamp('g * 5')],
        ['belopp', 'numeric(12,2)', '(g % 9000) / 10.0'],
      ],
      after: [pk('betalning'), index('betalning', 'faktura_id'), fk('betalning', 'faktura_id', 'faktura')],
      masked: {},
    },
    {
      name: 'avdelning',
      rows: avdelning,
      columns: [
        ['id', 'integer', 'g'],
        ['namn', 'text NOT NULL', `'Avdelning ' || g`],
      ],
      after: [pk('avdelning')],
      masked: {},
    },
    {
      name: 'anstalld',
      rows: n(200),
      columns: [
        ID,
        ['personnummer', 'text NOT NULL', 'bench_pnr(g + 1000000)'],
        ['fornamn', 'text NOT NULL', firstName('g + 2')],
        ['efternamn', 'text NOT NULL', lastName('g + 2')],
        ['epost', 'text NOT NULL', email('g', 'an')],
        ['telefon', 'text', phone('g + 99')],
        ['avdelning_id', 'integer', parentId('g', avdelning, 1)],
        ['anstalld_sedan', 'date', `date '2005-01-01' + (g * 37 % 6000)::int`],
        ['lon', 'numeric(10,2)', '25000 + (g * 977) % 40000'],
      ],
      after: [pk('anstalld'), fk('anstalld', 'avdelning_id', 'avdelning')],
      masked: {
        personnummer: 'se.personnummer',
        fornamn: 'person.first_name',
        efternamn: 'person.last_name',
        epost: 'email',
        telefon: 'se.phone',
        lon: '{ transform: number.noise, percent: 5 }',
      },
      emails: ['epost'],
    },
    {
      name: 'users',
      rows: users,
      columns: [
        ID,
        ['email', 'text NOT NULL', email('g', 'u')],
        ['first_name', 'text', firstName('g + 9')],
        ['last_name', 'text', lastName('g + 9')],
        ['phone', 'text', phone('g + 7')],
        ['password_hash', 'text', `md5(g::text)`],
        ['last_login_at', 'timestamptz', timestamp('g * 11')],
        ['created_at', 'timestamptz NOT NULL', timestamp('g')],
        ['updated_at', 'timestamptz', timestamp('g + 1')],
      ],
      after: [pk('users'), 'CREATE UNIQUE INDEX users_email_key ON users (lower(email))'],
      masked: { email: '{ transform: email, unique: true }', first_name: 'person.first_name', last_name: 'person.last_name', phone: 'se.phone' },
      emails: ['email'],
    },
    {
      name: 'user_sessions',
      rows: n(1000),
      columns: [
        ID,
        ['user_id', 'bigint NOT NULL', parentId('g', users, 3)],
        ['ip_address', 'inet', `('10.' || g % 256 || '.' || (g / 256) % 256 || '.' || (g * 7) % 256)::inet`],
        ['user_agent', 'text', choice(['Mozilla/5.0 (X11; Linux x86_64)', 'Mozilla/5.0 (iPhone)', 'curl/8.0'], 'g')],
        ['created_at', 'timestamptz', timestamp('g')],
      ],
      after: [pk('user_sessions'), index('user_sessions', 'user_id'), fk('user_sessions', 'user_id', 'users')],
      masked: { ip_address: 'ip' },
    },
    {
      name: 'roles',
      rows: roles,
      columns: [
        ['id', 'integer', 'g'],
        ['name', 'text NOT NULL', `'role' || g`],
      ],
      after: [pk('roles')],
      masked: {},
    },
    {
      name: 'user_roles',
      rows: users,
      columns: [
        ['user_id', 'bigint NOT NULL', 'g'],
        ['role_id', 'integer NOT NULL', parentId('g', roles, 1)],
      ],
      after: [pk('user_roles', 'user_id, role_id'), fk('user_roles', 'user_id', 'users'), fk('user_roles', 'role_id', 'roles')],
      masked: {},
    },
    {
      name: 'audit_log',
      rows: n(big),
      columns: [
        ID,
        ['user_id', 'bigint', parentId('g', users, 1)],
        ['action', 'text NOT NULL', choice(['login', 'update', 'delete', 'export'], 'g')],
        ['table_name', 'text', choice(['kund', 'order_huvud', 'faktura', 'users'], 'g / 4')],
        ['payload', 'jsonb', `jsonb_build_object('user', jsonb_build_object('email', ${email('g % 1000', 'u')}), 'changes', jsonb_build_object('status', 'skickad'), 'n', g)`],
        ['created_at', 'timestamptz NOT NULL', timestamp('g')],
      ],
      after: [pk('audit_log'), index('audit_log', 'created_at')],
      masked: { payload: '{ transform: json, paths: { "$.user.email": email } }' },
    },
    {
      name: 'tickets',
      rows: tickets,
      columns: [
        ID,
        ['user_id', 'bigint', parentId('g', users, 1)],
        ['subject', 'text NOT NULL', `'Ärende ' || g`],
        ['body', 'text', note('g + 2')],
        ['status', 'text', choice(['open', 'closed'], 'g')],
        ['created_at', 'timestamptz', timestamp('g')],
      ],
      after: [pk('tickets'), index('tickets', 'user_id'), fk('tickets', 'user_id', 'users')],
      masked: { body: 'text.scrub' },
    },
    {
      name: 'ticket_comments',
      rows: n(1000),
      columns: [ID, ['ticket_id', 'bigint NOT NULL', parentId('g', tickets, 1)], ['body', 'text', note('g + 3')], ['created_at', 'timestamptz', timestamp('g')]],
      after: [pk('ticket_comments'), index('ticket_comments', 'ticket_id'), fk('ticket_comments', 'ticket_id', 'tickets')],
      masked: { body: 'text.scrub' },
    },
    {
      name: 'nyhetsbrev_prenumerant',
      rows: 0,
      columns: [ID, ['epost', 'text NOT NULL', email('g', 'nb')], ['skapad', 'timestamptz', timestamp('g')]],
      after: [pk('nyhetsbrev_prenumerant'), 'CREATE UNIQUE INDEX nyhetsbrev_prenumerant_epost_key ON nyhetsbrev_prenumerant (epost)'],
      masked: { epost: '{ transform: email, unique: true }' },
      emails: ['epost'],
    },
    {
      name: 'schema_migrations',
      rows: n(60),
      columns: [['version', 'text NOT NULL', `'2020' || lpad(g::text, 10, '0')`]],
      after: [pk('schema_migrations', 'version')],
      masked: {},
    },
  ];
}

/** Views and triggers over the core tables, created after every table. */
export const CORE_OBJECTS: readonly string[] = [
  `CREATE FUNCTION satt_uppdaterad() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.uppdaterad := now(); RETURN NEW; END $$`,
  `CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$`,
  `CREATE FUNCTION logga_borttag() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO audit_log (action, table_name, created_at) VALUES ('delete', TG_TABLE_NAME, now()); RETURN OLD; END $$`,
  'CREATE TRIGGER kund_uppdaterad BEFORE UPDATE ON kund FOR EACH ROW EXECUTE FUNCTION satt_uppdaterad()',
  'CREATE TRIGGER users_updated_at BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION set_updated_at()',
  'CREATE TRIGGER kund_borttag AFTER DELETE ON kund FOR EACH ROW EXECUTE FUNCTION logga_borttag()',
  'CREATE TRIGGER order_huvud_borttag AFTER DELETE ON order_huvud FOR EACH ROW EXECUTE FUNCTION logga_borttag()',
  `CREATE VIEW kund_oversikt AS
     SELECT k.id, k.fornamn || ' ' || k.efternamn AS namn, k.epost, count(o.id) AS ordrar, coalesce(sum(o.belopp), 0) AS summa
       FROM kund k LEFT JOIN order_huvud o ON o.kund_id = k.id GROUP BY k.id`,
  `CREATE VIEW obetalda_fakturor AS SELECT f.*, k.epost FROM faktura f JOIN kund k ON k.id = f.kund_id WHERE NOT f.betald`,
  `CREATE VIEW active_users AS SELECT id, email, last_login_at FROM users WHERE last_login_at > timestamptz '2023-01-01'`,
];
