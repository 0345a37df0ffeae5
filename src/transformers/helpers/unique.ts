import { TransformError } from '../../errors.js';
import type { DomainPrf } from '../../random/prf.js';
import type { TransformerContext } from '../transformer.js';

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

/** Segments of the table; the top bits of an output's first fingerprint choose one. */
const SEGMENT_BITS = 8;
const SEGMENTS = 1 << SEGMENT_BITS;
/** Slots a segment starts with, the share of them it fills before it grows, and by how much. */
const FIRST_SLOTS = 16;
const MAX_LOAD = 0.85;
const GROWTH = 1.25;

/**
 * What `unique: true` remembers in a run, compactly: for every output given, a keyed fingerprint
 * of the output and one of the input that holds it, in an open-addressing table of 32-bit words.
 * No input → output map is kept: a repeated input walks its candidates again (attempt 0, 1, …)
 * and stops at the first output held by itself, which is the output it was given the first
 * time, because outputs are never released.
 *
 * Two layouts, by how often two inputs' candidates meet:
 * - `injective` domains (an e-mail address or UUID made from a 64-bit keyed hash of the input):
 *   two inputs share a candidate only when that hash collides, so a slot is two words, 8 bytes:
 *   56 bits of the output's fingerprint (8 of them given by the segment the slot is in) and 16
 *   of its holder's. A false match of output fingerprints (about n² / 2^57 in a run: 3 in
 *   100,000 runs of 2 million values) costs a needless extra attempt; a repeated output would
 *   need the holders' 16 bits to match on top of that.
 * - other domains (test number pools, short hashes), where candidates meet all the time: three
 *   words, 12 bytes: 64 bits of the output's fingerprint and 32 of its holder's, so that a
 *   repeated output needs both to match at once (about n² / 2^97).
 *
 * The table is 256 segments, chosen by the fingerprint's top bits, that grow one at a time by a
 * quarter when 85 % full: the slots stay 68–85 % used and growing never holds two copies of the
 * whole table: 9.4–11.8 bytes per distinct value (injective) or 14–18 (others), where a Map and
 * a Set of the strings took well over 150.
 */
export class UniqueState {
  private readonly seedA: number;
  private readonly seedB: number;
  private readonly pair = new Uint32Array(2);
  /** Words a slot takes: the output's fingerprint (one or two words), then its holder's, or both in one. */
  private readonly width: 2 | 3;
  private readonly segments: Uint32Array[] = [];
  /** Slots in use and slots in all, per segment. */
  private readonly used = new Int32Array(SEGMENTS);
  private readonly slotsOf = new Int32Array(SEGMENTS);
  private count = 0;
  /** The input last claimed for, and its fingerprint. */
  private lastInput = '';
  private lastHolder = 0;
  /** Outputs given to inputs whose candidates depend on the row (claimed with `rowDependent`). */
  readonly byInput = new Map<string, string>();

  constructor(prf: DomainPrf, injective = false) {
    // Fingerprints are keyed too, so that nobody can choose values whose fingerprints collide.
    const seed = prf.hash('pgmask unique-state seeds');
    this.seedA = seed[0] | 0;
    this.seedB = seed[1] | 0;
    this.width = injective ? 2 : 3;
    this.lastHolder = this.holderHash('');
    for (let s = 0; s < SEGMENTS; s++) {
      this.segments.push(new Uint32Array(FIRST_SLOTS * this.width));
      this.slotsOf[s] = FIRST_SLOTS;
    }
  }

  /** Distinct outputs given so far. */
  get size(): number {
    return this.count;
  }

  /** Bytes the table takes. */
  get bytes(): number {
    return this.segments.reduce((sum, slots) => sum + slots.byteLength, 0);
  }

  private holderHash(input: string): number {
    return fingerprint(input, this.seedA ^ 0x5bd1e995, this.seedB);
  }

  /** The 32-bit fingerprint of an input. */
  private holderOf(input: string): number {
    if (input !== this.lastInput) {
      this.lastInput = input;
      this.lastHolder = this.holderHash(input);
    }
    return this.lastHolder;
  }

  /**
   * Claims `output` for `input`: true when it was free (and is now taken) or already held by
   * that input, false when another input holds it.
   */
  claim(output: string, input: string): boolean {
    fingerprintPair(output, this.seedA, this.seedB, this.pair);
    return this.claimFingerprint(this.pair[0]!, this.pair[1]!, input);
  }

  /**
   * `claim` for an output given by its 64-bit fingerprint `a`, `b`: a keyed hash that two outputs
   * share exactly when they are equal (the PRF output an e-mail address encodes all of), so that
   * the output's text need not be hashed again.
   */
  claimFingerprint(a: number, b: number, input: string): boolean {
    const segment = a >>> (32 - SEGMENT_BITS);
    // The first word: the rest of a (which places the slot) and the top of b; 0 marks an empty slot.
    const first = ((a << SEGMENT_BITS) | (b >>> (32 - SEGMENT_BITS))) >>> 0 || 1;
    const slots = this.segments[segment]!;
    const size = this.slotsOf[segment]!;
    const width = this.width;
    let slot = home(first, size);
    let at = slot * width;
    let word = slots[at]!;
    // The input's fingerprint is taken after the first slot is read: the CPU works on it while that read is on its way.
    const holder = this.holderOf(input);
    // Injective: b's next 16 bits, then the holder's low 16. Otherwise: b, then the holder in a word of its own.
    const second = width === 2 ? (((b << SEGMENT_BITS) & 0xffff0000) | (holder & 0xffff)) >>> 0 : b;
    while (word !== 0) {
      if (word === first) {
        const other = slots[at + 1]!;
        if (width === 2) {
          if ((other ^ second) >>> 16 === 0) return other === second;
        } else if (other === second) return slots[at + 2] === holder;
      }
      if (++slot === size) slot = 0;
      at = slot * width;
      word = slots[at]!;
    }
    slots[at] = first;
    slots[at + 1] = second;
    if (width === 3) slots[at + 2] = holder;
    this.count++;
    if (++this.used[segment]! > size * MAX_LOAD) this.grow(segment);
    return true;
  }

  /** Moves a segment's slots into one a quarter larger. */
  private grow(segment: number): void {
    const width = this.width;
    const old = this.segments[segment]!;
    const size = Math.ceil(this.slotsOf[segment]! * GROWTH);
    const slots = new Uint32Array(size * width);
    for (let from = 0; from < old.length; from += width) {
      const first = old[from]!;
      if (first === 0) continue;
      let slot = home(first, size);
      while (slots[slot * width] !== 0) if (++slot === size) slot = 0;
      const to = slot * width;
      slots[to] = first;
      slots[to + 1] = old[from + 1]!;
      if (width === 3) slots[to + 2] = old[from + 2]!;
    }
    this.segments[segment] = slots;
    this.slotsOf[segment] = size;
  }
}

/** The slot a first word belongs in, in a segment of `size` slots: its top 24 bits, scaled. */
function home(first: number, size: number): number {
  return Math.floor(((first >>> 8) * size) / 0x1000000);
}

/**
 * The run-wide uniqueness state of a domain (shared by every column with the same domain, scope
 * and `kind`). `injective`: two inputs' candidates are equal only when a 64-bit keyed hash of
 * them collides (see UniqueState).
 */
export function uniqueState(context: TransformerContext, domain: string, kind = '', injective = false): UniqueState {
  return context.resource(`unique\0${domain}\0${context.scope ?? ''}\0${kind}\0${injective}`, () => new UniqueState(context.prf('pgmask.unique-fingerprint'), injective));
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
    if (out === undefined) throw noneLeft(exhausted, context);
    if (state.claim(out, input)) {
      if (rowDependent) state.byInput.set(input, out);
      return out;
    }
  }
}

/** The error when an input's candidates run out: `reason`, naming the column. */
export function noneLeft(reason: string, context: TransformerContext): TransformError {
  return new TransformError(reason, { table: context.column.table, column: context.column.column });
}
