/** fast-check arbitraries for free text holding what text.scrub looks for, and for phone numbers in many spellings. */
import fc from 'fast-check';

const digits = (min: number, max: number): fc.Arbitrary<string> => fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((d) => d.join(''));
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Whitespace as `\s` and `trim` know it, ASCII and not. */
const SPACES = [' ', '\t', '\n', '\v', '\f', '\r', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff'];
/** Characters just outside `\s`. */
const NOT_SPACES = ['\u0008', '\u000e', '\u001f', '\u0085', '\u200b', '\u180e'];
const space = fc.constantFrom(...SPACES);

/** A Swedish number as people write it: `070-123 45 67`, `+46 (0)8 123 456 78`, `0046701234567`… */
const wellFormedPhone: fc.Arbitrary<string> = fc
  .record({
    prefix: fc.constantFrom('0', '0', '+46', '0046'),
    afterPrefix: fc.constantFrom('', '', ' ', '-'),
    trunk: fc.constantFrom('', '', '', '(0)', '(0) '),
    area: fc.oneof(fc.constantFrom('7', '8', '31', '40', '980', '11'), fc.integer({ min: 1, max: 999 }).map(String)),
    areaSeparator: fc.constantFrom('', '-', '-', ' '),
    subscriber: fc.array(digits(1, 4), { minLength: 1, maxLength: 4 }),
    groupSeparator: fc.constantFrom('', ' ', ' ', '-'),
  })
  .map(
    ({ prefix, afterPrefix, trunk, area, areaSeparator, subscriber, groupSeparator }) =>
      prefix + (prefix === '0' ? '' : afterPrefix + trunk) + area + areaSeparator + subscriber.join(groupSeparator),
  );

/** A Swedish (or almost Swedish) phone number in one of many spellings, now and then damaged. */
const anyPhone: fc.Arbitrary<string> = fc
  .record({
    lead: fc.oneof(fc.constant(''), fc.constant(' '), space, fc.constantFrom(...NOT_SPACES)),
    prefix: fc.constantFrom('0', '0', '+46', '0046', '+46', '+4', '46', '00', '+47', '', '0 ', '00460', '+460'),
    afterPrefix: fc.oneof(fc.constantFrom('', '', ' ', '-', '  ', '--'), space),
    trunk: fc.oneof(
      fc.constantFrom('', '', '', '(0)', '(0) ', '(0)  ', '(0', '()'),
      space.map((c) => `(0)${c}`),
    ),
    groups: fc.array(digits(1, 4), { minLength: 1, maxLength: 5 }),
    separators: fc.array(fc.oneof(fc.constantFrom('', ' ', ' ', '-', '-', ' - ', '.', '/'), space, fc.constantFrom(...NOT_SPACES)), { minLength: 5, maxLength: 5 }),
    trail: fc.oneof(fc.constantFrom('', '', ' ', 'x', '-'), space, fc.constantFrom(...NOT_SPACES)),
  })
  .map(
    ({ lead, prefix, afterPrefix, trunk, groups, separators, trail }) =>
      lead + prefix + afterPrefix + trunk + groups.map((g, i) => (i === 0 ? g : separators[i]! + g)).join('') + trail,
  );

/** A phone number, well formed or not. */
export const phoneNumber: fc.Arbitrary<string> = fc.oneof(wellFormedPhone, anyPhone);

/** A personnummer or samordningsnummer shape: 10 or 12 digits, possible date or not, `-`, `+` or nothing. */
const identityNumber: fc.Arbitrary<string> = fc
  .record({
    century: fc.constantFrom('', '', '18', '19', '20', '17'),
    year: fc.integer({ min: 0, max: 99 }),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.oneof(fc.integer({ min: 0, max: 32 }), fc.integer({ min: 60, max: 92 })),
    separator: fc.constantFrom('', '-', '+', ' '),
    serial: digits(3, 3),
    check: digits(1, 1),
  })
  .map(({ century, year, month, day, separator, serial, check }) => `${century}${pad(year, 2)}${pad(month, 2)}${pad(day, 2)}${separator}${serial}${check}`);

const localChar = fc.constantFrom(...'abcxyzABCXYZ0189._%+-');
const domainLabel = fc.array(fc.constantFrom(...'abzAZ09-'), { minLength: 0, maxLength: 6 }).map((c) => c.join(''));
const email: fc.Arbitrary<string> = fc
  .record({
    local: fc.array(localChar, { minLength: 0, maxLength: 10 }),
    labels: fc.array(domainLabel, { minLength: 0, maxLength: 3 }),
    tld: fc.constantFrom('se', 'com', 'a', 'S3', 'museum', '', 'se1'),
  })
  .map(({ local, labels, tld }) => `${local.join('')}@${[...labels, tld].join('.')}`);

const iban: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'SE45 5000 0000 0583 9825 7466',
    'SE4550000000058398257466',
    'GB82WEST12345698765432',
    'GB82 WEST 1234 5698 7654 32',
    'DE89 3704 0044 0532 0130 00',
    'AB12 CDEF GHIJ',
  ),
  fc
    .record({
      country: fc.constantFrom('SE', 'GB', 'DE', 'NO', 'XX'),
      check: digits(2, 2),
      blocks: fc.array(
        fc.array(fc.constantFrom(...'ABCZ0123456789'), { minLength: 1, maxLength: 5 }).map((c) => c.join('')),
        { minLength: 1, maxLength: 8 },
      ),
      spaced: fc.boolean(),
    })
    .map(({ country, check, blocks, spaced }) => country + check + (spaced ? ' ' : '') + blocks.join(spaced ? ' ' : '')),
);

const word = fc.constantFrom('Ring', 'Kund', 'sedan', 'mejl', 'faktura', 'Räksmörgås', 'ÅÄÖ', 'åäö', 'é', 'ß', 'Order', 'SE', 'AB', 'x_', '_', 'nr', 'tel', 'Tel:', '😀', 'AbC');
const punctuation = fc.constantFrom(...[' ', ' ', ', ', '. ', '\n', '\t', '-', '+', '@', '(', ')', '.', ':', ';', '/', '_', '%', '"', '\u00a0', '\u2028', '--', '++', '@@']);

/** One piece of text: a finding, a near miss, a word, digits or punctuation. */
const piece: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: phoneNumber, weight: 3 },
  { arbitrary: identityNumber, weight: 3 },
  { arbitrary: email, weight: 3 },
  { arbitrary: iban, weight: 2 },
  { arbitrary: digits(1, 14), weight: 2 },
  { arbitrary: word, weight: 3 },
  { arbitrary: punctuation, weight: 4 },
  { arbitrary: fc.string({ maxLength: 6 }), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 4 }), weight: 1 },
  { arbitrary: fc.constantFrom(...SPACES, ...NOT_SPACES), weight: 1 },
);

/** Free text made of pieces put together, sometimes with no space between them. */
export const scrubText: fc.Arbitrary<string> = fc.array(piece, { maxLength: 14 }).map((pieces) => pieces.join(''));
