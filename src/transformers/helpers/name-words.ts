/**
 * Word lists that steer finding person names in free text (see name-findings.ts), lower case.
 * The name dictionaries themselves are faker's sv and en lists (`localeData.names`).
 */

const words = (text: string): ReadonlySet<string> => new Set(text.trim().split(/\s+/));

/**
 * Names that are also common words in English or Swedish (`Will`, `Grant`, `Hope`, `Brown`, `Berg`,
 * `Bo`): alone at the start of a sentence such a word is taken for the word, not a name.
 */
export const COMMON_WORD_NAMES = words(`
  al amber angel art autumn baby bell berry bill billie bishop black bo bob bonnie brandy brook brooks brown
  buck bud buddy candy carol chance charity chase cherry clay cole colt crystal daisy dale dawn dean dee
  destiny diamond dixie doll dolly don dove drake drew duke dusty earl else era faith fay fern fisher
  forest frank general german ginger glen golden grace grant gray green grey guy hand hardy harmony haven
  hazel heath heather heaven herb hill hills holly honey hope hunter iris ivory ivy jack jade jewel joy judge
  junior justice kitty lacy lake lane laurel lily little long love lucky luna major mark marks mason
  matt max melody merry miles mills miracle misty moss name nick noble nova olive opal pat patience pearl
  penny pierce pink porter precious price prince princess queen ray reed rice rich river robin rock rocky
  rose rosemary royal ruby rusty sage sandy savanna serenity shields sierra sincere sister sky stone storm
  sue summer sunny swift tan toy trace trinity troy true turner unique urban valentine van violet walker ward
  waters west white will willow wolf wood young
  berg björk blom dahl ek falk holm lind lund ström gun sten per hans
`);

/** Capitalised words that are not names even where the name lists hold them: calendar words, places, brands. */
export const NOT_NAMES = words(`
  january february march april may june july august september october november december
  monday tuesday wednesday thursday friday saturday sunday christmas easter
  sverige norge danmark finland england europa stockholm göteborg malmö uppsala lund umeå paris london berlin
  jordan georgia india china israel sydney dallas houston boston chelsea
  volvo saab scania ikea ericsson klarna spotify tesla ford mercedes porsche audi toyota apple google microsoft
  amazon android iphone windows excel teams zoom visa mastercard swish bankid postnord dhl ups
  dell philips sonos bose siemens bosch miele electrolux husqvarna samsung sony canon nikon adobe oracle cisco
  lenovo asus acer logitech jabra marshall dustin elgiganten telia telenor comviq skanska peab sandvik
`);

/** Companies named like people (`Clas Ohlson`): not a name, whole. */
export const COMPANY_NAMES: readonly string[] = ['clas ohlson', 'martin & servera', 'max hamburgare', 'hennes & mauritz', 'johnson & johnson', 'procter & gamble'];

/** Month abbreviations that are also names (`Jan 2025`): before a number, a date. */
export const MONTH_ABBREVIATIONS = words(`
  jan mar may june july aug sept
`);

/** Words before a name that make the next capitalised word a name: titles, greetings, sign-offs. */
export const TITLES = words(`
  herr hr fru fröken frk doktor dr mr mrs ms miss mister madam sir prof professor
`);

/** Greetings: a capitalised word after one on the same line is a name (`Hej Sigrid,`, `Dear Mr Smith`). */
export const GREETINGS = words(`
  hej hejsan hallå tja hi hello hey dear
`);

/** Sign-offs: a capitalised word after one is a name (`Mvh Sigrid`); on the next line only a known one (`Regards,` / `Anna`, not `Customer Support`). */
export const SIGN_OFFS = words(`
  mvh vh hälsningar hälsning tack regards cheers sincerely thanks
`);

/** Words that follow a greeting without being a name. */
export const NOT_AFTER_GREETING = words(`
  alla allihop team teamet support kundtjänst kund kunden all everyone there team guys folks sir madam again
  och and igen på från med för till for from with on in i
`);

/**
 * Endings of Swedish family names (`-sson`, `-berg`, `-qvist`…): an unknown capitalised word
 * with one, next to a name, is taken for a family name.
 */
export const FAMILY_NAME_ENDING = /(?:son|berg|ström|qvist|kvist|gren|lund|holm|dahl|blad|stedt|ander|lind|fors|borg|bäck|sjö|ell|ius)$/;
