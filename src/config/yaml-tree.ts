import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import type { FilePosition } from '../errors.js';

/** Where a value of the plain tree came from in the YAML source. */
export interface SourceNode {
  /** The value's node (for an alias, the alias itself). */
  readonly node: Node;
  /** The key's node, when the value sits in a mapping. */
  readonly key: Node | undefined;
}

/** A YAML document as plain JSON-like values, plus the source node of every JSON Pointer. */
export interface YamlTree {
  readonly value: unknown;
  /** JSON Pointer (as ajv's `instancePath` spells it, `''` for the root) → source nodes. */
  readonly nodes: ReadonlyMap<string, SourceNode>;
  /** The keys of each mapping in source order (a JS object puts integer-like keys first). */
  readonly keyOrder: ReadonlyMap<string, readonly string[]>;
  /** Keys that cannot be names: complex keys, or two keys that read as the same name. */
  readonly keyProblems: readonly { readonly code: 'RULES_KEY_TYPE' | 'RULES_DUPLICATE_KEY'; readonly message: string; readonly node: Node }[];
}

/** Escapes one JSON Pointer segment (RFC 6901). */
export function pointerSegment(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** The JSON pointer of a path of keys. */
export const pointerOf = (parts: readonly string[]): string => parts.map((p) => `/${pointerSegment(p)}`).join('');

/**
 * The text a mapping key names. A quoted key is its string; a plain key that YAML reads as a
 * number, boolean or null (`123:`, `true:`, `null:`) is taken as written, since in a rules
 * file a key is always a name.
 */
export function keyText(node: Node): string | undefined {
  if (!isScalar(node)) return undefined;
  if (typeof node.value === 'string') return node.value;
  const source = (node as { source?: unknown }).source;
  return typeof source === 'string' ? source : String(node.value);
}

/** Converts a parsed document to plain values, remembering where each came from. */
export function yamlTree(document: Document): YamlTree {
  const nodes = new Map<string, SourceNode>();
  const keyOrder = new Map<string, string[]>();
  const keyProblems: { code: 'RULES_KEY_TYPE' | 'RULES_DUPLICATE_KEY'; message: string; node: Node }[] = [];
  const active = new Set<Node>();

  const walk = (node: Node | null | undefined, key: Node | undefined, pointer: string, at: Node | undefined): unknown => {
    if (node === null || node === undefined) {
      if (at) nodes.set(pointer, { node: at, key });
      return null;
    }
    nodes.set(pointer, { node: at ?? node, key });
    if (isAlias(node)) {
      const target = node.resolve(document) as Node | undefined;
      if (!target || active.has(target)) return null;
      return walk(target, key, pointer, node);
    }
    if (isScalar(node)) return node.value ?? null;
    active.add(node);
    try {
      if (isSeq(node)) {
        return node.items.map((item, index) => walk(item as Node | null, undefined, `${pointer}/${index}`, (item as Node | null) ?? node));
      }
      if (isMap(node)) {
        const object: Record<string, unknown> = {};
        const seen = new Map<string, unknown>();
        const order: string[] = [];
        keyOrder.set(pointer, order);
        for (const pair of node.items) {
          if (!isPair(pair)) continue;
          const keyNode = pair.key as Node | null;
          const name = keyNode ? keyText(keyNode) : '';
          if (name === undefined) {
            keyProblems.push({ code: 'RULES_KEY_TYPE', message: 'a key must be a plain name, not a list or a mapping', node: keyNode! });
            continue;
          }
          if (seen.has(name)) {
            // yaml's uniqueKeys reports `a:` twice; this reports `123:` beside `'123':`.
            const first = seen.get(name);
            if (!isScalar(keyNode) || keyNode.value !== first) {
              keyProblems.push({ code: 'RULES_DUPLICATE_KEY', message: `the key '${name}' appears twice; keep one`, node: keyNode ?? node });
            }
            continue;
          }
          seen.set(name, isScalar(keyNode) ? keyNode.value : undefined);
          order.push(name);
          let valueNode = pair.value as Node | null;
          // `key:` with nothing after it: point at the key, not at the empty spot after the colon.
          if (isScalar(valueNode) && valueNode.value === null && (valueNode as { source?: unknown }).source === '') valueNode = null;
          const child = walk(valueNode, keyNode ?? undefined, `${pointer}/${pointerSegment(name)}`, valueNode ?? keyNode ?? node);
          Object.defineProperty(object, name, { value: child, enumerable: true, writable: true, configurable: true });
        }
        return object;
      }
      return null;
    } finally {
      active.delete(node);
    }
  };

  const value = walk(document.contents as Node | null, undefined, '', (document.contents as Node | null) ?? undefined);
  return { value, nodes, keyOrder, keyProblems };
}

/** The 1-based line and column of a source offset. */
export function filePosition(file: string, lineCounter: LineCounter, offset: number): FilePosition {
  const { line, col } = lineCounter.linePos(offset);
  return { file, line, column: col };
}

/** The 1-based position where a node starts. */
export function nodePosition(file: string, lineCounter: LineCounter, node: Node): FilePosition {
  return filePosition(file, lineCounter, node.range?.[0] ?? 0);
}
