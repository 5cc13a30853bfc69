import { categoriesAt } from '@ledger/handling';
import type { RecordRule } from './context.js';
import { because, holdingName, jst, uncovered, wa } from './messages.js';
import { violation } from './obligation.js';

/** Article 9: no copying or reproduction unless the city instructs or consents. */
export const ART9: RecordRule<null> = {
  article: '9',
  rules: [
    {
      id: 'art9.copy-without-authorization', article: '9', scope: 'record', kind: 'violation', party: 'contractor',
      title: { ja: '承諾のない複写・複製', en: 'Copying without authorization' },
    },
  ],
  init: () => null,
  step(ctx, _state, { entry }) {
    const event = entry.event;
    if (event.type !== 'RecordCopied') return;
    ctx.applies('9');
    const coverage = ctx.contract.authorizationCovering('copy', ctx.recordId, categoriesAt(ctx.handling, entry.at), entry.at);
    if (coverage.grant) return;
    const source = holdingName(event.data.fromCopyId);
    const why = because(coverage.reasons.map(uncovered));
    ctx.emit(
      violation('art9.copy-without-authorization', '9', 'contractor', [entry], {
        ja: `乙は、甲の承諾なく、保有個人情報（${ctx.recordId}）の${source.ja}から複製物${event.data.copyId}を作成した（${wa(entry.at)}）${why.ja}。`,
        en: `copy ${event.data.copyId} of record ${ctx.recordId} was made from ${source.en} at ${jst(entry.at)} with no copy authorization covering the record${why.en}`,
      }, ctx.recordId),
    );
  },
};
