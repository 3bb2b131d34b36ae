/**
 * Month close: the P&L of each of the last 12 months, accrual and cash side by side, and the
 * last 13 weeks, each beside the one before (month over month, week over week).
 *
 * Every money line is the sum of the same daily rows the Profit tab's daily series shows
 * (`periodView` by shop day), so a month ties to its days to the cent by construction; the
 * order counts and the estimated share come from the orders the accrual row counts.
 */
import { periodView, type PeriodRow } from '../views';
import { addDays, dayKey, daysOfMonth, monthKey, weekKey } from '../time';
import { cogsCoverage, cogsGapText, baseDefinitions, estimatedShareOf, inRange, share, type Column, type DayRange, type ReportInput, type ReportTable, type Row, moneyColumn } from './table';

export const CLOSE_MONTHS = 12;
export const CLOSE_WEEKS = 13;

export interface CloseReport {
  months: ReportTable;
  weeks: ReportTable;
}

type Money = Record<'netRevenue' | 'cogs' | 'cm1' | 'platformFees' | 'fulfilmentAndShipping' | 'creatorCommission' | 'shopAdjustments' | 'cm2' | 'marketing' | 'cm3' | 'fixedCosts' | 'netProfit', number>;
const MONEY_KEYS: (keyof Money)[] = ['netRevenue', 'cogs', 'cm1', 'platformFees', 'fulfilmentAndShipping', 'creatorCommission', 'shopAdjustments', 'cm2', 'marketing', 'cm3', 'fixedCosts', 'netProfit'];

function sumDays(rows: readonly PeriodRow[], range: { from: string; to: string }): Money {
  const out = Object.fromEntries(MONEY_KEYS.map((k) => [k, 0])) as Money;
  for (const r of rows) if (inRange(r.bucket, range)) for (const k of MONEY_KEYS) out[k] += r[k];
  return out;
}

const money = moneyColumn;

function columns(unit: 'month' | 'week'): Column[] {
  const prev = unit === 'month' ? 'previous month' : 'previous week';
  return [
    { key: 'period', label: unit === 'month' ? 'Month' : 'Week', format: 'text', note: unit === 'month' ? 'Calendar month in the shop’s time zone; the current one is to date.' : 'Week starting on the Settings tab’s first day; the current one is to date.' },
    { key: 'from', label: 'From', format: 'day' },
    { key: 'to', label: 'To', format: 'day' },
    { key: 'orders', label: 'Orders', format: 'integer', note: 'Paid orders created in the period, cancelled ones included, samples not.' },
    money('netRevenue', 'Net revenue', 'Accrual: product sales after seller discounts and refunds, plus shipping the customer paid.'),
    money('cogs', 'COGS', 'Accrual: units × landed cost, less restocked returns.'),
    money('cm1', 'CM1', 'Net revenue − COGS.'),
    money('platformFees', 'Platform fees', 'Accrual.'),
    money('fulfilmentAndShipping', 'Shipping and fulfilment', 'Accrual.'),
    money('creatorCommission', 'Creator commission', 'Accrual.'),
    money('shopAdjustments', 'Statement adjustments (no order)', 'Statement lines naming no order, on their statement day.'),
    money('cm2', 'CM2', 'CM1 − platform fees − shipping and fulfilment − creator commission + adjustments with no order.'),
    money('marketing', 'Marketing', 'Ad spend + samples + creator flat fees.'),
    money('cm3', 'CM3', 'CM2 − marketing.'),
    { key: 'cm3Share', label: 'CM3 %', format: 'percent', note: 'CM3 / net revenue.' },
    money('fixedCosts', 'Fixed costs', 'Monthly fixed costs spread over the days of their month.'),
    money('netProfit', 'Net profit', 'CM3 − fixed costs (accrual).'),
    money('netProfitChange', `Net profit vs ${prev}`, `Net profit − the ${prev}’s; empty for the first row shown.`),
    { key: 'netProfitChangeShare', label: `Change vs ${prev} %`, format: 'percent', note: `The change / the ${prev}’s net profit, when that is positive (a change on a loss is not a percentage anyone can read).` },
    money('cashNetRevenue', 'Cash: net revenue', 'Cash view: statement revenue on its statement day.'),
    money('cashCm3', 'Cash: CM3', 'Cash view: CM3 of what was settled in the period.'),
    money('cashNetProfit', 'Cash: net profit', 'Cash view: CM3 − fixed costs.'),
    money('paidToBank', 'Paid to the bank', 'Payouts paid in the period (their paid day in the shop’s time zone).'),
    { key: 'estimatedShare', label: 'Estimated share', format: 'percent', note: 'Share of the period’s orders whose fees are still estimated.' },
    { key: 'cogsCoverage', label: 'COGS coverage', format: 'percent', note: 'Units sold with a cost / units sold.' },
    { key: 'cogsNote', label: 'COGS check', format: 'text', note: 'Says so when a sold SKU had no cost: COGS and every margin of the row are then overstated.' },
  ];
}

/** The last `n` calendar months up to the run's month, none before the data's first month. */
export function closeMonths(today: string, dataFrom: string | null, n = CLOSE_MONTHS): DayRange[] {
  const out: DayRange[] = [];
  let first = `${today.slice(0, 7)}-01`;
  for (let i = 0; i < n; i++) {
    const days = daysOfMonth(monthKey(first));
    const to = i === 0 ? today : days[days.length - 1];
    if (dataFrom !== null && to < dataFrom) break;
    out.unshift({ label: i === 0 ? `${monthKey(first)} (to date)` : monthKey(first), from: first, to });
    first = `${addDays(first, -1).slice(0, 7)}-01`;
  }
  return out;
}

/** The last `n` weeks up to the run's week, none before the data's first week. */
export function closeWeeks(today: string, weekStart: Parameters<typeof weekKey>[1], dataFrom: string | null, n = CLOSE_WEEKS): DayRange[] {
  const out: DayRange[] = [];
  let from = weekKey(today, weekStart);
  for (let i = 0; i < n; i++) {
    const to = i === 0 ? today : addDays(from, 6);
    if (dataFrom !== null && to < dataFrom) break;
    out.unshift({ label: i === 0 ? `${from} (to date)` : from, from, to });
    from = addDays(from, -7);
  }
  return out;
}

export function closeReport(input: ReportInput): CloseReport {
  const { margins, data, settings } = input;
  const today = dayKey(margins.asOf, settings.timezone);
  const defs = baseDefinitions(input, 'accrual');
  const accrual = periodView(margins, data, settings, 'accrual', 'day').rows;
  const cash = periodView(margins, data, settings, 'cash', 'day').rows;
  const paidByDay = new Map<string, number>();
  for (const p of data.payouts) {
    if (p.paidTime === null) continue;
    const d = dayKey(p.paidTime, settings.timezone);
    paidByDay.set(d, (paidByDay.get(d) ?? 0) + p.amount);
  }

  const table = (unit: 'month' | 'week', ranges: DayRange[]): ReportTable => {
    let previous: number | null = null;
    const rows: Row[] = ranges.map((r) => {
      const m = sumDays(accrual, r);
      const c = sumDays(cash, r);
      const orders = margins.orders.filter((o) => inRange(o.day, r));
      let paid = 0;
      for (const [d, amount] of paidByDay) if (inRange(d, r)) paid += amount;
      const cogs = cogsCoverage(input, orders);
      const row: Row = {
        period: r.label, from: r.from, to: r.to,
        orders: orders.filter((o) => !o.isSample).length,
        ...m,
        cm3Share: share(m.cm3, m.netRevenue),
        netProfitChange: previous === null ? null : m.netProfit - previous,
        netProfitChangeShare: previous === null || previous <= 0 ? null : (m.netProfit - previous) / previous,
        cashNetRevenue: c.netRevenue, cashCm3: c.cm3, cashNetProfit: c.netProfit, paidToBank: paid,
        estimatedShare: estimatedShareOf(orders),
        cogsCoverage: cogs.coverage,
        cogsNote: cogsGapText(cogs.gap),
      };
      previous = m.netProfit;
      return row;
    });
    const definitions = { ...defs, notes: [
      `Every money column is the sum of the period’s days as the Profit tab’s daily series computes them, so a ${unit} ties to its days to the cent.`,
      'Accrual columns: amounts on the day their order was created. Cash columns: statement amounts on their statement day (COGS and own costs on the day the order first reached a statement).',
      `The current ${unit} is to date: compare it with the ${unit} before only with that in mind.`,
      ...(ranges.length > 0 && defs.dataFrom !== null && ranges[0].from < defs.dataFrom ? [`The data starts ${defs.dataFrom}: the first ${unit} shown is partial.`] : []),
    ] };
    return unit === 'month'
      ? { id: 'month_close', title: `Month close: the last ${CLOSE_MONTHS} months, accrual and cash`, definitions, columns: columns('month'), rows }
      : { id: 'week_close', title: `Week over week: the last ${CLOSE_WEEKS} weeks`, definitions, columns: columns('week'), rows };
  };
  return {
    months: table('month', closeMonths(today, defs.dataFrom)),
    weeks: table('week', closeWeeks(today, settings.weekStart, defs.dataFrom)),
  };
}
