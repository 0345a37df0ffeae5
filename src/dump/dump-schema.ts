/**
 * What the schema statements of a plain-format dump say about its tables, learnt as the
 * statements stream past: partitions and their parents (`ALTER TABLE ONLY parent ATTACH
 * PARTITION child`, or `CREATE TABLE child PARTITION OF parent`), inheritance parents
 * (`INHERITS (...)`), and column types (with enums and domains the dump declares).
 */
import { tableKey } from '../catalog/table-key.js';
import { type ColumnTypeInfo, columnTypeInfo, typeKey } from './column-type.js';
import { isPunct, isWord, readQualifiedName, type SqlToken, tokenize } from './sql-tokens.js';

const COLUMN_STOP = new Set(['collate', 'default', 'not', 'null', 'generated', 'constraint', 'check', 'references', 'unique', 'primary', 'compression', 'storage']);
const TABLE_CONSTRAINT = new Set(['constraint', 'check', 'unique', 'primary', 'foreign', 'exclude', 'like']);

/** The key of a qualified name; undefined when unqualified (pg_dump qualifies every name). */
function keyOf(name: { schema: string | undefined; name: string } | undefined): string | undefined {
  return name?.schema === undefined ? undefined : tableKey(name.schema, name.name);
}

/** Splits `tokens[from]` (an opening parenthesis) up to its closing one into comma-separated items. */
function parenItems(tokens: readonly SqlToken[], from: number): { items: SqlToken[][]; next: number } {
  const items: SqlToken[][] = [];
  let current: SqlToken[] = [];
  let depth = 0;
  let i = from;
  for (; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && t.value === '(') {
      depth++;
      if (depth === 1) continue;
    } else if (t.kind === 'punct' && t.value === ')') {
      depth--;
      if (depth === 0) {
        if (current.length) items.push(current);
        return { items, next: i + 1 };
      }
    } else if (depth === 1 && t.kind === 'punct' && t.value === ',') {
      items.push(current);
      current = [];
      continue;
    }
    current.push(t);
  }
  if (current.length) items.push(current);
  return { items, next: i };
}

/**
 * The tables a dump has described so far. Feed it every statement with `learn()`; ask it
 * about a table when its COPY block arrives (pg_dump writes the schema before the data).
 *
 * @example
 * ```ts
 * const schema = new DumpSchema();
 * schema.learn('ALTER TABLE ONLY public.m ATTACH PARTITION public.m_2024 FOR VALUES IN (2024);');
 * schema.partitionOf('public.m_2024'); // 'public.m'
 * ```
 */
export class DumpSchema {
  private readonly tables = new Map<string, { columns: Map<string, string>; partitionOf: string | undefined; inheritsFrom: string[] }>();
  private readonly parents = new Map<string, string>();
  private readonly enums = new Set<string>();
  private readonly domains = new Map<string, string>();
  private attachments = 0;

  /** Reads one statement; statements it does not know are ignored. */
  learn(text: string): void {
    const head = text.trimStart().slice(0, 7).toLowerCase();
    if (head !== 'create ' && head !== 'alter t') return;
    const tokens = tokenize(text);
    if (isWord(tokens, 0, 'alter')) this.learnAlter(tokens);
    else if (isWord(tokens, 0, 'create')) this.learnCreate(text, tokens);
  }

  /** The partitioned table a table is a partition of, when the dump said so. */
  partitionOf(key: string): string | undefined {
    return this.parents.get(key);
  }

  /** The tables a table inherits from (`INHERITS`), which do not lend it their rules. */
  inheritsFrom(key: string): readonly string[] {
    return this.tables.get(key)?.inheritsFrom ?? [];
  }

  /** Whether the dump declared any partition (a --data-only dump declares none). */
  get declaresPartitions(): boolean {
    return this.attachments > 0;
  }

  /** Whether the dump held a CREATE TABLE for the table. */
  has(key: string): boolean {
    return this.tables.has(key);
  }

  /** A column's type facts, from the table's own CREATE TABLE or its partition parent's. */
  columnType(key: string, column: string): ColumnTypeInfo | undefined {
    let current: string | undefined = key;
    for (let depth = 0; current !== undefined && depth < 64; depth++) {
      const type = this.tables.get(current)?.columns.get(column);
      if (type !== undefined) return columnTypeInfo(type, { enums: this.enums, domains: this.domains });
      current = this.parents.get(current);
    }
    return undefined;
  }

  private attach(child: string, parent: string): void {
    this.parents.set(child, parent);
    this.attachments++;
    const table = this.tables.get(child);
    if (table) table.partitionOf = parent;
  }

  /** `ALTER TABLE [ONLY] parent ATTACH PARTITION child ...` */
  private learnAlter(tokens: SqlToken[]): void {
    if (!isWord(tokens, 1, 'table')) return;
    let i = 2;
    if (isWord(tokens, i, 'only')) i++;
    const parent = readQualifiedName(tokens, i);
    if (!parent || !isWord(tokens, parent.next, 'attach') || !isWord(tokens, parent.next + 1, 'partition')) return;
    const child = readQualifiedName(tokens, parent.next + 2);
    const parentKey = keyOf(parent);
    const childKey = keyOf(child);
    if (parentKey && childKey) this.attach(childKey, parentKey);
  }

  private learnCreate(text: string, tokens: SqlToken[]): void {
    let i = 1;
    if (isWord(tokens, i, 'unlogged')) i++;
    if (isWord(tokens, i, 'table')) {
      this.learnTable(text, tokens, i + 1);
      return;
    }
    if (isWord(tokens, 1, 'type')) {
      const name = readQualifiedName(tokens, 2);
      if (name && isWord(tokens, name.next, 'as') && isWord(tokens, name.next + 1, 'enum')) {
        this.enums.add(typeKey(text.slice(tokens[2]!.start, tokens[name.next - 1]!.end)));
      }
      return;
    }
    if (isWord(tokens, 1, 'domain')) {
      const name = readQualifiedName(tokens, 2);
      if (!name) return;
      let from = name.next;
      if (isWord(tokens, from, 'as')) from++;
      let to = from;
      let depth = 0;
      for (; to < tokens.length; to++) {
        const t = tokens[to]!;
        if (t.kind === 'punct' && t.value === '(') depth++;
        else if (t.kind === 'punct' && t.value === ')') depth--;
        else if (depth === 0 && ((t.kind === 'word' && COLUMN_STOP.has(t.value)) || (t.kind === 'punct' && t.value === ';'))) break;
      }
      if (to > from) this.domains.set(typeKey(text.slice(tokens[2]!.start, tokens[name.next - 1]!.end)), text.slice(tokens[from]!.start, tokens[to - 1]!.end));
    }
  }

  private learnTable(text: string, tokens: SqlToken[], at: number): void {
    const name = readQualifiedName(tokens, at);
    const key = keyOf(name);
    if (!name || !key) return;
    const table = { columns: new Map<string, string>(), partitionOf: undefined as string | undefined, inheritsFrom: [] as string[] };
    this.tables.set(key, table);
    let i = name.next;
    if (isWord(tokens, i, 'partition') && isWord(tokens, i + 1, 'of')) {
      const parent = keyOf(readQualifiedName(tokens, i + 2));
      if (parent) this.attach(key, parent);
      return;
    }
    if (!isPunct(tokens, i, '(')) return;
    const { items, next } = parenItems(tokens, i);
    for (const item of items) {
      const first = item[0];
      if (!first || (first.kind === 'word' && TABLE_CONSTRAINT.has(first.value))) continue;
      if (first.kind !== 'word' && first.kind !== 'ident') continue;
      let end = 1;
      let depth = 0;
      for (; end < item.length; end++) {
        const t = item[end]!;
        if (t.kind === 'punct' && (t.value === '(' || t.value === '[')) depth++;
        else if (t.kind === 'punct' && (t.value === ')' || t.value === ']')) depth--;
        else if (depth === 0 && t.kind === 'word' && COLUMN_STOP.has(t.value)) break;
      }
      const generated = item.some((t, k) => t.kind === 'word' && t.value === 'generated' && item.slice(k).some((u) => u.kind === 'word' && u.value === 'stored'));
      if (end > 1 && !generated) table.columns.set(first.value, text.slice(item[1]!.start, item[end - 1]!.end));
    }
    i = next;
    if (isWord(tokens, i, 'inherits') && isPunct(tokens, i + 1, '(')) {
      for (const parent of parenItems(tokens, i + 1).items) {
        const parentKey = keyOf(readQualifiedName(parent, 0));
        if (parentKey) table.inheritsFrom.push(parentKey);
      }
    }
    const parent = this.parents.get(key);
    if (parent) table.partitionOf = parent;
  }
}
