import { IDENTITY_MAX_LENGTH, type IdentityOptions, identityMasker, identityOptionsSchema } from './helpers/identity-masker.js';
import { defineTransformer } from './transformer.js';

/** A Swedish personnummer becomes one of Skatteverket's test personnummer (or a synthetic one). */
export const sePersonnummer = defineTransformer<IdentityOptions>({
  name: 'se.personnummer',
  description:
    "Replaces a personnummer with one of Skatteverket's official test personnummer (a samordningsnummer with a test samordningsnummer), written in the input's form (10 or 12 digits, with `-`, `+` or none). By default keeps the sex and a realistic age: an adult stays an adult and a minor a minor (under 18 on the day of the run; 100 and over likewise), born in the same decade as far as the test list allows (`keep_birth: age`; `none`, `decade` or `year` otherwise). Values that fail the Luhn or date check are replaced too. `unique: true` makes the mapping injective within a run (an input whose pseudonym another input already holds gets the next free one, so which of the two keeps the first choice follows the order rows arrive in). `pool: synthetic` is a keyed, format-preserving bijection that is unique by construction but may produce real people's numbers (the run report warns).",
  options: identityOptionsSchema,
  accepts: ['text', 'integer', 'numeric'],
  injective: (o) => o.pool === 'synthetic',
  enforcesUnique: true,
  outputsNull: false,
  inText: 'identity',
  keepsEmpty: true,
  maxOutputLength: () => IDENTITY_MAX_LENGTH,
  example: { input: '811218-9876' },
  create: (options, context) => identityMasker(context, options),
});
