/**
 * A typed client of the ledger's HTTP API: appends in batches with retries that are safe (an
 * eventId is an idempotency key), optional signing, the NDJSON stream for backfills, and the reads
 * of compliance, custody, history and proofs. Node ≥ 20, no dependency.
 */
import type {
  AppendedEvent,
  CheckpointAnswer,
  ConsistencyProofAnswer,
  ContractComplianceAnswer,
  FieldProblem,
  HistoryPage,
  HoldingsAnswer,
  HoldingStateName,
  InclusionProofAnswer,
  LedgerEvent,
  PublicKeyAnswer,
  RecordComplianceAnswer,
  RecordCustodyAnswer,
} from './generated/ledger-types.js';
import { LedgerHttpError, LedgerUnavailableError } from './errors.js';
import { backoffDelay, DEFAULT_RETRY, RETRYABLE_STATUSES, retryAfterMs, type RetryPolicy } from './retry.js';
import { eventSigner, type Signer, type SigningOptions } from './signing.js';
import { appendNdjson, type NdjsonAck, type NdjsonSummary } from './ndjson-stream.js';

/** The largest batch the ledger takes in one request. */
export const MAX_BATCH_EVENTS = 10_000;

export interface LedgerClientOptions {
  /** e.g. `http://localhost:3000` */
  baseUrl: string;
  /** A key with the role the calls need (`feed` to append, `officer`/`auditor` to read). */
  apiKey: string;
  /** Events per request of `append` (1–10,000, default 1,000). */
  batchSize?: number;
  retry?: Partial<RetryPolicy>;
  /** Time allowed for one attempt, answer included (default 120 s); a timed-out attempt is retried. */
  timeoutMs?: number;
  /** Sign every event with the party's key (wire contract v2). */
  signing?: SigningOptions;
  /** Told before each retry (e.g. to log it). */
  onRetry?: (retry: RetryNotice) => void;
  /**
   * Reads send `X-Ledger-Min-Position`: the highest log position this client's appends were
   * answered with, so a ledger that reads from a standby answers with those events (default true;
   * docs/replicas.md).
   */
  readYourWrites?: boolean;
  /** Replaces the global fetch (tests, proxies). */
  fetch?: typeof fetch;
  /** Randomness of the backoff jitter and the wait itself (tests). */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface RetryNotice {
  method: string;
  path: string;
  /** The retry about to be made, 1 for the first. */
  attempt: number;
  delayMs: number;
  /** `503`, `429`, or the network error's message. */
  reason: string;
}

/** An event the ledger refused (only with `refusals: 'skip'`): why, per field. */
export interface RefusedEvent {
  status: 'refused';
  eventId: string;
  code: string;
  message: string;
  problems: FieldProblem[];
}

export interface BatchResult<E extends LedgerEvent = LedgerEvent> {
  /** 0 for the first batch of this `append`. */
  index: number;
  events: E[];
  /** One per event, in the same order. */
  results: Array<AppendedEvent | RefusedEvent>;
  appended: number;
  duplicate: number;
  refused: number;
}

export interface AppendOptions<E extends LedgerEvent = LedgerEvent> {
  /** Batches in flight at once (1–16, default 1). Results are still delivered in batch order. */
  concurrency?: number;
  /**
   * `throw` (default): a refused batch (400, 409, 422) stops the append with a LedgerHttpError.
   * `skip`: the refused events are taken out and the rest of their batch sent again; each
   * refusal is in its batch's results.
   */
  refusals?: 'throw' | 'skip';
  /** Called once per batch, in order, when it is acknowledged (awaited before the next one is delivered). */
  onBatch?: (result: BatchResult<E>) => void | Promise<void>;
  signal?: AbortSignal;
}

export interface AppendSummary {
  batches: number;
  events: number;
  appended: number;
  duplicate: number;
  refused: number;
}

export interface Cut {
  /** Business time to judge at (RFC 3339), default the present. */
  asOf?: string;
  /** Ledger time: only what the ledger knew then (RFC 3339), default the present. */
  knownAt?: string;
}

type Query = Record<string, string | number | boolean | undefined>;

export class LedgerClient {
  readonly batchSize: number;
  private readonly base: string;
  private readonly retry: RetryPolicy;
  private readonly signer: Signer | null;
  private readonly fetchImpl: typeof fetch;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  private seen = 0;

  /** The highest log position this client's appends were answered with (0 before any). */
  get seenPosition(): number {
    return this.seen;
  }

  constructor(private readonly options: LedgerClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.batchSize = options.batchSize ?? 1_000;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1 || this.batchSize > MAX_BATCH_EVENTS) {
      throw new RangeError(`batchSize must be an integer from 1 to ${MAX_BATCH_EVENTS}`);
    }
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.signer = options.signing ? eventSigner(options.signing) : null;
    this.fetchImpl = options.fetch ?? fetch;
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  // --- appending ---------------------------------------------------------------------------------

  /** One batch (≤ 10,000 events), all or nothing; retried on 429/503 and network errors. */
  async appendBatch(events: readonly LedgerEvent[], signal?: AbortSignal): Promise<AppendedEvent[]> {
    if (events.length === 0) return [];
    if (events.length > MAX_BATCH_EVENTS) throw new RangeError(`a batch holds at most ${MAX_BATCH_EVENTS} events; this one has ${events.length}`);
    const body = JSON.stringify({ events: events.map((e) => this.sign(e)) });
    const answer = await this.request<{ events: AppendedEvent[] }>('POST', '/v1/events', undefined, body, signal);
    for (const event of answer.events) if (event.position > this.seen) this.seen = event.position;
    return answer.events;
  }

  /** Any number of events, cut into batches of `batchSize`, appended in order (see AppendOptions). */
  async append<E extends LedgerEvent>(events: Iterable<E> | AsyncIterable<E>, options: AppendOptions<E> = {}): Promise<AppendSummary> {
    const concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) throw new RangeError('concurrency must be an integer from 1 to 16');
    const summary: AppendSummary = { batches: 0, events: 0, appended: 0, duplicate: 0, refused: 0 };
    const inflight: Array<Promise<BatchResult<E>>> = [];
    const deliver = async (pending: Promise<BatchResult<E>>): Promise<void> => {
      const result = await pending;
      summary.batches++;
      summary.events += result.events.length;
      summary.appended += result.appended;
      summary.duplicate += result.duplicate;
      summary.refused += result.refused;
      await options.onBatch?.(result);
    };
    let index = 0;
    try {
      for await (const batch of inBatches(events, this.batchSize)) {
        options.signal?.throwIfAborted();
        const pending = this.sendBatch(batch, index++, options.refusals ?? 'throw', options.signal);
        pending.catch(() => undefined); // delivered (and thrown) in order below
        inflight.push(pending);
        if (inflight.length >= concurrency) await deliver(inflight.shift()!);
      }
      while (inflight.length > 0) await deliver(inflight.shift()!);
    } catch (error) {
      await Promise.allSettled(inflight);
      throw error;
    }
    return summary;
  }

  /**
   * Streams events as NDJSON (POST /v1/events, application/x-ndjson): the ledger commits them in
   * chunks, in order, and acknowledges each event as its chunk commits; memory stays flat on both
   * sides. Not retried: after a broken connection send the same stream again, and what was
   * acknowledged answers `duplicate`.
   */
  appendStream(events: Iterable<LedgerEvent> | AsyncIterable<LedgerEvent>, options: { onAck?: (ack: NdjsonAck) => void; signal?: AbortSignal } = {}): Promise<NdjsonSummary> {
    const signed = this.signer ? mapIterable(events, (e) => this.sign(e)) : events;
    return appendNdjson(`${this.base}/v1/events`, this.options.apiKey, signed, options);
  }

  private sign<E extends LedgerEvent>(event: E): E {
    return this.signer ? this.signer(event) : event;
  }

  private async sendBatch<E extends LedgerEvent>(events: E[], index: number, refusals: 'throw' | 'skip', signal?: AbortSignal): Promise<BatchResult<E>> {
    const results: Array<AppendedEvent | RefusedEvent | undefined> = new Array(events.length);
    let pending = events.map((_, i) => i);
    while (pending.length > 0) {
      try {
        const answers = await this.appendBatch(pending.map((i) => events[i]!), signal);
        answers.forEach((answer, k) => (results[pending[k]!] = answer));
        pending = [];
      } catch (error) {
        const refused = refusals === 'skip' ? refusedPositions(error, pending.map((i) => events[i]!)) : null;
        if (!refused || refused.size === 0) throw error;
        const http = error as LedgerHttpError;
        for (const [k, problems] of refused) {
          results[pending[k]!] = { status: 'refused', eventId: events[pending[k]!]!.eventId, code: http.code, message: http.message, problems };
        }
        pending = pending.filter((_, k) => !refused.has(k));
      }
    }
    const final = results as Array<AppendedEvent | RefusedEvent>;
    return {
      index,
      events,
      results: final,
      appended: final.filter((r) => r.status === 'appended').length,
      duplicate: final.filter((r) => r.status === 'duplicate').length,
      refused: final.filter((r) => r.status === 'refused').length,
    };
  }

  // --- reading -----------------------------------------------------------------------------------

  /** A record's verdict per article (officer). */
  recordCompliance(contractId: string, recordId: string, cut: Cut = {}): Promise<RecordComplianceAnswer> {
    return this.get(`/v1/contracts/${seg(contractId)}/records/${seg(recordId)}/compliance`, { ...cut });
  }

  /** A contract's verdict, its records by status and its findings, one page (officer). */
  contractCompliance(
    contractId: string,
    query: Cut & { article?: string; rule?: string; status?: 'violation' | 'pending'; after?: string; limit?: number } = {},
  ): Promise<ContractComplianceAnswer> {
    return this.get(`/v1/contracts/${seg(contractId)}/compliance`, { ...query });
  }

  /** Where a record and each of its copies is, and their history (officer). */
  recordCustody(contractId: string, recordId: string, cut: Cut = {}): Promise<RecordCustodyAnswer> {
    return this.get(`/v1/contracts/${seg(contractId)}/records/${seg(recordId)}/custody`, { ...cut });
  }

  /** A contract's holdings now, by state or overdue, one page (officer). */
  holdings(contractId: string, query: { state?: HoldingStateName; overdue?: boolean; after?: string; limit?: number } = {}): Promise<HoldingsAnswer> {
    return this.get(`/v1/contracts/${seg(contractId)}/holdings`, { ...query });
  }

  /** A contract's events in ledger order, one page (auditor). */
  contractEvents(contractId: string, page: { after?: number; limit?: number } = {}): Promise<HistoryPage> {
    return this.get(`/v1/contracts/${seg(contractId)}/events`, { ...page });
  }

  /** A record's stream, one page (auditor). */
  recordEvents(contractId: string, recordId: string, page: { fromVersion?: number; limit?: number } = {}): Promise<HistoryPage> {
    return this.get(`/v1/contracts/${seg(contractId)}/records/${seg(recordId)}/events`, { ...page });
  }

  /** An event's inclusion proof in the Merkle log (auditor). */
  inclusionProof(eventId: string, treeSize?: number): Promise<InclusionProofAnswer> {
    return this.get('/v1/log/inclusion-proof', { eventId, treeSize });
  }

  /** That the tree of size `to` extends the one of size `from` (auditor). */
  consistencyProof(from: number, to: number): Promise<ConsistencyProofAnswer> {
    return this.get('/v1/log/consistency-proof', { from, to });
  }

  /** The latest signed checkpoint, or the one of a tree size (auditor). */
  checkpoint(treeSize?: number): Promise<CheckpointAnswer> {
    return this.get('/v1/log/checkpoint', { treeSize });
  }

  /** The log's public key (no credentials needed). */
  publicKey(): Promise<PublicKeyAnswer> {
    return this.get('/v1/log/public-key', {});
  }

  // --- HTTP --------------------------------------------------------------------------------------

  private get<T>(path: string, query: Query): Promise<T> {
    return this.request<T>('GET', path, query);
  }

  private async request<T>(method: string, path: string, query?: Query, body?: string, signal?: AbortSignal): Promise<T> {
    const url = `${this.base}${path}${queryString(query)}`;
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.apiKey}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method === 'GET' && this.seen > 0 && this.options.readYourWrites !== false) headers['x-ledger-min-position'] = String(this.seen);
    for (let attempt = 0; ; attempt++) {
      let retryAfter: number | undefined;
      let lastReason: string;
      let lastError: unknown;
      try {
        const attemptSignal = AbortSignal.timeout(this.options.timeoutMs ?? 120_000);
        const response = await this.fetchImpl(url, { method, headers, body, signal: signal ? AbortSignal.any([signal, attemptSignal]) : attemptSignal });
        const text = await response.text();
        if (response.ok) return (text ? JSON.parse(text) : undefined) as T;
        if (!RETRYABLE_STATUSES.has(response.status)) throw httpError(response.status, text);
        lastReason = String(response.status);
        lastError = httpError(response.status, text);
        retryAfter = retryAfterMs(response.headers.get('retry-after'), Date.now());
      } catch (error) {
        if (error instanceof LedgerHttpError || signal?.aborted) throw error;
        lastReason = networkReason(error);
        lastError = error;
      }
      if (attempt >= this.retry.retries) {
        throw new LedgerUnavailableError(`${method} ${path}: no answer after ${attempt + 1} attempts (last: ${lastReason})`, attempt + 1, lastError);
      }
      const delayMs = backoffDelay(this.retry, attempt + 1, this.random, retryAfter);
      this.options.onRetry?.({ method, path, attempt: attempt + 1, delayMs, reason: lastReason });
      await this.sleep(delayMs);
      signal?.throwIfAborted();
    }
  }
}

async function* inBatches<E>(events: Iterable<E> | AsyncIterable<E>, size: number): AsyncGenerator<E[]> {
  let batch: E[] = [];
  for await (const event of events) {
    batch.push(event);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

async function* mapIterable<A, B>(items: Iterable<A> | AsyncIterable<A>, fn: (a: A) => B): AsyncGenerator<B> {
  for await (const item of items) yield fn(item);
}

/** Which events of a refused batch the answer names, with their problems; null when the refusal is not about single events. */
function refusedPositions(error: unknown, events: readonly LedgerEvent[]): Map<number, FieldProblem[]> | null {
  if (!(error instanceof LedgerHttpError)) return null;
  const refused = new Map<number, FieldProblem[]>();
  const add = (index: number, problem: FieldProblem): void => {
    if (index < 0 || index >= events.length) return;
    refused.set(index, [...(refused.get(index) ?? []), { ...problem, index }]);
  };
  const details = (error.details ?? {}) as { index?: number; contractIds?: string[] };
  if (error.code === 'LEDGER.INVALID_EVENTS') {
    if (error.problems.some((p) => p.index === null)) return null;
    for (const problem of error.problems) add(problem.index!, problem);
  } else if ((error.code === 'LEDGER.EVENT_ID_CONFLICT' || error.code === 'LEDGER.CONTRACT_ALREADY_REGISTERED') && typeof details.index === 'number') {
    add(details.index, { index: details.index, field: error.code === 'LEDGER.EVENT_ID_CONFLICT' ? 'eventId' : 'type', rule: error.code, message: error.message });
  } else if (error.code === 'LEDGER.UNKNOWN_CONTRACT' && Array.isArray(details.contractIds)) {
    events.forEach((event, i) => {
      if (details.contractIds!.includes(event.contractId)) add(i, { index: i, field: 'contractId', rule: 'registered', message: error.message });
    });
  }
  return refused;
}

function httpError(status: number, text: string): LedgerHttpError {
  let answer: { code?: string; message?: string; errors?: FieldProblem[]; details?: unknown } = {};
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    // not the ledger's JSON (a proxy's page): keep the status
  }
  return new LedgerHttpError(status, answer.code ?? `HTTP.${status}`, answer.message ?? (text.slice(0, 200) || `HTTP ${status}`), answer.errors ?? [], answer.details);
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if ((error as Error).name === 'TimeoutError') return 'timed out';
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

function seg(id: string): string {
  return encodeURIComponent(id);
}

function queryString(query: Query | undefined): string {
  if (!query) return '';
  const pairs = Object.entries(query).filter(([, v]) => v !== undefined) as Array<[string, string | number | boolean]>;
  return pairs.length === 0 ? '' : `?${new URLSearchParams(pairs.map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
}
