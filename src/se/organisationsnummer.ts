import { type IntHasher, permute } from '../random/permutation.js';
import { luhnCheckDigit } from './luhn.js';

/** An organisationsnummer taken apart: its 10 digits and how it was written. */
export interface Organisationsnummer {
  readonly ten: string;
  /** Written with the `16` prefix (12 digits). */
  readonly prefixed: boolean;
  readonly dash: boolean;
}

const PATTERN = /^(16)?(\d{6})(-?)(\d{4})$/;

/** Parses `NNNNNN-NNNN`, `NNNNNNNNNN` or the 12-digit `16NNNNNNNNNN` forms; undefined otherwise. */
export function parseOrganisationsnummer(text: string): Organisationsnummer | undefined {
  const m = PATTERN.exec(text);
  if (!m) return undefined;
  return { ten: `${m[2]!}${m[4]!}`, prefixed: m[1] !== undefined, dash: m[3] === '-' };
}

/** Whether the 10 digits are a legal entity's number (third digit ≥ 2); else it is a personnummer (a sole trader). */
export function isLegalEntity(ten: string): boolean {
  return ten.charCodeAt(2) - 48 >= 2;
}

/** Writes 10 digits in a parsed number's form. */
export function formatOrganisationsnummer(ten: string, form: Omit<Organisationsnummer, 'ten'>): string {
  return `${form.prefixed ? '16' : ''}${ten.slice(0, 6)}${form.dash ? '-' : ''}${ten.slice(6)}`;
}

const SPAN = 10 * 8 * 1_000_000;

/**
 * A keyed bijection on legal entities' numbers: keeps the group digit (first digit), keeps
 * the third digit ≥ 2, permutes the other eight digits, and recomputes the Luhn digit.
 * Distinct numbers that differ in more than their check digit stay distinct.
 * @example maskLegalEntity(prf, '5560360793') // '5…': another aktiebolag's shape
 */
export function maskLegalEntity(prf: IntHasher, ten: string): string {
  const group = ten.charCodeAt(0) - 48;
  const d2 = ten.charCodeAt(1) - 48;
  const d3 = ten.charCodeAt(2) - 48 - 2;
  const rest = Number(ten.slice(3, 9));
  const y = permute(prf, SPAN, 0x6f72 + group, d2 * 8_000_000 + d3 * 1_000_000 + rest);
  const nine = `${group}${Math.floor(y / 8_000_000)}${Math.floor((y % 8_000_000) / 1_000_000) + 2}${String(y % 1_000_000).padStart(6, '0')}`;
  return `${nine}${luhnCheckDigit(nine)}`;
}
