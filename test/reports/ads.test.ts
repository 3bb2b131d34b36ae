/**
 * The Ads report (src/core/reports/ads.ts): hand-computed on a small shop, and against the
 * generator's ground truth (every day's ad spend, counted once) on a generated one.
 */
import { computeMargins } from '../../src/core/margin';
import { adsReport } from '../../src/core/reports/ads';
import { generateShop } from '../../dev/generator/shop';
import { ad, adjustmentTx, at, line, order, orderTx, settings, shop } from '../engine/fixtures';

describe('Ads report, hand-computed', () => {
  // 2026-10-05: O1 (10.00, new buyer) and O2 (30.00, new buyer); ads 8.00 by card, 4.00 paid from GMV.
  // 2026-10-06: no order, 2.00 by card → unallocated. As of 2026-10-06 noon.
  const data = shop({
    orders: [order('O1', { createTime: at('2026-10-05') }), order('O2', { createTime: at('2026-10-05', 13 * 3600) })],
    lines: [line('O1', 'L1', { originalPrice: 1000 }), line('O2', 'L2', { originalPrice: 3000 })],
    transactions: [
      orderTx('O1', at('2026-10-05', 3600), { subtotalBeforeDiscount: 1000, fees: { referral_fee_amount: -100 } }),
      orderTx('O2', at('2026-10-05', 3600), { subtotalBeforeDiscount: 3000, fees: { referral_fee_amount: -300 } }),
      adjustmentTx('GMV_PAYMENT_FOR_ADS', null, at('2026-10-05'), -400),
    ],
    adSpend: [
      ad('2026-10-05', 800, { campaignId: 'c1', grossSpend: 1000 }),
      ad('2026-10-06', 200, { campaignId: 'c1', grossSpend: 200 }),
      ad('2026-10-05', 400, { campaignId: 'g1', fundingSource: 'GMV_PAYMENT' }),
    ],
  });
  const s = settings();
  const margins = computeMargins(data, s, at('2026-10-06'));
  const r = adsReport({ data, settings: s, margins }, { adCurrencyRates: [{ currency: 'EUR', rate: '1.0850', date: '2026-10-01' }] });
  const week = r.periods.rows.find((x) => x.period === 'Last 7 days')!;

  test('spend counted once, split by payment, unallocated kept', () => {
    expect(week).toMatchObject({ adSpend: 1400, cardPaid: 1000, gmvPaid: 400, unallocated: 200 });
  });

  test('paid channel, ROAS, break-even ROAS, MER, CAC', () => {
    // Both orders carry ads (by day): net revenue 40.00, CM2 = 40.00 − 4.00 fees = 36.00, CM3 = 36.00 − 12.00.
    expect(week).toMatchObject({ paidOrders: 2, paidGmv: 4000, paidNetRevenue: 4000, paidCm3: 2400, newBuyers: 2, cac: 700 });
    expect(week.roas).toBeCloseTo(4000 / 1400, 12);
    expect(week.breakEvenRoas).toBeCloseTo(4000 / 3600, 12);
    expect(week.mer).toBeCloseTo(4000 / 1400, 12);
  });

  test('campaign table: billed cost beside spend before credits; GMV-paid counted from the statements; the rate and its date shown', () => {
    expect(r.campaigns.rows.map((x) => [x.campaignId, x.spend, x.grossSpend, x.days, x.counted])).toEqual([
      ['c1', 1000, 1200, 2, 'yes'],
      ['g1', 400, null, 1, 'from the statements'],
    ]);
    expect(r.periods.definitions.notes.join(' ')).toContain('1 EUR = 1.0850 USD (rate of 2026-10-01)');
    expect(r.periods.definitions.notes.join(' ')).toContain('4.00 USD on statements; the Marketing API reports 4.00 USD of GMV-paid spend');
  });
});

test('Ads report on a generated shop: each period\'s ad spend and unallocated spend = the ground truth\'s days', () => {
  const g = generateShop({ seed: 6, days: 45, ordersPerDay: 40 });
  const margins = computeMargins(g.data, g.settings, g.asOf);
  const r = adsReport({ data: g.data, settings: g.settings, margins });
  for (const row of r.periods.rows) {
    const days = g.truth.days.filter((d) => d.day >= String(row.from) && d.day <= String(row.to));
    expect({ period: row.period, adSpend: row.adSpend, unallocated: row.unallocated }).toEqual({
      period: row.period, adSpend: days.reduce((a, d) => a + d.adSpend, 0), unallocated: days.reduce((a, d) => a + d.unallocatedAdSpend, 0),
    });
    expect(Number(row.cardPaid) + Number(row.gmvPaid)).toBe(row.adSpend);
  }
  const month = r.periods.rows.find((x) => x.period === 'Last 30 days')!;
  expect(month.adSpend).toBeGreaterThan(0);
  expect(month.gmvPaid).toBeGreaterThan(0);
  expect(r.campaigns.rows.length).toBe(6);
});
