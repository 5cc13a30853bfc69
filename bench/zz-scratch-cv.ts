import http from 'node:http';
import { ApiKeyRegistry } from '../apps/ledger-api/src/auth/api-keys.js';
import { benchKey, openBenchLedger, percentile } from './support.js';
const KEY = benchKey('officer');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function get(base: string, p: string): Promise<number> {
  const { hostname, port } = new URL(base); const t = performance.now();
  return new Promise((res, rej) => { const r = http.request({ host: hostname, port, path: p, agent, headers: { authorization: `Bearer ${KEY}` } }, (s) => { s.resume(); s.on('end', () => res(performance.now() - t)); }); r.on('error', rej); r.end(); });
}
const ledger = await openBenchLedger('cv');
const base = await ledger.serve(new ApiKeyRegistry([{ secret: KEY, role: 'officer' }]));
const contracts = ((await ledger.runtime.dataSource.query(`SELECT DISTINCT contract_id FROM ledger_events WHERE position < 5000`)) as Array<{ contract_id: string }>).map((r) => r.contract_id);
for (const c of contracts) await get(base, `/v1/contracts/${c}/compliance?limit=1`);
await ledger.runtime.pool.query('SELECT pg_stat_statements_reset()');
for (const path of ['/compliance', '/records/R-000001/compliance', '/compliance', '/records/R-000001/compliance']) {
  const ms: number[] = [];
  for (let i = 0; i < 300; i++) ms.push(await get(base, `/v1/contracts/${contracts[i % contracts.length]}${path}`));
  console.log(path, 'p50', percentile(ms, 50).toFixed(1), 'p99', percentile(ms, 99).toFixed(1));
}
const rows = (await ledger.runtime.pool.query(`select round(total_exec_time::numeric,1) ms, calls, round(total_plan_time::numeric,1) plan, left(regexp_replace(query,'\\s+',' ','g'),100) q from pg_stat_statements order by total_exec_time desc limit 8`)).rows;
for (const r of rows) console.log(r.ms, r.calls, r.plan, r.q);
agent.destroy(); await ledger.close();
