import { freeTextSigns } from '../catalog/free-text-column.js';
import { quoteIdent } from '../catalog/names.js';
import { tableKey } from '../catalog/table-key.js';
import type { Column, Table } from '../catalog/types.js';
import { type ColumnDecision, decideColumn } from './decide-column.js';
import { count } from './evidence.js';
import { codeLikeName } from './names/code-like-name.js';
import { nameSignals } from './names/name-signals.js';
import { secretLikeName } from './names/secret-like-name.js';
import { tableAbout } from './names/table-about.js';
import { thingName } from './names/thing-name.js';
import { nestedRule } from './nested-rule.js';
import type { PiiKind } from './pii-kind.js';
import type { ColumnProposal, ProposedRule, TableProposal } from './proposal.js';
import { fittedRule, type RuleContext, ruleForKind } from './rule-for-kind.js';
import type { TableSample } from './sample-table.js';
import type { ScanTarget } from './scan-targets.js';
import { profileValues, type SampleProfile } from './values/profile-values.js';

const KEEP: ProposedRule = { transform: 'keep' };

/** A column of a table, as the foreign-key groups name it. */
const slot = (key: string, column: string): string => `${key}\u0000${column}`;
const label = (key: string, column: string): string => `${key}(${quoteIdent(column)})`;

/** A plain text value, for the rules of json paths and array elements. */
const textValue = (name: string, family: Column['family'] = 'text'): Column => ({
  name,
  attnum: 0,
  type: 'text',
  baseType: 'text',
  family,
  elementFamily: undefined,
  maxLength: undefined,
  notNull: false,
  hasDefault: false,
  identity: undefined,
  generated: false,
  enumLabels: undefined,
  binaryForm: undefined,
});

function profileOf(column: Column, sample: TableSample | undefined): SampleProfile | undefined {
  const values = sample?.values.get(column.name);
  if (!values) return undefined;
  return profileValues(values, column.family === 'json' ? 'json' : column.family === 'array' ? 'array' : 'plain');
}

/** Columns joined by foreign keys: they must share one rule, or masked values stop matching. */
class KeyGroups {
  private readonly parent = new Map<string, string>();
  /** Slots that other columns reference. */
  readonly referenced = new Set<string>();
  /** For a referencing slot, the first slot it references (for evidence). */
  readonly references = new Map<string, string>();

  find(a: string): string {
    let root = a;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root)!;
    return root;
  }

  join(from: string, to: string): void {
    this.referenced.add(to);
    if (!this.references.has(from)) this.references.set(from, to);
    const a = this.find(from);
    const b = this.find(to);
    if (a !== b) this.parent.set(a, b);
    if (!this.parent.has(b)) this.parent.set(b, b);
  }

  has(s: string): boolean {
    return this.parent.has(s) || this.referenced.has(s);
  }
}

interface Decided {
  readonly target: ScanTarget;
  readonly column: Column;
  readonly decision: ColumnDecision;
  /** For a column that looks like free text in which nothing personal was found: how many values were looked at, and whether that was all of them. */
  readonly nothingFound?: { readonly values: number; readonly all: boolean } | undefined;
}

/** Enough values looked at to say so in the rule: validate's warning about free text kept unchanged is then answered. */
const ENOUGH_TO_SAY = 100;

/** For a column that looks like free text (as validate judges it): the values looked at, when none holds anything personal. */
function nothingFound(column: Column, values: SampleProfile | undefined, all: boolean): Decided['nothingFound'] {
  if (!values || values.sampled === 0 || (values.sampled < ENOUGH_TO_SAY && !all) || !freeTextSigns(column)) return undefined;
  const any = (counts: ReadonlyMap<PiiKind, number>) => [...counts.values()].some((n) => n > 0);
  if (any(values.whole) || any(values.inText)) return undefined;
  for (const kinds of values.jsonPaths.values()) if (any(kinds)) return undefined;
  return { values: values.sampled, all };
}

/** Whether a column alone is the table's primary key or a unique key. */
const aloneUnique = (table: Table, column: string): boolean =>
  (table.primaryKey?.length === 1 && table.primaryKey[0] === column) || table.uniqueKeys.some((k) => k.length === 1 && k[0] === column);

/** The rule for a decided column, with what its row offers (the personnummer, the names) unless it is part of a key group. */
function ruleFor(decided: Decided, context: RuleContext): { rule: ProposedRule; review?: string } {
  const { decision, column } = decided;
  const kind = decision.kind;
  if (!kind) {
    if (decided.nothingFound === undefined || decision.review !== undefined) return { rule: KEEP };
    const { values, all } = decided.nothingFound;
    const looked = all ? `its ${count(values)} values` : `${count(values)} sampled values`;
    return { rule: { transform: 'keep', options: { reason: `pgmask scan: nothing personal in ${looked}` } } };
  }
  if (decision.jsonPaths && decision.jsonPaths.size > 0) {
    const paths: Record<string, unknown> = {};
    for (const [path, pathKind] of decision.jsonPaths) {
      const rule = ruleForKind(pathKind, textValue(path), { table: context.table, unique: false });
      if (rule) paths[path] = nestedRule(rule);
    }
    return { rule: { transform: 'json', options: { paths } } };
  }
  if (column.family === 'json') return { rule: ruleForKind('free_text', column, context) ?? KEEP };
  if (decision.elements) {
    const element = ruleForKind(kind, textValue('element', column.elementFamily ?? 'text'), { table: context.table, unique: false });
    if (element) return { rule: { transform: 'array', options: { element: nestedRule(element) } } };
  }
  const rule = ruleForKind(kind, column, context);
  if (rule) return { rule };
  return { rule: KEEP, review: `holds ${kind.replace('_', ' ')} data, but no transformer fits ${column.type}${context.unique ? ' as a key' : ''}: decide by hand` };
}

/**
 * Turns the catalog's tables and their samples into a proposed rule for every column: each
 * column decided from its own signals (`decideColumn`), then made coherent within its row (a
 * birth date from the row's personnummer, first names following its sex, an e-mail built from
 * the row's masked names) and across foreign keys (every column of a chain of foreign keys gets
 * the same rule, personal when any of them is, so the masked values still join). A column that
 * is alone a key gets an injective rule or `unique: true`.
 */
export function proposeTables(targets: readonly ScanTarget[], samples: ReadonlyMap<string, TableSample>): TableProposal[] {
  const keys = new Set(targets.map((t) => t.key));
  const groups = new KeyGroups();
  for (const target of targets) {
    for (const fk of target.table.foreignKeys) {
      const refKey = tableKey(fk.referencedSchema, fk.referencedTable);
      if (!keys.has(refKey)) continue;
      fk.columns.forEach((column, i) => {
        const referenced = fk.referencedColumns[i];
        if (referenced !== undefined) groups.join(slot(target.key, column), slot(refKey, referenced));
      });
    }
  }

  const decided = new Map<string, Decided>();
  for (const target of targets) {
    const sample = samples.get(target.key);
    const hasRows = sample !== undefined && sample.read > 0;
    const thingTable = tableAbout(target.table.name) === 'things';
    for (const column of target.columns) {
      const values = hasRows ? profileOf(column, sample) : undefined;
      const decision = decideColumn({
        column,
        names: nameSignals(column.name, target.table.name, column.comment),
        codeLike: codeLikeName(column.name),
        secret: secretLikeName(column.name),
        values,
        thingTable,
        thingColumn: thingName(column.name),
      });
      decided.set(slot(target.key, column.name), { target, column, decision, nothingFound: nothingFound(column, values, sample?.exact === true) });
    }
  }

  // A key group takes the decision of its most referenced personal member, else of any personal
  // member; a group holding numbers the database makes (serial, identity) is surrogate keys.
  const surrogate = new Set<string>();
  for (const [s, d] of decided) {
    if (groups.has(s) && (d.column.identity || d.target.table.ownedSequences.has(d.column.name))) surrogate.add(groups.find(s));
  }
  const groupDecision = new Map<string, Decided>();
  for (const [s, d] of decided) {
    if (!groups.has(s) || !d.decision.kind || surrogate.has(groups.find(s))) continue;
    const root = groups.find(s);
    const current = groupDecision.get(root);
    const better =
      !current ||
      (groups.referenced.has(s) && !groups.referenced.has(slot(current.target.key, current.column.name))) ||
      (current.decision.review !== undefined && d.decision.review === undefined);
    if (better) groupDecision.set(root, d);
  }

  const groupRules = new Map<string, { rule: ProposedRule; review?: string }>();
  return targets.map((target) => {
    const own = (name: string): Decided => decided.get(slot(target.key, name))!;
    const firstOf = (kind: PiiKind): string | undefined => target.columns.find((c) => own(c.name).decision.kind === kind && (c.family === 'text' || kind === 'personnummer'))?.name;
    const personnummer = firstOf('personnummer');
    const first = firstOf('first_name');
    const last = firstOf('last_name');
    const columns: ColumnProposal[] = target.columns.map((column) => {
      const s = slot(target.key, column.name);
      const mine = own(column.name);
      const unique = aloneUnique(target.table, column.name);
      if (groups.has(s)) {
        const leader = groupDecision.get(groups.find(s));
        if (!leader) return { column: column.name, rule: KEEP, kind: undefined, evidence: [], review: mine.decision.review };
        const leaderKey = slot(leader.target.key, leader.column.name);
        let shared = groupRules.get(leaderKey);
        if (!shared) {
          shared = ruleFor(leader, { table: leader.target.key, unique: aloneUnique(leader.target.table, leader.column.name) });
          groupRules.set(leaderKey, shared);
        }
        const rule = leader === mine ? shared.rule : fittedRule(shared.rule, column, { table: target.key, unique });
        const ref = groups.references.get(s);
        const why =
          leader === mine
            ? mine.decision.evidence
            : [
                ref
                  ? `references ${label(...(ref.split('\u0000') as [string, string]))}: the same rule, so joins hold`
                  : `referenced by a foreign key: the same rule as ${label(leader.target.key, leader.column.name)}`,
              ];
        return {
          column: column.name,
          rule: rule ?? KEEP,
          kind: leader.decision.kind,
          evidence: why,
          review: rule
            ? leader === mine
              ? (shared.review ?? mine.decision.review)
              : shared.review
            : 'the rule of the column it references does not fit this column: decide by hand',
        };
      }
      const context: RuleContext = {
        table: target.key,
        unique,
        personnummerColumn: column.name === personnummer ? undefined : personnummer,
        firstNameColumn: first,
        lastNameColumn: last,
      };
      const { rule, review } = ruleFor(mine, context);
      return { column: column.name, rule, kind: mine.decision.kind, evidence: mine.decision.evidence, review: review ?? mine.decision.review };
    });
    const sample = samples.get(target.key);
    return { schema: target.table.schema, name: target.table.name, key: target.key, rows: sample?.rows ?? Math.max(0, target.rowEstimate), columns };
  });
}
