import { afterAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../../src/catalog/read-catalog.js';
import type { Catalog, Table } from '../../src/catalog/types.js';
import { Session } from '../../src/db/connection.js';
import { useLimitedRole, useTrickyDatabase } from './tricky-database.js';

describe('readCatalog', async () => {
  const db = await useTrickyDatabase();
  const role = await useLimitedRole(db);
  const session = await Session.connect(db.url, 'source');
  afterAll(() => session.end());
  const catalog: Catalog = await readCatalog(session);
  const table = (sqlName: string): Table => {
    const found = catalog.tables.find((t) => t.sqlName === sqlName);
    if (!found) throw new Error(`no table ${sqlName}`);
    return found;
  };
  const column = (sqlName: string, name: string) => table(sqlName).columns.find((c) => c.name === name)!;

  it('lists tables of every kind, quoted as SQL needs, without extension members', () => {
    expect(catalog.serverVersion).toBeGreaterThanOrEqual(120000);
    expect(catalog.tables.map((t) => [t.sqlName, t.kind]).sort()).toEqual(
      [
        ['"Sales"."Kund"', 'table'],
        ['"a.b".c', 'table'],
        ['public."Order Items"', 'table'],
        ['public."ünïcødé"', 'table'],
        ['public.animals', 'table'],
        ['public.child', 'table'],
        ['public.customers', 'table'],
        ['public.dogs', 'table'],
        ['public.event_refs', 'table'],
        ['public.events', 'partitioned'],
        ['public.events_2024', 'partitioned'],
        ['public.events_2024_a', 'table'],
        ['public.events_2025', 'table'],
        ['public.forced', 'table'],
        ['public.owned_forced', 'table'],
        ['public.owned_rls', 'table'],
        ['public.parent', 'table'],
        ['public.ping', 'table'],
        ['public.pong', 'table'],
        ['public.remote_rows', 'foreign'],
        ['public.scratch', 'table'],
        ['public.secrets', 'table'],
        ['public.serials', 'table'],
      ].sort(),
    );
    expect(table('"Sales"."Kund"')).toMatchObject({ schema: 'Sales', name: 'Kund' });
    expect(table('"a.b".c')).toMatchObject({ schema: 'a.b', name: 'c' });
  });

  it('lists views and materialized views, without extension members', () => {
    expect(catalog.views.map((v) => [v.sqlName, v.materialized]).sort()).toEqual([
      ['public.customer_count', true],
      ['public.customer_names', false],
    ]);
  });

  it('reads columns in attnum order, without dropped ones, names exact', () => {
    expect(table('public.customers').columns.map((c) => c.name)).toEqual([
      'id',
      'email',
      'name',
      'nickname',
      'nick2',
      'country',
      'mood',
      'tags',
      'scores',
      'full_label',
      'created_at',
      'select',
      'x"); drop table t;--',
      'handle',
    ]);
    expect(table('public.serials').columns.map((c) => [c.name, c.attnum])).toEqual([
      ['id', 1],
      ['after_drop', 3],
    ]);
    expect(table('"Sales"."Kund"').columns.map((c) => c.name)).toEqual(['Namn', 'Ålder', 'e.post']);
    expect(table('public."ünïcødé"').columns.map((c) => c.name)).toEqual(['名前', 'emoji 🎉']);
  });

  it('resolves domains to their base type, with typmod length and NOT NULL through them', () => {
    expect(column('public.customers', 'email')).toMatchObject({ type: 'character varying(40)', family: 'text', maxLength: 40, notNull: true });
    expect(column('public.customers', 'nickname')).toMatchObject({
      type: 'short_text',
      baseType: 'character varying(12)',
      family: 'text',
      maxLength: 12,
      notNull: true,
    });
    expect(column('public.customers', 'nick2')).toMatchObject({ type: 'shorter_text', baseType: 'character varying(12)', maxLength: 12, notNull: true });
    expect(column('public.customers', 'country')).toMatchObject({ baseType: 'character(3)', family: 'text', maxLength: 3, notNull: false });
    expect(column('public.customers', 'name')).toMatchObject({ family: 'text', maxLength: undefined, notNull: false });
    expect(column('public.customers', 'handle')).toMatchObject({ family: 'text', maxLength: undefined });
  });

  it('reads enums and arrays (also through a domain)', () => {
    expect(column('public.customers', 'mood')).toMatchObject({ family: 'enum', enumLabels: ['sad', 'ok', 'happy'] });
    expect(column('public.customers', 'tags')).toMatchObject({ type: 'text[]', family: 'array', elementFamily: 'text', enumLabels: undefined });
    expect(column('public.customers', 'scores')).toMatchObject({ type: 'int_list', baseType: 'integer[]', family: 'array', elementFamily: 'integer' });
    expect(column('public.customers', 'created_at')).toMatchObject({ family: 'timestamp', hasDefault: true, notNull: true });
  });

  it('says how COPY binary carries each type: as text, as jsonb, as a built-in form of its own, or not portably', async () => {
    await db.query(`CREATE SCHEMA forms; CREATE TYPE forms.pair AS (a int, b text); CREATE DOMAIN forms.word AS text;
      CREATE DOMAIN forms.born AS date CHECK (VALUE > '1900-01-01');
      CREATE TABLE forms.t (t text, vc varchar(3), ch char(2), j json, jb jsonb, w forms.word, m mood, i int, ts timestamptz,
                            ta text[], il int_list, ma mood[], p forms.pair, s int2, b int8, d date, bd forms.born, tp timestamp(3),
                            n numeric, f float8, o oid)`);
    const forms = await readCatalog(session, { schemas: ['forms'] });
    expect(Object.fromEntries(forms.tables[0]!.columns.map((c) => [c.name, c.binaryForm]))).toEqual({
      t: 'text',
      vc: 'text',
      ch: 'text',
      j: 'text',
      jb: 'jsonb',
      w: 'text',
      m: 'text',
      i: 'int4',
      ts: 'opaque',
      ta: 'opaque',
      il: 'opaque',
      ma: undefined,
      p: undefined,
      s: 'int2',
      b: 'int8',
      d: 'date',
      bd: 'date',
      tp: 'timestamp',
      n: 'numeric',
      f: 'opaque',
      o: 'opaque',
    });
  });

  it('reads identity, serial and generated columns, and owned sequences', () => {
    expect(column('public.customers', 'id')).toMatchObject({ identity: 'always', generated: false, family: 'integer' });
    expect(column('public.customers', 'full_label')).toMatchObject({ generated: true, hasDefault: false, identity: undefined });
    expect(column('public.serials', 'id')).toMatchObject({ identity: undefined, hasDefault: true });
    expect([...table('public.customers').ownedSequences]).toEqual([['id', 'public.customers_id_seq']]);
    expect([...table('public.serials').ownedSequences]).toEqual([['id', 'public.serials_id_seq']]);
  });

  it('reads primary keys and unique keys, leaving out expression indexes and INCLUDE columns', () => {
    expect(table('public.customers').primaryKey).toEqual(['id']);
    expect(table('public.customers').uniqueKeys).toEqual([['email'], ['name', 'nickname']]);
    expect(table('public."Order Items"').primaryKey).toEqual(['order_id', 'line']);
    expect(table('public.animals').primaryKey).toBeUndefined();
  });

  it('reads foreign keys: composite, to a unique non-key column, cycles, to a partitioned table (once), NOT VALID, with the index each relies on', () => {
    const fk = (t: string) => table(t).foreignKeys.map((f) => [f.columns, `${f.referencedSchema}.${f.referencedTable}`, f.referencedColumns, f.referencedIndex, f.validated]);
    expect(fk('public."Order Items"')).toEqual([[['customer_email'], 'public.customers', ['email'], 'customers_email_key', true]]);
    expect(fk('public.child')).toEqual([[['pa', 'pb'], 'public.parent', ['a', 'b'], 'parent_pkey', true]]);
    expect(fk('public.ping')).toEqual([[['pong_id'], 'public.pong', ['id'], 'pong_pkey', false]]);
    expect(fk('public.pong')).toEqual([[['ping_id'], 'public.ping', ['id'], 'ping_pkey', true]]);
    expect(fk('public.event_refs')).toEqual([[['event_id', 'event_at'], 'public.events', ['id', 'at'], 'events_pkey', true]]);
  });

  it('reads partitions at two levels, with partition keys', () => {
    expect(table('public.events')).toMatchObject({ kind: 'partitioned', partitionOf: undefined, partitionKey: ['at'], primaryKey: ['id', 'at'] });
    expect(table('public.events_2024')).toMatchObject({ kind: 'partitioned', partitionOf: 'public.events', partitionKey: ['id'] });
    expect(table('public.events_2024_a')).toMatchObject({ kind: 'table', partitionOf: 'public.events_2024', inheritsFrom: [], primaryKey: ['id', 'at'] });
    expect(table('public.events_2025')).toMatchObject({ kind: 'table', partitionOf: 'public.events', bytes: expect.any(Number) });
  });

  it('reads inheritance children, unlogged tables and row-level security', () => {
    expect(table('public.dogs')).toMatchObject({ inheritsFrom: ['public.animals'], partitionOf: undefined });
    expect(table('public.dogs').columns.map((c) => c.name)).toEqual(['id', 'name', 'breed']);
    expect(table('public.scratch').unlogged).toBe(true);
    expect(table('public.customers').unlogged).toBe(false);
    expect(table('public.secrets')).toMatchObject({ rowSecurity: true, forceRowSecurity: false, ownedByConnectingRole: true });
    expect(table('public.forced')).toMatchObject({ rowSecurity: true, forceRowSecurity: true });
    expect(table('public.customers')).toMatchObject({ rowSecurity: false, forceRowSecurity: false });
    expect(catalog.bypassRowSecurity).toBe(true);
  });

  it('reads only the schemas asked for', async () => {
    const sales = await readCatalog(session, { schemas: ['Sales'] });
    expect(sales.tables.map((t) => t.sqlName)).toEqual(['"Sales"."Kund"']);
    expect(sales.views).toEqual([]);
  });

  it('tells what a role without BYPASSRLS bypasses: only tables it owns', async () => {
    const limited = await Session.connect(role.url, 'source');
    try {
      const seen = await readCatalog(limited);
      expect(seen.bypassRowSecurity).toBe(false);
      const owned = (name: string) => seen.tables.find((t) => t.sqlName === name)?.ownedByConnectingRole;
      expect(owned('public.secrets')).toBe(false);
      expect(owned('public.owned_rls')).toBe(true);
      expect(owned('public.owned_forced')).toBe(true);
    } finally {
      await limited.end();
    }
  });

  it('reads inside the caller’s transaction', async () => {
    await session.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const first = await readCatalog(session);
    await db.query('CREATE TABLE added_later (id int)');
    const second = await readCatalog(session);
    await session.query('COMMIT');
    expect(second.tables.map((t) => t.sqlName)).toEqual(first.tables.map((t) => t.sqlName));
    const third = await readCatalog(session);
    expect(third.tables.map((t) => t.sqlName)).toContain('public.added_later');
    await db.query('DROP TABLE added_later');
  });
});
