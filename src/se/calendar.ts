/** Days in a month of the proleptic Gregorian calendar (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Whether (year, month, day) is a real calendar date. */
export function isRealDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Days from 0000-03-01 to 1970-01-01, and days in 400 years. */
const EPOCH_SHIFT = 719_468;
const ERA_DAYS = 146_097;
/** Day numbers a JavaScript Date holds (±10^8 days); outside them, as outside the usual ranges, the Date arithmetic answers. */
const DATE_DAYS = 100_000_000;

/**
 * Days since 1970-01-01 of a date (proleptic Gregorian, any year). Counted with integers (Howard
 * Hinnant's days_from_civil) for a month 1–12 and whole numbers; anything else (a day past
 * its month's end counts on, as Date counts it) goes through Date.
 */
export function dayNumber(year: number, month: number, day: number): number {
  if (month >= 1 && month <= 12 && Number.isInteger(month) && Number.isInteger(year) && Number.isInteger(day) && Math.abs(year) < 200_000 && Math.abs(day) < 1_000_000) {
    const y = month <= 2 ? year - 1 : year;
    const era = Math.floor(y / 400);
    const yearOfEra = y - era * 400;
    const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
    const days = era * ERA_DAYS + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear - EPOCH_SHIFT;
    if (Math.abs(days) <= DATE_DAYS) return days;
  }
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return Math.round(d.getTime() / 86_400_000);
}

/** The date of a day number (inverse of `dayNumber`): Hinnant's civil_from_days for a whole number Date can hold, else Date. */
export function fromDayNumber(n: number): { year: number; month: number; day: number } {
  if (Number.isInteger(n) && Math.abs(n) <= DATE_DAYS) {
    const z = n + EPOCH_SHIFT;
    const era = Math.floor(z / ERA_DAYS);
    const dayOfEra = z - era * ERA_DAYS;
    const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
    const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
    const m = Math.floor((5 * dayOfYear + 2) / 153);
    const month = m < 10 ? m + 3 : m - 9;
    return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day: dayOfYear - Math.floor((153 * m + 2) / 5) + 1 };
  }
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
