import { KeyedRandom } from '../random/keyed-random.js';
import { defineTransformer } from './transformer.js';

interface PostalCodeOptions {
  readonly keep?: number;
}

/** A Swedish postal code (`NNN NN`), optionally keeping the first 1–3 digits (the region). */
export const sePostalCode = defineTransformer<PostalCodeOptions>({
  name: 'se.postal_code',
  description:
    'A Swedish postal code in the `NNN NN` shape (`NNNNN` when the input has no space), chosen by the key; `keep: 1–3` keeps the first digits so the region stays. The first digit is never 0.',
  options: {
    type: 'object',
    additionalProperties: false,
    properties: { keep: { type: 'integer', minimum: 0, maximum: 3, default: 0, description: 'Leading digits of the input to keep.' } },
  },
  accepts: ['text', 'integer'],
  injective: false,
  outputsNull: false,
  keepsEmpty: true,
  maxOutputLength: (_o, column) => (column.family === 'integer' || (column.maxLength !== undefined && column.maxLength < 6) ? 5 : 6),
  example: { input: '411 06', options: { keep: 2 } },
  create(options, context) {
    const prf = context.prf('se.postal_code');
    const keep = options.keep ?? 0;
    const random = new KeyedRandom();
    return (value) => {
      const input = value!;
      const digits = input.replace(/\D/g, '');
      random.reseed(prf.hash(digits.length === 5 ? digits : input));
      let out = '';
      for (let i = 0; i < 5; i++) {
        const original = digits.charCodeAt(i) - 48;
        if (i < keep && original >= 0 && original <= 9 && !(i === 0 && original === 0)) out += String(original);
        else out += String(i === 0 ? 1 + random.int(9) : random.int(10));
      }
      const spaced = /\d{3}\s\d{2}/.test(input) || !/^\d{5}$/.test(input.trim());
      return spaced && context.column.family !== 'integer' ? `${out.slice(0, 3)} ${out.slice(3)}` : out;
    };
  },
});
