import { buildTransform, type MaskingSession } from '../transformers/build-transform.js';
import type { TablePlan } from './plan.js';
import { RowMasker } from './row-masker.js';

/** The row masker of a planned table, or undefined when no column of it is masked. */
export function tableMasker(plan: TablePlan, masking: MaskingSession): RowMasker | undefined {
  if (plan.masked.size === 0) return undefined;
  const names = plan.columns.map((c) => c.name);
  const masked = plan.columns
    .filter((column) => plan.masked.has(column.name))
    .map((column) => {
      const rule = plan.masked.get(column.name)!;
      return {
        name: column.name,
        index: names.indexOf(column.name),
        transform: buildTransform(
          masking,
          { transform: rule.transform, options: rule.options, unique: rule.unique, ...(rule.scope !== undefined ? { scope: rule.scope } : {}) },
          { table: plan.key, column: column.name, family: column.family, elementFamily: column.elementFamily, type: column.type, maxLength: column.maxLength },
        ),
      };
    });
  return new RowMasker(plan.key, names, masked);
}
