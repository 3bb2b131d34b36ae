import { fetchAffiliateOrders, mapAffiliateOrder } from '../../src/tiktok/affiliate';
import { TikTokShopClient } from '../../src/tiktok/request';
import type { CreatorOrderLine } from '../../src/core/records';
import { FakeClock, FakeRandom, FakeTransport, nodeHmac, ok, parseUrl } from './fakes';

function client(transport: FakeTransport) {
  return new TikTokShopClient({ appKey: 'ak', appSecret: 'sec', shopCipher: 'CIPH' }, {
    transport, clock: new FakeClock(), random: new FakeRandom(), hmac: nodeHmac, tokens: { accessToken: () => 't', refreshExpired: () => 't' },
  });
}

const sku = {
  id: 'sku-1', product_id: 'p-1', creator_username: 'alice', content_type: 'VIDEO', content_id: 'v9', campaign_id: 'cmp',
  price: { amount: '19.99', currency: 'USD' }, quantity: 2, refunded_quantity: 0, returned_quantity: 1,
  commission_rate: 1550, shop_ads_commission_rate: '500', commission_model: 'STANDARD',
  estimated_commission_base: { amount: '39.98', currency: 'USD' }, estimated_paid_commission: '6.20',
  actual_commission_base: '19.99', actual_paid_commission: { amount: '3.10', currency: 'USD' },
  estimated_paid_shop_ads_commission: '1.00', actual_cofunded_creator_bonus_amount: '0.50',
};
const order = { id: 'o1', create_time: 1700000000, delivery_time: 1700100000, status: 'COMPLETED', skus: [sku, { ...sku, id: 'sku-2', content_type: 'SHOWCASE', shop_ads_commission_rate: undefined }], other: true };

describe('affiliate orders', () => {
  test('one record per SKU; rate in hundredths of a percent; amounts as strings or {amount,currency}', () => {
    const [a, b] = mapAffiliateOrder(order);
    expect(a).toEqual({
      orderId: 'o1', skuId: 'sku-1', productId: 'p-1', creatorUsername: 'alice', contentType: 'VIDEO', contentId: 'v9', status: 'COMPLETED',
      createTime: 1700000000, currency: 'USD', commissionRateBp: 1550, shopAdsCommissionRateBp: 500, quantity: 2, refundedQuantity: 0,
      returnedQuantity: 1, price: 1999, estimatedCommissionBase: 3998, estimatedCommission: 620, estimatedShopAdsCommission: 100,
      estimatedCofundedBonus: 0, actualCommissionBase: 1999, actualCommission: 310, actualShopAdsCommission: 0, actualCofundedBonus: 50,
    } satisfies CreatorOrderLine);
    expect(b).toMatchObject({ skuId: 'sku-2', contentType: 'SHOP', shopAdsCommissionRateBp: 0 });
    expect(mapAffiliateOrder({ ...order, skus: [] })).toEqual([]);
    // the sandbox's shape: sku_id, string rates, a per-SKU status
    const [c] = mapAffiliateOrder({ ...order, skus: [{ ...sku, id: undefined, sku_id: 'sku-9', commission_rate: '1000', status: 'CANCELLED' }] });
    expect(c).toMatchObject({ skuId: 'sku-9', commissionRateBp: 1000, status: 'CANCELLED' });
  });

  // Live payloads (issue 13): an absent commission amount arrives as [] or {}, and commission_rate
  // can be missing. Neither changes a figure: the page is kept, the rate is null (a data note).
  test('empty money objects read as 0 and a missing commission rate as null; the page is kept', () => {
    const live = {
      ...sku, commission_rate: undefined, estimated_paid_commission: [], actual_paid_commission: {}, actual_commission_base: { currency: 'USD' },
      estimated_paid_shop_ads_commission: [], actual_cofunded_creator_bonus_amount: {},
    };
    expect(mapAffiliateOrder({ ...order, skus: [live] })).toEqual([{
      orderId: 'o1', skuId: 'sku-1', productId: 'p-1', creatorUsername: 'alice', contentType: 'VIDEO', contentId: 'v9', status: 'COMPLETED',
      createTime: 1700000000, currency: 'USD', commissionRateBp: null, shopAdsCommissionRateBp: 500, quantity: 2, refundedQuantity: 0,
      returnedQuantity: 1, price: 1999, estimatedCommissionBase: 3998, estimatedCommission: 0, estimatedShopAdsCommission: 0,
      estimatedCofundedBonus: 0, actualCommissionBase: 0, actualCommission: 0, actualShopAdsCommission: 0, actualCofundedBonus: 0,
    } satisfies CreatorOrderLine]);
    // Still strict where money is at stake: a non-empty list, a text that is no exact amount.
    expect(() => mapAffiliateOrder({ ...order, skus: [{ ...sku, actual_paid_commission: ['3.10'] }] })).toThrow(/o1: field "skus.0.actual_paid_commission/);
    expect(() => mapAffiliateOrder({ ...order, skus: [{ ...sku, actual_paid_commission: { amount: '3.105', currency: 'USD' } }] }))
      .toThrow(/o1\/sku-1: field "skus.0.actual_paid_commission.amount" expected at most 2 decimal places for USD/);
  });

  test('DataErrors name endpoint, order/SKU and field', () => {
    expect(() => mapAffiliateOrder({ ...order, skus: [{ ...sku, content_type: 'RADIO' }] }))
      .toThrow(/affiliate order \(POST \/affiliate_seller\/202410\/orders\/search\) o1\/sku-1: field "skus.0.content_type" expected one of SHOP, VIDEO/);
    // An unknown status changes no figure: kept as sent (a data note names it).
    expect(mapAffiliateOrder({ ...order, status: 'PAID' }).map((l) => l.status)).toEqual(['PAID', 'PAID']);
    expect(() => mapAffiliateOrder({ ...order, skus: [{ ...sku, actual_paid_commission: { amount: '1', currency: 'EUR' } }] })).toThrow(/field "skus.0.actual_paid_commission.currency" expected the price currency USD/);
    expect(() => mapAffiliateOrder({ ...order, skus: [{ ...sku, commission_rate: 15.5 }] })).toThrow(/o1: field "skus.0.commission_rate"/);
    expect(() => mapAffiliateOrder({ ...order, skus: [{ ...sku, creator_username: '' }] })).toThrow(/field "skus.0.creator_username"/);
  });

  test('search: create-time window in the body, page_size 100, paged to exhaustion', () => {
    const transport = new FakeTransport();
    transport.reply(ok({ orders: [order], next_page_token: 'x' }), ok({ orders: [{ ...order, id: 'o2' }], next_page_token: '' }));
    const got: string[] = [];
    const r = fetchAffiliateOrders(client(transport), { createTimeGe: 10, createTimeLt: 20 }, (ls) => got.push(...ls.map((l) => `${l.orderId}/${l.skuId}`)));
    expect(r.pages).toBe(2);
    expect(got).toEqual(['o1/sku-1', 'o1/sku-2', 'o2/sku-1', 'o2/sku-2']);
    expect(parseUrl(transport.requests[0].url)).toMatchObject({ path: '/affiliate_seller/202410/orders/search', query: { page_size: '100' } });
    expect(JSON.parse(transport.requests[0].payload!)).toEqual({ create_time_ge: 10, create_time_lt: 20 });
    expect(() => fetchAffiliateOrders(client(new FakeTransport()), { createTimeGe: 10, createTimeLt: 20 }, () => undefined, { pageSize: 101 })).toThrow(/from 1 to 100/);
  });
});
