/**
 * The profit model's SQL against the TypeScript engine: the generator's shops loaded into DuckDB
 * (newline-delimited JSON, as a BigQuery load job takes them), the views run in the DuckDB
 * dialect, and every order's every component, every shop day and every day of the accrual
 * profit compared with computeMargins / periodView to the minor unit. Several seeds, USD and
 * JPY, each allocation method, a planted discrepancy, and both the view and the table form.
 */
import { computeMargins, type MarginResult } from '../../src/core/margin';
import { FEE_COMPONENTS, type OrderMargin, type ShopDay } from '../../src/core/margin-types';
import { periodView } from '../../src/core/views';
import { dropTransaction, statementTotalOff } from '../../dev/generator/discrepancy';
import { generateShop, type GeneratedShop } from '../../dev/generator/shop';
import { duckShop, readOrderMargins, readProfitByDay, readShopDays } from '../../dev/warehouse/duck';

jest.setTimeout(180_000);

/** How the SQL row differs from the engine's, field by field (every field of OrderMargin). */
function differences(engine: OrderMargin, sql: OrderMargin): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(engine) as [keyof OrderMargin, unknown][]) {
    if (k === 'fees' || k === 'trueUp') continue;
    if (JSON.stringify(v) !== JSON.stringify(sql[k])) out.push(`${k}: engine ${JSON.stringify(v)} sql ${JSON.stringify(sql[k])}`);
  }
  for (const c of FEE_COMPONENTS) if (engine.fees[c] !== sql.fees[c]) out.push(`fees.${c}: engine ${engine.fees[c]} sql ${sql.fees[c]}`);
  if ((engine.trueUp === null) !== (sql.trueUp === null)) out.push(`trueUp: engine ${JSON.stringify(engine.trueUp)} sql ${JSON.stringify(sql.trueUp)}`);
  else if (engine.trueUp && sql.trueUp) {
    for (const c of FEE_COMPONENTS) if (engine.trueUp[c] !== sql.trueUp[c]) out.push(`trueUp.${c}: engine ${engine.trueUp[c]} sql ${sql.trueUp[c]}`);
  }
  return out;
}

function orderProblems(engine: MarginResult, sql: OrderMargin[]): string[] {
  const byId = new Map(sql.map((o) => [o.orderId, o]));
  const problems: string[] = [];
  for (const e of engine.orders) {
    const s = byId.get(e.orderId);
    if (!s) problems.push(`${e.orderId}: missing from order_margin`);
    else {
      const diff = differences(e, s);
      if (diff.length) problems.push(`${e.orderId} (${e.basis}${e.isSample ? ', sample' : ''}): ${diff.join('; ')}`);
    }
  }
  if (sql.length !== engine.orders.length) problems.push(`order_margin has ${sql.length} rows, the engine ${engine.orders.length}`);
  return problems;
}

function dayProblems(engine: ShopDay[], sql: ShopDay[]): string[] {
  const key = (d: ShopDay) => JSON.stringify([d.adSpend, d.allocatedAdSpend, d.unallocatedAdSpend, d.creatorFees, d.fixedCosts, d.shopAdjustments]);
  const zero = '[0,0,0,0,0,0]';
  const e = new Map(engine.map((d) => [d.day, key(d)]));
  const s = new Map(sql.map((d) => [d.day, key(d)]));
  const out: string[] = [];
  for (const day of new Set([...e.keys(), ...s.keys()])) {
    if ((e.get(day) ?? zero) !== (s.get(day) ?? zero)) out.push(`${day}: engine ${e.get(day) ?? zero} sql ${s.get(day) ?? zero}`);
  }
  return out;
}

interface Case {
  name: string;
  shop: () => GeneratedShop;
  mode: 'views' | 'tables';
}

const CASES: Case[] = [
  { name: 'USD seed 1, by day, views', shop: () => generateShop({ seed: 1 }), mode: 'views' },
  { name: 'USD seed 2, by day', shop: () => generateShop({ seed: 2 }), mode: 'tables' },
  { name: 'USD seed 3, by product', shop: () => generateShop({ seed: 3, allocationMethod: 'by_product' }), mode: 'tables' },
  { name: 'USD seed 4, new buyers', shop: () => generateShop({ seed: 4, allocationMethod: 'new_buyers' }), mode: 'tables' },
  { name: 'JPY seed 5, Tokyo', shop: () => generateShop({ seed: 5, currency: 'JPY', timezone: 'Asia/Tokyo' }), mode: 'tables' },
  {
    // A lost shop-level adjustment and a statement off by 12.34: the margin model must follow the records it has.
    name: 'USD seed 6, planted discrepancies',
    shop: () => statementTotalOff(dropTransaction(generateShop({ seed: 6, days: 60 })).shop, 1234).shop,
    mode: 'tables',
  },
];

describe.each(CASES)('$name', ({ shop: make, mode }) => {
  const shop = make();
  const engine = computeMargins(shop.data, shop.settings, shop.asOf);
  let sqlOrders: OrderMargin[] = [];
  let sqlDays: ShopDay[] = [];
  let sqlProfit: Record<string, unknown>[] = [];

  beforeAll(async () => {
    const { instance, conn } = await duckShop(shop.data, shop.settings, shop.asOf, { mode });
    try {
      sqlOrders = await readOrderMargins(conn);
      sqlDays = await readShopDays(conn);
      sqlProfit = await readProfitByDay(conn);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });

  test('order_margin equals the engine: every order, every component, to the minor unit', () => {
    expect(orderProblems(engine, sqlOrders).slice(0, 10)).toEqual([]);
    expect(sqlOrders.length).toBeGreaterThan(5000);
  });

  test('shop_day equals the engine: ads spent, allocated and unallocated, creator fees, fixed costs, adjustments', () => {
    expect(dayProblems(engine.days, sqlDays).slice(0, 10)).toEqual([]);
    expect(sqlDays.some((d) => d.unallocatedAdSpend > 0)).toBe(true);
  });

  test('profit_by_day equals the accrual view by day', () => {
    const view = periodView(engine, shop.data, shop.settings, 'accrual', 'day').rows;
    expect(sqlProfit.length).toBe(view.length);
    const byDay = new Map(sqlProfit.map((r) => [r.bucket, r]));
    const problems: string[] = [];
    for (const row of view) {
      const s = byDay.get(row.bucket);
      for (const [k, v] of Object.entries(row)) if (s?.[k] !== v) problems.push(`${row.bucket} ${k}: engine ${String(v)} sql ${String(s?.[k])}`);
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });

  test('the shop exercises what the SQL must get right', () => {
    const bases = new Set(sqlOrders.map((o) => o.basis));
    for (const b of ['settled', 'tiktok_estimate', 'trailing_rate', 'none']) expect(bases).toContain(b);
    expect(sqlOrders.some((o) => o.isSample && o.sampleCost > 0)).toBe(true);
    expect(sqlOrders.some((o) => o.trueUp !== null)).toBe(true);
    expect(sqlOrders.some((o) => o.missingCogsSkus.length > 0)).toBe(true);
    expect(sqlOrders.some((o) => o.restockCredit > 0)).toBe(true);
    expect(sqlOrders.some((o) => o.adSpend > 0)).toBe(true);
  });
});

test('a rate-card shop (too few settled orders for trailing rates) equals the engine too', async () => {
  const shop = generateShop({ seed: 8, days: 40, ordersPerDay: 20 });
  const settings = { ...shop.settings, trailingMinOrders: 1_000_000 };
  const engine = computeMargins(shop.data, settings, shop.asOf);
  const { instance, conn } = await duckShop(shop.data, settings, shop.asOf, { mode: 'tables' });
  try {
    const sql = await readOrderMargins(conn);
    expect(orderProblems(engine, sql).slice(0, 10)).toEqual([]);
    expect(sql.some((o) => o.basis === 'rate_card' && o.fees.refundAdministrationFee > 0)).toBe(true);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
});
