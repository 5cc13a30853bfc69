import type { EventStoreDBClient } from '@eventstore/db-client';

/** The part of the 6.x client the adapter uses (an emulation of it runs the contract suite without a server). */
export type EventStoreDbClientLike = Pick<
  EventStoreDBClient,
  'appendToStream' | 'readStream' | 'subscribeToStream' | 'getStreamMetadata' | 'deleteStream' | 'dispose'
>;
