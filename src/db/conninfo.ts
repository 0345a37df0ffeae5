import { UsageError } from '../errors.js';

/**
 * A libpq connection string, parsed: `postgresql://user:pass@host:port/db?sslmode=...` or
 * `host=... port=... dbname=... password='...'`. Keys are libpq's (`dbname`, not `database`).
 */
export type Conninfo = ReadonlyMap<string, string>;

const URL_PREFIX = /^postgres(?:ql)?:\/\//i;

function decode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new UsageError(`invalid connection URL: bad percent-encoding in the ${what}`);
  }
}

/** `postgresql://[user[:password]@][host][:port][/dbname][?key=value&...]`, as libpq reads it. */
function parseUrl(text: string): Map<string, string> {
  const params = new Map<string, string>();
  let rest = text.replace(URL_PREFIX, '');
  const queryAt = rest.indexOf('?');
  const query = queryAt >= 0 ? rest.slice(queryAt + 1) : '';
  if (queryAt >= 0) rest = rest.slice(0, queryAt);
  const slash = rest.indexOf('/');
  const authority = slash >= 0 ? rest.slice(0, slash) : rest;
  const path = slash >= 0 ? rest.slice(slash + 1) : '';
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    const colon = userinfo.indexOf(':');
    const user = colon >= 0 ? userinfo.slice(0, colon) : userinfo;
    if (user) params.set('user', decode(user, 'user name'));
    if (colon >= 0) params.set('password', decode(userinfo.slice(colon + 1), 'password'));
  }
  const hostport = at >= 0 ? authority.slice(at + 1) : authority;
  if (hostport.includes(',')) throw new UsageError('invalid connection URL: several hosts are not supported');
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(hostport);
  const colon = hostport.lastIndexOf(':');
  const [host, port] = bracketed ? [bracketed[1]!, bracketed[2] ?? ''] : colon >= 0 ? [hostport.slice(0, colon), hostport.slice(colon + 1)] : [hostport, ''];
  if (host) params.set('host', decode(host, 'host'));
  if (port) params.set('port', port);
  if (path) params.set('dbname', decode(path, 'database name'));
  for (const pair of query.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    if (eq < 0) throw new UsageError(`invalid connection URL: query parameter ${keyLabel(decode(pair, 'query'))} has no value`);
    const key = decode(pair.slice(0, eq), 'query');
    const value = decode(pair.slice(eq + 1), 'query');
    // libpq reads JDBC's ssl=true as sslmode=require.
    if (key === 'ssl' && value === 'true') params.set('sslmode', 'require');
    else params.set(key, value);
  }
  return params;
}

/** A key as an error may name it: a mistyped key may hold a secret (`password:s3cret`). */
export function keyLabel(key: string): string {
  return /^[a-z_]{1,40}$/.test(key) ? `"${key}"` : 'a keyword';
}

/** `key=value key='quoted value'`, as libpq reads it (backslash escapes `\'` and `\\`). */
function parseKeywords(text: string): Map<string, string> {
  const params = new Map<string, string>();
  let i = 0;
  const n = text.length;
  const space = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);
  while (i < n) {
    while (space(text[i])) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && text[i] !== '=' && !space(text[i])) i++;
    const key = text.slice(start, i);
    while (space(text[i])) i++;
    if (text[i] !== '=') throw new UsageError(`invalid connection string: missing "=" after ${keyLabel(key)}`);
    i++;
    while (space(text[i])) i++;
    let value = '';
    if (text[i] === "'") {
      i++;
      for (;;) {
        if (i >= n) throw new UsageError(`invalid connection string: unterminated quoted value of ${keyLabel(key)}`);
        const c = text[i]!;
        if (c === '\\' && i + 1 < n) {
          value += text[i + 1];
          i += 2;
        } else if (c === "'") {
          i++;
          break;
        } else {
          value += c;
          i++;
        }
      }
    } else {
      while (i < n && !space(text[i])) {
        if (text[i] === '\\' && i + 1 < n) i++;
        value += text[i];
        i++;
      }
    }
    params.set(key, value);
  }
  return params;
}

/**
 * Parses a libpq connection string (URL or key=value). Errors name the part that is wrong,
 * never a value (which may be a password).
 * @example parseConninfo("host=db port=5432 dbname=app password='s3 cret'").get('password') // 's3 cret'
 */
export function parseConninfo(text: string): Conninfo {
  return URL_PREFIX.test(text) ? parseUrl(text) : parseKeywords(text);
}

/** A value quoted for a key=value connection string. */
function quoteValue(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The key=value connection string of parsed parameters (for libpq tools). */
export function formatConninfo(params: Conninfo): string {
  return [...params].map(([key, value]) => `${key}=${quoteValue(value)}`).join(' ');
}
