import type { TypeFamily } from '../catalog/types.js';
import { ConfigError } from '../errors.js';
import { type ColumnTarget, defineTransformer } from './transformer.js';

interface RedactOptions {
  readonly value?: string;
  readonly nulls?: boolean;
}

const TEXT_DEFAULT = 'REDACTED';

/** The constant `redact` writes when no `value` is given, by column type. */
export function redactDefault(column: ColumnTarget): string | undefined {
  const type = column.type?.toLowerCase() ?? '';
  const byFamily: Partial<Record<TypeFamily, string>> = {
    text: column.maxLength !== undefined ? TEXT_DEFAULT.slice(0, column.maxLength) : TEXT_DEFAULT,
    integer: '0',
    numeric: type.startsWith('money') ? '0.00' : '0',
    boolean: 'f',
    date: '1970-01-01',
    timestamp: type.includes('with time zone') ? '1970-01-01 00:00:00+00' : '1970-01-01 00:00:00',
    time: type.startsWith('interval') ? '00:00:00' : type.includes('with time zone') ? '00:00:00+00' : '00:00:00',
    uuid: '00000000-0000-0000-0000-000000000000',
    json: '{}',
    bytea: '\\x',
    network: type.startsWith('macaddr8') ? '00:00:00:00:00:00:00:00' : type.startsWith('macaddr') ? '00:00:00:00:00:00' : '0.0.0.0',
    array: '{}',
  };
  if (column.family === undefined) return TEXT_DEFAULT;
  return byFamily[column.family];
}

/** Replaces every value with one constant (by default one that suits the column type). */
export const redact = defineTransformer<RedactOptions>({
  name: 'redact',
  description:
    'Replaces every value with a constant: `value`, or by default one that suits the column type (`REDACTED` for text, 0, 1970-01-01, an all-zero uuid, `{}` …). With `nulls: true` NULLs are replaced too.',
  options: {
    type: 'object',
    additionalProperties: false,
    properties: {
      value: { type: 'string', description: 'The constant, in PostgreSQL text form.' },
      nulls: { type: 'boolean', default: false, description: 'Replace NULLs with the constant as well.' },
    },
  },
  accepts: 'any',
  injective: false,
  outputsNull: false,
  transformsNull: (o) => o.nulls === true,
  maxOutputLength: (o, column) => (o.value ?? redactDefault(column) ?? '').length,
  example: { input: 'Anna Andersson' },
  create(options, context) {
    const value = options.value ?? redactDefault(context.column);
    if (value === undefined) {
      throw new ConfigError(
        'REDACT_VALUE',
        `redact needs a value for ${context.column.table}.${context.column.column} (type ${context.column.type ?? 'unknown'}): set value: in the rule`,
      );
    }
    return () => value;
  },
});
