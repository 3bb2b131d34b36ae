/**
 * Alerts by hand: each rule fires on a number just past its threshold and stays quiet just
 * inside it; every alert names the item, the number, the threshold and where to look.
 */
import { computeMargins } from '../../src/core/margin';
import { alerts } from '../../src/core/reports/alerts';
import { at, cost, line, order, settings, shop } from '../engine/fixtures';

const asOf = at('2026-11-20');

function run(over: Parameters<typeof shop>[0], sources: Parameters<typeof alerts>[1] = {}, s = settings()) {
  const data = shop(over);
  const margins = computeMargins(data, s, asOf);
  return alerts({ data, settings: s, margins }, sources).rows;
}

test('a SKU sold without a cost is named with its order count', () => {
  const rows = run({
    orders: [order('a', { createTime: at('2026-11-10'), paidTime: at('2026-11-10') }), order('b', { createTime: at('2026-11-11'), paidTime: at('2026-11-11') })],
    lines: [line('a', 'l', { sellerSku: 'NO-COST' }), line('b', 'l', { sellerSku: 'NO-COST' })],
  }).filter((r) => r.rule === 'sku_without_cogs');
  expect(rows).toEqual([expect.objectContaining({ item: 'SKU NO-COST', value: '2 orders in the last 30 days', where: 'COGS tab' })]);
});

test('the shop’s CM3% below target fires; at target it does not', () => {
  // $10.00 sold, $7.90 cost, 6% referral ($0.60): CM3 $1.50 = 15.0% of net revenue.
  const over = {
    orders: [order('a', { createTime: at('2026-11-19'), paidTime: at('2026-11-19') })],
    lines: [line('a', 'l', { originalPrice: 1000 })],
    cogs: [cost('SKU-A', 790, '2026-01-01')],
  };
  expect(run(over).filter((r) => r.rule === 'cm3_below_target')).toEqual([]); // 15.0% vs 15% target
  const low = run(over, {}, settings({ thresholds: { targetCm3Bp: 1501 } } as never)).filter((r) => r.rule === 'cm3_below_target');
  expect(low.map((r) => [r.value, r.threshold, r.where])).toEqual([['15.0%', '15.01%', 'Profit tab'], ['15.0%', '15.01%', 'Profit tab']]);
});

test('negative SKU and creator CM3, high and spiking return rates, low page view rate, finance mismatches', () => {
  const rows = run({}, {
    skus7: [{ sku: 'S1', cm3: -1250, netRevenue: 5000, returnRate: 0.3, previousReturnRate: 0.1, pageViewRate: 0.05 }],
    skus30: [
      { sku: 'S1', cm3: 800, netRevenue: 9000, returnRate: 0.1001, pageViewRate: 0.0149 },
      { sku: 'S2', cm3: 10, netRevenue: 900, returnRate: 0.1, pageViewRate: 0.015 },
    ],
    creators30: [{ creator: 'creator_z', cm3: -99 }, { creator: 'creator_ok', cm3: 0 }],
    statementsNotTiedOut: [{ statementId: 'ST9', difference: 1234, differenceShare: 0.0612 }],
    payoutsDiffering: [{ paymentId: 'P7', difference: -500 }],
    transactionsNotAddingUp: [{ transactionId: 'T1', statementId: 'ST9', orderId: 'O1', difference: -19671 }],
  });
  const by = (rule: string) => rows.filter((r) => r.rule === rule).map((r) => `${r.item} | ${r.value} | ${r.threshold}`);
  expect(by('sku_negative_cm3')).toEqual(['SKU S1 | -12.50 USD | CM3 ≥ 0.00 USD']);
  expect(by('creator_negative_cm3')).toEqual(['Creator creator_z | -0.99 USD | CM3 ≥ 0.00 USD']);
  expect(by('return_rate_high')).toEqual(['SKU S1 | 10.0% | 10%']); // 10.01% > 10%; S2 at exactly 10% is not
  expect(by('return_rate_spike')).toEqual(['SKU S1 | 10.0% → 30.0% | +50% week over week']);
  expect(by('page_view_rate_low')).toEqual(['SKU S1 | 1.49% | ≥ 1.50% (healthy 3%–8%)']);
  expect(by('statement_not_tied_out')).toEqual(['Statement ST9 | 12.34 USD (6.1%) | within 5%']);
  expect(by('payout_differs')).toEqual(['Payout P7 | -5.00 USD | within 0.00 USD of settlement + reserve']);
  expect(by('transaction_parts_off')).toEqual(['Transaction T1 (order O1) | -196.71 USD | settlement = sum of its parts']);
});

test('last month still mostly estimated, and stale data', () => {
  const days = ['2026-10-03', '2026-10-04'];
  const rows = run(
    { orders: days.map((d, i) => order(`o${i}`, { createTime: at(d), paidTime: at(d) })), lines: days.map((_, i) => line(`o${i}`, 'l')), cogs: [cost('SKU-A', 100, '2026-01-01')] },
    { lastRefreshTime: asOf - 49 * 3600 },
  );
  expect(rows.filter((r) => r.rule === 'estimated_share_high').map((r) => [r.item, r.value])).toEqual([['Orders of 2026-10', '100.0%']]);
  expect(rows.filter((r) => r.rule === 'data_stale').map((r) => r.value)).toEqual(['49 h since the last refresh']);
  expect(run({}, { lastRefreshTime: asOf - 48 * 3600 }).filter((r) => r.rule === 'data_stale')).toEqual([]);
});
