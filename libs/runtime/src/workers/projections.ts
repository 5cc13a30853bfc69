import { migrate } from '@ledger/database';
import { contractsProjection, handlingProjection, type MigrationClass, type Projection } from '@ledger/projections';

/**
 * Every read model the projector keeps, in the order they are applied within a batch. Adding one
 * (docs/architecture.md "Adding a projection") is a folder in libs/projections with its definition
 * and its migration, and one line here.
 */
export const PROJECTIONS: readonly Projection[] = [handlingProjection as Projection, contractsProjection as Projection];

export function createProjections(): Projection[] {
  return [...PROJECTIONS];
}

/** The projections' own migrations (beside each projection), applied after the ledger's. */
export const PROJECTION_MIGRATIONS: readonly MigrationClass[] = PROJECTIONS.flatMap((p) => p.migrations);

/** Every migration of a ledger database: the ledger's own, then the projections'. */
export async function migrateLedger(url: string): Promise<string[]> {
  return migrate(url, PROJECTION_MIGRATIONS);
}
