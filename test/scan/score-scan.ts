import type { PiiKind } from '../../src/scan/pii-kind.js';
import type { ColumnProposal, TableProposal } from '../../src/scan/proposal.js';

/** A column's truth: the kind of personal data it holds, or null. */
export interface Label {
  readonly table: string;
  readonly column: string;
  readonly kind: PiiKind | null;
}

/** How a scan's proposals score against labels: a column counts as found when its rule masks it. */
export interface Score {
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  readonly trueNegatives: number;
  readonly recall: number;
  readonly precision: number;
  /** Of the columns found, those whose kind is the label's. */
  readonly rightKind: number;
  /** Labels of columns that scan proposed no rule for. */
  readonly unproposed: readonly string[];
  /** `table.column` of the misses and false alarms, for a failing test's message. */
  readonly misses: readonly string[];
  readonly falseAlarms: readonly string[];
}

/** Scores proposals against labels: recall (a miss is a leak) and precision (a false alarm masks what need not be). */
export function scoreScan(tables: readonly TableProposal[], labels: readonly Label[]): Score {
  const proposals = new Map<string, ColumnProposal>(tables.flatMap((t) => t.columns.map((c) => [`${t.key}.${c.column}`, c] as const)));
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  let rightKind = 0;
  const unproposed: string[] = [];
  const misses: string[] = [];
  const falseAlarms: string[] = [];
  for (const label of labels) {
    const name = `${label.table}.${label.column}`;
    const proposal = proposals.get(name);
    if (!proposal) {
      unproposed.push(name);
      continue;
    }
    const masked = proposal.rule.transform !== 'keep';
    if (label.kind && masked) {
      tp++;
      if (proposal.kind === label.kind) rightKind++;
    } else if (label.kind) {
      fn++;
      misses.push(`${name} (${label.kind})`);
    } else if (masked) {
      fp++;
      falseAlarms.push(`${name} (${proposal.rule.transform})`);
    } else tn++;
  }
  return {
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    trueNegatives: tn,
    recall: tp / (tp + fn),
    precision: tp / (tp + fp),
    rightKind,
    unproposed,
    misses,
    falseAlarms,
  };
}
