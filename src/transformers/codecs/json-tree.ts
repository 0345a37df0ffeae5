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

const LITERALS = ['true', 'false', 'null'] as const;

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/**
 * Where the longest JSON number starting at `i` ends (as `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`
 * matches it: an incomplete fraction or exponent is left out); -1 when none starts there.
 */
export function numberEnd(text: string, i: number): number {
  let p = i;
  if (text.charCodeAt(p) === 0x2d) p++;
  const first = text.charCodeAt(p);
  if (first === 0x30) p++;
  else if (first >= 0x31 && first <= 0x39) {
    p++;
    while (isDigit(text.charCodeAt(p))) p++;
  } else return -1;
  if (text.charCodeAt(p) === 0x2e && isDigit(text.charCodeAt(p + 1))) {
    p += 2;
    while (isDigit(text.charCodeAt(p))) p++;
  }
  const e = text.charCodeAt(p);
  if (e === 0x65 || e === 0x45) {
    let q = p + 1;
    const sign = text.charCodeAt(q);
    if (sign === 0x2b || sign === 0x2d) q++;
    if (isDigit(text.charCodeAt(q))) {
      q++;
      while (isDigit(text.charCodeAt(q))) q++;
      p = q;
    }
  }
  return p;
}
/** A JSON string, escapes checked (sticky: set lastIndex first). */
export const JSON_STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/** Parses JSON text into a lossless tree. */
export function parseJson(text: string): JsonNode {
  let i = 0;
  const ws = (): void => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else return;
    }
  };
  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at offset ${i}`);
  };
  const str = (): string => {
    // Fast path: no escape in the string, so its value is the text between the quotes.
    for (let j = i + 1; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === 0x22) {
        const v = text.slice(i + 1, j);
        i = j + 1;
        return v;
      }
      if (c === 0x5c || c < 0x20) break;
    }
    JSON_STRING.lastIndex = i;
    const m = JSON_STRING.exec(text);
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
    if (c === 't' || c === 'f' || c === 'n') {
      for (const raw of LITERALS) {
        if (text.startsWith(raw, i)) {
          i += raw.length;
          return { kind: 'literal', raw };
        }
      }
    }
    const end = numberEnd(text, i);
    if (end < 0) return fail('unexpected character');
    const raw = text.slice(i, end);
    i = end;
    return { kind: 'number', raw };
  };
  const root = value();
  ws();
  if (i !== text.length) fail('junk after the value');
  return root;
}

/** Writes a tree as JSON, spaced as jsonb prints (`{"a": 1, "b": [1, 2]}`). */
export function stringifyJson(node: JsonNode): string {
  switch (node.kind) {
    case 'object': {
      let out = '{';
      const entries = node.entries;
      for (let k = 0; k < entries.length; k++) {
        const entry = entries[k]!;
        out += `${k === 0 ? '' : ', '}${quote(entry[0])}: ${stringifyJson(entry[1])}`;
      }
      return `${out}}`;
    }
    case 'array': {
      let out = '[';
      const items = node.items;
      for (let k = 0; k < items.length; k++) out += (k === 0 ? '' : ', ') + stringifyJson(items[k]!);
      return `${out}]`;
    }
    case 'string':
      return quote(node.value);
    case 'number':
    case 'literal':
      return node.raw;
  }
}

/** Characters JSON.stringify writes as escapes (quote, backslash, controls, surrogates, which may be lone). */
const NEEDS_JSON_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as JSON.stringify quotes it. */
export function quote(value: string): string {
  return NEEDS_JSON_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
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
    if ('any' in step) {
      for (let i = 0; i < node.items.length; i++) node.items[i] = updateAtPath(node.items[i]!, steps, fn, at + 1);
    } else if (step.index < node.items.length) node.items[step.index] = updateAtPath(node.items[step.index]!, steps, fn, at + 1);
  }
  return node;
}
