import { UsageError } from '../errors.js';
import type { MaskThreads } from '../masking/lanes/thread-policy.js';
import { loadKey, type MaskingKey } from '../random/key.js';
import { type Flag, type FlagValues, type Io, oneOf } from './command.js';

/** `--key-file PATH`, shared by every command that masks. */
export const keyFileFlag: Flag = { name: 'key-file', type: 'string', value: 'PATH', description: 'Read the secret key from a file instead of PGMASK_KEY' };

/** `--testdata-dir DIR`, shared by every command that masks or checks rules. */
export const testdataDirFlag: Flag = {
  name: 'testdata-dir',
  type: 'string',
  value: 'DIR',
  description: 'Folder of the Skatteverket test lists (default PGMASK_TESTDATA_DIR, then a newer fetched list, then the lists shipped with pgmask)',
};

/** `--mask-thread auto|on|off`, shared by every command that masks. */
export const maskThreadFlag: Flag = {
  name: 'mask-thread',
  type: 'string',
  value: 'auto|on|off',
  description: 'Mask big tables on two threads: on, off, or auto (default): where two CPUs are left beside the stream and a local server',
};

/** The value of `--mask-thread`, checked. */
export function maskThreadValue(flags: FlagValues): MaskThreads | undefined {
  return oneOf(flags, 'mask-thread', ['auto', 'on', 'off'] as const);
}

/** Loads the key from PGMASK_KEY or --key-file; warnings (a key file others can read) go to stderr. */
export function readKey(flags: FlagValues, io: Io): MaskingKey {
  const key = loadKey({ env: io.env, keyFile: flags['key-file'] as string | undefined });
  for (const warning of key.warnings ?? []) io.stderr.write(`pgmask: warning: ${warning}\n`);
  return key;
}

/** `--stall-timeout SECONDS`, shared by copy, dump and mask. */
export const stallTimeoutFlag: Flag = {
  name: 'stall-timeout',
  type: 'string',
  value: 'SECONDS',
  description: 'Fail (exit 3) when a table moves no byte, or a statement does not return, for this long (default 300; 0: never)',
};

/** The value of `--stall-timeout`, checked: whole seconds, 0 for none. */
export function stallTimeoutValue(flags: FlagValues): number | undefined {
  const text = flags['stall-timeout'] as string | undefined;
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(seconds)) throw new UsageError('--stall-timeout must be a whole number of seconds (0: no timeout)');
  return seconds;
}
