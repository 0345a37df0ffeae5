import type { ProposedRule } from './proposal.js';

/** A rule as a json path or array element names it: the transformer's name alone, or an object with its options. */
export function nestedRule(rule: ProposedRule): string | Readonly<Record<string, unknown>> {
  const options = rule.options ?? {};
  return Object.keys(options).length === 0 ? rule.transform : { transform: rule.transform, ...options };
}
