/**
 * The Dashboard's periods, and the honest headline on a generated shop whose best-selling SKU
 * has no cost: every figure that includes COGS says so, the SKU is listed first as work to do
 * and never ranked, and the first action is to add its cost.
 */
import { generateShop } from '../../dev/generator/shop';
import { allReports } from '../../src/core/reports';
import { comparedPeriods } from '../../src/core/reports/dashboard';
import { inRange } from '../../src/core/reports/table';
import { reportInput } from './fixtures';

test('each period beside the same span one period earlier', () => {
  // 2026-03-31 is a Tuesday; February has 28 days.
  expect(comparedPeriods('2026-03-31', 'MONDAY').map((p) => [p.current.label, p.current.from, p.current.to, p.previous.from, p.previous.to])).toEqual([
    ['Today', '2026-03-31', '2026-03-31', '2026-03-30', '2026-03-30'],
    ['Week to date', '2026-03-30', '2026-03-31', '2026-03-23', '2026-03-24'],
    ['Month to date', '2026-03-01', '2026-03-31', '2026-02-01', '2026-02-28'],
    ['Last month (2026-02)', '2026-02-01', '2026-02-28', '2026-01-01', '2026-01-31'],
  ]);
  expect(comparedPeriods('2026-03-01', 'SUNDAY')[1].current).toEqual({ label: 'Week to date', from: '2026-03-01', to: '2026-03-01' });
});

describe('honest headline: one sold SKU without a cost', () => {
  const g = generateShop({ seed: 5, days: 40, ordersPerDay: 30 });
  // The generator leaves one SKU without a cost (meta.missingCogsSku): the shop of the issue.
  const missing = g.meta.missingCogsSku;
  const data = g.data;
  expect(data.cogs.some((c) => c.sku === missing)).toBe(false);
  const input = reportInput(data, g.asOf, g.settings);
  const all = allReports(input);

  test('the headline says "COGS incomplete" beside every figure, with the share of units counted by hand', () => {
    const headline = all.dashboard[0];
    for (const r of headline.rows) {
      const range = { from: String(r.from), to: String(r.to) };
      let sold = 0;
      let without = 0;
      const inPeriod = new Set(input.margins.orders.filter((o) => !o.isSample && o.status !== 'CANCELLED' && inRange(o.day, range)).map((o) => o.orderId));
      for (const l of data.lines) {
        if (!inPeriod.has(l.orderId) || l.cancelled) continue;
        sold += l.quantity;
        if ((l.sellerSku || l.skuId) === missing) without += l.quantity;
      }
      if (without === 0) {
        expect([r.period, r.cogsNote]).toEqual([r.period, '']);
        continue;
      }
      expect([r.period, r.cogsNote]).toEqual([r.period, `COGS incomplete: 1 SKU, ${((without / sold) * 100).toFixed(1)}% of units`]);
      expect(r.cogsCoverage).toBeCloseTo((sold - without) / sold, 12);
    }
    expect(headline.rows.filter((r) => r.cogsNote !== '').length).toBeGreaterThanOrEqual(2);
    // Every Profit row that counts the SKU's units says so too, and so does every stamp.
    for (const r of all.profit.accrual.rows) if (typeof r.cogsCoverage === "number" && r.cogsCoverage < 1) expect(String(r.cogsNote)).toMatch(/^COGS incomplete: 1 SKU, /);
    expect(all.profit.accrual.definitions.cogsIncomplete).toMatchObject({ skus: 1 });
    expect(all.skuProfit.definitions.cogsIncomplete).toMatchObject({ skus: 1 });
  });

  test('the SKU is listed first on SKU profit, unranked, and the first decision is to add its cost', () => {
    expect(all.skuProfit.rows[0]).toMatchObject({ sku: missing, rank: null, missingCogs: true, grade: 'no cost: add it on the COGS tab' });
    expect(all.skuProfit.rows.slice(1).map((r) => r.rank)).toEqual(all.skuProfit.rows.slice(1).map((_, i) => i + 1));
    expect(all.decisions.rows[0]).toMatchObject({ rank: 1, action: 'Add cost', item: `SKU ${missing}` });
    expect(all.dashboard[1].rows[0]).toMatchObject({ action: 'Add cost', item: `SKU ${missing}` });
    // Alerts: the missing cost is ranked by the revenue that carries no cost.
    const alert = all.alerts.rows.find((r) => r.rule === 'sku_without_cogs')!;
    expect(alert.atStake).toBe(all.skuProfit.rows[0].netRevenue);
    const stakes = all.alerts.rows.map((r) => r.atStake).filter((x): x is number => typeof x === 'number');
    expect(stakes).toEqual([...stakes].sort((a, b) => b - a));
  });

  test('a shop with every cost has no COGS note anywhere', () => {
    const withCost = { ...g.data, cogs: [...g.data.cogs, { sku: missing, currency: 'USD', unitCost: 500, effectiveFrom: '2000-01-01' }] };
    const full = allReports(reportInput(withCost, g.asOf, g.settings));
    expect(full.dashboard[0].rows.every((r) => r.cogsNote === '' && r.cogsCoverage !== null ? r.cogsCoverage === 1 : true)).toBe(true);
    expect(full.profit.accrual.definitions.cogsIncomplete).toBeNull();
    expect(full.skuProfit.rows.every((r) => typeof r.rank === 'number')).toBe(true);
  });
});

test('a previous period that starts before the data is blank, never a 0 to compare with', () => {
  const g = generateShop({ seed: 5, days: 40, ordersPerDay: 10 });
  const all = allReports(reportInput(g.data, g.asOf, g.settings));
  const dataFrom = all.dashboard[0].definitions.dataFrom!;
  for (const r of all.dashboard[0].rows) {
    const compared = String(r.compared);
    const prevFrom = /(\d{4}-\d{2}-\d{2})/.exec(compared.split(': ')[1])![1];
    if (prevFrom < dataFrom) {
      expect([r.period, r.previousNetProfit, r.netProfitChange, r.previousCm3]).toEqual([r.period, null, null, null]);
      expect(compared).toContain(`(before the data starts, ${dataFrom})`);
    } else {
      expect(r.netProfitChange).toBe((r.netProfit as number) - (r.previousNetProfit as number));
    }
  }
  expect(all.dashboard[0].rows.some((r) => r.previousNetProfit === null)).toBe(true);
  expect(all.dashboard[0].rows.some((r) => r.previousNetProfit !== null)).toBe(true);
});
