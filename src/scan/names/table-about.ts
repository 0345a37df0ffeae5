import { foldWord } from './fold-word.js';
import { PERSON_WORDS, TABLE_NOISE_WORDS, THING_WORDS } from './name-dictionary.js';
import { nameWords } from './name-words.js';
import { WordSet } from './word-set.js';

/** What a table is about, as far as its name tells: people (`kunder`, `users`), things (`products`, `cities`) or neither (`orders`). */
export type TableAbout = 'people' | 'things' | 'other';

export const PERSON_SET = new WordSet(PERSON_WORDS);
export const THING_SET = new WordSet(THING_WORDS);
const NOISE = new Set(TABLE_NOISE_WORDS.map(foldWord));

/**
 * What a table is about, from the last word of its name that is not noise (`tbl_kunder`,
 * `kundregister`, `customer_data` are about people; `customer_orders` is about orders).
 */
export function tableAbout(table: string): TableAbout {
  const words = nameWords(table);
  while (words.length > 1 && NOISE.has(foldWord(words.at(-1)!))) words.pop();
  const last = words.at(-1);
  if (last === undefined) return 'other';
  const lastTwo = words.slice(-2).join(' ');
  if (PERSON_SET.has(last) || PERSON_SET.has(lastTwo)) return 'people';
  if (THING_SET.has(last) || THING_SET.has(lastTwo)) return 'things';
  return 'other';
}
