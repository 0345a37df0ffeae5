import { parseIdentityNumber } from '../se/identity-number.js';
import { formatPgDate, offsetOf, parsePgDate, shiftPgDate } from './codecs/pg-date.js';
import { keyedShift } from './date-shift.js';
import { defineTransformer } from './transformer.js';

interface BirthDateOptions {
  readonly from: string;
}

/** The birth date of the row's masked personnummer, so the row stays coherent. */
export const seBirthDate = defineTransformer<BirthDateOptions>({
  name: 'se.birth_date',
  description:
    'The birth date of the masked personnummer in another column of the same row (`from:`), so the row stays coherent. For a samordningsnummer the day is less 60; an unknown month or day becomes 01. When that column is NULL or holds no identity number, the value is moved by a keyed ±365 days instead.',
  options: {
    type: 'object',
    additionalProperties: false,
    required: ['from'],
    properties: { from: { type: 'string', minLength: 1, description: 'The column holding the personnummer.' } },
  },
  accepts: ['date', 'timestamp', 'text'],
  injective: false,
  outputsNull: false,
  keepsEmpty: true,
  maxOutputLength: (_o, column) => column.maxLength,
  reads: (o) => [o.from],
  example: { input: '1981-12-18', options: { from: 'personnummer' }, note: 'the date follows the masked personnummer of the same row' },
  create(options, context) {
    const prf = context.prf('date.shift');
    const today = context.today;
    return (value, row) => {
      const own = parsePgDate(value!);
      const masked = row.masked(options.from);
      const id = masked === null ? undefined : parseIdentityNumber(masked, today);
      if (!id) {
        // No identity to follow: a keyed move of the value itself, as date.shift with max_days 365.
        if (own) return shiftPgDate(own, keyedShift(prf, value!, 365));
        return value === 'infinity' || value === '-infinity' || value === '' ? value : formatPgDate(1970, 1, 1);
      }
      const day = id.day >= 60 ? id.day - 60 : id.day;
      const rest = own && own.rest !== '' ? ` 00:00:00${offsetOf(own.rest)}` : context.column.family === 'timestamp' ? ' 00:00:00' : '';
      return formatPgDate(id.year, id.month === 0 ? 1 : id.month, day === 0 ? 1 : day, rest);
    };
  },
});
