import { keep } from './keep.js';
import { nullTransformer } from './null.js';
import type { AnyTransformer, TransformerDefinition } from './transformer.js';

/** Every transformer, the one list. Order is the order of the docs. */
export const transformers: readonly AnyTransformer[] = [keep, nullTransformer];

const byName = new Map(transformers.map((t) => [t.name, t]));

/** The transformer a rule names, or undefined. */
export function findTransformer(name: string): TransformerDefinition<Record<string, unknown>> | undefined {
  return byName.get(name) as TransformerDefinition<Record<string, unknown>> | undefined;
}

/** Every transformer name, for suggestions and the rules schema. */
export function transformerNames(): readonly string[] {
  return [...byName.keys()];
}
