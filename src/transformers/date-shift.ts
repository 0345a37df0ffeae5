import { TransformError } from '../errors.js';
import type { DomainPrf } from '../random/prf.js';
import { parsePgDate, shiftPgDate } from './codecs/pg-date.js';
import { defineTransformer } from './transformer.js';

interface DateShiftOptions {
  readonly max_days?: number;
}

/** A keyed shift of 1…max days, earlier or later (never 0), the same for the same value. */
export function keyedShift(prf: DomainPrf, value: string, maxDays: number): number {
  const k = prf.pick(value, 2 * maxDays);
  return k < maxDays ? k - maxDays : k - maxDays + 1;
}

/** Moves a date or timestamp by a keyed number of days within ±max_days. */
export const dateShift = defineTransformer<DateShiftOptions>({
  name: 'date.shift',
  description:
    'Moves a date or timestamp by a keyed number of days, 1 to `max_days` earlier or later (never 0); the same value always moves the same way. The time of day and time zone are kept; `infinity` stays.',
  options: {
    type: 'object',
    additionalProperties: false,
    properties: { max_days: { type: 'integer', minimum: 1, maximum: 36500, default: 30, description: 'The largest shift in days.' } },
  },
  accepts: ['date', 'timestamp', 'text'],
  injective: false,
  outputsNull: false,
  keepsEmpty: true,
  maxOutputLength: (_o, column) => column.maxLength,
  example: { input: '1981-12-18', options: { max_days: 30 } },
  create(options, context) {
    const prf = context.prf('date.shift');
    const max = options.max_days ?? 30;
    return (value) => {
      const date = parsePgDate(value!);
      if (!date) {
        if (value === 'infinity' || value === '-infinity' || value === '') return value;
        throw new TransformError('date.shift: not a date in ISO form (YYYY-MM-DD)', { table: context.column.table, column: context.column.column });
      }
      return shiftPgDate(date, keyedShift(prf, value!, max));
    };
  },
});
