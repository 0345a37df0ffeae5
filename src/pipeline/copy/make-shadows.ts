import { tableKey } from '../../catalog/table-key.js';
import type { TablePlan } from '../run/table-plan.js';
import { createShadows } from '../swap/build-shadows.js';
import { dropShadows, lockTargetForSwap } from '../swap/shadow-schemas.js';
import { shadowName } from '../swap/swap-plan.js';
import type { ConfirmedCopy } from './connect-and-confirm.js';
import type { CopyRun } from './copy-run.js';
import { copySwapPlan } from './copy-swap-plan.js';

/**
 * The schema phase of `--swap`: reads what replacing the copied tables takes (refusing, before
 * anything changes, a schema whose dependents the swap cannot carry over), takes the target's
 * swap lock, drops what a killed run left, and makes an empty shadow of every copied table
 * beside it. Returns the copy with each table's rows going into its shadow.
 */
export async function makeShadows(run: CopyRun, copy: ConfirmedCopy): Promise<ConfirmedCopy> {
  const { target, prepared } = copy;
  const plan = await copySwapPlan(target, prepared, copy.inspected);
  await lockTargetForSwap(target);
  const leftovers = await dropShadows(target);
  run.swap = { plan, leftovers };
  await createShadows(target, plan);

  const shadows = new Map(plan.relations.map((r) => [r.key, shadowName(r)]));
  const keyOf = new Map(prepared.catalog.tables.map((t) => [t.sqlName, tableKey(t.schema, t.name)]));
  const intoShadow = (p: TablePlan): TablePlan => {
    const shadow = shadows.get(keyOf.get(p.loadInto) ?? p.key)!;
    return { ...p, copyInSql: `COPY ${shadow}${p.copyInSql.slice(`COPY ${p.loadInto}`.length)}` };
  };
  return { ...copy, prepared: { ...prepared, plans: prepared.plans.map((p) => (p.skip ? p : intoShadow(p))) } };
}
