import type { Faker, LocaleDefinition } from '@faker-js/faker';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createKeyedFaker, type KeyedFaker } from '../../src/random/faker.js';
import { compileBuildingNumber, compileFake } from '../../src/random/faker-pattern.js';
import { KeyedRandom } from '../../src/random/keyed-random.js';
import { KeyedPrf } from '../../src/random/prf.js';
import { endsInHouseNumber } from '../../src/transformers/helpers/house-number.js';
import { build, session, testKey } from './support.js';

/** Compiles patterns and checks them against faker's own output from the same seeds; returns the outputs and how often faker was fallen back on. */
function compare(
  keyed: KeyedFaker,
  patterns: readonly string[],
  seeds: number,
  slow: () => string = () => keyed.faker.helpers.fake(patterns),
): { outputs: Set<string>; fallbacks: number } {
  const { random } = keyed;
  let seed: readonly [number, number] = [0, 0];
  let fallbacks = 0;
  const fast = compileFake(
    keyed,
    patterns,
    () => random.reseed(seed),
    () => (fallbacks++, slow()),
  );
  const outputs = new Set<string>();
  for (let i = 0; i < seeds; i++) {
    seed = [Math.imul(i, 0x9e3779b1) >>> 0, Math.imul(i ^ 0x5bd1e995, 0x85ebca6b) >>> 0];
    random.reseed(seed);
    const a = fast();
    const after = random.nextUint32();
    random.reseed(seed);
    const b = slow();
    expect(a).toBe(b);
    // The same number of draws: the stream goes on from the same state.
    expect(after).toBe(random.nextUint32());
    outputs.add(a);
  }
  return { outputs, fallbacks };
}

/** A keyed Faker over locale definitions of the test's own. */
function fakerWith(locale: LocaleDefinition): KeyedFaker {
  const FakerClass = createKeyedFaker().faker.constructor as new (options: { locale: LocaleDefinition; randomizer: KeyedRandom }) => Faker;
  const random = new KeyedRandom();
  return { faker: new FakerClass({ locale, randomizer: random }), random };
}

describe('compileFake', () => {
  it("gives what faker's own street() and buildingNumber() give, draw for draw, over 50,000 seeds", () => {
    const keyed = createKeyedFaker();
    const { faker, random } = keyed;
    const prf = new KeyedPrf(testKey(3).subkey('address.street'));
    let seed: readonly [number, number] = [0, 0];
    const street = compileFake(
      keyed,
      faker.definitions.location.street_pattern,
      () => random.reseed(seed),
      () => faker.location.street(),
    );
    const buildingNumber = compileBuildingNumber(keyed);
    const outputs = new Set<string>();
    for (let i = 0; i < 50_000; i++) {
      seed = prf.hash(`Storgatan ${i}`);
      random.reseed(seed);
      const fast = `${street()} ${buildingNumber()}`;
      random.reseed(seed);
      const slow = `${faker.location.street()} ${faker.location.buildingNumber()}`;
      expect(fast).toBe(slow);
      outputs.add(fast);
    }
    // Streets of all four patterns (two-word ones start with a prefix), so person.firstName and lastName ran too.
    expect(outputs.size).toBeGreaterThan(10_000);
    expect([...outputs].some((s) => s.split(' ').length === 3)).toBe(true);
  });

  it("gives faker's person.firstName(), person.lastName() and deeper paths, draw for draw", () => {
    const keyed = createKeyedFaker();
    const first = compare(keyed, ['{{person.firstName}}'], 20_000, () => keyed.faker.person.firstName());
    expect(first.outputs.size).toBeGreaterThan(150);
    // Double-barrelled last names come from the second last_name_pattern.
    const last = compare(keyed, ['{{person.lastName}}'], 20_000, () => keyed.faker.person.lastName());
    expect([...last.outputs].some((s) => s.includes(' '))).toBe(true);
    const deeper = compare(keyed, ['{{person.last_name.generic}} och {{location.street_suffix}}', 'x{{location.street_prefix}}'], 5000);
    expect(first.fallbacks + last.fallbacks + deeper.fallbacks).toBe(0);
    expect(compare(keyed, keyed.faker.definitions.location.street_pattern, 5000).fallbacks).toBe(0);
  });

  it('follows faker on sex lists of other shapes: a generic list beside the sexes, last names without patterns', () => {
    const names = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
    const keyed = fakerWith({
      metadata: { title: 'test', code: 'xx' },
      person: {
        first_name: { generic: names('G', 7), female: names('F', 30), male: names('M', 3) },
        last_name: { generic: names('L', 40), male: names('ML', 5) },
      },
    } as LocaleDefinition);
    const first = compare(keyed, ['{{person.firstName}}'], 5000, () => keyed.faker.person.firstName());
    expect([...first.outputs].some((s) => s.startsWith('G'))).toBe(true);
    const last = compare(keyed, ['{{person.lastName}}'], 5000, () => keyed.faker.person.lastName());
    expect([...last.outputs].some((s) => s.startsWith('ML'))).toBe(true);
    expect(first.fallbacks + last.fallbacks).toBe(0);
  });

  it('falls back to faker for a pattern it cannot compile, with the same result', () => {
    const keyed = createKeyedFaker();
    const patterns = ['{{location.street_name_part}}', '{{helpers.arrayElement(["a", "b"])}} {{location.street_suffix}}'];
    const { outputs, fallbacks } = compare(keyed, patterns, 2000);
    expect(fallbacks).toBeGreaterThan(0);
    expect(fallbacks).toBeLessThan(2000);
    expect(outputs.size).toBeGreaterThan(20);
  });

  it('address.street keeps its pseudonyms: a value with a number gets a house number, one without none', () => {
    const street = build(session(), 'address.street');
    const out = street('Sveavägen 12\tlgh 1101')!;
    expect(out).toMatch(/ \d+$/);
    expect(street('Sveavägen 12\tlgh 1101')).toBe(out);
    expect(street('Sveavägen')).not.toMatch(/\d/);
    // Pinned outputs of the test key.
    expect(['Storgatan 12', 'Sveavägen 2\tlgh 1002', 'Drottninggatan', 'Gata 7 b '].map((v) => street(v))).toEqual(PINNED);
  });
});

const PINNED = ['Moas Väg 45', 'Övre Grangatan 6', 'Parkgränden', 'Östra Stationsgränden 70'];

describe('endsInHouseNumber', () => {
  const house = /\d+\s*[A-Za-z]?\s*$/;
  it('agrees with /\\d+\\s*[A-Za-z]?\\s*$/ on any text', () => {
    const unit = fc.constantFrom('1', '9', '0', 'a', 'Z', 'å', ' ', '\t', '\n', '\u00a0', '\u2003', '\u3000', '\ufeff', '\u0085', '\u200b', 'x', '-', '٣');
    fc.assert(
      fc.property(
        fc.array(unit, { maxLength: 8 }).map((a) => a.join('')),
        fc.string(),
        (tail, head) => {
          expect(endsInHouseNumber(head + tail)).toBe(house.test(head + tail));
        },
      ),
      { numRuns: 20_000 },
    );
    for (let c = 0; c < 0x10000; c++) {
      const s = `1${String.fromCharCode(c)}`;
      expect(endsInHouseNumber(s)).toBe(house.test(s));
    }
  });
});
