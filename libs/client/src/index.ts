export * from './generated/ledger-types.js';
export {
  LedgerClient,
  MAX_BATCH_EVENTS,
  type AppendOptions,
  type AppendSummary,
  type BatchResult,
  type Cut,
  type LedgerClientOptions,
  type RefusedEvent,
  type RetryNotice,
} from './ledger-client.js';
export { LedgerHttpError, LedgerStreamStoppedError, LedgerUnavailableError } from './errors.js';
export { DEFAULT_RETRY, RETRYABLE_STATUSES, backoffDelay, type RetryPolicy } from './retry.js';
export { eventSigner, generateSigningKey, verifySignedEvent, type EventSignature, type Signer, type SigningOptions } from './signing.js';
export type { NdjsonSummary } from './ndjson-stream.js';
