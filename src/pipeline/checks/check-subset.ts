/**
 * The checks of a rules file's `subset:` section against a live catalog (called by
 * `checkRules`): every table, foreign key and column it names exists, virtual keys reference a
 * primary or unique key with columns of the same kinds, `null_outside:` names nullable
 * references, and roots are not skipped, whole or empty. Predicates (`where:`) are checked
 * apart, by running EXPLAIN in the source (`explainSubsetPredicates`).
 */
import { quoteIdent } from '../../catalog/names.js';
import { tableKey } from '../../catalog/table-key.js';
import type { Catalog, Column, Table } from '../../catalog/types.js';
import type { Finding } from '../../config/finding.js';
import type { SubsetRules, TableRule, VirtualKey } from '../../config/rules.js';
import { didYouMean } from '../../config/suggest.js';
import type { FilePosition } from '../../errors.js';

/** What the subset checks need of the rules checker. */
export interface SubsetCheckContext {
  readonly catalog: Catalog;
  /** The catalog's tables by `tableKey`. */
  readonly tables: ReadonlyMap<string, Table>;
  /** The entry of `tables:` whose rules apply to a table (its own, else its nearest partitioned ancestor's). */
  effective(table: Table): { key: string; entry: TableRule } | undefined;
  add(finding: Finding): void;
}

/** Type families whose values compare with `=` across families. */
const NUMBERS = new Set(['integer', 'numeric']);

/** Checks `subset:` against the catalog, adding findings through `context.add`. */
export function checkSubset(subset: SubsetRules, context: SubsetCheckContext): void {
  new SubsetChecker(subset, context).check();
}

class SubsetChecker {
  private readonly virtualKeys: ReadonlyMap<string, VirtualKey>;

  constructor(
    private readonly subset: SubsetRules,
    private readonly context: SubsetCheckContext,
  ) {
    this.virtualKeys = new Map(subset.virtualKeys.map((k) => [k.name, k]));
  }

  check(): void {
    const { subset } = this;
    for (const root of subset.roots) {
      const table = this.table(root.table, root.position, 'subset.roots');
      if (table) this.checkRoot(table, root.table, root.position);
    }
    if (subset.children !== 'all' && subset.children !== 'none') {
      for (const child of subset.children) {
        const table = this.table(child.table, child.position, 'subset.children');
        if (table) this.reference(table, child.table, child.foreignKey, child.position, 'subset.children');
      }
    }
    for (const key of subset.virtualKeys) this.checkVirtualKey(key);
    for (const [name, position] of subset.wholeAt) this.table(name, position, 'subset.whole');
    for (const [name, position] of subset.emptyAt) this.table(name, position, 'subset.empty');
    for (const entry of subset.nullOutside) {
      const table = this.table(entry.table, entry.position, 'subset.null_outside');
      if (!table) continue;
      const columns = this.reference(table, entry.table, entry.foreignKey, entry.position, 'subset.null_outside');
      for (const column of columns ?? []) {
        if (!column.notNull) continue;
        this.context.add({
          severity: 'error',
          code: 'SUBSET_NULL_OUTSIDE_NOT_NULL',
          message: `${entry.foreignKey} of ${entry.table} cannot be written NULL: its column ${quoteIdent(column.name)} is NOT NULL; remove it from subset.null_outside so that the parent row is followed (pulled into the subset) instead`,
          table: entry.table,
          column: column.name,
          file: entry.position,
        });
      }
    }
  }

  /** The catalog table a name of `subset:` names, or a SUBSET_TABLE_NOT_FOUND finding. */
  private table(key: string, file: FilePosition, where: string): Table | undefined {
    const table = this.context.tables.get(key);
    if (table) return table;
    const view = this.context.catalog.views.find((v) => tableKey(v.schema, v.name) === key);
    const message = view
      ? `${key} (in ${where}) is a ${view.materialized ? 'materialized view' : 'view'}: a view holds no rows of its own to select; name a table`
      : `table ${key} (in ${where}) does not exist in the source database${didYouMean(key, this.context.tables.keys(), (s) => s)}`;
    this.context.add({ severity: 'error', code: 'SUBSET_TABLE_NOT_FOUND', message, table: key, file });
    return undefined;
  }

  /** A table's partition ancestors, nearest first. */
  private ancestors(table: Table): Table[] {
    const out: Table[] = [];
    let current = table.partitionOf ? this.context.tables.get(table.partitionOf) : undefined;
    for (let depth = 0; current && depth < 64; depth++) {
      out.push(current);
      current = current.partitionOf ? this.context.tables.get(current.partitionOf) : undefined;
    }
    return out;
  }

  /** The table or a partition ancestor or descendant of it listed in `keys`, if any. */
  private related(table: Table, key: string, keys: ReadonlyMap<string, FilePosition>): string | undefined {
    if (keys.has(key)) return key;
    const above = this.ancestors(table).find((t) => keys.has(tableKey(t.schema, t.name)));
    if (above) return tableKey(above.schema, above.name);
    for (const other of keys.keys()) {
      const below = this.context.tables.get(other);
      if (below && this.ancestors(below).includes(table)) return other;
    }
    return undefined;
  }

  private checkRoot(table: Table, key: string, file: FilePosition): void {
    const found = this.context.effective(table);
    if (found?.entry.skip) {
      this.context.add({
        severity: 'warning',
        code: 'SUBSET_ROOT_SKIPPED',
        message: `${key} is a root of the subset, but ${found.key === key ? 'it has' : `the entry of ${found.key} gives it`} skip: true under tables:, so none of its rows are copied (and the rows they reference are selected for nothing); remove the skip or the root`,
        table: key,
        file,
      });
    }
    for (const [list, keys, code] of [
      ['whole', this.subset.wholeAt, 'SUBSET_ROOT_WHOLE'],
      ['empty', this.subset.emptyAt, 'SUBSET_ROOT_EMPTY'],
    ] as const) {
      const other = this.related(table, key, keys);
      if (other === undefined) continue;
      const same =
        other === key
          ? `it is also listed in subset.${list}`
          : `${other}, listed in subset.${list}, is ${this.ancestors(table).some((t) => tableKey(t.schema, t.name) === other) ? 'a partitioned table it belongs to' : 'one of its partitions'}`;
      const why = list === 'whole' ? 'a whole table has all its rows selected, so its where:, limit and percent would mean nothing' : 'an empty table has no rows to start from';
      this.context.add({ severity: 'error', code, message: `${key} is a root of the subset, but ${same}: ${why}; remove one of the two`, table: key, file });
    }
  }

  /**
   * The referencing columns of a foreign key or virtual key named on a table (for `children:`
   * and `null_outside:`), or a SUBSET_FOREIGN_KEY_NOT_FOUND finding.
   */
  private reference(table: Table, key: string, name: string, file: FilePosition, where: string): Column[] | undefined {
    const columnsOf = (names: readonly string[]): Column[] => names.map((n) => table.columns.find((c) => c.name === n)).filter((c): c is Column => c !== undefined);
    const fk = table.foreignKeys.find((k) => k.name === name);
    if (fk) return columnsOf(fk.columns);
    const virtual = this.virtualKeys.get(name);
    if (virtual?.table === key) return columnsOf(virtual.columns);
    const candidates = [...table.foreignKeys.map((k) => k.name), ...this.subset.virtualKeys.filter((k) => k.table === key).map((k) => k.name)];
    const near = didYouMean(name, candidates, quoteIdent);
    const elsewhere = virtual ? `; virtual key ${name} is a reference of ${virtual.table}, not of ${key}` : '';
    const known = candidates.length > 0 ? `; its foreign keys are ${candidates.slice(0, 10).map(quoteIdent).join(', ')}` : '; it has no foreign key (a virtual key can add one)';
    this.context.add({
      severity: 'error',
      code: 'SUBSET_FOREIGN_KEY_NOT_FOUND',
      message: `table ${key} has no foreign key ${quoteIdent(name)} (in ${where})${near}${elsewhere || (near ? '' : known)}`,
      table: key,
      file,
    });
    return undefined;
  }

  private checkVirtualKey(key: VirtualKey): void {
    const from = this.table(key.table, key.position, `virtual key ${key.name} of subset.virtual_keys`);
    const to = this.table(key.references, key.position, `virtual key ${key.name} of subset.virtual_keys`);
    if (!from || !to) return;
    const fromColumns = this.columns(from, key.table, key.columns, key);
    const referenced = key.referencedColumns ?? to.primaryKey;
    if (!referenced) {
      this.context.add({
        severity: 'error',
        code: 'SUBSET_KEY_NO_PRIMARY_KEY',
        message: `virtual key ${key.name} names no referenced_columns, and ${key.references} has no primary key; list referenced_columns (a unique key of ${key.references})`,
        table: key.references,
        file: key.position,
      });
      return;
    }
    const toColumns = this.columns(to, key.references, referenced, key);
    if (!fromColumns || !toColumns) return;
    if (fromColumns.length !== toColumns.length) {
      this.context.add({
        severity: 'error',
        code: 'SUBSET_KEY_COLUMN_COUNT',
        message: `virtual key ${key.name} has ${fromColumns.length} column${fromColumns.length === 1 ? '' : 's'}, but the primary key of ${key.references} has ${toColumns.length} (${toColumns.map((c) => quoteIdent(c.name)).join(', ')}); list as many columns, or name referenced_columns`,
        table: key.table,
        file: key.position,
      });
      return;
    }
    fromColumns.forEach((column, i) => {
      const other = toColumns[i]!;
      if (comparable(column, other)) return;
      this.context.add({
        severity: 'error',
        code: 'SUBSET_KEY_TYPE_MISMATCH',
        message: `virtual key ${key.name}: ${key.table}.${quoteIdent(column.name)} is ${column.type} (${column.family}) but ${key.references}.${quoteIdent(other.name)} is ${other.type} (${other.family}); a reference joins columns of the same kind`,
        table: key.table,
        column: column.name,
        file: key.position,
      });
    });
    const sameSet = (cols: readonly string[]): boolean => cols.length === referenced.length && cols.every((c) => referenced.includes(c));
    if (!(to.primaryKey && sameSet(to.primaryKey)) && !to.uniqueKeys.some(sameSet)) {
      this.context.add({
        severity: 'error',
        code: 'SUBSET_KEY_NOT_UNIQUE',
        message: `virtual key ${key.name} references (${referenced.map(quoteIdent).join(', ')}) of ${key.references}, which is neither its primary key nor a unique key: a reference must point at one row; reference a primary or unique key`,
        table: key.references,
        file: key.position,
      });
    }
  }

  /** The named columns of a table, or undefined with a SUBSET_COLUMN_NOT_FOUND finding per missing one. */
  private columns(table: Table, key: string, names: readonly string[], virtual: VirtualKey): Column[] | undefined {
    const found: Column[] = [];
    let missing = false;
    for (const name of names) {
      const column = table.columns.find((c) => c.name === name);
      if (column) {
        found.push(column);
        continue;
      }
      missing = true;
      this.context.add({
        severity: 'error',
        code: 'SUBSET_COLUMN_NOT_FOUND',
        message: `virtual key ${virtual.name}: table ${key} has no column ${quoteIdent(name)}${didYouMean(
          name,
          table.columns.map((c) => c.name),
          quoteIdent,
        )}`,
        table: key,
        column: name,
        file: virtual.position,
      });
    }
    return missing ? undefined : found;
  }
}

/** Whether values of two columns compare with `=` as a reference needs: the same type family (the same type for enums, arrays and others). */
function comparable(a: Column, b: Column): boolean {
  if (NUMBERS.has(a.family) && NUMBERS.has(b.family)) return true;
  if (a.family !== b.family) return false;
  if (a.family === 'enum' || a.family === 'other' || a.family === 'array') return a.baseType === b.baseType;
  return true;
}
