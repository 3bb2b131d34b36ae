/**
 * SKU profit, by hand. Los Angeles, as of 8 Oct 2026; costs A $10, B $2, C $1 (free gift), D none.
 *
 *   o1  5 Oct  A $30 + 2 × B $10 + gift C, $5 shipping paid; settled: referral $3.01, label $7.00;
 *              ads $10.01 that day. Split by own net revenue 3000 : 1000 : 0 (largest remainder):
 *                net revenue  3000+375 | 1000+125 | 0      COGS 1000 | 400 | 100
 *                fees 301  →  226 | 75 | 0      shipping 700 → 525 | 175 | 0      ads 1001 → 751 | 250 | 0
 *                CM3          873 | 225 | −100  (order: 4500 − 1500 − 301 − 700 − 1001 = 998)
 *   o2  6 Oct  2 × B $10, one returned and refunded ($5, restocked); rate card: referral 6% of 500 = 30,
 *              refund admin min($5, 20% × 6% × 500 = 6) = 6 → CM3 500 − 200 − 36 = 264
 *   o3  6 Oct  A $30 + D $10 (no cost), $4 refunded on the order (no line): net 3600 → 2700 | 900;
 *              rate card 216 + refund admin 5 = 221 → 166 | 55 → CM3 1534 | 845
 *   s1  7 Oct  sample: A + 3 × B, no revenue; sample shipping $4 → samples 1000+100 | 600+300 (by units 1 : 3)
 */
import { splitOrdersToLines, type SplitCheck } from '../../src/core/reports/lines';
import { coefficientOfVariation, compareSkus, gradeSku, pageViewBand, skuReport } from '../../src/core/reports/sku';
import { median } from '../../src/core/reports/table';
import { generateShop } from '../../dev/generator/shop';
import { ad, adjustmentTx, at, cost, line, order, orderTx, refund, settings, shop } from '../engine/fixtures';
import { productPerformance, reportInput, rowWhere, sumColumn } from './fixtures';

const A = { sellerSku: 'SKU-A', skuId: 'sku-a', productId: 'prod-a' };
const B = { sellerSku: 'SKU-B', skuId: 'sku-b', productId: 'prod-b' };
const C = { sellerSku: 'SKU-C', skuId: 'sku-c', productId: 'prod-c' };
const D = { sellerSku: 'SKU-D', skuId: 'sku-d', productId: 'prod-d' };
const day = (d: string) => ({ createTime: at(d), paidTime: at(d) });

const data = shop({
  orders: [order('o1', { ...day('2026-10-05'), shippingFee: 500 }), order('o2', day('2026-10-06')), order('o3', day('2026-10-06')),
    order('s1', { ...day('2026-10-07'), isSample: true, sampleCreator: 'creator_x' })],
  lines: [
    line('o1', 'L1', { ...A, originalPrice: 3000 }), line('o1', 'L2', { ...B, quantity: 2, originalPrice: 1000 }), line('o1', 'L3', { ...C, originalPrice: 0 }),
    line('o2', 'L1', { ...B, quantity: 2, originalPrice: 1000 }),
    line('o3', 'L1', { ...A, originalPrice: 3000 }), line('o3', 'L2', { ...D, originalPrice: 1000 }),
    line('s1', 'L1', { ...A, originalPrice: 0 }), line('s1', 'L2', { ...B, quantity: 3, originalPrice: 0 }),
  ],
  returns: [
    refund('r2', 'o2', { lines: [{ lineId: 'L1', skuId: 'sku-b', quantity: 1, refundedOriginal: 500, refundedSellerDiscount: 0 }] }),
    refund('r3', 'o3', { returnType: 'REFUND', lines: [{ lineId: null, skuId: '', quantity: 0, refundedOriginal: 400, refundedSellerDiscount: 0 }] }),
  ],
  transactions: [
    orderTx('o1', Date.UTC(2026, 9, 7) / 1000, { subtotalBeforeDiscount: 4000, customerPaidShippingFee: 500, shippingCostAmount: -200, fees: { referral_fee_amount: -301 } }),
    adjustmentTx('SAMPLE_SHIPPING_FEE', 's1', at('2026-10-07', 20 * 3600), -400),
  ],
  adSpend: [ad('2026-10-05', 1001)],
  cogs: [cost('SKU-A', 1000, '2026-01-01'), cost('SKU-B', 200, '2026-01-01'), cost('SKU-C', 100, '2026-01-01')],
  productPerformance: [
    productPerformance('prod-a', '2026-10-05', 1000, 50), // 5%: healthy
    productPerformance('prod-b', '2026-10-05', 1000, 10), // 1%: below the 1.5% alert floor
    productPerformance('prod-c', '2026-10-06', 1000, 20), // 2%: below the 3% healthy band
    productPerformance('prod-c', '2026-08-01', 1000, 900), // outside the period: ignored
  ],
});
const input = reportInput(data, at('2026-10-08'));
const table = skuReport(input);

describe('splitting orders over their lines', () => {
  test('a multi-SKU order is split exactly, remainders to the larger remainder', () => {
    const lines = splitOrdersToLines(input, input.margins.orders.filter((o) => o.orderId === 'o1'));
    expect(lines.map((l) => [l.sku, l.netRevenue, l.cogs, l.platformFees, l.fulfilmentAndShipping, l.adSpend, l.cm3])).toEqual([
      ['SKU-A', 3375, 1000, 226, 525, 751, 873],
      ['SKU-B', 1125, 400, 75, 175, 250, 225],
      ['SKU-C', 0, 100, 0, 0, 0, -100],
    ]);
    expect(lines.reduce((s, l) => s + l.cm3, 0)).toBe(input.margins.orders.find((o) => o.orderId === 'o1')!.cm3);
  });

  test('an order-level refund is split with the rest; a sample with no revenue splits by units', () => {
    const lines = splitOrdersToLines(input, input.margins.orders.filter((o) => o.orderId === 'o3' || o.orderId === 's1'));
    expect(lines.map((l) => [l.orderId, l.sku, l.netRevenue, l.platformFees, l.sampleCost, l.cm3])).toEqual([
      ['o3', 'SKU-A', 2700, 166, 0, 1534],
      ['o3', 'SKU-D', 900, 55, 0, 845],
      ['s1', 'SKU-A', 0, 0, 1100, -1100],
      ['s1', 'SKU-B', 0, 0, 900, -900],
    ]);
  });

  test('an order without line records still lands somewhere', () => {
    const bare = shop({ orders: [order('x1', { shippingFee: 700 })] });
    const i = reportInput(bare, at('2026-10-08'));
    const lines = splitOrdersToLines(i, i.margins.orders);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ sku: '(order without lines)', netRevenue: 700, cm3: i.margins.orders[0].cm3 });
  });
});

describe('the SKU table by hand', () => {
  test('ranked by CM3, with every column; the SKU sold without a cost first, unranked (its CM3 leaves COGS out)', () => {
    expect(table.rows.map((r) => [r.rank, r.sku, r.cm3])).toEqual([[null, 'SKU-D', 845], [1, 'SKU-A', 1307], [2, 'SKU-C', -100], [3, 'SKU-B', -411]]);
    expect(table.definitions.notes).toContain('1 SKU was sold without a cost: listed first and not ranked, since their CM3 leaves their COGS out. Add the cost on the COGS tab.');
    expect(rowWhere(table, 'sku', 'SKU-A')).toMatchObject({
      orders: 2, units: 2, returnedUnits: 0, returnRate: 0, grossSales: 6000, netRevenue: 6075, cogs: 2000,
      platformFees: 392, fulfilmentAndShipping: 525, creatorCommission: 0, adSpend: 751, sampleCost: 1100, cm3: 1307,
      grade: 'high GMV / good margin', missingCogs: false, pageViewRate: 0.05, pageViewBand: 'healthy',
      estimatedShare: 1 / 3, // o3's line of A is estimated; o1 settled; the sample has no basis
    });
    expect(rowWhere(table, 'sku', 'SKU-B')).toMatchObject({
      orders: 2, units: 4, returnedUnits: 1, returnRate: 0.25, grossSales: 2000, netRevenue: 1625, cogs: 600,
      platformFees: 111, sampleCost: 900, cm3: -411, grade: 'high GMV / low margin', pageViewRate: 0.01, pageViewBand: 'below alert floor',
    });
    expect(rowWhere(table, 'sku', 'SKU-C')).toMatchObject({ grossSales: 0, netRevenue: 0, cm3Share: null, grade: 'low GMV / low margin', pageViewBand: 'below healthy band' });
    expect(rowWhere(table, 'sku', 'SKU-D')).toMatchObject({ missingCogs: true, cogs: 0, grade: 'no cost: add it on the COGS tab', pageViewRate: null, pageViewBand: null });
    expect(rowWhere(table, 'sku', 'SKU-A').cm3Share).toBeCloseTo(1307 / 6075, 12);
  });

  test('SKU CM3 adds up to order CM3', () => {
    expect(sumColumn(table.rows, 'cm3')).toBe(998 + 264 + 2379 - 2000);
    expect(sumColumn(table.rows, 'cm3')).toBe(input.margins.orders.reduce((s, o) => s + o.cm3, 0));
  });

  test('consistency: CV of daily units since the data began (window shorter than 28 days)', () => {
    // 5–8 Oct. A sold 1, 1, 0, 0 (the sample is not a sale): mean 1/2, sd 1/2 → 1. C sold 1, 0, 0, 0: mean 1/4, sd √3/4 → √3.
    expect(rowWhere(table, 'sku', 'SKU-A').consistency).toBeCloseTo(1, 12);
    expect(rowWhere(table, 'sku', 'SKU-C').consistency).toBeCloseTo(Math.sqrt(3), 12);
    expect(table.definitions.notes.join(' ')).toContain('2026-10-05 to 2026-10-08 (only 4 days');
  });

  test('definitions: range, split rule, heat-map median and target, page view band', () => {
    expect(table.definitions).toMatchObject({ view: 'accrual', estimatedShare: 2 / 3 }); // o2, o3 of o1, o2, o3 (the sample has no fees)
    const notes = table.definitions.notes.join(' ');
    expect(notes).toContain('2026-09-09 to 2026-10-08');
    expect(notes).toContain('median SKU (15.00 USD)'); // GMV 0, 1000, 2000, 6000 → 1500
    expect(notes).toContain('15% target');
    expect(notes).toContain('healthy 3%–8%, below 1.5%');
  });
});

describe('ties, empty and undefined', () => {
  // No fees at all (rate card 0%): CM3 = net revenue − COGS.
  const s = settings({ rateCard: { referralFeeBp: 0 } });
  const tie = shop({
    orders: ['p', 'q', 'r', 's'].map((id) => order(id, day('2026-10-06'))),
    lines: [
      line('p', 'L1', { sellerSku: 'SKU-P', skuId: 'sku-p', originalPrice: 2000 }), // CM3 1000 on 2000: 50%
      line('q', 'L1', { sellerSku: 'SKU-Q', skuId: 'sku-q', originalPrice: 1500 }), // CM3 1000 on 1500: 66.7%
      line('r', 'L1', { sellerSku: 'SKU-R', skuId: 'sku-r', originalPrice: 3000, sellerDiscount: 1000 }), // 50%, GMV 3000
      line('s', 'L1', { sellerSku: 'SKU-S', skuId: 'sku-s', originalPrice: 2000 }), // all the same as P
    ],
    cogs: [cost('SKU-P', 1000, '2026-01-01'), cost('SKU-Q', 500, '2026-01-01'), cost('SKU-R', 1000, '2026-01-01'), cost('SKU-S', 1000, '2026-01-01')],
  });
  const t = skuReport(reportInput(tie, at('2026-10-06', 20 * 3600), s)); // the data's only day is the last day

  test('equal CM3: higher CM3 % first, then higher GMV, then by SKU', () => {
    expect(t.rows.map((r) => [r.sku, r.cm3])).toEqual([['SKU-Q', 1000], ['SKU-R', 1000], ['SKU-P', 1000], ['SKU-S', 1000]]);
  });

  test('one day of data: consistency is undefined, not 0', () => {
    expect(t.rows.every((r) => r.consistency === null)).toBe(true);
    expect(t.definitions.notes.join(' ')).toContain('window is under 2 days');
  });

  test('without analytics records the page view rate is empty and the notes say why', () => {
    expect(t.rows.every((r) => r.pageViewRate === null && r.pageViewBand === null)).toBe(true);
    expect(t.definitions.notes.join(' ')).toContain('no analytics records');
  });

  test('an empty period is an empty table', () => {
    const e = skuReport(input, { range: { label: 'September', from: '2026-09-01', to: '2026-09-30' } });
    expect(e.rows).toEqual([]);
    expect(e.definitions.estimatedShare).toBeNull();
  });

  test('a SKU that only went out as a sample: no units, rates undefined', () => {
    const e = skuReport(input, { range: { label: '7 Oct', from: '2026-10-07', to: '2026-10-07' } });
    expect(e.rows.map((r) => [r.sku, r.units, r.returnRate, r.cm3, r.cm3Share])).toEqual([['SKU-B', 0, null, -900, null], ['SKU-A', 0, null, -1100, null]]);
  });

  test('the helpers: median, CV, grade boundaries, page view band boundaries', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(coefficientOfVariation([])).toBeNull();
    expect(coefficientOfVariation([0, 0, 0])).toBeNull();
    expect(coefficientOfVariation([2, 2, 2, 2])).toBe(0);
    expect(coefficientOfVariation([0, 0, 0, 4])).toBeCloseTo(Math.sqrt(3), 12);
    expect(gradeSku(100, 15, 100, 100, 1500)).toBe('high GMV / good margin'); // exactly at median and target
    expect(gradeSku(99, 14, 100, 100, 1500)).toBe('low GMV / low margin');
    expect(gradeSku(100, 0, 0, 50, 0)).toBe('high GMV / low margin'); // no net revenue: no margin
    const th = { pageViewRateAlertBp: 150, pageViewRateHealthyMinBp: 300, pageViewRateHealthyMaxBp: 800 };
    expect([0.0149, 0.015, 0.0299, 0.03, 0.08, 0.0801, null].map((r) => pageViewBand(r, th)))
      .toEqual(['below alert floor', 'below healthy band', 'below healthy band', 'healthy', 'healthy', 'above healthy band', null]);
    expect(compareSkus({ sku: 'a', cm3: 1, netRevenue: 3, grossSales: 0 }, { sku: 'b', cm3: 1, netRevenue: 0, grossSales: 9 })).toBeLessThan(0);
  });
});

test('generator: SKU totals equal the ground-truth order totals of the last 30 days, and the lines explain every COGS', () => {
  const g = generateShop({ seed: 31, days: 40, ordersPerDay: 30 });
  const gi = reportInput(g.data, g.asOf, g.settings);
  const t = skuReport(gi);
  const range = t.definitions.notes[0].match(/(\d{4}-\d{2}-\d{2}) to (\d{4}-\d{2}-\d{2})/)!;
  const orders = g.truth.orders.filter((o) => o.day >= range[1] && o.day <= range[2]);
  expect(orders.length).toBeGreaterThan(500);
  const sum = (f: (o: (typeof orders)[number]) => number) => orders.reduce((s, o) => s + f(o), 0);
  expect(sumColumn(t.rows, 'cm3')).toBe(sum((o) => o.cm3));
  expect(sumColumn(t.rows, 'netRevenue')).toBe(sum((o) => o.netRevenue));
  expect(sumColumn(t.rows, 'cogs')).toBe(sum((o) => o.cogs));
  expect(sumColumn(t.rows, 'platformFees')).toBe(sum((o) => o.platformFees));
  expect(sumColumn(t.rows, 'fulfilmentAndShipping')).toBe(sum((o) => o.fulfilmentAndShipping));
  expect(sumColumn(t.rows, 'creatorCommission')).toBe(sum((o) => o.creatorCommission));
  expect(sumColumn(t.rows, 'adSpend')).toBe(sum((o) => o.adSpend));
  expect(sumColumn(t.rows, 'sampleCost')).toBe(sum((o) => o.sampleCost));
  expect(sumColumn(t.rows, 'grossSales')).toBe(sum((o) => o.grossSales));
  expect(sumColumn(t.rows, 'units')).toBe(sum((o) => (o.isSample ? 0 : o.units)));
  // Ranked, every SKU graded, analytics present for the generator's products.
  for (let i = 1; i < t.rows.length; i++) expect(t.rows[i - 1].cm3 as number).toBeGreaterThanOrEqual(t.rows[i].cm3 as number);
  expect(t.rows.some((r) => r.grade === 'high GMV / low margin' || r.grade === 'high GMV / good margin')).toBe(true);
  expect(t.rows.some((r) => r.pageViewBand === 'below alert floor')).toBe(true); // the generator's weak product
  expect(t.rows.some((r) => r.missingCogs === true)).toBe(true);
  const check: SplitCheck = { unexplainedCogs: 0 };
  splitOrdersToLines(gi, gi.margins.orders, check);
  expect(check.unexplainedCogs).toBe(0);
});
