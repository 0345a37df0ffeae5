/**
 * faker's `helpers.fake(patterns)` without its per-call template parsing: each pattern is
 * compiled once into literal text and resolvers that draw from the keyed randomizer exactly
 * as faker's expression evaluator and the faker methods it calls would (faker is pinned to one
 * version), so the output is identical for the same randomizer state
 * (test/transformers/faker-pattern.test.ts compares them over many seeds) at a fraction of the
 * cost. Anything of another shape is left to faker itself.
 */
import type { KeyedFaker } from './faker.js';
import type { KeyedRandom } from './keyed-random.js';

type Faker = KeyedFaker['faker'];

/** A compiled placeholder: makes faker's draws and returns its text; `free` when that text can never hold a brace. */
interface Resolver {
  readonly draw: () => string;
  readonly free: boolean;
}
type Part = string | Resolver;

interface Weighted<T> {
  readonly weight: number;
  readonly value: T;
}

/** Lists of sex-specific values, as faker's person definitions hold them. */
interface SexLists<T> {
  readonly generic?: readonly T[];
  readonly female?: readonly T[];
  readonly male?: readonly T[];
}

const isStringList = (v: unknown): v is readonly string[] => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string');
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const braceFree = (list: readonly string[]): boolean => list.every((s) => !s.includes('{') && !s.includes('}'));

/** faker's `helpers.arrayElement(list)`: one draw of `number.int({ max: n - 1 })`, none for a single element. */
function pick<T>(random: KeyedRandom, list: readonly T[]): () => T {
  const n = list.length;
  return n > 1 ? () => list[random.int(n)]! : () => list[0]!;
}

/**
 * faker's `helpers.weightedArrayElement(items)`: one draw of `number.float({ max: total })`,
 * then the first item whose running weight exceeds it. Undefined where faker would throw.
 */
function weighted<T>(random: KeyedRandom, items: readonly Weighted<T>[]): (() => T) | undefined {
  if (items.length === 0 || items.some((item) => !(item.weight > 0))) return undefined;
  const total = items.reduce((sum, { weight }) => sum + weight, 0);
  const last = items[items.length - 1]!.value;
  return () => {
    const r = random.next() * total;
    let running = 0;
    for (const { weight, value } of items) {
      running += weight;
      if (r < running) return value;
    }
    return last;
  };
}

/**
 * faker's choice of a sex-specific list for a call without a sex: `person.sexType()` draws
 * female or male, then that sex's list, or the generic one, or (with both) one of the two
 * weighted by their sizes. `use` turns each list into what the caller draws from it;
 * undefined where faker would throw (an empty list) or `use` declines.
 */
function sexList<T, R>(random: KeyedRandom, lists: SexLists<T>, use: (list: readonly T[]) => R | undefined): (() => R) | undefined {
  const generic = lists.generic;
  const ofSex = (list: readonly T[] | undefined): (() => R) | undefined => {
    const only = list ?? generic;
    if (list == null || generic == null) {
      const r = only != null && only.length > 0 ? use(only) : undefined;
      return r === undefined ? undefined : () => r;
    }
    const own = use(list);
    const shared = use(generic);
    if (own === undefined || shared === undefined) return undefined;
    return weighted(random, [
      { weight: 3 * Math.sqrt(list.length), value: own },
      { weight: Math.sqrt(generic.length), value: shared },
    ]);
  };
  const female = ofSex(lists.female);
  const male = ofSex(lists.male);
  if (!female || !male) return undefined;
  return () => (random.int(2) === 0 ? female() : male());
}

/** Sex-split lists of names (faker's person.first_name, person.last_name), or undefined for another shape. */
function nameLists(value: unknown): SexLists<string> | undefined {
  if (!isPlainObject(value)) return undefined;
  const lists = value as SexLists<unknown>;
  return [lists.generic, lists.female, lists.male].every((l) => l == null || isStringList(l)) ? (lists as SexLists<string>) : undefined;
}

/** faker's `person.firstName()` (or `lastName()` without patterns): the sex's list, then one of its names. */
function nameFrom(random: KeyedRandom, value: unknown): Resolver | undefined {
  const lists = nameLists(value);
  const names = lists && sexList(random, lists, (list) => pick(random, list));
  if (!lists || !names) return undefined;
  const all = [lists.generic, lists.female, lists.male].flatMap((l) => l ?? []);
  return { draw: () => names()(), free: braceFree(all) };
}

/** faker's `person.lastName()`: with `last_name_pattern`, a weighted pattern of the sex, evaluated as `helpers.fake` does. */
function lastName(faker: Faker, random: KeyedRandom): Resolver | undefined {
  const patterns = (faker.definitions.raw as { person?: { last_name_pattern?: unknown } }).person?.last_name_pattern;
  if (patterns == null) return nameFrom(random, faker.definitions.person.last_name);
  if (!isPlainObject(patterns)) return undefined;
  const lists = patterns as SexLists<unknown>;
  const texts = new Map<string, () => string>();
  for (const list of [lists.generic, lists.female, lists.male]) {
    if (list == null) continue;
    if (!Array.isArray(list)) return undefined;
    for (const item of list as unknown[]) {
      if (!isPlainObject(item) || typeof item['value'] !== 'string' || typeof item['weight'] !== 'number') return undefined;
      const parts = compile(faker, random, item['value']);
      if (!parts?.every((p) => typeof p === 'string' || p.free)) return undefined;
      texts.set(item['value'], join(parts));
    }
  }
  const pattern = sexList(random, lists as SexLists<Weighted<string>>, (list) => weighted(random, list));
  if (!pattern) return undefined;
  return { draw: () => texts.get(pattern()())!(), free: true };
}

/** The text of brace-free parts, drawn in order. */
function join(parts: readonly Part[]): () => string {
  return () => {
    let out = '';
    for (const part of parts) out += typeof part === 'string' ? part : part.draw();
    return out;
  };
}

/**
 * faker's evaluation of a dotted path (`location.street_suffix`, `person.last_name.generic`)
 * against the faker instance and its raw definitions, where that needs no call along the way:
 * each step looks the name up in both, and the single value found at the end is a list (one
 * element drawn) or a method (called).
 */
function resolvePath(faker: Faker, random: KeyedRandom, path: readonly string[]): Resolver | undefined {
  let entries: unknown[] = [faker, faker.definitions.raw];
  for (let i = 0; i < path.length; i++) {
    // Only objects may lie along the path: at a list faker would draw, at a method it would call.
    if (!entries.every(isPlainObject)) return undefined;
    entries = entries.map((e) => (e as Record<string, unknown>)[path[i]!]).filter((e) => e != null);
  }
  if (entries.length !== 1) return undefined;
  const found = entries[0];
  if (typeof found === 'function') {
    if (found === faker.person.firstName) return nameFrom(random, faker.definitions.person.first_name);
    if (found === faker.person.lastName) return lastName(faker, random);
    const fn = found as () => unknown;
    return { draw: () => String(fn()), free: false };
  }
  if (isStringList(found)) return { draw: pick(random, found), free: braceFree(found) };
  return undefined;
}

/**
 * Compiles `{{a.b}}` and `{{a.b.c}}` placeholders into resolvers (see resolvePath). Returns
 * undefined for anything else (arguments, values of other shapes), which faker must evaluate itself.
 */
function compile(faker: Faker, random: KeyedRandom, pattern: string): Part[] | undefined {
  const parts: Part[] = [];
  const placeholder = /\{\{([a-z][A-Za-z_]*(?:\.[A-Za-z_]+)+)\}\}/g;
  let last = 0;
  for (let m = placeholder.exec(pattern); m !== null; m = placeholder.exec(pattern)) {
    if (m.index > last) {
      const text = pattern.slice(last, m.index);
      if (text.includes('{') || text.includes('}')) return undefined;
      parts.push(text);
    }
    const resolver = resolvePath(faker, random, m[1]!.split('.'));
    if (!resolver) return undefined;
    parts.push(resolver);
    last = m.index + m[0].length;
  }
  const rest = pattern.slice(last);
  if (rest.includes('{') || rest.includes('}')) return undefined;
  if (rest.length > 0) parts.push(rest);
  return parts;
}

/**
 * A function that returns what `faker.helpers.fake(patterns)` would, consuming the same random
 * draws. `fallback` is called (after the caller's reseed) for a pattern that cannot be
 * compiled, or when a value of unknown shape holds a brace (it could form a placeholder).
 *
 * @example
 * ```ts
 * const street = compileFake(keyed, keyed.faker.definitions.location.street_pattern, () => random.reseed(h), () => faker.location.street());
 * random.reseed(h); street(); // === (random.reseed(h), faker.location.street())
 * ```
 */
export function compileFake(keyed: KeyedFaker, patterns: readonly string[], reseed: () => void, fallback: () => string): () => string {
  const { faker, random } = keyed;
  const compiled = patterns.map((p) => compile(faker, random, p));
  if (compiled.length === 0) return fallback;
  // faker picks the pattern with arrayElement: pick an index the same way.
  const pattern = pick(random, compiled);
  return () => {
    const parts = pattern();
    if (parts === undefined) {
      reseed();
      return fallback();
    }
    let out = '';
    for (const part of parts) {
      if (typeof part === 'string') out += part;
      else {
        const value = part.draw();
        if (!part.free && (value.includes('{') || value.includes('}'))) {
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
 * the locale is a run of `#`, the very same draws made directly (the pattern, then
 * `string.numeric({ allowLeadingZeros: false })`: a digit 1–9, then digits 0–9).
 */
export function compileBuildingNumber(keyed: KeyedFaker): () => string {
  const { faker, random } = keyed;
  const patterns = faker.definitions.location.building_number;
  if (patterns.length === 0 || !patterns.every((p) => /^#{1,15}$/.test(p))) return () => faker.location.buildingNumber();
  const length = pick(
    random,
    patterns.map((p) => p.length),
  );
  return () => {
    const n = length();
    let value = 1 + random.int(9);
    for (let i = 1; i < n; i++) value = value * 10 + random.int(10);
    return String(value);
  };
}
