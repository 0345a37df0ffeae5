import { createHash } from 'node:crypto';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { type Document, isScalar, LineCounter, type Node, parseAllDocuments } from 'yaml';
import { isTableKeyError, parseTableKey, tableKey } from '../catalog/table-key.js';
import { type FilePosition, PgmaskError } from '../errors.js';
import { schemaValidator } from '../json-schema/schema-validator.js';
import { transformers as registered } from '../transformers/registry.js';
import type { AnyTransformer } from '../transformers/transformer.js';
import type { Finding } from './finding.js';
import type { ColumnRule, Rules, TableRule } from './rules.js';
import { baseRulesSchema, RULE_KEYS, ruleObjectSchema, TABLE_KEYS, TOP_KEYS } from './rules-schema.js';
import { didYouMean } from './suggest.js';
import { filePosition, nodePosition, pointerSegment, type YamlTree, yamlTree } from './yaml-tree.js';

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

/** Top-level keys that look like an attempt to put the secret key in the file. */
const SECRET_KEY = /^(masking[_-]?)?(key|secret|password)([_-]?file)?$/i;

/** The path segments of an ajv `instancePath`. */
function segments(pointer: string): string[] {
  return pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

const pointerOf = (parts: readonly string[]): string => parts.map((p) => `/${pointerSegment(p)}`).join('');

/** The rules file's schemas, made once: their validators are compiled once per process. */
let schemas: { readonly base: object; readonly ruleObject: object } | undefined;

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
    schemas ??= { base: baseRulesSchema(), ruleObject: ruleObjectSchema() };
    this.validateBase = schemaValidator(schemas.base);
    this.validateRuleObject = schemaValidator(schemas.ruleObject);
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
    if (this.findings.some((f) => f.severity === 'error')) return { findings: this.findings };
    const rules: Rules = {
      file: this.file,
      sha256,
      version: 1,
      unlisted: root['unlisted'] === 'keep' ? 'keep' : 'fail',
      tables,
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
    return { schema: parsed.schema, name: parsed.name, skip, columns, position };
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

  private optionsValidator(transformer: AnyTransformer): ValidateFunction {
    try {
      return schemaValidator(transformer.options);
    } catch (error) {
      throw new PgmaskError('TRANSFORMER_SCHEMA', `the options schema of transformer '${transformer.name}' is not valid: ${(error as Error).message}`);
    }
  }

  /**
   * Turns ajv errors into findings. `base` is the path of the validated value in the file;
   * `options` is set when the value is a transformer's options object.
   */
  private schemaErrors(errors: readonly ErrorObject[], base: readonly string[], options: { transformer: AnyTransformer; table: string; column: string } | undefined): void {
    // `if`, `anyOf`, … only say that a branch failed; the branch's own errors say why.
    const specific = errors.filter((e) => !['if', 'anyOf', 'oneOf', 'allOf'].includes(e.keyword));
    const chosen = specific.length > 0 ? specific : errors;
    const seen = new Set<string>();
    for (const error of chosen) {
      const path = [...base, ...segments(error.instancePath)];
      const finding = options ? this.optionError(error, path, options) : this.structureError(error, path);
      const id = `${finding.code}:${finding.at.line}:${finding.at.column}:${finding.message}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const { at, ...rest } = finding;
      this.add({ severity: 'error', ...rest }, at);
    }
  }

  private optionError(
    error: ErrorObject,
    path: readonly string[],
    { transformer, table, column }: { transformer: AnyTransformer; table: string; column: string },
  ): Omit<Finding, 'file' | 'severity'> & { at: FilePosition } {
    const pointer = pointerOf(path);
    const optionPath = path.slice(4).join('.');
    const where = { table, column };
    const name = `'${transformer.name}'`;
    if (error.keyword === 'additionalProperties') {
      const option = String((error.params as { additionalProperty: string }).additionalProperty);
      const known = Object.keys(((transformer.options as { properties?: object }).properties ?? {}) as object);
      const list = optionPath ? '' : known.length > 0 ? `; its options are ${known.join(', ')}` : '; it takes no options';
      const full = optionPath ? `${optionPath}.${option}` : option;
      return {
        code: 'RULES_UNKNOWN_OPTION',
        message: `transformer ${name} has no option '${full}'${didYouMean(option, [...known, ...RULE_KEYS])}${list}`,
        ...where,
        at: this.keyAt(`${pointer}/${pointerSegment(option)}`),
      };
    }
    if (error.keyword === 'required') {
      const missing = String((error.params as { missingProperty: string }).missingProperty);
      const full = optionPath ? `${optionPath}.${missing}` : missing;
      return { code: 'RULES_INVALID_OPTION', message: `transformer ${name} needs the option '${full}'`, ...where, at: this.keyAt(pointer) };
    }
    const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues;
    const detail = allowed ? `${error.message}: ${allowed.map((v) => JSON.stringify(v)).join(', ')}` : error.message;
    const subject = optionPath ? `option '${optionPath}'` : 'the options';
    return { code: 'RULES_INVALID_OPTION', message: `${subject} of transformer ${name} ${detail}`, ...where, at: this.valueAt(pointer) };
  }

  private structureError(error: ErrorObject, path: readonly string[]): Omit<Finding, 'file' | 'severity'> & { at: FilePosition } {
    const pointer = pointerOf(path);
    const [top, tableName, inTable, columnName, inRule] = path;
    const table = top === 'tables' && tableName !== undefined ? tableLabel(tableName) : undefined;
    const where = { ...(table ? { table } : {}), ...(inTable === 'columns' && columnName !== undefined ? { column: columnName } : {}) };

    if (error.keyword === 'additionalProperties') {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const at = this.keyAt(`${pointer}/${pointerSegment(key)}`);
      if (path.length === 0) {
        if (SECRET_KEY.test(key)) {
          return {
            code: 'RULES_UNKNOWN_KEY',
            message: `unknown key '${key}': a rules file holds no secret; the masking key comes from the PGMASK_KEY environment variable or --key-file`,
            at,
          };
        }
        const hint = !didYouMean(key, TOP_KEYS) && !isTableKeyError(parseTableKey(key)) ? '; table rules go under tables:' : '';
        return { code: 'RULES_UNKNOWN_KEY', message: `unknown key '${key}' at the top level${didYouMean(key, TOP_KEYS)}; the top level holds ${TOP_KEYS.join(', ')}${hint}`, at };
      }
      if (path.length === 2) {
        if (key === 'where') {
          return { code: 'RULES_UNKNOWN_KEY', message: `table ${table}: row filters (where:) are not supported yet; remove the key`, ...where, at };
        }
        const near = didYouMean(key, TABLE_KEYS);
        return {
          code: 'RULES_UNKNOWN_KEY',
          message: `unknown key '${key}' in table ${table}${near}; a table holds ${TABLE_KEYS.join(' and ')}${near ? '' : ' (column rules go under columns:)'}`,
          ...where,
          at,
        };
      }
      return { code: 'RULES_UNKNOWN_KEY', message: `unknown key '${key}'`, ...where, at };
    }
    if (error.keyword === 'required') {
      const missing = String((error.params as { missingProperty: string }).missingProperty);
      if (path.length === 0) {
        return { code: 'RULES_MISSING_KEY', message: `the rules file has no '${missing}'; add \`${missing}: 1\` at the top`, at: this.valueAt('') };
      }
      return {
        code: 'RULES_MISSING_KEY',
        message: `the rule of column ${columnName} in table ${table} has no '${missing}'; write \`transform: NAME\` (the other keys are that transformer's options)`,
        ...where,
        at: this.keyAt(pointer),
      };
    }
    if (error.keyword === 'const' && path.length === 1 && top === 'version') {
      return { code: 'RULES_VERSION', message: 'version must be 1: this pgmask reads version 1 rules files', at: this.valueAt(pointer) };
    }
    if (error.keyword === 'enum' && path.length === 1 && top === 'unlisted') {
      return {
        code: 'RULES_INVALID_VALUE',
        message: "unlisted must be 'fail' (a column without a rule fails validation) or 'keep' (it is copied unchanged)",
        at: this.valueAt(pointer),
      };
    }
    if (error.keyword === 'type') {
      const expected: Record<number, string> = {
        0: 'the rules file must be a mapping with version, unlisted and tables',
        1: top === 'tables' ? 'tables must be a mapping from schema.table to that table’s rules' : `${top} has the wrong type (${error.message})`,
        2: `the rules of table ${table} must be a mapping with columns: and/or skip:`,
        3: inTable === 'skip' ? `skip of table ${table} must be true or false` : `columns of table ${table} must be a mapping from column name to rule`,
        4: `the rule of column ${columnName} in table ${table} must be a transformer name or a mapping with transform:`,
        5: inRule === 'unique' ? `unique (column ${columnName} in table ${table}) must be true or false` : `${inRule} (column ${columnName} in table ${table}) must be a string`,
      };
      return { code: 'RULES_TYPE', message: expected[path.length] ?? `${path.join('.')} ${error.message}`, ...where, at: this.valueAt(pointer) };
    }
    if (error.keyword === 'minLength' && inRule === 'scope') {
      return { code: 'RULES_INVALID_VALUE', message: `scope (column ${columnName} in table ${table}) must not be empty`, ...where, at: this.valueAt(pointer) };
    }
    return { code: 'RULES_INVALID_VALUE', message: `${path.join('.') || 'the rules file'} ${error.message}`, ...where, at: this.valueAt(pointer) };
  }
}

/** At most 30 names, comma-separated. */
function listNames(names: readonly string[]): string {
  return names.length > 30 ? `${names.slice(0, 30).join(', ')}, …` : names.join(', ');
}

/** A table key as findings name it: canonical when it can be read, as written otherwise. */
function tableLabel(key: string): string {
  const parsed = parseTableKey(key);
  return isTableKeyError(parsed) ? key : tableKey(parsed.schema, parsed.name);
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
