import {
  ARTICLE_IDS,
  ARTICLES,
  CONTRACT_ARTICLES,
  RECORD_ARTICLES,
  RULES,
  judgeContract,
  judgeRecord,
  type ContractLevelVerdict,
  type Finding,
  type Message,
  type RecordFacts,
  type RecordVerdict,
  type Status,
} from '@ledger/compliance';
import { ContractHistory, recordedInCut, type Cut } from '@ledger/handling';
import { contractStreamId, InvalidRequestError, isRecordEvent, parseTimestamp, TIMESTAMP_RULE, type Actor, type RecordedEvent } from '@ledger/domain';
import type { BundleVerification } from '../bundle/verify-bundle.js';

export const REPLAY_FORMAT = 'okayama-handling-ledger/replay';

export interface ReplayRequest {
  /** Business time of the judgement (occurredAt ≤ asOf); default: the bundle's asOf. */
  asOf?: string | null;
  /** Ledger time (recordedAt ≤ knownAt); default: the bundle's knownAt, else everything it holds. */
  knownAt?: string | null;
}

/** An event a finding cites, with what proves it: its position and leaf hash in the signed log. */
export interface EvidenceEvent {
  eventId: string;
  position: number;
  type: string;
  recordId: string | null;
  occurredAt: string;
  recordedAt: string;
  actor: Actor;
  leafHash: string;
}

export interface ArticleSummary {
  article: string;
  title: Message;
  /** Worst status over the contract's findings and every record's, for this article. */
  status: Status;
  /** Records by their status for this article (record articles only). */
  records: { [S in Status]: number } | null;
  /** Every violation and pending finding of the article (contract first, then records by ID). */
  findings: Finding[];
  /** Findings met in time (obligations closed by their due time). */
  compliantFindings: number;
}

export interface ReplayReport {
  format: typeof REPLAY_FORMAT;
  version: 1;
  contractId: string;
  asOf: string;
  knownAt: string | null;
  /** The signed checkpoint every event was proven against. */
  checkpoint: { origin: string; treeSize: number; rootHash: string; keyId: string };
  evidence: { events: number; streams: number; judged: number; verified: true };
  status: Status;
  records: { [S in Status]: number };
  articles: ArticleSummary[];
  contract: ContractLevelVerdict;
  recordVerdicts: RecordVerdict[];
  /** Every event cited by a violation or pending finding, by eventId. */
  events: { [eventId: string]: EvidenceEvent };
}

const ALL_ARTICLES = ARTICLE_IDS.filter((a) => RECORD_ARTICLES.includes(a) || CONTRACT_ARTICLES.includes(a));
const RANK: { readonly [S in Status]: number } = { not_applicable: 0, compliant: 1, pending: 2, violation: 3 };
const worse = (a: Status, b: Status): Status => (RANK[b] > RANK[a] ? b : a);
const emptyCounts = (): { [S in Status]: number } => ({ violation: 0, pending: 0, compliant: 0, not_applicable: 0 });

/**
 * The contract's compliance as of a moment (docs/rulebook.md), judged only from a verified audit
 * bundle: the same bundle and cut always give the same report. It names the checkpoint the events
 * were proven against.
 */
export function replay(verified: BundleVerification, request: ReplayRequest = {}): ReplayReport {
  if (!verified.ok || verified.checkpoint === null || verified.contractId === null) {
    throw new Error(`replay needs a verified bundle: ${verified.problems[0] ?? 'not verified'}`);
  }
  const asOf = request.asOf ?? verified.asOf;
  const knownAt = request.knownAt ?? verified.knownAt;
  const problems = [];
  const asOfMs = asOf ? parseTimestamp(asOf) : null;
  if (asOfMs === null) problems.push({ index: null, field: 'asOf', rule: 'isTimestamp', message: `asOf is required and must be ${TIMESTAMP_RULE}` });
  const knownAtMs = knownAt === null ? Number.POSITIVE_INFINITY : parseTimestamp(knownAt);
  if (knownAtMs === null) problems.push({ index: null, field: 'knownAt', rule: 'isTimestamp', message: `knownAt must be ${TIMESTAMP_RULE}` });
  if (knownAtMs !== null && verified.knownAt !== null && knownAtMs > parseTimestamp(verified.knownAt)!) {
    problems.push({ index: null, field: 'knownAt', rule: 'withinBundle', message: `knownAt must not be after the bundle's knownAt ${verified.knownAt}: it holds nothing recorded later` });
  }
  if (problems.length > 0) throw new InvalidRequestError(problems);
  const cut = { asOf: asOfMs!, knownAt: knownAtMs! };

  const contractId = verified.contractId;
  const contractStream = contractStreamId(contractId);
  const contractEvents: RecordedEvent[] = [];
  const recordEvents = new Map<string, RecordedEvent[]>();
  let judged = 0;
  for (const recorded of verified.recorded) {
    if (recordedInCut(recorded, cut)) judged++;
    if (recorded.streamId === contractStream) contractEvents.push(recorded);
    else if (isRecordEvent(recorded.event)) {
      const list = recordEvents.get(recorded.event.recordId);
      if (list) list.push(recorded);
      else recordEvents.set(recorded.event.recordId, [recorded]);
    }
  }
  const history = ContractHistory.of(contractId, contractEvents);
  const contract = judgeContract(history, cut, recordFacts(recordEvents, cut));
  const recordIds = [...recordEvents.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const recordVerdicts = recordIds
    .map((recordId) => judgeRecord(history, recordId, recordEvents.get(recordId)!, cut))
    .filter((verdict) => verdict.status !== 'not_applicable');

  let status: Status = contract.status;
  const records = emptyCounts();
  for (const verdict of recordVerdicts) {
    records[verdict.status]++;
    status = worse(status, verdict.status);
  }

  const byId = new Map(verified.recorded.map((r) => [r.event.eventId, r]));
  const events: { [eventId: string]: EvidenceEvent } = {};
  const articles = ALL_ARTICLES.map((article): ArticleSummary => {
    let articleStatus: Status = 'not_applicable';
    const findings: Finding[] = [];
    let compliantFindings = 0;
    const collect = (verdict: { articles: { [a: string]: { status: Status; findings: Finding[] } } }): void => {
      const own = verdict.articles[article];
      if (!own) return;
      articleStatus = worse(articleStatus, own.status);
      for (const finding of own.findings) {
        if (finding.status === 'compliant') {
          compliantFindings++;
          continue;
        }
        findings.push(finding);
        for (const id of finding.eventIds) {
          const recorded = byId.get(id);
          if (recorded && !(id in events)) events[id] = evidenceOf(recorded);
        }
      }
    };
    collect(contract);
    const counts = RECORD_ARTICLES.includes(article) ? emptyCounts() : null;
    for (const verdict of recordVerdicts) {
      collect(verdict);
      if (counts) counts[verdict.articles[article]?.status ?? 'not_applicable']++;
    }
    return { article, title: ARTICLES[article].title, status: articleStatus, records: counts, findings, compliantFindings };
  });

  return {
    format: REPLAY_FORMAT,
    version: 1,
    contractId,
    asOf: asOf!,
    knownAt,
    checkpoint: verified.checkpoint,
    evidence: { events: verified.recorded.length, streams: verified.streams, judged, verified: true },
    status,
    records,
    articles,
    contract,
    recordVerdicts,
    events: Object.fromEntries(Object.entries(events).sort(([, a], [, b]) => a.position - b.position)),
  };
}

/** The records' collections, as the contract's incident rules read them (APPI Art. 68). */
function recordFacts(recordEvents: ReadonlyMap<string, readonly RecordedEvent[]>, cut: Cut): RecordFacts {
  return {
    collectionsAt: (recordId, t) => {
      const until: Cut = { asOf: t, knownAt: cut.knownAt };
      const found = (recordEvents.get(recordId) ?? [])
        .filter((r) => r.event.type === 'RecordCollected' && recordedInCut(r, until))
        .map((r) => {
          const data = (r.event as Extract<RecordedEvent['event'], { type: 'RecordCollected' }>).data;
          return { categories: data.dataCategories, personCount: data.personCount ?? null };
        });
      return found.length > 0 ? found : null;
    },
  };
}

function evidenceOf(recorded: RecordedEvent): EvidenceEvent {
  const event = recorded.event;
  return {
    eventId: event.eventId,
    position: recorded.position,
    type: event.type,
    recordId: isRecordEvent(event) ? event.recordId : null,
    occurredAt: event.occurredAt,
    recordedAt: recorded.recordedAt,
    actor: event.actor,
    leafHash: recorded.hash,
  };
}

/** Rule titles by rule ID, for the human formats. */
export const RULE_TITLES: ReadonlyMap<string, Message> = new Map(RULES.map((rule) => [rule.id, rule.title]));
