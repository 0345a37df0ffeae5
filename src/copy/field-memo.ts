/**
 * A bounded map from a field's original bytes to its masked value, for one column whose masking
 * depends on the value alone: names, cities, streets and the like repeat, and a repeat then
 * costs a hash of its bytes instead of decoding, masking and building a string.
 */

/** Values stored at most. */
const CAPACITY = 4096;
/** Fields longer than this are not stored (long values seldom repeat). */
const MAX_KEY_BYTES = 64;
/** Lookups per round of the hit-rate check. */
const WINDOW = 4096;
/** A round with fewer hits than this share turns a full memo off for good. */
const MIN_HIT_RATE = 0.2;
/** Probes before a lookup gives up (the table is at most half full). */
const MAX_PROBES = 16;

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/**
 * Stores the masked value of up to CAPACITY distinct fields, each under its original bytes in
 * the format of the first lookup (the bytes of COPY text and of the binary format mean
 * different values: a lookup in another format finds nothing). Its tables are made at that
 * first lookup. Once full it stores nothing more, and turns itself off when a round of lookups
 * finds too few repeats.
 *
 * @example
 * ```ts
 * const hit = memo.recall('text', buf, start, end);
 * const value = hit !== undefined ? hit : mask(decode(buf, start, end));
 * if (hit === undefined) memo.remember(buf, start, end, value);
 * ```
 */
export class FieldMemo {
  /** False once the memo found too few repeats: `recall` then returns undefined at once. */
  enabled = true;
  /** The format of the bytes it holds, set by the first lookup. */
  private format: string | undefined;
  private slots = new Int32Array(0);
  /** Per entry: its hash, and where its key sits in `keys`. */
  private hashes = new Int32Array(0);
  private keyStarts = new Int32Array(0);
  private keys = new Uint8Array(0);
  private values: (string | null)[] = [];
  private lookups = 0;
  private hits = 0;
  /** The hash and free slot `recall` last computed and found, for `remember`. */
  private lastHash = 0;
  private lastSlot = -1;

  /**
   * The value stored for bytes `[start, end)` of `buf`, in `format`; undefined when none is (or
   * the memo is off): then `remember` may store it.
   */
  recall(format: string, buf: Uint8Array, start: number, end: number): string | null | undefined {
    this.lastSlot = -1;
    if (!this.enabled || end - start > MAX_KEY_BYTES) return undefined;
    if (format !== this.format) {
      if (this.format !== undefined) return undefined;
      this.format = format;
      this.slots = new Int32Array(2 * CAPACITY).fill(-1);
      this.hashes = new Int32Array(CAPACITY);
      this.keyStarts = new Int32Array(CAPACITY + 1);
      this.keys = new Uint8Array(1024);
    }
    if (++this.lookups === WINDOW && !this.endRound()) return undefined;
    let h = FNV_OFFSET;
    for (let p = start; p < end; p++) h = Math.imul(h ^ buf[p]!, FNV_PRIME);
    const slots = this.slots;
    const mask = slots.length - 1;
    let slot = (h ^ (h >>> 15)) & mask;
    for (let probe = 0; probe < MAX_PROBES; probe++) {
      const entry = slots[slot]!;
      if (entry < 0) {
        this.lastHash = h;
        this.lastSlot = slot;
        return undefined;
      }
      if (this.hashes[entry] === h && this.keyEquals(entry, buf, start, end)) {
        this.hits++;
        return this.values[entry]!;
      }
      slot = (slot + 1) & mask;
    }
    return undefined;
  }

  /** Stores `value` for the bytes the last `recall` did not find. */
  remember(buf: Uint8Array, start: number, end: number, value: string | null): void {
    const slot = this.lastSlot;
    this.lastSlot = -1;
    const entry = this.values.length;
    if (slot < 0 || !this.enabled || entry === CAPACITY) return;
    const at = this.keyStarts[entry]!;
    const length = end - start;
    if (at + length > this.keys.length) {
      const grown = new Uint8Array(Math.max(2 * this.keys.length, at + length));
      grown.set(this.keys.subarray(0, at));
      this.keys = grown;
    }
    this.keys.set(buf.subarray(start, end), at);
    this.keyStarts[entry + 1] = at + length;
    this.hashes[entry] = this.lastHash;
    this.values.push(value);
    this.slots[slot] = entry;
  }

  private keyEquals(entry: number, buf: Uint8Array, start: number, end: number): boolean {
    const from = this.keyStarts[entry]!;
    if (this.keyStarts[entry + 1]! - from !== end - start) return false;
    const keys = this.keys;
    for (let p = start, q = from; p < end; p++, q++) if (keys[q] !== buf[p]) return false;
    return true;
  }

  /**
   * Ends a round of lookups: too few hits, once the memo is full, turn it off and let go of what
   * it holds (while it has room, the repeats may still come). Returns whether it is still on.
   */
  private endRound(): boolean {
    if (this.hits < WINDOW * MIN_HIT_RATE && this.values.length === CAPACITY) {
      this.enabled = false;
      this.slots = new Int32Array(0);
      this.hashes = new Int32Array(0);
      this.keyStarts = new Int32Array(0);
      this.keys = new Uint8Array(0);
      this.values = [];
    }
    this.lookups = 0;
    this.hits = 0;
    return this.enabled;
  }
}
