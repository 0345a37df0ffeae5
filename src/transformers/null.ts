import { defineTransformer } from './transformer.js';

/** Replaces every value with NULL. */
export const nullTransformer = defineTransformer({
  name: 'null',
  description: 'Replaces every value with NULL. Validation refuses it on NOT NULL columns.',
  options: { type: 'object', additionalProperties: false, properties: {} },
  accepts: 'any',
  injective: false,
  outputsNull: true,
  example: { input: 'anything' },
  create: () => () => null,
});
