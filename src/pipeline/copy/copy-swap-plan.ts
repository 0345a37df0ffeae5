import { tableKey } from '../../catalog/table-key.js';
import type { Session } from '../../db/connection.js';
import { UsageError } from '../../errors.js';
import type { Prepared } from '../run/prepare.js';
import { readSwapPlan } from '../swap/read-swap-plan.js';
import type { SwapPlan } from '../swap/swap-plan.js';
import type { TargetInspection } from './inspect-target.js';

/** What swapping the copied tables takes (see `readSwapPlan`): refuses, naming them, the dependents it cannot carry over. */
export async function copySwapPlan(target: Session, prepared: Prepared, inspected: TargetInspection): Promise<SwapPlan> {
  const onTarget = new Map(inspected.catalog.tables.map((t) => [tableKey(t.schema, t.name), t.oid]));
  const copied = prepared.plans.filter((p) => !p.skip);
  if (!copied.length) throw new UsageError('--swap: the rules copy no table');
  const oids = copied.map((p) => onTarget.get(p.key)!);
  return readSwapPlan(target, oids, new Set(oids));
}
