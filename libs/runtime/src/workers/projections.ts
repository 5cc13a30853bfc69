import { ComplianceProjection, CustodyProjection, type Projection } from '@ledger/projections';

/**
 * Every read model the projector keeps, in the order they are applied within a batch. To add one
 * (docs/custody.md "Adding a projection"): its tables in `read_model_template` by a migration,
 * its entities in the runtime's DataSource, and one line here.
 */
export function createProjections(): Projection[] {
  return [new CustodyProjection(), new ComplianceProjection()];
}
