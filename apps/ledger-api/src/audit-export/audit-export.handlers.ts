import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { bundleFileName, exportBundle } from '@ledger/audit';
import { MERKLE_LOG, type MerkleLog } from '@ledger/runtime';
import { ExportAuditBundleQuery, type BundleFile } from './audit-export.queries.js';

@QueryHandler(ExportAuditBundleQuery)
export class ExportAuditBundleHandler implements IQueryHandler<ExportAuditBundleQuery> {
  constructor(@Inject(MERKLE_LOG) private readonly log: MerkleLog) {}

  async execute({ request }: ExportAuditBundleQuery): Promise<BundleFile> {
    const { bytes, treeSize } = await exportBundle({ ...this.log, keys: await this.log.refreshKeys() }, request);
    return { fileName: bundleFileName(request.contractId, treeSize), bytes };
  }
}
