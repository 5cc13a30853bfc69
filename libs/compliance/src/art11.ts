import { addDuration } from '@ledger/domain';
import { isOpen, refOf, type Ref } from '@ledger/handling';
import { byWorker, type ArticleResult, type ContractContext, type FinishContext, type RecordContext, type RecordRule } from './context.js';
import { dueAfter } from './due.js';
import { act, defaultNote, holdingName, jst, list, wa, who } from './messages.js';
import { obligation, violation, type Judged } from './obligation.js';
import type { Message } from './verdict.js';

interface Surrender {
  departure: Ref;
  workerId: string;
  due: number;
  isDefault: boolean;
  duration: string;
  duties: { holding: string; closedBy: Ref | null }[];
}

function surrenderFinding(ctx: RecordContext | FinishContext, s: Surrender, asOf: number): Judged {
  const closings = s.duties.map((d) => d.closedBy).filter((c): c is Ref => c !== null);
  const done = closings.length === s.duties.length;
  // Done: judged by the last holding surrendered; else still open.
  const closing = done ? closings.reduce((a, b) => (b.at > a.at || (b.at === a.at && b.pos > a.pos) ? b : a)) : null;
  const names = list(s.duties.map((d) => (d.holding === '' ? '原本' : `複製物${d.holding}`)));
  const namesEn = list(s.duties.map((d) => holdingName(d.holding === '' ? null : d.holding).en));
  return obligation({
    rule: 'art11.holding-not-surrendered',
    article: '11',
    party: 'contractor',
    opening: s.departure,
    closing,
    due: s.due,
    asOf,
    subject: {
      ja: `${wa(s.departure.at)}に退職した業務従事者${s.workerId}が保有していた保有個人情報（${ctx.recordId}）の${names.ja}の返還又は廃棄`,
      en: `the return or disposal of ${namesEn.en} of record ${ctx.recordId}, held by worker ${s.workerId} who departed at ${jst(s.departure.at)}`,
    },
    note: defaultNote(s.isDefault, s.duration),
    recordId: ctx.recordId,
  });
}

/**
 * Article 11 (no heading in the memorandum; titled 業務従事者の監督等 here): the contractor limits
 * who handles the information, supervises them, and on a worker's departure takes a pledge and
 * has every holding in their hands returned or disposed of (「全ての保有個人情報の返還又は破棄」).
 */
export const ART11: RecordRule<{ surrenders: Surrender[] }> = {
  article: '11',
  rules: [
    {
      id: 'art11.unauthorized-handler', article: '11', scope: 'record', kind: 'violation', party: 'contractor',
      title: { ja: '取扱いを認められていない業務従事者による取扱い', en: 'Handling by a worker not authorized' },
    },
    {
      id: 'art11.holding-not-surrendered', article: '11', scope: 'record', kind: 'obligation', party: 'contractor',
      title: { ja: '退職した業務従事者が保有する保有個人情報の返還又は廃棄', en: 'Return or disposal of what a departing worker holds' },
    },
  ],
  init: () => ({ surrenders: [] }),
  step(ctx, state, step) {
    const { entry } = step;
    const event = entry.event;
    if (byWorker(event)) {
      ctx.applies('11');
      const { org, workerId } = event.actor;
      const standing = workerId === undefined ? null : ctx.contract.workerStanding(workerId, org, entry.at);
      if (!standing?.inForce) {
        let why: Message;
        if (!standing) why = { ja: '業務従事者の記載がない', en: 'the event names no worker' };
        else if (standing.authorizedOrg !== null) why = { ja: `同人は${standing.authorizedOrg === 'contractor' ? '乙' : standing.authorizedOrg.replace('subcontractor:', '再委託先')}の業務従事者としてのみ認められている`, en: `they are authorized for ${standing.authorizedOrg} only` };
        else if (standing.endedBy?.event.type === 'WorkerDeparted') why = { ja: `同人は${wa(standing.endedBy.at)}に退職している`, en: `they departed at ${jst(standing.endedBy.at)}` };
        else if (standing.endedBy) why = { ja: `同人の指定は${wa(standing.endedBy.at)}に取り消されている`, en: `their authorization was revoked at ${jst(standing.endedBy.at)}` };
        else why = { ja: '同人はその時点で取扱いを認められていない', en: 'they had no WorkerAuthorized at or before it' };
        const person = who(org, workerId);
        const doing = act(event.type, ctx.recordId, entry.at);
        ctx.emit(
          violation('art11.unauthorized-handler', '11', 'contractor', [entry, standing?.endedBy], {
            ja: `乙は、${person.ja}に${doing.ja}を行わせたが、${why.ja}。`,
            en: `${person.en} did the ${doing.en}, but ${why.en}`,
          }, ctx.recordId),
        );
      }
    }
    if (step.closed) {
      const key = step.closed.copyId ?? '';
      for (const s of state.surrenders) for (const d of s.duties) if (d.holding === key && d.closedBy === null) d.closedBy = refOf(entry);
      const done = state.surrenders.filter((s) => s.duties.every((d) => d.closedBy !== null));
      for (const s of done) ctx.emit(surrenderFinding(ctx, s, Number.POSITIVE_INFINITY));
      state.surrenders = state.surrenders.filter((s) => !done.includes(s));
    }
  },
  trigger(ctx, state, trigger) {
    if (trigger.event.type !== 'WorkerDeparted') return;
    const workerId = trigger.event.data.workerId;
    const held = Object.entries(ctx.handling.holdings).filter(
      ([, h]) => isOpen(h.state) && h.holder !== null && h.holder.workerId === workerId && h.holder.org !== 'city' && h.holder.carrierId === null,
    );
    if (held.length === 0) return;
    ctx.applies('11');
    const terms = ctx.contract.termsAt(trigger.at);
    state.surrenders.push({
      departure: refOf(trigger),
      workerId,
      due: dueAfter(ctx.contract, 'pledgeWithin', trigger.at),
      isDefault: !terms.explicit.has('pledgeWithin'),
      duration: terms.policy.pledgeWithin,
      duties: held.map(([key]) => ({ holding: key, closedBy: null })),
    });
  },
  finish(ctx, state) {
    for (const s of state.surrenders) ctx.emit(surrenderFinding(ctx, s, ctx.asOf));
  },
};

/**
 * Contract rule: WorkerDeparted → a WorkerPledgeSubmitted for that worker within
 * [departure − pledgeLookback, departure + pledgeWithin] (a pledge given at hiring does not
 * count). Each departure needs its own pledge: a pledge closes one departure only.
 */
export function judgeArt11Contract(ctx: ContractContext): ArticleResult {
  const departures = ctx.contract.departures();
  const findings: Judged[] = [];
  const used = new Set<string>();
  for (const departure of departures) {
    const workerId = departure.event.data.workerId;
    const from = addDuration(departure.at, negate(ctx.contract.requiredDurationAt('pledgeLookback', departure.at)));
    const pledge = ctx.contract.pledgesOf(workerId).find((p) => p.at >= from && !used.has(p.id)) ?? null;
    if (pledge) used.add(pledge.id);
    const terms = ctx.contract.termsAt(departure.at);
    findings.push(
      obligation({
        rule: 'art11.pledge-missing',
        article: '11',
        party: 'contractor',
        opening: departure,
        closing: pledge,
        due: dueAfter(ctx.contract, 'pledgeWithin', departure.at),
        asOf: ctx.asOf,
        subject: {
          ja: `${wa(departure.at)}に退職した業務従事者${workerId}の退職後の秘密保持に関する誓約書の提出`,
          en: `the confidentiality pledge (WorkerPledgeSubmitted) of worker ${workerId}, who departed at ${jst(departure.at)}`,
        },
        note: defaultNote(!terms.explicit.has('pledgeWithin'), terms.policy.pledgeWithin),
      }),
    );
  }
  return { applicable: departures.length > 0, findings };
}

function negate(d: ReturnType<ContractContext['contract']['requiredDurationAt']>) {
  return { ...d, years: -d.years, months: -d.months, days: -d.days, milliseconds: -d.milliseconds };
}

export const ART11_CONTRACT_RULES = [
  {
    id: 'art11.pledge-missing', article: '11' as const, scope: 'contract' as const, kind: 'obligation' as const, party: 'contractor' as const,
    title: { ja: '退職者の秘密保持誓約書の提出', en: 'Confidentiality pledge of a departing worker' },
  },
];
