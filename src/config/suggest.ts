/**
 * Edit distance between two strings, by code unit: insertions, deletions, substitutions and
 * transpositions of neighbours (Levenshtein with the Damerau swap, "optimal string alignment").
 */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(current[j - 1]! + 1, previous[j]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        d = Math.min(d, before[j - 2]! + 1);
      }
      current[j] = d;
    }
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidate nearest to `name`, when it is near enough to be a likely typo: at most a
 * third of the name's length away, rounded up (at least 1, at most 3 edits; a difference of case
 * costs half an edit).
 *
 * @example nearest('emial', ['email', 'phone']) // 'email'
 */
export function nearest(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.ceil(name.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const exactCase = levenshtein(name, candidate);
    // A difference of case only counts as half an edit.
    const distance = Math.min(exactCase, levenshtein(name.toLowerCase(), candidate.toLowerCase()) + 0.5);
    if (distance < bestDistance || (distance === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** `; did you mean X?` or the empty string. */
export function didYouMean(name: string, candidates: Iterable<string>, show: (s: string) => string = (s) => `'${s}'`): string {
  const near = nearest(name, candidates);
  return near === undefined ? '' : `; did you mean ${show(near)}?`;
}
