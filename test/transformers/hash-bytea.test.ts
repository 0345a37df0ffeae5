import { describe, expect, it } from 'vitest';
import { TransformError } from '../../src/errors.js';
import { permuteBytes } from '../../src/random/permute-bytes.js';
import { formatPgBytea, parsePgBytea } from '../../src/transformers/codecs/pg-bytea.js';
import { hash } from '../../src/transformers/hash.js';
import { build, column, session } from './support.js';

const BYTEA = { family: 'bytea', type: 'bytea' } as const;
const hexOf = (i: number, bytes: number) => `\\x${i.toString(16).padStart(2 * bytes, '0')}`;

describe('bytea text forms', () => {
  it('reads hex (either case, spaces between pairs) and escape forms, writes hex', () => {
    expect([...parsePgBytea('\\x00ff5C')!]).toEqual([0, 255, 92]);
    expect([...parsePgBytea('\\x00 ff\n5c')!]).toEqual([0, 255, 92]);
    expect([...parsePgBytea('\\x')!]).toEqual([]);
    expect([...parsePgBytea('ab\\000\\\\\\377å')!]).toEqual([97, 98, 0, 92, 255, 0xc3, 0xa5]);
    expect([...parsePgBytea('')!]).toEqual([]);
    for (const bad of ['\\x0', '\\x0g', '\\x0 0', 'a\\b', 'a\\400', 'a\\']) expect(parsePgBytea(bad), bad).toBeUndefined();
    expect(formatPgBytea(Uint8Array.of(0, 15, 16, 255))).toBe('\\x000f10ff');
  });
});

describe('permuteBytes', () => {
  it('is a permutation of the values of each length', () => {
    const s = session();
    const prf = s.prf('test.permute-bytes', undefined);
    for (const bytes of [1, 2]) {
      const seen = new Set<string>();
      for (let i = 0; i < 256 ** bytes; i++) {
        const input = parsePgBytea(hexOf(i, bytes))!;
        const out = permuteBytes(prf, input, 0);
        expect(out.length).toBe(bytes);
        seen.add(formatPgBytea(out));
      }
      expect(seen.size).toBe(256 ** bytes);
    }
    for (const bytes of [3, 5, 7]) {
      const seen = new Set<string>();
      for (let i = 0; i < 20_000; i++) seen.add(formatPgBytea(permuteBytes(prf, parsePgBytea(hexOf((i * 7919) % 256 ** bytes, bytes))!, 0)));
      expect(seen.size).toBe(20_000);
    }
    expect(formatPgBytea(permuteBytes(prf, Uint8Array.of(1, 2, 3), 1))).not.toBe(formatPgBytea(permuteBytes(prf, Uint8Array.of(1, 2, 3), 0)));
  });
});

describe('hash on bytea', () => {
  it('keeps the length, for every length from 0 to 40 and a big value', () => {
    const mask = build(session(), 'hash', BYTEA);
    for (let n = 0; n <= 40; n++) {
      const input = formatPgBytea(Uint8Array.from({ length: n }, (_, i) => i * 37));
      const out = mask(input)!;
      expect(parsePgBytea(out)!.length).toBe(n);
      if (n >= 8) expect(out).not.toBe(input);
    }
    expect(parsePgBytea(mask(formatPgBytea(new Uint8Array(1 << 20)))!)!.length).toBe(1 << 20);
  });

  it('gives every 1-byte value its own output, with and without unique: true', () => {
    const s = session();
    for (const spec of [{ transform: 'hash' }, { transform: 'hash', unique: true }]) {
      const mask = build(s, spec, BYTEA);
      expect(new Set(Array.from({ length: 256 }, (_, i) => mask(hexOf(i, 1)))).size).toBe(256);
    }
  });

  it('says what is wrong with a value that is no bytea, without the value', () => {
    const mask = build(session(), 'hash', { ...BYTEA, table: 'public.t', column: 'blob' });
    expect(() => mask('secret\\9')).toThrow(TransformError);
    expect(() => mask('secret\\9')).toThrow(/not bytea/);
    expect(() => mask('secret\\9')).not.toThrow(/secret/);
  });

  it('counts as injective on a bytea column whatever its options, and on text from 64 bits up', () => {
    const injective = hash.injective as (o: object, c?: ReturnType<typeof column>) => boolean;
    expect(injective({ length: 8 }, column(BYTEA))).toBe(true);
    expect(injective({ length: 8 }, column())).toBe(false);
    expect(injective({ length: 8 })).toBe(false);
    expect(injective({ length: 16 })).toBe(true);
  });
});
