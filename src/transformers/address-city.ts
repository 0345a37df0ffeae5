import { keyedFaker } from './helpers/keyed-faker.js';
import { defineTransformer } from './transformer.js';

/** A Swedish-looking town name (faker's sv patterns). */
export const addressCity = defineTransformer<Record<string, never>>({
  name: 'address.city',
  description: "A Swedish-looking town name from faker's sv patterns (a prefix and a suffix, such as Kungsholm), chosen by the key.",
  options: { type: 'object', additionalProperties: false, properties: {} },
  accepts: ['text'],
  injective: false,
  outputsNull: false,
  keepsEmpty: true,
  maxOutputLength: () => 20,
  example: { input: 'Göteborg' },
  create(_options, context) {
    const prf = context.prf('address.city');
    const { faker, random } = keyedFaker(context);
    return (value) => {
      random.reseed(prf.hash(value!));
      return faker.location.city();
    };
  },
});
