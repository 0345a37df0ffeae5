import type { Column } from '../catalog/types.js';
import { findTransformer, rowColumns, ruleReads } from '../transformers/registry.js';
import type { ColumnTarget, RuleSpec } from '../transformers/transformer.js';
import { buildTransform, keepsState } from './build-transform.js';
import type { MaskingSession } from './masking-session.js';
import { type MaskedColumn, RowMasker } from './row-masker.js';

/** A masked column with what it was built from: enough to build it again on another thread. */
export interface MaskedRule extends MaskedColumn {
  readonly spec: RuleSpec;
  readonly target: Partial<ColumnTarget>;
  /** Other columns of the row its rule reads. */
  readonly reads: readonly string[];
  /** Whether it keeps run-wide state that follows row order (`unique: true`). */
  readonly ordered: boolean;
}

/** What `tableMasker` needs of a table: its key, its columns in COPY order, and the rule of each masked one. */
export interface MaskedTable {
  readonly key: string;
  readonly columns: readonly Pick<Column, 'name' | 'family' | 'elementFamily' | 'type' | 'maxLength'>[];
  readonly masked: ReadonlyMap<string, RuleSpec>;
}

/** Builds one masked column from its rule. */
export function maskedRule(masking: MaskingSession, index: number, rule: RuleSpec, target: Partial<ColumnTarget> & { table: string; column: string }): MaskedRule {
  const spec: RuleSpec = { transform: rule.transform, options: rule.options, unique: rule.unique ?? false, ...(rule.scope !== undefined ? { scope: rule.scope } : {}) };
  const transform = buildTransform(masking, spec, target);
  return { name: target.column, index, transform, spec, target, reads: ruleReads(rule, findTransformer, target), ordered: keepsState(transform) };
}

/** The row masker of a table, or undefined when no column of it is masked. */
export function tableMasker(plan: MaskedTable, masking: MaskingSession): RowMasker<MaskedRule> | undefined {
  if (plan.masked.size === 0) return undefined;
  const names = plan.columns.map((c) => c.name);
  const row = rowColumns(plan.masked);
  const masked = plan.columns
    .filter((column) => plan.masked.has(column.name))
    .map((column) =>
      maskedRule(masking, names.indexOf(column.name), plan.masked.get(column.name)!, {
        table: plan.key,
        column: column.name,
        family: column.family,
        elementFamily: column.elementFamily,
        type: column.type,
        maxLength: column.maxLength,
        row,
      }),
    );
  return new RowMasker<MaskedRule>(plan.key, names, masked);
}
