import { SetMetadata } from '@nestjs/common';

export const SCOPE = 'ledger:scope';

/**
 * How a route that needs a key meets the key's contract scope (EVENTS.md v2, docs/security.md).
 * Every such route declares one; the ScopeGuard refuses to serve a route that does not (and the
 * generated authorization matrix test fails on it), so a new endpoint cannot forget its scope.
 */
export type ScopeRule =
  /** The contract named by a path parameter: outside the scope, 404 exactly as for a missing contract. */
  | { kind: 'contract'; param: string }
  /** The contract of the event named by a query parameter: outside the scope, 404 as for a missing event. */
  | { kind: 'event'; query: string }
  /** The handler lists across contracts and shows only the principal's scope. */
  | { kind: 'filtered'; why: string }
  /** Reveals every contract's data at once: only for the city's keys for all contracts (403 otherwise). */
  | { kind: 'city-wide'; why: string }
  /** Reveals no contract's data (e.g. signed checkpoints, key management by a city-wide admin). */
  | { kind: 'none'; why: string };

/** The route reads the contract named by the path parameter (default `contractId`). */
export const ContractScoped = (param = 'contractId'): MethodDecorator => SetMetadata(SCOPE, { kind: 'contract', param } satisfies ScopeRule);

/** The route reveals the event named by the query parameter (default `eventId`), and so its contract. */
export const EventScoped = (query = 'eventId'): MethodDecorator => SetMetadata(SCOPE, { kind: 'event', query } satisfies ScopeRule);

/** The route lists across contracts; its handler filters by the principal's scope. */
export const ScopeFiltered = (why: string): MethodDecorator => SetMetadata(SCOPE, { kind: 'filtered', why } satisfies ScopeRule);

/** The route reveals every contract's data: city keys for all contracts only. */
export const CityWide = (why: string): MethodDecorator => SetMetadata(SCOPE, { kind: 'city-wide', why } satisfies ScopeRule);

/** The route reveals nothing of any contract. */
export const ScopeFree = (why: string): MethodDecorator & ClassDecorator => SetMetadata(SCOPE, { kind: 'none', why } satisfies ScopeRule);
