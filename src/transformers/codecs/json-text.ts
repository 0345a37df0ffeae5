import { JSON_STRING, numberEnd, type PathStep, quote } from './json-tree.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const SPACE = 0x20;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Characters that need a closer look in a string: escapes, controls, surrogates. */
const SPECIAL = /[\\\u0000-\u001f\ud800-\udfff]/;

/**
 * Where the JSON string at `i` ends, when it is valid and written as `quote` writes its value
 * (no escape JSON.stringify would not write, no lone surrogate); -1 otherwise. `plain`: the
 * text holds no SPECIAL character.
 */
function canonicalStringEnd(text: string, i: number, plain: boolean): number {
  if (plain) {
    const j = text.indexOf('"', i + 1);
    return j < 0 ? -1 : j + 1;
  }
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === QUOTE) return j + 1;
    if (c < SPACE) return -1;
    if (c === BACKSLASH) break;
    if (c >= 0xd800 && c <= 0xdfff) {
      // A surrogate pair is written as is; a lone surrogate would be written escaped.
      const next = text.charCodeAt(j + 1);
      if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return -1;
      j++;
    }
  }
  JSON_STRING.lastIndex = i;
  const m = JSON_STRING.exec(text);
  if (!m) return -1;
  const raw = m[0];
  return quote(JSON.parse(raw) as string) === raw ? i + raw.length : -1;
}

/** Where the literal (true, false, null) at `i` ends; -1 when none starts there. */
function literalEnd(text: string, i: number): number {
  switch (text.charCodeAt(i)) {
    case 0x74:
      return text.startsWith('true', i) ? i + 4 : -1;
    case 0x66:
      return text.startsWith('false', i) ? i + 5 : -1;
    case 0x6e:
      return text.startsWith('null', i) ? i + 4 : -1;
    default:
      return -1;
  }
}

/**
 * Whether a step goes from an object to the entry with the key written at `start..end`; `plain`:
 * the text holds no escape.
 */
function keyStep(step: PathStep, text: string, start: number, end: number, plain: boolean): boolean {
  if ('key' in step) {
    if (!plain) {
      for (let j = start + 1; j < end - 1; j++) {
        if (text.charCodeAt(j) === BACKSLASH) return JSON.parse(text.slice(start, end)) === step.key;
      }
    }
    return end - start - 2 === step.key.length && text.startsWith(step.key, start + 1);
  }
  return 'any' in step;
}

/** Whether a step goes from an array to its item `index`. */
function indexStep(step: PathStep, index: number): boolean {
  return 'any' in step || ('index' in step && step.index === index);
}

/**
 * For each container open at the current point of `scanJsonb`: -1 for an object, the index of
 * the current item for an array. Shared between calls: a scan calls no code that could scan in turn.
 */
let open = new Int32Array(64);

/**
 * Reads `text` once: whether it is valid JSON written exactly as `stringifyJson(parseJson(text))`
 * writes it (jsonb's spacing `{"a": 1, "b": [1, 2]}`, no other whitespace, strings quoted as
 * JSON.stringify quotes them; PostgreSQL prints jsonb values this way), and the start and end
 * offsets of the values the path reaches (as `updateAtPath` reaches them: duplicate keys
 * included), in document order, pushed on `spans`.
 */
export function scanJsonb(text: string, steps: readonly PathStep[], spans: number[]): boolean {
  let depth = 0;
  // The path reaches the value at `i` (`reached`), and the first `reachedDepth` open containers.
  let reached = true;
  let reachedDepth = 0;
  let matchStart = 0;
  let keyNext = false;
  let i = 0;
  const plain = !SPECIAL.test(text);
  for (;;) {
    const level = depth;
    if (keyNext) {
      const keyStart = i;
      if (text.charCodeAt(i) !== QUOTE) return false;
      i = canonicalStringEnd(text, i, plain);
      if (i < 0 || text.charCodeAt(i) !== COLON || text.charCodeAt(i + 1) !== SPACE) return false;
      reached = reached && keyStep(steps[level - 1]!, text, keyStart, i, plain);
      i += 2;
    }
    if (reached && level === steps.length) matchStart = i;
    const c = text.charCodeAt(i);
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      const close = c + 2;
      i++;
      if (text.charCodeAt(i) !== close) {
        if (depth === open.length) {
          const grown = new Int32Array(depth * 2);
          grown.set(open);
          open = grown;
        }
        open[depth++] = c === OPEN_BRACE ? -1 : 0;
        if (reached) reachedDepth = level + 1;
        reached = reached && level < steps.length && (c === OPEN_BRACE || indexStep(steps[level]!, 0));
        keyNext = c === OPEN_BRACE;
        continue;
      }
      i++;
    } else if (c === QUOTE) {
      i = canonicalStringEnd(text, i, plain);
      if (i < 0) return false;
    } else {
      const end = literalEnd(text, i);
      i = end < 0 ? numberEnd(text, i) : end;
      if (i < 0) return false;
    }
    if (reached && level === steps.length) spans.push(matchStart, i);
    // After a value: close the containers it ends, then step over ", " to the next item.
    for (;;) {
      const top = depth - 1;
      if (top < 0) return i === text.length;
      const item = open[top]!;
      const d = text.charCodeAt(i);
      if (d === (item < 0 ? CLOSE_BRACE : CLOSE_BRACKET)) {
        depth--;
        i++;
        if (top < reachedDepth) {
          reachedDepth = top;
          if (top === steps.length) spans.push(matchStart, i);
        }
        continue;
      }
      if (d !== COMMA || text.charCodeAt(i + 1) !== SPACE) return false;
      i += 2;
      if (item >= 0) open[top] = item + 1;
      reached = top < reachedDepth && top < steps.length && (item < 0 || indexStep(steps[top]!, item + 1));
      keyNext = item < 0;
      break;
    }
  }
}
