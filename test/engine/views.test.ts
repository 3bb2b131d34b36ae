/**
 * Accrual vs cash on one small shop, by hand: an order sold on 5 Oct, settled on the 14th
 * (Los Angeles), partly refunded on a statement of the 24th; a sample shipped on the 8th;
 * ad spend on the 5th.
 */
import { computeMargins } from '../../src/core/margin';
import { periodView } from '../../src/core/views';
import { ad, adjustmentTx, at, cost, line, order, orderTx, refund, settings, shop } from './fixtures';

const s1 = Date.UTC(2026, 9, 15) / 1000; // 14 Oct 17:00 in Los Angeles
const s2 = Date.UTC(2026, 9, 25) / 1000; // 24 Oct
const data = shop({
  orders: [order('o1', { shippingFee: 500 }), order('s1', { isSample: true, sampleCreator: 'creator_x', createTime: at('2026-10-08'), paidTime: at('2026-10-08') })],
  lines: [line('o1', 'L1', { originalPrice: 4000, sellerDiscount: 500 }), line('s1', 'L1', { originalPrice: 0 })],
  returns: [refund('r1', 'o1', { refundShipping: 0, lines: [{ lineId: 'L1', skuId: 'sku-1', quantity: 0, refundedOriginal: 1000, refundedSellerDiscount: 125 }] })],
  transactions: [
    orderTx('o1', s1, { subtotalBeforeDiscount: 4000, sellerDiscount: -500, customerPaidShippingFee: 500, shippingCostAmount: -200, fees: { referral_fee_amount: -210 } }),
    orderTx('o1', s2, { refundSubtotalBeforeDiscount: -1000, sellerDiscountRefund: 125, fees: { referral_fee_amount: 52, refund_administration_fee_amount: -10 } }),
    adjustmentTx('SAMPLE_SHIPPING_FEE', 's1', at('2026-10-09'), -400),
  ],
  adSpend: [ad('2026-10-05', 1000)],
  cogs: [cost('SKU-A', 1200, '2026-01-01')],
});
const result = computeMargins(data, settings(), at('2026-11-01'));

test('accrual: everything on the order days', () => {
  const v = periodView(result, data, settings(), 'accrual', 'day');
  const oct5 = v.rows.find((r) => r.bucket === '2026-10-05')!;
  // Net revenue 3500 − 875 refunded + 500 shipping = 3125; COGS 1200 (refund only: nothing restocked).
  expect(oct5).toMatchObject({ orders: 1, netRevenue: 3125, cogs: 1200, cm1: 1925 });
  // Fees 210 − 52 + 10 = 168; shipping 200 + 500 customer-paid = 700; ads 1000 on its only order.
  expect(oct5).toMatchObject({ platformFees: 168, fulfilmentAndShipping: 700, adSpend: 1000, cm3: 1925 - 168 - 700 - 1000 });
  const oct8 = v.rows.find((r) => r.bucket === '2026-10-08')!;
  expect(oct8).toMatchObject({ orders: 1, netRevenue: 0, sampleCost: 1600, cm3: -1600 }); // 1200 product + 400 shipping
});

test('cash: everything on the statement days; totals equal accrual once all is settled', () => {
  const cash = periodView(result, data, settings(), 'cash', 'day');
  const by = new Map(cash.rows.map((r) => [r.bucket, r]));
  expect(by.get('2026-10-05')).toMatchObject({ netRevenue: 0, adSpend: 1000, cm3: -1000 });
  expect(by.get('2026-10-09')).toMatchObject({ sampleCost: 1600 }); // first statement of the sample
  expect(by.get('2026-10-14')).toMatchObject({ orders: 1, netRevenue: 4000, cogs: 1200, platformFees: 210, fulfilmentAndShipping: 700 });
  expect(by.get('2026-10-24')).toMatchObject({ netRevenue: -875, platformFees: -42 });
  expect(cash.unsettledOrders).toBe(0);

  const accrual = periodView(result, data, settings(), 'accrual', 'month');
  const cashMonth = periodView(result, data, settings(), 'cash', 'month');
  expect(cashMonth.rows).toEqual(accrual.rows.map((r) => ({ ...r, estimatedOrders: 0 })));
  expect(accrual.rows[0].cm3).toBe(1925 - 168 - 700 - 1000 - 1600);
});
