import { tableKey } from '../../catalog/table-key.js';
import { UsageError } from '../../errors.js';
import type { TablePlan } from '../run/table-plan.js';
import { createShadows } from '../swap/build-shadows.js';
import { readSwapPlan } from '../swap/read-swap-plan.js';
import { dropShadows, lockTargetForSwap } from '../swap/shadow-schemas.js';
import { shadowName } from '../swap/swap-plan.js';
import type { ConfirmedCopy } from './connect-and-confirm.js';
import type { CopyRun } from './copy-run.js';

/**
 * The schema phase of `--swap`: reads what replacing the copied tables takes (refusing, before
 * anything changes, a schema whose dependents the swap cannot carry over), takes the target's
 * swap lock, drops what a killed run left, and makes an empty shadow of every copied table
 * beside it. Returns the copy with each table's rows going into its shadow.
 */
export async function makeShadows(run: CopyRun, copy: ConfirmedCopy): Promise<ConfirmedCopy> {
  const { target, prepared, inspected } = copy;
  const onTarget = new Map(inspected.catalog.tables.map((t) => [tableKey(t.schema, t.name), t.oid]));
  const copied = prepared.plans.filter((p) => !p.skip);
  if (!copied.length) throw new UsageError('--swap: the rules copy no table');
  const oids = copied.map((p) => onTarget.get(p.key)!);
  const plan = await readSwapPlan(target, oids, new Set(oids));
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
