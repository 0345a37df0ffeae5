/** A house number as written after a Swedish street name: `12`, `5B`, `5 B`, `12-14`, optionally with a flat (`lgh 1102`) or floor (`2 tr`). */
const HOUSE = String.raw`\d{1,4}(?:\s?[A-Za-z](?![\p{L}]))?(?:-\d{1,4})?(?:\s*,?\s*(?:lgh\.?\s*\d{1,4}|\d\s*tr\.?|n\.?b\.?))?`;

/** Words before the street word: `Stora`, `Sankt`, `S:t`, `Drottning`. */
const BEFORE = String.raw`((?:[\p{L}.':-]+\s+){0,3})`;

/** `Storgatan 12`, `Stora gatan 5`, `Kungsgatan 5B`, `Södra vägen 3, lgh 1102`: the suffix ends the street word. */
const SWEDISH = new RegExp(String.raw`^${BEFORE}([\p{L}-]*)(?:gatan|vägen|gränd|torget|backen|stigen|allén|allen|plan|väg|gata|gränden|leden|torg|stig)\s+${HOUSE}$`, 'iu');

const ENGLISH_WORD = String.raw`(?:street|road|avenue|lane|drive|boulevard|st|rd|ave|dr|blvd|ln)\.?`;
/** `12 Main Street`, `221B Baker St.` */
const NUMBER_FIRST = new RegExp(String.raw`^\d{1,5}[A-Za-z]?,?\s+(?:[\p{L}.'-]+\s+){1,3}${ENGLISH_WORD}$`, 'iu');
/** `Main St. 4`, `Baker Street 221B` */
const NUMBER_LAST = new RegExp(String.raw`^(?:[\p{L}.'-]+\s+){1,3}${ENGLISH_WORD}\s+\d{1,5}[A-Za-z]?$`, 'iu');

/** An address's second line alone: a Swedish flat (`lgh 1102`), an English `Apt 4B`, `Suite 200`, `Unit 7`. */
const FLAT = /^(?:lgh\.?|lägenhet|apt\.?|apartment|suite|unit|flat)\s*\d{1,4}[A-Za-z]?$/iu;

/**
 * Whether a trimmed value is a street address: a street word (a Swedish one ending in `gatan`,
 * `vägen`, `gränd`, `torget`, `backen`, `stigen`, `allén`, `plan`, `väg`, `gata`…, or an English
 * `Street`, `Road`, `Avenue`, `Lane`, `St`, `Rd`, `Ave`…) and a house number. `Plan 3` (a floor)
 * is not one: the Swedish street word needs letters before its suffix or a word before it. An
 * address's second line alone (`lgh 1102`, `Apt 4B`) counts too.
 */
export function isStreetAddress(value: string): boolean {
  if (value.length > 80) return false;
  if (FLAT.test(value)) return true;
  const sv = SWEDISH.exec(value);
  if (sv !== null && (sv[1] !== '' || sv[2] !== '')) return true;
  return NUMBER_FIRST.test(value) || NUMBER_LAST.test(value);
}
