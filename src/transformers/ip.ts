import { ConfigError, TransformError } from '../errors.js';
import { formatIp, type InetValue, parseInet } from './codecs/inet.js';
import { ipPseudonym, type KeepPrefix } from './helpers/ip-pseudonym.js';
import { claimUnique, uniqueState } from './helpers/unique.js';
import { defineTransformer, type JsonSchema } from './transformer.js';

export interface IpOptions {
  readonly keep_prefix?: KeepPrefix;
}

/** The options schema, shared with `text.scrub`'s `ip:`. */
export const ipOptionsProperties: Readonly<Record<string, JsonSchema>> = {
  keep_prefix: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      v4: { type: 'integer', minimum: 0, maximum: 31, description: 'Leading bits of an IPv4 address to keep (e.g. 24 keeps a.b.c).' },
      v6: { type: 'integer', minimum: 0, maximum: 127, description: 'Leading bits of an IPv6 address to keep (e.g. 48 or 64).' },
    },
    description:
      'Keep the first bits of each address, per family (`{ v4: 24, v6: 48 }`), and replace the rest by a keyed permutation inside that prefix: distinct addresses stay distinct, but the output is a real network, not a documentation one. A family left out gets documentation addresses.',
  },
};

/** The longest output: `ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128`. */
const LONGEST = 43;

const WHITESPACE = /^(\s*)(.*?)(\s*)$/s;

/** An IP address (inet, cidr or text) becomes a keyed one of the same family, by default from the documentation ranges. */
export const ip = defineTransformer<IpOptions>({
  name: 'ip',
  description:
    'Replaces an IPv4 or IPv6 address (inet, cidr, or text holding one) with a keyed one of the same family: by default from the documentation ranges (IPv4: 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 of RFC 5737; IPv6: 2001:db8::/32 of RFC 3849), so it points at nobody. An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) is masked as its IPv4 address and stays mapped. A mask length written as `/n` is kept. A value whose host bits are all zero under its mask is taken as a network, as every cidr value is, and stays one with host bits zero (so inet `10.1.2.0/24` is masked as a network, not as the address 10.1.2.0; a network shorter than /24 or /32 cannot lie inside a documentation range and becomes that of a documentation address). `keep_prefix` keeps the leading bits instead. The IPv4 documentation ranges hold only 768 addresses, so without `keep_prefix.v4` different addresses share outputs; `unique: true` hands out distinct ones until they run out. Text spellings of one address (leading zeros, upper case) give one output; text around the address (blanks) is kept, anything else that is not an address fails. Not for macaddr: use redact, or hash with `length: 12` (16 for macaddr8).',
  options: { type: 'object', additionalProperties: false, properties: ipOptionsProperties },
  accepts: ['network', 'text'],
  injective: (o) => o.keep_prefix?.v4 !== undefined && o.keep_prefix?.v6 !== undefined,
  enforcesUnique: true,
  outputsNull: false,
  keepsEmpty: true,
  maxOutputLength: () => LONGEST,
  example: { input: '81.232.47.115', note: 'With `keep_prefix: { v4: 24 }` it stays in 81.232.47.0/24.' },
  create(options, context) {
    const where = { table: context.column.table, column: context.column.column };
    const type = context.column.type?.toLowerCase() ?? '';
    if (context.column.family === 'network' && type.startsWith('macaddr')) {
      throw new ConfigError(
        'IP_NOT_MACADDR',
        `ip masks IP addresses, but ${where.table}.${where.column} is ${type}: for MAC addresses use redact, or hash with length: ${type.startsWith('macaddr8') ? 16 : 12}`,
      );
    }
    const pseudonym = ipPseudonym(context.prf('ip'), options.keep_prefix ?? {});
    const render = (value: InetValue, attempt: number): string | undefined => {
      const address = pseudonym(value, attempt);
      return address && (value.mask === undefined ? formatIp(address) : `${formatIp(address)}/${value.mask}`);
    };
    const parse = (text: string): InetValue => {
      const value = parseInet(text);
      if (!value) throw new TransformError('ip: not an IPv4 or IPv6 address (a.b.c.d or IPv6 text, with an optional /n)', where);
      return value;
    };
    // Text may have blanks around the address; inet and cidr never do.
    const masked = (value: string, mask: (address: string) => string): string => {
      if (context.column.family === 'network' || (value.charCodeAt(0) > 0x20 && value.charCodeAt(value.length - 1) > 0x20)) return mask(value);
      const [, lead, inner, trail] = WHITESPACE.exec(value)!;
      return lead! + mask(inner!) + trail!;
    };
    if (!context.unique) return (value) => masked(value!, (text) => render(parse(text), 0)!);
    const state = uniqueState(context, 'ip', JSON.stringify(options.keep_prefix ?? {}));
    return (value) =>
      masked(value!, (text) => {
        const parsed = parse(text);
        return claimUnique(
          state,
          text,
          (attempt) => render(parsed, attempt),
          context,
          'ip: no free address left for a unique column (the IPv4 documentation ranges hold 768, shorter cidr networks fewer); set keep_prefix',
        );
      });
  },
});
