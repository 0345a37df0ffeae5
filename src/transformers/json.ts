import { ConfigError, TransformError } from '../errors.js';
import { JsonPathError, JsonSyntaxError, parseJsonPath } from './codecs/json-tree.js';
import { applyJsonRules, type JsonRule } from './helpers/json-rules.js';
import { type NestedRule, ruleSpecSchema, toRuleSpec } from './helpers/nested-rule.js';
import { defineTransformer, type RowValues } from './transformer.js';

interface JsonOptions {
  readonly paths: Readonly<Record<string, NestedRule>>;
}

/** Applies transformers at paths inside json and jsonb values. */
export const json = defineTransformer<JsonOptions>({
  name: 'json',
  description:
    'Applies transformers at paths inside a json or jsonb value (`paths: { "$.contact.email": email, "$.contacts[*].phone": se.phone }`). Paths: `.name`, `[\'name\']`, `[0]`, `[*]`, `.*`. A path that reaches nothing is ignored; the rest of the document stays as it was (numbers keep every digit), and the output is valid JSON of the same shape.',
  options: {
    type: 'object',
    additionalProperties: false,
    required: ['paths'],
    properties: {
      paths: {
        type: 'object',
        minProperties: 1,
        propertyNames: { pattern: '^\\$' },
        additionalProperties: ruleSpecSchema('The rule for the values at this path.'),
        description: 'JSONPath → rule.',
      },
    },
  },
  accepts: ['json', 'text'],
  injective: false,
  outputsNull: false,
  example: { input: '{"contact": {"email": "karin@gmail.com"}, "plan": "gold"}', options: { paths: { '$.contact.email': 'email' } } },
  nested: (o) => Object.values(o.paths).map(toRuleSpec),
  create(options, context) {
    const where = `${context.column.table}.${context.column.column}`;
    const rules: JsonRule[] = Object.entries(options.paths).map(([path, rule]) => {
      try {
        return { steps: parseJsonPath(path), fn: context.nested(toRuleSpec(rule), { family: 'text', elementFamily: undefined, type: undefined, maxLength: undefined }) };
      } catch (error) {
        if (error instanceof JsonPathError) throw new ConfigError('JSON_PATH', `json rule for ${where}: ${error.message}`);
        throw error;
      }
    });
    return (value, row: RowValues) => {
      try {
        return applyJsonRules(value!, rules, row);
      } catch (error) {
        if (error instanceof JsonSyntaxError) {
          throw new TransformError(`json: not valid JSON (${error.message})`, { table: context.column.table, column: context.column.column });
        }
        throw error;
      }
    };
  },
});
