/**
 * The realism checklist: every feature the engine must handle occurs in every default-shaped
 * run (three USD seeds and a JPY shop).
 */
import { ORDER_STATUSES, PLATFORM_FEE_FIELDS, TAX_FIELDS, type FeeField } from '../../src/core/records';
import { startOfDay } from '../../src/core/time';
import { generateShop, type GeneratedShop } from '../../dev/generator/shop';

function features(shop: GeneratedShop): Record<string, number> {
  const d = shop.data;
  const f: Record<string, number> = {};
  const inc = (k: string, n = 1) => { f[k] = (f[k] ?? 0) + n; };
  const orders = new Map(d.orders.map((o) => [o.orderId, o]));
  const lines = new Map<string, typeof d.lines>();
  for (const l of d.lines) { const a = lines.get(l.orderId) ?? []; a.push(l); lines.set(l.orderId, a); }

  // buyers
  const paidByBuyer = new Map<string, number>();
  for (const o of d.orders) if (o.paidTime !== null && o.status !== 'CANCELLED' && !o.isSample) paidByBuyer.set(o.buyerId, (paidByBuyer.get(o.buyerId) ?? 0) + 1);
  if (paidByBuyer.size >= 1000) inc('thousands of buyers');
  for (const n of paidByBuyer.values()) if (n >= 2) inc('repeat buyers');

  // COGS
  const cogsBySku = new Map<string, typeof d.cogs>();
  for (const c of d.cogs) { const a = cogsBySku.get(c.sku) ?? []; a.push(c); cogsBySku.set(c.sku, a); }
  for (const a of cogsBySku.values()) if (a.some((c) => c.effectiveFrom > shop.meta.startDay && c.effectiveFrom <= shop.meta.lastDay)) inc('COGS change mid-period');
  const cc = shop.meta.cogsChange!;
  const midnight = startOfDay(cc.day, shop.settings.timezone);
  const before = orders.get(cc.orderBefore!)!;
  const after = orders.get(cc.orderAfter!)!;
  if (before.createTime < midnight && before.createTime >= midnight - 60 && after.createTime >= midnight && after.createTime < midnight + 60
    && lines.get(before.orderId)!.some((l) => (l.sellerSku || l.skuId) === cc.sellerSku) && lines.get(after.orderId)!.some((l) => (l.sellerSku || l.skuId) === cc.sellerSku)
    && cogsBySku.get(cc.sellerSku)!.some((c) => c.effectiveFrom === cc.day)) inc('COGS change at a shop midnight with orders either side');
  const skuKeyed = d.products.filter((p) => p.sellerSku === '' && cogsBySku.has(p.skuId));
  if (skuKeyed.length) inc('COGS keyed by TikTok SKU id');
  const noCogs = d.products.filter((p) => !cogsBySku.has(p.sellerSku) && !cogsBySku.has(p.skuId));
  if (noCogs.length && d.lines.some((l) => l.skuId === noCogs[0].skuId)) inc('SKU without COGS sold');
  if (shop.truth.orders.some((o) => o.missingCogsSkus.length > 0)) inc('missingCogsSkus in truth');

  // orders and lines
  for (const [, ls] of lines) if (ls.length > 1) inc('multi-line orders');
  for (const l of d.lines) {
    if (l.quantity > 1) inc('lines with quantity > 1');
    if (l.sellerDiscount > 0) inc('seller discounts');
    if (l.platformDiscount > 0) inc('platform discounts');
    if (l.cancelled && orders.get(l.orderId)!.status !== 'CANCELLED') inc('cancelled line in a live order');
  }
  for (const o of d.orders) {
    inc(`status ${o.status}`);
    if (o.shippingSellerDiscount > 0) inc('seller shipping discount');
    if (o.shippingPlatformDiscount > 0) inc('platform shipping discount');
    if (o.isSample && o.sampleCreator && o.totalAmount === 0 && lines.get(o.orderId)!.every((l) => l.originalPrice === 0)) inc('sample orders');
    if (o.fulfillmentType === 'FULFILLMENT_BY_TIKTOK') inc('FBT orders');
  }
  const txByOrder = new Map<string, typeof d.transactions>();
  for (const t of d.transactions) if (t.orderId) { const a = txByOrder.get(t.orderId) ?? []; a.push(t); txByOrder.set(t.orderId, a); }
  for (const o of d.orders) {
    if (o.status !== 'CANCELLED') continue;
    if (o.paidTime !== null && !txByOrder.has(o.orderId)) inc('cancelled after payment, no statement');
    if (txByOrder.get(o.orderId)?.some((t) => t.type === 'ORDER' && t.feeTaxAmount < 0)) inc('cancelled order charged a fee');
  }
  for (const t of d.transactions) if (t.type === 'SAMPLE_SHIPPING_FEE' && t.orderId && orders.get(t.orderId)?.isSample) inc('SAMPLE_SHIPPING_FEE linked to a sample');

  // affiliate
  for (const c of d.creatorOrders) {
    if ((c.commissionRateBp ?? 0) > 0 && c.estimatedCommission > 0) inc('creator lines with commission');
    if (c.actualCommission > 0) inc('actual commission');
    if (c.estimatedShopAdsCommission > 0) inc('shop-ads commission');
    if (c.estimatedCofundedBonus > 0) inc('cofunded bonus');
  }
  const creatorsPerOrder = new Map<string, Set<string>>();
  for (const c of d.creatorOrders) { const s = creatorsPerOrder.get(c.orderId) ?? new Set(); s.add(c.creatorUsername); creatorsPerOrder.set(c.orderId, s); }
  for (const s of creatorsPerOrder.values()) if (s.size > 1) inc('order with two creators');

  // returns and refunds
  for (const r of d.returns) {
    inc(`return ${r.returnType}`);
    inc(`return status ${r.status}`);
    const done = r.status === 'RETURN_OR_REFUND_REQUEST_COMPLETE';
    if (done && r.returnType === 'RETURN_AND_REFUND' && r.lines.some((l) => l.quantity > 0)) inc('return with restock');
    if (done && r.returnType === 'REFUND' && r.lines.every((l) => l.quantity === 0)) inc('refund only');
    if (done && r.lines.some((l) => l.lineId === null)) inc('order-level partial refund');
    if (done) {
      const ls = lines.get(r.orderId)!.filter((l) => !l.cancelled);
      const full = ls.every((l) => r.lines.some((x) => x.lineId === l.lineId && x.refundedOriginal === l.originalPrice));
      inc(full ? 'full refund' : 'partial refund');
    }
  }
  for (const t of d.transactions) {
    if (t.type !== 'ORDER') continue;
    if (t.subtotalBeforeDiscount > 0 && t.refundSubtotalBeforeDiscount < 0) inc('refund before settlement');
    if (t.subtotalBeforeDiscount === 0 && t.refundSubtotalBeforeDiscount < 0) {
      inc('refund after settlement');
      const f2 = t.fees as Record<string, number>;
      if ((f2.referral_fee_amount ?? f2.platform_commission_amount ?? 0) > 0) inc('referral fee reversed');
      if ((f2.refund_administration_fee_amount ?? 0) < 0) inc('refund admin fee on later refund');
      if ((f2.affiliate_commission_amount ?? 0) > 0) inc('commission reversed');
      if (t.sellerDiscountRefund > 0) inc('seller discount refund');
    }
    let sum = 0;
    for (const [k, v] of Object.entries(t.fees) as [FeeField, number][]) {
      sum += v;
      inc(`fee ${k in PLATFORM_FEE_FIELDS ? PLATFORM_FEE_FIELDS[k as keyof typeof PLATFORM_FEE_FIELDS] : (TAX_FIELDS as readonly string[]).includes(k) ? 'tax' : k}`);
    }
    if (t.feeTaxAmount !== sum) inc('unexplained fee remainder');
    if (t.adjustmentAmount !== 0) inc('ORDER transaction with an adjustment part');
  }
  for (const t of d.transactions) {
    inc(`${t.orderId ? 'order' : 'shop'} ${t.type}`);
    if (t.type === 'RESERVE') inc(t.reserveAmount < 0 ? 'reserve withheld' : 'reserve released');
  }
  for (const p of d.payouts) if (p.reserveAmount !== 0) inc('payout with reserve');
  if (d.statements.some((s) => s.paymentStatus === 'PAID')) inc('statement paid');

  // estimates
  const estCount = new Map<string, number>();
  for (const e of d.unsettled) estCount.set(e.orderId, (estCount.get(e.orderId) ?? 0) + 1);
  for (const n of estCount.values()) if (n > 1) inc('order with two estimates');
  for (const o of shop.truth.orders) {
    inc(`basis ${o.basis}`);
    if (o.basis === 'settled' && estCount.has(o.orderId)) inc('settled order with an estimate kept (true-up)');
  }

  // ads and seller costs
  for (const a of d.adSpend) {
    if (a.advertiserTimezone !== shop.settings.timezone) inc('advertiser in another timezone');
    if (a.productIds.length) inc('campaign with products');
    if (a.fundingSource === 'GMV_PAYMENT') inc('GMV payment ad rows');
    if (a.creatorUsername) inc('campaign promoting a creator');
  }
  const gmvRows = new Map(d.adSpend.filter((a) => a.fundingSource === 'GMV_PAYMENT').map((a) => [a.spend, a]));
  for (const t of d.transactions) if (t.type === 'GMV_PAYMENT_FOR_ADS' && gmvRows.has(-t.settlementAmount)) inc('GMV_PAYMENT_FOR_ADS mirrors an ad row');
  for (const day of shop.truth.days) if (day.adSpend > 0 && day.unallocatedAdSpend === day.adSpend) inc('day with spend and no orders');
  if (d.products.length) inc('products');
  if (d.productPerformance.length) inc('product performance');
  if (d.shopPerformance.length) inc('shop performance');
  if (d.fixedCosts.length) inc('fixed costs');
  if (d.creatorFees.length) inc('creator fees');
  if (d.cancellations.length) inc('cancellations');
  return f;
}

const REQUIRED = [
  'thousands of buyers', 'repeat buyers', 'COGS change mid-period', 'COGS change at a shop midnight with orders either side',
  'COGS keyed by TikTok SKU id', 'SKU without COGS sold', 'missingCogsSkus in truth',
  'multi-line orders', 'lines with quantity > 1', 'seller discounts', 'platform discounts', 'cancelled line in a live order',
  ...ORDER_STATUSES.map((s) => `status ${s}`),
  'seller shipping discount', 'platform shipping discount', 'sample orders', 'FBT orders',
  'cancelled after payment, no statement', 'cancelled order charged a fee', 'SAMPLE_SHIPPING_FEE linked to a sample',
  'creator lines with commission', 'actual commission', 'shop-ads commission', 'cofunded bonus', 'order with two creators',
  'return REFUND', 'return RETURN_AND_REFUND', 'return REPLACEMENT', 'return status RETURN_OR_REFUND_REQUEST_COMPLETE',
  'return status REFUND_OR_RETURN_REQUEST_REJECT', 'return status RETURN_OR_REFUND_REQUEST_CANCEL',
  'return with restock', 'refund only', 'order-level partial refund', 'full refund', 'partial refund',
  'refund before settlement', 'refund after settlement', 'referral fee reversed', 'refund admin fee on later refund',
  'commission reversed', 'seller discount refund',
  'fee referralFee', 'fee transactionFee', 'fee refundAdministrationFee', 'fee serviceFees', 'fee tax',
  'fee affiliate_commission_amount', 'fee affiliate_partner_commission_amount', 'fee affiliate_ads_commission_amount',
  'fee cofunded_creator_bonus_amount', 'unexplained fee remainder',
  'order ORDER', 'order SHIPPING_FEE_ADJUSTMENT', 'order CHARGE_BACK', 'order LOGISTICS_REIMBURSEMENT', 'order SAMPLE_SHIPPING_FEE',
  'order COFUNDED_CREATOR_REWARDS', 'shop GMV_PAYMENT_FOR_ADS', 'shop RESERVE', 'reserve withheld', 'reserve released', 'payout with reserve',
  'statement paid',
  'order with two estimates', 'basis settled', 'basis tiktok_estimate', 'basis trailing_rate', 'basis none',
  'settled order with an estimate kept (true-up)',
  'advertiser in another timezone', 'campaign with products', 'GMV payment ad rows', 'campaign promoting a creator',
  'GMV_PAYMENT_FOR_ADS mirrors an ad row', 'day with spend and no orders',
  'products', 'product performance', 'shop performance', 'fixed costs', 'creator fees', 'cancellations',
];
const SHOP_LEVEL = ['shop PLATFORM_REIMBURSEMENT', 'shop PLATFORM_PENALTY', 'shop REBATE', 'shop FBT_WAREHOUSE_SERVICE_FEE', 'shop OTHER_ADJUSTMENT'];

const CASES: [string, Parameters<typeof generateShop>[0]][] = [
  ['USD seed 1', { seed: 1, days: 45, ordersPerDay: 90 }],
  ['USD seed 2', { seed: 2, days: 45, ordersPerDay: 90 }],
  ['USD seed 3', { seed: 3, days: 45, ordersPerDay: 90 }],
  ['JPY seed 4', { seed: 4, currency: 'JPY', days: 45, ordersPerDay: 90 }],
];

describe.each(CASES)('%s', (_name, options) => {
  const shop = generateShop(options);
  const f = features(shop);

  test('every realism feature occurs at least once', () => {
    const missing = REQUIRED.filter((k) => !(f[k] >= 1));
    expect(missing).toEqual([]);
    expect(SHOP_LEVEL.some((k) => f[k] >= 1)).toBe(true);
  });

  test('trailing rates have at least 20 reference orders', () => {
    expect(shop.meta.referenceOrders).toBeGreaterThanOrEqual(20);
  });
});

describe('JPY shop', () => {
  const shop = generateShop({ seed: 9, currency: 'JPY', days: 30, ordersPerDay: 60 });
  test('whole-yen, realistic prices in the Tokyo timezone', () => {
    expect(shop.settings.timezone).toBe('Asia/Tokyo');
    expect(shop.settings.currency).toBe('JPY');
    for (const p of shop.data.products) {
      expect(Number.isInteger(p.price)).toBe(true);
      expect(p.price).toBeGreaterThanOrEqual(500);
      expect(p.price % 10).toBe(0);
    }
    for (const l of shop.data.lines) expect(Number.isInteger(l.originalPrice)).toBe(true);
    const fees = new Set(shop.data.transactions.flatMap((t) => Object.keys(t.fees)));
    expect(fees.has('platform_commission_amount')).toBe(true);
  });
});

describe('a young shop (rate card)', () => {
  test('with no settled history the chain falls through to the rate card', () => {
    const shop = generateShop({ seed: 6, days: 6, ordersPerDay: 40 });
    const bases = new Set(shop.truth.orders.map((o) => o.basis));
    expect(bases.has('rate_card')).toBe(true);
    expect(bases.has('tiktok_estimate')).toBe(true);
    expect(shop.meta.referenceOrders).toBeLessThan(shop.settings.trailingMinOrders);
  });
});

describe('creator order lines with one order line per unit (unitLines)', () => {
  // The affiliate API reports one entry per SKU of an order with its quantity; the Creator orders
  // tab is keyed by (order, SKU), so two entries with one key would silently collapse into one.
  const perUnit = generateShop({ seed: 3, days: 20, ordersPerDay: 60, unitLines: true });
  const perSku = generateShop({ seed: 3, days: 20, ordersPerDay: 60, unitLines: false });

  test('one entry per (order, SKU), its quantity the units of that SKU in the order', () => {
    const keys = perUnit.data.creatorOrders.map((c) => `${c.orderId}/${c.skuId}`);
    expect(new Set(keys).size).toBe(keys.length);
    const units = new Map<string, number>();
    for (const l of perUnit.data.lines) units.set(`${l.orderId}/${l.skuId}`, (units.get(`${l.orderId}/${l.skuId}`) ?? 0) + l.quantity);
    const multiUnit = perUnit.data.creatorOrders.filter((c) => c.quantity > 1);
    expect(multiUnit.length).toBeGreaterThan(0);
    for (const c of perUnit.data.creatorOrders) expect(c.quantity).toBe(units.get(`${c.orderId}/${c.skuId}`));
  });

  test('commission totals per order equal the ground truth of the order', () => {
    const byOrder = new Map<string, number>();
    for (const c of perUnit.data.creatorOrders) {
      byOrder.set(c.orderId, (byOrder.get(c.orderId) ?? 0) + c.estimatedCommission + c.estimatedShopAdsCommission + c.estimatedCofundedBonus);
    }
    expect(byOrder.size).toBeGreaterThan(50);
    expect(perSku.data.creatorOrders.length).toBeGreaterThan(0);
    const keys = perSku.data.creatorOrders.map((c) => `${c.orderId}/${c.skuId}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('usStatementFees: only the fees a US statement has columns for', () => {
  const all = generateShop({ seed: 3, days: 20, ordersPerDay: 60 });
  const us = generateShop({ seed: 3, days: 20, ordersPerDay: 60, usStatementFees: true });
  const feeFields = (s: typeof all) => new Set(s.data.transactions.flatMap((t) => Object.keys(t.fees)));
  const NOT_US = ['sfp_service_fee_amount', 'voucher_xtra_service_fee_amount', 'flash_sales_service_fee_amount', 'live_specials_fee_amount', 'vat_amount', 'cofunded_creator_bonus_amount'];

  test('the default shop has the non-US fees, the US-fees shop none of them', () => {
    for (const f of NOT_US) expect(feeFields(all).has(f)).toBe(true);
    for (const f of NOT_US) expect(feeFields(us).has(f)).toBe(false);
    expect(us.data.creatorOrders.every((c) => c.estimatedCofundedBonus === 0 && c.actualCofundedBonus === 0)).toBe(true);
    expect(us.data.transactions.some((t) => t.type === 'COFUNDED_CREATOR_REWARDS')).toBe(false);
  });

  test('the same orders, lines and buyers: the option does not move the random streams', () => {
    expect(us.data.orders.map((o) => [o.orderId, o.buyerId, o.status, o.totalAmount])).toEqual(all.data.orders.map((o) => [o.orderId, o.buyerId, o.status, o.totalAmount]));
    expect(us.data.lines).toEqual(all.data.lines);
  });
});
