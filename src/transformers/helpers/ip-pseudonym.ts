import { permute } from '../../random/permutation.js';
import { type DomainPrf, pickFrom } from '../../random/prf.js';
import { permuteWide } from '../../random/wide-permutation.js';
import { type InetValue, type IpAddress, ipv4Network, ipv6Network, isMapped, MAPPED_PREFIX } from '../codecs/inet.js';

/** Prefix lengths to keep, per address family; a family left out gets documentation addresses. */
export interface KeepPrefix {
  readonly v4?: number;
  readonly v6?: number;
}

/** The IPv4 documentation networks of RFC 5737: 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24. */
const DOCUMENTATION_V4 = [0xc0000200, 0xc6336400, 0xcb007100] as const;
/** Addresses in the IPv4 documentation networks. */
export const DOCUMENTATION_V4_SIZE = 768;
/** The IPv6 documentation prefix of RFC 3849, 2001:db8::/32. */
const DOCUMENTATION_V6 = 0x20010db8n << 96n;
const LOW_32 = 0xffffffffn;

/** Attempts `unique: true` may make for one value before it gives up (IPv6 documentation addresses, walks of a kept prefix). */
const MAX_ATTEMPTS = 1000;

/**
 * The keyed pseudonym of an inet or cidr value (attempt 0), or another candidate for
 * `unique: true` (attempts 1, 2, …; undefined when there is none left). The family is kept, an
 * IPv4-mapped IPv6 address is masked as its IPv4 address is and stays mapped, and a value written
 * with `/n` whose host bits are all zero (every cidr value) stays a network of that length, its
 * host bits zero. The mask length itself is the caller's to keep.
 *
 * Without a kept prefix an address becomes one from the documentation ranges (IPv4: one of 768,
 * picked by the PRF; IPv6: 2001:db8::/32 and 96 keyed bits). With `keep.v4`/`keep.v6` = k, the
 * first k bits stay and the bits after them (up to the network's length) go through a keyed
 * permutation chosen by the kept prefix: distinct addresses stay distinct.
 */
export function ipPseudonym(prf: DomainPrf, keep: KeepPrefix): (value: InetValue, attempt: number) => IpAddress | undefined {
  /** A documentation address for an IPv4 address: index attempt 0 by the PRF, then every other one in a keyed order. */
  const documentationV4 = (bits: number, attempt: number): number | undefined => {
    if (attempt >= DOCUMENTATION_V4_SIZE) return undefined;
    const input = `d4 ${bits}`;
    const first = pickFrom(prf.hash(input), DOCUMENTATION_V4_SIZE);
    const index = attempt === 0 ? first : (first + 1 + permute(prf, DOCUMENTATION_V4_SIZE - 1, prf.hashWith(input, 1)[0], attempt - 1)) % DOCUMENTATION_V4_SIZE;
    return DOCUMENTATION_V4[Math.floor(index / 256)]! + (index % 256);
  };

  /** An IPv4 network of `length` bits (32 for an address) masked. */
  const v4 = (bits: number, length: number, attempt: number): number | undefined => {
    const k = keep.v4;
    if (k === undefined) {
      const address = documentationV4(bits, attempt);
      return address === undefined ? undefined : ipv4Network(address, length);
    }
    if (k >= length) return attempt === 0 ? bits : undefined;
    if (attempt >= MAX_ATTEMPTS) return undefined;
    const prefix = ipv4Network(bits, k);
    const unit = 2 ** (32 - length);
    const size = 2 ** (length - k);
    const x = (bits - prefix) / unit;
    const tweak = prf.hash(`p4 ${k} ${length} ${prefix}`)[0];
    let y = x;
    for (let a = 0; a <= attempt; a++) {
      y = permute(prf, size, tweak, y);
      // Back at the value itself after attempt 0: every candidate of its cycle was tried.
      if (a > 0 && y === x) return undefined;
    }
    return prefix + y * unit;
  };

  /** An IPv6 network of `length` bits (128 for an address) masked; never an IPv4-mapped one. */
  const v6 = (bits: bigint, length: number, attempt: number): bigint | undefined => {
    if (attempt >= MAX_ATTEMPTS) return undefined;
    const k = keep.v6;
    if (k === undefined) {
      const input = `d6 ${bits.toString(16)}`;
      const a = prf.hashWith(input, 2 * attempt);
      const b = prf.hashWith(input, 2 * attempt + 1);
      return ipv6Network(DOCUMENTATION_V6 | (BigInt(a[0]) << 64n) | (BigInt(a[1]) << 32n) | BigInt(b[0]), length);
    }
    if (k >= length) return attempt === 0 ? bits : undefined;
    const prefix = ipv6Network(bits, k);
    const shift = BigInt(128 - length);
    const x = (bits ^ prefix) >> shift;
    const tweak = `p6 ${k} ${length} ${prefix.toString(16)}`;
    let y = x;
    for (let a = 0; a <= attempt; a++) {
      // Cycle walking past IPv4-mapped addresses keeps the map one-to-one on the others.
      do y = permuteWide(prf, length - k, tweak, y);
      while (isMapped(prefix | (y << shift)));
      if (a > 0 && y === x) return undefined;
    }
    return prefix | (y << shift);
  };

  return ({ address, mask }, attempt) => {
    if (!address.v6) {
      const length = mask !== undefined && ipv4Network(address.bits, mask) === address.bits ? mask : 32;
      const bits = v4(address.bits, length, attempt);
      return bits === undefined ? undefined : { v6: false, bits };
    }
    const network = mask !== undefined && ipv6Network(address.bits, mask) === address.bits;
    if (isMapped(address.bits)) {
      // The ffff of a mapped address lies inside any mask shorter than 96: such a value is never a network.
      const bits = v4(Number(address.bits & LOW_32), network ? mask! - 96 : 32, attempt);
      return bits === undefined ? undefined : { v6: true, bits: MAPPED_PREFIX | BigInt(bits) };
    }
    const bits = v6(address.bits, network ? mask! : 128, attempt);
    return bits === undefined ? undefined : { v6: true, bits };
  };
}
