/**
 * Where a benchmark's time goes: CPU of a process (and the children it reaped), CPU of a
 * PostgreSQL cluster (the postmaster, its live backends and the ones that exited), and what
 * PostgreSQL's sessions were doing, sampled from pg_stat_activity (on CPU, waiting on the WAL
 * flush, on a lock, on the client …). All from /proc and the server's own views: nothing is
 * instrumented, so what is measured runs as it would in production.
 */
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on Linux on every architecture we run). */
const TICKS = 100;

/** utime + stime + cutime + cstime of a process in ms (itself and the children it reaped); 0 when it is gone. */
function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command may hold spaces and parentheses: the fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(fields[i]));
    return ((utime! + stime! + cutime! + cstime!) * 1000) / TICKS;
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** CPU ms used so far by a process and every descendant, live or exited (reaped). */
export function treeCpuMs(pid: number): number {
  let total = cpuOf(pid);
  // A live child is not in its parent's cutime yet (that holds only the children it reaped).
  for (const child of childrenOf(pid)) total += treeCpuMs(child);
  return total;
}

/** The postmaster of the server behind a connection, when it runs on this machine and we may read its data directory. */
export async function postmasterPid(url: string): Promise<number | null> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ setting: string }>(`SELECT setting FROM pg_settings WHERE name = 'data_directory'`);
    const dir = rows[0]?.setting;
    if (!dir) return null;
    const pid = Number((await fs.readFile(path.join(dir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  } finally {
    await client.end();
  }
}

/** Samples what the sessions of one database (and the WAL writer) are doing, every few ms. */
export class WaitSampler {
  private readonly counts = new Map<string, number>();
  private samples = 0;
  private running = false;
  private loop: Promise<void> | null = null;
  private client: pg.Client | null = null;

  constructor(private readonly url: string, private readonly database: string, private readonly everyMs = 10) {}

  async start(): Promise<void> {
    this.client = new pg.Client({ connectionString: this.url });
    await this.client.connect();
    this.counts.clear();
    this.samples = 0;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const { rows } = await this.client!.query<{ what: string; n: number }>(
          `SELECT CASE
                    WHEN state = 'active' AND wait_event IS NULL THEN 'on CPU (running a statement)'
                    WHEN state = 'active' THEN 'waiting: ' || wait_event_type || ':' || wait_event
                    WHEN state LIKE 'idle in transaction%' THEN 'idle in transaction (waiting for the client)'
                    ELSE 'idle (no statement)'
                  END AS what, count(*)::int AS n
             FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()
            GROUP BY 1`,
          [this.database],
        );
        this.samples++;
        for (const row of rows) this.counts.set(row.what, (this.counts.get(row.what) ?? 0) + row.n);
        await new Promise((r) => setTimeout(r, this.everyMs));
      }
    })();
  }

  /** Stops and returns, for each state, the average number of sessions in it (busy sessions first). */
  async stop(): Promise<Array<{ what: string; sessions: number }>> {
    this.running = false;
    await this.loop;
    await this.client?.end();
    this.client = null;
    return [...this.counts]
      .map(([what, n]) => ({ what, sessions: n / Math.max(1, this.samples) }))
      .sort((a, b) => b.sessions - a.sessions);
  }
}

/** CPU ms of this process so far (user + system). */
export function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}
