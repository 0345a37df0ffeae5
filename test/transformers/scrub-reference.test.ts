import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildTransform } from '../../src/masking/build-transform.js';
import type { MaskingSession } from '../../src/masking/masking-session.js';
import { formatSwedishPhone, type PhoneStyle, parseSwedishPhone } from '../../src/se/phone.js';
import { replaceIpAddresses } from '../../src/transformers/helpers/ip-findings.js';
import { FINDINGS, replaceFindings } from '../../src/transformers/helpers/replace-findings.js';
import type { TransformerContext } from '../../src/transformers/transformer.js';
import { REFERENCE_PATTERN, type ReferenceScrubOptions, referenceFormatSwedishPhone, referenceParseSwedishPhone, referenceScrub, referenceSePhone } from './reference-scrub.js';
import { build, column, row, session } from './support.js';
import { phoneNumber, scrubText } from './text-arbitraries.js';

/** The reference text.scrub in a session, its nested se.phone the reference one too. */
function referenceScrubIn(s: MaskingSession, options: ReferenceScrubOptions, scope?: string): (value: string) => string | null {
  const target = column();
  const context: TransformerContext = {
    column: target,
    unique: false,
    scope,
    prf: (domain) => s.prf(domain, scope),
    nested: (spec, col) => {
      if (spec.transform !== 'se.phone') return buildTransform(s, { ...spec, scope }, { ...target, ...col });
      const phone = referenceSePhone({ prf: (domain) => s.prf(domain, scope) });
      return (value) => phone(value!);
    },
    resource: (name, load) => s.resource(name, load),
    warn: (code, message) => s.warn(code, message),
    today: s.today,
  };
  const fn = referenceScrub(options, context);
  return (value) => fn(value, row());
}

const bench = [
  'Föredrar e-post: asa.andersson.1@mail1.se\nKund sedan 2001.',
  'Ringde från 070-838 02 00, nås även på goran.andersson.2@mail2.se.\nVill ha faktura per post.',
  'Kund 811218-9876 (även 198112189876) ringde från 070-123 45 67, mejl karin.a@gmail.com. Samordning: 701063-2391.',
  'Betala till SE45 5000 0000 0583 9825 7466 snarast, tel +46 (0)70-123 45 67 eller 0046701234567',
  'a@b.se1 0701234567@x.se 070-1234567abc@x.se x+46701234567 -0701234567 AB12 CDEF GHIJ 12345678901234',
  'Login från 81.232.47.115:443 och [2a02:aa1::5], mejl 10.0.0.1@x.se, tel 070-123 45 67, version 1.2.3.4',
];

describe('replaceFindings', () => {
  const calls = (replaceWith: (text: string, replace: Parameters<typeof replaceFindings>[1]) => string, text: string): [string, unknown[][]] => {
    const seen: unknown[][] = [];
    const out = replaceWith(text, (...args) => {
      seen.push(args);
      return `<${seen.length}>`;
    });
    return [out, seen];
  };
  const replaceAll = (text: string, replace: Parameters<typeof replaceFindings>[1]): string =>
    text.replace(REFERENCE_PATTERN, (match: string, iban: string | undefined, address: string | undefined, id: string | undefined, tel: string | undefined, offset: number) =>
      replace(match, iban, address, id, tel, offset),
    );

  it('is the pattern text.scrub used before', () => {
    expect(FINDINGS.source).toBe(REFERENCE_PATTERN.source);
    expect(FINDINGS.flags).toBe(REFERENCE_PATTERN.flags);
  });

  it('finds the same matches as String.prototype.replace, in the same order, with the same groups', () => {
    for (const text of bench) expect(calls(replaceFindings, text)).toEqual(calls(replaceAll, text));
    fc.assert(
      fc.property(scrubText, (text) => {
        expect(calls(replaceFindings, text)).toEqual(calls(replaceAll, text));
      }),
      { numRuns: 20_000 },
    );
  });

  it('returns the text itself when nothing is replaced', () => {
    expect(replaceFindings('Räksmörgås 😀 åäö', () => 'x')).toBe('Räksmörgås 😀 åäö');
    expect(replaceFindings('Order 4711 levererad', (match) => match)).toBe('Order 4711 levererad');
  });
});

describe('text.scrub against its previous implementation', () => {
  const variants: { options: ReferenceScrubOptions; scope?: string }[] = [
    { options: {} },
    { options: { find: ['phone'] } },
    { options: { find: ['personnummer', 'iban'] } },
    { options: { find: ['samordningsnummer', 'email'] } },
    { options: { personnummer: { pool: 'synthetic', keep_birth: 'year' }, email: { domain: 'crm.test' } }, scope: 'crm' },
  ];

  for (const { options, scope } of variants) {
    it(`gives the same output (${JSON.stringify(options)}${scope ? `, scope ${scope}` : ''})`, () => {
      // Names came later too: the reference looks for everything else.
      const find = options.find ?? ['personnummer', 'samordningsnummer', 'email', 'phone', 'iban', 'ip'];
      const current = build(session(), { transform: 'text.scrub', options: { ...options, find }, ...(scope ? { scope } : {}) });
      const previous = referenceScrubIn(session(), options, scope);
      // IP addresses came later: by default they are found too, after the rest, as the ip rule masks them.
      const ip = build(session(), { transform: 'ip', ...(scope ? { scope } : {}) });
      const reference = (text: string): string | null => {
        const out = previous(text);
        return options.find === undefined && out !== null ? replaceIpAddresses(out, (address) => ip(address)!) : out;
      };
      for (const text of bench) expect(current(text)).toBe(reference(text));
      fc.assert(
        fc.property(scrubText, (text) => {
          expect(current(text)).toBe(text === '' ? '' : reference(text));
        }),
        { numRuns: 3000 },
      );
    });
  }
});

describe('se.phone against its previous implementation', () => {
  it('parses alike', () => {
    fc.assert(
      fc.property(fc.oneof(phoneNumber, fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 12 })), (text) => {
        expect(parseSwedishPhone(text)).toEqual(referenceParseSwedishPhone(text));
      }),
      { numRuns: 50_000 },
    );
  });

  it('formats alike', () => {
    const style: fc.Arbitrary<PhoneStyle> = fc.record({
      prefix: fc.constantFrom('0', '+46', '0046'),
      afterPrefix: fc.constantFrom('', ' ', '-'),
      trunkInParens: fc.boolean(),
      areaSeparator: fc.constantFrom('', ' ', '-', '\u00a0'),
      groupSeparator: fc.constantFrom('', ' ', '-'),
    });
    const groups = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 });
    const subscriber = fc.array(fc.constantFrom(...'0123456789'), { maxLength: 10 }).map((d) => d.join(''));
    fc.assert(
      fc.property(fc.constantFrom('70', '8', '31', '980'), subscriber, groups, style, (area, sub, g, st) => {
        expect(formatSwedishPhone(area, sub, g, st)).toBe(referenceFormatSwedishPhone(area, sub, g, st));
      }),
      { numRuns: 20_000 },
    );
  });

  it('masks alike', () => {
    const s = session();
    const current = build(s, 'se.phone');
    const reference = referenceSePhone(s);
    for (const text of ['070-919 01 00', '+46 70 123 45 67', '+46 (0)70-123 45 67', '0046 73 987 65 43', '08-123 456 78', '0980-123 45', '+47 912 34 567']) {
      expect(current(text)).toBe(reference(text));
    }
    fc.assert(
      fc.property(fc.oneof(phoneNumber, fc.string({ maxLength: 20 })), (text) => {
        expect(current(text)).toBe(text === '' ? '' : reference(text));
      }),
      { numRuns: 20_000 },
    );
  });
});
