import { TransformError } from '../errors.js';
import { KeyedRandom } from '../random/keyed-random.js';
import { type ColumnTarget, defineTransformer } from './transformer.js';

interface NoiseOptions {
  readonly percent?: number;
}

const INTEGER_LIMITS: Readonly<Record<string, bigint>> = { smallint: 32767n, integer: 2147483647n, bigint: 9223372036854775807n };

/** The largest absolute value the column holds: integer types and numeric(p, s). Undefined when unbounded. */
function columnLimit(column: ColumnTarget): { integer?: bigint; digits?: number } {
  const type = (column.type ?? '').toLowerCase();
  if (INTEGER_LIMITS[type] !== undefined) return { integer: INTEGER_LIMITS[type] };
  const m = /^numeric\((\d+)(?:,\s*(\d+))?\)/.exec(type);
  if (m) return { digits: Number(m[1]) - Number(m[2] ?? 0) };
  return {};
}

/** Adds keyed noise of ±percent to a number; keeps its sign, scale (decimals) and integer-ness. */
export const numberNoise = defineTransformer<NoiseOptions>({
  name: 'number.noise',
  description:
    'Adds keyed noise of up to ±`percent` (default 10) to a number. The sign, the number of decimals and integer-ness are kept, and the result stays inside the column type (smallint, integer, bigint, numeric(p, s)); 0, NaN and infinities stay. The same value always gets the same noise.',
  options: {
    type: 'object',
    additionalProperties: false,
    properties: { percent: { type: 'number', exclusiveMinimum: 0, maximum: 100, default: 10, description: 'The largest change, in percent of the value.' } },
  },
  accepts: ['integer', 'numeric', 'text'],
  injective: false,
  outputsNull: false,
  keepsEmpty: true,
  maxOutputLength: (_o, column) => column.maxLength,
  example: { input: '48500.00', options: { percent: 10 } },
  create(options, context) {
    const prf = context.prf('number.noise');
    const fraction = (options.percent ?? 10) / 100;
    const limit = columnLimit(context.column);
    const random = new KeyedRandom();
    const fail = (): never => {
      throw new TransformError('number.noise: not a plain decimal number', { table: context.column.table, column: context.column.column });
    };
    return (value) => {
      const text = value!.trim();
      if (text === '' || text === 'NaN' || /^[+-]?Infinity$/.test(text)) return value;
      const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
      if (!m || (m[2] === '' && (m[3] ?? '') === '')) return fail();
      random.reseed(prf.hash(text));
      const factor = (random.next() * 2 - 1) * fraction;
      if (m[4] !== undefined) {
        // Exponent form (float4/float8): relative noise, same precision as written.
        const x = Number(text);
        const digits = Math.max(1, (m[2]! + (m[3] ?? '')).replace(/^0+/, '').length);
        const y = x + Math.abs(x) * factor;
        return x === 0 ? value : String(Number(y.toPrecision(Math.min(17, digits))));
      }
      const sign = m[1] === '-' ? -1n : 1n;
      const scale = (m[3] ?? '').length;
      const magnitude = BigInt((m[2] || '0') + (m[3] ?? ''));
      if (magnitude === 0n) return value;
      // Noise in units of the last decimal: |delta| ≤ fraction · |x|.
      const delta = BigInt(Math.round(Number(magnitude) * factor));
      let result = magnitude + delta;
      if (result <= 0n) result = 1n; // keep the sign
      const max = limit.integer ?? (limit.digits !== undefined ? 10n ** BigInt(limit.digits + scale) - 1n : undefined);
      if (max !== undefined && result > max) result = max;
      const digits = result.toString().padStart(scale + 1, '0');
      const body = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
      const withSign = sign < 0n ? `-${body}` : m[1] === '+' ? `+${body}` : body;
      return m[2] === '' && scale > 0 && withSign.replace(/^[+-]/, '').startsWith('0.') ? withSign.replace('0.', '.') : withSign;
    };
  },
});
