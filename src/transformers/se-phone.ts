import type { DomainPrf } from '../random/prf.js';
import { formatSwedishPhone, PTS_FIXED, PTS_MOBILE, parseSwedishPhone, reservedNumbers, type SwedishPhone } from '../se/phone.js';
import { maskPhoneDigits } from './phone.js';
import { defineTransformer } from './transformer.js';

/**
 * The reserved number a parsed Swedish number becomes, written in its style: a mobile number
 * one of PTS_MOBILE, a fixed one one of PTS_FIXED, picked by the `se.phone` PRF from its
 * national significant number. `text.scrub` uses it for the numbers it finds.
 */
export function swedishPhonePseudonym(prf: DomainPrf): (phone: SwedishPhone) => string {
  const mobile = reservedNumbers(PTS_MOBILE);
  const fixed = reservedNumbers(PTS_FIXED);
  return (phone) => {
    const pool = phone.mobile ? mobile : fixed;
    const chosen = pool[prf.pick(phone.nsn, pool.length)]!;
    return formatSwedishPhone(chosen.area, chosen.subscriber, chosen.groups, phone.style);
  };
}

/** A Swedish phone number becomes one of PTS's numbers reserved for fiction, in the input's format. */
export const sePhone = defineTransformer<Record<string, never>>({
  name: 'se.phone',
  description:
    'Replaces a Swedish phone number with one PTS reserves for fiction: a mobile number becomes one of 070-174 06 05…99, a fixed one becomes one of 031-390 06 00…99, 040-628 04 00…99, 08-465 004 00…99 or 0980-319 200…299. The format is kept (`+46 70…`, `0046…`, `070-…`, spaces or none). A number that is not Swedish is masked as `phone` masks it.',
  options: { type: 'object', additionalProperties: false, properties: {} },
  accepts: ['text'],
  injective: false,
  outputsNull: false,
  inText: 'phone',
  keepsEmpty: true,
  // A Swedish number comes out in at most 20 characters; anything else keeps its length (as `phone`).
  maxOutputLength: (_o, column) => (column.maxLength === undefined ? undefined : Math.max(column.maxLength, 20)),
  example: { input: '+46 70 123 45 67' },
  create(_options, context) {
    const pseudonym = swedishPhonePseudonym(context.prf('se.phone'));
    const foreign = context.prf('phone');
    return (value) => {
      const parsed = parseSwedishPhone(value!);
      return parsed ? pseudonym(parsed) : maskPhoneDigits(foreign, value!);
    };
  },
});
