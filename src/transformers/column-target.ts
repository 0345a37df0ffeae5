import type { Column } from '../catalog/types.js';
import type { ColumnTarget } from './transformer.js';

/** What a transformer knows of a catalog column of a table (`tableKey`). */
export const columnTarget = (table: string, column: Column): ColumnTarget => ({
  table,
  column: column.name,
  family: column.family,
  elementFamily: column.elementFamily,
  type: column.type,
  maxLength: column.maxLength,
});
