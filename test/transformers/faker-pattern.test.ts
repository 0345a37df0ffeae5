import { describe, expect, it } from 'vitest';
import { createKeyedFaker } from '../../src/random/faker.js';
import { compileBuildingNumber, compileFake } from '../../src/random/faker-pattern.js';
import { KeyedPrf } from '../../src/random/prf.js';
import { build, session, testKey } from './support.js';

describe('compileFake', () => {
  it("gives what faker's own street() gives, draw for draw, over 50,000 seeds", () => {
    const { faker, random } = createKeyedFaker();
    const prf = new KeyedPrf(testKey(3).subkey('address.street'));
    let seed: readonly [number, number] = [0, 0];
    const street = compileFake(faker, faker.definitions.location.street_pattern, () => random.reseed(seed), () => faker.location.street());
    const buildingNumber = compileBuildingNumber(faker);
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

  it('falls back to faker for a pattern it cannot compile, with the same result', () => {
    const { faker, random } = createKeyedFaker();
    const patterns = ['{{location.street_name_part}}', '{{helpers.arrayElement(["a", "b"])}} {{location.street_suffix}}'];
    let seed: readonly [number, number] = [1, 2];
    let fallbacks = 0;
    const fake = compileFake(faker, patterns, () => random.reseed(seed), () => (fallbacks++, faker.helpers.fake(patterns)));
    for (let i = 0; i < 2000; i++) {
      seed = [i, i * 7];
      random.reseed(seed);
      const fast = fake();
      random.reseed(seed);
      expect(fast).toBe(faker.helpers.fake(patterns));
    }
    expect(fallbacks).toBeGreaterThan(0);
  });

  it('address.street keeps its pseudonyms: a value with a number gets a house number, one without none', () => {
    const street = build(session(), 'address.street');
    const out = street('Sveavägen 12\tlgh 1101')!;
    expect(out).toMatch(/ \d+$/);
    expect(street('Sveavägen 12\tlgh 1101')).toBe(out);
    expect(street('Sveavägen')).not.toMatch(/\d/);
  });
});
