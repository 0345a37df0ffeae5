/**
 * A small, fast pseudorandom stream (sfc32) reseeded from a PRF output per value, so a value's
 * pseudonym is a pure function of (key, domain, value). It is faker's Randomizer too.
 */
export class KeyedRandom {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 1;

  /** Starts the stream over from 64 bits of PRF output. */
  reseed(h: readonly [number, number]): this {
    this.a = h[0] | 0;
    this.b = h[1] | 0;
    this.c = (h[0] ^ 0x9e3779b9) | 0;
    this.d = 1;
    // Discard a few outputs so that close seeds diverge.
    for (let i = 0; i < 8; i++) this.nextUint32();
    return this;
  }

  /** The next unsigned 32-bit integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1) with 32 bits of randomness (faker's Randomizer.next; bound, as faker calls it detached). */
  readonly next = (): number => this.nextUint32() / 4294967296;

  /** An integer in [0, n) for n ≤ 2^32. */
  int(n: number): number {
    return Math.floor((this.nextUint32() / 4294967296) * n);
  }

  /** faker's Randomizer.seed: pgmask reseeds with `reseed` instead; a numeric seed is accepted for completeness. */
  readonly seed = (seed: number | number[]): void => {
    const s = Array.isArray(seed) ? seed : [seed];
    this.reseed([(s[0] ?? 0) >>> 0, (s[1] ?? 0) >>> 0]);
  };
}
