/**
 * Helpers for test/workbook/resume.test.ts: ONE TikTok Shop sandbox (a child process, slow to
 * start) shared by many cheap local Apps Script runtimes (a fresh workbook each), so a test can
 * replay the add-on's flow dozens of times and compare every workbook with a reference one.
 *
 * Time, and why it is virtual here (VirtualClock, not dev/addon/session.ts's SessionClock):
 * - The sandbox's clock is frozen at S (its start) for the whole file and never moved. Moving it
 *   re-snapshots the generated shop (new orders, status changes), which would change the very
 *   data the tests compare between workbooks refreshed minutes apart.
 * - Every runtime's clock is virtual: it moves only by what service calls cost (msPerCall, as
 *   charge()) and by Utilities.sleep / lock waits (which also really sleep, because the sandbox
 *   counts its 50 requests per second in real time and the client's backoff must too).
 * - Before every execution of the add-on's refresh the clock is put back to R0 = S − 260 s: each
 *   execution then starts at the same instant (so a run's window, fixed at its first chunk, and
 *   the reports' "as of" are the same in every workbook), and every request timestamp of an
 *   execution that pulls for up to PULL_DEADLINE_MS (240 s) lies in [S − 260 s, S − 20 s], inside
 *   TikTok's accepted window [server − 300 s, server + 30 s], without moving the sandbox's clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { Execution, ExecutionKilledError, GasRuntime, runOptions, type RuntimeClock } from '../../dev/runtime/gas';
import { sleepSync } from '../../dev/runtime/node-ports';
import { SyncFetchTransport } from '../../dev/runtime/sync-fetch';
import { startSandboxChild, type SandboxChild } from '../../dev/sandbox/child';
import type { SandboxOptions } from '../../dev/sandbox/server';
import { generateShop, type GeneratedShop } from '../../dev/generator/shop';
import { enterSellerInputs } from '../../dev/addon/seller-inputs';
import { TIKTOK_HOSTS, connectInBrowser } from '../../dev/addon/session';
import type { HttpRequest, HttpResponse, Transport } from '../../src/tiktok/ports';
import type { RefreshProgress } from '../../src/sheets/server-types';
import { AppsScriptGateway, type SpreadsheetLike } from '../../src/sheets/gateway-appsscript';
import { readTab } from '../../src/sheets/table';
import { DATA_TABS } from '../../src/sheets/tabs';

/** Seconds the runtimes' clocks start behind the sandbox's frozen clock (see the header). */
export const CLOCK_LAG_SECONDS = 260;

// ---------------------------------------------------------------- clock

/** Virtual milliseconds: charge() and sleep() move it (sleep also blocks for real); set() may go back. */
export class VirtualClock implements RuntimeClock {
  constructor(private now: number) {}
  nowMs(): number {
    return this.now;
  }
  sleep(ms: number): void {
    if (!(ms > 0)) return;
    sleepSync(ms);
    this.now += ms;
  }
  charge(ms: number): void {
    this.now += Math.max(0, ms);
  }
  set(ms: number): void {
    this.now = ms;
  }
}

// ---------------------------------------------------------------- transport

export interface TransportLog {
  /** TikTok API requests (not the sandbox's control endpoints). */
  api: number;
  statuses: Record<string, number>;
  /** TikTok error codes seen in response bodies (code ≠ 0). */
  codes: Record<string, number>;
  /** Transport failures (e.g. a truncated response). */
  failures: number;
}

/**
 * The runtime's transport over the shared worker: counts what went through and can call the
 * sandbox's control API from inside an execution (`beforeApiRequest(n)` runs before the n-th
 * API request, 1-based), e.g. to expire the access tokens in the middle of a pull.
 */
export class CountingTransport implements Transport {
  readonly log: TransportLog = { api: 0, statuses: {}, codes: {}, failures: 0 };
  beforeApiRequest: ((n: number, control: (path: string, body?: unknown) => void) => void) | null = null;

  constructor(private readonly inner: Transport, private readonly sandboxUrl: string) {}

  private control = (path: string, body: unknown = {}): void => {
    const r = this.inner.fetch({ url: `${this.sandboxUrl}${path}`, method: 'post', headers: {}, contentType: 'application/json', payload: JSON.stringify(body) });
    if (r.status !== 200) throw new Error(`sandbox ${path}: HTTP ${r.status} ${r.body}`);
  };

  private record(r: HttpResponse | Error): void {
    if (r instanceof Error) {
      this.log.failures++;
      return;
    }
    this.log.statuses[r.status] = (this.log.statuses[r.status] ?? 0) + 1;
    try {
      const code = (JSON.parse(r.body) as { code?: unknown }).code;
      if (typeof code === 'number' && code !== 0) this.log.codes[code] = (this.log.codes[code] ?? 0) + 1;
    } catch {
      // not a TikTok envelope
    }
  }

  private before(requests: HttpRequest[]): void {
    for (const _ of requests) {
      this.log.api++;
      this.beforeApiRequest?.(this.log.api, this.control);
    }
  }

  fetch(request: HttpRequest): HttpResponse {
    this.before([request]);
    try {
      const r = this.inner.fetch(request);
      this.record(r);
      return r;
    } catch (e) {
      this.record(e as Error);
      throw e;
    }
  }

  fetchAll(requests: HttpRequest[]): HttpResponse[] {
    this.before(requests);
    try {
      const rs = this.inner.fetchAll(requests);
      rs.forEach((r) => this.record(r));
      return rs;
    } catch (e) {
      this.record(e as Error);
      throw e;
    }
  }
}

// ---------------------------------------------------------------- the shared sandbox

/**
 * The shop must look the same whichever instant of the last QUIET_SECONDS a run's window ends at:
 * a run's window ends when its first chunk starts, i.e. after the step's own service calls
 * (reading the seller's tabs…) which cost virtual time with msPerCall, or after sleeps (retries).
 * So the sandbox's frozen instant S is one with no event (an order created, paid, updated…, a
 * statement, a payout, a return…) in (S − QUIET_SECONDS, S]: every window ending in that span
 * then selects the same records, and the reference stays a valid reference for every test.
 */
export const QUIET_SECONDS = 900;

/** Every Unix-seconds value under a key ending in "time" (any case), anywhere in the shop's records. */
function eventTimes(shop: GeneratedShop): number[] {
  const out: number[] = [];
  const walk = (v: unknown, key: string): void => {
    if (Array.isArray(v)) for (const x of v) walk(x, key);
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
    else if (typeof v === 'number' && /time$/i.test(key) && v > 1e9) out.push(v);
  };
  walk(shop.data, '');
  return out;
}

/** The latest instant at or before `from` (stepping back 10 minutes at a time) with a quiet span before it. */
export function quietInstant(shopAt: (asOf: number) => GeneratedShop, from: number, quietSeconds: number): { at: number; shop: GeneratedShop } {
  for (let at = from, tries = 0; tries < 48; tries++, at -= 600) {
    const shop = shopAt(at);
    const times = eventTimes(shop);
    if (times.length === 0) throw new Error('quietInstant: the shop has no timestamps (field names changed?)');
    if (!times.some((t) => t > at - quietSeconds && t <= at)) return { at, shop };
  }
  throw new Error(`no quiet ${quietSeconds} s span in the 8 hours before ${from}`);
}

export interface SharedSandbox {
  sb: SandboxChild;
  seed: number;
  /** The sandbox's frozen clock (Unix seconds). */
  sandboxNow: number;
  /** R0: where every runtime's clock starts each refresh execution (ms). */
  startMs: number;
  /** The generator's shop as the sandbox serves it (for the seller's inputs). */
  shop: GeneratedShop;
  distDir: string;
  fetcher: SyncFetchTransport;
  close(): Promise<void>;
}

/** Builds the bundle into a temporary directory (no stale dist/) and starts one sandbox. */
export async function startSharedSandbox(options: { seed: number; shop: NonNullable<SandboxOptions['shop']> }): Promise<SharedSandbox> {
  const distDir = mkdtempSync(join(tmpdir(), 'tts-resume-build-'));
  execFileSync(process.execPath, ['build.mjs', '--outdir', distDir], { cwd: join(__dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'] });
  // No real-time rate limit: how many 429s a run meets would depend on the machine's speed, and so
  // would the retries, the service calls and the virtual time of every step (test 2 injects 429s).
  const sb = await startSandboxChild({ seed: options.seed, shop: options.shop, qps: 1_000_000 });
  const fetcher = new SyncFetchTransport();
  try {
    // The sandbox's own generator options (dev/addon/session.ts generated()), at its frozen clock.
    const shopAt = (asOf: number) => generateShop({ days: 60, ordersPerDay: 200, unitLines: true, analytics: true, ...options.shop, seed: options.seed, truth: true, asOf });
    const found = quietInstant(shopAt, await sb.clockNow(), QUIET_SECONDS);
    const sandboxNow = await sb.setClock(found.at);
    if (sandboxNow !== found.at) throw new Error(`sandbox clock: asked ${found.at}, got ${sandboxNow}`);
    const shop = found.shop;
    return {
      sb, seed: options.seed, sandboxNow, startMs: (sandboxNow - CLOCK_LAG_SECONDS) * 1000, shop, distDir, fetcher,
      async close() {
        await Promise.all([fetcher.close(), sb.close()]);
        rmSync(distDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await Promise.all([fetcher.close(), sb.close()]);
    throw e;
  }
}

// ---------------------------------------------------------------- one workbook

export interface StepOutcome {
  /** The step's result; null when the execution was killed. */
  result: RefreshProgress | null;
  killed: boolean;
  /** Service calls the execution made (the runtime's gate count). */
  serviceCalls: number;
  /** Virtual ms the execution lasted. */
  elapsedMs: number;
  /** API requests sent during the execution. */
  apiRequests: number;
}

export interface Workbook {
  rt: GasRuntime;
  clock: VirtualClock;
  transport: CountingTransport;
  /** The refresh execution under way (during step()). */
  current: Execution | null;
  /** onInstall, connect (a fresh single-use auth code), the seller's inputs. */
  setUp(): Promise<void>;
  /** One `refresh` execution from R0, optionally killed after `killAfterCalls` service calls. */
  step(killAfterCalls?: number): StepOutcome;
  /** Unkilled steps until done (a step that throws a script error is recorded and retried). */
  refreshToDone(maxSteps?: number): { steps: StepOutcome[]; errors: string[] };
  /** rebuildReportsNow at R0, service calls free (see there). */
  rebuildAtR0(): void;
  documentProperty(key: string): string | null;
}

export function newWorkbook(shared: SharedSandbox, options: { msPerCall?: number } = {}): Workbook {
  const clock = new VirtualClock(shared.startMs);
  const transport = new CountingTransport(shared.fetcher, shared.sb.url);
  const hostMap = Object.fromEntries(TIKTOK_HOSTS.map((h) => [h, shared.sb.url]));
  const rt = new GasRuntime({ distDir: shared.distDir, clock, transport, hostMap, msPerCall: options.msPerCall ?? 0, wallTimeoutMs: 300_000 });

  const wb: Workbook = {
    rt, clock, transport, current: null,
    async setUp() {
      clock.set(shared.startMs);
      rt.run('onInstall', { authMode: 'FULL' });
      const page = await connectInBrowser(rt, shared.sb);
      if (!/^Connected to/.test(page)) throw new Error(`connect failed: ${page}`);
      // The seller closes the tab; the sidebar asks for the status, which selects the only shop for
      // this workbook and sets up its tabs (as dev/addon/session.ts connect()).
      rt.run('getStatus');
      const g = shared.shop;
      enterSellerInputs(rt.spreadsheet, { settings: g.settings, cogs: g.data.cogs, fixedCosts: g.data.fixedCosts, creatorFees: g.data.creatorFees });
    },
    step(killAfterCalls) {
      clock.set(shared.startMs);
      const api0 = transport.log.api;
      const ex = rt.begin(runOptions({ killAfterCalls }));
      wb.current = ex;
      let result: RefreshProgress | null = null;
      let killed = false;
      try {
        result = ex.call('refresh') as RefreshProgress;
      } catch (e) {
        if (!(e instanceof ExecutionKilledError)) throw e;
        killed = true;
      } finally {
        ex.end();
        wb.current = null;
      }
      return { result, killed, serviceCalls: ex.serviceCalls, elapsedMs: clock.nowMs() - ex.startedAt, apiRequests: transport.log.api - api0 };
    },
    refreshToDone(maxSteps = 10) {
      const steps: StepOutcome[] = [];
      const errors: string[] = [];
      for (let i = 0; i < maxSteps; i++) {
        let s: StepOutcome;
        try {
          s = wb.step();
        } catch (e) {
          errors.push(e instanceof Error ? e.message : String(e));
          continue;
        }
        steps.push(s);
        if (s.killed) throw new Error(`refresh step ${i + 1} was killed (${s.serviceCalls} service calls, ${s.elapsedMs} ms)`);
        if (s.result!.phase === 'busy') throw new Error(`refresh step ${i + 1}: ${s.result!.message}`);
        if (s.result!.done) return { steps, errors };
      }
      throw new Error(`refresh did not finish in ${maxSteps} steps (errors: ${errors.join(' | ')})`);
    },
    rebuildAtR0() {
      // The alignment rebuild is free of charge, so its "as of" is R0 exactly, as the reference's
      // (with msPerCall the calls before the rebuild reads the clock would move it on).
      const options = rt._options();
      const msPerCall = options.msPerCall;
      options.msPerCall = 0;
      try {
        clock.set(shared.startMs);
        rt.run('rebuildReportsNow');
      } finally {
        options.msPerCall = msPerCall;
      }
    },
    documentProperty(key) {
      return rt.properties.document.map.get(key) ?? null;
    },
  };
  return wb;
}

// ---------------------------------------------------------------- comparing workbooks

const DATA_TAB_NAMES = new Set<string>(DATA_TABS.map((d) => d.tab));

export interface DataTabSnapshot {
  headers: unknown[];
  /** [key, cells] sorted by key (then cells). */
  rows: [string, unknown[]][];
  duplicates: string[];
  invalid: string[];
  /** Columns holding the client's clock at the fetch (Unsettled estimates' "Fetched"), not shop data. */
  stampColumns: number[];
}

function sheetValues(rt: GasRuntime, name: string): unknown[][] {
  const sheet = rt.spreadsheet.getSheetByName(name);
  if (!sheet) throw new Error(`no "${name}" tab`);
  return sheet.getDataRange().getValues() as unknown[][];
}

/** Every data tab: rows by key (order-free), with duplicate keys and unreadable rows. */
export function dataTabs(rt: GasRuntime): Record<string, DataTabSnapshot> {
  const gateway = new AppsScriptGateway(rt.spreadsheet as unknown as SpreadsheetLike);
  const out: Record<string, DataTabSnapshot> = {};
  for (const def of DATA_TABS) {
    const values = sheetValues(rt, def.tab);
    const read = readTab(gateway, def as never) as { records: unknown[]; rowNumbers: number[]; invalid: { message: string }[] };
    const seen = new Map<string, number>();
    const rows: [string, unknown[]][] = read.records.map((rec, i) => {
      const key = (def.key as (r: unknown) => string)(rec);
      seen.set(key, (seen.get(key) ?? 0) + 1);
      return [key, values[read.rowNumbers[i] - 1]];
    });
    rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : JSON.stringify(a[1]) < JSON.stringify(b[1]) ? -1 : 1));
    const stampField = (def as { stampField?: string }).stampField ?? 'fetchedTime';
    const headers = (values[0] ?? []) as unknown[];
    const stampHeaders = def.columns.filter((c) => c.path.join('.') === stampField).map((c) => c.header);
    out[def.tab] = {
      stampColumns: headers.flatMap((h, i) => (stampHeaders.includes(String(h)) ? [i] : [])),
      headers,
      rows,
      duplicates: [...seen].filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`),
      invalid: read.invalid.map((i) => i.message),
    };
  }
  return out;
}

/**
 * What differs between two workbooks' data tabs (empty: identical as sets of rows, no duplicates).
 * `stampRange` [lo, hi] (Unix seconds): fetch stamps are compared as "within [lo, hi]" instead of
 * exactly, for runs whose clock legitimately moved on (virtual time charged, retries slept).
 */
export function diffDataTabs(ref: Record<string, DataTabSnapshot>, got: Record<string, DataTabSnapshot>, stampRange?: [number, number]): string[] {
  const out: string[] = [];
  const cellsOf = (snap: DataTabSnapshot, r: unknown[]): string => JSON.stringify(stampRange
    ? r.map((v, i) => (snap.stampColumns.includes(i) && typeof v === 'number' && v >= stampRange[0] && v <= stampRange[1] ? '<fetched in range>' : v))
    : r);
  for (const tab of Object.keys(ref)) {
    const a = ref[tab];
    const b = got[tab];
    if (!b) {
      out.push(`${tab}: missing tab`);
      continue;
    }
    if (JSON.stringify(a.headers) !== JSON.stringify(b.headers)) out.push(`${tab}: headers differ`);
    if (b.duplicates.length) out.push(`${tab}: duplicate keys ${b.duplicates.slice(0, 3).join(', ')}${b.duplicates.length > 3 ? ` (+${b.duplicates.length - 3})` : ''}`);
    if (b.invalid.length) out.push(`${tab}: unreadable rows: ${b.invalid.slice(0, 2).join('; ')}`);
    const am = new Map(a.rows.map(([k, r]) => [k, cellsOf(a, r)]));
    const bm = new Map(b.rows.map(([k, r]) => [k, cellsOf(b, r)]));
    const lost = [...am.keys()].filter((k) => !bm.has(k));
    const extra = [...bm.keys()].filter((k) => !am.has(k));
    const changed = [...am.keys()].filter((k) => bm.has(k) && am.get(k) !== bm.get(k));
    if (lost.length) out.push(`${tab}: ${lost.length} row(s) lost, e.g. ${lost[0]}`);
    if (extra.length) out.push(`${tab}: ${extra.length} extra row(s), e.g. ${extra[0]}`);
    if (changed.length) out.push(`${tab}: ${changed.length} row(s) differ, e.g. ${changed[0]}: ${am.get(changed[0])} vs ${bm.get(changed[0])}`);
    if (a.rows.length !== b.rows.length && !lost.length && !extra.length) out.push(`${tab}: ${a.rows.length} vs ${b.rows.length} rows`);
  }
  return out;
}

/** Every tab that is not a data tab (report tabs, the seller's tabs), values exactly, in tab order. */
export function otherTabs(rt: GasRuntime): { names: string[]; values: Record<string, unknown[][]> } {
  const names = rt.spreadsheet.getSheets().map((s) => s.getName());
  const values: Record<string, unknown[][]> = {};
  for (const n of names) if (!DATA_TAB_NAMES.has(n)) values[n] = sheetValues(rt, n);
  return { names, values };
}

/** What differs between two workbooks' other tabs (names in order, then each tab's cells). */
export function diffOtherTabs(ref: ReturnType<typeof otherTabs>, got: ReturnType<typeof otherTabs>): string[] {
  const out: string[] = [];
  if (JSON.stringify(ref.names) !== JSON.stringify(got.names)) out.push(`tabs: ${ref.names.join(', ')} vs ${got.names.join(', ')}`);
  for (const [name, a] of Object.entries(ref.values)) {
    const b = got.values[name];
    if (!b) {
      out.push(`${name}: missing`);
      continue;
    }
    if (a.length !== b.length) out.push(`${name}: ${a.length} vs ${b.length} rows`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (JSON.stringify(a[i]) !== JSON.stringify(b[i])) {
        out.push(`${name} row ${i + 1}: ${JSON.stringify(a[i]).slice(0, 200)} vs ${JSON.stringify(b[i]).slice(0, 200)}`);
        break;
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------- misc

/** mulberry32: a small seeded PRNG, [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Records the service-call count at which the execution set a document property, per change of value. */
export function watchDocumentProperty(wb: Workbook, key: string, callCount: () => number = () => wb.current?.serviceCalls ?? -1): { marks: { at: number; value: string }[]; stop(): void } {
  const map = wb.rt.properties.document.map;
  const original = map.set;
  const marks: { at: number; value: string }[] = [];
  // PropertiesModel rewrites the whole map on every set: compare with the last value seen, not the map.
  let last = map.get(key);
  map.set = function (k: string, v: string) {
    if (k === key && v !== last) {
      marks.push({ at: callCount(), value: v });
      last = v;
    }
    return original.call(map, k, v);
  };
  return { marks, stop: () => { map.set = original; } };
}
