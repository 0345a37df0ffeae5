import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type JsonNode, JsonSyntaxError, parseJson, stringifyJson } from '../../src/transformers/codecs/json-tree.js';

/** The straightforward reader the fast one must agree with: regular expressions and JSON.parse for strings. */
function referenceParse(text: string): JsonNode {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw new JsonSyntaxError('bad');
  };
  const str = (): string => {
    const re = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
    re.lastIndex = i;
    const m = re.exec(text) ?? fail();
    i += m[0].length;
    return JSON.parse(m[0]) as string;
  };
  const value = (): JsonNode => {
    ws();
    if (text[i] === '{') {
      i++;
      const entries: [string, JsonNode][] = [];
      ws();
      if (text[i] === '}') return (i++, { kind: 'object', entries });
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        const key = str();
        ws();
        if (text[i++] !== ':') fail();
        entries.push([key, value()]);
        ws();
        const c = text[i++];
        if (c === ',') continue;
        if (c === '}') return { kind: 'object', entries };
        fail();
      }
    }
    if (text[i] === '[') {
      i++;
      const items: JsonNode[] = [];
      ws();
      if (text[i] === ']') return (i++, { kind: 'array', items });
      for (;;) {
        items.push(value());
        ws();
        const c = text[i++];
        if (c === ',') continue;
        if (c === ']') return { kind: 'array', items };
        fail();
      }
    }
    if (text[i] === '"') return { kind: 'string', value: str() };
    for (const raw of ['true', 'false', 'null'] as const) if (text.startsWith(raw, i)) return ((i += raw.length), { kind: 'literal', raw });
    const re = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    re.lastIndex = i;
    const m = re.exec(text) ?? fail();
    i += m[0].length;
    return { kind: 'number', raw: m[0] };
  };
  const root = value();
  ws();
  if (i !== text.length) fail();
  return root;
}

function referenceStringify(node: JsonNode): string {
  switch (node.kind) {
    case 'object':
      return `{${node.entries.map(([k, v]) => `${JSON.stringify(k)}: ${referenceStringify(v)}`).join(', ')}}`;
    case 'array':
      return `[${node.items.map(referenceStringify).join(', ')}]`;
    case 'string':
      return JSON.stringify(node.value);
    default:
      return node.raw;
  }
}

const outcome = (fn: () => JsonNode): JsonNode | 'error' => {
  try {
    return fn();
  } catch (error) {
    if (error instanceof JsonSyntaxError) return 'error';
    throw error;
  }
};

describe('json-tree', () => {
  it('reads and writes every JSON value as the plain reader and JSON.stringify do', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        const tree = parseJson(text);
        expect(tree).toEqual(referenceParse(text));
        expect(stringifyJson(tree)).toBe(referenceStringify(tree));
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts and refuses the same texts as the plain reader, numbers and escapes included', () => {
    const pieces = [
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      ' ',
      '"a"',
      '"\\u00e9"',
      '"\\n"',
      '"\\x"',
      '"\t"',
      '-',
      '0',
      '1',
      '01',
      '1.',
      '.5',
      '1.5',
      'e',
      'E+',
      '2',
      'true',
      'nul',
      'null',
      '"',
      '\\',
      '\ud800',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        expect(outcome(() => parseJson(text))).toEqual(outcome(() => referenceParse(text)));
      }),
      { numRuns: 20_000 },
    );
  });

  it('quotes strings as JSON.stringify does, lone surrogates and controls included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(stringifyJson({ kind: 'string', value: s })).toBe(JSON.stringify(s));
      }),
      { numRuns: 5000 },
    );
  });
});
