/**
 * Profit (executive P&L), by hand on a small Los Angeles shop as of Wednesday 7 Oct 2026
 * (weeks start Monday 5 Oct), then against the generator's ground truth.
 *
 *   o0  28 Sep  buyer B (first)  SKU-A $30.00, cost $12, estimated (rate card 6% = $1.80)
 *   o1   5 Oct  buyer A (first)  SKU-A $40.00 − $5 seller discount + $5 shipping paid, cost $12;
 *               settled on the statement of 6 Oct (LA): referral $2.10, label $8.00
 *   o2   6 Oct  buyer A (repeat) SKU-B $20.00, cost $5, estimated (rate card $1.20)
 *   o3   6 Oct  buyer C          $15.00, cancelled
 *   s1   6 Oct  sample of SKU-A for creator_x (cost $12)
 *   ads  $3.00 on 4 Oct (no order: unallocated), $10.00 on 5 Oct (all on o1)
 *   creator flat fee $2.00 on 6 Oct; fixed costs $31.00 for October = $1.00 a day
 */
import { periodView } from '../../src/core/views';
import { profitReport } from '../../src/core/reports/profit';
import type { DayRange } from '../../src/core/reports/table';
import { addDays, dayKey, startOfDay } from '../../src/core/time';
import { generateShop } from '../../dev/generator/shop';
import { ad, at, cost, line, order, orderTx, shop } from '../engine/fixtures';
import { creatorFee, fixedCost, reportInput, rowWhere, sumColumn } from './fixtures';

const data = shop({
  orders: [
    order('o0', { buyerId: 'B', createTime: at('2026-09-28'), paidTime: at('2026-09-28') }),
    order('o1', { buyerId: 'A', createTime: at('2026-10-05'), paidTime: at('2026-10-05'), shippingFee: 500 }),
    order('o2', { buyerId: 'A', createTime: at('2026-10-06', 10 * 3600), paidTime: at('2026-10-06', 10 * 3600) }),
    order('o3', { buyerId: 'C', status: 'CANCELLED', createTime: at('2026-10-06', 9 * 3600), paidTime: at('2026-10-06', 9 * 3600) }),
    order('s1', { buyerId: 'creator_x', isSample: true, sampleCreator: 'creator_x', createTime: at('2026-10-06', 11 * 3600), paidTime: at('2026-10-06', 11 * 3600) }),
  ],
  lines: [
    line('o0', 'L1', { originalPrice: 3000 }),
    line('o1', 'L1', { originalPrice: 4000, sellerDiscount: 500 }),
    line('o2', 'L1', { originalPrice: 2000, sellerSku: 'SKU-B', skuId: 'sku-2' }),
    line('o3', 'L1', { originalPrice: 1500 }),
    line('s1', 'L1', { originalPrice: 0 }),
  ],
  transactions: [
    // 7 Oct 00:00 UTC = 6 Oct 17:00 in Los Angeles.
    orderTx('o1', Date.UTC(2026, 9, 7) / 1000, {
      subtotalBeforeDiscount: 4000, sellerDiscount: -500, customerPaidShippingFee: 500, shippingCostAmount: -300,
      fees: { referral_fee_amount: -210 },
    }),
  ],
  adSpend: [ad('2026-10-04', 300), ad('2026-10-05', 1000)],
  cogs: [cost('SKU-A', 1200, '2026-01-01'), cost('SKU-B', 500, '2026-01-01')],
  fixedCosts: [fixedCost('2026-10', 3100)],
  creatorFees: [creatorFee('creator_x', '2026-10-06', 200)],
});
const input = reportInput(data, at('2026-10-07', 18 * 3600));
const report = profitReport(input);

describe('accrual view by hand', () => {
  const t = report.accrual;

  test('the five standard periods, in order', () => {
    expect(t.rows.map((r) => [r.period, r.from, r.to])).toEqual([
      ['Today', '2026-10-07', '2026-10-07'],
      ['Week to date', '2026-10-05', '2026-10-07'],
      ['Month to date', '2026-10-01', '2026-10-07'],
      ['Last 7 days', '2026-10-01', '2026-10-07'],
      ['Last 30 days', '2026-09-08', '2026-10-07'],
    ]);
  });

  test('an empty period: nothing sold, only the day’s fixed cost; ratios are empty, not 0%', () => {
    expect(rowWhere(t, 'period', 'Today')).toMatchObject({
      orders: 0, grossSales: 0, netRevenue: 0, cogs: 0, cm3: 0, fixedCosts: 100, netProfit: -100,
      cm3Share: null, aov: null, netAov: null, newBuyerRate: null, estimatedShare: null,
    });
  });

  test('last 7 days: every line of the P&L', () => {
    const r = rowWhere(t, 'period', 'Last 7 days');
    expect(r).toMatchObject({
      orders: 3, // o1, o2 and the cancelled o3; the sample is not a sale
      grossSales: 7500, // 4000 + 2000 + 1500
      netRevenue: 6000, // (4000 − 500 + 500) + 2000
      cogs: 1700, cm1: 4300,
      platformFees: 330, // 210 settled + 120 estimated
      fulfilmentAndShipping: 800, // o1's $8 label (customer's $5 is in revenue)
      creatorCommission: 0, shopAdjustments: 0,
      cm2: 3170,
      adSpend: 1300, unallocatedAdSpend: 300,
      sampleCost: 1200, creatorFees: 200, marketing: 2700,
      cm3: 470, // o1 790 + o2 1380 − sample 1200 − unallocated 300 − flat fee 200
      fixedCosts: 700, netProfit: -230,
      aov: 2500, // 7500 / 3
      netAov: 3000, // 6000 / 2 live orders
      newBuyerRate: 0.5, // o1 is A's first order, o2 is not
      estimatedShare: 0.5, // o2 of o1, o2 (cancelled o3 and sample s1 carry no fees to estimate)
    });
    expect(r.cm3Share).toBeCloseTo(470 / 6000, 12);
  });

  test('week to date leaves out Sunday’s unallocated spend; last 30 days adds o0', () => {
    expect(rowWhere(t, 'period', 'Week to date')).toMatchObject({ adSpend: 1000, unallocatedAdSpend: 0, cm3: 770, fixedCosts: 300, netProfit: 470 });
    expect(rowWhere(t, 'period', 'Last 30 days')).toMatchObject({
      orders: 4, grossSales: 10500, aov: 2625, netRevenue: 9000, cogs: 2900, platformFees: 510,
      cm3: 2090, // 470 + o0 (3000 − 1200 − 180)
      fixedCosts: 700, netProfit: 1390, netAov: 3000, estimatedShare: 2 / 3, // o0, o2 of o0, o1, o2
    });
    expect(rowWhere(t, 'period', 'Last 30 days').newBuyerRate).toBeCloseTo(2 / 3, 12);
  });

  test('definitions: view, allocation, data range, estimated share of the widest period, notes', () => {
    expect(t.definitions).toMatchObject({ view: 'accrual', allocationMethod: 'by_day', currency: 'USD', asOfDay: '2026-10-07', dataFrom: '2026-09-28', dataTo: '2026-10-06', estimatedShare: 2 / 3 });
    expect(t.definitions.notes.join(' ')).toMatch(/order's day|order was created/);
    expect(t.columns.map((c) => c.key)).toEqual(expect.arrayContaining(['cm1', 'cm2', 'cm3', 'cm3Share', 'unallocatedAdSpend', 'aov', 'netAov', 'newBuyerRate']));
  });
});

describe('cash view by hand', () => {
  const t = report.cash;

  test('only what reached a statement: o1 on 6 Oct; ads, flat fees and fixed costs on their own days', () => {
    expect(rowWhere(t, 'period', 'Last 7 days')).toMatchObject({
      orders: 1, grossSales: 4000, netRevenue: 4000, cogs: 1200, platformFees: 210, fulfilmentAndShipping: 800,
      cm2: 1790, adSpend: 1300, unallocatedAdSpend: 300, sampleCost: 0, creatorFees: 200,
      cm3: 290, fixedCosts: 700, netProfit: -410, aov: 4000, netAov: 4000, newBuyerRate: 1, estimatedShare: 0,
    });
    expect(rowWhere(t, 'period', 'Today')).toMatchObject({ orders: 0, netRevenue: 0, estimatedShare: null, netProfit: -100 });
  });

  test('says how many paid orders are not cash yet', () => {
    expect(t.definitions.view).toBe('cash');
    expect(t.definitions.estimatedShare).toBe(0);
    expect(t.definitions.notes.join(' ')).toContain('4 paid orders have no statement yet');
  });
});

describe('daily series', () => {
  test('one row per day of the last 30 days, empty days included, adding up to the period', () => {
    const d = report.accrualDaily;
    expect(d.rows).toHaveLength(30);
    expect(d.rows[0].day).toBe('2026-09-08');
    expect(d.rows[29].day).toBe('2026-10-07');
    expect(rowWhere(d, 'day', '2026-10-04')).toMatchObject({ orders: 0, adSpend: 300, unallocatedAdSpend: 300, cm3: -300, fixedCosts: 100, netProfit: -400 });
    expect(rowWhere(d, 'day', '2026-10-06')).toMatchObject({ orders: 2, grossSales: 3500, newBuyerRate: 0, estimatedShare: 1 }); // o2; o3 is cancelled, s1 a sample
    const last30 = rowWhere(report.accrual, 'period', 'Last 30 days');
    for (const k of ['orders', 'grossSales', 'netRevenue', 'cm3', 'fixedCosts', 'netProfit']) expect(sumColumn(d.rows, k)).toBe(last30[k]);
    expect(sumColumn(report.cashDaily.rows, 'cm3')).toBe(rowWhere(report.cash, 'period', 'Last 30 days').cm3);
  });

  test('a custom range, and a range that ends before it starts is refused', () => {
    const r = profitReport(input, { dailyRange: { label: 'Two days', from: '2026-10-05', to: '2026-10-06' } });
    expect(r.accrualDaily.rows.map((x) => x.cm3)).toEqual([790 - 100 * 0, 1380 - 1200 - 200]);
    expect(() => profitReport(input, { dailyRange: { label: 'bad', from: '2026-10-06', to: '2026-10-05' } })).toThrow(/ends/);
  });
});

describe('generator ground truth', () => {
  const MONEY = ['netRevenue', 'cogs', 'cm1', 'platformFees', 'fulfilmentAndShipping', 'creatorCommission', 'shopAdjustments', 'cm2',
    'adSpend', 'unallocatedAdSpend', 'sampleCost', 'creatorFees', 'marketing', 'cm3', 'fixedCosts', 'netProfit'] as const;

  test('accrual periods equal the sum of ground-truth order margins and shop days', () => {
    const g = generateShop({ seed: 11, days: 24, ordersPerDay: 40 });
    const gi = { data: g.data, settings: g.settings, margins: reportInput(g.data, g.asOf, g.settings).margins };
    const r = profitReport(gi);
    for (const p of r.accrual.rows) {
      const range = { from: p.from as string, to: p.to as string };
      const orders = g.truth.orders.filter((o) => o.day >= range.from && o.day <= range.to);
      const days = g.truth.days.filter((d) => d.day >= range.from && d.day <= range.to);
      const sum = (f: (x: (typeof orders)[number]) => number) => orders.reduce((s, o) => s + f(o), 0);
      const daySum = (f: (x: (typeof days)[number]) => number) => days.reduce((s, d) => s + f(d), 0);
      const sales = orders.filter((o) => !o.isSample);
      const live = sales.filter((o) => o.status !== 'CANCELLED');
      expect(p.orders).toBe(sales.length);
      expect(p.grossSales).toBe(sum((o) => o.grossSales));
      expect(p.netRevenue).toBe(sum((o) => o.netRevenue));
      expect(p.cogs).toBe(sum((o) => o.cogs));
      expect(p.platformFees).toBe(sum((o) => o.platformFees));
      expect(p.creatorCommission).toBe(sum((o) => o.creatorCommission));
      expect(p.sampleCost).toBe(sum((o) => o.sampleCost));
      expect(p.unallocatedAdSpend).toBe(daySum((d) => d.unallocatedAdSpend));
      expect(p.adSpend).toBe(sum((o) => o.adSpend) + daySum((d) => d.unallocatedAdSpend));
      expect(p.fixedCosts).toBe(daySum((d) => d.fixedCosts));
      expect(p.cm3).toBe(sum((o) => o.cm3) - daySum((d) => d.unallocatedAdSpend + d.creatorFees - d.shopAdjustments));
      expect(p.netProfit).toBe((p.cm3 as number) - daySum((d) => d.fixedCosts));
      expect(p.newBuyerRate).toBe(live.length === 0 ? null : live.filter((o) => o.isFirstOrder).length / live.length);
    }
    const last30 = rowWhere(r.accrual, 'period', 'Last 30 days');
    expect(last30.orders).toBeGreaterThan(500);
    expect(last30.estimatedShare).toBeGreaterThan(0); // the open shop still has estimated orders
  });

  test('a closed period: accrual and cash agree on every money line once all is settled', () => {
    const first = generateShop({ seed: 12, days: 20, ordersPerDay: 40, truth: false });
    const asOf = startOfDay(addDays(first.meta.lastDay, 75), first.meta.timezone);
    const g = generateShop({ seed: 12, days: 20, ordersPerDay: 40, asOf });
    expect(g.meta.pendingRefundOrders).toEqual([]);
    const gi = reportInput(g.data, g.asOf, g.settings);
    expect(gi.margins.orders.filter((o) => o.basis !== 'settled' && o.basis !== 'none')).toEqual([]);
    const all: DayRange = { label: 'Everything', from: addDays(g.meta.startDay, -40), to: dayKey(g.asOf, g.settings.timezone) };
    const r = profitReport(gi, { periods: [all], dailyRange: all });
    const accrual = r.accrual.rows[0];
    const cash = r.cash.rows[0];
    for (const k of MONEY) expect([k, cash[k]]).toEqual([k, accrual[k]]);
    expect(accrual.netRevenue).toBeGreaterThan(0);
    expect(accrual.fixedCosts).toBeGreaterThan(0);
    // ...and both equal the ground truth, and the engine's own view.
    expect(accrual.cm3).toBe(g.truth.orders.reduce((s, o) => s + o.cm3, 0) - g.truth.days.reduce((s, d) => s + d.unallocatedAdSpend + d.creatorFees - d.shopAdjustments, 0));
    const engineCash = periodView(gi.margins, gi.data, gi.settings, 'cash', 'month').rows.reduce((s, x) => s + x.netProfit, 0);
    expect(cash.netProfit).toBe(engineCash);
    expect(sumColumn(r.cashDaily.rows, 'netProfit')).toBe(cash.netProfit);
    // Cash counts an order on its first statement of any kind, as the engine's cash view does (samples aside).
    const cashOrders = periodView(gi.margins, gi.data, gi.settings, 'cash', 'month').rows.reduce((s, x) => s + x.orders, 0);
    const withStatement = new Set(gi.data.transactions.map((t) => t.orderId));
    const samplesOnStatements = gi.margins.orders.filter((o) => o.isSample && withStatement.has(o.orderId)).length;
    expect(samplesOnStatements).toBeGreaterThan(0);
    expect(cash.orders).toBe(cashOrders - samplesOnStatements);
    expect(accrual.orders).toBe(g.truth.orders.filter((o) => !o.isSample).length);
  });
});
