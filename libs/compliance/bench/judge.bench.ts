/**
 * How long one record verdict takes against a 10,000-event contract history (the scale spec's
 * scenario). Prints figures only, asserts nothing. Run from the repository root:
 *
 *   npx swc libs/domain/src libs/compliance/src libs/compliance/bench -d /tmp/ledger-bench \
 *     --config-file .swcrc --ignore '**\/*.spec.ts' \
 *     && echo '{"type":"module"}' > /tmp/ledger-bench/package.json \
 *     && node /tmp/ledger-bench/libs/compliance/bench/judge.bench.js
 */
import { performance } from 'node:perf_hooks';
import { ContractHistory } from '@ledger/handling';
import { judgeContract, judgeRecord, type Cut } from '../src/index.js';
import { CONTRACT_ID, ms, scaleScenario } from '../src/test-builders.js';

function median(samples: number[]): number {
  const sorted = samples.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function percentile(samples: number[], p: number): number {
  const sorted = samples.slice().sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

function time(runs: number, fn: (i: number) => void): number[] {
  for (let i = 0; i < Math.min(200, runs); i += 1) fn(i);
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    fn(i);
    samples.push((performance.now() - start) * 1_000);
  }
  return samples;
}

const scenario = scaleScenario(10_000);
const contractEvents = scenario.events.filter((e) => e.event.recordId === undefined);
const recordEvents = scenario.events.filter((e) => e.event.recordId === scenario.recordId);
const asOf = ms('2027-06-01T00:00');
const cut: Cut = { asOf, knownAt: asOf };

const indexing = time(20, () => ContractHistory.of(CONTRACT_ID, contractEvents));
const history = ContractHistory.of(CONTRACT_ID, contractEvents);
const sameCut = time(5_000, () => judgeRecord(history, scenario.recordId, recordEvents, cut));
// A new cut every call: the per-cut view (terms overlay) is rebuilt each time, as for an HTTP request with its own asOf.
const freshCut = time(5_000, (i) => judgeRecord(history, scenario.recordId, recordEvents, { asOf: asOf - i, knownAt: asOf - i }));
const contract = time(50, (i) => judgeContract(history, { asOf: asOf - i, knownAt: asOf }));

const line = (label: string, samples: number[]): string =>
  `${label.padEnd(52)} median ${median(samples).toFixed(1).padStart(9)} µs   p99 ${percentile(samples, 99).toFixed(1).padStart(9)} µs`;

console.log(`contract stream: ${contractEvents.length} events; record: ${recordEvents.length} events`);
console.log(line('ContractHistory.of (index once per stream version)', indexing));
console.log(line('judgeRecord, same cut', sameCut));
console.log(line('judgeRecord, a new cut each call', freshCut));
console.log(line('judgeContract, a new cut each call', contract));
