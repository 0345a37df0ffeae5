const SPECIAL: Readonly<Record<string, string>> = {
  æ: 'ae',
  Æ: 'AE',
  ø: 'o',
  Ø: 'O',
  ß: 'ss',
  đ: 'd',
  Đ: 'D',
  ł: 'l',
  Ł: 'L',
  þ: 'th',
  Þ: 'Th',
  ð: 'd',
  Ð: 'D',
  œ: 'oe',
  Œ: 'OE',
  ı: 'i',
};

/**
 * Folds text to ASCII: accents dropped (å → a, é → e), a few letters spelled out (æ → ae,
 * ß → ss), anything else outside ASCII removed.
 * @example foldAscii('Åsa Öberg') // 'Asa Oberg'
 */
export function foldAscii(text: string): string {
  if (/^[\x00-\x7f]*$/.test(text)) return text;
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x00-\x7f]/g, (c) => SPECIAL[c] ?? '');
}

/** A lower-case e-mail local-part word: ASCII letters, digits, `.`, `_` and `-` only. */
export function emailWord(text: string): string {
  return foldAscii(text)
    .toLowerCase()
    .replace(/\s+/g, '-')
    .replace(/[^a-z0-9._-]/g, '')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.-]+|[.-]+$/g, '');
}
