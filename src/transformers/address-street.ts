import { compileBuildingNumber, compileFake } from '../random/faker-pattern.js';
import { endsInHouseNumber } from './helpers/house-number.js';
import { keyedFaker } from './helpers/keyed-faker.js';
import { defineTransformer } from './transformer.js';

interface StreetOptions {
  readonly number?: 'auto' | 'always' | 'never';
}

/** A Swedish street name (faker's sv patterns), with a house number when the input had one. */
export const addressStreet = defineTransformer<StreetOptions>({
  name: 'address.street',
  description:
    "A Swedish-looking street name from faker's sv patterns, chosen by the key (Storgatan 12 → Lundbergs Väg 9). `number: auto` (default) adds a house number when the input ends in one; `always` or `never` decide for every value.",
  options: {
    type: 'object',
    additionalProperties: false,
    properties: { number: { enum: ['auto', 'always', 'never'], default: 'auto', description: 'Whether to add a house number.' } },
  },
  accepts: ['text'],
  injective: false,
  outputsNull: false,
  inText: 'phrase',
  keepsEmpty: true,
  maxOutputLength: () => 40,
  example: { input: 'Drottninggatan 71' },
  create(options, context) {
    const prf = context.prf('address.street');
    const keyed = keyedFaker(context);
    const { faker, random } = keyed;
    const mode = options.number ?? 'auto';
    let seed: readonly [number, number] = [0, 0];
    const streetName = compileFake(
      keyed,
      faker.definitions.location.street_pattern,
      () => random.reseed(seed),
      () => faker.location.street(),
    );
    const buildingNumber = compileBuildingNumber(keyed);
    return (value) => {
      seed = prf.hash(value!);
      random.reseed(seed);
      const street = streetName();
      const withNumber = mode === 'always' || (mode === 'auto' && endsInHouseNumber(value!));
      return withNumber ? `${street} ${buildingNumber()}` : street;
    };
  },
});
