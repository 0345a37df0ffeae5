/**
 * A lossless JSON tree: numbers keep their text (JSON.parse would round 12345678901234567890),
 * duplicate keys and key order are kept. Written back in the spacing jsonb prints.
 */
export type JsonNode =
  | { readonly kind: 'object'; readonly entries: [string, JsonNode][] }
  | { readonly kind: 'array'; readonly items: JsonNode[] }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly raw: string }
  | { readonly kind: 'literal'; readonly raw: 'true' | 'false' | 'null' };

/** Malformed JSON; the message names an offset, never the text. */
export class JsonSyntaxError extends Error {}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/** Parses JSON text into a lossless tree. */
export function parseJson(text: string): JsonNode {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at offset ${i}`);
  };
  const str = (): string => {
    STRING.lastIndex = i;
    const m = STRING.exec(text);
    if (!m) return fail('bad string');
    i += m[0].length;
    return JSON.parse(m[0]) as string;
  };
  const value = (): JsonNode => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: [string, JsonNode][] = [];
      ws();
      if (text[i] === '}') {
        i++;
        return { kind: 'object', entries };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key');
        const key = str();
        ws();
        if (text[i] !== ':') fail('expected ":"');
        i++;
        entries.push([key, value()]);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return { kind: 'object', entries };
        }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { kind: 'array', items };
      }
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return { kind: 'array', items };
        }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') return { kind: 'string', value: str() };
    for (const raw of ['true', 'false', 'null'] as const) {
      if (text.startsWith(raw, i)) {
        i += raw.length;
        return { kind: 'literal', raw };
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) return fail('unexpected character');
    i += m[0].length;
    return { kind: 'number', raw: m[0] };
  };
  const root = value();
  ws();
  if (i !== text.length) fail('junk after the value');
  return root;
}

/** Writes a tree as JSON, spaced as jsonb prints (`{"a": 1, "b": [1, 2]}`). */
export function stringifyJson(node: JsonNode): string {
  switch (node.kind) {
    case 'object':
      return `{${node.entries.map(([k, v]) => `${JSON.stringify(k)}: ${stringifyJson(v)}`).join(', ')}}`;
    case 'array':
      return `[${node.items.map(stringifyJson).join(', ')}]`;
    case 'string':
      return JSON.stringify(node.value);
    case 'number':
    case 'literal':
      return node.raw;
  }
}

/** One step of a path: a key, an index, or a wildcard. */
export type PathStep = { readonly key: string } | { readonly index: number } | { readonly any: true };

/** A path this module cannot read. */
export class JsonPathError extends Error {}

/**
 * Parses a JSONPath subset: `$`, `.name`, `['name']`, `["name"]`, `[0]`, `[*]`, `.*`.
 * @example parseJsonPath('$.contacts[*].phone')
 */
export function parseJsonPath(path: string): PathStep[] {
  if (!path.startsWith('$')) throw new JsonPathError(`path ${JSON.stringify(path)} does not start with $`);
  const steps: PathStep[] = [];
  let i = 1;
  while (i < path.length) {
    const rest = path.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^\.\*/.exec(rest)) || (m = /^\[\*\]/.exec(rest))) steps.push({ any: true });
    else if ((m = /^\.([A-Za-z_$][\w$-]*)/.exec(rest))) steps.push({ key: m[1]! });
    else if ((m = /^\[(\d+)\]/.exec(rest))) steps.push({ index: Number(m[1]) });
    else if ((m = /^\['((?:[^'\\]|\\.)*)'\]/.exec(rest)) || (m = /^\["((?:[^"\\]|\\.)*)"\]/.exec(rest))) steps.push({ key: m[1]!.replace(/\\(.)/g, '$1') });
    else throw new JsonPathError(`path ${JSON.stringify(path)}: cannot read at character ${i + 1} (supported: .name, ['name'], [0], [*], .*)`);
    i += m[0].length;
  }
  return steps;
}

/** Replaces every node a path reaches with `fn(node)`; steps that reach nothing are ignored. */
export function updateAtPath(node: JsonNode, steps: readonly PathStep[], fn: (node: JsonNode) => JsonNode, at = 0): JsonNode {
  if (at === steps.length) return fn(node);
  const step = steps[at]!;
  if (node.kind === 'object' && !('index' in step)) {
    for (const entry of node.entries) {
      if ('any' in step || entry[0] === step.key) entry[1] = updateAtPath(entry[1], steps, fn, at + 1);
    }
  } else if (node.kind === 'array' && !('key' in step)) {
    if ('any' in step) node.items.forEach((item, i) => (node.items[i] = updateAtPath(item, steps, fn, at + 1)));
    else if (step.index < node.items.length) node.items[step.index] = updateAtPath(node.items[step.index]!, steps, fn, at + 1);
  }
  return node;
}
