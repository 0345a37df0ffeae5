import { quoteIdent } from '../../catalog/names.js';
import type { Rules, TableRule } from '../../config/rules.js';
import type { CopyHeader } from '../../dump/copy-header.js';
import { DumpError } from '../../dump/dump-error.js';
import type { DumpSchema } from '../../dump/dump-schema.js';
import { ExitCode } from '../../errors.js';
import type { MaskingSession } from '../../masking/masking-session.js';
import { RowMasker } from '../../masking/row-masker.js';
import { type MaskedRule, maskedRule } from '../../masking/table-masker.js';
import { rowColumns, ruleReads } from '../../transformers/registry.js';

/** What becomes of one COPY block of a dump. */
export interface CopyBlockPlan {
  /** `schema.table` of the block. */
  readonly key: string;
  /** The rules entry that applies: the table's own, or its partitioned ancestor's; undefined for a table with no entry, kept by the top-level `unlisted: keep`. */
  readonly entryKey: string | undefined;
  /** `skip: true`: the block keeps its header and `\.` line, and loses its rows. */
  readonly skip: boolean;
  /** The transformer of every column of the block (`keep` where nothing masks it), for the report. */
  readonly transforms: Readonly<Record<string, string>>;
  /** Masks the rows; undefined when no column is masked (rows pass unparsed). */
  readonly masker: RowMasker<MaskedRule> | undefined;
  /** Findings below error severity, for the report. */
  readonly warnings: readonly { readonly code: string; readonly message: string }[];
}

const MAX_LISTED = 10;

function list(names: readonly string[]): string {
  const shown = names.slice(0, MAX_LISTED).map(quoteIdent).join(', ');
  return names.length > MAX_LISTED ? `${shown}, … (${names.length} in all)` : shown;
}

/** The rules entry of a table: its own, else its nearest partitioned ancestor's (as the dump declares them). */
function effectiveEntry(rules: Rules, schema: DumpSchema, key: string): { key: string; entry: TableRule } | undefined {
  let current: string | undefined = key;
  for (let depth = 0; current !== undefined && depth < 64; depth++) {
    const entry = rules.tables.get(current);
    if (entry) return { key: current, entry };
    current = schema.partitionOf(current);
  }
  return undefined;
}

function rootOf(schema: DumpSchema, key: string): string {
  let current = key;
  for (let depth = 0; depth < 64; depth++) {
    const parent = schema.partitionOf(current);
    if (parent === undefined) return current;
    current = parent;
  }
  return current;
}

/**
 * Decides what becomes of a COPY block, failing closed: a block whose table, or one of whose
 * columns, the rules do not cover stops the run (exit code 1) before any of it is written. The
 * top-level `unlisted: keep` passes a table with no entry unchanged; a listed table's columns
 * without a rule pass unchanged only when its entry says `unlisted: keep`. A rule on a partitioned table covers its partitions
 * (the dump's `ATTACH PARTITION` statements say which they are); an inheritance child needs
 * its own entry. Builds the row masker with the column types the dump's CREATE TABLE gives.
 *
 * @throws {DumpError} COPY_TABLE_WITHOUT_RULES, COPY_COLUMN_WITHOUT_RULE, COPY_READS_UNKNOWN_COLUMN
 * @throws {ConfigError} when a rule cannot be built (unknown transformer, bad options)
 */
export function planCopyBlock(header: CopyHeader, line: number, rules: Rules, schema: DumpSchema, masking: MaskingSession): CopyBlockPlan {
  const { key, columns } = header;
  const found = effectiveEntry(rules, schema, key);
  const keepAll = Object.fromEntries(columns.map((c) => [c, 'keep']));
  if (!found) {
    if (rules.unlisted === 'keep') return { key, entryKey: undefined, skip: false, transforms: keepAll, masker: undefined, warnings: [] };
    throw new DumpError('COPY_TABLE_WITHOUT_RULES', uncoveredTable(rules, schema, header), { line, table: key }, ExitCode.validation);
  }
  const { key: entryKey, entry } = found;
  if (entry.skip) return { key, entryKey, skip: true, transforms: keepAll, masker: undefined, warnings: [] };

  const viaParent = entryKey === key ? '' : ` (the rules of ${entryKey} cover its partition ${key})`;
  const unruled = columns.filter((c) => !entry.columns.has(c));
  if (unruled.length > 0 && entry.unlisted === 'fail') {
    const what = unruled.length === 1 ? `column ${quoteIdent(unruled[0]!)} of table ${key} has no rule` : `columns ${list(unruled)} of table ${key} have no rule`;
    throw new DumpError(
      'COPY_COLUMN_WITHOUT_RULE',
      `${what}${viaParent}; give ${unruled.length === 1 ? 'it a rule' : 'each a rule'} under columns: of ${entryKey} in ${rules.file} (keep, if ${unruled.length === 1 ? 'it holds' : 'they hold'} nothing personal), or opt the table out with unlisted: keep in its entry to copy its columns without a rule unchanged`,
      { line, table: key, column: unruled[0] },
      ExitCode.validation,
    );
  }

  const present = new Set(columns);
  const transforms: Record<string, string> = {};
  const masked: MaskedRule[] = [];
  const row = rowColumns([...entry.columns].filter(([column]) => present.has(column)));
  columns.forEach((column, index) => {
    const rule = entry.columns.get(column);
    transforms[column] = rule?.transform ?? 'keep';
    if (!rule || rule.transform === 'keep') return;
    const reads = ruleReads(rule);
    const absent = reads.filter((other) => !present.has(other));
    if (absent.length > 0) {
      throw new DumpError(
        'COPY_READS_UNKNOWN_COLUMN',
        `the rule of ${key}.${quoteIdent(column)} reads ${list(absent)}, which the COPY block of ${key} does not hold (a generated column is never in a dump's data); read columns the block holds`,
        { line, table: key, column },
        ExitCode.validation,
      );
    }
    const type = schema.columnType(key, column);
    masked.push(
      maskedRule(masking, index, rule, { table: key, column, family: type?.family, elementFamily: type?.elementFamily, type: type?.type, maxLength: type?.maxLength, row }),
    );
  });

  const absentRules = [...entry.columns.keys()].filter((c) => !present.has(c));
  const warnings = absentRules.length
    ? [
        {
          code: 'RULE_COLUMN_NOT_IN_DUMP',
          message: `the rules of ${entryKey} name ${list(absentRules)}, which the COPY block of ${key} does not hold (a generated column, or a column that does not exist)`,
        },
      ]
    : [];
  return { key, entryKey, skip: false, transforms, masker: masked.length ? new RowMasker<MaskedRule>(key, columns, masked) : undefined, warnings };
}

/** The message for a COPY block whose table has no rules under `unlisted: fail`. */
function uncoveredTable(rules: Rules, schema: DumpSchema, header: CopyHeader): string {
  const { key, columns } = header;
  const cols = columns.length ? ` with a rule for each of its columns (${list(columns)})` : '';
  const root = rootOf(schema, key);
  if (root !== key) {
    return `table ${key} is a partition of ${root}, and neither has rules; add ${root} under tables: in ${rules.file} (its rules cover every partition)${cols}, or give it skip: true to write no rows`;
  }
  const parent = schema.inheritsFrom(key).find((p) => rules.tables.has(p));
  const inherits = parent ? `; the rules of ${parent} do not apply to it: an inheritance child is a table of its own` : '';
  const dataOnly =
    !schema.declaresPartitions && !schema.has(key)
      ? '; if it is a partition, this dump declares no partitions (a --data-only dump?), so the rules of its partitioned table cannot reach it: name the partition itself'
      : '';
  return `table ${key} has no rules; add it under tables: in ${rules.file}${cols}, or with skip: true to write no rows${inherits}${dataOnly}`;
}
