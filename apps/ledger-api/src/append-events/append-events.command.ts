import { Command } from '@nestjs/cqrs';
import type { LedgerEvent } from '@ledger/domain';
import type { AppendedEvent } from '@ledger/event-store';

/** Append validated events, all or nothing, in the order given. */
export class AppendEventsCommand extends Command<AppendedEvent[]> {
  constructor(readonly events: readonly LedgerEvent[]) {
    super();
  }
}

/** Announced after a commit (never before): the EventBus here only tells what is already durable. */
export class EventsAppended {
  constructor(readonly events: readonly AppendedEvent[]) {}
}
