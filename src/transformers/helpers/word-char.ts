const WORD_CHAR = /[\p{L}\p{N}_]/u;

/**
 * Whether the UTF-16 code unit `c` (NaN outside the text) is a letter, digit or underscore: what
 * a finding in free text (an IP address, a row's phrase) must not touch on either side.
 */
export function isWordChar(c: number): boolean {
  if (c < 0x80) return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
  return c >= 0x80 && WORD_CHAR.test(String.fromCharCode(c));
}
