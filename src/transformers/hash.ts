import { TransformError } from '../errors.js';
import { PERMUTE_BYTES_MAX, permuteBytes } from '../random/permute-bytes.js';
import { BASE32_ALPHABET, type DomainPrf, hex64 } from '../random/prf.js';
import { formatPgBytea, parsePgBytea } from './codecs/pg-bytea.js';
import { claimUnique, uniqueState } from './helpers/unique.js';
import { defineTransformer, type TransformerContext, type TransformFn } from './transformer.js';

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
const textInjective = (o: HashOptions): boolean => lengthOf(o) * BITS[o.encoding ?? 'hex'] >= 64;

/** Writes the 64 bits [hi, lo] as 8 bytes (big-endian) at `at`, as far as `out` reaches. */
function putBlock(out: Uint8Array, at: number, h: readonly [number, number]): void {
  for (let i = 0; i < 8 && at + i < out.length; i++) out[at + i] = (i < 4 ? h[0] >>> (24 - 8 * i) : h[1] >>> (56 - 8 * i)) & 0xff;
}

/**
 * The masker of a bytea column: bytea of the input's length. Up to 7 bytes, a keyed permutation
 * of the values of that length (distinct inputs, distinct outputs); from 8 bytes, a 64-bit keyed
 * hash of the bytes, then a keyed stream from it for the rest (two values share an output only
 * when their 64-bit hashes collide). The empty value stays empty.
 */
function byteaMasker(context: TransformerContext): TransformFn {
  const long: DomainPrf = context.prf('hash.bytea');
  const short: DomainPrf = context.prf('hash.bytea.short');
  const render = (bytes: Uint8Array, hex: string, attempt: number): string => {
    if (bytes.length <= PERMUTE_BYTES_MAX) return formatPgBytea(bytes.length === 0 ? bytes : permuteBytes(short, bytes, attempt));
    const out = new Uint8Array(bytes.length);
    const first = attempt === 0 ? long.hash(hex) : long.hashWith(hex, attempt);
    putBlock(out, 0, first);
    for (let block = 1; block * 8 < out.length; block++) putBlock(out, block * 8, long.hashInts(first[0], first[1], block));
    return formatPgBytea(out);
  };
  const read = (value: string): { bytes: Uint8Array; hex: string } => {
    const bytes = parsePgBytea(value);
    if (!bytes) throw new TransformError("hash: the value is not bytea in PostgreSQL's hex or escape text form", { table: context.column.table, column: context.column.column });
    // The bytes in lower-case hex: the hex and escape spellings of a value hash alike.
    return { bytes, hex: formatPgBytea(bytes).slice(2) };
  };
  if (!context.unique) {
    return (value) => {
      const { bytes, hex } = read(value!);
      return render(bytes, hex, 0);
    };
  }
  const state = uniqueState(context, 'hash', 'bytea', true);
  return (value) => {
    const { bytes, hex } = read(value!);
    return claimUnique(state, `\\x${hex}`, (attempt) => (attempt < 1000 ? render(bytes, hex, attempt) : undefined), context, 'hash: no free bytea output of this length');
  };
}

/** A keyed hash of the value: same value, same key, same output; not reversible without the key. */
export const hash = defineTransformer<HashOptions>({
  name: 'hash',
  description:
    "A keyed hash of the value (SipHash-2-4 under a key derived from the masking key), as `length` hex or base32 characters. Injective in practice from 64 bits up (16 hex or 13 base32 characters). On a bytea column the output is bytea of the input's length instead (the options do not apply): values of 1 to 7 bytes go through a keyed permutation of the values of their length, longer ones through a 64-bit keyed hash and a keyed stream after it, so distinct values stay distinct; the empty value stays empty.",
  options: {
    type: 'object',
    additionalProperties: false,
    properties: {
      encoding: { enum: ['hex', 'base32'], default: 'hex', description: 'Lower-case hex, or RFC 4648 base32 in lower case.' },
      length: { type: 'integer', minimum: 1, maximum: 128, default: 32, description: 'Characters of output.' },
    },
  },
  accepts: ['text', 'integer', 'numeric', 'uuid', 'bytea', 'network', 'other'],
  injective: (o, column) => column?.family === 'bytea' || textInjective(o),
  enforcesUnique: true,
  outputsNull: false,
  maxOutputLength: (o) => lengthOf(o),
  example: { input: 'anna.andersson@example.org', options: { length: 16 } },
  create(options, context) {
    if (context.column.family === 'bytea') return byteaMasker(context);
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
    const state = uniqueState(context, 'hash', `${options.encoding ?? 'hex'}:${length}`, textInjective(options));
    return (value) =>
      claimUnique(state, value!, (attempt) => (attempt < 1000 ? render(value!, attempt) : undefined), context, `hash: no free output of ${length} characters; raise length`);
  },
});
