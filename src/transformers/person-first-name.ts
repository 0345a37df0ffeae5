import { localeData } from '../random/faker.js';
import { sexFromRow } from './helpers/sex-from.js';
import { defineTransformer } from './transformer.js';

interface FirstNameOptions {
  readonly sex_from?: string;
  readonly sex?: 'female' | 'male';
}

const longest = (names: readonly string[]): number => names.reduce((m, n) => Math.max(m, n.length), 0);
const allFirstNames: readonly string[] = [...localeData.firstNames.female, ...localeData.firstNames.male];

/** The longest first name pgmask may write. */
export const FIRST_NAME_MAX = longest(allFirstNames);

/** A first-name picker shared by person.first_name and person.full_name. */
export function firstNamePicker(pick: (value: string, n: number) => number): (value: string, sex: 'female' | 'male' | undefined) => string {
  const { female, male } = localeData.firstNames;
  return (value, sex) => {
    const list = sex === 'female' ? female : sex === 'male' ? male : allFirstNames;
    return list[pick(value, list.length)]!;
  };
}

export const sexOptions = {
  sex_from: { type: 'string', minLength: 1, description: 'A column of the same row holding a personnummer: the name follows its (masked) sex.' },
  sex: { enum: ['female', 'male'], description: 'Always pick names of this sex.' },
} as const;

/** A Swedish first name chosen by the key from faker's sv lists (by sex when known). */
export const personFirstName = defineTransformer<FirstNameOptions>({
  name: 'person.first_name',
  description:
    "A Swedish first name from faker's sv lists, chosen by the key: the same name always becomes the same pseudonym. With `sex_from:` the name follows the sex of the row's masked personnummer.",
  options: { type: 'object', additionalProperties: false, properties: sexOptions },
  accepts: ['text'],
  injective: false,
  outputsNull: false,
  inText: 'first_name',
  keepsEmpty: true,
  maxOutputLength: () => FIRST_NAME_MAX,
  reads: (o) => (o.sex_from ? [o.sex_from] : []),
  example: { input: 'Karin' },
  create(options, context) {
    const prf = context.prf('person.first_name');
    const pick = firstNamePicker((v, n) => prf.pick(v, n));
    const from = options.sex_from;
    if (from) return (value, row) => pick(value!, sexFromRow(row, from) ?? options.sex);
    const sex = options.sex;
    return (value) => pick(value!, sex);
  },
});
