/**
 * How a row was found: a column that holds the identifier, free text, JSON or an array that
 * mentions it, an SQL predicate (`--where`), or a reference to a row found already (a foreign
 * key or a virtual key of the rules, followed from the referenced row to the referencing one).
 */
export type HowFound =
  | { readonly kind: 'column'; readonly column: string; readonly identifier: string }
  | { readonly kind: 'free text'; readonly column: string }
  | { readonly kind: 'json'; readonly column: string }
  | { readonly kind: 'array'; readonly column: string }
  | { readonly kind: 'where' }
  | { readonly kind: 'references'; readonly table: string; readonly columns: readonly string[]; readonly via: string; readonly virtual: boolean };

/**
 * One line for a way of finding rows: `column email (email)`, `free text notes`, `json data`,
 * `array tags`, `where`, `references public.customers(id) via orders_customer_id_fkey`.
 */
export function describeHowFound(how: HowFound): string {
  switch (how.kind) {
    case 'column':
      return `column ${how.column} (${how.identifier})`;
    case 'free text':
    case 'json':
    case 'array':
      return `${how.kind} ${how.column}`;
    case 'where':
      return 'where';
    case 'references':
      return `references ${how.table}(${how.columns.join(', ')}) via ${how.virtual ? 'virtual key ' : ''}${how.via}`;
  }
}
