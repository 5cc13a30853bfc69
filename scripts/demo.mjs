#!/usr/bin/env node
// npm run demo — writes the demo contract (test/generators/demo-contract.ts) into a RUNNING ledger
// through its HTTP API, as a feed would, then lists the violations it planted and checks that the
// service finds each of them. Walkthrough: docs/compliance.md.
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
import fs from 'node:fs';
import path from 'node:path';
import { demoContract, DEMO_CONTRACT_ID } from '../dist/test/generators/demo-contract.js';

function usage(message) {
  if (message) console.error(`demo: ${message}`);
  console.error('usage: npm run demo -- [--contract <id>] [--records <clean records, default 48>] [--url <service url>]');
  process.exit(2);
}

const options = { contract: DEMO_CONTRACT_ID, records: 48, url: process.env.LEDGER_URL ?? `http://localhost:${process.env.PORT || 3000}` };
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

/** A key for one of the roles, from the environment or the service's generated api-keys.env. */
function keyFor(roles) {
  for (const role of roles) {
    const direct = process.env[`LEDGER_${role.toUpperCase()}_KEY`];
    if (direct) return direct;
  }
  if (process.env.LEDGER_API_KEYS) {
    // Entries are secret:role[;party=…][;contracts=…][;label=…] (docs/security.md): a city key for all contracts.
    for (const role of roles) {
      for (const entry of process.env.LEDGER_API_KEYS.split(',')) {
        const [head, ...attributes] = entry.trim().split(';');
        const at = head.lastIndexOf(':');
        const cityWide = attributes.every((a) => a.startsWith('label=') || a === 'party=city' || a === 'contracts=*');
        if (head.slice(at + 1) === role && cityWide) return head.slice(0, at);
      }
    }
  }
  const file = path.resolve(process.env.LEDGER_DATA_DIR || './.ledger-data', 'api-keys.env');
  try {
    const text = fs.readFileSync(file, 'utf8');
    for (const role of roles) {
      const m = new RegExp(`^LEDGER_${role.toUpperCase()}_KEY=(.+)$`, 'm').exec(text);
      if (m) return m[1].trim();
    }
  } catch {
    // no generated keys here
  }
  return null;
}

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

const feedKey = keyFor(['feed']);
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

console.log('Planted violations (record → article, rule):');
const width = Math.max(...demo.planted.map((p) => p.rule.length));
for (const p of demo.planted) {
  console.log(`  ${(p.recordId ?? '(contract)').padEnd(10)}  Art. ${p.article.padEnd(2)}  ${p.rule.padEnd(width)}  ${p.what}`);
}
console.log(`\nA pending obligation in the past: ${demo.pendingExample.recordId} ${demo.pendingExample.rule} at asOf=${demo.pendingExample.pendingAsOf}`);

const officerKey = keyFor(['officer', 'auditor', 'admin']);
if (!officerKey) {
  console.log('\n(no officer key found: skipping the check; see docs/compliance.md)');
  process.exit(0);
}
// Wait (up to 20 s) for the projector to apply what was posted, then read the contract view (from
// the streams if the read model is not there: a service started with LEDGER_WORKERS=off).
const deadline = Date.now() + 20_000;
let view;
for (;;) {
  view = await call('GET', `/v1/contracts/${demo.contractId}/compliance?limit=1000`, officerKey);
  if (view.status !== 200) {
    console.error(`demo: reading the contract view answered ${view.status}: ${JSON.stringify(view.body)}`);
    process.exit(1);
  }
  if ((view.body.source.kind === 'read-model' && view.body.source.position >= lastPosition) || Date.now() > deadline) break;
  await new Promise((r) => setTimeout(r, 200));
}
const found = new Set(view.body.findings.map((f) => `${f.recordId ?? '-'}|${f.rule}|${f.status}`));
const missing = demo.planted.filter((p) => !found.has(`${p.recordId ?? '-'}|${p.rule}|violation`));
const r = view.body.records;
console.log(`\nGET /v1/contracts/${demo.contractId}/compliance (from ${view.body.source.kind === 'read-model' ? `the read model at position ${view.body.source.position}` : 'the streams'}):`);
console.log(`  status ${view.body.status}; records ${r.total}: ${r.violation} violation, ${r.pending} pending, ${r.compliant} compliant`);
console.log(`  ${demo.planted.length - missing.length} of ${demo.planted.length} planted violations found, ${view.body.findings.length} findings in all`);
for (const p of missing) console.log(`  MISSING: ${p.recordId ?? '(contract)'} ${p.rule}`);
console.log('\nNext: docs/compliance.md walks through each of them with curl.');
process.exit(missing.length === 0 ? 0 : 1);
