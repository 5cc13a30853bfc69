import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { exportBundle } from '@ledger/audit';
import { MERKLE_LOG, type MerkleLog } from '../log-proofs/merkle-log.provider.js';
import { ExportAuditBundleQuery, type BundleFile } from './audit-export.queries.js';

/** The file name the CLI and the HTTP answer suggest: contract and checkpoint size. */
export function bundleFileName(contractId: string, treeSize: number): string {
  return `audit-bundle-${contractId}-${treeSize}.json`;
}

@QueryHandler(ExportAuditBundleQuery)
export class ExportAuditBundleHandler implements IQueryHandler<ExportAuditBundleQuery> {
  constructor(@Inject(MERKLE_LOG) private readonly log: MerkleLog) {}

  async execute({ request }: ExportAuditBundleQuery): Promise<BundleFile> {
    const { bytes, treeSize } = await exportBundle({ ...this.log, keys: await this.log.refreshKeys() }, request);
    return { fileName: bundleFileName(request.contractId, treeSize), bytes };
  }
}
