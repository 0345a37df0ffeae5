import { scanJsonb } from '../codecs/json-text.js';
import { type JsonNode, type PathStep, parseJson, quote, stringifyJson, updateAtPath } from '../codecs/json-tree.js';
import type { RowValues, TransformFn } from '../transformer.js';

/** A path inside a JSON value and the transformer for the values it reaches. */
export interface JsonRule {
  readonly steps: readonly PathStep[];
  readonly fn: TransformFn;
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** The text a nested transformer sees for a node: a string's value, a number's or literal's text, else JSON. */
function leafText(node: JsonNode): string | null {
  if (node.kind === 'string') return node.value;
  if (node.kind === 'number') return node.raw;
  if (node.kind === 'literal') return node.raw === 'null' ? null : node.raw;
  return stringifyJson(node);
}

/** Puts a nested transformer's output back as a node of the original's kind where it can. */
function asNode(kind: JsonNode['kind'], out: string | null): JsonNode {
  if (out === null) return { kind: 'literal', raw: 'null' };
  if (kind === 'number' && NUMBER.test(out)) return { kind: 'number', raw: out };
  if (kind === 'literal' && (out === 'true' || out === 'false')) return { kind: 'literal', raw: out };
  if (kind === 'object' || kind === 'array') {
    try {
      return parseJson(out);
    } catch {
      return { kind: 'string', value: out };
    }
  }
  return { kind: 'string', value: out };
}

/**
 * Applies the rules one after the other on a tree of the text, and writes it in jsonb's spacing.
 * Throws JsonSyntaxError when the text is not JSON.
 */
export function applyJsonRulesInTree(text: string, rules: readonly JsonRule[], row: RowValues): string {
  let tree = parseJson(text);
  for (const { steps, fn } of rules) tree = updateAtPath(tree, steps, (node) => asNode(node.kind, fn(leafText(node), row)));
  return stringifyJson(tree);
}

/** The kind of the JSON value whose text starts with the character `first`. */
function kindOf(first: number): JsonNode['kind'] {
  switch (first) {
    case 0x22:
      return 'string';
    case 0x7b:
      return 'object';
    case 0x5b:
      return 'array';
    case 0x74:
    case 0x66:
    case 0x6e:
      return 'literal';
    default:
      return 'number';
  }
}

/** `leafText` of the value written at `start..end` in jsonb's form. */
function leafTextAt(text: string, start: number, end: number, kind: JsonNode['kind']): string | null {
  if (kind !== 'string') return kind === 'literal' && text.startsWith('null', start) ? null : text.slice(start, end);
  const value = text.slice(start + 1, end - 1);
  return value.includes('\\') ? (JSON.parse(text.slice(start, end)) as string) : value;
}

/** The text `applyJsonRulesInTree` writes in place of the value written at `start..end`. */
function replacement(text: string, start: number, end: number, fn: TransformFn, row: RowValues): string {
  const kind = kindOf(text.charCodeAt(start));
  const out = fn(leafTextAt(text, start, end, kind), row);
  // A string stays a string (asNode), quoted as stringifyJson quotes it.
  if (kind === 'string' && out !== null) return quote(out);
  return stringifyJson(asNode(kind, out));
}

/**
 * Applies the rules to a JSON text; throws JsonSyntaxError when the text is not JSON. The same as
 * `applyJsonRulesInTree`; a text in jsonb's form (what PostgreSQL prints for jsonb) is read once
 * per rule without building the tree, the values the paths reach replaced in it, the rest kept.
 */
export function applyJsonRules(text: string, rules: readonly JsonRule[], row: RowValues): string {
  let out = text;
  for (const { steps, fn } of rules) {
    const spans: number[] = [];
    // Only the first rule can find the text in another form: replacements are written in jsonb's form.
    if (!scanJsonb(out, steps, spans)) return applyJsonRulesInTree(text, rules, row);
    if (spans.length === 0) continue;
    let next = '';
    let copied = 0;
    for (let k = 0; k < spans.length; k += 2) {
      const start = spans[k]!;
      next += out.slice(copied, start) + replacement(out, start, spans[k + 1]!, fn, row);
      copied = spans[k + 1]!;
    }
    out = next + out.slice(copied);
  }
  return out;
}
