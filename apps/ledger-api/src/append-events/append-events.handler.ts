import { Inject } from '@nestjs/common';
import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import {
  ContractAlreadyRegisteredError,
  contractStreamId,
  StreamVersionConflictError,
  UnknownContractError,
} from '@ledger/domain';
import { EVENT_STORE, type AppendedEvent, type EventStore, type ExpectedVersion } from '@ledger/event-store';
import { AppendEventsCommand, EventsAppended } from './append-events.command.js';

@CommandHandler(AppendEventsCommand)
export class AppendEventsHandler implements ICommandHandler<AppendEventsCommand> {
  /** Contracts never become unregistered, so a positive answer can be remembered. */
  private readonly registered = new Set<string>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly eventBus: EventBus,
  ) {}

  async execute({ events }: AppendEventsCommand): Promise<AppendedEvent[]> {
    const registeredHere = new Map<string, number>();
    const firstUse = new Map<string, number>();
    events.forEach((event, index) => {
      if (event.type === 'ContractRegistered') {
        const earlier = registeredHere.get(event.contractId);
        if (earlier !== undefined && events[earlier]!.eventId !== event.eventId) {
          throw new ContractAlreadyRegisteredError(event.contractId, index);
        }
        registeredHere.set(event.contractId, index);
      } else if (!firstUse.has(event.contractId) && !registeredHere.has(event.contractId)) {
        firstUse.set(event.contractId, index);
      }
    });
    const unknown: string[] = [];
    const indexes: number[] = [];
    for (const [contractId, index] of firstUse) {
      if (await this.isRegistered(contractId)) continue;
      unknown.push(contractId);
      indexes.push(index);
    }
    if (unknown.length > 0) throw new UnknownContractError(unknown, indexes);

    // A contract is registered once. A retry of its ContractRegistered is a duplicate; another
    // one is refused. `no_stream` closes the race of two first registrations.
    const expected = new Map<string, ExpectedVersion>();
    for (const [contractId, index] of registeredHere) {
      if (await this.isRegistered(contractId)) {
        const [first] = await this.store.readStream(contractStreamId(contractId), { limit: 1 });
        if (first && first.event.eventId !== events[index]!.eventId) {
          throw new ContractAlreadyRegisteredError(contractId, index);
        }
      } else {
        expected.set(contractStreamId(contractId), 'no_stream');
      }
    }

    let appended: AppendedEvent[];
    try {
      appended = await this.store.append(events, { expectedVersions: expected });
    } catch (error) {
      if (error instanceof StreamVersionConflictError && error.streamId.startsWith('contract-')) {
        const contractId = error.streamId.slice('contract-'.length);
        throw new ContractAlreadyRegisteredError(contractId, registeredHere.get(contractId) ?? 0);
      }
      throw error;
    }
    for (const contractId of registeredHere.keys()) this.registered.add(contractId);
    this.eventBus.publish(new EventsAppended(appended));
    return appended;
  }

  private async isRegistered(contractId: string): Promise<boolean> {
    if (this.registered.has(contractId)) return true;
    const found = (await this.store.streamVersion(contractStreamId(contractId))) !== null;
    if (found) this.registered.add(contractId);
    return found;
  }
}
