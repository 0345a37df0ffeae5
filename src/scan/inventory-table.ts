import type { PiiKind } from './pii-kind.js';

/** A personal column in the inventory: what it holds and what the final rules do with it. */
export interface InventoryColumn {
  readonly column: string;
  readonly kind: PiiKind;
  /** The transformer that applies in the final rules; `keep` means the column is copied unchanged. */
  readonly transform: string;
  /** Why a person should look at this column; undefined when the scan is sure. */
  readonly review?: string;
}

/** A table in the inventory: its key, its rows and its personal columns. */
export interface InventoryTable {
  readonly key: string;
  readonly rows: number;
  /** The personal columns only (none for a table without personal data found). */
  readonly columns: readonly InventoryColumn[];
}
