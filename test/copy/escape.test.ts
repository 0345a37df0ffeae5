import { describe, expect, it } from 'vitest';
import { escapeField, isNullField, needsEscape, unescapeField } from '../../src/copy/escape.js';
import { CopyFormatError } from '../../src/errors.js';

const un = (text: string): string | null => {
  const buf = Buffer.from(`<${text}>`, 'utf8');
  return unescapeField(buf, 1, buf.length - 1);
};

describe('unescapeField', () => {
  it('reads \\N alone as NULL, and N escaped inside a longer field as N', () => {
    expect(un('\\N')).toBeNull();
    expect(un('\\\\N')).toBe('\\N');
    expect(un('a\\N')).toBe('aN');
    expect(un('\\Nb')).toBe('Nb');
    expect(un('N')).toBe('N');
    expect(un('')).toBe('');
    // Bytes after the field are not part of it: 'a\' is a lone backslash, not NULL.
    expect(() => unescapeField(Buffer.from('a\\N'), 0, 2)).toThrow(CopyFormatError);
    expect(unescapeField(Buffer.from('x\\Ny'), 1, 3)).toBeNull();
  });

  it('reads the named escapes and the backslash', () => {
    expect(un('\\b\\f\\n\\r\\t\\v\\\\')).toBe('\b\f\n\r\t\v\\');
    expect(un('a\\tb\\nc')).toBe('a\tb\nc');
  });

  it('reads octal escapes of one to three digits', () => {
    expect(un('\\101')).toBe('A');
    expect(un('\\7')).toBe('\u0007');
    expect(un('\\12x')).toBe('\nx');
    expect(un('\\1010')).toBe('A0'); // three digits at most
    expect(un('\\18')).toBe('\u00018');
    expect(un('\\303\\251')).toBe('é'); // bytes, then UTF-8
    expect(un('\\360\\237\\216\\211')).toBe('🎉');
    expect(un('\\501')).toBe('A'); // 0o501 & 0xff, as PostgreSQL masks it
  });

  it('reads hex escapes of one or two digits, and \\x without a digit as x', () => {
    expect(un('\\x41')).toBe('A');
    expect(un('\\x4a\\x4A')).toBe('JJ');
    expect(un('\\x9')).toBe('\t');
    expect(un('\\x414')).toBe('A4');
    expect(un('\\xg')).toBe('xg');
    expect(un('\\x')).toBe('x');
    expect(un('\\xc3\\xa9')).toBe('é');
  });

  it('reads any other escaped character as itself', () => {
    expect(un('\\a\\q\\.\\"\\é')).toBe('aq."é');
  });

  it('decodes UTF-8 with and without escapes, ASCII or not', () => {
    expect(un('plain ascii')).toBe('plain ascii');
    expect(un('åäö 🎉 漢字')).toBe('åäö 🎉 漢字');
    expect(un('åäö\\t🎉')).toBe('åäö\t🎉');
    expect(un('\u007f\u0001')).toBe('\u007f\u0001');
  });

  it('rejects a lone trailing backslash, a NUL byte and invalid UTF-8 made by escapes, without the value', () => {
    const cases: [string, RegExp][] = [
      ['SECRET\\', /lone backslash/],
      ['SECRET\\000', /NUL/],
      ['SECRET\\x0', /NUL/],
      ['SECRET\\377', /UTF-8/],
      ['SECRET\\xc3', /UTF-8/],
    ];
    for (const [text, reason] of cases) {
      const buf = Buffer.from(text);
      let error: unknown;
      try {
        unescapeField(buf, 0, buf.length, (at) => ({ table: 'public.t', line: 7, offset: 1000 + at }));
      } catch (e) {
        error = e;
      }
      expect(error, text).toBeInstanceOf(CopyFormatError);
      const e = error as CopyFormatError;
      expect(e.message).toMatch(reason);
      expect(e.message).not.toContain('SECRET');
      expect(e.table).toBe('public.t');
      expect(e.line).toBe(7);
      expect(e.offset).toBeGreaterThanOrEqual(1000);
    }
  });

  it('isNullField matches exactly the two bytes \\N', () => {
    const buf = Buffer.from('\\N\\\\N');
    expect(isNullField(buf, 0, 2)).toBe(true);
    expect(isNullField(buf, 2, 5)).toBe(false);
    expect(isNullField(buf, 0, 1)).toBe(false);
  });
});

describe('escapeField', () => {
  it('writes NULL as \\N and a literal \\N as \\\\N', () => {
    expect(escapeField(null)).toBe('\\N');
    expect(escapeField('\\N')).toBe('\\\\N');
  });

  it('escapes backslash and the six control characters COPY TO escapes, nothing else', () => {
    expect(escapeField('\\\b\f\n\r\t\v')).toBe('\\\\\\b\\f\\n\\r\\t\\v');
    expect(escapeField('a\u0001b\u007f"\'é🎉')).toBe('a\u0001b\u007f"\'é🎉');
  });

  it('returns a string with nothing to escape as it is', () => {
    const value = 'nothing to escape here, åäö 🎉';
    expect(escapeField(value)).toBe(value);
    expect(needsEscape(value)).toBe(false);
    expect(needsEscape('a\tb')).toBe(true);
    expect(escapeField('')).toBe('');
  });

  it('round-trips through unescapeField', () => {
    for (const value of ['', 'a', '\\', '\\\\', '\\N', 'N', 'x\ty\nz', '\r\n', 'å\b🎉\v']) {
      const buf = Buffer.from(escapeField(value), 'utf8');
      expect(unescapeField(buf, 0, buf.length)).toBe(value);
    }
  });
});
