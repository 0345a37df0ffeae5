import type { RuleSpec } from '../transformer.js';

/** A nested rule as written in options: a transformer name, or an object with `transform` and its options. */
export type NestedRule = string | { readonly transform: string; readonly unique?: boolean; readonly scope?: string; readonly [option: string]: unknown };

/** The JSON Schema of a nested rule (its own options are checked when it is built). */
export function ruleSpecSchema(description: string): Record<string, unknown> {
  return {
    description,
    anyOf: [
      { type: 'string', minLength: 1 },
      {
        type: 'object',
        required: ['transform'],
        properties: { transform: { type: 'string', minLength: 1 }, unique: { type: 'boolean' }, scope: { type: 'string' } },
      },
    ],
  };
}

/** A nested rule as a RuleSpec: every key besides transform, unique and scope is an option. */
export function toRuleSpec(rule: NestedRule): RuleSpec {
  if (typeof rule === 'string') return { transform: rule };
  const { transform, unique, scope, ...options } = rule;
  return { transform, options, ...(unique !== undefined ? { unique } : {}), ...(scope !== undefined ? { scope } : {}) };
}
