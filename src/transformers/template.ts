import { ConfigError } from '../errors.js';
import { foldAscii } from './helpers/ascii-fold.js';
import { defineTransformer } from './transformer.js';

interface TemplateOptions {
  readonly template: string;
  readonly lower?: boolean;
  readonly ascii?: boolean;
}

const FIELD = /\{([^{}]+)\}/g;

/** The column names a template reads. */
export function templateFields(template: string): string[] {
  return [...template.matchAll(FIELD)].map((m) => m[1]!.trim());
}

/** Composes a value from other masked columns of the same row. */
export const template = defineTransformer<TemplateOptions>({
  name: 'template',
  description:
    'Composes the value from other columns of the same row after their own masking: `"{first_name}.{last_name}@example.com"`. Lower-cased and folded to ASCII by default (`lower: false`, `ascii: false` to keep case and letters). A NULL column reads as empty; `{{` and `}}` are not special.',
  options: {
    type: 'object',
    additionalProperties: false,
    required: ['template'],
    properties: {
      template: { type: 'string', minLength: 1, description: 'Text with {column} fields.' },
      lower: { type: 'boolean', default: true, description: 'Lower-case the result.' },
      ascii: { type: 'boolean', default: true, description: 'Fold the result to ASCII (å → a, é → e, æ → ae).' },
    },
  },
  accepts: ['text'],
  injective: false,
  outputsNull: false,
  reads: (o) => templateFields(o.template),
  example: { input: 'karin.andersson@gmail.com', options: { template: '{first_name}.{last_name}@example.com' }, note: 'reads the masked first_name and last_name of the row' },
  create(options, context) {
    const fields = templateFields(options.template);
    if (fields.includes(context.column.column) && context.column.column !== '') {
      throw new ConfigError('TEMPLATE_SELF', `template for ${context.column.table}.${context.column.column} reads its own column`);
    }
    const parts = options.template.split(FIELD); // literal, field, literal, field, …
    const lower = options.lower ?? true;
    const ascii = options.ascii ?? true;
    return (_value, row) => {
      let out = '';
      for (let i = 0; i < parts.length; i++) out += i % 2 === 0 ? parts[i]! : (row.masked(parts[i]!.trim()) ?? '');
      if (ascii) out = foldAscii(out);
      return lower ? out.toLowerCase() : out;
    };
  },
});
