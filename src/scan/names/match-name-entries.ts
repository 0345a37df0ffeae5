import { foldWord } from './fold-word.js';
import { NAME_ENTRIES, type NameEntry } from './name-dictionary.js';
import { nameWords } from './name-words.js';
import { WordSet } from './word-set.js';

/** One spelling of the dictionary found in a list of words. */
export interface NameMatch {
  /** The first matched word's index and the index after the last. */
  readonly start: number;
  readonly end: number;
  readonly entry: NameEntry;
  /** The spelling as the dictionary writes it. */
  readonly spelling: string;
}

interface Spelling {
  readonly words: readonly string[];
  readonly entry: NameEntry;
  readonly spelling: string;
}

/** Every spelling split as names are, folded, longest first. */
const SPELLINGS: readonly Spelling[] = NAME_ENTRIES.flatMap((entry) => entry.words.map((spelling) => ({ words: nameWords(spelling).map(foldWord), entry, spelling }))).sort(
  (a, b) => b.words.length - a.words.length,
);

const SPELLING_WORDS = new WordSet(SPELLINGS.flatMap((s) => s.words));

/**
 * The dictionary's spellings in a name's or comment's words (from `nameWords`), left to right, the
 * longest spelling at each place: `email address` is one match (an e-mail), not `email` and
 * `address`. A word is compared in its dictionary form (`emails`, `adressen`).
 */
export function matchNameEntries(words: readonly string[]): NameMatch[] {
  const forms = words.map((word) => SPELLING_WORDS.find(word) ?? foldWord(word));
  const matches: NameMatch[] = [];
  let i = 0;
  while (i < forms.length) {
    const found = SPELLINGS.find((s) => s.words.every((word, k) => forms[i + k] === word));
    if (found === undefined) {
      i++;
      continue;
    }
    matches.push({ start: i, end: i + found.words.length, entry: found.entry, spelling: found.spelling });
    i += found.words.length;
  }
  return matches;
}
