import { localeData } from '../../random/faker.js';
import { NOT_NAMES } from '../../transformers/helpers/name-words.js';
import type { PiiKind } from '../pii-kind.js';

const FIRST = 1;
const LAST = 2;

/**
 * Every name of faker's sv and en lists in lower case (the lists `text.scrub` finds names by), with
 * FIRST and LAST. Built at the first call and kept: a constant of the lists, no run's data.
 */
let lexicon: ReadonlyMap<string, number> | undefined;

function names(): ReadonlyMap<string, number> {
  if (lexicon) return lexicon;
  const map = new Map<string, number>();
  const add = (list: readonly string[], flag: number): void => {
    for (const name of list) {
      const key = name.toLowerCase();
      map.set(key, (map.get(key) ?? 0) | flag);
    }
  };
  add(localeData.names.female, FIRST);
  add(localeData.names.male, FIRST);
  add(localeData.names.either, FIRST);
  add(localeData.names.last, LAST);
  lexicon = map;
  return map;
}

/** What the lists say of a lower-case word; a double first name (`anna-karin`) is a first name when both parts are. */
function flagsOf(key: string): number {
  if (NOT_NAMES.has(key)) return 0;
  const flags = names().get(key);
  if (flags !== undefined) return flags;
  if (!key.includes('-')) return 0;
  const parts = key.split('-');
  if (parts.every((part) => ((names().get(part) ?? 0) & FIRST) !== 0)) return FIRST;
  return parts.every((part) => ((names().get(part) ?? 0) & LAST) !== 0) ? LAST : 0;
}

/** A word written as a name: `Anna`, `ANNA`, `Ann-Marie`, `O'Brien`, `McDonald`, `Åsa`. */
const NAME_WORD = /^(?:\p{Lu}\p{Ll}*(?:\p{Lu}\p{Ll}+)?(?:['’-]\p{Lu}?\p{Ll}+)*|\p{Lu}+(?:['’-]\p{Lu}+)*)$/u;

const NONE: readonly PiiKind[] = [];
const FIRST_NAME: readonly PiiKind[] = ['first_name'];
const LAST_NAME: readonly PiiKind[] = ['last_name'];
const BOTH: readonly PiiKind[] = ['first_name', 'last_name'];
const FULL_NAME: readonly PiiKind[] = ['full_name'];

/**
 * The name kinds of a whole trimmed value of letters: one word on the first-name list →
 * `first_name`, on the last-name list → `last_name` (both when both lists hold it, as `Hans` or
 * `Berg`); two or three words written as names, the first a known first name or the last a known
 * last name, or `Last, First` → `full_name`. Words must be capitalised (`Anna`) or all capitals (`ANNA`): lower-case
 * words (`grant`, `rose`) are read as words. Calendar words, places and brands (`May`, `Lund`,
 * `Volvo`) count as no name.
 */
export function nameKinds(value: string): readonly PiiKind[] {
  if (value.length < 2 || value.length > 60) return NONE;
  const space = value.indexOf(' ');
  if (space < 0) {
    if (!NAME_WORD.test(value)) return NONE;
    const flags = flagsOf(value.toLowerCase());
    return flags === (FIRST | LAST) ? BOTH : flags === FIRST ? FIRST_NAME : flags === LAST ? LAST_NAME : NONE;
  }
  // `Last, First`: a register's order.
  const comma = value.indexOf(', ');
  if (comma > 0 && value.indexOf(',', comma + 1) < 0) {
    const last = value.slice(0, comma);
    const first = value.slice(comma + 2).split(' ');
    if (!NAME_WORD.test(last) || first.length > 2 || !first.every((word) => NAME_WORD.test(word))) return NONE;
    const known = (flagsOf(last.toLowerCase()) & LAST) !== 0 || (flagsOf(first[0]!.toLowerCase()) & FIRST) !== 0;
    return known && !NOT_NAMES.has(last.toLowerCase()) ? FULL_NAME : NONE;
  }
  const words = value.split(' ');
  if (words.length > 3 || !words.every((word) => NAME_WORD.test(word))) return NONE;
  const keys = words.map((word) => word.toLowerCase());
  if (keys.some((key) => NOT_NAMES.has(key))) return NONE;
  const known = (flagsOf(keys[0]!) & FIRST) !== 0 || (flagsOf(keys[keys.length - 1]!) & LAST) !== 0;
  return known ? FULL_NAME : NONE;
}
