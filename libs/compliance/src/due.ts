import { addDuration, type DurationKey } from '@ledger/domain';
import type { ContractView } from '@ledger/handling';

/** `at` plus the policy duration in force at `at` (RULES.md "Inputs and time": "within D"). */
export function dueAfter(contract: ContractView, key: DurationKey, at: number): number {
  return addDuration(at, contract.requiredDurationAt(key, at));
}
