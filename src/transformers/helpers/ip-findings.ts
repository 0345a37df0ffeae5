import { parseIpv4, parseIpv6 } from '../codecs/inet.js';
import { isWordChar } from './word-char.js';

/** Words after which a dotted quad is a version or section number, not an address (`version 1.2.3.4`, `v1.2.0.0`, `§ 4.1.2.3`). */
const NUMBERING_BEFORE = /(?:\b(?:v|ver|version|versions|release|rel|build|firmware|fw|section|sect|chapter|kapitel|avsnitt|punkt|paragraph|para)\.?:?[-\s]*|§\s*)$/i;

/** Eight groups of exactly two hex digits: an EUI-64 (macaddr8), not an IPv6 address. */
const EUI64 = /^[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){7}$/;

/** A valid dotted quad as free text writes an address: its first part has no leading zero (`070.123.45.67` is a phone number), no numbering word before it. */
function plausibleIpv4(text: string, address: string, at: number): boolean {
  if (address.charCodeAt(0) === 0x30 && address.charCodeAt(1) !== 0x2e) return false;
  return !NUMBERING_BEFORE.test(text.slice(Math.max(0, at - 24), at));
}

/** IPv6 as free text writes it: a decimal digit somewhere (`cafe::babe`, `Foo::Bar` are not addresses), and not an EUI-64. */
function isIpv6(address: string): boolean {
  // Eight groups take seven colons (six before a dotted quad); fewer need `::`. Most runs with a colon are times.
  if (address.indexOf('::') < 0) {
    let colons = 0;
    for (let at = address.indexOf(':'); at >= 0; at = address.indexOf(':', at + 1)) colons++;
    if (colons < 6) return false;
  }
  return parseIpv6(address) !== undefined && /\d/.test(address) && !EUI64.test(address);
}

/**
 * Replaces every IPv4 and IPv6 address in free text with `replace(address)`, the rest of the
 * text kept. An address stands apart from letters, digits and underscores (`v1.2.3.4`,
 * `1.2.3.4.5`, `a1.2.3.4` are not addresses); a dotted quad needs four parts of 0–255
 * (`1.2.3`, `10.0`, `256.1.1.1` are not); IPv6 needs eight groups or one `::` (`12:30:45`, a MAC
 * address `00:1a:2b:3c:4d:5e` are not). Dots and a colon around it (`at 10.0.0.1.`,
 * `IP:10.0.0.1`), a port (`10.0.0.1:8080`), brackets, `/n` and a zone (`%eth0`) stay as written.
 *
 * Only runs of hex digits, dots and colons are read, and only those with a dot between two
 * digits or a colon next to a hex digit or another colon (every address has one): the same
 * result as trying each run, at a fraction of the cost on prose.
 */
export function replaceIpAddresses(text: string, replace: (address: string) => string): string {
  let dot = text.indexOf('.');
  let colon = text.indexOf(':');
  // Pieces joined once: a flat string, which the later passes read faster than a chain of concatenations.
  const out: string[] = [];
  let copied = 0;
  while (dot >= 0 || colon >= 0) {
    const p = dot < 0 ? colon : colon < 0 ? dot : Math.min(dot, colon);
    let next = p + 1;
    if (p === dot ? isDigit(text.charCodeAt(p - 1)) && isDigit(text.charCodeAt(p + 1)) : isRunChar(text.charCodeAt(p - 1)) || isRunChar(text.charCodeAt(p + 1))) {
      let start = p;
      while (start > 0 && isRunChar(text.charCodeAt(start - 1))) start--;
      let end = p + 1;
      while (end < text.length && isRunChar(text.charCodeAt(end))) end++;
      const found = addressInRun(text, start, end);
      if (found !== undefined) {
        out.push(text.slice(copied, start + found.start), replace(found.address));
        copied = start + found.start + found.address.length;
      }
      next = end;
    }
    if (dot >= 0 && dot < next) dot = text.indexOf('.', next);
    if (colon >= 0 && colon < next) colon = text.indexOf(':', next);
  }
  if (copied === 0) return text;
  out.push(text.slice(copied));
  return out.join('');
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
/** A character of the runs addresses are written in: a hex digit, `.` or `:` (NaN, outside the text, is none). */
const isRunChar = (c: number): boolean => (c >= 0x30 && c <= 0x3a) || c === 0x2e || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

/** Hex letters and one colon at the start of a run: a label (`id:10.0.0.1`), tried without them when the whole run is no address. */
const LABEL = /^[A-Fa-f]+:(?!:)/;

/**
 * The address in the run `text[start, end)` of hex digits, dots and colons (with no such character
 * just before or after it), and where it starts in the run; undefined when there is none.
 */
export function addressInRun(text: string, start: number, end: number): { address: string; start: number } | undefined {
  const run = text.slice(start, end);
  return addressIn(text, run, start, 0) ?? (LABEL.test(run) ? addressIn(text, run, start, run.indexOf(':') + 1) : undefined);
}

/** The address in a run (from `from` on), and where it starts in the run. */
function addressIn(text: string, run: string, offset: number, from: number): { address: string; start: number } | undefined {
  let start = from;
  let end = run.length;
  // Sentence dots, an ellipsis, a colon after a label (`IP:10.0.0.1`, `IP:::1`) or before the next words are not part of it.
  while (start < end && run.charCodeAt(start) === 0x2e) start++;
  if (run.charCodeAt(start) === 0x3a && (run.charCodeAt(start + 1) !== 0x3a || run.charCodeAt(start + 2) === 0x3a)) start++;
  while (end > start && run.charCodeAt(end - 1) === 0x2e) end--;
  if (end - start >= 2 && run.charCodeAt(end - 1) === 0x3a && run.charCodeAt(end - 2) !== 0x3a) end--;
  const address = run.slice(start, end);
  let found: string | undefined;
  if (address.indexOf(':') < 0) {
    if (parseIpv4(address) !== undefined) found = address;
  } else if (isIpv6(address)) found = address;
  else {
    // A dotted quad and a port: `10.0.0.1:8080`.
    const colon = address.indexOf(':');
    if (parseIpv4(address, 0, colon) !== undefined && /^:\d{1,5}$/.test(address.slice(colon))) found = address.slice(0, colon);
  }
  if (found === undefined) return undefined;
  if (start === 0 && isWordChar(text.charCodeAt(offset - 1))) return undefined;
  if (end === run.length && isWordChar(text.charCodeAt(offset + run.length))) return undefined;
  if (found.indexOf(':') < 0 && !plausibleIpv4(text, found, offset + start)) return undefined;
  return { address: found, start };
}
