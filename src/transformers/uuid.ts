import { hex64 } from '../random/prf.js';
import { claimUnique, uniqueState } from './helpers/unique.js';
import { defineTransformer } from './transformer.js';

/** A keyed UUID of version-4 shape: same input, same UUID. */
export const uuid = defineTransformer<Record<string, never>>({
  name: 'uuid',
  description: 'A keyed UUID in version-4 shape (122 pseudorandom bits): the same input always gives the same UUID, so foreign keys that hold it still join.',
  options: { type: 'object', additionalProperties: false, properties: {} },
  accepts: ['uuid', 'text'],
  injective: true,
  enforcesUnique: true,
  outputsNull: false,
  keepsEmpty: true,
  maxOutputLength: () => 36,
  example: { input: '4f1c2a9e-8d3b-4c7a-9e2f-1b6d5a0c3e7f' },
  create(_options, context) {
    const prf = context.prf('uuid');
    const make = (value: string, attempt: number): string => {
      const a = hex64(prf.hashWith(value, attempt * 2));
      const b = hex64(prf.hashWith(value, attempt * 2 + 1));
      const variant = '89ab'[parseInt(b[0]!, 16) & 3]!;
      return `${a.slice(0, 8)}-${a.slice(8, 12)}-4${a.slice(13, 16)}-${variant}${b.slice(1, 4)}-${b.slice(4, 16)}`;
    };
    // A uuid column's text form is lower case; the same UUID in upper case is the same value.
    const key = (value: string): string => (context.column.family === 'uuid' ? value.toLowerCase() : value);
    if (!context.unique) return (value) => make(key(value!), 0);
    const state = uniqueState(context, 'uuid', '', true);
    return (value) => claimUnique(state, key(value!), (attempt) => (attempt < 100 ? make(key(value!), attempt) : undefined), context, 'uuid: no free UUID');
  },
});
