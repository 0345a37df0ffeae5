import { foldWord } from './fold-word.js';
import { nameWords } from './name-words.js';

/** Phrases of a word list split as names are and folded, longest first, for `endsWithPhrase`. */
export function namePhrases(phrases: readonly string[]): readonly (readonly string[])[] {
  return phrases.map((phrase) => nameWords(phrase).map(foldWord)).sort((a, b) => b.length - a.length);
}

/** Whether folded words end with one of the phrases (`tracking_number` ends with `tracking number`, `api_key` with `key`). */
export function endsWithPhrase(words: readonly string[], phrases: readonly (readonly string[])[]): boolean {
  return phrases.some((phrase) => phrase.length <= words.length && phrase.every((word, k) => words[words.length - phrase.length + k] === word));
}
