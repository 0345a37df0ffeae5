import type { MaskedRule } from '../table-masker.js';

/** Which masked columns of a table stay on the stream's own thread and which a masking thread takes. */
export interface LanePlan {
  readonly main: readonly MaskedRule[];
  readonly worker: readonly MaskedRule[];
}

/** The part of a table's masking cost the stream's thread is taken to spend on splitting, gathering and writing rows. */
const MAIN_BASE_SHARE = 0.25;

/**
 * Splits a table's masked columns between the stream's thread and a masking thread so that
 * every output stays what one thread would give: columns that read each other (`from:`,
 * templates) stay together, and a group holding a column with run-wide ordered state
 * (`unique: true`) stays on the stream's thread, the one owner of that state, in row order.
 * The other groups depend on their row alone and may go either way: the costliest first, each
 * to the thread with less to do so far by `costs` (the time each column took, in the order of
 * `columns`); without costs, all to the masking thread.
 */
export function planLanes(columns: readonly MaskedRule[], costs?: ArrayLike<number>): LanePlan {
  // Union-find over column names: a rule and the columns it reads form one group.
  const parent = new Map<string, string>();
  const find = (name: string): string => {
    let root = name;
    for (let up = parent.get(root); up !== undefined; up = parent.get(root)) root = up;
    return root;
  };
  for (const column of columns) {
    for (const read of column.reads) {
      const a = find(read);
      const b = find(column.name);
      if (a !== b) parent.set(a, b);
    }
  }
  const groups = new Map<string, { columns: MaskedRule[]; cost: number; ordered: boolean }>();
  columns.forEach((column, k) => {
    const root = find(column.name);
    let group = groups.get(root);
    if (!group) groups.set(root, (group = { columns: [], cost: 0, ordered: false }));
    group.columns.push(column);
    group.cost += costs?.[k] ?? 0;
    group.ordered ||= column.ordered;
  });
  // The stream's thread also splits, gathers and writes every row: it starts with a share of the work.
  let mainLoad = MAIN_BASE_SHARE * [...groups.values()].reduce((sum, g) => sum + g.cost, 0);
  let workerLoad = 0;
  const onMain = new Set<MaskedRule>();
  for (const group of groups.values()) {
    if (!group.ordered) continue;
    mainLoad += group.cost;
    for (const column of group.columns) onMain.add(column);
  }
  const movable = [...groups.values()].filter((g) => !g.ordered).sort((a, b) => b.cost - a.cost);
  for (const group of movable) {
    if (mainLoad < workerLoad) {
      mainLoad += group.cost;
      for (const column of group.columns) onMain.add(column);
    } else {
      workerLoad += group.cost;
    }
  }
  return { main: columns.filter((c) => onMain.has(c)), worker: columns.filter((c) => !onMain.has(c)) };
}
