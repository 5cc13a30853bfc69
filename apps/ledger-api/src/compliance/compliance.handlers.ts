import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { toFinding, type ArticleVerdict, type Finding, type RecordVerdict } from '@ledger/compliance';
import { isoInZone } from '@ledger/domain';
import { contractView, findingsPage, presentContractView, recordAt, verdictOf, type ContractComplianceView } from '@ledger/projections';
import { HandlingReader } from '../read-model/handling.reader.js';
import {
  ReadContractComplianceQuery,
  ReadRecordComplianceQuery,
  ReadRecordFindingsQuery,
  type AnswerArticle,
  type AnswerFinding,
  type ContractComplianceAnswer,
  type FindingsPageAnswer,
  type RecordComplianceAnswer,
} from './compliance.queries.js';

/** Findings listed per article in a verdict; the rest is counted and paged. */
const LIST_PER_ARTICLE = 100;

function answerFinding(f: Finding): AnswerFinding {
  const { article: _a, recordId: _r, ...rest } = f;
  return rest;
}

/** `articles` of an answer: the verdict's findings without the fields the article key already says. */
export function answerArticles(verdict: Pick<RecordVerdict, 'articles'>): { [article: string]: AnswerArticle } {
  const out: { [article: string]: AnswerArticle } = {};
  for (const [article, judged] of Object.entries(verdict.articles) as [string, ArticleVerdict][]) {
    out[article] = { status: judged.status, counts: judged.counts, findings: judged.findings.map(answerFinding), ...(judged.more ? { more: judged.more } : {}) };
  }
  return out;
}

@QueryHandler(ReadRecordComplianceQuery)
export class ReadRecordComplianceHandler implements IQueryHandler<ReadRecordComplianceQuery> {
  constructor(private readonly reader: HandlingReader) {}

  async execute({ contractId, recordId, asOf, knownAt }: ReadRecordComplianceQuery): Promise<RecordComplianceAnswer> {
    const cut = { asOf: asOf.ms, knownAt: knownAt.ms };
    const zone = this.reader.zone;
    const verdict = await this.reader.atCut(contractId, cut, async (c) => {
      const at = this.reader.requireJudged(contractId, recordId, await recordAt({ ...c, contractId, recordId, listLimit: LIST_PER_ARTICLE, historyLimit: 0 }));
      // Pages of stored findings are at the present only.
      const cursors = c.knownPosition === null ? at.storedNext : new Map<string, string>();
      return verdictOf(contractId, recordId, at, zone, (article) => {
        const cursor = cursors.get(article);
        return cursor === undefined ? null : `/v1/contracts/${contractId}/records/${recordId}/findings?article=${article}&after=${cursor}`;
      });
    }, knownAt.present === true);
    return {
      contractId,
      recordId,
      asOf: isoInZone(asOf.ms, zone),
      knownAt: isoInZone(knownAt.ms, zone),
      status: verdict.status,
      articles: answerArticles(verdict),
    };
  }
}

@QueryHandler(ReadRecordFindingsQuery)
export class ReadRecordFindingsHandler implements IQueryHandler<ReadRecordFindingsQuery> {
  constructor(private readonly reader: HandlingReader) {}

  async execute({ contractId, recordId, article, after, limit }: ReadRecordFindingsQuery): Promise<FindingsPageAnswer> {
    const now = this.reader.now();
    return this.reader.atCut(contractId, { asOf: now, knownAt: now }, async (c) => {
      await this.reader.requireRecord(contractId, recordId);
      const page = await findingsPage(c.q, contractId, recordId, article, after, limit);
      return { contractId, recordId, article, findings: page.findings.map((f) => answerFinding(toFinding(f, c.zone))), next: page.next };
    }, true);
  }
}

@QueryHandler(ReadContractComplianceQuery)
export class ReadContractComplianceHandler implements IQueryHandler<ReadContractComplianceQuery> {
  constructor(private readonly reader: HandlingReader) {}

  async execute(query: ReadContractComplianceQuery): Promise<ContractComplianceAnswer> {
    const { contractId, asOf, knownAt } = query;
    const zone = this.reader.zone;
    const cut = { asOf: asOf.ms, knownAt: knownAt.ms };
    const answer = (view: ContractComplianceView, projected: number): ContractComplianceAnswer => {
      const { status, articles, ...rest } = view;
      return {
        contractId,
        asOf: isoInZone(asOf.ms, zone),
        knownAt: isoInZone(knownAt.ms, zone),
        status,
        source: { kind: 'read-model' as const, position: projected },
        articles: answerArticles({ articles }),
        ...rest,
      };
    };
    const page = { contractId, filter: query.filter, after: query.after, limit: query.limit, zone, cut };
    // The present, in one round trip when the records' rows can answer it (nearly always); else,
    // and at any other cut, judged from the folds.
    if (query.present) {
      const present = await this.reader.present(contractId, (once, history) => presentContractView(once, { ...page, history }));
      if (present !== null) return answer(present.view, present.projected);
    }
    return this.reader.atCut(contractId, cut, async (c) => answer(await contractView({ ...c, ...page }), c.projected), query.present || knownAt.present === true);
  }
}
