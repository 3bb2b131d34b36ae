/**
 * Dashboard: the first tab, readable in a minute.
 *
 * - Headline: net profit and CM3 for today, week to date, month to date and last month, each
 *   beside the same span of the period before; the estimated share and the COGS coverage of
 *   the row beside its figures (a figure that includes COGS says so when a sold SKU has none).
 * - Top actions: the first rows of the Decisions tab.
 * - Cash: what reached the bank against net profit, month to date, last month, last 30 days.
 * - Chart data: the daily trend (last 30 days) and the creators' GMV against CM3 % — the two
 *   charts the tab shows under the headline.
 *
 * Every figure is summed from the same daily rows as the Profit tab (accrual and cash views).
 */
import type { OrderMargin } from '../margin-types';
import { addDays, dayKey, daysBetween, daysOfMonth, weekKey } from '../time';
import { periodView, type PeriodRow } from '../views';
import {
  baseDefinitions, cogsCoverage, cogsGapText, estimatedShareOf, inRange, share,
  type Column, type DayRange, type ReportInput, type ReportTable, type Row,
  moneyColumn,
} from './table';

export const TOP_ACTIONS = 7;

export interface DashboardSources {
  /** The Decisions rows (decisionsReport), ranked. */
  decisions: ReportTable;
  /** The accrual daily series of the Profit tab. */
  accrualDaily: ReportTable;
  /** The Creators rows of the last 30 days. */
  creators: ReportTable;
}

/** A period and the one it is compared with: the same number of days, one period earlier. */
export interface ComparedPeriod {
  current: DayRange;
  previous: DayRange;
}

function monthStart(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

function lastDayOfMonth(day: string): string {
  const days = daysOfMonth(day.slice(0, 7));
  return days[days.length - 1];
}

/**
 * Today vs yesterday; week to date vs the same days of last week; month to date vs the same
 * days of last month (its last day when last month is shorter); last month vs the month before.
 */
export function comparedPeriods(today: string, weekStart: Parameters<typeof weekKey>[1]): ComparedPeriod[] {
  const yesterday = addDays(today, -1);
  const week = weekKey(today, weekStart);
  const month = monthStart(today);
  const lastMonthEnd = addDays(month, -1);
  const lastMonth = monthStart(lastMonthEnd);
  const monthBeforeEnd = addDays(lastMonth, -1);
  const dayOfMonth = daysBetween(month, today);
  const sameDayLastMonth = addDays(lastMonth, dayOfMonth);
  return [
    { current: { label: 'Today', from: today, to: today }, previous: { label: 'Yesterday', from: yesterday, to: yesterday } },
    { current: { label: 'Week to date', from: week, to: today }, previous: { label: 'Same days last week', from: addDays(week, -7), to: addDays(today, -7) } },
    {
      current: { label: 'Month to date', from: month, to: today },
      previous: { label: 'Same days last month', from: lastMonth, to: sameDayLastMonth > lastMonthEnd ? lastMonthEnd : sameDayLastMonth },
    },
    {
      current: { label: `Last month (${lastMonth.slice(0, 7)})`, from: lastMonth, to: lastMonthEnd },
      previous: { label: `Month before (${monthStart(monthBeforeEnd).slice(0, 7)})`, from: monthStart(monthBeforeEnd), to: lastDayOfMonth(monthBeforeEnd) },
    },
  ];
}

function sum(rows: readonly PeriodRow[], range: { from: string; to: string }): { cm3: number; netProfit: number; netRevenue: number } {
  const out = { cm3: 0, netProfit: 0, netRevenue: 0 };
  for (const r of rows) {
    if (!inRange(r.bucket, range)) continue;
    out.cm3 += r.cm3;
    out.netProfit += r.netProfit;
    out.netRevenue += r.netRevenue;
  }
  return out;
}

const money = moneyColumn;

const HEADLINE_COLUMNS: Column[] = [
  { key: 'period', label: 'Period', format: 'text' },
  { key: 'from', label: 'From', format: 'day' },
  { key: 'to', label: 'To', format: 'day' },
  money('netProfit', 'Net profit', 'CM3 − fixed costs (accrual: the orders created in the period).'),
  money('previousNetProfit', 'Previous', 'Net profit of the period it is compared with (see "Compared with").'),
  money('netProfitChange', 'Change', 'Net profit − previous.'),
  money('cm3', 'CM3', 'Contribution margin: net revenue − COGS − fees, shipping, commission − marketing.'),
  money('previousCm3', 'Previous CM3', 'CM3 of the period it is compared with.'),
  { key: 'cm3Share', label: 'CM3 %', format: 'percent', note: 'CM3 / net revenue.' },
  { key: 'estimatedShare', label: 'Estimated', format: 'percent', note: 'Share of the period’s orders whose fees are still estimated: their margin moves when statements arrive.' },
  { key: 'cogsCoverage', label: 'COGS coverage', format: 'percent', note: 'Units sold that have a cost / units sold. Below 100%, COGS is too low and every margin too high.' },
  { key: 'cogsNote', label: 'COGS check', format: 'text', note: 'Says so when a sold SKU has no cost: its COGS counts 0 in the figures of the row.' },
  { key: 'compared', label: 'Compared with', format: 'text' },
];

const CASH_COLUMNS: Column[] = [
  { key: 'period', label: 'Period', format: 'text' },
  { key: 'from', label: 'From', format: 'day' },
  { key: 'to', label: 'To', format: 'day' },
  money('netProfit', 'Net profit (accrual)', 'What the orders created in the period earned.'),
  money('netProfitCash', 'Net profit (cash view)', 'What the statements of the period settled, less COGS, costs and fixed costs.'),
  money('paidToBank', 'Reached the bank', 'Payouts paid in the period.'),
  money('bankMinusProfit', 'Bank − net profit', 'Reached the bank − net profit (accrual): timing of settlement, reserves, COGS paid earlier.'),
];

export function dashboardReport(input: ReportInput, sources: DashboardSources): ReportTable[] {
  const { margins, data, settings } = input;
  const today = dayKey(margins.asOf, settings.timezone);
  const accrual = periodView(margins, data, settings, 'accrual', 'day').rows;
  const cash = periodView(margins, data, settings, 'cash', 'day').rows;
  const ordersIn = (r: { from: string; to: string }): OrderMargin[] => margins.orders.filter((o) => inRange(o.day, r));

  const compared = comparedPeriods(today, settings.weekStart);
  const dataFrom = baseDefinitions(input, 'accrual').dataFrom;
  const headlineRows: Row[] = compared.map(({ current, previous }) => {
    const now = sum(accrual, current);
    // A previous period that starts before the data does is not known: blank, never a 0 to compare with.
    const known = dataFrom !== null && previous.from >= dataFrom;
    const before = known ? sum(accrual, previous) : null;
    const orders = ordersIn(current);
    const cogs = cogsCoverage(input, orders);
    return {
      period: current.label, from: current.from, to: current.to,
      netProfit: now.netProfit, previousNetProfit: before?.netProfit ?? null, netProfitChange: before ? now.netProfit - before.netProfit : null,
      cm3: now.cm3, previousCm3: before?.cm3 ?? null, cm3Share: share(now.cm3, now.netRevenue),
      estimatedShare: estimatedShareOf(orders), cogsCoverage: cogs.coverage, cogsNote: cogsGapText(cogs.gap),
      compared: `${previous.label}: ${previous.from === previous.to ? previous.from : `${previous.from} to ${previous.to}`}${known ? '' : ` (before the data starts, ${dataFrom ?? 'no data'})`}`,
    };
  });
  const widest = { from: compared[compared.length - 1].current.from, to: today };
  const headlineDefs = baseDefinitions(input, 'accrual', ordersIn(widest));
  headlineDefs.notes.push('Accrual view: amounts on the day their order was created. The cash side is under "Cash".');

  const last30: DayRange = { label: 'Last 30 days', from: addDays(today, -29), to: today };
  const paidIn = (r: { from: string; to: string }): number => {
    let total = 0;
    for (const p of data.payouts) if (p.paidTime !== null && inRange(dayKey(p.paidTime, settings.timezone), r)) total += p.amount;
    return total;
  };
  const cashRows: Row[] = [compared[2].current, compared[3].current, last30].map((r) => {
    const a = sum(accrual, r);
    const c = sum(cash, r);
    const paid = paidIn(r);
    return { period: r.label, from: r.from, to: r.to, netProfit: a.netProfit, netProfitCash: c.netProfit, paidToBank: paid, bankMinusProfit: paid - a.netProfit };
  });
  const cashDefs = baseDefinitions(input, 'cash', ordersIn(last30));
  cashDefs.notes.push('The bank lags the orders: an order is settled some days after delivery and paid out after that; reserves hold some back.');

  const top = sources.decisions.rows.slice(0, TOP_ACTIONS);
  const actionDefs = { ...sources.decisions.definitions, notes: [`The ${TOP_ACTIONS} largest of ${sources.decisions.rows.length} actions; all of them on the Decisions tab.`] };

  const trend: ReportTable = {
    id: 'dashboard_trend', title: 'Chart data: daily CM3 and net profit (accrual, last 30 days)',
    definitions: { ...sources.accrualDaily.definitions, notes: [] },
    columns: sources.accrualDaily.columns.filter((c) => ['day', 'cm3', 'netProfit'].includes(c.key)),
    rows: sources.accrualDaily.rows.map((r) => ({ day: r.day, cm3: r.cm3, netProfit: r.netProfit })),
  };
  const creators: ReportTable = {
    id: 'dashboard_creators', title: 'Chart data: creators by GMV and CM3 % (last 30 days)',
    definitions: { ...sources.creators.definitions, notes: [] },
    columns: sources.creators.columns.filter((c) => ['creator', 'group', 'gmv', 'cm3Share', 'cm3'].includes(c.key)),
    rows: sources.creators.rows.filter((r) => typeof r.cm3Share === 'number').map((r) => ({ creator: r.creator, group: r.group, gmv: r.gmv, cm3Share: r.cm3Share, cm3: r.cm3 })),
  };
  return [
    { id: 'dashboard_headline', title: 'Net profit and CM3, each beside the period before', definitions: headlineDefs, columns: HEADLINE_COLUMNS, rows: headlineRows },
    {
      // The short columns: the reasons are on the Decisions tab (a long text column would widen the headline's too).
      id: 'dashboard_actions', title: 'Top actions', definitions: actionDefs,
      columns: sources.decisions.columns.filter((c) => ['rank', 'action', 'item', 'atStake', 'target'].includes(c.key)), rows: top,
    },
    { id: 'dashboard_cash', title: 'Cash: what reached the bank against net profit', definitions: cashDefs, columns: CASH_COLUMNS, rows: cashRows },
    trend,
    creators,
  ];
}
