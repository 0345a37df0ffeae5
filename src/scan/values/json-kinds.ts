import type { PiiKind } from '../pii-kind.js';
import { isTextLike } from './is-text-like.js';
import { textKinds } from './text-kinds.js';
import { valueKinds } from './value-kinds.js';

/** How many leaf paths one document gives at most (a document with more keys is not a record). */
export const MAX_JSON_PATHS = 200;

/** A key written as `.name` in the paths the `json` transformer reads (json-tree.ts parseJsonPath); others as `["…"]`. */
const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/** The path step of an object key, as the `json` transformer's paths write it: `.email`, `["first name"]`. */
export function keyStep(key: string): string {
  return IDENTIFIER.test(key) ? `.${key}` : `["${key.replace(/[\\"]/g, '\\$&')}"]`;
}

const FREE_TEXT: PiiKind[] = ['free_text'];

/**
 * The leaf paths of a JSON document and the kinds of the values there, paths written as the `json`
 * transformer's rules take them (`$.contact.email`, `$.contacts[*].phone`, `$["first name"]`;
 * array elements collapse to `[*]`). Every string and number leaf gives its path, with the kinds
 * its whole value has (valueKinds), `['free_text']` for free text holding personal data
 * (textKinds), or no kind: its key may still say what it holds (`email`, `personnummer`), which
 * the caller judges. Paths of several leaves (`[*]`) take the kinds of all. true, false and null
 * give no path. Empty for text that is not JSON. Numbers are read as JavaScript numbers (a
 * number of more than 15 digits may lose its last ones).
 */
export function jsonKinds(jsonText: string): ReadonlyMap<string, PiiKind[]> {
  let doc: unknown;
  try {
    doc = JSON.parse(jsonText);
  } catch {
    return new Map();
  }
  const paths = new Map<string, PiiKind[]>();
  const leaf = (path: string, text: string): void => {
    let kinds = paths.get(path);
    if (kinds === undefined) {
      if (paths.size >= MAX_JSON_PATHS) return;
      kinds = [];
      paths.set(path, kinds);
    }
    let found = valueKinds(text);
    if (found.length === 0 && isTextLike(text) && textKinds(text).size > 0) found = FREE_TEXT;
    for (const kind of found) if (!kinds.includes(kind)) kinds.push(kind);
  };
  const walk = (node: unknown, path: string): void => {
    if (typeof node === 'string') leaf(path, node);
    else if (typeof node === 'number') leaf(path, String(node));
    else if (Array.isArray(node)) {
      const step = `${path}[*]`;
      for (const element of node) walk(element, step);
    } else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) walk(value, path + keyStep(key));
    }
  };
  walk(doc, '$');
  return paths;
}
