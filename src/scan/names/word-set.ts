import { foldWord } from './fold-word.js';

/** Endings a word may carry beyond its dictionary form: English plurals, Swedish definite forms and genitives (Swedish plurals are listed where they matter: `kunder`, `medlemmar`). */
const ENDINGS = ['s', 'es', 'ens', 'ets', 'en', 'et', 'n', 't'];

/**
 * A set of dictionary words compared folded (`anstallda` is `anställda`), which also finds a word
 * under a plural, definite or genitive ending (`customers`, `kundens`, `adressen`).
 */
export class WordSet {
  readonly #words: ReadonlySet<string>;

  constructor(words: Iterable<string>) {
    this.#words = new Set([...words].map(foldWord));
  }

  /** The dictionary form of a lower-case word, or undefined when the set holds none. */
  find(word: string): string | undefined {
    const folded = foldWord(word);
    if (this.#words.has(folded)) return folded;
    for (const ending of ENDINGS) {
      // `kundens`, `ips` but not `later` (lat) or `cellar` (cell): a short stem takes an English plural s only.
      const shortest = ending === 's' ? 3 : 4;
      if (folded.length - ending.length < shortest || !folded.endsWith(ending)) continue;
      const stem = folded.slice(0, -ending.length);
      if (this.#words.has(stem)) return stem;
    }
    // `telefonnumret`, `personnumret`: nummer's definite form.
    if (folded.endsWith('numret') && this.#words.has(`${folded.slice(0, -6)}nummer`)) return `${folded.slice(0, -6)}nummer`;
    return undefined;
  }

  has(word: string): boolean {
    return this.find(word) !== undefined;
  }
}
