/**
 * Scores a text transformer's person-name detection on labelled notes from
 * test/support/crm-notes.ts, looking only at what it returns: used by
 * test/transformers/scrub-names.test.ts and bench/name-detection.ts.
 */
import { type CrmNote, type Lang, type MentionForm, nameWords, occurrences } from './crm-notes.js';

/** `hits` of `total`; `rate` is NaN when `total` is 0. */
export interface Ratio {
  hits: number;
  total: number;
}

export const rate = (r: Ratio): number => r.hits / r.total;

/** A ratio per language and over all notes. */
export type PerLang = Record<Lang | 'all', Ratio>;

const perLang = (): PerLang => ({ sv: { hits: 0, total: 0 }, en: { hits: 0, total: 0 }, all: { hits: 0, total: 0 } });

function count(p: PerLang, lang: Lang, hit: boolean, n = 1): void {
  for (const r of [p[lang], p.all]) {
    r.total += n;
    if (hit) r.hits += n;
  }
}

/** What {@link scoreNamedNotes} measures on notes with names. */
export interface NamedFigures {
  /**
   * Persons none of whose written name parts occur anywhere in the output (whole word, any case,
   * also as a possessive stem, also as half of a double name). Strict: a pseudonym that happens
   * to equal the name counts as the name left.
   */
  readonly recall: PerLang;
  /** The same, for persons written with both first and last name somewhere in their note. */
  readonly recallFullNames: PerLang;
  /** Of the input words the output changed (word alignment), the share that were name words; title words count neither way. */
  readonly tokenPrecision: PerLang;
  /** Mentions all of whose name words the output changed, per form ("possessive" and "double first name" across forms). */
  readonly mentionsReplaced: Readonly<Record<MentionForm | 'possessive' | 'double first name', PerLang>>;
}

/** A word of a text with its offsets. */
interface Token {
  readonly word: string;
  readonly start: number;
  readonly end: number;
}

/** Words: letters and digits, with inner and final apostrophes ("Anna's", "O'Connell", "James'"); hyphens split. */
export function tokens(text: string): Token[] {
  return [...text.matchAll(/[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*['’]?/gu)].map((m) => ({ word: m[0], start: m.index, end: m.index + m[0].length }));
}

/** For each word of `a`, whether a longest common subsequence with `b` keeps it. */
export function keptWords(a: readonly string[], b: readonly string[]): boolean[] {
  const kept = new Array<boolean>(a.length).fill(false);
  let lo = 0;
  while (lo < a.length && lo < b.length && a[lo] === b[lo]) kept[lo++] = true;
  let ha = a.length;
  let hb = b.length;
  while (ha > lo && hb > lo && a[ha - 1] === b[hb - 1]) (kept[--ha] = true), hb--;
  const n = ha - lo;
  const m = hb - lo;
  if (n === 0 || m === 0) return kept;
  // dp[i][j]: LCS length of a[lo+i..ha) and b[lo+j..hb)
  const dp = new Int32Array((n + 1) * (m + 1));
  const at = (i: number, j: number): number => i * (m + 1) + j;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      dp[at(i, j)] = a[lo + i] === b[lo + j] ? dp[at(i + 1, j + 1)]! + 1 : Math.max(dp[at(i + 1, j)]!, dp[at(i, j + 1)]!);
    }
  }
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (a[lo + i] === b[lo + j]) {
      kept[lo + i] = true;
      i++;
      j++;
    } else if (dp[at(i + 1, j)]! >= dp[at(i, j + 1)]!) i++;
    else j++;
  }
  return kept;
}

const overlaps = (t: Token, s: { start: number; end: number }): boolean => t.start < s.end && s.start < t.end;

/** Runs `scrub` on notes with names and scores what it left and what it changed. */
export function scoreNamedNotes(scrub: (text: string) => string, notes: readonly CrmNote[]): NamedFigures {
  const recall = perLang();
  const recallFullNames = perLang();
  const tokenPrecision = perLang();
  const mentionsReplaced = {
    full: perLang(),
    'last-first': perLang(),
    first: perLang(),
    last: perLang(),
    title: perLang(),
    possessive: perLang(),
    'double first name': perLang(),
  };
  for (const note of notes) {
    const out = scrub(note.text);
    for (const p of note.people) {
      const written = (['first', 'last'] as const).filter((part) => p.spans.some((s) => s.part === part));
      const left = written.some((part) => nameWords(p[part]).some((w) => occurrences(out, w).length > 0));
      count(recall, note.lang, !left);
      if (written.length === 2) count(recallFullNames, note.lang, !left);
    }
    const inWords = tokens(note.text);
    const kept = keptWords(
      inWords.map((t) => t.word),
      tokens(out).map((t) => t.word),
    );
    const spans = note.people.flatMap((p) => p.spans);
    const mentions = note.people.flatMap((p) => p.mentions);
    inWords.forEach((t, i) => {
      if (kept[i]) return;
      const isName = spans.some((s) => overlaps(t, s));
      if (!isName && mentions.some((m) => overlaps(t, m))) return; // a title: neither right nor wrong to change
      count(tokenPrecision, note.lang, isName);
    });
    for (const p of note.people) {
      for (const m of p.mentions) {
        const own = p.spans.filter((s) => s.start >= m.start && s.end <= m.end);
        const replaced = inWords.every((t, i) => kept[i] === false || !own.some((s) => overlaps(t, s)));
        count(mentionsReplaced[m.form], note.lang, replaced);
        if (m.possessive) count(mentionsReplaced.possessive, note.lang, replaced);
        if (p.first.includes('-') && own.some((s) => s.part === 'first')) count(mentionsReplaced['double first name'], note.lang, replaced);
      }
    }
  }
  return { recall, recallFullNames, tokenPrecision, mentionsReplaced };
}

/** Runs `scrub` on notes without names: a hit is a note the output changed (a false positive). */
export function scoreNameFreeNotes(scrub: (text: string) => string, notes: readonly CrmNote[]): PerLang {
  const changed = perLang();
  for (const note of notes) count(changed, note.lang, scrub(note.text) !== note.text);
  return changed;
}

/** One row of {@link formatFigures}. */
export interface FigureRow {
  readonly label: string;
  readonly figures: PerLang;
}

const cell = (r: Ratio): string => (r.total === 0 ? '–' : rate(r).toFixed(3));

/** A plain-text table: one row per figure, columns sv, en, all and the count behind "all". */
export function formatFigures(title: string, rows: readonly FigureRow[]): string {
  const width = Math.max(title.length, ...rows.map((r) => r.label.length));
  const line = (label: string, cols: string[]): string => `${label.padEnd(width)}  ${cols.map((c) => c.padStart(7)).join('  ')}`;
  return [
    line(title, ['sv', 'en', 'all', 'n']),
    ...rows.map(({ label, figures }) => line(label, [cell(figures.sv), cell(figures.en), cell(figures.all), String(figures.all.total)])),
  ].join('\n');
}

/** The rows for notes with names, held-out names and name-free notes, in the order the README shows them. */
export function figureRows(named: NamedFigures, heldOut: NamedFigures, nameFree: PerLang): FigureRow[] {
  return [
    { label: 'recall, dictionary names (persons)', figures: named.recall },
    { label: '  persons written with first and last name', figures: named.recallFullNames },
    { label: 'recall, held-out names (persons)', figures: heldOut.recall },
    { label: 'false positives (name-free notes changed)', figures: nameFree },
    { label: 'token precision (notes with names)', figures: named.tokenPrecision },
    ...Object.entries(named.mentionsReplaced).map(([form, figures]) => ({ label: `mentions replaced: ${form}`, figures })),
  ];
}
