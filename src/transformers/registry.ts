import { addressCity } from './address-city.js';
import { addressStreet } from './address-street.js';
import { array } from './array.js';
import { dateGeneralize } from './date-generalize.js';
import { dateShift } from './date-shift.js';
import { email } from './email.js';
import { hash } from './hash.js';
import { ip } from './ip.js';
import { json } from './json.js';
import { keep } from './keep.js';
import { nullTransformer } from './null.js';
import { numberNoise } from './number-noise.js';
import { personFirstName } from './person-first-name.js';
import { personFullName } from './person-full-name.js';
import { personLastName } from './person-last-name.js';
import { phone } from './phone.js';
import { redact } from './redact.js';
import { seBirthDate } from './se-birth-date.js';
import { seOrganisationsnummer } from './se-organisationsnummer.js';
import { sePersonnummer } from './se-personnummer.js';
import { sePhone } from './se-phone.js';
import { sePostalCode } from './se-postal-code.js';
import { seSamordningsnummer } from './se-samordningsnummer.js';
import { template } from './template.js';
import { textLorem } from './text-lorem.js';
import { textScrub } from './text-scrub.js';
import type { AnyTransformer, ColumnTarget, RowColumn, RuleSpec, TransformerDefinition } from './transformer.js';
import { uuid } from './uuid.js';

/** Every transformer, the one list. Order is the order of the docs. */
export const transformers: readonly AnyTransformer[] = [
  keep,
  nullTransformer,
  redact,
  hash,
  personFirstName,
  personLastName,
  personFullName,
  email,
  phone,
  sePhone,
  addressStreet,
  addressCity,
  sePostalCode,
  sePersonnummer,
  seSamordningsnummer,
  seOrganisationsnummer,
  seBirthDate,
  dateShift,
  dateGeneralize,
  numberNoise,
  textLorem,
  textScrub,
  json,
  template,
  array,
  uuid,
  ip,
];

const byName = new Map(transformers.map((t) => [t.name, t]));

/** The transformer a rule names, or undefined. */
export function findTransformer(name: string): TransformerDefinition<Record<string, unknown>> | undefined {
  return byName.get(name) as TransformerDefinition<Record<string, unknown>> | undefined;
}

/** Every transformer name, for suggestions and the rules schema. */
export function transformerNames(): readonly string[] {
  return [...byName.keys()];
}

/**
 * The other columns of the row a rule reads: its own `reads` and those of every rule nested in
 * it (a template at a json path reads the row as a column's template does). Unknown names read
 * nothing. With `column` (its name and the table's other masked columns), reads that depend on
 * the table are included (row-aware `text.scrub`).
 */
export function ruleReads(
  spec: Pick<RuleSpec, 'transform' | 'options'>,
  find: (name: string) => AnyTransformer | undefined = findTransformer,
  column?: Pick<ColumnTarget, 'column' | 'row'>,
): readonly string[] {
  const transformer = find(spec.transform);
  if (!transformer) return [];
  const options = spec.options ?? {};
  const reads = [...(transformer.reads?.(options, column) ?? []), ...(transformer.nested?.(options) ?? []).flatMap((inner) => ruleReads(inner, find, column))];
  return [...new Set(reads)];
}

/** The table's masked columns as row-aware transformers see them: each with how its value is found in free text. */
export function rowColumns(rules: Iterable<readonly [string, Pick<RuleSpec, 'transform'>]>): readonly RowColumn[] {
  const out: RowColumn[] = [];
  for (const [name, rule] of rules) if (rule.transform !== 'keep') out.push({ name, inText: findTransformer(rule.transform)?.inText });
  return out;
}
