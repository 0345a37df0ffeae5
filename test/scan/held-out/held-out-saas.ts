import { col, idCol, type TableSpec } from './held-out-table.js';
import { englishNote } from './held-out-text.js';
import { formatPnr, type Values } from './held-out-values.js';

const A = 'app';
const N = { accounts: 60, members: 1500, tickets: 700, webhooks: 80 };
const ACTIONS = ['member.login', 'member.updated', 'invoice.paid', 'webhook.created', 'integration.connected', 'export.requested'];

/** The English-named SaaS/HR product's tables (schema `app`), with their labels. */
export function saasTables(v: Values): TableSpec[] {
  const person = () => ({ first: v.enFirst(), last: v.enLast() });
  const memberRef = ({ i }: { i: number }) => (i % N.members) + 1;
  return [
    {
      schema: A,
      name: 'accounts',
      rows: N.accounts,
      columns: [
        col('id', 'integer', null, ({ i }) => i + 1, { sql: 'PRIMARY KEY' }),
        col('name', 'text', null, () => v.fen.company.name(), { note: 'customer company name' }),
        col('org_number', 'text', 'organisationsnummer', () => v.orgnr('5'), { note: 'companies’ organisationsnummer (aktiebolag): labelled by what it holds' }),
        col('vat_id', 'text', 'organisationsnummer', ({ i }) => (i % 4 === 0 ? null : `SE${v.orgnr('5').replace('-', '')}01`), {
          note: 'Swedish VAT number = SE + organisationsnummer + 01',
        }),
        col('plan', 'text', null, () => v.pick(['free', 'team', 'business', 'enterprise'])),
        col('billing_email', 'text', 'email', () => v.pick([`invoices@${v.f.internet.domainName()}`, v.email(v.enFirst(), v.enLast(), v.f.internet.domainName())]), {
          note: 'half are role addresses (invoices@), half a named person’s address: labelled email',
        }),
        col('country', 'char(2)', null, () => v.pick(['SE', 'SE', 'NO', 'FI', 'DK'])),
        col('created_at', 'timestamptz', null, () => v.ts(2019, 2024)),
      ],
    },
    {
      schema: A,
      name: 'members',
      rows: N.members,
      prepare: () => ({ ...person(), pnr: v.adultPnr() }),
      columns: [
        idCol(),
        col('account_id', 'integer', null, ({ i }) => (i % N.accounts) + 1, { sql: `REFERENCES ${A}.accounts` }),
        col('given_name', 'text', 'first_name', ({ p }) => p['first']!),
        col('surname', 'text', 'last_name', ({ p }) => p['last']!),
        col('display_name', 'text', 'full_name', ({ p }) => `${p['first']!} ${p['last']!}`),
        col('email', 'text', 'email', ({ p }) => v.email(p['first']!, p['last']!, v.pick(['acme.io', 'foretaget.se', 'example.org']))),
        col('msisdn', 'varchar(15)', 'phone', () => v.e164(false), { note: 'E.164 without the plus' }),
        col('ssn', 'text', 'personnummer', ({ p }) => formatPnr(p['pnr']!, '12'), { note: 'English name for the Swedish personnummer' }),
        col('tax_id', 'text', 'samordningsnummer', () => v.maybe(0.3, () => formatPnr(v.samordningsnummer(), '12-')), {
          note: 'set for foreign staff only: samordningsnummer',
        }),
        col('date_of_birth', 'text', 'birth_date', ({ p }) => v.birthDateOf(p['pnr']!), { note: 'ISO date stored as text' }),
        col('role', 'text', null, () => v.pick(['owner', 'admin', 'member', 'viewer'])),
        col('last_login_ip', 'inet', 'ip', () => v.ip()),
        col('avatar_url', 'text', null, () => v.maybe(0.5, () => v.url('avatars')), { note: 'URL with a random token; a photo behind it, but the URL is not a kind' }),
        col('locale', 'text', null, () => v.pick(['sv-SE', 'en-GB', 'en-US', 'nb-NO'])),
        col('createdAt', 'timestamptz', null, () => v.ts(2020, 2025)),
        col('lastSeenAt', 'timestamptz', null, () => v.ts(2025, 2026)),
      ],
    },
    {
      schema: A,
      name: 'member_addresses',
      rows: N.members,
      columns: [
        idCol(),
        col('member_id', 'integer', null, memberRef, { sql: `REFERENCES ${A}.members` }),
        col('addr_line_1', 'text', 'street', () => v.street()),
        col('addr_line_2', 'text', 'street', () => v.maybe(0.3, () => v.pick(['lgh 1201', '2 tr', 'Box 123', 'c/o Nilsson'])), {
          note: 'second address line: flat/floor/box, mostly NULL; part of the street address',
        }),
        col('zipcode', 'varchar(10)', 'postal_code', () => v.postalCode().replace(' ', ''), { note: 'five digits without the space' }),
        col('city', 'text', 'city', () => v.city()),
        col('country_code', 'char(2)', null, () => 'SE'),
        col('geo_lat', 'double precision', 'geo', () => v.lat()),
        col('geo_lng', 'double precision', 'geo', () => v.lng()),
        col('is_primary', 'boolean', null, () => true),
      ],
    },
    {
      schema: A,
      name: 'employees',
      rows: 900,
      prepare: () => ({ ...person(), pnr: v.adultPnr() }),
      comment: 'HR module: employees of customer accounts',
      columns: [
        idCol(),
        col('member_id', 'integer', null, memberRef, { sql: `REFERENCES ${A}.members` }),
        col('employeeNumber', 'text', null, ({ i }) => `E${String(i + 1).padStart(5, '0')}`),
        col('firstName', 'text', 'first_name', ({ p }) => p['first']!),
        col('lastName', 'text', 'last_name', ({ p }) => p['last']!),
        col('personalNumber', 'text', 'personnummer', ({ p }) => formatPnr(p['pnr']!, '12-')),
        col('homePhone', 'text', 'phone', () => v.phone()),
        col('workEmail', 'text', 'email', ({ p }) => v.email(p['first']!, p['last']!, 'corp.example.com')),
        col('privateEmail', 'text', 'email', ({ p }) => v.maybe(0.6, () => v.email(p['first']!, p['last']!))),
        col('bank_account_no', 'text', 'bank_account', () => v.bankAccount()),
        col('iban', 'varchar(34)', 'iban', () => v.anyIban()),
        col('salary', 'numeric(10,2)', null, () => v.int(30000, 90000), { note: 'salary: personal, no kind' }),
        col('startDate', 'date', null, () => v.date(2010, 2025)),
        col(
          'emergencyContact',
          'jsonb',
          'full_name',
          () => ({ json: { name: `${v.enFirst()} ${v.enLast()}`, phone: v.phone(), relation: v.pick(['spouse', 'parent', 'friend']) } }),
          {
            note: 'jsonb {name, phone, relation}: labelled by the name, also holds a phone',
          },
        ),
        col('department', 'text', null, () => v.pick(['Sales', 'Engineering', 'Support', 'Finance'])),
      ],
    },
    {
      schema: A,
      name: 'invoices',
      rows: 3000,
      columns: [
        idCol('id', 'bigint'),
        col('account_id', 'integer', null, ({ i }) => (i % N.accounts) + 1, { sql: `REFERENCES ${A}.accounts` }),
        col('invoice_no', 'text', null, ({ i }) => `INV-2025-${String(i + 1).padStart(6, '0')}`, { sql: 'UNIQUE' }),
        col('ocr_reference', 'text', null, () => v.ocr(v.pick([10, 12, 14])), { note: 'OCR reference, Luhn-valid, 10-digit ones never date-like' }),
        col('amount_cents', 'bigint', null, () => v.int(0, 5_000_000)),
        col('currency', 'char(3)', null, () => v.pick(['SEK', 'EUR', 'NOK'])),
        col('due_date', 'date', null, () => v.date()),
        col('status', 'text', null, () => v.pick(['draft', 'open', 'paid', 'void'])),
        col('pdf_sha256', 'char(64)', null, ({ i }) => v.sha256(`invoice-${i}`)),
        col('paid_at', 'timestamptz', null, () => v.maybe(0.6, () => v.ts())),
      ],
    },
    {
      schema: A,
      name: 'payment_methods',
      rows: 500,
      columns: [
        idCol(),
        col('account_id', 'integer', null, ({ i }) => (i % N.accounts) + 1, { sql: `REFERENCES ${A}.accounts` }),
        col('card_pan_last4', 'char(4)', null, () => v.digits(4), {
          note: 'decision: the last 4 digits of a card are not a card number (PCI DSS lets them be shown) and cannot identify a person alone: null',
        }),
        col('card_brand', 'text', null, () => v.pick(['visa', 'mastercard', 'amex'])),
        col('card_exp_month', 'smallint', null, () => v.int(1, 12)),
        col('card_exp_year', 'smallint', null, () => v.int(2026, 2031)),
        col('cardholder_name', 'text', 'full_name', () => `${v.enFirst()} ${v.enLast()}`.toUpperCase()),
        col('card_number', 'text', 'payment_card', () => v.maybe(0.3, () => v.card()), { note: 'full PAN from a legacy import, mostly NULL' }),
        col('card_fingerprint', 'char(64)', null, ({ i }) => v.sha256(`card-${i}`)),
        col(
          'billing_iban',
          'text',
          'iban',
          () =>
            v.maybe(0.5, () =>
              v
                .seIban()
                .replace(/(.{4})/g, '$1 ')
                .trim(),
            ),
          { note: 'IBAN in print form (groups of four)' },
        ),
        col('token', 'text', null, () => v.apiKey('pm_')),
      ],
    },
    {
      schema: A,
      name: 'audit_events',
      rows: 8000,
      partitions: {
        by: 'RANGE (occurred_at)',
        parts: { audit_events_2025h1: "FROM ('2023-01-01') TO ('2025-07-01')", audit_events_2025h2: "FROM ('2025-07-01') TO ('2027-01-01')" },
      },
      constraints: ['PRIMARY KEY (id, occurred_at)'],
      columns: [
        col('id', 'bigint', null, ({ i }) => i + 1),
        col('occurred_at', 'timestamptz', null, () => v.ts()),
        col('actor_member_id', 'integer', null, memberRef, { sql: `REFERENCES ${A}.members` }),
        col('action', 'text', null, ({ i }) => ACTIONS[i % ACTIONS.length]!),
        col('ip_addr', 'text', 'ip', () => v.ip()),
        col('user_agent', 'text', null, () => v.userAgent()),
        col('target_type', 'text', null, () => v.pick(['member', 'invoice', 'webhook'])),
        col('target_id', 'text', null, () => String(v.int(1, 5000))),
        col(
          'changes',
          'jsonb',
          'email',
          ({ i }) => ({
            json:
              ACTIONS[i % ACTIONS.length] === 'member.updated'
                ? { before: { email: v.email(v.enFirst(), v.enLast()) }, after: { email: v.email(v.enFirst(), v.enLast()), phone: v.e164() } }
                : { fields: [] },
          }),
          { note: 'before/after values of changed fields: e-mails and phones in one action in six' },
        ),
        col('request_id', 'uuid', null, () => v.uuid()),
      ],
    },
    {
      schema: A,
      name: 'webhooks',
      rows: N.webhooks,
      columns: [
        idCol(),
        col('account_id', 'integer', null, ({ i }) => (i % N.accounts) + 1, { sql: `REFERENCES ${A}.accounts` }),
        col('url', 'text', null, () => v.url('hooks')),
        col('secret', 'text', null, () => v.apiKey('whsec_')),
        col('events', 'text[]', null, () => v.f.helpers.arrayElements(ACTIONS, { min: 1, max: 3 })),
        col('created_by', 'integer', null, memberRef, { sql: `REFERENCES ${A}.members` }),
        col('last_status', 'smallint', null, () => v.pick([200, 200, 204, 500, 404])),
        col('last_delivery_at', 'timestamptz', null, () => v.ts()),
      ],
    },
    {
      schema: A,
      name: 'webhook_deliveries',
      rows: 2500,
      columns: [
        idCol('id', 'bigint'),
        col('webhook_id', 'integer', null, ({ i }) => (i % N.webhooks) + 1, { sql: `REFERENCES ${A}.webhooks` }),
        col('attempted_at', 'timestamptz', null, () => v.ts()),
        col('response_code', 'smallint', null, () => v.pick([200, 200, 500, 404])),
        col('duration_ms', 'integer', null, () => v.int(12, 30000)),
        col(
          'payload',
          'jsonb',
          'email',
          () => {
            const [first, last] = [v.enFirst(), v.enLast()];
            return { json: { event: 'member.updated', data: { member: { name: `${first} ${last}`, email: v.email(first, last), phones: [v.e164(), v.phone()] } } } };
          },
          { note: 'the event sent: a member’s name, e-mail and phones nested; labelled email' },
        ),
        col('response_headers', 'jsonb', null, () => ({ json: { 'content-type': 'application/json', server: `nginx/${v.version()}`, 'x-request-id': v.uuid() } })),
      ],
    },
    {
      schema: A,
      name: 'integrations',
      rows: 120,
      columns: [
        idCol(),
        col('account_id', 'integer', null, ({ i }) => (i % N.accounts) + 1, { sql: `REFERENCES ${A}.accounts` }),
        col('provider', 'text', null, () => v.pick(['slack', 'fortnox', 'visma', 'google'])),
        col('api_key', 'text', null, () => v.apiKey('sk_live_')),
        col('config', 'jsonb', null, () => ({ json: { channel: `#${v.f.word.noun()}`, scopes: ['read', 'write'], retries: v.int(0, 5) } })),
        col('connected_by_email', 'text', 'email', () => v.email(v.enFirst(), v.enLast(), 'acme.io')),
        col('client_version', 'text', null, () => v.version()),
        col('enabled', 'boolean', null, () => v.bool(0.8)),
      ],
    },
    {
      schema: A,
      name: 'support_tickets',
      rows: N.tickets,
      columns: [
        idCol(),
        col('account_id', 'integer', null, ({ i }) => (i % N.accounts) + 1, { sql: `REFERENCES ${A}.accounts` }),
        col('requester_email', 'text', 'email', () => v.email(v.enFirst(), v.enLast())),
        col('subject', 'text', 'free_text', () => v.pick(['Cannot log in', 'Invoice question', `Call back ${v.enFirst()} on ${v.e164()}`, 'Export broken', 'Change of address']), {
          note: 'subjects written by customers, sometimes with a name and number',
        }),
        col('body', 'text', 'free_text', () => englishNote(v)),
        col('priority', 'text', null, () => v.pick(['low', 'normal', 'high'])),
        col('status', 'text', null, () => v.pick(['open', 'pending', 'solved'])),
        col('assignee', 'text', 'full_name', () => `${v.enFirst()} ${v.enLast()}`, { note: 'the support agent’s name' }),
        col('tags', 'text[]', null, () => v.f.helpers.arrayElements(['billing', 'login', 'api', 'export', 'bug'], { min: 0, max: 2 })),
        col('created_at', 'timestamptz', null, () => v.ts()),
      ],
    },
    {
      schema: A,
      name: 'ticket_messages',
      rows: 2100,
      columns: [
        idCol(),
        col('ticket_id', 'integer', null, ({ i }) => (i % N.tickets) + 1, { sql: `REFERENCES ${A}.support_tickets` }),
        col('author_member_id', 'integer', null, memberRef, { sql: `REFERENCES ${A}.members` }),
        col('body', 'text', 'free_text', () => englishNote(v)),
        col('sent_at', 'timestamptz', null, () => v.ts()),
        col('channel', 'text', null, () => v.pick(['email', 'chat', 'phone'])),
        col('attachments', 'jsonb', null, ({ i }) => ({ json: [{ name: `screenshot-${i}.png`, bytes: v.int(1000, 400000) }] })),
      ],
    },
    {
      schema: A,
      name: 'sessions',
      rows: 4000,
      columns: [
        col('id', 'uuid', null, () => v.uuid(), { sql: 'PRIMARY KEY' }),
        col('member_id', 'integer', null, memberRef, { sql: `REFERENCES ${A}.members` }),
        col('client_ip', 'text', 'ip', () => v.ip(), { note: 'IPv4 and IPv6 as text' }),
        col('user_agent', 'text', null, () => v.userAgent()),
        col('created_at', 'timestamptz', null, () => v.ts()),
        col('expires_at', 'timestamptz', null, () => v.ts(2026, 2026)),
        col('token_hash', 'char(64)', null, ({ i }) => v.sha256(`session-${i}`)),
        col('device_geo', 'jsonb', 'geo', () => ({ json: { lat: v.lat(), lng: v.lng(), accuracy_m: v.int(5, 5000) } }), { note: 'device location at login' }),
      ],
    },
    {
      schema: A,
      name: 'ApiClients',
      rows: 150,
      columns: [
        col('Id', 'integer', null, ({ i }) => i + 1, { sql: 'PRIMARY KEY' }),
        col('ClientName', 'text', null, () => `${v.f.word.adjective()}-${v.f.word.noun()}`),
        col('ClientSecret', 'text', null, () => v.apiKey('cs_')),
        col('OwnerEmail', 'text', 'email', () => v.email(v.enFirst(), v.enLast(), 'acme.io')),
        col('CreatedAt', 'timestamptz', null, () => v.ts()),
        col('AllowedIps', 'text[]', null, () => Array.from({ length: v.int(1, 3) }, () => v.ipv4()), {
          note: 'allow-list of a customer company’s server addresses: judged not personal (no person behind them)',
        }),
      ],
    },
    {
      schema: A,
      name: 'custom_field_values',
      rows: 1200,
      comment: 'Values of the custom field "Private phone" that accounts add to member profiles',
      columns: [
        idCol(),
        col('member_id', 'integer', null, memberRef, { sql: `REFERENCES ${A}.members` }),
        col('field_key', 'text', null, () => 'cf_2'),
        col('value', 'text', 'phone', () => v.phone(), { note: 'a column called value holding phone numbers' }),
        col('updated_at', 'timestamptz', null, () => v.ts()),
      ],
    },
    {
      schema: A,
      name: 'outbox',
      rows: 1500,
      columns: [
        idCol('id', 'bigint'),
        col('topic', 'text', null, () => v.pick(['hr.employee.created', 'hr.employee.updated'])),
        col(
          'body',
          'jsonb',
          'personnummer',
          () => ({
            json: { employee: { personalNumber: formatPnr(v.adultPnr(), '12-'), name: { first: v.enFirst(), last: v.enLast() } }, source: 'hr', v: 2 },
          }),
          { note: 'events about employees: personnummer and name nested' },
        ),
        col('created_at', 'timestamptz', null, () => v.ts()),
        col('processed_at', 'timestamptz', null, () => v.maybe(0.9, () => v.ts())),
      ],
    },
    {
      schema: A,
      name: 'data_exports',
      rows: 0,
      columns: [
        idCol(),
        col('member_id', 'integer', null, undefined, { sql: `REFERENCES ${A}.members` }),
        col('requested_by_email', 'text', 'email'),
        col('file_url', 'text', null),
        col('include_ssn', 'boolean', null),
        col('note', 'text', 'free_text', undefined, { comment: 'Free text written by support staff about the request' }),
      ],
    },
    {
      schema: A,
      name: 'feature_flags',
      rows: 40,
      columns: [
        idCol(),
        col('key', 'text', null, ({ i }) => `flag_${i}_${v.f.word.noun()}`, { sql: 'UNIQUE' }),
        col('enabled', 'boolean', null, () => v.bool()),
        col('rollout_percent', 'smallint', null, () => v.int(0, 100)),
        col('description', 'text', null, () => v.f.lorem.sentence()),
        col('updated_at', 'timestamptz', null, () => v.ts()),
      ],
    },
    {
      schema: A,
      name: 'contacts',
      rows: 2500,
      prepare: () => ({ first: v.firstName(), last: v.lastName() }),
      columns: [
        idCol(),
        col('account_id', 'integer', null, ({ i }) => (i % N.accounts) + 1, { sql: `REFERENCES ${A}.accounts` }),
        col('fullName', 'text', 'full_name', ({ p }) => `${p['first']!} ${p['last']!}`),
        col('phoneNumber', 'text', 'phone', () => v.phone()),
        col('emailAddress', 'text', 'email', ({ p }) => v.email(p['first']!, p['last']!)),
        col('streetAddress', 'text', 'street', () => v.street()),
        col('postalCode', 'text', 'postal_code', () => v.postalCode()),
        col('city', 'text', 'city', () => v.city()),
        col('birthDate', 'char(8)', 'birth_date', () => v.syntheticPnr(1950, 2005).slice(0, 8), { note: 'YYYYMMDD as text' }),
        col('tags', 'text[]', null, () => v.f.helpers.arrayElements(['vip', 'lead', 'partner', 'newsletter'], { min: 0, max: 2 })),
        col('notes', 'text', 'free_text', () => v.maybe(0.5, () => englishNote(v))),
      ],
    },
    {
      schema: A,
      name: 'plan_prices',
      rows: 24,
      columns: [
        idCol(),
        col('plan', 'text', null, ({ i }) => ['free', 'team', 'business', 'enterprise'][i % 4]!),
        col('currency', 'char(3)', null, ({ i }) => ['SEK', 'EUR', 'NOK'][i % 3]!),
        col('amount_cents', 'integer', null, () => v.int(0, 99900)),
        col('sku_ean', 'char(13)', null, () => v.ean13(), { note: 'EAN-13 barcode' }),
        col('price_version', 'text', null, () => v.version()),
      ],
    },
    {
      schema: A,
      name: 'expense_claims',
      rows: 1100,
      columns: [
        idCol(),
        col('employee_id', 'integer', null, ({ i }) => (i % 900) + 1, { sql: `REFERENCES ${A}.employees` }),
        col('amount', 'numeric(10,2)', null, () => v.int(50, 12000)),
        col('merchant', 'text', null, () => v.fen.company.name()),
        col('receipt_number', 'text', null, () => v.notIdentity(10), { note: '10 digits, not an identity number (wrong check digit or no date)' }),
        col('corporate_card', 'text', 'payment_card', () => v.card(), { note: 'full number of the company card issued to the employee: a card in a person’s name' }),
        col('payout_iban', 'text', 'iban', () => v.seIban()),
        col('status', 'text', null, () => v.pick(['submitted', 'approved', 'paid', 'rejected'])),
        col('submitted_at', 'timestamptz', null, () => v.ts()),
      ],
    },
    {
      schema: A,
      name: 'login_attempts',
      rows: 6000,
      columns: [
        idCol('id', 'bigint'),
        col('email_attempted', 'text', 'email', () => v.email(v.enFirst(), v.enLast())),
        col('ip_addr', 'inet', 'ip', () => v.ip()),
        col('succeeded', 'boolean', null, () => v.bool(0.8)),
        col('attempted_at', 'timestamptz', null, () => v.ts()),
        col('geo_country', 'char(2)', null, () => v.pick(['SE', 'SE', 'US', 'DE', 'NO'])),
      ],
    },
  ];
}
