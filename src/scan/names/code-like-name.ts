import { foldWord } from './fold-word.js';
import { matchNameEntries } from './match-name-entries.js';
import { CODE_NAMES, CODE_SUFFIXES, FLAG_PREFIXES } from './name-dictionary.js';
import { endsWithPhrase, namePhrases } from './name-phrases.js';
import { nameWords } from './name-words.js';
import { secretLikeName } from './secret-like-name.js';
import { WordSet } from './word-set.js';

const CODE_PHRASES = namePhrases(CODE_NAMES);
const SUFFIXES = new Set(CODE_SUFFIXES.map(foldWord));
const FLAGS = new Set(FLAG_PREFIXES.map(foldWord));
const SUFFIX_FORMS = new WordSet(CODE_SUFFIXES);

/**
 * Whether a column's name says it holds a code, a count, a flag, an amount or a time rather than
 * personal data, even when a personal word is in it: `customer_id`, `created_at`, `is_active`,
 * `order_number`, `email_verified_at`, `phone_country_code`, `mail_count`, `ip_country`,
 * `name_changed_at`. A personal word followed by such a suffix is code-like; a dictionary spelling
 * that ends in one is not (`zip_code`, `postal_code`, `national_id`, `born_on`).
 *
 * `email_domain` is code-like: the domain of an address alone is not a person's data here. Secrets
 * (`password`, `*_token`) are not code-like: see `secretLikeName`.
 */
export function codeLikeName(column: string): boolean {
  const words = nameWords(column).map(foldWord);
  const last = words.at(-1);
  if (last === undefined || secretLikeName(column)) return false;
  if (words.length > 1 && FLAGS.has(words[0]!)) return true;
  const personal = matchNameEntries(words).find((match) => match.end === words.length);
  if (personal?.entry.kind !== undefined) return false;
  if (endsWithPhrase(words, CODE_PHRASES)) return true;
  return SUFFIXES.has(last) || (words.length > 1 && SUFFIX_FORMS.has(last));
}
