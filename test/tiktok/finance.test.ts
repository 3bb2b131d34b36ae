import { fetchPayments, fetchStatements, fetchStatementTransactions, mapPayment, mapStatement, mapStatementTransaction } from '../../src/tiktok/finance';
import { TikTokShopClient } from '../../src/tiktok/request';
import type { Statement } from '../../src/core/records';
import { DataError } from '../../src/core/errors';
import { FakeClock, FakeRandom, FakeTransport, nodeHmac, ok, parseUrl } from './fakes';

function client(transport: FakeTransport) {
  return new TikTokShopClient({ appKey: 'ak', appSecret: 'sec', shopCipher: 'CIPH' }, {
    transport, clock: new FakeClock(), random: new FakeRandom(), hmac: nodeHmac, tokens: { accessToken: () => 't', refreshExpired: () => 't' },
  });
}

const statement: Statement = {
  statementId: 'st1', statementTime: 1700006400, currency: 'USD', settlementAmount: 0, revenueAmount: 0, feeAmount: 0,
  adjustmentAmount: 0, shippingCostAmount: 0, netSalesAmount: 0, paymentStatus: 'PAID', paymentId: null,
};

const orderTx = {
  type: 'ORDER', order_id: 'o1', currency: 'USD', settlement_amount: '15.10', revenue_amount: '20.00', shipping_cost_amount: '-1.50',
  fee_tax_amount: '-3.40', adjustment_amount: '0', reserve_amount: '-0.50', future_field: 'x',
  revenue_breakdown: { subtotal_before_discount_amount: '22.00', seller_discount_amount: '-2.00', refund_subtotal_before_discount_amount: '0' },
  shipping_cost_breakdown: { customer_paid_shipping_fee_amount: '4.99', actual_shipping_fee_amount: '-6.49', supplementary_component: { platform_shipping_fee_discount_amount: '1.00' } },
  fee_tax_breakdown: { fee: { referral_fee_amount: '-1.60', transaction_fee_amount: '-0.60', affiliate_commission_amount: '-1.00', brand_new_fee_amount: '-0.10' }, tax: { vat_amount: '-0.10' } },
};

describe('statement transactions (202501)', () => {
  test('maps amounts with their TikTok signs, breakdowns and fee fields; a field no table classifies is kept by name', () => {
    expect(mapStatementTransaction(orderTx, statement)).toEqual({
      transactionId: 'st1:ORDER:o1:', statementId: 'st1', statementTime: 1700006400, currency: 'USD', type: 'ORDER', orderId: 'o1',
      adjustmentId: null, skuId: null, settlementAmount: 1510, revenueAmount: 2000, shippingCostAmount: -150, feeTaxAmount: -340,
      adjustmentAmount: 0, subtotalBeforeDiscount: 2200, refundSubtotalBeforeDiscount: 0, sellerDiscount: -200, sellerDiscountRefund: 0,
      customerPaidShippingFee: 499, actualShippingFee: -649,
      fees: { referral_fee_amount: -160, transaction_fee_amount: -60, affiliate_commission_amount: -100, vat_amount: -10 },
      unclassifiedFees: { brand_new_fee_amount: -10 },
      reserveAmount: -50,
    });
  });

  test('adjustments: order id from adjustment_order_id; repeated composite keys made unique; own id preferred', () => {
    const seen = new Map<string, number>();
    const adj = { type: 'SHIPPING_FEE_ADJUSTMENT', adjustment_id: 'adj9', adjustment_order_id: 'o2', settlement_amount: '-2.00', adjustment_amount: '-2.00' };
    const a = mapStatementTransaction(adj, statement, seen);
    const b = mapStatementTransaction(adj, statement, seen);
    expect([a.transactionId, b.transactionId]).toEqual(['st1:SHIPPING_FEE_ADJUSTMENT::adj9', 'st1:SHIPPING_FEE_ADJUSTMENT::adj9#2']);
    expect(a).toMatchObject({ orderId: 'o2', adjustmentId: 'adj9', revenueAmount: 0, fees: {} });
    expect(mapStatementTransaction({ ...adj, id: 'tx-1' }, statement).transactionId).toBe('tx-1');
  });

  test('an unknown type or a missing settlement amount is a DataError naming the endpoint and field', () => {
    expect(() => mapStatementTransaction({ ...orderTx, type: 'MYSTERY' }, statement)).toThrow(/statement transaction \(GET \/finance\/202501\/statements\/st1\/statement_transactions\) o1: field "type" expected one of ORDER/);
    const { settlement_amount: _, ...noSettle } = orderTx;
    expect(() => mapStatementTransaction(noSettle, statement)).toThrow(DataError);
    expect(() => mapStatementTransaction({ ...orderTx, fee_tax_breakdown: { fee: { referral_fee_amount: 'abc' } } }, statement)).toThrow(/field "fee_tax_breakdown.fee.referral_fee_amount"/);
  });

  test('fetch: 202501 path, required sort_field, pages', () => {
    const transport = new FakeTransport();
    transport.reply(ok({ transactions: [orderTx], next_page_token: 'n' }), ok({ transactions: [{ ...orderTx, order_id: 'o3' }], next_page_token: '' }));
    const got: string[] = [];
    fetchStatementTransactions(client(transport), statement, (txs) => got.push(...txs.map((t) => t.orderId!)));
    expect(got).toEqual(['o1', 'o3']);
    const { path, query } = parseUrl(transport.requests[0].url);
    expect(path).toBe('/finance/202501/statements/st1/statement_transactions');
    expect(query).toMatchObject({ sort_field: 'order_create_time', page_size: '100' });
    expect(transport.requests[0].payload).toBeUndefined();
  });
});

describe('statements and payments', () => {
  test('statements: query and mapping', () => {
    const transport = new FakeTransport();
    transport.reply(ok({ statements: [{ id: 's1', statement_time: 1700006400, currency: 'USD', settlement_amount: '100.00', fee_amount: '-12.00', adjustment_amount: '0', shipping_cost_amount: '-5.00', payment_status: 'PAID', payment_id: 'pay1' }], next_page_token: '' }));
    const out: Statement[] = [];
    fetchStatements(client(transport), { statementTimeGe: 1, statementTimeLt: 2 }, (s) => out.push(...s));
    expect(out).toEqual([{ statementId: 's1', statementTime: 1700006400, currency: 'USD', settlementAmount: 10000, revenueAmount: 0, feeAmount: -1200, adjustmentAmount: 0, shippingCostAmount: -500, netSalesAmount: 0, paymentStatus: 'PAID', paymentId: 'pay1' }]);
    expect(parseUrl(transport.requests[0].url).query).toMatchObject({ sort_field: 'statement_time', statement_time_ge: '1', statement_time_lt: '2', page_size: '100' });
    expect(() => mapStatement({ id: 's2', statement_time: 1, currency: 'USD', settlement_amount: '1', payment_status: 'SENT' })).toThrow(/statement \(GET \/finance\/202309\/statements\) s2: field "payment_status"/);
  });

  test('payments: {value,currency} objects or plain strings; paid_time 0 → null', () => {
    expect(mapPayment({ id: 'p1', create_time: 10, paid_time: 0, status: 'PROCESSING', amount: { value: '90.00', currency: 'USD' }, settlement_amount: { value: '100.00', currency: 'USD' }, reserve_amount: '-10.00' }))
      .toEqual({ paymentId: 'p1', createTime: 10, paidTime: null, status: 'PROCESSING', currency: 'USD', amount: 9000, settlementAmount: 10000, reserveAmount: -1000 });
    expect(() => mapPayment({ id: 'p2', create_time: 10, status: 'PAID', amount: { value: '1', currency: 'USD' }, settlement_amount: { value: '1', currency: 'GBP' } })).toThrow(/p2: field "settlement_amount.currency"/);
    const transport = new FakeTransport();
    transport.reply(ok({ payments: [], next_page_token: '' }));
    fetchPayments(client(transport), { createTimeGe: 5, createTimeLt: 6 }, () => undefined);
    expect(parseUrl(transport.requests[0].url)).toMatchObject({ path: '/finance/202309/payments', query: { sort_field: 'create_time', create_time_ge: '5', create_time_lt: '6' } });
  });
});
