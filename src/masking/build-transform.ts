import { ConfigError, PgmaskError, TransformError } from '../errors.js';
import { schemaValidator } from '../json-schema/schema-validator.js';
import { findTransformer, transformerNames } from '../transformers/registry.js';
import type { ColumnTarget, RuleSpec, TransformerContext, TransformFn } from '../transformers/transformer.js';
import type { MaskingSession } from './masking-session.js';

/** Marks a function `buildTransform` made that keeps run-wide state (see `keepsState`). */
const ORDERED = Symbol('pgmask.ordered');

/**
 * Whether a function `buildTransform` made keeps run-wide state whose results follow the order
 * of the values (`unique: true`, in its rule or a nested one): such a column is masked on one
 * thread, in row order.
 */
export function keepsState(fn: TransformFn): boolean {
  return (fn as { [ORDERED]?: true })[ORDERED] === true;
}

/** Fills the parts of a column target a nested rule leaves out. */
function columnTarget(column: Partial<ColumnTarget>): ColumnTarget {
  return {
    table: column.table ?? '',
    column: column.column ?? '',
    family: column.family,
    elementFamily: column.elementFamily,
    type: column.type,
    maxLength: column.maxLength,
    row: column.row,
  };
}

function where(column: ColumnTarget): string {
  return column.table ? `${column.table}.${column.column}` : column.column || 'a nested rule';
}

/**
 * Builds the function that masks one column's values for this run: looks the transformer
 * up, checks its options, builds its context (keyed PRFs with the rule's scope, nested rules)
 * and applies the NULL policy (NULL stays NULL unless the transformer transforms NULLs).
 * Errors a transformer throws come out as TransformError naming table and column, never the value.
 * @example const fn = buildTransform(session, { transform: 'email', unique: true }, column); fn('a@b.se', row);
 */
export function buildTransform(session: MaskingSession, spec: RuleSpec, column: Partial<ColumnTarget>): TransformFn {
  const target = columnTarget(column);
  const definition = findTransformer(spec.transform);
  if (!definition) {
    throw new ConfigError('UNKNOWN_TRANSFORMER', `unknown transformer '${spec.transform}' for ${where(target)}; known: ${transformerNames().join(', ')}`);
  }
  const options = spec.options ?? {};
  const validate = schemaValidator(definition.options);
  if (!validate(options)) {
    const detail = (validate.errors ?? []).map((e) => `${e.instancePath || 'options'} ${e.message ?? 'is invalid'}`).join('; ');
    throw new ConfigError('TRANSFORMER_OPTIONS', `options of ${definition.name} for ${where(target)}: ${detail}`);
  }
  const scope = spec.scope;
  let ordered = spec.unique === true;
  const context: TransformerContext = {
    column: target,
    unique: spec.unique ?? false,
    scope,
    prf: (domain) => session.prf(domain, scope),
    nested: (nestedSpec, nestedColumn) => {
      const fn = buildTransform(session, { ...nestedSpec, scope: nestedSpec.scope ?? scope }, { ...target, ...nestedColumn });
      if (keepsState(fn)) ordered = true;
      return fn;
    },
    resource: (name, load) => session.resource(name, load),
    warn: (code, message) => session.warn(code, message),
    testdataDir: session.testdataDir,
    env: session.env,
    today: session.today,
  };
  const fn = definition.create(options, context);
  const transformsNull = typeof definition.transformsNull === 'function' ? definition.transformsNull(options) : (definition.transformsNull ?? false);
  const guarded: TransformFn = (value, row) => {
    try {
      return fn(value, row);
    } catch (error) {
      if (error instanceof PgmaskError) throw error;
      throw new TransformError(`${definition.name} failed (${error instanceof Error ? error.name : 'error'})`, { table: target.table, column: target.column }, { cause: error });
    }
  };
  const keepsEmpty = definition.keepsEmpty ?? false;
  const result: TransformFn = transformsNull
    ? keepsEmpty
      ? (value, row) => (value === '' ? '' : guarded(value, row))
      : guarded
    : keepsEmpty
      ? (value, row) => (value === null || value === '' ? value : guarded(value, row))
      : (value, row) => (value === null ? null : guarded(value, row));
  if (ordered) Object.defineProperty(result, ORDERED, { value: true });
  return result;
}
