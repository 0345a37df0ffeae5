import { localeData } from '../../random/faker.js';
import { COMMON_WORD_NAMES, COMPANY_NAMES, FAMILY_NAME_ENDING, GREETINGS, MONTH_ABBREVIATIONS, NOT_AFTER_GREETING, NOT_NAMES, SIGN_OFFS, TITLES } from './name-words.js';

/** Whether a name word is a given name or a family name. */
export type NameRole = 'first' | 'last';

/** The sex a first name tells, when only one of faker's lists holds it. */
export type NameSex = 'female' | 'male' | undefined;

/** What `replaceNames` writes for the names it finds. */
export interface NameReplacer {
  /** The row's own name words: lower case as written in its columns → the word its column was masked to. */
  readonly row?: ReadonlyMap<string, string> | undefined;
  /** The pseudonym of a name no column of the row holds (given in title case: `Anna`, `Ann-Marie`); without it such names are not looked for. */
  readonly pseudonym?: ((name: string, role: NameRole, sex: NameSex) => string) | undefined;
}

type Pseudonym = NonNullable<NameReplacer['pseudonym']>;

const FEMALE = 1;
const MALE = 2;
const FIRST = 4;
const LAST = 8;

/** Every name of the lists in lower case, with what it is: FEMALE, MALE and FIRST (a first name), LAST. */
const LEXICON: ReadonlyMap<string, number> = (() => {
  const lexicon = new Map<string, number>();
  const add = (names: readonly string[], flags: number): void => {
    for (const name of names) {
      const key = name.toLowerCase();
      lexicon.set(key, (lexicon.get(key) ?? 0) | flags);
    }
  };
  add(localeData.names.female, FEMALE | FIRST);
  add(localeData.names.male, MALE | FIRST);
  add(localeData.names.either, FIRST);
  add(localeData.names.last, LAST);
  return lexicon;
})();

/** What the lists say of a lower-case word; a double first name (`anna-karin`) is a first name when both parts are. */
function lexicon(key: string): number {
  const flags = LEXICON.get(key);
  if (flags !== undefined) return flags;
  return key.includes('-') && key.split('-').every((part) => ((LEXICON.get(part) ?? 0) & FIRST) !== 0) ? FIRST : 0;
}

const HAS_DIGIT = /\p{N}/u;
/** Whether a word holds a digit (ASCII checked by hand, others by \p{N}). */
function hasDigit(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) return true;
    if (c >= 0x80 && HAS_DIGIT.test(word[i]!)) return true;
  }
  return false;
}
const HAS_UPPER = /\p{Lu}/u;
/** What may stand between two words of one name: `text[from, to)` is spaces on one line (` `, tab, no-break space), at least one. */
function nameGap(text: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0xa0) return false;
  }
  return true;
}
/** What may stand between a title or greeting and the name after it: `text[from, to)` is spaces, `.`, `,` and `:` on one line, or nothing. */
function cueGap(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0xa0 && c !== 0x2e && c !== 0x2c && c !== 0x3a) return false;
  }
  return true;
}
/** What may stand between a sign-off and the name after it: also a line break. */
const SIGN_OFF_GAP = /^[\s.,:!-]*$/;

interface Word {
  readonly start: number;
  readonly end: number;
  /** The word without a possessive ending. */
  readonly stem: string;
  /** The possessive ending (`s`, `'s`, `’s`, `'`), or ''. */
  readonly suffix: string;
  readonly key: string;
  /** The word its row column was masked to. */
  readonly row: string | undefined;
  /** Starts with a capital letter. */
  readonly capital: boolean;
  readonly first: boolean;
  readonly last: boolean;
}

const POSSESSIVE_ENDINGS = ["'s", '’s', "'", '’', 's'];

/**
 * Splits a possessive ending off a word when the rest is a name (`Annas`, `Anna's`, `Karlssons`,
 * `Lars'`): a row's own word, or with `lists` a word on the name lists. `key` is the word in lower case.
 */
function possessive(word: string, key: string, row: ReadonlyMap<string, string> | undefined, lists: boolean): [stem: string, suffix: string] {
  const last = key.charCodeAt(key.length - 1);
  // Only a word ending in s or an apostrophe may be a possessive.
  if (last !== 0x73 && last !== 0x27 && last !== 0x2019) return [word, ''];
  const isName = (k: string): boolean => row?.has(k) === true || (lists && lexicon(k) !== 0);
  if (isName(key) || NOT_NAMES.has(key)) return [word, ''];
  for (const suffix of POSSESSIVE_ENDINGS) {
    if (key.length > suffix.length + 1 && key.endsWith(suffix) && isName(key.slice(0, -suffix.length))) return [word.slice(0, -suffix.length), word.slice(-suffix.length)];
  }
  return [word, ''];
}

const isSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0;

const ADDRESS_MARKS: readonly string[] = ['@', '://', 'www.'];

/** The runs without spaces that hold an address or a link (`@`, `://`, `www.`), in order: no name is looked for inside them. */
function addressRuns(text: string): [number, number][] {
  const runs: [number, number][] = [];
  for (const mark of ADDRESS_MARKS) {
    for (let at = text.indexOf(mark); at >= 0; at = text.indexOf(mark, at + 1)) {
      let start = at;
      let end = at + mark.length;
      while (start > 0 && !isSpace(text.charCodeAt(start - 1))) start--;
      while (end < text.length && !isSpace(text.charCodeAt(end))) end++;
      runs.push([start, end]);
    }
  }
  return runs.length > 1 ? runs.sort((a, b) => a[0] - b[0]) : runs;
}

const LETTER_OR_MARK = /[\p{L}\p{N}\p{M}]/u;

/** A letter, digit or combining mark (UTF-16 code unit; a surrogate counts as none). */
function isLetterOrDigit(c: number): boolean {
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
  if (c >= 0xc0 && c <= 0xff) return c !== 0xd7 && c !== 0xf7;
  return (c < 0xd800 || c > 0xdfff) && LETTER_OR_MARK.test(String.fromCharCode(c));
}

function isUpperAt(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  if (c < 0x80) return c >= 0x41 && c <= 0x5a;
  const ch = text[at]!;
  return ch !== ch.toLowerCase();
}

/** Lower-case words that matter though they are no names: titles, greetings and sign-offs before a name. */
const CUES: ReadonlySet<string> = new Set([...TITLES, ...GREETINGS, ...SIGN_OFFS]);
const CUE_INITIALS: ReadonlySet<number> = new Set([...CUES].map((cue) => cue.charCodeAt(0)));

/** A word: letters, digits and marks with inner hyphens and apostrophes (`Ann-Marie`, `O'Brien`, `Anna's`). */
const ANY_WORD = /(?<![\p{L}\p{N}\p{M}])[\p{L}\p{N}][\p{L}\p{N}\p{M}]*(?:['’-][\p{L}\p{N}][\p{L}\p{N}\p{M}]*)*/gu;
/** A word that starts with a capital letter (most words do not: the regular expression skips them fast). */
const CAPITAL_WORD = /(?<![\p{L}\p{N}\p{M}])\p{Lu}[\p{L}\p{N}\p{M}]*(?:['’-][\p{L}\p{N}][\p{L}\p{N}\p{M}]*)*/gu;

/**
 * The words of a text that may be names, or cue one: capitalised words, the row's own words in
 * any case, and titles, greetings and sign-offs before a capitalised word. Not inside an address
 * or link, not joined to `_`; a word with a digit is only ever the row's own.
 */
function words(text: string, row: ReadonlyMap<string, string> | undefined): Word[] {
  const blocked = addressRuns(text);
  // Lower-case words matter only when the text holds one of the row's words in lower case, as a word of its own (not in `anna.k@firma.se`).
  const lowerRow = row && holdsAnyWord(text, row) ? row : undefined;
  const pattern = lowerRow ? ANY_WORD : CAPITAL_WORD;
  const out: Word[] = [];
  let b = 0;
  pattern.lastIndex = 0;
  for (;;) {
    // A capitalised word starts at an ASCII capital or a non-ASCII character: the expression is not run over the lower-case ASCII before it.
    if (!lowerRow) pattern.lastIndex = nextCapitalCandidate(text, pattern.lastIndex);
    const m = pattern.exec(text);
    if (m === null) break;
    const start = m.index;
    const end = start + m[0].length;
    // Inside a word joined by a hyphen or apostrophe (`anna-Karin`): not a word of its own.
    const joint = text.charCodeAt(start - 1);
    if ((joint === 0x27 || joint === 0x2019 || joint === 0x2d) && isLetterOrDigit(text.charCodeAt(start - 2))) continue;
    while (b < blocked.length && blocked[b]![1] <= start) b++;
    if ((b < blocked.length && blocked[b]![0] <= start) || text.charCodeAt(start - 1) === 0x5f || text.charCodeAt(end) === 0x5f) continue;
    if (!lowerRow) {
      const cue = cueWordBefore(text, start);
      if (cue && (out.length === 0 || out[out.length - 1]!.start < cue.start)) out.push(cue);
    }
    const word = wordAt(text, start, end, row, lowerRow);
    if (word) out.push(word);
  }
  return out;
}

/** From `from` on, the first position a capitalised word may start at: an ASCII capital or any non-ASCII character (CAPITAL_WORD judges those); the text's length when none. */
function nextCapitalCandidate(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || c >= 0x80) return i;
  }
  return text.length;
}

/** Whether `text` holds one of the row's words as a word of its own (see `holdsWord`). */
function holdsAnyWord(text: string, row: ReadonlyMap<string, string>): boolean {
  for (const key of row.keys()) if (holdsWord(text, key)) return true;
  return false;
}

/** A character that joins a word to an address or identifier around it (`.`, `_`, `@`, `-`). */
const isJoiner = (c: number): boolean => c === 0x2e || c === 0x5f || c === 0x40 || c === 0x2d;

/** Whether `text` holds `word` as written, standing apart: not inside another word, an address or an identifier (a sentence's full stop may follow). */
function holdsWord(text: string, word: string): boolean {
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    const before = text.charCodeAt(at - 1);
    const end = at + word.length;
    const after = text.charCodeAt(end);
    if (at > 0 && (isLetterOrDigit(before) || isJoiner(before))) continue;
    if (end < text.length && (isLetterOrDigit(after) || (isJoiner(after) && !(after === 0x2e && (end + 1 === text.length || isSpace(text.charCodeAt(end + 1))))))) continue;
    return true;
  }
  return false;
}

/** The title, greeting or sign-off just before `at` (a few characters of spaces and punctuation, or a line break, between), if any. */
function cueWordBefore(text: string, at: number): Word | undefined {
  let end = at;
  while (end > 0 && at - end < 6 && !isLetterOrDigit(text.charCodeAt(end - 1))) end--;
  let start = end;
  while (start > 0 && end - start <= 10 && isLetterOrDigit(text.charCodeAt(start - 1))) start--;
  if (start === end || end - start > 10 || (start > 0 && isLetterOrDigit(text.charCodeAt(start - 1))) || !CUE_INITIALS.has(text.charCodeAt(start) | 0x20)) return undefined;
  const key = text.slice(start, end).toLowerCase();
  return CUES.has(key) ? { start, end, stem: text.slice(start, end), suffix: '', key, row: undefined, capital: false, first: false, last: false } : undefined;
}

/** The word from `start` to `end`, when it may be a name or cue one. */
function wordAt(text: string, start: number, end: number, row: ReadonlyMap<string, string> | undefined, lowerRow: typeof row): Word | undefined {
  const capital = isUpperAt(text, start);
  if (!capital && !lowerRow) {
    // Only a cue: lower-case words are no names, and most words are lower-case.
    if (end - start > 10 || !CUE_INITIALS.has(text.charCodeAt(start))) return undefined;
    const key = text.slice(start, end);
    return CUES.has(key) ? { start, end, stem: key, suffix: '', key, row: undefined, capital: false, first: false, last: false } : undefined;
  }
  const word = text.slice(start, end);
  const lower = word.toLowerCase();
  // A lower-case word is looked up in the row only, not on the name lists.
  const [stem, suffix] = possessive(word, lower, row, capital);
  const key = suffix === '' ? lower : lower.slice(0, -suffix.length);
  const own = row?.get(key);
  if (hasDigit(stem)) return own === undefined ? undefined : { start, end, stem, suffix, key, row: own, capital: false, first: false, last: false };
  if (!capital) return own !== undefined || CUES.has(key) ? { start, end, stem, suffix, key, row: own, capital: false, first: false, last: false } : undefined;
  const flags = lexicon(key);
  return { start, end, stem, suffix, key, row: own, capital: true, first: (flags & FIRST) !== 0, last: (flags & LAST) !== 0 };
}

/** Whether a word opens a sentence, a line or a list item. */
function opensSentence(text: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t' || text[i] === '"' || text[i] === '(' || text[i] === '“')) i--;
  return i < 0 || '.!?:;\n\r•*-–—>'.includes(text[i]!);
}

/** `Anna`, `ANNA` or `anna`: the pseudonym in the case the found word was written in. */
function inCaseOf(found: string, pseudonym: string): string {
  if (found.length > 1 && found === found.toUpperCase()) return pseudonym.toUpperCase();
  if (found === found.toLowerCase()) return pseudonym.toLowerCase();
  return pseudonym;
}

/** A possessive ending for the pseudonym: a Swedish `s` after a name ending in s, x or z becomes `'`. */
function possessiveFor(pseudonym: string, suffix: string): string {
  return suffix === 's' && /[sxz]$/i.test(pseudonym) ? "'" : suffix;
}

const titleCase = (word: string): string => word.toLowerCase().replace(/(^|-)(\p{L})/gu, (_m, dash: string, c: string) => dash + c.toUpperCase());

function sexOf(key: string): NameSex {
  const sex = lexicon(key) & (FEMALE | MALE);
  return sex === FEMALE ? 'female' : sex === MALE ? 'male' : undefined;
}

/**
 * Replaces the person names of a text. A word the row's own name columns hold is replaced by the
 * word its column was masked to, in any case and word order. With `pseudonym`, other names are found
 * by faker's sv and en name lists, capitalisation and context:
 * - a run of capitalised words on one line with a known name in it is a name (`Anna Zwetschke`,
 *   `Sigrid Karlsson`); a word that opens a sentence joins only when it is a known name;
 * - a capitalised word after a title (`fru`, `Dr.`, `Mr`) or a greeting (`Hej`, `Mvh`, `Thanks,`) is a name;
 * - two unknown capitalised words inside a sentence are a name when the second ends like a
 *   Swedish family name (`-sson`, `-berg`, `-qvist`);
 * - a known name that is also a common word (`Will`, `Grant`, `Berg`) counts inside a sentence or
 *   next to another name, not alone at a sentence's start; calendar words, places and brands never do;
 * - possessives keep their ending (`Annas` → `Evas`, `Anna's` → `Eva's`).
 * Words inside e-mail addresses and links, and words with digits (unless the row's own), are left alone.
 */
export function replaceNames(text: string, replacer: NameReplacer): string {
  const row = replacer.row !== undefined && replacer.row.size > 0 ? replacer.row : undefined;
  const pseudonym = replacer.pseudonym;
  if (!row && (!pseudonym || !HAS_UPPER.test(text))) return text;
  const found = words(text, row);
  if (found.length === 0) return text;
  const replaced = new Map<Word, string>();
  if (row) for (const w of found) if (w.row !== undefined) replaced.set(w, inCaseOf(w.stem, w.row) + w.suffix);
  if (pseudonym) detect(text, found, replaced, pseudonym);
  if (replaced.size === 0) return text;
  let out = '';
  let at = 0;
  for (const w of found) {
    const by = replaced.get(w);
    if (by === undefined) continue;
    out += text.slice(at, w.start) + by;
    at = w.end;
  }
  return out + text.slice(at);
}

function detect(text: string, found: readonly Word[], replaced: Map<Word, string>, pseudonym: Pseudonym): void {
  const cue = (w: Word): boolean => CUES.has(w.key);
  for (let i = 0; i < found.length; ) {
    const w = found[i]!;
    if (!w.capital || cue(w)) {
      i++;
      continue;
    }
    // A group: capitalised words on one line with only spaces between; a possessive ends it, a title or greeting is not in it.
    let j = i + 1;
    while (j < found.length && found[j]!.capital && !cue(found[j]!) && found[j - 1]!.suffix === '' && nameGap(text, found[j - 1]!.end, found[j]!.start)) j++;
    // Most capitalised words stand alone, off the lists, with no cue before them (`Ringde`, `Customer`): no name.
    const alone = j === i + 1 && !known(w) && !(i > 0 && cue(found[i - 1]!)) && text[w.start - 1] !== '/' && !beforeCommaFirst(text, found, j);
    if (!alone) nameGroup(text, found, i, j, replaced, pseudonym);
    i = j;
  }
}

type Cue = 'title' | 'greeting' | 'sign-off';

/**
 * The cue before word `i`: a title or greeting just before it on its line, a sign-off before
 * it (also on the line before), or a signature's `/` at a line's start.
 */
function cueBefore(text: string, found: readonly Word[], i: number): Cue | undefined {
  const w = found[i]!;
  const before = found[i - 1];
  if (before && CUES.has(before.key)) {
    if (cueGap(text, before.end, w.start)) {
      if (TITLES.has(before.key)) return 'title';
      if (GREETINGS.has(before.key)) return 'greeting';
      if (SIGN_OFFS.has(before.key)) return 'sign-off';
    } else if (SIGN_OFFS.has(before.key) && SIGN_OFF_GAP.test(text.slice(before.end, w.start))) return 'sign-off';
  }
  if (text[w.start - 1] === '/' && (w.start === 1 || /[\s/]/.test(text[w.start - 2]!))) return 'sign-off';
  return undefined;
}

/** Whether a run of words is a company named like people (`Clas Ohlson`, `Martin & Servera`) or a date (`Jan 2025`). */
function notAPerson(text: string, found: readonly Word[], from: number, to: number): boolean {
  const start = found[from]!.start;
  const end = found[to - 1]!.end;
  // An `&` within three characters after or before the run (none at all, mostly: the expressions are not run).
  const amp = text.indexOf('&', Math.max(0, start - 3));
  if (amp !== -1 && amp <= end + 2 && (/^\s*&/.test(text.slice(end, end + 3)) || /&\s*$/.test(text.slice(Math.max(0, start - 3), start)))) return true;
  if (to - from === 1 && MONTH_ABBREVIATIONS.has(found[from]!.key) && /^ \d/.test(text.slice(end, end + 2))) return true;
  const words = text.slice(start, start + 24).toLowerCase();
  return COMPANY_NAMES.some((company) => words.startsWith(company));
}

/** A calendar word, place or brand (`May`, `Lund`, `Ford`) that the row does not hold. */
const blocked = (w: Word): boolean => w.row === undefined && NOT_NAMES.has(w.key);
/** On the name lists (or the row's own). */
const known = (w: Word): boolean => w.row !== undefined || w.first || w.last;
/** On the name lists and neither a common word nor a place or brand (or the row's own). */
const strong = (w: Word): boolean => w.row !== undefined || (known(w) && !blocked(w) && !COMMON_WORD_NAMES.has(w.key));
const listed = (w: Word): boolean => known(w) && !blocked(w);
/** `Rice's`: an English possessive marks a name even where the word alone would not. */
const apostrophe = (w: Word): boolean => w.suffix.length > 1;

/** Whether the group is a family name before a comma and a first name (`Björk, Mona`). */
function beforeCommaFirst(text: string, found: readonly Word[], to: number): boolean {
  const next = found[to];
  return next?.capital === true && next.first && strong(next) && /^, ?$/.test(text.slice(found[to - 1]!.end, next.start));
}

function nameGroup(text: string, found: readonly Word[], from: number, to: number, replaced: Map<Word, string>, pseudonymOf: Pseudonym): void {
  // A long run of capitalised words is a heading or a title, not a name.
  if (to - from > 4) return;
  const group = found.slice(from, to);
  let cue = cueBefore(text, found, from);
  const opens = cue === undefined && opensSentence(text, group[0]!.start);
  // A sentence's opening word off the lists is no name (`Enligt Lind`, `Kunden Anna Berg`): the rest may be.
  if (opens && group.length > 1 && !known(group[0]!)) {
    nameGroup(text, found, from + 1, to, replaced, pseudonymOf);
    return;
  }
  let name: boolean[];
  if (cue === 'title' || cue === 'greeting') {
    // After a title every word is a name (`fru Lund`); after a greeting, all but words one is followed by (`Hej alla`, `Hi team`).
    if (cue === 'greeting' && NOT_AFTER_GREETING.has(group[0]!.key)) return;
    name = group.map((w) => w.stem.length > 1 || known(w));
  } else if (group.length === 1 && !blocked(group[0]!) && !isAcronym(group[0]!.stem) && beforeCommaFirst(text, found, to)) {
    name = [true];
    cue = 'title';
  } else {
    // After a sign-off (`Regards,` / `Customer Support`) only listed names count; with a brand or place in it (`Sonos Era`) only sure ones.
    if (cue === 'sign-off' && !group.some(listed)) return;
    if (group.some(blocked) && !group.some(strong)) return;
    const count = group.filter(listed).length;
    if (group.some(strong) || count >= 2 || (count === 1 && (!opens || apostrophe(group[0]!)))) {
      // Listed names, and unknown words next to one (not a sentence's opening word); a place or brand only beside a sure name (`Gunnel Lund`).
      name = group.map((w, k) => listed(w) && (k > 0 || !opens || strong(w) || group.length > 1 || apostrophe(w)));
      for (let k = 0; k < group.length; k++) {
        const w = group[k]!;
        if (name[k] || (k === 0 && opens) || w.stem.length < 2 || isAcronym(w.stem)) continue;
        const besideSure = (k > 0 && strong(group[k - 1]!)) || (k + 1 < group.length && strong(group[k + 1]!));
        if (blocked(w) ? known(w) && besideSure : name[k - 1] || name[k + 1]) name[k] = true;
      }
    } else if (group.length === 2 && !opens && FAMILY_NAME_ENDING.test(group[1]!.key) && !group.some((w) => isAcronym(w.stem))) {
      // Two unknown words inside a sentence, the second ending like a Swedish family name (`Sigrid Sjöholm`).
      name = [true, true];
    } else return;
  }
  const names = group.filter((_w, k) => name[k]);
  if (names.length === 0 || notAPerson(text, found, from, to)) return;
  names.forEach((w, k) => {
    if (replaced.has(w)) return;
    const role = roleOf(w, k, names.length, cue);
    const pseudonym = pseudonymOf(titleCase(w.stem), role, role === 'first' ? sexOf(w.key) : undefined);
    replaced.set(w, inCaseOf(w.stem, pseudonym) + possessiveFor(pseudonym, w.suffix));
  });
}

/** An all-capitals word of up to four letters (`AB`, `VD`, `SMS`): an abbreviation, not a name. */
const isAcronym = (word: string): boolean => word.length <= 4 && word === word.toUpperCase();

/** Given or family name: what the lists say when only one holds it, else its place (the last word of several is the family name). */
function roleOf(w: Word, k: number, count: number, cue: Cue | undefined): NameRole {
  if (w.first && !w.last) return 'first';
  if (w.last && !w.first) return 'last';
  if (count > 1) return k === count - 1 ? 'last' : 'first';
  return cue === 'title' ? 'last' : 'first';
}
