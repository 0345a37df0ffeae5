import type { Today } from '../../se/calendar.js';
import { formatIdentityNumber, type IdentityNumber, parseIdentityNumber, twelveDigits } from '../../se/identity-number.js';
import { formatSwedishPhone, PTS_FIXED, PTS_MOBILE, parseSwedishPhone, type SwedishPhone } from '../../se/phone.js';
import type { RowColumn, RowValues, TextForm } from '../transformer.js';
import { isWordChar } from './word-char.js';

/** Column names by the form their values take in text. */
export type TextForms = ReadonlyMap<TextForm, readonly string[]>;

/** Groups a rule's row columns by form, once per rule (a column without one is looked for as a phrase). */
export function textForms(columns: readonly RowColumn[]): TextForms {
  const byForm = new Map<TextForm, string[]>();
  for (const column of columns) {
    const form = column.inText ?? 'phrase';
    const list = byForm.get(form);
    if (list) list.push(column.name);
    else byForm.set(form, [column.name]);
  }
  return byForm;
}

interface Held {
  readonly name: string;
  /** The original value as its form compares it (12 digits, national number, lower case). */
  readonly key: string;
}

const WORD_SPLIT = /\s+/;
const SPACE = /\s/;
/** The words of a name, of two letters or more (most names are one word: no split). */
const words = (value: string): string[] =>
  SPACE.test(value)
    ? value
        .trim()
        .split(WORD_SPLIT)
        .filter((w) => w.length > 1)
    : value.length > 1
      ? [value]
      : [];

const RESERVED = [...PTS_MOBILE, ...PTS_FIXED];

/** The reserved range a national number PTS reserves lies in (its area code and grouping), so it can be written in another style. */
function reservedArea(nsn: string): { area: string; groups: readonly number[] } | undefined {
  return RESERVED.find((r) => nsn.length === r.area.length + r.digits && nsn.startsWith(r.area));
}

/**
 * The values of a row's personal columns as row-aware `text.scrub` looks for them in the row's
 * free text, and what each becomes: the value its column was masked to, written the way the
 * text wrote the original (10 or 12 digits, `+46` or `0`, the case of a name). One per masked
 * value; each lookup is built when first asked. A column masked to NULL is not looked for, so
 * the text's own scrubbing applies.
 */
export class RowInText {
  private identities: Held[] | undefined;
  private phones: Held[] | undefined;
  private emails: Held[] | undefined;
  private nameWords: Map<string, string> | undefined;

  /** `byForm`: the row's columns to look for, by form (see `textForms`). */
  constructor(
    private readonly byForm: TextForms,
    private readonly row: RowValues,
    private readonly today: Today | undefined,
  ) {}

  /** The masked value of a column, unless its rule made it NULL. */
  private masked(name: string): string | undefined {
    return this.row.masked(name) ?? undefined;
  }

  private held(form: TextForm, key: (original: string) => string | undefined): Held[] {
    const out: Held[] = [];
    for (const name of this.byForm.get(form) ?? []) {
      const original = this.row.original(name);
      const k = original === null ? undefined : key(original);
      if (k !== undefined) out.push({ name, key: k });
    }
    return out;
  }

  /** The row's own identity number written as `found` is, or undefined. */
  identity(found: IdentityNumber): string | undefined {
    this.identities ??= this.held('identity', (v) => {
      const parsed = parseIdentityNumber(v.trim(), this.today);
      return parsed ? twelveDigits(parsed) : undefined;
    });
    if (this.identities.length === 0) return undefined;
    const key = twelveDigits(found);
    for (const held of this.identities) {
      if (held.key !== key) continue;
      const masked = this.masked(held.name);
      if (masked === undefined) return undefined;
      const parsed = parseIdentityNumber(masked.trim(), this.today);
      return parsed ? formatIdentityNumber(twelveDigits(parsed), found.form, this.today) : masked;
    }
    return undefined;
  }

  /** The row's own phone number written in the style of `found`, or undefined. */
  phone(found: SwedishPhone): string | undefined {
    this.phones ??= this.held('phone', (v) => parseSwedishPhone(v)?.nsn);
    for (const held of this.phones) {
      if (held.key !== found.nsn) continue;
      const masked = this.masked(held.name);
      if (masked === undefined) return undefined;
      const parsed = parseSwedishPhone(masked);
      const range = parsed && reservedArea(parsed.nsn);
      return range ? formatSwedishPhone(range.area, parsed.nsn.slice(range.area.length), range.groups, found.style) : masked;
    }
    return undefined;
  }

  /** The row's own e-mail address (in any case), masked (in capitals if found in capitals), or undefined. */
  email(found: string): string | undefined {
    this.emails ??= this.held('email', (v) => v.trim().toLowerCase());
    const key = found.toLowerCase();
    for (const held of this.emails) {
      if (held.key !== key) continue;
      const masked = this.masked(held.name);
      // Written in capitals, as the text wrote the original.
      return masked !== undefined && found !== key && found === found.toUpperCase() ? masked.toUpperCase() : masked;
    }
    return undefined;
  }

  /**
   * The row's name words, lower case, each with the word its column was masked to: a first-name
   * column's first word, a last-name column's words, a full name's first word and family name.
   */
  names(): ReadonlyMap<string, string> {
    if (this.nameWords) return this.nameWords;
    const map = new Map<string, string>();
    const add = (name: string, pick: (originals: string[], masked: string[]) => [string, string | undefined][]): void => {
      const original = this.row.original(name);
      if (original === null) return;
      const masked = this.masked(name);
      if (masked === undefined) return;
      for (const [word, by] of pick(words(original), words(masked))) {
        const key = word.toLowerCase();
        if (by !== undefined && !map.has(key)) map.set(key, by);
      }
    };
    for (const name of this.byForm.get('first_name') ?? []) add(name, (o, m) => (o.length > 0 ? [[o[0]!, m[0]]] : []));
    // A family name's last word becomes the masked one's last word, earlier words the masked one's words before it, if any.
    const family = (o: string[], m: string[]): [string, string | undefined][] => o.map((w, i) => [w, i === o.length - 1 ? m[m.length - 1] : i < m.length - 1 ? m[i] : undefined]);
    for (const name of this.byForm.get('last_name') ?? []) add(name, family);
    for (const name of this.byForm.get('full_name') ?? []) add(name, (o, m) => (o.length === 0 ? [] : [[o[0]!, m[0]], ...family(o.slice(1), m.slice(1))]));
    this.nameWords = map;
    return map;
  }

  /** Replaces the row's other values (`phrase` columns: street addresses, columns a rule names) where the text holds them whole, in any case. */
  phrases(text: string): string {
    const columns = this.byForm.get('phrase');
    if (!columns) return text;
    let out = text;
    for (const name of columns) {
      const original = this.row.original(name)?.trim();
      if (!original || original.length < 3) continue;
      const masked = this.masked(name);
      if (masked === undefined) continue;
      out = replaceWhole(out, original, masked);
    }
    return out;
  }
}

/** Replaces every case-insensitive occurrence of `phrase` that stands apart from letters and digits. */
function replaceWhole(text: string, phrase: string, by: string): string {
  const haystack = text.toLowerCase();
  const needle = phrase.toLowerCase();
  // Lower-casing keeps lengths for the scripts names and addresses use; where it does not, positions would drift: compare as written.
  const exact = haystack.length !== text.length || needle.length !== phrase.length;
  const h = exact ? text : haystack;
  const n = exact ? phrase : needle;
  let out = '';
  let at = 0;
  for (let i = h.indexOf(n); i >= 0; i = h.indexOf(n, i + 1)) {
    if (i < at || isWordChar(text.charCodeAt(i - 1)) || isWordChar(text.charCodeAt(i + n.length))) continue;
    out += text.slice(at, i) + by;
    at = i + n.length;
  }
  return at === 0 ? text : out + text.slice(at);
}
