import { codeLikeName } from './code-like-name.js';
import { matchNameEntries, type NameMatch } from './match-name-entries.js';
import type { NameSignal } from './name-signal.js';
import { nameWords } from './name-words.js';
import { secretLikeName } from './secret-like-name.js';
import { PERSON_SET, type TableAbout, THING_SET, tableAbout } from './table-about.js';

/**
 * What a column's name, and its comment (COMMENT ON COLUMN) when it has one, say about the
 * personal data the column holds: a signal per kind and source, best first (strong before weak,
 * the name before the comment). Nothing for a code-like name (`codeLikeName`: `customer_id`,
 * `email_verified_at`) or a secret's (`secretLikeName`).
 *
 * A bare `name`/`namn` is a person's only about a person: the word before it decides
 * (`customer_name` strong, `product_name`, `file_name`, `hostname` nothing, `nick_name` weak) and
 * without one the table does (`users.name` strong, `products.name` nothing, `orders.name` weak).
 * `company_name` gives nothing.
 */
export function nameSignals(column: string, table: string, comment: string | undefined): NameSignal[] {
  if (codeLikeName(column) || secretLikeName(column)) return [];
  const about = tableAbout(table);
  const signals = fromWords(nameWords(column), 'column', about);
  if (comment !== undefined) signals.push(...fromWords(nameWords(comment), 'comment', about));
  const best: NameSignal[] = [];
  for (const signal of signals.sort(byStrength)) {
    if (!best.some((b) => b.kind === signal.kind && b.source === signal.source)) best.push(signal);
  }
  return best;
}

const byStrength = (a: NameSignal, b: NameSignal): number => rank(a) - rank(b);
const rank = (signal: NameSignal): number => (signal.strength === 'strong' ? 0 : 2) + (signal.source === 'column' ? 0 : 1);

function fromWords(words: readonly string[], source: NameSignal['source'], about: TableAbout): NameSignal[] {
  const matches = matchNameEntries(words);
  const signals: NameSignal[] = [];
  for (const match of matches) {
    const { kind, columnOnly, bareName } = match.entry;
    if (kind === undefined || (columnOnly && source === 'comment')) continue;
    // `kontaktperson_epost`: a person's word before another spelling says whose, not what.
    if (match.entry.person && matches.some((m) => m.start >= match.end && m.entry.kind !== undefined)) continue;
    const strength = bareName ? bareNameStrength(words, match, matches, source, about) : match.entry.strength;
    if (strength !== undefined) signals.push({ kind, strength, word: match.spelling, source });
  }
  return signals;
}

/** How strongly a bare `name` says a person's name; undefined when it is a thing's. */
function bareNameStrength(
  words: readonly string[],
  match: NameMatch,
  matches: readonly NameMatch[],
  source: NameSignal['source'],
  about: TableAbout,
): NameSignal['strength'] | undefined {
  if (source === 'comment') {
    // Prose puts the owner anywhere: "Kundens namn", "Name of the product".
    const others = words.filter((_, i) => i < match.start || i >= match.end);
    if (others.some((word) => THING_SET.has(word))) return undefined;
    if (others.some((word) => PERSON_SET.has(word))) return 'strong';
  } else if (match.start > 0) {
    const before = words[match.start - 1]!;
    // Another spelling just before owns the name: `city_name` is a city's, `recipient_name` a person's.
    const owner = matches.find((m) => m.end === match.start);
    if (owner !== undefined) return owner.entry.person ? 'strong' : undefined;
    if (PERSON_SET.has(before)) return 'strong';
    if (THING_SET.has(before)) return undefined;
    return 'weak';
  }
  return about === 'people' ? 'strong' : about === 'things' ? undefined : 'weak';
}
