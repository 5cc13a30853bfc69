import type { FieldProblem } from '@ledger/domain';
import type { ConsoleContext } from '../console-context.js';
import { html, type Html } from '../html.js';
import { t, type WordKey } from '../i18n.js';
import { page } from './layout.view.js';

const TITLES: Record<number, WordKey> = { 400: 'badRequestTitle', 403: 'forbiddenTitle', 404: 'notFoundTitle', 503: 'unavailableTitle' };

/** An error as a page: the title by status, the service's own message and the fields it names. */
export function errorPage(ctx: ConsoleContext, status: number, message: string, problems: readonly FieldProblem[] = []): Html {
  const lang = ctx.lang;
  return page(ctx, {
    title: t(lang, TITLES[status] ?? 'errorTitle'),
    body: html`
<p class="problem" role="alert">${message}</p>
${problems.length > 0 ? html`<ul class="problems">${problems.map((p) => html`<li><code>${p.field}</code>: ${p.message}</li>`)}</ul>` : ''}
<p><a href="/console">${t(lang, 'back')}</a></p>`,
  });
}
