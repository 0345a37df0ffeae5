import { describe, expect, it } from 'vitest';
import { build, session } from './support.js';

/** The national significant number (digits after +46 / 0046 / 0) of a written Swedish number. */
const nsn = (written: string): string =>
  written
    .replace(/\(0\)/, '')
    .replace(/\D/g, '')
    .replace(/^(46|0046|0)/, '');

const MOBILE = new Set(Array.from({ length: 95 }, (_, i) => `70174${String(605 + i).padStart(4, '0')}`));
const FIXED = new Set([
  ...Array.from({ length: 100 }, (_, i) => `313900${String(600 + i)}`),
  ...Array.from({ length: 100 }, (_, i) => `406280${String(400 + i)}`),
  ...Array.from({ length: 100 }, (_, i) => `8465004${String(i).padStart(2, '0')}`),
  ...Array.from({ length: 100 }, (_, i) => `980319${String(200 + i)}`),
]);

describe('se.phone: PTS ranges for fiction', () => {
  const mask = build(session(), 'se.phone');

  it("mobile numbers become 070-174 06 05…99, in the input's format", () => {
    const cases: [string, RegExp][] = [
      ['070-123 45 67', /^070-174 06 \d\d$/],
      ['0701234567', /^070174\d{4}$/],
      ['070 123 45 67', /^070 174 06 \d\d$/],
      ['+46 70 123 45 67', /^\+46 70 174 06 \d\d$/],
      ['+46701234567', /^\+4670174\d{4}$/],
      ['+46 (0)70-123 45 67', /^\+46 \(0\)70-174 06 \d\d$/],
      ['0046 73 987 65 43', /^0046 70 174 06 \d\d$/],
      ['076-1234567', /^070-1740\d{3}$/],
    ];
    for (const [input, shape] of cases) {
      const out = mask(input)!;
      expect(out).toMatch(shape);
      expect(MOBILE.has(nsn(out))).toBe(true);
    }
    for (let i = 0; i < 2000; i++)
      expect(
        MOBILE.has(
          nsn(
            mask(
              `07${i % 10}-${String(i * 7919)
                .padStart(7, '0')
                .slice(-7)}`,
            )!,
          ),
        ),
      ).toBe(true);
  });

  it('fixed numbers become one of the four fixed ranges', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const input = ['08-', '031-', '040-', '0980-', '011-', '+46 8 '][i % 6]! + String(100000 + i * 17).slice(0, 6);
      const out = mask(input)!;
      expect(FIXED.has(nsn(out))).toBe(true);
      seen.add(nsn(out).slice(0, 2));
    }
    expect(seen.size).toBeGreaterThanOrEqual(4);
    expect(mask('08-123 456 78')).toMatch(/^0(8-465 004 \d\d|31-390 06 \d\d|40-628 04 \d\d|980-319 2\d\d)$/);
  });

  it('the same number in two spellings masks alike', () => {
    expect(nsn(mask('070-123 45 67')!)).toBe(nsn(mask('+46701234567')!));
    expect(nsn(mask('08-123 456 78')!)).toBe(nsn(mask('0812345678')!));
  });

  it('a foreign number keeps its country code and format', () => {
    const out = mask('+47 912 34 567')!;
    expect(out).toMatch(/^\+47 \d{3} \d{2} \d{3}$/);
    expect(out).not.toBe('+47 912 34 567');
  });
});

describe('phone', () => {
  const mask = build(session(), 'phone');
  it.each([
    ['+1 (555) 010-9999', /^\+1 \(\d{3}\) \d{3}-\d{4}$/],
    ['+358 40 123 4567', /^\+358 \d\d \d{3} \d{4}$/],
    ['0046-70-1234567', /^0046-\d\d-\d{7}$/],
    ['070-123 45 67', /^07\d-\d{3} \d\d \d\d$/],
    ['12345', /^\d{5}$/],
  ])('%s keeps its format and country code', (input, shape) => {
    const out = mask(input)!;
    expect(out).toMatch(shape);
    expect(out).not.toBe(input);
    const code = /^\+(1|358)|^0046/.exec(input);
    if (code) expect(out.startsWith(code[0])).toBe(true);
  });
});
