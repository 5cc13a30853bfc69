/**
 * The console's browser tests drive Debian's Chromium (`apt-get install chromium fonts-noto-cjk`;
 * .ci/run installs both) with playwright-core, never a browser Playwright downloads. One browser per
 * test file; each role gets its own context (its own cookies).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a headless Chromium on a machine without network: nothing phones home. */
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/**
 * A describe block that needs the browser: skipped, saying why in its title, on a machine without
 * Chromium (.ci/run installs it; a developer's machine may not have it).
 */
export function describeInBrowser(title: string, body: () => void): void {
  if (existsSync(CHROMIUM)) describe(title, body);
  else {
    // A suite skipped whole is not listed by name: say it where the run is read.
    console.warn(`[tests] ${title} (skipped: no chromium at ${CHROMIUM}). Install it: apt-get install -y chromium fonts-noto-cjk (.ci/run does), or set CHROMIUM_PATH.`);
    describe.skip(`${title} (skipped: no chromium at ${CHROMIUM})`, body);
  }
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium and fonts-noto-cjk (apt-get install -y chromium fonts-noto-cjk; .ci/run does), or set CHROMIUM_PATH`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

export interface ConsoleTab {
  context: BrowserContext;
  page: Page;
  /** Messages the page's console printed that are CSP refusals or script errors (none expected). */
  problems: string[];
}

/** A fresh context (no cookies) with a page, collecting CSP refusals and script errors. */
export async function openTab(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<ConsoleTab> {
  const context = await browser.newContext({ viewport, locale: 'ja-JP', timezoneId: 'Asia/Tokyo', acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return { context, page, problems };
}

/** Signs in on the console's form with an API key; resolves on the page it lands on. */
export async function signIn(page: Page, url: string, key: string, next = '/console'): Promise<void> {
  await page.goto(`${url}/console/sign-in?next=${encodeURIComponent(next)}`);
  await page.fill('#key', key);
  await Promise.all([page.waitForURL(`${url}${next}`), page.click('form.sign-in button[type=submit]')]);
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * axe-core run in the page (evaluated through the DevTools protocol, which the page's CSP does not
 * govern, so the page keeps its real CSP): the serious and critical violations.
 */
export async function seriousA11yProblems(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    return axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ['violations'] });
  });
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)) }));
}

/** The text of every page of a PDF (pdfjs-dist), NFKC-normalized: Chromium's PDFs map some kanji to their radical forms (⽇ for 日). */
export async function pdfText(bytes: Uint8Array): Promise<{ pages: number; size: [number, number]; text: string }> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  const parts: string[] = [];
  let size: [number, number] = [0, 0];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    if (i === 1) size = [Math.round(page.view[2]!), Math.round(page.view[3]!)];
    const content = await page.getTextContent();
    parts.push(content.items.map((item) => ('str' in item ? item.str : '')).join(''));
  }
  await doc.destroy();
  return { pages: doc.numPages, size, text: parts.join('\n').normalize('NFKC') };
}
