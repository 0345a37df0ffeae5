import type { Finding } from '../../config/finding.js';
import type { Rules } from '../../config/rules.js';
import { PgmaskError } from '../../errors.js';
import { buildTransform } from '../../masking/build-transform.js';
import type { MaskingSession } from '../../masking/masking-session.js';

/**
 * Builds every rule of a rules file once, as a run builds it, so that what a rule needs beyond
 * the file (Skatteverket's test lists, a `pool_file`) is found missing before a byte is
 * written. Each rule that cannot be built is an error finding at its position. What a rule
 * loads stays in the session, so a run that goes on loads it once.
 */
export function checkDataNeeds(rules: Rules, masking: MaskingSession): Finding[] {
  const findings: Finding[] = [];
  for (const [table, entry] of rules.tables) {
    if (entry.skip) continue;
    for (const rule of entry.columns.values()) {
      if (rule.transform === 'keep') continue;
      try {
        buildTransform(masking, rule, { table, column: rule.column });
      } catch (error) {
        if (!(error instanceof PgmaskError)) throw error;
        findings.push({ severity: 'error', code: error.code, message: error.message, table, column: rule.column, file: rule.position });
      }
    }
  }
  return findings;
}
