import { parse as parseYaml } from 'yaml';
import type { AnyTransformer, JsonSchema } from '../transformers/transformer.js';

/** Keys of a column rule that belong to pgmask, not to the transformer's options. */
export const RULE_KEYS = ['transform', 'unique', 'scope'] as const;

/** Keys allowed at the top of a rules file. */
export const TOP_KEYS = ['version', 'unlisted', 'tables', 'subset'] as const;

/** Keys allowed in `subset:`. */
export const SUBSET_KEYS = ['roots', 'children', 'virtual_keys', 'whole', 'empty', 'null_outside'] as const;

/** Keys allowed in a root of `subset.roots`. */
export const ROOT_KEYS = ['table', 'where', 'limit', 'percent'] as const;

/** Keys allowed in a rule of `subset.children`. */
export const CHILD_KEYS = ['foreign_key', 'table', 'limit_per_parent'] as const;

/** Keys allowed in a virtual key of `subset.virtual_keys`. */
export const VIRTUAL_KEY_KEYS = ['name', 'table', 'columns', 'references', 'referenced_columns', 'where'] as const;

/** Keys allowed in an entry of `subset.null_outside`. */
export const NULL_OUTSIDE_KEYS = ['table', 'foreign_key'] as const;

/** Keys allowed in a table's rules. (`where:` and subsetting will join them.) */
export const TABLE_KEYS = ['columns', 'skip', 'unlisted', 'subject'] as const;

const descriptions = {
  root: 'pgmask rules: which transformer masks each column of each table copied, and optionally which rows (`subset:`).',
  version: 'Format version of this file. Always 1.',
  unlisted:
    'What a table with no entry under `tables:` means. `fail` (the default): validation fails, so that no new table is ever copied unmasked. `keep`: it is copied unchanged. It never reaches the columns of a listed table: there every column needs a rule, unless the table itself says `unlisted: keep`.',
  tables:
    'Rules per table, keyed by `schema.table` (just `table` means schema public). Names are read as in SQL: unquoted names are folded to lower case, a name in double quotes is exact, e.g. `public."Order Items"`. A key that starts with a double quote must itself be quoted in YAML: `\'"Sales"."Kund"\':`.',
  table: "One table's rules.",
  skip: 'Copy the table’s schema but no rows.',
  tableUnlisted:
    'What a column of this table without a rule means. `fail` (the default): validation fails, so that no new column is ever copied unmasked. `keep`: this table’s columns without a rule are copied unchanged (an opt-out that validate reports), whatever the top-level `unlisted` says.',
  subject:
    'What `pgmask subject erase` does with a person’s rows in this table: `delete` them, `mask` them (the columns this table’s rules mask are rewritten as a copy would mask them; the other columns, such as amounts, stay), or `{ retain: "reason" }` to keep them for a stated reason (e.g. bookkeeping law). A table with rows of the person and no `subject:` makes the erasure fail.',
  columns: 'Rule per column, keyed by the exact column name: a transformer name, or a mapping with `transform:` and that transformer’s options.',
  columnRule: 'A transformer name, or `{ transform: NAME, ...options, unique?, scope? }`.',
  transform: 'The transformer that masks this column.',
  unique: 'Ask for distinct outputs for distinct inputs: needed on a unique or primary-key column when the transformer is not injective by itself.',
  scope:
    'Separates this column’s pseudonyms from those of the same kind elsewhere. Without it, the same input gives the same pseudonym in every column that uses the same transformer.',
} as const;

const subsetDescriptions = {
  subset:
    'Copy a referentially complete subset of the rows instead of every row: the roots’ rows, every row they reference (parents are always followed), and the rows that reference them where `children:` asks.',
  roots: 'The tables the subset starts from (at least one), each with an optional SQL predicate and a limit or a percent.',
  root: 'A table the subset starts from.',
  rootTable: 'The table, as a key of `tables:` names it: `schema.table` (just `table` means schema public).',
  rootWhere: "An SQL predicate on the table’s rows, without an alias, e.g. `country = 'SE'`; it runs in the source database.",
  limit: 'At most this many of the matching rows, in a stable order (the primary key, else the first unique key, else the physical order). Not together with `percent`.',
  percent: 'This percent of the matching rows, rounded up, in the same stable order: more than 0, at most 100. Not together with `limit`.',
  children:
    'Which references to follow downwards, to the rows that reference selected rows: `none` (the default), `all`, or a list of `{ foreign_key, table }` with an optional `limit_per_parent` (a virtual key: `{ foreign_key: its name, table: its referencing table }`). Only rows selected as roots or as children have their children followed, never rows pulled in only as parents or from whole tables.',
  child: 'A reference to follow downwards.',
  childForeignKey: 'The name of a foreign-key constraint of `table`, or of a virtual key.',
  childTable: 'The referencing table: `schema.table`.',
  limitPerParent: 'At most this many referencing rows per parent row, in a stable order.',
  virtualKeys: 'References the catalog does not hold (no foreign-key constraint), followed like foreign keys.',
  virtualKey: 'A reference the catalog does not hold.',
  virtualKeyName: 'A name for the key, unique among the virtual keys: `children:` and `null_outside:` use it, and errors name it.',
  virtualKeyTable: 'The referencing table: `schema.table`.',
  virtualKeyColumns: 'The referencing columns.',
  references: 'The referenced table: `schema.table`.',
  referencedColumns: 'The referenced columns, as many as `columns`: the referenced table’s primary key or a unique key. By default its primary key.',
  virtualKeyWhere: "Only referencing rows where this SQL predicate holds, e.g. `subject_type = 'Post'` for a polymorphic reference.",
  whole: 'Tables copied whole, e.g. lookup tables (`schema.table`): all their rows are selected as parents are, their parents followed, their children not.',
  empty: 'Tables left empty (`schema.table`): no row is copied. A selected row that references one is an error, unless the reference is in `null_outside:`.',
  nullOutside: 'Nullable references written as NULL when the row they point at is not in the subset, instead of pulling that row in. The referencing columns must be nullable.',
  nullOutsideEntry: 'A nullable reference: its table and the name of its foreign-key constraint (or virtual key).',
  nullOutsideTable: 'The referencing table: `schema.table`.',
  nullOutsideForeignKey: 'The name of a foreign-key constraint of `table`, or of a virtual key.',
} as const;

/** The JSON Schema of the `subset:` section (self-contained: no `$ref`). */
export function subsetSchema(): JsonSchema {
  const d = subsetDescriptions;
  const name = (description: string) => ({ description, type: 'string', minLength: 1 });
  const names = (description: string) => ({ description, type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } });
  const tables = (description: string) => ({ description, type: 'array', items: { type: 'string', minLength: 1 } });
  return {
    description: d.subset,
    type: 'object',
    additionalProperties: false,
    required: ['roots'],
    properties: {
      roots: {
        description: d.roots,
        type: 'array',
        minItems: 1,
        items: {
          description: d.root,
          type: 'object',
          additionalProperties: false,
          required: ['table'],
          properties: {
            table: name(d.rootTable),
            where: name(d.rootWhere),
            limit: { description: d.limit, type: 'integer', minimum: 1 },
            percent: { description: d.percent, type: 'number', exclusiveMinimum: 0, maximum: 100 },
          },
          // limit and percent exclude each other: with limit, percent is refused (where it is written).
          dependentSchemas: { limit: { properties: { percent: false } } },
        },
      },
      children: {
        description: d.children,
        default: 'none',
        if: { type: 'string' },
        then: { enum: ['all', 'none'] },
        else: {
          type: 'array',
          items: {
            description: d.child,
            type: 'object',
            additionalProperties: false,
            required: ['foreign_key', 'table'],
            properties: {
              foreign_key: name(d.childForeignKey),
              table: name(d.childTable),
              limit_per_parent: { description: d.limitPerParent, type: 'integer', minimum: 1 },
            },
          },
        },
      },
      virtual_keys: {
        description: d.virtualKeys,
        type: 'array',
        items: {
          description: d.virtualKey,
          type: 'object',
          additionalProperties: false,
          required: ['name', 'table', 'columns', 'references'],
          properties: {
            name: name(d.virtualKeyName),
            table: name(d.virtualKeyTable),
            columns: names(d.virtualKeyColumns),
            references: name(d.references),
            referenced_columns: names(d.referencedColumns),
            where: name(d.virtualKeyWhere),
          },
        },
      },
      whole: tables(d.whole),
      empty: tables(d.empty),
      null_outside: {
        description: d.nullOutside,
        type: 'array',
        items: {
          description: d.nullOutsideEntry,
          type: 'object',
          additionalProperties: false,
          required: ['table', 'foreign_key'],
          properties: { table: name(d.nullOutsideTable), foreign_key: name(d.nullOutsideForeignKey) },
        },
      },
    },
  };
}

/** Made once: ajv compiles each schema object once per process. */
const SUBSET_SCHEMA = subsetSchema();

/**
 * The structure of a rules file, down to each column's value (a string or a mapping). The
 * transformers' own options are checked separately, with each transformer's schema.
 */
export function baseRulesSchema(): JsonSchema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    additionalProperties: false,
    required: ['version'],
    properties: {
      version: { const: 1 },
      unlisted: { enum: ['fail', 'keep'] },
      tables: { type: 'object', additionalProperties: { $ref: '#/$defs/table' } },
      subset: SUBSET_SCHEMA,
    },
    $defs: {
      table: {
        type: 'object',
        additionalProperties: false,
        properties: {
          skip: { type: 'boolean' },
          columns: { type: 'object', additionalProperties: { type: ['string', 'object'] } },
          unlisted: { enum: ['fail', 'keep'] },
          subject: SUBJECT_POLICY_SCHEMA,
        },
      },
    },
  };
}

/** A table's `subject:` policy: `delete`, `mask` or `{ retain: reason }` with a reason that is not empty. */
export const SUBJECT_POLICY_SCHEMA = {
  anyOf: [
    { enum: ['delete', 'mask'] },
    { type: 'object', additionalProperties: false, required: ['retain'], properties: { retain: { type: 'string', minLength: 1, pattern: '\\S' } } },
  ],
} as const;

/** A column rule written as a mapping: `transform:` plus pgmask's own keys; the rest are options. */
export function ruleObjectSchema(): JsonSchema {
  return {
    type: 'object',
    required: ['transform'],
    properties: {
      transform: { type: 'string' },
      unique: { type: 'boolean' },
      scope: { type: 'string', minLength: 1 },
    },
  };
}

/** Rewrites `$ref: '#…'` inside a schema that is moved to `base` (a JSON Pointer fragment). */
function rebaseRefs(schema: unknown, base: string): unknown {
  if (Array.isArray(schema)) return schema.map((item) => rebaseRefs(item, base));
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] = key === '$ref' && typeof value === 'string' && value.startsWith('#') ? `#${base}${value.slice(1)}` : rebaseRefs(value, base);
  }
  return out;
}

/**
 * A transformer's options schema, widened to the whole rule object: pgmask's own keys
 * (transform, unique, scope) are added where the schema lists properties or closes them.
 */
function withRuleKeys(schema: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...schema };
  const closes = out['additionalProperties'] === false || out['unevaluatedProperties'] === false;
  if (closes || (out['properties'] && typeof out['properties'] === 'object')) {
    const properties = { ...((out['properties'] as Record<string, unknown> | undefined) ?? {}) };
    for (const key of RULE_KEYS) properties[key] ??= true;
    out['properties'] = properties;
  }
  for (const combinator of ['allOf', 'anyOf', 'oneOf'] as const) {
    const branches = out[combinator];
    if (Array.isArray(branches)) out[combinator] = branches.map((b) => (b && typeof b === 'object' ? withRuleKeys(b as Record<string, unknown>) : b));
  }
  for (const branch of ['then', 'else'] as const) {
    const b = out[branch];
    if (b && typeof b === 'object') out[branch] = withRuleKeys(b as Record<string, unknown>);
  }
  return out;
}

/** Escapes one JSON Pointer segment. */
const segment = (key: string): string => key.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * The JSON Schema (2020-12) of a rules file, with every registered transformer's name and
 * options, for editors (`# yaml-language-server: $schema=...`). `npm run schema` writes it to
 * rules/schema.json; a test fails when the checked-in file differs.
 */
export function rulesJsonSchema(transformers: readonly AnyTransformer[]): JsonSchema {
  const options: Record<string, unknown> = {};
  for (const t of transformers) {
    const base = `/$defs/options/${segment(t.name)}`;
    options[t.name] = withRuleKeys(rebaseRefs({ description: t.description, ...t.options }, base) as Record<string, unknown>);
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'pgmask rules file',
    description: descriptions.root,
    type: 'object',
    additionalProperties: false,
    required: ['version'],
    properties: {
      version: { description: descriptions.version, const: 1 },
      unlisted: { description: descriptions.unlisted, enum: ['fail', 'keep'], default: 'fail' },
      tables: { description: descriptions.tables, type: 'object', additionalProperties: { $ref: '#/$defs/table' } },
      subset: SUBSET_SCHEMA,
    },
    $defs: {
      table: {
        description: descriptions.table,
        type: 'object',
        additionalProperties: false,
        properties: {
          skip: { description: descriptions.skip, type: 'boolean', default: false },
          columns: { description: descriptions.columns, type: 'object', additionalProperties: { $ref: '#/$defs/columnRule' } },
          unlisted: { description: descriptions.tableUnlisted, enum: ['fail', 'keep'], default: 'fail' },
          subject: { description: descriptions.subject, ...SUBJECT_POLICY_SCHEMA },
        },
      },
      columnRule: {
        description: descriptions.columnRule,
        anyOf: [{ $ref: '#/$defs/transformerName' }, { $ref: '#/$defs/transformRule' }],
      },
      transformerName: {
        anyOf: transformers.map((t) =>
          // `email: null` names the null transformer, though YAML reads a plain null as no value.
          parseYaml(t.name) === null ? { anyOf: [{ const: t.name }, { type: 'null' }], description: t.description } : { const: t.name, description: t.description },
        ),
      },
      transformRule: {
        type: 'object',
        required: ['transform'],
        properties: {
          transform: { description: descriptions.transform, $ref: '#/$defs/transformerName' },
          unique: { description: descriptions.unique, type: 'boolean', default: false },
          scope: { description: descriptions.scope, type: 'string', minLength: 1 },
        },
        allOf: transformers.map((t) => ({
          if: { type: 'object', properties: { transform: { const: t.name } }, required: ['transform'] },
          then: { $ref: `#/$defs/options/${segment(t.name)}` },
        })),
      },
      options,
    },
  };
}
