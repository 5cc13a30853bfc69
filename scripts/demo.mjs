#!/usr/bin/env node
// npm run demo — writes the demo contract (test/generators/demo-contract.ts) into a RUNNING ledger
// through its HTTP API, as a feed would, then lists the findings it planted — the contractor's, and
// the city's own duties apart — and checks that the service finds each of them, and that the cases
// handled correctly on purpose are judged compliant. Walkthrough: docs/compliance.md.
//
//   npm start                      # in one terminal
//   npm run demo                   # in another (same folder: it finds .ledger-data/api-keys.env)
//   npm run demo -- --contract okayama-kaigo-demo-2 --records 500
//
// Environment: LEDGER_URL (default http://localhost:$PORT or :3000); the feed key from
// LEDGER_FEED_KEY, else a city feed key for all contracts in LEDGER_API_KEYS, else
// <LEDGER_DATA_DIR>/api-keys.env (default ./.ledger-data); the officer key (for the check) likewise.
// Only a feed key appends (an admin key does not), and the demo states the city's facts too, so it
// needs a city key.
import { demoContract, DEMO_CONTRACT_ID } from '../dist/test/generators/demo-contract.js';
import { serviceKey, serviceUrl } from '../dist/libs/feed-import/src/service-credentials.js';

function usage(message) {
  if (message) console.error(`demo: ${message}`);
  console.error('usage: npm run demo -- [--contract <id>] [--records <clean records, default 48>] [--url <service url>]');
  process.exit(2);
}

const options = { contract: DEMO_CONTRACT_ID, records: 48, url: serviceUrl() };
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const [name, inline] = args[i].split(/=(.*)/s, 2);
  const value = () => inline ?? args[++i] ?? usage(`${name} needs a value`);
  if (name === '--contract') options.contract = value();
  else if (name === '--records') options.records = Number(value());
  else if (name === '--url') options.url = value();
  else if (name === '--help' || name === '-h') usage();
  else usage(`unknown option ${name}`);
}
if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(options.contract)) usage('--contract must be an ID: 1-64 of A-Z a-z 0-9 . _ -');
if (!Number.isInteger(options.records) || options.records < 0 || options.records > 100_000) usage('--records must be an integer from 0 to 100000');

async function call(method, pathname, key, body) {
  let response;
  try {
    response = await fetch(`${options.url}${pathname}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (error) {
    console.error(`demo: cannot reach the ledger at ${options.url} (${error.cause?.code ?? error.message}). Start it with \`npm start\`, or set LEDGER_URL.`);
    process.exit(3);
  }
  const text = await response.text();
  let parsed = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: response.status, body: parsed };
}

const feedKey = serviceKey(['feed'], process.env, { cityWide: true });
if (!feedKey) {
  console.error('demo: no city feed key: set LEDGER_FEED_KEY or LEDGER_API_KEYS, or run from the folder where `npm start` wrote .ledger-data/api-keys.env (or set LEDGER_DATA_DIR)');
  process.exit(3);
}

const demo = demoContract({ contractId: options.contract, cleanRecords: options.records });
console.log(`Writing the demo contract ${demo.contractId} to ${options.url}: ${demo.events.length} events, ${demo.recordIds.length} records`);
let appended = 0;
let duplicates = 0;
let lastPosition = 0;
for (let i = 0; i < demo.events.length; i += 1000) {
  const answer = await call('POST', '/v1/events', feedKey, { events: demo.events.slice(i, i + 1000) });
  if (answer.status !== 201) {
    console.error(`demo: the ledger refused a batch (${answer.status}): ${JSON.stringify(answer.body).slice(0, 2000)}`);
    process.exit(1);
  }
  for (const e of answer.body.events) {
    if (e.status === 'appended') appended++;
    else duplicates++;
    lastPosition = Math.max(lastPosition, e.position);
  }
}
console.log(`  ${appended} appended, ${duplicates} already there (the demo is the same on every run)\n`);

const line = (p, width) => `  ${(p.recordId ?? '(contract)').padEnd(10)}  ${(p.article === 'appi68' ? 'APPI 68' : `Art. ${p.article}`).padEnd(7)}  ${p.rule.padEnd(width)}  ${p.what}`;
const width = Math.max(...demo.planted.map((p) => p.rule.length));
const contractors = demo.planted.filter((p) => p.party === 'contractor');
const cities = demo.planted.filter((p) => p.party === 'city');
console.log(`Planted findings: ${demo.planted.length} (record → article, rule, what)`);
console.log(`\n The contractor's (乙): ${contractors.length}, they make its status a violation`);
for (const p of contractors) console.log(line(p, width));
console.log(`\n The city's own duties (甲): ${cities.length}, answered apart (the contract answer's \`city\`), never in the contractor's status`);
for (const p of cities) console.log(line(p, width));
console.log(`\nHandled correctly on purpose (judged compliant): ${demo.compliant.length}`);
for (const c of demo.compliant) console.log(line(c, width));
console.log(`\nA pending obligation in the past: ${demo.pendingExample.recordId} ${demo.pendingExample.rule} at asOf=${demo.pendingExample.pendingAsOf}`);

const officerKey = serviceKey(['officer', 'auditor', 'admin']);
if (!officerKey) {
  console.log('\n(no officer key found: skipping the check; see docs/compliance.md)');
  process.exit(0);
}
// Wait (up to 20 s) for the projector to apply what was posted, then read the contract view, page by page.
const contractPath = `/v1/contracts/${demo.contractId}/compliance`;
const deadline = Date.now() + 20_000;
let view;
for (;;) {
  view = await call('GET', `${contractPath}?limit=1000`, officerKey);
  // 503: the read model is not built yet (the workers are starting): wait for it too.
  if (view.status === 503 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    continue;
  }
  if (view.status !== 200) {
    console.error(`demo: reading the contract view answered ${view.status}: ${JSON.stringify(view.body)}`);
    process.exit(1);
  }
  if (view.body.source.position >= lastPosition || Date.now() > deadline) break;
  await new Promise((r) => setTimeout(r, 200));
}
const listed = [...view.body.findings];
for (let next = view.body.next; next !== null;) {
  const page = await call('GET', `${contractPath}?limit=1000&after=${next}`, officerKey);
  if (page.status !== 200) {
    console.error(`demo: reading the next page answered ${page.status}: ${JSON.stringify(page.body)}`);
    process.exit(1);
  }
  listed.push(...page.body.findings);
  next = page.body.next;
}
const key = (f) => `${f.recordId ?? '-'}|${f.rule}|${f.party}`;
const found = new Map();
for (const f of listed) if (f.status === 'violation') found.set(key(f), (found.get(key(f)) ?? 0) + 1);
const missing = [];
for (const p of demo.planted) {
  const n = found.get(key(p)) ?? 0;
  if (n === 0) missing.push(p);
  else found.set(key(p), n - 1);
}
const extra = [...found].filter(([, n]) => n > 0).map(([k]) => k);
// The city's duties are in `city`, not in the contractor's articles.
const cityFound = new Set(view.body.city.findings.filter((f) => f.status === 'violation').map((f) => f.rule));
const cityMissing = cities.filter((p) => !cityFound.has(p.rule));
const inContractorArticles = Object.values(view.body.articles).flatMap((a) => a.findings).filter((f) => f.party === 'city');

const r = view.body.records;
console.log(`\nGET ${contractPath} (the read model at position ${view.body.source.position}):`);
console.log(`  the contractor: status ${view.body.status}; records ${r.total}: ${r.violation} violation, ${r.pending} pending, ${r.compliant} compliant, ${r.not_applicable} not applicable`);
console.log(`  the city:       status ${view.body.city.status}; ${view.body.city.findings.length} findings of its own duties`);
console.log(`  ${demo.planted.length - missing.length} of ${demo.planted.length} planted findings found, with their party; ${listed.length} violations and pending findings listed in all`);
for (const p of missing) console.log(`  MISSING: ${p.recordId ?? '(contract)'} ${p.rule} (${p.party})`);
for (const p of cityMissing) console.log(`  MISSING from the city block: ${p.rule}`);
for (const f of inContractorArticles) console.log(`  A CITY FINDING AMONG THE CONTRACTOR'S ARTICLES: ${f.rule}`);
for (const k of extra) console.log(`  also found (not planted by the demo: events posted by hand?): ${k}`);

// The compliant cases, from each record's verdict.
const wrong = [];
for (const c of demo.compliant) {
  const verdict = await call('GET', `/v1/contracts/${demo.contractId}/records/${c.recordId}/compliance`, officerKey);
  const article = verdict.body.articles?.[c.article];
  const bad = article?.findings.filter((f) => f.rule === c.rule && f.status !== 'compliant') ?? [];
  if (verdict.status !== 200 || article?.status !== 'compliant' || bad.length > 0) wrong.push(`${c.recordId} ${c.rule}: ${verdict.status} ${article?.status ?? '?'}`);
}
console.log(`  ${demo.compliant.length - wrong.length} of ${demo.compliant.length} cases handled correctly judged compliant`);
for (const w of wrong) console.log(`  NOT COMPLIANT: ${w}`);
console.log('\nNext: docs/compliance.md walks through each of them with curl.');
process.exit(missing.length + cityMissing.length + inContractorArticles.length + wrong.length === 0 ? 0 : 1);
