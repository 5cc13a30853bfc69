import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { LedgerEvent, RecordedEvent } from '@ledger/domain';
import { encodeStoredEvent } from '@ledger/event-store';
import { getJson, postJson } from './service-process.js';

/**
 * What the durability and fault tests share: a contract, feeds that remember what was
 * acknowledged, and the check that the log lost nothing acknowledged and holds no half batch.
 */
export const CONTRACT = 'durability-contract';

export function registration(): LedgerEvent {
  return {
    eventId: randomUUID(), type: 'ContractRegistered', contractId: CONTRACT, occurredAt: '2025-04-01T09:00:00+09:00', actor: { org: 'city' },
    data: { title: 'durability', contractorId: 'okayama-systems', purposes: ['operation'], dataCategories: ['被保険者台帳'], permitsSubcontracting: false, term: { start: '2025-04-01T00:00:00+09:00', end: '2030-03-31T00:00:00+09:00' } },
  };
}

export function used(recordId: string): LedgerEvent {
  return {
    eventId: randomUUID(), type: 'RecordUsed', contractId: CONTRACT, recordId, occurredAt: '2026-04-01T09:00:00+09:00',
    actor: { org: 'contractor', workerId: 'W-1' }, data: { purpose: 'operation' },
  };
}

export async function readLog(url: string): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for (let after = 0; ; ) {
    const page = await getJson(url, `/v1/contracts/${CONTRACT}/events?after=${after}&limit=1000`);
    expect(page.status).toBe(200);
    all.push(...page.body.events);
    if (page.body.next === null) return all;
    after = page.body.next;
  }
}

/** Every acknowledged event is there; every batch is all there or not at all; hashes chain. */
export function checkLog(log: RecordedEvent[], acknowledged: Set<string>, batches: string[][]): void {
  const ids = new Set(log.map((e) => e.event.eventId));
  for (const id of acknowledged) expect(ids.has(id)).toBe(true);
  for (const batch of batches) {
    const present = batch.filter((id) => ids.has(id)).length;
    expect([0, batch.length]).toContain(present);
  }
  expect(log.map((e) => e.position)).toEqual(log.map((_, i) => i + 1));
  const lastOfStream = new Map<string, RecordedEvent>();
  for (const recorded of log) {
    expect(encodeStoredEvent(recorded.event, recorded).hash.toString('hex')).toBe(recorded.hash);
    const previous = lastOfStream.get(recorded.streamId);
    expect(recorded.streamVersion).toBe(previous ? previous.streamVersion + 1 : 0);
    expect(recorded.prevHash).toBe(previous ? previous.hash : null);
    lastOfStream.set(recorded.streamId, recorded);
  }
}

/**
 * Feeds batches from several clients until stopped; remembers what was acknowledged, and tells
 * `answered` each status (0 when the connection failed: the service died mid-request, and that
 * client stops).
 */
export function feed(
  url: string,
  clients: number,
  acknowledged: Set<string>,
  batches: string[][],
  answered: (status: number) => void = () => undefined,
): { stop: () => Promise<void> } {
  let running = true;
  const loops = Array.from({ length: clients }, async (_, c) => {
    for (let n = 0; running; n++) {
      const events = Array.from({ length: 1 + ((c + n) % 40) }, (_, i) => used(`R-${c}-${(n + i) % 17}`));
      batches.push(events.map((e) => e.eventId));
      try {
        const answer = await postJson(url, '/v1/events', { events });
        answered(answer.status);
        if (answer.status === 201) for (const e of events) acknowledged.add(e.eventId);
        // A refused request is retried later, as a feed would; keep the loop from spinning meanwhile.
        else await new Promise((r) => setTimeout(r, 50));
      } catch {
        answered(0);
        return;
      }
    }
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** PID and port of the embedded PostgreSQL of a data directory (postmaster.pid lines 1 and 4). */
export async function postmaster(dataDir: string): Promise<{ pid: number; port: number }> {
  const lines = (await fs.readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n');
  return { pid: Number(lines[0]), port: Number(lines[3]) };
}
