import type { ProjectionTransaction } from '../runner/projection.js';
import { Pending } from './pending.js';

/** A transaction whose statements take a tick each and record when they start and end (no database: this is about ordering). */
function recordingTx(failing: ReadonlySet<string> = new Set()): { tx: ProjectionTransaction; log: string[] } {
  const log: string[] = [];
  let running = 0;
  const tx = {
    query: async (sql: string) => {
      running++;
      log.push(`start ${sql}${running > 1 ? ' (overlapping)' : ''}`);
      await new Promise((resolve) => setTimeout(resolve, 1));
      running--;
      log.push(`end ${sql}`);
      if (failing.has(sql)) throw new Error(`${sql} failed`);
      return [{ sql }];
    },
  } as unknown as ProjectionTransaction;
  return { tx, log };
}

describe('Pending: statements sent without waiting, run one at a time in the order sent', () => {
  it('given statements sent and a read queried after them, when they run, then each starts after the one before ends, in order', async () => {
    const { tx, log } = recordingTx();
    const pending = new Pending(tx);
    pending.send(pending.tx.query('write 1'));
    pending.send(pending.tx.query('write 2'));
    const read = await pending.tx.query<{ sql: string }>('read');
    await pending.settle();
    expect(read).toEqual([{ sql: 'read' }]);
    expect(log).toEqual(['start write 1', 'end write 1', 'start write 2', 'end write 2', 'start read', 'end read']);
  });

  it('given a sent statement that fails and later ones that fail because of it, when settled, then the first failure is thrown', async () => {
    const { tx } = recordingTx(new Set(['write 1', 'write 2']));
    const pending = new Pending(tx);
    pending.send(pending.tx.query('write 1'));
    pending.send(pending.tx.query('write 2'));
    await expect(pending.settle()).rejects.toThrow('write 1 failed');
  });

  it('given a sent statement that failed, when a later awaited statement fails too, then `fail` reports the first one', async () => {
    const { tx } = recordingTx(new Set(['write', 'read']));
    const pending = new Pending(tx);
    pending.send(pending.tx.query('write'));
    const error = await pending.tx.query('read').catch((e: unknown) => e);
    await expect(pending.fail(error)).rejects.toThrow('write failed');
  });

  it('given no sent statement failed, when an awaited one fails, then `fail` reports it after every sent one has run', async () => {
    const { tx, log } = recordingTx(new Set(['read']));
    const pending = new Pending(tx);
    pending.send(pending.tx.query('write'));
    const error = await pending.tx.query('read').catch((e: unknown) => e);
    pending.send(pending.tx.query('write after'));
    await expect(pending.fail(error)).rejects.toThrow('read failed');
    expect(log.at(-1)).toBe('end write after');
  });

  it('given two groups of statements, when the first group is awaited, then it settles once its own statements have run, and check() throws only after a failure', async () => {
    const { tx, log } = recordingTx(new Set(['b']));
    const pending = new Pending(tx);
    pending.send(pending.tx.query('a'));
    const first = pending.group();
    pending.send(pending.tx.query('b'));
    const second = pending.group();
    await first;
    expect(log).toContain('end a');
    expect(() => pending.check()).not.toThrow();
    await second;
    expect(() => pending.check()).toThrow('b failed');
  });
});
