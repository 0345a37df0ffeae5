/**
 * faker's `helpers.fake(patterns)` without its per-call template parsing: each pattern is
 * compiled once into literal text and resolvers that make the very calls, in the same order,
 * that faker's expression evaluator would make, so the output is identical for the same
 * randomizer state (test/transformers/faker-pattern.test.ts compares them) at a fraction of
 * the cost.
 */
import type { KeyedFaker } from './faker.js';

type Faker = KeyedFaker['faker'];
type Part = string | (() => string);

/**
 * Compiles `{{module.name}}` placeholders: `name` a method of faker's module (called), or a
 * list in faker's raw locale definitions (one element picked, as faker's evaluator picks it).
 * Returns undefined for anything else (arguments, deeper paths), which faker must evaluate itself.
 */
function compile(faker: Faker, pattern: string): Part[] | undefined {
  const parts: Part[] = [];
  const placeholder = /\{\{([a-z][A-Za-z_]*)\.([A-Za-z_]+)\}\}/g;
  let last = 0;
  for (let m = placeholder.exec(pattern); m !== null; m = placeholder.exec(pattern)) {
    if (m.index > last) {
      const text = pattern.slice(last, m.index);
      if (text.includes('{{')) return undefined;
      parts.push(text);
    }
    const [, module, name] = m as unknown as [string, string, string];
    const fromModule = (faker as unknown as Record<string, Record<string, unknown> | undefined>)[module]?.[name];
    const fromRaw = (faker.definitions.raw as unknown as Record<string, Record<string, unknown> | undefined>)[module]?.[name];
    // faker's evaluator takes the module member first, then the raw definition.
    if (typeof fromModule === 'function') {
      const fn = fromModule as () => unknown;
      parts.push(() => String(fn()));
    } else if (fromModule === undefined && Array.isArray(fromRaw) && fromRaw.every((v) => typeof v === 'string')) {
      const list = fromRaw as readonly string[];
      parts.push(() => faker.helpers.arrayElement(list));
    } else {
      return undefined;
    }
    last = m.index + m[0].length;
  }
  if (pattern.slice(last).includes('{{')) return undefined;
  if (last < pattern.length) parts.push(pattern.slice(last));
  return parts;
}

/**
 * A function that returns what `faker.helpers.fake(patterns)` would, consuming the same random
 * draws. `fallback` is called (after the caller's reseed) for a pattern that cannot be
 * compiled, or when a resolved value itself holds a placeholder.
 *
 * @example
 * ```ts
 * const street = compileFake(faker, faker.definitions.location.street_pattern, () => faker.location.street());
 * random.reseed(h); street(); // === (random.reseed(h), faker.location.street())
 * ```
 */
export function compileFake(faker: Faker, patterns: readonly string[], reseed: () => void, fallback: () => string): () => string {
  const compiled = patterns.map((p) => compile(faker, p));
  // faker picks the pattern with arrayElement: pick an index the same way.
  const indices = patterns.map((_, i) => i);
  return () => {
    const parts = compiled[faker.helpers.arrayElement(indices)];
    if (parts === undefined) {
      reseed();
      return fallback();
    }
    let out = '';
    for (const part of parts) {
      if (typeof part === 'string') out += part;
      else {
        const value = part();
        if (value.includes('{{')) {
          reseed();
          return fallback();
        }
        out += value;
      }
    }
    return out;
  };
}

/**
 * faker's `location.buildingNumber()` without its replaceAll callback: when every pattern of
 * the locale is a run of `#`, the very same draws (the pattern, then its digits) made directly.
 */
export function compileBuildingNumber(faker: Faker): () => string {
  const patterns = faker.definitions.location.building_number;
  if (!patterns.every((p) => /^#+$/.test(p))) return () => faker.location.buildingNumber();
  const lengths = patterns.map((p) => p.length);
  return () => faker.string.numeric({ length: faker.helpers.arrayElement(lengths), allowLeadingZeros: false });
}
