import { addDuration } from '@ledger/domain';
import { workerEvents, type ArticleResult, type ContractContext, type RecordContext } from './context.js';
import { act, jst, who } from './messages.js';
import { obligation, violation, type Ranked } from './obligation.js';
import type { Message, RuleInfo } from './verdict.js';

/**
 * Article 11 (no heading in the memorandum; titled 業務従事者の監督等 here): the contractor limits
 * who handles the information, supervises them, and takes a pledge when they leave.
 */
export const ART11_RULES: readonly RuleInfo[] = [
  {
    id: 'art11.unauthorized-handler',
    article: '11',
    scope: 'record',
    kind: 'violation',
    title: { ja: '取扱いを認められていない業務従事者による取扱い', en: 'Handling by a worker not authorized' },
  },
  {
    id: 'art11.pledge-missing',
    article: '11',
    scope: 'contract',
    kind: 'obligation',
    title: { ja: '退職者の秘密保持誓約書の提出', en: 'Confidentiality pledge of a departing worker' },
  },
];

/** Record rule: a record event by a worker not in force at its time, for the org they acted for. */
export function judgeArt11Record(ctx: RecordContext): ArticleResult {
  const events = workerEvents(ctx.record);
  const findings: Ranked[] = [];
  for (const e of events) {
    const { org, workerId } = e.event.actor;
    const standing = workerId === undefined ? null : ctx.contract.workerStanding(workerId, org, e.at);
    if (standing?.inForce) continue;
    let why: Message;
    if (!standing) {
      why = { ja: '業務従事者IDがありません', en: 'the event names no worker' };
    } else if (standing.authorizedOrg !== null) {
      why = { ja: `${standing.authorizedOrg} の従事者として認められています`, en: `they are authorized for ${standing.authorizedOrg} only` };
    } else if (standing.endedBy?.event.type === 'WorkerDeparted') {
      why = { ja: `${jst(standing.endedBy.at)} に退職しています`, en: `they departed at ${jst(standing.endedBy.at)}` };
    } else if (standing.endedBy) {
      why = { ja: `認定は ${jst(standing.endedBy.at)} に取り消されています`, en: `their authorization was revoked at ${jst(standing.endedBy.at)}` };
    } else {
      why = { ja: 'その時点で取扱いを認められていません（WorkerAuthorized なし）', en: 'they had no WorkerAuthorized at or before it' };
    }
    const person = who(org, workerId);
    const doing = act(e.event.type, ctx.recordId, e.at);
    findings.push(
      violation('art11.unauthorized-handler', '11', [e, standing?.endedBy], {
        ja: `${person.ja} が${doing.ja}を行いましたが、${why.ja}`,
        en: `${person.en} did the ${doing.en}, but ${why.en}`,
      }, ctx.recordId),
    );
  }
  return { applicable: events.length > 0, findings };
}

/**
 * Contract rule: WorkerDeparted → a WorkerPledgeSubmitted for that worker at any time up to
 * departure + pledgeWithin. Each departure needs its own pledge: a worker's departures and pledges
 * are paired in order (the n-th departure with the n-th pledge), so one pledge does not cover a
 * second departure after re-authorization.
 */
export function judgeArt11Contract(ctx: ContractContext): ArticleResult {
  const departures = ctx.contract.departures();
  const findings: Ranked[] = [];
  for (const departure of departures) {
    const workerId = departure.event.data.workerId;
    const nth = ctx.contract.departuresOf(workerId).indexOf(departure);
    const pledge = ctx.contract.pledgesOf(workerId)[nth] ?? null;
    const due = addDuration(departure.at, ctx.contract.durationAt('pledgeWithin', departure.at));
    findings.push(
      obligation({
        rule: 'art11.pledge-missing',
        article: '11',
        opening: departure,
        closing: pledge,
        due,
        asOf: ctx.asOf,
        subject: {
          ja: `${jst(departure.at)} に退職した業務従事者 ${workerId} の秘密保持誓約書（WorkerPledgeSubmitted）の提出`,
          en: `the confidentiality pledge (WorkerPledgeSubmitted) of worker ${workerId}, who departed at ${jst(departure.at)}`,
        },
      }),
    );
  }
  return { applicable: departures.length > 0, findings };
}
