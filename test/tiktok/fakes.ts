/** Test doubles for the ports in src/tiktok/ports.ts. Node crypto is used ONLY here. */
import { createHmac } from 'node:crypto';
import type { Clock, HttpRequest, HttpResponse, KeyValueStore, Lock, RandomSource, Transport } from '../../src/tiktok/ports';

/** HMAC port returning SIGNED bytes, as Utilities.computeHmacSha256Signature does (the runtime's own). */
export { nodeHmac } from '../../dev/runtime/node-ports';

/** Independent reference computation: lowercase hex straight from node:crypto. */
export function hexHmac(value: string, key: string): string {
  return createHmac('sha256', key).update(value, 'utf8').digest('hex');
}

export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(public t = 1_700_000_000) {}
  now(): number {
    return this.t;
  }
  sleep(ms: number): void {
    this.sleeps.push(ms);
    this.t += ms / 1000;
  }
}

export class FakeRandom implements RandomSource {
  private i = 0;
  constructor(private readonly values: number[] = [0.5]) {}
  next(): number {
    const v = this.values[this.i % this.values.length];
    this.i++;
    return v;
  }
}

export type Reply = HttpResponse | Error | ((req: HttpRequest) => HttpResponse | Error);

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export function ok(data: unknown, requestId = 'req-ok'): HttpResponse {
  return json({ code: 0, message: 'Success', request_id: requestId, data });
}

export function fail(code: number, message: string, status = 200, headers: Record<string, string> = {}): HttpResponse {
  return json({ code, message, request_id: `req-${code}`, data: {} }, status, headers);
}

/**
 * Records every request; answers from a script. A reply is taken from the queue in order, or,
 * when a `route` handler is set, from the handler. An Error reply is a transport failure
 * (fetch throws; fetchAll throws for the whole batch, as UrlFetchApp does).
 */
export class FakeTransport implements Transport {
  readonly requests: HttpRequest[] = [];
  /** Sizes of fetchAll batches, and 1 for each fetch. */
  readonly batches: number[] = [];
  private readonly queue: Reply[] = [];
  constructor(public route?: (req: HttpRequest) => HttpResponse | Error) {}
  reply(...replies: Reply[]): this {
    this.queue.push(...replies);
    return this;
  }
  private answer(req: HttpRequest): HttpResponse | Error {
    this.requests.push(req);
    const r = this.queue.length > 0 ? this.queue.shift()! : this.route;
    if (r === undefined) throw new Error(`FakeTransport: no scripted reply for ${req.method} ${req.url}`);
    return typeof r === 'function' ? r(req) : r;
  }
  fetch(req: HttpRequest): HttpResponse {
    this.batches.push(1);
    const r = this.answer(req);
    if (r instanceof Error) throw r;
    return r;
  }
  fetchAll(reqs: HttpRequest[]): HttpResponse[] {
    this.batches.push(reqs.length);
    const rs = reqs.map((q) => this.answer(q));
    const err = rs.find((r) => r instanceof Error);
    if (err) throw err;
    return rs as HttpResponse[];
  }
}

export class MemoryStore implements KeyValueStore {
  readonly map = new Map<string, string>();
  get(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  set(key: string, value: string): void {
    this.map.set(key, value);
  }
  delete(key: string): void {
    this.map.delete(key);
  }
}

export class FakeLock implements Lock {
  held = false;
  acquisitions = 0;
  /** When set, tryLock fails (another execution holds it). */
  busy = false;
  /** Runs while acquiring (simulates another execution finishing its work meanwhile). */
  onAcquire?: () => void;
  tryLock(): boolean {
    if (this.busy || this.held) return false;
    this.onAcquire?.();
    this.held = true;
    this.acquisitions++;
    return true;
  }
  release(): void {
    this.held = false;
  }
}

/** Parses a request URL into path and decoded query. */
export function parseUrl(url: string): { path: string; query: Record<string, string>; rawQuery: string } {
  const u = new URL(url);
  const query: Record<string, string> = {};
  u.searchParams.forEach((v, k) => (query[k] = v));
  return { path: u.pathname, query, rawQuery: u.search.slice(1) };
}
