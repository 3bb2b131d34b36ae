/**
 * Custom functions over the add-on's tabs: the order margin, SKU, creator, customer and P&L
 * tables, one metric, and the reconciliation bridge, each from ONE engine run over the tab
 * ranges the formula passes (custom-tabs.ts). The tables are the report functions' own
 * (src/core/reports), laid out as ranges with a header row, so a formula shows the numbers the
 * report tabs show for the same period and as-of.
 */
import type { OrderMargin } from '../core/margin-types';
import { toMajor } from '../core/money';
import { boughtAgainWithin, DAY_SECONDS, isPurchase, purchasesByBuyer, returnedUnitsByOrder } from '../core/reports/buyers';
import { creatorsReport } from '../core/reports/creators';
import { customersReport } from '../core/reports/customers';
import { orderMarginReport } from '../core/reports/orderMargin';
import { orderDaysInView, profitReport } from '../core/reports/profit';
import { reconciliationReport } from '../core/reports/reconciliation';
import { skuReport } from '../core/reports/sku';
import { inRange, share, type DayRange, type ReportInput, type ReportTable, type Row } from '../core/reports/table';
import type { Grain } from '../core/time';
import {
  choiceArgument, CustomFunctionError, outCell, PAYOUTS_ARG, periodArgument, PRODUCT_PERFORMANCE_ARG, shopInput, STATEMENTS_ARG,
  tableRange, type OutCell, type ShopInput, type TabValues,
} from './custom-tabs';

export const VIEWS = ['accrual', 'cash'] as const;
export type ViewName = (typeof VIEWS)[number];

// ---------------------------------------------------------------- views for order-based tables

/**
 * The input as a report over orders sees it in a view. Accrual: as is (an order counts on its
 * order day). Cash: each order counts on the shop day of its first statement transaction (as
 * the P&L's cash view counts orders, `orderDaysInView`), with its own figures; an order not on a
 * statement yet is in no period (its day is '', before every day), but still a purchase for
 * repeat-buying measures, which look at all the data.
 */
export function inView(input: ReportInput, view: ViewName): ReportInput {
  if (view === 'accrual') return input;
  const days = orderDaysInView(input, 'cash');
  const orders = input.margins.orders.map((o): OrderMargin => ({ ...o, day: days.get(o) ?? '' }));
  return { ...input, margins: { ...input.margins, orders } };
}

function viewOf(fn: string, v: unknown): ViewName {
  return choiceArgument(fn, 'view', v, VIEWS, 'accrual');
}

// ---------------------------------------------------------------- tables

export function orderMarginRange(start: unknown, end: unknown, tabs: TabValues): OutCell[][] {
  const fn = 'TIKTOK_ORDER_MARGIN';
  const input = shopInput(fn, tabs);
  const range = periodArgument(fn, start, end, input);
  return tableRange(orderMarginReport(input, { range }), input.settings.currency);
}

export function skuProfitRange(start: unknown, end: unknown, view: unknown, tabs: TabValues): OutCell[][] {
  const fn = 'TIKTOK_SKU_PROFIT';
  const input = shopInput(fn, tabs, [{ arg: PRODUCT_PERFORMANCE_ARG, optional: true }]);
  const v = viewOf(fn, view);
  const range = periodArgument(fn, start, end, input);
  return tableRange(skuReport(inView(input, v), { range }), input.settings.currency);
}

export function creatorsRange(start: unknown, end: unknown, view: unknown, tabs: TabValues): OutCell[][] {
  const fn = 'TIKTOK_CREATORS';
  const input = shopInput(fn, tabs);
  const v = viewOf(fn, view);
  const range = periodArgument(fn, start, end, input);
  return tableRange(creatorsReport(inView(input, v), { range }), input.settings.currency);
}

export const CUSTOMER_TABLES = ['new_buyers', 'repeat', 'cohort_cm3', 'cohort_retained', 'first_orders_by_source', 'first_orders_by_creator', 'returns'] as const;
export type CustomerTable = (typeof CUSTOMER_TABLES)[number];

/**
 * A table of the customers report for a period. Tables by period or first-order month
 * (new_buyers, repeat, cohort_cm3, cohort_retained) are computed over all the data — a cohort's
 * later orders count — and keep the rows of the months (the periods) the period touches; the
 * others (first orders, returns and refunds) are computed over the orders created in the period.
 */
export function customersRange(table: unknown, start: unknown, end: unknown, view: unknown, tabs: TabValues): OutCell[][] {
  const fn = 'TIKTOK_CUSTOMERS';
  const which = choiceArgument(fn, 'table', table, CUSTOMER_TABLES, null);
  const input = shopInput(fn, tabs);
  if (viewOf(fn, view) !== 'accrual') {
    throw new CustomFunctionError(`${fn}: argument "view": expected "accrual" (customer and cohort tables follow buyers by order day; there is no cash view of them), got "cash"`);
  }
  const range = periodArgument(fn, start, end, input);
  return customersTable(input, which, range);
}

export function customersTable(input: ReportInput, which: CustomerTable, range: DayRange): OutCell[][] {
  const currency = input.settings.currency;
  if (which === 'first_orders_by_source' || which === 'first_orders_by_creator' || which === 'returns') {
    const orders = input.margins.orders.filter((o) => inRange(o.day, range));
    const report = customersReport({ ...input, margins: { ...input.margins, orders } });
    const t = which === 'returns' ? report.returnsAndRefunds : which === 'first_orders_by_source' ? report.firstOrdersBySource : report.firstOrdersByCreator;
    return tableRange(t, currency);
  }
  const report = customersReport(input);
  const fromMonth = range.from.slice(0, 7);
  const toMonth = range.to.slice(0, 7);
  const t: ReportTable =
    which === 'new_buyers' ? report.newBuyers : which === 'repeat' ? report.repeatPurchase : which === 'cohort_cm3' ? report.cohortCm3PerBuyer : report.cohortBuyersRetained;
  const key = which === 'new_buyers' ? 'period' : 'cohort';
  const rows = t.rows.filter((r) => {
    const month = String(r[key]).slice(0, 7);
    return month >= fromMonth && month <= toMonth;
  });
  return tableRange(t, currency, rows);
}

/**
 * The P&L of the period in a view, as a two-column statement: one row per line (orders, GMV, net
 * revenue … net profit, AOV, new buyer rate, estimated share) with the profit report's labels.
 */
export function pnlRange(start: unknown, end: unknown, view: unknown, tabs: TabValues): OutCell[][] {
  const fn = 'TIKTOK_PNL';
  const input = shopInput(fn, tabs);
  const v = viewOf(fn, view);
  const range = periodArgument(fn, start, end, input);
  const table = pnlTable(input, v, range);
  const row = table.rows[0];
  const out: OutCell[][] = [['Line', `${range.from} to ${range.to} (${v})`]];
  for (const c of table.columns) {
    if (c.key === 'period' || c.key === 'from' || c.key === 'to') continue;
    out.push([c.label, outCell(c, row[c.key], input.settings.currency)]);
  }
  return out;
}

/** The profit report's period table for one period in one view (its daily series kept to one day). */
export function pnlTable(input: ReportInput, view: ViewName, range: DayRange): ReportTable {
  const report = profitReport(input, { periods: [range], dailyRange: { label: range.from, from: range.from, to: range.from } });
  return view === 'accrual' ? report.accrual : report.cash;
}

export const RECONCILIATION_GRAINS = ['total', 'day', 'week', 'month'] as const;

/**
 * The reconciliation bridge of the period (statements by statement day, orders by order day).
 * grain "total" (default): the bridge as a two-column statement, GMV of orders created down to
 * paid to the bank and the unexplained remainder; "day" / "week" / "month": one row per period
 * and a Total row, one column per line.
 */
export function reconciliationRange(start: unknown, end: unknown, grain: unknown, tabs: TabValues): OutCell[][] {
  const fn = 'TIKTOK_RECONCILIATION';
  const g = choiceArgument(fn, 'grain', grain, RECONCILIATION_GRAINS, 'total');
  const input = shopInput(fn, tabs, [{ arg: STATEMENTS_ARG, optional: false }, { arg: PAYOUTS_ARG, optional: false }]);
  const range = periodArgument(fn, start, end, input);
  const table = reconciliationReport(input, { grain: g === 'total' ? 'day' : (g as Grain), range }).periods;
  const currency = input.settings.currency;
  if (g !== 'total') return tableRange(table, currency);
  const total = table.rows[table.rows.length - 1];
  const out: OutCell[][] = [['Line', `${range.from} to ${range.to}`]];
  for (const c of table.columns) {
    if (c.key === 'period') continue;
    out.push([c.label, outCell(c, total[c.key], currency)]);
  }
  return out;
}

// ---------------------------------------------------------------- one metric

type MetricKind = 'money' | 'count' | 'rate';

interface MetricDef {
  kind: MetricKind;
  /** Column key in the shop P&L row, the SKU row, the creator row; absent = not for that segment. */
  shop?: string | ((ctx: MetricContext) => number | null);
  sku?: string;
  creator?: string;
}

interface MetricContext {
  input: ReportInput;
  view: ViewName;
  range: DayRange;
  asOf: number;
}

/**
 * The metrics, and where each comes from. Shop-wide: the P&L row of the period in the view (so
 * `cm3` is the P&L's CM3, with unallocated ads, creator flat fees and adjustments that name no
 * order), plus return and repeat rates over the period's orders. SKU and creator: that SKU's or
 * creator's row of the SKU profit or Creators report for the period.
 */
export const METRICS: Readonly<Record<string, MetricDef>> = {
  orders: { kind: 'count', shop: 'orders', sku: 'orders', creator: 'orders' },
  units: { kind: 'count', sku: 'units', creator: 'unitsSold' },
  gmv: { kind: 'money', shop: 'grossSales', sku: 'grossSales', creator: 'gmv' },
  net_revenue: { kind: 'money', shop: 'netRevenue', sku: 'netRevenue', creator: 'netRevenue' },
  cogs: { kind: 'money', shop: 'cogs', sku: 'cogs' },
  cm1: { kind: 'money', shop: 'cm1' },
  platform_fees: { kind: 'money', shop: 'platformFees', sku: 'platformFees' },
  shipping: { kind: 'money', shop: 'fulfilmentAndShipping', sku: 'fulfilmentAndShipping' },
  creator_commission: { kind: 'money', shop: 'creatorCommission', sku: 'creatorCommission', creator: 'commission' },
  cm2: { kind: 'money', shop: 'cm2' },
  ad_spend: { kind: 'money', shop: 'adSpend', sku: 'adSpend', creator: 'adSpendAllocated' },
  samples: { kind: 'money', shop: 'sampleCost', sku: 'sampleCost', creator: 'sampleCost' },
  marketing: { kind: 'money', shop: 'marketing' },
  cm3: { kind: 'money', shop: 'cm3', sku: 'cm3', creator: 'cm3' },
  cm3_share: { kind: 'rate', shop: 'cm3Share', sku: 'cm3Share', creator: 'cm3Share' },
  fixed_costs: { kind: 'money', shop: 'fixedCosts' },
  net_profit: { kind: 'money', shop: 'netProfit' },
  aov: { kind: 'money', shop: 'aov' },
  net_aov: { kind: 'money', shop: 'netAov' },
  new_buyer_rate: { kind: 'rate', shop: 'newBuyerRate' },
  estimated_share: { kind: 'rate', shop: 'estimatedShare', sku: 'estimatedShare', creator: 'estimatedShare' },
  return_rate: { kind: 'rate', shop: (c) => shopReturnRate(c), sku: 'returnRate', creator: 'returnRate' },
  repeat_rate_30d: { kind: 'rate', shop: (c) => shopRepeatRate(c, 30), creator: 'repeatRate30' },
  commission_share: { kind: 'rate', creator: 'commissionShare' },
  total_cost_share: { kind: 'rate', creator: 'totalCostShare' },
};

/**
 * Returned units / units sold of the paid, non-cancelled, non-sample orders of the period (in the
 * view), units on completed returns: the customers report's return rate, over the whole shop.
 */
function shopReturnRate({ input, view, range }: MetricContext): number | null {
  const returned = returnedUnitsByOrder(input.data);
  let units = 0;
  let back = 0;
  for (const o of inView(input, view).margins.orders) {
    if (!isPurchase(o) || !inRange(o.day, range)) continue;
    units += o.units;
    back += returned.get(o.orderId) ?? 0;
  }
  return share(back, units);
}

/**
 * Of the buyers whose first order (first paid, non-cancelled, non-sample order in the data) is in
 * the period and at least `days` days before the as-of, the share with another such order within
 * `days` days of it (the Creators report's rule, over the whole shop). Empty when no buyer is old
 * enough.
 */
function shopRepeatRate({ input, view, range, asOf }: MetricContext, days: number): number | null {
  const orders = inView(input, view).margins.orders;
  const purchases = purchasesByBuyer(orders);
  let eligible = 0;
  let repeat = 0;
  for (const o of orders) {
    if (!isPurchase(o) || !o.isFirstOrder || !inRange(o.day, range)) continue;
    if (o.createTime + days * DAY_SECONDS > asOf) continue;
    eligible += 1;
    if (boughtAgainWithin(purchases.get(o.buyerId) ?? [], o, days)) repeat += 1;
  }
  return share(repeat, eligible);
}

type Segment = { kind: 'shop' } | { kind: 'sku'; id: string } | { kind: 'creator'; id: string };

function segmentArgument(fn: string, v: unknown): Segment {
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return { kind: 'shop' };
  const m = typeof v === 'string' ? /^\s*(sku|creator)\s*:\s*(.+?)\s*$/i.exec(v) : null;
  if (!m) {
    throw new CustomFunctionError(`${fn}: argument "segment": expected blank (the whole shop), "sku:SELLER-SKU" or "creator:username", got ${typeof v === 'string' ? `"${v}"` : String(v)}`);
  }
  const kind = m[1].toLowerCase() as 'sku' | 'creator';
  return { kind, id: kind === 'creator' ? m[2].replace(/^@/, '') : m[2] };
}

/** One metric of the period, as a number (money in major units, rates as shares) or '' when undefined (0/0). */
export function metricValue(metric: unknown, start: unknown, end: unknown, segment: unknown, view: unknown, tabs: TabValues): OutCell {
  const fn = 'TIKTOK_METRIC';
  const name = typeof metric === 'string' ? metric.trim().toLowerCase() : '';
  const def = Object.prototype.hasOwnProperty.call(METRICS, name) ? METRICS[name] : undefined;
  if (!def) {
    throw new CustomFunctionError(`${fn}: argument "metric": expected one of ${Object.keys(METRICS).map((k) => `"${k}"`).join(', ')}, got ${typeof metric === 'string' ? `"${metric}"` : String(metric ?? 'nothing')}`);
  }
  const seg = segmentArgument(fn, segment);
  const source = def[seg.kind];
  if (source === undefined) {
    const allowed = Object.keys(METRICS).filter((k) => METRICS[k][seg.kind] !== undefined);
    throw new CustomFunctionError(`${fn}: argument "metric": "${name}" is not available for ${seg.kind === 'shop' ? 'the whole shop' : `a ${seg.kind} segment`}; expected one of ${allowed.map((k) => `"${k}"`).join(', ')}`);
  }
  const v = viewOf(fn, view);
  const input = shopInput(fn, tabs);
  const range = periodArgument(fn, start, end, input);
  return metricFrom(fn, input, name, seg, v, range);
}

export function metricFrom(fn: string, input: ShopInput, name: string, seg: Segment, view: ViewName, range: DayRange): OutCell {
  const def = METRICS[name];
  const source = def[seg.kind]!;
  const currency = input.settings.currency;
  const out = (v: number | null): OutCell => (v === null ? '' : def.kind === 'money' ? toMajor(v, currency) : v);
  if (typeof source === 'function') return out(source({ input, view, range, asOf: input.asOf }));

  let row: Row | undefined;
  if (seg.kind === 'shop') row = pnlTable(input, view, range).rows[0];
  else if (seg.kind === 'sku') {
    if (!knownSku(input, seg.id)) {
      throw new CustomFunctionError(`${fn}: argument "segment": no SKU "${seg.id}" on the Order lines tab (seller SKU or TikTok SKU ID)`);
    }
    row = skuReport(inView(input, view), { range }).rows.find((r) => r.sku === seg.id || r.skuId === seg.id);
  } else {
    if (!knownCreator(input, seg.id)) {
      throw new CustomFunctionError(`${fn}: argument "segment": no creator "${seg.id}" on the Creator orders, Orders (sample creator), Creator fees or Ad spend tabs`);
    }
    row = creatorsReport(inView(input, view), { range }).rows.find((r) => r.creator === seg.id);
  }
  // A known SKU or creator with nothing in the period: amounts and counts are 0, rates undefined.
  if (row === undefined) return def.kind === 'rate' ? '' : 0;
  const cell = row[source];
  return out(typeof cell === 'number' ? cell : null);
}

function knownSku(input: ReportInput, id: string): boolean {
  return input.data.lines.some((l) => (l.sellerSku || l.skuId) === id || l.skuId === id);
}

function knownCreator(input: ReportInput, id: string): boolean {
  const d = input.data;
  return d.creatorOrders.some((c) => c.creatorUsername === id)
    || d.orders.some((o) => o.sampleCreator === id)
    || d.creatorFees.some((f) => f.creatorUsername === id)
    || d.adSpend.some((a) => a.creatorUsername === id)
    || input.margins.orders.some((o) => o.creator === id);
}

export type { ShopInput };

// ---------------------------------------------------------------- positional entry points (src/index.ts)

/** The engine tabs, in ENGINE_TAB_ARGS order, as every function over the tabs takes them. */
function engineTabs(
  orders: unknown, orderLines: unknown, settlements: unknown, returns: unknown, creatorOrders: unknown, adSpend: unknown,
  unsettledEstimates: unknown, settings: unknown, cogs: unknown, fixedCosts: unknown, creatorFees: unknown,
): TabValues {
  return {
    orders, order_lines: orderLines, settlements, returns, creator_orders: creatorOrders, ad_spend: adSpend,
    unsettled_estimates: unsettledEstimates, settings, cogs, fixed_costs: fixedCosts, creator_fees: creatorFees,
  };
}

export function tiktokOrderMargin(
  start: unknown, end: unknown,
  orders: unknown, orderLines: unknown, settlements: unknown, returns: unknown, creatorOrders: unknown, adSpend: unknown,
  unsettledEstimates: unknown, settings: unknown, cogs: unknown, fixedCosts: unknown, creatorFees: unknown,
): OutCell[][] {
  return orderMarginRange(start, end, engineTabs(orders, orderLines, settlements, returns, creatorOrders, adSpend, unsettledEstimates, settings, cogs, fixedCosts, creatorFees));
}

export function tiktokSkuProfit(
  start: unknown, end: unknown, view: unknown,
  orders: unknown, orderLines: unknown, settlements: unknown, returns: unknown, creatorOrders: unknown, adSpend: unknown,
  unsettledEstimates: unknown, settings: unknown, cogs: unknown, fixedCosts: unknown, creatorFees: unknown, productPerformance?: unknown,
): OutCell[][] {
  const tabs = engineTabs(orders, orderLines, settlements, returns, creatorOrders, adSpend, unsettledEstimates, settings, cogs, fixedCosts, creatorFees);
  tabs.product_performance = productPerformance;
  return skuProfitRange(start, end, view, tabs);
}

export function tiktokCreators(
  start: unknown, end: unknown, view: unknown,
  orders: unknown, orderLines: unknown, settlements: unknown, returns: unknown, creatorOrders: unknown, adSpend: unknown,
  unsettledEstimates: unknown, settings: unknown, cogs: unknown, fixedCosts: unknown, creatorFees: unknown,
): OutCell[][] {
  return creatorsRange(start, end, view, engineTabs(orders, orderLines, settlements, returns, creatorOrders, adSpend, unsettledEstimates, settings, cogs, fixedCosts, creatorFees));
}

export function tiktokCustomers(
  table: unknown, start: unknown, end: unknown, view: unknown,
  orders: unknown, orderLines: unknown, settlements: unknown, returns: unknown, creatorOrders: unknown, adSpend: unknown,
  unsettledEstimates: unknown, settings: unknown, cogs: unknown, fixedCosts: unknown, creatorFees: unknown,
): OutCell[][] {
  return customersRange(table, start, end, view, engineTabs(orders, orderLines, settlements, returns, creatorOrders, adSpend, unsettledEstimates, settings, cogs, fixedCosts, creatorFees));
}

export function tiktokPnl(
  start: unknown, end: unknown, view: unknown,
  orders: unknown, orderLines: unknown, settlements: unknown, returns: unknown, creatorOrders: unknown, adSpend: unknown,
  unsettledEstimates: unknown, settings: unknown, cogs: unknown, fixedCosts: unknown, creatorFees: unknown,
): OutCell[][] {
  return pnlRange(start, end, view, engineTabs(orders, orderLines, settlements, returns, creatorOrders, adSpend, unsettledEstimates, settings, cogs, fixedCosts, creatorFees));
}

export function tiktokMetric(
  metric: unknown, start: unknown, end: unknown, segment: unknown, view: unknown,
  orders: unknown, orderLines: unknown, settlements: unknown, returns: unknown, creatorOrders: unknown, adSpend: unknown,
  unsettledEstimates: unknown, settings: unknown, cogs: unknown, fixedCosts: unknown, creatorFees: unknown,
): OutCell {
  return metricValue(metric, start, end, segment, view, engineTabs(orders, orderLines, settlements, returns, creatorOrders, adSpend, unsettledEstimates, settings, cogs, fixedCosts, creatorFees));
}

export function tiktokReconciliation(
  start: unknown, end: unknown, grain: unknown,
  orders: unknown, orderLines: unknown, settlements: unknown, returns: unknown, creatorOrders: unknown, adSpend: unknown,
  unsettledEstimates: unknown, settings: unknown, cogs: unknown, fixedCosts: unknown, creatorFees: unknown,
  statements: unknown, payouts: unknown,
): OutCell[][] {
  const tabs = engineTabs(orders, orderLines, settlements, returns, creatorOrders, adSpend, unsettledEstimates, settings, cogs, fixedCosts, creatorFees);
  tabs.statements = statements;
  tabs.payouts = payouts;
  return reconciliationRange(start, end, grain, tabs);
}
