/**
 * What the schema's errors in a rules file's `subset:` section mean, in words: the section,
 * the entry (`root 2 of subset.roots`) and the key, with the keys that are allowed there.
 */
import type { ErrorObject } from 'ajv/dist/2020.js';
import type { FilePosition } from '../errors.js';
import { CHILD_KEYS, NULL_OUTSIDE_KEYS, ROOT_KEYS, SUBSET_KEYS, VIRTUAL_KEY_KEYS } from './rules-schema.js';
import { didYouMean } from './suggest.js';
import { pointerOf, pointerSegment } from './yaml-tree.js';

/** A schema error of `subset:` as a finding's parts. */
export interface SubsetSchemaError {
  readonly code: string;
  readonly message: string;
  readonly at: FilePosition;
}

/** Where a JSON pointer's key and value sit in the file. */
interface Positions {
  keyAt(pointer: string): FilePosition;
  valueAt(pointer: string): FilePosition;
}

/** What each list of `subset:` holds: a name for one entry, and the keys an entry allows. */
const LISTS: Record<string, { readonly entry: string; readonly keys: readonly string[]; readonly shape: string }> = {
  roots: { entry: 'root', keys: ROOT_KEYS, shape: 'a list of { table, where?, limit? or percent? }' },
  children: { entry: 'child rule', keys: CHILD_KEYS, shape: 'all, none or a list of { foreign_key, table, limit_per_parent? }' },
  virtual_keys: { entry: 'virtual key', keys: VIRTUAL_KEY_KEYS, shape: 'a list of { name, table, columns, references, referenced_columns?, where? }' },
  null_outside: { entry: 'entry', keys: NULL_OUTSIDE_KEYS, shape: 'a list of { table, foreign_key }' },
  whole: { entry: 'table', keys: [], shape: 'a list of table names (schema.table)' },
  empty: { entry: 'table', keys: [], shape: 'a list of table names (schema.table)' },
};

/** `a, b and c`. */
const and = (words: readonly string[]): string => (words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`);

/**
 * A finding's parts for one ajv error under `subset:` (`path` starts with `subset`).
 */
export function subsetSchemaError(error: ErrorObject, path: readonly string[], positions: Positions): SubsetSchemaError {
  const pointer = pointerOf(path);
  const [, list, index, key] = path;
  const known = list !== undefined ? LISTS[list] : undefined;
  /** e.g. `root 2 of subset.roots`. */
  const entry = known && index !== undefined ? `${known.entry} ${Number(index) + 1} of subset.${list}` : undefined;
  const valueAt = positions.valueAt(pointer);
  const invalid = (message: string): SubsetSchemaError => ({ code: 'RULES_INVALID_VALUE', message, at: valueAt });
  const type = (message: string): SubsetSchemaError => ({ code: 'RULES_TYPE', message, at: valueAt });

  if (error.keyword === 'additionalProperties') {
    const extra = String((error.params as { additionalProperty: string }).additionalProperty);
    const at = positions.keyAt(`${pointer}/${pointerSegment(extra)}`);
    if (path.length === 1) {
      return { code: 'RULES_UNKNOWN_KEY', message: `unknown key '${extra}' in subset:${didYouMean(extra, SUBSET_KEYS)}; subset: holds ${and(SUBSET_KEYS)}`, at };
    }
    const keys = known?.keys ?? [];
    return { code: 'RULES_UNKNOWN_KEY', message: `unknown key '${extra}' in ${entry ?? `subset.${list}`}${didYouMean(extra, keys)}; it holds ${and(keys)}`, at };
  }
  if (error.keyword === 'required') {
    const missing = String((error.params as { missingProperty: string }).missingProperty);
    if (path.length === 1) {
      return {
        code: 'RULES_MISSING_KEY',
        message: 'subset: needs roots:, a list of at least one table to start from, e.g. `roots: [{ table: public.customers }]`',
        at: positions.keyAt(pointer),
      };
    }
    return {
      code: 'RULES_MISSING_KEY',
      message: `${entry ?? `subset.${list}`} has no '${missing}'; it needs ${and((known?.keys ?? []).filter((k) => isRequired(list, k)))}`,
      at: valueAt,
    };
  }
  if (list === 'roots' && key === 'percent' && path.length === 4) {
    if (error.keyword === 'false schema') {
      return { code: 'RULES_INVALID_VALUE', message: `${entry} has both limit and percent; a root takes one of them: remove the other`, at: positions.keyAt(pointer) };
    }
    return invalid(`percent of ${entry} must be a number more than 0 and at most 100`);
  }
  if ((list === 'roots' && key === 'limit') || (list === 'children' && key === 'limit_per_parent')) {
    return invalid(`${key} of ${entry} must be a whole number, 1 or more`);
  }
  if (path.length === 1) return type(`subset must be a mapping with roots: and, if needed, ${and(SUBSET_KEYS.slice(1))}`);
  if (list === 'children' && path.length === 2) return invalid(`children must be ${LISTS['children']!.shape}; leave it out for none`);
  if (path.length === 2) {
    if (error.keyword === 'minItems' && list === 'roots') return invalid('subset.roots needs at least one table to start from');
    return type(`subset.${list} must be ${known?.shape ?? 'a list'}`);
  }
  if (path.length === 3) {
    if (list === 'whole' || list === 'empty') {
      return error.keyword === 'minLength' ? invalid(`a table name in subset.${list} is empty`) : type(`subset.${list} holds table names (schema.table), not ${error.message}`);
    }
    // A bare name in children: is most likely a virtual key's: say how to write one.
    if (list === 'children')
      return type(
        `${entry} must be a mapping: { foreign_key: NAME, table: schema.table }, with limit_per_parent if wanted (for a virtual key, its name and its referencing table)`,
      );
    return type(`${entry} must be a mapping with ${and(known?.keys ?? [])}`);
  }
  if (error.keyword === 'minLength') return invalid(`${path.slice(3).join('.')} of ${entry} must not be empty`);
  if (error.keyword === 'minItems') return invalid(`${key} of ${entry} must list at least one column`);
  if (key === 'columns' || key === 'referenced_columns') return type(`${key} of ${entry} must be a list of column names`);
  if (error.keyword === 'type') return type(`${key} of ${entry} must be a string`);
  return invalid(`${path.slice(3).join('.')} of ${entry} ${error.message}`);
}

/** Whether a key of an entry of a `subset:` list is required (for the message of a missing one). */
function isRequired(list: string | undefined, key: string): boolean {
  if (list === 'roots') return key === 'table';
  if (list === 'children') return key === 'foreign_key' || key === 'table';
  if (list === 'virtual_keys') return ['name', 'table', 'columns', 'references'].includes(key);
  return true;
}
