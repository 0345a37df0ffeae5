import { sexFromRow } from './helpers/sex-from.js';
import { FIRST_NAME_MAX, firstNamePicker, sexOptions } from './person-first-name.js';
import { LAST_NAME_MAX, lastNamePicker } from './person-last-name.js';
import { defineTransformer } from './transformer.js';

interface FullNameOptions {
  readonly sex_from?: string;
  readonly sex?: 'female' | 'male';
}

/** "First Last": the first word masked as person.first_name, the rest as person.last_name, so columns agree. */
export const personFullName = defineTransformer<FullNameOptions>({
  name: 'person.full_name',
  description:
    'A Swedish "First Last" name. The first word is masked as person.first_name and the rest as person.last_name would mask it, so a full-name column agrees with separate name columns of the same person.',
  options: { type: 'object', additionalProperties: false, properties: sexOptions },
  accepts: ['text'],
  injective: false,
  outputsNull: false,
  inText: 'full_name',
  keepsEmpty: true,
  maxOutputLength: () => FIRST_NAME_MAX + 1 + LAST_NAME_MAX,
  reads: (o) => (o.sex_from ? [o.sex_from] : []),
  example: { input: 'Karin Andersson' },
  create(options, context) {
    const firstPrf = context.prf('person.first_name');
    const lastPrf = context.prf('person.last_name');
    const first = firstNamePicker((v, n) => firstPrf.pick(v, n));
    const last = lastNamePicker((v, n) => lastPrf.pick(v, n));
    const from = options.sex_from;
    return (value, row) => {
      const text = value!.trim();
      const space = text.search(/\s/);
      const given = space < 0 ? text : text.slice(0, space);
      const family = space < 0 ? text : text.slice(space).trim();
      const sex = (from ? sexFromRow(row, from) : undefined) ?? options.sex;
      return `${first(given, sex)} ${last(family)}`;
    };
  },
});
