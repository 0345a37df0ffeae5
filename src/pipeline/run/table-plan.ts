import { sqlIdent } from '../../catalog/names.js';
import { tableKey } from '../../catalog/table-key.js';
import type { Catalog, Column, Table } from '../../catalog/types.js';
import type { ColumnRule, Rules, TableRule } from '../../config/rules.js';

/** One table's copy: what is read, what is masked, where it is written. */
export interface TablePlan {
  /** `schema.table`, as rules and reports name it. */
  readonly key: string;
  readonly table: Table;
  /** Columns read and written, in attnum order; generated columns are left out. */
  readonly columns: readonly Column[];
  /** The rule of each copied column that is masked (keep rules are left out). */
  readonly masked: ReadonlyMap<string, ColumnRule>;
  /** The transformer name of every copied column, for the report (`keep` where no rule masks it). */
  readonly transforms: Readonly<Record<string, string>>;
  /** No rows: `skip: true`. */
  readonly skip: boolean;
  /** Where rows are loaded: the table itself, or the partition root when a rule masks the partition key. */
  readonly loadInto: string;
  /** `COPY ... TO STDOUT` on the source. */
  readonly copyOutSql: string;
  /** `COPY ... FROM STDIN` on the target. */
  readonly copyInSql: string;
}

/** The rule of a table, or of the partitioned table it is a partition of (rules on a root cover its leaves). */
export function tableRuleFor(rules: Rules, catalog: Catalog, table: Table): TableRule | undefined {
  const own = rules.tables.get(tableKey(table.schema, table.name));
  if (own || !table.partitionOf) return own;
  const parent = catalog.tables.find((t) => t.sqlName === table.partitionOf || tableKey(t.schema, t.name) === table.partitionOf);
  return parent ? tableRuleFor(rules, catalog, parent) : undefined;
}

function partitionRoot(catalog: Catalog, table: Table): Table {
  let current = table;
  for (;;) {
    const parentName = current.partitionOf;
    const parent = parentName && catalog.tables.find((t) => t.sqlName === parentName || tableKey(t.schema, t.name) === parentName);
    if (!parent) return current;
    current = parent;
  }
}

/**
 * Plans every table that holds rows: ordinary tables, leaf partitions and inheritance
 * children, each once; partitioned parents and foreign tables hold none of their own.
 * Largest first, so that parallel workers finish together.
 */
export function planTables(rules: Rules, catalog: Catalog): TablePlan[] {
  const plans: TablePlan[] = [];
  for (const table of catalog.tables) {
    if (table.kind !== 'table') continue;
    const rule = tableRuleFor(rules, catalog, table);
    const columns = table.columns.filter((c) => !c.generated);
    const masked = new Map<string, ColumnRule>();
    const transforms: Record<string, string> = {};
    for (const column of columns) {
      const columnRule = rule?.columns.get(column.name);
      transforms[column.name] = columnRule?.transform ?? 'keep';
      if (columnRule && columnRule.transform !== 'keep') masked.set(column.name, columnRule);
    }
    const root = partitionRoot(catalog, table);
    const masksPartitionKey = root !== table && root.partitionKey.some((c) => masked.has(c));
    const loadInto = masksPartitionKey ? root.sqlName : table.sqlName;
    // A table without columns is copied with no column list: COPY accepts no empty one.
    const list = columns.length ? ` (${columns.map((c) => sqlIdent(c.name)).join(', ')})` : '';
    plans.push({
      key: tableKey(table.schema, table.name),
      table,
      columns,
      masked,
      transforms,
      skip: rule?.skip ?? false,
      loadInto,
      copyOutSql: `COPY ${table.sqlName}${list} TO STDOUT`,
      copyInSql: `COPY ${loadInto}${list} FROM STDIN`,
    });
  }
  return plans.sort((a, b) => b.table.bytes - a.table.bytes || a.key.localeCompare(b.key));
}
