/** What the permutation needs of a PRF: a hash of a string and a small integer. */
export interface TweakHasher {
  hashWith(input: string, tweak: number): readonly [number, number];
}

const ROUNDS = 8;

/**
 * A keyed permutation of the integers of `width` bits (0 to 128), for domains too wide for
 * `permute`: a balanced Feistel network over the smallest even number of bits that covers
 * `width`, with cycle walking to stay inside it. Distinct inputs give distinct outputs by
 * construction; `tweak` selects an independent permutation (e.g. per network prefix).
 * @example permuteWide(prf, 80, 'prefix 2001:db8:1::/48', 5n) // some other 80-bit number
 */
export function permuteWide(prf: TweakHasher, width: number, tweak: string, x: bigint): bigint {
  if (!(width >= 0 && width <= 128) || x < 0n || x >> BigInt(width) !== 0n) throw new RangeError('permuteWide: x does not fit in width bits');
  if (width === 0) return x;
  const half = BigInt(Math.ceil(width / 2));
  const mask = (1n << half) - 1n;
  const limit = 1n << BigInt(width);
  let y = x;
  do {
    let left = y >> half;
    let right = y & mask;
    for (let r = 0; r < ROUNDS; r++) {
      const h = prf.hashWith(`${tweak}|${right.toString(16)}`, r);
      const f = ((BigInt(h[0]) << 32n) | BigInt(h[1])) & mask;
      const next = left ^ f;
      left = right;
      right = next;
    }
    y = (left << half) | right;
  } while (y >= limit);
  return y;
}
