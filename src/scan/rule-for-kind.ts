import type { Column } from '../catalog/types.js';
import { columnTarget } from '../transformers/column-target.js';
import { redactDefault } from '../transformers/redact.js';
import { findTransformer } from '../transformers/registry.js';
import type { PiiKind } from './pii-kind.js';
import type { ProposedRule } from './proposal.js';

/** What a column's rule may read from its row, and what its key needs. */
export interface RuleContext {
  /** `tableKey` of the table, for the transformer's view of the column. */
  readonly table: string;
  /** The column alone is a primary or unique key: the rule must keep distinct values distinct. */
  readonly unique: boolean;
  /** Another column of the row read as the personnummer (`se.birth_date from:`, `sex_from:`). */
  readonly personnummerColumn?: string | undefined;
  /** Columns of the row holding the first and last names (an e-mail built from the masked names). */
  readonly firstNameColumn?: string | undefined;
  readonly lastNameColumn?: string | undefined;
}

type Candidate = { readonly transform: string; readonly options?: Readonly<Record<string, unknown>> };

/** Transformers for a kind, best first; the first that fits the column is taken. */
function candidates(kind: PiiKind, column: Column, context: RuleContext): Candidate[] {
  const pnr = context.personnummerColumn;
  const digits = (): Candidate[] => (column.family === 'text' ? [{ transform: 'hash', options: { length: Math.min(32, Math.max(8, column.maxLength ?? 32)) } }] : []);
  switch (kind) {
    case 'personnummer':
      return [{ transform: 'se.personnummer' }];
    case 'samordningsnummer':
      return [{ transform: 'se.samordningsnummer' }];
    case 'organisationsnummer':
      return [{ transform: 'se.organisationsnummer' }];
    case 'birth_date':
      return [...(pnr ? [{ transform: 'se.birth_date', options: { from: pnr } }] : []), { transform: 'date.shift', options: { max_days: 180 } }];
    case 'first_name':
      return [{ transform: 'person.first_name', ...(pnr ? { options: { sex_from: pnr } } : {}) }];
    case 'last_name':
      return [{ transform: 'person.last_name' }];
    case 'full_name':
      return [{ transform: 'person.full_name', ...(pnr ? { options: { sex_from: pnr } } : {}) }];
    case 'username':
      // A keyed hash of 64 bits: one-to-one, so a unique username stays unique.
      return column.family === 'text' ? [{ transform: 'hash', options: { length: 16 } }] : [];
    case 'email': {
      const names = context.firstNameColumn && context.lastNameColumn ? { first_name: context.firstNameColumn, last_name: context.lastNameColumn } : undefined;
      return [...(names ? [{ transform: 'email', options: names }] : []), { transform: 'email' }];
    }
    case 'phone':
      return [{ transform: 'se.phone' }, { transform: 'phone' }];
    case 'street':
      return [{ transform: 'address.street' }];
    case 'postal_code':
      return [{ transform: 'se.postal_code' }];
    case 'city':
      return [{ transform: 'address.city' }];
    case 'geo':
      // A point has no transformer of its own: it becomes a constant.
      return column.baseType === 'point' ? [{ transform: 'redact', options: { value: '(0,0)' } }] : [{ transform: 'number.noise', options: { percent: 1 } }];
    case 'iban':
      return [{ transform: 'iban' }];
    case 'bank_account':
    case 'payment_card':
      return digits();
    case 'ip':
      // The documentation ranges hold 768 IPv4 addresses: a unique column keeps the network part instead, one-to-one.
      return context.unique ? [{ transform: 'ip', options: { keep_prefix: { v4: 24, v6: 48 } } }] : [{ transform: 'ip' }];
    case 'free_text':
      return [{ transform: 'text.scrub' }];
  }
}

const evaluate = (value: unknown, options: Readonly<Record<string, unknown>>): boolean =>
  typeof value === 'function' ? Boolean((value as (o: unknown) => boolean)(options)) : Boolean(value);

/**
 * Whether a rule fits a column as `validate` checks it: the transformer takes the column's type,
 * never writes NULL into a NOT NULL column, fits varchar(n), and on a key column keeps distinct
 * values distinct (injective, or `unique: true` on one that enforces it). Returns the rule with
 * `unique` set where the key needs it, or undefined.
 */
export function fittedRule(candidate: Candidate, column: Column, context: Pick<RuleContext, 'table' | 'unique'>): ProposedRule | undefined {
  const definition = findTransformer(candidate.transform);
  if (!definition) return undefined;
  const options = candidate.options ?? {};
  if (definition.accepts !== 'any' && !definition.accepts.includes(column.family)) return undefined;
  if (column.notNull && evaluate(definition.outputsNull, options)) return undefined;
  const where = columnTarget(context.table, column);
  if (column.maxLength !== undefined && definition.maxOutputLength) {
    const longest = definition.maxOutputLength(options, where);
    if (longest !== undefined && longest > column.maxLength) return undefined;
  }
  let unique = false;
  if (context.unique) {
    const injective = typeof definition.injective === 'function' ? definition.injective(options, where) : definition.injective;
    if (!injective) {
      if (!definition.enforcesUnique) return undefined;
      unique = true;
    }
  }
  return { transform: candidate.transform, ...(candidate.options ? { options: candidate.options } : {}), ...(unique ? { unique: true } : {}) };
}

/**
 * The rule for a column holding personal data of a kind: the kind's own transformer where it
 * fits the column (type, NOT NULL, length, key), else a keyed hash, else a constant. Undefined
 * when nothing fits (the column then needs a person to decide).
 */
export function ruleForKind(kind: PiiKind, column: Column, context: RuleContext): ProposedRule | undefined {
  const fallbacks: Candidate[] = [
    ...(column.family === 'text' || column.family === 'uuid'
      ? [{ transform: column.family === 'uuid' ? 'uuid' : 'hash', ...(column.family === 'text' ? { options: { length: Math.min(32, column.maxLength ?? 32) } } : {}) }]
      : []),
    ...(redactDefault(columnTarget(context.table, column)) !== undefined ? [{ transform: 'redact' }] : []),
    { transform: 'null' },
  ];
  for (const candidate of [...candidates(kind, column, context), ...fallbacks]) {
    const rule = fittedRule(candidate, column, context);
    if (rule) return rule;
  }
  return undefined;
}
