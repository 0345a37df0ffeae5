import { localeData } from '../random/faker.js';
import { KeyedRandom } from '../random/keyed-random.js';
import { defineTransformer } from './transformer.js';

/** Lorem ipsum of about the input's length (never longer), line breaks kept. */
export const textLorem = defineTransformer<Record<string, never>>({
  name: 'text.lorem',
  description:
    "Replaces text with lorem ipsum words (faker's list) of about the same length, never longer, so it fits where the original fit; line breaks are kept. The same text always gets the same words.",
  options: { type: 'object', additionalProperties: false, properties: {} },
  accepts: ['text'],
  injective: false,
  outputsNull: false,
  keepsEmpty: true,
  maxOutputLength: (_o, column) => column.maxLength,
  example: { input: 'Ring kunden om fakturan.' },
  create(_options, context) {
    const prf = context.prf('text.lorem');
    const words = localeData.loremWords;
    const random = new KeyedRandom();
    const line = (length: number): string => {
      let out = '';
      while (out.length < length) {
        const word = words[random.int(words.length)]!;
        out += out === '' ? word.charAt(0).toUpperCase() + word.slice(1) : ` ${word}`;
      }
      out = out.slice(0, length).trimEnd();
      return length > 1 && out.length === length ? `${out.slice(0, -1)}.` : out;
    };
    return (value) => {
      const text = value!;
      random.reseed(prf.hash(text));
      // Characters, not UTF-16 units, so the output is never longer than the input in PostgreSQL's count.
      return text
        .split('\n')
        .map((part) => line([...part].length))
        .join('\n');
    };
  },
});
