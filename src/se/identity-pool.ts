/** How much of the birth date a pool keeps: nothing, the decade, the year, or the whole date. */
export type KeepBirth = 'none' | 'decade' | 'year' | 'date';

/** The birth date of a 12-digit number as YYYYMMDD (a samordningsnummer's day less 60). */
export function birthDate(twelve: string): string {
  const day = Number(twelve.slice(6, 8));
  return `${twelve.slice(0, 6)}${String(day >= 60 ? day - 60 : day).padStart(2, '0')}`;
}

/** Sex key of a 12-digit number: its third birth-number digit, odd for men. */
export const sexOf = (twelve: string): 0 | 1 => ((twelve.charCodeAt(10) - 48) % 2) as 0 | 1;

/**
 * Skatteverket's list split into buckets by sex and birth era, for picking a test number that
 * keeps what the rule asks to keep. A bucket with no numbers falls back to the nearest era.
 */
export class IdentityPool {
  private readonly byKey = new Map<number, string[]>();
  private readonly eras: number[];
  private readonly resolved = new Map<number, readonly string[]>();
  private young: IdentityPool | undefined;
  private old: IdentityPool | undefined;

  /**
   * @param underHundredSince numbers born after this date (YYYYMMDD) form the pool of `youngOnly`:
   *   a 10-digit number without separator is read as someone under 100, so only those may be written so.
   */
  constructor(
    readonly numbers: readonly string[],
    readonly keepSex: boolean,
    readonly keepBirth: 'none' | 'decade' | 'year',
    private readonly underHundredSince = '',
  ) {
    const eras = new Set<number>();
    for (const n of numbers) {
      const era = this.eraOf(Number(n.slice(0, 4)));
      eras.add(era);
      const key = this.key(era, keepSex ? sexOf(n) : 2);
      let list = this.byKey.get(key);
      if (!list) this.byKey.set(key, (list = []));
      list.push(n);
    }
    this.eras = [...eras].sort((a, b) => a - b);
  }

  /**
   * The numbers of people under 100 (born after `underHundredSince`), or of the others. An input
   * maps into its own age class: then a 10-digit number without separator, which reads as
   * someone under 100, reads back as the test number it is, whatever form the input had.
   */
  ageClass(young: boolean): IdentityPool {
    const cached = young ? this.young : this.old;
    if (cached) return cached;
    const since = this.underHundredSince;
    const members = this.numbers.filter((n) => birthDate(n) > since === young);
    const pool = members.length > 0 ? new IdentityPool(members, this.keepSex, this.keepBirth, since) : this;
    if (young) this.young = pool;
    else this.old = pool;
    return pool;
  }

  private eraOf(year: number): number {
    return this.keepBirth === 'year' ? year : this.keepBirth === 'decade' ? Math.floor(year / 10) * 10 : 0;
  }

  private key(era: number, sex: 0 | 1 | 2): number {
    return era * 4 + sex;
  }

  /** The numbers an input of this birth year and sex may become (never empty unless the pool is). */
  bucket(year: number, sex: 0 | 1): readonly string[] {
    const era = this.eraOf(year);
    const s: 0 | 1 | 2 = this.keepSex ? sex : 2;
    const key = this.key(era, s);
    const cached = this.resolved.get(key);
    if (cached) return cached;
    let found = this.byKey.get(key);
    if (!found) {
      // The nearest era that holds numbers of this sex (then of any sex).
      const candidates = [...this.eras].sort((a, b) => Math.abs(a - era) - Math.abs(b - era) || a - b);
      for (const e of candidates) {
        found = this.byKey.get(this.key(e, s));
        if (found) break;
      }
      found ??= [...this.byKey.values()][0] ?? [];
    }
    this.resolved.set(key, found);
    return found;
  }
}
