/**
 * Whether a column looks like free text written by people (notes, comments, message bodies):
 * the kind of column that holds names, phone numbers and e-mail addresses nobody planned for.
 * Used to warn about such columns when they are copied unchanged (`keep`).
 */
import type { Column } from './types.js';

/** Longest varchar(n)/char(n) that does not count as free text by its type alone. */
export const SHORT_TEXT_LIMIT = 100;

/** Why a column looks like free text. */
export interface FreeTextSigns {
  /** The word of the column name that says free text (`notes` in `customer_notes`), if any. */
  readonly word?: string;
  /** True when the type holds long text: text, citext, varchar without a limit or over `SHORT_TEXT_LIMIT`. */
  readonly longText: boolean;
}

/** English words that name free text, as a whole word part of the name. */
const ENGLISH = new Set([
  'note',
  'notes',
  'comment',
  'comments',
  'description',
  'descriptions',
  'desc',
  'descr',
  'body',
  'message',
  'messages',
  'msg',
  'remark',
  'remarks',
  'memo',
  'annotation',
  'annotations',
]);

/**
 * Swedish words that name free text, also as the last part of a compound (`kundkommentar`),
 * with plural and definite endings and a trailing `text`/`fält` (`anteckningstext`).
 */
const SWEDISH = /(?:anteckning|kommentar|beskrivning|meddelande|notering|fritext|övrigt|ovrigt)(?:ar|arna|en|er|erna|n|na|t)?(?:s?(?:text|txt|fält|falt))?$/;

/** Words after the free-text word that still name the text itself (`description_text`, `body_html`). */
const FORM = new Set(['text', 'txt', 'html', 'md', 'markdown', 'plain', 'plaintext', 'raw', 'rich', 'richtext', 'json', 'jsonb', 'content', 'field', 'fält', 'falt']);

/**
 * Last words that make a column a code or an identifier rather than prose (`message_id`,
 * `country_code`, `status`): such a column is not free text by its type alone.
 */
const CODE = new Set([
  'id',
  'ids',
  'uuid',
  'guid',
  'key',
  'keys',
  'code',
  'codes',
  'kod',
  'type',
  'typ',
  'kind',
  'status',
  'state',
  'hash',
  'checksum',
  'slug',
  'sku',
  'currency',
  'locale',
  'lang',
  'language',
  'format',
  'version',
  'unit',
  'number',
  'num',
  'nr',
  'nummer',
]);

/** Types of the text family that never hold prose: `name` (63 bytes, identifiers) and `"char"` (one byte). */
const NOT_PROSE = new Set(['name', '"char"']);

/**
 * The word parts of a column name, lower case: split at anything that is not a letter or digit,
 * at a lower-to-upper case change (`ticketBody`), before the last capital of a run of capitals
 * (`HTMLBody`) and between letters and digits (`notes2`).
 *
 * @example
 * nameWords('customerNotes_2') // ['customer', 'notes', '2']
 */
export function nameWords(name: string): string[] {
  return name
    .replace(/(?<=\p{Ll})(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})|(?<=\p{L})(?=\p{N})|(?<=\p{N})(?=\p{L})/gu, ' ')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
}

/**
 * The word that names a column as free text, or undefined. The name's last word decides, after
 * dropping digits and words that only say the text's form (`text`, `html`): `customer_notes`,
 * `ticketBody`, `Kommentar`, `kundkommentar` and `description_text` name free text;
 * `message_id`, `body_length`, `description_code` and `note_count` name something about it.
 */
export function freeTextWord(name: string): string | undefined {
  const words = nameWords(name);
  let last = words.length - 1;
  while (last > 0 && (FORM.has(words[last]!) || /^\p{N}+$/u.test(words[last]!))) last--;
  const word = words[last];
  if (word === undefined) return undefined;
  return ENGLISH.has(word) || SWEDISH.test(word) ? word : undefined;
}

/**
 * Whether a column looks like free text, and why; undefined when it does not. Only columns that
 * can hold text count (text family, json and arrays of them); json counts by its name alone,
 * since most json holds structured data that the `json` transformer masks by path.
 *
 * - By name: the name's last word is note(s), comment(s), description, body, message, remark(s),
 *   memo, anteckning(ar), kommentar(er), beskrivning, meddelande, notering, fritext or övrigt
 *   (see `freeTextWord`).
 * - By type: text, citext, varchar without a limit or varchar(n)/char(n) over
 *   `SHORT_TEXT_LIMIT`, unless the name ends in a word that makes it a code or identifier
 *   (`id`, `code`, `status`, `type`, `number`, …).
 */
export function freeTextSigns(column: Pick<Column, 'name' | 'family' | 'elementFamily' | 'baseType' | 'maxLength'>): FreeTextSigns | undefined {
  const family = column.family === 'array' ? column.elementFamily : column.family;
  if (family !== 'text' && family !== 'json') return undefined;
  const word = freeTextWord(column.name);
  const words = nameWords(column.name);
  const longText =
    column.family === 'text' &&
    !NOT_PROSE.has(column.baseType) &&
    (column.maxLength === undefined || column.maxLength > SHORT_TEXT_LIMIT) &&
    !CODE.has(words[words.length - 1] ?? '');
  if (word === undefined && !longText) return undefined;
  return word === undefined ? { longText } : { word, longText };
}
