import { KeyedRandom } from '../random/keyed-random.js';
import type { DomainPrf } from '../random/prf.js';
import { defineTransformer } from './transformer.js';

/** Country calling codes of one and two digits (ITU E.164); every other code has three. */
const SHORT_CODES = new Set([
  '1',
  '7',
  '20',
  '27',
  '30',
  '31',
  '32',
  '33',
  '34',
  '36',
  '39',
  '40',
  '41',
  '43',
  '44',
  '45',
  '46',
  '47',
  '48',
  '49',
  '51',
  '52',
  '53',
  '54',
  '55',
  '56',
  '57',
  '58',
  '60',
  '61',
  '62',
  '63',
  '64',
  '65',
  '66',
  '81',
  '82',
  '84',
  '86',
  '90',
  '91',
  '92',
  '93',
  '94',
  '95',
  '98',
]);

function countryCodeLength(digits: string): number {
  if (SHORT_CODES.has(digits.slice(0, 1))) return 1;
  if (SHORT_CODES.has(digits.slice(0, 2))) return 2;
  return 3;
}

/**
 * Replaces the digits of a phone number by keyed ones, keeping every other character, the
 * country code (after `+` or `00`, with a trunk `(0)` after it) and the area code's first
 * digit, or a national number's trunk `0` and the digit after it. Digits are chosen
 * from the number's digits only, so `070-123 45 67` and `0701234567` agree.
 */
export function maskPhoneDigits(prf: DomainPrf, value: string): string {
  const digits = value.replace(/\D/g, '');
  if (digits.length === 0) return value;
  let keep: number;
  const trimmed = value.trimStart();
  if (trimmed.startsWith('+') || digits.startsWith('00')) {
    // The country code, a trunk "(0)" after it, and the first digit of the area code.
    const prefix = trimmed.startsWith('+') ? 0 : 2;
    const code = countryCodeLength(digits.slice(prefix));
    const start = prefix + code;
    let at = 0;
    for (let seen = 0; at < value.length && seen < start; at++) if (value[at]! >= '0' && value[at]! <= '9') seen++;
    keep = start + (/^[\s-]*\(0\)/.test(value.slice(at)) ? 1 : 0) + 1;
  } else if (digits.startsWith('0')) keep = 2;
  else keep = 0;
  const random = new KeyedRandom().reseed(prf.hash(digits));
  let out = '';
  let seen = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      out += seen < keep ? value[i]! : String(random.int(10));
      seen++;
    } else out += value[i]!;
  }
  return out;
}

/** Any phone number: keyed digits, the format and country code kept. */
export const phone = defineTransformer<Record<string, never>>({
  name: 'phone',
  description:
    "Replaces the digits of a phone number with keyed ones and keeps everything else: the format (spaces, dashes, parentheses), the country code after `+` or `00`, or a national number's trunk 0 and the digit after it. Not from a reserved range: use se.phone for Swedish numbers.",
  options: { type: 'object', additionalProperties: false, properties: {} },
  accepts: ['text'],
  injective: false,
  outputsNull: false,
  inText: 'phone',
  keepsEmpty: true,
  maxOutputLength: (_o, column) => column.maxLength,
  example: { input: '+1 (555) 010-9999' },
  create(_options, context) {
    const prf = context.prf('phone');
    return (value) => maskPhoneDigits(prf, value!);
  },
});
