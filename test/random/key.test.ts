import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeyError } from '../../src/errors.js';
import { loadKey, maskingKeyFromBytes } from '../../src/random/key.js';

const hex = randomBytes(32).toString('hex');

describe('loadKey', () => {
  it('reads PGMASK_KEY in hex and base64 as the same key', () => {
    const bytes = randomBytes(48);
    const a = loadKey({ env: { PGMASK_KEY: bytes.toString('hex') } });
    const b = loadKey({ env: { PGMASK_KEY: bytes.toString('base64') } });
    const c = loadKey({ env: { PGMASK_KEY: bytes.toString('base64url') } });
    expect(a.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(b.fingerprint).toBe(a.fingerprint);
    expect(c.fingerprint).toBe(a.fingerprint);
    expect(a.subkey('email')).toEqual(b.subkey('email'));
  });

  it.each([
    [{}, 'KEY_MISSING'],
    [{ PGMASK_KEY: '' }, 'KEY_MISSING'],
    [{ PGMASK_KEY: randomBytes(16).toString('hex') }, 'KEY_SHORT'],
    [{ PGMASK_KEY: 'not a key!' }, 'KEY_MALFORMED'],
  ])('refuses %j with %s and says how to make a key', (env, code) => {
    try {
      loadKey({ env });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(KeyError);
      expect((error as KeyError).code).toBe(code);
      expect((error as KeyError).message).toContain('openssl rand -hex 32');
    }
  });

  it('never puts the key into its message, fingerprint or source', () => {
    const key = loadKey({ env: { PGMASK_KEY: hex } });
    expect(JSON.stringify(key)).not.toContain(hex);
    expect(key.fingerprint).not.toBe(hex.slice(0, 16));
    try {
      loadKey({ env: { PGMASK_KEY: hex.slice(0, 40) } });
    } catch (error) {
      expect((error as Error).message).not.toContain(hex.slice(0, 40));
    }
  });

  it('reads a key file, prefers it to PGMASK_KEY, and warns when others can read it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgmask-key-'));
    const file = join(dir, 'key');
    writeFileSync(file, `${hex}\n`);
    chmodSync(file, 0o600);
    const private_ = loadKey({ env: { PGMASK_KEY: randomBytes(32).toString('hex') }, keyFile: file });
    expect(private_.fingerprint).toBe(loadKey({ env: { PGMASK_KEY: hex } }).fingerprint);
    expect(private_.warnings).toEqual([]);
    chmodSync(file, 0o644);
    const open = loadKey({ env: {}, keyFile: file });
    expect(open.warnings).toHaveLength(1);
    expect(open.warnings[0]).toContain('chmod 600');
    const raw = join(dir, 'raw');
    writeFileSync(raw, Buffer.concat([Buffer.from([0, 255]), randomBytes(40)]), { mode: 0o600 });
    expect(loadKey({ env: {}, keyFile: raw }).fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(() => loadKey({ env: {}, keyFile: join(dir, 'missing') })).toThrow(/cannot read key file .*openssl rand -hex 32/);
  });

  it('derives a different subkey per domain and per scope, the same each time', () => {
    const key = maskingKeyFromBytes(Buffer.alloc(32, 3));
    expect(key.subkey('email')).toEqual(maskingKeyFromBytes(Buffer.alloc(32, 3)).subkey('email'));
    expect(key.subkey('email')).not.toEqual(key.subkey('hash'));
    expect(key.subkey('email')).not.toEqual(key.subkey('email', 'crm'));
    expect(maskingKeyFromBytes(Buffer.alloc(32, 4)).subkey('email')).not.toEqual(key.subkey('email'));
  });
});
