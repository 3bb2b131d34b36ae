/**
 * The custom functions as Sheets calls them: the BUILT bundle (dist/Code.js, built into a fresh
 * directory) in the local Apps Script runtime, called by name with the ranges a formula passes
 * (whole tabs with their header rows, blanks as '', some dates as Date). Every table and metric
 * must equal the engine's report computed directly on the generator's records (exact), the
 * helpers their hand-computed values, and bad input must fail with a message naming the argument.
 */
import { computeMargins } from '../../src/core/margin';
import { toMajor } from '../../src/core/money';
import { creatorsReport } from '../../src/core/reports/creators';
import { customersReport } from '../../src/core/reports/customers';
import { orderMarginReport } from '../../src/core/reports/orderMargin';
import { profitReport } from '../../src/core/reports/profit';
import { reconciliationReport } from '../../src/core/reports/reconciliation';
import { skuReport } from '../../src/core/reports/sku';
import type { ReportInput, ReportTable, Row } from '../../src/core/reports/table';
import { dayKey } from '../../src/core/time';
import { dataAsOf } from '../../src/sheets/custom-tabs';
import { generateShop } from '../../dev/generator/shop';
import { GasRuntime } from '../../dev/runtime/gas';
import { buildInto, type BuiltAddon } from '../bundle/build-into';
import { engineArgs, shopDate, tabRanges, type TabRanges } from './ranges';

let built: BuiltAddon;
let rt: GasRuntime;
const shop = generateShop({ seed: 5, days: 45, ordersPerDay: 30, truth: false });
const ranges: TabRanges = tabRanges(shop.data, shop.settings);
const tabs = engineArgs(ranges);
const asOf = dataAsOf(shop.data);
const input: ReportInput = { data: shop.data, settings: shop.settings, margins: computeMargins(shop.data, shop.settings, asOf) };
const tz = shop.settings.timezone;
const lastDay = dayKey(asOf, tz);
const firstDay = input.margins.orders.reduce((m, o) => (o.day < m ? o.day : m), lastDay);
const march = { label: 'x', from: '2025-03-01', to: '2025-03-20' };

beforeAll(() => {
  built = buildInto();
  rt = new GasRuntime({ code: built.code, distDir: built.outdir });
}, 120_000);
afterAll(async () => {
  await rt?.close();
  built?.cleanup();
});

const call = (name: string, ...args: unknown[]) => rt.run(name, ...args);
/** The same values in this realm (the runtime's arrays are the script's). */
const plain = (v: unknown) => JSON.parse(JSON.stringify(v));

/** A report table as the sheet should show it, converted here independently of the function. */
function expectedRange(t: ReportTable, rows: readonly Row[] = t.rows): unknown[][] {
  return [
    t.columns.map((c) => c.label),
    ...rows.map((r) => t.columns.map((c) => {
      const v = r[c.key];
      if (v === null || v === undefined) return '';
      return c.format === 'money' ? toMajor(v as number, 'USD') : v;
    })),
  ];
}

describe('the data as-of', () => {
  test('is the latest time in the records', () => {
    let latest = 0;
    for (const o of shop.data.orders) latest = Math.max(latest, o.updateTime, o.createTime, o.paidTime ?? 0, o.cancelTime ?? 0, o.deliveryTime ?? 0);
    for (const t of shop.data.transactions) latest = Math.max(latest, t.statementTime);
    for (const s of shop.data.statements) latest = Math.max(latest, s.statementTime);
    for (const p of shop.data.payouts) latest = Math.max(latest, p.createTime, p.paidTime ?? 0);
    for (const r of shop.data.returns) latest = Math.max(latest, r.createTime, r.updateTime);
    for (const c of shop.data.creatorOrders) latest = Math.max(latest, c.createTime);
    for (const u of shop.data.unsettled) latest = Math.max(latest, u.fetchedTime);
    expect(asOf).toBe(latest);
    expect(asOf).toBeLessThanOrEqual(shop.asOf);
  });
});

describe('tables over the tabs, from the built bundle', () => {
  test('TIKTOK_ORDER_MARGIN equals the order margin report for the period (dates as Date and as text)', () => {
    const got = plain(call('TIKTOK_ORDER_MARGIN', shopDate('2025-03-01', tz), '2025-03-20', ...tabs));
    expect(got).toEqual(expectedRange(orderMarginReport(input, { range: march })));
    expect(got.length).toBeGreaterThan(100);
    // Blank start and end: every order.
    const all = plain(call('TIKTOK_ORDER_MARGIN', '', '', ...tabs));
    expect(all.length - 1).toBe(input.margins.orders.length);
  });

  test('TIKTOK_SKU_PROFIT equals the SKU report (accrual, with product analytics)', () => {
    const got = plain(call('TIKTOK_SKU_PROFIT', '2025-03-01', '2025-03-20', 'accrual', ...tabs, ranges.product_performance));
    expect(got).toEqual(expectedRange(skuReport(input, { range: march })));
  });

  test('TIKTOK_SKU_PROFIT in the cash view counts orders on their first statement day', () => {
    const got = plain(call('TIKTOK_SKU_PROFIT', '2025-03-01', '2025-03-20', 'Cash', ...tabs));
    const accrual = plain(call('TIKTOK_SKU_PROFIT', '2025-03-01', '2025-03-20', '', ...tabs));
    expect(got[0]).toEqual(accrual[0]);
    expect(got).not.toEqual(accrual);
  });

  test('TIKTOK_CREATORS equals the creators report', () => {
    const got = plain(call('TIKTOK_CREATORS', '2025-03-01', '2025-03-20', 'accrual', ...tabs));
    expect(got).toEqual(expectedRange(creatorsReport(input, { range: march })));
  });

  test('TIKTOK_CUSTOMERS: month tables keep the months of the period; first orders count the period', () => {
    const report = customersReport(input);
    const repeat = plain(call('TIKTOK_CUSTOMERS', 'repeat', '2025-03-05', '2025-03-20', '', ...tabs));
    expect(repeat).toEqual(expectedRange(report.repeatPurchase, report.repeatPurchase.rows.filter((r) => r.cohort === '2025-03')));
    const newBuyers = plain(call('TIKTOK_CUSTOMERS', 'new_buyers', '', '', 'accrual', ...tabs));
    expect(newBuyers).toEqual(expectedRange(report.newBuyers));
    const orders = input.margins.orders.filter((o) => o.day >= march.from && o.day <= march.to);
    const period = customersReport({ ...input, margins: { ...input.margins, orders } });
    expect(plain(call('TIKTOK_CUSTOMERS', 'first_orders_by_source', '2025-03-01', '2025-03-20', '', ...tabs))).toEqual(expectedRange(period.firstOrdersBySource));
  });

  test('TIKTOK_PNL equals the profit report row, in both views', () => {
    for (const view of ['accrual', 'cash'] as const) {
      const report = profitReport(input, { periods: [march], dailyRange: { label: 'd', from: march.from, to: march.from } });
      const table = view === 'accrual' ? report.accrual : report.cash;
      const row = table.rows[0];
      const expected = [['Line', `2025-03-01 to 2025-03-20 (${view})`]];
      for (const c of table.columns.slice(3)) {
        const v = row[c.key];
        expected.push([c.label, (v === null ? '' : c.format === 'money' ? toMajor(v as number, 'USD') : v) as string]);
      }
      expect(plain(call('TIKTOK_PNL', '2025-03-01', '2025-03-20', view, ...tabs))).toEqual(expected);
    }
  });

  test('TIKTOK_RECONCILIATION: the bridge of the period, and by day', () => {
    const report = reconciliationReport(input, { range: march }).periods;
    const total = report.rows[report.rows.length - 1];
    const bridge = plain(call('TIKTOK_RECONCILIATION', '2025-03-01', '2025-03-20', '', ...tabs, ranges.statements, ranges.payouts));
    expect(bridge[0]).toEqual(['Line', '2025-03-01 to 2025-03-20']);
    expect(bridge.slice(1)).toEqual(report.columns.slice(1).map((c) => [c.label, c.format === 'money' ? toMajor(total[c.key] as number, 'USD') : total[c.key]]));
    expect(bridge.find((r: unknown[]) => r[0] === 'Unexplained')).toEqual(['Unexplained', 0]);
    const byDay = plain(call('TIKTOK_RECONCILIATION', '2025-03-01', '2025-03-20', 'day', ...tabs, ranges.statements, ranges.payouts));
    expect(byDay).toEqual(expectedRange(report));
  });
});

describe('TIKTOK_METRIC, from the built bundle', () => {
  const metric = (name: string, segment = '', view = '', start: unknown = march.from, end: unknown = march.to) =>
    plain(call('TIKTOK_METRIC', name, start, end, segment, view, ...tabs));

  test('shop metrics equal the P&L row of the period', () => {
    for (const view of ['accrual', 'cash'] as const) {
      const report = profitReport(input, { periods: [march], dailyRange: { label: 'd', from: march.from, to: march.from } });
      const row = (view === 'accrual' ? report.accrual : report.cash).rows[0];
      expect(metric('cm3', '', view)).toBe(toMajor(row.cm3 as number, 'USD'));
      expect(metric('net_revenue', '', view)).toBe(toMajor(row.netRevenue as number, 'USD'));
      expect(metric('gmv', '', view)).toBe(toMajor(row.grossSales as number, 'USD'));
      expect(metric('orders', '', view)).toBe(row.orders);
      expect(metric('aov', '', view)).toBe(toMajor(row.aov as number, 'USD'));
      expect(metric('cm3_share', '', view)).toBe(row.cm3Share);
      expect(metric('new_buyer_rate', '', view)).toBe(row.newBuyerRate);
      expect(metric('estimated_share', '', view)).toBe(row.estimatedShare);
      expect(metric('net_profit', '', view)).toBe(toMajor(row.netProfit as number, 'USD'));
    }
  });

  test('repeat_rate_30d and return_rate, computed by hand from the order margins', () => {
    const orders = input.margins.orders;
    const purchases = orders.filter((o) => !o.isSample && o.status !== 'CANCELLED');
    let eligible = 0;
    let repeat = 0;
    for (const o of purchases) {
      if (!o.isFirstOrder || o.day < march.from || o.day > march.to || o.createTime + 30 * 86400 > asOf) continue;
      eligible += 1;
      if (purchases.some((p) => p.buyerId === o.buyerId && p !== o && (p.createTime > o.createTime || (p.createTime === o.createTime && p.orderId > o.orderId)) && p.createTime <= o.createTime + 30 * 86400)) repeat += 1;
    }
    expect(eligible).toBeGreaterThan(10);
    expect(metric('repeat_rate_30d')).toBe(repeat / eligible);
    // The last week: no buyer is 30 days old yet, so the rate is undefined (blank), never 0%.
    expect(metric('repeat_rate_30d', '', '', '', '')).not.toBe('');
    expect(metric('repeat_rate_30d', '', '', lastDay, lastDay)).toBe('');

    const returnedByOrder = new Map<string, number>();
    for (const r of shop.data.returns) {
      if (r.status !== 'RETURN_OR_REFUND_REQUEST_COMPLETE') continue;
      returnedByOrder.set(r.orderId, (returnedByOrder.get(r.orderId) ?? 0) + r.lines.reduce((s, l) => s + l.quantity, 0));
    }
    let units = 0;
    let back = 0;
    for (const o of purchases) {
      if (o.day < march.from || o.day > march.to) continue;
      units += o.units;
      back += returnedByOrder.get(o.orderId) ?? 0;
    }
    expect(back).toBeGreaterThan(0);
    expect(metric('return_rate')).toBe(back / units);
  });

  test('SKU and creator segments equal their report rows', () => {
    const sku = skuReport(input, { range: march }).rows[0];
    expect(metric('cm3', `sku:${sku.sku}`)).toBe(toMajor(sku.cm3 as number, 'USD'));
    expect(metric('return_rate', `SKU: ${sku.sku}`)).toBe(sku.returnRate ?? '');
    const creator = creatorsReport(input, { range: march }).rows[0];
    expect(metric('cm3', `creator:@${creator.creator}`)).toBe(toMajor(creator.cm3 as number, 'USD'));
    expect(metric('repeat_rate_30d', `creator:${creator.creator}`)).toBe(creator.repeatRate30 ?? '');
    expect(metric('total_cost_share', `creator:${creator.creator}`)).toBe(creator.totalCostShare ?? '');
  });

  test('the whole period by default: first order day to the data as-of', () => {
    const report = profitReport(input, { periods: [{ label: 'all', from: firstDay, to: lastDay }], dailyRange: { label: 'd', from: firstDay, to: firstDay } });
    expect(metric('cm3', '', '', '', '')).toBe(toMajor(report.accrual.rows[0].cm3 as number, 'USD'));
  });
});

describe('helpers, hand-computed', () => {
  test('TIKTOK_FEE_ESTIMATE: US rate card (6%), rates given for other regions, ranges', () => {
    expect(call('TIKTOK_FEE_ESTIMATE', 100, 'US')).toBe(6);
    expect(call('TIKTOK_FEE_ESTIMATE', 19.99, 'us')).toBe(1.2); // 1199.4 cents → 120
    expect(call('TIKTOK_FEE_ESTIMATE', 19.99, 'US', 0.08, 0.02)).toBe(2); // 159.92 + 39.98 → 160 + 40
    expect(call('TIKTOK_FEE_ESTIMATE', 1999, 'JP', 0.1)).toBe(200); // yen: 199.9 → 200
    expect(plain(call('TIKTOK_FEE_ESTIMATE', [[10], [''], [25]], 'US'))).toEqual([[0.6], [''], [1.5]]);
  });

  test('TIKTOK_AFFORDABLE_CAC: revenue × (CM2 rate − target), to the cent', () => {
    expect(call('TIKTOK_AFFORDABLE_CAC', 40, 0.35, 0.15)).toBe(8);
    expect(call('TIKTOK_AFFORDABLE_CAC', 33.33, 0.3, 0.15)).toBe(5); // 499.95 cents → 500
    expect(call('TIKTOK_AFFORDABLE_CAC', 40, 0.1, 0.15)).toBe(-2);
    expect(call('TIKTOK_AFFORDABLE_CAC', 1000, 0.35, 0.15, 'JPY')).toBe(200);
    expect(plain(call('TIKTOK_AFFORDABLE_CAC', [[40], [60]], [[0.35], [0.25]], 0.15))).toEqual([[8], [6]]);
  });

  test('TIKTOK_CREATOR_COST_SHARE: commission + fees + (shipping + other) / (1 − returns)', () => {
    expect(call('TIKTOK_CREATOR_COST_SHARE', 0.15, 0.06, 0.05, 0.1)).toBeCloseTo(0.15 + 0.06 + 0.05 / 0.9, 15);
    expect(call('TIKTOK_CREATOR_COST_SHARE', 0.15, 0.06, 0.05, 0.1)).toBeCloseTo(0.265556, 6);
    expect(call('TIKTOK_CREATOR_COST_SHARE', 0.1, 0, 0, 0)).toBe(0.1);
    expect(call('TIKTOK_CREATOR_COST_SHARE', 0.1, 0.06, 0.04, 0.2, 0.02)).toBeCloseTo(0.1 + 0.06 + 0.06 / 0.8, 15);
  });
});

describe('bad input: an error naming the argument and what was expected', () => {
  const expectError = (fn: () => unknown, message: string) => expect(fn).toThrow(message);

  test('tab arguments', () => {
    const args = [...tabs];
    // A body-only range (TTS_Orders has no header row).
    args[0] = ranges.orders.slice(1);
    expectError(() => call('TIKTOK_METRIC', 'cm3', '', '', '', '', ...args),
      'TIKTOK_METRIC: argument "orders": expected the whole Orders tab with its header row (e.g. Orders!A:Z or TTS_Orders_all), got a range whose first row has no "Order ID" column (a TTS_ body range such as TTS_Orders has no header row: use TTS_Orders_all)');
    // Two tabs swapped.
    const swapped = [...tabs];
    swapped[0] = tabs[1];
    swapped[1] = tabs[0];
    expectError(() => call('TIKTOK_METRIC', 'cm3', '', '', '', '', ...swapped),
      'TIKTOK_METRIC: argument "orders": expected the whole Orders tab with its header row (e.g. Orders!A:Z or TTS_Orders_all), got the Order lines tab (pass it as argument "order_lines")');
    // Missing argument.
    expectError(() => call('TIKTOK_PNL', '', '', '', ...tabs.slice(0, 10)),
      'TIKTOK_PNL: argument "creator_fees": expected the whole Creator fees tab with its header row (e.g. \'Creator fees\'!A:E), got nothing (the argument is missing)');
    // A bad cell: the tab's own message, with the argument.
    const orders = ranges.orders.map((r) => [...r]);
    orders[3][orders[0].indexOf('Shipping fee')] = 'abc';
    const bad = [...tabs];
    bad[0] = orders;
    expectError(() => call('TIKTOK_ORDER_MARGIN', '', '', ...bad),
      'TIKTOK_ORDER_MARGIN: argument "orders": Orders tab, row 4, column "Shipping fee": expected an amount in USD, got "abc"');
    // A bad cost on COGS.
    const cogs = ranges.cogs.map((r) => [...r]);
    cogs[2][1] = -1;
    const badCogs = [...tabs];
    badCogs[8] = cogs;
    expectError(() => call('TIKTOK_ORDER_MARGIN', '', '', ...badCogs),
      'TIKTOK_ORDER_MARGIN: argument "cogs": COGS tab, row 3, column "Unit landed cost": expected an amount of 0 or more in USD, got -1');
    // Settings without a time zone.
    const settings = ranges.settings.filter((r) => r[0] !== 'Time zone');
    const badSettings = [...tabs];
    badSettings[7] = settings;
    expectError(() => call('TIKTOK_PNL', '', '', '', ...badSettings),
      'TIKTOK_PNL: argument "settings": expected a "Time zone" row with a value such as America/Los_Angeles (custom functions have no shop region to default from), got no such row');
  });

  test('period, view, metric and segment arguments', () => {
    expectError(() => call('TIKTOK_PNL', '2025-03-10', '2025-03-01', '', ...tabs), 'TIKTOK_PNL: argument "end": expected a day on or after start (2025-03-10), got 2025-03-01');
    expectError(() => call('TIKTOK_PNL', 'March', '', '', ...tabs), 'TIKTOK_PNL: argument "start": expected a date (a date cell, DATE(2025,3,1) or "2025-03-01"), got the text "March"');
    expectError(() => call('TIKTOK_PNL', '', '', 'monthly', ...tabs), 'TIKTOK_PNL: argument "view": expected one of "accrual", "cash", got the text "monthly"');
    expectError(() => call('TIKTOK_CUSTOMERS', 'repeat', '', '', 'cash', ...tabs),
      'TIKTOK_CUSTOMERS: argument "view": expected "accrual" (customer and cohort tables follow buyers by order day; there is no cash view of them), got "cash"');
    expectError(() => call('TIKTOK_CUSTOMERS', 'cohorts', '', '', '', ...tabs),
      'TIKTOK_CUSTOMERS: argument "table": expected one of "new_buyers", "repeat", "cohort_cm3", "cohort_retained", "first_orders_by_source", "first_orders_by_creator", "returns", got the text "cohorts"');
    expectError(() => call('TIKTOK_METRIC', 'profit', '', '', '', '', ...tabs), 'TIKTOK_METRIC: argument "metric": expected one of "orders", "units", "gmv"');
    expectError(() => call('TIKTOK_METRIC', 'new_buyer_rate', '', '', 'sku:X', '', ...tabs),
      'TIKTOK_METRIC: argument "metric": "new_buyer_rate" is not available for a sku segment; expected one of "orders", "units", "gmv", "net_revenue", "cogs", "platform_fees", "shipping", "creator_commission", "ad_spend", "samples", "cm3", "cm3_share", "estimated_share", "return_rate"');
    expectError(() => call('TIKTOK_METRIC', 'cm3', '', '', 'sku:NOPE-1', '', ...tabs), 'TIKTOK_METRIC: argument "segment": no SKU "NOPE-1" on the Order lines tab (seller SKU or TikTok SKU ID)');
    expectError(() => call('TIKTOK_METRIC', 'cm3', '', '', 'product:1', '', ...tabs),
      'TIKTOK_METRIC: argument "segment": expected blank (the whole shop), "sku:SELLER-SKU" or "creator:username", got "product:1"');
    expectError(() => call('TIKTOK_RECONCILIATION', '', '', '', ...tabs), 'TIKTOK_RECONCILIATION: argument "statements": expected the whole Statements tab with its header row (e.g. Statements!A:Z or TTS_Statements_all), got nothing (the argument is missing)');
  });

  test('helpers', () => {
    expectError(() => call('TIKTOK_FEE_ESTIMATE', 100, 'XX'), 'TIKTOK_FEE_ESTIMATE: argument "region": expected a TikTok Shop region code such as "US", "GB" or "JP", got "XX"');
    expectError(() => call('TIKTOK_FEE_ESTIMATE', 100, 'GB'),
      'TIKTOK_FEE_ESTIMATE: argument "referral_fee_rate": expected a rate such as 0.06 or 6% (no built-in rate card for region "GB"; only US)');
    expectError(() => call('TIKTOK_FEE_ESTIMATE', 100, 'US', 6), 'TIKTOK_FEE_ESTIMATE: argument "referral_fee_rate": expected a rate from 0 up to (not including) 1 with at most two decimals of a percent, such as 0.06 or 6.25%, got 6');
    expectError(() => call('TIKTOK_FEE_ESTIMATE', 10.005, 'US'), 'TIKTOK_FEE_ESTIMATE: argument "price": expected');
    expectError(() => call('TIKTOK_AFFORDABLE_CAC', 40, 35, 0.15), 'TIKTOK_AFFORDABLE_CAC: argument "cm2_margin_rate": expected a margin rate from -1 to 1 (e.g. 0.35 or 35%), got 35');
    expectError(() => call('TIKTOK_AFFORDABLE_CAC', '40', 0.35, 0.15), 'TIKTOK_AFFORDABLE_CAC: argument "revenue": expected an amount in USD, got "40" (a number stored as text: convert it with VALUE() or Format > Number)');
    expectError(() => call('TIKTOK_CREATOR_COST_SHARE', 0.15, 0.06, 0.05, 1), 'TIKTOK_CREATOR_COST_SHARE: argument "return_rate": expected a return rate from 0 up to (not including) 1 (e.g. 0.1 or 10%), got 1');
    expectError(() => call('TIKTOK_CREATOR_COST_SHARE', [[0.1], [0.2]], 0.06, [[0.05], [0.05], [0.05]], 0),
      'TIKTOK_CREATOR_COST_SHARE: argument "shipping_share" is 3 rows × 1 column but argument "commission_rate" is 2 rows × 1 column; ranges must be the same size');
  });
});
