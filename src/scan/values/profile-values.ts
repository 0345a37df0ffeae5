import { type PgArray, parsePgArray } from '../../transformers/codecs/pg-array.js';
import type { PiiKind } from '../pii-kind.js';
import { isTextLike } from './is-text-like.js';
import { jsonKinds } from './json-kinds.js';
import { textKinds } from './text-kinds.js';
import { valueKinds } from './value-kinds.js';

/** What a column's sampled values hold. Counts only: never a value. */
export interface SampleProfile {
  /** Values looked at (NULLs are never passed in). */
  readonly sampled: number;
  /** Distinct values among them. */
  readonly distinct: number;
  /** Values wholly of the kind (a value may count for several kinds). */
  readonly whole: ReadonlyMap<PiiKind, number>;
  /** Values that are free text (several words) holding the kind. */
  readonly inText: ReadonlyMap<PiiKind, number>;
  /** Values that look like free text written by people (several words with spaces, letters). */
  readonly textLike: number;
  /** Shape 'json' (and json elements of an array): per path, the values with the kind there; a path seen with no kind has an empty map. */
  readonly jsonPaths: ReadonlyMap<string, ReadonlyMap<PiiKind, number>>;
}

/** How a column's values are written: plain text, a JSON document, or a PostgreSQL array's text. */
export type SampleShape = 'plain' | 'json' | 'array';

/** How many distinct JSON paths one profile keeps at most. */
export const MAX_PROFILE_PATHS = 500;

/** What one distinct value holds. */
interface ValueFindings {
  readonly whole: ReadonlySet<PiiKind> | readonly PiiKind[];
  readonly inText: ReadonlySet<PiiKind> | undefined;
  readonly textLike: boolean;
  readonly paths: ReadonlyMap<string, readonly PiiKind[]> | undefined;
}

const NO_PATHS: ReadonlyMap<string, readonly PiiKind[]> = new Map();

/** A plain value: its whole kinds, and when it is free text and no whole value, the kinds inside it. */
function plainFindings(value: string): ValueFindings {
  const whole = valueKinds(value);
  const textLike = whole.length === 0 && isTextLike(value);
  return { whole, inText: textLike ? textKinds(value) : undefined, textLike, paths: undefined };
}

/** A JSON document: its paths; a document that is a JSON string is also read as a plain value. */
function jsonFindings(value: string): ValueFindings {
  const paths = jsonKinds(value);
  const root = paths.get('$');
  if (root !== undefined && paths.size === 1) return { ...plainFindings(String(JSON.parse(value))), paths };
  return { whole: [], inText: undefined, textLike: false, paths };
}

/** Every element of a parsed array, nested arrays flattened, NULLs left out. */
function elementsOf(items: PgArray, out: string[]): string[] {
  for (const item of items) {
    if (typeof item === 'string') out.push(item);
    else if (item !== null) elementsOf(item, out);
  }
  return out;
}

const looksLikeJson = (element: string): boolean => {
  const c = element.charCodeAt(0);
  return c === 0x7b || c === 0x5b;
};

/** An array's text: what any element holds. JSON documents among the elements give their paths (relative to the element). */
function arrayFindings(value: string): ValueFindings {
  let elements: string[];
  try {
    elements = elementsOf(parsePgArray(value).items, []);
  } catch {
    // Not an array literal after all: read as it is.
    return plainFindings(value);
  }
  const whole = new Set<PiiKind>();
  const inText = new Set<PiiKind>();
  let textLike = false;
  let paths: Map<string, PiiKind[]> | undefined;
  for (const element of elements) {
    if (looksLikeJson(element)) {
      const found = jsonKinds(element);
      if (found.size > 0) {
        paths ??= new Map();
        for (const [path, kinds] of found) {
          const seen = paths.get(path);
          if (seen === undefined) paths.set(path, [...kinds]);
          else for (const kind of kinds) if (!seen.includes(kind)) seen.push(kind);
        }
        continue;
      }
    }
    const one = plainFindings(element);
    for (const kind of one.whole) whole.add(kind);
    if (one.textLike) textLike = true;
    if (one.inText) for (const kind of one.inText) inText.add(kind);
  }
  return { whole, inText, textLike, paths };
}

const add = <K>(counts: Map<K, number>, key: K, n: number): void => {
  counts.set(key, (counts.get(key) ?? 0) + n);
};

/**
 * Profiles a column's sampled values (PostgreSQL's text output, NULLs left out): how many are
 * wholly of each kind, how many are free text and which kinds are inside, and for JSON at which
 * paths the kinds are. Each distinct value is read once. Free text is looked for only in values
 * that look like text (isTextLike) and are no whole value of a kind, its first 2,000 characters.
 * Shape 'array': each value is an array's text (`{a,b,"c d"}`), counted for a kind when any
 * element has it; elements that are JSON documents fill jsonPaths.
 */
export function profileValues(values: Iterable<string>, shape: SampleShape): SampleProfile {
  const counts = new Map<string, number>();
  let sampled = 0;
  for (const value of values) {
    sampled++;
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  const whole = new Map<PiiKind, number>();
  const inText = new Map<PiiKind, number>();
  const jsonPaths = new Map<string, Map<PiiKind, number>>();
  let textLike = 0;
  const findingsOf = shape === 'json' ? jsonFindings : shape === 'array' ? arrayFindings : plainFindings;
  for (const [value, n] of counts) {
    const found = findingsOf(value);
    for (const kind of found.whole) add(whole, kind, n);
    if (found.textLike) textLike += n;
    if (found.inText) for (const kind of found.inText) add(inText, kind, n);
    for (const [path, kinds] of found.paths ?? NO_PATHS) {
      let at = jsonPaths.get(path);
      if (at === undefined) {
        if (jsonPaths.size >= MAX_PROFILE_PATHS) continue;
        at = new Map();
        jsonPaths.set(path, at);
      }
      for (const kind of kinds) add(at, kind, n);
    }
  }
  return { sampled, distinct: counts.size, whole, inText, textLike, jsonPaths };
}
