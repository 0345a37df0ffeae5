import type { RowValues } from '../transformer.js';

/** The sex a personnummer-like value encodes (its second-to-last digit: odd for men), or undefined. */
export function sexOfIdentity(value: string | null): 'female' | 'male' | undefined {
  if (value === null) return undefined;
  let digits = 0;
  let last = -1;
  let secondLast = -1;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
      secondLast = last;
      last = c - 48;
    }
  }
  if ((digits !== 10 && digits !== 12) || secondLast < 0) return undefined;
  return secondLast % 2 === 1 ? 'male' : 'female';
}

/** The sex of the row's masked personnummer in `column` (masked first, so it matches the fake identity). */
export function sexFromRow(row: RowValues, column: string): 'female' | 'male' | undefined {
  return sexOfIdentity(row.masked(column));
}
