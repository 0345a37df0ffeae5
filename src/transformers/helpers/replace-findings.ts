/** What `text.scrub` looks for. Groups: 1 IBAN, 2 e-mail, 3 personnummer/samordningsnummer, 4 phone. */
export const FINDINGS = new RegExp(
  [
    /\b([A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?)\b/.source,
    /([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/.source,
    /(?<![\d-])((?:1[89]|20)?\d{6}[-+]?\d{4})(?!\d)/.source,
    /(?<![\w+])((?:\+46|0046|0)[ -]?(?:\(0\) ?)?\d{1,3}(?:[ -]?\d){5,8})(?!\d)/.source,
  ].join('|'),
  'g',
);

/** FINDINGS tried at one position only (`lastIndex`); lookbehinds still see the text before it. */
const AT = new RegExp(FINDINGS.source, 'y');

/** Gives the text for one match of FINDINGS, with its groups (undefined when not matched) and its position in the text. */
export type FindingReplacer = (match: string, iban: string | undefined, address: string | undefined, id: string | undefined, tel: string | undefined, at: number) => string;

/** The first digit of a run of digits. */
const DIGIT_RUN = /(?<!\d)\d/g;

const isUpper = (c: number): boolean => c >= 0x41 && c <= 0x5a;
/** A character of an e-mail local part as FINDINGS reads it: `[A-Za-z0-9._%+-]`. */
const isLocal = (c: number): boolean =>
  (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x5f || c === 0x25 || c === 0x2b || c === 0x2d;

/**
 * The first position from `from` on where an IBAN, identity number or phone number may start.
 * Each starts at, or just before, the first digit of a run of digits: an IBAN two upper-case
 * letters before it, a `+46` number one `+` before it, the rest at it. -1 when none.
 */
function nextDigitStart(text: string, from: number): number {
  DIGIT_RUN.lastIndex = from;
  if (!DIGIT_RUN.test(text)) return -1;
  const d = DIGIT_RUN.lastIndex - 1;
  if (d - 2 >= from && isUpper(text.charCodeAt(d - 2)) && isUpper(text.charCodeAt(d - 1))) return d - 2;
  if (d - 1 >= from && text.charCodeAt(d - 1) === 0x2b) return d - 1;
  return d;
}

/** Where the run of local-part characters that ends at `at` (an `@`) starts: `at` when there is none. */
function localRunStart(text: string, at: number): number {
  let s = at;
  while (s > 0 && isLocal(text.charCodeAt(s - 1))) s--;
  return s;
}

/**
 * The same as `text.replace(FINDINGS, replace)`, but FINDINGS is tried only where a match may
 * start: at the positions nextDigitStart gives, and at the first position of the local-part
 * characters before an `@` (when no address starts there, none ending at that `@` starts later
 * either). A match is replaced and the search goes on after it, as `replace` does.
 */
export function replaceFindings(text: string, replace: FindingReplacer): string {
  // Every alternative needs a digit, except the e-mail address, which needs an `@`.
  let digit = nextDigitStart(text, 0);
  // The next `@` an address may end at, and where the local-part characters before it start.
  let mailAt = text.indexOf('@');
  if (digit === -1 && mailAt === -1) return text;
  let mailStart = localRunStart(text, mailAt);
  // Pieces joined once: a flat string, which the later passes read faster than a chain of concatenations.
  const out: string[] = [];
  let copied = 0;
  let from = 0;
  for (;;) {
    // Past an `@` with no local-part characters from `from` on (or ruled out), take the next.
    while (mailAt !== -1 && Math.max(mailStart, from) >= mailAt) {
      mailAt = text.indexOf('@', Math.max(from, mailAt + 1));
      mailStart = localRunStart(text, mailAt);
    }
    const mail = mailAt === -1 ? -1 : Math.max(mailStart, from);
    if (digit !== -1 && digit < from) digit = nextDigitStart(text, from);
    const p = mail === -1 ? digit : digit === -1 ? mail : Math.min(mail, digit);
    if (p === -1) break;
    AT.lastIndex = p;
    const m = AT.exec(text);
    if (m !== null) {
      out.push(text.slice(copied, p), replace(m[0], m[1], m[2], m[3], m[4], p));
      from = p + m[0].length;
      copied = from;
    } else {
      // No address ends at this `@`: rule it out.
      if (p === mail) mailStart = mailAt;
      from = p + 1;
    }
  }
  if (copied === 0) return text;
  out.push(text.slice(copied));
  return out.join('');
}
