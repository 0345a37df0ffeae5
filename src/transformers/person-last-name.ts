import { localeData } from '../random/faker.js';
import { defineTransformer } from './transformer.js';

/** The longest last name pgmask may write. */
export const LAST_NAME_MAX = localeData.lastNames.reduce((m, n) => Math.max(m, n.length), 0);

/** A last-name picker shared by person.last_name and person.full_name. */
export function lastNamePicker(pick: (value: string, n: number) => number): (value: string) => string {
  const names = localeData.lastNames;
  return (value) => names[pick(value, names.length)]!;
}

/** A Swedish last name chosen by the key. */
export const personLastName = defineTransformer<Record<string, never>>({
  name: 'person.last_name',
  description: "A Swedish last name from faker's sv list, chosen by the key: the same name always becomes the same pseudonym.",
  options: { type: 'object', additionalProperties: false, properties: {} },
  accepts: ['text'],
  injective: false,
  outputsNull: false,
  inText: 'last_name',
  keepsEmpty: true,
  maxOutputLength: () => LAST_NAME_MAX,
  example: { input: 'Andersson' },
  create(_options, context) {
    const prf = context.prf('person.last_name');
    const pick = lastNamePicker((v, n) => prf.pick(v, n));
    return (value) => pick(value!);
  },
});
