/**
 * The ads pull and write (src/sheets/ads-sync.ts) and the Campaign map tab
 * (src/sheets/campaign-map.ts) over a scripted Marketing API and an in-memory workbook:
 * each ad account's window in its own time zone, re-reading recent days, a campaign-day the
 * report no longer has written as zero, new campaigns added to the map and never rewritten,
 * and a failure that writes nothing.
 */
import { adsWindow, pullAds, readAdsSyncState, refreshAds } from '../../src/sheets/ads-sync';
import { addCampaigns, CAMPAIGN_MAP_TAB, readCampaignMap } from '../../src/sheets/campaign-map';
import { readTab } from '../../src/sheets/table';
import { AD_SPEND_TAB } from '../../src/sheets/tabs';
import type { AdSpend } from '../../src/core/records';
import type { HttpRequest } from '../../src/tiktok/ports';
import { FakeClock, FakeRandom, FakeTransport, MemoryStore, fail, ok, parseUrl } from '../tiktok/fakes';
import { MemoryGateway } from './memory-gateway';

const NY = { advertiserId: 'A1', name: 'NY account', currency: 'USD', timezone: 'America/New_York' };
// 2026-10-10 02:00 UTC: already the 10th in UTC, still the 9th in New York.
const NOW = Date.UTC(2026, 9, 10, 2) / 1000;

type Rows = Record<string, [string, string, string][]>; // path → [campaign, day, billed]

function marketing(rows: Rows, requests: HttpRequest[] = []) {
  return new FakeTransport((req) => {
    requests.push(req);
    const { path, query } = parseUrl(req.url);
    if (path.endsWith('/report/integrated/get/') || path.endsWith('/gmv_max/report/get/')) {
      const list = (rows[path.endsWith('/gmv_max/report/get/') ? 'gmv' : 'card'] ?? [])
        .filter(([, day]) => day >= query.start_date && day <= query.end_date)
        .map(([c, day, v]) => ({ dimensions: { campaign_id: c, stat_time_day: `${day} 00:00:00` }, metrics: { spend: v, billed_cost: v, cost: v } }));
      return ok({ list, page_info: { total_page: 1 } });
    }
    if (path.endsWith('/campaign/get/')) {
      const ids = (JSON.parse(query.filtering) as { campaign_ids: string[] }).campaign_ids;
      return ok({ list: ids.map((id) => ({ campaign_id: id, campaign_name: `Campaign ${id}`, objective_type: id === 'g1' ? 'PRODUCT_SALES' : 'WEB_CONVERSIONS' })), page_info: { total_page: 1 } });
    }
    if (path.endsWith('/gmv_max/campaign/info/')) return ok({ item_group_ids: ['p2', 'p1'] });
    if (path.endsWith('/ad/get/')) return ok({ list: [{ campaign_id: 'c1', identity_type: 'AUTH_CODE', identity_id: 'i1' }], page_info: { total_page: 1 } });
    if (path.endsWith('/identity/get/')) return ok({ identity_list: [{ identity_id: 'i1', display_name: 'alice' }], page_info: { total_page: 1 } });
    return fail(40002, `unexpected ${path}`);
  });
}

const deps = (transport: FakeTransport) => ({ transport, clock: new FakeClock(), random: new FakeRandom() });
const empty = { v: 1 as const, run: null, days: {}, problem: null, time: null };

test('each ad account\'s window is in its own time zone: backfill first, then the re-read days before the last day read', () => {
  expect(adsWindow(NY, { now: NOW, backfillDays: 3, rereadDays: 7, state: empty })).toEqual({ startDate: '2026-10-06', endDate: '2026-10-09' });
  expect(adsWindow(NY, { now: NOW, backfillDays: 3, rereadDays: 7, state: { ...empty, days: { A1: '2026-10-08' } } })).toEqual({ startDate: '2026-10-02', endDate: '2026-10-09' });
  expect(adsWindow({ ...NY, timezone: 'Asia/Tokyo' }, { now: NOW, backfillDays: 3, rereadDays: 1, state: { ...empty, days: { A1: '2026-10-10' } } })).toEqual({ startDate: '2026-10-10', endDate: '2026-10-10' });
});

test('rows of both reports, the campaign map from the API, and a held campaign-day the report dropped written as zero', () => {
  const held: AdSpend[] = [
    { advertiserId: 'A1', date: '2026-10-08', advertiserTimezone: NY.timezone, campaignId: 'c9', campaignName: 'Old', currency: 'USD', spend: 500, grossSpend: 600, fundingSource: 'AD_ACCOUNT', productIds: [], creatorUsername: null },
    // Outside the window: left alone.
    { advertiserId: 'A1', date: '2026-09-01', advertiserTimezone: NY.timezone, campaignId: 'c9', campaignName: 'Old', currency: 'USD', spend: 700, grossSpend: 700, fundingSource: 'AD_ACCOUNT', productIds: [], creatorUsername: null },
  ];
  const t = marketing({ card: [['c1', '2026-10-08', '10.00']], gmv: [['g1', '2026-10-09', '4.00']] });
  const r = pullAds(deps(t), { accessToken: 'tok', advertisers: [NY], shopId: 'S', now: NOW, backfillDays: 30, rereadDays: 7, state: { ...empty, days: { A1: '2026-10-08' } } }, held, [
    { advertiserId: 'A1', campaignId: 'c9', campaignName: 'Old', productIds: ['p9'], creatorUsername: null, fundingSource: null },
  ]);
  const byKey = new Map(r.rows.map((x) => [`${x.campaignId}/${x.date}`, x]));
  expect(byKey.get('c1/2026-10-08')).toMatchObject({ spend: 1000, grossSpend: 1000, fundingSource: 'AD_ACCOUNT', creatorUsername: 'alice', campaignName: 'Campaign c1' });
  expect(byKey.get('g1/2026-10-09')).toMatchObject({ spend: 400, fundingSource: 'GMV_PAYMENT', productIds: ['p1', 'p2'] });
  expect(byKey.get('c9/2026-10-08')).toMatchObject({ spend: 0, grossSpend: 0, productIds: ['p9'] });
  expect(byKey.has('c9/2026-09-01')).toBe(false);
  expect(r.rows).toHaveLength(3);
  expect(r.newCampaigns.map((c) => [c.campaignId, c.fundingSource, c.productIds, c.creatorUsername])).toEqual([
    ['c1', 'AD_ACCOUNT', [], 'alice'], ['g1', 'GMV_PAYMENT', ['p1', 'p2'], null],
  ]);
  expect(r.days).toEqual({ A1: '2026-10-09' });
});

test('refreshAds writes the Ad spend and Campaign map tabs, then the cursor; a failure writes nothing', () => {
  const gw = new MemoryGateway();
  const store = new MemoryStore();
  const input = { accessToken: 'tok', advertisers: [NY], shopId: 'S', now: NOW, backfillDays: 3, rereadDays: 7 };
  refreshAds(deps(marketing({ card: [['c1', '2026-10-08', '10.00']] })), gw, gw, store, input, 4);
  expect(readTab(gw, AD_SPEND_TAB).records.map((x) => [x.campaignId, x.date, x.spend])).toEqual([['c1', '2026-10-08', 1000]]);
  expect(readCampaignMap(gw).map((m) => [m.campaignId, m.creatorUsername, m.fundingSource])).toEqual([['c1', 'alice', 'AD_ACCOUNT']]);
  expect(readAdsSyncState(store)).toMatchObject({ run: 4, days: { A1: '2026-10-09' }, problem: null, time: NOW });

  // The seller edits the map; a later pull keeps the edit and applies it.
  const grid = gw.grids.get(CAMPAIGN_MAP_TAB)!;
  grid[1][5] = 'bob';
  refreshAds(deps(marketing({ card: [['c1', '2026-10-08', '12.00']] })), gw, gw, store, { ...input, now: NOW + 86400 }, 5);
  expect(readCampaignMap(gw).map((m) => m.creatorUsername)).toEqual(['bob']);
  expect(readTab(gw, AD_SPEND_TAB).records.map((x) => [x.spend, x.creatorUsername])).toEqual([[1200, 'bob']]);

  // Revoked mid-pull (the second report): nothing is written, the cursor stays.
  const before = JSON.stringify([...gw.grids.entries()]);
  let calls = 0;
  const revoked = new FakeTransport(() => (++calls === 1 ? ok({ list: [], page_info: { total_page: 1 } }) : fail(40105, 'Access token is incorrect or has been revoked', 401)));
  expect(() => refreshAds(deps(revoked), gw, gw, store, { ...input, now: NOW + 2 * 86400 }, 6)).toThrow(/revoked/);
  expect(JSON.stringify([...gw.grids.entries()])).toBe(before);
  expect(readAdsSyncState(store)).toMatchObject({ run: 5, days: { A1: '2026-10-10' } });
});

test('Campaign map tab: rows read back; a bad row is refused naming its row and column; new campaigns are appended only', () => {
  const gw = new MemoryGateway();
  expect(readCampaignMap(gw)).toEqual([]);
  expect(addCampaigns(gw, [{ advertiserId: 'A1', campaignId: '1790000001', campaignName: '=cmd', productIds: ['1731000000000000001'], creatorUsername: null, fundingSource: 'GMV_PAYMENT' }])).toBe(1);
  const grid = gw.grids.get(CAMPAIGN_MAP_TAB)!;
  // Stored as text (ids keep every digit) and never run as a formula.
  expect(grid[1]).toEqual(['A1', '1790000001', '=cmd', 'shop GMV', '1731000000000000001', '']);
  expect(gw.formulas).toEqual([]);
  expect(addCampaigns(gw, [{ advertiserId: 'A1', campaignId: '1790000001', campaignName: 'again', productIds: [], creatorUsername: 'x', fundingSource: null }])).toBe(0);
  grid[1][3] = 'card';
  expect(() => readCampaignMap(gw)).toThrow('Campaign map tab, row 2, Paid from: expected "ad account" or "shop GMV" (or blank), got "card"');
  grid[1][3] = '';
  grid[1][4] = 1.731e18;
  expect(() => readCampaignMap(gw)).toThrow(/Campaign map tab, row 2, Product IDs: expected a text \(an id typed as a number has lost digits/);
});
