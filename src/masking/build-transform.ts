import { ConfigError, PgmaskError, TransformError } from '../errors.js';
import { schemaValidator } from '../json-schema/schema-validator.js';
import type { MaskingKey } from '../random/key.js';
import { KeyedPrf } from '../random/prf.js';
import { type Today, today as todayNow } from '../se/identity-number.js';
import { findTransformer, transformerNames } from '../transformers/registry.js';
import type { ColumnTarget, RuleSpec, TransformerContext, TransformFn } from '../transformers/transformer.js';

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
 * keyed faker, uniqueness state for `unique: true`) and the warnings collected for the report.
 */
export interface MaskingSession {
  readonly key: MaskingKey;
  readonly testdataDir: string | undefined;
  readonly env: NodeJS.ProcessEnv | Readonly<Record<string, string | undefined>>;
  readonly today: Today;
  /** Collected warnings, each code+message once. Read by the run report. */
  readonly warnings: readonly MaskingWarning[];
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
  const env = options.env ?? process.env;
  return {
    key: options.key,
    testdataDir: options.testdataDir,
    env,
    today: options.today ?? todayNow(),
    warnings,
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

/** The functions `buildTransform` made that keep run-wide state. */
const stateful = new WeakSet<TransformFn>();

/**
 * Whether a function `buildTransform` made keeps run-wide state whose results follow the order
 * of the values (`unique: true`, in its rule or a nested one): such a column is masked on one
 * thread, in row order.
 */
export function keepsState(fn: TransformFn): boolean {
  return stateful.has(fn);
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
      if (stateful.has(fn)) ordered = true;
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
  if (ordered) stateful.add(result);
  return result;
}
