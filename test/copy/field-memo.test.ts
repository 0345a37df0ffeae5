import { describe, expect, it } from 'vitest';
import { FieldMemo } from '../../src/copy/field-memo.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

/** Looks `text` up and, when it is not held, stores `value`; returns what the lookup found. */
function use(memo: FieldMemo, text: string, value: string | null = `masked ${text}`): string | null | undefined {
  const b = bytes(`..${text}..`);
  const held = memo.recall('text', b, 2, b.length - 2);
  if (held === undefined) memo.remember(b, 2, b.length - 2, value);
  return held;
}

describe('FieldMemo', () => {
  it('gives back what it stored under the same bytes, wherever they sit, NULL included, and only in the format it holds', () => {
    const memo = new FieldMemo();
    expect(use(memo, 'Karin')).toBeUndefined();
    expect(use(memo, 'Karim')).toBeUndefined();
    expect(use(memo, 'Åsa', null)).toBeUndefined();
    expect(use(memo, '')).toBeUndefined();
    expect(use(memo, 'Karin')).toBe('masked Karin');
    expect(use(memo, 'Karim')).toBe('masked Karim');
    expect(use(memo, 'Åsa')).toBeNull();
    expect(use(memo, '')).toBe('masked ');
    expect(use(memo, 'Karin ')).toBeUndefined();
    const other = Buffer.from('xxKarinxx');
    expect(memo.recall('text', other, 2, 7)).toBe('masked Karin');
    // The same bytes in another format are another value.
    expect(memo.recall('binary', other, 2, 7)).toBeUndefined();
  });

  it('does not store fields longer than 64 bytes', () => {
    const memo = new FieldMemo();
    expect(use(memo, 'x'.repeat(64))).toBeUndefined();
    expect(use(memo, 'x'.repeat(64))).toBe(`masked ${'x'.repeat(64)}`);
    expect(use(memo, 'y'.repeat(65))).toBeUndefined();
    expect(use(memo, 'y'.repeat(65))).toBeUndefined();
  });

  it('holds at most 4096 values, the first ones', () => {
    const memo = new FieldMemo();
    // Every new value comes with a repeat of the first, so that the memo stays on.
    for (let i = 0; i < 5000; i++) {
      use(memo, `v${i}`);
      use(memo, 'v0');
    }
    expect(memo.enabled).toBe(true);
    const held = (from: number, to: number): number =>
      Array.from({ length: to - from }, (_, k) => memo.recall('text', bytes(`v${from + k}`), 0, `v${from + k}`.length)).filter((v) => v !== undefined).length;
    // A value whose slot is more than 16 probes from home is not stored: a few of the first 4096 may be missing.
    expect(held(0, 4096)).toBeGreaterThan(4000);
    expect(held(0, 5000)).toBeLessThanOrEqual(4096);
    expect(held(4900, 5000)).toBe(0);
  });

  it('turns itself off, once full, after 4096 lookups with fewer than a fifth found, and stays off', () => {
    const seldom = new FieldMemo();
    // Room left: a round of values seen only once does not turn it off.
    for (let i = 0; i < 4095; i++) use(seldom, `v${i}`);
    expect(use(seldom, 'v0')).toBe('masked v0');
    expect(seldom.enabled).toBe(true);
    // Full, then a round with 800 of 4096 found: under a fifth.
    for (let i = 0; i < 4096; i++) use(seldom, i % 5 === 0 && i < 4000 ? 'v1' : `w${i}`);
    expect(seldom.enabled).toBe(false);
    expect(use(seldom, 'v1')).toBeUndefined();
    expect(use(seldom, 'v1')).toBeUndefined();

    const often = new FieldMemo();
    // 1 in 4 found, full after the first round.
    for (let i = 0; i < 3 * 4096; i++) use(often, i % 4 === 0 ? 'again' : `v${i}`);
    expect(often.enabled).toBe(true);
    expect(use(often, 'again')).toBe('masked again');
  });
});
