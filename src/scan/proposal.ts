import type { PiiKind } from './pii-kind.js';

/** A rule `scan` proposes for one column: `{ transform: 'keep' }` for a column that holds nothing personal. */
export interface ProposedRule {
  readonly transform: string;
  /** The transformer's own options (`from`, `sex_from`, `paths`, `element`, …). */
  readonly options?: Readonly<Record<string, unknown>>;
  readonly unique?: boolean;
}

/** What `scan` decided for one column, and why. No sampled value is ever held here. */
export interface ColumnProposal {
  readonly column: string;
  readonly rule: ProposedRule;
  /** The kind of personal data the column holds; undefined when it holds none found. */
  readonly kind: PiiKind | undefined;
  /**
   * The evidence as phrases of names and counts only, e.g. `name "email"`,
   * `1,000 of 1,000 sampled values are e-mail addresses`, `references public.customers(email)`.
   */
  readonly evidence: readonly string[];
  /** Why the scan is unsure and a person should look; undefined when sure. */
  readonly review: string | undefined;
}

/** What `scan` decided for one table: its entry in the rules file. */
export interface TableProposal {
  readonly schema: string;
  readonly name: string;
  /** `tableKey(schema, name)`: the key under `tables:`. */
  readonly key: string;
  /** Rows in the table (the planner's estimate for large tables, counted for small ones). */
  readonly rows: number;
  /** Every column that needs a rule, in the table's column order. */
  readonly columns: readonly ColumnProposal[];
}
