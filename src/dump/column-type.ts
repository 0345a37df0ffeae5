/**
 * What a column's type tells a transformer, read from the type as pg_dump writes it in
 * CREATE TABLE (format_type's text: `character varying(13)`, `timestamp with time zone`,
 * `public.customer_status`, `text[]`).
 */
import { builtinTypeFamily } from '../catalog/type-family.js';
import type { TypeFamily } from '../catalog/types.js';

/** The type facts a transformer uses: family, element family of arrays, varchar/char length. */
export interface ColumnTypeInfo {
  readonly type: string;
  readonly family: TypeFamily;
  readonly elementFamily: TypeFamily | undefined;
  readonly maxLength: number | undefined;
}

/** User-defined types the dump declared: enums, and domains with their base type's text. */
export interface DeclaredTypes {
  readonly enums: ReadonlySet<string>;
  readonly domains: ReadonlyMap<string, string>;
}

/** A type name as a lookup key: whitespace collapsed, typmod `(...)` removed, unquoted parts lower case. */
function normalise(type: string): string {
  return type
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/\s*\([^)]*\)/g, '');
}

/**
 * The family, element family and length limit of a type as format_type prints it. Types the
 * dump declared (enums, domains) are resolved through `declared`; unknown types are `other`.
 *
 * @example columnTypeInfo('character varying(13)', { enums: new Set(), domains: new Map() })
 * // { type: 'character varying(13)', family: 'text', elementFamily: undefined, maxLength: 13 }
 */
export function columnTypeInfo(type: string, declared: DeclaredTypes, depth = 0): ColumnTypeInfo {
  const text = type.trim().replace(/\s+/g, ' ');
  const array = /^(.*?)((?:\s*\[\d*\])+)$/.exec(text);
  if (array) {
    const element = columnTypeInfo(array[1]!, declared, depth + 1);
    return { type: text, family: 'array', elementFamily: element.family, maxLength: element.maxLength };
  }
  const key = normalise(text);
  const bare = key.replace(/^pg_catalog\./, '');
  const builtin = builtinTypeFamily(key) ?? builtinTypeFamily(bare) ?? (/^interval\b/.test(bare) ? 'time' : undefined);
  if (builtin) {
    const length = /^(?:character varying|character|varchar|bpchar)\s*\((\d+)\)$/.exec(text);
    const maxLength = length ? Number(length[1]) : key === 'character' ? 1 : undefined;
    return { type: text, family: builtin, elementFamily: undefined, maxLength };
  }
  if (declared.enums.has(key)) return { type: text, family: 'enum', elementFamily: undefined, maxLength: undefined };
  const base = declared.domains.get(key);
  if (base !== undefined && depth < 16) return { ...columnTypeInfo(base, declared, depth + 1), type: text };
  if (/(^|\.)citext$/.test(key)) return { type: text, family: 'text', elementFamily: undefined, maxLength: undefined };
  return { type: text, family: 'other', elementFamily: undefined, maxLength: undefined };
}

/** The lookup key of a declared type's name as the dump writes it (`public.mood`, `public."My Type"`). */
export function typeKey(text: string): string {
  return normalise(text);
}
