import { foldWord } from './fold-word.js';
import { THING_WORDS } from './name-dictionary.js';
import { nameWords } from './name-words.js';
import { THING_SET } from './table-about.js';

/** Thing words long enough to start a glued compound (`företagsnamn`, `produktbeskrivning`) without starting other words. */
const PREFIXES = [...new Set(THING_WORDS.map(foldWord))].filter((word) => word.length >= 5 && !word.includes(' '));

/**
 * Whether a column's name names a thing rather than a person (`company_name`, `företagsnamn`,
 * `product_description`): names found in its text (`Andersson Bygg AB`) are not people's.
 */
export function thingName(column: string): boolean {
  return nameWords(column).some((word) => THING_SET.has(word) || PREFIXES.some((prefix) => foldWord(word).startsWith(prefix)));
}
