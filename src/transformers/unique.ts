import { TransformError } from '../errors.js';
import type { TransformerContext } from './transformer.js';

/** What `unique: true` remembers in a run: each input's output, and every output given. */
export class UniqueState {
  readonly byInput = new Map<string, string>();
  readonly used = new Set<string>();
}

/** The run-wide uniqueness state of a domain (shared by every column with the same domain, scope and `kind`). */
export function uniqueState(context: TransformerContext, domain: string, kind = ''): UniqueState {
  return context.resource(`unique\0${domain}\0${context.scope ?? ''}\0${kind}`, () => new UniqueState());
}

/**
 * The output of `input` under `unique: true`: the first candidate no other input holds.
 * `candidate(attempt)` gives attempt 0 (the plain pseudonym), 1, 2, …, and undefined when
 * there is none left; then `exhausted` names what to do.
 */
export function claimUnique(
  state: UniqueState,
  input: string,
  candidate: (attempt: number) => string | undefined,
  context: TransformerContext,
  exhausted: string,
): string {
  const known = state.byInput.get(input);
  if (known !== undefined) return known;
  for (let attempt = 0; ; attempt++) {
    const out = candidate(attempt);
    if (out === undefined) {
      throw new TransformError(exhausted, { table: context.column.table, column: context.column.column });
    }
    if (!state.used.has(out)) {
      state.used.add(out);
      state.byInput.set(input, out);
      return out;
    }
  }
}
