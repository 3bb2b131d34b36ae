import { fetchAdSpend, splitDateRange } from '../../src/ads/marketing';
import { RetryExhaustedError } from '../../src/tiktok/errors';
import { FakeClock, FakeRandom, FakeTransport, ok, parseUrl } from '../tiktok/fakes';

const config = { accessToken: 'adtok', advertiserId: '7001', advertiserTimezone: 'America/Los_Angeles', currency: 'USD' };

/** billed_cost defaults to spend (no ad credit that day). */
function row(campaign: string, day: string, spend: string | number, billed: string | number = spend) {
  return { dimensions: { campaign_id: campaign, stat_time_day: `${day} 00:00:00` }, metrics: { spend, billed_cost: billed } };
}

describe('Marketing API ad spend', () => {
  test('windows are split into ≤ 30 inclusive days', () => {
    expect(splitDateRange('2025-01-01', '2025-01-30')).toEqual([{ start: '2025-01-01', end: '2025-01-30' }]);
    expect(splitDateRange('2025-01-01', '2025-03-05')).toEqual([
      { start: '2025-01-01', end: '2025-01-30' }, { start: '2025-01-31', end: '2025-03-01' }, { start: '2025-03-02', end: '2025-03-05' },
    ]);
    expect(splitDateRange('2025-01-01', '2025-01-01')).toHaveLength(1);
    expect(() => splitDateRange('2025-02-01', '2025-01-01')).toThrow(/after the end date/);
  });

  test('request shape, page/total_page paging, mapping to AdSpend', () => {
    const transport = new FakeTransport();
    transport.reply(
      ok({ list: [row('c1', '2025-01-01', '12.34'), row('c2', '2025-01-01', 0), row('c3', '2025-01-01', '20.00', '15.00')], page_info: { page: 1, total_page: 2 } }),
      ok({ list: [row('c1', '2025-01-02', 5.5)], page_info: { page: 2, total_page: 2 } }),
      ok({ list: [row('c1', '2025-02-05', '1.00')], page_info: { page: 1, total_page: 1 } }),
    );
    const out = fetchAdSpend({ transport, clock: new FakeClock(), random: new FakeRandom() }, config, { startDate: '2025-01-01', endDate: '2025-02-05' });
    expect(out).toEqual([
      { advertiserId: '7001', date: '2025-01-01', advertiserTimezone: 'America/Los_Angeles', campaignId: 'c1', campaignName: '', currency: 'USD', spend: 1234, grossSpend: 1234, fundingSource: 'AD_ACCOUNT', productIds: [], creatorUsername: null },
      // An ad credit paid 5.00 of the 20.00: the cost is the 15.00 billed, the 20.00 stays visible.
      expect.objectContaining({ campaignId: 'c3', spend: 1500, grossSpend: 2000 }),
      expect.objectContaining({ date: '2025-01-02', spend: 550 }),
      expect.objectContaining({ date: '2025-02-05', spend: 100 }),
    ]);
    const reqs = transport.requests.map((r) => ({ ...parseUrl(r.url), headers: r.headers, method: r.method, payload: r.payload }));
    expect(reqs[0].path).toBe('/open_api/v1.3/report/integrated/get/');
    expect(reqs[0].headers).toEqual({ 'Access-Token': 'adtok' });
    expect(reqs[0].method).toBe('get');
    expect(reqs[0].payload).toBeUndefined();
    expect(reqs[0].query).toEqual({
      advertiser_id: '7001', report_type: 'BASIC', service_type: 'AUCTION', data_level: 'AUCTION_CAMPAIGN',
      dimensions: '["campaign_id","stat_time_day"]', metrics: '["spend","billed_cost"]', start_date: '2025-01-01', end_date: '2025-01-30', page: '1', page_size: '1000',
    });
    expect(reqs.map((r) => [r.query.start_date, r.query.end_date, r.query.page])).toEqual([
      ['2025-01-01', '2025-01-30', '1'], ['2025-01-01', '2025-01-30', '2'], ['2025-01-31', '2025-02-05', '1'],
    ]);
  });

  test('bad rows are DataErrors naming the campaign/day and field; errors are thrown; 5xx retried', () => {
    const deps = () => ({ transport: new FakeTransport(), clock: new FakeClock(), random: new FakeRandom() });
    const d1 = deps();
    d1.transport.reply(ok({ list: [row('c9', '2025-01-01', '1.234')], page_info: { total_page: 1 } }));
    expect(() => fetchAdSpend(d1, config, { startDate: '2025-01-01', endDate: '2025-01-01' })).toThrow(/campaign c9 2025-01-01 00:00:00: field "metrics.spend" expected at most 2 decimal places/);
    const d0 = deps();
    d0.transport.reply(ok({ list: [{ dimensions: { campaign_id: 'c8', stat_time_day: '2025-01-01 00:00:00' }, metrics: { spend: '1.00' } }], page_info: { total_page: 1 } }));
    expect(() => fetchAdSpend(d0, config, { startDate: '2025-01-01', endDate: '2025-01-01' })).toThrow(/field "metrics.billed_cost"/);
    const d2 = deps();
    d2.transport.reply({ status: 200, headers: {}, body: JSON.stringify({ code: 40105, message: 'Access token is incorrect or has been revoked.', request_id: 'r' }) });
    expect(() => fetchAdSpend(d2, config, { startDate: '2025-01-01', endDate: '2025-01-01' })).toThrow(/GET \/open_api\/v1.3\/report\/integrated\/get\/: Access token is incorrect.*code 40105/);
    const d3 = deps();
    d3.transport.route = () => ({ status: 503, headers: {}, body: 'unavailable' });
    expect(() => fetchAdSpend(d3, { ...config, retry: { maxAttempts: 2 } }, { startDate: '2025-01-01', endDate: '2025-01-01' })).toThrow(RetryExhaustedError);
    expect(d3.transport.requests).toHaveLength(2);
  });
});
