import { randomBytes } from 'node:crypto';
import { readCatalog } from '../../catalog/read-catalog.js';
import type { Catalog } from '../../catalog/types.js';
import { type Finding, type FindingSummary, hasErrors, sortFindings, summarize } from '../../config/finding.js';
import { readRulesFile } from '../../config/load-rules.js';
import type { Rules } from '../../config/rules.js';
import { connectionLabel, Session, safeErrorMessage } from '../../db/connection.js';
import { DatabaseError, PgmaskError } from '../../errors.js';
import { createMaskingSession } from '../../masking/masking-session.js';
import { maskingKeyFromBytes } from '../../random/key.js';
import type { AnyTransformer } from '../../transformers/transformer.js';
import { checkDataNeeds } from './check-data-needs.js';
import { checkRules } from './check-rules.js';
import { explainSubsetPredicates } from './explain-subset-predicates.js';

/** Options of `validate`. */
export interface ValidateOptions {
  /** Path of the rules file. */
  readonly rulesFile: string;
  /**
   * Connection string of the source database (URL or key=value; PG* variables fill the gaps,
   * and the empty string means PG* variables alone). Without it, the file alone is checked.
   */
  readonly source?: string | undefined;
  /** Only these schemas of the source. */
  readonly schemas?: readonly string[];
  /** The transformers rules may name; by default the registry's. */
  readonly transformers?: readonly AnyTransformer[];
  /** Folder of the Skatteverket test lists (`--testdata-dir`); see `resolveTestdata`. */
  readonly testdataDir?: string | undefined;
  /** The environment a run would read (PGMASK_TESTDATA_DIR, HOME); default process.env. */
  readonly env?: NodeJS.ProcessEnv;
}

/** What `validate` found. `ok` is false when any finding is an error. */
export interface ValidationResult {
  readonly ok: boolean;
  readonly rulesFile: string;
  /** `user@host:port/database` of the source when one was checked (never a password). */
  readonly source?: string;
  /** Findings ordered by position in the file, then by table and column. */
  readonly findings: readonly Finding[];
  readonly summary: FindingSummary;
  /** The rules, when the file is valid. */
  readonly rules?: Rules;
  /** Tables and views read from the source, when it was checked. */
  readonly checked?: { readonly tables: number; readonly views: number };
}

/**
 * Validates a rules file and checks that the data its rules need is there (Skatteverket's test
 * lists, a `pool_file`: see `checkDataNeeds`), and with a source database checks the rules
 * against its catalog (fail closed: see `checkRules`; the predicates of `subset:` are run
 * through EXPLAIN: see `explainSubsetPredicates`). Problems in the file or the rules are findings; only a
 * database that cannot be reached or read throws.
 *
 * @throws {DatabaseError} when the source cannot be reached or read (exit code 3).
 * @example
 * const result = await validate({ rulesFile: 'rules.yaml', source: 'postgres://app@db/prod' });
 * if (!result.ok) for (const f of result.findings) console.log(formatFinding(f));
 */
export async function validate(options: ValidateOptions): Promise<ValidationResult> {
  const parsed = await readRulesFile(options.rulesFile, options.transformers ? { transformers: options.transformers } : {});
  const findings: Finding[] = [...parsed.findings];
  if (parsed.rules && !options.transformers) {
    // What the rules need beyond the file (the test lists), built as a run builds them (with the
    // registry's transformers: a run knows no others); the key is a throw-away one.
    const masking = createMaskingSession({ key: maskingKeyFromBytes(randomBytes(32), 'validate'), env: options.env ?? process.env, testdataDir: options.testdataDir });
    findings.push(...checkDataNeeds(parsed.rules, masking));
  }
  let source: string | undefined;
  let checked: ValidationResult['checked'];
  if (options.source !== undefined && parsed.rules) {
    const session = await Session.connect(options.source, 'source');
    source = connectionLabel(session.info);
    let catalog: Catalog;
    try {
      await session.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      catalog = await readCatalog(session, options.schemas ? { schemas: options.schemas } : {});
      if (parsed.rules.subset) findings.push(...(await explainSubsetPredicates(session, parsed.rules.subset, catalog)));
      await session.query('COMMIT');
    } catch (error) {
      if (error instanceof PgmaskError) throw error;
      throw new DatabaseError('CATALOG', `cannot read the catalog of the source database ${source}: ${safeErrorMessage(error)}`, { cause: error });
    } finally {
      await session.end();
    }
    checked = { tables: catalog.tables.length, views: catalog.views.length };
    findings.push(...checkRules(parsed.rules, catalog, options.transformers ? { transformers: options.transformers } : {}));
  }
  const sorted = sortFindings(findings);
  return {
    ok: !hasErrors(sorted),
    rulesFile: options.rulesFile,
    ...(source !== undefined ? { source } : {}),
    findings: sorted,
    summary: summarize(sorted),
    ...(parsed.rules ? { rules: parsed.rules } : {}),
    ...(checked ? { checked } : {}),
  };
}
