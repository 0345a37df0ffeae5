import { KeyedRandom } from '../random/keyed-random.js';
import type { DomainPrf } from '../random/prf.js';

function mod97(text: string): number {
  let rest = 0;
  for (const c of text) {
    const code = c.charCodeAt(0);
    const v = code >= 65 ? String(code - 55) : c;
    for (const d of v) rest = (rest * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return rest;
}

/** Whether a compact IBAN (no spaces, upper case) has right check digits. */
export function ibanValid(compact: string): boolean {
  return /^[A-Z]{2}\d{2}[A-Z0-9]{8,30}$/.test(compact) && mod97(compact.slice(4) + compact.slice(0, 4)) === 1;
}

/**
 * A keyed IBAN of the same country, length and spacing: the bank identifier (first four BBAN
 * characters) is kept, the rest replaced by keyed characters of the same kind, the check digits recomputed.
 */
export function maskIban(prf: DomainPrf, written: string): string {
  const compact = written.replace(/ /g, '');
  const random = new KeyedRandom().reseed(prf.hash(compact));
  let bban = compact.slice(4, 8);
  for (const c of compact.slice(8)) {
    bban += c >= '0' && c <= '9' ? String(random.int(10)) : String.fromCharCode(65 + random.int(26));
  }
  const country = compact.slice(0, 2);
  const check = String(98 - mod97(`${bban}${country}00`)).padStart(2, '0');
  const out = `${country}${check}${bban}`;
  // Put the spaces back where they were.
  let spaced = '';
  let k = 0;
  for (const c of written) spaced += c === ' ' ? ' ' : out[k++]!;
  return spaced;
}
