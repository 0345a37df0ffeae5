import { defineTransformer } from './transformer.js';

/** Copies the value unchanged. */
export const keep = defineTransformer({
  name: 'keep',
  description: 'Copies the value unchanged. Use it only for columns that hold nothing personal.',
  options: { type: 'object', additionalProperties: false, properties: {} },
  accepts: 'any',
  injective: true,
  outputsNull: false,
  example: { input: '42' },
  create: () => (value) => value,
});
