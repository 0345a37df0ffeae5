import { foldWord } from './fold-word.js';
import { SECRET_WORDS } from './name-dictionary.js';
import { endsWithPhrase, namePhrases } from './name-phrases.js';
import { nameWords } from './name-words.js';

const SECRETS = namePhrases(SECRET_WORDS);

/**
 * Whether a column's name says it holds a secret: a password, a token, a key (`password_hash`,
 * `email_confirmation_token`, `api_key`). Secrets are not personal data of a kind `scan` names, nor
 * codes: `codeLikeName` says false for them, `nameSignals` finds nothing in them, and the caller
 * decides what they get.
 */
export function secretLikeName(column: string): boolean {
  const words = nameWords(column).map(foldWord);
  // `password_hash`, `token_expires_at`: a secret's own hash or time is still about the secret.
  return words.some((_, end) => endsWithPhrase(words.slice(0, end + 1), SECRETS));
}
