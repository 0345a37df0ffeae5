import { formatOrganisationsnummer, isLegalEntity, maskLegalEntity, parseOrganisationsnummer } from '../se/organisationsnummer.js';
import { type IdentityOptions, identityMasker, identityOptionsSchema } from './helpers/identity-masker.js';
import { claimUnique, uniqueState } from './helpers/unique.js';
import { defineTransformer } from './transformer.js';

interface OrganisationsnummerOptions {
  readonly personnummer?: IdentityOptions;
}

/** A Swedish organisationsnummer becomes another of the same legal form. */
export const seOrganisationsnummer = defineTransformer<OrganisationsnummerOptions>({
  name: 'se.organisationsnummer',
  description:
    "Replaces an organisationsnummer with another of the same legal form: the group digit (first digit) is kept, the third digit stays ≥ 2, the Luhn digit is right, the form (`-`, the `16` prefix) is kept. A keyed bijection: distinct numbers stay distinct. A sole trader's number is a personnummer and is masked as se.personnummer masks it (options in `personnummer:`).",
  options: {
    type: 'object',
    additionalProperties: false,
    properties: {
      personnummer: { ...identityOptionsSchema, description: "Options for sole traders' numbers, as se.personnummer takes them." },
    },
  },
  accepts: ['text', 'integer', 'numeric'],
  injective: false,
  enforcesUnique: true,
  outputsNull: false,
  keepsEmpty: true,
  maxOutputLength: () => 13,
  example: { input: '556036-0793' },
  create(options, context) {
    const prf = context.prf('se.organisationsnummer');
    let person: ((value: string | null) => string | null) | undefined;
    const personOf = (value: string): string => (person ??= identityMasker(context, options.personnummer ?? {}))(value)!;
    const mask = (value: string, attempt = 0): string => {
      const parsed = parseOrganisationsnummer(value);
      if (parsed && isLegalEntity(parsed.ten)) {
        // A later attempt (unique: true) moves the input's middle digits on before permuting.
        const ten = attempt === 0 ? parsed.ten : `${parsed.ten.slice(0, 3)}${String((Number(parsed.ten.slice(3, 9)) + attempt) % 1_000_000).padStart(6, '0')}0`;
        return formatOrganisationsnummer(maskLegalEntity(prf, ten), parsed);
      }
      if (parsed?.prefixed) {
        // 16 + a personnummer's 10 digits: mask the personnummer, keep the prefix.
        return formatOrganisationsnummer(personOf(`${parsed.ten.slice(0, 6)}-${parsed.ten.slice(6)}`).replace(/[-+]/, ''), parsed);
      }
      if (value === '') return '';
      if (parsed || /^\d{8}-?\d{4}$|^\d{6}[-+]\d{4}$/.test(value)) return personOf(value);
      // Neither shape: a keyed aktiebolag-shaped number in the dashed form.
      const h = prf.hash(value);
      const ten = maskLegalEntity(prf, `55${2 + (h[0] % 8)}${String(h[1] % 1_000_000).padStart(6, '0')}0`);
      return formatOrganisationsnummer(ten, { prefixed: false, dash: true });
    };
    if (!context.unique) return (value) => mask(value!);
    const state = uniqueState(context, 'se.organisationsnummer');
    return (value) => claimUnique(state, value!, (attempt) => (attempt < 100 ? mask(value!, attempt) : undefined), context, 'se.organisationsnummer: no free number');
  },
});
