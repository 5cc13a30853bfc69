import pg from 'pg';
import type { DataSource, DataSourceOptions } from 'typeorm';
import { guardPoolErrors, ledgerDataSource } from '@ledger/database';
import { PostgresEventStore, type EventStore } from '@ledger/event-store';
import { PROJECTION_ENTITIES } from '@ledger/projections';

/** What /health says of the standby. */
export interface ReplicaStatus {
  state: 'up' | 'down';
  /** The last log position seen on the standby (null before the first look). */
  replayedPosition: number | null;
}

/** How often a wait for the standby looks at its replayed position, and how long a standby found down is left alone. */
const POLL_MS = 50;
const RETRY_DOWN_MS = 1_000;

/**
 * The streaming hot standby of DATABASE_READ_URL: its own small pool, the event log's read side
 * over it, and the read models' DataSource (opened on first use: a standby down at start-up must
 * not stop the service). Only reads go here; nothing of this is ever written to.
 *
 * "Replayed" is the highest log position the standby can answer: positions are contiguous in
 * commit order and the standby replays commits in that order, so every position up to it is there.
 */
export class ReadReplica {
  readonly eventStore: EventStore;
  private readonly pool: pg.Pool;
  private source: DataSource | null = null;
  private opening: Promise<DataSource> | null = null;
  private replayed: number | null = null;
  private downUntil = 0;
  private down = false;

  constructor(
    private readonly url: string,
    private readonly log: (line: string) => void = () => undefined,
    private readonly clock: () => number = Date.now,
  ) {
    // A short connect timeout: a standby that does not answer hands its reads to the primary quickly.
    this.pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 1_000, keepAlive: true });
    guardPoolErrors(this.pool, log);
    this.eventStore = new PostgresEventStore(this.pool, { clock });
  }

  status(): ReplicaStatus {
    return { state: this.down ? 'down' : 'up', replayedPosition: this.replayed };
  }

  /** The read models' DataSource on the standby (opened once; null until `ready` succeeded). */
  get dataSource(): DataSource | null {
    return this.source;
  }

  /** Whether the standby was found down recently (its reads go to the primary without trying). */
  get resting(): boolean {
    return this.down && this.clock() < this.downUntil;
  }

  /** The standby's replayed log position; a failure marks it down and rethrows. */
  async replayedPosition(): Promise<number> {
    try {
      const position = await this.eventStore.headPosition();
      this.replayed = position;
      this.markUp();
      return position;
    } catch (error) {
      this.markDown(error);
      throw error;
    }
  }

  /**
   * Whether the standby can answer a client that saw `minPosition` (0: anything it has), waiting
   * up to `waitMs` for it to replay that far, and with its read models open. False: answer from
   * the primary (behind, down, or not a ledger database).
   */
  async ready(minPosition: number, waitMs: number): Promise<boolean> {
    if (this.resting) return false;
    try {
      if (!this.source) await this.openDataSource();
      if (minPosition <= 0 || (this.replayed !== null && this.replayed >= minPosition)) return true;
      const deadline = this.clock() + waitMs;
      for (;;) {
        if ((await this.replayedPosition()) >= minPosition) return true;
        if (this.clock() + POLL_MS > deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    } catch {
      return false;
    }
  }

  /** A read on the standby failed: its next reads go to the primary for a while. */
  markDown(error: unknown): void {
    if (!this.down) this.log(`the read replica is unavailable, reads go to the primary: ${error instanceof Error ? error.message : String(error)}`);
    this.down = true;
    this.downUntil = this.clock() + RETRY_DOWN_MS;
  }

  private markUp(): void {
    if (this.down) this.log('the read replica is back: reads go to it again');
    this.down = false;
  }

  private openDataSource(): Promise<DataSource> {
    this.opening ??= (async () => {
      // installExtensions off: a standby refuses every write, CREATE EXTENSION included.
      const source = ledgerDataSource(this.url, PROJECTION_ENTITIES, { installExtensions: false, extra: { max: 10, keepAlive: true, connectionTimeoutMillis: 1_000 } } as Partial<DataSourceOptions>);
      try {
        await source.initialize();
      } catch (error) {
        this.markDown(error);
        throw error;
      }
      guardPoolErrors((source.driver as unknown as { master: pg.Pool }).master, this.log);
      this.source = source;
      return source;
    })().finally(() => {
      this.opening = null;
    });
    return this.opening;
  }

  async close(): Promise<void> {
    await this.opening?.catch(() => undefined);
    if (this.source?.isInitialized) await this.source.destroy();
    await this.eventStore.close();
    await this.pool.end();
  }
}
