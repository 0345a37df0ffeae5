import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { rulesJsonSchema } from '../../src/config/rules-schema.js';
import { rulesSchemaText } from '../../src/config/rules-schema-file.js';
import { transformers } from '../../src/transformers/registry.js';
import { testTransformers } from './fake-transformers.js';

const strictAjv = () => new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
const fixture = (path: string): string => readFileSync(new URL(`../fixtures/rules/${path}`, import.meta.url), 'utf8');

describe('rules/schema.json', () => {
  it('is the schema generated from the transformer registry', () => {
    const checkedIn = readFileSync(new URL('../../rules/schema.json', import.meta.url), 'utf8');
    if (checkedIn !== rulesSchemaText()) {
      expect.fail('rules/schema.json is out of date with the transformer registry: run npm run schema');
    }
  });

  it('compiles as JSON Schema 2020-12 in ajv strict mode', () => {
    const schema = JSON.parse(rulesSchemaText()) as Record<string, unknown>;
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(() => strictAjv().compile(schema)).not.toThrow();
  });

  it('lists every registered transformer with its description', () => {
    const text = rulesSchemaText();
    for (const t of transformers) {
      expect(text).toContain(JSON.stringify(t.name));
      expect(text).toContain(JSON.stringify(t.description));
    }
  });
});

describe('the generated schema', () => {
  const validate = strictAjv().compile(rulesJsonSchema(testTransformers));
  const rules = (columns: string): unknown => parse(`version: 1\ntables:\n  t:\n    columns:\n${columns}`);

  it('accepts the valid fixture, null as the null transformer included', () => {
    expect(validate(parse(fixture('good/everything.yaml'))), JSON.stringify(validate.errors)).toBe(true);
  });

  it('checks each transformer’s options', () => {
    expect(validate(rules('      a: { transform: test.pad, width: 3 }\n'))).toBe(true);
    expect(validate(rules('      a: { transform: test.pad, width: 3, unique: true, scope: s }\n'))).toBe(true);
    expect(validate(rules('      a: { transform: test.pad }\n'))).toBe(false);
    expect(validate(rules('      a: { transform: test.pad, width: 0 }\n'))).toBe(false);
    expect(validate(rules('      a: { transform: keep, width: 3 }\n'))).toBe(false);
    expect(validate(rules('      a: { transform: test.nested, paths: { "$.a": keep } }\n'))).toBe(true);
    expect(validate(rules('      a: { transform: test.nested, paths: { "$.a": 3 } }\n'))).toBe(false);
    expect(validate(rules('      a: nope\n'))).toBe(false);
  });

  const schemaCodes = new Set([
    'RULES_TYPE',
    'RULES_MISSING_KEY',
    'RULES_VERSION',
    'RULES_UNKNOWN_KEY',
    'RULES_INVALID_VALUE',
    'RULES_UNKNOWN_TRANSFORMER',
    'RULES_UNKNOWN_OPTION',
    'RULES_INVALID_OPTION',
  ]);
  const bad = readdirSync(new URL('../fixtures/rules/bad/', import.meta.url)).filter((f) => f.endsWith('.yaml'));
  // `email:` (no value) and `email: null` are the same JSON: only the YAML reader tells them apart.
  const structural = bad.filter((file) => {
    if (file === '41-rule-empty.yaml') return false;
    const codes = [...fixture(`bad/${file}`).matchAll(/^# expect: error ([A-Z_]+)/gm)].map((m) => m[1]!);
    return codes.length > 0 && codes.every((c) => schemaCodes.has(c));
  });

  it('rejects every bad fixture whose errors a schema can see', () => {
    expect(structural.length).toBeGreaterThanOrEqual(20);
    for (const file of structural) expect(validate(parse(fixture(`bad/${file}`))), file).toBe(false);
  });
});

describe('registered transformers', () => {
  for (const t of transformers) {
    it(`${t.name}: options schema compiles in strict mode and accepts its example`, () => {
      const validate = strictAjv().compile(t.options as Record<string, unknown>);
      expect(validate(t.example.options ?? {}), JSON.stringify(validate.errors)).toBe(true);
    });
  }
});
