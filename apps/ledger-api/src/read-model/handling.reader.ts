import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { contractStreamId, NotFoundError, recordStreamId, StoreUnavailableError } from '@ledger/domain';
import { EVENT_STORE, positionKnownAt, type EventStore } from '@ledger/event-store';
import type { ContractHistory, Cut } from '@ledger/handling';
import {
  HANDLING_PROJECTION,
  JudgementTooLongError,
  readActiveGeneration,
  ReadModelsNotReadyError,
  STALE_CONTRACT,
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
   * A read at the present that needs no snapshot of its own before its one statement (e.g.
   * presentContractView: one round trip), with the data source reads go to (the standby when reads
   * are routed there). It is first given the contract's history as this process kept it, with its
   * number of events for the statement to check in its snapshot (no read before it); if the
   * statement finds the stream changed, it is asked again with the history read now (and no check).
   */
  async present<T>(
    contractId: string,
    read: (dataSource: DataSource, history: ContractHistory, contractEvents: number | null) => Promise<T | typeof STALE_CONTRACT>,
  ): Promise<T> {
    const dataSource = readDataSource(this.runtime.dataSource, this.runtime.readReplica);
    const kept = this.contracts.kept(contractId);
    if (kept) {
      const answer = await read(dataSource, kept.history, kept.events);
      if (answer !== STALE_CONTRACT) return answer;
    }
    const answer = await read(dataSource, await this.contract(contractId), null);
    if (answer === STALE_CONTRACT) throw new Error('a read without a contract check answered that its contract changed');
    return answer;
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
          // No generation yet (a fresh service, the projector not started): nothing is projected,
          // every answer folds the log itself (bounded, else a 503).
          const projected = q.generation.generation === 0 ? 0 : (q.checkpoints.get(HANDLING_PROJECTION) ?? 0);
          return work({ q, projected, history, cut, knownPosition, store: this.store, zone: this.zone });
        },
        { emptyWhenNotBuilt: true, ...(kept ? { streamLength: contractStreamId(contractId) } : {}) },
      );
    } catch (error) {
      if (error instanceof ReadModelsNotReadyError || error instanceof JudgementTooLongError) throw new StoreUnavailableError(error.message);
      throw error;
    }
  }
}
