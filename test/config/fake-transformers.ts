import { keep } from '../../src/transformers/keep.js';
import { nullTransformer } from '../../src/transformers/null.js';
import { type AnyTransformer, defineTransformer } from '../../src/transformers/transformer.js';

/** Test transformers with options, so that option checks do not depend on the registry's contents. */
export const pad = defineTransformer<{ width: number; fill?: string }>({
  name: 'test.pad',
  description: 'Pads to a width (test only).',
  options: {
    type: 'object',
    additionalProperties: false,
    required: ['width'],
    properties: { width: { type: 'integer', minimum: 1 }, fill: { type: 'string', minLength: 1, maxLength: 1 } },
  },
  accepts: ['text'],
  injective: false,
  outputsNull: false,
  maxOutputLength: (options) => options.width,
  example: { input: 'a', options: { width: 3 } },
  create: (options) => (value) => (value ?? '').padEnd(options.width, options.fill ?? ' ').slice(0, options.width),
});

export const nested = defineTransformer<{ paths: Record<string, string> }>({
  name: 'test.nested',
  description: 'Reads nested options (test only).',
  options: {
    type: 'object',
    additionalProperties: false,
    required: ['paths'],
    properties: { paths: { type: 'object', additionalProperties: { type: 'string' } } },
  },
  accepts: ['json'],
  injective: false,
  outputsNull: false,
  example: { input: '{}', options: { paths: {} } },
  create: () => (value) => value,
});

/** Unique only when asked (`unique: true`), like a pseudonym pool that detects collisions. */
export const pool = defineTransformer<{ size?: number }>({
  name: 'test.pool',
  description: 'A pool of pseudonyms (test only).',
  options: { type: 'object', additionalProperties: false, properties: { size: { type: 'integer', minimum: 1 } } },
  accepts: ['text', 'integer'],
  injective: false,
  enforcesUnique: true,
  outputsNull: false,
  example: { input: 'a' },
  create: () => (value) => value,
} as Parameters<typeof defineTransformer<{ size?: number }>>[0]);

/** Injective depending on its options; may output NULL depending on its options; reads another column. */
export const derived = defineTransformer<{ from?: string; lossy?: boolean; nullable?: boolean }>({
  name: 'test.derived',
  description: 'Derives a value from another column (test only).',
  options: {
    type: 'object',
    additionalProperties: false,
    properties: { from: { type: 'string' }, lossy: { type: 'boolean' }, nullable: { type: 'boolean' } },
  },
  accepts: 'any',
  injective: (options) => options.lossy !== true,
  outputsNull: (options) => options.nullable === true,
  reads: (options) => (options.from ? [options.from] : []),
  example: { input: 'a' },
  create: () => (value) => value,
});

/** An option whose allowed values depend on another option (`if`/`then`/`else`), like se.personnummer's keep_birth on pool. */
export const modal = defineTransformer<{ mode?: 'loose' | 'strict'; level?: 'low' | 'mid' | 'high' | 'max' }>({
  name: 'test.modal',
  description: 'Options that narrow each other (test only).',
  options: {
    type: 'object',
    additionalProperties: false,
    properties: { mode: { enum: ['loose', 'strict'], default: 'loose' }, level: { enum: ['low', 'mid', 'high', 'max'] } },
    if: { properties: { mode: { const: 'strict' } }, required: ['mode'] },
    then: { properties: { level: { enum: ['mid', 'high', 'max'] } } },
    else: { properties: { level: { enum: ['low', 'mid', 'high'] } } },
  },
  accepts: 'any',
  injective: false,
  outputsNull: false,
  example: { input: 'a' },
  create: () => (value) => value,
});

/** keep, null and the test transformers above. */
export const testTransformers: readonly AnyTransformer[] = [keep, nullTransformer, pad, nested, pool, derived, modal];
