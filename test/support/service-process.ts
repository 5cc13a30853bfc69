import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { TEST_KEYS } from './test-app.js';

/** The service as a user runs it (`node dist/apps/ledger-api/src/main.js`), in its own process. */
export interface ServiceProcess {
  /** Whether the process has exited (it must not, in the fault tests). */
  readonly exited: () => boolean;
  readonly url: string;
  readonly pid: number;
  readonly output: () => string;
  /** Waits for the process to exit after sending the signal. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface ServiceProcessOptions {
  /** `supervise`: as `npm start` runs it (the API in a child it restarts); default `main`, the API itself. */
  entry?: 'main' | 'supervise';
  /** Node options, e.g. the heap limit `npm start` gives the API. */
  nodeArgs?: string[];
}

export async function startServiceProcess(dataDir: string, env: Record<string, string> = {}, options: ServiceProcessOptions = {}): Promise<ServiceProcess> {
  const port = await freePort();
  const entry = path.resolve(`dist/apps/ledger-api/src/${options.entry ?? 'main'}.js`);
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), entry], {
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      DATABASE_URL: '',
      PORT: String(port),
      LEDGER_DATA_DIR: dataDir,
      LEDGER_API_KEYS: Object.entries(TEST_KEYS).map(([role, secret]) => `${secret}:${role}`).join(','),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let hasExited = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => {
    hasExited = true;
    resolve();
  }));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes('] listening on http')) {
        clearInterval(timer);
        resolve();
      }
    }, 20);
    void exited.then(() => {
      clearInterval(timer);
      reject(new Error(`the service exited before listening:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    output: () => output,
    exited: () => hasExited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export async function postJson(url: string, pathname: string, body: unknown, key: string = TEST_KEYS.feed): Promise<{ status: number; body: any }> {
  const response = await fetch(`${url}${pathname}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

export async function getJson(url: string, pathname: string, key: string = TEST_KEYS.auditor): Promise<{ status: number; body: any }> {
  const response = await fetch(`${url}${pathname}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: response.status, body: await response.json() };
}
