import { IDENTITY_MAX_LENGTH, type IdentityOptions, identityMasker, identityOptionsSchema } from './helpers/identity-masker.js';
import { defineTransformer } from './transformer.js';

/** A samordningsnummer becomes one of Skatteverket's test samordningsnummer. */
export const seSamordningsnummer = defineTransformer<IdentityOptions>({
  name: 'se.samordningsnummer',
  description:
    "Replaces a samordningsnummer (birth day + 60) with one of Skatteverket's official test samordningsnummer, in the input's form. Any input, a personnummer too, becomes a samordningsnummer; the same number masks alike here and in se.personnummer. Options as se.personnummer; by default an adult stays an adult and a minor a minor.",
  options: identityOptionsSchema,
  accepts: ['text', 'integer', 'numeric'],
  injective: (o) => o.pool === 'synthetic',
  enforcesUnique: true,
  outputsNull: false,
  inText: 'identity',
  keepsEmpty: true,
  maxOutputLength: () => IDENTITY_MAX_LENGTH,
  example: { input: '701063-2391' },
  create: (options, context) => identityMasker(context, options, 'samordningsnummer'),
});
