import type { MaskingKey } from '../random/key.js';
import { KeyedPrf } from '../random/prf.js';
import { type Today, today } from '../se/calendar.js';
import { ThreadSlots } from './lanes/thread-slots.js';

/** A warning for the run report. Never holds a value from the data. */
export interface MaskingWarning {
  readonly code: string;
  readonly message: string;
}

/** Options of `createMaskingSession`. */
export interface MaskingSessionOptions {
  readonly key: MaskingKey;
  /** Folder holding the Skatteverket lists; else PGMASK_TESTDATA_DIR, else the cache. */
  readonly testdataDir?: string | undefined;
  readonly env?: NodeJS.ProcessEnv | Readonly<Record<string, string | undefined>>;
  /** The date 10-digit personnummer are read against (century, `+`); defaults to today (UTC). */
  readonly today?: Today;
}

/**
 * One masking run: the key, the per-domain PRFs, shared resources (test-number lists, the
 * keyed faker, uniqueness state for `unique: true`), the masking threads it may start, and the
 * warnings collected for the report.
 */
export interface MaskingSession {
  readonly key: MaskingKey;
  readonly testdataDir: string | undefined;
  readonly env: NodeJS.ProcessEnv | Readonly<Record<string, string | undefined>>;
  readonly today: Today;
  /** Collected warnings, each code+message once. Read by the run report. */
  readonly warnings: readonly MaskingWarning[];
  /** The masking threads the run may have at once (see `LanedRows`). */
  readonly threads: ThreadSlots;
  /** The keyed PRF of a domain (and scope), created once per run. */
  prf(domain: string, scope?: string): KeyedPrf;
  /** A shared resource, loaded once per run under its name. */
  resource<T>(name: string, load: () => T): T;
  warn(code: string, message: string): void;
}

/**
 * Starts a masking run. Create one per run and pass it to every `buildTransform`.
 * @example const session = createMaskingSession({ key: loadKey({ env: process.env }) });
 */
export function createMaskingSession(options: MaskingSessionOptions): MaskingSession {
  const prfs = new Map<string, KeyedPrf>();
  const resources = new Map<string, unknown>();
  const warnings: MaskingWarning[] = [];
  const seen = new Set<string>();
  return {
    key: options.key,
    testdataDir: options.testdataDir,
    env: options.env ?? process.env,
    today: options.today ?? today(),
    warnings,
    threads: new ThreadSlots(),
    prf(domain, scope) {
      const id = `${domain}\0${scope ?? ''}`;
      let prf = prfs.get(id);
      if (!prf) {
        prf = new KeyedPrf(options.key.subkey(domain, scope));
        prfs.set(id, prf);
      }
      return prf;
    },
    resource<T>(name: string, load: () => T): T {
      if (resources.has(name)) return resources.get(name) as T;
      const value = load();
      resources.set(name, value);
      return value;
    },
    warn(code, message) {
      const id = `${code}\0${message}`;
      if (seen.has(id)) return;
      seen.add(id);
      warnings.push({ code, message });
    },
  };
}
