import { readCatalog } from '../../catalog/read-catalog.js';
import type { Catalog } from '../../catalog/types.js';
import { hasErrors } from '../../config/finding.js';
import type { Rules } from '../../config/rules.js';
import type { Session } from '../../db/connection.js';
import { createMaskingSession, type MaskingSession } from '../../masking/masking-session.js';
import type { RowMasker } from '../../masking/row-masker.js';
import { type MaskedRule, tableMasker } from '../../masking/table-masker.js';
import type { MaskingKey } from '../../random/key.js';
import { checkDataNeeds } from '../checks/check-data-needs.js';
import { checkRules } from '../checks/check-rules.js';
import { RulesRejectedError } from '../checks/rules-rejected-error.js';
import { planTables, type TablePlan } from './table-plan.js';

/** Everything decided before a byte moves: the catalog, the checked rules, the plan, the maskers. */
export interface Prepared {
  readonly catalog: Catalog;
  readonly plans: readonly TablePlan[];
  readonly masking: MaskingSession;
  /** One masker per copied table (undefined where nothing is masked). */
  readonly maskers: ReadonlyMap<string, RowMasker<MaskedRule> | undefined>;
  /** Findings below error severity, for the report. */
  readonly warnings: readonly { readonly code: string; readonly message: string }[];
}

/**
 * Reads the source catalog, checks the rules against it and that the data they need is there
 * (fail closed: any error finding stops the run), plans the tables and builds every transformer.
 */
export async function prepare(
  source: Session,
  options: { readonly rules: Rules; readonly key: MaskingKey; readonly env: NodeJS.ProcessEnv; readonly testdataDir?: string | undefined },
): Promise<Prepared> {
  const catalog = await readCatalog(source);
  const masking = createMaskingSession({ key: options.key, env: options.env, ...(options.testdataDir ? { testdataDir: options.testdataDir } : {}) });
  const findings = checkRules(options.rules, catalog);
  if (!hasErrors(findings)) findings.push(...checkDataNeeds(options.rules, masking));
  if (hasErrors(findings)) throw new RulesRejectedError(findings);
  const plans = planTables(options.rules, catalog);
  const maskers = new Map(plans.filter((p) => !p.skip).map((p) => [p.key, tableMasker(p, masking)]));
  return { catalog, plans, masking, maskers, warnings: findings.map((f) => ({ code: f.code, message: f.message })) };
}
