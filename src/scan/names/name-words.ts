import { foldWord } from './fold-word.js';
import { CODE_SUFFIXES, COMPOUND_PARTS, NAME_ENTRIES, PERSON_WORDS, SECRET_WORDS, TABLE_NOISE_WORDS, THING_WORDS } from './name-dictionary.js';

/** Capitalised words, acronyms before a capitalised word (`IPAddress`), lower-case runs, digits with the letters after them (`2fa`). */
const PIECES = /\p{Lu}+(?=\p{Lu}\p{Ll})|\p{Lu}?\p{Ll}+|\p{Lu}+|\p{N}+\p{Ll}*|\p{L}+|\p{N}+/gu;

/** The dictionary's one-word spellings and the parts compounds start with, folded: the words a glued name is split into. */
const KNOWN: ReadonlySet<string> = new Set(
  [...NAME_ENTRIES.flatMap((entry) => entry.words), ...PERSON_WORDS, ...THING_WORDS, ...CODE_SUFFIXES, ...SECRET_WORDS, ...TABLE_NOISE_WORDS, ...COMPOUND_PARTS]
    .filter((word) => /^\p{L}+$/u.test(word))
    .map(foldWord),
);

/** The shortest known word a glued name may end in, and the shortest that may follow a part the dictionary does not know (`leverans` + `adress`). */
const SHORTEST_TAIL = 2;
const SHORTEST_TAIL_AFTER_UNKNOWN = 5;

/**
 * The lower-case words of an identifier or a comment: split at anything that is not a letter or a
 * digit, at camelCase and PascalCase humps and after letters followed by digits; Swedish letters kept.
 * A word the dictionary does not know is split where it ends in one it knows, as Swedish glues
 * compounds (`kundepost` → `kund epost`, `fakturaadress` → `faktura adress`, `hostname` →
 * `host name`). Abbreviations stay as written (`postnr`, `pnr`): the
 * dictionary holds them.
 *
 * @example nameWords('KundTelefonNr') // ['kund', 'telefon', 'nr']
 * @example nameWords('Customer_E-post') // ['customer', 'e', 'post']
 */
export function nameWords(identifier: string): string[] {
  const words: string[] = [];
  for (const piece of identifier.match(PIECES) ?? []) words.push(...splitCompound(piece.toLowerCase()));
  return words;
}

function splitCompound(word: string): string[] {
  const folded = foldWord(word);
  if (KNOWN.has(folded) || !/^\p{L}+$/u.test(word)) return [word];
  // The longest known tail first: `kundepost` is `kund epost`, not `kunde post`.
  for (let cut = 1; cut <= folded.length - SHORTEST_TAIL; cut++) {
    const tail = folded.slice(cut);
    if (!KNOWN.has(tail)) continue;
    const head = folded.slice(0, cut);
    if (KNOWN.has(head)) return [word.slice(0, cut), word.slice(cut)];
    // A Swedish linking s: `arbetstelefon`.
    if (head.endsWith('s') && KNOWN.has(head.slice(0, -1))) return [word.slice(0, cut - 1), word.slice(cut)];
    if (tail.length >= SHORTEST_TAIL_AFTER_UNKNOWN && head.length >= 3) return [...splitCompound(word.slice(0, cut)), word.slice(cut)];
  }
  return [word];
}
