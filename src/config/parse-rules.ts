import { createHash } from 'node:crypto';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { type Document, isScalar, LineCounter, type Node, parseAllDocuments } from 'yaml';
import { isTableKeyError, parseTableKey, tableKey } from '../catalog/table-key.js';
import { type FilePosition, PgmaskError } from '../errors.js';
import { schemaValidator } from '../json-schema/schema-validator.js';
import { transformers as registered } from '../transformers/registry.js';
import type { AnyTransformer } from '../transformers/transformer.js';
import type { Finding } from './finding.js';
import { parseSubset } from './parse-subset.js';
import type { ColumnRule, Rules, SubjectPolicy, SubsetRules, TableRule } from './rules.js';
import { baseRulesSchema, RULE_KEYS, ruleObjectSchema } from './rules-schema.js';
import { type OptionsContext, schemaFindings } from './schema-findings.js';
import { didYouMean } from './suggest.js';
import { filePosition, nodePosition, pointerOf, type YamlTree, yamlTree } from './yaml-tree.js';

/** Options of `parseRules`. */
export interface ParseRulesOptions {
  /** The transformers rules may name; by default the registry's. */
  readonly transformers?: readonly AnyTransformer[];
  /** sha256 (hex) of the file's bytes, when the caller read them; by default that of the text as UTF-8. */
  readonly sha256?: string;
}

/** What `parseRules` found: the rules when there is no error, and every finding. */
export interface ParsedRules {
  readonly rules?: Rules;
  readonly findings: Finding[];
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The rules file's schemas, made once: their validators are compiled once per process. */
/** A table's `subject:` as the schema let it through (`delete`, `mask` or `{ retain: reason }`); undefined when absent. */
function subjectPolicy(value: unknown): SubjectPolicy | undefined {
  if (value === 'delete' || value === 'mask') return { kind: value };
  if (isObject(value) && typeof value['retain'] === 'string') return { kind: 'retain', reason: value['retain'].trim() };
  return undefined;
}

const SCHEMAS = { base: baseRulesSchema(), ruleObject: ruleObjectSchema() };

/** Reads rules files: one instance per file. */
class RulesParser {
  readonly findings: Finding[] = [];
  private readonly byName: Map<string, AnyTransformer>;
  private readonly lineCounter = new LineCounter();
  private readonly validateBase: ValidateFunction;
  private readonly validateRuleObject: ValidateFunction;
  private tree!: YamlTree;

  constructor(
    private readonly text: string,
    private readonly file: string,
    transformers: readonly AnyTransformer[],
  ) {
    this.byName = new Map(transformers.map((t) => [t.name, t]));
    this.validateBase = schemaValidator(SCHEMAS.base);
    this.validateRuleObject = schemaValidator(SCHEMAS.ruleObject);
  }

  private add(finding: Omit<Finding, 'file'>, at: FilePosition | undefined): void {
    this.findings.push(at ? { ...finding, file: at } : finding);
  }

  private at(node: Node | undefined): FilePosition {
    return node ? nodePosition(this.file, this.lineCounter, node) : { file: this.file, line: 1, column: 1 };
  }

  /** The position of a value (or, for a key that has no value, of its key). */
  private valueAt(pointer: string): FilePosition {
    const source = this.tree.nodes.get(pointer);
    return this.at(source?.node ?? source?.key);
  }

  /** The position of the key that holds a value (or of the value, at the root). */
  private keyAt(pointer: string): FilePosition {
    const source = this.tree.nodes.get(pointer);
    return this.at(source?.key ?? source?.node);
  }

  parse(sha256: string): ParsedRules {
    const documents = parseAllDocuments(this.text, { lineCounter: this.lineCounter, uniqueKeys: true, keepSourceTokens: true, prettyErrors: false });
    const list = Array.isArray(documents) ? (documents as Document[]) : [];
    const first = list[0];
    if (!first) {
      this.add({ severity: 'error', code: 'RULES_EMPTY', message: 'the rules file is empty; it needs at least `version: 1` and a `tables:` mapping' }, this.at(undefined));
      return { findings: this.findings };
    }
    if (list.length > 1) {
      const second = list[1]!;
      const offset = second.range?.[0] ?? 0;
      this.add(
        {
          severity: 'error',
          code: 'RULES_MULTIPLE_DOCUMENTS',
          message: 'a rules file holds one YAML document; remove the second `---` and what follows, or merge it into the first',
        },
        filePosition(this.file, this.lineCounter, offset),
      );
    }
    let syntaxError = false;
    for (const error of first.errors) {
      const at = filePosition(this.file, this.lineCounter, error.pos[0]);
      if (error.code === 'DUPLICATE_KEY') {
        const key = this.text.slice(error.pos[0], error.pos[1]);
        this.add({ severity: 'error', code: 'RULES_DUPLICATE_KEY', message: `the key ${key} appears twice in the same mapping; keep one` }, at);
      } else {
        syntaxError = true;
        this.add({ severity: 'error', code: 'RULES_YAML_SYNTAX', message: `${error.message}${this.syntaxHint(at.line)}` }, at);
      }
    }
    for (const warning of first.warnings) {
      this.add({ severity: 'warning', code: 'RULES_YAML_WARNING', message: warning.message }, filePosition(this.file, this.lineCounter, warning.pos[0]));
    }
    if (syntaxError) return { findings: this.findings };

    this.tree = yamlTree(first);
    for (const problem of this.tree.keyProblems) this.add({ severity: 'error', code: problem.code, message: problem.message }, this.at(problem.node));

    this.nullAsName();
    const root = this.tree.value;
    if (root === null || root === undefined) {
      this.add({ severity: 'error', code: 'RULES_EMPTY', message: 'the rules file is empty; it needs at least `version: 1` and a `tables:` mapping' }, this.at(undefined));
      return { findings: this.findings };
    }
    if (!this.validateBase(root)) this.schemaErrors(this.validateBase.errors ?? [], [], undefined);
    if (!isObject(root)) return { findings: this.findings };

    const tables = new Map<string, TableRule>();
    const tableSources = new Map<string, FilePosition>();
    if (isObject(root['tables'])) {
      for (const [key, value] of this.entries('/tables', root['tables'])) {
        const table = this.table(key, value, tableSources);
        if (table) tables.set(tableKey(table.schema, table.name), table);
      }
    }
    let subset: SubsetRules | undefined;
    if (isObject(root['subset'])) {
      const context = {
        add: (finding: Omit<Finding, 'file'>, at: FilePosition) => this.add(finding, at),
        keyAt: (p: string) => this.keyAt(p),
        valueAt: (p: string) => this.valueAt(p),
      };
      subset = parseSubset(root['subset'], context);
    }
    if (this.findings.some((f) => f.severity === 'error')) return { findings: this.findings };
    const rules: Rules = {
      file: this.file,
      sha256,
      version: 1,
      unlisted: root['unlisted'] === 'keep' ? 'keep' : 'fail',
      tables,
      ...(subset ? { subset } : {}),
    };
    return { rules, findings: this.findings };
  }

  /**
   * `email: null` names the `null` transformer, though YAML reads a plain `null` as no value:
   * in the two places that hold a transformer name, a plain `null` written out is the name.
   */
  private nullAsName(): void {
    const root = this.tree.value;
    if (!isObject(root) || !isObject(root['tables'])) return;
    const writtenNull = (pointer: string): boolean => {
      const node = this.tree.nodes.get(pointer)?.node;
      return isScalar(node) && node.value === null && /^null$/i.test(String((node as { source?: unknown }).source ?? ''));
    };
    for (const [key, table] of Object.entries(root['tables'])) {
      if (!isObject(table) || !isObject(table['columns'])) continue;
      const columns = table['columns'];
      for (const [name, rule] of Object.entries(columns)) {
        const pointer = pointerOf(['tables', key, 'columns', name]);
        if (rule === null && writtenNull(pointer)) columns[name] = 'null';
        else if (isObject(rule) && rule['transform'] === null && writtenNull(`${pointer}/transform`)) rule['transform'] = 'null';
      }
    }
  }

  /** A mapping's entries in the order of the file. */
  private entries(pointer: string, object: Record<string, unknown>): [string, unknown][] {
    const order = this.tree.keyOrder.get(pointer) ?? Object.keys(object);
    return order.filter((k) => Object.hasOwn(object, k)).map((k) => [k, object[k]]);
  }

  /** A hint for a syntax error on a line whose key starts with a quoted identifier. */
  private syntaxHint(line: number): string {
    const text = this.text.split(/\r?\n/)[line - 1] ?? '';
    return /^\s*"(?:[^"]|"")*"\s*\./.test(text) ? `; a key that starts with a double-quoted name must itself be quoted in YAML, e.g. '"Sales"."Kund"':` : '';
  }

  private table(key: string, value: unknown, seen: Map<string, FilePosition>): TableRule | undefined {
    const pointer = pointerOf(['tables', key]);
    const position = this.keyAt(pointer);
    const parsed = parseTableKey(key);
    if (isTableKeyError(parsed)) {
      this.add({ severity: 'error', code: 'RULES_TABLE_KEY', message: `cannot read the table key '${key}': ${parsed.error}` }, position);
      return undefined;
    }
    const canonical = tableKey(parsed.schema, parsed.name);
    if (parsed.folded.length > 0) {
      const names = parsed.folded.map((raw) => `${raw} as ${raw.toLowerCase()}`).join(' and ');
      this.add(
        {
          severity: 'warning',
          code: 'RULES_TABLE_KEY_FOLDED',
          message: `unquoted names are folded to lower case as in SQL, so this key reads ${names}; put a name in double quotes if it has capitals`,
          table: canonical,
        },
        position,
      );
    }
    const earlier = seen.get(canonical);
    if (earlier) {
      this.add(
        { severity: 'error', code: 'RULES_DUPLICATE_TABLE', message: `table ${canonical} already has rules at line ${earlier.line}; merge the two entries`, table: canonical },
        position,
      );
      return undefined;
    }
    seen.set(canonical, position);
    if (!isObject(value)) return undefined;
    const columns = new Map<string, ColumnRule>();
    const columnsValue = value['columns'];
    if (isObject(columnsValue)) {
      for (const [name, rule] of this.entries(`${pointer}/columns`, columnsValue)) {
        const column = this.column(canonical, key, name, rule);
        if (column) columns.set(name, column);
      }
    }
    const skip = value['skip'] === true;
    if (skip && isObject(columnsValue) && Object.keys(columnsValue).length > 0) {
      this.add(
        {
          severity: 'warning',
          code: 'RULES_SKIP_WITH_COLUMNS',
          message: `table ${canonical} has skip: true, so no rows are copied and its column rules are never used; remove them or the skip`,
          table: canonical,
        },
        this.keyAt(`${pointer}/skip`),
      );
    }
    const unlisted = value['unlisted'] === 'keep' ? 'keep' : 'fail';
    const subject = subjectPolicy(value['subject']);
    return { schema: parsed.schema, name: parsed.name, skip, columns, unlisted, ...(subject ? { subject } : {}), position };
  }

  private column(table: string, key: string, name: string, value: unknown): ColumnRule | undefined {
    const pointer = pointerOf(['tables', key, 'columns', name]);
    const position = this.keyAt(pointer);
    if (name === '') {
      this.add({ severity: 'error', code: 'RULES_COLUMN_NAME', message: `a column name in table ${table} is empty`, table }, position);
      return undefined;
    }
    let transform: string;
    let options: Record<string, unknown> = {};
    let unique = false;
    let scope: string | undefined;
    let transformAt = this.valueAt(pointer);
    if (typeof value === 'string') {
      transform = value;
    } else if (isObject(value)) {
      if (!this.validateRuleObject(value)) {
        this.schemaErrors(this.validateRuleObject.errors ?? [], ['tables', key, 'columns', name], undefined);
        return undefined;
      }
      transform = value['transform'] as string;
      transformAt = this.valueAt(`${pointer}/transform`);
      unique = value['unique'] === true;
      scope = value['scope'] as string | undefined;
      options = Object.fromEntries(Object.entries(value).filter(([k]) => !(RULE_KEYS as readonly string[]).includes(k)));
    } else {
      return undefined; // reported by the base schema
    }
    const transformer = this.byName.get(transform);
    if (!transformer) {
      this.add(
        {
          severity: 'error',
          code: 'RULES_UNKNOWN_TRANSFORMER',
          message: `unknown transformer '${transform}'${didYouMean(transform, this.byName.keys()) || `; the transformers are ${listNames([...this.byName.keys()])}`}`,
          table,
          column: name,
        },
        transformAt,
      );
      return undefined;
    }
    const validate = this.optionsValidator(transformer);
    if (!validate(options)) {
      this.schemaErrors(validate.errors ?? [], ['tables', key, 'columns', name], { transformer, table, column: name });
      return undefined;
    }
    if (unique && !this.canBeUnique(transformer, options)) {
      this.add(
        {
          severity: 'warning',
          code: 'RULES_UNIQUE_UNSUPPORTED',
          message: `transformer '${transformer.name}' cannot guarantee distinct outputs, so unique: true has no effect; on a unique column, use an injective transformer`,
          table,
          column: name,
        },
        this.keyAt(`${pointer}/unique`),
      );
    }
    return { column: name, transform, options, unique, scope, position };
  }

  /** Whether a transformer keeps distinct inputs distinct, by itself or when asked with `unique: true`. */
  private canBeUnique(transformer: AnyTransformer, options: Record<string, unknown>): boolean {
    if ((transformer as { enforcesUnique?: boolean }).enforcesUnique === true) return true;
    const injective = transformer.injective as boolean | ((o: Record<string, unknown>) => boolean);
    return typeof injective === 'function' ? injective(options) : injective;
  }

  /** Adds ajv's errors as findings (see `schemaFindings`). */
  private schemaErrors(errors: readonly ErrorObject[], base: readonly string[], options: OptionsContext | undefined): void {
    const positions = { keyAt: (pointer: string) => this.keyAt(pointer), valueAt: (pointer: string) => this.valueAt(pointer) };
    for (const { at, ...finding } of schemaFindings(errors, base, positions, options)) this.add(finding, at);
  }

  private optionsValidator(transformer: AnyTransformer): ValidateFunction {
    try {
      return schemaValidator(transformer.options);
    } catch (error) {
      throw new PgmaskError('TRANSFORMER_SCHEMA', `the options schema of transformer '${transformer.name}' is not valid: ${(error as Error).message}`);
    }
  }
}

/** At most 30 names, comma-separated. */
function listNames(names: readonly string[]): string {
  return names.length > 30 ? `${names.slice(0, 30).join(', ')}, …` : names.join(', ');
}

/**
 * Reads and validates the text of a rules file. Never throws for bad input: every problem
 * becomes a finding with a stable code and a file:line:column, and `rules` is set only when
 * there is no error.
 *
 * @example
 * const { rules, findings } = parseRules('version: 1\ntables:\n  public.t:\n    columns: { id: keep }\n', 'rules.yaml');
 */
export function parseRules(text: string, file: string, options: ParseRulesOptions = {}): ParsedRules {
  const sha256 = options.sha256 ?? createHash('sha256').update(text, 'utf8').digest('hex');
  return new RulesParser(text, file, options.transformers ?? registered).parse(sha256);
}
