import { ExitCode } from '../errors.js';
import type { ReferenceEdge, ReferenceGraph } from '../subset/reference-graph.js';
import type { SubjectTable } from './find-subject-rows.js';
import { SubjectError } from './subject-error.js';

/** What an erasure does with a table's rows: the rules' `subject:` (config's `SubjectPolicy`, the same shape). */
export type SubjectPolicy = { readonly kind: 'delete' } | { readonly kind: 'mask' } | { readonly kind: 'retain'; readonly reason: string };

/** One table of an erasure: its rows of the person and what its `subject:` policy does with them. */
export interface ErasureTable {
  readonly table: string;
  readonly policy: SubjectPolicy;
  readonly found: SubjectTable;
}

/** What `pgmask subject erase` does, table by table, before it does anything. */
export interface ErasurePlan {
  /** Every table with rows of the person, in catalog order. */
  readonly tables: readonly ErasureTable[];
  /** The tables whose rows are deleted, children before parents (every foreign key respected). */
  readonly deleteOrder: readonly string[];
  /** The foreign keys from a table to a table whose rows are deleted: each is checked against the rows that stay. */
  readonly deleteEdges: readonly ReferenceEdge[];
}

/**
 * Plans the erasure of the rows `tables` holds: each table's policy from `policyOf` (the rules'
 * `subject:`), and the order of the deletes along the foreign keys of `graph`, children before
 * parents. Fails closed: a table with rows and no policy, or foreign keys between deleted tables
 * in a cycle (deferrable keys are not considered: such rows are for a person to erase by hand),
 * is an error and nothing is done.
 *
 * @throws {SubjectError} naming the tables without a policy, or the tables of a cycle (exit code 1).
 */
export function planErasure(graph: ReferenceGraph, tables: readonly SubjectTable[], policyOf: (table: string) => SubjectPolicy | undefined): ErasurePlan {
  const missing = tables.filter((t) => policyOf(t.table) === undefined).map((t) => t.table);
  if (missing.length > 0) {
    throw new SubjectError(
      'SUBJECT_NO_POLICY',
      `subject erase: ${missing.length === 1 ? 'table' : 'tables'} ${missing.join(', ')} ${missing.length === 1 ? 'holds' : 'hold'} rows of the person but no subject: policy in the rules; give each subject: delete, mask or { retain: "reason" }. Nothing was changed`,
    );
  }
  const planned = tables.map((found) => ({ table: found.table, policy: policyOf(found.table)!, found }));
  const deleted = new Set(planned.filter((t) => t.policy.kind === 'delete').map((t) => t.table));
  const foreign = graph.edges.filter((e) => e.kind === 'foreign');
  const deleteEdges = foreign.filter((e) => deleted.has(e.parent));

  // Kahn's order over the deleted tables: a table goes once no other deleted table still to go references it.
  const order: string[] = [];
  const waiting = new Map([...deleted].map((t) => [t, new Set(foreign.filter((e) => e.parent === t && e.child !== t && deleted.has(e.child)).map((e) => e.child))]));
  while (waiting.size > 0) {
    const ready = [...waiting].filter(([, children]) => children.size === 0).map(([t]) => t);
    if (ready.length === 0) {
      throw new SubjectError(
        'SUBJECT_DELETE_CYCLE',
        `subject erase: the foreign keys between ${[...waiting.keys()].join(', ')} form a cycle, so no order of deletes respects them (deferrable keys are not used); give one of these tables subject: mask, or erase these rows by hand. Nothing was changed`,
      );
    }
    for (const table of ready) {
      order.push(table);
      waiting.delete(table);
      for (const children of waiting.values()) children.delete(table);
    }
  }
  return { tables: planned, deleteOrder: order, deleteEdges };
}

/** A plan that cannot be carried out because a row that stays references a row to be deleted. */
export function brokenKeyError(edge: ReferenceEdge, rows: number, childPolicy: SubjectPolicy | undefined): SubjectError {
  const why =
    childPolicy === undefined
      ? 'rows the erasure leaves (not of the person)'
      : childPolicy.kind === 'retain'
        ? 'retained rows'
        : `${childPolicy.kind === 'mask' ? 'masked' : 'kept'} rows`;
  return new SubjectError(
    'SUBJECT_BROKEN_KEY',
    `subject erase: ${rows} ${why} of ${edge.child} reference rows of ${edge.parent} to be deleted, through foreign key ${edge.name} (${edge.columns.join(', ')}); deleting them would break the key. Give ${edge.parent} subject: mask instead. Nothing was changed`,
    ExitCode.validation,
  );
}
