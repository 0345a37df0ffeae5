/**
 * The one place pgmask imports faker (version pinned exactly: its data lists decide the
 * pseudonyms). One Faker instance per run, locales sv then en, driven by a keyed Randomizer;
 * the global faker and `faker.seed()` are never used.
 */

import type { Faker, LocaleDefinition } from '@faker-js/faker';
import { faker as enFaker } from '@faker-js/faker/locale/en';
import { faker as svFaker } from '@faker-js/faker/locale/sv';
import { KeyedRandom } from './keyed-random.js';

// Importing the package root would load every locale (about 30 MB more memory); the sv entry
// point loads sv, en and base, which is all pgmask uses. Its instance lends the Faker class
// and the locale chain sv → en → base; the en entry point lends the English name lists.
const FakerClass = svFaker.constructor as new (options: { locale: LocaleDefinition; randomizer: KeyedRandom }) => Faker;
const definitions = svFaker.rawDefinitions;
const english = enFaker.rawDefinitions.person;

/** A Faker whose randomness comes from a KeyedRandom that the caller reseeds per value. */
export interface KeyedFaker {
  readonly faker: Faker;
  readonly random: KeyedRandom;
}

/**
 * A Faker instance with locales sv, en, base and a keyed randomizer.
 * @example const { faker, random } = createKeyedFaker(); random.reseed(prf.hash(value)); faker.location.city();
 */
export function createKeyedFaker(): KeyedFaker {
  const random = new KeyedRandom();
  const faker = new FakerClass({ locale: definitions, randomizer: random });
  return { faker, random };
}

function unique(values: readonly string[]): readonly string[] {
  return Object.freeze([...new Set(values)]);
}

/** Locale lists indexed directly where that is faster than a faker call. Read-only. */
export const localeData = Object.freeze({
  /** Swedish first names by sex (faker's sv lists). */
  firstNames: Object.freeze({
    female: unique(definitions.person?.first_name?.female ?? []),
    male: unique(definitions.person?.first_name?.male ?? []),
  }),
  /** Swedish last names (faker's sv list). */
  lastNames: unique(definitions.person?.last_name?.generic ?? []),
  /**
   * The first names (by sex; a name of both lists is in both) and last names of faker's sv and
   * en lists, for finding names in free text. Pseudonyms come from the sv lists only.
   */
  names: Object.freeze({
    female: unique([...(definitions.person?.first_name?.female ?? []), ...(english?.first_name?.female ?? [])]),
    male: unique([...(definitions.person?.first_name?.male ?? []), ...(english?.first_name?.male ?? [])]),
    either: unique(english?.first_name?.generic ?? []),
    last: unique([...(definitions.person?.last_name?.generic ?? []), ...(english?.last_name?.generic ?? [])]),
  }),
  /** Latin words of faker's en lorem list. */
  loremWords: unique(definitions.lorem?.word ?? []),
});
