import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { EventsAppended } from '../append-events/append-events.command.js';
import { MetricsRegistry } from './metrics.registry.js';

/** Ingest counters, from the announcement made after each commit. */
@EventsHandler(EventsAppended)
export class IngestMetricsHandler implements IEventHandler<EventsAppended> {
  constructor(private readonly metrics: MetricsRegistry) {}

  handle({ events }: EventsAppended): void {
    this.metrics.appendBatches += 1;
    for (const event of events) {
      if (event.status === 'appended') this.metrics.eventsAppended += 1;
      else this.metrics.eventsDuplicate += 1;
    }
  }
}
