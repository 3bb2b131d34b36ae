/**
 * Channels, by hand. Los Angeles, as of 8 Oct 2026; rate card 6% referral; COGS A $10, B $2.
 *
 *   a1  5 Oct  creator_l, LIVE       A $30: 3000 − 1000 − 180 − 450 commission            = CM3 1370
 *   a2  5 Oct  creator_v: VIDEO base 1200 + SHOP base 900; creator_w: LIVE base 2000. Credited to creator_v
 *              (2100 > 2000), and video is creator_v's main content type (LIVE would win over all lines) → video
 *              2500 − 1200 − 150 − 3 × 150                                                    = CM3 700
 *   a3  6 Oct  creator_s, SHOP       B $10: 1000 − 200 − 60 − 150 − 100 ads                   = CM3 490
 *   a4  6 Oct  creator_k, LINKSHARE  B $10: the same                                          = CM3 490
 *   o5  6 Oct  no creator            A $40: 4000 − 1000 − 240 − 400 ads                       = CM3 2360
 *   s1  6 Oct  sample of A for creator_l                                                       = CM3 −1000
 *   ads $3 on 4 Oct (no order: unallocated), $6 on 6 Oct (split 1000 : 1000 : 4000)
 *   analytics: 5 Oct LIVE 20, video 15, card 5 of GMV 50; 6 Oct LIVE 10, card 40 of 50
 */
import { channelReport } from '../../src/core/reports/channels';
import { generateShop } from '../../dev/generator/shop';
import { ad, at, cost, creatorLine, line, order, shop } from '../engine/fixtures';
import { reportInput, rowWhere, shopPerformance, sumColumn } from './fixtures';

const A = { sellerSku: 'SKU-A', skuId: 'sku-a' };
const B = { sellerSku: 'SKU-B', skuId: 'sku-b' };
const day = (d: string) => ({ createTime: at(d), paidTime: at(d) });

const data = shop({
  orders: [order('a1', day('2026-10-05')), order('a2', day('2026-10-05')), order('a3', day('2026-10-06')), order('a4', day('2026-10-06')),
    order('o5', day('2026-10-06')), order('s1', { ...day('2026-10-06'), isSample: true, sampleCreator: 'creator_l' })],
  lines: [
    line('a1', 'L1', { ...A, originalPrice: 3000 }),
    line('a2', 'L1', { ...A, originalPrice: 2000 }), line('a2', 'L2', { ...B, originalPrice: 500 }),
    line('a3', 'L1', { ...B, originalPrice: 1000 }), line('a4', 'L1', { ...B, originalPrice: 1000 }),
    line('o5', 'L1', { ...A, originalPrice: 4000 }), line('s1', 'L1', { ...A, originalPrice: 0 }),
  ],
  creatorOrders: [
    creatorLine('a1', 'creator_l', { contentType: 'LIVE', estimatedCommissionBase: 3000, estimatedCommission: 450 }),
    creatorLine('a2', 'creator_v', { contentType: 'VIDEO', skuId: 'sku-a', estimatedCommissionBase: 1200 }),
    creatorLine('a2', 'creator_v', { contentType: 'SHOP', skuId: 'sku-b', estimatedCommissionBase: 900 }),
    creatorLine('a2', 'creator_w', { contentType: 'LIVE', skuId: 'sku-a', estimatedCommissionBase: 2000 }),
    creatorLine('a3', 'creator_s', { contentType: 'SHOP' }),
    creatorLine('a4', 'creator_k', { contentType: 'LINKSHARE' }),
  ],
  adSpend: [ad('2026-10-04', 300), ad('2026-10-06', 600)],
  cogs: [cost('SKU-A', 1000, '2026-01-01'), cost('SKU-B', 200, '2026-01-01')],
  shopPerformance: [
    shopPerformance('2026-10-05', { LIVE: 2000, VIDEO: 1500, PRODUCT_CARD: 500 }, 5000, 2),
    shopPerformance('2026-10-06', { LIVE: 1000, PRODUCT_CARD: 4000 }, 5000, 3),
  ],
});
const input = reportInput(data, at('2026-10-08'));
const { channels, analyticsByDay } = channelReport(input);

test('order-level rows: one channel per order, by the credited creator’s content type', () => {
  expect(channels.rows.filter((r) => r.level === 'order-level').map((r) => [r.channel, r.orders, r.grossSales, r.creatorCommission, r.adSpend, r.sampleCost, r.cm3])).toEqual([
    ['Affiliate LIVE', 1, 3000, 450, 0, 0, 1370],
    ['Affiliate video', 1, 2500, 450, 0, 0, 700],
    ['Affiliate showcase', 1, 1000, 150, 100, 0, 490],
    ['Affiliate link share', 1, 1000, 150, 100, 0, 490],
    ['Shop’s own (no creator)', 1, 4000, 0, 400, 0, 2360],
    ['Samples sent to creators', 1, 0, 0, 0, 1000, -1000],
    ['All orders', 6, 11500, 1200, 600, 1000, 4410],
  ]);
  expect(rowWhere(channels, 'channel', 'Affiliate LIVE').gmvShare).toBeCloseTo(3000 / 11500, 12);
  expect(rowWhere(channels, 'channel', 'Affiliate LIVE').cm3Share).toBeCloseTo(1370 / 3000, 12);
  expect(rowWhere(channels, 'channel', 'Samples sent to creators').cm3Share).toBeNull();
});

test('day-level rows: all ad spend of the days, and the analytics split of shop GMV', () => {
  expect(rowWhere(channels, 'channel', 'Paid ads')).toMatchObject({ level: 'day-level', adSpend: 900, grossSales: null, cm3: null });
  expect(channels.rows.filter((r) => r.level === 'day-level' && r.channel !== 'Paid ads').map((r) => [r.channel, r.grossSales, r.gmvShare, r.orders])).toEqual([
    ['Shop analytics: LIVE', 3000, 0.3, null],
    ['Shop analytics: video', 1500, 0.15, null],
    ['Shop analytics: product card', 4500, 0.45, null],
    ['Shop analytics: all', 10000, 1, 5],
  ]);
  expect(channels.definitions.notes.join(' ')).toContain('3.00 USD of the spend found no order');
});

test('the analytics by day: every day of the range, empty cells where TikTok sent nothing', () => {
  expect(analyticsByDay.rows).toHaveLength(30);
  expect(rowWhere(analyticsByDay, 'day', '2026-10-05')).toEqual({ day: '2026-10-05', LIVE: 2000, VIDEO: 1500, PRODUCT_CARD: 500, other: 1000, gmv: 5000, orders: 2 });
  expect(rowWhere(analyticsByDay, 'day', '2026-10-06')).toMatchObject({ VIDEO: 0, other: 0 });
  expect(rowWhere(analyticsByDay, 'day', '2026-10-07')).toMatchObject({ LIVE: null, gmv: null });
});

test('an empty period: every order-level row is zero with empty ratios; rarer content types are left out', () => {
  const { channels: e, analyticsByDay: d } = channelReport(input, { range: { label: 'September', from: '2026-09-01', to: '2026-09-30' } });
  expect(e.rows.map((r) => r.channel)).toEqual(['Affiliate LIVE', 'Affiliate video', 'Affiliate showcase', 'Shop’s own (no creator)', 'Samples sent to creators', 'All orders', 'Paid ads']);
  for (const r of e.rows.filter((x) => x.level === 'order-level')) expect([r.orders, r.cm3, r.cm3Share, r.gmvShare]).toEqual([0, 0, null, null]);
  expect(rowWhere(e, 'channel', 'Paid ads').adSpend).toBe(0);
  expect(d.rows).toEqual([]);
  expect(e.definitions.notes.join(' ')).toContain('No shop analytics');
});

test('generator: channels partition the ground-truth orders; analytics rows equal the analytics records', () => {
  const g = generateShop({ seed: 41, days: 20, ordersPerDay: 40 });
  const { channels: t } = channelReport(reportInput(g.data, g.asOf, g.settings));
  const [, from, to] = t.definitions.notes[0].match(/(\d{4}-\d{2}-\d{2}) to (\d{4}-\d{2}-\d{2})/)!;
  const orders = g.truth.orders.filter((o) => o.day >= from && o.day <= to);
  // The generator gives every creator line of an order the same content type.
  const typeOf = new Map(g.data.creatorOrders.map((c) => [c.orderId, c.contentType]));
  const expected = new Map<string, { gmv: number; cm3: number; orders: number }>();
  for (const o of orders) {
    const key = o.isSample ? 'SAMPLE' : o.creator === null ? 'OWN' : typeOf.get(o.orderId)!;
    const e = expected.get(key) ?? { gmv: 0, cm3: 0, orders: 0 };
    e.gmv += o.grossSales;
    e.cm3 += o.cm3;
    e.orders += 1;
    expected.set(key, e);
  }
  const labels: Record<string, string> = {
    LIVE: 'Affiliate LIVE', VIDEO: 'Affiliate video', SHOP: 'Affiliate showcase', PRE_LIVE: 'Affiliate pre-LIVE',
    PROMOTION_PAGE: 'Affiliate promotion page', LINKSHARE: 'Affiliate link share', OWN: 'Shop’s own (no creator)', SAMPLE: 'Samples sent to creators',
  };
  expect(expected.size).toBeGreaterThanOrEqual(6);
  for (const [key, e] of expected) {
    const r = rowWhere(t, 'channel', labels[key]);
    expect([key, r.grossSales, r.cm3, r.orders]).toEqual([key, e.gmv, e.cm3, e.orders]);
  }
  const orderRows = t.rows.filter((r) => r.level === 'order-level' && r.channel !== 'All orders');
  expect(sumColumn(orderRows, 'cm3')).toBe(orders.reduce((s, o) => s + o.cm3, 0));
  expect(rowWhere(t, 'channel', 'All orders').cm3).toBe(orders.reduce((s, o) => s + o.cm3, 0));
  const perf = g.data.shopPerformance.filter((p) => p.date >= from && p.date <= to);
  expect(perf.length).toBeGreaterThan(0);
  expect(rowWhere(t, 'channel', 'Shop analytics: LIVE').grossSales).toBe(perf.reduce((s, p) => s + (p.gmvByType.LIVE ?? 0), 0));
  expect(rowWhere(t, 'channel', 'Shop analytics: all').grossSales).toBe(perf.reduce((s, p) => s + p.gmv, 0));
  expect(rowWhere(t, 'channel', 'Paid ads').adSpend).toBe(g.truth.days.filter((d) => d.day >= from && d.day <= to).reduce((s, d) => s + d.adSpend, 0));
});
