import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, TransformError } from '../../src/errors.js';
import { formatIpv6, parseInet, parseIpv4, parseIpv6 } from '../../src/transformers/codecs/inet.js';
import { useDatabase } from '../support/database.js';
import { build, session } from './support.js';

const INET = { family: 'network', type: 'inet' } as const;
const CIDR = { family: 'network', type: 'cidr' } as const;

/** The documentation networks of RFC 5737 and RFC 3849. */
const inV4Documentation = (text: string): boolean => /^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d{1,3}$/.test(text);
const inV6Documentation = (text: string): boolean => parseIpv6(text)! >> 96n === 0x20010db8n;

const v4 = fc.tuple(fc.integer({ min: 1, max: 223 }), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
const v6 = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }).map(formatIpv6);
/** IPv6 addresses with runs of zero groups, mapped and compatible ones: the forms whose spelling is tricky. */
const sparseV6 = fc
  .array(fc.oneof(fc.constant(0), fc.constant(0), fc.constant(0xffff), fc.nat(0xffff)), { minLength: 8, maxLength: 8 })
  .map((words) => formatIpv6(words.reduce((bits, w) => (bits << 16n) | BigInt(w), 0n)));

/** A keyed IPv4 address for test inputs that never lies in a documentation range. */
const address = (i: number): string => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

describe('ip', () => {
  it('is deterministic: the same input and key give the same output, another key another one', () => {
    const inputs = Array.from({ length: 300 }, (_, i) => address(i * 7919));
    const outputs = (seed: number, column = {}): (string | null)[] => {
      const mask = build(session(seed), 'ip', { ...INET, ...column });
      return inputs.map((a) => mask(a));
    };
    const first = outputs(1);
    expect(outputs(1, { table: 'public.other', column: 'x' })).toEqual(first);
    const other = outputs(2);
    // 768 documentation addresses: another key repeats about one in 768 by chance.
    expect(other.filter((o, i) => o === first[i]).length).toBeLessThan(10);
  });

  it('gives IPv4 documentation addresses for IPv4 and 2001:db8::/32 for IPv6, the family kept', () => {
    const mask = build(session(), 'ip', INET);
    fc.assert(
      fc.property(v4, (a) => {
        expect(inV4Documentation(mask(a)!)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(v6, (a) => {
        const out = mask(a)!;
        if (parseIpv6(a)! >> 32n === 0xffffn) expect(out).toMatch(/^::ffff:(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+$/);
        else expect(inV6Documentation(out)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    // Every one of the 768 addresses is used.
    const outputs = new Set(Array.from({ length: 20_000 }, (_, i) => mask(address(i))));
    expect(outputs.size).toBe(768);
  });

  it('masks an IPv4-mapped IPv6 address as its IPv4 address, and keeps it mapped', () => {
    const mask = build(session(), 'ip', INET);
    for (let i = 0; i < 200; i++) expect(mask(`::ffff:${address(i)}`)).toBe(`::ffff:${mask(address(i))!}`);
    const keep = build(session(), { transform: 'ip', options: { keep_prefix: { v4: 16 } } }, INET);
    expect(keep('::ffff:10.1.2.3')).toBe(`::ffff:${keep('10.1.2.3')!}`);
  });

  it('keeps the mask length as written, and a network (host bits zero, as every cidr value) stays one', () => {
    const mask = build(session(), 'ip', INET);
    const out = mask('10.1.2.3/24')!;
    expect(out).toBe(`${mask('10.1.2.3')!}/24`);
    expect(mask('10.1.2.0/24')).toMatch(/^(192\.0\.2|198\.51\.100|203\.0\.113)\.0\/24$/);
    expect(mask('10.1.2.128/25')).toMatch(/^(192\.0\.2|198\.51\.100|203\.0\.113)\.(0|128)\/25$/);
    expect(mask('2001:67c:2e8::/48')).toMatch(/^2001:db8:[0-9a-f]{1,4}::\/48$/);
    expect(mask('::ffff:10.1.2.0/120')).toMatch(/^::ffff:(192\.0\.2|198\.51\.100|203\.0\.113)\.0\/120$/);
    const cidr = build(session(), 'ip', CIDR);
    fc.assert(
      fc.property(fc.oneof(v4, v6), fc.nat(128), (a, n) => {
        const parsed = parseInet(a)!;
        const length = n % (parsed.address.v6 ? 129 : 33);
        const network = networkText(a, length);
        const masked = parseInet(cidr(network)!)!;
        expect(masked.mask).toBe(length);
        expect(masked.address.v6).toBe(parsed.address.v6);
        expect(isNetwork(masked.address.bits, length, masked.address.v6)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('keep_prefix keeps the leading bits and is one-to-one inside them', () => {
    const mask = build(session(), { transform: 'ip', options: { keep_prefix: { v4: 24, v6: 48 } } }, INET);
    const hosts = Array.from({ length: 256 }, (_, i) => `81.232.47.${i}`);
    const out = hosts.map((h) => mask(h));
    expect(out.every((o) => o!.startsWith('81.232.47.'))).toBe(true);
    expect(new Set(out).size).toBe(256);
    expect(out.filter((o, i) => o === hosts[i]).length).toBeLessThan(8);
    const v6Hosts = Array.from({ length: 500 }, (_, i) => `2001:67c:2e8:${i.toString(16)}::${(i * 31).toString(16)}`);
    const v6Out = v6Hosts.map((h) => mask(h));
    expect(v6Out.every((o) => parseIpv6(o!)! >> 80n === parseIpv6('2001:67c:2e8::')! >> 80n)).toBe(true);
    expect(new Set(v6Out).size).toBe(500);
    // A network of the kept length or shorter is all prefix: kept as it is.
    expect(build(session(), { transform: 'ip', options: { keep_prefix: { v4: 24 } } }, CIDR)('10.1.2.0/24')).toBe('10.1.2.0/24');
    // A longer network keeps its prefix, its host bits stay zero, and distinct networks stay distinct.
    const networks = build(session(), { transform: 'ip', options: { keep_prefix: { v4: 16 } } }, CIDR);
    const nets = Array.from({ length: 256 }, (_, i) => networks(`10.1.${i}.0/24`)!);
    expect(nets.every((n) => /^10\.1\.\d+\.0\/24$/.test(n))).toBe(true);
    expect(new Set(nets).size).toBe(256);
    // The family left out gets documentation addresses.
    expect(inV6Documentation(build(session(), { transform: 'ip', options: { keep_prefix: { v4: 8 } } }, INET)('2001:67c:2e8::1')!)).toBe(true);
  });

  it('says in `injective` what it can promise', async () => {
    const { ip } = await import('../../src/transformers/ip.js');
    const injective = ip.injective as (o: object) => boolean;
    expect(injective({})).toBe(false);
    expect(injective({ keep_prefix: { v4: 24 } })).toBe(false);
    expect(injective({ keep_prefix: { v4: 24, v6: 64 } })).toBe(true);
    expect(ip.enforcesUnique).toBe(true);
  });

  it('unique: true hands out distinct documentation addresses until all 768 are taken, then fails naming the column', () => {
    const mask = build(session(), { transform: 'ip', unique: true }, { ...INET, table: 'public.logins', column: 'client' });
    const out = Array.from({ length: 768 }, (_, i) => mask(address(i)));
    expect(new Set(out).size).toBe(768);
    expect(out.every((o) => inV4Documentation(o!))).toBe(true);
    // The same input again keeps its output.
    expect(mask(address(5))).toBe(out[5]);
    expect(() => mask(address(768))).toThrow(TransformError);
    expect(() => mask(address(769))).toThrow(/public\.logins.*client.*keep_prefix/);
    // Text spellings of one address are distinct text values: unique gives them distinct outputs.
    const text = build(session(), { transform: 'ip', unique: true, options: { keep_prefix: { v4: 24 } } });
    expect(text('10.0.0.1')).not.toBe(text('010.000.000.001'));
  });

  it('refuses what is not an address with a TransformError that names the column, never the value', () => {
    const mask = build(session(), 'ip', { table: 'public.events', column: 'client_ip', family: 'text', type: 'text' });
    for (const bad of [
      'Karin Andersson',
      '1.2.3',
      '10.0',
      '256.1.1.1',
      '1.2.3.4.5',
      '10.0.0.1/33',
      '2001:db8::1/129',
      '08:00:2b:01:02:03',
      '12:30:45',
      '1::2::3',
      'fe80::1%eth0',
      'localhost',
      ' ',
    ]) {
      let error: unknown;
      try {
        mask(bad);
      } catch (e) {
        error = e;
      }
      expect(error, bad).toBeInstanceOf(TransformError);
      const message = (error as Error).message;
      expect(message).toContain('public.events');
      expect(message).toContain('client_ip');
      expect(message).toMatch(/not an IPv4 or IPv6 address/);
      if (bad.trim() !== '') expect(message).not.toContain(bad.trim());
    }
  });

  it('refuses a macaddr column before any value is read', () => {
    expect(() => build(session(), 'ip', { table: 'public.devices', column: 'mac', family: 'network', type: 'macaddr' })).toThrow(ConfigError);
    expect(() => build(session(), 'ip', { table: 'public.devices', column: 'mac', family: 'network', type: 'macaddr8' })).toThrow(
      /public\.devices\.mac is macaddr8: for MAC addresses use redact, or hash with length: 16/,
    );
  });

  it('keeps NULL, the empty string and the blanks around an address in text', () => {
    const mask = build(session(), 'ip');
    expect(mask(null)).toBeNull();
    expect(mask('')).toBe('');
    expect(mask(' 10.0.0.1\n')).toBe(` ${mask('10.0.0.1')!}\n`);
  });

  it('agrees in text, inet and json columns and inside free text', () => {
    const s = session();
    const inet = build(s, 'ip', INET);
    const text = build(s, 'ip');
    const json = build(s, { transform: 'json', options: { paths: { '$.ip': 'ip', '$.hops[*]': 'ip' } } }, { family: 'json', type: 'jsonb' });
    const scrub = build(s, 'text.scrub');
    expect(text('10.1.2.3')).toBe(inet('10.1.2.3'));
    expect(JSON.parse(json('{"ip": "10.1.2.3", "hops": ["2001:67c:2e8::1", "::ffff:10.1.2.3"], "n": 1}')!)).toEqual({
      ip: inet('10.1.2.3'),
      hops: [inet('2001:67c:2e8::1'), inet('::ffff:10.1.2.3')],
      n: 1,
    });
    expect(scrub('Login från 10.1.2.3 och 2001:67c:2e8::1.')).toBe(`Login från ${inet('10.1.2.3')!} och ${inet('2001:67c:2e8::1')!}.`);
  });

  it('fits maxOutputLength with the longest forms', async () => {
    const { ip } = await import('../../src/transformers/ip.js');
    const longest = ip.maxOutputLength!({}, { table: '', column: '', family: 'text', elementFamily: undefined, type: 'text', maxLength: undefined })!;
    const keep = build(session(), { transform: 'ip', options: { keep_prefix: { v4: 0, v6: 0 } } });
    let seen = 0;
    for (let i = 0; i < 2000; i++) seen = Math.max(seen, keep(`${formatIpv6(BigInt(i) * 0x1234567890abcdef1234567n)}/128`)!.length);
    expect(seen).toBeLessThanOrEqual(longest);
    expect(longest).toBe('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128'.length);
  });
});

describe('inet text codec', () => {
  it('reads dotted quads and IPv6 forms, and refuses the rest', () => {
    expect(parseIpv4('192.0.2.1')).toBe(0xc0000201);
    expect(parseIpv4('010.001.000.255')).toBe(0x0a0100ff);
    for (const bad of ['1.2.3', '1.2.3.4.', '.1.2.3', '1..2.3', '1.2.3.256', '1.2.3.0000', '1.2.3.a', '']) expect(parseIpv4(bad), bad).toBeUndefined();
    expect(parseIpv6('::')).toBe(0n);
    expect(parseIpv6('::1')).toBe(1n);
    expect(parseIpv6('1::')).toBe(1n << 112n);
    expect(parseIpv6('::ffff:1.2.3.4')).toBe(0xffff01020304n);
    expect(parseIpv6('1:2:3:4:5:6:7::')).toBe(0x0001000200030004000500060007_0000n);
    for (const bad of [
      ':',
      ':::',
      '1:::2',
      '1::2::3',
      ':1::',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7',
      '1::2:3:4:5:6:7:8',
      '12345::',
      'g::',
      '1.2.3.4::',
      '::1.2.3.4:5',
      '1:2:3:4:5:6:7:1.2.3.4',
    ]) {
      expect(parseIpv6(bad), bad).toBeUndefined();
    }
  });
});

describe('ip against PostgreSQL', async () => {
  const db = await useDatabase();

  it('writes IPv6 addresses exactly as PostgreSQL prints them', async () => {
    const texts = fc.sample(fc.oneof(v6, sparseV6), { numRuns: 3000, seed: 7 });
    const rows = await db.query<{ a: string; printed: string }>('SELECT a, a::inet::text AS printed FROM unnest($1::text[]) a', [texts]);
    for (const r of rows) expect(formatIpv6(parseIpv6(r.a)!), r.a).toBe(r.printed.replace(/\/128$/, ''));
  });

  it('gives values inet and cidr take back unchanged, host bits of cidr zero', async () => {
    const values = fc.sample(fc.tuple(fc.oneof(v4, v6, sparseV6), fc.nat(128)), { numRuns: 1500, seed: 11 });
    const networks = values.map(([a, n]) => networkText(a, n % (a.includes(':') ? 129 : 33)));
    const addresses = values.map(([a, n]) => (n % 3 === 0 ? `${a}/${n % (a.includes(':') ? 129 : 33)}` : a));
    const [inputs] = await db.query<{ inet: string[]; cidr: string[] }>(
      'SELECT array_agg(a::inet::text) AS inet, (SELECT array_agg(c::cidr::text) FROM unnest($2::text[]) c) AS cidr FROM unnest($1::text[]) a',
      [addresses, networks],
    );
    for (const options of [{}, { keep_prefix: { v4: 20, v6: 56 } }]) {
      const inet = build(session(), { transform: 'ip', options }, INET);
      const cidr = build(session(), { transform: 'ip', options }, CIDR);
      const inetOut = inputs!.inet.map((v) => inet(v)!);
      const cidrOut = inputs!.cidr.map((v) => cidr(v)!);
      const [back] = await db.query<{ inet: string[]; cidr: string[] }>(
        'SELECT (SELECT array_agg(a::inet::text) FROM unnest($1::text[]) a) AS inet, (SELECT array_agg(c::cidr::text) FROM unnest($2::text[]) c) AS cidr',
        [inetOut, cidrOut],
      );
      expect(back!.inet).toEqual(inetOut);
      expect(back!.cidr).toEqual(cidrOut);
    }
  });
});

/** `a` as the network of its first `length` bits, written as PostgreSQL writes a cidr. */
function networkText(a: string, length: number): string {
  const parsed = parseInet(a)!;
  if (parsed.address.v6) {
    const bits = parsed.address.bits & ~((1n << BigInt(128 - length)) - 1n) & ((1n << 128n) - 1n);
    return `${formatIpv6(bits)}/${length}`;
  }
  const bits = length === 0 ? 0 : (parsed.address.bits & (0xffffffff << (32 - length))) >>> 0;
  return `${bits >>> 24}.${(bits >>> 16) & 255}.${(bits >>> 8) & 255}.${bits & 255}/${length}`;
}

function isNetwork(bits: number | bigint, length: number, v6: boolean): boolean {
  if (v6) return ((bits as bigint) & ((1n << BigInt(128 - length)) - 1n)) === 0n;
  return length === 32 || (bits as number) % 2 ** (32 - length) === 0;
}
