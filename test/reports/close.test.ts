/**
 * Month close and week over week: every month's money lines equal the sum of the Profit tab's
 * daily rows of its days, to the cent, accrual and cash; paid to the bank is the sum of the
 * payouts paid in the month; the previous-period change is this row − the row before.
 */
import { generateShop } from '../../dev/generator/shop';
import { closeMonths, closeReport, closeWeeks } from '../../src/core/reports/monthClose';
import { profitReport } from '../../src/core/reports/profit';
import { inRange, type Row } from '../../src/core/reports/table';
import { dayKey } from '../../src/core/time';
import { reportInput } from './fixtures';

const g = generateShop({ seed: 21, days: 80, ordersPerDay: 25 });
const input = reportInput(g.data, g.asOf, g.settings);
const close = closeReport(input);
const today = dayKey(g.asOf, g.settings.timezone);
const dataFrom = close.months.definitions.dataFrom!;
// From the first month's first day: ad spend and fixed costs of days before the first order count too.
const firstDay = closeMonths(today, dataFrom)[0].from;
const profit = profitReport(input, { dailyRange: { label: 'All', from: firstDay, to: today } });

const MONEY = ['netRevenue', 'cogs', 'cm1', 'platformFees', 'fulfilmentAndShipping', 'creatorCommission', 'shopAdjustments', 'cm2', 'marketing', 'cm3', 'fixedCosts', 'netProfit'];

function sumDaily(rows: readonly Row[], key: string, range: { from: string; to: string }): number {
  let s = 0;
  for (const r of rows) if (inRange(String(r.day), range)) s += r[key] as number;
  return s;
}

test('the months: from the data’s first month to this one (to date)', () => {
  expect(close.months.rows.map((r) => r.period)).toEqual(closeMonths(today, dataFrom).map((m) => m.label));
  expect(close.months.rows.length).toBeGreaterThanOrEqual(3);
  expect(close.months.rows[close.months.rows.length - 1].period).toBe(`${today.slice(0, 7)} (to date)`);
  expect(close.months.rows[close.months.rows.length - 1].to).toBe(today);
  expect(closeMonths('2026-03-15', null)).toHaveLength(12);
  expect(closeMonths('2026-03-15', null)[0]).toEqual({ label: '2025-04', from: '2025-04-01', to: '2025-04-30' });
  expect(closeMonths('2026-03-15', '2026-02-10').map((m) => [m.label, m.from, m.to])).toEqual([
    ['2026-02', '2026-02-01', '2026-02-28'],
    ['2026-03 (to date)', '2026-03-01', '2026-03-15'],
  ]);
  // Weeks start Monday: 2026-03-15 is a Sunday.
  expect(closeWeeks('2026-03-15', 'MONDAY', '2026-03-01').map((w) => [w.label, w.from, w.to])).toEqual([
    ['2026-02-23', '2026-02-23', '2026-03-01'],
    ['2026-03-02', '2026-03-02', '2026-03-08'],
    ['2026-03-09 (to date)', '2026-03-09', '2026-03-15'],
  ]);
});

test('each month ties to its daily rows to the cent, accrual and cash', () => {
  for (const m of close.months.rows) {
    const range = { from: String(m.from), to: String(m.to) };
    for (const k of MONEY) expect([m.period, k, m[k]]).toEqual([m.period, k, sumDaily(profit.accrualDaily.rows, k, range)]);
    expect([m.period, m.cashNetRevenue]).toEqual([m.period, sumDaily(profit.cashDaily.rows, 'netRevenue', range)]);
    expect([m.period, m.cashCm3]).toEqual([m.period, sumDaily(profit.cashDaily.rows, 'cm3', range)]);
    expect([m.period, m.cashNetProfit]).toEqual([m.period, sumDaily(profit.cashDaily.rows, 'netProfit', range)]);
    expect(m.orders).toBe(sumDaily(profit.accrualDaily.rows, 'orders', range));
    const paid = g.data.payouts.filter((p) => p.paidTime !== null && inRange(dayKey(p.paidTime, g.settings.timezone), range)).reduce((s, p) => s + p.amount, 0);
    expect(m.paidToBank).toBe(paid);
  }
  // The months together are every day of the data.
  for (const k of MONEY) expect(close.months.rows.reduce((s, r) => s + (r[k] as number), 0)).toBe(sumDaily(profit.accrualDaily.rows, k, { from: firstDay, to: today }));
  expect(close.months.rows.some((r) => (r.paidToBank as number) > 0)).toBe(true);
});

test('month over month and week over week: this row − the row before; a percentage only on a profit', () => {
  for (const t of [close.months, close.weeks]) {
    expect(t.rows[0].netProfitChange).toBeNull();
    for (let i = 1; i < t.rows.length; i++) {
      const now = t.rows[i].netProfit as number;
      const before = t.rows[i - 1].netProfit as number;
      expect(t.rows[i].netProfitChange).toBe(now - before);
      expect(t.rows[i].netProfitChangeShare).toBe(before > 0 ? (now - before) / before : null);
    }
  }
  for (const w of close.weeks.rows) {
    const range = { from: String(w.from), to: String(w.to) };
    expect(w.netProfit).toBe(sumDaily(profit.accrualDaily.rows, 'netProfit', range));
  }
  // 80 days of data: the weeks that reach into it (at most 13).
  expect(close.weeks.rows.length).toBe(closeWeeks(today, 'MONDAY', dataFrom).length);
  expect(close.weeks.rows.length).toBe(12);
  expect(String(close.weeks.rows[0].from) <= dataFrom).toBe(true);
});
