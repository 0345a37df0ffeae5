/**
 * What a rules file's schema errors mean to the person who wrote it: ajv's errors turned into
 * findings with a stable code, a message naming the table, column and option, and a position.
 */
import type { ErrorObject } from 'ajv/dist/2020.js';
import { isTableKeyError, parseTableKey, tableKey } from '../catalog/table-key.js';
import type { FilePosition } from '../errors.js';
import type { AnyTransformer } from '../transformers/transformer.js';
import type { Finding } from './finding.js';
import { RULE_KEYS, TABLE_KEYS, TOP_KEYS } from './rules-schema.js';
import { subsetSchemaError } from './subset-findings.js';
import { didYouMean } from './suggest.js';
import { pointerOf, pointerSegment } from './yaml-tree.js';

/** Where a JSON pointer's key and value sit in the file. */
export interface Positions {
  keyAt(pointer: string): FilePosition;
  valueAt(pointer: string): FilePosition;
}

/** The transformer whose options were validated, and the column its rule is on. */
export interface OptionsContext {
  readonly transformer: AnyTransformer;
  readonly table: string;
  readonly column: string;
}

/** A finding with its position, before the file is named. */
export type PlacedFinding = Omit<Finding, 'file'> & { readonly at: FilePosition };

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

/**
 * Turns ajv's errors into findings, each once. `base` is the path of the validated value in the
 * file; `options` is set when the value is a transformer's options object.
 */
export function schemaFindings(errors: readonly ErrorObject[], base: readonly string[], positions: Positions, options: OptionsContext | undefined): PlacedFinding[] {
  const findings: PlacedFinding[] = [];
  // `if`, `anyOf`, … only say that a branch failed; the branch's own errors say why.
  const specific = errors.filter((e) => !['if', 'anyOf', 'oneOf', 'allOf'].includes(e.keyword));
  const chosen = mergeEnums(specific.length > 0 ? specific : errors);
  const seen = new Set<string>();
  for (const error of chosen) {
    const path = [...base, ...segments(error.instancePath)];
    const finding = options ? optionError(error, path, positions, options) : structureError(error, path, positions);
    const id = `${finding.code}:${finding.at.line}:${finding.at.column}:${finding.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    findings.push({ severity: 'error', ...finding });
  }
  return findings;
}

/**
 * One error per value for the `enum`s it fails. A value checked by two enums (an option's own,
 * and one of an `if`/`then`/`else` branch that narrows it) must be in both: the values allowed
 * are those both list, and the merged error keeps the branch's `schemaPath`, which says in what
 * context they are allowed.
 */
function mergeEnums(errors: readonly ErrorObject[]): ErrorObject[] {
  const byValue = new Map<string, ErrorObject>();
  const merged: ErrorObject[] = [];
  for (const error of errors) {
    const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues;
    if (error.keyword !== 'enum' || !allowed) {
      merged.push(error);
      continue;
    }
    const earlier = byValue.get(error.instancePath);
    if (!earlier) {
      byValue.set(error.instancePath, error);
      merged.push(error);
      continue;
    }
    const before = (earlier.params as { allowedValues: unknown[] }).allowedValues;
    const both = before.filter((v) => allowed.some((w) => JSON.stringify(w) === JSON.stringify(v)));
    const branch = inBranch(error.schemaPath) ? error : earlier;
    const one: ErrorObject = { ...branch, params: { allowedValues: both.length > 0 ? both : branch.params.allowedValues } };
    byValue.set(error.instancePath, one);
    merged[merged.indexOf(earlier)] = one;
  }
  return merged;
}

/** Whether a schema path passes through a `then` or `else`. */
const inBranch = (schemaPath: string): boolean => /\/(then|else)\//.test(schemaPath);

/**
 * The context a `then`/`else` branch's error holds in, in words, for an `if` of the form
 * `{ properties: { P: { const: V } }, required: [P] }` (e.g. "with pool: official (the default)");
 * undefined for other conditions. `prefix` is the option path of the object the `if` tests.
 */
function branchContext(schema: unknown, schemaPath: string, prefix: string): string | undefined {
  const parts = schemaPath.replace(/^#\/?/, '').split('/');
  const at = Math.max(parts.lastIndexOf('then'), parts.lastIndexOf('else'));
  if (at < 0) return undefined;
  let node: unknown = schema;
  for (const part of parts.slice(0, at)) node = (node as Record<string, unknown> | undefined)?.[part.replaceAll('~1', '/').replaceAll('~0', '~')];
  const holder = node as { if?: { properties?: Record<string, { const?: unknown }> }; properties?: Record<string, { enum?: unknown[]; default?: unknown }> } | undefined;
  const tested = Object.entries(holder?.if?.properties ?? {});
  if (tested.length !== 1) return undefined;
  const [property, condition] = tested[0]!;
  if (!condition || !('const' in condition)) return undefined;
  const name = `${prefix}${property}`;
  if (parts[at] === 'then') return `with ${name}: ${String(condition.const)}`;
  const own = holder?.properties?.[property];
  const others = (own?.enum ?? []).filter((v) => v !== condition.const);
  if (others.length === 0) return `unless ${name} is ${String(condition.const)}`;
  const isDefault = others.length === 1 && own?.default === others[0];
  return `with ${name}: ${others.map(String).join(' or ')}${isDefault ? ' (the default)' : ''}`;
}

function optionError(error: ErrorObject, path: readonly string[], positions: Positions, { transformer, table, column }: OptionsContext): Omit<PlacedFinding, 'severity'> {
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
      at: positions.keyAt(`${pointer}/${pointerSegment(option)}`),
    };
  }
  if (error.keyword === 'required') {
    const missing = String((error.params as { missingProperty: string }).missingProperty);
    const full = optionPath ? `${optionPath}.${missing}` : missing;
    return { code: 'RULES_INVALID_OPTION', message: `transformer ${name} needs the option '${full}'`, ...where, at: positions.keyAt(pointer) };
  }
  const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues;
  // The object holding the option, as a prefix of option paths: '' or e.g. 'personnummer.'.
  const holder = path
    .slice(4, -1)
    .map((s) => `${s}.`)
    .join('');
  const context = inBranch(error.schemaPath) ? branchContext(transformer.options, error.schemaPath, holder) : undefined;
  const rule = allowed ? `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}` : error.message;
  const detail = context ? `${rule} ${context}` : rule;
  const subject = optionPath ? `option '${optionPath}'` : 'the options';
  return { code: 'RULES_INVALID_OPTION', message: `${subject} of transformer ${name} ${detail}`, ...where, at: positions.valueAt(pointer) };
}

function structureError(error: ErrorObject, path: readonly string[], positions: Positions): Omit<PlacedFinding, 'severity'> {
  if (path[0] === 'subset') return subsetSchemaError(error, path, positions);
  const pointer = pointerOf(path);
  const [top, tableName, inTable, columnName, inRule] = path;
  const table = top === 'tables' && tableName !== undefined ? tableLabel(tableName) : undefined;
  const where = { ...(table ? { table } : {}), ...(inTable === 'columns' && columnName !== undefined ? { column: columnName } : {}) };

  if (top === 'tables' && inTable === 'subject') {
    const subjectPointer = pointerOf(path.slice(0, 3));
    return {
      code: 'RULES_INVALID_VALUE',
      message: `subject of table ${table} must be delete, mask or { retain: "reason" } with a reason that is not empty (why the rows are kept, e.g. bookkeeping law)`,
      ...where,
      at: positions.valueAt(subjectPointer),
    };
  }
  if (error.keyword === 'additionalProperties') {
    const key = String((error.params as { additionalProperty: string }).additionalProperty);
    const at = positions.keyAt(`${pointer}/${pointerSegment(key)}`);
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
        message: `unknown key '${key}' in table ${table}${near}; a table holds ${TABLE_KEYS.slice(0, -1).join(', ')} and ${TABLE_KEYS.at(-1)}${near ? '' : ' (column rules go under columns:)'}`,
        ...where,
        at,
      };
    }
    return { code: 'RULES_UNKNOWN_KEY', message: `unknown key '${key}'`, ...where, at };
  }
  if (error.keyword === 'required') {
    const missing = String((error.params as { missingProperty: string }).missingProperty);
    if (path.length === 0) {
      return { code: 'RULES_MISSING_KEY', message: `the rules file has no '${missing}'; add \`${missing}: 1\` at the top`, at: positions.valueAt('') };
    }
    return {
      code: 'RULES_MISSING_KEY',
      message: `the rule of column ${columnName} in table ${table} has no '${missing}'; write \`transform: NAME\` (the other keys are that transformer's options)`,
      ...where,
      at: positions.keyAt(pointer),
    };
  }
  if (error.keyword === 'const' && path.length === 1 && top === 'version') {
    return { code: 'RULES_VERSION', message: 'version must be 1: this pgmask reads version 1 rules files', at: positions.valueAt(pointer) };
  }
  if (error.keyword === 'enum' && path.length === 1 && top === 'unlisted') {
    return {
      code: 'RULES_INVALID_VALUE',
      message: "unlisted must be 'fail' (a table with no entry under tables: fails validation) or 'keep' (it is copied unchanged)",
      at: positions.valueAt(pointer),
    };
  }
  if (error.keyword === 'enum' && path.length === 3 && top === 'tables' && inTable === 'unlisted') {
    return {
      code: 'RULES_INVALID_VALUE',
      message: `unlisted of table ${table} must be 'fail' (a column of it without a rule fails validation) or 'keep' (its columns without a rule are copied unchanged)`,
      ...where,
      at: positions.valueAt(pointer),
    };
  }
  if (error.keyword === 'type') {
    const expected: Record<number, string> = {
      0: 'the rules file must be a mapping with version, unlisted and tables',
      1: top === 'tables' ? 'tables must be a mapping from schema.table to that table’s rules' : `${top} has the wrong type (${error.message})`,
      2: `the rules of table ${table} must be a mapping with columns:, skip: and/or unlisted:`,
      3: inTable === 'skip' ? `skip of table ${table} must be true or false` : `columns of table ${table} must be a mapping from column name to rule`,
      4: `the rule of column ${columnName} in table ${table} must be a transformer name or a mapping with transform:`,
      5: inRule === 'unique' ? `unique (column ${columnName} in table ${table}) must be true or false` : `${inRule} (column ${columnName} in table ${table}) must be a string`,
    };
    return { code: 'RULES_TYPE', message: expected[path.length] ?? `${path.join('.')} ${error.message}`, ...where, at: positions.valueAt(pointer) };
  }
  if (error.keyword === 'minLength' && inRule === 'scope') {
    return { code: 'RULES_INVALID_VALUE', message: `scope (column ${columnName} in table ${table}) must not be empty`, ...where, at: positions.valueAt(pointer) };
  }
  return { code: 'RULES_INVALID_VALUE', message: `${path.join('.') || 'the rules file'} ${error.message}`, ...where, at: positions.valueAt(pointer) };
}

/** A table key as findings name it: canonical when it can be read, as written otherwise. */
function tableLabel(key: string): string {
  const parsed = parseTableKey(key);
  return isTableKeyError(parsed) ? key : tableKey(parsed.schema, parsed.name);
}
