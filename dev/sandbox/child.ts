/**
 * Runs the sandbox (server.ts) in a CHILD PROCESS, so a caller that blocks its own thread on
 * synchronous HTTP (dev/runtime/sync-fetch.ts, the synchronous TikTok client) can still be
 * answered. Loopback only (the server binds 127.0.0.1); the child exits when closed or when this
 * process goes away. Control (clock, faults, token expiry, auth codes) goes over the IPC channel.
 *
 *   const sb = await startSandboxChild({ seed: 1, shop: { days: 20, ordersPerDay: 50 } });
 *   … sb.url, await sb.advanceClock(86400) …
 *   await sb.close();
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { FaultConfig, SandboxOptions } from './server';
import type { ShopInfo } from './render';

export interface SandboxChildInfo {
  url: string;
  appKey: string;
  appSecret: string;
  shop: ShopInfo;
  /** Sandbox clock at start (Unix seconds). */
  now: number;
  /** The Marketing API app the ads authorization is for. */
  adsAppId: string;
  adsSecret: string;
}

export interface SandboxChild extends SandboxChildInfo {
  pid: number;
  clockNow(): Promise<number>;
  setClock(t: number): Promise<number>;
  advanceClock(seconds: number): Promise<number>;
  setFaults(f: Partial<FaultConfig>): Promise<FaultConfig>;
  clearFaults(): Promise<FaultConfig>;
  expireAccessTokens(): Promise<void>;
  /** A fresh single-use auth code for the demo seller. */
  authorize(): Promise<string>;
  state(): Promise<{ now: number; asOf: number; orders: number; statements: number }>;
  /** Revokes every Marketing API token (next ads call: 40105). */
  revokeAdsTokens(): Promise<void>;
  /** Stops the server and waits for the process to exit (idempotent). */
  close(): Promise<void>;
}

/** This folder: __dirname under CommonJS (ts-jest); under tsx (ESM, where import.meta would not compile
 *  for jest) the repository is found from the working directory upward. */
function here(): string {
  if (typeof __dirname === 'string') return __dirname;
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'dev', 'sandbox');
    if (existsSync(path.join(candidate, 'child-main.ts'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error('startSandboxChild: cannot find dev/sandbox/child-main.ts from the working directory');
  }
}

export async function startSandboxChild(options: SandboxOptions = {}, startTimeoutMs = 120_000): Promise<SandboxChild> {
  const entry = path.join(here(), 'child-main.ts');
  const child: ChildProcess = fork(entry, [JSON.stringify(options)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let exited = false;
  const exitPromise = new Promise<void>((resolve) => child.once('exit', () => {
    exited = true;
    for (const p of pending.values()) p.reject(new Error('sandbox child exited'));
    pending.clear();
    resolve();
  }));

  const info = await new Promise<SandboxChildInfo>((resolve, reject) => {
    const timer = setTimeout(() => { child.kill(); reject(new Error(`sandbox child did not start within ${startTimeoutMs} ms`)); }, startTimeoutMs);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`sandbox child exited during start (code ${code})`)); });
    child.on('message', function onReady(m: { type?: string; info?: SandboxChildInfo }) {
      if (m && m.type === 'ready' && m.info) {
        clearTimeout(timer);
        child.off('message', onReady);
        resolve(m.info);
      }
    });
  });

  child.on('message', (m: { id?: number; ok?: boolean; result?: unknown; error?: string }) => {
    if (typeof m?.id !== 'number') return;
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.ok) p.resolve(m.result);
    else p.reject(new Error(m.error ?? 'sandbox child error'));
  });

  const request = <T>(op: string, arg?: unknown): Promise<T> => new Promise<T>((resolve, reject) => {
    if (exited) return reject(new Error('sandbox child has exited'));
    const id = nextId++;
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    child.send({ id, op, arg });
  });

  let closed: Promise<void> | null = null;
  return {
    ...info,
    pid: child.pid ?? -1,
    clockNow: () => request<number>('now'),
    setClock: (t) => request<number>('setClock', t),
    advanceClock: (s) => request<number>('advanceClock', s),
    setFaults: (f) => request<FaultConfig>('setFaults', f),
    clearFaults: () => request<FaultConfig>('clearFaults'),
    expireAccessTokens: () => request<void>('expireAccessTokens'),
    authorize: () => request<string>('authorize'),
    state: () => request('state'),
    revokeAdsTokens: () => request<void>('revokeAdsTokens'),
    close: () => {
      if (closed) return closed;
      closed = (async () => {
        if (!exited) {
          await request('close').catch(() => undefined);
          const t = setTimeout(() => { if (!exited) child.kill('SIGKILL'); }, 5000);
          await exitPromise;
          clearTimeout(t);
        }
      })();
      return closed;
    },
  };
}
