/**
 * SKU profit: which SKUs make money?
 *
 * Each order's margin is split over its lines exactly (lines.ts), so the CM3 of the SKUs
 * adds up to the CM3 of the orders. SKUs are ranked by CM3 dollars, then CM3 %, then GMV
 * (profit-model.md, "Products"), graded on a GMV × margin heat map, and given a consistency
 * measure (steady seller or viral spike) and, when analytics were imported, the product page
 * view rate against the healthy band.
 */
import type { OrderMargin } from '../margin-types';
import { formatAmount } from '../money';
import { addDays, daysBetween } from '../time';
import { splitOrdersToLines, type LineMargin } from './lines';
import {
  baseDefinitions, inRange, median, share, standardPeriods,
  type Column, type DayRange, type ReportInput, type ReportTable, type Row,
  moneyColumn,
} from './table';

export interface SkuOptions {
  /** Orders created in this range; default the last 30 days. */
  range?: DayRange;
}

/** Where a SKU sits on the heat map of GMV (vs the median SKU) and CM3 % (vs the target). */
export type SkuGrade = 'high GMV / good margin' | 'high GMV / low margin' | 'low GMV / good margin' | 'low GMV / low margin';

/** The grade of a SKU sold without a cost: not graded, not ranked, listed first. */
export const NO_COST_GRADE = 'no cost: add it on the COGS tab';

export type PageViewBand = 'below alert floor' | 'below healthy band' | 'healthy' | 'above healthy band';

/** Days of the consistency window. */
export const CONSISTENCY_DAYS = 28;

interface SkuTotals {
  sku: string;
  skuId: string;
  productId: string;
  productName: string;
  skuName: string;
  orders: Set<string>;
  units: number;
  returnedUnits: number;
  grossSales: number;
  netRevenue: number;
  cogs: number;
  platformFees: number;
  fulfilmentAndShipping: number;
  creatorCommission: number;
  adSpend: number;
  sampleCost: number;
  cm3: number;
  missingCogs: boolean;
  lines: number;
  estimatedLines: number;
}

function newTotals(l: LineMargin): SkuTotals {
  return {
    sku: l.sku, skuId: l.skuId, productId: l.productId, productName: l.productName, skuName: l.skuName,
    orders: new Set(), units: 0, returnedUnits: 0, grossSales: 0, netRevenue: 0, cogs: 0, platformFees: 0,
    fulfilmentAndShipping: 0, creatorCommission: 0, adSpend: 0, sampleCost: 0, cm3: 0, missingCogs: false,
    lines: 0, estimatedLines: 0,
  };
}

function addLine(t: SkuTotals, l: LineMargin): void {
  // Samples are marketing, not sales: their units and orders are not "sold", their cost is.
  if (!l.isSample) {
    t.orders.add(l.orderId);
    t.units += l.units;
    t.returnedUnits += l.returnedUnits;
  }
  t.grossSales += l.grossSales;
  t.netRevenue += l.netRevenue;
  t.cogs += l.cogs;
  t.platformFees += l.platformFees;
  t.fulfilmentAndShipping += l.fulfilmentAndShipping;
  t.creatorCommission += l.creatorCommission;
  t.adSpend += l.adSpend;
  t.sampleCost += l.sampleCost;
  t.cm3 += l.cm3;
  t.missingCogs ||= l.missingCogs;
  t.lines += 1;
  if (l.estimated) t.estimatedLines += 1;
}

/** CM3 desc, then CM3 % desc (undefined last), then GMV desc, then SKU for a stable order. */
export function compareSkus(
  a: { sku: string; cm3: number; netRevenue: number; grossSales: number },
  b: { sku: string; cm3: number; netRevenue: number; grossSales: number },
): number {
  if (a.cm3 !== b.cm3) return b.cm3 - a.cm3;
  // A SKU without net revenue has no margin rate: it goes after those that have one.
  if ((a.netRevenue === 0) !== (b.netRevenue === 0)) return a.netRevenue === 0 ? 1 : -1;
  if (a.netRevenue !== 0) {
    // Compare cm3/netRevenue exactly, cross-multiplied in BigInt: floats could tie two different rates.
    const diff = BigInt(b.cm3) * BigInt(a.netRevenue) - BigInt(a.cm3) * BigInt(b.netRevenue);
    const sign = Math.sign(a.netRevenue) * Math.sign(b.netRevenue);
    if (diff !== 0n) return (diff > 0n ? 1 : -1) * sign;
  }
  if (a.grossSales !== b.grossSales) return b.grossSales - a.grossSales;
  return a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0;
}

/**
 * Heat-map grade. High GMV = at or above the median SKU's GMV in the report; good margin =
 * CM3 / net revenue at or above the target (compared exactly in basis points). A SKU with no
 * net revenue has no margin rate and counts as low margin: it earns nothing.
 */
export function gradeSku(grossSales: number, cm3: number, netRevenue: number, medianGmv: number, targetCm3Bp: number): SkuGrade {
  const high = grossSales >= medianGmv;
  const good = netRevenue > 0 && cm3 * 10000 >= targetCm3Bp * netRevenue;
  return `${high ? 'high' : 'low'} GMV / ${good ? 'good' : 'low'} margin`;
}

/**
 * Coefficient of variation (population standard deviation / mean) of daily units; null when
 * the SKU sold nothing in the window (the mean is 0: the ratio is undefined, not 0).
 */
export function coefficientOfVariation(daily: readonly number[]): number | null {
  if (daily.length === 0) return null;
  let sum = 0;
  for (const x of daily) sum += x;
  if (sum === 0) return null;
  const mean = sum / daily.length;
  let sq = 0;
  for (const x of daily) sq += (x - mean) ** 2;
  return Math.sqrt(sq / daily.length) / mean;
}

export function pageViewBand(rate: number | null, t: { pageViewRateAlertBp: number; pageViewRateHealthyMinBp: number; pageViewRateHealthyMaxBp: number }): PageViewBand | null {
  if (rate === null) return null;
  if (rate * 10000 < t.pageViewRateAlertBp) return 'below alert floor';
  if (rate * 10000 < t.pageViewRateHealthyMinBp) return 'below healthy band';
  if (rate * 10000 > t.pageViewRateHealthyMaxBp) return 'above healthy band';
  return 'healthy';
}

const money = moneyColumn;

export const SKU_COLUMNS: Column[] = [
  { key: 'rank', label: 'Rank', format: 'integer', note: 'By CM3, then CM3 %, then GMV. SKUs sold without a cost have no rank: they are listed first, as work to do.' },
  { key: 'sku', label: 'SKU', format: 'text', note: 'Seller SKU (the COGS tab’s key), else TikTok SKU id.' },
  { key: 'skuId', label: 'TikTok SKU ID', format: 'text' },
  { key: 'productId', label: 'Product ID', format: 'text' },
  { key: 'productName', label: 'Product', format: 'text' },
  { key: 'skuName', label: 'Variant', format: 'text' },
  { key: 'orders', label: 'Orders', format: 'integer', note: 'Paid orders with a line of this SKU (samples not counted).' },
  { key: 'units', label: 'Units sold', format: 'integer' },
  { key: 'returnedUnits', label: 'Units returned', format: 'integer', note: 'Units that came back on completed returns.' },
  { key: 'returnRate', label: 'Return rate', format: 'percent', note: 'Units returned / units sold.' },
  money('grossSales', 'GMV (gross sales)'),
  money('netRevenue', 'Net revenue', 'Own line revenue after refunds, plus its share of shipping paid and order-level refunds.'),
  money('cogs', 'COGS'),
  money('platformFees', 'Platform fees'),
  money('fulfilmentAndShipping', 'Shipping and fulfilment'),
  money('creatorCommission', 'Creator commission'),
  money('adSpend', 'Ad spend'),
  money('sampleCost', 'Samples'),
  money('cm3', 'CM3 (contribution margin)'),
  { key: 'cm3Share', label: 'CM3 %', format: 'percent', note: 'CM3 / net revenue; empty when there is no net revenue.' },
  { key: 'grade', label: 'Heat map', format: 'text', note: 'GMV vs the median SKU, CM3 % vs the target in Settings; high GMV / low margin needs attention first.' },
  { key: 'consistency', label: `Consistency (CV of daily units, ${CONSISTENCY_DAYS} days)`, format: 'ratio', note: 'Lower is steadier; empty when nothing sold in the window.' },
  { key: 'pageViewRate', label: 'Product page view rate', format: 'percent', note: 'Page views / impressions of the product (analytics); empty without analytics.' },
  { key: 'pageViewBand', label: 'Page view rate band', format: 'text' },
  { key: 'missingCogs', label: 'Missing COGS', format: 'boolean', note: 'Some units had no cost in effect: their COGS is left out.' },
  { key: 'estimatedShare', label: 'Estimated share', format: 'percent', note: 'Share of this SKU’s lines on orders whose fees are still estimated.' },
];

/** Units sold per SKU per day over the window (non-sample, non-cancelled lines), from the order lines. */
function dailyUnits(input: ReportInput, window: { from: string; to: string }): Map<string, Map<string, number>> {
  const live = new Map<string, OrderMargin>();
  for (const o of input.margins.orders) {
    if (!o.isSample && o.status !== 'CANCELLED' && inRange(o.day, window)) live.set(o.orderId, o);
  }
  const out = new Map<string, Map<string, number>>();
  for (const l of input.data.lines) {
    const o = live.get(l.orderId);
    if (!o || l.cancelled) continue;
    const sku = l.sellerSku || l.skuId;
    let days = out.get(sku);
    if (!days) out.set(sku, (days = new Map()));
    days.set(o.day, (days.get(o.day) ?? 0) + l.quantity);
  }
  return out;
}

/** Page views / impressions per product over the range; null when no analytics record exists at all. */
function pageViewRates(input: ReportInput, range: { from: string; to: string }): Map<string, number | null> | null {
  if (input.data.productPerformance.length === 0) return null;
  const sums = new Map<string, { views: number; impressions: number }>();
  for (const p of input.data.productPerformance) {
    if (!inRange(p.date, range)) continue;
    let s = sums.get(p.productId);
    if (!s) sums.set(p.productId, (s = { views: 0, impressions: 0 }));
    s.views += p.pageViews;
    s.impressions += p.impressions;
  }
  const out = new Map<string, number | null>();
  for (const [id, s] of sums) out.set(id, share(s.views, s.impressions));
  return out;
}

export function skuReport(input: ReportInput, options: SkuOptions = {}): ReportTable {
  const { settings, margins } = input;
  const range = options.range ?? standardPeriods(margins.asOf, settings).find((p) => p.label === 'Last 30 days')!;
  const orders = margins.orders.filter((o) => inRange(o.day, range));
  const lines = splitOrdersToLines(input, orders);

  const bySku = new Map<string, SkuTotals>();
  for (const l of lines) {
    let t = bySku.get(l.sku);
    if (!t) bySku.set(l.sku, (t = newTotals(l)));
    addLine(t, l);
  }
  // The honest ranking: a SKU sold without a cost has a CM3 too high by its missing COGS, so it
  // is listed first, as work to do (largest GMV first), and never ranked among the profitable.
  const all = [...bySku.values()];
  const noCost = all.filter((s) => s.missingCogs).sort((a, b) => b.grossSales - a.grossSales || (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  const ranked = all.filter((s) => !s.missingCogs).sort(compareSkus);
  const skus = [...noCost, ...ranked];

  const definitions = baseDefinitions(input, 'accrual', orders);
  const medianGmv = median(skus.map((s) => s.grossSales));

  // Consistency window: the 28 days ending with the report's last day, but never before the
  // data begins — days before the first order are unknown, not days without sales.
  let windowFrom = addDays(range.to, -(CONSISTENCY_DAYS - 1));
  if (definitions.dataFrom !== null && definitions.dataFrom > windowFrom) windowFrom = definitions.dataFrom;
  const windowDays = daysBetween(windowFrom, range.to) + 1;
  const units = dailyUnits(input, { from: windowFrom, to: range.to });
  const rates = pageViewRates(input, range);

  const rows: Row[] = skus.map((s, i) => {
    const perDay = units.get(s.sku);
    const daily: number[] = [];
    for (let d = windowFrom, k = 0; k < windowDays; d = addDays(d, 1), k++) daily.push(perDay?.get(d) ?? 0);
    const rate = rates === null ? null : rates.get(s.productId) ?? null;
    return {
      rank: s.missingCogs ? null : i + 1 - noCost.length,
      sku: s.sku, skuId: s.skuId, productId: s.productId, productName: s.productName, skuName: s.skuName,
      orders: s.orders.size,
      units: s.units,
      returnedUnits: s.returnedUnits,
      returnRate: share(s.returnedUnits, s.units),
      grossSales: s.grossSales,
      netRevenue: s.netRevenue,
      cogs: s.cogs,
      platformFees: s.platformFees,
      fulfilmentAndShipping: s.fulfilmentAndShipping,
      creatorCommission: s.creatorCommission,
      adSpend: s.adSpend,
      sampleCost: s.sampleCost,
      cm3: s.cm3,
      cm3Share: share(s.cm3, s.netRevenue),
      grade: s.missingCogs ? NO_COST_GRADE : gradeSku(s.grossSales, s.cm3, s.netRevenue, medianGmv ?? 0, settings.thresholds.targetCm3Bp),
      consistency: windowDays >= 2 ? coefficientOfVariation(daily) : null,
      pageViewRate: rate,
      pageViewBand: pageViewBand(rate, settings.thresholds),
      missingCogs: s.missingCogs,
      estimatedShare: share(s.estimatedLines, s.lines),
    };
  });

  const t = settings.thresholds;
  const pct = (bp: number) => `${bp / 100}%`;
  definitions.notes.push(
    `Orders created ${range.from} to ${range.to} (${range.label}).`,
    'Order-level amounts (shipping paid, order-level refunds, fees, shipping, commission, ads, samples) are split over the order’s lines by each line’s own net product revenue (by units when no line has revenue), largest remainder, lines in line-id order; line revenue and COGS are the line’s own. SKU CM3 adds up to order CM3.',
    `Heat map: high GMV = at or above the median SKU (${medianGmv === null ? '—' : `${formatAmount(Math.round(medianGmv), settings.currency)} ${settings.currency}`}); good margin = CM3 % at or above the ${pct(t.targetCm3Bp)} target; no net revenue counts as low margin.`,
    `Consistency: coefficient of variation of daily units sold, ${windowFrom} to ${range.to}${windowDays < CONSISTENCY_DAYS ? ` (only ${windowDays} days: the data starts ${windowFrom})` : ''}; empty when the SKU sold nothing in the window${windowDays < 2 ? ' or the window is under 2 days' : ''}.`,
    rates === null
      ? 'Product page view rate: no analytics records imported, so it is not shown.'
      : `Product page view rate: per product over the period; healthy ${pct(t.pageViewRateHealthyMinBp)}–${pct(t.pageViewRateHealthyMaxBp)}, below ${pct(t.pageViewRateAlertBp)} is an alert.`,
    'Samples: their cost is in the SKU’s CM3; their units and orders are not counted as sold.',
  );
  if (noCost.length > 0) {
    definitions.notes.push(`${noCost.length} SKU${noCost.length === 1 ? ' was' : 's were'} sold without a cost: listed first and not ranked, since their CM3 leaves their COGS out. Add the cost on the COGS tab.`);
  }
  return { id: 'sku_profit', title: 'SKU profit', definitions, columns: SKU_COLUMNS, rows };
}
