/**
 * Customers and cohorts: a hand-computed shop (numbers worked out in the comments), then the
 * generator's shops, where the report's sums must equal the ground truth's for the same buyers.
 */
import { customersReport } from '../../src/core/reports/customers';
import { divRound } from '../../src/core/money';
import { generateShop } from '../../dev/generator/shop';
import { at, cost, creatorLine, line, order, refund, shop } from '../engine/fixtures';
import { reportInput, rowWhere } from './fixtures';
import { generatedInput } from './fixtures-finance';

// Every order: one 1000 line costing 400, rate card 6% referral → CM3 540, unless said otherwise.
// u1: first 08-10, again 09-05 (26 days; fully refunded and returned: CM3 = −12, the refund admin fee).
// u2: first 08-20, again 10-30 (71 days).
// u3: first 09-15 through dave's video (15% commission: CM3 390), never again.
// u4: first 10-30.   Run: 11-01 noon.
function customerShop() {
  const orders = [
    order('u1-a', { buyerId: 'u1', createTime: at('2026-08-10') }),
    order('u2-a', { buyerId: 'u2', createTime: at('2026-08-20') }),
    order('u1-b', { buyerId: 'u1', createTime: at('2026-09-05') }),
    order('u3-a', { buyerId: 'u3', createTime: at('2026-09-15') }),
    order('u2-b', { buyerId: 'u2', createTime: at('2026-10-30') }),
    order('u4-a', { buyerId: 'u4', createTime: at('2026-10-30', 13 * 3600) }),
  ];
  const data = shop({
    orders,
    lines: orders.map((o) => line(o.orderId, `${o.orderId}-1`)),
    cogs: [cost('SKU-A', 400, '2026-01-01')],
    creatorOrders: [creatorLine('u3-a', 'dave', { contentType: 'VIDEO' })],
    returns: [refund('r1', 'u1-b', { lines: [{ lineId: 'u1-b-1', skuId: 'sku-1', quantity: 1, refundedOriginal: 1000, refundedSellerDiscount: 0 }] })],
  });
  return reportInput(data, at('2026-11-01'));
}

describe('customers: hand-computed', () => {
  const report = customersReport(customerShop());

  test('new buyer rate, AOV and net AOV by month', () => {
    expect(report.newBuyers.rows.map((r) => [r.period, r.purchases, r.newBuyerOrders, r.newBuyerRate, r.buyers, r.returningBuyers])).toEqual([
      ['2026-08-01', 2, 2, 1, 2, 0],
      ['2026-09-01', 2, 1, 0.5, 2, 1],
      ['2026-10-01', 2, 1, 0.5, 2, 1],
    ]);
    // September: gross 2000 over 2 orders; net revenue 1000 (u1's second order was refunded) over 2.
    expect(rowWhere(report.newBuyers, 'period', '2026-09-01')).toMatchObject({ grossSales: 2000, aov: 1000, netRevenue: 1000, netAov: 500 });
  });

  test('weekly periods include the empty weeks', () => {
    const weekly = customersReport(customerShop(), { grain: 'week' });
    expect(weekly.newBuyers.rows.length).toBe(12); // Mon 08-10 … Mon 10-26
    expect(rowWhere(weekly.newBuyers, 'period', '2026-08-24')).toMatchObject({ orders: 0, newBuyerRate: null, aov: null });
  });

  test('repeat rate per cohort, empty (not 0) where the cohort is too young', () => {
    expect(report.repeatPurchase.rows).toEqual([
      // August: youngest first order 08-20 is 73 days old: 30 and 60 count, 90 does not.
      { cohort: '2026-08', buyers: 2, repeatBuyers30: 1, repeatRate30: 0.5, repeatBuyers60: 1, repeatRate60: 0.5, repeatBuyers90: null, repeatRate90: null },
      // September: 09-15 is 47 days old.
      { cohort: '2026-09', buyers: 1, repeatBuyers30: 0, repeatRate30: 0, repeatBuyers60: null, repeatRate60: null, repeatBuyers90: null, repeatRate90: null },
      { cohort: '2026-10', buyers: 1, repeatBuyers30: null, repeatRate30: null, repeatBuyers60: null, repeatRate60: null, repeatBuyers90: null, repeatRate90: null },
    ]);
    expect(report.repeatPurchase.definitions.notes.join(' ')).toContain('Too young, left empty: 2026-08 (90 days), 2026-09 (60 days)');
  });

  test('"within 30 days" includes an order exactly 30 days later, not a second more', () => {
    const repeat30 = (gapSeconds: number) => {
      const orders = [order('x1', { buyerId: 'x', createTime: at('2026-08-01') }), order('x2', { buyerId: 'x', createTime: at('2026-08-01') + gapSeconds })];
      const data = shop({ orders, lines: orders.map((o) => line(o.orderId, `${o.orderId}-1`)) });
      return customersReport(reportInput(data, at('2026-10-15'))).repeatPurchase.rows[0].repeatBuyers30;
    };
    expect(repeat30(30 * 86400)).toBe(1);
    expect(repeat30(30 * 86400 + 1)).toBe(0);
  });

  test('first-order CM3 by source and by creator', () => {
    expect(report.firstOrdersBySource.rows).toEqual([
      { source: 'OWN', firstOrders: 3, grossSales: 3000, netRevenue: 3000, cm3: 1620, cm3PerFirstOrder: 540, cm3Share: 0.54 },
      { source: 'VIDEO', firstOrders: 1, grossSales: 1000, netRevenue: 1000, cm3: 390, cm3PerFirstOrder: 390, cm3Share: 0.39 },
    ]);
    expect(report.firstOrdersByCreator.rows).toEqual([
      { creator: 'dave', firstOrders: 1, grossSales: 1000, netRevenue: 1000, cm3: 390, cm3PerFirstOrder: 390, cm3Share: 0.39 },
    ]);
  });

  test('cohort matrix: cumulative CM3 per buyer and buyers retained, empty for months not reached', () => {
    // August: m0 540+540 = 1080 /2 = 540; m1 +(−12) → 1068/2 = 534; m2 +540 → 1608/2 = 804; m3 unchanged.
    expect(report.cohortCm3PerBuyer.rows[0]).toEqual({ cohort: '2026-08', buyers: 2, m0: 540, m1: 534, m2: 804, m3: 804 });
    expect(report.cohortCm3PerBuyer.rows[1]).toEqual({ cohort: '2026-09', buyers: 1, m0: 390, m1: 390, m2: 390, m3: null });
    expect(report.cohortBuyersRetained.rows[0]).toEqual({ cohort: '2026-08', buyers: 2, m0: 2, m1: 1, m2: 1, m3: 0 });
    expect(report.cohortBuyersRetained.rows[2]).toEqual({ cohort: '2026-10', buyers: 1, m0: 1, m1: 0, m2: null, m3: null });
  });

  test('return and refund rates by customer segment, source and creator', () => {
    const rows = report.returnsAndRefunds.rows;
    expect(rows.find((r) => r.segment === 'Returning')).toEqual({
      dimension: 'Customer', segment: 'Returning', orders: 2, unitsSold: 2, returnedUnits: 1, returnRate: 0.5, grossSales: 2000, refunds: 1000, refundRate: 0.5,
    });
    expect(rows.find((r) => r.segment === 'New')).toMatchObject({ orders: 4, returnedUnits: 0, returnRate: 0, refundRate: 0 });
    expect(rows.find((r) => r.dimension === 'Source' && r.segment === 'OWN')).toMatchObject({ orders: 5, returnedUnits: 1, returnRate: 0.2 });
    expect(rows.find((r) => r.dimension === 'Creator')).toMatchObject({ segment: 'dave', orders: 1, returnRate: 0 });
  });

  test('follower conversion only with follower data, and the report says so', () => {
    expect(report.followerConversion).toBeNull();
    expect(report.newBuyers.definitions.notes.join(' ')).toContain('Partner API does not expose it');
    expect(report.newBuyers.definitions.notes.join(' ')).toContain('Data reaches back to 2026-08-10');
    const withFollowers = customersReport(customerShop(), { followers: [{ date: '2026-10-30', followers: 400, buyersWhoFollow: 1 }] });
    expect(withFollowers.followerConversion!.rows).toEqual([
      { date: '2026-10-30', followers: 400, buyersWhoFollow: 1, followerConversion: 0.0025, buyers: 2, followingShareOfBuyers: 0.5 },
    ]);
    expect(withFollowers.newBuyers.definitions.notes.join(' ')).not.toContain('none was supplied');
  });
});

describe.each([
  { name: 'USD seed 31', options: { seed: 31, ordersPerDay: 40, days: 75 } },
  { name: 'JPY seed 32', options: { seed: 32, ordersPerDay: 30, days: 45, currency: 'JPY', timezone: 'Asia/Tokyo' } },
])('customers over a generated shop: $name', ({ options }) => {
  const g = generateShop(options);
  const report = customersReport(generatedInput(g));
  const purchases = g.truth.orders.filter((o) => !o.isSample && o.status !== 'CANCELLED');

  test('new-buyer orders and purchases per month equal the ground truth', () => {
    for (const r of report.newBuyers.rows) {
      const month = (r.period as string).slice(0, 7);
      const inMonth = purchases.filter((o) => o.day.startsWith(month));
      expect([month, r.purchases, r.newBuyerOrders]).toEqual([month, inMonth.length, inMonth.filter((o) => o.isFirstOrder).length]);
    }
    expect(report.newBuyers.rows.reduce((s, r) => s + (r.newBuyerOrders as number), 0)).toBe(new Set(purchases.map((o) => o.buyerId)).size);
  });

  test('first-order CM3 by source sums to the truth\'s first orders', () => {
    const first = purchases.filter((o) => o.isFirstOrder);
    const rows = report.firstOrdersBySource.rows;
    expect(rows.reduce((s, r) => s + (r.cm3 as number), 0)).toBe(first.reduce((s, o) => s + o.cm3, 0));
    expect(rowWhere(report.firstOrdersBySource, 'source', 'OWN').firstOrders).toBe(first.filter((o) => o.creator === null).length);
  });

  test('the cohort matrix ends at the CM3 of every purchase of the cohort\'s buyers', () => {
    const firstMonth = new Map<string, string>();
    for (const o of purchases) if (o.isFirstOrder) firstMonth.set(o.buyerId, o.day.slice(0, 7));
    for (const r of report.cohortCm3PerBuyer.rows) {
      const buyers = [...firstMonth].filter(([, m]) => m === r.cohort).map(([b]) => b);
      const set = new Set(buyers);
      const cm3 = purchases.filter((o) => set.has(o.buyerId)).reduce((s, o) => s + o.cm3, 0);
      const cells = report.cohortCm3PerBuyer.columns.filter((c) => c.key.startsWith('m')).map((c) => r[c.key]).filter((v) => v !== null);
      const last = cells[cells.length - 1] as number;
      expect([r.cohort, r.buyers, last]).toEqual([r.cohort, buyers.length, divRound(cm3, buyers.length)]);
    }
  });

  test('30-day repeat rate of the first cohort, recounted from the truth', () => {
    const row = report.repeatPurchase.rows[0];
    const byBuyer = new Map<string, typeof purchases>();
    for (const o of [...purchases].sort((a, b) => a.createTime - b.createTime || (a.orderId < b.orderId ? -1 : 1))) {
      if (!byBuyer.has(o.buyerId)) byBuyer.set(o.buyerId, []);
      byBuyer.get(o.buyerId)!.push(o);
    }
    let buyers = 0, repeat = 0;
    for (const list of byBuyer.values()) {
      if (list[0].day.slice(0, 7) !== row.cohort) continue;
      expect(list[0].isFirstOrder).toBe(true);
      buyers += 1;
      if (list.length > 1 && list[1].createTime - list[0].createTime <= 30 * 86400) repeat += 1;
    }
    expect(row.buyers).toBe(buyers);
    expect(row.repeatBuyers30).toBe(repeat);
    expect(repeat).toBeGreaterThan(0);
    expect(row.repeatRate90).toBeNull(); // the generated history is shorter than 90 days after the first month
  });

  test('returns and refunds: the segments add up to the truth\'s totals', () => {
    const customer = report.returnsAndRefunds.rows.filter((r) => r.dimension === 'Customer');
    expect(customer.map((r) => r.segment)).toEqual(['New', 'Returning']);
    expect(customer.reduce((s, r) => s + (r.refunds as number), 0)).toBe(purchases.reduce((s, o) => s + o.refunds, 0));
    expect(customer.reduce((s, r) => s + (r.unitsSold as number), 0)).toBe(purchases.reduce((s, o) => s + o.units, 0));
    const returned = customer.reduce((s, r) => s + (r.returnedUnits as number), 0);
    expect(returned).toBeGreaterThan(0);
    const creators = report.returnsAndRefunds.rows.filter((r) => r.dimension === 'Creator');
    expect(creators.reduce((s, r) => s + (r.grossSales as number), 0)).toBe(purchases.filter((o) => o.creator !== null).reduce((s, o) => s + o.grossSales, 0));
  });
});
