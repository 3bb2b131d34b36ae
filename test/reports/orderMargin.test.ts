/**
 * Order margin: one row per order with every component, by hand and against ground truth.
 *
 *   o1  5 Oct  SKU-A $40 (cost $12) + SKU-Z $10 + SKU-Y $5 (no cost), $5 shipping paid, creator_a (VIDEO);
 *       TikTok estimated referral $2.00, shipping label $7.50; the creator line estimated $1.50 commission.
 *       Settled 6 Oct: referral $2.10, label $8.00, commission $1.60 → true-up +10, +50, +10 = +70.
 *   o2  6 Oct  the same buyer again: SKU-A $20, no statement, no TikTok estimate → rate card 6% = $1.20.
 *   s1  7 Oct  sample for creator_x.
 */
import { FEE_COMPONENTS } from '../../src/core/margin-types';
import { ORDER_MARGIN_COLUMNS, orderMarginReport } from '../../src/core/reports/orderMargin';
import { generateShop } from '../../dev/generator/shop';
import { at, cost, creatorLine, estimate, line, order, orderTx, shop } from '../engine/fixtures';
import { reportInput, rowWhere, sumColumn } from './fixtures';

const data = shop({
  orders: [
    order('o1', { buyerId: 'A', createTime: at('2026-10-05'), paidTime: at('2026-10-05'), shippingFee: 500 }),
    order('o2', { buyerId: 'A', createTime: at('2026-10-06'), paidTime: at('2026-10-06') }),
    order('s1', { isSample: true, sampleCreator: 'creator_x', createTime: at('2026-10-07'), paidTime: at('2026-10-07') }),
  ],
  lines: [
    line('o1', 'L1', { originalPrice: 4000 }),
    line('o1', 'L2', { originalPrice: 1000, sellerSku: 'SKU-Z', skuId: 'sku-z' }),
    line('o1', 'L3', { originalPrice: 500, sellerSku: 'SKU-Y', skuId: 'sku-y' }),
    line('o2', 'L1', { originalPrice: 2000 }),
    line('s1', 'L1', { originalPrice: 0 }),
  ],
  unsettled: [estimate('o1', { estFeeTaxAmount: -200, fees: { referral_fee_amount: -200 }, estShippingCostAmount: -250, estCustomerPaidShippingFee: 500 })],
  creatorOrders: [creatorLine('o1', 'creator_a', { estimatedCommission: 150 })],
  transactions: [
    orderTx('o1', Date.UTC(2026, 9, 7) / 1000, {
      subtotalBeforeDiscount: 5500, customerPaidShippingFee: 500, shippingCostAmount: -300,
      fees: { referral_fee_amount: -210, affiliate_commission_amount: -160 },
    }),
  ],
  cogs: [cost('SKU-A', 1200, '2026-01-01')],
});
const input = reportInput(data, at('2026-10-08'));
const table = orderMarginReport(input);

test('one row per paid order, newest first', () => {
  expect(table.rows.map((r) => r.orderId)).toEqual(['s1', 'o2', 'o1']);
});

test('a settled order: every component, the true-up per component and in total, missing COGS SKUs joined', () => {
  expect(rowWhere(table, 'orderId', 'o1')).toMatchObject({
    day: '2026-10-05', status: 'COMPLETED', creator: 'creator_a', isSample: false, isFirstOrder: true,
    basis: 'settled', estimateSource: null, settlementDay: '2026-10-06',
    units: 3, grossSales: 5500, productRevenue: 5500, shippingRevenue: 500, netRevenue: 6000,
    cogs: 1200, missingCogsSkus: 'SKU-Y, SKU-Z', cm1: 4800,
    referralFee: 210, shippingCost: 800, affiliateCommission: 160, otherPlatformFees: 0,
    platformFees: 210, fulfilmentAndShipping: 800, creatorCommission: 160,
    cm2: 4800 - 210 - 800 - 160, adSpend: 0, cm3: 3630,
    trueUpReferralFee: 10, trueUpShippingCost: 50, trueUpAffiliateCommission: 10, trueUpTransactionFee: 0, trueUpTaxWithheld: 0,
    trueUpTotal: 70,
  });
  expect(rowWhere(table, 'orderId', 'o1').cm3Share).toBeCloseTo(3630 / 6000, 12);
});

test('an estimated order says from what; it has no true-up yet', () => {
  const r = rowWhere(table, 'orderId', 'o2');
  expect(r).toMatchObject({ basis: 'estimated', estimateSource: 'Rate card (Settings)', settlementDay: null, referralFee: 120, cm3: 2000 - 1200 - 120, isFirstOrder: false });
  for (const c of FEE_COMPONENTS) expect(r[`trueUp${c[0].toUpperCase()}${c.slice(1)}`]).toBeNull();
  expect(r.trueUpTotal).toBeNull();
});

test('a sample: no revenue, basis none, its cost is samples', () => {
  expect(rowWhere(table, 'orderId', 's1')).toMatchObject({ basis: 'none', isSample: true, creator: 'creator_x', netRevenue: 0, sampleCost: 1200, cm3: -1200, cm3Share: null });
});

test('definitions and columns: every fee and true-up component is a column', () => {
  expect(table.definitions).toMatchObject({ view: 'accrual', estimatedShare: 0.5, dataFrom: '2026-10-05', dataTo: '2026-10-07' }); // o2 of o1, o2 (the sample has no fees)
  const keys = ORDER_MARGIN_COLUMNS.map((c) => c.key);
  for (const c of FEE_COMPONENTS) expect(keys).toContain(c);
  expect(keys.filter((k) => k.startsWith('trueUp'))).toHaveLength(FEE_COMPONENTS.length + 1);
  expect(new Set(keys).size).toBe(keys.length);
  for (const r of table.rows) expect(Object.keys(r).sort()).toEqual([...keys].sort());
});

test('a range keeps only its orders; an empty range is an empty table', () => {
  const one = orderMarginReport(input, { range: { label: 'Mon', from: '2026-10-05', to: '2026-10-05' } });
  expect(one.rows.map((r) => r.orderId)).toEqual(['o1']);
  expect(one.definitions.estimatedShare).toBe(0);
  const none = orderMarginReport(input, { range: { label: 'Sep', from: '2026-09-01', to: '2026-09-30' } });
  expect(none.rows).toEqual([]);
  expect(none.definitions.estimatedShare).toBeNull();
});

test('generator: every row equals its ground-truth order, and the column sums equal the truth sums', () => {
  const g = generateShop({ seed: 21, days: 15, ordersPerDay: 40 });
  const t = orderMarginReport(reportInput(g.data, g.asOf, g.settings));
  expect(t.rows).toHaveLength(g.truth.orders.length);
  const byId = new Map(t.rows.map((r) => [r.orderId, r]));
  let trueUps = 0;
  for (const o of g.truth.orders) {
    const r = byId.get(o.orderId)!;
    expect([o.orderId, r.netRevenue, r.cogs, r.platformFees, r.fulfilmentAndShipping, r.creatorCommission, r.adSpend, r.sampleCost, r.cm3, r.missingCogsSkus])
      .toEqual([o.orderId, o.netRevenue, o.cogs, o.platformFees, o.fulfilmentAndShipping, o.creatorCommission, o.adSpend, o.sampleCost, o.cm3, o.missingCogsSkus.join(', ')]);
    for (const c of FEE_COMPONENTS) expect(r[c]).toBe(o.fees[c]);
    if (o.trueUp) {
      trueUps++;
      expect(r.trueUpTotal).toBe(FEE_COMPONENTS.filter((c) => c !== 'taxWithheld').reduce((s, c) => s + o.trueUp![c], 0));
    } else expect(r.trueUpTotal).toBeNull();
  }
  expect(trueUps).toBeGreaterThan(10);
  expect(sumColumn(t.rows, 'cm3')).toBe(g.truth.orders.reduce((s, o) => s + o.cm3, 0));
});
