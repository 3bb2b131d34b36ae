/**
 * DuckDB, called synchronously: the local runtime's BigQuery stand-in answers inside a script's
 * synchronous service call, and @duckdb/node-api is asynchronous. Same technique as
 * dev/runtime/sync-fetch.ts: a worker thread owns the database; the caller posts a request with a
 * SharedArrayBuffer flag, blocks in Atomics.wait until the worker flips it, and reads the answer
 * with receiveMessageOnPort. The worker's code is plain JavaScript from a string, so it runs the
 * same under tsx, ts-jest and a bundle.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

/** A result set as text, the way BigQuery's REST answers carry every value. */
export interface TextRows {
  columns: { name: string; type: string }[];
  rows: (string | null)[][];
}

type Request =
  | { kind: 'run'; statements: string[] }
  | { kind: 'rows'; sql: string };
type Answer = { ok: true; value?: TextRows } | { ok: false; error: string };

const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { DuckDBInstance } = require(workerData.modulePath);
const ready = (async () => {
  const instance = await DuckDBInstance.create(':memory:', { threads: String(workerData.threads) });
  return instance.connect();
})();
function text(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return String(v);
}
parentPort.on('message', async ({ port, flag, request }) => {
  let answer;
  try {
    const conn = await ready;
    if (request.kind === 'run') {
      for (const s of request.statements) await conn.run(s);
      answer = { ok: true };
    } else {
      const reader = await conn.runAndReadAll(request.sql);
      const names = reader.columnNames();
      const types = reader.columnTypes().map((t) => String(t));
      answer = { ok: true, value: {
        columns: names.map((name, i) => ({ name, type: types[i] })),
        rows: reader.getRows().map((row) => row.map(text)),
      } };
    }
  } catch (e) {
    answer = { ok: false, error: String((e && e.message) || e) };
  }
  port.postMessage(answer);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

export class SyncDuckDb {
  private worker: Worker | null;

  constructor(options: { threads?: number } = {}) {
    const modulePath = createRequire(join(process.cwd(), 'package.json')).resolve('@duckdb/node-api');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { modulePath, threads: options.threads ?? 1 } });
    this.worker.unref();
  }

  private call(request: Request): Answer {
    if (!this.worker) throw new Error('DuckDB stand-in is closed');
    const { port1, port2 } = new MessageChannel();
    const flag = new Int32Array(new SharedArrayBuffer(4));
    this.worker.postMessage({ port: port2, flag, request }, [port2]);
    // A statement over a million rows takes seconds; a stuck worker must not hang the caller forever.
    if (Atomics.wait(flag, 0, 0, 10 * 60_000) === 'timed-out') throw new Error('DuckDB stand-in did not answer in 10 minutes');
    const msg = receiveMessageOnPort(port1);
    port1.close();
    if (!msg) throw new Error('DuckDB stand-in answered nothing');
    return msg.message as Answer;
  }

  /** Runs statements in order; throws the first DuckDB error. */
  run(...statements: string[]): void {
    const a = this.call({ kind: 'run', statements });
    if (!a.ok) throw new Error(a.error);
  }

  rows(sql: string): TextRows {
    const a = this.call({ kind: 'rows', sql });
    if (!a.ok) throw new Error(a.error);
    return a.value!;
  }

  close(): void {
    void this.worker?.terminate();
    this.worker = null;
  }
}
