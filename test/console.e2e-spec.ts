import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { ARTICLE_IDS } from '@ledger/compliance';
import type { LedgerEvent } from '@ledger/domain';
import type { Projector } from '@ledger/projections';
import { createMerkleLogWorkers, createProjectorWorker } from '@ledger/runtime';
import { CONSOLE_CSP } from '../apps/ledger-api/src/console/console-http.js';
import { custodyExample } from './generators/custody-example.js';
import { demoContract } from './generators/demo-contract.js';
import { describeInBrowser, launchChromium, openTab, pdfText, seriousA11yProblems, signIn, type ConsoleTab } from './support/browser.js';
import { startTestApp, TEST_KEYS, type TestApp } from './support/test-app.js';

/**
 * The officers' and auditors' console in Debian's Chromium, on the demo contract (and the custody
 * walkthrough's R-000201, a copy of a copy): every page is opened, its numbers checked against the
 * API's own answers, the asOf date moved, an evidence link followed, the checkpoint verified in the
 * browser, the report printed to PDF, each page checked with axe-core, and the live pages seen to
 * change without a reload.
 */
const demo = demoContract();
const C = demo.contractId;
/** Another contract, and an officer key scoped to it alone. */
const other = demoContract({ contractId: 'okayama-kaigo-other', cleanRecords: 2, seed: 7 });
const OTHER_OFFICER = 'officer-other-Vq3x9LmT2bKw7RzP4nHs8YdJ';
const DAY = '2026-03-10';
const END_OF_DAY = `${DAY}T23:59:59.999+09:00`;
const q = encodeURIComponent;

describeInBrowser('the console in a real browser (Debian chromium), on the demo contract', () => {
  let app: TestApp;
  let projector: Projector;
  let browser: Browser;
  let officer: ConsoleTab;
  let auditor: ConsoleTab;
  const visited: string[] = [];

  const api = async (path: string, role: keyof typeof TEST_KEYS = 'officer'): Promise<any> => {
    const answer = await app.request('GET', path, { role });
    expect([path, answer.status]).toEqual([path, 200]);
    return answer.body;
  };

  async function post(events: readonly LedgerEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += 1000) {
      const answer = await app.request('POST', '/v1/events', { role: 'feed', body: { events: events.slice(i, i + 1000) } });
      expect(answer.status).toBe(201);
      await projector.waitFor(answer.body.events[answer.body.events.length - 1].position);
    }
  }

  async function open(tab: ConsoleTab, path: string): Promise<void> {
    const answer = await tab.page.goto(`${app.url}${path}`);
    expect([path, answer?.status()]).toEqual([path, 200]);
    visited.push(path);
  }

  const cellText = (tab: ConsoleTab, selector: string): Promise<string> => tab.page.locator(selector).first().innerText().then((t) => t.trim());

  beforeAll(async () => {
    app = await startTestApp('console', {
      config: { checkpointIntervalMs: 100 },
      keys: [{ secret: OTHER_OFFICER, role: 'officer', party: 'city', contracts: [other.contractId] }],
      workers: (runtime) => {
        projector = createProjectorWorker(runtime, () => undefined) as Projector;
        return [...createMerkleLogWorkers(runtime, () => undefined), projector];
      },
    });
    await post([...demo.events, ...custodyExample(C), ...other.events]);
    const head = (await app.runtime.eventStore.headPosition());
    for (let i = 0; i < 200; i++) {
      const checkpoint = await app.request('GET', '/v1/log/checkpoint', { headers: { accept: 'application/json' } });
      if (checkpoint.status === 200 && checkpoint.body.treeSize >= head) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    browser = await launchChromium();
    officer = await openTab(browser);
    auditor = await openTab(browser);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('signs in with an API key for a short-lived HttpOnly, SameSite=Strict session, under a strict CSP; a wrong key is refused, an oversized form too', async () => {
    const first = await officer.page.goto(`${app.url}/console/contracts/${C}`);
    expect(officer.page.url()).toBe(`${app.url}/console/sign-in?next=${q(`/console/contracts/${C}`)}&expired=1`);
    expect(first?.headers()['content-security-policy']).toBe(CONSOLE_CSP);
    await officer.page.fill('#key', 'officer-not-a-key-Z3kq9wX2mN7pL4vB8cR1');
    const refused = officer.page.waitForResponse((r) => r.url().endsWith('/console/sign-in') && r.request().method() === 'POST');
    await officer.page.click('form.sign-in button[type=submit]');
    expect((await refused).status()).toBe(401);
    await expect(officer.page.locator('.problem').innerText()).resolves.toBe('キーが無効です。');
    await officer.page.fill('#key', TEST_KEYS.officer);
    await Promise.all([officer.page.waitForURL(`${app.url}/console/contracts/${C}`), officer.page.click('form.sign-in button[type=submit]')]);
    const [cookie] = (await officer.context.cookies()).filter((c) => c.name === 'ledger_console');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/console' });
    expect(cookie!.expires * 1000 - Date.now()).toBeLessThanOrEqual(8 * 3_600_000);
    expect(cookie!.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await signIn(auditor.page, app.url, TEST_KEYS.auditor);
    // The sign-in form needs no bearer key at the request edge, but it is a small form only.
    const oversized = await app.request('POST', '/console/sign-in', { rawBody: `key=${'x'.repeat(5000)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect([oversized.status, oversized.body.code]).toEqual([413, 'LEDGER.BODY_TOO_LARGE']);
    // The refused sign-in is the one failed load the browser reports on purpose.
    expect(officer.problems).toEqual([expect.stringContaining('401')]);
    officer.problems.length = 0;
  });

  it('the overview: each contract with the contractor\'s and the city\'s status, records by status, violations per article (第3条…法68条) and what falls due within 7 days, as the API answers', async () => {
    const answer = await api(`/v1/contracts/${C}/compliance?limit=1`);
    await open(officer, '/console');
    const row = `#contracts tbody tr:has(a[href="/console/contracts/${C}"])`;
    expect(await cellText(officer, `${row} td:nth-child(3)`)).toContain('違反');
    expect(await cellText(officer, `${row} td:nth-child(4)`)).toContain('違反');
    const counts = await officer.page.locator(`${row} td.num`).allInnerTexts();
    expect(counts.slice(0, 5).map(Number)).toEqual([answer.records.total, answer.records.violation, answer.records.pending, answer.records.compliant, answer.records.not_applicable]);
    const perArticle: Record<string, number> = {};
    for (const r of answer.summary) perArticle[r.article] = (perArticle[r.article] ?? 0) + r.violation;
    for (const article of ARTICLE_IDS) {
      expect([article, Number(await cellText(officer, `#articles td[data-article="${article}"]`))]).toEqual([article, perArticle[article] ?? 0]);
    }
    expect(await officer.page.locator('#articles thead th').allInnerTexts()).toEqual(expect.arrayContaining(['第3条', '第18条', '法68条']));
    // Everything of the demo happened in 2025-2026: nothing falls due in the coming week.
    await expect(officer.page.locator('#h-due + .empty').innerText()).resolves.toContain('7日以内');
  });

  it('the contract page: findings by article as the API lists them, filtered, then as of a day and as the ledger knew it then', async () => {
    await open(officer, `/console/contracts/${C}`);
    const now = await api(`/v1/contracts/${C}/compliance?limit=1000`);
    expect(await officer.page.locator('#record-counts [data-count="violation"]').innerText()).toBe(String(now.records.violation));
    expect(await officer.page.locator('.article-findings tbody tr').count()).toBe(now.findings.length);
    await officer.page.selectOption('#f-article', '14');
    await officer.page.selectOption('#f-status', 'violation');
    await Promise.all([officer.page.waitForURL(/article=14/), officer.page.click('form.filters button[type=submit]')]);
    const art14 = await api(`/v1/contracts/${C}/compliance?article=14&status=violation`);
    expect(art14.findings.length).toBeGreaterThan(0);
    expect(await officer.page.locator('#article-14 tbody td:first-child').allInnerTexts()).toEqual(art14.findings.map((f: any) => f.recordId));
    expect(await officer.page.locator('.article-findings').count()).toBe(1);
    // Move the date: the page answers as of the end of that day, and keeps the filters.
    await officer.page.fill('#asOf', DAY);
    await Promise.all([officer.page.waitForURL(/asOf=2026-03-10/), officer.page.click('form.cut-form button[type=submit]')]);
    expect(new URL(officer.page.url()).searchParams.get('article')).toBe('14');
    visited.push(new URL(officer.page.url()).pathname + new URL(officer.page.url()).search);
    const then = await api(`/v1/contracts/${C}/compliance?asOf=${q(END_OF_DAY)}&article=14&status=violation`);
    expect(await officer.page.locator('#record-counts [data-count="total"]').innerText()).toBe(String(then.records.total));
    expect(await officer.page.locator('#record-counts [data-count="violation"]').innerText()).toBe(String(then.records.violation));
    expect(await officer.page.locator('.article-findings tbody tr').count()).toBe(then.findings.length);
    expect(then.records.total).toBeLessThan(now.records.total);
    await expect(officer.page.locator('.cut-now').innerText()).resolves.toContain('令和8年3月10日');
    // "As the ledger knew it then": every demo event was recorded today, so on 10 March it knew nothing.
    await officer.page.check('#known');
    await Promise.all([officer.page.waitForURL(/known=1/), officer.page.click('form.cut-form button[type=submit]')]);
    const known = await api(`/v1/contracts/${C}/compliance?asOf=${q(END_OF_DAY)}&knownAt=${q(END_OF_DAY)}`);
    expect(known.records.total).toBe(0);
    expect(await officer.page.locator('#record-counts [data-count="total"]').innerText()).toBe('0');
  });

  it('follows an evidence link from a finding to the event on the record\'s timeline', async () => {
    await open(officer, `/console/contracts/${C}?rule=art13.transport-overdue`);
    const [finding] = (await api(`/v1/contracts/${C}/compliance?rule=art13.transport-overdue`)).findings;
    expect(finding.recordId).toBe('R-000104');
    const link = officer.page.locator(`#article-13 a[href$="#ev-${finding.eventIds[0]}"]`);
    await Promise.all([officer.page.waitForURL(new RegExp(`/records/R-000104#ev-${finding.eventIds[0]}$`)), link.click()]);
    const target = officer.page.locator(`[id="ev-${finding.eventIds[0]}"]`);
    await expect(target.isVisible()).resolves.toBe(true);
    expect(await officer.page.evaluate(() => (globalThis as any).document.querySelector(':target')?.id)).toBe(`ev-${finding.eventIds[0]}`);
    expect(await target.innerText()).toContain('TransportStarted');
  });

  it('the record page draws the custody tree (original, copy, copy of a copy) with state, location, holder and transport legs, the verdict per article beside it', async () => {
    await open(officer, `/console/contracts/${C}/records/R-000201`);
    const custody = await api(`/v1/contracts/${C}/records/R-000201/custody`);
    const verdict = await api(`/v1/contracts/${C}/records/R-000201/compliance`);
    const nodes = officer.page.locator('svg.custody-tree g.node');
    expect(await nodes.count()).toBe(custody.holdings.length);
    const box = async (key: string) => (await officer.page.locator(`svg.custody-tree g[data-holding="${key}"] rect`).boundingBox())!;
    const [original, c1, c2] = [await box('original'), await box('copy-C-1'), await box('copy-C-2')];
    expect(c1.x).toBeGreaterThan(original.x + original.width);
    expect(c2.x).toBeGreaterThan(c1.x + c1.width);
    const c2Text = await officer.page.locator('svg.custody-tree g[data-holding="copy-C-2"]').textContent();
    expect(c2Text).toContain('搬送中');
    expect(c2Text).toContain('DC-OKAYAMA-2 → CITY-HALL');
    expect(c2Text).toContain('CARRIER-1');
    expect(c2Text).toContain('T-000201-1');
    expect(await officer.page.getAttribute('svg.custody-tree g[data-holding="copy-C-2"]', 'class')).toContain('node-overdue');
    for (const [article, judged] of Object.entries<any>(verdict.articles)) {
      const badge = await cellText(officer, `#verdict-${article} .verdict-head .badge`);
      expect([article, badge]).toEqual([article, { violation: '違反', pending: '期限待ち', compliant: '適合', not_applicable: '該当なし' }[judged.status as string]]);
    }
    expect(await officer.page.locator('#timeline tbody tr').count()).toBeGreaterThanOrEqual(4);
  });

  it('the holdings page: in transit, overdue, held after the contract ended, by location, as the API answers', async () => {
    await open(officer, `/console/contracts/${C}/holdings`);
    const inTransit = await api(`/v1/contracts/${C}/holdings?state=in_transit`);
    const overdue = await api(`/v1/contracts/${C}/holdings?overdue=true`);
    expect(await officer.page.locator('#in-transit tbody tr').count()).toBe(inTransit.holdings.length);
    expect(await officer.page.locator('#overdue tbody tr').count()).toBe(overdue.holdings.length);
    expect(inTransit.holdings.length).toBeGreaterThan(0);
    const afterEnd = await officer.page.locator('#after-end tbody th').allInnerTexts();
    expect(afterEnd.some((t) => t.includes('R-000201') && t.includes('原本'))).toBe(true);
    expect(await officer.page.locator('#by-location tbody th').allInnerTexts()).toEqual(expect.arrayContaining(['DC-OKAYAMA-1']));
  });

  it('the incidents page: each incident with the contractor\'s report deadline and the city\'s 速報, 確報 and notice, as the rulebook judged them', async () => {
    await open(officer, `/console/contracts/${C}/incidents`);
    const answer = await api(`/v1/contracts/${C}/compliance?limit=1`);
    for (const rule of ['appi68.preliminary-report-overdue', 'appi68.final-report-overdue', 'appi68.persons-not-notified']) {
      const finding = answer.city.findings.find((f: any) => f.rule === rule);
      const row = officer.page.locator(`#incident-INC-2025-002 tr[data-rule="${rule}"]`);
      expect([rule, await row.locator('.badge').innerText()]).toEqual([rule, { violation: '違反', pending: '期限待ち', compliant: '適合' }[finding.status as string]]);
      expect(await row.locator('time').first().getAttribute('datetime')).toBe(finding.dueAt);
    }
    // 確報 and the notice never happened: their deadlines count on past the due time.
    await expect(officer.page.locator('#incident-INC-2025-002 tr[data-rule="appi68.final-report-overdue"] .countdown').innerText()).resolves.toMatch(/超過$/);
    await expect(officer.page.locator('#incident-INC-2026-001').innerText()).resolves.toContain('報告対象ではありません');
  });

  it('the auditor verifies the latest checkpoint in the browser (Ed25519, WebCrypto) against the pinned key, and a tampered one fails', async () => {
    await open(auditor, `/console/contracts/${C}/audit`);
    const key = await api('/v1/log/public-key');
    await auditor.page.click('[data-action="pin-server-key"]');
    expect(await auditor.page.inputValue('#pinned-key')).toBe(key.publicKey);
    await auditor.page.click('[data-action="verify"]');
    await auditor.page.waitForSelector('#verify-result[data-outcome]');
    expect(await auditor.page.getAttribute('#verify-result', 'data-outcome')).toBe('verified');
    expect(await auditor.page.innerText('#verify-result')).toContain(`木の大きさ ${await auditor.page.innerText('#checkpoint-size')}`);
    await auditor.page.evaluate(() => {
      const note = (globalThis as any).document.getElementById('checkpoint-note')!;
      note.textContent = note.textContent!.replace(/\n(\d+)\n/, (_m: string, n: string) => `\n${Number(n) + 1}\n`);
    });
    await auditor.page.click('[data-action="verify"]');
    await auditor.page.waitForSelector('#verify-result[data-outcome="failed"]');
    expect(await auditor.page.innerText('#verify-result')).toContain('署名が一致しません');
  });

  it('the auditor replays the contract as of a day, downloads the bundle and prints a clean A4 report with its header', async () => {
    await auditor.page.fill('#asOf', DAY);
    await Promise.all([auditor.page.waitForURL(/audit\?asOf=2026-03-10/), auditor.page.click('form.cut-form button[type=submit]')]);
    visited.push(`/console/contracts/${C}/audit?asOf=${DAY}`);
    const replay = await api(`/v1/contracts/${C}/replay?asOf=${q(END_OF_DAY)}`, 'auditor');
    expect(await auditor.page.locator('#replay-status .badge').innerText()).toBe({ violation: '違反', pending: '期限待ち', compliant: '適合', not_applicable: '該当なし' }[replay.status as string]);
    expect(await auditor.page.locator('#replay-findings tbody tr').count()).toBe(replay.articles.reduce((n: number, a: any) => n + a.findings.length, 0));
    const [download] = await Promise.all([auditor.page.waitForEvent('download'), auditor.page.click('a[download]')]);
    const bundle = JSON.parse(await readFile((await download.path())!, 'utf8'));
    expect(bundle).toMatchObject({ format: 'okayama-handling-ledger/audit-bundle', contractId: C, asOf: END_OF_DAY });
    const pdf = await pdfText(await auditor.page.pdf({ format: 'A4', printBackground: false }));
    expect(pdf.size).toEqual([596, 843]);
    expect(pdf.text).toContain('遵守状況 再現報告書');
    expect(pdf.text).toContain(C);
    expect(pdf.text).toContain('令和8年3月10日 終了時点');
    expect(pdf.text).toContain(`${replay.checkpoint.treeSize} · ${replay.checkpoint.rootHash}`);
    // The screen's navigation and forms are not printed.
    expect(pdf.text).not.toContain('サインアウト');
    expect(pdf.text).not.toContain('ブラウザで検証');
  });

  it('every page reads in English too, with times in JST', async () => {
    await open(officer, `/console/contracts/${C}/incidents?lang=en`);
    expect(await officer.page.locator('h1').innerText()).toContain('Incidents and their deadlines');
    expect(await officer.page.locator('#incident-INC-2025-002 time').first().innerText()).toBe('2025-12-03 15:00 JST');
    await open(officer, '/console');
    expect(await officer.page.locator('h1').innerText()).toBe('Contracts');
    await open(officer, '/console?lang=ja');
    expect(await officer.page.locator('h1').innerText()).toBe('契約一覧');
  });

  it('an officer key of one contract sees nothing of another in the console: not in the overview, and its pages read as a missing contract', async () => {
    const scoped = await openTab(browser);
    await signIn(scoped.page, app.url, OTHER_OFFICER);
    const links = await scoped.page.locator('#contracts tbody a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect([...new Set(links.map((href) => href!.split('?')[0]))]).toEqual([`/console/contracts/${other.contractId}`]);
    expect(await scoped.page.content()).not.toContain(C);
    for (const path of [`/console/contracts/${C}`, `/console/contracts/${C}/records/R-000201`, `/console/contracts/${C}/holdings`, `/console/contracts/${C}/incidents`, `/console/contracts/${C}/live`]) {
      const answer = await scoped.page.goto(`${app.url}${path}`);
      // Nothing but what the address itself says: no contractor, location, holder, table or tree.
      const body = await scoped.page.content();
      const leaks = ['okayama-systems', 'DC-OKAYAMA', 'CARRIER-1', 'W-003'].filter((word) => body.includes(word));
      expect([path, answer?.status(), leaks, await scoped.page.locator('main table, main svg').count()]).toEqual([path, 404, [], 0]);
    }
    // Its own contract it sees as any officer does.
    expect((await scoped.page.goto(`${app.url}/console/contracts/${other.contractId}`))?.status()).toBe(200);
    // The refused loads are the 404s above, on purpose.
    expect(scoped.problems.every((p) => p.includes('404'))).toBe(true);
    await scoped.context.close();
  });

  it('every page has no serious or critical axe-core violation, fits 1280×800 and 1920×1080 without scrolling sideways, and breaks no CSP rule', async () => {
    const problems: string[] = [];
    // One of each page (a page's variants by query share its markup), and the sign-in form.
    const byPath = new Map<string, string>();
    for (const path of [...visited, `/console/contracts/${C}/records/R-000104`, `/console/contracts/${C}/events/${demo.events[0]!.eventId}`]) {
      const key = path.split('?')[0]!;
      if (!byPath.has(key)) byPath.set(key, path);
    }
    for (const path of byPath.values()) {
      const tab = path.includes('/audit') || path.includes('/events/') ? auditor : officer;
      for (const viewport of [{ width: 1920, height: 1080 }, { width: 1280, height: 800 }]) {
        await tab.page.setViewportSize(viewport);
        if (viewport.width === 1920) await tab.page.goto(`${app.url}${path}`);
        const overflow = await tab.page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth - (globalThis as any).innerWidth);
        if (overflow > 0) problems.push(`${viewport.width}: ${path} scrolls sideways by ${overflow}px`);
      }
      for (const v of await seriousA11yProblems(tab.page)) problems.push(`${path}: ${v.impact} ${v.id} (${v.help}) ${v.nodes.join(' ')}`);
    }
    const signInTab = await openTab(browser);
    await signInTab.page.goto(`${app.url}/console/sign-in`);
    for (const v of await seriousA11yProblems(signInTab.page)) problems.push(`sign-in: ${v.impact} ${v.id}`);
    await signInTab.context.close();
    expect(problems).toEqual([]);
    expect([...officer.problems, ...auditor.problems]).toEqual([]);
  }, 150_000);

  it('is usable from the keyboard: a skip link first, a visible focus, sortable tables', async () => {
    await officer.page.setViewportSize({ width: 1280, height: 800 });
    await officer.page.goto(`${app.url}/console/contracts/${C}`);
    await officer.page.keyboard.press('Tab');
    expect(await officer.page.evaluate(() => (globalThis as any).document.activeElement?.className)).toBe('skip');
    const skip = await officer.page.locator('a.skip').boundingBox();
    expect(skip!.x).toBeGreaterThanOrEqual(0);
    await officer.page.keyboard.press('Enter');
    expect(await officer.page.evaluate(() => (globalThis as any).document.activeElement?.id)).toBe('main');
    const sort = officer.page.locator('#article-table thead th:nth-child(3) button.sort');
    await sort.focus();
    expect(await sort.evaluate((el) => (globalThis as any).getComputedStyle(el).outlineStyle)).toBe('solid');
    await officer.page.keyboard.press('Enter');
    await officer.page.keyboard.press('Enter');
    expect(await officer.page.getAttribute('#article-table thead th:nth-child(3)', 'aria-sort')).toBe('descending');
    const first = Number(await cellText(officer, '#article-table tbody tr:first-child td:nth-child(3)'));
    const all = (await officer.page.locator('#article-table tbody td:nth-child(3)').allInnerTexts()).map(Number);
    expect(first).toBe(Math.max(...all));
  });

  it('records every console read in the access log, as the API\'s reads', async () => {
    const log = await api(`/v1/access-log?contractId=${C}&limit=1000`, 'auditor');
    const console = log.entries.filter((e: any) => e.route.startsWith('/console'));
    expect(console.some((e: any) => e.route === '/console/contracts/:contractId' && e.keyId === app.keyId('officer') && e.asOf === DAY && e.status === 200)).toBe(true);
    expect(console.some((e: any) => e.route === '/console/contracts/:contractId/records/:recordId' && e.recordId === 'R-000201')).toBe(true);
    expect(console.some((e: any) => e.route === '/console/contracts/:contractId/audit' && e.keyId === app.keyId('auditor'))).toBe(true);
  });

  it('live: the overview and the contract page show new findings without a reload', async () => {
    await officer.page.goto(`${app.url}/console`);
    const contractTab = await officer.context.newPage();
    await contractTab.goto(`${app.url}/console/contracts/${C}`);
    for (const page of [officer.page, contractTab]) await page.evaluate(() => ((globalThis as any).sameDocument = true));
    const before = (await api(`/v1/contracts/${C}/compliance?limit=1`)).records.violation;
    // A record used with no collection before it: a new violation (Art. 7).
    await post([{
      eventId: randomUUID(), type: 'RecordUsed', contractId: C, recordId: 'R-000999', occurredAt: '2026-09-01T10:00:00+09:00',
      actor: { org: 'contractor', workerId: 'W-001' }, source: 'kaigo-system', data: { purpose: '介護保険システム再構築' },
    } as LedgerEvent]);
    expect((await api(`/v1/contracts/${C}/compliance?limit=1`)).records.violation).toBe(before + 1);
    const row = `#contracts tbody tr:has(a[href="/console/contracts/${C}"]) td:nth-child(6)`;
    await officer.page.waitForFunction(([selector, n]) => (globalThis as any).document.querySelector(selector as string)?.textContent?.trim() === String(n), [row, before + 1], { timeout: 20_000 });
    expect(await officer.page.locator('.live-status').innerText()).toContain('新しい指摘を反映しました');
    await contractTab.waitForFunction((n) => (globalThis as any).document.querySelector('#record-counts [data-count="violation"]')?.textContent === String(n), before + 1, { timeout: 20_000 });
    for (const page of [officer.page, contractTab]) expect(await page.evaluate(() => (globalThis as any).sameDocument)).toBe(true);
    await contractTab.close();
  });

  it('signs out: the session ends and the pages ask for a key again', async () => {
    await officer.page.goto(`${app.url}/console?lang=ja`);
    await Promise.all([officer.page.waitForURL(/sign-in\?signedOut=1/), officer.page.click('form.sign-out button')]);
    await expect(officer.page.locator('.notice').innerText()).resolves.toBe('サインアウトしました。');
    await officer.page.goto(`${app.url}/console/contracts/${C}`);
    expect(new URL(officer.page.url()).pathname).toBe('/console/sign-in');
  });
});
