import { fetchProductPerformance, fetchShopPerformance, mapShopInterval } from '../../src/tiktok/analytics';
import { TikTokShopClient } from '../../src/tiktok/request';
import type { ProductPerformance } from '../../src/core/records';
import { FakeClock, FakeRandom, FakeTransport, nodeHmac, ok, parseUrl } from './fakes';

function client(transport: FakeTransport) {
  return new TikTokShopClient({ appKey: 'ak', appSecret: 'sec', shopCipher: 'CIPH' }, {
    transport, clock: new FakeClock(), random: new FakeRandom(), hmac: nodeHmac, tokens: { accessToken: () => 't', refreshExpired: () => 't' },
  });
}

function interval(day: string, next: string, gmv = '100.50') {
  return {
    start_date: day, end_date: next, gmv: { amount: gmv, currency: 'GBP' }, orders: 3, sku_orders: 4, units_sold: 5, buyers: 2,
    product_impressions: 1000, product_page_views: 80, avg_order_value: { amount: '33.50', currency: 'GBP' },
    gmv_breakdowns: [{ type: 'LIVE', amount: '50.00', currency: 'GBP' }, { type: 'VIDEO', amount: '30.50', currency: 'GBP' }, { type: 'PRODUCT_CARD', amount: '20.00', currency: 'GBP' }, { type: 'SHOWROOM', amount: '1.00', currency: 'GBP' }],
  };
}

describe('shop performance', () => {
  test('maps a daily interval; unknown breakdown types are left out', () => {
    expect(mapShopInterval(interval('2025-03-01', '2025-03-02'))).toEqual({
      date: '2025-03-01', currency: 'GBP', gmv: 10050, orders: 3, buyers: 2, productImpressions: 1000, productPageViews: 80,
      gmvByType: { LIVE: 5000, VIDEO: 3050, PRODUCT_CARD: 2000 },
    });
    expect(() => mapShopInterval(interval('2025-03-01', '2025-03-08'))).toThrow(/shop performance interval \(GET \/analytics\/202405\/shop\/performance\) 2025-03-01: field "end_date" expected the day after start_date/);
    expect(() => mapShopInterval({ start_date: '2025-03-01' })).toThrow(/field "gmv.currency"/);
    expect(mapShopInterval({ start_date: '2025-03-01' }, { currency: 'GBP' })).toMatchObject({ gmv: 0, orders: 0, gmvByType: {} });
  });

  test('GET with 1D granularity, LOCAL currency, shop-timezone dates; ≤ 30-day windows; days after latest_available_date dropped', () => {
    const transport = new FakeTransport((req) => {
      const q = parseUrl(req.url).query;
      return ok({ performance: { intervals: [interval(q.start_date_ge, nextDay(q.start_date_ge))] }, latest_available_date: '2025-02-03' });
    });
    const r = fetchShopPerformance(client(transport), { startDate: '2025-01-01', endDateLt: '2025-02-05' });
    const qs = transport.requests.map((x) => parseUrl(x.url));
    expect(qs[0].path).toBe('/analytics/202405/shop/performance');
    expect(qs.map((q) => [q.query.start_date_ge, q.query.end_date_lt])).toEqual([['2025-01-01', '2025-01-31'], ['2025-01-31', '2025-02-05']]);
    expect(qs[0].query).toMatchObject({ granularity: '1D', currency: 'LOCAL' });
    expect(transport.requests[0].payload).toBeUndefined();
    expect(r.days.map((d) => d.date)).toEqual(['2025-01-01', '2025-01-31']);
    expect(r.latestAvailableDate).toBe('2025-02-03');
    expect(() => fetchShopPerformance(client(transport), { startDate: '2025-01-02', endDateLt: '2025-01-02' })).toThrow(/start < end/);
  });
});

function nextDay(d: string): string {
  const t = new Date(`${d}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
}

describe('product performance', () => {
  test('one paged list call per day (the list aggregates over its range); stops at latest_available_date', () => {
    const transport = new FakeTransport((req) => {
      const q = parseUrl(req.url).query;
      if (q.start_date_ge === '2025-03-01' && !q.page_token) {
        return ok({ products: [{ id: '1732333333333333629', gmv: { amount: '10.00', currency: 'USD' }, orders: 1, units_sold: 2, click_through_rate: '0.05' }], next_page_token: 'pg2', latest_available_date: '2025-03-02' });
      }
      if (q.start_date_ge === '2025-03-01') return ok({ products: [{ id: 42, gmv: { amount: '1.50', currency: 'USD' }, units_sold: 1, impressions: 90, page_views: 9 }], next_page_token: '', latest_available_date: '2025-03-02' });
      if (q.start_date_ge === '2025-03-02') return ok({ products: [], latest_available_date: '2025-03-02' });
      return ok({ products: [{ id: '7', gmv: { amount: '0', currency: 'USD' } }], latest_available_date: '2025-03-02' });
    });
    const days: [string, ProductPerformance[]][] = [];
    const r = fetchProductPerformance(client(transport), { startDate: '2025-03-01', endDateLt: '2025-03-05' }, (recs, d) => days.push([d, recs]));
    expect(days).toEqual([
      ['2025-03-01', [
        { productId: '1732333333333333629', date: '2025-03-01', impressions: 0, pageViews: 0, unitsSold: 2, currency: 'USD', gmv: 1000 },
        { productId: '42', date: '2025-03-01', impressions: 90, pageViews: 9, unitsSold: 1, currency: 'USD', gmv: 150 },
      ]],
      ['2025-03-02', []],
    ]);
    expect(r).toEqual({ days: 2, pages: 3, latestAvailableDate: '2025-03-02' });
    const qs = transport.requests.map((x) => parseUrl(x.url));
    expect(qs[0]).toMatchObject({ path: '/analytics/202405/shop_products/performance', query: { start_date_ge: '2025-03-01', end_date_lt: '2025-03-02', currency: 'LOCAL', page_size: '100' } });
    expect(qs[1].query.page_token).toBe('pg2');
    expect(qs.map((q) => q.query.start_date_ge)).toEqual(['2025-03-01', '2025-03-01', '2025-03-02']);
  });

  test('an inexact numeric product id is refused', () => {
    const transport = new FakeTransport(() => ok({ products: [{ id: 1732333333333333629, gmv: { amount: '1', currency: 'USD' } }] }));
    expect(() => fetchProductPerformance(client(transport), { startDate: '2025-03-01', endDateLt: '2025-03-02' }, () => undefined))
      .toThrow(/product performance \(GET \/analytics\/202405\/shop_products\/performance\) .* on 2025-03-01: field "id" expected a product id exact in JSON/);
  });
});
