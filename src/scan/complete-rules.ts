import { Document, isMap, isScalar, LineCounter, type Node, type Pair, parseDocument, Scalar, visit, YAMLMap } from 'yaml';
import { isTableKeyError, parseTableKey, tableKey } from '../catalog/table-key.js';
import { ConfigError, type FilePosition } from '../errors.js';
import { columnComment } from './column-comment.js';
import { columnEntries } from './column-entries.js';
import type { ColumnProposal, TableProposal } from './proposal.js';
import { ruleNode } from './rule-node.js';

/** Options of `completeRules`. */
export interface CompleteRulesOptions {
  /** The file's name, for error positions; `rules file` by default. */
  readonly file?: string;
  /** When the scan ran, for the comment before each added table; now by default. */
  readonly generatedAt?: Date;
}

/** One thing `completeRules` added: a table (no `column`) or a column of a table. */
export interface AddedRule {
  readonly table: string;
  readonly column?: string;
}

/** The completed file and what was added to it. */
export interface CompletedRules {
  readonly text: string;
  /** Each added table, followed by each column added to it; each column added to a listed table. */
  readonly added: readonly AddedRule[];
}

/** A piece of text to put at an offset of the original (replacing `remove` characters). */
interface Edit {
  readonly at: number;
  readonly remove: number;
  readonly insert: string;
}

type Range = readonly [number, number, number];
const rangeOf = (node: Node | null | undefined): Range | undefined => (node as { range?: Range } | null | undefined)?.range ?? undefined;

/** The name a mapping key gives: a plain `123:` or `true:` as written, as the rules parser reads it. */
function keyText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  if (typeof node.value === 'string') return node.value;
  const source = (node as { source?: unknown }).source;
  return typeof source === 'string' ? source : String(node.value);
}

/** Whether a pair has no value written (`key:` and nothing after it). */
const isEmptyValue = (value: unknown): boolean =>
  value === null || value === undefined || (isScalar(value) && value.value === null && (value as { source?: unknown }).source === '');

/** Completes one rules file; one instance per call. */
class Completer {
  private readonly lineCounter = new LineCounter();
  private readonly edits: Edit[] = [];
  private readonly added: AddedRule[] = [];
  private readonly newline: string;
  private readonly factory = new Document();

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly date: string,
  ) {
    this.newline = text.includes('\r\n') ? '\r\n' : '\n';
  }

  complete(tables: readonly TableProposal[]): CompletedRules {
    const document = parseDocument(this.text, { lineCounter: this.lineCounter, keepSourceTokens: true, prettyErrors: false, uniqueKeys: false });
    const error = document.errors[0];
    if (error) throw new ConfigError('RULES_YAML_SYNTAX', 'the rules file is not valid YAML; `pgmask validate` says more', this.position(error.pos[0]));
    const root = document.contents;
    if (!isMap(root)) throw new ConfigError('RULES_NOT_MAPPING', 'the rules file is not a mapping with `version: 1` and `tables:`', this.position(rangeOf(root)?.[0] ?? 0));
    const tablesPair = root.items.find((pair) => keyText(pair.key) === 'tables');
    if (!tablesPair) throw new ConfigError('RULES_NO_TABLES', 'the rules file has no `tables:` mapping to add to', this.position(rangeOf(root)?.[0] ?? 0));
    const tablesValue = tablesPair.value as Node | null;
    if (!isEmptyValue(tablesValue) && !isMap(tablesValue)) {
      throw new ConfigError('RULES_NO_TABLES', '`tables:` is not a mapping', this.position(rangeOf(tablesValue)?.[0] ?? rangeOf(tablesPair.key as Node)?.[0] ?? 0));
    }
    if (isMap(tablesValue) && tablesValue.flow && tablesValue.items.length > 0) {
      throw new ConfigError(
        'RULES_TABLES_FLOW',
        '`tables:` is written in flow style `{ ... }`; write it as a block mapping so that tables can be added',
        this.position(rangeOf(tablesValue)?.[0] ?? 0),
      );
    }

    const listed = new Map<string, Pair>();
    if (isMap(tablesValue)) {
      for (const pair of tablesValue.items) {
        const key = keyText(pair.key);
        if (key === undefined) continue;
        const parsed = parseTableKey(key);
        if (!isTableKeyError(parsed)) listed.set(tableKey(parsed.schema, parsed.name), pair);
      }
    }
    const missing: TableProposal[] = [];
    for (const table of tables) {
      const pair = listed.get(tableKey(table.schema, table.name));
      if (pair) this.completeTable(table, pair);
      else missing.push(table);
    }
    if (missing.length > 0) this.addTables(missing, tablesPair, tablesValue);
    return { text: this.apply(), added: this.added };
  }

  /** Adds the columns a listed table lacks (nothing for a `skip: true` table). */
  private completeTable(table: TableProposal, pair: Pair): void {
    const value = pair.value as Node | null;
    if (isMap(value) && value.items.some((p) => keyText(p.key) === 'skip' && isScalar(p.value) && p.value.value === true)) return;
    const columnsPair = isMap(value) ? value.items.find((p) => keyText(p.key) === 'columns') : undefined;
    const columnsValue = columnsPair?.value as Node | null | undefined;
    const existing = new Set(isMap(columnsValue) ? columnsValue.items.map((p) => keyText(p.key)) : []);
    const missing = table.columns.filter((c) => !existing.has(c.column));
    if (missing.length === 0) return;
    if (isEmptyValue(value)) {
      // `public.t:` and nothing after it: its mapping starts on the next line.
      const indent = this.indentOf(pair.key as Node) + 2;
      this.insertLines(this.lineEnd(this.keyEnd(pair)), this.columnsBlock(missing, indent));
    } else if (!isMap(value)) {
      return; // not a mapping: `pgmask validate` reports it
    } else if (!columnsPair) {
      if (value.flow)
        this.insertFlow(
          value,
          this.flowEntries([[new Scalar('columns'), this.flowEntries(missing.map((c) => [new Scalar(c.column), ruleNode(this.factory, c.column, c.rule)]))]]),
          missing,
        );
      else this.insertLines(this.lineEnd(this.contentEnd(value)), this.columnsBlock(missing, this.indentOf(value.items[0]!.key as Node)));
    } else if (isEmptyValue(columnsValue)) {
      const indent = this.indentOf(columnsPair.key as Node) + 2;
      this.insertLines(this.lineEnd(this.keyEnd(columnsPair)), this.block(columnEntries(this.factory, missing, indent), indent));
    } else if (isMap(columnsValue)) {
      if (columnsValue.flow) {
        this.insertFlow(columnsValue, this.flowEntries(missing.map((c) => [new Scalar(c.column), ruleNode(this.factory, c.column, c.rule)])), missing);
      } else {
        const indent = this.indentOf(columnsValue.items[0]!.key as Node);
        this.insertLines(this.lineEnd(this.contentEnd(columnsValue)), this.block(columnEntries(this.factory, missing, indent), indent));
      }
    } else {
      return; // `columns:` is not a mapping: `pgmask validate` reports it
    }
    for (const column of missing) this.added.push({ table: table.key, column: column.column });
  }

  /** Adds entries for tables the file does not list, at the end of `tables:`. */
  private addTables(tables: readonly TableProposal[], tablesPair: Pair, tablesValue: Node | null): void {
    let at: number;
    let indent: number;
    let lines: string[] = [];
    if (isMap(tablesValue) && tablesValue.items.length > 0) {
      indent = this.indentOf(tablesValue.items[0]!.key as Node);
      at = this.lineEnd(this.contentEnd(tablesValue));
    } else {
      indent = this.indentOf(tablesPair.key as Node) + 2;
      if (isMap(tablesValue)) {
        // `tables: {}`: the empty flow mapping gives way to a block one.
        const range = rangeOf(tablesValue)!;
        this.edits.push({ at: range[0] - (this.text[range[0] - 1] === ' ' ? 1 : 0), remove: range[1] - range[0] + (this.text[range[0] - 1] === ' ' ? 1 : 0), insert: '' });
      }
      at = this.lineEnd(this.keyEnd(tablesPair));
    }
    for (const table of tables) {
      const entry = new YAMLMap();
      entry.add(this.factory.createPair('columns', columnEntries(this.factory, table.columns, indent + 4)));
      const map = new YAMLMap();
      map.add(this.factory.createPair(table.key, entry));
      lines = [...lines, `${' '.repeat(indent)}# added by pgmask scan on ${this.date}`, ...this.block(map, indent)];
      this.added.push({ table: table.key });
      for (const column of table.columns) this.added.push({ table: table.key, column: column.column });
    }
    this.insertLines(at, lines);
  }

  /** `columns:` with the given rules, as lines at `indent`. */
  private columnsBlock(columns: readonly ColumnProposal[], indent: number): string[] {
    const map = new YAMLMap();
    map.add(this.factory.createPair('columns', columnEntries(this.factory, columns, indent + 2)));
    return this.block(map, indent);
  }

  /** A mapping's YAML text as lines, each indented by `indent` spaces. */
  private block(map: YAMLMap, indent: number): string[] {
    const text = new Document(map).toString({ lineWidth: 0 });
    return text
      .replace(/\n$/, '')
      .split('\n')
      .map((line) => `${' '.repeat(indent)}${line}`);
  }

  /**
   * Adds `key: value` to a flow mapping in place, and the evidence as comment lines above the
   * line where the mapping starts (a flow mapping on one line has no room for them).
   */
  private insertFlow(map: YAMLMap, entries: YAMLMap, columns: readonly ColumnProposal[]): void {
    const pairText = new Document(entries)
      .toString({ lineWidth: 0 })
      .trim()
      .replace(/^\{\s*/, '')
      .replace(/\s*\}$/, '');
    const last = map.items[map.items.length - 1];
    if (last) {
      const end = rangeOf(last.value as Node)?.[1] ?? this.keyEnd(last);
      this.edits.push({ at: end, remove: 0, insert: `, ${pairText}` });
    } else {
      const range = rangeOf(map)!;
      this.edits.push({ at: range[0], remove: range[1] - range[0], insert: `{ ${pairText} }` });
    }
    const start = rangeOf(map)![0];
    const lineStart = this.text.lastIndexOf('\n', start - 1) + 1;
    const indent = /^ */.exec(this.text.slice(lineStart))![0].length;
    const comments = columns.flatMap((c) => {
      const comment = columnComment(c);
      return comment === undefined ? [] : [`${' '.repeat(indent)}# ${c.column}:${comment}`];
    });
    if (comments.length > 0) this.insertLines(lineStart, comments);
  }

  /** A flow mapping of the given entries, every collection in them in flow style too. */
  private flowEntries(entries: readonly (readonly [Scalar, Node])[]): YAMLMap {
    const map = new YAMLMap();
    for (const [key, value] of entries) map.add(this.factory.createPair(key, value));
    visit(map, {
      Map(_, node) {
        node.flow = true;
      },
      Seq(_, node) {
        node.flow = true;
      },
    });
    map.flow = true;
    return map;
  }

  /** Inserts whole lines at the start of a line (or at the end of a file without a final line break). */
  private insertLines(at: number, lines: readonly string[]): void {
    if (lines.length === 0) return;
    const body = lines.map((line) => `${line}${this.newline}`).join('');
    const needsBreak = at > 0 && this.text[at - 1] !== '\n';
    this.edits.push({ at, remove: 0, insert: needsBreak ? `${this.newline}${body}` : body });
  }

  /** Where a mapping's last entry's own text ends (comments after it are left after what is added). */
  private contentEnd(map: YAMLMap): number {
    const last = map.items[map.items.length - 1];
    if (!last) return rangeOf(map)?.[1] ?? 0;
    const value = last.value as Node | null;
    if (isMap(value) && !value.flow && value.items.length > 0) return this.contentEnd(value);
    if (isEmptyValue(value)) return this.keyEnd(last);
    return Math.max(rangeOf(value)?.[1] ?? 0, this.keyEnd(last));
  }

  private keyEnd(pair: Pair): number {
    return rangeOf(pair.key as Node)?.[1] ?? 0;
  }

  /** The start of the line after the one `offset` is on (or the text's end). */
  private lineEnd(offset: number): number {
    if (offset > 0 && this.text[offset - 1] === '\n') return offset;
    const next = this.text.indexOf('\n', offset);
    return next < 0 ? this.text.length : next + 1;
  }

  /** The column (0-based) a node starts at. */
  private indentOf(node: Node): number {
    const start = rangeOf(node)?.[0] ?? 0;
    return start - (this.text.lastIndexOf('\n', start - 1) + 1);
  }

  private position(offset: number): FilePosition {
    const { line, col } = this.lineCounter.linePos(offset);
    return { file: this.file, line, column: col };
  }

  /** The original text with every edit made, later offsets first (at one offset, in the order they were made). */
  private apply(): string {
    const order = this.edits.map((edit, index) => ({ edit, index })).sort((a, b) => b.edit.at - a.edit.at || b.index - a.index);
    let text = this.text;
    for (const { edit } of order) text = text.slice(0, edit.at) + edit.insert + text.slice(edit.at + edit.remove);
    return text;
  }
}

/**
 * Completes an existing rules file (`pgmask scan --rules FILE`): every rule, comment and blank
 * line already there stays byte for byte; only what is missing is added. A table without an
 * entry gets one at the end of `tables:` (after a comment line `# added by pgmask scan on
 * DATE`); a listed table's missing columns go at the end of its `columns:`, each with its
 * evidence comment. A `skip: true` table is left alone, and so are tables the scan did not
 * see (`pgmask validate` reports those). In a flow mapping (`columns: { id: keep }`) the
 * new entries go inside the braces and their evidence in comment lines above.
 *
 * @throws {ConfigError} when the text is not YAML, not a mapping, or has no `tables:` mapping
 *   (the message names the position, never a value).
 * @example
 * const { text, added } = completeRules(await readFile('rules.yaml', 'utf8'), proposals, { file: 'rules.yaml' });
 */
export function completeRules(existingText: string, tables: readonly TableProposal[], options: CompleteRulesOptions = {}): CompletedRules {
  const date = (options.generatedAt ?? new Date()).toISOString().slice(0, 10);
  return new Completer(existingText, options.file ?? 'rules file', date).complete(tables);
}
