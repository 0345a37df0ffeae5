import { luhnValid } from '../../se/luhn.js';

/** An issuer range: the first `digits` digits in `from..to`, and the card lengths the scheme issues. */
interface IssuerRange {
  readonly digits: number;
  readonly from: number;
  readonly to: number;
  readonly lengths: readonly number[];
}

const SIXTEEN_TO_NINETEEN = [16, 17, 18, 19];

/**
 * The issuer identification numbers of the big schemes. Visa's 13-digit cards are left out:
 * they are no longer issued, and an EAN-13 barcode starting with 4 passes Luhn one time in ten.
 */
const ISSUERS: readonly IssuerRange[] = [
  { digits: 1, from: 4, to: 4, lengths: [16, 19] }, // Visa
  { digits: 2, from: 51, to: 55, lengths: [16] }, // Mastercard
  { digits: 4, from: 2221, to: 2720, lengths: [16] }, // Mastercard 2-series
  { digits: 2, from: 34, to: 34, lengths: [15] }, // American Express
  { digits: 2, from: 37, to: 37, lengths: [15] },
  { digits: 3, from: 300, to: 305, lengths: [14, 16, 17, 18, 19] }, // Diners Club
  { digits: 2, from: 36, to: 36, lengths: [14, 16, 17, 18, 19] },
  { digits: 2, from: 38, to: 39, lengths: SIXTEEN_TO_NINETEEN },
  { digits: 4, from: 6011, to: 6011, lengths: SIXTEEN_TO_NINETEEN }, // Discover
  { digits: 3, from: 644, to: 649, lengths: SIXTEEN_TO_NINETEEN },
  { digits: 2, from: 65, to: 65, lengths: SIXTEEN_TO_NINETEEN },
  { digits: 4, from: 3528, to: 3589, lengths: SIXTEEN_TO_NINETEEN }, // JCB
  { digits: 2, from: 62, to: 62, lengths: SIXTEEN_TO_NINETEEN }, // UnionPay
  { digits: 2, from: 50, to: 50, lengths: SIXTEEN_TO_NINETEEN }, // Maestro
  { digits: 2, from: 56, to: 58, lengths: SIXTEEN_TO_NINETEEN },
  { digits: 4, from: 6759, to: 6763, lengths: SIXTEEN_TO_NINETEEN },
  { digits: 4, from: 2200, to: 2204, lengths: [16, 17, 18, 19] }, // Mir
];

/** 13–19 digits bare, or in groups of 4–6 separated by single spaces or dashes (the last group may be shorter). */
const WRITTEN = /^(?:\d{13,19}|\d{4,6}(?:[ -]\d{4,6}){1,3}(?:[ -]\d{1,4})?)$/;

/**
 * Whether a value is a payment card number: 13–19 digits (optionally grouped with spaces or
 * dashes), a right Luhn digit, and a known issuer prefix with a length that issuer uses.
 * @example isPaymentCard('4111 1111 1111 1111') // true
 */
export function isPaymentCard(text: string): boolean {
  if (!WRITTEN.test(text)) return false;
  const digits = text.length > 19 || text.includes(' ') || text.includes('-') ? text.replace(/[ -]/g, '') : text;
  if (digits.length < 13 || digits.length > 19) return false;
  const known = ISSUERS.some((range) => {
    const prefix = Number(digits.slice(0, range.digits));
    return prefix >= range.from && prefix <= range.to && range.lengths.includes(digits.length);
  });
  return known && luhnValid(digits);
}
