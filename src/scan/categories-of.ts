import type { InventoryColumn } from './inventory-table.js';
import { PII_CATEGORY, type PiiCategory } from './pii-kind.js';

/** The inventory's categories in the order it lists them. */
export const CATEGORY_ORDER: readonly PiiCategory[] = ['identity numbers', 'names', 'contact', 'address', 'financial', 'network', 'free text'];

/** The categories of a table's personal columns, each once, in `CATEGORY_ORDER`. */
export function categoriesOf(columns: readonly InventoryColumn[]): PiiCategory[] {
  const present = new Set(columns.map((c) => PII_CATEGORY[c.kind]));
  return CATEGORY_ORDER.filter((category) => present.has(category));
}
