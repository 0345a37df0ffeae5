import { parseIdentityNumber } from '../../se/identity-number.js';
import { luhnValid } from '../../se/luhn.js';
import { isLegalEntity, parseOrganisationsnummer } from '../../se/organisationsnummer.js';
import { parseSwedishPhone } from '../../se/phone.js';
import { parseInet } from '../../transformers/codecs/inet.js';
import type { PiiKind } from '../pii-kind.js';
import { isIban } from './is-iban.js';
import { isPaymentCard } from './is-payment-card.js';
import { isStreetAddress } from './is-street-address.js';
import { nameKinds } from './name-kinds.js';

/** The e-mail address `text.scrub` finds, as a whole value. */
const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;
/** An international number: `+`, then 8–15 digits, spaces or dashes between them. */
const E164 = /^\+[1-9](?:[ -]?\d){7,14}$/;
/** A Swedish postal code written `NNN NN`. */
const POSTAL_CODE = /^[1-9]\d{2} \d{2}$/;
/** Five bare digits: a postal code's weak form (also any small number). */
const POSTAL_CODE_BARE = /^[1-9]\d{4}$/;
/** A decimal number with at least four decimals, a coordinate's form (weak: also a ratio). */
const GEO = /^-?\d{1,3}\.\d{4,}$/;

/** A Swedish mobile number in international form without its `+` (`46701234567`), as Swish aliases and SMS gateways write it. */
const SWEDISH_MOBILE_INTERNATIONAL = /^467[02369]\d{7}$/;
/** A Swedish VAT number: `SE`, an organisationsnummer, `01`. */
const VAT = /^SE\d{10}01$/;
/** A pair of coordinates: `59.3293, 18.0686`, `(18.0686,59.3293)` (a point's text). */
const COORDINATES = /^\(?-?\d{1,3}\.\d{3,}, ?-?\d{1,3}\.\d{3,}\)?$/;

const NONE: readonly PiiKind[] = [];
const ORGANISATIONSNUMMER: readonly PiiKind[] = ['organisationsnummer'];
/** Longer values are no single value of any kind (an IBAN is at most 34 characters grouped, a street at most 80). */
const MAX_LENGTH = 100;

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isLetter = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0xc0 && c !== 0xd7 && c !== 0xf7);

/**
 * Every kind a whole value can be, in PII_KINDS order; empty when none. The value is trimmed
 * first. An ambiguous value gets every kind it can be (`0702263153` is a Swedish mobile number and
 * a valid 10-digit personnummer): the caller decides by the column's name.
 *
 * - personnummer, samordningsnummer: 10 or 12 digits with `-`, `+` or nothing, a real date and a right Luhn digit;
 * - organisationsnummer: a legal entity's number (third digit ≥ 2) with a right Luhn digit, also `16`-prefixed,
 *   and a Swedish VAT number (`SE` + organisationsnummer + `01`);
 * - phone: a Swedish number (`070-123 45 67`, `+46 8 123 456 78`, `08123456`) or `+` and 8–15 digits;
 * - email, iban (country, length, mod 97), payment_card (Luhn, a known issuer prefix and length);
 * - ip: an IPv4 or IPv6 address, optionally `/n` (inet and cidr text). A version string `1.2.3.4`
 *   is a valid address text and counts: only the column's name tells them apart;
 * - postal_code: `NNN NN`, and five bare digits (weak: also any number of five digits);
 * - geo: a decimal number of −180..180 with at least four decimals (weak: also a ratio or a price),
 *   and a pair of coordinates (`59.3293, 18.0686`, a point's `(18.0686,59.3293)`);
 * - first_name, last_name, full_name: see nameKinds; street: see isStreetAddress.
 *
 * Dates are never a birth_date here: dates are everywhere, and only a column's name tells.
 */
export function valueKinds(value: string): readonly PiiKind[] {
  const v = value.length > 0 && (value.charCodeAt(0) <= 0x20 || value.charCodeAt(value.length - 1) <= 0x20) ? value.trim() : value;
  if (v.length < 2 || v.length > MAX_LENGTH) return NONE;
  let digits = 0;
  let letters = 0;
  let at = false;
  let colon = false;
  let dot = false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (isDigit(c)) digits++;
    else if (isLetter(c)) letters++;
    else if (c === 0x40) at = true;
    else if (c === 0x3a) colon = true;
    else if (c === 0x2e) dot = true;
  }
  if (at) return EMAIL.test(v) ? ['email'] : NONE;
  if (digits === 0) return letters > 1 ? nameKinds(v) : NONE;
  if (colon) return v.length >= 2 && parseInet(v) !== undefined ? ['ip'] : NONE;
  if (letters > 0) {
    if (letters === 2 && VAT.test(v) && isLegalEntity(v.slice(2, 12)) && luhnValid(v.slice(2, 12))) return ORGANISATIONSNUMMER;
    const kinds: PiiKind[] = [];
    if (isStreetAddress(v)) kinds.push('street');
    if (v.length >= 15 && isLetter(v.charCodeAt(0)) && isIban(v)) kinds.push('iban');
    return kinds.length > 0 ? kinds : NONE;
  }
  if (dot) {
    if (parseInet(v) !== undefined) return ['ip'];
    if (COORDINATES.test(v)) return ['geo'];
    return GEO.test(v) && Math.abs(Number(v)) <= 180 ? ['geo'] : NONE;
  }
  return numberKinds(v, digits);
}

/** The kinds of a value of digits, spaces, dashes and a leading `+` (or any other signs, which none of the forms take). */
function numberKinds(v: string, digits: number): readonly PiiKind[] {
  if (digits < 5) return NONE;
  if (digits === 5) return POSTAL_CODE.test(v) || POSTAL_CODE_BARE.test(v) ? ['postal_code'] : NONE;
  const kinds: PiiKind[] = [];
  if (digits === 10 || digits === 12) {
    const id = parseIdentityNumber(v);
    if (id?.dateValid && id.luhnValid) kinds.push(id.kind);
    const org = parseOrganisationsnummer(v);
    if (org && isLegalEntity(org.ten) && luhnValid(org.ten)) kinds.push('organisationsnummer');
  }
  const first = v.charCodeAt(0);
  if (
    (first === 0x30 && parseSwedishPhone(v) !== undefined) ||
    (first === 0x2b && (parseSwedishPhone(v) !== undefined || E164.test(v))) ||
    (first === 0x34 && SWEDISH_MOBILE_INTERNATIONAL.test(v))
  )
    kinds.push('phone');
  if (digits >= 13 && digits <= 19 && isPaymentCard(v)) kinds.push('payment_card');
  return kinds.length > 0 ? kinds : NONE;
}
