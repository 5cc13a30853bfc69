#!/usr/bin/env node
// npm run console:screenshots — the README's pictures of the console, regenerated: starts the
// service (its own embedded PostgreSQL in a temporary folder, on a free port), writes the demo
// contract and the custody walkthrough's R-000201 into it, signs in to /console in Debian's Chromium
// (CHROMIUM_PATH, default /usr/bin/chromium; apt-get install chromium fonts-noto-cjk) and writes
// one 1280×800 PNG per page into docs/console/. Nothing is fetched from the internet.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { demoContract } from '../dist/test/generators/demo-contract.js';
import { custodyExample } from '../dist/test/generators/custody-example.js';
import { launchChromium, openTab, signIn } from '../dist/test/support/browser.js';
import { startServiceProcess } from '../dist/test/support/service-process.js';

const OUT = path.resolve('docs/console');
const keys = {
  feed: `feed-${randomBytes(24).toString('base64url')}`,
  officer: `officer-${randomBytes(24).toString('base64url')}`,
  auditor: `auditor-${randomBytes(24).toString('base64url')}`,
};

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ledger-screenshots-'));
// Run as root, the embedded PostgreSQL runs as "postgres", which must be able to enter the folder.
await chmod(dataDir, 0o755);
let service;
let browser;
try {
  console.log(`starting the service (embedded PostgreSQL in ${dataDir}) …`);
  service = await startServiceProcess(dataDir, {
    LEDGER_API_KEYS: Object.entries(keys).map(([role, secret]) => `${secret}:${role}`).join(','),
    LEDGER_CHECKPOINT_INTERVAL_MS: '200',
  });
  const call = async (method, pathname, key, body) => {
    const response = await fetch(`${service.url}${pathname}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${pathname}: ${response.status} ${text.slice(0, 500)}`);
    return JSON.parse(text);
  };

  const demo = demoContract();
  const C = demo.contractId;
  const events = [...demo.events, ...custodyExample(C)];
  console.log(`writing the demo contract ${C}: ${events.length} events`);
  for (let i = 0; i < events.length; i += 1000) await call('POST', '/v1/events', keys.feed, { events: events.slice(i, i + 1000) });
  // Wait until the read model and the signed checkpoint have caught up with the log.
  const records = new Set(events.map((e) => e.recordId).filter(Boolean)).size;
  for (let i = 0; ; i++) {
    const answer = await call('GET', `/v1/contracts/${C}/compliance?limit=1`, keys.officer);
    const checkpoint = await fetch(`${service.url}/v1/log/checkpoint`, { headers: { accept: 'application/json' } }).then((r) => (r.ok ? r.json() : { treeSize: 0 }));
    if (answer.records.total >= records && checkpoint.treeSize >= events.length) break;
    if (i > 600) throw new Error(`the read model did not catch up: ${answer.records.total} of ${records} records, checkpoint ${checkpoint.treeSize}`);
    await new Promise((r) => setTimeout(r, 100));
  }

  browser = await launchChromium();
  await mkdir(OUT, { recursive: true });
  const shoot = async (tab, name, pathname, before) => {
    await tab.page.goto(`${service.url}${pathname}`);
    if (before) await before(tab.page);
    await tab.page.screenshot({ path: path.join(OUT, `${name}.png`) });
    console.log(`  docs/console/${name}.png  ${pathname}`);
  };
  const officer = await openTab(browser);
  await shoot(officer, 'sign-in', '/console/sign-in');
  await signIn(officer.page, service.url, keys.officer);
  await shoot(officer, 'overview', '/console');
  await shoot(officer, 'contract', `/console/contracts/${C}`);
  await shoot(officer, 'contract-article-14', `/console/contracts/${C}?article=14&asOf=2026-03-10`);
  await shoot(officer, 'record-custody-tree', `/console/contracts/${C}/records/R-000201`);
  await shoot(officer, 'holdings', `/console/contracts/${C}/holdings`);
  await shoot(officer, 'incidents', `/console/contracts/${C}/incidents`);
  await shoot(officer, 'overview-en', '/console?lang=en');
  const auditor = await openTab(browser);
  await signIn(auditor.page, service.url, keys.auditor, `/console/contracts/${C}/audit`);
  await shoot(auditor, 'audit-verified', `/console/contracts/${C}/audit?lang=ja`, async (page) => {
    await page.click('[data-action="pin-server-key"]');
    await page.click('[data-action="verify"]');
    await page.waitForSelector('#verify-result[data-outcome]');
  });
  console.log(`written: ${OUT}`);
} finally {
  await browser?.close();
  await service?.stop();
  await rm(dataDir, { recursive: true, force: true });
}
