/**
 * The add-on as a user meets it, off Google: the built bundle (dist/Code.js) in the local Apps
 * Script runtime, talking to the TikTok Shop sandbox (a child process) through UrlFetchApp over
 * loopback. Used by `npm run demo`, the workbook tests and the workbook benchmark.
 *
 * The bundle keeps TikTok's real hosts; the runtime checks them against the manifest's
 * urlFetchWhitelist and then sends them to the sandbox (hostMap). The seller's side of OAuth is
 * played as a browser would: open the authorize link, the sandbox redirects to Google's
 * /usercallback with a code and the state, and the runtime runs the function the state names.
 *
 * Time (SessionClock): the runtime's clock starts at the sandbox's time and runs with real time,
 * plus what service calls cost (msPerCall: virtual, so chunks meet the 6-minute budget as they
 * would on Google without the demo taking that long). Utilities.sleep really sleeps, because the
 * sandbox counts its 50 requests per second in real time and the client's backoff must too. The
 * sandbox's clock follows the runtime's before each request (TikTok checks the request timestamp
 * against its own clock, so the two must not drift apart).
 *
 * `realTime: false` leaves real time out of the clock: it moves only by what service calls cost and
 * by sleeps. Tests that need the shop to stand still between two refreshes use it, so what they see
 * does not depend on how fast (how loaded) the machine running them is.
 */
import { GasRuntime, runOptions, type CostModel, type GasRuntimeOptions } from '../runtime/gas';
import type { RuntimeClock } from '../runtime/gas/services';
import { sleepSync } from '../runtime/node-ports';
import { SyncFetchTransport } from '../runtime/sync-fetch';
import { startSandboxChild, type SandboxChild } from '../sandbox/child';
import type { SandboxOptions } from '../sandbox/server';
import type { HttpRequest, HttpResponse, Transport } from '../../src/tiktok/ports';
import type { RefreshProgress } from '../../src/sheets/server-types';
import { generateShop, type GeneratedShop } from '../generator/shop';
import { enterSellerInputs } from './seller-inputs';

export const TIKTOK_HOSTS = ['https://open-api.tiktokglobalshop.com', 'https://auth.tiktok-shops.com', 'https://business-api.tiktok.com'] as const;

/** Real time (unless left out) + charged service-call time; see the header. */
export class SessionClock implements RuntimeClock {
  private readonly realStart = Date.now();
  private offsetMs = 0;

  constructor(private readonly startMs: number, private readonly realTime = true) {}

  nowMs(): number {
    return this.startMs + (this.realTime ? Date.now() - this.realStart : 0) + this.offsetMs;
  }

  /** Really sleeps (the sandbox's rate limit counts real time); without real time, the clock moves by the sleep too. */
  sleep(ms: number): void {
    if (!(ms > 0)) return;
    sleepSync(ms);
    if (!this.realTime) this.offsetMs += ms;
  }

  charge(ms: number): void {
    this.offsetMs += Math.max(0, ms);
  }

  /** Jumps to `ms` (never backwards). */
  set(ms: number): void {
    this.offsetMs += Math.max(0, ms - this.nowMs());
  }
}

/** Sets the sandbox clock to the runtime's before a request when they are further apart than `slackSeconds`. */
export class ClockFollowingTransport implements Transport {
  private synced: number;
  enabled = true;

  constructor(private readonly inner: Transport, private readonly sandboxUrl: string, private readonly clock: RuntimeClock, startSeconds: number, private readonly slackSeconds = 10) {
    this.synced = startSeconds;
  }

  /** The sandbox's clock was moved from outside (advance): start from there. */
  resync(seconds: number): void {
    this.synced = seconds;
  }

  private follow(): void {
    if (!this.enabled) return;
    const now = Math.floor(this.clock.nowMs() / 1000);
    if (now - this.synced < this.slackSeconds) return;
    const r = this.inner.fetch({
      url: `${this.sandboxUrl}/sandbox/clock`, method: 'post', headers: {}, contentType: 'application/json', payload: JSON.stringify({ set: now }),
    });
    if (r.status !== 200) throw new Error(`sandbox clock: HTTP ${r.status} ${r.body}`);
    this.synced = now;
  }

  fetch(request: HttpRequest): HttpResponse {
    this.follow();
    return this.inner.fetch(request);
  }

  fetchAll(requests: HttpRequest[]): HttpResponse[] {
    this.follow();
    return this.inner.fetchAll(requests);
  }
}

export interface AddonSessionOptions {
  seed?: number;
  shop?: SandboxOptions['shop'];
  sandbox?: Omit<SandboxOptions, 'seed' | 'shop'>;
  /** Virtual ms each service call costs (default 0: time stands still within an execution). */
  msPerCall?: number;
  /** Whether the clock also runs with real time (default true; see the header). */
  realTime?: boolean;
  /** The runtime's cost model (GOOGLE_COSTS: per call and per cell, as Google charges); default msPerCall per call only. */
  costs?: Partial<CostModel>;
  runtime?: Partial<GasRuntimeOptions>;
}

export interface AddonSession {
  sb: SandboxChild;
  rt: GasRuntime;
  clock: SessionClock;
  transport: ClockFollowingTransport;
  /** onInstall, as when the add-on is installed from the document. */
  install(): void;
  /** Sidebar → Connect: app key and secret, authorize link, the seller approves, the callback. Returns the callback page's text. */
  connect(): Promise<string>;
  /**
   * Sidebar → Connect → Ads account: the Marketing API app, the TikTok for Business authorize link,
   * the seller approves, the callback; then every granted ad account is chosen for this workbook.
   * Returns the callback page's text.
   */
  connectAds(): Promise<string>;
  /** The generator's shop as the sandbox serves it at `asOf` (default: the sandbox's clock now). */
  generated(asOf?: number): Promise<GeneratedShop>;
  /** The seller fills COGS, Fixed costs, Creator fees and the differing Settings from the generator's books. */
  enterSellerInputs(): Promise<void>;
  /** Calls `refresh` until done (at most maxSteps executions); returns every step's result. */
  refreshToDone(maxSteps?: number): RefreshProgress[];
  /** Moves the sandbox shop (and the runtime's clock) on by `seconds`. */
  advance(seconds: number): Promise<void>;
  close(): Promise<void>;
}

/** Text of an HtmlOutput-like value the runtime returned. */
function htmlText(v: unknown): string {
  const o = v as { getContent?: () => string } | null;
  const html = o && typeof o.getContent === 'function' ? o.getContent() : String(v);
  return html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
}

/**
 * What the seller's browser does with a TikTok page: one GET, redirects not followed. On a fresh
 * connection each time: the tests call this between long synchronous runs of the runtime, during
 * which this process cannot see the sandbox close an idle keep-alive socket; reusing that socket
 * afterwards fails with "other side closed" (a browser would retry; Node's fetch does not).
 */
export function openInBrowser(url: URL | string): Promise<Response> {
  return fetch(url, { redirect: 'manual', headers: { connection: 'close' } });
}

/**
 * Sidebar → Connect, as the seller does it: save the TikTok app, open the authorize link, approve
 * on the (sandbox's) authorize page, which redirects to Google's /usercallback with the code and
 * the state; the runtime runs the function the state names. Returns the callback page's text.
 */
export async function connectInBrowser(rt: GasRuntime, sb: Pick<SandboxChild, 'url' | 'appKey' | 'appSecret'>): Promise<string> {
  rt.run('saveTikTokApp', { appKey: sb.appKey, appSecret: sb.appSecret });
  const link = new URL(String(rt.run('getConnectLink')));
  const authorize = new URL(`${sb.url}/sandbox/authorize`);
  authorize.searchParams.set('app_key', link.searchParams.get('app_key') ?? '');
  authorize.searchParams.set('state', link.searchParams.get('state') ?? '');
  authorize.searchParams.set('redirect_uri', rt.userCallbackUrl());
  const res = await openInBrowser(authorize);
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`sandbox authorize: expected a redirect, got HTTP ${res.status} ${await res.text()}`);
  return htmlText(rt.userCallback(Object.fromEntries(new URL(location).searchParams)));
}

/** Sidebar → Connect → Ads account, as the seller does it (see AddonSession.connectAds). */
export async function connectAdsInBrowser(rt: GasRuntime, sb: Pick<SandboxChild, 'url' | 'adsAppId' | 'adsSecret'>, choose = true, saveApp = true): Promise<string> {
  // With the publisher's app (script properties) the seller types nothing: saveApp = false.
  if (saveApp) rt.run('saveTikTokAdsApp', { appId: sb.adsAppId, secret: sb.adsSecret });
  const link = new URL(String(rt.run('getAdsConnectLink')));
  const authorize = new URL(`${sb.url}/sandbox/ads/authorize`);
  for (const k of ['app_id', 'state', 'redirect_uri']) authorize.searchParams.set(k, link.searchParams.get(k) ?? '');
  const res = await fetch(authorize, { redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`sandbox ads authorize: expected a redirect, got HTTP ${res.status} ${await res.text()}`);
  const to = new URL(location);
  if (`${to.origin}${to.pathname}` !== rt.userCallbackUrl()) throw new Error(`sandbox ads authorize: redirected to ${to.origin}${to.pathname}, not the script's /usercallback`);
  const page = htmlText(rt.userCallback(Object.fromEntries(to.searchParams)));
  if (choose) {
    const status = rt.run('getStatus') as { ads: { granted: { id: string }[] } };
    rt.run('selectAdAccounts', status.ads.granted.map((a) => a.id));
  }
  return page;
}

export async function startAddonSession(options: AddonSessionOptions = {}): Promise<AddonSession> {
  const sb = await startSandboxChild({ seed: options.seed ?? 1, shop: options.shop, ...options.sandbox });
  const inner = new SyncFetchTransport();
  try {
    const clock = new SessionClock(sb.now * 1000, options.realTime ?? true);
    const transport = new ClockFollowingTransport(inner, sb.url, clock, sb.now);
    const hostMap = Object.fromEntries(TIKTOK_HOSTS.map((h) => [h, sb.url]));
    // A refresh step of a large shop takes real minutes here: the vm's wall-time guard must allow it.
    // An add-on: its time-driven triggers run at most hourly.
    const rt = new GasRuntime({ clock, transport, hostMap, msPerCall: options.msPerCall ?? 0, costs: options.costs, addOn: true, wallTimeoutMs: 900_000, ...options.runtime });

    const session: AddonSession = {
      sb, rt, clock, transport,
      install() {
        rt.run('onInstall', { authMode: 'FULL' });
      },
      async connect() {
        const page = await connectInBrowser(rt, sb);
        // The seller closes the tab; the sidebar asks for the status, which selects the only shop
        // for this workbook and sets up its tabs.
        rt.run('getStatus');
        return page;
      },
      connectAds() {
        return connectAdsInBrowser(rt, sb);
      },
      async generated(asOf?: number) {
        // The sandbox's own generator options (server.ts), so the records are the ones it serves.
        const at = asOf ?? (await sb.clockNow());
        return generateShop({ days: 60, ordersPerDay: 200, unitLines: true, analytics: true, ...options.shop, seed: options.seed ?? 1, truth: true, asOf: at });
      },
      async enterSellerInputs() {
        const g = await session.generated();
        enterSellerInputs(rt.spreadsheet, { settings: g.settings, cogs: g.data.cogs, fixedCosts: g.data.fixedCosts, creatorFees: g.data.creatorFees });
      },
      refreshToDone(maxSteps = 50) {
        const steps: RefreshProgress[] = [];
        for (let i = 0; i < maxSteps; i++) {
          const r = rt.run('refresh') as RefreshProgress;
          steps.push(r);
          if (r.done) return steps;
          if (r.phase === 'busy') throw new Error(`refresh step ${i + 1}: ${r.message}`);
        }
        throw new Error(`refresh did not finish in ${maxSteps} steps (last: ${JSON.stringify(steps[steps.length - 1])})`);
      },
      async advance(seconds) {
        const now = Math.max(Math.floor(clock.nowMs() / 1000), await sb.clockNow()) + seconds;
        await sb.setClock(now);
        clock.set(now * 1000);
        transport.resync(now);
      },
      async close() {
        await rt.close();
        await Promise.all([inner.close(), sb.close()]);
      },
    };
    return session;
  } catch (e) {
    await Promise.all([inner.close(), sb.close()]);
    throw e;
  }
}

export { runOptions };
