import { categoriesOf } from './categories-of.js';
import type { InventoryTable } from './inventory-table.js';
import { PII_CATEGORY, type PiiCategory, type PiiKind } from './pii-kind.js';

/** The inventory as plain data, for `--json`. */
export interface InventoryJson {
  readonly summary: {
    readonly tables: number;
    readonly tablesWithPersonalData: number;
    readonly personalColumns: number;
    /** Personal columns the rules copy unchanged (`keep`). */
    readonly keptUnmasked: number;
    readonly toReview: number;
  };
  readonly tables: readonly {
    readonly table: string;
    readonly rows: number;
    readonly categories: readonly PiiCategory[];
    readonly columns: readonly {
      readonly column: string;
      readonly kind: PiiKind;
      readonly category: PiiCategory;
      readonly transform: string;
      readonly review?: string;
    }[];
  }[];
}

/**
 * The inventory as a plain object (`pgmask scan --inventory --json`): a summary and, per table
 * in the given order, its rows, categories and personal columns. Names and counts only.
 */
export function inventoryJson(tables: readonly InventoryTable[]): InventoryJson {
  const columns = tables.flatMap((t) => t.columns);
  return {
    summary: {
      tables: tables.length,
      tablesWithPersonalData: tables.filter((t) => t.columns.length > 0).length,
      personalColumns: columns.length,
      keptUnmasked: columns.filter((c) => c.transform === 'keep').length,
      toReview: columns.filter((c) => c.review !== undefined).length,
    },
    tables: tables.map((t) => ({
      table: t.key,
      rows: t.rows,
      categories: categoriesOf(t.columns),
      columns: t.columns.map((c) => ({
        column: c.column,
        kind: c.kind,
        category: PII_CATEGORY[c.kind],
        transform: c.transform,
        ...(c.review !== undefined ? { review: c.review } : {}),
      })),
    })),
  };
}
