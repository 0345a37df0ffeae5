import type { Column, TypeFamily } from '../catalog/types.js';
import { count, KIND_NOUN, valuesPhrase } from './evidence.js';
import type { NameSignal } from './names/name-signal.js';
import { PII_KINDS, type PiiKind } from './pii-kind.js';
import type { SampleProfile } from './values/profile-values.js';

/** Everything known of one column before a rule is chosen. */
export interface ColumnSignals {
  readonly column: Column;
  /** Name and comment signals, best first. */
  readonly names: readonly NameSignal[];
  /** The name says the column is a code, a key or a timestamp (`codeLikeName`). */
  readonly codeLike: boolean;
  /** The name says the column is a secret: a password hash, a token, a key (`secretLikeName`). */
  readonly secret?: boolean;
  /** What its sampled values showed; undefined when its values were not read (an empty table, a type not sampled). */
  readonly values: SampleProfile | undefined;
  /** The table is about things (`cities`, `stores`, `products`): coordinates and place names there locate no one. */
  readonly thingTable?: boolean;
  /** The column's name names a thing (`company_name`, `produktbeskrivning`): names in its text are not people's. */
  readonly thingColumn?: boolean;
}

/** The kind a column holds (or none), why, and whether a person should look. */
export interface ColumnDecision {
  readonly kind: PiiKind | undefined;
  readonly evidence: readonly string[];
  readonly review: string | undefined;
  /** For json columns: the kind found at each path. */
  readonly jsonPaths?: ReadonlyMap<string, PiiKind>;
  /** For arrays: the kind is their elements'. */
  readonly elements?: boolean;
}

/** Kinds the sampled values can show; the others (birth dates, place names, account numbers) only a name tells. */
const SEEN_IN_VALUES = new Set<PiiKind>([
  'personnummer',
  'samordningsnummer',
  'organisationsnummer',
  'first_name',
  'last_name',
  'full_name',
  'email',
  'phone',
  'street',
  'postal_code',
  'geo',
  'iban',
  'payment_card',
  'ip',
]);

/** Kinds whose values alone are too common to decide a column (five digits, a decimal, a single word): a name must agree. */
const WEAK_IN_VALUES = new Set<PiiKind>(['postal_code', 'geo', 'first_name', 'last_name']);

/** Values that are personal whatever the column is called. */
const UNMISTAKABLE = new Set<PiiKind>(['personnummer', 'samordningsnummer', 'iban', 'full_name', 'street']);

const NAME_KINDS: readonly PiiKind[] = ['first_name', 'last_name', 'full_name'];

/** Kinds stored as numbers too (a personnummer in a bigint, a phone number without its 0). */
const NUMERIC_KINDS = new Set<PiiKind>(['personnummer', 'samordningsnummer', 'organisationsnummer', 'postal_code', 'geo', 'phone', 'bank_account', 'payment_card']);

/** The kinds a value of a family can hold. */
function plausible(kind: PiiKind, family: TypeFamily): boolean {
  if (family === 'text') return true;
  if (family === 'integer' || family === 'numeric') return NUMERIC_KINDS.has(kind);
  return false;
}

const KEEP: ColumnDecision = { kind: undefined, evidence: [], review: undefined };

const nameEvidence = (hint: NameSignal): string => `${hint.source === 'column' ? 'name' : 'comment says'} "${hint.word}"`;

/** Values of a kind; for a name kind, values of any name kind (a first-name column holds some double names). */
function found(values: SampleProfile, kind: PiiKind): number {
  if (NAME_KINDS.includes(kind)) return Math.max(...NAME_KINDS.map((k) => values.whole.get(k) ?? 0));
  return values.whole.get(kind) ?? 0;
}

/** The kind most sampled values wholly are, among those the column's type can hold. */
function bestValueKind(values: SampleProfile, family: TypeFamily): { kind: PiiKind; found: number } | undefined {
  let best: { kind: PiiKind; found: number } | undefined;
  for (const [kind, n] of values.whole) {
    if (!plausible(kind, family) || n === 0) continue;
    // Ties go to the kind listed first in `whole`'s order of insertion by the profiler; an identity number beats a phone number.
    if (!best || n > best.found || (n === best.found && kind === 'personnummer')) best = { kind, found: n };
  }
  return best;
}

/** Values holding personal data inside free text: the most any kind was found in. */
function inTextFound(values: SampleProfile): { found: number; kinds: PiiKind[] } {
  const kinds = [...values.inText].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  return { found: kinds[0]?.[1] ?? 0, kinds: kinds.map(([k]) => k) };
}

/** Kinds that, found inside text, are personal whoever wrote them; names, addresses and IP addresses also occur in text about things. */
const STRONG_IN_TEXT = new Set<PiiKind>(['personnummer', 'samordningsnummer', 'email', 'phone', 'iban', 'payment_card']);

/**
 * Free text holding personal data: any value holding an identity number, e-mail address, phone
 * number, IBAN or card number, or a quarter of the values holding names (or addresses, or IP
 * addresses) in a column not named after a thing.
 */
function freeTextDecision(values: SampleProfile, evidence: string[], thingColumn: boolean): ColumnDecision | undefined {
  const { found: holding, kinds } = inTextFound(values);
  if (holding === 0) return undefined;
  const strong = kinds.some((k) => STRONG_IN_TEXT.has(k));
  if (!strong && (thingColumn || holding / values.sampled < 0.25)) return undefined;
  const what = kinds.slice(0, 3).map((k) => KIND_NOUN[k]);
  return { kind: 'free_text', evidence: [...evidence, valuesPhrase(holding, values.sampled, `text holding ${what.join(', ')}`)], review: undefined };
}

/**
 * A column that holds personal values in a few of its rows only (an identifier that is sometimes
 * a personnummer, a search log, an error message quoting an address): `text.scrub` replaces what
 * it finds and keeps the rest. At least three values and one in a hundred that are an e-mail
 * address or IBAN, or hold an identity number, e-mail address, phone number, IBAN or card number
 * inside text; one in ten that are an identity number or phone number (one random number in
 * thirty passes a date and Luhn check, as OCR references do; ten digits starting with 0 read as a
 * phone number). Bare card numbers do not count: order and receipt numbers pass a Luhn check.
 * Under a code's name (`inTextOnly`), only what is found inside text counts.
 */
function mixedDecision(values: SampleProfile, inTextOnly = false): ColumnDecision | undefined {
  const least = Math.max(3, values.sampled / 100);
  const found = new Map<PiiKind, number>();
  for (const kind of STRONG_IN_TEXT) {
    const inText = values.inText.get(kind) ?? 0;
    const whole = values.whole.get(kind) ?? 0;
    const wholeCounts = kind === 'email' || kind === 'iban' ? whole >= least : kind !== 'payment_card' && whole >= Math.max(3, values.sampled / 10);
    const n = (wholeCounts && !inTextOnly ? whole : 0) + inText;
    if (n >= least) found.set(kind, n);
  }
  if (found.size === 0) return undefined;
  const holding = Math.max(...found.values());
  const what = [...found.keys()].map((k) => KIND_NOUN[k]).join(', ');
  return {
    kind: 'free_text',
    evidence: [valuesPhrase(holding, values.sampled, `or hold ${what}`)],
    review: `only some values are personal (${Math.max(1, Math.round((100 * holding) / values.sampled))} %): text.scrub replaces what it finds`,
  };
}

/** A json column: the paths where personal values were found. */
function decideJson(signals: ColumnSignals): ColumnDecision {
  const { values, names } = signals;
  const strong = names.find((n) => n.strength === 'strong');
  const paths = new Map<string, PiiKind>();
  const evidence: string[] = [];
  if (values && values.sampled > 0) {
    for (const [path, kinds] of values.jsonPaths) {
      let best: [PiiKind, number] | undefined;
      for (const [kind, n] of kinds) if (n > 0 && (!best || n > best[1])) best = [kind, n];
      if (!best) continue;
      const [kind, n] = best;
      // A path whose values are personal in at least a tenth of the documents (or three of them).
      if (n / values.sampled < 0.1 && n < 3) continue;
      if (WEAK_IN_VALUES.has(kind) && n / values.sampled < 0.5) continue;
      paths.set(path, kind);
    }
    if (paths.size > 0) {
      const list = [...paths].slice(0, 4).map(([p, k]) => `${KIND_NOUN[k]} at ${p}`);
      evidence.push(`${count(values.sampled)} sampled documents: ${list.join(', ')}${paths.size > 4 ? ` and ${paths.size - 4} more paths` : ''}`);
      const kind = PII_KINDS.find((k) => [...paths.values()].includes(k));
      return { kind, evidence, review: undefined, jsonPaths: paths };
    }
  }
  if (strong) {
    const why = values && values.sampled > 0 ? `; no path of ${count(values.sampled)} sampled documents holds a value the scan recognises` : '';
    return {
      kind: strong.kind === 'free_text' ? 'free_text' : strong.kind,
      evidence: [nameEvidence(strong)],
      review: `the name suggests personal data inside the documents${why}: text.scrub finds what it can; list paths if you know them`,
    };
  }
  return KEEP;
}

/** An array column: the kind of its elements. */
function decideArray(signals: ColumnSignals): ColumnDecision {
  const { values, names, column } = signals;
  const family = column.elementFamily ?? 'other';
  const strong = names.find((n) => n.strength === 'strong');
  if (values && values.sampled > 0) {
    const best = bestValueKind(values, family);
    if (best && best.found / values.sampled >= 0.5 && !WEAK_IN_VALUES.has(best.kind)) {
      return {
        kind: best.kind,
        elements: true,
        evidence: [...(strong ? [nameEvidence(strong)] : []), valuesPhrase(best.found, values.sampled, `arrays of ${KIND_NOUN[best.kind]}`)],
        review: undefined,
      };
    }
  }
  if (strong && strong.kind !== 'free_text' && plausible(strong.kind, family)) {
    const seen = values && values.sampled > 0 ? found(values, strong.kind) : undefined;
    const review = seen === 0 ? `the name suggests ${KIND_NOUN[strong.kind]}, but none of ${count(values!.sampled)} sampled arrays holds any` : undefined;
    return { kind: strong.kind, elements: true, evidence: [nameEvidence(strong)], review };
  }
  return KEEP;
}

/** A date or timestamp: personal only as a birth date, which only the name tells. */
function decideDate(signals: ColumnSignals): ColumnDecision {
  const hint = signals.names.find((n) => n.kind === 'birth_date');
  if (!hint || signals.codeLike) return KEEP;
  return { kind: 'birth_date', evidence: [nameEvidence(hint)], review: hint.strength === 'weak' ? 'only the name suggests a birth date' : undefined };
}

/**
 * Decides what one column holds from its signals: its type, its name and comment, and what its
 * sampled values are. A name that says personal wins even where the values do not agree (a
 * miss is a leak), with a `review:` note; values alone decide where they are unmistakable
 * (e-mail addresses, identity numbers, IBANs, card numbers, IP addresses, phone numbers,
 * person names, street addresses), and ask for a review where they are common shapes (five
 * digits, a decimal, a single word). Free text holding personal data the finders know becomes
 * `text.scrub`. Coordinates and place names in a table about things (cities, stores) are kept.
 */
export function decideColumn(signals: ColumnSignals): ColumnDecision {
  const decision = decideKind(signals);
  // Not personal data, but copied unchanged it works against production (a session, a reset link, a login).
  if (signals.secret && !decision.kind) {
    return {
      kind: undefined,
      evidence: [],
      review: 'a secret (a password hash, token or key): copied unchanged it works against production; rule it hash or redact unless staging needs it',
    };
  }
  if (signals.thingTable && (decision.kind === 'geo' || decision.kind === 'city')) return KEEP;
  return decision;
}

function decideKind(signals: ColumnSignals): ColumnDecision {
  const { column, names, codeLike, values } = signals;
  switch (column.family) {
    case 'json':
      return decideJson(signals);
    case 'array':
      return decideArray(signals);
    case 'date':
    case 'timestamp':
      return decideDate(signals);
    case 'network':
      if (codeLike) return KEEP;
      return column.baseType.startsWith('inet')
        ? { kind: 'ip', evidence: [`type ${column.type}`], review: undefined }
        : { kind: undefined, evidence: [`type ${column.type}`], review: 'a network or hardware address: keep it if it names no one’s device' };
    case 'text':
    case 'integer':
    case 'numeric':
      break;
    default: {
      // A point is a place: personal where the name says coordinates (`position`, `location`).
      const geo = column.baseType === 'point' && !codeLike ? names.find((n) => n.kind === 'geo') : undefined;
      return geo ? { kind: 'geo', evidence: [nameEvidence(geo), `type ${column.type}`], review: undefined } : KEEP;
    }
  }
  const sampled = values?.sampled ?? 0;
  const best = values && sampled > 0 ? bestValueKind(values, column.family) : undefined;
  const bestShare = best ? best.found / sampled : 0;
  const valueEvidence = best ? valuesPhrase(best.found, sampled, KIND_NOUN[best.kind]) : undefined;

  if (codeLike) {
    // Under a code's name only unmistakable values count: a version number is an IPv4 address's
    // text, OCR references carry a Luhn digit as organisationsnummer and card numbers do, and a
    // message id is written like an e-mail address.
    if (best && bestShare >= 0.8 && UNMISTAKABLE.has(best.kind)) {
      return { kind: best.kind, evidence: [valueEvidence!], review: `the name looks like a code, but the values are ${KIND_NOUN[best.kind]}` };
    }
    // `error`, `last_error`: a code's name, holding messages that quote addresses.
    return (values && column.family === 'text' && mixedDecision(values, true)) || KEEP;
  }

  const strong = names.find((n) => n.strength === 'strong' && plausible(n.kind, column.family));
  if (strong) {
    const evidence = [nameEvidence(strong)];
    if (strong.kind === 'free_text') {
      const text = values && sampled > 0 ? freeTextDecision(values, evidence, false) : undefined;
      return (
        text ?? {
          kind: 'free_text',
          evidence: values && sampled > 0 ? [...evidence, `none of ${count(sampled)} sampled values holds personal data the scan finds`] : evidence,
          review: undefined,
        }
      );
    }
    if (!values || sampled === 0) return { kind: strong.kind, evidence: [...evidence, 'no rows to sample'], review: undefined };
    // `raw_email`, `sms_text`: named after a kind, holding text written by people.
    if (column.family === 'text' && values.textLike / sampled >= 0.5) {
      return { kind: 'free_text', evidence: [...evidence, valuesPhrase(values.textLike, sampled, 'free text')], review: undefined };
    }
    if (!SEEN_IN_VALUES.has(strong.kind)) return { kind: strong.kind, evidence, review: undefined };
    const agree = found(values, strong.kind);
    if (agree / sampled >= 0.2) return { kind: strong.kind, evidence: [...evidence, valuesPhrase(agree, sampled, KIND_NOUN[strong.kind])], review: undefined };
    if (best && bestShare >= 0.8 && !WEAK_IN_VALUES.has(best.kind)) {
      return { kind: best.kind, evidence: [...evidence, valueEvidence!], review: `the name suggests ${KIND_NOUN[strong.kind]}, the values are ${KIND_NOUN[best.kind]}` };
    }
    return {
      kind: strong.kind,
      evidence: [...evidence, valuesPhrase(agree, sampled, KIND_NOUN[strong.kind])],
      review: `the name suggests ${KIND_NOUN[strong.kind]}, but ${agree === 0 ? 'no' : 'few'} sampled values look like it; masked to be safe`,
    };
  }

  if (best && bestShare >= 0.5) {
    const weakAgrees = names.some((n) => n.kind === best.kind || (NAME_KINDS.includes(n.kind) && NAME_KINDS.includes(best.kind)));
    if (!WEAK_IN_VALUES.has(best.kind) || weakAgrees) {
      const evidence = [...names.filter((n) => n.kind === best.kind).map(nameEvidence), valueEvidence!];
      return {
        kind: best.kind,
        evidence,
        review: bestShare < 0.8 && !weakAgrees ? `only ${Math.round(bestShare * 100)} % of sampled values are ${KIND_NOUN[best.kind]}` : undefined,
      };
    }
    // `113 60` in nine values of ten is a postal code; a lone decimal is no coordinate.
    if (bestShare >= 0.9 && best.kind !== 'geo' && (best.kind !== 'postal_code' || column.family === 'text')) {
      return { kind: best.kind, evidence: [valueEvidence!], review: `only the values suggest ${KIND_NOUN[best.kind]}` };
    }
  }

  const weak = names.find((n) => plausible(n.kind, column.family));
  if (values && sampled > 0 && column.family === 'text') {
    const textLike = values.textLike / sampled;
    if (textLike >= 0.3 || weak?.kind === 'free_text') {
      const text = freeTextDecision(values, weak ? [nameEvidence(weak)] : [], signals.thingColumn === true);
      if (text) return text;
      if (textLike >= 0.5 && !weak) {
        return {
          kind: undefined,
          evidence: [valuesPhrase(values.textLike, sampled, 'free text')],
          review: 'free text in which the scan found nothing personal; people may still write names here',
        };
      }
    }
  }
  const mixed = values && column.family === 'text' ? mixedDecision(values) : undefined;
  if (mixed) return mixed;
  if (weak) {
    if (!values || sampled === 0) return { kind: weak.kind, evidence: [nameEvidence(weak), 'no rows to sample'], review: `only the name suggests ${KIND_NOUN[weak.kind]}` };
    if (SEEN_IN_VALUES.has(weak.kind)) {
      const agree = found(values, weak.kind);
      if (agree / sampled >= 0.3) return { kind: weak.kind, evidence: [nameEvidence(weak), valuesPhrase(agree, sampled, KIND_NOUN[weak.kind])], review: undefined };
    } else if (weak.kind !== 'free_text') {
      return { kind: weak.kind, evidence: [nameEvidence(weak)], review: `only the name suggests ${KIND_NOUN[weak.kind]}` };
    }
  }
  return KEEP;
}
