import { isTableKeyError, parseTableKey, tableKey } from '../catalog/table-key.js';
import type { FilePosition } from '../errors.js';
import type { Finding } from './finding.js';
import type { ChildRule, NullOutside, SubsetRoot, SubsetRules, VirtualKey } from './rules.js';
import { pointerOf } from './yaml-tree.js';

/** What `parseSubset` needs of the rules parser: where values sit, and where findings go. */
export interface SubsetParseContext {
  add(finding: Omit<Finding, 'file'>, at: FilePosition): void;
  keyAt(pointer: string): FilePosition;
  valueAt(pointer: string): FilePosition;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const number = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
const strings = (value: unknown): string[] => list(value).filter((v): v is string => typeof v === 'string');

/**
 * Reads a table name of `subset:` as a key of `tables:` is read (`parseTableKey`: SQL's
 * quoting and folding), to `tableKey`'s form; a name that cannot be read is an error finding.
 */
export function subsetTableName(name: string, at: FilePosition, context: Pick<SubsetParseContext, 'add'>): string | undefined {
  const parsed = parseTableKey(name);
  if (isTableKeyError(parsed)) {
    context.add({ severity: 'error', code: 'RULES_TABLE_KEY', message: `cannot read the table name '${name}': ${parsed.error}` }, at);
    return undefined;
  }
  const canonical = tableKey(parsed.schema, parsed.name);
  if (parsed.folded.length > 0) {
    const names = parsed.folded.map((raw) => `${raw} as ${raw.toLowerCase()}`).join(' and ');
    context.add(
      {
        severity: 'warning',
        code: 'RULES_TABLE_KEY_FOLDED',
        message: `unquoted names are folded to lower case as in SQL, so this name reads ${names}; put a name in double quotes if it has capitals`,
        table: canonical,
      },
      at,
    );
  }
  return canonical;
}

/**
 * Reads the `subset:` section (already checked against the schema: values of the wrong shape
 * are left out here, the schema's findings name them), and checks what needs no database:
 * virtual keys' names are unique and their column lists of the same length, no table is both
 * whole and empty, no root is a table left empty.
 */
export function parseSubset(value: Record<string, unknown>, context: SubsetParseContext): SubsetRules | undefined {
  const at = (...path: (string | number)[]): FilePosition => context.valueAt(pointerOf(['subset', ...path.map(String)]));
  const table = (name: unknown, ...path: (string | number)[]): string | undefined =>
    typeof name === 'string' && name !== '' ? subsetTableName(name, at(...path), context) : undefined;

  const roots: SubsetRoot[] = [];
  list(value['roots']).forEach((root, i) => {
    if (!isObject(root)) return;
    const name = table(root['table'], 'roots', i, 'table');
    if (name === undefined) return;
    roots.push({ table: name, where: text(root['where']), limit: number(root['limit']), percent: number(root['percent']), position: at('roots', i) });
  });

  let children: SubsetRules['children'] = 'none';
  if (value['children'] === 'all') children = 'all';
  else if (Array.isArray(value['children'])) {
    const rules: ChildRule[] = [];
    value['children'].forEach((child, i) => {
      if (!isObject(child) || typeof child['foreign_key'] !== 'string') return;
      const name = table(child['table'], 'children', i, 'table');
      if (name === undefined) return;
      rules.push({ foreignKey: child['foreign_key'], table: name, limitPerParent: number(child['limit_per_parent']), position: at('children', i) });
    });
    children = rules;
  }

  const virtualKeys: VirtualKey[] = [];
  const keyNames = new Map<string, FilePosition>();
  list(value['virtual_keys']).forEach((key, i) => {
    if (!isObject(key) || typeof key['name'] !== 'string') return;
    const name = key['name'];
    const earlier = keyNames.get(name);
    if (earlier) {
      context.add(
        {
          severity: 'error',
          code: 'RULES_SUBSET_DUPLICATE_KEY_NAME',
          message: `a virtual key named ${name} is already defined at line ${earlier.line}; give each virtual key its own name`,
        },
        at('virtual_keys', i, 'name'),
      );
      return;
    }
    keyNames.set(name, at('virtual_keys', i, 'name'));
    const from = table(key['table'], 'virtual_keys', i, 'table');
    const to = table(key['references'], 'virtual_keys', i, 'references');
    if (from === undefined || to === undefined) return;
    const columns = strings(key['columns']);
    const referencedColumns = Array.isArray(key['referenced_columns']) ? strings(key['referenced_columns']) : undefined;
    if (referencedColumns && referencedColumns.length !== columns.length) {
      context.add(
        {
          severity: 'error',
          code: 'RULES_SUBSET_KEY_COLUMNS',
          message: `virtual key ${name} has ${columns.length} column${columns.length === 1 ? '' : 's'} but ${referencedColumns.length} referenced column${referencedColumns.length === 1 ? '' : 's'}; list as many of each, in matching order`,
          table: from,
        },
        at('virtual_keys', i, 'referenced_columns'),
      );
      return;
    }
    virtualKeys.push({ name, table: from, columns, references: to, referencedColumns, where: text(key['where']), position: at('virtual_keys', i) });
  });

  const tableList = (key: 'whole' | 'empty'): Map<string, FilePosition> => {
    const found = new Map<string, FilePosition>();
    list(value[key]).forEach((name, i) => {
      const canonical = table(name, key, i);
      if (canonical !== undefined && !found.has(canonical)) found.set(canonical, at(key, i));
    });
    return found;
  };
  const wholeAt = tableList('whole');
  const emptyAt = tableList('empty');
  for (const [name, position] of emptyAt) {
    const whole = wholeAt.get(name);
    if (whole) {
      context.add(
        {
          severity: 'error',
          code: 'RULES_SUBSET_WHOLE_AND_EMPTY',
          message: `table ${name} is both in whole: (line ${whole.line}) and in empty:; a table is copied whole or left empty, not both: remove one`,
          table: name,
        },
        position,
      );
    }
  }
  for (const root of roots) {
    if (!emptyAt.has(root.table)) continue;
    context.add(
      {
        severity: 'error',
        code: 'RULES_SUBSET_EMPTY_ROOT',
        message: `table ${root.table} is a root of the subset but is listed in empty: (line ${emptyAt.get(root.table)!.line}), which leaves it without rows; remove one of the two`,
        table: root.table,
      },
      root.position,
    );
  }

  const nullOutside: NullOutside[] = [];
  list(value['null_outside']).forEach((entry, i) => {
    if (!isObject(entry) || typeof entry['foreign_key'] !== 'string') return;
    const name = table(entry['table'], 'null_outside', i, 'table');
    if (name !== undefined) nullOutside.push({ table: name, foreignKey: entry['foreign_key'], position: at('null_outside', i) });
  });

  return {
    roots,
    children,
    virtualKeys,
    whole: [...wholeAt.keys()],
    empty: [...emptyAt.keys()],
    wholeAt,
    emptyAt,
    nullOutside,
    position: context.keyAt('/subset'),
  };
}
