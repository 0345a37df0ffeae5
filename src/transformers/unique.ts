import { TransformError } from '../errors.js';
import type { DomainPrf, TransformerContext } from './transformer.js';

const EMPTY_HI = 0;
const EMPTY_LO = 0;
const MAX_LOAD = 0.7;

/** MurmurHash3's scramble of one 32-bit block. */
function scramble(k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, 0x1b873593);
}

/** MurmurHash3's step of the hash after a block is mixed in. */
function step(h: number): number {
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3's final mix, as an unsigned 32-bit integer. */
function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A seeded 32-bit hash of a string's UTF-16 code units (MurmurHash3's mixing, two code units a
 * round): about a tenth of SipHash's cost. Fingerprints only: collisions cost an extra attempt.
 */
function fingerprint(s: string, seed: number, tweak: number): number {
  const n = s.length;
  let h = seed ^ n;
  let i = 0;
  for (; i + 1 < n; i += 2) h = step(h ^ scramble((s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16)) ^ tweak));
  if (i < n) h ^= scramble(s.charCodeAt(i) ^ tweak);
  return finish(h);
}

/**
 * `fingerprint(s, a, b)` and `fingerprint(s, b, a)` in one pass over `s` (the two hashes'
 * rounds interleave), written to `out[0]` and `out[1]`.
 */
export function fingerprintPair(s: string, a: number, b: number, out: Uint32Array): void {
  const n = s.length;
  let h1 = a ^ n;
  let h2 = b ^ n;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const c = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16);
    h1 = step(h1 ^ scramble(c ^ b));
    h2 = step(h2 ^ scramble(c ^ a));
  }
  if (i < n) {
    const c = s.charCodeAt(i);
    h1 ^= scramble(c ^ b);
    h2 ^= scramble(c ^ a);
  }
  out[0] = finish(h1);
  out[1] = finish(h2);
}

/** Words a slot takes in the table: the output's two fingerprints, then its holder's. */
const SLOT = 3;

/**
 * What `unique: true` remembers in a run, compactly: for every output given, a 64-bit keyed
 * fingerprint of the output (two seeded 32-bit hashes) and a 32-bit one of the input that
 * holds it, side by side in one open-addressing table of 32-bit words (12 bytes a slot, at
 * most 70 % full, so a probe reads one cache line): about 20 bytes per distinct value, where a
 * Map and a Set of the strings took well over 150.
 *
 * No input → output map is kept: a repeated input walks its candidates again (attempt 0, 1, …)
 * and stops at the first output held by itself, which is the output it was given the first
 * time, because outputs are never released. A false match of fingerprints costs at most a
 * needless extra attempt (an output fingerprint shared by two different outputs), or, where
 * both fingerprints collide at once (about n² / 2^97), a repeated output.
 */
export class UniqueState {
  private readonly seedA: number;
  private readonly seedB: number;
  private readonly pair = new Uint32Array(2);
  private slots: Uint32Array;
  private mask: number;
  private count = 0;
  /** The input last claimed for, and its fingerprint. */
  private lastInput = '';
  private lastHolder = 0;
  /** Outputs given to inputs whose candidates depend on the row (claimed with `rowDependent`). */
  readonly byInput = new Map<string, string>();

  constructor(prf: DomainPrf, capacity = 1024) {
    // Fingerprints are keyed too, so that nobody can choose values whose fingerprints collide.
    const seed = prf.hash('pgmask unique-state seeds');
    this.seedA = seed[0] | 0;
    this.seedB = seed[1] | 0;
    this.lastHolder = fingerprint('', this.seedA ^ 0x5bd1e995, this.seedB);
    let size = 1024;
    while (size < capacity) size *= 2;
    this.slots = new Uint32Array(size * SLOT);
    this.mask = size - 1;
  }

  /** Distinct outputs given so far. */
  get size(): number {
    return this.count;
  }

  /** The 32-bit fingerprint of an input. */
  private holderOf(input: string): number {
    if (input !== this.lastInput) {
      this.lastInput = input;
      this.lastHolder = fingerprint(input, this.seedA ^ 0x5bd1e995, this.seedB);
    }
    return this.lastHolder;
  }

  /**
   * Claims `output` for `input`: true when it was free (and is now taken) or already held by
   * that input, false when another input holds it.
   */
  claim(output: string, input: string): boolean {
    const pair = this.pair;
    fingerprintPair(output, this.seedA, this.seedB, pair);
    let hi = pair[0]!;
    const lo = pair[1]!;
    if (hi === EMPTY_HI && lo === EMPTY_LO) hi = 1;
    const { slots, mask } = this;
    // Fibonacci hashing of the low word spreads the slots; the words themselves are already random.
    let slot = (Math.imul(lo ^ hi, 0x9e3779b1) >>> 0) & mask;
    let at = slot * SLOT;
    let kh = slots[at]!;
    let kl = slots[at + 1]!;
    // The input's fingerprint is taken after the first slot is read: the CPU works on it while that read is on its way.
    const holder = this.holderOf(input);
    while (kh !== EMPTY_HI || kl !== EMPTY_LO) {
      if (kh === hi && kl === lo) return slots[at + 2] === holder;
      slot = (slot + 1) & mask;
      at = slot * SLOT;
      kh = slots[at]!;
      kl = slots[at + 1]!;
    }
    slots[at] = hi;
    slots[at + 1] = lo;
    slots[at + 2] = holder;
    if (++this.count > (mask + 1) * MAX_LOAD) this.grow();
    return true;
  }

  private grow(): void {
    const old = this.slots;
    const size = (old.length / SLOT) * 2;
    const slots = new Uint32Array(size * SLOT);
    const mask = size - 1;
    for (let from = 0; from < old.length; from += SLOT) {
      const hi = old[from]!;
      const lo = old[from + 1]!;
      if (hi === EMPTY_HI && lo === EMPTY_LO) continue;
      let slot = Math.imul(lo ^ hi, 0x9e3779b1) >>> 0;
      let at: number;
      for (;;) {
        slot &= mask;
        at = slot * SLOT;
        if (slots[at] === EMPTY_HI && slots[at + 1] === EMPTY_LO) break;
        slot++;
      }
      slots[at] = hi;
      slots[at + 1] = lo;
      slots[at + 2] = old[from + 2]!;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** The run-wide uniqueness state of a domain (shared by every column with the same domain, scope and `kind`). */
export function uniqueState(context: TransformerContext, domain: string, kind = ''): UniqueState {
  return context.resource(`unique\0${domain}\0${context.scope ?? ''}\0${kind}`, () => new UniqueState(context.prf('pgmask.unique-fingerprint')));
}

/**
 * The output of `input` under `unique: true`: the first candidate no other input holds.
 * `candidate(attempt)` gives attempt 0 (the plain pseudonym), 1, 2, …, and undefined when
 * there is none left; then `exhausted` names what to do.
 *
 * Candidates must be a function of `input` and `attempt` alone; when they also depend on the
 * row (an address built from the row's masked names), pass `rowDependent`, and an input keeps
 * the output its first row gave it (remembered as a string, so that memory grows with the
 * distinct values of such columns).
 */
export function claimUnique(
  state: UniqueState,
  input: string,
  candidate: (attempt: number) => string | undefined,
  context: TransformerContext,
  exhausted: string,
  rowDependent = false,
): string {
  if (rowDependent) {
    const known = state.byInput.get(input);
    if (known !== undefined) return known;
  }
  for (let attempt = 0; ; attempt++) {
    const out = candidate(attempt);
    if (out === undefined) {
      throw new TransformError(exhausted, { table: context.column.table, column: context.column.column });
    }
    if (state.claim(out, input)) {
      if (rowDependent) state.byInput.set(input, out);
      return out;
    }
  }
}
