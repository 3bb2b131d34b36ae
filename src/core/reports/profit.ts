/**
 * Profit (executive P&L): did the shop make money today, this week, this month?
 *
 * Two tables per view (accrual and cash): the standard periods (today, week to date, month
 * to date, last 7 and last 30 days) and a daily series for the trend chart. The money lines
 * come from `periodView` — the layers (CM1, CM2, CM3, net profit) are defined there once and
 * only summed here. What a P&L by view cannot give (order counts, GMV, AOV, new buyer rate)
 * comes from the order margins of the orders the row counts.
 */
import { orderDataNotes, returnDataNotes } from '../data-notes';
import type { OrderMargin } from '../margin-types';
import { divRound } from '../money';
import type { AllocationMethod } from '../settings';
import { addDays, dayKey, daysBetween } from '../time';
import { firstStatementTimes, periodView, type PeriodRow, type View } from '../views';
import {
  baseDefinitions, cogsCoverage, cogsGapText, estimatedShareOf, inRange, share, standardPeriods,
  type Column, type DayRange, type ReportInput, type ReportTable, type Row,
} from './table';

export interface ProfitOptions {
  /** Periods of the summary table; default `standardPeriods` as of the engine's asOf. */
  periods?: DayRange[];
  /** Days of the daily series; default the last 30 days. */
  dailyRange?: DayRange;
}

export interface ProfitReport {
  accrual: ReportTable;
  cash: ReportTable;
  accrualDaily: ReportTable;
  cashDaily: ReportTable;
}

/** The money lines of a P&L row, in the order a reader walks down from revenue to net profit. */
const MONEY_LINES: readonly (keyof PeriodRow)[] = [
  'netRevenue', 'cogs', 'cm1', 'platformFees', 'fulfilmentAndShipping', 'creatorCommission', 'shopAdjustments', 'cm2',
  'adSpend', 'unallocatedAdSpend', 'sampleCost', 'creatorFees', 'marketing', 'cm3', 'fixedCosts', 'netProfit',
];

const METRIC_COLUMNS: Column[] = [
  { key: 'orders', label: 'Orders', format: 'integer', note: 'Paid orders, cancelled ones included, samples not.' },
  { key: 'grossSales', label: 'GMV (gross sales)', format: 'money', note: 'Σ original price of the lines of paid orders, before any discount.' },
  { key: 'netRevenue', label: 'Net revenue', format: 'money', note: 'Product sales after seller discounts and refunds, plus shipping the customer paid; tax excluded.' },
  { key: 'cogs', label: 'COGS', format: 'money', note: 'Units × landed cost of the order day, less restocked returns.' },
  { key: 'cm1', label: 'CM1', format: 'money', note: 'Net revenue − COGS.' },
  { key: 'platformFees', label: 'Platform fees', format: 'money', note: 'Referral, transaction, refund administration, service and other platform fees.' },
  { key: 'fulfilmentAndShipping', label: 'Shipping and fulfilment', format: 'money', note: 'Shipping the seller pays net of what the customer paid and subsidies, plus own per-order costs.' },
  { key: 'creatorCommission', label: 'Creator commission', format: 'money', note: 'Affiliate, partner and shop-ads commission and co-funded creator bonus.' },
  { key: 'shopAdjustments', label: 'Statement adjustments (no order)', format: 'money', note: 'Statement lines that name no order; positive = money to the seller.' },
  { key: 'cm2', label: 'CM2', format: 'money', note: 'CM1 − platform fees − shipping and fulfilment − creator commission + adjustments with no order.' },
  { key: 'adSpend', label: 'Ad spend', format: 'money', note: 'All ad spend of the period, the unallocated part included.' },
  { key: 'unallocatedAdSpend', label: 'of which unallocated', format: 'money', note: 'Spend of days with no order to carry it; kept in the P&L, never dropped.' },
  { key: 'sampleCost', label: 'Samples', format: 'money', note: 'Product, shipping and own costs of sample orders sent to creators.' },
  { key: 'creatorFees', label: 'Creator flat fees', format: 'money', note: 'Flat fees paid to creators, as entered by the seller.' },
  { key: 'marketing', label: 'Marketing', format: 'money', note: 'Ad spend + samples + creator flat fees.' },
  { key: 'cm3', label: 'CM3 (contribution margin)', format: 'money', note: 'CM2 − marketing.' },
  { key: 'cm3Share', label: 'CM3 %', format: 'percent', note: 'CM3 / net revenue; empty when there is no net revenue.' },
  { key: 'fixedCosts', label: 'Fixed costs', format: 'money', note: 'Monthly fixed costs spread evenly over the days of their month.' },
  { key: 'netProfit', label: 'Net profit', format: 'money', note: 'CM3 − fixed costs.' },
  { key: 'aov', label: 'AOV', format: 'money', note: 'GMV / orders.' },
  { key: 'netAov', label: 'Net AOV', format: 'money', note: 'Net revenue of the orders counted / their paid, non-cancelled orders.' },
  { key: 'newBuyerRate', label: 'New buyer rate', format: 'percent', note: 'Buyers’ first orders / paid, non-cancelled orders.' },
  { key: 'estimatedShare', label: 'Estimated share', format: 'percent', note: 'Share of the orders counted whose fees are still estimated.' },
  { key: 'cogsCoverage', label: 'COGS coverage', format: 'percent', note: 'Units sold that have a cost on the COGS tab / units sold. Below 100%, COGS is too low and every margin too high.' },
  { key: 'cogsNote', label: 'COGS check', format: 'text', note: 'Says so when a sold SKU has no cost: its COGS counts 0 in every figure of the row that includes COGS.' },
];

/** How the ad-spend allocation setting reads in a note. */
export function allocationText(method: AllocationMethod): string {
  if (method === 'by_product') return 'by product (campaigns mapped to products; the rest by day)';
  if (method === 'new_buyers') return 'to new buyers’ first orders only';
  return 'by day, in proportion to net revenue';
}

/** The order-side facts of a row: who bought, how much, how sure. */
interface OrderFacts {
  /** Paid orders, samples left out (a sample is not a sale). */
  orders: number;
  /** ...of which not cancelled: the base of net AOV and of the new buyer rate. */
  liveOrders: number;
  firstOrders: number;
  grossSales: number;
  netRevenue: number;
  /** Every paid order of the row, samples included: the base of the estimated share. */
  all: OrderMargin[];
}

function emptyFacts(): OrderFacts {
  return { orders: 0, liveOrders: 0, firstOrders: 0, grossSales: 0, netRevenue: 0, all: [] };
}

function addFacts(f: OrderFacts, o: OrderMargin): void {
  f.all.push(o);
  if (o.isSample) return;
  f.orders += 1;
  f.grossSales += o.grossSales;
  if (o.status === 'CANCELLED') return;
  f.liveOrders += 1;
  f.netRevenue += o.netRevenue;
  if (o.isFirstOrder) f.firstOrders += 1;
}

/**
 * The shop day each order counts on in a view. Accrual: its order day. Cash: the day of its
 * first statement transaction of any kind — the same day `periodView` books its COGS and
 * counts it — and no day at all before it reaches a statement.
 */
export function orderDaysInView(input: ReportInput, view: View): Map<OrderMargin, string> {
  const out = new Map<OrderMargin, string>();
  if (view === 'accrual') {
    for (const o of input.margins.orders) out.set(o, o.day);
    return out;
  }
  const first = firstStatementTimes(input.data.transactions);
  for (const o of input.margins.orders) {
    const time = first.get(o.orderId);
    if (time !== undefined) out.set(o, dayKey(time, input.settings.timezone));
  }
  return out;
}

function sumRows(rows: readonly PeriodRow[], range: { from: string; to: string }): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of MONEY_LINES) out[k] = 0;
  for (const r of rows) {
    if (!inRange(r.bucket, range)) continue;
    for (const k of MONEY_LINES) out[k] += r[k] as number;
  }
  return out;
}

function metricCells(input: ReportInput, view: View, money: Record<string, number>, f: OrderFacts): Row {
  const row: Row = { orders: f.orders, grossSales: f.grossSales };
  for (const k of MONEY_LINES) row[k] = money[k];
  row.cm3Share = share(money.cm3, money.netRevenue);
  row.aov = f.orders === 0 ? null : divRound(f.grossSales, f.orders);
  row.netAov = f.liveOrders === 0 ? null : divRound(f.netRevenue, f.liveOrders);
  row.newBuyerRate = share(f.firstOrders, f.liveOrders);
  // Cash amounts all come from statements: none of them is an estimate.
  row.estimatedShare = view === 'cash' ? (f.all.length === 0 ? null : 0) : estimatedShareOf(f.all);
  const cogs = cogsCoverage(input, f.all);
  row.cogsCoverage = cogs.coverage;
  row.cogsNote = cogsGapText(cogs.gap);
  return row;
}

function notesFor(input: ReportInput, view: View, unsettledOrders: number, dataFrom: string | null): string[] {
  const notes: string[] = [];
  if (view === 'accrual') {
    notes.push('Accrual view: every amount sits on the day its order was created (what did the orders of this day earn?).');
  } else {
    notes.push('Cash view: every statement amount sits on its statement day (what was settled this day?); COGS and own costs on the day the order first reached a statement.');
    notes.push(`${unsettledOrders} paid order${unsettledOrders === 1 ? ' has' : 's have'} no statement yet: not in this view until settled.`);
  }
  notes.push('Orders, GMV, AOV, net AOV and new buyer rate describe the orders the row counts (accrual: created that day; cash: first on a statement that day), from each order’s own figures.');
  notes.push(`Ad spend allocated ${allocationText(input.settings.allocationMethod)}; spend that found no order is shown as unallocated and stays in CM3.`);
  notes.push(`New buyers are counted from the first order in the data${dataFrom ? ` (${dataFrom})` : ''}; a short history overstates them.`);
  notes.push(...orderDataNotes(input.data.orders), ...returnDataNotes(input.data.returns));
  return notes;
}

interface ViewTables {
  periods: ReportTable;
  daily: ReportTable;
}

function viewTables(input: ReportInput, view: View, periods: readonly DayRange[], daily: DayRange): ViewTables {
  const { margins, data, settings } = input;
  const pv = periodView(margins, data, settings, view, 'day');
  const days = orderDaysInView(input, view);
  const factsIn = (range: { from: string; to: string }): OrderFacts => {
    const f = emptyFacts();
    for (const [o, day] of days) if (inRange(day, range)) addFacts(f, o);
    return f;
  };

  const periodRows: Row[] = periods.map((p) => ({
    period: p.label, from: p.from, to: p.to,
    ...metricCells(input, view, sumRows(pv.rows, p), factsIn(p)),
  }));

  // Every day of the range gets a row, empty days included: a trend chart must not skip days.
  const dailyFacts = new Map<string, OrderFacts>();
  for (const [o, day] of days) {
    if (!inRange(day, daily)) continue;
    let f = dailyFacts.get(day);
    if (!f) dailyFacts.set(day, (f = emptyFacts()));
    addFacts(f, o);
  }
  const pvByDay = new Map(pv.rows.map((r) => [r.bucket, r]));
  const dailyRows: Row[] = [];
  for (let d = daily.from; d <= daily.to; d = addDays(d, 1)) {
    const r = pvByDay.get(d);
    dailyRows.push({ day: d, ...metricCells(input, view, sumRows(r ? [r] : [], { from: d, to: d }), dailyFacts.get(d) ?? emptyFacts()) });
  }

  const widest = {
    from: periods.reduce((m, p) => (p.from < m ? p.from : m), periods[0]?.from ?? daily.from),
    to: periods.reduce((m, p) => (p.to > m ? p.to : m), periods[0]?.to ?? daily.to),
  };
  const defsFor = (range: { from: string; to: string }) => {
    const f = factsIn(range);
    const defs = baseDefinitions(input, view, f.all);
    if (view === 'cash') defs.estimatedShare = f.all.length === 0 ? null : 0;
    defs.notes = notesFor(input, view, pv.unsettledOrders, defs.dataFrom);
    return defs;
  };
  const viewName = view === 'accrual' ? 'accrual' : 'cash';
  return {
    periods: {
      id: `profit_${viewName}`,
      title: `Profit (${viewName} view)`,
      definitions: defsFor(widest),
      columns: [
        { key: 'period', label: 'Period', format: 'text' },
        { key: 'from', label: 'From', format: 'day' },
        { key: 'to', label: 'To', format: 'day' },
        ...METRIC_COLUMNS,
      ],
      rows: periodRows,
    },
    daily: {
      id: `profit_${viewName}_daily`,
      title: `Daily profit (${viewName} view)`,
      definitions: defsFor(daily),
      columns: [{ key: 'day', label: 'Day', format: 'day' }, ...METRIC_COLUMNS],
      rows: dailyRows,
    },
  };
}

/** The executive P&L in both views. */
export function profitReport(input: ReportInput, options: ProfitOptions = {}): ProfitReport {
  const periods = options.periods ?? standardPeriods(input.margins.asOf, input.settings);
  const last30 = standardPeriods(input.margins.asOf, input.settings).find((p) => p.label === 'Last 30 days')!;
  const daily = options.dailyRange ?? last30;
  if (daysBetween(daily.from, daily.to) < 0) throw new Error(`Profit report: daily range ends (${daily.to}) before it starts (${daily.from})`);
  const accrual = viewTables(input, 'accrual', periods, daily);
  const cash = viewTables(input, 'cash', periods, daily);
  return { accrual: accrual.periods, cash: cash.periods, accrualDaily: accrual.daily, cashDaily: cash.daily };
}
