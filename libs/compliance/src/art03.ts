import { byWorker, type RecordRule } from './context.js';
import { act, who } from './messages.js';
import { violation } from './obligation.js';

/**
 * Article 3: the contractor puts a responsible person (個人情報受託管理責任者) in charge. Judged
 * once per record, at the contractor's first handling of it: a responsible person must have been
 * designated at or before it.
 */
export const ART3: RecordRule<{ checked: boolean }> = {
  article: '3',
  rules: [
    {
      id: 'art3.responsible-person-missing', article: '3', scope: 'record', kind: 'violation', party: 'contractor',
      title: { ja: '個人情報受託管理責任者を置かない取扱い', en: 'Handling with no responsible person designated' },
    },
  ],
  init: () => ({ checked: false }),
  step(ctx, state, { entry }) {
    if (state.checked || !byWorker(entry.event)) return;
    state.checked = true;
    ctx.applies('3');
    if (ctx.contract.responsiblePersonAt(entry.at)) return;
    const person = who(entry.event.actor.org, entry.event.actor.workerId);
    const doing = act(entry.event.type, ctx.recordId, entry.at);
    ctx.emit(
      violation('art3.responsible-person-missing', '3', 'contractor', [entry], {
        ja: `乙は、個人情報受託管理責任者を置かないまま、${person.ja}に${doing.ja}を行わせた。`,
        en: `no responsible person (ResponsiblePersonDesignated) had been designated when ${person.en} first handled the record: ${doing.en}`,
      }, ctx.recordId),
    );
  },
};
