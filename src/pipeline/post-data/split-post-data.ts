/**
 * pg_dump's post-data section, split the way pg_restore --jobs schedules it: each plain
 * table's own indexes and keys form a group that can be built as soon as the table's rows are
 * in, several tables at a time; a foreign key between two such tables is added as soon as both
 * are in and the index it relies on is built, and checked apart (see `ForeignKeyStatement`);
 * everything else (triggers, rules, policies, partition indexes and their attachments,
 * comments, ...) runs afterwards, in dump order.
 */
import { tableKey } from '../../catalog/table-key.js';
import { SqlScanner } from '../../dump/sql-scanner.js';
import { isPunct, isWord, type QualifiedName, readQualifiedName, type SqlToken, tokenize } from '../../dump/sql-tokens.js';
import { PgmaskError } from '../../errors.js';

/** One statement of the section, with the session settings it runs under. */
export interface PostDataStatement {
  readonly sql: string;
  /** How many of the plan's `settings` come before it in the dump (all of them apply to it). */
  readonly settings: number;
  /** The index a group statement builds (a constraint's index has the constraint's name). */
  readonly index?: string | undefined;
  /** The table (`schema.table`) the statement builds something on, when it names one: what a failure of it is reported against. */
  readonly table?: string | undefined;
}

/**
 * A foreign key between two tables the run loads itself, split in two: `sql` adds it
 * `NOT VALID` (a moment's work, once both tables are in and `index` is built), and `validate`
 * checks the rows. The check holds ROW SHARE on the referenced table, which an index build
 * there (SHARE) does not wait for, nor it for the build; the dump's one statement takes SHARE
 * ROW EXCLUSIVE, and waits. Validated, the key is the one the dump adds.
 */
export interface ForeignKeyStatement extends PostDataStatement {
  /** The table the key is on. */
  readonly table: string;
  /** The table it references. */
  readonly referenced: string;
  /** The referenced table's index the key relies on. */
  readonly index: string;
  /** `ALTER TABLE ONLY ... VALIDATE CONSTRAINT ...;` */
  readonly validate: string;
  /** The key's name. */
  readonly name: string;
  /** The dump's own statement: adds the key and checks the rows at once (for a small table, one round trip instead of two). */
  readonly checked: string;
}

/** The post-data section, split. */
export interface PostDataPlan {
  /** Session settings (`SET ...`, `SELECT pg_catalog.set_config(...)`), in dump order. */
  readonly settings: readonly string[];
  /** The statements that build a table's own indexes, primary key, unique and exclusion constraints, by table key. */
  readonly byTable: ReadonlyMap<string, readonly PostDataStatement[]>;
  /** Foreign keys between tables of `byTable`'s run, in dump order (see `ForeignKeyStatement`). */
  readonly foreignKeys: readonly ForeignKeyStatement[];
  /** Every other statement, in dump order: it runs once every table's group is built and every foreign key added. */
  readonly rest: readonly PostDataStatement[];
}

/** Which index of the referenced table a foreign key relies on: by the key's table and name. */
export type ReferencedIndex = (table: string, constraint: string) => string | undefined;

/**
 * The table a post-data statement is on, when it names one: `ALTER TABLE [ONLY] schema.table ...`,
 * or `CREATE [UNIQUE] INDEX | TRIGGER | RULE | POLICY ... ON [ONLY] schema.table ...`.
 */
function statementTable(tokens: readonly SqlToken[]): string | undefined {
  let name: QualifiedName | undefined;
  if (isWord(tokens, 0, 'alter') && isWord(tokens, 1, 'table')) {
    let at = 2;
    if (isWord(tokens, at, 'if') && isWord(tokens, at + 1, 'exists')) at += 2;
    if (isWord(tokens, at, 'only')) at++;
    name = readQualifiedName(tokens, at);
  } else if (isWord(tokens, 0, 'create')) {
    const kind = tokens.findIndex((t, i) => i > 0 && t.kind === 'word' && ['index', 'trigger', 'rule', 'policy'].includes(t.value));
    const on = kind < 0 ? -1 : tokens.findIndex((t, i) => i > kind + 1 && t.kind === 'word' && t.value === 'on');
    if (on >= 0) name = readQualifiedName(tokens, isWord(tokens, on + 1, 'only') ? on + 2 : on + 1);
  }
  return name?.schema ? tableKey(name.schema, name.name) : undefined;
}

function isSetting(tokens: readonly SqlToken[]): boolean {
  if (isWord(tokens, 0, 'set')) return true;
  return isWord(tokens, 0, 'select') && tokens[1]?.value === 'pg_catalog' && tokens[2]?.value === '.' && isWord(tokens, 3, 'set_config');
}

/**
 * `ALTER TABLE ONLY schema.table ADD CONSTRAINT name ...`: the table, its key, the name's token,
 * and where the constraint's kind (`PRIMARY`, `FOREIGN`, ...) starts.
 */
function addedConstraint(tokens: readonly SqlToken[]): { table: QualifiedName; key: string; name: SqlToken; kind: number } | undefined {
  if (!(isWord(tokens, 0, 'alter') && isWord(tokens, 1, 'table') && isWord(tokens, 2, 'only'))) return undefined;
  const table = readQualifiedName(tokens, 3);
  const name = table && tokens[table.next + 2];
  if (!table?.schema || !isWord(tokens, table.next, 'add') || !isWord(tokens, table.next + 1, 'constraint')) return undefined;
  if (!(name?.kind === 'word' || name?.kind === 'ident')) return undefined;
  return { table, key: tableKey(table.schema, table.name), name, kind: table.next + 3 };
}

/**
 * The table a statement builds an index or key of, and the index, when it is one of those:
 * `CREATE [UNIQUE] INDEX name ON schema.table ...` (not `ON ONLY`, a partitioned table's) or
 * `ALTER TABLE ONLY schema.table ADD CONSTRAINT name PRIMARY KEY | UNIQUE | EXCLUDE ...`.
 */
function ownIndex(tokens: readonly SqlToken[]): { table: string; index: string } | undefined {
  if (isWord(tokens, 0, 'create')) {
    const at = isWord(tokens, 1, 'unique') ? 2 : 1;
    if (!isWord(tokens, at, 'index')) return undefined;
    const index = readQualifiedName(tokens, at + 1);
    if (!index || !isWord(tokens, index.next, 'on') || isWord(tokens, index.next + 1, 'only')) return undefined;
    const table = readQualifiedName(tokens, index.next + 1);
    return table?.schema ? { table: tableKey(table.schema, table.name), index: index.name } : undefined;
  }
  const added = addedConstraint(tokens);
  if (!added || !(isWord(tokens, added.kind, 'primary') || isWord(tokens, added.kind, 'unique') || isWord(tokens, added.kind, 'exclude'))) return undefined;
  return { table: added.key, index: added.name.value };
}

/**
 * `ALTER TABLE ONLY schema.table ADD CONSTRAINT name FOREIGN KEY (...) REFERENCES schema.other
 * ...;` not already `NOT VALID`: its tables, its name, and the text of the table and the name
 * as written.
 */
function foreignKey(tokens: readonly SqlToken[], text: string): { table: string; referenced: string; name: string; sqlTable: string; sqlName: string } | undefined {
  const added = addedConstraint(tokens);
  if (!added || !isWord(tokens, added.kind, 'foreign') || !isWord(tokens, added.kind + 1, 'key')) return undefined;
  // Column names in the list are quoted when they are keywords: the first REFERENCES word ends it.
  const references = tokens.findIndex((t, i) => i > added.kind + 1 && t.kind === 'word' && t.value === 'references');
  const referenced = references < 0 ? undefined : readQualifiedName(tokens, references + 1);
  if (!referenced?.schema) return undefined;
  const end = isPunct(tokens, tokens.length - 1, ';') ? tokens.length - 1 : tokens.length;
  if (isWord(tokens, end - 2, 'not') && isWord(tokens, end - 1, 'valid')) return undefined;
  const { table, name } = added;
  return {
    table: added.key,
    referenced: tableKey(referenced.schema, referenced.name),
    name: name.value,
    sqlTable: text.slice(tokens[3]!.start, tokens[table.next - 1]!.end),
    sqlName: text.slice(name.start, name.end),
  };
}

/**
 * Splits pg_dump's post-data SQL. Groups are made only for `tables` (keys of plain tables this
 * run loads itself); statements on other tables go to `rest`. A foreign key between two of
 * `tables` is split out when `referencedIndex` names the index it relies on and that index is
 * built in the referenced table's group; otherwise it stays in `rest`. psql meta-commands
 * (`\restrict`) are left out: the statements run over a connection of pgmask's own, not
 * through psql.
 *
 * @example splitPostData(sql, new Set(['public.orders'])).byTable.get('public.orders') // [{ sql: 'ALTER TABLE ONLY public.orders ADD CONSTRAINT orders_pkey PRIMARY KEY (id);', settings: 12, index: 'orders_pkey' }, ...]
 */
export function splitPostData(sql: string, tables: ReadonlySet<string>, referencedIndex?: ReferencedIndex): PostDataPlan {
  const settings: string[] = [];
  const byTable = new Map<string, PostDataStatement[]>();
  /** `rest` in dump order, each foreign key that may be split out with its split form. */
  const ordered: { statement: PostDataStatement; key?: ForeignKeyStatement }[] = [];
  const scanner = new SqlScanner(
    {
      onStatement(text) {
        const tokens = tokenize(text);
        if (isSetting(tokens)) {
          settings.push(text);
          return;
        }
        const own = ownIndex(tokens);
        if (own && tables.has(own.table)) {
          const group = byTable.get(own.table) ?? [];
          group.push({ sql: text, settings: settings.length, index: own.index, table: own.table });
          byTable.set(own.table, group);
          return;
        }
        const statement = { sql: text, settings: settings.length, table: statementTable(tokens) };
        const fk = referencedIndex && foreignKey(tokens, text);
        const index = fk && tables.has(fk.table) && tables.has(fk.referenced) ? referencedIndex!(fk.table, fk.name) : undefined;
        if (!fk || index === undefined) {
          ordered.push({ statement });
          return;
        }
        const key: ForeignKeyStatement = {
          sql: `${text.replace(/;\s*$/, '')} NOT VALID;`,
          settings: settings.length,
          table: fk.table,
          referenced: fk.referenced,
          index,
          validate: `ALTER TABLE ONLY ${fk.sqlTable} VALIDATE CONSTRAINT ${fk.sqlName};`,
          name: fk.name,
          checked: text,
        };
        ordered.push({ statement, key });
      },
    },
    Number.POSITIVE_INFINITY,
  );
  const bytes = Buffer.from(sql, 'utf8');
  scanner.scan(bytes, 0, bytes.length, false);
  if (!scanner.atStatementStart) throw new PgmaskError('POST_DATA', "pg_dump's post-data section ends inside a statement", 3);
  const foreignKeys: ForeignKeyStatement[] = [];
  const rest: PostDataStatement[] = [];
  for (const { statement, key } of ordered) {
    if (key && byTable.get(key.referenced)?.some((s) => s.index === key.index)) foreignKeys.push(key);
    else rest.push(statement);
  }
  return { settings, byTable, foreignKeys, rest };
}
