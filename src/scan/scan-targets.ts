import { tableKey } from '../catalog/table-key.js';
import type { Catalog, Column, Table } from '../catalog/types.js';

/** A table that gets its own entry in the rules file, with what `scan` reads of it. */
export interface ScanTarget {
  readonly table: Table;
  /** `tableKey(schema, name)`. */
  readonly key: string;
  /** The columns that need a rule (generated columns are computed on the target: they need none). */
  readonly columns: readonly Column[];
  /** The columns whose values are sampled: text, json, arrays, and numbers that are not keys. */
  readonly sampled: readonly Column[];
  /** The planner's row estimate, summed over the partitions of a partitioned table (-1 when never analyzed). */
  readonly rowEstimate: number;
  /** Bytes on disk, summed over partitions. */
  readonly bytes: number;
}

/** Whether a number column can hold personal data worth reading: not a key, an identity or a serial. */
function numberWorthReading(table: Table, column: Column): boolean {
  if (column.identity || table.ownedSequences.has(column.name)) return false;
  if (table.primaryKey?.includes(column.name)) return false;
  if (table.foreignKeys.some((fk) => fk.columns.includes(column.name))) return false;
  return true;
}

function worthReading(table: Table, column: Column): boolean {
  switch (column.family) {
    case 'text':
    case 'json':
      return true;
    case 'array':
      return column.elementFamily === 'text' || column.elementFamily === 'json';
    case 'integer':
    case 'numeric':
      return numberWorthReading(table, column);
    default:
      return false;
  }
}

/**
 * The tables a rules file lists, as `validate` looks them up: ordinary tables, inheritance
 * children (each copied on its own) and partitioned tables at the top of their tree (their
 * rules cover every partition). Partitions and foreign tables get no entry.
 */
export function scanTargets(catalog: Catalog): ScanTarget[] {
  const byKey = new Map(catalog.tables.map((t) => [tableKey(t.schema, t.name), t]));
  const rootOf = (table: Table): Table => {
    let current = table;
    for (let depth = 0; current.partitionOf && depth < 64; depth++) {
      const parent = byKey.get(current.partitionOf);
      if (!parent) break;
      current = parent;
    }
    return current;
  };
  const sizes = new Map<Table, { rows: number; bytes: number; analyzed: boolean }>();
  for (const table of catalog.tables) {
    if (table.kind !== 'table') continue;
    const root = rootOf(table);
    const size = sizes.get(root) ?? { rows: 0, bytes: 0, analyzed: true };
    size.rows += Math.max(0, table.rowEstimate);
    size.bytes += table.bytes;
    size.analyzed &&= table.rowEstimate >= 0;
    sizes.set(root, size);
  }
  const targets: ScanTarget[] = [];
  for (const table of catalog.tables) {
    if (table.kind === 'foreign' || table.partitionOf) continue;
    const size = sizes.get(table) ?? { rows: 0, bytes: 0, analyzed: true };
    const columns = table.columns.filter((c) => !c.generated);
    targets.push({
      table,
      key: tableKey(table.schema, table.name),
      columns,
      sampled: columns.filter((c) => worthReading(table, c)),
      rowEstimate: size.analyzed ? size.rows : -1,
      bytes: size.bytes,
    });
  }
  return targets;
}
