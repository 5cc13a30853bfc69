import type { LedgerEvent } from './event-catalogue.js';
import { actingParty, appendRefusals, evolveAuthority, isParty, UNREGISTERED, type Speaker } from './parties.js';

const event = (type: string, contractId: string, org: string, extra: object = {}): LedgerEvent =>
  ({ eventId: 'e', type, contractId, occurredAt: '2026-04-01T09:00:00+09:00', actor: { org, workerId: 'W-1' }, data: {}, ...extra }) as unknown as LedgerEvent;

const contractorOf = (id: string): string | null => ({ 'c-a': 'vendor-a', 'c-b': 'vendor-b' })[id] ?? null;
const vendorA: Speaker = { party: 'contractor:vendor-a', contracts: 'all' };
const city: Speaker = { party: 'city', contracts: 'all' };

describe('parties: who may state what (EVENTS.md v2)', () => {
  it('knows the parties', () => {
    expect(['city', 'contractor:vendor-a'].every(isParty)).toBe(true);
    expect(['contractor', 'contractor:', 'subcontractor:x', 'City', 'contractor:a b'].some(isParty)).toBe(false);
  });

  it('names the acting party of an actor: the city, or the contract\'s contractor for it and its subcontractors', () => {
    expect(actingParty('city', 'vendor-a')).toBe('city');
    expect(actingParty('contractor', 'vendor-a')).toBe('contractor:vendor-a');
    expect(actingParty('subcontractor:S-1', 'vendor-a')).toBe('contractor:vendor-a');
    expect(actingParty('contractor', null)).toBeNull();
  });

  it('lets a city key append anything within its scope, and names contractId outside it', () => {
    expect(appendRefusals(city, [event('AuthorizationGranted', 'c-a', 'city'), event('RecordUsed', 'c-b', 'contractor')], contractorOf)).toEqual([]);
    expect(appendRefusals({ party: 'city', contracts: ['c-a'] }, [event('RecordUsed', 'c-a', 'contractor'), event('RecordUsed', 'c-b', 'city')], contractorOf)).toEqual([
      { index: 1, field: 'contractId', rule: 'inScope', message: "contract c-b is not in this key's scope" },
    ]);
  });

  it("lets a contractor key append the contractor's facts to its own contracts", () => {
    const own = [event('RecordUsed', 'c-a', 'contractor'), event('WorkerAuthorized', 'c-a', 'subcontractor:S-1'), event('WorkerAuthorizationRevoked', 'c-a', 'contractor')];
    expect(appendRefusals(vendorA, own, contractorOf)).toEqual([]);
  });

  it('refuses a city fact by type, a city actor by actor.org, and another contract by contractId, each named', () => {
    const refusals = appendRefusals(vendorA, [event('AuthorizationGranted', 'c-a', 'city'), event('RecordUsed', 'c-a', 'city'), event('RecordUsed', 'c-b', 'subcontractor:S-9')], contractorOf);
    expect(refusals.map((p) => [p.index, p.field, p.rule])).toEqual([
      [0, 'type', 'statedByCity'],
      [0, 'actor.org', 'ownParty'],
      [1, 'actor.org', 'ownParty'],
      [2, 'contractId', 'ownContract'],
    ]);
  });

  it('answers the same for a contract that is not registered as for another contractor\'s', () => {
    const [missing] = appendRefusals(vendorA, [event('RecordUsed', 'c-none', 'contractor')], contractorOf);
    const [other] = appendRefusals(vendorA, [event('RecordUsed', 'c-b', 'contractor')], contractorOf);
    expect(missing!.message.replace('c-none', 'X')).toBe(other!.message.replace('c-b', 'X'));
  });

  it("limits a contractor key with a contract list to the list's own contracts", () => {
    expect(appendRefusals({ party: 'contractor:vendor-a', contracts: ['c-other'] }, [event('RecordUsed', 'c-a', 'contractor')], contractorOf)).toHaveLength(1);
  });

  it('follows a contract\'s contractor and signing policy through its events', () => {
    const registered = evolveAuthority(UNREGISTERED, event('ContractRegistered', 'c-a', 'city', { data: { contractorId: 'vendor-a', policy: { requireSignedEvents: true } } }));
    expect(registered).toEqual({ contractorId: 'vendor-a', requireSignedEvents: true });
    const off = evolveAuthority(registered, event('ContractAmended', 'c-a', 'city', { data: { policy: { requireSignedEvents: false } } }));
    expect(off).toEqual({ contractorId: 'vendor-a', requireSignedEvents: false });
    expect(evolveAuthority(off, event('ContractAmended', 'c-a', 'city', { data: { policy: { disposalWithin: 'P7D' } } }))).toBe(off);
    expect(evolveAuthority(UNREGISTERED, event('ContractRegistered', 'c-a', 'city', { data: undefined }))).toEqual(UNREGISTERED);
  });
});
