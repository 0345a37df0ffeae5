import { UsageError } from '../errors.js';
import type { Conninfo } from './conninfo.js';

/** pgmask's keepalive defaults, for a connection string that sets none: on, first probe after 60 s idle. */
export const KEEPALIVE_DEFAULTS = { keepalives: '1', keepalives_idle: '60', keepalives_interval: '10', keepalives_count: '6' } as const;

/** The keepalive parameters a connection string sets, or pgmask's defaults, as libpq reads them. */
export interface KeepaliveSettings {
  /** `keepalives`: any value but 0 turns them on (libpq's reading). */
  readonly enabled: boolean;
  /** `keepalives_idle`: seconds of silence before the first probe. */
  readonly idleSeconds: number;
  /** `keepalives_interval`: seconds between probes (applied by libpq tools only; see the README). */
  readonly intervalSeconds: number;
  /** `keepalives_count`: probes lost before the connection counts as dead (libpq tools only). */
  readonly count: number;
}

/** libpq's parse_int_param: an integer, surrounding spaces allowed; anything else is refused, naming the key only. */
function intParam(params: Conninfo, key: keyof typeof KEEPALIVE_DEFAULTS): number {
  const text = params.get(key) ?? KEEPALIVE_DEFAULTS[key];
  if (!/^\s*[-+]?\d+\s*$/.test(text)) throw new UsageError(`invalid integer value for connection option "${key}"`);
  return Number(text.trim());
}

/**
 * The keepalive settings of a parsed connection string: `keepalives`, `keepalives_idle`,
 * `keepalives_interval` and `keepalives_count` as libpq reads them (integers; keepalives
 * off only when 0), pgmask's defaults (`KEEPALIVE_DEFAULTS`) for those not given.
 * @example keepaliveSettings(parseConninfo('host=db keepalives_idle=30')).idleSeconds // 30
 */
export function keepaliveSettings(params: Conninfo): KeepaliveSettings {
  return {
    enabled: intParam(params, 'keepalives') !== 0,
    idleSeconds: Math.max(0, intParam(params, 'keepalives_idle')),
    intervalSeconds: Math.max(0, intParam(params, 'keepalives_interval')),
    count: Math.max(0, intParam(params, 'keepalives_count')),
  };
}

/** The parameters with pgmask's keepalive defaults added where they are not set: for libpq tools (pg_dump, psql). */
export function withKeepaliveDefaults(params: Conninfo): Map<string, string> {
  const out = new Map(params);
  for (const [key, value] of Object.entries(KEEPALIVE_DEFAULTS)) if (!out.has(key)) out.set(key, value);
  return out;
}
