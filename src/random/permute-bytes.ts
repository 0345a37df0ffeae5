import type { IntHasher } from './permutation.js';

/** Longest value `permuteBytes` takes: two halves of 28 bits each stay exact JavaScript integers. */
export const PERMUTE_BYTES_MAX = 7;

const ROUNDS = 8;

/**
 * A keyed permutation of the byte strings of one length (1 to 7 bytes): a balanced Feistel
 * network over the value's 2·n hex digits (n digits a half), so that distinct inputs of a length
 * give distinct outputs of that length. `tweak` selects an independent permutation.
 * @example permuteBytes(prf, Uint8Array.of(7), 0) // one byte; each of the 256 inputs gets another
 */
export function permuteBytes(prf: IntHasher, bytes: Uint8Array, tweak: number): Uint8Array {
  const n = bytes.length;
  if (n < 1 || n > PERMUTE_BYTES_MAX) throw new RangeError('permuteBytes: the value must be 1 to 7 bytes long');
  // Hex digit i of the value: the high nibble of byte i/2 when i is even.
  const nibble = (i: number): number => (i % 2 === 0 ? bytes[i >>> 1]! >>> 4 : bytes[i >>> 1]! & 15);
  const size = 16 ** n;
  let left = 0;
  let right = 0;
  for (let i = 0; i < n; i++) left = left * 16 + nibble(i);
  for (let i = n; i < 2 * n; i++) right = right * 16 + nibble(i);
  for (let r = 0; r < ROUNDS; r++) {
    const f = prf.hashInts(tweak >>> 0, (n << 8) | r, right)[1] % size;
    const next = (left ^ f) >>> 0;
    left = right;
    right = next;
  }
  const out = new Uint8Array(n);
  const put = (i: number, v: number) => {
    const at = i >>> 1;
    out[at] = out[at]! | (i % 2 === 0 ? v << 4 : v);
  };
  for (let i = n - 1; i >= 0; i--, left = Math.floor(left / 16)) put(i, left % 16);
  for (let i = 2 * n - 1; i >= n; i--, right = Math.floor(right / 16)) put(i, right % 16);
  return out;
}
