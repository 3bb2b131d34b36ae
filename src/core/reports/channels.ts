/**
 * Channels: which traffic sources pay? GMV against CM3 per source.
 *
 * Two kinds of figure live here and must not be confused, so every row says which it is:
 * - order-level: sums of order margins, each order in exactly one channel — affiliate orders
 *   by the content type of the creator credited with the order (LIVE, VIDEO, showcase, …),
 *   the shop's own orders (no creator), and samples sent to creators. These rows add up to
 *   the total of all orders, CM3 included.
 * - day-level: figures TikTok only gives per shop day, not per order — ad spend, and the
 *   analytics split of shop GMV into LIVE / VIDEO / product card. They overlap the
 *   order-level rows (the same sales seen another way) and are never added to them.
 */
import type { OrderMargin } from '../margin-types';
import type { AffiliateContentType, CreatorOrderLine } from '../records';
import { formatAmount } from '../money';
import { addDays, daysBetween } from '../time';
import { allocationText } from './profit';
import {
  baseDefinitions, emptyTotals, addOrder, inRange, share, standardPeriods,
  type Column, type DayRange, type OrderTotals, type ReportInput, type ReportTable, type Row,
} from './table';
import { groupBy } from '../group';

export interface ChannelOptions {
  /** Orders created (and analytics days) in this range; default the last 30 days. */
  range?: DayRange;
}

export interface ChannelReport {
  channels: ReportTable;
  /** Shop analytics GMV by traffic type per day (empty when no analytics were imported). */
  analyticsByDay: ReportTable;
}

export type ChannelLevel = 'order-level' | 'day-level';

const AFFILIATE_LABELS: Readonly<Record<AffiliateContentType, string>> = {
  LIVE: 'Affiliate LIVE',
  VIDEO: 'Affiliate video',
  SHOP: 'Affiliate showcase',
  PRE_LIVE: 'Affiliate pre-LIVE',
  PROMOTION_PAGE: 'Affiliate promotion page',
  LINKSHARE: 'Affiliate link share',
};
/** Always shown (the main formats); the rarer content types only when they have orders. */
const MAIN_AFFILIATE: readonly AffiliateContentType[] = ['LIVE', 'VIDEO', 'SHOP'];
const OTHER_AFFILIATE: readonly AffiliateContentType[] = ['PRE_LIVE', 'PROMOTION_PAGE', 'LINKSHARE'];

const SHOP_OWN = 'Shop’s own (no creator)';
const SAMPLES = 'Samples sent to creators';
const TOTAL = 'All orders';

const ANALYTICS_TYPES = ['LIVE', 'VIDEO', 'PRODUCT_CARD'] as const;
const ANALYTICS_LABELS: Readonly<Record<(typeof ANALYTICS_TYPES)[number], string>> = {
  LIVE: 'Shop analytics: LIVE',
  VIDEO: 'Shop analytics: video',
  PRODUCT_CARD: 'Shop analytics: product card',
};

export const CHANNEL_COLUMNS: Column[] = [
  { key: 'channel', label: 'Channel', format: 'text' },
  { key: 'level', label: 'Level', format: 'text', note: 'order-level rows add up to all orders; day-level rows are per-day figures that overlap them.' },
  { key: 'source', label: 'From', format: 'text' },
  { key: 'orders', label: 'Orders', format: 'integer' },
  { key: 'grossSales', label: 'GMV', format: 'money' },
  { key: 'gmvShare', label: 'Share of GMV', format: 'percent', note: 'Of all orders (order-level rows) or of analytics GMV (analytics rows).' },
  { key: 'netRevenue', label: 'Net revenue', format: 'money' },
  { key: 'creatorCommission', label: 'Creator commission', format: 'money' },
  { key: 'adSpend', label: 'Ad spend', format: 'money', note: 'Order-level: allocated to the orders. Paid ads row: all spend of the days, unallocated included.' },
  { key: 'sampleCost', label: 'Samples', format: 'money' },
  { key: 'cm3', label: 'CM3 (contribution margin)', format: 'money' },
  { key: 'cm3Share', label: 'CM3 %', format: 'percent', note: 'CM3 / net revenue.' },
];

/**
 * Content type of an affiliate order: that of the credited creator's lines on it (the one with
 * the largest commission base if they differ, ties to the earlier name).
 */
function contentTypeOf(o: OrderMargin, lines: readonly CreatorOrderLine[]): AffiliateContentType | null {
  const base = new Map<AffiliateContentType, number>();
  for (const l of lines) {
    if (l.creatorUsername !== o.creator) continue;
    base.set(l.contentType, (base.get(l.contentType) ?? 0) + l.estimatedCommissionBase);
  }
  let best: AffiliateContentType | null = null;
  for (const [type, b] of base) {
    if (best === null || b > base.get(best)! || (b === base.get(best)! && type < best)) best = type;
  }
  return best;
}

/** The channel an order belongs to (one per order, so the order-level rows add up). */
export function channelOf(o: OrderMargin, creatorLines: readonly CreatorOrderLine[]): string {
  if (o.isSample) return SAMPLES;
  if (o.creator === null) return SHOP_OWN;
  const type = contentTypeOf(o, creatorLines);
  return type === null ? 'Affiliate (content type unknown)' : AFFILIATE_LABELS[type];
}

function orderRow(channel: string, source: string, t: OrderTotals, totalGmv: number): Row {
  return {
    channel, level: 'order-level', source, orders: t.orders, grossSales: t.grossSales, gmvShare: share(t.grossSales, totalGmv),
    netRevenue: t.netRevenue, creatorCommission: t.creatorCommission, adSpend: t.adSpend, sampleCost: t.sampleCost,
    cm3: t.cm3, cm3Share: share(t.cm3, t.netRevenue),
  };
}

function dayRow(channel: string, source: string, cells: Partial<Row>): Row {
  return {
    channel, level: 'day-level', source, orders: null, grossSales: null, gmvShare: null, netRevenue: null,
    creatorCommission: null, adSpend: null, sampleCost: null, cm3: null, cm3Share: null, ...cells,
  };
}

export function channelReport(input: ReportInput, options: ChannelOptions = {}): ChannelReport {
  const { data, settings, margins } = input;
  const range = options.range ?? standardPeriods(margins.asOf, settings).find((p) => p.label === 'Last 30 days')!;
  const orders = margins.orders.filter((o) => inRange(o.day, range));

  const creatorLines = groupBy(data.creatorOrders, (l) => l.orderId);
  const byChannel = new Map<string, OrderTotals>();
  const total = emptyTotals();
  for (const o of orders) {
    const channel = channelOf(o, creatorLines.get(o.orderId) ?? []);
    let t = byChannel.get(channel);
    if (!t) byChannel.set(channel, (t = emptyTotals()));
    addOrder(t, o);
    addOrder(total, o);
  }

  const rows: Row[] = [];
  const affiliateSource = 'creator order lines (content type of the credited creator)';
  for (const type of MAIN_AFFILIATE) rows.push(orderRow(AFFILIATE_LABELS[type], affiliateSource, byChannel.get(AFFILIATE_LABELS[type]) ?? emptyTotals(), total.grossSales));
  for (const type of OTHER_AFFILIATE) {
    const t = byChannel.get(AFFILIATE_LABELS[type]);
    if (t) rows.push(orderRow(AFFILIATE_LABELS[type], affiliateSource, t, total.grossSales));
  }
  const unknown = byChannel.get('Affiliate (content type unknown)');
  if (unknown) rows.push(orderRow('Affiliate (content type unknown)', affiliateSource, unknown, total.grossSales));
  rows.push(orderRow(SHOP_OWN, 'orders with no creator order line', byChannel.get(SHOP_OWN) ?? emptyTotals(), total.grossSales));
  rows.push(orderRow(SAMPLES, 'sample orders (creator marketing)', byChannel.get(SAMPLES) ?? emptyTotals(), total.grossSales));
  rows.push(orderRow(TOTAL, 'order margins', total, total.grossSales));

  // Paid: spend is known per day, the GMV it drove is not in the data (no GMV Max attribution import).
  let adSpend = 0;
  let unallocated = 0;
  for (const d of margins.days) {
    if (!inRange(d.day, range)) continue;
    adSpend += d.adSpend;
    unallocated += d.unallocatedAdSpend;
  }
  rows.push(dayRow('Paid ads', 'ad spend (Marketing API and GMV payment for ads)', { adSpend }));

  const analytics = data.shopPerformance.filter((p) => inRange(p.date, range)).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const analyticsGmv = analytics.reduce((s, p) => s + p.gmv, 0);
  if (analytics.length > 0) {
    for (const type of ANALYTICS_TYPES) {
      const gmv = analytics.reduce((s, p) => s + (p.gmvByType[type] ?? 0), 0);
      rows.push(dayRow(ANALYTICS_LABELS[type], 'shop analytics (per day)', { grossSales: gmv, gmvShare: share(gmv, analyticsGmv) }));
    }
    rows.push(dayRow('Shop analytics: all', 'shop analytics (per day)', {
      orders: analytics.reduce((s, p) => s + p.orders, 0), grossSales: analyticsGmv, gmvShare: share(analyticsGmv, analyticsGmv),
    }));
  }

  const definitions = baseDefinitions(input, 'accrual', orders);
  definitions.notes.push(
    `Orders created ${range.from} to ${range.to} (${range.label}).`,
    'Affiliate orders are in the channel of the content type of the creator credited with the order (largest commission base). Orders with no creator are the shop’s own; TikTok does not say per order whether they came from the shop’s own LIVE, video or product card.',
    'Order-level rows add up to “All orders”. Day-level rows (paid ads, shop analytics) overlap them and are not added.',
    `Paid ads: ${formatAmount(unallocated, settings.currency)} ${settings.currency} of the spend found no order and are unallocated; the rest is already inside the order-level CM3 (allocated ${allocationText(settings.allocationMethod)}). The GMV ads drove is not in the data.`,
    analytics.length > 0
      ? 'Shop analytics split shop GMV into LIVE, video and product card per day; see the daily table.'
      : 'No shop analytics imported: the LIVE / video / product card split of shop GMV is not shown.',
  );

  // One row per day of the range, so a stacked chart has no gaps.
  const byDate = new Map(analytics.map((p) => [p.date, p]));
  const dailyRows: Row[] = [];
  if (analytics.length > 0 && daysBetween(range.from, range.to) >= 0) {
    for (let d = range.from; d <= range.to; d = addDays(d, 1)) {
      const p = byDate.get(d);
      const typed = p ? ANALYTICS_TYPES.reduce((s, t) => s + (p.gmvByType[t] ?? 0), 0) : 0;
      dailyRows.push({
        day: d,
        LIVE: p ? p.gmvByType.LIVE ?? 0 : null,
        VIDEO: p ? p.gmvByType.VIDEO ?? 0 : null,
        PRODUCT_CARD: p ? p.gmvByType.PRODUCT_CARD ?? 0 : null,
        other: p ? p.gmv - typed : null,
        gmv: p ? p.gmv : null,
        orders: p ? p.orders : null,
      });
    }
  }
  const dailyDefinitions = baseDefinitions(input, 'accrual', orders);
  dailyDefinitions.notes.push(
    'Day-level: TikTok’s shop analytics, not order margins; GMV as the analytics count it.',
    'Empty cells: no analytics record for that day.',
  );

  return {
    channels: { id: 'channels', title: 'Channels', definitions, columns: CHANNEL_COLUMNS, rows },
    analyticsByDay: {
      id: 'channels_analytics_daily',
      title: 'Shop GMV by traffic type (analytics, per day)',
      definitions: dailyDefinitions,
      columns: [
        { key: 'day', label: 'Day', format: 'day' },
        { key: 'LIVE', label: 'LIVE', format: 'money' },
        { key: 'VIDEO', label: 'Video', format: 'money' },
        { key: 'PRODUCT_CARD', label: 'Product card', format: 'money' },
        { key: 'other', label: 'Not split by type', format: 'money', note: 'Shop GMV − the three types.' },
        { key: 'gmv', label: 'Shop GMV', format: 'money' },
        { key: 'orders', label: 'Orders', format: 'integer' },
      ],
      rows: dailyRows,
    },
  };
}
