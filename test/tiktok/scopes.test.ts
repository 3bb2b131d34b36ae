import { missingScopes, requiredScopes, scopeOf, scopeOfPath } from '../../src/tiktok/scopes';
import { ENDPOINTS, pathOf, type EndpointName } from '../../src/tiktok/versions';
import { TikTokShopClient } from '../../src/tiktok/request';
import { MissingScopeError } from '../../src/tiktok/errors';
import { fetchReturns } from '../../src/tiktok/returns';
import { fetchAffiliateOrders } from '../../src/tiktok/affiliate';
import { fetchProducts } from '../../src/tiktok/products';
import { fetchShopPerformance } from '../../src/tiktok/analytics';
import { fetchUnsettledOrders } from '../../src/tiktok/finance';
import { FakeClock, FakeRandom, FakeTransport, fail, nodeHmac } from './fakes';

function client(transport: FakeTransport) {
  return new TikTokShopClient({ appKey: 'ak', appSecret: 'sec', shopCipher: 'CIPH' }, {
    transport, clock: new FakeClock(), random: new FakeRandom(), hmac: nodeHmac, tokens: { accessToken: () => 't', refreshExpired: () => 't' },
  });
}

describe('scopes', () => {
  test('each endpoint maps to its scope, by name and by concrete path', () => {
    expect(scopeOf('returnsSearch')).toBe('seller.return_refund.basic');
    expect(scopeOf('affiliateOrdersSearch')).toBe('seller.affiliate_collaboration.read');
    expect(scopeOf('productPerformance')).toBe('data.shop_analytics.public.read');
    for (const name of Object.keys(ENDPOINTS) as EndpointName[]) {
      const path = pathOf(name, { statement_id: 's1', order_id: 'o1' });
      expect([name, scopeOfPath(path)]).toEqual([name, ENDPOINTS[name].scope]);
    }
    expect(scopeOfPath('/nope/202309/x')).toBeNull();
  });

  test('required and missing scopes (from granted_scopes)', () => {
    expect(requiredScopes()).toEqual(expect.arrayContaining([
      'seller.order.info', 'seller.finance.info', 'seller.return_refund.basic', 'seller.product.basic', 'data.shop_analytics.public.read', 'seller.affiliate_collaboration.read',
    ]));
    const all = requiredScopes();
    expect(missingScopes(all)).toEqual([]);
    const m = missingScopes(all.filter((s) => s !== 'seller.return_refund.basic'));
    expect(m).toEqual([{ scope: 'seller.return_refund.basic', endpoints: ['returnsSearch', 'cancellationsSearch'] }]);
  });

  test('a 105005 on each new resource names the scope to grant', () => {
    const cases: [string, (c: TikTokShopClient) => unknown][] = [
      ['seller.return_refund.basic', (c) => fetchReturns(c, { updateTimeGe: 1, updateTimeLt: 2 }, () => undefined)],
      ['seller.affiliate_collaboration.read', (c) => fetchAffiliateOrders(c, { createTimeGe: 1, createTimeLt: 2 }, () => undefined)],
      ['seller.product.basic', (c) => fetchProducts(c, {}, () => undefined)],
      ['data.shop_analytics.public.read', (c) => fetchShopPerformance(c, { startDate: '2025-01-01', endDateLt: '2025-01-02' })],
      ['seller.finance.info', (c) => fetchUnsettledOrders(c, { now: () => 1 }, { searchTimeGe: 1, searchTimeLt: 2 }, () => undefined)],
    ];
    for (const [scope, run] of cases) {
      const transport = new FakeTransport();
      transport.reply(fail(105005, 'you should apply auth pkg for this api'));
      let err: unknown;
      try {
        run(client(transport));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(MissingScopeError);
      expect((err as MissingScopeError).scope).toBe(scope);
      expect((err as Error).message).toContain(`"${scope}" scope`);
      expect(transport.requests).toHaveLength(1);
    }
  });
});
