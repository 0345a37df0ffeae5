/**
 * Labelled CRM notes for measuring person-name detection in free text: call notes, ticket
 * bodies, e-mails with greetings and signatures, one-liners; Swedish and English. Notes with
 * names say where each name part sits; notes without names are written to be hard (sentence-
 * initial capitals, months, places, companies, products, abbreviations, numbers).
 *
 * Deterministic: note `i` depends only on the options' seed, `i`, and the other options, never
 * on `count` or on Math.random.
 */
import { faker as enFaker } from '@faker-js/faker/locale/en';
import { prng } from '../../fixtures/prng.js';
import { localeData } from '../../src/random/faker.js';
import { type Lang, PHRASES, type PhraseBook, VOCABULARY } from './crm-notes-phrases.js';
import { HELD_OUT_NAMES } from './held-out-names.js';

export type { Lang } from './crm-notes-phrases.js';

/** Where a name came from: faker's sv lists, faker's en lists, or the held-out list. */
export type NameOrigin = 'sv' | 'en' | 'held-out';

/**
 * How a person is written at one mention: `full` "Anna Karlsson", `last-first` "Karlsson, Anna",
 * `first` "Anna", `last` "Karlsson", `title` "fru Karlsson" / "Mr Smith" / "Dr. Lind".
 */
export type MentionForm = 'full' | 'last-first' | 'first' | 'last' | 'title';

/** One name part as written: `text.slice(start, end)` is exactly the person's `first` or `last`. */
export interface NameSpan {
  readonly start: number;
  readonly end: number;
  readonly part: 'first' | 'last';
}

/** One mention of a person; `start`..`end` covers all of it, title and possessive ending included. */
export interface NameMention {
  readonly form: MentionForm;
  /** Written as a possessive: "Annas", "Anna Karlssons", "John's", "fru Karlssons". */
  readonly possessive: boolean;
  readonly start: number;
  readonly end: number;
}

/** A person named in a note. */
export interface NotePerson {
  readonly first: string;
  readonly last: string;
  readonly sex: 'female' | 'male';
  readonly origin: NameOrigin;
  /** Every name part written in the note (a part never written, e.g. the last name of "Hej Anna,", has no span). */
  readonly spans: readonly NameSpan[];
  readonly mentions: readonly NameMention[];
}

/** What a note looks like. */
export type NoteKind = 'one-liner' | 'note' | 'email' | 'ticket';

/** A generated note and its labels. */
export interface CrmNote {
  readonly text: string;
  readonly lang: Lang;
  readonly kind: NoteKind;
  /** Empty for a name-free note. Every whole-word occurrence of a written name part lies in one of its person's spans. */
  readonly people: readonly NotePerson[];
}

/** Options of {@link crmNotes}. */
export interface CrmNotesOptions {
  readonly seed: number;
  readonly count: number;
  /** Notes that name one or two people (true) or nobody (false). */
  readonly withNames: boolean;
  /** Where names come from: faker's sv and en lists (default) or {@link HELD_OUT_NAMES}. */
  readonly names?: 'dictionary' | 'held-out';
  /** One language only; by default about half Swedish, half English. */
  readonly lang?: Lang;
}

type Rng = () => number;
type Sex = 'female' | 'male';

interface NameLists {
  readonly female: readonly string[];
  readonly male: readonly string[];
  readonly last: readonly string[];
}

const enPerson = enFaker.rawDefinitions.person;

/** The dictionary lists notes draw names from: faker's sv lists (via src/random/faker.ts) and faker's en lists. */
export const DICTIONARY_NAMES: Readonly<Record<'sv' | 'en', NameLists>> = Object.freeze({
  sv: { female: localeData.firstNames.female, male: localeData.firstNames.male, last: localeData.lastNames },
  en: {
    female: Object.freeze([...(enPerson?.first_name?.female ?? [])]),
    male: Object.freeze([...(enPerson?.first_name?.male ?? [])]),
    last: Object.freeze([...(enPerson?.last_name?.generic ?? [])]),
  },
});

const HELD_OUT: NameLists = { female: HELD_OUT_NAMES.firstNames.female, male: HELD_OUT_NAMES.firstNames.male, last: HELD_OUT_NAMES.lastNames };

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Where `name` occurs in `text` as a whole word, case-insensitive, also as a possessive stem
 * ("Annas", "Anna's", "James'"); a hyphen bounds a word, so "Ann" occurs in "Ann-Marie".
 * Returns the start and end of the name itself (without the possessive ending).
 */
export function occurrences(text: string, name: string): { start: number; end: number }[] {
  const hay = text.toLowerCase();
  const needle = name.toLowerCase();
  if (hay.length !== text.length || needle.length !== name.length || needle === '') {
    // Lower-casing changed a length (rare letters): the slower regular expression keeps offsets right.
    const re = new RegExp(`(?<![\\p{L}\\p{N}])${escape(name)}(?=s?(?![\\p{L}\\p{N}]))`, 'giu');
    return [...text.matchAll(re)].map((m) => ({ start: m.index, end: m.index + name.length }));
  }
  const found: { start: number; end: number }[] = [];
  for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) {
    if (at > 0 && WORD.test(hay[at - 1]!)) continue;
    const after = at + needle.length;
    const boundary = (i: number): boolean => i >= hay.length || !WORD.test(hay[i]!);
    // "Anna", "Anna's" (an apostrophe bounds a word) and "Annas"; not "Annast".
    if (boundary(after) || (hay[after] === 's' && boundary(after + 1))) found.push({ start: at, end: after });
  }
  return found;
}

const WORD = /[\p{L}\p{N}]/u;

/** The strings whose occurrence means a name part is still there: the part and, for "Ann-Marie", "Ann" and "Marie". */
export function nameWords(part: string): string[] {
  const pieces = part.split('-').filter((p) => p.length > 0);
  return pieces.length > 1 ? [part, ...pieces] : [part];
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

function weighted<T>(rng: Rng, options: readonly (readonly [T, number])[]): T {
  const total = options.reduce((sum, [, w]) => sum + w, 0);
  let r = rng() * total;
  for (const [value, w] of options) {
    r -= w;
    if (r < 0) return value;
  }
  return options[options.length - 1]![0];
}

const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
const digits = (rng: Rng, n: number): string => Array.from({ length: n }, () => int(rng, 0, 9)).join('');
const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Thousands with a space (Swedish) or a comma (English). */
function thousands(n: number, sep: string): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

const ordinal = (d: number): string => (d % 10 === 1 && d !== 11 ? 'st' : d % 10 === 2 && d !== 12 ? 'nd' : d % 10 === 3 && d !== 13 ? 'rd' : 'th');

interface PersonState {
  readonly first: string;
  readonly last: string;
  readonly sex: Sex;
  readonly origin: NameOrigin;
  readonly title: string;
  firstForm: MentionForm | undefined;
  readonly spans: NameSpan[];
  readonly mentions: NameMention[];
}

/** Builds one note's text left to right, recording where each name part lands. */
class NoteBuilder {
  text = '';
  /** The day `{d}` drew last, for the `{ordinal}` after it ("June 3rd"). */
  private dateDay = 1;

  constructor(
    private readonly rng: Rng,
    private readonly lang: Lang,
    private readonly people: readonly PersonState[],
  ) {}

  /** Appends a phrase, filling its placeholders; `slots[k]` is the person `{k+1}` stands for. */
  add(phrase: string, slots: readonly number[] = [0, 1]): this {
    let last = 0;
    for (const m of phrase.matchAll(/\{([^}]+)\}/g)) {
      this.text += phrase.slice(last, m.index);
      last = m.index + m[0].length;
      const key = m[1]!;
      const person = /^(\d)(?::(\w+))?$/.exec(key);
      if (person) this.person(this.people[slots[Number(person[1]) - 1]!]!, person[2] ?? 'any');
      else this.raw(this.capitalise(this.fill(key)));
    }
    this.text += phrase.slice(last);
    return this;
  }

  /** Appends text as is. */
  raw(s: string): this {
    this.text += s;
    return this;
  }

  private atSentenceStart(): boolean {
    return this.text.trimEnd() === '' || /[.!?:\n]\s*$/.test(this.text);
  }

  /** Upper-cases a placeholder's first letter at the start of a sentence, unless it is written like "iPhone". */
  private capitalise(s: string): string {
    if (!this.atSentenceStart() || /^\p{Ll}\p{Lu}/u.test(s)) return s;
    return s.charAt(0).toUpperCase() + s.slice(1);
  }

  /** The text of a filler placeholder, expanding placeholders inside it. */
  private fill(key: string): string {
    const r = this.rng;
    switch (key) {
      case 'n':
        return String(int(r, 2, 50));
      case 'few':
        return String(int(r, 2, 10));
      case 'pct':
        return String(int(r, 5, 30));
      case 'house':
        return `${int(r, 1, 120)}${r() < 0.1 ? pick(r, ['A', 'B']) : ''}`;
      case 'order':
        return r() < 0.2 ? `SO-${digits(r, 6)}` : String(int(r, 10000, 999999));
      case 'invoice':
        return r() < 0.5 ? `${int(r, 2019, 2025)}-${digits(r, 4)}` : String(int(r, 1000000, 9999999));
      case 'ticket':
        return r() < 0.5 ? `INC-${digits(r, 5)}` : `SR${digits(r, 6)}`;
      case 'ticketnum':
        return String(int(r, 10000, 99999));
      case 'k':
        return thousands(int(r, 1, 250) * (r() < 0.5 ? 10 : 100) - (r() < 0.3 ? 1 : 0), ' ');
      case 'k_en':
        return thousands(int(r, 1, 250) * (r() < 0.5 ? 10 : 100), ',');
      case 'cents':
        return pad2(int(r, 0, 99));
      case 'year':
        return String(int(r, 2015, 2025));
      case 'week':
        return String(int(r, 1, 52));
      case 'd':
        this.dateDay = int(r, 1, 28);
        return String(this.dateDay);
      case 'm':
        return String(int(r, 1, 12));
      case 'ordinal':
        return ordinal(this.dateDay);
      case 'iso':
        return `${int(r, 2022, 2025)}-${pad2(int(r, 1, 12))}-${pad2(int(r, 1, 28))}`;
      case 'h':
        return String(int(r, 8, 17));
      case 'h12':
        return String(int(r, 1, 11));
      case 'mm':
        return pick(r, ['00', '15', '30', '45']);
      case 'digits4':
        return digits(r, 4);
      case 'digits6':
        return digits(r, 6);
      case 'postal':
        return `${int(r, 100, 989)} ${digits(r, 2)}`;
      case 'parcel':
        return r() < 0.5 ? `SE${digits(r, 9)}` : `00373${digits(r, 13)}`;
      case 'phone':
        return weighted(r, [
          [`070-${digits(r, 3)} ${digits(r, 2)} ${digits(r, 2)}`, 4],
          [`08-${digits(r, 3)} ${digits(r, 2)} ${digits(r, 2)}`, 2],
          [`+46 7${int(r, 0, 3)} ${digits(r, 3)} ${digits(r, 2)} ${digits(r, 2)}`, 1],
        ]);
    }
    const list = VOCABULARY[this.lang][key] ?? VOCABULARY.shared[key];
    if (!list) throw new Error(`crm-notes: no vocabulary for {${key}}`);
    return this.expand(pick(r, list));
  }

  /** Fills the placeholders of a vocabulary value (never a person). */
  private expand(value: string): string {
    return value.replace(/\{([^}]+)\}/g, (_m, key: string) => this.fill(key));
  }

  /** Appends a mention of `p` in the given style, recording its spans. */
  private person(p: PersonState, style: string): void {
    if (style === 'pron') {
      const pron = this.lang === 'sv' ? (p.sex === 'female' ? 'hon' : 'han') : p.sex === 'female' ? 'she' : 'he';
      this.raw(this.capitalise(pron));
      return;
    }
    const form = this.form(p, style);
    const possessive = style === 'poss';
    const start = this.text.length;
    const pieces: [string, 'first' | 'last' | undefined][] =
      form === 'full'
        ? [
            [p.first, 'first'],
            [' ', undefined],
            [p.last, 'last'],
          ]
        : form === 'last-first'
          ? [
              [p.last, 'last'],
              [', ', undefined],
              [p.first, 'first'],
            ]
          : form === 'first'
            ? [[p.first, 'first']]
            : form === 'last'
              ? [[p.last, 'last']]
              : [
                  [`${p.title} `, undefined],
                  [p.last, 'last'],
                ];
    if (form === 'title') pieces[0]![0] = this.capitalise(pieces[0]![0]);
    for (const [s, part] of pieces) {
      if (part) p.spans.push({ start: this.text.length, end: this.text.length + s.length, part });
      this.text += s;
    }
    if (possessive) this.text += this.possessiveEnding(this.text);
    p.mentions.push({ form, possessive, start, end: this.text.length });
    p.firstForm ??= form;
  }

  private possessiveEnding(name: string): string {
    const sibilant = /[sxz]$/i.test(name);
    if (this.lang === 'sv') return sibilant ? '' : 's';
    return sibilant ? pick(this.rng, ["'", "'s"]) : "'s";
  }

  /** How to write a person in a style: later mentions follow the first one, as people write. */
  private form(p: PersonState, style: string): MentionForm {
    const r = this.rng;
    const sv = this.lang === 'sv';
    switch (style) {
      case 'first':
      case 'full':
      case 'last':
      case 'title':
        return style;
      case 'header':
        return weighted(r, [
          ['full', 1],
          ['last-first', 1],
        ]);
      case 'sign':
        return weighted<MentionForm>(r, [
          ['first', 55],
          ['full', 45],
        ]);
      case 'poss':
        if (p.firstForm === 'title') return 'title';
        return weighted<MentionForm>(r, [
          ['first', 45],
          ['full', 38],
          ['title', 12],
          ['last', sv ? 5 : 8],
        ]);
    }
    // 'any': a first mention, or a later one that follows how the person was introduced
    if (p.firstForm === 'title' || p.firstForm === 'last') return p.firstForm;
    if (p.firstForm !== undefined)
      return weighted<MentionForm>(r, [
        ['first', 60],
        ['full', 25],
        ['last', 15],
      ]);
    return sv
      ? weighted<MentionForm>(r, [
          ['full', 50],
          ['first', 28],
          ['title', 14],
          ['last', 8],
        ])
      : weighted<MentionForm>(r, [
          ['full', 46],
          ['first', 24],
          ['title', 18],
          ['last', 12],
        ]);
  }
}

function title(rng: Rng, lang: Lang, sex: Sex): string {
  if (lang === 'sv')
    return weighted(rng, [
      [sex === 'female' ? 'fru' : 'herr', 80],
      ['Dr.', 10],
      ['dr', 10],
    ]);
  return sex === 'female'
    ? weighted(rng, [
        ['Mrs', 30],
        ['Ms', 30],
        ['Mrs.', 10],
        ['Ms.', 10],
        ['Dr', 10],
        ['Dr.', 10],
      ])
    : weighted(rng, [
        ['Mr', 60],
        ['Mr.', 20],
        ['Dr', 10],
        ['Dr.', 10],
      ]);
}

const doubleNamesOf = new WeakMap<readonly string[], readonly string[]>();
function doubleNames(firsts: readonly string[]): readonly string[] {
  let doubles = doubleNamesOf.get(firsts);
  if (!doubles) doubleNamesOf.set(firsts, (doubles = firsts.filter((n) => n.includes('-'))));
  return doubles;
}

function drawPerson(rng: Rng, lang: Lang, names: 'dictionary' | 'held-out'): PersonState {
  const origin: NameOrigin = names === 'held-out' ? 'held-out' : lang === 'sv' ? (rng() < 0.92 ? 'sv' : 'en') : rng() < 0.65 ? 'en' : 'sv';
  const lists = origin === 'held-out' ? HELD_OUT : DICTIONARY_NAMES[origin];
  const sex: Sex = rng() < 0.5 ? 'female' : 'male';
  const firsts = sex === 'female' ? lists.female : lists.male;
  // Double first names (Ann-Marie, Britt-Marie) are a few in a hundred on the list and more common among customers.
  const doubles = doubleNames(firsts);
  const first = doubles.length > 0 && rng() < 0.08 ? pick(rng, doubles) : pick(rng, firsts);
  return { first, last: pick(rng, lists.last), sex, origin, title: title(rng, lang, sex), firstForm: undefined, spans: [], mentions: [] };
}

function shuffle<T>(rng: Rng, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

/** The sentences of a note or a ticket body: name-free ones around the ones that name people. */
function body(rng: Rng, book: PhraseBook, fresh: (list: readonly string[]) => string, nPeople: number, extra: number): [string, number[]][] {
  const sentences: [string, number[]][] = [];
  if (nPeople === 2) {
    if (rng() < 0.6) sentences.push([fresh(book.twoPeople), [0, 1]]);
    else sentences.push([fresh(book.onePerson), [0]], [fresh(book.onePerson), [1]]);
  } else if (nPeople === 1) sentences.push([fresh(book.onePerson), [0]]);
  for (let i = 0; i < extra; i++) sentences.push([fresh(book.nameFree), []]);
  const named = sentences.slice(0, nPeople === 0 ? 0 : sentences.length - extra);
  const rest = shuffle(rng, sentences.slice(named.length));
  // The people usually come first in a call note; sometimes later.
  const at = rng() < 0.6 ? 0 : int(rng, 0, rest.length);
  const ordered = [...rest.slice(0, at), ...named, ...rest.slice(at)];
  // A person named once may be named again later.
  if (nPeople > 0 && extra > 0 && rng() < 0.3) ordered.push([fresh(book.followUp), [0]]);
  return ordered;
}

function writeNote(rng: Rng, lang: Lang, people: PersonState[]): { text: string; kind: NoteKind } {
  const book = PHRASES[lang];
  const b = new NoteBuilder(rng, lang, people);
  const kind = weighted<NoteKind>(rng, [
    ['one-liner', 30],
    ['note', 35],
    ['email', 25],
    ['ticket', 10],
  ]);
  const n = people.length;
  // No sentence twice in one note.
  const used = new Set<string>();
  const fresh = (list: readonly string[]): string => {
    for (let k = 0; k < 20; k++) {
      const s = pick(rng, list);
      if (!used.has(s)) {
        used.add(s);
        return s;
      }
    }
    return pick(rng, list);
  };
  const sloppy = rng() < 0.1; // no full stop at the end
  const joiner = (): string =>
    weighted(rng, [
      [' ', 8],
      ['\n', 2],
      [' - ', 1],
    ]);
  const sentences = (list: [string, number[]][], inMail = false): void => {
    list.forEach(([phrase, slots], i) => {
      if (i > 0) b.raw(inMail ? pick(rng, [' ', ' ', '\n']) : joiner());
      b.add(phrase, slots);
    });
  };

  if (kind === 'one-liner') {
    if (n === 0) b.add(fresh(book.nameFree));
    else if (n === 1) b.add(fresh(book.onePerson));
    else b.add(fresh(book.twoPeople));
  } else if (kind === 'note') {
    if (rng() < 0.2) b.add(pick(rng, book.notePrefix)).raw(' ');
    sentences(body(rng, book, fresh, n, int(rng, 1, 3)));
  } else if (kind === 'ticket') {
    const t = book.ticket;
    b.add(`${t.ticket} {ticket}\n${t.subject}: {subject}\n${t.customer}: {company}\n`);
    let bodyPeople = n;
    if (n > 0 && rng() < 0.6) {
      b.add(`${t.contact}: {1:header}\n`, [0]);
      bodyPeople = n - 1;
    } else if (n === 0 && rng() < 0.5) b.add(`${t.contact}: ${pick(rng, book.ticketContact)}\n`);
    b.add(`${t.priority}: {priority}\n\n`);
    const list = body(rng, book, fresh, bodyPeople, int(rng, 1, 3));
    // When the contact line named person 1, the body's person is person 2.
    sentences(bodyPeople < n ? list.map(([p, slots]) => [p, slots.map((s) => s + 1)]) : list);
  } else {
    // e-mail: who is greeted, who signs, who is mentioned in the body
    let greeted: number | undefined;
    let signer: number | undefined;
    let inBody: number[] = [];
    if (n === 1) {
      const role = weighted(rng, [
        ['greeted', 45],
        ['signer', 25],
        ['body', 30],
      ]);
      if (role === 'greeted') greeted = 0;
      else if (role === 'signer') signer = 0;
      else inBody = [0];
    } else if (n === 2) {
      const plan = weighted(rng, [
        ['greet-sign', 50],
        ['greet-body', 25],
        ['body', 25],
      ]);
      if (plan === 'greet-sign') [greeted, signer] = [0, 1];
      else if (plan === 'greet-body') [greeted, inBody] = [0, [1]];
      else inBody = [0, 1];
    }
    if (greeted === undefined) b.add(pick(rng, book.greeting));
    else {
      const form = greetForm(rng, lang);
      const word = form === 'title' ? (lang === 'en' ? pick(rng, ['Dear', 'Dear', 'Hello']) : 'Hej') : weighted(rng, book.greetingWord);
      b.raw(`${word} `).add(`{1:${form}}${rng() < 0.8 ? ',' : '!'}`, [greeted]);
    }
    b.raw('\n\n');
    const parts: [string, number[]][] = [];
    if (inBody.length === 2 && rng() < 0.6) parts.push([fresh(book.twoPeople), inBody]);
    else for (const who of inBody) parts.push([fresh(book.mailBodyPerson), [who]]);
    const extra = int(rng, 1, 3);
    for (let i = 0; i < extra; i++) parts.push([fresh(book.mailBody), []]);
    const named = parts.slice(0, parts.length - extra);
    const ordered = shuffle(rng, parts.slice(named.length));
    ordered.splice(int(rng, 0, ordered.length), 0, ...named);
    sentences(ordered, true);
    b.raw('\n\n');
    const closing = weighted(rng, book.closing);
    if (closing === '/') {
      if (signer === undefined) b.raw(`/${pick(rng, book.teamSignature)}`);
      else b.raw('/').add('{1:first}', [signer]);
    } else {
      b.raw(closing);
      const sep = lang === 'en' && closing !== 'BR' && rng() < 0.7 ? ',' : '';
      const line = rng() < 0.6 ? '\n' : ' ';
      b.raw(`${sep}${line}`);
      if (signer === undefined) b.raw(pick(rng, book.teamSignature));
      else {
        b.add('{1:sign}', [signer]);
        if (line === '\n' && rng() < 0.4) b.raw('\n').add('{company}');
      }
    }
    return { text: b.text, kind };
  }
  if (sloppy) b.text = b.text.replace(/\.$/, '');
  return { text: b.text, kind };
}

/** The greeting's name form (sv: first name mostly; en: also "Dear Mr Smith"). */
function greetForm(rng: Rng, lang: Lang): MentionForm {
  return lang === 'sv'
    ? weighted<MentionForm>(rng, [
        ['first', 85],
        ['full', 15],
      ])
    : weighted<MentionForm>(rng, [
        ['first', 70],
        ['title', 20],
        ['full', 10],
      ]);
}

/** True when every occurrence of every written name part lies in one of its own person's spans. */
function labelsCoverOccurrences(text: string, people: readonly PersonState[]): boolean {
  for (const p of people) {
    for (const part of ['first', 'last'] as const) {
      const spans = p.spans.filter((s) => s.part === part);
      if (spans.length === 0) continue;
      for (const word of nameWords(p[part])) {
        for (const o of occurrences(text, word)) {
          if (!spans.some((s) => o.start >= s.start && o.end <= s.end)) return false;
        }
      }
    }
  }
  return true;
}

/** A 32-bit hash of small integers (murmur3's finaliser), so each note has its own stream. */
function mix(...xs: number[]): number {
  let h = 0x9e3779b9;
  for (const x of xs) {
    h = Math.imul(h ^ (x >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/**
 * Labelled CRM notes: `count` notes, each with its language, kind and the people it names.
 * A note with names names one person (three in four) or two; every written name part has
 * a span with its exact text.
 * @example
 * const notes = crmNotes({ seed: 1, count: 100, withNames: true });
 * for (const { text, people } of notes) for (const p of people) for (const s of p.spans) text.slice(s.start, s.end) === p[s.part];
 */
export function crmNotes(options: CrmNotesOptions): CrmNote[] {
  const { seed, count, withNames, names = 'dictionary', lang } = options;
  const stream = mix(withNames ? 1 : 2, names === 'dictionary' ? 1 : 2, lang === undefined ? 0 : lang === 'sv' ? 1 : 2);
  const notes: CrmNote[] = [];
  for (let i = 0; i < count; i++) {
    const rng = prng(mix(seed, stream, i));
    const noteLang: Lang = lang ?? (rng() < 0.5 ? 'sv' : 'en');
    for (let attempt = 0; ; attempt++) {
      const nPeople = withNames ? (rng() < 0.75 ? 1 : 2) : 0;
      const people = Array.from({ length: nPeople }, () => drawPerson(rng, noteLang, names));
      if (
        nPeople === 2 &&
        nameWords(people[0]!.first)
          .concat(nameWords(people[0]!.last))
          .some((w) => [people[1]!.first, people[1]!.last].some((x) => nameWords(x).includes(w)))
      )
        continue;
      const { text, kind } = writeNote(rng, noteLang, people);
      // A name part that also occurs unlabelled ("per månad" next to Per, "in May" next to May) would blur what was found; draw again.
      if (!labelsCoverOccurrences(text, people)) {
        if (attempt > 100) throw new Error(`crm-notes: note ${i} of seed ${seed} found no labelling after 100 draws`);
        continue;
      }
      notes.push({
        text,
        lang: noteLang,
        kind,
        people: people.map(({ first, last, sex, origin, spans, mentions }) => ({ first, last, sex, origin, spans, mentions })),
      });
      break;
    }
  }
  return notes;
}
