import { readCatalog } from '../../catalog/read-catalog.js';
import type { Catalog } from '../../catalog/types.js';
import { type Finding, sortFindings } from '../../config/finding.js';
import { parseRules } from '../../config/parse-rules.js';
import type { Rules } from '../../config/rules.js';
import { connectionLabel, Session, safeErrorMessage } from '../../db/connection.js';
import { DatabaseError, PgmaskError } from '../../errors.js';
import { completeRules } from '../../scan/complete-rules.js';
import type { InventoryColumn, InventoryTable } from '../../scan/inventory.js';
import type { TableProposal } from '../../scan/proposal.js';
import { proposeTables } from '../../scan/propose-tables.js';
import { sampleTable, type TableSample } from '../../scan/sample-table.js';
import { scanTargets } from '../../scan/scan-targets.js';
import { TRANSFORM_KIND } from '../../scan/transform-kind.js';
import { writeRules } from '../../scan/write-rules.js';
import { checkRules } from '../checks/check-rules.js';

/** Options of `scanDatabase`. */
export interface ScanOptions {
  /** Connection string of the source database (URL or key=value; PG* variables fill the gaps). */
  readonly source: string | undefined;
  /** Only these schemas. */
  readonly schemas?: readonly string[];
  /** An existing rules file to complete (`--rules`): only what it is missing is added. */
  readonly existing?: { readonly text: string; readonly file: string };
  /** Rows sampled per table (default 1,000). */
  readonly sample?: number;
  /** The time written into the file's header; default now. */
  readonly now?: Date;
}

/** What a scan found and wrote. Counts and names only: no sampled value. */
export interface ScanResult {
  /** `user@host:port/database` of the source. */
  readonly source: string;
  readonly tables: readonly TableProposal[];
  /** The rules file: a new one, or the existing one completed. */
  readonly rules: string;
  /** With an existing file: the tables and columns added to it. */
  readonly added: readonly { readonly table: string; readonly column?: string }[] | undefined;
  /** Per table, the personal columns and the rule that masks each in `rules`. */
  readonly inventory: readonly InventoryTable[];
  /** `validate`'s findings for `rules` against the source's catalog. */
  readonly findings: readonly Finding[];
  readonly summary: {
    readonly tables: number;
    readonly columns: number;
    readonly personal: number;
    readonly review: number;
    readonly rowsSampled: number;
    readonly milliseconds: number;
  };
}

/** The inventory: every column the rules mask, and every column the scan found personal, with the rule that applies. */
function inventoryOf(tables: readonly TableProposal[], rules: Rules | undefined): InventoryTable[] {
  return tables.map((table) => {
    const entry = rules?.tables.get(table.key);
    const columns: InventoryColumn[] = [];
    for (const proposal of table.columns) {
      const transform = entry?.skip ? 'skip' : (entry?.columns.get(proposal.column)?.transform ?? 'keep');
      const kind = proposal.kind ?? TRANSFORM_KIND[transform];
      if (!kind) continue;
      columns.push({ column: proposal.column, kind, transform, ...(proposal.review ? { review: proposal.review } : {}) });
    }
    return { key: table.key, rows: table.rows, columns };
  });
}

/**
 * Scans a database for personal data and proposes a rule for every column of every table: reads
 * the catalog and a bounded sample of each table under one snapshot (a read-only repeatable-read
 * transaction), decides each column from its name, comment, type, keys and values, and writes a
 * complete rules file (or completes `existing`, keeping every rule and comment it has). The
 * result is checked as `validate --source` checks it.
 *
 * @throws {DatabaseError} when the source cannot be reached or read (exit code 3).
 * @example
 * const result = await scanDatabase({ source: 'postgres://app@db/prod' });
 * await writeFile('rules.yaml', result.rules);
 */
export async function scanDatabase(options: ScanOptions): Promise<ScanResult> {
  const started = performance.now();
  const size = options.sample ?? 1000;
  const session = await Session.connect(options.source, 'source');
  const source = connectionLabel(session.info);
  let catalog: Catalog;
  const samples = new Map<string, TableSample>();
  let targets: ReturnType<typeof scanTargets>;
  try {
    await session.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    catalog = await readCatalog(session, options.schemas ? { schemas: options.schemas } : {});
    targets = scanTargets(catalog);
    for (const target of targets) {
      samples.set(target.key, await sampleTable(session, target.table, target.sampled, { rows: size, rowEstimate: target.rowEstimate, bytes: target.bytes }));
    }
    await session.query('COMMIT');
  } catch (error) {
    if (error instanceof PgmaskError) throw error;
    throw new DatabaseError('CATALOG', `cannot scan the source database ${source}: ${safeErrorMessage(error)}`, { cause: error });
  } finally {
    await session.end();
  }

  const tables = proposeTables(targets, samples);
  let rules: string;
  let added: ScanResult['added'];
  if (options.existing) {
    const completed = completeRules(options.existing.text, tables, { file: options.existing.file, ...(options.now ? { generatedAt: options.now } : {}) });
    rules = completed.text;
    added = completed.added;
  } else {
    rules = writeRules(tables, { source, ...(options.now ? { generatedAt: options.now } : {}) });
  }
  const parsed = parseRules(rules, options.existing?.file ?? 'rules');
  const findings = sortFindings([...parsed.findings, ...(parsed.rules ? checkRules(parsed.rules, catalog) : [])]);
  const columns = tables.reduce((n, t) => n + t.columns.length, 0);
  const personal = tables.reduce((n, t) => n + t.columns.filter((c) => c.kind !== undefined).length, 0);
  const review = tables.reduce((n, t) => n + t.columns.filter((c) => c.review !== undefined).length, 0);
  const rowsSampled = [...samples.values()].reduce((n, s) => n + s.read, 0);
  return {
    source,
    tables,
    rules,
    added,
    inventory: inventoryOf(tables, parsed.rules),
    findings,
    summary: { tables: tables.length, columns, personal, review, rowsSampled, milliseconds: Math.round(performance.now() - started) },
  };
}
