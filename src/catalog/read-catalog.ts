import type { Session } from '../db/connection.js';
import { tableKey } from './table-key.js';
import { typeFamily } from './type-family.js';
import type { BinaryForm, Catalog, Column, ForeignKey, Table, TableKind, TypeFamily, View } from './types.js';

/** Options of `readCatalog`. */
export interface ReadCatalogOptions {
  /** Only these schemas; by default every schema but the system ones. */
  readonly schemas?: readonly string[];
}

interface RelationRow {
  oid: string;
  schema: string;
  name: string;
  relkind: string;
  relispartition: boolean;
  unlogged: boolean;
  relrowsecurity: boolean;
  relforcerowsecurity: boolean;
  reltuples: number;
  bytes: string;
  owned: boolean;
}

interface ColumnRow {
  relid: string;
  name: string;
  attnum: number;
  typid: string;
  typmod: number;
  type: string;
  notnull: boolean;
  hasdef: boolean;
  identity: string;
  generated: string;
  comment: string | null;
}

interface TypeRow {
  oid: string;
  name: string;
  schema: string;
  typtype: string;
  basetype: string;
  typmod: number;
  notnull: boolean;
  elem: string;
  category: string;
  /** pg_type.typsend, '-' when the type has no binary form. */
  send: string;
}

/** The type a column's values have once every domain is peeled off. */
interface Resolved {
  readonly oid: string;
  readonly typmod: number;
  /** A domain in the chain is NOT NULL. */
  readonly notNull: boolean;
  readonly throughDomain: boolean;
}

const SYSTEM_SCHEMAS = `n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'`;
const NOT_EXTENSION_MEMBER = `NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid AND d.deptype = 'e')`;

/**
 * Reads tables, columns, keys, sequences, views and row-level security from pg_catalog, in
 * the session's current transaction (so under its snapshot, when it has one). Leaves out the
 * system schemas (pg_catalog, information_schema, pg_toast, pg_temp_*) and objects that belong
 * to an extension. Works on PostgreSQL 12 and later.
 *
 * @example
 * const session = await Session.connect(process.env.SOURCE, 'source');
 * const catalog = await readCatalog(session, { schemas: ['public'] });
 */
export async function readCatalog(session: Session, options: ReadCatalogOptions = {}): Promise<Catalog> {
  const schemas = options.schemas ? [...options.schemas] : null;
  const [versionRow] = await session.query<{ version: string }>(`SELECT pg_catalog.current_setting('server_version_num') AS version`);
  const [roleRow] = await session.query<{ bypass: boolean }>(`SELECT r.rolsuper OR r.rolbypassrls AS bypass FROM pg_catalog.pg_roles r WHERE r.rolname = current_user`);

  const relations = await session.query<RelationRow>(
    `SELECT c.oid::int8::text AS oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind, c.relispartition,
            c.relpersistence = 'u' AS unlogged, c.relrowsecurity, c.relforcerowsecurity, c.reltuples::float8 AS reltuples,
            CASE WHEN c.relkind IN ('r', 'p', 'm') THEN pg_catalog.pg_table_size(c.oid) ELSE 0 END::text AS bytes,
            pg_catalog.pg_has_role(c.relowner, 'USAGE') AS owned
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm') AND ${SYSTEM_SCHEMAS} AND ${NOT_EXTENSION_MEMBER}
        AND ($1::text[] IS NULL OR n.nspname = ANY ($1::text[]))
      ORDER BY n.nspname, c.relname`,
    [schemas],
  );
  const tableRows = relations.filter((r) => r.relkind === 'r' || r.relkind === 'p' || r.relkind === 'f');
  const views: View[] = relations
    .filter((r) => r.relkind === 'v' || r.relkind === 'm')
    .map((r) => ({ schema: r.schema, name: r.name, sqlName: tableKey(r.schema, r.name), materialized: r.relkind === 'm' }));
  const oids = tableRows.map((r) => r.oid);

  // One connection runs one query at a time: these go one after another.
  const parents = await session.query<{ relid: string; schema: string; name: string; partition: boolean }>(
    `SELECT i.inhrelid::int8::text AS relid, n.nspname AS schema, p.relname AS name, c.relispartition AS partition
         FROM pg_catalog.pg_inherits i
         JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
         JOIN pg_catalog.pg_class p ON p.oid = i.inhparent JOIN pg_catalog.pg_namespace n ON n.oid = p.relnamespace
        WHERE i.inhrelid = ANY ($1::oid[]) AND p.relkind IN ('r', 'p', 'f')
        ORDER BY i.inhrelid, i.inhseqno`,
    [oids],
  );
  const partitionKeys = await session.query<{ relid: string; columns: string[] }>(
    `SELECT p.partrelid::int8::text AS relid,
              ARRAY(SELECT a.attname::text FROM unnest(p.partattrs::int2[]) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_catalog.pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = k.attnum
                     ORDER BY k.ord) AS columns
         FROM pg_catalog.pg_partitioned_table p WHERE p.partrelid = ANY ($1::oid[])`,
    [oids],
  );
  const columnRows = await session.query<ColumnRow>(
    `SELECT a.attrelid::int8::text AS relid, a.attname AS name, a.attnum, a.atttypid::int8::text AS typid, a.atttypmod AS typmod,
              pg_catalog.format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull, a.atthasdef AS hasdef,
              a.attidentity::text AS identity, a.attgenerated::text AS generated,
              pg_catalog.col_description(a.attrelid, a.attnum) AS comment
         FROM pg_catalog.pg_attribute a
        WHERE a.attrelid = ANY ($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attrelid, a.attnum`,
    [oids],
  );
  const indexes = await session.query<{ relid: string; primary: boolean; columns: string[] }>(
    // Unique indexes on plain columns only: an expression in the key (attnum 0) leaves the index out.
    `SELECT i.indrelid::int8::text AS relid, i.indisprimary AS primary,
              ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                     WHERE k.ord <= i.indnkeyatts ORDER BY k.ord) AS columns
         FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
        WHERE i.indrelid = ANY ($1::oid[]) AND i.indisunique AND i.indisvalid
          AND NOT EXISTS (SELECT 1 FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord) WHERE k.ord <= i.indnkeyatts AND k.attnum = 0)
        ORDER BY i.indrelid, i.indisprimary DESC, ic.relname`,
    [oids],
  );
  const foreignKeys = await session.query<{
    relid: string;
    name: string;
    columns: string[];
    schema: string;
    table: string;
    referenced: string[];
    index: string | null;
    validated: boolean;
  }>(
    // A foreign key that references a partitioned table is repeated by the server for each
    // referenced partition (same conrelid, conparentid set): those copies are left out.
    `SELECT c.conrelid::int8::text AS relid, c.conname AS name,
              ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
              fn.nspname AS schema, fc.relname AS table,
              ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_catalog.pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS referenced,
              (SELECT i.relname FROM pg_catalog.pg_class i WHERE i.oid = c.conindid) AS index,
              c.convalidated AS validated
         FROM pg_catalog.pg_constraint c
         JOIN pg_catalog.pg_class fc ON fc.oid = c.confrelid JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
        WHERE c.contype = 'f' AND c.conrelid = ANY ($1::oid[])
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint p WHERE p.oid = c.conparentid AND p.conrelid = c.conrelid)
        ORDER BY c.conrelid, c.conname`,
    [oids],
  );
  const sequences = await session.query<{ relid: string; column: string; schema: string; name: string }>(
    `SELECT d.refobjid::int8::text AS relid, a.attname AS column, sn.nspname AS schema, s.relname AS name
         FROM pg_catalog.pg_depend d
         JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'
         JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace
         JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
        WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
          AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0 AND d.refobjid = ANY ($1::oid[])
        ORDER BY d.refobjid, a.attnum`,
    [oids],
  );

  const types = await readTypes(
    session,
    columnRows.map((c) => c.typid),
  );
  const resolved = columnRows.map((c) => resolve(types, c.typid, c.typmod));
  const baseTypes = await formatBaseTypes(
    session,
    resolved.filter((r) => r.throughDomain),
  );
  const enumLabels = await readEnumLabels(
    session,
    [...new Set(resolved.map((r) => r.oid))].filter((oid) => types.get(oid)?.typtype === 'e'),
  );

  const group = <R extends { relid: string }>(rows: readonly R[]): Map<string, R[]> => {
    const map = new Map<string, R[]>();
    for (const row of rows) {
      const list = map.get(row.relid);
      if (list) list.push(row);
      else map.set(row.relid, [row]);
    }
    return map;
  };
  const columnsByRel = new Map<string, Column[]>();
  columnRows.forEach((row, index) => {
    const base = resolved[index]!;
    const baseType = types.get(base.oid);
    const family: TypeFamily = baseType ? typeFamily(baseType) : 'other';
    let elementFamily: TypeFamily | undefined;
    if (family === 'array' && baseType) {
      const element = resolve(types, baseType.elem, -1);
      const elementType = types.get(element.oid);
      elementFamily = elementType ? typeFamily(elementType) : 'other';
    }
    const charLike = baseType?.schema === 'pg_catalog' && (baseType.name === 'varchar' || baseType.name === 'bpchar');
    const column: Column = {
      name: row.name,
      attnum: row.attnum,
      type: row.type,
      baseType: base.throughDomain ? (baseTypes.get(`${base.oid}/${base.typmod}`) ?? row.type) : row.type,
      family,
      elementFamily,
      // varchar(n) and char(n) store n + 4 (the varlena header) in their typmod.
      maxLength: charLike && base.typmod >= 4 ? base.typmod - 4 : undefined,
      notNull: row.notnull || base.notNull,
      // A generated column's expression sits where defaults do; it is not a default.
      hasDefault: row.hasdef && !row.generated,
      identity: row.identity === 'a' ? 'always' : row.identity === 'd' ? 'by default' : undefined,
      generated: Boolean(row.generated),
      ...(row.comment ? { comment: row.comment } : {}),
      enumLabels: family === 'enum' ? (enumLabels.get(base.oid) ?? []) : undefined,
      binaryForm: baseType ? binaryForm(baseType) : undefined,
    };
    const list = columnsByRel.get(row.relid);
    if (list) list.push(column);
    else columnsByRel.set(row.relid, [column]);
  });

  const parentsByRel = group(parents);
  const keysByRel = new Map(partitionKeys.map((p) => [p.relid, p.columns]));
  const indexesByRel = group(indexes);
  const fksByRel = group(foreignKeys);
  const sequencesByRel = group(sequences);

  const tables: Table[] = tableRows.map((r) => {
    const relParents = parentsByRel.get(r.oid) ?? [];
    const partitionParent = r.relispartition ? relParents.find((p) => p.partition) : undefined;
    const relIndexes = indexesByRel.get(r.oid) ?? [];
    const primary = relIndexes.find((i) => i.primary);
    const uniqueKeys: string[][] = [];
    for (const index of relIndexes) {
      if (index.primary) continue;
      if (!uniqueKeys.some((k) => sameList(k, index.columns))) uniqueKeys.push(index.columns);
    }
    const fks: ForeignKey[] = (fksByRel.get(r.oid) ?? []).map((f) => ({
      name: f.name,
      columns: f.columns,
      referencedSchema: f.schema,
      referencedTable: f.table,
      referencedColumns: f.referenced,
      referencedIndex: f.index ?? undefined,
      validated: f.validated,
    }));
    const kind: TableKind = r.relkind === 'p' ? 'partitioned' : r.relkind === 'f' ? 'foreign' : 'table';
    return {
      oid: Number(r.oid),
      schema: r.schema,
      name: r.name,
      sqlName: tableKey(r.schema, r.name),
      kind,
      partitionOf: partitionParent ? tableKey(partitionParent.schema, partitionParent.name) : undefined,
      inheritsFrom: r.relispartition ? [] : relParents.map((p) => tableKey(p.schema, p.name)),
      partitionKey: keysByRel.get(r.oid) ?? [],
      unlogged: r.unlogged,
      columns: columnsByRel.get(r.oid) ?? [],
      primaryKey: primary?.columns,
      uniqueKeys,
      foreignKeys: fks,
      ownedSequences: new Map((sequencesByRel.get(r.oid) ?? []).map((s) => [s.column, tableKey(s.schema, s.name)])),
      rowSecurity: r.relrowsecurity,
      forceRowSecurity: r.relforcerowsecurity,
      ownedByConnectingRole: r.owned,
      rowEstimate: r.reltuples,
      bytes: Number(r.bytes),
    };
  });

  return {
    serverVersion: Number(versionRow?.version ?? 0),
    tables,
    views,
    bypassRowSecurity: roleRow?.bypass ?? false,
  };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** pg_type rows for the given types, their domains' base types and their arrays' element types. */
async function readTypes(session: Session, oids: readonly string[]): Promise<Map<string, TypeRow>> {
  const types = new Map<string, TypeRow>();
  let wanted = [...new Set(oids)];
  while (wanted.length > 0) {
    const rows = await session.query<TypeRow>(
      `SELECT t.oid::int8::text AS oid, t.typname AS name, n.nspname AS schema, t.typtype::text AS typtype,
              t.typbasetype::int8::text AS basetype, t.typtypmod AS typmod, t.typnotnull AS notnull,
              t.typelem::int8::text AS elem, t.typcategory::text AS category, t.typsend::text AS send
         FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
        WHERE t.oid = ANY ($1::oid[])`,
      [wanted],
    );
    for (const row of rows) types.set(row.oid, row);
    const next = new Set<string>();
    for (const row of rows) {
      if (row.typtype === 'd' && !types.has(row.basetype)) next.add(row.basetype);
      if (row.category === 'A' && row.elem !== '0' && !types.has(row.elem)) next.add(row.elem);
    }
    wanted = [...next];
  }
  return types;
}

/** Objects with a lower OID are built in: the same OID names the same type in every database of a major version. */
const FIRST_NORMAL_OID = 16384;
const TEXT_SENDS = new Set(['textsend', 'varcharsend', 'bpcharsend', 'json_send']);
/** Built-in types whose binary values pgmask reads and writes as text, by their send function. */
const NUMERIC_SENDS: ReadonlyMap<string, BinaryForm> = new Map([
  ['int2send', 'int2'],
  ['int4send', 'int4'],
  ['int8send', 'int8'],
  ['date_send', 'date'],
  ['timestamp_send', 'timestamp'],
  ['numeric_send', 'numeric'],
]);

/** How COPY's binary format carries a (base, non-domain) type's values; see `BinaryForm`. */
function binaryForm(type: TypeRow): BinaryForm | undefined {
  if (type.send === '-' || type.typtype === 'c') return undefined;
  if (type.typtype === 'e') return 'text';
  // An array's binary form names its element type's OID.
  if (Number(type.oid) >= FIRST_NORMAL_OID || (type.category === 'A' && Number(type.elem) >= FIRST_NORMAL_OID)) return undefined;
  if (TEXT_SENDS.has(type.send)) return 'text';
  const numeric = NUMERIC_SENDS.get(type.send);
  if (numeric) return numeric;
  return type.send === 'jsonb_send' ? 'jsonb' : 'opaque';
}

/** Follows a domain chain to its base type: the first typmod set wins, NOT NULL anywhere counts. */
function resolve(types: ReadonlyMap<string, TypeRow>, oid: string, typmod: number): Resolved {
  let current = oid;
  let mod = typmod;
  let notNull = false;
  let throughDomain = false;
  for (let depth = 0; depth < 100; depth++) {
    const type = types.get(current);
    if (type?.typtype !== 'd') break;
    throughDomain = true;
    notNull ||= type.notnull;
    if (mod === -1) mod = type.typmod;
    current = type.basetype;
  }
  return { oid: current, typmod: mod, notNull, throughDomain };
}

/** format_type of each (base type, typmod) pair, keyed `oid/typmod`. */
async function formatBaseTypes(session: Session, pairs: readonly Resolved[]): Promise<Map<string, string>> {
  const unique = [...new Map(pairs.map((p) => [`${p.oid}/${p.typmod}`, p])).values()];
  if (unique.length === 0) return new Map();
  const rows = await session.query<{ oid: string; typmod: number; type: string }>(
    `SELECT u.oid::int8::text AS oid, u.typmod, pg_catalog.format_type(u.oid, u.typmod) AS type
       FROM unnest($1::oid[], $2::int4[]) AS u(oid, typmod)`,
    [unique.map((p) => p.oid), unique.map((p) => p.typmod)],
  );
  return new Map(rows.map((r) => [`${r.oid}/${r.typmod}`, r.type]));
}

/** Labels of each enum type, in sort order. */
async function readEnumLabels(session: Session, oids: readonly string[]): Promise<Map<string, string[]>> {
  if (oids.length === 0) return new Map();
  const rows = await session.query<{ oid: string; label: string }>(
    `SELECT e.enumtypid::int8::text AS oid, e.enumlabel AS label FROM pg_catalog.pg_enum e
      WHERE e.enumtypid = ANY ($1::oid[]) ORDER BY e.enumtypid, e.enumsortorder`,
    [oids],
  );
  const labels = new Map<string, string[]>();
  for (const row of rows) {
    const list = labels.get(row.oid);
    if (list) list.push(row.label);
    else labels.set(row.oid, [row.label]);
  }
  return labels;
}
