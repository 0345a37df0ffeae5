import { BASE32_ALPHABET } from './prf.js';

/** Every pair of base32 characters, indexed by their 10 bits. */
const PAIRS: readonly string[] = Array.from({ length: 1024 }, (_, i) => BASE32_ALPHABET[i >> 5]! + BASE32_ALPHABET[i & 31]!);

/** 32 to the power of 0…15 (powers of two, so dividing by one is exact). */
const POW32: readonly number[] = Array.from({ length: 16 }, (_, i) => 2 ** (5 * i));

const TWO_POW_30 = 2 ** 30;
const TWO_POW_53 = 2 ** 53;

/** Digit `k` of a value below 2^53 split into `low` (its low 30 bits: digits 0–5) and `high` (the rest, below 2^23). */
function digit(low: number, high: number, k: number): number {
  return k < 6 ? (low >>> (5 * k)) & 31 : k < 11 ? (high >>> (5 * (k - 6))) & 31 : 0;
}

/**
 * Lower-case base32 (RFC 4648 alphabet) of a non-negative integer, in exactly `chars`
 * characters (at most 16; higher digits are dropped), most significant first.
 * @example base32(33, 3) // 'abb'
 */
export function base32(value: number, chars: number): string {
  let i = chars - 1;
  let out = '';
  if (value < TWO_POW_53) {
    // Two 32-bit integers hold it exactly; digits come from them two at a time.
    const high = Math.floor(value / TWO_POW_30);
    const low = value - high * TWO_POW_30;
    if (chars % 2 === 1) out = BASE32_ALPHABET[digit(low, high, i--)]!;
    for (; i > 0; i -= 2) out += PAIRS[(digit(low, high, i) << 5) | digit(low, high, i - 1)]!;
    return out;
  }
  // Digit i is floor(value / 32^i) mod 32, each quotient exact.
  if (chars % 2 === 1) out = BASE32_ALPHABET[Math.floor(value / POW32[i--]!) % 32]!;
  for (; i > 0; i -= 2) out += PAIRS[Math.floor(value / POW32[i - 1]!) % 1024]!;
  return out;
}
