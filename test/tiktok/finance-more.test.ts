import {
  fetchOrderStatementTransactions, fetchUnsettledOrders, fetchWithdrawals, mapOrderSkuTransaction, mapUnsettledTransaction, mapWithdrawal,
} from '../../src/tiktok/finance';
import { TikTokShopClient } from '../../src/tiktok/request';
import type { StatementTransaction, UnsettledEstimate } from '../../src/core/records';
import { FakeClock, FakeRandom, FakeTransport, nodeHmac, ok, parseUrl } from './fakes';

function client(transport: FakeTransport) {
  return new TikTokShopClient({ appKey: 'ak', appSecret: 'sec', shopCipher: 'CIPH' }, {
    transport, clock: new FakeClock(), random: new FakeRandom(), hmac: nodeHmac, tokens: { accessToken: () => 't', refreshExpired: () => 't' },
  });
}

const unsettled = {
  id: 'tx1', type: 'ORDER', status: 'UNSETTLED', currency: 'USD', order_id: 'o1', order_create_time: 1700000000, estimated_settlement: '7 days after delivery',
  unsettled_reason: 'waiting for delivery', est_settlement_amount: '13.00', est_revenue_amount: '20.00', est_shipping_cost_amount: '-4.00',
  est_fee_tax_amount: '-3.00', est_adjustment_amount: '0', revenue_breakdown: { subtotal_before_discount_amount: '21.00' },
  shipping_cost_breakdown: { customer_paid_shipping_fee_amount: '4.99', actual_shipping_fee_amount: '-8.99' },
  fee_tax_breakdown: { fee: { referral_fee_amount: '-2.40', transaction_fee_amount: '-0.60', mystery_fee: '-0.10' }, tax: {} },
};

describe('unsettled orders', () => {
  test('maps an ORDER estimate with its fee breakdown; adjustments are skipped', () => {
    expect(mapUnsettledTransaction(unsettled, 1700009999)).toEqual({
      orderId: 'o1', currency: 'USD', fetchedTime: 1700009999, estRevenueAmount: 2000, estShippingCostAmount: -400, estFeeTaxAmount: -300,
      estAdjustmentAmount: 0, estSettlementAmount: 1300, estCustomerPaidShippingFee: 499, fees: { referral_fee_amount: -240, transaction_fee_amount: -60 },
      unclassifiedFees: { mystery_fee: -10 },
    } satisfies UnsettledEstimate);
    expect(mapUnsettledTransaction({ type: 'CUSTOMER_SERVICE_COMPENSATION', adjustment_id: 'a1', est_settlement_amount: '-1.00' }, 1)).toBeNull();
    expect(mapUnsettledTransaction({ ...unsettled, fee_tax_breakdown: undefined, currency: undefined }, 1, { currency: 'USD' })!.fees).toEqual({});
    expect(() => mapUnsettledTransaction({ ...unsettled, est_settlement_amount: undefined }, 1)).toThrow(/unsettled transaction \(GET \/finance\/202507\/orders\/unsettled\) o1: field "est_settlement_amount"/);
    expect(() => mapUnsettledTransaction({ ...unsettled, order_id: '' }, 1)).toThrow(/field "order_id"/);
  });

  test('fetch: sort_field order_create_time, search_time window, fetchedTime = the clock now (floored), paged', () => {
    const transport = new FakeTransport();
    transport.reply(
      ok({ transactions: [unsettled, { type: 'GMV_PAYMENT_FOR_ADS', adjustment_id: 'a', est_settlement_amount: '-5' }], next_page_token: 'n', sum_est_settlement_amount: '8' }),
      ok({ transactions: [{ ...unsettled, order_id: 'o2' }], next_page_token: '' }),
    );
    const got: UnsettledEstimate[] = [];
    const r = fetchUnsettledOrders(client(transport), { now: () => 1700005000.7 }, { searchTimeGe: 1, searchTimeLt: 2 }, (es) => got.push(...es));
    expect(got.map((e) => [e.orderId, e.fetchedTime])).toEqual([['o1', 1700005000], ['o2', 1700005000]]);
    expect(r).toEqual({ pages: 2, nextPageToken: '', skippedAdjustments: 1, fetchedTime: 1700005000 });
    expect(parseUrl(transport.requests[0].url)).toMatchObject({
      path: '/finance/202507/orders/unsettled', query: { sort_field: 'order_create_time', sort_order: 'ASC', search_time_ge: '1', search_time_lt: '2', page_size: '100' },
    });
  });
});

describe('withdrawals', () => {
  test('types required (default all four, comma-joined); typed result', () => {
    const transport = new FakeTransport();
    transport.reply(ok({ withdrawals: [{ id: 'w1', type: 'WITHDRAW', amount: '-100.00', currency: 'USD', status: 'SUCCESS', create_time: 55 }], next_page_token: '' }));
    const got: unknown[] = [];
    fetchWithdrawals(client(transport), { createTimeGe: 1, createTimeLt: 99 }, (ws) => got.push(...ws));
    expect(got).toEqual([{ id: 'w1', type: 'WITHDRAW', status: 'SUCCESS', currency: 'USD', amount: -10000, createTime: 55 }]);
    expect(parseUrl(transport.requests[0].url)).toMatchObject({ path: '/finance/202309/withdrawals', query: { types: 'WITHDRAW,SETTLE,TRANSFER,REVERSE', create_time_ge: '1', create_time_lt: '99' } });
    const t2 = new FakeTransport();
    t2.reply(ok({}));
    fetchWithdrawals(client(t2), { createTimeGe: 1, createTimeLt: 99 }, () => undefined, { types: ['SETTLE'] });
    expect(parseUrl(t2.requests[0].url).query.types).toBe('SETTLE');
    expect(() => fetchWithdrawals(client(new FakeTransport()), { createTimeGe: 1, createTimeLt: 2 }, () => undefined, { types: [] })).toThrow(/types/);
    expect(() => mapWithdrawal({ id: 'w2', type: 'WITHDRAW', amount: '1', currency: 'USD', status: 'PAID', create_time: 1 })).toThrow(/withdrawal \(GET \/finance\/202309\/withdrawals\) w2: field "status"/);
  });
});

describe('order statement transactions (202501)', () => {
  const skuTx = {
    sku_id: 'sku-a', sku_name: 'Red', statement_id: 'st1', product_name: 'Tee', quantity: '1', settlement_amount: '13.00', revenue_amount: '20.00',
    shipping_cost_amount: '-4.00', fee_tax_amount: '-3.00',
    revenue_breakdown: { subtotal_before_discount_amount: '21.00', seller_discount_amount: '-1.00' },
    shipping_cost_breakdown: { customer_paid_shipping_fee_amount: '4.99', actual_shipping_fee_amount: '-8.99' },
    fee_tax_breakdown: { fee: { referral_fee_amount: '-3.00' } },
  };
  const times = (id: string) => (id === 'st1' ? 1700006400 : undefined);

  test('one ORDER StatementTransaction per SKU with the statement time from the caller', () => {
    const t = mapOrderSkuTransaction(skuTx, { orderId: 'o1', currency: 'USD' }, times);
    expect(t).toEqual({
      transactionId: 'st1:ORDER:o1::sku-a', statementId: 'st1', statementTime: 1700006400, currency: 'USD', type: 'ORDER', orderId: 'o1', adjustmentId: null,
      skuId: 'sku-a', settlementAmount: 1300, revenueAmount: 2000, shippingCostAmount: -400, feeTaxAmount: -300, adjustmentAmount: 0,
      subtotalBeforeDiscount: 2100, refundSubtotalBeforeDiscount: 0, sellerDiscount: -100, sellerDiscountRefund: 0, customerPaidShippingFee: 499,
      actualShippingFee: -899, fees: { referral_fee_amount: -300 }, reserveAmount: 0,
    } satisfies StatementTransaction);
    expect(() => mapOrderSkuTransaction({ ...skuTx, statement_id: 'st9' }, { orderId: 'o1', currency: 'USD' }, times, new Map(), 2))
      .toThrow(/order statement transaction \(GET \/finance\/202501\/orders\/o1\/statement_transactions\) o1\/sku-a: field "sku_transactions.2.statement_id" expected a statement_time, or a statement fetched/);
  });

  test('statement_time in the entry is used when sent; an entry without a SKU keys like the per-statement transaction', () => {
    const t = mapOrderSkuTransaction({ ...skuTx, sku_id: '', statement_id: 'st7', statement_time: 1700100000 }, { orderId: 'o1', currency: 'USD' });
    expect(t).toMatchObject({ transactionId: 'st7:ORDER:o1:', statementId: 'st7', statementTime: 1700100000, skuId: null });
  });

  test('fetch: GET by order id, no body, repeated SKU keys made unique, fee_and_tax_amount accepted', () => {
    const transport = new FakeTransport();
    const { fee_tax_amount: _, ...alt } = skuTx;
    transport.reply(ok({ order_id: 'o1', currency: 'USD', settlement_amount: '26.00', sku_transactions: [skuTx, { ...alt, fee_and_tax_amount: '-2.00' }], total_count: 2 }));
    const txs = fetchOrderStatementTransactions(client(transport), 'o1', times);
    expect(txs.map((t) => [t.transactionId, t.feeTaxAmount])).toEqual([['st1:ORDER:o1::sku-a', -300], ['st1:ORDER:o1::sku-a#2', -200]]);
    expect(parseUrl(transport.requests[0].url).path).toBe('/finance/202501/orders/o1/statement_transactions');
    expect(transport.requests[0].payload).toBeUndefined();
  });
});
