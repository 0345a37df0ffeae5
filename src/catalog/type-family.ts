import type { TypeFamily } from './types.js';

/**
 * The family of each built-in type, under its pg_type name (`int4`, what the catalog reads) and
 * under the name format_type prints (`integer`, what pg_dump writes in CREATE TABLE).
 */
const BUILTIN: Readonly<Record<string, TypeFamily>> = {
  text: 'text',
  varchar: 'text',
  'character varying': 'text',
  bpchar: 'text',
  character: 'text',
  name: 'text',
  char: 'text',
  '"char"': 'text',
  int2: 'integer',
  smallint: 'integer',
  int4: 'integer',
  integer: 'integer',
  int8: 'integer',
  bigint: 'integer',
  numeric: 'numeric',
  float4: 'numeric',
  real: 'numeric',
  float8: 'numeric',
  'double precision': 'numeric',
  money: 'numeric',
  bool: 'boolean',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
  'timestamp without time zone': 'timestamp',
  timestamptz: 'timestamp',
  'timestamp with time zone': 'timestamp',
  time: 'time',
  'time without time zone': 'time',
  timetz: 'time',
  'time with time zone': 'time',
  interval: 'time',
  uuid: 'uuid',
  json: 'json',
  jsonb: 'json',
  bytea: 'bytea',
  inet: 'network',
  cidr: 'network',
  macaddr: 'network',
  macaddr8: 'network',
};

/** The family of a built-in type named as pg_type or format_type names it, or undefined for any other name. */
export function builtinTypeFamily(name: string): TypeFamily | undefined {
  return Object.hasOwn(BUILTIN, name) ? BUILTIN[name] : undefined;
}

/** What `typeFamily` needs to know of a (base, non-domain) type. */
export interface BaseTypeInfo {
  readonly name: string;
  readonly schema: string;
  /** pg_type.typtype: b base, c composite, d domain, e enum, p pseudo, r range, m multirange. */
  readonly typtype: string;
  /** pg_type.typcategory: `A` for arrays. */
  readonly category: string;
}

/** The family of a type after domains are resolved; `citext` from any schema counts as text. */
export function typeFamily(type: BaseTypeInfo): TypeFamily {
  if (type.category === 'A') return 'array';
  if (type.typtype === 'e') return 'enum';
  if (type.schema === 'pg_catalog') return builtinTypeFamily(type.name) ?? 'other';
  if (type.name === 'citext') return 'text';
  return 'other';
}
