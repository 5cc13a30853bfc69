import { roleAllows } from '../../auth/api-keys.js';
import { withParam, type ConsoleContext } from '../console-context.js';
import { assetUrl } from '../console-assets.controller.js';
import { html, seg, type Html, type Renderable } from '../html.js';
import { roleLabel, t } from '../i18n.js';

export interface PageOptions {
  title: string;
  /** The contract the page is about: its sub-navigation is shown. */
  contractId?: string;
  /** Which sub-navigation entry is the current page. */
  current?: 'overview' | 'contract' | 'holdings' | 'incidents' | 'audit' | 'record';
  /** Breadcrumb above the title: [label, href] (the last one is the page itself, without href). */
  crumbs?: Array<[string, string | null]>;
  /** The polling endpoint of a live page (docs/console.md "Live"). */
  liveUrl?: string;
  /** Shown in print only, above everything (the audit report's header). */
  printHeader?: Html;
  body: Renderable;
}

function contractNav(ctx: ConsoleContext, contractId: string, current: PageOptions['current']): Html {
  const base = `/console/contracts/${seg(contractId)}`;
  const items: Array<[PageOptions['current'], string, string]> = [
    ['contract', base, t(ctx.lang, 'navContract')],
    ['holdings', `${base}/holdings`, t(ctx.lang, 'navHoldings')],
    ['incidents', `${base}/incidents`, t(ctx.lang, 'navIncidents')],
  ];
  if (ctx.principal && roleAllows(ctx.principal.role, 'auditor')) items.push(['audit', `${base}/audit`, t(ctx.lang, 'navAudit')]);
  return html`<nav class="subnav" aria-label="${contractId}"><ul>${items.map(
    ([key, href, label]) => html`<li><a href="${href}"${key === current ? html` aria-current="page"` : ''}>${label}</a></li>`,
  )}</ul></nav>`;
}

/** Every page: the header (who is signed in, the language, sign-out), the navigation, the main part. */
export function page(ctx: ConsoleContext, options: PageOptions): Html {
  const lang = ctx.lang;
  const other = lang === 'ja' ? 'en' : 'ja';
  const who = ctx.principal
    ? html`<span class="who-role">${roleLabel(ctx.principal.role, lang)}</span>
        <span class="who-party">${ctx.principal.party === 'city' ? t(lang, 'city') : ctx.principal.party}</span>
        <span class="who-scope">${ctx.principal.contracts === 'all' ? t(lang, 'allContracts') : ctx.principal.contracts.join(', ')}</span>`
    : '';
  const signOut = ctx.session
    ? html`<form method="post" action="/console/sign-out" class="sign-out">
        <input type="hidden" name="csrf" value="${ctx.session.csrf}">
        <button type="submit">${t(lang, 'signOut')}</button></form>`
    : '';
  const crumbs = options.crumbs && options.crumbs.length > 0
    ? html`<nav class="crumbs" aria-label="breadcrumb"><ol>${options.crumbs.map(([label, href]) =>
        href === null ? html`<li aria-current="page">${label}</li>` : html`<li><a href="${href}">${label}</a></li>`)}</ol></nav>`
    : '';
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${options.title} — ${t(lang, 'appName')}</title>
<link rel="icon" href="${assetUrl('favicon.svg')}" type="image/svg+xml">
<link rel="stylesheet" href="${assetUrl('console.css')}">
<script src="${assetUrl('console.js')}" defer></script>
</head>
<body>
<a class="skip" href="#main">${t(lang, 'skip')}</a>
${options.printHeader ? html`<div class="print-header">${options.printHeader}</div>` : ''}
<header class="top">
  <a class="brand" href="/console">${t(lang, 'appName')}</a>
  <div class="who">${who}
    <a class="lang" href="${withParam(ctx.url, 'lang', other)}" lang="${other}" hreflang="${other}">${t(lang, 'otherLanguage')}</a>
    ${signOut}
  </div>
</header>
${options.contractId ? contractNav(ctx, options.contractId, options.current) : ''}
<main id="main" tabindex="-1"${options.liveUrl ? html` data-live-url="${options.liveUrl}"` : ''}>
${crumbs}
<h1>${options.title}</h1>
<p class="live-status" role="status" aria-live="polite"></p>
${options.body}
</main>
<footer class="foot"><p>${t(lang, 'appName')}</p></footer>
</body>
</html>
`;
}

/** The status of a verdict as a badge: a word and a shape, never colour alone. */
export function badge(status: string, label: string): Html {
  return html`<span class="badge badge-${status}">${label}</span>`;
}
