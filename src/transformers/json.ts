import { ConfigError, TransformError } from '../errors.js';
import { JsonPathError, JsonSyntaxError, parseJson, parseJsonPath, stringifyJson, updateAtPath, type JsonNode } from './json-tree.js';
import { ruleSpecSchema, toRuleSpec, type NestedRule } from './nested-rule.js';
import { defineTransformer, type RowValues, type TransformFn } from './transformer.js';

interface JsonOptions {
  readonly paths: Readonly<Record<string, NestedRule>>;
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** The text a nested transformer sees for a node: a string's value, a number's or literal's text, else JSON. */
function leafText(node: JsonNode): string | null {
  if (node.kind === 'string') return node.value;
  if (node.kind === 'number') return node.raw;
  if (node.kind === 'literal') return node.raw === 'null' ? null : node.raw;
  return stringifyJson(node);
}

/** Puts a nested transformer's output back as a node of the original's kind where it can. */
function asNode(original: JsonNode, out: string | null): JsonNode {
  if (out === null) return { kind: 'literal', raw: 'null' };
  if (original.kind === 'number' && NUMBER.test(out)) return { kind: 'number', raw: out };
  if (original.kind === 'literal' && (out === 'true' || out === 'false')) return { kind: 'literal', raw: out };
  if (original.kind === 'object' || original.kind === 'array') {
    try {
      return parseJson(out);
    } catch {
      return { kind: 'string', value: out };
    }
  }
  return { kind: 'string', value: out };
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
  create(options, context) {
    const where = `${context.column.table}.${context.column.column}`;
    const rules: { steps: ReturnType<typeof parseJsonPath>; fn: TransformFn }[] = Object.entries(options.paths).map(([path, rule]) => {
      try {
        return { steps: parseJsonPath(path), fn: context.nested(toRuleSpec(rule), { family: 'text', elementFamily: undefined, type: undefined, maxLength: undefined }) };
      } catch (error) {
        if (error instanceof JsonPathError) throw new ConfigError('JSON_PATH', `json rule for ${where}: ${error.message}`);
        throw error;
      }
    });
    return (value, row: RowValues) => {
      let tree: JsonNode;
      try {
        tree = parseJson(value!);
      } catch (error) {
        if (error instanceof JsonSyntaxError) {
          throw new TransformError(`json: not valid JSON (${error.message})`, { table: context.column.table, column: context.column.column });
        }
        throw error;
      }
      for (const { steps, fn } of rules) tree = updateAtPath(tree, steps, (node) => asNode(node, fn(leafText(node), row)));
      return stringifyJson(tree);
    };
  },
});
