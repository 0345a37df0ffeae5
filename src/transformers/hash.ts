import { BASE32_ALPHABET, hex64 } from '../random/prf.js';
import { claimUnique, uniqueState } from './helpers/unique.js';
import { defineTransformer } from './transformer.js';

interface HashOptions {
  readonly encoding?: 'hex' | 'base32';
  readonly length?: number;
}

const BITS = { hex: 4, base32: 5 } as const;

/** 12 base32 characters (60 bits) of a 64-bit PRF output. */
function base32Of(h: readonly [number, number]): string {
  let out = '';
  let hi = h[0];
  let lo = h[1];
  for (let i = 0; i < 6; i++) {
    out += BASE32_ALPHABET[hi & 31]!;
    hi >>>= 5;
  }
  for (let i = 0; i < 6; i++) {
    out += BASE32_ALPHABET[lo & 31]!;
    lo >>>= 5;
  }
  return out;
}

const lengthOf = (o: HashOptions): number => o.length ?? 32;
/** Whether the output carries 64 bits or more: then two values share one only when their 64-bit PRF outputs collide. */
const injective = (o: HashOptions): boolean => lengthOf(o) * BITS[o.encoding ?? 'hex'] >= 64;

/** A keyed hash of the value: same value, same key, same output; not reversible without the key. */
export const hash = defineTransformer<HashOptions>({
  name: 'hash',
  description:
    'A keyed hash of the value (SipHash-2-4 under a key derived from the masking key), as `length` hex or base32 characters. Injective in practice from 64 bits up (16 hex or 13 base32 characters).',
  options: {
    type: 'object',
    additionalProperties: false,
    properties: {
      encoding: { enum: ['hex', 'base32'], default: 'hex', description: 'Lower-case hex, or RFC 4648 base32 in lower case.' },
      length: { type: 'integer', minimum: 1, maximum: 128, default: 32, description: 'Characters of output.' },
    },
  },
  accepts: ['text', 'integer', 'numeric', 'uuid', 'bytea', 'network', 'other'],
  injective,
  enforcesUnique: true,
  outputsNull: false,
  maxOutputLength: (o) => lengthOf(o),
  example: { input: 'anna.andersson@example.org', options: { length: 16 } },
  create(options, context) {
    const prf = context.prf('hash');
    const length = lengthOf(options);
    const encode = options.encoding === 'base32' ? base32Of : hex64;
    const render = (value: string, attempt: number): string => {
      let out = '';
      for (let block = 0; out.length < length; block++) {
        out += encode(attempt === 0 && block === 0 ? prf.hash(value) : prf.hashWith(value, attempt * 64 + block));
      }
      return out.length === length ? out : out.slice(0, length);
    };
    if (!context.unique) return (value) => render(value!, 0);
    const state = uniqueState(context, 'hash', `${options.encoding ?? 'hex'}:${length}`, injective(options));
    return (value) =>
      claimUnique(state, value!, (attempt) => (attempt < 1000 ? render(value!, attempt) : undefined), context, `hash: no free output of ${length} characters; raise length`);
  },
});
