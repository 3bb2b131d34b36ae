/**
 * Ground-truth internal identities, and the truth checked against the records it came with:
 * settled components recomputed from the statement transactions, accrual = cash once all
 * is settled, ad spend conserved by day under every allocation method.
 */
import { CREATOR_COMMISSION_FIELDS, PLATFORM_FEE_FIELDS, TAX_FIELDS, type FeeField } from '../../src/core/records';
import { FEE_COMPONENTS, zeroFees, type FeeComponents } from '../../src/core/margin-types';
import { generateShop, type GeneratedShop } from '../../dev/generator/shop';

const BASE = { days: 40, ordersPerDay: 80 };

function identities(shop: GeneratedShop): string[] {
  const problems: string[] = [];
  const own = shop.settings.packagingCostPerOrder + shop.settings.pickPackCostPerOrder;
  for (const o of shop.truth.orders) {
    const p = (ok: boolean, what: string) => { if (!ok) problems.push(`${o.orderId}: ${what}`); };
    const f = o.fees;
    p(o.netRevenue === o.productRevenue - o.refunds + o.shippingRevenue, 'netRevenue');
    p(o.cogs === (o.isSample ? 0 : o.cogsGross - o.restockCredit), 'cogs');
    p(o.cm1 === o.netRevenue - o.cogs, 'cm1');
    p(o.platformFees === f.referralFee + f.transactionFee + f.refundAdministrationFee + f.serviceFees + f.otherPlatformFees, 'platformFees');
    p(o.fulfilmentAndShipping === f.shippingCost + o.ownFulfilmentCost, 'fulfilment');
    p(o.creatorCommission === f.affiliateCommission + f.affiliatePartnerCommission + f.affiliateAdsCommission + f.cofundedCreatorBonus, 'commission');
    p(o.cm2 === o.cm1 - o.platformFees - o.fulfilmentAndShipping - o.creatorCommission, 'cm2');
    p(o.marketing === o.adSpend + o.sampleCost, 'marketing');
    p(o.cm3 === o.cm2 - o.marketing, 'cm3');
    p((o.trueUp !== null) === (o.basis === 'settled' && !o.isSample && o.status !== 'CANCELLED'), 'trueUp only when settled (not samples or cancelled)');
    p((o.settlementTime !== null) === (o.basis === 'settled'), 'settlementTime only when settled');
    p(o.grossSales >= o.cancelledSales && o.productRevenue === o.grossSales - o.cancelledSales - o.sellerDiscount, 'gross/cancelled/product revenue');
    if (o.isSample) {
      p(o.netRevenue === 0 && o.grossSales === 0 && o.cogs === 0 && o.cm2 === 0 && o.sampleCost > 0 && o.creator !== null && !o.isFirstOrder, 'sample');
      p(FEE_COMPONENTS.every((c) => f[c] === 0), 'sample components all in sampleCost');
    } else p(o.sampleCost === 0, 'sampleCost on a non-sample');
    if (o.status === 'CANCELLED') {
      p(o.netRevenue === 0 && o.cogs === 0 && o.units === 0 && o.adSpend === 0 && o.ownFulfilmentCost === 0 && !o.isFirstOrder, 'cancelled');
      p(o.basis === 'settled' || o.basis === 'none', 'cancelled basis');
    } else if (!o.isSample) {
      p(o.ownFulfilmentCost === own, 'own fulfilment');
      p(o.basis !== 'none', 'live order without basis');
    }
    if (o.adSpend !== 0) p(o.netRevenue > 0 && !o.isSample && o.status !== 'CANCELLED', 'ads on an ineligible order');
  }
  // Shop days
  const allocated = shop.truth.orders.reduce((a, o) => a + o.adSpend, 0);
  const days = shop.truth.days;
  for (const d of days) if (d.allocatedAdSpend + d.unallocatedAdSpend !== d.adSpend || d.unallocatedAdSpend < 0) problems.push(`${d.day}: ad ledger`);
  if (allocated !== days.reduce((a, d) => a + d.allocatedAdSpend, 0)) problems.push('Σ order adSpend ≠ Σ allocated');
  const spend = shop.data.adSpend.filter((a) => a.fundingSource === 'AD_ACCOUNT').reduce((a, r) => a + r.spend, 0)
    - shop.data.transactions.filter((t) => t.type === 'GMV_PAYMENT_FOR_ADS').reduce((a, t) => a + t.settlementAmount, 0);
  if (spend !== days.reduce((a, d) => a + d.adSpend, 0)) problems.push('ad spend not conserved');
  const shopAdj = shop.data.transactions.filter((t) => t.orderId === null && !['RESERVE', 'GMV_PAYMENT_FOR_ADS', 'ORDER'].includes(t.type))
    .reduce((a, t) => a + t.settlementAmount, 0);
  if (shopAdj !== days.reduce((a, d) => a + d.shopAdjustments, 0)) problems.push('shop adjustments');
  if (shop.data.creatorFees.reduce((a, c) => a + c.amount, 0) !== days.reduce((a, d) => a + d.creatorFees, 0)) problems.push('creator fees');
  for (let i = 1; i < days.length; i++) if (days[i].day <= days[i - 1].day) problems.push('days not ascending');
  return problems;
}

/** Settled components re-derived from the transactions (DEFINITIONS.md), as a cross-check of the bookkeeping. */
function settledFromTransactions(shop: GeneratedShop): Map<string, { fees: FeeComponents; sample: number; orderTx: boolean }> {
  const comp: Record<string, keyof FeeComponents> = { ...PLATFORM_FEE_FIELDS, ...CREATOR_COMMISSION_FIELDS };
  for (const k of TAX_FIELDS) comp[k] = 'taxWithheld';
  const out = new Map<string, { fees: FeeComponents; sample: number; orderTx: boolean }>();
  for (const t of shop.data.transactions) {
    if (!t.orderId || t.type === 'GMV_PAYMENT_FOR_ADS' || t.type === 'RESERVE') continue;
    let a = out.get(t.orderId);
    if (!a) out.set(t.orderId, (a = { fees: zeroFees(), sample: 0, orderTx: false }));
    if (t.type === 'ORDER') {
      a.orderTx = true;
      let sum = 0;
      for (const [k, v] of Object.entries(t.fees) as [FeeField, number][]) { a.fees[comp[k]] -= v; sum += v; }
      a.fees.otherPlatformFees -= t.feeTaxAmount - sum + t.adjustmentAmount;
      a.fees.shippingCost -= t.shippingCostAmount - t.customerPaidShippingFee;
    } else if (t.type === 'SAMPLE_SHIPPING_FEE') a.sample -= t.settlementAmount;
    else if (t.type === 'COFUNDED_CREATOR_REWARDS') a.fees.cofundedCreatorBonus -= t.settlementAmount;
    else if (['SHIPPING_FEE_ADJUSTMENT', 'LOGISTICS_REIMBURSEMENT', 'FBT_WAREHOUSE_SERVICE_FEE'].includes(t.type)) a.fees.shippingCost -= t.settlementAmount;
    else a.fees.otherPlatformFees -= t.settlementAmount;
  }
  return out;
}

describe.each([
  ['by_day', { seed: 21, ...BASE, allocationMethod: 'by_day' as const }],
  ['by_product', { seed: 22, ...BASE, allocationMethod: 'by_product' as const }],
  ['new_buyers', { seed: 23, ...BASE, allocationMethod: 'new_buyers' as const }],
  ['JPY by_day', { seed: 24, ...BASE, currency: 'JPY' }],
  ['US statement fees only', { seed: 25, ...BASE, usStatementFees: true }],
])('%s', (_name, options) => {
  const shop = generateShop(options);

  test('margin identities hold for every order and every day', () => {
    expect(identities(shop).slice(0, 10)).toEqual([]);
    expect(shop.truth.days.some((d) => d.unallocatedAdSpend > 0)).toBe(true);
    expect(shop.truth.days.some((d) => d.fixedCosts > 0)).toBe(true);
  });

  test('settled components equal the statement transactions of the order', () => {
    const fromTx = settledFromTransactions(shop);
    const problems: string[] = [];
    for (const o of shop.truth.orders) {
      const t = fromTx.get(o.orderId);
      if (o.basis !== 'settled') {
        if (t?.orderTx) problems.push(`${o.orderId}: has an ORDER transaction but basis ${o.basis}`);
        continue;
      }
      if (!t) { problems.push(`${o.orderId}: settled without transactions`); continue; }
      if (o.isSample) {
        const raw = FEE_COMPONENTS.filter((c) => c !== 'taxWithheld').reduce((a, c) => a + t.fees[c], 0);
        const rest = o.sampleCost - raw - t.sample - shop.settings.packagingCostPerOrder - shop.settings.pickPackCostPerOrder;
        if (t.sample <= 0 || rest < 0) problems.push(`${o.orderId}: sample cost ${o.sampleCost} vs shipping ${t.sample}`);
        continue;
      }
      for (const c of FEE_COMPONENTS) if (t.fees[c] !== o.fees[c]) problems.push(`${o.orderId}: ${c} truth ${o.fees[c]} tx ${t.fees[c]}`);
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });

  test('TikTok-estimate orders take the latest estimate', () => {
    const latest = new Map<string, (typeof shop.data.unsettled)[number]>();
    for (const e of shop.data.unsettled) {
      const x = latest.get(e.orderId);
      if (!x || e.fetchedTime > x.fetchedTime) latest.set(e.orderId, e);
    }
    let checked = 0;
    for (const o of shop.truth.orders) {
      if (o.basis !== 'tiktok_estimate') continue;
      const e = latest.get(o.orderId)!;
      expect(e).toBeDefined();
      const fees = e.fees as Record<string, number>;
      const sum = Object.values(fees).reduce((a, v) => a + v, 0);
      expect(o.fees.otherPlatformFees).toBe(0 - (e.estFeeTaxAmount - sum));
      expect(o.fees.shippingCost).toBe(0 - (e.estShippingCostAmount - e.estCustomerPaidShippingFee));
      expect(o.fees.referralFee).toBe(0 - (fees.referral_fee_amount ?? 0) - (fees.platform_commission_amount ?? 0));
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe('accrual and cash agree once everything is settled', () => {
  test('Σ statement revenue + customer-paid shipping per order = accrual net revenue', () => {
    const probe = generateShop({ seed: 31, days: 30, ordersPerDay: 60 });
    const late = generateShop({ seed: 31, days: 30, ordersPerDay: 60, asOf: probe.asOf + 70 * 86400 });
    const cash = new Map<string, number>();
    for (const t of late.data.transactions) {
      if (t.type !== 'ORDER' || !t.orderId) continue;
      cash.set(t.orderId, (cash.get(t.orderId) ?? 0) + t.revenueAmount + t.customerPaidShippingFee);
    }
    const problems: string[] = [];
    let settled = 0;
    for (const o of late.truth.orders) {
      if (o.status !== 'CANCELLED') expect(o.basis).toBe('settled');
      if (o.basis !== 'settled') continue;
      settled++;
      const c = cash.get(o.orderId) ?? 0;
      if (c !== o.netRevenue) problems.push(`${o.orderId}: cash ${c} accrual ${o.netRevenue}`);
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(settled).toBeGreaterThan(1000);
    expect(late.meta.pendingRefundOrders).toEqual([]);
  });

  test('at the default asOf, settled orders agree except those waiting for a refund statement', () => {
    const shop = generateShop({ seed: 32, days: 40, ordersPerDay: 80 });
    const pending = new Set(shop.meta.pendingRefundOrders);
    const cash = new Map<string, number>();
    for (const t of shop.data.transactions) {
      if (t.type === 'ORDER' && t.orderId) cash.set(t.orderId, (cash.get(t.orderId) ?? 0) + t.revenueAmount + t.customerPaidShippingFee);
    }
    const bad = shop.truth.orders.filter((o) => o.basis === 'settled' && !pending.has(o.orderId) && (cash.get(o.orderId) ?? 0) !== o.netRevenue);
    expect(bad.map((o) => o.orderId)).toEqual([]);
    for (const id of pending) {
      const o = shop.truth.orders.find((x) => x.orderId === id)!;
      expect(cash.get(id)).toBeGreaterThan(o.netRevenue);
    }
  });
});
