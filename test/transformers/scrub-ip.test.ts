import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIpv6 } from '../../src/transformers/codecs/inet.js';
import { addressInRun, replaceIpAddresses } from '../../src/transformers/helpers/ip-findings.js';
import { build, session } from './support.js';

/**
 * The finder as first written: every maximal run of hex digits, dots and colons holding a dot or a
 * colon, tried with the same rules. The candidate scan must find the same addresses.
 */
function referenceFind(text: string): string[] {
  const seen: string[] = [];
  const run = /(?<![0-9A-Fa-f.:])[0-9A-Fa-f.:]*[.:][0-9A-Fa-f.:]*/g;
  for (const m of text.matchAll(run)) {
    const address = addressInRun(text, m.index, m.index + m[0].length);
    if (address) seen.push(address.address);
  }
  return seen;
}

/** What the finder reports in a text, in order. */
const found = (text: string): string[] => {
  const seen: string[] = [];
  replaceIpAddresses(text, (address) => (seen.push(address), address));
  return seen;
};

/** Text that holds no address, whatever it looks like. */
const NOT_ADDRESSES = [
  'Uppgraderad till version 1.2.3 i går',
  'pgmask 10.0 släpptes',
  'Node 20.11.1 och npm 10.2.4',
  'version 1.2.3.4',
  'Version: 4.2.1.0',
  'v1.2.3.4 och v2.0.0.0',
  'release 2.4.1.0',
  'Chrome 120.0.6099.109',
  'avsnitt 4.1.2.3 i avtalet',
  '§ 12.1.1.2',
  'mötet kl 12:30:45 och 09:15',
  '2024-03-01T12:30:45Z',
  'tid 1:02:03.45',
  'mac 00:1a:2b:3c:4d:5e och 00:1A:2B:3C:4D:5E',
  'eui 02:42:ac:ff:fe:11:00:02',
  'pi är 3.14 och e 2.718',
  'datum 15.01.2024 eller 2024.01.15',
  'OID 1.3.6.1.4.1.311',
  'ogiltig 256.1.1.1 och 1.2.3.4.5 och 999.10.10.10',
  'ring 070.123.45.67',
  'std::vector<int> och Foo::Bar',
  'cafe::babe',
  'format 16:9, Joh 3:16',
  'hash deadbeef:cafebabe',
  'a1.2.3.4 och 1.2.3.4b och x_10.0.0.1',
  'uuid 4f1c2a9e-8d3b-4c7a-9e2f-1b6d5a0c3e7f',
  'Räksmörgås 😀 åäö. Slut.',
];

describe('finding IP addresses in free text', () => {
  it('finds addresses in the ways people and logs write them', () => {
    expect(found('Inloggning från 81.232.47.115 misslyckades.')).toEqual(['81.232.47.115']);
    expect(found('IP:10.0.0.1, id:192.168.1.1 och Read:2001:db8::1')).toEqual(['10.0.0.1', '192.168.1.1', '2001:db8::1']);
    expect(found('klient 10.0.0.1:8080 och [2001:db8:85a3::8a2e:370:7334]:443')).toEqual(['10.0.0.1', '2001:db8:85a3::8a2e:370:7334']);
    expect(found('block 10.20.0.0/16, 2001:67c:2e8::/48 och fe80::1%eth0')).toEqual(['10.20.0.0', '2001:67c:2e8::', 'fe80::1']);
    expect(found('mapped ::ffff:10.1.2.3. loopback ::1 och 127.0.0.1...')).toEqual(['::ffff:10.1.2.3', '::1', '127.0.0.1']);
    expect(found('full 2001:0DB8:0000:0000:0000:FF00:0042:8329 slut')).toEqual(['2001:0DB8:0000:0000:0000:FF00:0042:8329']);
    expect(found('(10.0.0.1) "10.0.0.2" 10.0.0.3; 10.0.0.4: nere')).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4']);
  });

  it('reads only candidate runs, yet finds what trying every run finds', () => {
    const piece = fc.oneof(
      fc.constantFrom(
        '10.0.0.1',
        '::1',
        '2001:db8::1',
        '::ffff:1.2.3.4',
        'fe80::1',
        '1.2.3',
        '12:30:45',
        '00:1a:2b:3c:4d:5e',
        'version ',
        'v',
        'IP:',
        'id:',
        ':',
        '::',
        '.',
        '...',
      ),
      fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFxyz.:/-_ [](),%§åé'), maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const text = pieces.join('');
        expect(found(text)).toEqual(referenceFind(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it('leaves version numbers, times, MAC addresses and other numbers alone', () => {
    for (const text of NOT_ADDRESSES) expect(found(text), text).toEqual([]);
  });

  it('takes a bare dotted quad of small numbers for an address: without a word before it, nothing tells it from one', () => {
    expect(found('Tabell 1.2.3.4 visar')).toEqual(['1.2.3.4']);
    expect(found('Tabell version 1.2.3.4 visar')).toEqual([]);
  });

  it('text.scrub replaces each address with the ip pseudonym and leaves the rest', () => {
    const s = session();
    const scrub = build(s, 'text.scrub');
    const ip = build(s, 'ip');
    const note = 'Login från 81.232.47.115:51234 (IPv6 2a02:aa1:1234::5, mapped ::ffff:81.232.47.115), kund 811218-9876.';
    const out = scrub(note)!;
    expect(out.startsWith(`Login från ${ip('81.232.47.115')!}:51234 (IPv6 ${ip('2a02:aa1:1234::5')!}, mapped ::ffff:${ip('81.232.47.115')!}), kund `)).toBe(true);
    for (const secret of ['81.232.47.115', '2a02:aa1:1234::5', '811218-9876']) expect(out).not.toContain(secret);
    for (const text of NOT_ADDRESSES) expect(scrub(text), text).toBe(text);
    // With the options the address columns use, and only when `find` names ip.
    const keep = build(s, { transform: 'text.scrub', options: { ip: { keep_prefix: { v4: 24 } } } });
    expect(keep('från 81.232.47.115')).toBe(`från ${build(s, { transform: 'ip', options: { keep_prefix: { v4: 24 } } })('81.232.47.115')!}`);
    expect(build(s, { transform: 'text.scrub', options: { find: ['email'] } })('från 81.232.47.115')).toBe('från 81.232.47.115');
    expect(build(s, { transform: 'text.scrub', options: { find: ['ip'] } })('från 81.232.47.115, 811218-9876')).toBe(`från ${ip('81.232.47.115')!}, 811218-9876`);
  });

  it('has high precision and recall on a labelled sample of notes and log lines', () => {
    const octet = fc.nat(255);
    const v4 = fc.tuple(fc.integer({ min: 1, max: 223 }), octet, octet, octet).map((p) => p.join('.'));
    const group = fc.nat(0xffff);
    const v6 = fc.oneof(
      // compressed, as PostgreSQL and most logs write it
      fc.tuple(fc.constantFrom(0x2001, 0x2a02, 0x2a00, 0xfe80, 0x2600), fc.array(group, { minLength: 7, maxLength: 7 }), fc.nat(6)).map(([head, rest, zeros]) => {
        const words = [head, ...rest.map((w, i) => (i >= 2 && i < 2 + zeros ? 0 : w))];
        return formatIpv6(words.reduce((b, w) => (b << 16n) | BigInt(w), 0n));
      }),
      // eight full groups, upper case
      fc.array(group, { minLength: 8, maxLength: 8 }).map((g) => g.map((w) => w.toString(16).padStart(4, '0').toUpperCase()).join(':')),
      v4.map((a) => `::ffff:${a}`),
    );
    const address = fc.oneof(v4, v4, v6);
    const withAddress: fc.Arbitrary<[string, string]> = fc
      .tuple(
        fc.constantFrom(
          'Inloggning från {} misslyckades.',
          'Kunden ringde, IP {}',
          'client={} status=403 path=/login',
          'Senaste adress ({}), se loggen.',
          'IP:{}',
          'blockerade {}/24 efter klagomål',
          '{} - - [10/Oct/2024:13:55:36 +0200] "GET / HTTP/1.1" 200',
          'Failed password for root from {} port 22 ssh2',
          'ändrade routern till {}; tidigare okänd',
          'X-Forwarded-For: {}, 10.0.0.1',
        ),
        address,
      )
      .map(([template, a]) => [template.replace('{}', a), a]);
    const hardNegative = fc.oneof(
      fc.constantFrom(...NOT_ADDRESSES),
      fc.tuple(fc.nat(30), fc.nat(30), fc.nat(300)).map(([a, b, c]) => `uppgraderat till ${a}.${b}.${c}`),
      fc.tuple(fc.nat(23), fc.nat(59), fc.nat(59)).map(([h, m, s]) => `kl ${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`),
      fc.array(fc.nat(255), { minLength: 6, maxLength: 6 }).map((b) => `enhet ${b.map((x) => x.toString(16).padStart(2, '0')).join(':')}`),
      fc.tuple(fc.nat(9), fc.nat(9), fc.nat(9), fc.nat(9)).map(([a, b, c, d]) => `version ${a}.${b}.${c}.${d}`),
      fc.tuple(fc.nat(100), fc.nat(99)).map(([a, b]) => `belopp ${a}.${String(b).padStart(2, '0')} kr`),
      fc.tuple(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1990, max: 2030 })).map(([d, m, y]) => `den ${d}.${m}.${y}`),
    );
    const positives = fc.sample(withAddress, { numRuns: 1000, seed: 42 });
    const negatives = fc.sample(hardNegative, { numRuns: 1000, seed: 43 });
    let truePositives = 0;
    let falsePositives = 0;
    let falseNegatives = 0;
    for (const [text, planted] of positives) {
      const seen = found(text);
      const expected = text.includes('X-Forwarded-For') ? [planted, '10.0.0.1'] : [planted];
      for (const a of expected) {
        const at = seen.indexOf(a);
        if (at >= 0) {
          truePositives++;
          seen.splice(at, 1);
        } else falseNegatives++;
      }
      falsePositives += seen.length;
    }
    for (const text of negatives) falsePositives += found(text).length;
    const precision = truePositives / (truePositives + falsePositives);
    const recall = truePositives / (truePositives + falseNegatives);
    console.log(
      `IP finder on ${positives.length} texts with addresses and ${negatives.length} without: precision ${precision.toFixed(4)}, recall ${recall.toFixed(4)} (${truePositives} found, ${falsePositives} false, ${falseNegatives} missed)`,
    );
    expect(precision).toBeGreaterThanOrEqual(0.99);
    expect(recall).toBeGreaterThanOrEqual(0.99);
  });
});
