/**
 * A long-running reader that follows the log from its own checkpoint (the Merkle integrator, the
 * checkpoint signer, the projector), and what it reports on /health and /metrics.
 */
export interface LogFollowerStatus {
  name: string;
  state: 'starting' | 'running' | 'stopped' | 'failed';
  /** Position up to which the follower has applied the log. */
  position: number;
  /** Events committed to the log but not yet applied. */
  lagEvents: number;
  /** Seconds between the oldest unapplied event's recordedAt and now (0 when caught up). */
  lagSeconds: number;
  error?: string;
}

export interface LogFollower {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): Promise<LogFollowerStatus>;
}
