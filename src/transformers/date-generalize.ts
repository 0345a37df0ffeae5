import { TransformError } from '../errors.js';
import { formatPgDate, offsetOf, parsePgDate } from './codecs/pg-date.js';
import { defineTransformer } from './transformer.js';

interface DateGeneralizeOptions {
  readonly to?: 'month' | 'year';
}

/** Truncates a date or timestamp to the first of its month or year. */
export const dateGeneralize = defineTransformer<DateGeneralizeOptions>({
  name: 'date.generalize',
  description: 'Truncates a date or timestamp to the first day of its month (default) or year; a timestamp becomes midnight, its time zone kept. `infinity` stays.',
  options: {
    type: 'object',
    additionalProperties: false,
    properties: { to: { enum: ['month', 'year'], default: 'month', description: 'The precision to keep.' } },
  },
  accepts: ['date', 'timestamp', 'text'],
  injective: false,
  outputsNull: false,
  keepsEmpty: true,
  maxOutputLength: (_o, column) => column.maxLength,
  example: { input: '1981-12-18', options: { to: 'month' } },
  create(options, context) {
    const toYear = options.to === 'year';
    return (value) => {
      const date = parsePgDate(value!);
      if (!date) {
        if (value === 'infinity' || value === '-infinity' || value === '') return value;
        throw new TransformError('date.generalize: not a date in ISO form (YYYY-MM-DD)', { table: context.column.table, column: context.column.column });
      }
      const rest = date.rest === '' ? '' : ` 00:00:00${offsetOf(date.rest)}`;
      return formatPgDate(date.year, toYear ? 1 : date.month, 1, rest);
    };
  },
});
