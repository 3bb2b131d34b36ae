import { fetchGmvMaxSpend } from '../../src/ads/gmvmax';
import { FakeClock, FakeRandom, FakeTransport, ok, parseUrl } from '../tiktok/fakes';

const config = { accessToken: 'adtok', advertiserId: '7001', storeIds: ['shop-1'], advertiserTimezone: 'America/New_York', currency: 'USD' };
const deps = (transport: FakeTransport) => ({ transport, clock: new FakeClock(), random: new FakeRandom() });

function row(campaign: string, day: string, item: string | null, cost: string | number) {
  return { dimensions: { campaign_id: campaign, stat_time_day: `${day} 00:00:00`, ...(item === null ? {} : { item_group_id: item }) }, metrics: { cost } };
}

describe('GMV Max report', () => {
  test('request shape; one row per campaign-day with its products; paging; 30-day windows', () => {
    const transport = new FakeTransport();
    transport.reply(
      ok({ list: [row('g1', '2025-01-01', 'p2', '3.00'), row('g1', '2025-01-01', 'p1', 2), row('g1', '2025-01-01', 'p3', '0')], page_info: { page: 1, total_page: 2 } }),
      ok({ list: [row('g2', '2025-01-01', 'p1', '0'), row('g1', '2025-01-02', 'p1', '1.25')], page_info: { page: 2, total_page: 2 } }),
      ok({ list: [row('g1', '2025-02-01', 'p1', '4.00')], page_info: { total_page: 1 } }),
    );
    const out = fetchGmvMaxSpend(deps(transport), config, { startDate: '2025-01-01', endDate: '2025-02-01' });
    expect(out).toEqual([
      { advertiserId: '7001', date: '2025-01-01', advertiserTimezone: 'America/New_York', campaignId: 'g1', campaignName: '', currency: 'USD', spend: 500, fundingSource: 'AD_ACCOUNT', productIds: ['p1', 'p2'], creatorUsername: null },
      expect.objectContaining({ campaignId: 'g1', date: '2025-01-02', spend: 125, productIds: ['p1'] }),
      expect.objectContaining({ campaignId: 'g1', date: '2025-02-01', spend: 400 }),
    ]);
    const reqs = transport.requests.map((r) => ({ ...parseUrl(r.url), headers: r.headers, payload: r.payload }));
    expect(reqs[0].path).toBe('/open_api/v1.3/gmv_max/report/get/');
    expect(reqs[0].headers).toEqual({ 'Access-Token': 'adtok' });
    expect(reqs[0].payload).toBeUndefined();
    expect(reqs[0].query).toEqual({
      advertiser_id: '7001', store_ids: '["shop-1"]', dimensions: '["campaign_id","stat_time_day","item_group_id"]', metrics: '["cost"]',
      start_date: '2025-01-01', end_date: '2025-01-30', page: '1', page_size: '1000',
    });
    expect(reqs.map((r) => [r.query.start_date, r.query.end_date, r.query.page])).toEqual([
      ['2025-01-01', '2025-01-30', '1'], ['2025-01-01', '2025-01-30', '2'], ['2025-01-31', '2025-02-01', '1'],
    ]);
  });

  test('funding source: ALL, a campaign list, or AD_ACCOUNT by default; split by product; without item dimension', () => {
    const list = [row('g1', '2025-01-01', 'p1', '1.00'), row('g1', '2025-01-01', 'p2', '2.00'), row('g2', '2025-01-01', 'p1', '3.00')];
    const run = (extra: object) => {
      const t = new FakeTransport();
      t.reply(ok({ list, page_info: { total_page: 1 } }));
      return { out: fetchGmvMaxSpend(deps(t), { ...config, ...extra }, { startDate: '2025-01-01', endDate: '2025-01-01' }), t };
    };
    expect(run({ gmvPayment: 'ALL' }).out.map((a) => a.fundingSource)).toEqual(['GMV_PAYMENT', 'GMV_PAYMENT']);
    expect(run({ gmvPayment: ['g2'] }).out.map((a) => [a.campaignId, a.fundingSource])).toEqual([['g1', 'AD_ACCOUNT'], ['g2', 'GMV_PAYMENT']]);
    expect(run({ splitByProduct: true }).out.map((a) => [a.campaignId, a.productIds, a.spend])).toEqual([['g1', ['p1'], 100], ['g1', ['p2'], 200], ['g2', ['p1'], 300]]);
    const t = new FakeTransport();
    t.reply(ok({ list: [row('g1', '2025-01-01', null, '1.00')], page_info: { total_page: 1 } }));
    const t3 = new FakeTransport();
    t3.reply(ok({ list: [{ dimensions: { campaign_id: 'g5', stat_time_day: '2025-01-01 00:00:00', item_group_id: '' }, metrics: { cost: '2.00', campaign_name: 'Max' } }] }));
    expect(fetchGmvMaxSpend(deps(t3), config, { startDate: '2025-01-01', endDate: '2025-01-01' })).toEqual([expect.objectContaining({ campaignName: 'Max', productIds: [], spend: 200 })]);
    const noItems = fetchGmvMaxSpend(deps(t), { ...config, byProduct: false }, { startDate: '2025-01-01', endDate: '2025-01-01' });
    expect(noItems).toEqual([expect.objectContaining({ spend: 100, productIds: [] })]);
    expect(parseUrl(t.requests[0].url).query.dimensions).toBe('["campaign_id","stat_time_day"]');
  });

  test('bad cost is a DataError naming campaign/day/product and field; store ids required', () => {
    const t = new FakeTransport();
    t.reply(ok({ list: [row('g1', '2025-01-01', 'p1', '1.001')], page_info: { total_page: 1 } }));
    expect(() => fetchGmvMaxSpend(deps(t), config, { startDate: '2025-01-01', endDate: '2025-01-01' }))
      .toThrow(/GMV Max report row \(GET \/open_api\/v1.3\/gmv_max\/report\/get\/\) campaign g1 2025-01-01 00:00:00 product p1: field "metrics.cost" expected at most 2 decimal places/);
    const t2 = new FakeTransport();
    t2.reply(ok({ list: [{ dimensions: { campaign_id: 'g1', stat_time_day: '2025-01-01 00:00:00' }, metrics: {} }] }));
    expect(() => fetchGmvMaxSpend(deps(t2), config, { startDate: '2025-01-01', endDate: '2025-01-01' })).toThrow(/field "metrics.cost" expected an amount in USD/);
    expect(() => fetchGmvMaxSpend(deps(new FakeTransport()), { ...config, storeIds: [] }, { startDate: '2025-01-01', endDate: '2025-01-01' })).toThrow(/store id/);
  });
});
