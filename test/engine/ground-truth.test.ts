/**
 * The engine against the generator's ground truth: the generator knows what money it made
 * up (each fee it charged, each refund, each cost), and states every order's margin from
 * that, independently of the engine. Every order's every component must agree to the
 * minor unit, over several seeds, a JPY shop and each ad-allocation method.
 */
import { computeMargins } from '../../src/core/margin';
import { FEE_COMPONENTS, type OrderMargin, type ShopDay } from '../../src/core/margin-types';
import { periodView } from '../../src/core/views';
import { generateShop } from '../../dev/generator/shop';

const SCALARS: (keyof OrderMargin)[] = [
  'buyerId', 'day', 'createTime', 'status', 'currency', 'isSample', 'creator', 'isFirstOrder', 'basis', 'settlementTime',
  'units', 'grossSales', 'cancelledSales', 'sellerDiscount', 'platformDiscount', 'productRevenue', 'refunds',
  'shippingRevenue', 'netRevenue', 'cogsGross', 'restockCredit', 'cogs', 'cm1', 'platformFees', 'ownFulfilmentCost',
  'fulfilmentAndShipping', 'creatorCommission', 'cm2', 'adSpend', 'sampleCost', 'marketing', 'cm3',
];

/** Lists how an engine row differs from the truth row, field by field. */
function differences(engine: OrderMargin, truth: OrderMargin): string[] {
  const out: string[] = [];
  for (const k of SCALARS) if (engine[k] !== truth[k]) out.push(`${k}: engine ${String(engine[k])} truth ${String(truth[k])}`);
  for (const c of FEE_COMPONENTS) if (engine.fees[c] !== truth.fees[c]) out.push(`fees.${c}: engine ${engine.fees[c]} truth ${truth.fees[c]}`);
  if (JSON.stringify(engine.missingCogsSkus) !== JSON.stringify(truth.missingCogsSkus)) out.push(`missingCogsSkus: ${engine.missingCogsSkus} vs ${truth.missingCogsSkus}`);
  if ((engine.trueUp === null) !== (truth.trueUp === null)) out.push(`trueUp: engine ${JSON.stringify(engine.trueUp)} truth ${JSON.stringify(truth.trueUp)}`);
  else if (engine.trueUp && truth.trueUp) {
    for (const c of FEE_COMPONENTS) if (engine.trueUp[c] !== truth.trueUp[c]) out.push(`trueUp.${c}: engine ${engine.trueUp[c]} truth ${truth.trueUp[c]}`);
  }
  return out;
}

const CASES = [
  { name: 'USD seed 1', options: { seed: 1 } },
  { name: 'USD seed 2', options: { seed: 2 } },
  { name: 'USD seed 3, by product', options: { seed: 3, allocationMethod: 'by_product' as const } },
  { name: 'USD seed 4, new buyers', options: { seed: 4, allocationMethod: 'new_buyers' as const } },
  { name: 'JPY seed 5', options: { seed: 5, currency: 'JPY', timezone: 'Asia/Tokyo' } },
];

let totalOrders = 0;

describe.each(CASES)('$name', ({ options }) => {
  const shop = generateShop(options);
  const result = computeMargins(shop.data, shop.settings, shop.asOf);
  const truthOrders = shop.truth.orders;

  test('every order’s margin and every component equal ground truth to the minor unit', () => {
    const engineById = new Map(result.orders.map((o) => [o.orderId, o]));
    const problems: string[] = [];
    for (const truth of truthOrders) {
      const engine = engineById.get(truth.orderId);
      if (!engine) {
        problems.push(`${truth.orderId}: missing from the engine's output`);
        continue;
      }
      const diff = differences(engine, truth);
      if (diff.length) problems.push(`${truth.orderId} (${truth.basis}${truth.isSample ? ', sample' : ''}): ${diff.join('; ')}`);
    }
    const truthIds = new Set(truthOrders.map((o) => o.orderId));
    for (const o of result.orders) if (!truthIds.has(o.orderId)) problems.push(`${o.orderId}: engine has it, truth does not`);
    expect(problems.slice(0, 15)).toEqual([]);
    expect(result.orders.length).toBe(truthOrders.length);
    totalOrders += truthOrders.length;
  });

  test('shop days (ads allocated and unallocated, creator fees, fixed costs, adjustments) equal ground truth', () => {
    const key = (d: ShopDay) => JSON.stringify([d.adSpend, d.allocatedAdSpend, d.unallocatedAdSpend, d.creatorFees, d.fixedCosts, d.shopAdjustments]);
    const zero = '[0,0,0,0,0,0]';
    const engine = new Map(result.days.map((d) => [d.day, key(d)]));
    const truth = new Map(shop.truth.days.map((d: ShopDay) => [d.day, key(d)]));
    const problems: string[] = [];
    for (const day of new Set([...engine.keys(), ...truth.keys()])) {
      const e = engine.get(day) ?? zero;
      const t = truth.get(day) ?? zero;
      if (e !== t) problems.push(`${day}: engine ${e} truth ${t}`);
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });

  test('the data exercises every basis the shop should have', () => {
    const bases = new Set(result.orders.map((o) => o.basis));
    expect(bases.has('settled')).toBe(true);
    expect(bases.has('tiktok_estimate')).toBe(true);
    expect(bases.has('trailing_rate')).toBe(true);
    expect(result.orders.some((o) => o.isSample)).toBe(true);
    expect(result.orders.some((o) => o.trueUp !== null)).toBe(true);
    expect(result.orders.some((o) => o.missingCogsSkus.length > 0)).toBe(true);
    expect(result.days.some((d) => d.unallocatedAdSpend > 0)).toBe(true);
  });

  test('accrual and cash views agree on orders that are fully settled', () => {
    // Settled orders not waiting on a refund reversal (a refund complete at asOf whose negative
    // transaction comes on a later statement is accrual but not yet cash): their accrual totals
    // equal the cash totals of their statements plus their costs.
    const pending = new Set(shop.meta.pendingRefundOrders);
    expect(pending.size).toBeLessThan(result.orders.length / 100);
    const settledIds = new Set(result.orders.filter((o) => o.basis === 'settled' && !pending.has(o.orderId)).map((o) => o.orderId));
    const subset = {
      ...shop.data,
      orders: shop.data.orders.filter((o) => settledIds.has(o.orderId)),
      transactions: shop.data.transactions.filter((t) => t.orderId !== null && settledIds.has(t.orderId)),
      adSpend: [], fixedCosts: [], creatorFees: [],
    };
    const r = computeMargins(subset, shop.settings, shop.asOf);
    const sum = (rows: { netRevenue: number; cogs: number; platformFees: number; fulfilmentAndShipping: number; creatorCommission: number; sampleCost: number; cm3: number }[]) =>
      rows.reduce((a, x) => [a[0] + x.netRevenue, a[1] + x.cogs, a[2] + x.platformFees, a[3] + x.fulfilmentAndShipping, a[4] + x.creatorCommission, a[5] + x.sampleCost, a[6] + x.cm3], [0, 0, 0, 0, 0, 0, 0]);
    const accrual = sum(periodView(r, subset, shop.settings, 'accrual', 'month').rows);
    const cash = sum(periodView(r, subset, shop.settings, 'cash', 'month').rows);
    expect(cash).toEqual(accrual);
    expect(accrual[0]).toBeGreaterThan(0);
  });
});

afterAll(() => {
  // The issue asks for at least 10,000 generated orders checked across seeds.
  expect(totalOrders).toBeGreaterThanOrEqual(10_000);
});
