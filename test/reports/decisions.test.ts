/**
 * Decisions on hand-built SKU rows, creator rows and orders (target CM3 15%):
 *
 *   SKU A   sold without a cost, $50.00 net revenue            → Add cost, first, at stake $50.00
 *   SKU B   CM3 −$7.00 on $100.00                              → Stop or reprice, $7.00
 *   SKU C   CM3 $10.00 on $100.00 (10% < 15%)                  → Reprice, gap $5.00
 *   SKU D   CM3 $20.00 on $100.00 (20%)                        → nothing
 *   creator scale     Scale, CM3 $100.00                       → Scale creator, $100.00
 *   creator fix       Fix terms, CM3 $50.00 on $500.00 (10%), commission $100.00 at 20%
 *                     → gap 75.00 − 50.00 = $25.00; commission must fall to $75.00: rate 20% × 75/100 = 15.0%
 *   creator hopeless  Fix terms, CM3 −$200.00 on $500.00, commission $50.00: the gap ($275.00) is more than
 *                     the whole commission → Cut creator, at stake the loss $200.00
 *   creator cut       Cut, CM3 −$3.00                          → Cut creator, $3.00
 *   creator grow      Grow                                     → nothing
 *   orders (last 30 days, CM3 < 0): cancelled −$3.00; refunded −$4.00; below cost −$2.00;
 *     shipping −$0.50 (shipping $0.90 ≥ fees $0.10 + commission $0.20); ads −$0.60;
 *     a sample −$9.99 and an order before the window −$50.00 are left out.
 */
import { emptyShopData } from '../../src/core/records';
import { commissionRateForTarget, decisions, decisionsReport, lossCause } from '../../src/core/reports/decisions';
import type { MarginResult } from '../../src/core/margin';
import { zeroFees, type OrderMargin } from '../../src/core/margin-types';
import type { ReportInput, Row } from '../../src/core/reports/table';
import { at, settings } from '../engine/fixtures';

function om(orderId: string, over: Partial<OrderMargin>): OrderMargin {
  return {
    orderId, buyerId: `b-${orderId}`, day: '2026-10-05', createTime: at('2026-10-05'), status: 'COMPLETED', currency: 'USD', isSample: false,
    creator: null, isFirstOrder: true, basis: 'settled', settlementTime: null, units: 1, grossSales: 1000, cancelledSales: 0, sellerDiscount: 0,
    platformDiscount: 0, productRevenue: 1000, refunds: 0, shippingRevenue: 0, netRevenue: 1000, cogsGross: 0, restockCredit: 0, cogs: 0,
    missingCogsSkus: [], cm1: 0, fees: zeroFees(), platformFees: 0, ownFulfilmentCost: 0, fulfilmentAndShipping: 0, creatorCommission: 0,
    cm2: 0, adSpend: 0, sampleCost: 0, marketing: 0, cm3: 0, trueUp: null, ...over,
  };
}

const orders: OrderMargin[] = [
  om('cancelled', { status: 'CANCELLED', cm1: 0, cm2: -300, cm3: -300 }),
  om('refunded', { refunds: 500, cm1: 100, cm2: -400, cm3: -400 }),
  om('below-cost', { cm1: -50, cm2: -150, cm3: -200 }),
  om('shipping', { cm1: 100, cm2: -20, fulfilmentAndShipping: 90, platformFees: 10, creatorCommission: 20, cm3: -50 }),
  om('ads', { cm1: 100, cm2: 50, cm3: -60 }),
  om('profitable', { cm1: 500, cm2: 400, cm3: 300 }),
  om('sample', { isSample: true, cm3: -999 }),
  om('old', { day: '2026-08-01', cm3: -5000 }),
];

const input: ReportInput = {
  data: emptyShopData(),
  settings: settings(),
  margins: { currency: 'USD', asOf: at('2026-10-07'), orders, days: [], trailing: { orders: 0 } } as unknown as MarginResult,
};
const range = { label: 'Last 30 days', from: '2026-09-08', to: '2026-10-07' };

const skus: Row[] = [
  { sku: 'D', missingCogs: false, units: 5, netRevenue: 10000, cm3: 2000 },
  { sku: 'B', missingCogs: false, units: 5, netRevenue: 10000, cm3: -700 },
  { sku: 'A', missingCogs: true, units: 3, netRevenue: 5000, cm3: 4000 },
  { sku: 'C', missingCogs: false, units: 5, netRevenue: 10000, cm3: 1000 },
];
const creators: Row[] = [
  { creator: 'scale', group: 'Scale', gmv: 50000, netRevenue: 40000, cm3: 10000, commission: 4000, headlineCommissionRate: 0.1 },
  { creator: 'fix', group: 'Fix terms', gmv: 60000, netRevenue: 50000, cm3: 5000, commission: 10000, headlineCommissionRate: 0.2 },
  { creator: 'hopeless', group: 'Fix terms', gmv: 60000, netRevenue: 50000, cm3: -20000, commission: 5000, headlineCommissionRate: 0.1 },
  { creator: 'cut', group: 'Cut', gmv: 100, netRevenue: 100, cm3: -300, commission: 10, headlineCommissionRate: 0.1 },
  { creator: 'grow', group: 'Grow', gmv: 100, netRevenue: 100, cm3: 50, commission: 10, headlineCommissionRate: 0.1 },
];

test('ranked: the SKU without a cost first, then by money at stake', () => {
  const list = decisions(input, { skus, creators, range });
  expect(list.map((d) => [d.action, d.item, d.atStake])).toEqual([
    ['Add cost', 'SKU A', 5000],
    ['Cut creator', 'Creator hopeless', 20000],
    ['Scale creator', 'Creator scale', 10000],
    ['Renegotiate commission', 'Creator fix', 2500],
    ['Stop or reprice', 'SKU B', 700],
    ['Reprice', 'SKU C', 500],
    ['Fix negative-margin orders', '1 order: refunded', 400],
    ['Fix negative-margin orders', '1 order: cancelled after costs', 300],
    ['Cut creator', 'Creator cut', 300],
    ['Fix negative-margin orders', '1 order: sold below cost', 200],
    ['Fix negative-margin orders', '1 order: ad spend and samples exceed the margin', 60],
    ['Fix negative-margin orders', '1 order: shipping and fulfilment exceed the margin', 50],
  ]);
  expect(list.find((d) => d.item === 'Creator fix')!.target).toBe('commission ≤ 15.0%');
  expect(list.find((d) => d.item === 'SKU C')!.target).toBe('CM3 +5.00 USD (price or cost)');
});

test('the commission rate at which a creator reaches the target', () => {
  // Gap 25.00 of a 100.00 commission at 20%: 15%.
  expect(commissionRateForTarget({ cm3: 5000, netRevenue: 50000, commission: 10000, headlineCommissionRate: 0.2 }, 1500)).toBe(0.15);
  // Gap 10.01 of 100.00 at 20%: 20% × 89.99 / 100 = 17.998% → rounded down to 17.9% (at 18.0% it would miss).
  expect(commissionRateForTarget({ cm3: 6499, netRevenue: 50000, commission: 10000, headlineCommissionRate: 0.2 }, 1500)).toBe(0.179);
  // Already at target: the current rate.
  expect(commissionRateForTarget({ cm3: 7500, netRevenue: 50000, commission: 10000, headlineCommissionRate: 0.2 }, 1500)).toBe(0.2);
  // The gap is the whole commission: 0%; more than it: no rate.
  expect(commissionRateForTarget({ cm3: -2500, netRevenue: 50000, commission: 10000, headlineCommissionRate: 0.2 }, 1500)).toBe(0);
  expect(commissionRateForTarget({ cm3: -2501, netRevenue: 50000, commission: 10000, headlineCommissionRate: 0.2 }, 1500)).toBeNull();
  expect(commissionRateForTarget({ cm3: 0, netRevenue: 0, commission: 10000, headlineCommissionRate: 0.2 }, 1500)).toBeNull();
});

test('loss causes, first that applies', () => {
  expect(orders.slice(0, 5).map(lossCause)).toEqual([
    'cancelled after costs', 'refunded', 'sold below cost', 'shipping and fulfilment exceed the margin', 'ad spend and samples exceed the margin',
  ]);
  expect(lossCause(om('fees', { cm1: 100, cm2: -10, fulfilmentAndShipping: 10, platformFees: 50, creatorCommission: 50, cm3: -10 }))).toBe('platform fees and creator commission exceed the margin');
});

test('the table: one row per decision, ranked, money in minor units', () => {
  const t = decisionsReport(input, { skus, creators, range });
  expect(t.id).toBe('decisions');
  expect(t.rows.map((r) => r.rank)).toEqual(t.rows.map((_, i) => i + 1));
  expect(t.rows[0]).toMatchObject({ action: 'Add cost', item: 'SKU A', atStake: 5000, where: 'COGS tab' });
  expect(t.columns.find((c) => c.key === 'atStake')!.format).toBe('money');
});
