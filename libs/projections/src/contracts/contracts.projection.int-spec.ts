import { randomUUID } from 'node:crypto';
import { exampleEvent } from '@ledger/wire';
import type { LedgerEvent } from '@ledger/domain';
import { openHarness, type Harness } from '../testing/harness.js';
import { readActiveGeneration } from '../runner/read-active.js';
import { rebuildReadModels } from '../runner/rebuild.js';
import type { Projection } from '../runner/projection.js';
import { contractsProjection, CONTRACTS_TABLES } from './contracts.projection.js';
import { listContracts } from './contracts-read.js';

const contracts = contractsProjection as Projection;

function registered(contractId: string, contractorId: string, title: string): LedgerEvent {
  const base = exampleEvent('ContractRegistered', randomUUID());
  return { ...base, contractId, data: { ...(base.data as object), contractorId, title } } as LedgerEvent;
}

describe('the contract directory read model', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await openHarness('contracts');
    await h.append([
      registered('c-beta', 'vendor-b', 'Beta'),
      registered('c-alpha', 'vendor-a', 'Alpha'),
      registered('c-gamma', 'vendor-a', 'Gamma'),
      exampleEvent('RecordCollected', randomUUID(), { contractId: 'c-alpha', recordId: 'R-1' }),
      { ...exampleEvent('ContractEnded', randomUUID()), contractId: 'c-gamma', occurredAt: '2026-03-31T18:00:00+09:00' } as LedgerEvent,
      { ...exampleEvent('ContractEnded', randomUUID()), contractId: 'c-gamma', occurredAt: '2026-04-30T18:00:00+09:00' } as LedgerEvent,
    ]);
    await h.catchUp([contracts]);
  });

  afterAll(async () => {
    await h.close();
  });

  const list = (query: Partial<Parameters<typeof listContracts>[1]> = {}) =>
    readActiveGeneration(h.dataSource, (q) => listContracts(q, { contracts: 'all', contractorId: null, after: null, limit: 100, ...query }));

  it('lists every registered contract by ID, with its contractor, title, term and first end', async () => {
    const page = await list();
    expect(page.next).toBeNull();
    expect(page.contracts.map((c) => [c.contractId, c.contractorId, c.title, c.endedAt])).toEqual([
      ['c-alpha', 'vendor-a', 'Alpha', null],
      ['c-beta', 'vendor-b', 'Beta', null],
      ['c-gamma', 'vendor-a', 'Gamma', '2026-03-31T18:00:00+09:00'],
    ]);
  });

  it('limits the list to a scope and to a contractor, and pages by contract ID', async () => {
    expect((await list({ contractorId: 'vendor-a' })).contracts.map((c) => c.contractId)).toEqual(['c-alpha', 'c-gamma']);
    expect((await list({ contracts: ['c-beta', 'c-gamma', 'c-missing'], contractorId: 'vendor-a' })).contracts.map((c) => c.contractId)).toEqual(['c-gamma']);
    const first = await list({ limit: 2 });
    expect([first.contracts.map((c) => c.contractId), first.next]).toEqual([['c-alpha', 'c-beta'], 'c-beta']);
    const second = await list({ limit: 2, after: first.next });
    expect([second.contracts.map((c) => c.contractId), second.next]).toEqual([['c-gamma'], null]);
  });

  it('rebuilds into the very same rows', async () => {
    const before = await h.dump(CONTRACTS_TABLES);
    await rebuildReadModels(h.set([contracts]), {});
    expect(await h.dump(CONTRACTS_TABLES)).toEqual(before);
  });
});
