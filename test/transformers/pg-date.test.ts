import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePgDate } from '../../src/transformers/codecs/pg-date.js';

/** What the ISO pattern alone reads, which the hand-read plain dates must agree with. */
function byPattern(text: string): ReturnType<typeof parsePgDate> {
  const m = /^(\d{4,})-(\d{2})-(\d{2})(.*?)( BC)?$/.exec(text);
  if (!m) return undefined;
  const written = Number(m[1]);
  return { year: m[5] ? 1 - written : written, month: Number(m[2]), day: Number(m[3]), rest: m[4]! };
}

describe('parsePgDate', () => {
  it('reads plain dates, timestamps, BC and wrong shapes as the ISO pattern does', () => {
    for (const text of [
      '1981-12-18',
      '0001-01-01',
      '0000-00-00',
      '1981-12-18 BC',
      '1981-12-1x',
      '1981-1-181',
      '19811-2-18',
      'x981-12-18',
      '1981/12/18',
      '1981-12-18 12:00:00+01',
      '12345-01-01',
      'infinity',
      '',
    ])
      expect(parsePgDate(text)).toEqual(byPattern(text));
    expect(parsePgDate('1981-12-18')).toEqual({ year: 1981, month: 12, day: 18, rest: '' });
    const char = fc.constantFrom('0', '1', '5', '9', '-', ' ', 'a', '/', '\u0660');
    fc.assert(
      fc.property(fc.array(char, { minLength: 8, maxLength: 12 }), (chars) => {
        const text = chars.join('');
        expect(parsePgDate(text)).toEqual(byPattern(text));
      }),
    );
    fc.assert(
      fc.property(fc.date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }), (d) => {
        const text = d.toISOString().slice(0, 10);
        expect(parsePgDate(text)).toEqual(byPattern(text));
      }),
    );
  });
});
