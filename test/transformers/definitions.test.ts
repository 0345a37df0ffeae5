import { Writable } from 'node:stream';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { ConfigError } from '../../src/errors.js';
import { transformersMarkdown, transformersText } from '../../src/masking/transformers-markdown.js';
import { ruleReads, transformers } from '../../src/transformers/registry.js';
import { build, column, row, session, testdataDir } from './support.js';

const SAMPLES = [
  '',
  'a',
  'Karin Andersson',
  '811218-9876',
  '198112189876',
  '070-123 45 67',
  '+46 8 123 456 78',
  'x@y.se',
  'Storgatan 1',
  '411 06',
  'å'.repeat(300),
  '00000000-0000-0000-0000-000000000000',
];

describe('transformer definitions', () => {
  it('every options schema is strict JSON Schema 2020-12 that ajv compiles in strict mode', () => {
    const ajv = new Ajv2020({ strict: true });
    for (const t of transformers) {
      expect(t.options['type'], t.name).toBe('object');
      expect(t.options['additionalProperties'], t.name).toBe(false);
      expect(() => ajv.compile(t.options), t.name).not.toThrow();
      expect(ajv.validate(t.options, { no_such_option: 1 }), t.name).toBe(false);
      expect(t.description.length, t.name).toBeGreaterThan(20);
    }
  });

  it('refuses unknown transformers and bad options with the column named', () => {
    const s = session();
    expect(() => build(s, 'no.such', { table: 'public.t', column: 'c' })).toThrow(ConfigError);
    expect(() => build(s, 'no.such', { table: 'public.t', column: 'c' })).toThrow(/unknown transformer 'no.such' for public.t.c/);
    expect(() => build(s, { transform: 'hash', options: { length: 0 } }, { table: 'public.t', column: 'c' })).toThrow(/options of hash for public.t.c/);
    expect(() => build(s, { transform: 'email', options: { domain: 'gmail.com' } })).toThrow(ConfigError);
    expect(() => build(s, { transform: 'se.personnummer', options: { keep_birth: 'date' } })).toThrow(ConfigError);
    expect(() => build(s, { transform: 'se.personnummer', options: { pool: 'synthetic', keep_birth: 'none' } })).toThrow(ConfigError);
    expect(() => build(s, { transform: 'json', options: { paths: { '$..deep': 'email' } } })).toThrow(/json rule for/);
    expect(() => build(s, { transform: 'array', options: { element: { transform: 'hash', length: 999 } } })).toThrow(/options of hash/);
    expect(() => build(s, 'redact', { family: 'enum', type: 'public.mood' })).toThrow(/redact needs a value/);
    expect(() => build(s, 'se.personnummer', {}) && build(s, { transform: 'se.personnummer', options: { pool_file: '/nonexistent/list.txt' } })).toThrow(/pgmask testdata fetch/);
  });

  it('outputs fit maxOutputLength, and NULL never comes out where outputsNull is false', () => {
    const s = session();
    const r = row({ personnummer: '811218-9876', first_name: 'Karin', last_name: 'Berg' });
    for (const t of transformers) {
      const options = (t.example.options ?? {}) as Record<string, unknown>;
      for (const maxLength of [undefined, 300]) {
        const col = column({ family: t.name === 'array' ? 'array' : t.name === 'json' ? 'json' : 'text', elementFamily: 'text', maxLength });
        const fn = build(s, { transform: t.name, options }, col);
        const limit = t.maxOutputLength?.(options, col);
        const outputsNull = typeof t.outputsNull === 'function' ? t.outputsNull(options) : t.outputsNull;
        const inputs =
          t.name === 'array'
            ? ['{a,b}', '{}']
            : t.name === 'json'
              ? ['{"contact": {"email": "x"}}', '[]']
              : t.name.startsWith('date.') || t.name === 'se.birth_date'
                ? ['2000-02-29', '1999-12-31 23:59:59+01']
                : t.name === 'number.noise'
                  ? ['1', '-99.5']
                  : t.name === 'ip'
                    ? ['10.0.0.1', '255.255.255.255/32', '::ffff:10.0.0.1/128', '1:2:3:4:5:6:7:8/128', '2001:67c:2e8::/48', '']
                    : SAMPLES;
        for (const input of [t.example.input, ...inputs]) {
          const out = fn(input, r);
          if (!outputsNull) expect(out, `${t.name} on ${input}`).not.toBeNull();
          if (limit !== undefined && out !== null) expect([...out].length, `${t.name} on ${input}`).toBeLessThanOrEqual(limit);
        }
      }
    }
  });

  it('a rule reads the columns its nested rules read, at any depth', () => {
    const paths = { '$.a': { transform: 'template', template: '{first} {last}' }, '$.b': 'email', '$.c': { transform: 'email', first_name: 'first' } };
    expect(ruleReads({ transform: 'json', options: { paths } })).toEqual(['first', 'last']);
    expect(ruleReads({ transform: 'array', options: { element: { transform: 'json', paths: { '$.x': { transform: 'se.birth_date', from: 'pnr' } } } } })).toEqual(['pnr']);
    expect(ruleReads({ transform: 'template', options: { template: '{a}-{b}' } })).toEqual(['a', 'b']);
    expect(ruleReads({ transform: 'json', options: { paths: { '$.a': 'email' } } })).toEqual([]);
    expect(ruleReads({ transform: 'no.such', options: {} })).toEqual([]);
  });

  it('one keyed faker per run', () => {
    const s = session();
    build(s, 'address.street');
    build(s, 'address.city');
    const faker = s.resource('faker', () => 'second');
    expect(typeof faker).toBe('object');
  });

  it('lists every transformer as text and as Markdown with a computed example', async () => {
    const text = transformersText();
    const markdown = transformersMarkdown({ PGMASK_TESTDATA_DIR: testdataDir() });
    for (const t of transformers) {
      expect(text).toContain(t.name);
      expect(markdown).toContain(`## ${t.name}`);
    }
    expect(markdown).not.toContain('not computed here');
    expect(markdown).toMatch(/Example: `811218-9876` → `\d{6}[-+]\d{4}`/);
    const chunks: string[] = [];
    const stdout = new Writable({ write: (c, _e, done) => (chunks.push(String(c)), done()) });
    const code = await run(['transformers', '--markdown'], { stdout, stderr: stdout, env: { PGMASK_TESTDATA_DIR: testdataDir() }, signal: new AbortController().signal });
    expect(code).toBe(0);
    expect(chunks.join('')).toBe(markdown);
  });
});
