import type { ConsoleContext } from '../console-context.js';
import { html, type Html } from '../html.js';
import { t } from '../i18n.js';
import { page } from './layout.view.js';

export function signInPage(ctx: ConsoleContext, options: { next: string; problem: string | null; notice: string | null }): Html {
  const lang = ctx.lang;
  return page(ctx, {
    title: t(lang, 'signIn'),
    body: html`
<form method="post" action="/console/sign-in" class="sign-in">
  ${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ''}
  ${options.problem ? html`<p class="problem" role="alert" id="sign-in-problem">${options.problem}</p>` : ''}
  <input type="hidden" name="next" value="${options.next}">
  <input type="hidden" name="lang" value="${lang}">
  <label for="key">${t(lang, 'apiKey')}</label>
  <input id="key" name="key" type="password" autocomplete="off" required spellcheck="false" aria-describedby="key-help${options.problem ? ' sign-in-problem' : ''}" autofocus>
  <p id="key-help" class="help">${t(lang, 'apiKeyHelp')}</p>
  <button type="submit">${t(lang, 'signIn')}</button>
</form>`,
  });
}
