import { isTableKeyError, parseTableKey, tableKey } from '../catalog/table-key.js';
import type { Catalog, Table } from '../catalog/types.js';
import { SubsetError } from './subset-error.js';
import type { KeyRef, SubsetSpec } from './subset-spec.js';

/** A table of the subset: a table that is not a partition (a partitioned table stands for its partitions). */
export interface SubsetNode {
  /** `tableKey(schema, name)`. */
  readonly key: string;
  readonly table: Table;
  /** A partitioned table: its rows live in `leaves`, a selected row is (partition, ctid). */
  readonly partitioned: boolean;
  /** The leaf partitions (tables with rows) under a partitioned table; empty otherwise. */
  readonly leaves: readonly Table[];
  /** `whole`: every row selected; `empty`: no row selected. */
  readonly role: 'whole' | 'empty' | undefined;
  /** The temporary table (in pg_temp) that holds the selected rows, unquoted. */
  readonly selectionTable: string;
}

/** A reference from rows of `child` to rows of `parent`: a foreign key of the catalog or a virtual key. */
export interface ReferenceEdge {
  /** The constraint's name or the virtual key's name. */
  readonly name: string;
  readonly kind: 'foreign' | 'virtual';
  /** Node keys (partitions mapped to the top of their tree). */
  readonly child: string;
  readonly parent: string;
  readonly columns: readonly string[];
  readonly referencedColumns: readonly string[];
  /** A virtual key's predicate on the child's rows (no alias). */
  readonly where: string | undefined;
  /** `null_outside`: not followed upwards; written NULL when the parent row is not selected. */
  readonly nulled: boolean;
  /** Followed downwards (`children:`), with at most `limitPerParent` child rows per parent row when set. */
  readonly down: { readonly limitPerParent: number | undefined } | undefined;
  /**
   * Whether the referenced columns are unique over the whole parent node. False when the key
   * references a partition (unique there, maybe not across its tree): a child row may then
   * match several parent rows.
   */
  readonly uniqueInParent: boolean;
}

/** A root, resolved to its node. */
export interface SubsetGraphRoot {
  readonly node: string;
  readonly where: string | undefined;
  readonly limit: number | undefined;
  readonly percent: number | undefined;
}

/** The reference graph of a catalog under a subset spec, every name resolved. */
export interface ReferenceGraph {
  /** By node key, in catalog order (schema, name). */
  readonly nodes: ReadonlyMap<string, SubsetNode>;
  /** Sorted by child, parent, name. */
  readonly edges: readonly ReferenceEdge[];
  readonly roots: readonly SubsetGraphRoot[];
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((c) => b.includes(c));

/**
 * Builds the graph a subset is selected over: a node per table that is not a partition
 * (foreign tables left out), an edge child→parent per foreign key of the catalog and per
 * virtual key of the spec. A key on a partition, or to a partition or partitioned table, is an
 * edge between the tops of the partition trees (the same key on several partitions is one
 * edge); inheritance children are nodes of their own. Marks edges `nulled` (`nullOutside`)
 * and `down` (`children`), and resolves roots, `whole` and `empty`.
 *
 * @throws SubsetError (exit code 1) for a table, key or column the spec names that the catalog
 *   does not hold, a virtual key whose referenced columns are not a primary or unique key, a
 *   `nullOutside` key with a NOT NULL column, or a table both `empty` and a root or `whole`.
 */
export function referenceGraph(catalog: Catalog, spec: SubsetSpec): ReferenceGraph {
  const byKey = new Map(catalog.tables.map((t) => [tableKey(t.schema, t.name), t]));
  const topOf = (table: Table): Table => {
    let t = table;
    while (t.partitionOf !== undefined) {
      const up = byKey.get(t.partitionOf);
      if (!up) break;
      t = up;
    }
    return t;
  };
  const keyOf = (t: Table): string => tableKey(t.schema, t.name);

  const lookup = (written: string, what: string): Table => {
    const parsed = parseTableKey(written);
    if (isTableKeyError(parsed)) throw new SubsetError('SUBSET_TABLE', `subset: ${what} "${written}" is not a table key: ${parsed.error}`);
    const table = byKey.get(tableKey(parsed.schema, parsed.name));
    if (!table) throw new SubsetError('SUBSET_TABLE', `subset: ${what} ${tableKey(parsed.schema, parsed.name)} is not a table of the source`);
    if (table.kind === 'foreign') throw new SubsetError('SUBSET_TABLE', `subset: ${what} ${keyOf(table)} is a foreign table, which a subset cannot select rows of`);
    return table;
  };
  /** A table named where a node is meant: a partition is refused (its partitioned table is the node). */
  const nodeTable = (written: string, what: string): Table => {
    const table = lookup(written, what);
    if (table.partitionOf !== undefined) {
      throw new SubsetError('SUBSET_PARTITION', `subset: ${what} ${keyOf(table)} is a partition; name its partitioned table ${keyOf(topOf(table))}`);
    }
    return table;
  };

  const whole = new Set((spec.whole ?? []).map((w) => keyOf(nodeTable(w, 'whole table'))));
  const empty = new Set((spec.empty ?? []).map((e) => keyOf(nodeTable(e, 'empty table'))));
  for (const key of whole) {
    if (empty.has(key)) throw new SubsetError('SUBSET_CONFLICT', `subset: ${key} is listed both under whole and under empty`);
  }

  const nodes = new Map<string, SubsetNode>();
  for (const table of catalog.tables) {
    if (table.kind === 'foreign' || table.partitionOf !== undefined) continue;
    const key = keyOf(table);
    const partitioned = table.kind === 'partitioned';
    const leaves = partitioned ? catalog.tables.filter((t) => t.kind === 'table' && t.partitionOf !== undefined && topOf(t) === table) : [];
    const role = whole.has(key) ? 'whole' : empty.has(key) ? 'empty' : undefined;
    nodes.set(key, { key, table, partitioned, leaves, role, selectionTable: `pgmask_subset_${table.oid}` });
  }

  const roots = spec.roots.map((root) => {
    const table = nodeTable(root.table, 'root');
    const node = keyOf(table);
    if (empty.has(node)) throw new SubsetError('SUBSET_CONFLICT', `subset: ${node} is a root and listed under empty`);
    if (root.limit !== undefined && root.percent !== undefined) throw new SubsetError('SUBSET_ROOT', `subset: the root ${node} has both limit and percent; give one`);
    if (root.limit !== undefined && !(Number.isInteger(root.limit) && root.limit >= 0))
      throw new SubsetError('SUBSET_ROOT', `subset: the root ${node} has a limit that is not a whole number ≥ 0`);
    if (root.percent !== undefined && !(root.percent > 0 && root.percent <= 100)) throw new SubsetError('SUBSET_ROOT', `subset: the root ${node} has a percent outside (0, 100]`);
    return { node, where: root.where, limit: root.limit, percent: root.percent };
  });

  // Foreign keys of the catalog, partitions mapped to their tops; the same key on several partitions is one edge.
  interface Draft {
    name: string;
    kind: 'foreign' | 'virtual';
    childTable: Table;
    child: string;
    parent: string;
    columns: readonly string[];
    referencedColumns: readonly string[];
    where: string | undefined;
    uniqueInParent: boolean;
    /** `table\0name` for every table (partition or top) the key is declared on. */
    names: Set<string>;
  }
  const alias = (table: Table, name: string): string => `${keyOf(table)}\0${name}`;
  const drafts: Draft[] = [];
  const seen = new Map<string, Draft>();
  const tablesFirst = [...catalog.tables].sort((a, b) => Number(a.partitionOf !== undefined) - Number(b.partitionOf !== undefined));
  for (const table of tablesFirst) {
    if (table.kind === 'foreign') continue;
    const child = topOf(table);
    for (const fk of table.foreignKeys) {
      const referenced = byKey.get(tableKey(fk.referencedSchema, fk.referencedTable));
      if (!referenced) {
        throw new SubsetError(
          'SUBSET_REFERENCE',
          `subset: foreign key ${fk.name} of ${keyOf(table)} references ${tableKey(fk.referencedSchema, fk.referencedTable)}, which the catalog read does not hold (read every schema the subset reaches)`,
        );
      }
      const parent = topOf(referenced);
      const signature = JSON.stringify([keyOf(child), fk.columns, keyOf(parent), fk.referencedColumns]);
      const existing = seen.get(signature);
      if (existing) {
        existing.names.add(alias(table, fk.name));
        continue;
      }
      const draft: Draft = {
        name: fk.name,
        kind: 'foreign',
        childTable: child,
        child: keyOf(child),
        parent: keyOf(parent),
        columns: fk.columns,
        referencedColumns: fk.referencedColumns,
        where: undefined,
        uniqueInParent: parent === referenced,
        names: new Set([alias(table, fk.name)]),
      };
      seen.set(signature, draft);
      drafts.push(draft);
    }
  }

  const columnsExist = (table: Table, columns: readonly string[], what: string): void => {
    for (const column of columns) {
      if (!table.columns.some((c) => c.name === column)) throw new SubsetError('SUBSET_COLUMN', `subset: ${what}: ${keyOf(table)} has no column ${column}`);
    }
  };
  const virtualNames = new Set<string>();
  for (const vk of spec.virtualKeys ?? []) {
    const what = `virtual key ${vk.name}`;
    if (virtualNames.has(vk.name)) throw new SubsetError('SUBSET_KEY', `subset: two virtual keys are named ${vk.name}`);
    virtualNames.add(vk.name);
    const table = lookup(vk.table, `the table of ${what}`);
    const referenced = lookup(vk.references, `the table ${what} references`);
    const child = topOf(table);
    if (drafts.some((d) => d.names.has(alias(table, vk.name)))) {
      throw new SubsetError('SUBSET_KEY', `subset: ${what} has the name of a foreign key of ${keyOf(child)}; give it another name`);
    }
    columnsExist(table, vk.columns, what);
    const referencedColumns = vk.referencedColumns ?? referenced.primaryKey;
    if (!referencedColumns) throw new SubsetError('SUBSET_KEY', `subset: ${what}: ${keyOf(referenced)} has no primary key; give referenced_columns`);
    columnsExist(referenced, referencedColumns, what);
    if (referencedColumns.length !== vk.columns.length) {
      throw new SubsetError('SUBSET_KEY', `subset: ${what} has ${vk.columns.length} column(s) and ${referencedColumns.length} referenced column(s)`);
    }
    const keys = [...(referenced.primaryKey ? [referenced.primaryKey] : []), ...referenced.uniqueKeys];
    if (!keys.some((k) => sameSet(k, referencedColumns))) {
      throw new SubsetError(
        'SUBSET_KEY',
        `subset: ${what}: the referenced columns (${referencedColumns.join(', ')}) are not the primary key or a unique key of ${keyOf(referenced)}`,
      );
    }
    drafts.push({
      name: vk.name,
      kind: 'virtual',
      childTable: child,
      child: keyOf(child),
      parent: keyOf(topOf(referenced)),
      columns: vk.columns,
      referencedColumns,
      where: vk.where,
      uniqueInParent: topOf(referenced) === referenced,
      names: new Set([alias(table, vk.name)]),
    });
  }

  /** The edge a key reference names. */
  const resolveRef = (ref: KeyRef, what: string): Draft => {
    const table = lookup(ref.table, what);
    const draft = drafts.find((d) => d.names.has(alias(table, ref.foreignKey)));
    if (!draft) throw new SubsetError('SUBSET_KEY', `subset: ${what}: ${keyOf(table)} has no foreign key or virtual key named ${ref.foreignKey}`);
    return draft;
  };

  const nulled = new Set<Draft>();
  for (const ref of spec.nullOutside ?? []) {
    const draft = resolveRef(ref, 'null_outside');
    const table = draft.childTable;
    for (const column of draft.columns) {
      if (table.columns.find((c) => c.name === column)?.notNull) {
        throw new SubsetError('SUBSET_NULL_OUTSIDE', `subset: null_outside ${ref.foreignKey} of ${draft.child}: column ${column} is NOT NULL, so it cannot be written NULL`);
      }
    }
    nulled.add(draft);
  }

  const down = new Map<Draft, number | undefined>();
  const children = spec.children ?? 'none';
  if (children === 'all') for (const d of drafts) down.set(d, undefined);
  else if (children !== 'none') {
    for (const entry of children) {
      if (entry.limitPerParent !== undefined && !(Number.isInteger(entry.limitPerParent) && entry.limitPerParent >= 1)) {
        throw new SubsetError('SUBSET_CHILDREN', `subset: children ${entry.foreignKey} of ${entry.table}: limit_per_parent must be a whole number ≥ 1`);
      }
      down.set(resolveRef(entry, 'children'), entry.limitPerParent);
    }
  }

  const edges: ReferenceEdge[] = drafts.map((d) => ({
    name: d.name,
    kind: d.kind,
    child: d.child,
    parent: d.parent,
    columns: d.columns,
    referencedColumns: d.referencedColumns,
    where: d.where,
    nulled: nulled.has(d),
    down: down.has(d) ? { limitPerParent: down.get(d) } : undefined,
    uniqueInParent: d.uniqueInParent,
  }));
  edges.sort((a, b) => compare(a.child, b.child) || compare(a.parent, b.parent) || compare(a.name, b.name));
  return { nodes, edges, roots };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
