/**
 * A SYNCHRONOUS HTTP transport for Node, implementing the client's Transport port with
 * UrlFetchApp semantics (src/tiktok/ports.ts): the TikTok client is synchronous, as Apps Script
 * is, so off Google it needs an HTTP call that blocks. This will also back the local Apps Script
 * runtime's UrlFetchApp.
 *
 * How: one worker thread owns an http(s) keep-alive agent and does the real (async) requests.
 * The calling thread posts a batch on a MessagePort together with a SharedArrayBuffer flag, then
 * blocks in Atomics.wait until the worker has posted the answers and flipped the flag; the
 * answers are then read synchronously with receiveMessageOnPort (the synckit technique, in
 * ~100 lines and no dependency). The worker's code is plain JavaScript evaluated from a string,
 * so it runs the same under tsx, ts-jest and a bundle (no TypeScript loader in the worker).
 *
 * Semantics
 * - fetch: a response for EVERY HTTP status (muteHttpExceptions); only transport failures
 *   (refused, reset, timeout, a body cut short) throw, as an Error whose message has the URL
 *   with its query redacted (the query can hold the app secret).
 * - fetchAll: the batch goes out concurrently; responses come back in request order; if any
 *   request of the batch fails at the transport level the whole call throws (UrlFetchApp).
 * - Each request has a timeout (default 60 s, UrlFetchApp's); the wait on the worker has a hard
 *   deadline a little above it, so a stuck worker cannot hang the caller forever.
 *
 * BLOCKS THE CALLING THREAD: anything that must answer during a call (a local server) cannot run
 * on the same thread; start it in a worker or a child process (dev/sandbox/child.ts).
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { HttpRequest, HttpResponse, Transport } from '../../src/tiktok/ports';

export interface SyncFetchOptions {
  /** Per-request timeout, ms (default 60 000). */
  timeoutMs?: number;
  /** Most sockets per host in the worker's keep-alive agent (default 64). */
  maxSockets?: number;
}

interface WireResponse { status: number; headers: Record<string, string>; body: string }
type WireResult = { ok: true; value: WireResponse } | { ok: false; error: string };

const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const https = require('node:https');
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: workerData.maxSockets }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: workerData.maxSockets }),
};
function redact(u) { return String(u).replace(/\?[^\s"'<>]*/g, '?…'); }
function one(req, timeoutMs) {
  return new Promise((resolve) => {
    let done = false;
    const finish = (r) => { if (!done) { done = true; resolve(r); } };
    const fail = (why) => finish({ ok: false, error: why + ': ' + (req.method || 'get').toUpperCase() + ' ' + redact(req.url) });
    let url;
    try { url = new URL(req.url); } catch (e) { return fail('invalid URL'); }
    const lib = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : null;
    if (!lib) return fail('unsupported protocol ' + url.protocol);
    const headers = Object.assign({}, req.headers);
    const body = req.payload === undefined || req.payload === null ? null : Buffer.from(req.payload, 'utf8');
    if (req.contentType) headers['content-type'] = req.contentType;
    if (body) headers['content-length'] = String(body.length);
    const r = lib.request(url, { method: (req.method || 'get').toUpperCase(), headers, agent: agents[url.protocol] }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('aborted', () => fail('connection closed before the whole response arrived'));
      res.on('error', (e) => fail('response failed (' + e.message + ')'));
      res.on('end', () => {
        if (!res.complete) return fail('connection closed before the whole response arrived');
        const h = {};
        for (const [k, v] of Object.entries(res.headers)) h[k] = Array.isArray(v) ? v.join(', ') : String(v);
        finish({ ok: true, value: { status: res.statusCode || 0, headers: h, body: Buffer.concat(chunks).toString('utf8') } });
      });
    });
    r.setTimeout(timeoutMs, () => { fail('timed out after ' + timeoutMs + ' ms'); r.destroy(); });
    r.on('error', (e) => fail('request failed (' + (e.code || e.message) + ')'));
    if (body) r.write(body);
    r.end();
  });
}
parentPort.on('message', (msg) => {
  const { port, flag, requests, timeoutMs } = msg;
  Promise.all(requests.map((q) => one(q, timeoutMs))).then((results) => {
    port.postMessage(results);
    port.close();
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  });
});
`;

export class SyncFetchTransport implements Transport {
  private worker: Worker | null;
  private readonly timeoutMs: number;
  /** HTTP requests sent (every request of a fetchAll counts). */
  requests = 0;

  constructor(options: SyncFetchOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { maxSockets: options.maxSockets ?? 64 } });
    // The worker must never keep the process alive on its own.
    this.worker.unref();
  }

  fetch(request: HttpRequest): HttpResponse {
    return this.fetchAll([request])[0];
  }

  fetchAll(requests: HttpRequest[]): HttpResponse[] {
    if (requests.length === 0) return [];
    const worker = this.worker;
    if (!worker) throw new Error('SyncFetchTransport: closed');
    this.requests += requests.length;
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    const wire = requests.map((r) => ({ url: r.url, method: r.method, headers: r.headers, contentType: r.contentType, payload: r.payload }));
    worker.postMessage({ port: port2, flag, requests: wire, timeoutMs: this.timeoutMs }, [port2 as MessagePort]);
    // The worker answers every request within timeoutMs; the margin covers its own overhead.
    const state = Atomics.wait(flag, 0, 0, this.timeoutMs + 10_000);
    const msg = receiveMessageOnPort(port1);
    port1.close();
    if (state === 'timed-out' || !msg) throw new Error(`SyncFetchTransport: no answer from the fetch worker within ${this.timeoutMs + 10_000} ms`);
    const results = msg.message as WireResult[];
    const failed = results.find((r) => !r.ok);
    if (failed && !failed.ok) throw new Error(failed.error);
    return results.map((r) => (r as { ok: true; value: WireResponse }).value);
  }

  /** Stops the worker (idempotent). */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}

/** Turns fetchAll into one fetch after another (to measure what batching buys). */
export function sequentialTransport(inner: Transport): Transport {
  return {
    fetch: (r) => inner.fetch(r),
    fetchAll: (rs) => rs.map((r) => inner.fetch(r)),
  };
}
