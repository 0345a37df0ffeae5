/** What the permutation needs of a PRF: a hash of small integers. */
export interface IntHasher {
  hashInts(a: number, b: number, c: number): readonly [number, number];
}

const ROUNDS = 6;

/**
 * A keyed permutation of [0, n): a balanced Feistel network over the smallest even number of
 * bits that covers n, with cycle walking to stay inside [0, n). Distinct inputs give distinct
 * outputs by construction; `tweak` selects an independent permutation (e.g. per birth year).
 * n may be up to 2^52.
 * @example permute(prf, 1000, 7, 42) // some j in [0, 1000); another x gives another j
 */
export function permute(prf: IntHasher, n: number, tweak: number, x: number): number {
  if (!(x >= 0 && x < n)) throw new RangeError('permute: x is outside [0, n)');
  if (n <= 1) return x;
  let bits = Math.ceil(Math.log2(n));
  if (bits % 2 === 1) bits++;
  if (bits < 2) bits = 2;
  const half = bits / 2;
  const size = 2 ** half;
  const mask = size - 1;
  let y = x;
  do {
    let left = Math.floor(y / size);
    let right = y % size;
    for (let r = 0; r < ROUNDS; r++) {
      const f = (prf.hashInts(tweak >>> 0, (r << 26) | half, right)[1] & mask) >>> 0;
      const next = (left ^ f) >>> 0;
      left = right;
      right = next;
    }
    y = left * size + right;
  } while (y >= n);
  return y;
}
