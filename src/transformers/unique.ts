import { TransformError } from '../errors.js';
import type { DomainPrf, TransformerContext } from './transformer.js';

const EMPTY_HI = 0;
const EMPTY_LO = 0;
const MAX_LOAD = 0.7;

/**
 * A seeded 32-bit hash of a string's UTF-16 code units (MurmurHash3's mixing, two code units a
 * round): about a tenth of SipHash's cost. Fingerprints only: collisions cost an extra attempt.
 */
function fingerprint(s: string, seed: number, tweak: number): number {
  let h = seed ^ s.length;
  const n = s.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    let k = (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16)) ^ tweak;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  if (i < n) {
    let k = s.charCodeAt(i) ^ tweak;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * What `unique: true` remembers in a run, compactly: for every output given, a 64-bit keyed
 * fingerprint of the output (two seeded 32-bit hashes) and a 32-bit one of the input that holds it, in an open-addressing
 * table of typed arrays (12 bytes a slot, at most 70 % full): about 20 bytes per distinct value,
 * where a Map and a Set of the strings took well over 150.
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
  private keysHi: Uint32Array;
  private keysLo: Uint32Array;
  private holders: Uint32Array;
  private mask: number;
  private count = 0;
  /** Outputs given to inputs whose candidates depend on the row (claimed with `rowDependent`). */
  readonly byInput = new Map<string, string>();

  constructor(prf: DomainPrf, capacity = 1024) {
    // Fingerprints are keyed too, so that nobody can choose values whose fingerprints collide.
    const seed = prf.hash('pgmask unique-state seeds');
    this.seedA = seed[0] | 0;
    this.seedB = seed[1] | 0;
    let size = 1024;
    while (size < capacity) size *= 2;
    this.keysHi = new Uint32Array(size);
    this.keysLo = new Uint32Array(size);
    this.holders = new Uint32Array(size);
    this.mask = size - 1;
  }

  /** Distinct outputs given so far. */
  get size(): number {
    return this.count;
  }

  /** The 32-bit fingerprint of an input. */
  holderOf(input: string): number {
    return fingerprint(input, this.seedA ^ 0x5bd1e995, this.seedB);
  }

  /**
   * Claims `output` for the input whose fingerprint is `holder`: true when it was free (and is
   * now taken) or already held by that input, false when another input holds it.
   */
  claim(output: string, holder: number): boolean {
    let hi = fingerprint(output, this.seedA, this.seedB);
    const lo = fingerprint(output, this.seedB, this.seedA);
    if (hi === EMPTY_HI && lo === EMPTY_LO) hi = 1;
    const { keysHi, keysLo, mask } = this;
    // Fibonacci hashing of the low word spreads the slots; the words themselves are already random.
    let slot = Math.imul(lo ^ hi, 0x9e3779b1) >>> 0;
    for (;;) {
      slot &= mask;
      const kh = keysHi[slot]!;
      const kl = keysLo[slot]!;
      if (kh === EMPTY_HI && kl === EMPTY_LO) break;
      if (kh === hi && kl === lo) return this.holders[slot] === holder;
      slot++;
    }
    keysHi[slot] = hi;
    keysLo[slot] = lo;
    this.holders[slot] = holder;
    if (++this.count > (mask + 1) * MAX_LOAD) this.grow();
    return true;
  }

  private grow(): void {
    const { keysHi, keysLo, holders } = this;
    const size = keysHi.length * 2;
    this.keysHi = new Uint32Array(size);
    this.keysLo = new Uint32Array(size);
    this.holders = new Uint32Array(size);
    this.mask = size - 1;
    for (let i = 0; i < keysHi.length; i++) {
      const hi = keysHi[i]!;
      const lo = keysLo[i]!;
      if (hi === EMPTY_HI && lo === EMPTY_LO) continue;
      let slot = Math.imul(lo ^ hi, 0x9e3779b1) >>> 0;
      for (;;) {
        slot &= this.mask;
        if (this.keysHi[slot] === EMPTY_HI && this.keysLo[slot] === EMPTY_LO) break;
        slot++;
      }
      this.keysHi[slot] = hi;
      this.keysLo[slot] = lo;
      this.holders[slot] = holders[i]!;
    }
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
  const holder = state.holderOf(input);
  for (let attempt = 0; ; attempt++) {
    const out = candidate(attempt);
    if (out === undefined) {
      throw new TransformError(exhausted, { table: context.column.table, column: context.column.column });
    }
    if (state.claim(out, holder)) {
      if (rowDependent) state.byInput.set(input, out);
      return out;
    }
  }
}
