/**
 * All eight reports from one engine run on generated shops: each exists, carries its
 * definitions, agrees with ground truth where it sums orders, and alerts fire on what the
 * generator planted (a SKU without cost, a statement that does not tie out).
 */
import { computeMargins } from '../../src/core/margin';
import { allReports } from '../../src/core/reports';
import { generateShop } from '../../dev/generator/shop';
import { statementTotalOff } from '../../dev/generator/discrepancy';

const shop = generateShop({ seed: 21, days: 45, ordersPerDay: 120 });
const margins = computeMargins(shop.data, shop.settings, shop.asOf);
const input = { data: shop.data, settings: shop.settings, margins };
const reports = allReports(input, { lastRefreshTime: shop.asOf - 3600 });

test('every report is there, with its definitions', () => {
  const tables = [
    reports.profit.accrual, reports.profit.cash, reports.profit.accrualDaily, reports.profit.cashDaily, reports.orderMargin,
    reports.skuProfit, reports.creators, reports.customers.newBuyers, reports.customers.repeatPurchase,
    reports.customers.cohortCm3PerBuyer, reports.channels.channels, reports.reconciliation.periods,
    reports.reconciliation.statements, reports.reconciliation.payouts, reports.alerts,
  ];
  for (const t of tables) {
    expect(t.columns.length).toBeGreaterThan(0);
    expect(t.definitions.currency).toBe('USD');
    expect(t.definitions.timezone).toBe('America/Los_Angeles');
    const rowsMissingAColumn = t.rows.filter((row) => t.columns.some((c) => !(c.key in row)));
    expect(rowsMissingAColumn).toEqual([]);
  }
  // The Order margin tab holds the last 30 days' orders (its size is the workbook's largest).
  const last30 = reports.profit.accrual.rows.find((r) => r.period === 'Last 30 days')!;
  const recent = margins.orders.filter((o) => o.day >= String(last30.from) && o.day <= String(last30.to));
  expect(recent.length).toBeLessThan(margins.orders.length);
  expect(reports.orderMargin.rows).toHaveLength(recent.length);
  expect(reports.customers.followerConversion).toBeNull();
});

test('order-level totals equal ground truth over the same orders', () => {
  const last30 = reports.profit.accrual.rows.find((r) => r.period === 'Last 30 days')!;
  const from = String(last30.from);
  const to = String(last30.to);
  const inRange = shop.truth.orders.filter((o) => o.day >= from && o.day <= to);
  expect(reports.orderMargin.rows.reduce((a, r) => a + (r.cm3 as number), 0)).toBe(inRange.reduce((a, o) => a + o.cm3, 0));
  // SKU CM3 over the last 30 days adds up to the orders' CM3 exactly (the line split loses nothing).
  expect(reports.skuProfit.rows.reduce((a, r) => a + (r.cm3 as number), 0)).toBe(inRange.reduce((a, o) => a + o.cm3, 0));
});

test('alerts: the SKU without cost is named; fresh data raises no stale alert; a planted statement gap is flagged', () => {
  const missing = reports.alerts.rows.filter((r) => r.rule === 'sku_without_cogs').map((r) => r.item);
  expect(missing).toContain(`SKU ${shop.meta.missingCogsSku}`);
  expect(reports.alerts.rows.filter((r) => r.rule === 'data_stale')).toEqual([]);
  expect(reports.alerts.rows.filter((r) => r.rule === 'statement_not_tied_out')).toEqual([]);

  const planted = statementTotalOff(shop, 123_456);
  const m2 = computeMargins(planted.shop.data, planted.shop.settings, planted.shop.asOf);
  const r2 = allReports({ data: planted.shop.data, settings: planted.shop.settings, margins: m2 });
  const flagged = r2.alerts.rows.filter((r) => r.rule === 'statement_not_tied_out');
  expect(flagged.map((r) => r.item)).toEqual([`Statement ${planted.statementId}`]);
  expect(String(flagged[0].value)).toMatch(/^1234\.56 USD/);
});
