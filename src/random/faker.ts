/**
 * The one place pgmask imports faker (version pinned exactly: its data lists decide the
 * pseudonyms). One Faker instance per run, locales sv then en, driven by a keyed Randomizer;
 * the global faker and `faker.seed()` are never used.
 */
import { Faker, base, en, sv } from '@faker-js/faker';
import { KeyedRandom } from './keyed-random.js';

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
  const faker = new Faker({ locale: [sv, en, base], randomizer: random });
  return { faker, random };
}

function unique(values: readonly string[]): readonly string[] {
  return Object.freeze([...new Set(values)]);
}

/** Locale lists indexed directly where that is faster than a faker call. Read-only. */
export const localeData = Object.freeze({
  /** Swedish first names by sex (faker's sv lists). */
  firstNames: Object.freeze({
    female: unique(sv.person?.first_name?.female ?? []),
    male: unique(sv.person?.first_name?.male ?? []),
  }),
  /** Swedish last names (faker's sv list). */
  lastNames: unique(sv.person?.last_name?.generic ?? []),
  /** Latin words of faker's en lorem list. */
  loremWords: unique(en.lorem?.word ?? []),
});
