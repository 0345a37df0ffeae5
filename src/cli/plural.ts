/** `1 table`, `1,234 rows`: a count and its noun, for command output. */
export const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
