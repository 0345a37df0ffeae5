/**
 * IP addresses in PostgreSQL's text forms (inet, cidr): IPv4 as a 32-bit number, IPv6 as a
 * 128-bit bigint, written back as PostgreSQL writes them.
 */

/** An IPv4 address (32 bits) or an IPv6 address (128 bits). */
export type IpAddress = { readonly v6: false; readonly bits: number } | { readonly v6: true; readonly bits: bigint };

/** An inet or cidr value as written: an address and, when written, `/n`. */
export interface InetValue {
  readonly address: IpAddress;
  /** The mask length after `/`, as written; undefined when there is none. */
  readonly mask: number | undefined;
}

/** The top 96 bits of an IPv4-mapped IPv6 address, `::ffff:0:0/96`. */
export const MAPPED_PREFIX = 0xffffn << 32n;
const LOW_32 = 0xffffffffn;
const ALL_128 = (1n << 128n) - 1n;

/** Whether an IPv6 address is IPv4-mapped (`::ffff:a.b.c.d`). */
export function isMapped(bits: bigint): boolean {
  return bits >> 32n === 0xffffn;
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** A hex digit's value, or -1. */
function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/**
 * A dotted-quad IPv4 address in `text[start, end)`: four parts of 1–3 decimal digits, each at
 * most 255 (leading zeros are decimal, as PostgreSQL reads them). Undefined for anything else.
 */
export function parseIpv4(text: string, start = 0, end = text.length): number | undefined {
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) {
      if (++digits > 3) return undefined;
      part = part * 10 + (c - 0x30);
    } else if (c === 0x2e && digits > 0 && parts < 3) {
      if (part > 255) return undefined;
      value = value * 256 + part;
      parts++;
      part = 0;
      digits = 0;
    } else return undefined;
  }
  if (parts !== 3 || digits === 0 || part > 255) return undefined;
  return value * 256 + part;
}

/**
 * An IPv6 address in `text[start, end)`: eight groups of 1–4 hex digits, or fewer with one
 * `::` standing for the zero groups left out; the last two groups may be written as a dotted
 * quad (`::ffff:192.0.2.1`). Undefined for anything else.
 */
export function parseIpv6(text: string, start = 0, end = text.length): bigint | undefined {
  const groups: number[] = [];
  let gap = -1;
  let i = start;
  if (end - start >= 2 && text.charCodeAt(i) === 0x3a) {
    if (text.charCodeAt(i + 1) !== 0x3a) return undefined;
    gap = 0;
    i += 2;
    if (i === end) return 0n;
  }
  for (;;) {
    // A group, or a dotted quad for the last 32 bits.
    let j = i;
    let value = 0;
    while (j < end && j - i < 5) {
      const h = hexValue(text.charCodeAt(j));
      if (h < 0) break;
      value = value * 16 + h;
      j++;
    }
    if (j < end && text.charCodeAt(j) === 0x2e) {
      let k = j;
      while (k < end && text.charCodeAt(k) !== 0x3a) k++;
      if (k !== end || groups.length > 6) return undefined;
      const v4 = parseIpv4(text, i, end);
      if (v4 === undefined) return undefined;
      groups.push(v4 >>> 16, v4 & 0xffff);
      break;
    }
    if (j === i || j - i > 4) return undefined;
    groups.push(value);
    if (groups.length > 8) return undefined;
    if (j === end) break;
    if (text.charCodeAt(j) !== 0x3a) return undefined;
    if (j + 1 < end && text.charCodeAt(j + 1) === 0x3a) {
      if (gap >= 0) return undefined;
      gap = groups.length;
      i = j + 2;
      if (i === end) break;
    } else {
      i = j + 1;
      if (i === end) return undefined;
    }
  }
  if (gap < 0 ? groups.length !== 8 : groups.length > 7) return undefined;
  let bits = 0n;
  const zeros = 8 - groups.length;
  for (let g = 0; g < groups.length; g++) {
    if (g === gap) bits <<= BigInt(16 * zeros);
    bits = (bits << 16n) | BigInt(groups[g]!);
  }
  if (gap === groups.length) bits <<= BigInt(16 * zeros);
  return bits;
}

/**
 * An inet or cidr value in PostgreSQL's text form: an IPv4 or IPv6 address, then optionally
 * `/n` (n at most 32 or 128). Undefined for anything else (a MAC address, a host name, blanks).
 */
export function parseInet(text: string): InetValue | undefined {
  const slash = text.indexOf('/');
  const end = slash < 0 ? text.length : slash;
  let mask: number | undefined;
  if (slash >= 0) {
    const written = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(written)) return undefined;
    mask = Number(written);
  }
  if (text.indexOf(':') < 0) {
    const bits = parseIpv4(text, 0, end);
    if (bits === undefined || (mask !== undefined && mask > 32)) return undefined;
    return { address: { v6: false, bits }, mask };
  }
  const bits = parseIpv6(text, 0, end);
  if (bits === undefined || (mask !== undefined && mask > 128)) return undefined;
  return { address: { v6: true, bits }, mask };
}

/** `a.b.c.d`. */
export function formatIpv4(bits: number): string {
  return `${bits >>> 24}.${(bits >>> 16) & 0xff}.${(bits >>> 8) & 0xff}.${bits & 0xff}`;
}

/**
 * An IPv6 address as PostgreSQL writes it: lower-case hex without leading zeros, the longest run
 * of two or more zero groups (the first of equals) as `::`, and the last 32 bits as a dotted quad
 * when the address is IPv4-mapped (`::ffff:a.b.c.d`) or IPv4-compatible (`::a.b.c.d`, but `::1`).
 */
export function formatIpv6(bits: bigint): string {
  const words: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) words.push(Number((bits >> shift) & 0xffffn));
  let bestBase = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestBase = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestBase = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      out += formatIpv4(Number(bits & LOW_32));
      return out;
    }
    out += words[i]!.toString(16);
  }
  if (bestBase >= 0 && bestBase + bestLen === 8) out += ':';
  return out;
}

/** An address in PostgreSQL's text form. */
export function formatIp(address: IpAddress): string {
  return address.v6 ? formatIpv6(address.bits) : formatIpv4(address.bits);
}

/** The IPv4 bits with only the first `length` kept (the rest zero). */
export function ipv4Network(bits: number, length: number): number {
  return length === 0 ? 0 : (bits & (0xffffffff << (32 - length))) >>> 0;
}

/** The IPv6 bits with only the first `length` kept (the rest zero). */
export function ipv6Network(bits: bigint, length: number): bigint {
  return bits & (ALL_128 ^ ((1n << BigInt(128 - length)) - 1n));
}
