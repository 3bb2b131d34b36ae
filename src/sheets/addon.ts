/**
 * The composition root: the one place that turns Apps Script's globals into the ports the rest of
 * the code takes (transport, clock, stores, locks, HMAC, the sheet gateway), and the server
 * functions src/index.ts exposes (sidebar, menu, OAuth callback, trigger).
 *
 * Execution budget: Apps Script kills an execution at 6 minutes. A refresh step pulls until
 * PULL_DEADLINE_MS after it started (sync.ts stops a chunk early enough to write it and save the
 * checkpoint). Once a run is complete, the report tabs are written one at a time, each only when
 * its measured time still fits in the 6 minutes; the rest wait for the next step, with the as-of
 * pinned so all tabs agree. A step killed anywhere loses nothing: data rows are upserted by key,
 * the cursor is saved after the writes, and the reports stay due (the checkpoint has completed a
 * run the reports were not built from) until every tab of one rebuild is written.
 */
import { TikTokAuth, STORE_KEYS, getAuthorizedShops, type AuthorizedShop } from '../tiktok/auth';
import { TikTokShopClient } from '../tiktok/request';
import type { KeyValueStore } from '../tiktok/ports';
import { AppsScriptGateway } from './gateway-appsscript';
import { appsScriptPorts } from './ports-appsscript';
import { REPORT_TAB_NAMES, writeReportTab, type ReportSpreadsheetLike, type WriteReportOptions } from './report-tabs';
import { arrangeTabs, type ArrangeSpreadsheetLike } from './tab-order';
import { ANOTHER_REFRESH, CHECKPOINT_KEY, progressOf, readCheckpoint, runRefreshChunk, writePulled } from './sync';
import {
  DOCUMENT_KEYS, NotConnectedError, USER_KEYS, disconnect, hasAppCredentials, loadAppCredentials, loadAuthorizedShops, loadSelectedShop, loadWorkbookShop,
  readRefreshState, regionDefaults, saveAppCredentials, saveAuthorizedShops, selectShop, writeRefreshState, type AppCredentials,
  type RefreshState,
} from './connection';
import { computeReports, ensureDataTabs, rebuildReports, workbookSummary, type UserInputs } from './workbook';
import type { ConnectionStatus, ImportOutcome, ImportPreview, RefreshProgress, ScheduledRun, ScheduleMode, ScheduleStatus, SettingField, WorkbookSummary } from './server-types';
import { checkDeployment, deploymentCheckHtml, type DeploymentCheck } from './deployment-check';
import { estimateCapacity, type CapacityEstimate } from './capacity';
import { pathOf } from '../tiktok/versions';
import { readExportFile } from '../imports/files';
import { importExport } from '../imports/exports';
import { emptyPulledData, type PulledData } from '../tiktok/pull';
import type { ShopData } from '../core/records';
import { DATA_TABS, normalizeHeader } from './tabs';
import { PUBLISHER_KEYS, saveAdsApp as storeAdsApp } from './ads-connection';
import { readCampaignMap } from './campaign-map';
import {
  adsAuthorizeLink, adsStatusOf, chooseWorkbookAdAccounts, disconnectWorkbookAds, finishAdsAuthorization, pullAdsForRun,
  type AdsPorts, type AdsPullOutcome,
} from './ads-server';
import type { AdsStatus } from './server-types';
import type { AdCurrencyRate } from '../core/ad-spend';

export type { ConnectionStatus, RefreshProgress } from './server-types';
import { COGS_TAB, SETTINGS_HEADERS, SETTINGS_TAB, USER_TABS, ensureUserTabs, readCogs, readCreatorFees, readFollowers, readFixedCosts, readSettings } from './user-tabs';
import { escapeCell, unescapeCell, type SheetGateway, type TabData } from './table';

/** Replaced by package.json's version at build time (esbuild `define` in build.mjs). */
declare const __ADDON_VERSION__: string;

/** Apps Script kills an execution after 6 minutes. */
export const EXECUTION_LIMIT_MS = 360_000;
/** A refresh step stops pulling this long after it started, leaving time to write and checkpoint. */
export const PULL_DEADLINE_MS = 240_000;
/** ...keeps this much of the pull budget for the slowest unit seen so far (sync.ts). */
export const PULL_SAFETY_MARGIN_MS = 20_000;
/**
 * A refresh chunk pulls no more than this many cells of records: writing costs time per cell
 * (about 0.3 ms on Sheets, docs/local-runtime.md), so 300,000 cells leave the write well inside
 * the time the pull leaves.
 */
export const MAX_CHUNK_CELLS = 300_000;
/** What writing a cell costs on Sheets, as a chunk plans its writes (0.3 ms: the published figure, docs/local-runtime.md). */
export const WRITE_MS_PER_CELL = 0.3;
/** Nothing new (reading and computing the reports, one report tab) is started unless it should end this long before the limit. */
export const STEP_SAFETY_MARGIN_MS = 30_000;
/** Estimates before anything was measured: reading the tabs and computing every report; writing one report tab. */
export const DEFAULT_COMPUTE_MS = 60_000;
export const DEFAULT_TAB_MS = 20_000;
/** The timing key of the last step of a rebuild: putting the tabs in order (tab-order.ts). */
const TAB_ORDER_STEP = '(tab order)';
/** Measured durations are padded by this factor (a shop grows; Apps Script's speed varies). */
const ESTIMATE_FACTOR = 1.25;
/** The callback's state token lives this long (and TikTokAuth's own record of it). */
const STATE_TTL_SECONDS = 900;

// ---------------------------------------------------------------- context

/** What every server function has: the ports and this user's properties. */
interface UserContext {
  ports: ReturnType<typeof appsScriptPorts>;
  userStore: KeyValueStore;
}

/** ...plus the spreadsheet the add-on runs in (sidebar, menu, trigger; not the OAuth callback). */
export interface Context extends UserContext {
  spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet;
  spreadsheetId: string;
  documentStore: KeyValueStore;
  /** For the seller's tabs. */
  gateway: AppsScriptGateway;
  /** For the data tabs: a tab it creates warns an editor that refresh rewrites it. */
  dataGateway: AppsScriptGateway;
}

function userContext(): UserContext {
  const ports = appsScriptPorts({ UrlFetchApp, Utilities, LockService, PropertiesService });
  return { ports, userStore: ports.store };
}

/**
 * The publisher's script properties, READ ONLY: the apps whoever deployed the add-on set once
 * (docs/ads.md, "Publisher setup"). No server function returns what they hold.
 */
function scriptStore(): KeyValueStore {
  const props = PropertiesService.getScriptProperties();
  return {
    get: (k) => props.getProperty(k),
    set: () => { throw new Error('script properties are set by the publisher, not by the add-on'); },
    delete: () => { throw new Error('script properties are set by the publisher, not by the add-on'); },
  };
}

/** The shop app: the publisher's when the deployment has one, else the seller's own (user properties). */
function shopApp(ctx: UserContext): AppCredentials {
  const raw = scriptStore().get(PUBLISHER_KEYS.shopApp);
  if (raw !== null) {
    try {
      return saveAppCredentialsShape(JSON.parse(raw));
    } catch {
      throw new Error('The add-on\'s publisher app (script property tiktok.publisher.shopApp) is not set up right; ask whoever deployed the add-on');
    }
  }
  return loadAppCredentials(ctx.userStore);
}

/** A publisher app read from script properties, checked like the seller's (never stored in user properties). */
function saveAppCredentialsShape(v: unknown): AppCredentials {
  const mem = new Map<string, string>();
  return saveAppCredentials({ get: (k) => mem.get(k) ?? null, set: (k, x) => { mem.set(k, x); }, delete: (k) => { mem.delete(k); } }, v);
}

export function context(): Context {
  const spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
  if (!spreadsheet) throw new Error('TikTok Shop Profit runs from a spreadsheet: open the workbook and use the add-on there');
  const user = userContext();
  return {
    ...user,
    spreadsheet,
    spreadsheetId: spreadsheet.getId(),
    documentStore: user.ports.documentStore(),
    gateway: new AppsScriptGateway(spreadsheet),
    dataGateway: new AppsScriptGateway(spreadsheet, { warnOnEdit: true }),
  };
}

function auth(ctx: UserContext, app: AppCredentials): TikTokAuth {
  return new TikTokAuth(
    { appKey: app.appKey, appSecret: app.appSecret, serviceId: app.serviceId, market: app.market, stateTtlSeconds: STATE_TTL_SECONDS },
    {
      transport: ctx.ports.transport, clock: ctx.ports.clock, random: ctx.ports.random, store: ctx.userStore, lock: ctx.ports.userLock(),
      // Google's /usercallback runs `authCallback` when TikTok redirects back with this state.
      newState: () => ScriptApp.newStateToken().withMethod('authCallback').withTimeout(STATE_TTL_SECONDS).createToken(),
    },
  );
}

function client(ctx: UserContext, app: AppCredentials, tokens: TikTokAuth, shop: AuthorizedShop | null): TikTokShopClient {
  return new TikTokShopClient(
    { appKey: app.appKey, appSecret: app.appSecret, shopCipher: shop?.cipher ?? null },
    { transport: ctx.ports.transport, clock: ctx.ports.clock, random: ctx.ports.random, hmac: ctx.ports.hmac, tokens },
  );
}

function reportOptions(): WriteReportOptions {
  return {
    newConditionalFormatRule: () => SpreadsheetApp.newConditionalFormatRule(),
    interpolationType: SpreadsheetApp.InterpolationType,
  };
}

/** The currency and timezone the Settings tab starts from: the shop's region. */
function workbookDefaults(ctx: Context): { currency: string; timezone: string } {
  const shop = loadWorkbookShop(ctx.documentStore);
  if (!shop) throw new NotConnectedError('This workbook has no shop yet: connect a TikTok shop in the sidebar (Connect).');
  return regionDefaults(shop.region);
}

export function userInputs(ctx: Context): UserInputs & { backfillDays: number; adRereadDays: number; adCurrencyRates: AdCurrencyRate[]; hideDataTabs: boolean } {
  const defaults = workbookDefaults(ctx);
  const sheetTimeZone = ctx.spreadsheet.getSpreadsheetTimeZone();
  const { settings, backfillDays, adRereadDays, adCurrencyRates, hideDataTabs } = readSettings(ctx.gateway, defaults, sheetTimeZone);
  return {
    settings,
    backfillDays,
    adRereadDays,
    adCurrencyRates,
    hideDataTabs,
    campaignMap: readCampaignMap(ctx.gateway),
    cogs: readCogs(ctx.gateway, settings.currency, sheetTimeZone),
    fixedCosts: readFixedCosts(ctx.gateway, settings.currency, sheetTimeZone),
    creatorFees: readCreatorFees(ctx.gateway, settings.currency, sheetTimeZone),
    followers: readFollowers(ctx.gateway, settings.timezone, sheetTimeZone),
  };
}

/** Creates the user's tabs (with examples) and the data tabs; never touches an existing tab's cells. */
function setUpTabs(ctx: Context): void {
  ensureUserTabs(ctx.gateway, workbookDefaults(ctx));
  ensureDataTabs(ctx.dataGateway);
}

/**
 * Dashboard and report tabs first, the seller's tabs next, data tabs last (hidden when the setting
 * says so). Only with the document lock held, as the last step of a complete rebuild: a refresh
 * that finds the workbook busy changes nothing, not even the order of its tabs.
 */
function arrange(ctx: Context, hideDataTabs?: boolean): void {
  arrangeTabs(ctx.spreadsheet as unknown as ArrangeSpreadsheetLike, {
    reportTabs: REPORT_TAB_NAMES, userTabs: USER_TABS, dataTabs: DATA_TABS.map((d) => d.tab), ...(hideDataTabs === undefined ? {} : { hideDataTabs }),
  });
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// ---------------------------------------------------------------- connect

function version(): string {
  return typeof __ADDON_VERSION__ === 'string' ? __ADDON_VERSION__ : 'dev';
}

export function connectionStatus(): ConnectionStatus {
  const ctx = context();
  let selected: AuthorizedShop | null = null;
  let problem: string | null = null;
  try {
    selected = ctx.userStore.get(STORE_KEYS.token) !== null ? currentShop(ctx) : null;
  } catch (e) {
    problem = messageOf(e);
  }
  const state = readRefreshState(ctx.documentStore);
  const cp = readCheckpoint(ctx.documentStore);
  return {
    addon: 'TikTok Shop Profit',
    version: version(),
    appConfigured: hasAppCredentials(ctx.userStore) || scriptStore().get(PUBLISHER_KEYS.shopApp) !== null,
    connected: selected !== null && ctx.userStore.get(STORE_KEYS.token) !== null,
    shop: selected ? { id: selected.id, name: selected.name, region: selected.region } : null,
    shops: loadAuthorizedShops(ctx.userStore).map((s) => ({ id: s.id, name: s.name, region: s.region })),
    lastRefreshTime: lastRefreshOf(cp),
    reportsTime: state.reportsTime,
    refreshProgress: cp.run ? progressOf(cp.run) : null,
    problem,
    schedule: withLastRun(loadSchedule(ctx), loadScheduledRun(ctx)),
    summary: loadSummary(ctx),
    ads: adsStatus(ctx),
  };
}

/** Saves the seller's TikTok app (user properties only). */
export function saveApp(input: unknown): void {
  saveAppCredentials(userContext().userStore, input);
}

/** The link the seller opens to authorize the app; its state routes the redirect to authCallback. */
export function connectLink(): string {
  const ctx = userContext();
  return auth(ctx, shopApp(ctx)).authorizeUrl();
}

export interface CallbackRequest {
  parameter?: Record<string, string | undefined>;
}

/**
 * TikTok redirected back (through Google's /usercallback): check the state, exchange the code and
 * list the shops the seller granted. Only the user's properties are touched: the callback runs
 * outside the spreadsheet (an add-on's /usercallback has no active document), so the shop is
 * selected for a workbook from the sidebar, or by the first refresh when there is exactly one.
 * Returns the page the seller sees in that tab.
 */
export function completeConnection(request: CallbackRequest): GoogleAppsScript.HTML.HtmlOutput {
  const p = request?.parameter ?? {};
  let text: string;
  try {
    const ctx = userContext();
    const app = shopApp(ctx);
    const tokens = auth(ctx, app);
    const token = tokens.handleCallback({ code: p.code ?? null, state: p.state ?? null, error: p.error ?? null });
    const shops = getAuthorizedShops(client(ctx, app, tokens, null));
    saveAuthorizedShops(ctx.userStore, shops);
    const who = token.sellerName || 'the seller';
    if (shops.length === 1) {
      text = `Connected to ${shops[0].name || shops[0].id} as ${who}. Close this tab and click Refresh in the sidebar.`;
    } else if (shops.length === 0) {
      text = 'The authorization granted no shop. Authorize again and tick the shop to connect.';
    } else {
      text = `Connected as ${who} to ${shops.length} shops. Close this tab and pick the shop for this workbook in the sidebar.`;
    }
  } catch (e) {
    text = `The shop was not connected: ${messageOf(e)}`;
  }
  return HtmlService.createHtmlOutput(`<!DOCTYPE html><html><body style="font-family:Arial,sans-serif;margin:24px"><p>${escapeHtml(text)}</p></body></html>`)
    .setTitle('TikTok Shop Profit');
}

/**
 * The shop this user syncs into this workbook: the one chosen, else the only one the
 * authorization granted (chosen now, and the workbook's tabs set up), else none.
 */
function currentShop(ctx: Context): AuthorizedShop | null {
  const chosen = loadSelectedShop(ctx.userStore, ctx.spreadsheetId);
  if (chosen) return chosen;
  const shops = loadAuthorizedShops(ctx.userStore);
  if (shops.length !== 1) return null;
  const shop = selectShop(ctx.userStore, ctx.documentStore, ctx.spreadsheetId, shops[0].id);
  setUpTabs(ctx);
  return shop;
}

/** Picks one of the authorized shops for this workbook and sets up its tabs. */
export function chooseShop(shopId: string): void {
  const ctx = context();
  selectShop(ctx.userStore, ctx.documentStore, ctx.spreadsheetId, String(shopId));
  setUpTabs(ctx);
}

/** Forgets this user's tokens and shop choice; the workbook keeps its data and reports. */
export function disconnectShop(): void {
  const ctx = context();
  disconnect(ctx.userStore, ctx.spreadsheetId, [STORE_KEYS.token, STORE_KEYS.states]);
}

// ---------------------------------------------------------------- refresh

/**
 * One step of a refresh, within one execution: pull and write a chunk (resuming the saved run,
 * or starting an incremental one, or the first backfill), then rebuild the report tabs when the
 * run is complete. The sidebar calls it until `done`; the menu and the trigger call it once.
 */
export function refreshStep(startedMs: number = Date.now(), firstOfExecution = true): RefreshProgress {
  const ctx = context();
  const app = shopApp(ctx);
  const shop = currentShop(ctx);
  if (!shop) {
    const n = loadAuthorizedShops(ctx.userStore).length;
    throw new NotConnectedError(n > 1
      ? `No shop is selected for this workbook: pick one of the ${n} authorized shops in the sidebar (Connect).`
      : 'No shop is connected for this workbook: connect a TikTok shop in the sidebar (Connect).');
  }
  const workbookShop = loadWorkbookShop(ctx.documentStore);
  if (workbookShop && workbookShop.id !== shop.id) {
    throw new Error(`This workbook holds the data of shop "${workbookShop.name}" (${workbookShop.id}), not "${shop.name}" (${shop.id}); refresh it from a spreadsheet of its own`);
  }
  setUpTabs(ctx);
  // Read (and so validate) the user's tabs before any call: a bad setting stops here, with nothing written.
  const inputs = userInputs(ctx);
  const out: RefreshProgress = { done: false, phase: 'pulling', progress: 0, written: 0, calls: 0, message: '', lastRefreshTime: lastRefreshOf(readCheckpoint(ctx.documentStore)) };

  let capacity: CapacityEstimate | null = null;
  /** This step completed a shop run (which may have changed nothing: then, with no new ad spend, no report is rewritten). */
  let completedNow = false;
  // A step that pulled for long has spent its time: it starts the rebuild only when the measured time fits.
  const pulling = !reportsDue(ctx);
  if (pulling) {
    const tokens = auth(ctx, app);
    const cp0 = readCheckpoint(ctx.documentStore);
    const lock0 = ctx.ports.documentLock();
    if (cp0.watermark === null && cp0.run === null && !(cp0.completed ?? 0) && lock0.tryLock(0)) {
      // Before the first backfill (and not while another refresh runs): will it fit in the workbook? (capacity.ts)
      try {
        capacity = firstBackfillEstimate(ctx, client(ctx, app, tokens, shop), inputs.backfillDays);
      } finally {
        lock0.release();
      }
      if (capacity && !capacity.fits) throw new Error(capacity.message);
    }
    const r = runRefreshChunk(
      {
        client: client(ctx, app, tokens, shop), gateway: ctx.dataGateway, documentStore: ctx.documentStore, lock: ctx.ports.documentLock(),
        clock: ctx.ports.clock, budget: { deadlineMs: startedMs + PULL_DEADLINE_MS, safetyMarginMs: PULL_SAFETY_MARGIN_MS, maxCells: MAX_CHUNK_CELLS, writeMsPerCell: WRITE_MS_PER_CELL },
      },
      { backfillDays: inputs.backfillDays, timeZone: inputs.settings.timezone, currency: inputs.settings.currency },
    );
    out.written = r.written;
    out.calls = r.calls;
    out.progress = r.progress;
    if (r.reason === ANOTHER_REFRESH) {
      return { ...out, phase: 'busy', message: 'Another refresh of this workbook is running (someone else, or a scheduled one). Try again in a few minutes.' };
    }
    if (!r.done) return { ...out, message: `Pulled ${Math.round(r.progress * 100)}% of the data; continuing.${capacity ? ` ${capacity.message}` : ''}` };
    out.lastRefreshTime = lastRefreshOf(readCheckpoint(ctx.documentStore));
    completedNow = true;
  }

  out.progress = 1;
  const lock = ctx.ports.documentLock();
  if (!lock.tryLock(0)) return { ...out, phase: 'busy', message: 'Another refresh of this workbook is running. Try again in a few minutes.' };
  let adsNote = '';
  try {
    const ads = pullAdsIfDue(ctx, inputs, shop.id);
    out.calls += ads.calls;
    out.written += ads.written;
    adsNote = ads.problem ? ` Ad spend was NOT updated: ${ads.problem}` : '';
    // A run that changed no shop row and brought no new ad spend leaves the reports as they are.
    if (completedNow && ads.written === 0 && skipUnchangedRun(ctx, inputs)) {
      return { ...out, done: true, phase: 'done', progress: 1, message: `Refresh complete: nothing new since the last refresh; the reports are as they were.${adsNote}` };
    }
    // The reports read the Campaign map the ads pull may just have filled.
    if (ads.calls > 0) inputs.campaignMap = readCampaignMap(ctx.gateway);
    const r = writeDueReports(ctx, inputs, startedMs, firstOfExecution && (!pulling || Date.now() - startedMs < EXECUTION_LIMIT_MS / 3));
    if (!r.complete) return { ...out, phase: 'reports', message: `Data is up to date; ${r.written} of ${r.total} report tabs written, the rest next.${adsNote}` };
  } finally {
    lock.release();
  }
  return { ...out, done: true, phase: 'done', message: `Refresh complete: data and reports are up to date.${adsNote}` };
}

// ---------------------------------------------------------------- ads account (Marketing API)

function adsPorts(ctx: UserContext): AdsPorts {
  return { userStore: ctx.userStore, scriptStore: scriptStore(), deps: { transport: ctx.ports.transport, clock: ctx.ports.clock, random: ctx.ports.random } };
}

/** The chosen ad accounts' spend, once per completed shop run (call with the document lock held); see ads-server.ts. */
function pullAdsIfDue(ctx: Context, inputs: ReturnType<typeof userInputs>, shopId: string): AdsPullOutcome {
  return pullAdsForRun({ ...adsPorts(ctx), documentStore: ctx.documentStore, spreadsheetId: ctx.spreadsheetId, dataGateway: ctx.dataGateway, gateway: ctx.gateway },
    { backfillDays: inputs.backfillDays, rereadDays: inputs.adRereadDays, currency: inputs.settings.currency, rates: inputs.adCurrencyRates },
    readCheckpoint(ctx.documentStore).completed ?? null, shopId);
}

function adsStatus(ctx: Context): AdsStatus {
  return adsStatusOf(ctx.userStore, ctx.documentStore, scriptStore());
}

/** Saves the seller's own Marketing API app (user properties only). */
export function saveAdsApp(input: unknown): void {
  storeAdsApp(userContext().userStore, input);
}

/** The TikTok for Business authorize link; its state routes the redirect to adsAuthCallback. */
export function adsConnectLink(): string {
  const ctx = userContext();
  const state = ScriptApp.newStateToken().withMethod('adsAuthCallback').withTimeout(STATE_TTL_SECONDS).createToken();
  return adsAuthorizeLink(adsPorts(ctx), state, STATE_TTL_SECONDS, `https://script.google.com/macros/d/${ScriptApp.getScriptId()}/usercallback`);
}

/** TikTok for Business redirected back: the page the seller sees in that tab. */
export function completeAdsConnection(request: CallbackRequest): GoogleAppsScript.HTML.HtmlOutput {
  const text = finishAdsAuthorization(adsPorts(userContext()), request?.parameter ?? {});
  return HtmlService.createHtmlOutput(`<!DOCTYPE html><html><body style="font-family:Arial,sans-serif;margin:24px"><p>${escapeHtml(text)}</p></body></html>`)
    .setTitle('TikTok Shop Profit');
}

/** Chooses the ad accounts whose spend this workbook takes; the next refresh pulls them. */
export function chooseAdAccounts(ids: unknown): AdsStatus {
  if (!Array.isArray(ids)) throw new Error('Ad accounts: expected a list of ad account ids');
  const ctx = context();
  setUpTabs(ctx);
  const inputs = userInputs(ctx);
  chooseWorkbookAdAccounts(ctx.userStore, ctx.documentStore, ctx.spreadsheetId, ids.map(String), inputs.settings.currency, inputs.adCurrencyRates);
  return adsStatus(ctx);
}

/** Forgets the ads token (and tells TikTok), the app and the choice; the Ad spend rows stay. */
export function disconnectAdsAccount(): AdsStatus {
  const ctx = context();
  disconnectWorkbookAds({ ...adsPorts(ctx), documentStore: ctx.documentStore, spreadsheetId: ctx.spreadsheetId });
  return adsStatus(ctx);
}

/**
 * A completed run that changed no row, right after a run whose reports are written: the reports
 * would come out the same (but for their as-of), so they are not rewritten — an hourly schedule
 * on a quiet shop costs a pull, not a rebuild. Returns whether the run was marked as reported.
 */
function skipUnchangedRun(ctx: Context, inputs: UserInputs): boolean {
  const cp = readCheckpoint(ctx.documentStore);
  const state = readRefreshState(ctx.documentStore);
  const completed = cp.completed ?? 0;
  if (cp.run !== null || cp.lastRunChanged !== false || state.rebuild || state.reportsRun !== completed - 1) return false;
  // The seller's own tabs (COGS, costs, settings) move the reports too: they must be as last rebuilt.
  if (ctx.documentStore.get(INPUTS_KEY) !== inputsFingerprint(inputs)) return false;
  writeRefreshState(ctx.documentStore, { ...state, reportsRun: completed });
  // The data is as fresh as this run: the status says so, though no report was rewritten.
  const summary = loadSummary(ctx);
  if (summary) {
    saveSummary(ctx, { ...summary, freshness: summary.freshness.map((f) => (f.source === 'TikTok Shop refresh' ? { ...f, latest: lastRefreshOf(cp) } : f)) });
  }
  return true;
}

/**
 * The capacity estimate before the first backfill: the shop's orders of the last 7 days (one
 * Search Orders call of page size 1: its total_count) per day × Backfill days × cells per order,
 * against what the workbook holds. Null when TikTok gives no total (the estimate changes no
 * figure: the backfill goes ahead).
 */
function firstBackfillEstimate(ctx: Context, api: TikTokShopClient, backfillDays: number): CapacityEstimate | null {
  const now = Math.floor(ctx.ports.clock.now());
  const data = api.call<{ total_count?: unknown }>({
    method: 'POST', path: pathOf('ordersSearch'),
    query: { page_size: 1, sort_field: 'create_time', sort_order: 'DESC' },
    body: { create_time_ge: now - 7 * 86400, create_time_lt: now },
  });
  const total = Number(data?.total_count);
  if (!Number.isFinite(total) || total < 0) return null;
  let cellsNow = 0;
  for (const sheet of ctx.spreadsheet.getSheets()) cellsNow += sheet.getMaxRows() * sheet.getMaxColumns();
  return estimateCapacity({ ordersPerDay: total / 7, backfillDays, cellsNow });
}

/** When the data was last completely refreshed: the end of the last complete run's window. */
function lastRefreshOf(cp: ReturnType<typeof readCheckpoint>): number | null {
  const w = cp.watermark ?? cp.previousWatermark ?? null;
  return w === null ? null : w - 1;
}

/** A run has completed since the report tabs were last completely written. */
function reportsDue(ctx: Context): boolean {
  const cp = readCheckpoint(ctx.documentStore);
  return dueRun(cp, readRefreshState(ctx.documentStore)) !== null;
}

/** The completed run whose reports are not written yet, or null. */
function dueRun(cp: ReturnType<typeof readCheckpoint>, state: RefreshState): number | null {
  const completed = cp.completed ?? 0;
  return cp.run === null && completed > 0 && completed !== state.reportsRun ? completed : null;
}

/**
 * Writes the report tabs of the completed run, as many as fit in this execution, one tab at a
 * time: a tab is started only when its estimated time (last measured × 1.25) still ends
 * STEP_SAFETY_MARGIN_MS before the 6-minute limit. The as-of is pinned when a rebuild starts, so
 * tabs written in different executions agree. Call with the document lock held.
 */
/**
 * A report cell is written about three times (its value, its number format, its style), each at
 * the published write cost: measured, Order margin of a 4,800-order shop took 248 s under the cost
 * model, 0.88 ms a cell.
 */
const REPORT_WRITES_PER_CELL = 3;

/**
 * What writing a report tab is expected to take: its last measured time, but never less than its
 * cells at that cost (a tab not measured yet, or grown since, is not a default guess).
 */
function tabEstimateMs(t: { tables: readonly { columns: readonly unknown[]; rows: readonly unknown[] }[] }, measuredMs: number | undefined): number {
  // Each table also writes its stamp, header and notes rows.
  const cells = t.tables.reduce((n, x) => n + (x.rows.length + 3) * x.columns.length, 0);
  return Math.max(measuredMs ?? DEFAULT_TAB_MS, DEFAULT_TAB_MS / 4 + cells * WRITE_MS_PER_CELL * REPORT_WRITES_PER_CELL);
}

function writeDueReports(ctx: Context, inputs: UserInputs & { hideDataTabs?: boolean }, startedMs: number, firstOfExecution = true): { complete: boolean; written: number; total: number } {
  const cp = readCheckpoint(ctx.documentStore);
  let state = readRefreshState(ctx.documentStore);
  const run = dueRun(cp, state);
  if (run === null) return { complete: true, written: 0, total: 0 };
  const fits = (estimateMs: number) => Date.now() - startedMs + estimateMs * ESTIMATE_FACTOR + STEP_SAFETY_MARGIN_MS <= EXECUTION_LIMIT_MS;
  const rebuild = state.rebuild && state.rebuild.run === run
    ? state.rebuild
    : { run, asOf: Math.floor(ctx.ports.clock.now()), written: [] as string[] };
  // A later step of an execution starts the rebuild only when its measured time fits (an estimate is not enough).
  if (!fits(state.timings.computeMs ?? (firstOfExecution ? DEFAULT_COMPUTE_MS : EXECUTION_LIMIT_MS))) return { complete: false, written: rebuild.written.length, total: 0 };

  const computeStart = Date.now();
  const { tabs, data, margins } = computeReports(ctx.gateway, inputs, { asOf: rebuild.asOf, lastRefreshTime: lastRefreshOf(cp) });
  saveSummary(ctx, workbookSummary(data, margins, lastRefreshOf(cp)));
  state = { ...state, rebuild, timings: { ...state.timings, computeMs: Date.now() - computeStart } };
  writeRefreshState(ctx.documentStore, state);
  let writtenNow = 0;
  for (const t of tabs) {
    if (rebuild.written.includes(t.tab)) continue;
    // The first tab of a step is always attempted: a tab that never "fits" would stall the refresh.
    // (Only in a step that began its execution: a later step of the same one has spent time already.)
    if ((writtenNow > 0 || !firstOfExecution) && !fits(tabEstimateMs(t, state.timings.tabMs[t.tab]))) return { complete: false, written: rebuild.written.length, total: tabs.length };
    // A tab whose write Apps Script stopped twice (6 minutes) would be tried forever: say so instead.
    const trying = readTrying(ctx);
    const attempts = trying && trying.run === run && trying.tab === t.tab ? trying.attempts : 0;
    if (attempts >= 2) {
      throw new Error(`The ${t.tab} tab could not be written: twice Apps Script stopped this execution at its 6-minute limit while writing it. `
        + 'The workbook holds more than the add-on can write in one execution; use a new spreadsheet with fewer "Backfill days" on the Settings tab.');
    }
    ctx.documentStore.set(TRYING_KEY, JSON.stringify({ run, tab: t.tab, attempts: attempts + 1 }));
    const tabStart = Date.now();
    writeReportTab(ctx.spreadsheet as unknown as ReportSpreadsheetLike, t.tab, t.tables, reportOptions());
    ctx.documentStore.delete(TRYING_KEY);
    rebuild.written.push(t.tab);
    writtenNow++;
    state = { ...state, rebuild, timings: { ...state.timings, tabMs: { ...state.timings.tabMs, [t.tab]: Date.now() - tabStart } } };
    writeRefreshState(ctx.documentStore, state);
  }
  // Putting the tabs in order is one more step of the rebuild, timed and fitted like a tab.
  if (writtenNow > 0 && !fits(state.timings.tabMs[TAB_ORDER_STEP] ?? DEFAULT_TAB_MS)) return { complete: false, written: rebuild.written.length, total: tabs.length };
  const arrangeStart = Date.now();
  arrange(ctx, inputs.hideDataTabs);
  state = { ...state, timings: { ...state.timings, tabMs: { ...state.timings.tabMs, [TAB_ORDER_STEP]: Date.now() - arrangeStart } } };
  writeRefreshState(ctx.documentStore, { ...state, reportsRun: run, reportsTime: Math.floor(ctx.ports.clock.now()), rebuild: null });
  ctx.documentStore.set(INPUTS_KEY, inputsFingerprint(inputs));
  return { complete: true, written: tabs.length, total: tabs.length };
}

/** The fingerprint of the seller's tabs the report tabs were last completely built from. */
const INPUTS_KEY = 'tts.reports.inputs';

/** FNV-1a over the inputs' JSON: equal inputs, equal fingerprint (a change is a rebuild). */
function inputsFingerprint(inputs: UserInputs): string {
  const text = JSON.stringify([inputs.settings, inputs.cogs, inputs.fixedCosts, inputs.creatorFees]);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${text.length}:${h.toString(16)}`;
}

/** The report tab being written, and how many executions started it (document property). */
const TRYING_KEY = 'tts.reports.trying';

function readTrying(ctx: Context): { run: number; tab: string; attempts: number } | null {
  const raw = ctx.documentStore.get(TRYING_KEY);
  if (raw === null) return null;
  try {
    const v = JSON.parse(raw) as { run: number; tab: string; attempts: number };
    return typeof v.tab === 'string' && typeof v.attempts === 'number' ? v : null;
  } catch {
    return null;
  }
}

/** Recomputes every report tab from the data tabs and the user's tabs now, without calling TikTok. */
export function rebuildReportTabs(): void {
  const ctx = context();
  const inputs = userInputs(ctx);
  const lock = ctx.ports.documentLock();
  if (!lock.tryLock(0)) throw new Error('A refresh of this workbook is running; rebuild the reports when it has finished.');
  try {
    rebuildAllReports(ctx, inputs);
  } finally {
    lock.release();
  }
}

/** Every report tab rewritten from the workbook as it is, in one execution. Call with the document lock held. */
function rebuildAllReports(ctx: Context, inputs: UserInputs & { hideDataTabs?: boolean }): void {
  const cp = readCheckpoint(ctx.documentStore);
  const { data, margins } = rebuildReports(ctx.gateway, ctx.spreadsheet as unknown as ReportSpreadsheetLike, inputs, {
    ...reportOptions(), asOf: Math.floor(ctx.ports.clock.now()), lastRefreshTime: lastRefreshOf(cp),
  });
  saveSummary(ctx, workbookSummary(data, margins, lastRefreshOf(cp)));
  arrange(ctx, inputs.hideDataTabs);
  const state = readRefreshState(ctx.documentStore);
  // A complete rebuild of the data as it is: a pending one (if the run is complete) is done too.
  const reportsRun = cp.run === null ? cp.completed ?? null : state.reportsRun;
  writeRefreshState(ctx.documentStore, { ...state, reportsRun, reportsTime: Math.floor(ctx.ports.clock.now()), rebuild: null });
  ctx.documentStore.set(INPUTS_KEY, inputsFingerprint(inputs));
}

/** Forgets the sync cursor: the next refresh backfills the whole window again (rows are upserted, not duplicated). */
export function resetSyncCursor(): void {
  const ctx = context();
  const lock = ctx.ports.documentLock();
  if (!lock.tryLock(10_000)) throw new Error('A refresh of this workbook is running; try again when it has finished.');
  try {
    // A new backfill from scratch; the data and the count of completed runs stay, and so does
    // when the data was last complete (the status keeps saying so until the new run ends).
    const cp = readCheckpoint(ctx.documentStore);
    ctx.documentStore.set(CHECKPOINT_KEY, JSON.stringify({
      v: 1, watermark: null, run: null, completed: cp.completed ?? 0, previousWatermark: cp.watermark ?? cp.previousWatermark ?? null,
    }));
    const state: RefreshState = readRefreshState(ctx.documentStore);
    writeRefreshState(ctx.documentStore, { ...state, rebuild: null });
  } finally {
    lock.release();
  }
}

/** Menu "Refresh now": one step, reported in a toast. */
export function refreshFromMenu(): void {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  try {
    const r = refreshStep();
    ss.toast(r.done ? r.message : `${r.message} Run Refresh now again (or open the sidebar) to continue.`, 'TikTok Shop Profit', 10);
  } catch (e) {
    ss.toast(messageOf(e), 'TikTok Shop Profit: refresh stopped', 30);
  }
}

/** Menu "Rebuild reports". */
export function rebuildFromMenu(): void {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  try {
    rebuildReportTabs();
    ss.toast('The report tabs were rebuilt from the data tabs.', 'TikTok Shop Profit', 10);
  } catch (e) {
    ss.toast(messageOf(e), 'TikTok Shop Profit: reports not rebuilt', 30);
  }
}

// ---------------------------------------------------------------- status summary

function saveSummary(ctx: Context, summary: WorkbookSummary): void {
  ctx.documentStore.set(DOCUMENT_KEYS.summary, JSON.stringify(summary));
}

function loadSummary(ctx: Context): WorkbookSummary | null {
  const raw = ctx.documentStore.get(DOCUMENT_KEYS.summary);
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as WorkbookSummary;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- scheduled refresh

/** The global a time-driven trigger runs (src/index.ts). */
export const SCHEDULE_HANDLER = 'scheduledRefresh';
const SCHEDULE_MODES: readonly ScheduleMode[] = ['off', 'hourly', 'daily'];

function loadSchedule(ctx: Context): ScheduleStatus {
  const raw = ctx.userStore.get(USER_KEYS.schedulePrefix + ctx.spreadsheetId);
  if (raw === null) return { mode: 'off', hour: null };
  try {
    const v = JSON.parse(raw) as ScheduleStatus;
    return SCHEDULE_MODES.includes(v.mode) ? { mode: v.mode, hour: v.mode === 'daily' ? v.hour : null } : { mode: 'off', hour: null };
  } catch {
    return { mode: 'off', hour: null };
  }
}

/**
 * Off, hourly, or daily at an hour (the spreadsheet's timezone): one time-driven trigger per user
 * and document. Add-ons may run time-driven triggers at most hourly. The triggers of this handler
 * this user has in this document are deleted first, so a change replaces, never duplicates.
 */
export function setRefreshSchedule(mode: unknown, hour?: unknown): ScheduleStatus {
  if (typeof mode !== 'string' || !SCHEDULE_MODES.includes(mode as ScheduleMode)) {
    throw new Error(`Schedule: expected "off", "hourly" or "daily", got ${JSON.stringify(mode)}`);
  }
  const m = mode as ScheduleMode;
  const h = m === 'daily' ? Number(hour) : null;
  if (m === 'daily' && !(Number.isInteger(h) && h! >= 0 && h! <= 23)) {
    throw new Error(`Schedule: a daily refresh needs an hour from 0 to 23, got ${JSON.stringify(hour)}`);
  }
  const ctx = context();
  const lock = ctx.ports.userLock();
  if (!lock.tryLock(10_000)) throw new Error('Schedule: another change of your schedule is being saved; try again.');
  try {
    for (const t of ScriptApp.getUserTriggers(ctx.spreadsheet)) {
      if (t.getHandlerFunction() === SCHEDULE_HANDLER) ScriptApp.deleteTrigger(t);
    }
    if (m === 'hourly') ScriptApp.newTrigger(SCHEDULE_HANDLER).timeBased().everyHours(1).create();
    if (m === 'daily') ScriptApp.newTrigger(SCHEDULE_HANDLER).timeBased().atHour(h!).everyDays(1).inTimezone(ctx.spreadsheet.getSpreadsheetTimeZone()).create();
    const status: ScheduleStatus = { mode: m, hour: h };
    if (m === 'off') ctx.userStore.delete(USER_KEYS.schedulePrefix + ctx.spreadsheetId);
    else ctx.userStore.set(USER_KEYS.schedulePrefix + ctx.spreadsheetId, JSON.stringify(status));
    return status;
  } finally {
    lock.release();
  }
}

/** Where the last scheduled run's outcome is kept (document properties: no secret in it). */
export const SCHEDULED_RUN_KEY = 'tts.schedule.lastRun';

/**
 * The trigger's run: refresh steps, unattended, as many as fit in this one execution (each step
 * knows the execution started at `started` and stops in time). A refresh that still could not
 * finish (a large first backfill) continues at the next run, so a backfill spreads over the
 * scheduled runs, each inside Apps Script's daily trigger-runtime quota. The outcome (done, still
 * going, or the error) is kept for the sidebar's status; errors also go to the execution log
 * (no secret is in them).
 */
export function runScheduledRefresh(): void {
  const started = Date.now();
  let outcome: ScheduledRun;
  try {
    // Kept first: a run Apps Script stops at its 6-minute limit never reports back, and the status must say so.
    context().documentStore.set(SCHEDULED_RUN_KEY, JSON.stringify({
      at: Math.floor(started / 1000), outcome: 'continuing', message: 'This run did not finish: Apps Script may have stopped it at its 6-minute limit. The next run continues from where it stopped.',
    } satisfies ScheduledRun));
    let r = refreshStep(started);
    for (let i = 0; i < 20 && !r.done && r.phase !== 'busy' && Date.now() - started < PULL_DEADLINE_MS; i++) {
      const before = r.progress;
      const next = refreshStep(started, false);
      const stalled = next.phase === r.phase && next.progress === before && next.written === 0 && next.calls === 0;
      r = next;
      if (stalled) break;
    }
    outcome = { at: Math.floor(started / 1000), outcome: r.done ? 'done' : r.phase === 'busy' ? 'busy' : 'continuing', message: r.message };
    console.log(`Scheduled refresh: ${r.message}`);
  } catch (e) {
    outcome = { at: Math.floor(started / 1000), outcome: 'error', message: messageOf(e) };
    console.error(`Scheduled refresh stopped: ${messageOf(e)}`);
  }
  try {
    const ctx = context();
    ctx.documentStore.set(SCHEDULED_RUN_KEY, JSON.stringify(outcome));
  } catch (e) {
    console.error(`Scheduled refresh: its outcome could not be saved: ${messageOf(e)}`);
  }
}

function withLastRun(schedule: ScheduleStatus, lastRun: ScheduledRun | null): ScheduleStatus {
  return lastRun ? { ...schedule, lastRun } : schedule;
}

function loadScheduledRun(ctx: Context): ScheduledRun | null {
  const raw = ctx.documentStore.get(SCHEDULED_RUN_KEY);
  if (raw === null) return null;
  try {
    const v = JSON.parse(raw) as ScheduledRun;
    return typeof v.at === 'number' && typeof v.message === 'string' ? v : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- settings form, COGS jump

/** Where the Settings tab's Setting, Value and What it means columns are (help: -1 when gone). */
function settingsColumns(headers: readonly string[]): { label: number; value: number; help: number } {
  const col = (name: string) => headers.findIndex((h) => normalizeHeader(h) === normalizeHeader(name));
  const [label, value, help] = SETTINGS_HEADERS.map(col);
  if (label < 0 || value < 0) throw new Error('The Settings tab has lost its "Setting" or "Value" column: restore the header row (Setting | Value | What it means).');
  return { label, value, help };
}

/** The Settings tab's rows, for the sidebar's form. */
export function settingsForm(): SettingField[] {
  const ctx = context();
  setUpTabs(ctx);
  const { headers, rows } = ctx.gateway.read(SETTINGS_TAB);
  const { label, value, help } = settingsColumns(headers);
  return rows
    .filter((r) => String(r[label] ?? '').trim() !== '')
    .map((r) => ({ label: String(r[label]), value: formValue(r[value]), help: help >= 0 ? String(r[help] ?? '') : '' }));
}

function formValue(v: unknown): string | number | boolean {
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return v === null || v === undefined ? '' : String(v);
}

/**
 * Saves the form's values into the Settings tab's Value cells. The edited tab is checked first
 * exactly as a refresh reads it; an invalid value is refused with its setting named and nothing
 * is written.
 */
export function saveSettingsForm(values: unknown): void {
  if (!Array.isArray(values)) throw new Error('Settings: expected a list of {label, value}');
  const ctx = context();
  setUpTabs(ctx);
  const data = ctx.gateway.read(SETTINGS_TAB);
  const { label: labelAt, value: valueAt } = settingsColumns(data.headers);
  const rows = data.rows.map((r) => [...r]);
  for (const item of values as { label?: unknown; value?: unknown }[]) {
    const label = String(item?.label ?? '').trim();
    const row = rows.find((r) => String(r[labelAt]).trim().toLowerCase() === label.toLowerCase());
    if (!row) throw new Error(`Settings: there is no "${label}" row on the Settings tab`);
    const v = item.value;
    const text = String(v ?? '').trim();
    // A number typed in the form is a number in the cell (as typing it in Sheets would make it);
    // other text stays text, never a formula.
    row[valueAt] = typeof v === 'number' || typeof v === 'boolean' ? v : /^[+-]?\d+(\.\d+)?$/.test(text) ? Number(text) : escapeCell(text);
  }
  // What the cells will hold once written (the quote prefix is not part of the value).
  const edited = { headers: data.headers, rows: rows.map((r) => r.map(unescapeCell)) };
  // Checked as a refresh reads it, on the edited copy: nothing is written when a value is refused.
  readSettings(memoryGateway(SETTINGS_TAB, edited), workbookDefaults(ctx), ctx.spreadsheet.getSpreadsheetTimeZone());
  ctx.gateway.write(SETTINGS_TAB, { headers: data.headers, rows, sameHeaders: true });
}

/** A one-tab gateway over values in memory (for checking an edit before it is written). */
function memoryGateway(tab: string, data: TabData): SheetGateway {
  return {
    read: (t) => (t === tab ? data : { headers: [], rows: [] }),
    write: () => {
      throw new Error('memoryGateway is read-only');
    },
    ensureTab: () => undefined,
  };
}

/** Status → a SKU without cost: the COGS tab, on that SKU's row (added with a blank cost when missing). */
export function goToCostOfSku(sku: unknown): void {
  const id = String(sku ?? '').trim();
  if (!id) throw new Error('Which SKU? Expected the SKU from the list of SKUs without cost.');
  const ctx = context();
  setUpTabs(ctx);
  const sheet = ctx.spreadsheet.getSheetByName(COGS_TAB);
  if (!sheet) throw new Error('The COGS tab is missing: open the sidebar again to recreate it.');
  const last = Math.max(1, sheet.getLastRow());
  const skus = sheet.getRange(1, 1, last, 1).getValues().map((r) => String(r[0]).trim());
  let row = skus.indexOf(id) + 1;
  if (row < 2) {
    row = last + 1;
    if (sheet.getMaxRows() < row) sheet.insertRowsAfter(sheet.getMaxRows(), row - sheet.getMaxRows());
    sheet.getRange(row, 1, 1, 3).setValues([[escapeCell(id), '', workbookDefaults(ctx).currency]]);
  }
  sheet.activate();
  sheet.getRange(row, 2).activate();
}

// ---------------------------------------------------------------- Seller Center file imports

const KIND_LABELS: Record<ImportPreview['kind'], string> = {
  orders: 'the US order export (OrderSKUList)',
  statement_us: 'the US finance statement ("Order details")',
  income_sea: 'the SEA "Income" export',
  unsettled: 'the unsettled orders export (TikTok\'s estimates for orders not yet settled)',
};

/** The sidebar sends the file as base64 (google.script.run carries text); Apps Script decodes to signed bytes. */
function decodeUpload(fileName: unknown, base64: unknown): { name: string; bytes: Uint8Array } {
  const name = String(fileName ?? '').trim();
  if (!name) throw new Error('Import: the file has no name.');
  if (typeof base64 !== 'string' || base64.length === 0) throw new Error(`Import: ${name} is empty.`);
  const signed = Utilities.base64Decode(base64);
  return { name, bytes: Uint8Array.from(signed, (b) => b & 0xff) };
}

function readUpload(fileName: unknown, base64: unknown, { settings }: UserInputs, now: number): { preview: ImportPreview; data: Partial<ShopData> } {
  const { name, bytes } = decodeUpload(fileName, base64);
  const tables = readExportFile(name, bytes);
  // `now` stamps the estimates of an unsettled orders export (the file does not say when it was made).
  const result = importExport(name, tables.sheets.map((sh) => ({ name: sh.name, rows: sh.rows })), { currency: settings.currency, timezone: settings.timezone }, { now });
  const records = DATA_TABS
    .map((def) => ({ tab: def.tab, count: (result.data as Record<string, unknown[] | undefined>)[def.kind]?.length ?? 0 }))
    .filter((r) => r.count > 0);
  return {
    preview: { file: name, kind: result.kind, kindLabel: KIND_LABELS[result.kind], rows: result.rows, from: result.from, to: result.to, records, notes: result.notes },
    data: result.data,
  };
}

function pulledOf(data: Partial<ShopData>): PulledData {
  const p = emptyPulledData();
  for (const k of Object.keys(p) as (keyof PulledData)[]) {
    const v = (data as Record<string, unknown>)[k];
    if (Array.isArray(v)) (p as unknown as Record<string, unknown[]>)[k] = v;
  }
  return p;
}

/** Sidebar (Import): what the file is and holds; nothing is written. */
export function previewUpload(fileName: unknown, base64: unknown): ImportPreview {
  const ctx = context();
  setUpTabs(ctx);
  return readUpload(fileName, base64, userInputs(ctx), Math.floor(ctx.ports.clock.now())).preview;
}

/**
 * Sidebar (Import → Confirm): the file's records upserted into the data tabs by key (the same
 * file twice, or overlapping files, change nothing twice), then the reports rebuilt. The whole
 * file is read and checked before the first write: a bad file changes nothing.
 */
export function importUpload(fileName: unknown, base64: unknown): ImportOutcome {
  const ctx = context();
  setUpTabs(ctx);
  const inputs = userInputs(ctx);
  const { preview, data } = readUpload(fileName, base64, inputs, Math.floor(ctx.ports.clock.now()));
  const lock = ctx.ports.documentLock();
  if (!lock.tryLock(10_000)) throw new Error('A refresh of this workbook is running; import the file when it has finished.');
  try {
    const upserts = writePulled(ctx.dataGateway, pulledOf(data));
    rebuildAllReports(ctx, inputs);
    const written = upserts.map((u) => ({ tab: u.tab, inserted: u.inserted, updated: u.updated, unchanged: u.unchanged }));
    const changed = written.reduce((a, w) => a + w.inserted + w.updated, 0);
    return {
      ...preview,
      written,
      message: changed === 0
        ? `Nothing new in ${preview.file}: every record was already in the workbook. The reports were rebuilt.`
        : `Imported ${preview.file}: ${changed} rows added or updated. The reports were rebuilt.`,
    };
  } finally {
    lock.release();
  }
}

// ---------------------------------------------------------------- check this deployment

/**
 * Menu "Check this deployment" (and tests): each point only a real deployment settles, run
 * against the real services (deployment-check.ts); nothing in the workbook changes.
 */
export function runDeploymentCheck(): DeploymentCheck[] {
  const ctx = context();
  const app = hasAppCredentials(ctx.userStore) ? loadAppCredentials(ctx.userStore) : null;
  let shop: AuthorizedShop | null = null;
  try {
    shop = app && ctx.userStore.get(STORE_KEYS.token) !== null ? currentShop(ctx) : null;
  } catch {
    shop = null;
  }
  let shopTimeZone: string | null = null;
  try {
    shopTimeZone = shop ? userInputs(ctx).settings.timezone : null;
  } catch {
    shopTimeZone = loadWorkbookShop(ctx.documentStore) ? workbookDefaults(ctx).timezone : null;
  }
  return checkDeployment({
    tiktokGet: app && shop ? () => void getAuthorizedShops(client(ctx, app, auth(ctx, app), null)) : null,
    newStateToken: () => ScriptApp.newStateToken().withMethod('authCallback').withTimeout(60).createToken(),
    redirectUri: () => `https://script.google.com/macros/d/${ScriptApp.getScriptId()}/usercallback`,
    createAndDeleteTrigger: () => {
      const t = ScriptApp.newTrigger(SCHEDULE_HANDLER).timeBased().everyHours(1).create();
      ScriptApp.deleteTrigger(t);
    },
    spreadsheetTimeZone: () => ctx.spreadsheet.getSpreadsheetTimeZone(),
    shopTimeZone: () => shopTimeZone,
  });
}

export function deploymentCheckFromMenu(): void {
  const html = deploymentCheckHtml(runDeploymentCheck());
  SpreadsheetApp.getUi().showModalDialog(HtmlService.createHtmlOutput(html).setWidth(520).setHeight(460), 'TikTok Shop Profit: check this deployment');
}
