/**
 * The shape every report has: a table the sheets write as values, a custom function returns
 * as a 2-D range, and a future BigQuery export reads, plus the definitions it was made with,
 * so a manager reading the tab knows how each number was made.
 */
import type { MarginResult } from '../margin';
import type { OrderMargin } from '../margin-types';
import type { ShopData } from '../records';
import type { AllocationMethod, Settings } from '../settings';
import { addDays, dayKey, weekKey } from '../time';

/** How a column is shown. Money cells hold integer minor units of `definitions.currency`. */
export type ColumnFormat = 'text' | 'integer' | 'money' | 'percent' | 'ratio' | 'day' | 'boolean';

export interface Column {
  key: string;
  label: string;
  format: ColumnFormat;
  /** One sentence a manager can read: what the number is. */
  note?: string;
}

/** A money column (minor units of the shop currency), with its definition when given. */
export function moneyColumn(key: string, label: string, note?: string): Column {
  return { key, label, format: 'money', ...(note ? { note } : {}) };
}

/** A cell: minor units for money, a share 0..1 for percent (null when undefined, e.g. 0/0). */
export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

export interface ReportDefinitions {
  view: 'accrual' | 'cash';
  allocationMethod: AllocationMethod;
  currency: string;
  timezone: string;
  /** The run's clock (Unix seconds) and its shop day. */
  asOf: number;
  asOfDay: string;
  /** First and last shop day with a paid order: how far back the data reaches. */
  dataFrom: string | null;
  dataTo: string | null;
  /** Share of the report's orders whose fees are still estimated (0..1; null with no orders). */
  estimatedShare: number | null;
  /** Anything else the reader must know (thresholds used, cohorts left out as too young…). */
  notes: string[];
  /**
   * Sold SKUs with no cost in effect among the report's orders: their COGS counts 0, so every
   * figure that includes COGS is too high. Absent or null = every unit sold had a cost.
   */
  cogsIncomplete?: CogsGap | null;
}

/** Units sold without a cost: how many SKUs, what share of the units sold. */
export interface CogsGap {
  skus: number;
  /** Units of those SKUs / all units sold (0..1). */
  unitShare: number;
}

export interface ReportTable {
  id: string;
  title: string;
  definitions: ReportDefinitions;
  columns: Column[];
  rows: Row[];
}

/** What every report takes: the records, the settings, the engine's result (computed once). */
export interface ReportInput {
  data: ShopData;
  settings: Settings;
  margins: MarginResult;
}

/** An inclusive range of shop days. */
export interface DayRange {
  label: string;
  from: string;
  to: string;
}

/** Today, week to date, month to date, last 7 and last 30 days, as of the run's shop day. */
export function standardPeriods(asOf: number, settings: Settings): DayRange[] {
  const today = dayKey(asOf, settings.timezone);
  return [
    { label: 'Today', from: today, to: today },
    { label: 'Week to date', from: weekKey(today, settings.weekStart), to: today },
    { label: 'Month to date', from: `${today.slice(0, 7)}-01`, to: today },
    { label: 'Last 7 days', from: addDays(today, -6), to: today },
    { label: 'Last 30 days', from: addDays(today, -29), to: today },
  ];
}

export function inRange(day: string, range: { from: string; to: string }): boolean {
  return day >= range.from && day <= range.to;
}

/**
 * Median of the values (mean of the two middle ones for an even count, which may end in .5:
 * an integer amount compared against it with ≥ gives the same answer as against the
 * rounded-up value); null for none.
 */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Share as a plain ratio for display; null when the denominator is 0 (never a fake 0%). */
export function share(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

/** Definitions common to every report; callers add notes and the estimated share of their own rows. */
export function baseDefinitions(input: ReportInput, view: 'accrual' | 'cash', orders: readonly OrderMargin[] = input.margins.orders): ReportDefinitions {
  const { settings, margins } = input;
  let from: string | null = null;
  let to: string | null = null;
  for (const o of margins.orders) {
    if (from === null || o.day < from) from = o.day;
    if (to === null || o.day > to) to = o.day;
  }
  return {
    view,
    allocationMethod: settings.allocationMethod,
    currency: settings.currency,
    timezone: settings.timezone,
    asOf: margins.asOf,
    asOfDay: dayKey(margins.asOf, settings.timezone),
    dataFrom: from,
    dataTo: to,
    estimatedShare: estimatedShareOf(orders),
    notes: [],
    cogsIncomplete: cogsCoverage(input, orders).gap,
  };
}

export interface CogsCoverage {
  unitsSold: number;
  unitsWithCost: number;
  /** Units with a cost / units sold; null with no units. */
  coverage: number | null;
  /** SKUs sold without a cost, sorted. */
  skusWithoutCost: string[];
  gap: CogsGap | null;
}

const linesByOrderCache = new WeakMap<object, Map<string, ShopData['lines']>>();

function linesByOrder(data: ShopData): Map<string, ShopData['lines']> {
  let m = linesByOrderCache.get(data.lines);
  if (!m) {
    m = new Map();
    for (const l of data.lines) {
      const list = m.get(l.orderId);
      if (list) list.push(l);
      else m.set(l.orderId, [l]);
    }
    linesByOrderCache.set(data.lines, m);
  }
  return m;
}

/**
 * Units sold (lines of paid orders, not cancelled, not samples) and how many had a cost in effect
 * on their order day. A line's units lack a cost exactly when its SKU is in its order's
 * missingCogsSkus (the engine's own verdict, per order day).
 */
export function cogsCoverage(input: ReportInput, orders: readonly OrderMargin[]): CogsCoverage {
  const byOrder = linesByOrder(input.data);
  let sold = 0;
  let withCost = 0;
  const missing = new Set<string>();
  for (const o of orders) {
    if (o.isSample || o.status === 'CANCELLED') continue;
    const lines = byOrder.get(o.orderId) ?? [];
    for (const l of lines) {
      if (l.cancelled) continue;
      sold += l.quantity;
      const sku = l.sellerSku || l.skuId;
      if (o.missingCogsSkus.length > 0 && o.missingCogsSkus.includes(sku)) missing.add(sku);
      else withCost += l.quantity;
    }
  }
  const coverage = share(withCost, sold);
  return {
    unitsSold: sold,
    unitsWithCost: withCost,
    coverage,
    skusWithoutCost: [...missing].sort(),
    gap: missing.size === 0 ? null : { skus: missing.size, unitShare: sold === 0 ? 0 : (sold - withCost) / sold },
  };
}

/** "COGS incomplete: 2 SKUs, 3.4% of units" beside a figure that includes COGS; '' when complete. */
export function cogsGapText(gap: CogsGap | null | undefined): string {
  if (!gap) return '';
  return `COGS incomplete: ${gap.skus} SKU${gap.skus === 1 ? '' : 's'}, ${(gap.unitShare * 100).toFixed(1)}% of units`;
}

/**
 * Share of the orders that carry fees (not samples, not cancelled) whose fees are still
 * estimated (TikTok estimate, trailing rate or rate card). Samples and cancelled orders can
 * never be estimated, so counting them would make a period look more settled than it is.
 */
export function estimatedShareOf(orders: readonly OrderMargin[]): number | null {
  let estimated = 0;
  let withFees = 0;
  for (const o of orders) {
    if (o.isSample || o.status === 'CANCELLED') continue;
    withFees += 1;
    if (isEstimated(o)) estimated += 1;
  }
  return share(estimated, withFees);
}

export function isEstimated(o: OrderMargin): boolean {
  return o.basis === 'tiktok_estimate' || o.basis === 'trailing_rate' || o.basis === 'rate_card';
}

/**
 * Sums of an order group: the one aggregation every report uses, so "CM3 of a SKU" and
 * "CM3 of a creator" are the same sum over different groups.
 */
export interface OrderTotals {
  orders: number;
  units: number;
  grossSales: number;
  netRevenue: number;
  refunds: number;
  cogs: number;
  cm1: number;
  platformFees: number;
  fulfilmentAndShipping: number;
  creatorCommission: number;
  cm2: number;
  adSpend: number;
  sampleCost: number;
  marketing: number;
  cm3: number;
  estimatedOrders: number;
}

export function emptyTotals(): OrderTotals {
  return {
    orders: 0, units: 0, grossSales: 0, netRevenue: 0, refunds: 0, cogs: 0, cm1: 0, platformFees: 0,
    fulfilmentAndShipping: 0, creatorCommission: 0, cm2: 0, adSpend: 0, sampleCost: 0, marketing: 0, cm3: 0, estimatedOrders: 0,
  };
}

export function addOrder(t: OrderTotals, o: OrderMargin): void {
  t.orders += 1;
  t.units += o.units;
  t.grossSales += o.grossSales;
  t.netRevenue += o.netRevenue;
  t.refunds += o.refunds;
  t.cogs += o.cogs;
  t.cm1 += o.cm1;
  t.platformFees += o.platformFees;
  t.fulfilmentAndShipping += o.fulfilmentAndShipping;
  t.creatorCommission += o.creatorCommission;
  t.cm2 += o.cm2;
  t.adSpend += o.adSpend;
  t.sampleCost += o.sampleCost;
  t.marketing += o.marketing;
  t.cm3 += o.cm3;
  if (isEstimated(o)) t.estimatedOrders += 1;
}

/** Groups orders by a key (null = left out) and sums each group. */
export function totalsBy(orders: readonly OrderMargin[], key: (o: OrderMargin) => string | null): Map<string, OrderTotals> {
  const out = new Map<string, OrderTotals>();
  for (const o of orders) {
    const k = key(o);
    if (k === null) continue;
    let t = out.get(k);
    if (!t) out.set(k, (t = emptyTotals()));
    addOrder(t, o);
  }
  return out;
}
