const WHITESPACE = /\s/;

/** Whether a code unit is whitespace as `\s` reads it. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c >= 0x80 && WHITESPACE.test(String.fromCharCode(c)));
}

/**
 * Whether a value ends in a house number: digits, then optionally a letter A–Z or a–z, with
 * any whitespace between and after (what `/\d+\s*[A-Za-z]?\s*$/` matches), read from the end.
 * @example endsInHouseNumber('Storgatan 12 B') // true
 */
export function endsInHouseNumber(value: string): boolean {
  let i = value.length - 1;
  while (i >= 0 && isSpace(value.charCodeAt(i))) i--;
  if (i < 0) return false;
  const last = value.charCodeAt(i) | 0x20;
  if (last >= 0x61 && last <= 0x7a) {
    i--;
    while (i >= 0 && isSpace(value.charCodeAt(i))) i--;
  }
  const c = value.charCodeAt(i);
  return c >= 48 && c <= 57;
}
