/**
 * The checks of a rules file against a live catalog (`pgmask validate --source`, and every run
 * before a byte moves). About 510 lines, kept in one file: the checks are methods of one
 * checker that shares the catalog's tables, the effective entry of each partition and the
 * findings already made, so that each finding is made once.
 */

import { type FreeTextSigns, freeTextSigns } from '../../catalog/free-text-column.js';
import { quoteIdent } from '../../catalog/names.js';
import { tableKey } from '../../catalog/table-key.js';
import type { Catalog, Column, Table } from '../../catalog/types.js';
import { type Finding, sortFindings } from '../../config/finding.js';
import type { ColumnRule, Rules, TableRule } from '../../config/rules.js';
import { didYouMean } from '../../config/suggest.js';
import { columnTarget } from '../../transformers/column-target.js';
import { transformers as registered, ruleReads } from '../../transformers/registry.js';
import type { AnyTransformer, ColumnTarget } from '../../transformers/transformer.js';
import { checkSubset } from './check-subset.js';

/** Options of `checkRules`. */
export interface CheckRulesOptions {
  /** The transformers rules may name; by default the registry's. */
  readonly transformers?: readonly AnyTransformer[];
}

type Option<T> = T | ((options: Record<string, unknown>) => T);
const evaluate = <T>(value: Option<T>, options: Readonly<Record<string, unknown>>): T =>
  typeof value === 'function' ? (value as (o: Record<string, unknown>) => T)(options as Record<string, unknown>) : value;

const columnLabel = (table: string, column: string): string => `${table}.${quoteIdent(column)}`;

/**
 * Checks rules against a live catalog, failing closed. Returns every finding (ordered by
 * position in the rules file, then by table and column); the rules are usable for a copy when
 * none is an error.
 *
 * - Coverage: every column of every copied table has a rule, unless the table's own entry says
 *   `unlisted: keep` (an opt-out, reported as info); the top-level `unlisted` governs only tables
 *   with no entry at all (an error under `fail`, kept under `keep`).
 * - Rules naming a table or column that does not exist (with the nearest name), rules on views,
 *   rules on generated columns (the target computes those again).
 * - Fit: the transformer accepts the column's type family, cannot output NULL into NOT NULL,
 *   does not produce longer values than varchar(n)/char(n) holds, reads only existing columns.
 * - Keys: a primary-key or single-column unique column needs an injective transformer (or
 *   `unique: true` on one that enforces it); a composite key with a non-injective part warns.
 * - Row-level security that the connecting role does not bypass (the copy would be partial).
 * - `skip: true` on a table that copied tables reference (their foreign keys would dangle), and
 *   foreign-key columns masked differently from the columns they reference (warnings).
 * - Free text copied unchanged (warnings, see `freeTextSigns`): a column ruled `keep` without a
 *   `reason:` (one finding per column); a listed table's columns kept by its own
 *   `unlisted: keep` (one per table, instead of the opt-out's info); tables without an entry kept
 *   by the top-level `unlisted: keep` (one finding for them all, and the columns named in each
 *   table's info).
 * - `subset:` (see `checkSubset`): the tables, foreign keys and columns it names exist, virtual
 *   keys reference a primary or unique key with columns of the same kinds, `null_outside:`
 *   names nullable references, roots are not skipped, whole or empty (codes `SUBSET_…`). Its
 *   predicates are checked by `validate`, which runs them through EXPLAIN.
 *
 * Partitions: the copy reads leaf partitions, so a leaf's rules are its own entry when it has
 * one, else the entry of its nearest partitioned ancestor. A rule on a partitioned table thus
 * covers all its partitions, and a leaf's own entry replaces (does not merge with) it.
 * Inheritance children are separate tables (COPY of a parent reads only the parent's own
 * rows): each needs its own entry.
 */
export function checkRules(rules: Rules, catalog: Catalog, options: CheckRulesOptions = {}): Finding[] {
  return new RulesChecker(rules, catalog, options.transformers ?? registered).check();
}

class RulesChecker {
  private readonly findings: Finding[] = [];
  private readonly seen = new Set<string>();
  private readonly tables = new Map<string, Table>();
  private readonly reportedRoots = new Set<Table>();
  /** Entries whose columns kept by their own `unlisted: keep` were reported (once per partition tree). */
  private readonly unlistedChecked = new Set<string>();
  /** Tables without an entry, kept by `unlisted: keep`, that have columns looking like free text. */
  private readonly keptTablesWithFreeText: { key: string; columns: string[] }[] = [];
  private readonly byName: Map<string, AnyTransformer>;

  constructor(
    private readonly rules: Rules,
    private readonly catalog: Catalog,
    transformers: readonly AnyTransformer[],
  ) {
    for (const table of catalog.tables) this.tables.set(tableKey(table.schema, table.name), table);
    this.byName = new Map(transformers.map((t) => [t.name, t]));
  }

  private add(finding: Finding): void {
    const id = `${finding.code}\u0000${finding.table ?? ''}\u0000${finding.column ?? ''}\u0000${finding.message}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.findings.push(finding);
  }

  private at(position: TableRule['position'] | undefined): Pick<Finding, 'file'> {
    return position ? { file: position } : {};
  }

  check(): Finding[] {
    for (const [key, entry] of this.rules.tables) this.checkEntry(key, entry);
    for (const table of this.catalog.tables) if (table.kind === 'table') this.checkCopied(table);
    this.summarizeKeptTables();
    if (this.rules.subset) {
      checkSubset(this.rules.subset, { catalog: this.catalog, tables: this.tables, effective: (t) => this.effective(t), add: (f) => this.add(f) });
    }
    return sortFindings(this.findings);
  }

  /** The entry whose rules apply to a table: its own, else its nearest partitioned ancestor's. */
  private effective(table: Table): { key: string; entry: TableRule } | undefined {
    let current: Table | undefined = table;
    for (let depth = 0; current && depth < 64; depth++) {
      const key = tableKey(current.schema, current.name);
      const entry = this.rules.tables.get(key);
      if (entry) return { key, entry };
      current = current.partitionOf ? this.tables.get(current.partitionOf) : undefined;
    }
    return undefined;
  }

  /** The topmost partitioned ancestor of a partition (the table itself otherwise). */
  private root(table: Table): Table {
    let current = table;
    for (let depth = 0; current.partitionOf && depth < 64; depth++) {
      const parent = this.tables.get(current.partitionOf);
      if (!parent) break;
      current = parent;
    }
    return current;
  }

  /** Checks one entry of the rules file against the table it names. */
  private checkEntry(key: string, entry: TableRule): void {
    const table = this.tables.get(key);
    if (!table) {
      const view = this.catalog.views.find((v) => tableKey(v.schema, v.name) === key);
      if (view) {
        this.add({
          severity: 'warning',
          code: 'RULE_ON_VIEW',
          message: `${key} is a ${view.materialized ? 'materialized view' : 'view'}: views are never copied as data (the target computes them from masked tables); remove the entry`,
          table: key,
          ...this.at(entry.position),
        });
        return;
      }
      this.add({
        severity: 'error',
        code: 'TABLE_NOT_FOUND',
        message: `table ${key} does not exist in the source database${didYouMean(key, this.tables.keys(), (s) => s)}`,
        table: key,
        ...this.at(entry.position),
      });
      return;
    }
    if (table.kind === 'foreign') {
      this.add({
        severity: 'warning',
        code: 'RULE_ON_FOREIGN_TABLE',
        message: `${key} is a foreign table: its rows live on another server and are not copied; remove the entry`,
        table: key,
        ...this.at(entry.position),
      });
      return;
    }
    const columns = new Map(table.columns.map((c) => [c.name, c]));
    for (const [name, rule] of entry.columns) {
      const column = columns.get(name);
      if (!column) {
        this.add({
          severity: 'error',
          code: 'COLUMN_NOT_FOUND',
          message: `table ${key} has no column ${quoteIdent(name)}${didYouMean(name, columns.keys(), quoteIdent)}`,
          table: key,
          column: name,
          ...this.at(rule.position),
        });
        continue;
      }
      if (column.generated) {
        this.add({
          severity: 'error',
          code: 'GENERATED_COLUMN_RULE',
          message: `${columnLabel(key, name)} is a generated column: it is never copied, the target computes it again from the other columns; remove the rule (and mask the columns it is computed from)`,
          table: key,
          column: name,
          ...this.at(rule.position),
        });
        continue;
      }
      if (!entry.skip) {
        this.checkFit(key, table, column, rule);
        this.checkKeptFreeText(key, column, rule);
      }
    }
  }

  /** A column that looks like free text, ruled `keep` without a `reason:`. */
  private checkKeptFreeText(key: string, column: Column, rule: ColumnRule): void {
    if (rule.transform !== 'keep' || typeof rule.options['reason'] === 'string') return;
    const signs = freeTextSigns(column);
    if (!signs) return;
    this.add({
      severity: 'warning',
      code: 'KEEP_FREE_TEXT',
      message: `${columnLabel(key, column.name)} is copied unchanged (keep), but ${whyFreeText(column, signs)}: ${FREE_TEXT_RISK}; rule it text.scrub (or redact), or if it holds nothing personal, say so: { transform: keep, reason: "..." }`,
      table: key,
      column: column.name,
      ...this.at(rule.position),
    });
  }

  /**
   * A listed table that opts out with its own `unlisted: keep`: an info naming the columns it
   * copies unchanged, or a warning instead when some of them look like free text. Once per entry.
   */
  private reportTableOptOut(table: Table, entryKey: string, entry: TableRule): void {
    if (entry.unlisted !== 'keep' || this.unlistedChecked.has(entryKey)) return;
    this.unlistedChecked.add(entryKey);
    const kept = table.columns.filter((c) => !c.generated && !entry.columns.has(c.name));
    const columns = kept.filter((c) => freeTextSigns(c));
    if (columns.length === 0) {
      const which =
        kept.length === 0
          ? 'every column has a rule now, but a column added later will be copied unchanged'
          : `${kept.length === 1 ? 'column' : 'columns'} ${kept.map((c) => quoteIdent(c.name)).join(', ')} ${kept.length === 1 ? 'has' : 'have'} no rule and ${kept.length === 1 ? 'is' : 'are'} copied unchanged, as will be any column added later`;
      this.add({
        severity: 'info',
        code: 'TABLE_UNLISTED_COLUMNS_KEPT',
        message: `table ${entryKey} says unlisted: keep: ${which}; give each column a rule and remove the unlisted: keep to fail closed`,
        table: entryKey,
        ...this.at(entry.position),
      });
      return;
    }
    const names = columns.map((c) => quoteIdent(c.name)).join(', ');
    const one = columns.length === 1;
    this.add({
      severity: 'warning',
      code: 'KEEP_FREE_TEXT_UNLISTED',
      message: `${one ? 'column' : 'columns'} ${names} of ${entryKey} ${one ? 'has' : 'have'} no rule and ${one ? 'is' : 'are'} copied unchanged (unlisted: keep in its entry), but ${one ? 'looks' : 'look'} like free text (long text, or a name like notes or kommentar): ${FREE_TEXT_RISK}; give ${one ? 'it a rule' : 'each a rule'} under columns: of ${entryKey}: text.scrub (or redact), or { transform: keep, reason: "..." } if ${one ? 'it holds' : 'they hold'} nothing personal`,
      table: entryKey,
      ...(one ? { column: columns[0]!.name } : {}),
      ...this.at(entry.position),
    });
  }

  /** One finding for every table without an entry that `unlisted: keep` copies with columns that look like free text. */
  private summarizeKeptTables(): void {
    const kept = this.keptTablesWithFreeText;
    if (kept.length === 0) return;
    const shown = kept.slice(0, 5).map((t) => `${t.key} (${t.columns.map(quoteIdent).join(', ')})`);
    const list = `${shown.join(', ')}${kept.length > shown.length ? `, … (${kept.length} tables in all; each table's TABLE_UNLISTED_KEPT line names its columns)` : ''}`;
    this.add({
      severity: 'warning',
      code: 'KEEP_FREE_TEXT_UNLISTED_TABLES',
      message: `${kept.length === 1 ? 'a table without rules is' : `${kept.length} tables without rules are`} copied unchanged (unlisted: keep) with columns that look like free text (long text, or a name like notes or kommentar): ${list}; ${FREE_TEXT_RISK}; add ${kept.length === 1 ? 'the table' : 'them'} under tables: and rule such columns text.scrub (or redact), or { transform: keep, reason: "..." } where they hold nothing personal`,
    });
  }

  /** Whether a transformer's output fits the column: type family, NULL, length, columns it reads. */
  private checkFit(key: string, table: Table, column: Column, rule: ColumnRule): void {
    const where = { table: key, column: column.name, ...this.at(rule.position) };
    const label = columnLabel(key, column.name);
    const transformer = this.byName.get(rule.transform);
    if (!transformer) {
      this.add({ severity: 'error', code: 'RULES_UNKNOWN_TRANSFORMER', message: `unknown transformer '${rule.transform}'`, ...where });
      return;
    }
    const name = `'${transformer.name}'`;
    if (transformer.accepts !== 'any' && !transformer.accepts.includes(column.family)) {
      this.add({
        severity: 'error',
        code: 'TYPE_NOT_ACCEPTED',
        message: `transformer ${name} takes ${transformer.accepts.join(' or ')} values, but ${label} is ${column.type} (${column.family})`,
        ...where,
      });
    }
    if (column.notNull && evaluate(transformer.outputsNull as Option<boolean>, rule.options)) {
      this.add({
        severity: 'error',
        code: 'NULL_INTO_NOT_NULL',
        message: `transformer ${name} may output NULL, but ${label} is NOT NULL; choose a transformer (or options) that always gives a value`,
        ...where,
      });
    }
    if (column.maxLength !== undefined && transformer.maxOutputLength) {
      const longest = transformer.maxOutputLength(rule.options, columnTarget(key, column));
      if (longest !== undefined && longest > column.maxLength) {
        this.add({
          severity: 'error',
          code: 'OUTPUT_TOO_LONG',
          message: `transformer ${name} may output up to ${longest} characters, but ${label} is ${column.type} and holds ${column.maxLength}`,
          ...where,
        });
      }
    }
    const reads = ruleReads(rule, (name) => this.byName.get(name));
    for (const other of reads) {
      const source = table.columns.find((c) => c.name === other);
      if (!source) {
        this.add({
          severity: 'error',
          code: 'READS_UNKNOWN_COLUMN',
          message: `the rule of ${label} reads column ${quoteIdent(other)}, which table ${key} does not have${didYouMean(
            other,
            table.columns.map((c) => c.name),
            quoteIdent,
          )}`,
          ...where,
        });
      } else if (source.generated) {
        this.add({
          severity: 'error',
          code: 'READS_GENERATED_COLUMN',
          message: `the rule of ${label} reads ${quoteIdent(other)}, a generated column, which is not copied; read the columns it is computed from`,
          ...where,
        });
      }
    }
  }

  /** Checks a table whose rows are copied (an ordinary table, leaf partition or inheritance child). */
  private checkCopied(table: Table): void {
    const key = tableKey(table.schema, table.name);
    const found = this.effective(table);
    if (!found) {
      this.uncovered(table, key);
      return;
    }
    const { key: entryKey, entry } = found;
    if (entry.skip) return;
    this.checkRowSecurity(table, key);
    for (const column of table.columns) {
      if (column.generated || entry.columns.has(column.name) || entry.unlisted === 'keep') continue;
      const topKeep = this.rules.unlisted === 'keep' ? ' (the top-level unlisted: keep covers only tables with no entry)' : '';
      this.add({
        severity: 'error',
        code: 'COLUMN_WITHOUT_RULE',
        message: `${columnLabel(entryKey, column.name)} has no rule${topKeep}; give it a rule under columns: of ${entryKey} (keep, if it holds nothing personal), or opt the table out with unlisted: keep in its entry to copy its columns without a rule unchanged${entryKey === key ? '' : `; the rules of ${entryKey} cover its partitions`}; ${SCAN_HINT}`,
        table: entryKey,
        column: column.name,
        ...this.at(entry.position),
      });
    }
    this.reportTableOptOut(table, entryKey, entry);
    this.checkKeys(table, entryKey, entry);
    this.checkForeignKeys(table, key, entryKey, entry);
  }

  /** A copied table with no entry: kept under `unlisted: keep`, an error under `fail`. */
  private uncovered(table: Table, key: string): void {
    if (this.rules.unlisted === 'keep') {
      const freeText = table.columns.filter((c) => !c.generated && freeTextSigns(c)).map((c) => c.name);
      if (freeText.length > 0) this.keptTablesWithFreeText.push({ key, columns: freeText });
      const note = freeText.length > 0 ? `; columns that look like free text: ${freeText.map(quoteIdent).join(', ')}` : '';
      this.add({ severity: 'info', code: 'TABLE_UNLISTED_KEPT', message: `table ${key} has no rules: copied unchanged (unlisted: keep)${note}`, table: key });
      this.checkRowSecurity(table, key);
      return;
    }
    const root = this.root(table);
    const rootKey = tableKey(root.schema, root.name);
    if (root !== table) {
      // Report once per partition tree, at its root, where one entry covers every partition.
      if (this.reportedRoots.has(root)) return;
      this.reportedRoots.add(root);
      const leaves = this.catalog.tables.filter((t) => t.kind === 'table' && this.root(t) === root && !this.effective(t));
      const names = leaves.slice(0, 5).map((t) => tableKey(t.schema, t.name));
      const list = `${names.join(', ')}${leaves.length > names.length ? `, … (${leaves.length} in all)` : ''}`;
      this.add({
        severity: 'error',
        code: 'TABLE_WITHOUT_RULES',
        message: `partitioned table ${rootKey} has no rules, and neither have its partitions ${list}; add ${rootKey} under tables: (its rules cover every partition), or give it skip: true to copy no rows`,
        table: rootKey,
      });
      return;
    }
    const parent = table.inheritsFrom.find((p) => this.rules.tables.has(p));
    const hint = parent ? `; the rules of ${parent} do not apply to it: an inheritance child is copied as a table of its own` : '';
    this.add({
      severity: 'error',
      code: 'TABLE_WITHOUT_RULES',
      message: `table ${key} has no rules; add it under tables: with a rule for each column, or with skip: true to copy no rows${hint}; ${SCAN_HINT}`,
      table: key,
    });
  }

  private checkRowSecurity(table: Table, key: string): void {
    if (!table.rowSecurity || this.catalog.bypassRowSecurity) return;
    // Owners bypass row security unless it is forced; an unknown owner counts as not bypassing.
    if (!table.forceRowSecurity && table.ownedByConnectingRole === true) return;
    this.add({
      severity: 'error',
      code: 'ROW_SECURITY',
      message: `table ${key} has row-level security${table.forceRowSecurity ? ' (forced, even for its owner)' : ''} and the connecting role does not bypass it: a copy would hold only the rows its policies show; connect as a role with BYPASSRLS${table.forceRowSecurity ? '' : ' or as the table owner'}, or give the table skip: true`,
      table: key,
    });
  }

  /** Whether a column's rule keeps distinct values distinct (no rule counts: reported elsewhere, or kept). */
  private injective(table: Table, entryKey: string, entry: TableRule, column: string): { ok: boolean; rule?: ColumnRule; transformer?: AnyTransformer } {
    const rule = entry.columns.get(column);
    if (!rule) return { ok: true };
    const transformer = this.byName.get(rule.transform);
    if (!transformer) return { ok: true };
    const known = table.columns.find((c) => c.name === column);
    const injective = transformer.injective as boolean | ((o: Readonly<Record<string, unknown>>, c?: ColumnTarget) => boolean);
    const target = known ? columnTarget(entryKey, known) : undefined;
    if (typeof injective === 'function' ? injective(rule.options, target) : injective) return { ok: true, rule, transformer };
    const enforces = (transformer as { enforcesUnique?: boolean }).enforcesUnique === true;
    return { ok: rule.unique && enforces, rule, transformer };
  }

  private checkKeys(table: Table, entryKey: string, entry: TableRule): void {
    const keys: { columns: readonly string[]; primary: boolean }[] = [
      ...(table.primaryKey ? [{ columns: table.primaryKey, primary: true }] : []),
      ...table.uniqueKeys.map((columns) => ({ columns, primary: false })),
    ];
    for (const { columns, primary } of keys) {
      const failing = columns.map((c) => ({ column: c, ...this.injective(table, entryKey, entry, c) })).filter((r) => !r.ok);
      const kind = primary ? 'primary key' : 'unique';
      if (columns.length === 1) {
        const [bad] = failing;
        if (!bad?.rule || !bad.transformer) continue;
        const enforces = (bad.transformer as { enforcesUnique?: boolean }).enforcesUnique === true;
        const advice = enforces
          ? 'add unique: true to the rule (the transformer then guarantees distinct outputs)'
          : bad.rule.unique
            ? `transformer '${bad.transformer.name}' cannot guarantee distinct outputs, even with unique: true; use an injective transformer`
            : 'use an injective transformer';
        this.add({
          severity: 'error',
          code: 'UNIQUE_NOT_INJECTIVE',
          message: `${columnLabel(entryKey, bad.column)} is ${primary ? 'the primary key' : 'unique'}, but transformer '${bad.transformer.name}' may give two values the same output; ${advice}`,
          table: entryKey,
          column: bad.column,
          ...this.at(bad.rule.position),
        });
      } else if (failing.length > 0) {
        const names = failing.map((f) => quoteIdent(f.column)).join(', ');
        this.add({
          severity: 'warning',
          code: 'COMPOSITE_KEY_NOT_INJECTIVE',
          message: `the ${kind} key (${columns.map(quoteIdent).join(', ')}) of ${entryKey} may collide after masking: the rules of ${names} are not injective; use injective transformers (or unique: true where supported)`,
          table: entryKey,
          ...(failing.length === 1 ? { column: failing[0]!.column } : {}),
          ...this.at(failing[0]!.rule?.position ?? entry.position),
        });
      }
    }
  }

  private checkForeignKeys(table: Table, key: string, entryKey: string, entry: TableRule): void {
    for (const fk of table.foreignKeys) {
      const refKey = tableKey(fk.referencedSchema, fk.referencedTable);
      const referenced = this.tables.get(refKey);
      if (!referenced) continue;
      const refFound = this.effective(referenced);
      if (refFound?.entry.skip) {
        this.add({
          severity: 'warning',
          code: 'SKIPPED_TABLE_REFERENCED',
          message: `${refKey} has skip: true, but ${key} references it (foreign key ${quoteIdent(fk.name)}): rows of ${key} that point into it will break the constraint on the target; copy ${refKey} or skip ${key} too`,
          table: refFound.key,
          ...this.at(refFound.entry.position),
        });
        continue;
      }
      fk.columns.forEach((column, index) => {
        const refColumn = fk.referencedColumns[index];
        if (refColumn === undefined) return;
        const mine = this.ruleOf(entry, column);
        const theirs = refFound ? this.ruleOf(refFound.entry, refColumn) : this.rules.unlisted === 'keep' ? KEEP : undefined;
        if (!mine || !theirs || sameRule(mine, theirs)) return;
        this.add({
          severity: 'warning',
          code: 'FK_RULE_MISMATCH',
          message: `${columnLabel(entryKey, column)} references ${columnLabel(refFound?.key ?? refKey, refColumn)} (foreign key ${quoteIdent(fk.name)}) but is masked with ${describeRule(mine)}, the column it references with ${describeRule(theirs)}: the masked values will not match; give both the same rule`,
          table: entryKey,
          column,
          ...this.at(entry.columns.get(column)?.position ?? entry.position),
        });
      });
    }
  }

  /** A column's rule, `keep` when its table opts out with `unlisted: keep`, undefined when it has none. */
  private ruleOf(entry: TableRule, column: string): RuleShape | undefined {
    const rule = entry.columns.get(column);
    if (rule) return rule;
    return entry.unlisted === 'keep' ? KEEP : undefined;
  }
}

/** Where rules for what a file is missing come from. */
const SCAN_HINT = '`pgmask scan --rules FILE --source URL` proposes the missing rules';

/** What free text kept unchanged risks, for the free-text findings. */
const FREE_TEXT_RISK = 'text written by people may hold names, phone numbers, e-mail addresses and personnummer';

/** Why a column looks like free text, e.g. `its type, text, holds text of any length`. */
function whyFreeText(column: Column, signs: FreeTextSigns): string {
  const type = column.maxLength === undefined ? `its type, ${column.type}, holds text of any length` : `its type, ${column.type}, holds up to ${column.maxLength} characters`;
  const name = signs.word === undefined ? undefined : `its name says free text ('${signs.word}')`;
  if (name && signs.longText) return `${name} and ${type}`;
  return name ?? type;
}

type RuleShape = Pick<ColumnRule, 'transform' | 'options' | 'scope'>;
const KEEP: RuleShape = { transform: 'keep', options: {}, scope: undefined };

/** JSON with sorted keys, to compare options. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Whether two rules give the same output (`keep`'s reason changes nothing). */
function sameRule(a: RuleShape, b: RuleShape): boolean {
  if (a.transform === 'keep' && b.transform === 'keep') return a.scope === b.scope;
  return a.transform === b.transform && a.scope === b.scope && canonical(a.options) === canonical(b.options);
}

function describeRule(rule: RuleShape): string {
  const options = Object.keys(rule.options).length > 0 ? ` with options ${canonical(rule.options)}` : '';
  return `'${rule.transform}'${options}${rule.scope !== undefined ? ` (scope ${rule.scope})` : ''}`;
}
