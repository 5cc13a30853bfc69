/**
 * The peer of bench:ingest: Emmett's PostgreSQL event store (@event-driven-io/emmett-postgresql),
 * a library event store, appending the same events into its own database on the same server.
 *
 * Emmett appends to one stream per call (`appendToStream`, one transaction each), so it is given
 * the events as it is best used: each stream's events of a run together, in calls of up to 100,
 * each stream always by the same writer (its appends stay in order and never race). The event is
 * the producer's envelope as JSON (`data`), its type and its eventId as Emmett's messageId.
 */
import { getPostgreSQLEventStore, type PostgresEventStore } from '@event-driven-io/emmett-postgresql';
import type { LedgerEvent } from '@ledger/domain';
import { streamIdOf } from '@ledger/event-store';

export const EMMETT_EVENTS_PER_CALL = 100;

export interface EmmettAppendCall {
  stream: string;
  events: LedgerEvent[];
}

/** Each writer's calls: the events grouped by stream (in their order), up to 100 per call, streams spread over the writers. */
export function emmettCalls(events: readonly LedgerEvent[], writers: number): EmmettAppendCall[][] {
  const byStream = new Map<string, LedgerEvent[]>();
  for (const event of events) {
    const stream = streamIdOf(event);
    const list = byStream.get(stream);
    if (list) list.push(event);
    else byStream.set(stream, [event]);
  }
  const plans: EmmettAppendCall[][] = Array.from({ length: writers }, () => []);
  let next = 0;
  for (const [stream, list] of byStream) {
    const plan = plans[next++ % writers]!;
    for (let i = 0; i < list.length; i += EMMETT_EVENTS_PER_CALL) plan.push({ stream, events: list.slice(i, i + EMMETT_EVENTS_PER_CALL) });
  }
  return plans;
}

function emmettEvent(event: LedgerEvent): { type: string; data: Record<string, unknown>; metadata: { messageId: string } } {
  const { type, ...data } = event;
  return { type, data, metadata: { messageId: event.eventId } };
}

export class EmmettPeer {
  private constructor(private readonly store: PostgresEventStore) {}

  static async open(url: string): Promise<EmmettPeer> {
    const store = getPostgreSQLEventStore(url);
    await store.schema.migrate();
    return new EmmettPeer(store);
  }

  /** Runs each writer's calls in order, the writers at once. */
  async append(plans: readonly EmmettAppendCall[][]): Promise<void> {
    await Promise.all(
      plans.map(async (calls) => {
        for (const call of calls) await this.store.appendToStream(call.stream, call.events.map(emmettEvent));
      }),
    );
  }

  /** `clients` concurrent callers, each appending one event per call. */
  async appendSingles(events: readonly LedgerEvent[], clients: number): Promise<void> {
    let cursor = 0;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (cursor < events.length) {
          const event = events[cursor++]!;
          await this.store.appendToStream(streamIdOf(event), [emmettEvent(event)]);
        }
      }),
    );
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
