/**
 * `npm run bench:api`: API calls and pull time of the shop pull (src/tiktok/pull.ts) for a
 * ~100,000-order month, against the local sandbox (in a child process) over loopback HTTP,
 * through the synchronous client stack (dev/runtime/sync-fetch.ts + node-ports.ts).
 *
 * Reports, for a full pull and a one-day incremental pull (update-time window since the last
 * pull with a 2 h look-back; statements of the last 7 days, transactions only for new or changed
 * statements): API calls by endpoint, HTTP requests (retries included), and the pull time with
 * fetchAll batching and with fetchAll turned into sequential fetches (sequentialTransport).
 *
 * Two network profiles:
 *  - loopback: no added latency, the sandbox's 50 QPS limit lifted (raw client + server cost);
 *  - latency:  every answer delayed `--delay` ms (default 60, a stand-in for the Apps Script →
 *              TikTok round trip), the documented 50 QPS per API limit on, the pull pacing
 *              itself to 40 calls/s per API.
 *
 * Ads (Marketing API): the extra calls a refresh makes with an ads account connected — the
 * authorization (token, ad accounts), the full pull of the month's ad spend for every ad account
 * (integrated report + GMV Max report, 30-day windows, campaign info for the Campaign map) and a
 * 1-day incremental pull (re-reading 7 days). They depend on ad accounts × campaigns × days, not
 * on the orders.
 *
 *   npm run bench:api -- [--orders-per-day 3100] [--days 31] [--delay 60] [--only loopback|latency] [--seed 1]
 *   npm run bench:api -- --small     # 12 days × 60 orders/day, 5 ms: the check the test suite runs
 *
 * Every pull is checked: the full pull returns every order the sandbox holds, with and without
 * fetchAll, and the incremental pull makes fewer calls than the full one (else it exits non-zero).
 */
import { startSandboxChild, type SandboxChild } from '../sandbox/child';
import { SyncFetchTransport, sequentialTransport } from '../runtime/sync-fetch';
import { cryptoRandom, MemoryLock, MemoryStore, NodeClock, nodeHmac } from '../runtime/node-ports';
import { TikTokShopClient } from '../../src/tiktok/request';
import { TikTokAuth } from '../../src/tiktok/auth';
import { CountingTransport, incrementalWindow, pullShop, totalCalls, type PullResult, type Resource } from '../../src/tiktok/pull';
import type { Transport } from '../../src/tiktok/ports';
import type { Statement } from '../../src/core/records';
import { option, sized, textTable } from '../cli';
import { exchangeAdsAuthCode, listAdvertisers, type Advertiser } from '../../src/ads/auth';
import { CallCounter, pullAds, type AdsSyncState } from '../../src/sheets/ads-sync';
import type { AdSpend } from '../../src/core/records';
import type { CampaignMapEntry } from '../../src/core/ad-spend';

const opt = (name: string, def: string): string => option(name, def);
const SEED = Number(opt('seed', '1'));
const DAYS = Number(sized('days', '31', '12'));
const PER_DAY = Number(sized('orders-per-day', '3100', '60'));
const DELAY = Number(sized('delay', '60', '5'));
const ONLY = opt('only', '');
/** 12:00 UTC on the second-to-last shop day (first day 2025-02-17): the month is still taking orders. */
const START = Date.UTC(2025, 1, 17 + DAYS - 2, 12) / 1000;
const RESOURCES: Resource[] = ['orders', 'statements'];
const RETRY = { baseDelayMs: 200, maxDelayMs: 4000, maxTotalMs: 120_000, maxAttempts: 8 };

/** Orders the sandbox holds at the start (the same shop in both profiles): what a full pull must return. */
let sandboxOrders = 0;

interface Run { label: string; result: PullResult; requests: Record<string, number>; http: number; ms: number; retriesSlept: number }
interface AdsRun { label: string; calls: number; rows: number; ms: number }
const adsRuns: AdsRun[] = [];

function connect(sb: SandboxChild, transport: Transport, clock: NodeClock, code: string) {
  const auth = new TikTokAuth({ appKey: sb.appKey, appSecret: sb.appSecret, authHost: sb.url, retry: RETRY }, {
    transport, clock, random: cryptoRandom, store: new MemoryStore(), lock: new MemoryLock(),
  });
  auth.exchangeCode(code);
  return new TikTokShopClient({ appKey: sb.appKey, appSecret: sb.appSecret, shopCipher: sb.shop.cipher, apiBase: sb.url, retry: RETRY },
    { transport, clock, random: cryptoRandom, hmac: nodeHmac, tokens: auth });
}

async function profile(name: 'loopback' | 'latency'): Promise<Run[]> {
  const t0 = Date.now();
  const sb = await startSandboxChild({
    seed: SEED, startTime: START, shop: { days: DAYS, ordersPerDay: PER_DAY, unitLines: true },
    qps: name === 'loopback' ? 1_000_000 : 50,
    faults: name === 'latency' ? { delayMs: DELAY } : {},
  }, 300_000);
  const sync = new SyncFetchTransport({ timeoutMs: 120_000 });
  const runs: Run[] = [];
  try {
    const state = await sb.state();
    sandboxOrders = state.orders;
    process.stderr.write(`[${name}] sandbox up in ${Date.now() - t0} ms: ${state.orders} orders, ${state.statements} statements\n`);
    const clock = new NodeClock();
    const modes: { label: string; transport: Transport }[] = [
      { label: 'fetchAll', transport: sync },
      { label: 'sequential', transport: sequentialTransport(sync) },
    ];
    const clients: { label: string; transport: Transport; counting: CountingTransport; client: TikTokShopClient }[] = [];
    for (const m of modes) {
      const counting = new CountingTransport(m.transport);
      clock.setNow(await sb.clockNow());
      clients.push({ ...m, counting, client: connect(sb, counting, clock, await sb.authorize()) });
    }
    // Pacing needs real time; `clock` is pinned to the sandbox's frozen clock (request timestamps).
    const pace = name === 'latency' ? { clock: new NodeClock(), maxPerSecond: 40 } : undefined;
    const run = (label: string, c: (typeof clients)[number], fn: () => PullResult) => {
      c.counting.reset();
      const slept0 = clock.slept;
      const t = Date.now();
      const result = fn();
      const ms = Date.now() - t;
      runs.push({ label, result, requests: { ...c.counting.requests }, http: c.counting.total(), ms, retriesSlept: clock.slept - slept0 });
      process.stderr.write(`[${name}] ${label}: ${totalCalls(result.stats)} calls, ${c.counting.total()} requests, ${(ms / 1000).toFixed(1)} s\n`);
      return result;
    };

    const t1 = await sb.clockNow();
    clock.setNow(t1);
    const firsts: PullResult[] = [];
    for (const c of clients) firsts.push(run(`full ${c.label}`, c, () => pullShop(c.client, { updateTimeGe: 0, updateTimeLt: t1 + 1 }, { resources: RESOURCES, pace })));

    // Ads, once (the first profile): connect, then the month's spend.
    const withAds = adsRuns.length === 0;
    const ads = new CallCounter(sync);
    const adsDeps = { transport: ads, clock, random: cryptoRandom };
    let adsToken = '';
    let advertisers: Advertiser[] = [];
    let adsState: AdsSyncState = { v: 1, run: null, days: {}, problem: null, time: null };
    let held: AdSpend[] = [];
    let map: CampaignMapEntry[] = [];
    const adsRun = (label: string, fn: () => number) => {
      ads.calls = 0;
      const t = Date.now();
      const rows = fn();
      adsRuns.push({ label, calls: ads.calls, rows, ms: Date.now() - t });
      process.stderr.write(`[${name}] ads ${label}: ${ads.calls} calls, ${rows} rows\n`);
    };
    const pullAdsNow = (now: number) => {
      const r = pullAds(adsDeps, { accessToken: adsToken, advertisers, shopId: sb.shop.id, now, backfillDays: DAYS, rereadDays: 7, state: adsState, apiBase: sb.url }, held, map);
      adsState = { ...adsState, days: r.days };
      held = r.rows;
      map = [...map, ...r.newCampaigns];
      return r.rows.length;
    };
    if (withAds) {
      const code = (await (await fetch(`${sb.url}/sandbox/ads/authorize?app_id=${sb.adsAppId}`)).json() as { data: { auth_code: string } }).data.auth_code;
      const app = { appId: sb.adsAppId, secret: sb.adsSecret };
      adsRun('connect (token, ad accounts)', () => {
        adsToken = exchangeAdsAuthCode(adsDeps, app, code, sb.url).accessToken;
        advertisers = listAdvertisers(adsDeps, app, adsToken, sb.url);
        return advertisers.length;
      });
      adsRun(`full month (${DAYS} days, ${advertisers.length} ad accounts)`, () => pullAdsNow(t1));
    }

    await sb.advanceClock(86400);
    const t2 = await sb.clockNow();
    clock.setNow(t2);
    // The sandbox re-generates the shop on the first call after the clock moved; do it before timing.
    await sb.state();
    clients.forEach((c, i) => {
      const first = firsts[i];
      const known = new Map<string, Statement>(first.data.statements.map((s) => [s.statementId, s]));
      const w = incrementalWindow(first.window.updateTimeLt, t2, { lookBackSeconds: 2 * 3600 });
      run(`1-day incremental ${c.label}`, c, () => pullShop(c.client, w, { resources: RESOURCES, knownStatements: known, pace }));
    });
    if (withAds) adsRun('1-day incremental (re-reads 7 days)', () => pullAdsNow(t2));
  } finally {
    await Promise.all([sync.close(), sb.close()]);
  }
  return runs;
}

const table = textTable;

async function main(): Promise<void> {
  const profiles = (['loopback', 'latency'] as const).filter((p) => !ONLY || p === ONLY);
  const all: { profile: string; runs: Run[] }[] = [];
  for (const p of profiles) all.push({ profile: p, runs: await profile(p) });

  for (const { profile: p, runs } of all) {
    for (const r of runs.filter((x) => x.label.startsWith('full'))) {
      if (r.result.data.orders.length !== sandboxOrders) throw new Error(`[${p}] ${r.label}: ${r.result.data.orders.length} orders pulled of the sandbox's ${sandboxOrders}`);
    }
    const [fullCalls, incCalls] = ['full fetchAll', '1-day incremental fetchAll'].map((l) => totalCalls(runs.find((x) => x.label === l)!.result.stats));
    if (!(incCalls < fullCalls)) throw new Error(`[${p}] the incremental pull made ${incCalls} calls, the full one ${fullCalls}`);
  }

  const first = all[0].runs;
  const endpoints = new Set<string>();
  for (const r of first) for (const k of Object.keys(r.result.stats.calls)) endpoints.add(k);
  const full = first.find((r) => r.label === 'full fetchAll')!;
  const inc = first.find((r) => r.label === '1-day incremental fetchAll')!;
  const out: string[] = [];
  out.push(`Shop: seed ${SEED}, ${DAYS} days × ${PER_DAY} orders/day (unitLines); full pull: ${full.result.data.orders.length} orders, ${full.result.data.lines.length} lines, ${full.result.data.statements.length} statements, ${full.result.data.transactions.length} transactions`);
  out.push(`1-day incremental: ${inc.result.data.orders.length} orders updated in the window (2 h look-back), ${inc.result.data.statements.length} statements re-read (7-day look-back), ${inc.result.stats.statementsReused} of them with their transactions reused`);
  out.push('');
  out.push('API calls by endpoint (logical calls; the same with and without fetchAll)');
  out.push(table([
    ['endpoint', 'full pull', 'pages', '1-day incremental', 'pages'],
    ...[...endpoints].map((e) => [e, String(full.result.stats.calls[e as never] ?? 0), String(full.result.stats.pages[e as never] ?? '-'), String(inc.result.stats.calls[e as never] ?? 0), String(inc.result.stats.pages[e as never] ?? '-')]),
    ['total', String(totalCalls(full.result.stats)), '', String(totalCalls(inc.result.stats)), ''],
  ]));
  out.push('');
  out.push('Pull time');
  const rows: string[][] = [['profile', 'pull', 'calls', 'HTTP requests', 'fetchAll batches', 'retry sleep s', 'time s']];
  for (const { profile: p, runs } of all) {
    for (const r of runs) rows.push([p === 'latency' ? `latency ${DELAY} ms, 50 QPS` : 'loopback, no QPS limit', r.label, String(totalCalls(r.result.stats)), String(r.http), r.label.endsWith('sequential') ? '0 (one by one)' : String(r.result.stats.batches), (r.retriesSlept / 1000).toFixed(1), (r.ms / 1000).toFixed(1)]);
  }
  out.push(table(rows));
  out.push('');
  out.push('Ads account connected: extra Marketing API calls (any number of orders)');
  out.push(table([['step', 'calls', 'ad spend rows', 'time s'], ...adsRuns.map((r) => [r.label, String(r.calls), String(r.rows), (r.ms / 1000).toFixed(1)])]));
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
