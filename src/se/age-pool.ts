import { birthDate, sexOf } from './identity-pool.js';

/** Age classes an identity keeps: under 18, 18 to 99, 100 and over. */
export type AgeClass = 0 | 1 | 2;

/** Names of the age classes, for messages. */
export const AGE_CLASS_NAMES: Readonly<Record<AgeClass, string>> = { 0: 'people under 18', 1: 'adults under 100', 2: 'people aged 100 or more' };

/** A 64-bit pick: index `attempt`'s choice among `n` (attempt 0 is the input's own). */
export type Pick = (attempt: number, n: number) => number;

/** Hashed picks in a decade before the next decade's (see `candidates`). */
const HASHED_ATTEMPTS = 32;

interface Decade {
  readonly decade: number;
  readonly numbers: readonly string[];
  readonly classes: Uint8Array;
  readonly counts: readonly [number, number, number];
}

/**
 * Skatteverket's list for `keep_birth: age`: an input maps into its own age class (under 18,
 * adult, 100 and over, on the run's date) and, as far as the list allows, its own birth decade
 * (same sex by default).
 *
 * An input's candidates are hashed picks among its decade's numbers of its sex, whatever their
 * class, of which those in its class count: when a test person turns 18 or 100, only the inputs
 * whose pick was that person change pseudonym, not a whole bucket. Then (for `unique: true`,
 * once those are taken) picks in the nearest decades (see `candidates`).
 */
export class AgePool {
  private readonly byKey = new Map<number, Decade>();
  private readonly decadesOf = new Map<number, Decade[]>();
  private readonly ordered = new Map<number, readonly Decade[]>();

  /**
   * @param adultSince the date (YYYYMMDD) 18 years before the run's: people born after it are under 18.
   * @param underHundredSince the date 100 years before the run's: people born after it are under 100.
   */
  constructor(
    numbers: readonly string[],
    readonly keepSex: boolean,
    private readonly adultSince: number,
    private readonly underHundredSince: number,
  ) {
    const lists = new Map<number, string[]>();
    for (const n of numbers) {
      const key = this.key(Math.floor(Number(n.slice(0, 4)) / 10) * 10, keepSex ? sexOf(n) : 2);
      let list = lists.get(key);
      if (!list) lists.set(key, (list = []));
      list.push(n);
    }
    for (const [key, list] of lists) {
      const classes = Uint8Array.from(list, (n) => this.classOf(Number(birthDate(n))));
      const counts: [number, number, number] = [0, 0, 0];
      for (const c of classes) counts[c as AgeClass]++;
      const decade: Decade = { decade: Math.floor(key / 4), numbers: list, classes, counts };
      this.byKey.set(key, decade);
      const sex = key % 4;
      let same = this.decadesOf.get(sex);
      if (!same) this.decadesOf.set(sex, (same = []));
      same.push(decade);
    }
  }

  private key(decade: number, sex: 0 | 1 | 2): number {
    return decade * 4 + sex;
  }

  /** The age class of someone born on a date (YYYYMMDD as a number). */
  classOf(born: number): AgeClass {
    return born > this.adultSince ? 0 : born > this.underHundredSince ? 1 : 2;
  }

  /** How many numbers of a sex (ignored unless keepSex) the pool holds in an age class. */
  size(sex: 0 | 1, cls: AgeClass): number {
    let total = 0;
    for (const d of this.decadesOf.get(this.keepSex ? sex : 2) ?? []) total += d.counts[cls];
    return total;
  }

  /** The decades of a sex that hold numbers of a class, nearest to `decade` first (of two as near, the later). */
  private decades(decade: number, s: 0 | 1 | 2, cls: AgeClass): readonly Decade[] {
    const key = this.key(decade, s) * 3 + cls;
    let found = this.ordered.get(key);
    if (!found) {
      found = (this.decadesOf.get(s) ?? []).filter((d) => d.counts[cls] > 0).sort((a, b) => Math.abs(a.decade - decade) - Math.abs(b.decade - decade) || b.decade - a.decade);
      this.ordered.set(key, found);
    }
    return found;
  }

  /** The first candidate (see `candidates`); undefined when the pool holds no number of the class but `self`. */
  first(year: number, sex: 0 | 1, cls: AgeClass, pick: Pick, self: string): string | undefined {
    const own = this.byKey.get(this.key(Math.floor(year / 10) * 10, this.keepSex ? sex : 2));
    if (own && own.counts[cls] > 0) {
      const i = pick(0, own.numbers.length);
      if (own.classes[i] === cls && own.numbers[i] !== self) return own.numbers[i];
    }
    return this.candidates(year, sex, cls, pick, self).next().value;
  }

  /**
   * The numbers an input born in `year`, of `sex` and age class `cls`, may become, best first
   * (a function of the input's picks alone; numbers may repeat): hashed picks in its decade, then
   * in each other decade, nearest first, so that once a decade's numbers are taken an input
   * moves to the nearest decade with numbers left; then every number of its class, decade by
   * decade, so that none is missed. `self`, the input's own 12 digits, is never a candidate: a
   * test number given as input (a database seeded from the list) never stays as it was.
   */
  *candidates(year: number, sex: 0 | 1, cls: AgeClass, pick: Pick, self: string): Generator<string, undefined> {
    const decades = this.decades(Math.floor(year / 10) * 10, this.keepSex ? sex : 2, cls);
    for (let k = 0; k < decades.length; k++) {
      const { numbers, classes } = decades[k]!;
      for (let j = 0; j < HASHED_ATTEMPTS; j++) {
        const i = pick(k * HASHED_ATTEMPTS + j, numbers.length);
        if (classes[i] === cls && numbers[i] !== self) yield numbers[i]!;
      }
    }
    for (let k = 0; k < decades.length; k++) {
      const { numbers, classes } = decades[k]!;
      const n = numbers.length;
      const start = pick(k * HASHED_ATTEMPTS, n);
      for (let step = 0; step < n; step++) {
        const i = (start + step) % n;
        if (classes[i] === cls && numbers[i] !== self) yield numbers[i]!;
      }
    }
    return undefined;
  }
}
