/**
 * pg_dump's post-data section, split the way pg_restore --jobs schedules it: each plain
 * table's own indexes and keys form a group that can be built as soon as the table's rows are
 * in, several tables at a time; everything else (foreign keys, triggers, rules, policies,
 * partition indexes and their attachments, comments, ...) runs afterwards, in dump order.
 */
import { tableKey } from '../catalog/names.js';
import { SqlScanner } from '../dump/sql-scanner.js';
import { isWord, readQualifiedName, tokenize, type SqlToken } from '../dump/sql-tokens.js';
import { PgmaskError } from '../errors.js';

/** One statement of the section, with the session settings it runs under. */
export interface PostDataStatement {
  readonly sql: string;
  /** How many of the plan's `settings` come before it in the dump (all of them apply to it). */
  readonly settings: number;
}

/** The post-data section, split. */
export interface PostDataPlan {
  /** Session settings (`SET ...`, `SELECT pg_catalog.set_config(...)`), in dump order. */
  readonly settings: readonly string[];
  /** The statements that build a table's own indexes, primary key, unique and exclusion constraints, by table key. */
  readonly byTable: ReadonlyMap<string, readonly PostDataStatement[]>;
  /** Every other statement, in dump order: it runs once every table's group is built. */
  readonly rest: readonly PostDataStatement[];
}

function isSetting(tokens: readonly SqlToken[]): boolean {
  if (isWord(tokens, 0, 'set')) return true;
  return isWord(tokens, 0, 'select') && tokens[1]?.value === 'pg_catalog' && tokens[2]?.value === '.' && isWord(tokens, 3, 'set_config');
}

/**
 * The table a statement builds an index or key of, when it is one of those: `CREATE [UNIQUE]
 * INDEX name ON schema.table ...` (not `ON ONLY`, a partitioned table's) or `ALTER TABLE ONLY
 * schema.table ADD CONSTRAINT name PRIMARY KEY | UNIQUE | EXCLUDE ...`.
 */
function ownTable(tokens: readonly SqlToken[]): string | undefined {
  let at: number;
  if (isWord(tokens, 0, 'create')) {
    at = isWord(tokens, 1, 'unique') ? 2 : 1;
    if (!isWord(tokens, at, 'index')) return undefined;
    const index = readQualifiedName(tokens, at + 1);
    if (!index || !isWord(tokens, index.next, 'on') || isWord(tokens, index.next + 1, 'only')) return undefined;
    at = index.next + 1;
  } else if (isWord(tokens, 0, 'alter') && isWord(tokens, 1, 'table') && isWord(tokens, 2, 'only')) {
    at = 3;
  } else {
    return undefined;
  }
  const table = readQualifiedName(tokens, at);
  if (!table?.schema) return undefined;
  if (isWord(tokens, 0, 'alter')) {
    const kind = table.next + 3;
    const named = tokens[table.next + 2]?.kind === 'word' || tokens[table.next + 2]?.kind === 'ident';
    const key = isWord(tokens, kind, 'primary') || isWord(tokens, kind, 'unique') || isWord(tokens, kind, 'exclude');
    if (!isWord(tokens, table.next, 'add') || !isWord(tokens, table.next + 1, 'constraint') || !named || !key) return undefined;
  }
  return tableKey(table.schema, table.name);
}

/**
 * Splits pg_dump's post-data SQL. Groups are made only for `tables` (keys of plain tables this
 * run loads itself); statements on other tables go to `rest`. psql meta-commands (`\restrict`)
 * are left out: the statements run over a connection of pgmask's own, not through psql.
 *
 * @example splitPostData(sql, new Set(['public.orders'])).byTable.get('public.orders') // [{ sql: 'ALTER TABLE ONLY public.orders ADD CONSTRAINT orders_pkey PRIMARY KEY (id);', settings: 12 }, ...]
 */
export function splitPostData(sql: string, tables: ReadonlySet<string>): PostDataPlan {
  const settings: string[] = [];
  const byTable = new Map<string, PostDataStatement[]>();
  const rest: PostDataStatement[] = [];
  const scanner = new SqlScanner(
    {
      onStatement(text) {
        const tokens = tokenize(text);
        if (isSetting(tokens)) {
          settings.push(text);
          return;
        }
        const statement = { sql: text, settings: settings.length };
        const table = ownTable(tokens);
        if (table !== undefined && tables.has(table)) {
          const group = byTable.get(table) ?? [];
          group.push(statement);
          byTable.set(table, group);
        } else {
          rest.push(statement);
        }
      },
    },
    Number.POSITIVE_INFINITY,
  );
  const bytes = Buffer.from(sql, 'utf8');
  scanner.scan(bytes, 0, bytes.length, false);
  if (!scanner.atStatementStart) throw new PgmaskError('POST_DATA', "pg_dump's post-data section ends inside a statement", 3);
  return { settings, byTable, rest };
}
