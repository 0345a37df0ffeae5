/**
 * SQL expressions of a synthetic person, all following from one bigint expression `g` (a row
 * number), so a build is the same every time. E-mail addresses end in `@mailN.se`: a target that
 * still holds one in a masked column was not masked.
 */
import { arr, CITIES, FIRST, fold, LAST, STREETS } from './sample-words.js';

const pick = (values: readonly string[], index: string): string => `(${arr(values)})[1 + (${index}) % ${values.length}]`;

/** A first name. */
export const firstName = (g: string): string => pick(FIRST, `(${g}) * 7`);
/** A family name. */
export const lastName = (g: string): string => pick(LAST, `(${g}) / 3`);
/** A unique e-mail address per `g` and `tag` (`tag` a few ASCII letters). */
export const email = (g: string, tag = ''): string =>
  `${pick(FIRST.map(fold), `(${g}) * 7`)} || '.' || ${pick(LAST.map(fold), `(${g}) / 3`)} || '.${tag}' || (${g}) || '@mail' || ((${g}) % 7) || '.se'`;
/** A Swedish mobile number, `070-123 45 67`. */
export const phone = (g: string): string =>
  `'070-' || lpad((((${g}) * 7919) % 1000)::text, 3, '0') || ' ' || lpad(((${g}) % 100)::text, 2, '0') || ' ' || lpad((((${g}) / 100) % 100)::text, 2, '0')`;
/** A street address, `Storgatan 12`. */
export const street = (g: string): string => `${pick(STREETS, `(${g}) * 13`)} || ' ' || (1 + (${g}) % 80)`;
/** A city. */
export const city = (g: string): string => pick(CITIES, `(${g}) * 11`);
/** A timestamp in 2020–2024. */
export const timestamp = (g: string): string => `timestamptz '2020-01-01 00:00:00+00' + ((${g}) % 1500) * interval '1 day' + ((${g}) % 86400) * interval '1 second'`;
/** A note as people write them: a name, a phone number or an e-mail address in a sentence; NULL for every tenth. */
export const note = (g: string): string =>
  `CASE WHEN (${g}) % 10 = 0 THEN NULL
        WHEN (${g}) % 2 = 0 THEN 'Ringde ' || ${firstName(g)} || ' ' || ${lastName(g)} || ' på ' || ${phone(g)} || E'.\\nVill ha faktura per post.'
        ELSE 'Föredrar e-post: ' || ${email(g)} || '. Kund sedan ' || (2000 + (${g}) % 24) || '.' END`;
/** A line of text without anything personal in it. */
export const plainText = (g: string): string =>
  `${pick(['Levererad', 'Väntar på lager', 'Ny rutin från och med mars', 'Shipped in two parcels', 'See attached terms', 'Återkommer efter semestern'], g)} || ' (#' || (${g}) || ')'`;
/** A choice of `values` by `g`. */
export const choice = (values: readonly string[], g: string): string => pick(values, g);
