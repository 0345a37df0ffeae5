import { tableKey } from '../../catalog/table-key.js';
import type { Session } from '../../db/connection.js';
import { ExitCode, PgmaskError } from '../../errors.js';
import { dependentsSql } from './dependents-sql.js';
import { OLD_SCHEMA_PREFIX, SHADOW_SCHEMA_PREFIX } from './shadow-schemas.js';
import type { IncomingForeignKey, SwapPlan, SwapRelation, SwapStatement } from './swap-plan.js';

/** The schema shapes the swap cannot carry over: the run refuses them before it changes anything. */
export class SwapRefusedError extends PgmaskError {
  constructor(readonly reasons: readonly string[]) {
    super(
      'SWAP_REFUSED',
      `--swap cannot replace these tables without losing what depends on them:\n  ${reasons.slice(0, 20).join('\n  ')}${reasons.length > 20 ? `\n  (and ${reasons.length - 20} more)` : ''}\nrun without --swap to load into the tables in place`,
      ExitCode.validation,
    );
  }
}

interface RelationRow {
  oid: string;
  nspname: string;
  relname: string;
  nsp: string;
  schema: string;
  name: string;
  kind: string;
  unlogged: boolean;
  parent: string | null;
  bound: string | null;
  partkey: string | null;
  /** A partition's column defaults, storage and compression where they differ from its parent's (`ALTER COLUMN ...`, comma-separated). */
  columns: string | null;
  tablespace: string | null;
  /** The composite type of a typed table (`CREATE TABLE ... OF type`), qualified. */
  of_type: string | null;
  /** A partition whose columns are in another order than its parent's (made apart, then attached). */
  reordered: boolean;
  foreign_member: boolean;
  inherits: boolean;
}

interface StatementRow {
  oid: string;
  phase: 'keys' | 'foreign' | 'rest';
  ord: number;
  kind: string;
  sql: string;
  on_name: string | null;
  referenced: string | null;
}

/**
 * Reads from the target's catalog what replacing `tables` (oids of the copied tables) takes:
 * each table with the whole partition tree it belongs to, the statements that build a shadow
 * of each relation as the real one is (keys, indexes, triggers, row security, grants, owner,
 * comments, options), and what outside them depends on them (views, foreign keys, serial
 * sequences). Whatever else depends on them (materialized views, rules, functions or columns
 * of their row type, inheritance, publications) is refused with a `SwapRefusedError` that
 * names it. `loaded` holds the oids of the relations the run loads rows into: a member of a
 * tree that is not loaded would come out empty, and is refused too; so are a partition whose
 * columns are in another order than its parent's, which its shadow would not keep, and a
 * policy that reads its own table.
 */
export async function readSwapPlan(target: Session, tables: readonly number[], loaded: ReadonlySet<number>): Promise<SwapPlan> {
  await target.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
  try {
    // Every name pg_get_*def prints is schema-qualified: nothing but pg_catalog is on the path.
    await target.query('SET LOCAL search_path = pg_catalog');
    const relations = await target.query<RelationRow>(RELATIONS_SQL, [tables]);
    const oids = relations.map((r) => r.oid);
    const reasons: string[] = [];
    for (const r of relations) {
      const what = `${r.schema}.${r.name}`;
      if (r.kind === 'f' || r.foreign_member) reasons.push(`${what}: a foreign table in a partition tree`);
      else if (r.inherits) reasons.push(`${what}: an inheritance child (INHERITS)`);
      else if (r.reordered) reasons.push(`${what}: a partition whose columns are in another order than its parent's, which its shadow would not keep`);
      else if (r.kind === 'r' && !loaded.has(Number(r.oid))) reasons.push(`${what}: a partition the run does not load (skip), which the swap would empty`);
    }
    for (const row of await target.query<{ what: string; on_what: string }>(dependentsSql('carried over'), [oids])) {
      reasons.push(`${row.what} depends on ${row.on_what}`);
    }
    for (const row of await target.query<{ what: string }>(SELF_READING_POLICIES_SQL, [oids])) {
      reasons.push(`${row.what} reads its own table in a subquery, which on the new table would go on reading the old one`);
    }
    for (const row of await target.query<{ what: string; owner: string | null }>(PRIVILEGES_SQL, [oids])) {
      reasons.push(row.owner ? `${row.what} is owned by ${row.owner}, a role the target role is not a member of` : row.what);
    }
    if (reasons.length) throw new SwapRefusedError(reasons);

    const statements = await target.query<StatementRow>(STATEMENTS_SQL, [oids]);
    const byOid = new Map(relations.map((r) => [r.oid, r]));
    const built = relations.map((r) => relation(r, statements, byOid));
    const views = await target.query<{ name: string; sql: string }>(VIEWS_SQL, [oids]);
    const incoming = await target.query<{ table: string; name: string; definition: string; validated: boolean; partitioned: boolean }>(INCOMING_SQL, [oids]);
    const serials = await target.query<{ sequence: string; table: string; column: string }>(SERIALS_SQL, [oids]);
    return {
      relations: built,
      views,
      incoming: incoming as IncomingForeignKey[],
      serials,
    };
  } finally {
    await target.query('COMMIT');
  }
}

/** A relation with its statements, names of other swapped relations pointed at their shadows. */
function relation(row: RelationRow, statements: readonly StatementRow[], byOid: ReadonlyMap<string, RelationRow>): SwapRelation {
  const qualified = `${row.schema}.${row.name}`;
  const shadowOf = (r: RelationRow): string => `${SHADOW_SCHEMA_PREFIX}${r.nsp}.${r.name}`;
  const own = statements.filter((s) => s.oid === row.oid).sort((a, b) => a.ord - b.ord);
  const parent = row.parent ? byOid.get(row.parent) : undefined;
  const create: SwapStatement = parent
    ? (table) =>
        `CREATE ${row.unlogged ? 'UNLOGGED ' : ''}TABLE ${table} PARTITION OF ${shadowOf(parent)} ${row.bound}${row.partkey ? ` PARTITION BY ${row.partkey}` : ''}${row.tablespace ? ` TABLESPACE ${row.tablespace}` : ''}${row.columns ? `;\nALTER TABLE ${table} ${row.columns}` : ''}`
    : (table) =>
        `CREATE ${row.unlogged ? 'UNLOGGED ' : ''}TABLE ${table} (LIKE ${qualified} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION INCLUDING COMMENTS)${row.partkey ? ` PARTITION BY ${row.partkey}` : ''}${row.tablespace ? ` TABLESPACE ${row.tablespace}` : ''}${row.of_type ? `;\nALTER TABLE ${table} OF ${row.of_type}` : ''}`;
  const phase = (name: StatementRow['phase']): SwapStatement[] =>
    own
      .filter((s) => s.phase === name)
      .map((s) => {
        if (s.kind === 'index') return onShadow(s, qualified);
        if (s.kind === 'trigger') {
          const from = s.referenced ? byOid.get(s.referenced) : undefined;
          return from ? fromShadow(onShadow(s, qualified), `${from.schema}.${from.name}`, shadowOf(from)) : onShadow(s, qualified);
        }
        if (s.kind === 'foreign' && s.referenced) {
          const referenced = byOid.get(s.referenced);
          if (referenced) return referencesShadow(s, `${referenced.schema}.${referenced.name}`, shadowOf(referenced));
        }
        return (table, schema) => s.sql.replace('\u0001', table).replace('\u0002', schema);
      });
  return {
    oid: Number(row.oid),
    key: tableKey(row.nspname, row.relname),
    sqlName: qualified,
    name: row.name,
    schema: row.schema,
    shadowSchema: `${SHADOW_SCHEMA_PREFIX}${row.nsp}`,
    oldSchema: `${OLD_SCHEMA_PREFIX}${row.nsp}`,
    parent: row.parent ? Number(row.parent) : undefined,
    create,
    keys: phase('keys'),
    foreignKeys: phase('foreign'),
    rest: phase('rest'),
  };
}

/**
 * An index or trigger definition as pg_get_indexdef or pg_get_triggerdef prints it, on the
 * shadow: the ` ON [ONLY] schema.table ` after its own name names the shadow instead (without
 * ONLY: a partitioned table's index then takes in its partitions' indexes, built before it).
 */
function onShadow(s: StatementRow, qualified: string): SwapStatement {
  const start = s.sql.indexOf(` ${s.on_name} `) + s.on_name!.length + 1;
  for (const on of [` ON ONLY ${qualified} `, ` ON ${qualified} `]) {
    const at = s.sql.indexOf(on, start);
    if (at >= 0) return (table) => `${s.sql.slice(0, at)} ON ${table} ${s.sql.slice(at + on.length)}`;
  }
  throw new PgmaskError('SWAP_DEFINITION', `--swap cannot read the definition of ${s.kind} ${s.on_name} on ${qualified}`);
}

/**
 * A constraint trigger's definition on the shadow whose `FROM` names another swapped relation (or
 * its own): it names that one's shadow instead, which the swap moves in beside it (left on the
 * real one, it would go with it when the old tables are dropped).
 */
function fromShadow(statement: SwapStatement, qualified: string, shadow: string): SwapStatement {
  return (table, schema) => {
    const sql = statement(table, schema);
    const mark = ` ON ${table} FROM ${qualified} `;
    const at = sql.indexOf(mark);
    if (at < 0) throw new PgmaskError('SWAP_DEFINITION', `--swap cannot read the definition of a constraint trigger on ${table} FROM ${qualified}`);
    return `${sql.slice(0, at)} ON ${table} FROM ${shadow} ${sql.slice(at + mark.length)}`;
  };
}

/** A foreign key's definition (`ALTER TABLE \u0001 ADD CONSTRAINT ... REFERENCES schema.table(...)`) referencing another shadow. */
function referencesShadow(s: StatementRow, qualified: string, shadow: string): SwapStatement {
  const mark = ` REFERENCES ${qualified}(`;
  const at = s.sql.indexOf(mark);
  if (at < 0) throw new PgmaskError('SWAP_DEFINITION', `--swap cannot read the definition of foreign key ${s.on_name} referencing ${qualified}`);
  const sql = `${s.sql.slice(0, at)} REFERENCES ${shadow}(${s.sql.slice(at + mark.length)}`;
  return (table) => sql.replace('\u0001', table);
}

/** The copied tables' partition trees, whole: each relation once, roots first. */
const RELATIONS_SQL = `
WITH roots AS (
  SELECT DISTINCT coalesce(pg_partition_root(o), o) AS root FROM unnest($1::oid[]) AS o
), tree AS (
  SELECT coalesce(t.relid, r.root) AS relid, coalesce(t.level, 0) AS level
    FROM roots r LEFT JOIN LATERAL pg_partition_tree(r.root) t ON true
)
SELECT c.oid::text AS oid, n.nspname, c.relname, c.relnamespace::text AS nsp, quote_ident(n.nspname) AS schema, quote_ident(c.relname) AS name,
       c.relkind::text AS kind, c.relpersistence = 'u' AS unlogged,
       CASE WHEN c.relispartition THEN (SELECT i.inhparent::text FROM pg_inherits i WHERE i.inhrelid = c.oid) END AS parent,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS bound,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partkey,
       (SELECT string_agg(x.clause, ', ' ORDER BY a.attnum, x.n)
          FROM pg_inherits i JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
          JOIN pg_attribute pa ON pa.attrelid = i.inhparent AND pa.attname = a.attname
          LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum LEFT JOIN pg_attrdef pd ON pd.adrelid = pa.attrelid AND pd.adnum = pa.attnum
          CROSS JOIN LATERAL (VALUES
            (1, CASE WHEN a.attgenerated = '' AND pg_get_expr(d.adbin, d.adrelid) IS DISTINCT FROM pg_get_expr(pd.adbin, pd.adrelid) THEN
                  CASE WHEN d.adbin IS NULL THEN format('ALTER COLUMN %I DROP DEFAULT', a.attname)
                       ELSE format('ALTER COLUMN %I SET DEFAULT %s', a.attname, pg_get_expr(d.adbin, d.adrelid)) END END),
            (2, CASE WHEN a.attstorage <> pa.attstorage THEN format('ALTER COLUMN %I SET STORAGE %s', a.attname,
                  CASE a.attstorage WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL' WHEN 'm' THEN 'MAIN' ELSE 'EXTENDED' END) END),
            (3, CASE WHEN a.attcompression <> pa.attcompression THEN format('ALTER COLUMN %I SET COMPRESSION %s', a.attname,
                  CASE a.attcompression WHEN 'p' THEN 'pglz' WHEN 'l' THEN 'lz4' ELSE 'default' END) END)) AS x(n, clause)
         WHERE c.relispartition AND i.inhrelid = c.oid AND x.clause IS NOT NULL) AS columns,
       (SELECT quote_ident(t.spcname) FROM pg_tablespace t WHERE t.oid = c.reltablespace) AS tablespace,
       CASE WHEN c.reloftype <> 0 THEN format_type(c.reloftype, NULL) END AS of_type,
       c.relispartition AND (SELECT array_agg(a.attname ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)
         IS DISTINCT FROM (SELECT array_agg(a.attname ORDER BY a.attnum) FROM pg_inherits i JOIN pg_attribute a ON a.attrelid = i.inhparent AND a.attnum > 0 AND NOT a.attisdropped
                            WHERE i.inhrelid = c.oid) AS reordered,
       EXISTS (SELECT 1 FROM pg_partition_tree(c.oid) m JOIN pg_class mc ON mc.oid = m.relid WHERE mc.relkind = 'f') AS foreign_member,
       (NOT c.relispartition AND EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid)
        OR c.relkind = 'r' AND EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhparent = c.oid)) AS inherits
  FROM tree JOIN pg_class c ON c.oid = tree.relid JOIN pg_namespace n ON n.oid = c.relnamespace
 ORDER BY tree.level, n.nspname, c.relname`;

/**
 * Policies whose expression names their own table (a subquery on it): made on the shadow it would
 * read the real table, which the swap drops. pg_depend does not tell that reference from the
 * policy's own, so the expression is read (with only pg_catalog on the path, it is qualified).
 */
const SELF_READING_POLICIES_SQL = `
SELECT pg_describe_object('pg_policy'::regclass, p.oid, 0) AS what
  FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE p.polrelid = ANY($1::oid[])
   AND concat(pg_get_expr(p.polqual, p.polrelid), ' ', pg_get_expr(p.polwithcheck, p.polrelid), ' ')
       ~ ('(^|[^A-Za-z0-9_$".])' || regexp_replace(format('%I.%I', n.nspname, c.relname), '([.*+?^$|(){}\\[\\]\\\\])', '\\\\\\1', 'g') || '([^A-Za-z0-9_$"]|$)')`;

/**
 * What the target role may not do that the swap does: make schemas in the database, alter (as
 * their owner) the relations, the views over them and the tables whose foreign keys move, and
 * give a relation's grants as the roles that gave them.
 */
const PRIVILEGES_SQL = `
SELECT 'the target role may not create schemas in the database' AS what, NULL AS owner WHERE NOT has_database_privilege(current_database(), 'CREATE')
UNION ALL
SELECT DISTINCT pg_describe_object('pg_class'::regclass, c.oid, 0), quote_ident(pg_get_userbyid(c.relowner))
  FROM pg_class c
 WHERE NOT pg_has_role(c.relowner, 'MEMBER')
   AND (c.oid = ANY($1::oid[])
        OR c.oid IN (SELECT r.ev_class FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
                      WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass AND d.refobjid = ANY($1::oid[]))
        OR c.oid IN (SELECT k.conrelid FROM pg_constraint k WHERE k.contype = 'f' AND k.confrelid = ANY($1::oid[])))
UNION ALL
SELECT DISTINCT format('%s has a grant given by %s, a role the target role is not a member of', pg_describe_object('pg_class'::regclass, c.oid, 0),
         quote_ident(pg_get_userbyid(a.grantor))), NULL
  FROM pg_class c,
       LATERAL (SELECT c.relacl UNION ALL SELECT att.attacl FROM pg_attribute att WHERE att.attrelid = c.oid AND att.attnum > 0 AND att.attacl IS NOT NULL) AS acl(items),
       aclexplode(acl.items) AS a
 WHERE c.oid = ANY($1::oid[]) AND a.grantor <> c.relowner AND NOT pg_has_role(a.grantor, 'MEMBER')`;

/**
 * Each relation's statements, in the order they run within their phase. \u0001 stands for the
 * shadow's name, \u0002 for its schema.
 * - Keys: a CHECK constraint the real table has NOT VALID made NOT VALID again (LIKE made it
 *   valid); constraints that own an index (primary, unique, exclusion); a partition's own CHECK
 *   constraints; the other indexes; the comments and statistics targets of all; CLUSTER and
 *   REPLICA IDENTITY.
 * - Foreign: the keys the relation declares itself (a partition's copies of its root's come
 *   with the root's).
 * - Rest: identity columns with their sequence as the real table has it (name, type, options);
 *   triggers and their state; row security and policies; storage options (the TOAST table's and
 *   the columns' too); statistics targets; owner; grants (the owner's, then those another role
 *   gave with its grant option, given as that role, which may use the shadow's schema until the
 *   swap drops it; an identity sequence's, given by its owner); comments (an identity
 *   sequence's too); ANALYZE of each tree's root.
 */
const STATEMENTS_SQL = `
WITH rel AS (SELECT c.* FROM pg_class c WHERE c.oid = ANY($1::oid[])),
identity_sequence AS (
  SELECT d.refobjid AS relid, d.objid AS seqid FROM pg_depend d
   WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.refobjid = ANY($1::oid[]) AND d.deptype = 'i'
     AND EXISTS (SELECT 1 FROM pg_class s WHERE s.oid = d.objid AND s.relkind = 'S'))
SELECT c.oid::text AS oid, 'keys' AS phase, 0 AS ord, 'constraint' AS kind,
       format('ALTER TABLE \u0001 DROP CONSTRAINT %I, ADD CONSTRAINT %I %s', k.conname, k.conname, pg_get_constraintdef(k.oid)) AS sql, NULL AS on_name, NULL AS referenced
  FROM rel c JOIN pg_constraint k ON k.conrelid = c.oid
 WHERE k.contype = 'c' AND NOT k.convalidated AND NOT c.relispartition
UNION ALL
SELECT c.oid::text, 'keys', 1, 'constraint',
       format('ALTER TABLE \u0001 ADD CONSTRAINT %I %s', k.conname, pg_get_constraintdef(k.oid)), NULL, NULL
  FROM rel c JOIN pg_constraint k ON k.conrelid = c.oid
 WHERE k.contype IN ('p', 'u', 'x') OR k.contype = 'c' AND c.relispartition AND k.conislocal AND k.coninhcount = 0
UNION ALL
SELECT c.oid::text, 'keys', 2, 'index', pg_get_indexdef(i.indexrelid), quote_ident(ic.relname), NULL
  FROM rel c JOIN pg_index i ON i.indrelid = c.oid JOIN pg_class ic ON ic.oid = i.indexrelid
 WHERE NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = c.oid AND k.contype IN ('p', 'u', 'x'))
UNION ALL
SELECT c.oid::text, 'keys', 3, 'comment', format('COMMENT ON INDEX \u0002.%I IS %L', ic.relname, d.description), NULL, NULL
  FROM rel c JOIN pg_index i ON i.indrelid = c.oid JOIN pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_description d ON d.objoid = ic.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
UNION ALL
SELECT c.oid::text, 'keys', 3, 'comment', format('COMMENT ON CONSTRAINT %I ON \u0001 IS %L', k.conname, d.description), NULL, NULL
  FROM rel c JOIN pg_constraint k ON k.conrelid = c.oid JOIN pg_description d ON d.objoid = k.oid AND d.classoid = 'pg_constraint'::regclass
 WHERE k.contype IN ('p', 'u', 'x', 'f') OR k.contype = 'c' AND (c.relispartition AND k.conislocal AND k.coninhcount = 0 OR NOT c.relispartition AND NOT k.convalidated)
UNION ALL
SELECT c.oid::text, 'keys', 3, 'statistics', format('ALTER INDEX \u0002.%I ALTER COLUMN %s SET STATISTICS %s', ic.relname, a.attnum, a.attstattarget), NULL, NULL
  FROM rel c JOIN pg_index i ON i.indrelid = c.oid JOIN pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_attribute a ON a.attrelid = ic.oid AND a.attnum > 0 AND a.attstattarget >= 0
UNION ALL
SELECT c.oid::text, 'keys', 4, 'cluster', format('ALTER TABLE \u0001 CLUSTER ON %I', ic.relname), NULL, NULL
  FROM rel c JOIN pg_index i ON i.indrelid = c.oid AND i.indisclustered JOIN pg_class ic ON ic.oid = i.indexrelid
UNION ALL
SELECT c.oid::text, 'keys', 4, 'replica',
       CASE c.relreplident WHEN 'f' THEN 'ALTER TABLE \u0001 REPLICA IDENTITY FULL' WHEN 'n' THEN 'ALTER TABLE \u0001 REPLICA IDENTITY NOTHING'
         ELSE format('ALTER TABLE \u0001 REPLICA IDENTITY USING INDEX %I', (SELECT ic.relname FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = c.oid AND i.indisreplident)) END,
       NULL, NULL
  FROM rel c WHERE c.relreplident <> 'd' AND (c.relreplident <> 'i' OR EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisreplident))
UNION ALL
SELECT c.oid::text, 'foreign', 1, 'foreign', format('ALTER TABLE \u0001 ADD CONSTRAINT %I %s', k.conname, pg_get_constraintdef(k.oid)), quote_ident(k.conname), k.confrelid::text
  FROM rel c JOIN pg_constraint k ON k.conrelid = c.oid WHERE k.contype = 'f' AND k.conparentid = 0
UNION ALL
SELECT c.oid::text, 'rest', 0, 'identity',
       format('ALTER TABLE \u0001 ALTER COLUMN %I ADD GENERATED %s AS IDENTITY (SEQUENCE NAME \u0002.%I START WITH %s INCREMENT BY %s MINVALUE %s MAXVALUE %s CACHE %s%s)',
         a.attname, CASE a.attidentity WHEN 'a' THEN 'ALWAYS' ELSE 'BY DEFAULT' END, s.relname,
         q.seqstart, q.seqincrement, q.seqmin, q.seqmax, q.seqcache, CASE WHEN q.seqcycle THEN ' CYCLE' ELSE '' END),
       NULL, NULL
  FROM rel c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attidentity <> ''
  JOIN pg_depend d ON d.refclassid = 'pg_class'::regclass AND d.refobjid = c.oid AND d.refobjsubid = a.attnum AND d.classid = 'pg_class'::regclass AND d.deptype = 'i'
  JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' JOIN pg_sequence q ON q.seqrelid = s.oid
 WHERE NOT c.relispartition
UNION ALL
SELECT c.oid::text, 'rest', 1, 'trigger', pg_get_triggerdef(t.oid), quote_ident(t.tgname), nullif(t.tgconstrrelid, 0)::text
  FROM rel c JOIN pg_trigger t ON t.tgrelid = c.oid WHERE NOT t.tgisinternal AND t.tgparentid = 0
UNION ALL
SELECT c.oid::text, 'rest', 2, 'trigger state',
       format('ALTER TABLE \u0001 %s TRIGGER %I', CASE t.tgenabled WHEN 'D' THEN 'DISABLE' WHEN 'R' THEN 'ENABLE REPLICA' ELSE 'ENABLE ALWAYS' END, t.tgname), NULL, NULL
  FROM rel c JOIN pg_trigger t ON t.tgrelid = c.oid WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND t.tgenabled <> 'O'
UNION ALL
SELECT c.oid::text, 'rest', 3, 'row security', 'ALTER TABLE \u0001 ENABLE ROW LEVEL SECURITY', NULL, NULL FROM rel c WHERE c.relrowsecurity
UNION ALL
SELECT c.oid::text, 'rest', 3, 'row security', 'ALTER TABLE \u0001 FORCE ROW LEVEL SECURITY', NULL, NULL FROM rel c WHERE c.relforcerowsecurity
UNION ALL
SELECT c.oid::text, 'rest', 4, 'policy',
       format('CREATE POLICY %I ON \u0001 AS %s FOR %s TO %s%s%s', p.polname, CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END,
         CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
         (SELECT string_agg(CASE WHEN r = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(r)) END, ', ') FROM unnest(p.polroles) AS r),
         coalesce(' USING (' || pg_get_expr(p.polqual, p.polrelid) || ')', ''), coalesce(' WITH CHECK (' || pg_get_expr(p.polwithcheck, p.polrelid) || ')', '')),
       NULL, NULL
  FROM rel c JOIN pg_policy p ON p.polrelid = c.oid
UNION ALL
SELECT c.oid::text, 'rest', 5, 'options', format('ALTER TABLE \u0001 SET (%s)', array_to_string(c.reloptions, ', ')), NULL, NULL FROM rel c WHERE c.reloptions IS NOT NULL
UNION ALL
SELECT c.oid::text, 'rest', 5, 'statistics', format('ALTER TABLE \u0001 ALTER COLUMN %I SET STATISTICS %s', a.attname, a.attstattarget), NULL, NULL
  FROM rel c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attstattarget >= 0
UNION ALL
SELECT c.oid::text, 'rest', 5, 'options', format('ALTER TABLE \u0001 ALTER COLUMN %I SET (%s)', a.attname, array_to_string(a.attoptions, ', ')), NULL, NULL
  FROM rel c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attoptions IS NOT NULL
UNION ALL
SELECT c.oid::text, 'rest', 5, 'options', format('ALTER TABLE \u0001 SET (%s)', (SELECT string_agg('toast.' || o, ', ') FROM unnest(t.reloptions) AS o)), NULL, NULL
  FROM rel c JOIN pg_class t ON t.oid = c.reltoastrelid WHERE t.reloptions IS NOT NULL
UNION ALL
SELECT c.oid::text, 'rest', 6, 'owner', format('ALTER TABLE \u0001 OWNER TO %I', pg_get_userbyid(c.relowner)), NULL, NULL FROM rel c
UNION ALL
SELECT c.oid::text, 'rest', 7, 'grant', format('REVOKE ALL ON TABLE \u0001 FROM %I', pg_get_userbyid(c.relowner)), NULL, NULL FROM rel c WHERE c.relacl IS NOT NULL
UNION ALL
SELECT c.oid::text, 'rest', CASE WHEN a.grantor = c.relowner THEN 8 ELSE 9 END, 'grant',
       format('%sGRANT %s ON TABLE \u0001 TO %s%s%s', CASE WHEN a.grantor <> c.relowner THEN format('GRANT USAGE ON SCHEMA \u0002 TO %1$I; SET ROLE %1$I; ', pg_get_userbyid(a.grantor)) ELSE '' END,
         a.privilege_type, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END,
         CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END, CASE WHEN a.grantor <> c.relowner THEN '; RESET ROLE' ELSE '' END), NULL, NULL
  FROM rel c, aclexplode(c.relacl) AS a
UNION ALL
SELECT c.oid::text, 'rest', CASE WHEN a.grantor = c.relowner THEN 8 ELSE 9 END, 'grant',
       format('%sGRANT %s (%I) ON TABLE \u0001 TO %s%s%s', CASE WHEN a.grantor <> c.relowner THEN format('GRANT USAGE ON SCHEMA \u0002 TO %1$I; SET ROLE %1$I; ', pg_get_userbyid(a.grantor)) ELSE '' END,
         a.privilege_type, att.attname, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END,
         CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END, CASE WHEN a.grantor <> c.relowner THEN '; RESET ROLE' ELSE '' END), NULL, NULL
  FROM rel c JOIN pg_attribute att ON att.attrelid = c.oid AND att.attnum > 0 AND NOT att.attisdropped AND att.attacl IS NOT NULL, aclexplode(att.attacl) AS a
UNION ALL
SELECT c.oid::text, 'rest', 8, 'grant', format('REVOKE ALL ON SEQUENCE \u0002.%I FROM %I', s.relname, pg_get_userbyid(s.relowner)), NULL, NULL
  FROM rel c JOIN identity_sequence x ON x.relid = c.oid JOIN pg_class s ON s.oid = x.seqid WHERE s.relacl IS NOT NULL
UNION ALL
SELECT c.oid::text, 'rest', 8, 'grant',
       format('GRANT %s ON SEQUENCE \u0002.%I TO %s%s', a.privilege_type, s.relname, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END,
         CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END), NULL, NULL
  FROM rel c JOIN identity_sequence x ON x.relid = c.oid JOIN pg_class s ON s.oid = x.seqid, aclexplode(s.relacl) AS a
UNION ALL
SELECT c.oid::text, 'rest', 10, 'comment', format('COMMENT ON SEQUENCE \u0002.%I IS %L', s.relname, d.description), NULL, NULL
  FROM rel c JOIN identity_sequence x ON x.relid = c.oid JOIN pg_class s ON s.oid = x.seqid
  JOIN pg_description d ON d.objoid = s.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
UNION ALL
SELECT c.oid::text, 'rest', 10, 'comment', format('COMMENT ON TABLE \u0001 IS %L', d.description), NULL, NULL
  FROM rel c JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
UNION ALL
SELECT c.oid::text, 'rest', 10, 'comment', format('COMMENT ON COLUMN \u0001.%I IS %L', a.attname, d.description), NULL, NULL
  FROM rel c JOIN pg_attribute a ON a.attrelid = c.oid JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum
 WHERE c.relispartition
UNION ALL
SELECT c.oid::text, 'rest', 11, 'analyze', 'ANALYZE \u0001', NULL, NULL FROM rel c WHERE NOT c.relispartition`;

/** Views over the relations, as `CREATE OR REPLACE VIEW` with their options: run after the swap, each reads the new tables. */
const VIEWS_SQL = `
SELECT DISTINCT v.oid, format('%I.%I', n.nspname, v.relname) AS name, format('CREATE OR REPLACE VIEW %I.%I%s AS %s', n.nspname, v.relname,
         CASE WHEN v.reloptions IS NOT NULL THEN ' WITH (' || array_to_string(v.reloptions, ', ') || ')' ELSE '' END,
         rtrim(pg_get_viewdef(v.oid), E'; \\n')) AS sql
  FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class v ON v.oid = r.ev_class JOIN pg_namespace n ON n.oid = v.relnamespace
 WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass AND d.refobjid = ANY($1::oid[]) AND v.relkind = 'v'
 ORDER BY v.oid`;

/** Foreign keys declared by tables outside the swap that reference a swapped relation. */
const INCOMING_SQL = `
SELECT format('%I.%I', n.nspname, c.relname) AS "table", quote_ident(k.conname) AS name, pg_get_constraintdef(k.oid) AS definition,
       k.convalidated AS validated, c.relkind = 'p' AS partitioned
  FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE k.contype = 'f' AND k.conparentid = 0 AND k.confrelid = ANY($1::oid[]) AND NOT k.conrelid = ANY($1::oid[])
 ORDER BY 1, 2`;

/** Sequences owned by a column of a relation that is not an identity column (serial): ownership moves in the swap. */
const SERIALS_SQL = `
SELECT format('%I.%I', sn.nspname, s.relname) AS sequence, format('%I.%I', n.nspname, c.relname) AS "table", quote_ident(a.attname) AS column
  FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' JOIN pg_namespace sn ON sn.oid = s.relnamespace
  JOIN pg_class c ON c.oid = d.refobjid JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.refobjsubid
 WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.refobjid = ANY($1::oid[]) AND d.deptype = 'a'
 ORDER BY 1`;
