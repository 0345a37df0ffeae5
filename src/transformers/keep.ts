import { defineTransformer } from './transformer.js';

/** Copies the value unchanged. */
export const keep = defineTransformer<{ reason?: string }>({
  name: 'keep',
  description:
    'Copies the value unchanged. Use it only for columns that hold nothing personal. `reason:` says why a column that looks like free text (text, long varchar, a name like notes or kommentar) is kept, and silences the warning validation gives for it.',
  options: {
    type: 'object',
    additionalProperties: false,
    properties: { reason: { type: 'string', minLength: 1, description: 'Why the column is kept unchanged, for readers of the rules file.' } },
  },
  accepts: 'any',
  injective: true,
  outputsNull: false,
  example: { input: '42' },
  create: () => (value) => value,
});
