import { base32 } from '../random/base32.js';
import { localeData } from '../random/faker.js';
import { emailWord } from './helpers/ascii-fold.js';
import { claimUnique, noneLeft, uniqueState } from './helpers/unique.js';
import { defineTransformer, type RowValues } from './transformer.js';

interface EmailOptions {
  readonly domain?: string;
  readonly first_name?: string;
  readonly last_name?: string;
}

/** Domains reserved for documentation and testing (RFC 2606, RFC 6761): nobody receives mail there. */
export const RESERVED_DOMAIN = '^(([a-z0-9-]+\\.)*example\\.(com|net|org)|([a-z0-9-]+\\.)+(example|test|invalid|localhost))$';

function distinct(values: readonly string[]): readonly string[] {
  return [...new Set(values.map(emailWord).filter((w) => w.length > 0))];
}

/**
 * A readable local part that encodes all 64 bits of a PRF output: a first name, a last name and
 * a base32 suffix together are a bijection of the bits, so two inputs share an address only if
 * their 64-bit PRF outputs collide (about 3 in a million for 10 million distinct inputs).
 */
function localPart(first: readonly string[], last: readonly string[], h: readonly [number, number], suffixChars: number): string {
  const f = h[0] % first.length;
  const q = Math.floor(h[0] / first.length);
  const l = q % last.length;
  const rest = Math.floor(q / last.length) * 4294967296 + h[1];
  return `${first[f]!}.${last[l]!}.${base32(rest, suffixChars)}`;
}

/** 14 base32 characters holding all 64 bits. */
function base32Of64(h: readonly [number, number]): string {
  return base32(h[0], 7) + base32(h[1], 7);
}

/** A fake e-mail address at a reserved domain (example.com by default). */
export const email = defineTransformer<EmailOptions>({
  name: 'email',
  description:
    "A fake address at a domain reserved for examples (RFC 2606: example.com by default; any *.example, *.test, *.invalid, *.localhost or example.com/.net/.org). The local part is a readable name plus a keyed suffix that carries 64 bits of the PRF (no collisions in practice, even among 10 million addresses), or, with `first_name:`/`last_name:`, built from the row's masked names.",
  options: {
    type: 'object',
    additionalProperties: false,
    properties: {
      domain: { type: 'string', pattern: RESERVED_DOMAIN, default: 'example.com', description: 'A reserved domain (RFC 2606 / RFC 6761).' },
      first_name: { type: 'string', minLength: 1, description: 'A column of the same row whose masked value starts the local part.' },
      last_name: { type: 'string', minLength: 1, description: 'A column of the same row whose masked value follows it.' },
    },
  },
  accepts: ['text'],
  injective: true,
  enforcesUnique: true,
  outputsNull: false,
  inText: 'email',
  keepsEmpty: true,
  maxOutputLength: (o) => {
    if (o.first_name || o.last_name) return undefined;
    const first = distinct([...localeData.firstNames.female, ...localeData.firstNames.male]);
    const last = distinct(localeData.lastNames);
    const longest = (l: readonly string[]): number => l.reduce((m, w) => Math.max(m, w.length), 0);
    return longest(first) + longest(last) + 2 + suffixLength(first.length, last.length) + 1 + (o.domain ?? 'example.com').length;
  },
  reads: (o) => [o.first_name, o.last_name].filter((c): c is string => c !== undefined),
  example: { input: 'karin.andersson@gmail.com' },
  create(options, context) {
    const prf = context.prf('email');
    const domain = `@${options.domain ?? 'example.com'}`;
    const noFree = 'email: no free address';
    if (options.first_name || options.last_name) {
      const firstCol = options.first_name;
      const lastCol = options.last_name;
      const make = (value: string, attempt: number, row: RowValues): string => {
        const words = [firstCol && row.masked(firstCol), lastCol && row.masked(lastCol)]
          .filter((w): w is string => typeof w === 'string')
          .map(emailWord)
          .filter((w) => w !== '');
        words.push(base32Of64(attempt === 0 ? prf.hash(value) : prf.hashWith(value, attempt)));
        return words.join('.') + domain;
      };
      if (!context.unique) return (value, row) => make(value!, 0, row);
      const state = uniqueState(context, 'email', domain, true);
      return (value, row) => claimUnique(state, value!, (attempt) => (attempt < 100 ? make(value!, attempt, row) : undefined), context, noFree, true);
    }
    const first = distinct([...localeData.firstNames.female, ...localeData.firstNames.male]);
    const last = distinct(localeData.lastNames);
    const chars = suffixLength(first.length, last.length);
    // The last address made, shared by every email rule of the run with this domain and scope:
    // one address often sits in several columns of a row (a column, a note, a JSON document).
    const last1 = context.resource(`email-last\0${domain}\0${context.scope ?? ''}`, () => ({ input: '', output: '' }));
    /** The first choice for `value`, from its PRF output `h` when the caller has it. */
    const firstChoice = (value: string, h?: readonly [number, number]): string => {
      if (value === last1.input && last1.output !== '') return last1.output;
      const output = localPart(first, last, h ?? prf.hash(value), chars) + domain;
      last1.input = value;
      last1.output = output;
      return output;
    };
    if (!context.unique) return (value) => firstChoice(value!);
    // The address encodes all 64 bits of its PRF output: those bits are its fingerprint in the
    // state, with no text to hash. (It cannot equal an address with the row's names, claimed by
    // its text in the same state: those end in 14 base32 characters, these in `chars` ≤ 13.)
    const state = uniqueState(context, 'email', domain, true);
    return (value) => {
      const input = value!;
      for (let attempt = 0; attempt < 100; attempt++) {
        const h = attempt === 0 ? prf.hash(input) : prf.hashWith(input, attempt);
        if (state.claimFingerprint(h[0], h[1], input)) return attempt === 0 ? firstChoice(input, h) : localPart(first, last, h, chars) + domain;
      }
      throw noneLeft(noFree, context);
    };
  },
});

/** Base32 characters needed for the bits a first and last name leave over from 64. */
function suffixLength(firsts: number, lasts: number): number {
  const restMax = Math.ceil(4294967296 / (firsts * lasts)) * 4294967296;
  return Math.ceil(Math.log2(restMax) / 5);
}
