import { Inject, Injectable } from '@nestjs/common';
import { contractStreamId, NotFoundError, recordStreamId, StoreUnavailableError } from '@ledger/domain';
import { EVENT_STORE, positionKnownAt, type EventStore } from '@ledger/event-store';
import type { ContractHistory, Cut } from '@ledger/handling';
import {
  HANDLING_PROJECTION,
  JudgementTooLongError,
  readActiveGeneration,
  readActiveOnce,
  ReadModelsNotReadyError,
  type PresentRead,
  type ReadModelQuery,
} from '@ledger/projections';
import { LEDGER_RUNTIME, readDataSource, readTarget, type LedgerRuntime } from '@ledger/runtime';
import { ContractHistoryCache } from '../compliance/contract-history.cache.js';

function recordNotFound(contractId: string, recordId: string): NotFoundError {
  return new NotFoundError(`record ${recordId} of contract ${contractId} has no events`);
}

/** What an answer at a cut reads: the serving read model, how far it has applied the log, the contract, the cut's log position. */
export interface CutContext {
  readonly q: ReadModelQuery;
  readonly projected: number;
  readonly history: ContractHistory;
  readonly cut: Cut;
  /** Position of the knownAt cut; null when knownAt is the present. */
  readonly knownPosition: number | null;
  readonly store: EventStore;
  readonly zone: string;
}

/** The kept contract history no longer matches its stream (HandlingReader.present reads it again). */
class KeptContractChanged extends Error {}

/**
 * How far the projector has applied the log in a read's snapshot. No generation yet (a fresh
 * service, the projector not started): nothing is projected, every answer folds the log itself
 * (bounded, else a 503).
 */
function projectedOf(read: Pick<ReadModelQuery, 'generation' | 'checkpoints'>): number {
  return read.generation.generation === 0 ? 0 : (read.checkpoints.get(HANDLING_PROJECTION) ?? 0);
}

/**
 * The one way an answer reads the handling read model (compliance, custody, holdings): inside
 * one read-only snapshot of the serving generation, with the contract's history and the knownAt
 * cut as a log position. A read model not built yet, or a record too far behind it, is a 503
 * (retry), never a 500.
 */
@Injectable()
export class HandlingReader {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime,
    private readonly contracts: ContractHistoryCache,
  ) {}

  get zone(): string {
    return this.runtime.config.timeZone;
  }

  now(): number {
    return this.runtime.clock();
  }

  /** The contract's history, or 404. */
  async contract(contractId: string): Promise<ContractHistory> {
    // The cache is shared with primary reads and may hold contract events the standby has not
    // replayed yet: on the standby, the contract as of its own log's head.
    const history =
      readTarget() === 'replica'
        ? await this.contracts.upTo(contractId, await this.store.headPosition())
        : ((await this.contracts.current(contractId))?.history ?? null);
    if (!history) throw new NotFoundError(`contract ${contractId} is not registered`);
    return history;
  }

  /** 404 unless the record has at least one event. */
  async requireRecord(contractId: string, recordId: string): Promise<void> {
    if ((await this.store.streamVersion(recordStreamId(contractId, recordId))) === null) throw recordNotFound(contractId, recordId);
  }

  /** 404 unless the record judged at a cut has at least one event (what `recordAt` read says, without another query). */
  requireJudged<T extends { readonly exists: boolean }>(contractId: string, recordId: string, at: T): T {
    if (!at.exists) throw recordNotFound(contractId, recordId);
    return at;
  }

  /**
   * A read at the present whose one statement needs no snapshot opened before it (e.g.
   * presentContractView): `once` reads it in one round trip (readActiveOnce) on the data source
   * reads go to (the standby when reads are routed there). `history` is first the contract as this
   * process kept it, checked in the same snapshot (its stream's number of events); when the stream
   * has changed, the read is made again with the contract read now.
   */
  async present<T>(contractId: string, read: (once: PresentRead, history: ContractHistory) => Promise<T>): Promise<T> {
    const dataSource = readDataSource(this.runtime.dataSource, this.runtime.readReplica);
    const attempt = (history: ContractHistory, keptEvents: number | null): Promise<T> =>
      read(async <R>(sql: string, values: readonly unknown[]) => {
        const answer = await readActiveOnce<R>(dataSource, sql, values, keptEvents === null ? {} : { streamLength: contractStreamId(contractId) });
        if (keptEvents !== null && answer.streamLength !== keptEvents) throw new KeptContractChanged();
        return { rows: answer.rows, projected: projectedOf(answer) };
      }, history);
    const kept = this.contracts.kept(contractId);
    if (kept) {
      try {
        return await attempt(kept.history, kept.events);
      } catch (error) {
        if (!(error instanceof KeptContractChanged)) throw error;
      }
    }
    return attempt(await this.contract(contractId), null);
  }

  /**
   * `knownNow`: the request left knownAt to its present (every event recorded so far counts). Its
   * knownAt is then not looked up in the log: a lookup would find events recorded since the
   * request's clock was read (under steady ingest, nearly always) and search the log for the cut.
   */
  async atCut<T>(contractId: string, cut: Cut, work: (context: CutContext) => Promise<T>, knownNow = false): Promise<T> {
    // The contract as this process kept it, checked by the read's opening in its snapshot (its
    // stream's number of events); read before only when none is kept, and again when it changed.
    const kept = this.contracts.kept(contractId);
    let history = kept?.history ?? (await this.contract(contractId));
    const now = this.now();
    let knownPosition: number | null = null;
    if (!knownNow && cut.knownAt < now) {
      const head = await this.store.headPosition();
      knownPosition = await positionKnownAt(this.store, cut.knownAt, head);
      // Nothing recorded after knownAt (a request's "now", read a moment before this clock): the present.
      if (knownPosition >= head) knownPosition = null;
    }
    try {
      return await readActiveGeneration(
        readDataSource(this.runtime.dataSource, this.runtime.readReplica),
        async (q) => {
          if (kept && q.streamLength !== kept.events) history = await this.contract(contractId);
          return work({ q, projected: projectedOf(q), history, cut, knownPosition, store: this.store, zone: this.zone });
        },
        { emptyWhenNotBuilt: true, ...(kept ? { streamLength: contractStreamId(contractId) } : {}) },
      );
    } catch (error) {
      if (error instanceof ReadModelsNotReadyError || error instanceof JudgementTooLongError) throw new StoreUnavailableError(error.message);
      throw error;
    }
  }
}
