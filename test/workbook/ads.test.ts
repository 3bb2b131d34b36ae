/**
 * Ad spend from TikTok Ads in every refresh: the BUILT add-on (dist/Code.js) in the local Apps
 * Script runtime against the sandbox, with a shop AND an ads account connected.
 *
 *   1. first refresh: the Ad spend tab = the generator's Marketing API spend (two ad accounts, one
 *      in New York time, card-paid and GMV-paid, billed_cost as the cost with spend beside it);
 *      the Campaign map tab is pre-filled from the API (GMV Max item ids, the Spark creator)
 *   2. every order's CM3 and allocated ad spend on the Order margin tab = the generator's ground
 *      truth to the cent, in each allocation method; the Profit tab's ad spend = the truth's
 *   3. secrets: the ads token and app secret are in user properties only
 *   4. two days later: the ads pull is incremental (re-reads 7 days) and the tabs = the truth again
 *   5. the ads token is revoked mid-refresh: the shop's data lands, the Ad spend and Campaign map
 *      tabs are untouched, the refresh says what to do; connecting again brings the spend back
 *   6. disconnect: the ads token is forgotten (and revoked at TikTok); the rows stay
 *   7. the publisher's app (script properties): the seller connects without typing an app
 */
import { execSync } from 'node:child_process';
import { resolve } from 'node:path';
import { connectAdsInBrowser, startAddonSession, type AddonSession } from '../../dev/addon/session';
import { readReportBlock } from '../../dev/addon/workbook-read';
import { setSetting } from '../../dev/addon/seller-inputs';
import { generateShop, type GeneratedShop } from '../../dev/generator/shop';
import type { AdSpend } from '../../src/core/records';
import type { ConnectionStatus, RefreshProgress } from '../../src/sheets/server-types';
import { copyValues, docJson, readDataTabs, tabValues } from './helpers';

jest.setTimeout(300_000);

const ROOT = resolve(__dirname, '../..');
const SEED = 13;
const SHOP = { days: 20, ordersPerDay: 30 };
const START = Date.UTC(2025, 1, 17 + 17, 12) / 1000;

let s: AddonSession;
let connectPage = '';
let firstSteps: RefreshProgress[] = [];

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const cents = (v: unknown) => Math.round((v as number) * 100);
const key = (a: AdSpend) => `${a.advertiserId}/${a.campaignId}/${a.date}`;
const sortAds = (rows: readonly AdSpend[]) => [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

/** The generator as the sandbox serves it, with the ground truth for an allocation method. */
async function truthAt(asOf: number, allocationMethod?: 'by_day' | 'by_product' | 'new_buyers'): Promise<GeneratedShop> {
  return generateShop({ unitLines: true, analytics: true, ...SHOP, seed: SEED, truth: true, asOf, ...(allocationMethod ? { allocationMethod } : {}) });
}

function tabAds(): AdSpend[] {
  const got = readDataTabs(s.rt.spreadsheet);
  expect(got.invalid).toEqual([]);
  return got.data.adSpend as AdSpend[];
}

/** Order margin tab vs the truth, order by order: CM3 and allocated ad spend to the cent. */
function orderDifferences(g: GeneratedShop): { problems: string[]; orders: number; withAds: number } {
  const om = readReportBlock(tabValues(s.rt.spreadsheet, 'Order margin'), 'Order margin');
  const CM3 = 'CM3 (contribution margin)';
  const ADS = 'Ad spend allocated';
  const tab = new Map(om.rows.map((r) => [String(r['Order ID']), { cm3: cents(r[CM3]), ads: cents(r[ADS]) }]));
  const problems: string[] = [];
  for (const o of g.truth.orders) {
    const t = tab.get(o.orderId);
    if (!t) problems.push(`${o.orderId}: not on the tab`);
    else if (t.cm3 !== o.cm3 || t.ads !== o.adSpend) problems.push(`${o.orderId}: tab CM3 ${t.cm3} ads ${t.ads}, truth CM3 ${o.cm3} ads ${o.adSpend}`);
  }
  if (om.rows.length !== g.truth.orders.length) problems.push(`tab has ${om.rows.length} orders, truth ${g.truth.orders.length}`);
  return { problems, orders: om.rows.length, withAds: g.truth.orders.filter((o) => o.adSpend > 0).length };
}

beforeAll(async () => {
  execSync('node build.mjs', { cwd: ROOT, stdio: 'pipe' });
  s = await startAddonSession({ seed: SEED, shop: SHOP, sandbox: { startTime: START } });
  s.install();
  await s.connect();
  connectPage = await s.connectAds();
  await s.enterSellerInputs();
  firstSteps = s.refreshToDone();
});

afterAll(async () => {
  await s?.close();
});

test('1. first refresh: the Ad spend tab = the generator\'s Marketing API spend; the Campaign map is pre-filled from the API', async () => {
  expect(connectPage).toMatch(/^Connected to TikTok Ads: Sandbox ad account 01 \(USD\), Sandbox ad account 02 \(USD\)/);
  const status = s.rt.run('getStatus') as ConnectionStatus;
  expect(status.ads).toMatchObject({ connected: true, appConfigured: true, publisherApp: false, problem: null });
  expect(status.ads.chosen.map((a) => [a.id, a.timezone])).toEqual([['7100000001', 'America/New_York'], ['7100000002', 'America/Los_Angeles']]);
  expect(firstSteps[firstSteps.length - 1].message).toBe('Refresh complete: data and reports are up to date.');

  const g = await truthAt(await s.sb.clockNow());
  const want = sortAds(g.data.adSpend);
  const got = sortAds(tabAds());
  expect(got.length).toBe(want.length);
  expect(got).toEqual(want);
  // Not vacuous: both ad accounts, both ways of paying, spend before credits differing from the cost.
  expect(new Set(got.map((a) => a.advertiserId)).size).toBe(2);
  expect(got.some((a) => a.fundingSource === 'GMV_PAYMENT')).toBe(true);
  expect(got.some((a) => a.grossSpend != null && a.grossSpend > a.spend)).toBe(true);

  const map = tabValues(s.rt.spreadsheet, 'Campaign map');
  expect(map[0]).toEqual(['Advertiser ID', 'Campaign ID', 'Campaign name', 'Paid from', 'Product IDs', 'Creator']);
  const byCampaign = new Map(map.slice(1).map((r) => [String(r[1]), r]));
  expect(byCampaign.size).toBe(6);
  const campaign = (id: string) => g.data.adSpend.find((a) => a.campaignId === id)!;
  expect(byCampaign.get('1790000002')!.slice(3)).toEqual(['ad account', campaign('1790000002').productIds.join(', '), '']);
  expect(byCampaign.get('1790000003')!.slice(3)).toEqual(['ad account', '', campaign('1790000003').creatorUsername]);
  expect(byCampaign.get('1790000004')!.slice(3)).toEqual(['shop GMV', '', '']);
});

test('2. every order\'s CM3 and ad spend = the ground truth to the cent, in every allocation method', async () => {
  const asOf = await s.sb.clockNow();
  let g: Awaited<ReturnType<typeof truthAt>>;
  try {
    for (const method of ['by_day', 'by_product', 'new_buyers'] as const) {
      setSetting(s.rt.spreadsheet, 'Ad spend allocation', method);
      s.rt.run('rebuildReportsNow');
      const truth = await truthAt(asOf, method);
      const r = orderDifferences(truth);
      expect({ method, problems: r.problems.slice(0, 10) }).toEqual({ method, problems: [] });
      expect(r.withAds).toBeGreaterThan(r.orders / 2);
    }
    // The Daily profit tab's ad spend over its days = the truth's days (card spend split into shop days + GMV payments).
    g = await truthAt(asOf, 'new_buyers');
    const daily = readReportBlock(tabValues(s.rt.spreadsheet, 'Daily profit'), 'Daily profit (accrual view)');
    const days = new Set(daily.rows.map((r) => String(r.Day)));
    const truthAds = sum(g.truth.days.filter((d) => days.has(d.day)).map((d) => d.adSpend));
    expect(sum(daily.rows.map((r) => cents(r['Ad spend'])))).toBe(truthAds);
    expect(truthAds).toBeGreaterThan(0);
  } finally {
    // The tests after this one compare with the truth by day: leave the workbook as they expect it.
    setSetting(s.rt.spreadsheet, 'Ad spend allocation', 'by_day');
    s.rt.run('rebuildReportsNow');
  }

  // The Spark campaign's creator: their linked ad support on the Creators tab = the campaign's spend in the range.
  const creators = readReportBlock(tabValues(s.rt.spreadsheet, 'Creators'), 'Creators');
  const spark = g.data.adSpend.filter((a) => a.creatorUsername !== null);
  const creator = spark[0].creatorUsername!;
  const row = creators.rows.find((r) => r.Creator === creator)!;
  // The Creators tab covers the last 30 days; the shop is 20 days old, so every Spark day is in it.
  expect(SHOP.days).toBeLessThan(30);
  expect(cents(row['Linked ad support'])).toBe(sum(spark.map((a) => a.spend)));
  expect(cents(row['Linked ad support'])).toBeGreaterThan(0);
});

test('3. secrets: the ads token and the ads app secret are in user properties only', () => {
  const user = s.rt.properties.user.map;
  const token = JSON.parse(user.get('tiktok.ads.token') ?? 'null') as { accessToken: string } | null;
  expect(token?.accessToken.length).toBeGreaterThan(16);
  const secrets = [token!.accessToken, s.sb.adsSecret];
  const leaks: string[] = [];
  for (const name of s.rt.spreadsheet.getSheets().map((sh) => sh.getName())) {
    for (const row of tabValues(s.rt.spreadsheet, name)) for (const c of row) for (const v of secrets) if (String(c).includes(v)) leaks.push(name);
  }
  for (const [k, v] of [...s.rt.properties.document.map, ...s.rt.properties.script.map]) for (const x of secrets) if (`${k}=${v}`.includes(x)) leaks.push(k);
  expect(leaks).toEqual([]);
  const userText = [...user.values()].join('\n');
  for (const v of secrets) expect(userText).toContain(v);
});

test('4. two days later: the ads pull re-reads the recent days only, and the tabs = the truth again', async () => {
  const before = docJson<{ days: Record<string, string> }>(s, 'tts.ads.sync')!;
  await s.advance(2 * 86400);
  const steps = s.refreshToDone();
  const after = docJson<{ days: Record<string, string>; problem: string | null }>(s, 'tts.ads.sync')!;
  expect(after.problem).toBeNull();
  // Each ad account's last day moved on by two days.
  for (const [id, day] of Object.entries(before.days)) expect(Date.parse(after.days[id]) - Date.parse(day)).toBe(2 * 86400_000);
  const g = await truthAt(await s.sb.clockNow());
  expect(sortAds(tabAds())).toEqual(sortAds(g.data.adSpend));
  expect(orderDifferences(g).problems.slice(0, 10)).toEqual([]);
  expect(sum(steps.map((x) => x.calls))).toBeLessThan(sum(firstSteps.map((x) => x.calls)));
});

test('5. the ads token is revoked mid-refresh: the shop\'s data lands, nothing of ads is half-written, the sidebar says what to do', async () => {
  const adTab = copyValues(tabValues(s.rt.spreadsheet, 'Ad spend'));
  const mapTab = copyValues(tabValues(s.rt.spreadsheet, 'Campaign map'));
  const cursor = docJson<{ days: Record<string, string> }>(s, 'tts.ads.sync')!;
  const completed = docJson<{ completed: number }>(s, 'tts.sync.checkpoint')!.completed;
  await s.advance(86400);
  await s.sb.revokeAdsTokens();
  const steps = s.refreshToDone();
  const last = steps[steps.length - 1];
  expect(last.done).toBe(true);
  expect(last.message).toMatch(/Ad spend was NOT updated: TikTok Ads no longer accepts this connection .*Connect again/);
  // The shop's run completed and its data is in: the Orders tab = the generator at the new clock.
  expect(docJson<{ completed: number }>(s, 'tts.sync.checkpoint')!.completed).toBe(completed + 1);
  const g = await truthAt(await s.sb.clockNow());
  expect(readDataTabs(s.rt.spreadsheet).data.orders!.length).toBe(g.data.orders.length);
  // Ads: not a cell changed, the cursor did not move.
  expect(tabValues(s.rt.spreadsheet, 'Ad spend')).toEqual(adTab);
  expect(tabValues(s.rt.spreadsheet, 'Campaign map')).toEqual(mapTab);
  expect(docJson<{ days: Record<string, string> }>(s, 'tts.ads.sync')!.days).toEqual(cursor.days);
  const status = s.rt.run('getStatus') as ConnectionStatus;
  expect(status.ads.problem).toMatch(/Connect again/);

  // Connect again: the next refresh brings the ad spend up to date, and the order margins back to the truth.
  await s.connectAds();
  s.refreshToDone();
  expect((s.rt.run('getStatus') as ConnectionStatus).ads.problem).toBeNull();
  const g2 = await truthAt(await s.sb.clockNow());
  expect(sortAds(tabAds())).toEqual(sortAds(g2.data.adSpend));
  expect(orderDifferences(g2).problems.slice(0, 10)).toEqual([]);
});

test('6. disconnect: the ads token is forgotten; the Ad spend rows stay', () => {
  const rows = tabValues(s.rt.spreadsheet, 'Ad spend').length;
  const status = s.rt.run('disconnectAds') as ConnectionStatus['ads'];
  expect(status).toMatchObject({ connected: false, chosen: [], granted: [] });
  expect([...s.rt.properties.user.map.keys()].filter((k) => k.startsWith('tiktok.ads.'))).toEqual([]);
  expect(tabValues(s.rt.spreadsheet, 'Ad spend').length).toBe(rows);
});

test('7. the publisher\'s app in script properties: the seller only clicks Connect and approves', async () => {
  s.rt.properties.script.map.set('tiktok.publisher.adsApp', JSON.stringify({ appId: s.sb.adsAppId, secret: s.sb.adsSecret }));
  try {
    const before = s.rt.run('getStatus') as ConnectionStatus;
    expect(before.ads).toMatchObject({ appConfigured: true, publisherApp: true, connected: false });
    const page = await connectAdsInBrowser(s.rt, s.sb, true, false);
    expect(page).toMatch(/^Connected to TikTok Ads/);
    const after = s.rt.run('getStatus') as ConnectionStatus;
    expect(after.ads).toMatchObject({ connected: true, publisherApp: true });
    expect(after.ads.chosen).toHaveLength(2);
    // The publisher's secret never reached the seller's properties, a cell, or the status.
    expect(s.rt.properties.user.map.has('tiktok.ads.app')).toBe(false);
    expect(JSON.stringify(after)).not.toContain(s.sb.adsSecret);
  } finally {
    s.rt.properties.script.map.delete('tiktok.publisher.adsApp');
  }
});
