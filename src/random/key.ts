import { createHash, createHmac } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { KeyError } from '../errors.js';
import { type SipKey, sipKey } from './siphash.js';

/** The fewest key bytes pgmask accepts. */
export const MIN_KEY_BYTES = 32;

const HOW_TO_MAKE = 'make one with `openssl rand -hex 32` and pass it in PGMASK_KEY or a file given with --key-file';

/** The secret masking key. It never exposes its bytes: only a fingerprint and derived subkeys. */
export interface MaskingKey {
  /** The first 16 hex digits of sha256 over a fixed label and the key: safe for reports, useless to an attacker. */
  readonly fingerprint: string;
  /** Where the key came from: `env` (PGMASK_KEY) or the key file's path. */
  readonly source: string;
  /** Problems worth reporting that did not stop the load (e.g. a key file readable by others). */
  readonly warnings: readonly string[];
  /** HMAC-SHA256(key, label): 32 bytes, for deriving anything else from the key. */
  derive(label: string): Buffer;
  /** The SipHash subkey for a domain (and optional scope), derived once with HMAC-SHA256. */
  subkey(domain: string, scope?: string): SipKey;
  /**
   * A copy of the key's bytes, for starting one of pgmask's own masking threads (the copy stays
   * in the process, in the thread's start data). Nothing else reads them.
   */
  bytesForThread(): Uint8Array;
}

/** Where to look for the key. */
export interface LoadKeyOptions {
  readonly env: NodeJS.ProcessEnv | Readonly<Record<string, string | undefined>>;
  /** `--key-file PATH`; takes precedence over PGMASK_KEY. */
  readonly keyFile?: string | undefined;
}

function decodeKeyText(text: string, where: string): Buffer {
  const t = text.trim();
  if (t.length === 0) throw new KeyError('KEY_MISSING', `${where} is empty; ${HOW_TO_MAKE}`);
  let bytes: Buffer | undefined;
  if (/^[0-9a-fA-F]+$/.test(t) && t.length % 2 === 0) bytes = Buffer.from(t, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) {
    const b = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (b.toString('base64').replace(/=+$/, '') === t.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '')) bytes = b;
  }
  if (!bytes) throw new KeyError('KEY_MALFORMED', `${where} is neither hex nor base64; ${HOW_TO_MAKE}`);
  if (bytes.length < MIN_KEY_BYTES) {
    throw new KeyError('KEY_SHORT', `${where} holds ${bytes.length} bytes, at least ${MIN_KEY_BYTES} are needed; ${HOW_TO_MAKE}`);
  }
  return bytes;
}

/**
 * Builds a masking key from raw bytes (at least 32). Used by `loadKey` and by tests.
 * @example const key = maskingKeyFromBytes(randomBytes(32));
 */
export function maskingKeyFromBytes(bytes: Uint8Array, source = 'bytes', warnings: readonly string[] = []): MaskingKey {
  if (bytes.length < MIN_KEY_BYTES) {
    throw new KeyError('KEY_SHORT', `the key holds ${bytes.length} bytes, at least ${MIN_KEY_BYTES} are needed; ${HOW_TO_MAKE}`);
  }
  const secret = Buffer.from(bytes);
  const fingerprint = createHash('sha256').update('pgmask key fingerprint v1\0').update(secret).digest('hex').slice(0, 16);
  const subkeys = new Map<string, SipKey>();
  const derive = (label: string): Buffer => createHmac('sha256', secret).update(label).digest();
  return {
    fingerprint,
    source,
    warnings,
    derive,
    bytesForThread: () => Uint8Array.from(secret),
    subkey(domain, scope) {
      const label = `pgmask/v1/prf\0${domain}\0${scope ?? ''}`;
      let k = subkeys.get(label);
      if (!k) {
        k = sipKey(derive(label));
        subkeys.set(label, k);
      }
      return k;
    },
  };
}

/**
 * Loads the masking key from `--key-file` or PGMASK_KEY (hex or base64, at least 32 bytes).
 * Throws KeyError (KEY_MISSING, KEY_SHORT, KEY_MALFORMED, KEY_FILE) with a message that says how to make one.
 * @example const key = loadKey({ env: process.env }); console.log(key.fingerprint);
 */
export function loadKey(options: LoadKeyOptions): MaskingKey {
  if (options.keyFile !== undefined) {
    const path = options.keyFile;
    let content: Buffer;
    const warnings: string[] = [];
    try {
      const stat = statSync(path);
      if (!stat.isFile()) throw new KeyError('KEY_FILE', `key file ${path} is not a regular file`);
      if ((stat.mode & 0o077) !== 0) {
        warnings.push(`key file ${path} is readable by group or others (mode ${(stat.mode & 0o777).toString(8)}); restrict it with chmod 600`);
      }
      content = readFileSync(path);
    } catch (error) {
      if (error instanceof KeyError) throw error;
      throw new KeyError('KEY_FILE', `cannot read key file ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}); ${HOW_TO_MAKE}`);
    }
    const text = content.toString('latin1');
    // A text file holds hex or base64; anything else of 32+ bytes is taken as raw key bytes.
    const bytes = /^[\x20-\x7e\r\n\t]*$/.test(text) ? decodeKeyText(text, `key file ${path}`) : content;
    return maskingKeyFromBytes(bytes, path, warnings);
  }
  const value = options.env['PGMASK_KEY'];
  if (value === undefined || value.trim() === '') {
    throw new KeyError('KEY_MISSING', `no masking key: set PGMASK_KEY or pass --key-file; ${HOW_TO_MAKE}`);
  }
  return maskingKeyFromBytes(decodeKeyText(value, 'PGMASK_KEY'), 'env');
}
