import { TransformError } from '../errors.js';
import { formatPgArray, mapPgArray, PgArrayError, parsePgArray } from './codecs/pg-array.js';
import { type NestedRule, ruleSpecSchema, toRuleSpec } from './helpers/nested-rule.js';
import { defineTransformer } from './transformer.js';

interface ArrayOptions {
  readonly element: NestedRule;
}

/** Applies a transformer to each element of a PostgreSQL array. */
export const array = defineTransformer<ArrayOptions>({
  name: 'array',
  description:
    'Applies a transformer (`element:`, a name or a rule) to every element of a PostgreSQL array, at any depth; NULL elements stay NULL, dimensions and quoting are kept as PostgreSQL writes them.',
  options: {
    type: 'object',
    additionalProperties: false,
    required: ['element'],
    properties: { element: ruleSpecSchema('The rule for each element, e.g. email or { transform: se.phone }.') },
  },
  accepts: ['array'],
  injective: false,
  outputsNull: false,
  example: { input: '{anna@gmail.com,NULL,"b c@x.se"}', options: { element: 'email' } },
  nested: (o) => [toRuleSpec(o.element)],
  create(options, context) {
    const element = context.nested(toRuleSpec(options.element), {
      family: context.column.elementFamily,
      elementFamily: undefined,
      type: context.column.type?.replace(/\[\]$/, ''),
      maxLength: context.column.maxLength,
    });
    return (value, row) => {
      try {
        const literal = parsePgArray(value!);
        return formatPgArray({ dimensions: literal.dimensions, items: mapPgArray(literal.items, (item) => element(item, row)) });
      } catch (error) {
        if (error instanceof PgArrayError) {
          throw new TransformError(`array: malformed array literal (${error.message})`, { table: context.column.table, column: context.column.column });
        }
        throw error;
      }
    };
  },
});
