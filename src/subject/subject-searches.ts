import { sqlIdent } from '../catalog/names.js';
import type { Column } from '../catalog/types.js';
import type { ReferenceGraph } from '../subset/reference-graph.js';
import type { HowFound } from './how-found.js';
import type { IdentifierForms, IdentifierKind } from './subject-identifier.js';

/** One search for the subject's rows in one table: a predicate on alias `x`, its one parameter the identifier's forms. */
export interface SubjectSearch {
  /** The node (table key) searched. */
  readonly node: string;
  readonly how: HowFound;
  /** SQL on the table's rows as `x`; `$1` is `param` when set. */
  readonly predicate: string;
  /** The identifier's forms the predicate compares with (never printed). */
  readonly param: string | readonly string[] | undefined;
}

/** The transformer the rules give a column (`tableKey` of its table), or undefined: what the column holds. */
export type TransformOf = (table: string, column: string) => string | undefined;

/** The transformers whose columns hold each kind of identifier on its own. */
export const IDENTIFIER_TRANSFORMERS: Readonly<Record<IdentifierKind, readonly string[]>> = {
  personnummer: ['se.personnummer', 'se.samordningsnummer'],
  email: ['email'],
  phone: ['se.phone', 'phone'],
};

/** The transformers of columns that may mention anyone: searched inside their text. */
export const TEXT_TRANSFORMERS: Readonly<Record<string, 'free text' | 'json' | 'array'>> = { 'text.scrub': 'free text', json: 'json', array: 'array' };

function columnPredicate(forms: IdentifierForms, column: Column): { predicate: string; param: string | readonly string[] } {
  const c = `x.${sqlIdent(column.name)}`;
  switch (forms.kind) {
    case 'personnummer':
      if (column.family === 'integer') return { predicate: `${c} = ANY ($1::int8[])`, param: forms.integers };
      if (column.family === 'numeric') return { predicate: `${c} = ANY ($1::numeric[])`, param: forms.integers };
      return { predicate: `${column.family === 'text' ? c : `${c}::text`} = ANY ($1::text[])`, param: forms.exact };
    case 'email':
      return { predicate: `lower(${c}::text) = lower($1::text)`, param: forms.exact[0]! };
    case 'phone':
      return { predicate: `regexp_replace(${c}::text, '\\D', '', 'g') = ANY ($1::text[])`, param: forms.digits };
  }
}

/**
 * The searches for one identifier over the tables of `graph`, from what the rules say each
 * column holds: a column ruled with a transformer of the identifier's kind is compared with the
 * identifier in every spelling (`=` on a personnummer's spellings or integer values,
 * `lower(col) = lower($1)` for an e-mail address, the column's digits against a phone number's
 * digit forms); a column ruled `text.scrub`, `json` or `array` is searched inside its text
 * (`col::text ~* $1`, the identifier bounded so that it is not part of a longer one). A ruled
 * column the table does not hold is left out (`validate` reports it).
 */
export function subjectSearches(graph: ReferenceGraph, transformOf: TransformOf, forms: IdentifierForms): SubjectSearch[] {
  const searches: SubjectSearch[] = [];
  for (const node of graph.nodes.values()) {
    for (const column of node.table.columns) {
      const transform = transformOf(node.key, column.name);
      if (transform === undefined) continue;
      if (IDENTIFIER_TRANSFORMERS[forms.kind].includes(transform)) {
        searches.push({ node: node.key, how: { kind: 'column', column: column.name, identifier: forms.kind }, ...columnPredicate(forms, column) });
        continue;
      }
      const inText = TEXT_TRANSFORMERS[transform];
      if (inText) searches.push({ node: node.key, how: { kind: inText, column: column.name }, predicate: `x.${sqlIdent(column.name)}::text ~* $1::text`, param: forms.inText });
    }
  }
  return searches;
}
