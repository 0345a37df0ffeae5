/** How much of a value is looked at to decide whether it is free text: its start tells. */
const LOOK_AT = 500;

const isSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0;
const isLetter = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0xc0 && c !== 0xd7 && c !== 0xf7 && (c < 0x2000 || c > 0x206f));

/**
 * Whether a value looks like free text written by people: at least three words (runs without
 * whitespace), at least two of them with a letter, and letters at least half of the characters
 * that are not whitespace (so `2024-01-15 10:30:00+01`, `{1,2,3}` or a row of numbers is not).
 * A full name of three words (`Anna Maria Svensson`) is text-like too: the caller asks valueKinds first.
 * Only the first 500 characters are looked at.
 */
export function isTextLike(value: string): boolean {
  const n = Math.min(value.length, LOOK_AT);
  let words = 0;
  let wordsWithLetter = 0;
  let letters = 0;
  let other = 0;
  let inWord = false;
  let wordHasLetter = false;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (isSpace(c)) {
      if (inWord && wordHasLetter) wordsWithLetter++;
      inWord = false;
      continue;
    }
    if (!inWord) {
      inWord = true;
      wordHasLetter = false;
      words++;
    }
    if (isLetter(c)) {
      letters++;
      wordHasLetter = true;
    } else other++;
  }
  if (inWord && wordHasLetter) wordsWithLetter++;
  return words >= 3 && wordsWithLetter >= 2 && letters >= other;
}
