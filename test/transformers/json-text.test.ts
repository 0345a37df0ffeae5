import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanJsonb } from '../../src/transformers/codecs/json-text.js';
import { JsonSyntaxError, type PathStep, parseJson, stringifyJson } from '../../src/transformers/codecs/json-tree.js';
import { applyJsonRules, applyJsonRulesInTree, type JsonRule } from '../../src/transformers/helpers/json-rules.js';
import type { RowValues } from '../../src/transformers/transformer.js';
import { row } from './support.js';

/** A JSON value to write: numbers and strings as the text to write, so every form can be tried. */
type Doc = { obj: [string, Doc][] } | { arr: Doc[] } | { str: string } | { raw: string };

const KEYS = ['a', 'b', 'email', 'a"b', 'a\\nb', 'é', '😀', 'x y', ''];
const NUMBERS = ['0', '-0', '1', '1.50', '-12.5e+3', '1E5', '12345678901234567890.5'];

const docArb: fc.Arbitrary<Doc> = fc.letrec<{ doc: Doc }>((tie) => ({
  doc: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ str: fc.oneof(fc.constantFrom(...KEYS), fc.string({ unit: 'binary', maxLength: 6 })) }),
    fc.record({ raw: fc.constantFrom(...NUMBERS, 'true', 'false', 'null') }),
    fc.record({ obj: fc.array(fc.tuple(fc.constantFrom(...KEYS), tie('doc')), { maxLength: 4 }) }),
    fc.record({ arr: fc.array(tie('doc'), { maxLength: 4 }) }),
  ),
})).doc;

/** How a document is written: jsonb's spacing and JSON.stringify's escapes, or otherwise. */
interface Style {
  readonly jsonb: boolean;
  readonly spaces: readonly string[];
  readonly escapeAll: boolean;
}

const styleArb: fc.Arbitrary<Style> = fc.record({
  jsonb: fc.boolean(),
  spaces: fc.array(fc.constantFrom('', ' ', '  ', '\n', '\t', '\r\n'), { minLength: 1, maxLength: 5 }),
  escapeAll: fc.boolean(),
});

function write(doc: Doc, style: Style): string {
  let n = 0;
  const ws = (canonical: string): string => (style.jsonb ? canonical : style.spaces[n++ % style.spaces.length]!);
  const str = (s: string): string => {
    const quoted = JSON.stringify(s);
    if (style.jsonb || !style.escapeAll) return quoted;
    return quoted.replace(/[a/]/g, (c) => (c === '/' ? '\\/' : '\\u0061'));
  };
  const go = (d: Doc): string => {
    if ('str' in d) return str(d.str);
    if ('raw' in d) return d.raw;
    if ('arr' in d) return d.arr.length === 0 ? `[${ws('')}]` : `[${ws('')}${d.arr.map(go).join(`${ws('')},${ws(' ')}`)}${ws('')}]`;
    if (d.obj.length === 0) return `{${ws('')}}`;
    return `{${ws('')}${d.obj.map(([k, v]) => `${str(k)}${ws('')}:${ws(' ')}${go(v)}`).join(`${ws('')},${ws(' ')}`)}${ws('')}}`;
  };
  return ws('') + go(doc) + ws('');
}

const stepArb: fc.Arbitrary<PathStep> = fc.oneof(
  fc.constantFrom(...KEYS).map((key) => ({ key })),
  fc.integer({ min: 0, max: 3 }).map((index) => ({ index })),
  fc.constant({ any: true as const }),
);

/** What a nested transformer may give back: null, numbers, literals, JSON text, any string. */
const outputArb = fc.option(fc.oneof(fc.constantFrom(...NUMBERS, 'true', 'false', '1.', '{"a": 1}', '[1,2]', '{"a":'), fc.string({ unit: 'binary', maxLength: 6 })));

/** Rules whose transformers are pure functions of their input that log each call. */
const rulesArb = fc.array(fc.tuple(fc.array(stepArb, { maxLength: 3 }), fc.func(outputArb)), { minLength: 1, maxLength: 3 });

function logged(specs: [PathStep[], (value: string | null) => string | null][], log: (string | null)[]): JsonRule[] {
  return specs.map(([steps, f], k) => ({
    steps,
    fn: (value: string | null, _row: RowValues) => {
      log.push(`${k}`, value);
      return f(value);
    },
  }));
}

const outcome = (fn: () => string): string | 'syntax error' => {
  try {
    return fn();
  } catch (error) {
    if (error instanceof JsonSyntaxError) return 'syntax error';
    throw error;
  }
};

describe('scanJsonb and applyJsonRules', () => {
  it('knows a text is in jsonb form exactly when the tree writes it back unchanged', () => {
    fc.assert(
      fc.property(
        docArb,
        styleArb,
        fc.option(fc.tuple(fc.nat(), fc.constantFrom('', ' ', ',', '"', '\\', '}', ']', '0', '.', 'e', '\ud800')), { nil: undefined }),
        (doc, style, cut) => {
          let text = write(doc, style);
          if (cut) text = text.slice(0, cut[0] % (text.length + 1)) + cut[1] + text.slice((cut[0] % (text.length + 1)) + 1);
          const tree = outcome(() => stringifyJson(parseJson(text)));
          expect(scanJsonb(text, [], [])).toBe(tree === text);
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('applies rules in the text as the tree does: same output, same calls in the same order', () => {
    fc.assert(
      fc.property(docArb, styleArb, rulesArb, (doc, style, specs) => {
        const text = write(doc, style);
        const treeLog: (string | null)[] = [];
        const fastLog: (string | null)[] = [];
        const expected = outcome(() => applyJsonRulesInTree(text, logged(specs, treeLog), row()));
        expect(outcome(() => applyJsonRules(text, logged(specs, fastLog), row()))).toBe(expected);
        expect(fastLog).toEqual(treeLog);
        // Text written in jsonb's form takes the path without the tree.
        if (style.jsonb) expect(scanJsonb(text, [], [])).toBe(true);
      }),
      { numRuns: 10_000 },
    );
  });

  it('finds the values a path reaches, and refuses text in another form', () => {
    const text = '{"a": [1, {"b": "x"}], "c": "\\n", "a": {"b": []}}';
    const spansOf = (t: string, steps: PathStep[]): number[] | undefined => {
      const spans: number[] = [];
      return scanJsonb(t, steps, spans) ? spans : undefined;
    };
    expect(spansOf(text, [{ key: 'z' }])).toEqual([]);
    expect(spansOf(text, [])).toEqual([0, text.length]);
    expect(spansOf(text, [{ key: 'a' }, { index: 1 }, { key: 'b' }])).toEqual([text.indexOf('"x"'), text.indexOf('"x"') + 3]);
    expect(spansOf(text, [{ key: 'a' }, { any: true }])).toEqual([7, 8, 10, 20, text.indexOf('[]'), text.indexOf('[]') + 2]);
    for (const other of ['{"a":1}', '{"c": "\\u00e9"}', ' 1', '[1, 2] ', '{"a": 1,}']) expect(spansOf(other, [{ key: 'a' }])).toBeUndefined();
  });

  it('reads deeply nested jsonb without running out of stack', () => {
    const text = `${'['.repeat(100_000)}"x"${']'.repeat(100_000)}`;
    expect(scanJsonb(text, [], [])).toBe(true);
    expect(applyJsonRules(text, [{ steps: [{ index: 0 }], fn: () => 'y' }], row())).toBe('["y"]');
  });
});
