import type { ContractScope } from '@ledger/domain';
import type { ReadModelQuery } from '../runner/read-active.js';

/** A contract as the directory lists it (times as the events gave them). */
export interface ContractListing {
  contractId: string;
  contractorId: string;
  title: string;
  term: { start: string; end: string };
  endedAt: string | null;
}

export interface ContractListQuery {
  /** The contracts a key covers (`all`, or a list). */
  readonly contracts: ContractScope;
  /** A contractor's key sees only its own contracts; null: any contractor's. */
  readonly contractorId: string | null;
  /** Continue after this contract ID (the previous page's `next`). */
  readonly after: string | null;
  /** 1-1000. */
  readonly limit: number;
}

/** One page of the directory, by contract ID, limited to a key's scope and party. */
export async function listContracts(q: ReadModelQuery, query: ContractListQuery): Promise<{ contracts: ContractListing[]; next: string | null }> {
  const where = ['contract_id > $1'];
  const params: unknown[] = [query.after ?? ''];
  if (query.contracts !== 'all') {
    params.push([...query.contracts]);
    where.push(`contract_id = ANY($${params.length}::text[])`);
  }
  if (query.contractorId !== null) {
    params.push(query.contractorId);
    where.push(`contractor_id = $${params.length}`);
  }
  params.push(query.limit + 1);
  const rows = await q.query<{ contract_id: string; contractor_id: string; title: string; term_start: string; term_end: string; ended_at: string | null }>(
    `SELECT contract_id, contractor_id, title, term_start, term_end, ended_at FROM contract_directory
      WHERE ${where.join(' AND ')} ORDER BY contract_id LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, query.limit).map((r) => ({
    contractId: r.contract_id,
    contractorId: r.contractor_id,
    title: r.title,
    term: { start: r.term_start, end: r.term_end },
    endedAt: r.ended_at,
  }));
  return { contracts: page, next: rows.length > query.limit ? page[page.length - 1]!.contractId : null };
}
