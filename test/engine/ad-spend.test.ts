/**
 * Ad spend counted once (src/core/ad-spend.ts), hand-computed, through the engine.
 *
 * One shop day, two orders: O1 net revenue 10.00, O2 30.00 (so by day O1 takes 1/4 of a pool).
 * Card-paid spend 8.00 is always there. The GMV-paid money may come from:
 *   A. a GMV_PAYMENT_FOR_ADS statement line of −4.00 (shop level),
 *   B. gmv_max_ad_fee_amount −2.50 in O1's ORDER transaction (O1's own ad cost),
 *   C. the Marketing API's GMV-paid campaign row of 6.50 (the same money, seen by the ads side).
 */
import { computeMargins } from '../../src/core/margin';
import {
  applyCampaignMap, AdCurrencyError, convertAdSpend, convertMinor, countAdSpendOnce, parseAdCurrencyRates,
} from '../../src/core/ad-spend';
import { ad, adjustmentTx, at, estimate, line, order, orderTx, settings, shop } from './fixtures';
import type { StatementTransaction } from '../../src/core/records';

const DAY = '2026-10-05';
const CARD = ad(DAY, 800, { campaignId: 'card' });
const GMV_ROW = ad(DAY, 650, { campaignId: 'gmvmax', fundingSource: 'GMV_PAYMENT' });

function orderTxs(withFee: boolean): StatementTransaction[] {
  const o1 = orderTx('O1', at('2026-10-07'), { subtotalBeforeDiscount: 1000, fees: withFee ? { referral_fee_amount: -60, gmv_max_ad_fee_amount: -250 } : { referral_fee_amount: -60 } });
  const o2 = orderTx('O2', at('2026-10-07'), { subtotalBeforeDiscount: 3000, fees: { referral_fee_amount: -180 } });
  return [o1, o2];
}

function run(a: boolean, b: boolean, c: boolean, withStatements = true) {
  const transactions = withStatements ? [...orderTxs(b), ...(a ? [adjustmentTx('GMV_PAYMENT_FOR_ADS', null, at(DAY), -400)] : [])] : [];
  const data = shop({
    orders: [order('O1', { createTime: at(DAY) }), order('O2', { createTime: at(DAY, 13 * 3600) })],
    lines: [line('O1', 'L1', { originalPrice: 1000 }), line('O2', 'L2', { originalPrice: 3000 })],
    transactions,
    adSpend: [CARD, ...(c ? [GMV_ROW] : [])],
  });
  const r = computeMargins(data, settings(), at('2026-10-20'));
  const byId = new Map(r.orders.map((o) => [o.orderId, o]));
  const day = r.days.find((d) => d.day === DAY)!;
  return { o1: byId.get('O1')!, o2: byId.get('O2')!, day, counted: countAdSpendOnce(data.adSpend, data.transactions, 'America/Los_Angeles') };
}

describe('counted once: every combination of statement line (A), per-order fee (B), Marketing API GMV-paid row (C)', () => {
  // [A, B, C] → O1 ad spend, O2 ad spend, day total. Pool = 8.00 card (+ 4.00 A), split 1:3; B goes to O1 alone.
  const cases: [boolean, boolean, boolean, number, number, number][] = [
    [false, false, false, 200, 600, 800],
    [true, false, false, 300, 900, 1200],
    [false, true, false, 200 + 250, 600, 1050],
    [true, true, false, 300 + 250, 900, 1450],
    // C is the same money as A + B: with statements in the data it never adds.
    [false, false, true, 200, 600, 800],
    [true, false, true, 300, 900, 1200],
    [false, true, true, 200 + 250, 600, 1050],
    [true, true, true, 300 + 250, 900, 1450],
  ];
  test.each(cases)('A=%s B=%s C=%s', (a, b, c, o1, o2, total) => {
    const r = run(a, b, c);
    expect(r.o1.adSpend).toBe(o1);
    expect(r.o2.adSpend).toBe(o2);
    expect(r.day.adSpend).toBe(total);
    expect(r.day.allocatedAdSpend + r.day.unallocatedAdSpend).toBe(total);
    // The per-order fee is ad spend, never a platform fee (nothing left unexplained either).
    expect(r.o1.platformFees).toBe(60);
    expect(r.o1.fees.otherPlatformFees).toBe(0);
    expect(r.counted.gmvPaidFrom).toBe('statements');
    expect(r.counted.gmvPaidReported).toBe(c ? 650 : 0);
    expect(r.counted.gmvPaidOnStatements).toBe((a ? 400 : 0) + (b ? 250 : 0));
  });

  test('no statement at all in the data: the Marketing API row is the only record of the GMV-paid cost and counts', () => {
    const r = run(false, false, true, false);
    expect(r.counted.gmvPaidFrom).toBe('marketing_api');
    // Pool 8.00 + 6.50 = 14.50 split 1:3 → 3.625 / 10.875 → 363 / 1087 (largest remainder to the earlier order on a tie).
    expect(r.o1.adSpend + r.o2.adSpend).toBe(1450);
    expect(r.o1.adSpend).toBe(363);
    expect(r.o2.adSpend).toBe(1087);
    expect(r.day.adSpend).toBe(1450);
  });

  test('a per-order fee of an order the data does not hold goes to its statement day, not lost', () => {
    const stray = orderTx('GONE', at('2026-10-06'), { subtotalBeforeDiscount: 500, fees: { gmv_max_ad_fee_amount: -100 } });
    const r = computeMargins(shop({
      orders: [order('O1', { createTime: at('2026-10-06') })], lines: [line('O1', 'L1')], transactions: [stray],
    }), settings(), at('2026-10-20'));
    expect(r.orders[0].adSpend).toBe(100);
    expect(r.days.find((d) => d.day === '2026-10-06')!.adSpend).toBe(100);
  });
});

test('in TikTok\'s estimate of an unsettled order, a GMV Max fee stays a cost (other platform fees) until the order settles', () => {
  const r = computeMargins(shop({
    orders: [order('O1', { createTime: at(DAY) })], lines: [line('O1', 'L1', { originalPrice: 1000 })],
    unsettled: [estimate('O1', { estFeeTaxAmount: -310, fees: { referral_fee_amount: -60, gmv_max_ad_fee_amount: -250 } })],
  }), settings(), at('2026-10-20'));
  expect(r.orders[0].basis).toBe('tiktok_estimate');
  expect(r.orders[0].fees.referralFee).toBe(60);
  expect(r.orders[0].fees.otherPlatformFees).toBe(250);
  expect(r.orders[0].adSpend).toBe(0);
});

describe('ad account currency', () => {
  test('a rate converts exactly as typed; JPY (0 decimals) to USD (2)', () => {
    expect(convertMinor(10000, 'EUR', 'USD', '1.0850')).toBe(10850);
    expect(convertMinor(12345, 'EUR', 'USD', '1.0850')).toBe(13394); // 133.94325 → 133.94
    expect(convertMinor(1000, 'JPY', 'USD', '0.0067')).toBe(670); // ¥1,000 → $6.70
    expect(convertMinor(670, 'USD', 'JPY', '149.25')).toBe(1000); // $6.70 → ¥999.975 → ¥1,000
  });

  test('an ad account in another currency is refused by name without a rate, converted with one', () => {
    const eur = ad(DAY, 10000, { advertiserId: 'adv-EU', currency: 'EUR', grossSpend: 11000 });
    expect(() => convertAdSpend([eur], 'USD', [])).toThrow(AdCurrencyError);
    expect(() => convertAdSpend([eur], 'USD', [])).toThrow(/Ad account adv-EU reports in EUR, the shop in USD/);
    const [converted] = convertAdSpend([eur], 'USD', parseAdCurrencyRates('EUR 1.0850 2026-10-01', 'USD'));
    expect(converted).toMatchObject({ currency: 'USD', spend: 10850, grossSpend: 11935 });
  });

  test('rates are refused when they cannot be read, naming the setting and the entry', () => {
    expect(parseAdCurrencyRates(' EUR 1.0850 2026-10-01 ; gbp 1.27 2026-10-02 ', 'USD')).toEqual([
      { currency: 'EUR', rate: '1.0850', date: '2026-10-01' }, { currency: 'GBP', rate: '1.27', date: '2026-10-02' },
    ]);
    expect(parseAdCurrencyRates('', 'USD')).toEqual([]);
    expect(() => parseAdCurrencyRates('EUR 1,08 2026-10-01', 'USD')).toThrow(/Ad account currency rates.*EUR 1,08/);
    expect(() => parseAdCurrencyRates('EUR 1.08', 'USD')).toThrow(/CUR rate YYYY-MM-DD/);
    expect(() => parseAdCurrencyRates('USD 1 2026-10-01', 'USD')).toThrow(/other than the shop/);
    expect(() => parseAdCurrencyRates('XXX 1 2026-10-01', 'USD')).toThrow(/ISO 4217/);
  });
});

describe('campaign map', () => {
  test('the map gives a campaign its products and creator; unmapped campaigns keep what the API said', () => {
    const rows = [ad(DAY, 100, { campaignId: 'c1', productIds: ['p9'] }), ad(DAY, 200, { campaignId: 'c2', productIds: ['p1'] })];
    const out = applyCampaignMap(rows, [{ advertiserId: 'adv-1', campaignId: 'c1', campaignName: 'Spark', productIds: [], creatorUsername: 'alice', fundingSource: null }]);
    expect(out[0]).toMatchObject({ productIds: [], creatorUsername: 'alice' });
    expect(out[1]).toMatchObject({ productIds: ['p1'], creatorUsername: null });
  });

  test('by-product allocation follows the map: a campaign mapped to O2\'s product goes to O2 only', () => {
    const data = shop({
      orders: [order('O1', { createTime: at(DAY) }), order('O2', { createTime: at(DAY) })],
      lines: [line('O1', 'L1', { originalPrice: 1000, productId: 'pA' }), line('O2', 'L2', { originalPrice: 3000, productId: 'pB' })],
      adSpend: applyCampaignMap([ad(DAY, 500, { campaignId: 'c1' })], [{ advertiserId: 'adv-1', campaignId: 'c1', campaignName: '', productIds: ['pB'], creatorUsername: null, fundingSource: null }]),
    });
    const r = computeMargins(data, settings({ allocationMethod: 'by_product' }), at('2026-10-20'));
    expect(r.orders.map((o) => [o.orderId, o.adSpend])).toEqual([['O1', 0], ['O2', 500]]);
  });
});
