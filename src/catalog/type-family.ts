import type { TypeFamily } from './types.js';

const BUILTIN: Readonly<Record<string, TypeFamily>> = {
  text: 'text',
  varchar: 'text',
  bpchar: 'text',
  name: 'text',
  char: 'text',
  int2: 'integer',
  int4: 'integer',
  int8: 'integer',
  numeric: 'numeric',
  float4: 'numeric',
  float8: 'numeric',
  money: 'numeric',
  bool: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
  timestamptz: 'timestamp',
  time: 'time',
  timetz: 'time',
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
  if (type.schema === 'pg_catalog') return BUILTIN[type.name] ?? 'other';
  if (type.name === 'citext') return 'text';
  return 'other';
}
