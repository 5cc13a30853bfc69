import type { LogFollowerStatus } from '@ledger/event-store';

/** One position whose stored event does not match what the log proves. */
export interface IntegrityFinding {
  position: number;
  reason: string;
}

/**
 * What the workers that check the log (the integrator, the scrubber) report besides their
 * follower status: /health turns degraded naming the first position, /metrics counts them.
 */
export interface IntegrityReport {
  /** Positions found not to match, in the current and last pass (each counted once). */
  mismatches: number;
  /** The lowest of them. */
  first?: IntegrityFinding;
  /** Events re-verified since the worker started (the scrubber). */
  checked?: number;
  /** Complete passes over the log since the worker started (the scrubber). */
  passes?: number;
  /** Events left in the current pass (the scrubber). */
  remaining?: number;
}

export interface IntegrityStatus extends LogFollowerStatus {
  integrity?: IntegrityReport;
}

