/** Days in a month of the proleptic Gregorian calendar (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Whether (year, month, day) is a real calendar date. */
export function isRealDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Days since 1970-01-01 of a date (proleptic Gregorian, any year). */
export function dayNumber(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return Math.round(d.getTime() / 86_400_000);
}

/** The date of a day number (inverse of `dayNumber`). */
export function fromDayNumber(n: number): { year: number; month: number; day: number } {
  const d = new Date(n * 86_400_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Two digits, zero-padded. */
export const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Four digits, zero-padded (years 0–9999). */
export const pad4 = (n: number): string => String(n).padStart(4, '0');

/** Today as (year, month, day), for century inference; pass one in for reproducible results. */
export interface Today {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Today's date in UTC. */
export function today(): Today {
  const d = new Date();
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
