import { Query } from '@nestjs/cqrs';
import type { ExportRequest } from '@ledger/audit';

export interface BundleFile {
  fileName: string;
  bytes: Buffer;
}

/** A contract's audit bundle (libs/audit exportBundle), as the CLI's `export` writes it. */
export class ExportAuditBundleQuery extends Query<BundleFile> {
  constructor(readonly request: ExportRequest) {
    super();
  }
}
