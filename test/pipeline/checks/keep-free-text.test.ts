import { afterAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../../../src/catalog/read-catalog.js';
import type { Catalog } from '../../../src/catalog/types.js';
import { type Finding, hasErrors } from '../../../src/config/finding.js';
import { parseRules } from '../../../src/config/parse-rules.js';
import { Session } from '../../../src/db/connection.js';
import { checkRules } from '../../../src/pipeline/checks/check-rules.js';
import { createDatabase, useDatabase } from '../../support/database.js';

/** A value that must never appear in a finding. */
const CANARY = 'Kanarie Fågelsson 070-1740605 kanarie@example.org';

/** Columns of public.tickets, with what a user expects of each when it is ruled keep. */
const TICKETS: readonly [name: string, type: string, freeText: boolean][] = [
  ['id', 'int PRIMARY KEY', false],
  ['details', 'text', true], // text: any length
  ['title', 'varchar(50)', false], // short, not named like free text
  ['summary', 'varchar(500)', true], // long varchar
  ['subject', 'varchar(100)', false], // 100 is not over the limit
  ['headline', 'varchar(101)', true],
  ['unlimited', 'varchar', true],
  ['long_fixed', 'char(200)', true],
  ['kommentar', 'varchar(50)', true], // Swedish name, short type
  ['"customerNotes"', 'varchar(40)', true], // camelCase word part
  ['body', 'varchar(80)', true],
  ['"ticketBody"', 'varchar(80)', true],
  ['"Övrigt"', 'varchar(30)', true],
  ['kundkommentar', 'varchar(60)', true], // Swedish compound
  ['description_text', 'varchar(90)', true], // a form word after the free-text word
  ['notes2', 'varchar(90)', true],
  ['short_note', 'long_note', true], // through a domain
  ['notes', 'jsonb', true], // json named like free text
  ['remarks', 'text[]', true], // array of text named like free text
  // Not free text: something about the text, a code, another type, or json by its type alone.
  ['note_count', 'integer', false],
  ['message_id', 'varchar(64)', false],
  ['body_length', 'integer', false],
  ['description_code', 'varchar(20)', false],
  ['comment_author', 'varchar(60)', false],
  ['keynote', 'varchar(60)', false],
  ['status', 'text', false], // text, but the name says a code
  ['external_id', 'text', false],
  ['country_code', 'text', false],
  ['invoice_number', 'text', false],
  ['metadata', 'jsonb', false],
  ['tags', 'text[]', false],
  ['has_notes', 'boolean', false],
  ['sysname', 'name', false],
];

const unquote = (name: string): string => name.replace(/^"|"$/g, '');
const freeTextColumns = TICKETS.filter(([, , free]) => free).map(([name]) => unquote(name));

/** Rules for public.tickets with every column given `rule` (a function of the column), one line each. */
function ticketRules(rule: (column: string, type: string) => string, header = 'version: 1\nunlisted: fail\n'): string {
  const lines = TICKETS.map(([name, type]) => `      ${JSON.stringify(unquote(name))}: ${rule(unquote(name), type)}`);
  return `${header}tables:\n  public.tickets:\n    columns:\n${lines.join('\n')}\n`;
}

const freeTextCodes = (findings: readonly Finding[]) => findings.filter((f) => f.code.startsWith('KEEP_FREE_TEXT'));

describe('free text ruled keep', async () => {
  const db = await useDatabase('pgmask_free_text');
  await db.query(`
    CREATE DOMAIN long_note AS varchar(300);
    CREATE TABLE tickets (${TICKETS.map(([name, type]) => `${name} ${type}`).join(', ')});
    INSERT INTO tickets (id, details, kommentar, "customerNotes") VALUES (1, '${CANARY}', '${CANARY}', 'x');
    CREATE TABLE ticket_events (id int PRIMARY KEY, ticket_id int REFERENCES tickets (id), at timestamptz, message text, clicks int) ;
    CREATE TABLE events (id int NOT NULL, at date NOT NULL, meddelande varchar(80), PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
    CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
    CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
    CREATE TABLE counters (id int PRIMARY KEY, hits bigint, label varchar(20));`);
  const session = await Session.connect(db.url, 'source');
  afterAll(() => session.end());
  const catalog: Catalog = await readCatalog(session);

  const check = (text: string, against: Catalog = catalog): Finding[] => {
    const { rules, findings } = parseRules(text, 'rules.yaml');
    expect(findings).toEqual([]);
    return checkRules(rules!, against);
  };
  /** The rest of the database ruled so that only public.tickets matters. */
  const others =
    '  public.ticket_events:\n    columns: { id: keep, ticket_id: keep, at: keep, message: text.scrub, clicks: keep }\n  public.events:\n    columns: { id: keep, at: keep, meddelande: text.scrub }\n  public.counters:\n    columns: { id: keep, hits: keep, label: keep }\n';

  it('warns once per free-text column ruled keep: long text types and names like notes or kommentar, in English and Swedish', () => {
    const findings = check(ticketRules(() => 'keep') + others);
    expect(findings.every((f) => f.severity === 'warning' && f.code === 'KEEP_FREE_TEXT' && f.table === 'public.tickets')).toBe(true);
    expect(findings.map((f) => f.column)).toEqual(freeTextColumns);
    expect(hasErrors(findings)).toBe(false);
  });

  it('says which column, why, and what to do, at the rule’s line', () => {
    const findings = check(ticketRules(() => 'keep') + others);
    const of = (column: string) => findings.find((f) => f.column === column)!;
    expect(of('details')).toEqual({
      severity: 'warning',
      code: 'KEEP_FREE_TEXT',
      message:
        'public.tickets.details is copied unchanged (keep), but its type, text, holds text of any length: text written by people may hold names, phone numbers, e-mail addresses and personnummer; rule it text.scrub (or redact), or if it holds nothing personal, say so: { transform: keep, reason: "..." }',
      table: 'public.tickets',
      column: 'details',
      file: { file: 'rules.yaml', line: 7, column: 7 },
    });
    expect(of('summary').message).toMatch(/^public\.tickets\.summary is copied unchanged \(keep\), but its type, character varying\(500\), holds up to 500 characters: /);
    expect(of('kommentar').message).toMatch(/^public\.tickets\.kommentar is copied unchanged \(keep\), but its name says free text \('kommentar'\): /);
    expect(of('customerNotes').message).toMatch(/^public\.tickets\."customerNotes" .* its name says free text \('notes'\): /);
    expect(of('short_note').message).toMatch(/its name says free text \('note'\) and its type, long_note, holds up to 300 characters: /);
    for (const f of findings) expect(f.message).not.toMatch(/Kanarie|070-1740605|kanarie@/);
  });

  it('does not warn about the same columns ruled text.scrub or redact, or kept with a reason', () => {
    const masked = check(
      ticketRules((_c, type) =>
        type.endsWith('[]') || type === 'long_note' ? 'redact' : type === 'integer' || type === 'boolean' || type.includes('PRIMARY') ? 'keep' : 'text.scrub',
      ) + others,
    );
    expect(masked).toEqual([]);
    expect(check(ticketRules((c) => (c === 'id' ? 'keep' : 'redact')) + others)).toEqual([]);
    expect(check(ticketRules(() => '{ transform: keep, reason: "written by the support system, never by people" }') + others)).toEqual([]);
  });

  it('one finding for a rule on a partitioned table, not one per partition', () => {
    const findings = check(
      ticketRules((c) => (c === 'id' ? 'keep' : 'redact')) + others.replace('meddelande: text.scrub', 'meddelande: keep').replace('message: text.scrub', 'message: keep'),
    );
    expect(freeTextCodes(findings).map((f) => [f.code, f.table, f.column])).toEqual([
      ['KEEP_FREE_TEXT', 'public.ticket_events', 'message'],
      ['KEEP_FREE_TEXT', 'public.events', 'meddelande'],
    ]);
  });

  it('a reason on keep does not make a foreign key look masked differently', () => {
    const text = `${ticketRules((c) => (c === 'id' ? '{ transform: keep, reason: "a number" }' : 'redact'))}${others}`;
    expect(check(text)).toEqual([]);
  });

  describe('unlisted: keep', () => {
    const header = 'version: 1\nunlisted: keep\n';

    it('a listed table’s free-text columns without a rule are errors: the top-level keep does not reach them', () => {
      const text = `${header}tables:\n  public.tickets:\n    columns:\n      id: keep\n      details: text.scrub\n  public.ticket_events:\n    columns: { id: keep }\n`;
      const findings = check(text);
      expect(freeTextCodes(findings).map((f) => f.code)).toEqual(['KEEP_FREE_TEXT_UNLISTED_TABLES']);
      const unruled = findings.filter((f) => f.code === 'COLUMN_WITHOUT_RULE');
      expect(unruled.filter((f) => f.table === 'public.tickets').map((f) => f.column)).toEqual(expect.arrayContaining(['summary', 'kommentar', 'note_count']));
      expect(
        unruled
          .filter((f) => f.table === 'public.ticket_events')
          .map((f) => f.column)
          .sort(),
      ).toEqual(['at', 'clicks', 'message', 'ticket_id']);
      expect(unruled.every((f) => f.severity === 'error')).toBe(true);
    });

    it('a table’s own unlisted: keep with free-text columns without a rule: one warning for the table, at its entry, instead of the info', () => {
      const text = `${header}tables:\n  public.tickets:\n    unlisted: keep\n    columns:\n      id: keep\n      details: keep\n      kommentar: text.scrub\n  public.ticket_events:\n    columns: { id: keep }\n    unlisted: keep\n`;
      const all = check(text);
      expect(hasErrors(all)).toBe(false);
      expect(all.filter((f) => f.code === 'TABLE_UNLISTED_COLUMNS_KEPT')).toEqual([]);
      const findings = freeTextCodes(all);
      expect(findings.map((f) => [f.code, f.table, f.column])).toEqual([
        ['KEEP_FREE_TEXT_UNLISTED', 'public.tickets', undefined],
        ['KEEP_FREE_TEXT', 'public.tickets', 'details'],
        ['KEEP_FREE_TEXT_UNLISTED', 'public.ticket_events', 'message'],
        ['KEEP_FREE_TEXT_UNLISTED_TABLES', undefined, undefined],
      ]);
      const listed = freeTextColumns.filter((c) => c !== 'details' && c !== 'kommentar');
      expect(findings[0]!.message).toBe(
        `columns ${listed.map((c) => (c === c.toLowerCase() && /^[a-z_0-9]+$/.test(c) ? c : `"${c}"`)).join(', ')} of public.tickets have no rule and are copied unchanged (unlisted: keep in its entry), but look like free text (long text, or a name like notes or kommentar): text written by people may hold names, phone numbers, e-mail addresses and personnummer; give each a rule under columns: of public.tickets: text.scrub (or redact), or { transform: keep, reason: "..." } if they hold nothing personal`,
      );
      expect(findings[0]!.severity).toBe('warning');
      expect(findings[0]!.file).toEqual({ file: 'rules.yaml', line: 4, column: 3 });
      expect(findings[2]!.message).toMatch(/^column message of public\.ticket_events has no rule and is copied unchanged \(unlisted: keep in its entry\)/);
    });

    it('a table’s own unlisted: keep warns about free text under the top-level unlisted: fail too', () => {
      const text = `version: 1\ntables:\n  public.ticket_events:\n    unlisted: keep\n    columns: { id: keep }\n  public.tickets:\n    skip: true\n  public.events:\n    skip: true\n  public.counters:\n    unlisted: keep\n`;
      const findings = check(text);
      expect(findings.filter((f) => f.code !== 'SKIPPED_TABLE_REFERENCED').map((f) => [f.severity, f.code, f.table, f.column])).toEqual([
        ['warning', 'KEEP_FREE_TEXT_UNLISTED', 'public.ticket_events', 'message'],
        ['info', 'TABLE_UNLISTED_COLUMNS_KEPT', 'public.counters', undefined],
      ]);
      expect(findings.find((f) => f.code === 'TABLE_UNLISTED_COLUMNS_KEPT')!.message).toBe(
        'table public.counters says unlisted: keep: columns id, hits, label have no rule and are copied unchanged, as will be any column added later; give each column a rule and remove the unlisted: keep to fail closed',
      );
    });

    it('tables without an entry: one warning for them all, and each table’s info names its columns', () => {
      const findings = check(`${header}tables:\n  public.tickets:\n    skip: true\n`);
      const warnings = findings.filter((f) => f.severity === 'warning');
      expect(warnings.map((f) => f.code)).toEqual(['KEEP_FREE_TEXT_UNLISTED_TABLES']);
      expect(warnings[0]!.message).toBe(
        '3 tables without rules are copied unchanged (unlisted: keep) with columns that look like free text (long text, or a name like notes or kommentar): public.events_2024 (meddelande), public.events_2025 (meddelande), public.ticket_events (message); text written by people may hold names, phone numbers, e-mail addresses and personnummer; add them under tables: and rule such columns text.scrub (or redact), or { transform: keep, reason: "..." } where they hold nothing personal',
      );
      const infos = new Map(findings.filter((f) => f.code === 'TABLE_UNLISTED_KEPT').map((f) => [f.table, f.message]));
      expect(infos.get('public.ticket_events')).toBe('table public.ticket_events has no rules: copied unchanged (unlisted: keep); columns that look like free text: message');
      expect(infos.get('public.counters')).toBe('table public.counters has no rules: copied unchanged (unlisted: keep)');
      expect(hasErrors(findings)).toBe(false);
    });

    it('hundreds of tables without an entry still give one warning, listing five', async () => {
      const many = await createDatabase('pgmask_free_text_many');
      let big: Catalog;
      try {
        await many.query(Array.from({ length: 300 }, (_, i) => `CREATE TABLE t${String(i).padStart(3, '0')} (id int, notes text, n int);`).join('\n'));
        const own = await Session.connect(many.url, 'source');
        big = await readCatalog(own).finally(() => own.end());
      } finally {
        await many.drop();
      }
      const findings = check(`${header}tables: {}\n`, big);
      const warnings = findings.filter((f) => f.severity !== 'info');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.message).toMatch(
        /^300 tables without rules .*: public\.t000 \(notes\), .*, public\.t004 \(notes\), … \(300 tables in all; each table's TABLE_UNLISTED_KEPT line names its columns\); /,
      );
    });
  });
});
