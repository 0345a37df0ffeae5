import type { TypeFamily } from '../catalog/types.js';
import type { DomainPrf } from '../random/prf.js';
import type { Today } from '../se/calendar.js';

/** A JSON Schema (2020-12) object, as ajv takes it. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** What a transformer knows of the column it masks. Unknown parts are undefined (e.g. `pgmask mask` has no catalog). */
export interface ColumnTarget {
  /** `schema.table` as `tableKey` prints it. */
  readonly table: string;
  readonly column: string;
  readonly family: TypeFamily | undefined;
  readonly elementFamily: TypeFamily | undefined;
  /** format_type of the column, e.g. `character varying(20)`. */
  readonly type: string | undefined;
  /** Character limit of varchar(n)/char(n). */
  readonly maxLength: number | undefined;
  /** The other masked columns of the same table, in a run (row-aware `text.scrub` looks for their values). */
  readonly row?: readonly RowColumn[] | undefined;
}

/**
 * How row-aware `text.scrub` finds a column's original value in the free text of the same row:
 * as name words (in any case and word order), an identity number or phone number in any
 * spelling, an e-mail address in any case, or the whole value as a phrase.
 */
export type TextForm = 'first_name' | 'last_name' | 'full_name' | 'identity' | 'phone' | 'email' | 'phrase';

/** A masked column of the row, as row-aware transformers see it. */
export interface RowColumn {
  readonly name: string;
  /** How its value is found in free text; undefined when its transformer says nothing (only looked for when a rule names it). */
  readonly inText: TextForm | undefined;
}

/** Other columns of the row being masked, for transformers that read them (`from:`, templates, sex). */
export interface RowValues {
  /** The original value of a column of the same row, in PostgreSQL's text form; null for NULL. */
  original(column: string): string | null;
  /** The same column's value after its own rule has masked it. */
  masked(column: string): string | null;
}

/**
 * Masks one value, given in PostgreSQL's text form (what COPY text carries, unescaped).
 * Never called with NULL unless the definition sets `transformsNull`.
 */
export type TransformFn = (value: string | null, row: RowValues) => string | null;

/** A rule as a transformer sees it: nested rules in `json`, `array` and `text.scrub` use the same shape. */
export interface RuleSpec {
  readonly transform: string;
  readonly options?: Readonly<Record<string, unknown>>;
  readonly unique?: boolean;
  readonly scope?: string;
}

/** Everything a transformer's factory may use. Built once per column, per run. */
export interface TransformerContext {
  readonly column: ColumnTarget;
  readonly unique: boolean;
  /** The rule's scope; when set, it separates this column's pseudonyms from the same domain elsewhere. */
  readonly scope: string | undefined;
  /** A keyed PRF for a domain (`email`, `se.personnummer`, …). The context mixes in the scope. */
  prf(domain: string): DomainPrf;
  /** Builds another transformer, e.g. the one a `json` path or an array element uses. */
  nested(spec: RuleSpec, column?: Partial<ColumnTarget>): TransformFn;
  /** Lazily loaded shared resources (test number lists, ...), one instance per run. */
  resource<T>(name: string, load: () => T): T;
  /** A warning for the run report (never holding a value from the data). */
  warn(code: string, message: string): void;
  /** Folder of the Skatteverket test lists given for the run (`--testdata-dir`); else PGMASK_TESTDATA_DIR, else the cache. */
  readonly testdataDir?: string | undefined;
  /** The environment the run reads (PGMASK_TESTDATA_DIR, HOME). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The run's date, for reading 10-digit personnummer (century and `+`). */
  readonly today?: Today;
}

/** One transformer: data describing it, plus a factory. Registered in `registry.ts`. */
export interface TransformerDefinition<O extends object = Record<string, unknown>> {
  /** The name users write in rules files, e.g. `se.personnummer`. */
  readonly name: string;
  readonly description: string;
  /** JSON Schema of the options object (keys besides transform, unique and scope). */
  readonly options: JsonSchema;
  /** Column families this transformer accepts; `any` for all. */
  readonly accepts: readonly TypeFamily[] | 'any';
  /**
   * Whether distinct inputs always give distinct outputs (needed on unique and primary-key
   * columns). A function may also look at the column, when it is known (`pgmask validate
   * --source`, a run); without one it answers for any column.
   */
  readonly injective: boolean | ((options: O, column?: ColumnTarget) => boolean);
  /**
   * With `unique: true` the transformer guarantees distinct outputs for distinct inputs within
   * a run (it detects a collision and picks another pseudonym), so a unique column may use it
   * even where `injective` is false. A pool too small for the inputs is then a run-time error.
   */
  readonly enforcesUnique?: boolean;
  /** Whether it may output NULL for a non-NULL input (not allowed into NOT NULL columns). */
  readonly outputsNull: boolean | ((options: O) => boolean);
  /** Called for NULL inputs too (e.g. `redact` with a value for NULLs); by default NULL stays NULL. */
  readonly transformsNull?: boolean | ((options: O) => boolean);
  /** An empty string stays empty, as NULL stays NULL (it holds nothing personal); applied by buildTransform. */
  readonly keepsEmpty?: boolean;
  /** The longest output in characters, when bounded; checked against varchar(n). */
  readonly maxOutputLength?: (options: O, column: ColumnTarget) => number | undefined;
  /** Other columns of the row this rule reads (`from:`, template fields), for ordering and checks; `column.row` when it is known. */
  readonly reads?: (options: O, column?: Pick<ColumnTarget, 'column' | 'row'>) => readonly string[];
  /** How row-aware `text.scrub` finds this column's original value in the free text of its row. */
  readonly inText?: TextForm;
  /** The rules it applies inside a value (json paths, array elements): their reads are its reads too. */
  readonly nested?: (options: O) => readonly RuleSpec[];
  /** One example for the docs: input, options, and the output with the docs' example key. */
  readonly example: { readonly input: string; readonly options?: O; readonly note?: string };
  create(options: O, context: TransformerContext): TransformFn;
}

/** Helper that keeps a definition's option type when it is written. */
export function defineTransformer<O extends object>(definition: TransformerDefinition<O>): TransformerDefinition<O> {
  return definition;
}

/** A definition of any option type, as the registry holds them. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds definitions of every option type
export type AnyTransformer = TransformerDefinition<any>;
