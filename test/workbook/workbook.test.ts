/**
 * The BUILT add-on (dist/Code.js) in the local Apps Script runtime against the TikTok Shop
 * sandbox (a child process), read back from the runtime's spreadsheet:
 *
 *   install → connect → the seller's inputs → first refresh (backfill)
 *   1. every data tab = the generator's records at the sandbox clock (diffRecords, EXCLUDED_FIELDS)
 *   3. a second refresh of an unchanged shop writes nothing but the unsettled estimates' fetch stamp
 *   7. no secret in any cell or document/script property; the user properties hold them
 *   2. every report tab = the engine's reports on ground truth, cell by cell; the Profit tab's
 *      order CM3 = the generator's ground-truth order CM3 (less the ad spend the API path lacks)
 *   5. the seller's edits (COGS cost, packaging cost) survive a refresh and move the reports by
 *      the hand-computed amounts
 *   6. a bad COGS cell stops the refresh with its tab, row and column; nothing changes
 *   4. two days later: an incremental refresh (fewer calls) and the tabs = the generator again
 *   2b. the workbook a manager opens: tab order, widths, frozen rows, charts in view, the honest headline
 *   8. LibreOffice Calc renders the workbook (test/render/soffice.ts)
 *
 * One session for the whole file, the tests in this order (each builds on the workbook the
 * previous one left). `npm test` builds dist first; beforeAll builds it again so the file also
 * runs alone (`npx jest test/workbook/workbook.test.ts`).
 *
 * The sandbox clock is frozen (it moves only when the runtime's clock is ≥ 10 s ahead at a
 * request: ClockFollowingTransport). The runtime's clock leaves real time out (realTime: false)
 * and no service call costs time here, so it moves only by the client's retry sleeps and by
 * advance(): what the tests see does not depend on the machine's speed. Where a test needs the
 * shop unchanged between two refreshes it also turns the following off for the second one (the
 * sandbox accepts request timestamps up to 30 s ahead of its clock, asserted before use).
 */
import { execSync } from 'node:child_process';
import { resolve } from 'node:path';
import { startAddonSession, type AddonSession } from '../../dev/addon/session';
import { readReportBlock } from '../../dev/addon/workbook-read';
import { setSetting } from '../../dev/addon/seller-inputs';
import type { GeneratedShop } from '../../dev/generator/shop';
import { diffRecords, EXCLUDED_FIELDS } from '../integration/harness';
import { dayKey } from '../../src/core/time';
import { toMajor } from '../../src/core/money';
import { DATA_TABS } from '../../src/sheets/tabs';
import { REPORT_TAB_NAMES } from '../../src/sheets/report-tabs';
import { toXlsx } from '../../dev/runtime/gas/xlsx';
import { formatDisplay } from '../../dev/runtime/gas/spreadsheet';
import { renderSheets } from '../render/soffice';
import { checkRender } from '../render/check';
import { USER_TABS, readSettings } from '../../src/sheets/user-tabs';
import { AppsScriptGateway } from '../../src/sheets/gateway-appsscript';
import type { RefreshProgress } from '../../src/sheets/server-types';
import type { ShopData } from '../../src/core/records';
import {
  PULLED_KINDS, WORKBOOK_EXCLUDED, allTabValues, apiView, atFixedClock, copyValues, docJson, expectedReportTabs, gridDiff,
  latestEstimates, readDataTabs, runEngine, setCell, tabValues, type SheetValues,
} from './helpers';

jest.setTimeout(240_000);

const ROOT = resolve(__dirname, '../..');
const SEED = 11;
const SHOP = { days: 20, ordersPerDay: 30 };
/** 12:00 UTC on day 18 of the shop (first day 2025-02-17, Los Angeles): two shop days still to come. */
const START = Date.UTC(2025, 1, 17 + 17, 12) / 1000;
const TZ = 'America/Los_Angeles';
const EXCLUDED = { ...EXCLUDED_FIELDS, ...WORKBOOK_EXCLUDED };
/** Kinds compared exactly; unsettled is compared apart after the first refresh (stale estimates, see test 4). */
const EXACT_KINDS = PULLED_KINDS.filter((k) => k !== 'unsettled');

let s: AddonSession;
let firstSteps: RefreshProgress[] = [];
/** The sandbox clock the first refresh pulled at. */
let pulledAt = 0;
/** Start of the first refresh's window (its update window: now − Backfill days). */
let backfillStart = 0;
/** The runtime's clock when the first refresh ended (Unix seconds). */
let refreshEndedAt = 0;

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const calls = (steps: readonly RefreshProgress[]): number => sum(steps.map((x) => x.calls));
const written = (steps: readonly RefreshProgress[]): number => sum(steps.map((x) => x.written));
const dataTabNames = DATA_TABS.map((d) => d.tab);

/**
 * The data tabs vs the generator's records at `asOf` as the API carries them; unsettled is
 * compared by the caller. Products: the whole catalog (the first refresh reads products from the
 * beginning, not only the backfill window; test 1b).
 */
async function compareDataTabs(asOf: number): Promise<{ diffs: string[]; g: GeneratedShop; want: ShopData; got: ReturnType<typeof readDataTabs> }> {
  const g = await s.generated(asOf);
  const all = apiView(g);
  const want = all;
  const got = readDataTabs(s.rt.spreadsheet);
  const diffs = [...got.invalid, ...diffRecords(got.data, want, EXACT_KINDS, EXCLUDED)];
  return { diffs, g, want, got };
}

/** Refresh with the sandbox clock held where it is (see the header). */
function refreshWithShopFrozen(): RefreshProgress[] {
  s.transport.enabled = false;
  try {
    return s.refreshToDone();
  } finally {
    s.transport.enabled = true;
  }
}

async function expectClocksClose(): Promise<void> {
  const ahead = s.clock.nowMs() / 1000 - (await s.sb.clockNow());
  // The sandbox refuses request timestamps more than 30 s ahead of its clock.
  expect(ahead).toBeLessThan(20);
}

beforeAll(async () => {
  execSync('node build.mjs', { cwd: ROOT, stdio: 'pipe' });
  // The clock leaves real time out: the shop stands still between refreshes however long the
  // comparisons take on a loaded machine (see dev/addon/session.ts).
  s = await startAddonSession({ seed: SEED, shop: SHOP, sandbox: { startTime: START }, realTime: false });
  s.install();
  const page = await s.connect();
  expect(page).toMatch(/^Connected to Sandbox Shop 11/);
  await s.enterSellerInputs();
  firstSteps = s.refreshToDone();
  refreshEndedAt = Math.ceil(s.clock.nowMs() / 1000);
  pulledAt = await s.sb.clockNow();
  // The checkpoint after a complete run: watermark = the run's window end (now + 1); the backfill
  // window started Backfill days (90 by default) before now.
  const cp = docJson<{ watermark: number; run: unknown }>(s, 'tts.sync.checkpoint')!;
  expect(cp.run).toBeNull();
  backfillStart = cp.watermark - 1 - 90 * 86400;
});

afterAll(async () => {
  await s?.close();
});

test('1. first refresh: every data tab equals the generator at the sandbox clock; no ad spend (no ads account)', async () => {
  expect(firstSteps[firstSteps.length - 1]).toMatchObject({ done: true, phase: 'done', progress: 1 });
  expect(pulledAt).toBe(START); // the runtime's clock stood still: the sandbox clock never had to follow
  const { diffs, g, want, got } = await compareDataTabs(pulledAt);
  expect(diffs).toEqual([]);

  // Unsettled estimates: one per order, exactly the generator's latest revisions. fetchedTime is
  // the clock when the fetch that read the estimate started (finance.ts: one stamp per fetch). A
  // refresh fetches them in 7-day slices of order create time, one fetch per slice, so: one stamp
  // per slice, a later slice never stamped earlier, every stamp within the refresh. (A refresh is
  // many fetches and may straddle a second, or span executions: it has no single stamp.)
  expect(diffRecords(got.data, want, ['unsettled'], EXCLUDED)).toEqual([]);
  const createTime = new Map(got.data.orders!.map((o) => [o.orderId, o.createTime]));
  const stampsBySlice = new Map<number, Set<number>>();
  for (const e of got.data.unsettled!) {
    expect({ order: e.orderId, known: createTime.has(e.orderId) }).toEqual({ order: e.orderId, known: true });
    const slice = Math.floor((createTime.get(e.orderId)! - backfillStart) / (7 * 86400));
    if (!stampsBySlice.has(slice)) stampsBySlice.set(slice, new Set());
    stampsBySlice.get(slice)!.add(e.fetchedTime);
  }
  expect(stampsBySlice.size).toBeGreaterThan(1); // only recent orders are still unsettled: their weeks are several fetches
  const slices = [...stampsBySlice.keys()].sort((a, b) => a - b);
  for (const k of slices) expect({ slice: k, stamps: stampsBySlice.get(k)!.size }).toEqual({ slice: k, stamps: 1 });
  const stamps = slices.map((k) => [...stampsBySlice.get(k)!][0]);
  expect([...stamps].sort((a, b) => a - b)).toEqual(stamps);
  expect(stamps[0]).toBeGreaterThanOrEqual(pulledAt);
  expect(stamps[stamps.length - 1]).toBeLessThanOrEqual(refreshEndedAt);
  // The data is as of the run's window end (the watermark − 1: the clock when the run started).
  const status = s.rt.run('getStatus') as { lastRefreshTime: number };
  expect(status.lastRefreshTime).toBe(docJson<{ watermark: number }>(s, 'tts.sync.checkpoint')!.watermark - 1);
  expect(status.lastRefreshTime).toBeLessThanOrEqual(stamps[0]);

  // Not vacuous: every kind has records, and the counts match (diffRecords also reports missing/extra).
  for (const k of PULLED_KINDS) expect({ k, n: (got.data[k] as unknown[]).length }).toEqual({ k, n: (want[k] as unknown[]).length });
  expect(want.orders.length).toBeGreaterThan(400);
  for (const k of PULLED_KINDS) expect({ k, nonEmpty: (want[k] as unknown[]).length > 0 }).toEqual({ k, nonEmpty: true });
  expect(got.rows.Returns).toBeGreaterThanOrEqual(want.returns.length);
  // The rows written by the refresh are the rows on the tabs.
  expect(written(firstSteps)).toBe(sum(Object.values(got.rows)));

  // Ad spend: the generator's shop does spend on ads, but no ads account is connected, so nothing is
  // pulled and the Ad spend tab holds its header row only.
  expect(g.data.adSpend.length).toBeGreaterThan(0);
  expect(got.data.adSpend).toEqual([]);
  const adTab = tabValues(s.rt.spreadsheet, 'Ad spend');
  expect(adTab).toHaveLength(1);
  expect(adTab[0][0]).toBe('Advertiser ID');
});

test('1b. the Products tab holds the shop\'s whole catalog, products last edited before the backfill window included', async () => {
  // Products are searched by update time; a product last edited before the backfill window is
  // still on sale, so the first run reads the catalog from the beginning (sync.ts resourceWindow).
  const g = await s.generated(pulledAt);
  const want = apiView(g).products;
  const got = readDataTabs(s.rt.spreadsheet).data.products!;
  const onTab = new Set(got.map((p) => `${p.productId}/${p.skuId}`));
  const sold = new Set(g.data.lines.map((l) => l.skuId));
  const missing = want.filter((p) => !onTab.has(`${p.productId}/${p.skuId}`));
  expect(want.length).toBeGreaterThan(10);
  // The case that matters is present: products last edited before the window.
  expect(want.filter((p) => p.updateTime < backfillStart).length).toBeGreaterThan(10);
  expect({
    missingSkus: missing.length,
    ofWhichSoldInTheWindow: missing.filter((p) => sold.has(p.skuId)).length,
    examples: missing.slice(0, 5).map((p) => `${p.sellerSku} (product updated ${new Date(p.updateTime * 1000).toISOString().slice(0, 10)}, window from ${new Date(backfillStart * 1000).toISOString().slice(0, 10)})`),
  }).toEqual({ missingSkus: 0, ofWhichSoldInTheWindow: 0, examples: [] });
});

test('3. a second refresh of an unchanged shop writes nothing: no data row, not even a fetch stamp, no report', async () => {
  await expectClocksClose();
  const sbBefore = await s.sb.clockNow();
  const before = new Map(dataTabNames.map((t) => [t, copyValues(tabValues(s.rt.spreadsheet, t))]));
  const setValuesBefore = s.rt.spreadsheet.stats.setValuesCalls;
  const steps = refreshWithShopFrozen();
  expect(await s.sb.clockNow()).toBe(sbBefore); // the shop did not move
  expect(steps).toHaveLength(1);
  expect(steps[0]).toMatchObject({ done: true, phase: 'done', written: 0 });
  expect(steps[0].calls).toBeGreaterThan(0);

  const after = new Map(dataTabNames.map((t) => [t, tabValues(s.rt.spreadsheet, t)]));
  for (const t of dataTabNames) expect({ t, diff: gridDiff(after.get(t)!, before.get(t)!) }).toEqual({ t, diff: [] });
  // Re-fetched estimates that say the same keep their first fetch stamp (UNSETTLED_TAB.stampField);
  // and a run that changed no row, with the seller's tabs as they were, rewrites no report.
  const ub = before.get('Unsettled estimates')!;
  expect(ub.length).toBeGreaterThan(10);
  expect(s.rt.spreadsheet.stats.setValuesCalls - setValuesBefore).toBe(0);
  expect(steps[0].message).toBe('Refresh complete: nothing new since the last refresh; the reports are as they were.');
});

test('7. secrets: no cell and no document or script property holds the app secret or a token; the user properties do', () => {
  const user = s.rt.properties.user.map;
  const token = JSON.parse(user.get('tiktok.token') ?? 'null') as { accessToken: string; refreshToken: string } | null;
  expect(token).not.toBeNull();
  const app = JSON.parse(user.get('tiktok.app') ?? 'null') as { appSecret: string } | null;
  expect(app?.appSecret).toBe(s.sb.appSecret);
  const secrets = { appSecret: s.sb.appSecret, accessToken: token!.accessToken, refreshToken: token!.refreshToken };
  for (const [name, v] of Object.entries(secrets)) expect({ name, long: v.length >= 16 }).toEqual({ name, long: true });

  const leaks: string[] = [];
  const check = (where: string, text: string) => {
    for (const [name, v] of Object.entries(secrets)) if (text.includes(v)) leaks.push(`${name} in ${where}`);
  };
  const tabs = allTabValues(s.rt.spreadsheet);
  expect(tabs.size).toBeGreaterThan(20);
  for (const [tab, values] of tabs) values.forEach((r, i) => r.forEach((c, j) => check(`${tab}!R${i + 1}C${j + 1}`, String(c))));
  for (const [k, v] of s.rt.properties.document.map) check(`document property ${k}`, `${k}=${v}`);
  for (const [k, v] of s.rt.properties.script.map) check(`script property ${k}`, `${k}=${v}`);
  expect(leaks).toEqual([]);
  // The document properties are not empty (the check above looked at something): shop, refresh state, cursor.
  expect([...s.rt.properties.document.map.keys()].sort()).toEqual(['tts.refresh', 'tts.reports.inputs', 'tts.shop', 'tts.summary', 'tts.sync.checkpoint']);

  const userText = [...user.values()].join('\n');
  expect(userText).toContain(secrets.appSecret);
  expect(userText).toContain(secrets.accessToken);
  expect(userText).toContain(secrets.refreshToken);
});

test('2. every report tab equals the engine on ground truth, cell by cell; Profit order CM3 = ground-truth order CM3 (ads aside)', async () => {
  // Rebuild at a known clock, so the reports' asOf is known to the second.
  const asOf = Math.floor(s.clock.nowMs() / 1000);
  atFixedClock(s, asOf * 1000, () => s.rt.run('rebuildReportsNow'));
  const state = docJson<{ reportsTime: number }>(s, 'tts.refresh')!;
  expect(state.reportsTime).toBe(asOf);
  const lastRefreshTime = docJson<{ watermark: number }>(s, 'tts.sync.checkpoint')!.watermark - 1;

  // The data the tabs hold was pulled at the sandbox's clock; the sandbox has not moved since (test 3).
  expect(await s.sb.clockNow()).toBe(pulledAt);
  const g = await s.generated(pulledAt);
  const truthData = apiView(g);

  // The workbook's settings are the generator's (the seller entered the differing ones).
  const gw = new AppsScriptGateway(s.rt.spreadsheet as never);
  expect(readSettings(gw, { currency: 'USD', timezone: TZ }).settings).toEqual(g.settings);

  const run = runEngine(truthData, g.settings, asOf, lastRefreshTime);
  const expected = expectedReportTabs(run.reports);
  expect([...expected.keys()]).toEqual([...REPORT_TAB_NAMES]);
  for (const [tab, want] of expected) {
    const got = tabValues(s.rt.spreadsheet, tab);
    expect({ tab, rows: got.length }).toEqual({ tab, rows: want.length });
    expect({ tab, diff: gridDiff(got, want) }).toEqual({ tab, diff: [] });
  }
  // Not vacuous: the Order margin tab lists every paid order, with numbers.
  const om = readReportBlock(tabValues(s.rt.spreadsheet, 'Order margin'), 'Order margin');
  expect(om.rows.length).toBe(run.margins.orders.length);
  expect(om.rows.length).toBeGreaterThan(400);

  // Ground truth: the generator's own order margins (computed from the money it made up, not by
  // the engine). Why the workbook's order CM3 is NOT the truth's CM3 for every order, precisely:
  // the truth's ad spend is the Marketing API's AD_ACCOUNT spend plus the statements'
  // GMV_PAYMENT_FOR_ADS deductions, allocated by day over the day's orders by net revenue. The
  // API path has no ads account, so it keeps only the GMV_PAYMENT_FOR_ADS part (a statement
  // transaction) and allocates that smaller pool over the same orders: an order's allocated
  // spend differs (not a fixed share of the truth's — allocateByWeights rounds per pool).
  // Everything before ads is unchanged: sampleCreator only names a sample's creator, the
  // statements' revenue_amount and the transactions' skuId do not enter an order's money. So:
  //  - per order: CM3 + allocated ad spend (the tab's) = the truth's CM3 + the truth's ad spend;
  //  - orders the truth allocates no ad spend to are unchanged: the tab's CM3 is the truth's CM3;
  //  - in total, the tab's ad spend is exactly the GMV_PAYMENT_FOR_ADS deductions.
  const truth = g.truth.orders;
  expect(truth.length).toBe(run.margins.orders.length);
  const withAds = truth.filter((o) => o.adSpend !== 0);
  const withoutAds = truth.filter((o) => o.adSpend === 0);
  expect(withAds.length).toBeGreaterThan(0);
  expect(withoutAds.length).toBeGreaterThan(0);
  const CM3 = 'CM3 (contribution margin)';
  const ADS = 'Ad spend allocated';
  expect(om.header).toEqual(expect.arrayContaining(['Order ID', CM3, ADS]));
  const cents = (v: unknown) => Math.round((v as number) * 100);
  const tabOrder = new Map(om.rows.map((r) => [String(r['Order ID']), { cm3: cents(r[CM3]), ads: cents(r[ADS]) }]));
  const perOrder: string[] = [];
  for (const o of truth) {
    const t = tabOrder.get(o.orderId);
    if (!t) { perOrder.push(`${o.orderId}: not on the tab`); continue; }
    if (t.cm3 + t.ads !== o.cm3 + o.adSpend) perOrder.push(`${o.orderId}: tab CM3 ${t.cm3} + ads ${t.ads} ≠ truth CM3 ${o.cm3} + ads ${o.adSpend}`);
    if (o.adSpend === 0 && (t.cm3 !== o.cm3 || t.ads !== 0)) perOrder.push(`${o.orderId}: no ads in truth, tab CM3 ${t.cm3} (ads ${t.ads}) ≠ truth CM3 ${o.cm3}`);
  }
  expect(perOrder.slice(0, 10)).toEqual([]);
  const apiOrderAds = sum([...tabOrder.values()].map((t) => t.ads));
  expect(apiOrderAds).toBeGreaterThan(0);
  expect(apiOrderAds).toBeLessThan(sum(truth.map((o) => o.adSpend)));

  // The Profit tab: the daily accrual table's CM3, less what is not an order's (statement
  // adjustments with no order, creator flat fees, unallocated ad spend), summed over its days,
  // is the orders' CM3 total (every order day is in the table's 30 days) — which is the truth's
  // CM3 of the orders without ads, plus, for the others, the truth's CM3 before ads less the
  // (GMV_PAYMENT_FOR_ADS) spend the workbook allocates to them.
  const daily = readReportBlock(tabValues(s.rt.spreadsheet, 'Daily profit'), 'Daily profit (accrual view)');
  const orderDays = new Set(truth.map((o) => o.day));
  const tableDays = new Set(daily.rows.map((r) => String(r.Day)));
  for (const d of orderDays) expect(tableDays.has(d)).toBe(true);
  const col = (name: string) => sum(daily.rows.map((r) => cents(r[name])));
  const profitOrdersCm3 = col('CM3 (contribution margin)') - col('Statement adjustments (no order)') + col('Creator flat fees') + col('of which unallocated');
  const gmvAds = sum(truthData.transactions.filter((t) => t.type === 'GMV_PAYMENT_FOR_ADS').map((t) => -t.settlementAmount));
  expect(gmvAds).toBeGreaterThan(0);
  expect(col('Ad spend')).toBe(gmvAds); // all the workbook's ad spend: the statements' deductions
  expect(col('Ad spend') - col('of which unallocated')).toBe(apiOrderAds);
  expect(profitOrdersCm3).toBe(sum(withoutAds.map((o) => o.cm3)) + sum(withAds.map((o) => o.cm3 + o.adSpend - tabOrder.get(o.orderId)!.ads)));
  expect(profitOrdersCm3).toBe(sum(truth.map((o) => o.cm3 + o.adSpend)) - apiOrderAds);
});

test('5. the seller\'s edits survive a refresh and move COGS and own costs by the hand-computed amounts', async () => {
  const ss = s.rt.spreadsheet;
  await expectClocksClose();
  const g = await s.generated(pulledAt);
  const data = apiView(g);
  const settings = g.settings;

  // A SKU with one COGS row, sold in non-sample orders, none of its lines returned or refunded.
  const returnedLines = new Set(data.returns.flatMap((r) => r.lines.map((l) => l.lineId)));
  const orders = new Map(data.orders.map((o) => [o.orderId, o]));
  const paid = (id: string) => { const o = orders.get(id); return !!o && o.paidTime !== null; };
  const cogsRows = tabValues(ss, 'COGS');
  const rowsOf = (sku: string) => cogsRows.map((r, i) => ({ r, i })).filter((x) => x.i > 0 && x.r[0] === sku);
  const unitsBySku = new Map<string, number>();
  const touched = new Set<string>();
  for (const l of data.lines) {
    if (returnedLines.has(l.lineId)) touched.add(l.sellerSku);
    const o = orders.get(l.orderId)!;
    if (!paid(l.orderId) || o.status === 'CANCELLED' || l.cancelled || o.isSample) continue;
    unitsBySku.set(l.sellerSku, (unitsBySku.get(l.sellerSku) ?? 0) + l.quantity);
  }
  const candidates = [...unitsBySku].filter(([sku]) => !touched.has(sku) && rowsOf(sku).length === 1).sort((a, b) => b[1] - a[1]);
  expect(candidates.length).toBeGreaterThan(0);
  const [sku] = candidates[0];
  const cogsRow = rowsOf(sku)[0].i + 1; // sheet row
  const oldCost = cogsRows[cogsRow - 1][1] as number;
  const DELTA_COST = 125; // +1.25 USD per unit
  const DELTA_PACK = 40; // +0.40 USD per order

  // Baseline: refresh now (absorbing any move of the shop), then the edits, then a refresh with the shop held.
  s.refreshToDone();
  const asOfDay = dayKey(Math.floor(s.clock.nowMs() / 1000), TZ);
  const sbAt = await s.sb.clockNow();
  const profitBefore = readReportBlock(tabValues(ss, 'Profit'), 'Profit (accrual view)');
  const skuBefore = readReportBlock(tabValues(ss, 'SKU profit'), 'SKU profit');

  setCell(ss, 'COGS', cogsRow, 2, toMajor(Math.round(oldCost * 100) + DELTA_COST, 'USD'));
  setSetting(ss, 'Packaging cost per order', toMajor(settings.packagingCostPerOrder + DELTA_PACK, 'USD'));
  const userBefore = new Map(USER_TABS.map((t) => [t, copyValues(tabValues(ss, t))]));
  expect(userBefore.get('COGS')![cogsRow - 1][1]).toBe(toMajor(Math.round(oldCost * 100) + DELTA_COST, 'USD'));

  const steps = refreshWithShopFrozen();
  expect(steps[steps.length - 1].done).toBe(true);
  expect(await s.sb.clockNow()).toBe(sbAt);
  expect(dayKey(Math.floor(s.clock.nowMs() / 1000), TZ)).toBe(asOfDay);
  for (const t of USER_TABS) expect({ t, diff: gridDiff(tabValues(ss, t), userBefore.get(t)!) }).toEqual({ t, diff: [] });

  // By hand, over the Last 30 days row's days: the SKU's units in paid, live, non-sample orders;
  // the paid, live (not cancelled) orders, samples apart; the SKU's units on live samples.
  const profitAfter = readReportBlock(tabValues(ss, 'Profit'), 'Profit (accrual view)');
  const p0 = profitBefore.rows.find((r) => r.Period === 'Last 30 days')!;
  const p1 = profitAfter.rows.find((r) => r.Period === 'Last 30 days')!;
  expect([p1.From, p1.To]).toEqual([p0.From, p0.To]);
  const inPeriod = (t: number) => { const d = dayKey(t, TZ); return d >= String(p1.From) && d <= String(p1.To); };
  let skuUnits = 0, sampleUnits = 0, liveOrders = 0, liveSamples = 0;
  for (const o of data.orders) {
    if (o.paidTime === null || o.status === 'CANCELLED' || !inPeriod(o.createTime)) continue;
    if (o.isSample) liveSamples++; else liveOrders++;
  }
  for (const l of data.lines) {
    const o = orders.get(l.orderId)!;
    if (l.sellerSku !== sku || o.paidTime === null || o.status === 'CANCELLED' || l.cancelled || !inPeriod(o.createTime)) continue;
    if (o.isSample) sampleUnits += l.quantity; else skuUnits += l.quantity;
  }
  expect(skuUnits).toBeGreaterThan(0);
  expect(liveOrders).toBeGreaterThan(100);
  const moved = (key: string) => Math.round((p1[key] as number) * 100) - Math.round((p0[key] as number) * 100);
  expect(moved('COGS')).toBe(skuUnits * DELTA_COST);
  expect(moved('Shipping and fulfilment')).toBe(liveOrders * DELTA_PACK);
  expect(moved('Samples')).toBe(sampleUnits * DELTA_COST + liveSamples * DELTA_PACK);
  expect(moved('Net revenue')).toBe(0);
  expect(moved('CM3 (contribution margin)')).toBe(-(skuUnits * DELTA_COST + liveOrders * DELTA_PACK + sampleUnits * DELTA_COST + liveSamples * DELTA_PACK));

  // The SKU's row on SKU profit (its last 30 days): COGS up by its units × the difference.
  const skuAfter = readReportBlock(tabValues(ss, 'SKU profit'), 'SKU profit');
  const s0 = skuBefore.rows.find((r) => r.SKU === sku)!;
  const s1 = skuAfter.rows.find((r) => r.SKU === sku)!;
  expect(s1['Units sold']).toBe(skuUnits);
  expect(Math.round((s1.COGS as number) * 100) - Math.round((s0.COGS as number) * 100)).toBe(skuUnits * DELTA_COST);
});

test('6. text in a COGS cost cell: the refresh stops naming the tab, row and column; no tab changes, no API call', () => {
  const ss = s.rt.spreadsheet;
  const cogs = tabValues(ss, 'COGS');
  const row = cogs.findIndex((r, i) => i > 0 && typeof r[1] === 'number') + 1;
  expect(row).toBeGreaterThan(1);
  const old = cogs[row - 1][1];
  setCell(ss, 'COGS', row, 2, 'abc');
  const before = new Map([...allTabValues(ss)].map(([k, v]) => [k, copyValues(v)]));
  const requests = s.rt.requests.length;
  const docBefore = new Map(s.rt.properties.document.map);

  let err: { message?: unknown; name?: unknown } | undefined;
  let after = new Map<string, SheetValues>();
  try {
    s.rt.run('refresh');
  } catch (e) {
    err = e as typeof err; // an Error of the script's realm (not instanceof this realm's Error)
  } finally {
    // Snapshot first, then put the good cost back for the next test.
    after = allTabValues(ss);
    setCell(ss, 'COGS', row, 2, old);
  }
  expect(err).toBeDefined();
  expect(err!.name).toBe('TabRowError');
  expect(String(err!.message)).toContain(`COGS tab, row ${row}, column "Unit landed cost"`);
  expect(String(err!.message)).toMatch(/expected an amount in USD.*got "abc"/);

  expect([...after.keys()]).toEqual([...before.keys()]);
  for (const [tab, v] of before) expect({ tab, diff: gridDiff(after.get(tab)!, v) }).toEqual({ tab, diff: [] });
  expect(after.get('COGS')![row - 1][1]).toBe('abc');
  expect(s.rt.requests.length).toBe(requests);
  expect(new Map(s.rt.properties.document.map)).toEqual(docBefore);
});

test('4. two days later: the refresh is incremental (fewer calls) and the data tabs equal the generator at the new clock', async () => {
  const firstCalls = calls(firstSteps);
  await s.advance(2 * 86400);
  const now = await s.sb.clockNow();
  expect(now).toBeGreaterThanOrEqual(pulledAt + 2 * 86400);
  const steps = s.refreshToDone();
  expect(steps[steps.length - 1]).toMatchObject({ done: true, phase: 'done' });
  expect(await s.sb.clockNow()).toBe(now); // the shop was pulled at this clock
  expect(calls(steps)).toBeGreaterThan(0);
  expect(calls(steps)).toBeLessThan(firstCalls);
  expect(written(steps)).toBeGreaterThan(0);

  const { diffs, want, got } = await compareDataTabs(now);
  expect(diffs).toEqual([]);
  const before = await s.generated(pulledAt);
  expect(want.orders.length).toBeGreaterThan(before.data.orders.length); // new orders arrived

  // Unsettled estimates: every current estimate is on the tab, equal. The tab also keeps the
  // estimates of orders that left the unsettled list since the first pull (the tab mirrors what
  // was fetched and nothing deletes a row); each of them is now settled (an ORDER transaction),
  // so the engine books its statements, not the stale estimate.
  const u = diffRecords(got.data, want, ['unsettled'], EXCLUDED);
  const extra = u.filter((x) => /not in the generator's records$/.test(x));
  expect(u.filter((x) => !extra.includes(x))).toEqual([]);
  const settled = new Set(want.transactions.filter((t) => t.type === 'ORDER').map((t) => t.orderId));
  const stale = got.data.unsettled!.filter((e) => !want.unsettled.some((w) => w.orderId === e.orderId));
  expect(stale.length).toBe(extra.length);
  expect(stale.length).toBeGreaterThan(0); // the case is exercised: orders did settle in those two days
  expect(stale.filter((e) => !settled.has(e.orderId)).map((e) => e.orderId)).toEqual([]);
  expect(latestEstimates(got.data.unsettled!).length).toBe(got.data.unsettled!.length);
});

// After the refreshes: checking every cell takes real seconds, and the runtime's clock would run ahead of the frozen sandbox's.
test('2b. the workbook a manager opens: tab order, widths, frozen rows, charts in view, an honest headline', async () => {
  const ss = s.rt.spreadsheet;
  // Dashboard first, the report tabs, the seller's tabs, the data tabs last; no blank "Sheet1".
  expect(ss.getSheets().map((x) => x.getName())).toEqual([...REPORT_TAB_NAMES, ...USER_TABS, ...dataTabNames]);
  expect(ss.getSheets().some((x) => x.isSheetHidden())).toBe(false); // "Hide data tabs" is FALSE by default

  for (const tab of REPORT_TAB_NAMES) {
    const sheet = ss.getSheetByName(tab)!;
    // Frozen rows belong to the table under them: a one-table tab freezes to its header (row 3),
    // a tab of several tables only the stamp.
    const oneTable = ['Decisions', 'Alerts', 'SKU profit', 'Creators', 'New buyers over time', 'Top customers', 'Order margin'].includes(tab);
    expect([tab, sheet.getFrozenRows()]).toEqual([tab, oneTable ? 3 : 1]);
    // Every shown figure fits its column (7 px a character plus padding; Sheets shows "###" otherwise).
    const range = sheet.getDataRange();
    const shown = range.getDisplayValues();
    const values = range.getValues();
    const widths = Array.from({ length: range.getNumColumns() }, (_, j) => sheet.getColumnWidth(j + 1));
    const tooNarrow: string[] = [];
    // Numbers only: text (stamps, titles, notes, long reasons) runs over blank cells or is cut, never "###".
    shown.forEach((row, i) => row.forEach((text, j) => {
      if (typeof values[i][j] === 'number' && widths[j] < text.length * 7 + 14) tooNarrow.push(`R${i + 1}C${j + 1} "${text}" in ${widths[j]} px`);
    }));
    expect({ tab, tooNarrow: tooNarrow.slice(0, 5) }).toEqual({ tab, tooNarrow: [] });
  }
  expect(ss.getSheetByName('Order margin')!.getFrozenColumns()).toBe(1);
  // Headers carry their definitions as notes.
  const profitHeader = ss.getSheetByName('Profit')!.getRange(3, 1, 1, ss.getSheetByName('Profit')!.getLastColumn()).getNotes()[0];
  expect(profitHeader).toContain('CM2 − marketing.');

  // Charts in view: the Dashboard's two under the headline, the waterfall beside its data.
  const anchors = (tab: string) => ss.getSheetByName(tab)!.getCharts().map((c) => (c as unknown as { position: number[] }).position);
  const dash = ss.getSheetByName('Dashboard')!;
  const left = (col: number) => Array.from({ length: col - 1 }, (_, j) => dash.getColumnWidth(j + 1)).reduce((a, b) => a + b, 0);
  expect(anchors('Dashboard')).toHaveLength(2);
  for (const [row, col] of anchors('Dashboard')) {
    expect(row).toBeLessThanOrEqual(20);
    expect(left(col)).toBeLessThanOrEqual(900);
  }
  expect(anchors('Reconciliation')).toEqual([[2, 9, 0, 0]]);
  for (const tab of ['Profit', 'Creators', 'SKU profit']) expect(anchors(tab)).toEqual([]);

  // The honest headline: the shop has one sold SKU with no cost (the generator's), so every
  // figure that includes COGS says so, and the SKU is work to do, not a top seller.
  const g = await s.generated(pulledAt);
  const missing = g.meta.missingCogsSku;
  const headline = readReportBlock(tabValues(ss, 'Dashboard'), 'Net profit and CM3, each beside the period before');
  const incomplete = headline.rows.filter((r) => String(r['COGS check']).startsWith('COGS incomplete: 1 SKU, '));
  expect(incomplete.length).toBeGreaterThanOrEqual(2);
  for (const r of headline.rows) expect(r['COGS check'] === '' ? r['COGS coverage'] === '' || r['COGS coverage'] === 1 : (r['COGS coverage'] as number) < 1).toBe(true);
  expect(String(dash.getRange(1, 1).getValue())).toMatch(/ · COGS incomplete: 1 SKU, \d+\.\d% of units$/);
  const sku = readReportBlock(tabValues(ss, 'SKU profit'), 'SKU profit');
  expect(sku.rows[0]).toMatchObject({ Rank: '', SKU: missing, 'Heat map': 'no cost: add it on the COGS tab', 'Missing COGS': true });
  expect(sku.rows.slice(1).map((r) => r.Rank)).toEqual(sku.rows.slice(1).map((_, i) => i + 1));
  const decisions = readReportBlock(tabValues(ss, 'Decisions'), 'Decisions: what to do, by money at stake');
  expect(decisions.rows[0]).toMatchObject({ Rank: 1, Action: 'Add cost', Item: `SKU ${missing}` });

});

// Last: a render takes real seconds, and the runtime's clock would run ahead of the frozen sandbox's.
test('8. LibreOffice Calc opens the workbook the bundle wrote and draws the Dashboard, Profit and SKU profit', async () => {
  const ss = s.rt.spreadsheet;
  const pages = renderSheets(await toXlsx(ss), ['Dashboard', 'Profit', 'SKU profit'], resolve(ROOT, 'out/render'), 'workbook');
  const last30 = readReportBlock(tabValues(ss, 'Profit'), 'Profit (accrual view)').rows.find((r) => r.Period === 'Last 30 days')!;
  checkRender(pages, { profitFigure: formatDisplay(last30['Net profit'] as number, '#,##0.00 "USD"') });
});
