/**
 * Creators: which creators make money, and which bring buyers who come back?
 *
 * One row per creator credited with an order (OrderMargin.creator: the affiliate creator with
 * the largest commission base, or the creator who asked for a sample), or paid a flat fee, or
 * promoted by a linked ad campaign in the range. Every order amount is the engine's, summed
 * with `totalsBy`, so a creator's CM3 is the same sum as a SKU's over a different group.
 *
 * Conventions (also in the report's notes):
 * - Creator CM3 = Σ CM3 of the creator's orders (their share of the shop's ad spend under the
 *   allocation method and their sample costs included) − their flat fees.
 * - Linked ad support (spend of campaigns mapped to the creator) is shown but NOT subtracted:
 *   that spend is already in the shop's ad pool, which the allocation method spreads over the
 *   day's orders (the creator's orders get their share inside order CM3); subtracting it again
 *   would count it twice. "CM3 with linked ads instead" shows the alternative reading: the
 *   creator's orders carry the linked spend instead of their share of the shop's ads.
 */
import { creatorDataNotes } from '../data-notes';
import type { OrderMargin } from '../margin-types';
import { boughtAgainWithin, DAY_SECONDS, isPurchase, purchasesByBuyer, returnedUnitsByOrder } from './buyers';
import {
  addOrder, baseDefinitions, emptyTotals, inRange, median, share,
  type Column, type DayRange, type OrderTotals, type ReportInput, type ReportTable, type Row,
} from './table';

export const CREATOR_GROUPS = ['Scale', 'Fix terms', 'Grow', 'Cut'] as const;
export type CreatorGroup = (typeof CREATOR_GROUPS)[number];

/** Days after a creator's order within which a buyer must buy again to count as a repeat buyer. */
export const CREATOR_REPEAT_DAYS = 30;

export interface CreatorsOptions {
  /** Shop days whose orders, flat fees and linked ad days count; default all the data. */
  range?: DayRange;
}

const COLUMNS: Column[] = [
  { key: 'creator', label: 'Creator', format: 'text' },
  { key: 'group', label: 'Group', format: 'text', note: 'Scale (high GMV, good margin), Fix terms (high GMV, poor margin), Grow (low GMV, good margin), Cut (low GMV, poor margin).' },
  { key: 'orders', label: 'Orders', format: 'integer', note: 'Paid orders credited to the creator (cancelled ones included), samples not.' },
  { key: 'gmv', label: 'GMV', format: 'money', note: 'Σ original price of the lines of their orders, before any discount.' },
  { key: 'netRevenue', label: 'Net revenue', format: 'money', note: 'After seller discounts and refunds, plus shipping the customer paid.' },
  { key: 'refunds', label: 'Refunds', format: 'money', note: 'Refunded product amount net of its seller discount (completed refunds).' },
  { key: 'unitsSold', label: 'Units sold', format: 'integer' },
  { key: 'returnedUnits', label: 'Returned units', format: 'integer', note: 'Units on completed returns of their orders.' },
  { key: 'returnRate', label: 'Return rate', format: 'percent', note: 'Returned units / units sold.' },
  { key: 'headlineCommissionRate', label: 'Headline commission rate', format: 'percent', note: 'Estimated commission / estimated commission base of their affiliate order lines: the rate agreed.' },
  { key: 'commissionEstimated', label: 'Commission (estimated)', format: 'money', note: 'Σ estimated commission + shop-ads commission + co-funded bonus of the affiliate lines of their orders.' },
  { key: 'commissionSettled', label: 'Commission (settled)', format: 'money', note: 'Commission components on the statements of their settled orders.' },
  { key: 'commission', label: 'Commission (in margin)', format: 'money', note: 'Settled where settled, estimated otherwise: what CM3 subtracts.' },
  { key: 'commissionShare', label: 'Commission % of net revenue', format: 'percent' },
  { key: 'samples', label: 'Samples', format: 'integer', note: 'Sample orders sent at their request.' },
  { key: 'sampleCost', label: 'Sample cost', format: 'money', note: 'Product, shipping and own costs of their samples (and sample shipping fees on their orders).' },
  { key: 'flatFees', label: 'Flat fees', format: 'money', note: 'Flat fees paid to the creator, as entered by the seller.' },
  { key: 'totalCostShare', label: 'Total cost % of net revenue', format: 'percent', note: '(Commission + platform fees + shipping and fulfilment + samples + flat fees) / net revenue: what selling through the creator really costs, beyond product cost and ads.' },
  { key: 'adSpendAllocated', label: 'Shop ads on their orders', format: 'money', note: 'Their orders\' share of the shop\'s ad spend under the allocation method (inside CM3).' },
  { key: 'linkedAdSupport', label: 'Linked ad support', format: 'money', note: 'Spend of campaigns mapped to the creator on days in the range (advertiser day). Shown, not subtracted again: it is already in the shop\'s ad spend.' },
  { key: 'cm3', label: 'CM3', format: 'money', note: 'Σ CM3 of their orders (samples and allocated ads included) − flat fees.' },
  { key: 'cm3Share', label: 'CM3 %', format: 'percent', note: 'CM3 / net revenue; empty without net revenue.' },
  { key: 'cm3WithLinkedAds', label: 'CM3 with linked ads instead', format: 'money', note: 'CM3 + shop ads on their orders − linked ad support: as if their orders carried only the ads that promote them.' },
  { key: 'buyers', label: 'Buyers', format: 'integer', note: 'Distinct buyers of their paid, non-cancelled orders.' },
  { key: 'newBuyers', label: 'New buyers', format: 'integer', note: 'Buyers whose first order in the data came through this creator.' },
  { key: 'repeatEligibleBuyers', label: 'Buyers 30+ days old', format: 'integer', note: 'Buyers of the period whose first order through the creator (over all the data, so it may predate the period) is at least 30 days before the run.' },
  { key: 'repeatBuyers30', label: 'Bought again in 30 days', format: 'integer' },
  { key: 'repeatRate30', label: 'Repeat rate (30 days)', format: 'percent', note: 'Of the buyers 30+ days old, the share with another paid, non-cancelled order (any source) within 30 days of their first order through the creator.' },
  { key: 'estimatedShare', label: 'Estimated share', format: 'percent', note: 'Share of their orders whose fees are still estimated.' },
];

interface CreatorAcc {
  totals: OrderTotals;
  samples: number;
  sampleCost: number;
  /** Σ CM3 of their sample orders (minus their costs: samples have no sales). */
  sampleOrdersCm3: number;
  returnedUnits: number;
  commissionSettled: number;
  commissionEstimated: number;
  commissionBase: number;
  flatFees: number;
  linkedAdSupport: number;
  orders: OrderMargin[];
}

export function creatorsReport(input: ReportInput, options: CreatorsOptions = {}): ReportTable {
  const { data, settings, margins } = input;
  const range = options.range;
  const inScope = (day: string) => !range || inRange(day, range);
  const returned = returnedUnitsByOrder(data);

  const accs = new Map<string, CreatorAcc>();
  const acc = (creator: string): CreatorAcc => {
    let a = accs.get(creator);
    if (!a) {
      a = {
        totals: emptyTotals(), samples: 0, sampleCost: 0, sampleOrdersCm3: 0, returnedUnits: 0, commissionSettled: 0, commissionEstimated: 0,
        commissionBase: 0, flatFees: 0, linkedAdSupport: 0, orders: [],
      };
      accs.set(creator, a);
    }
    return a;
  };

  const creditedTo = new Map<string, string>();
  const scopeOrders: OrderMargin[] = [];
  for (const o of margins.orders) {
    if (o.creator === null || !inScope(o.day)) continue;
    scopeOrders.push(o);
    const a = acc(o.creator);
    // A sample's costs are all in sampleCost; its zero sales must not count as an attributed order.
    a.sampleCost += o.sampleCost;
    if (o.isSample) {
      a.samples += 1;
      a.sampleOrdersCm3 += o.cm3;
      continue;
    }
    addOrder(a.totals, o);
    a.orders.push(o);
    a.returnedUnits += returned.get(o.orderId) ?? 0;
    if (o.basis === 'settled') a.commissionSettled += o.creatorCommission;
    creditedTo.set(o.orderId, o.creator);
  }
  // Every affiliate line of a credited order counts for the credited creator: the order's CM3
  // carries the whole order's commission, so the creator's commission columns must too.
  for (const c of data.creatorOrders) {
    const creator = creditedTo.get(c.orderId);
    if (creator === undefined) continue;
    const a = acc(creator);
    a.commissionEstimated += c.estimatedCommission + c.estimatedShopAdsCommission + c.estimatedCofundedBonus;
    a.commissionBase += c.estimatedCommissionBase;
  }
  for (const f of data.creatorFees) if (inScope(f.date)) acc(f.creatorUsername).flatFees += f.amount;
  for (const s of data.adSpend) {
    if (s.creatorUsername !== null && inScope(s.date)) acc(s.creatorUsername).linkedAdSupport += s.spend;
  }

  // Repeat buying is measured over all the data (a buyer may come back after the range ends).
  const purchases = purchasesByBuyer(margins.orders);
  const firstEverVia = new Map<string, OrderMargin>();
  for (const o of margins.orders) {
    if (o.creator === null || !isPurchase(o)) continue;
    const key = `${o.creator}\u0000${o.buyerId}`;
    const prev = firstEverVia.get(key);
    if (!prev || o.createTime < prev.createTime || (o.createTime === prev.createTime && o.orderId < prev.orderId)) firstEverVia.set(key, o);
  }
  const matureBefore = margins.asOf - CREATOR_REPEAT_DAYS * DAY_SECONDS;

  const rows: Row[] = [];
  for (const [creator, a] of accs) {
    const t = a.totals;
    const firstViaCreator = new Map<string, OrderMargin>();
    let newBuyers = 0;
    for (const o of a.orders) {
      if (!isPurchase(o)) continue;
      const prev = firstViaCreator.get(o.buyerId);
      if (!prev || o.createTime < prev.createTime || (o.createTime === prev.createTime && o.orderId < prev.orderId)) firstViaCreator.set(o.buyerId, o);
      if (o.isFirstOrder) newBuyers += 1;
    }
    let eligible = 0;
    let repeat = 0;
    // Each buyer's whole history with the creator: the first order through them may predate the
    // range (otherwise a 30-day tab could never hold a buyer 30 days old).
    for (const [buyer, inRangeFirst] of firstViaCreator) {
      const first = firstEverVia.get(`${creator}\u0000${buyer}`) ?? inRangeFirst;
      if (first.createTime > matureBefore) continue;
      eligible += 1;
      if (boughtAgainWithin(purchases.get(buyer) ?? [], first, CREATOR_REPEAT_DAYS)) repeat += 1;
    }
    // Σ CM3 of every credited order, samples included (they are kept out of `totals`, which counts sales).
    const cm3 = t.cm3 + a.sampleOrdersCm3 - a.flatFees;
    const sellingCost = t.creatorCommission + t.platformFees + t.fulfilmentAndShipping + a.sampleCost + a.flatFees;
    rows.push({
      creator,
      group: null,
      orders: t.orders,
      gmv: t.grossSales,
      netRevenue: t.netRevenue,
      refunds: t.refunds,
      unitsSold: t.units,
      returnedUnits: a.returnedUnits,
      returnRate: share(a.returnedUnits, t.units),
      headlineCommissionRate: share(a.commissionEstimated, a.commissionBase),
      commissionEstimated: a.commissionEstimated,
      commissionSettled: a.commissionSettled,
      commission: t.creatorCommission,
      commissionShare: share(t.creatorCommission, t.netRevenue),
      samples: a.samples,
      sampleCost: a.sampleCost,
      flatFees: a.flatFees,
      totalCostShare: share(sellingCost, t.netRevenue),
      adSpendAllocated: t.adSpend,
      linkedAdSupport: a.linkedAdSupport,
      cm3,
      cm3Share: null,
      cm3WithLinkedAds: cm3 + t.adSpend - a.linkedAdSupport,
      buyers: firstViaCreator.size,
      newBuyers,
      repeatEligibleBuyers: eligible,
      repeatBuyers30: repeat,
      repeatRate30: share(repeat, eligible),
      estimatedShare: share(t.estimatedOrders, t.orders),
    });
  }
  for (const r of rows) r.cm3Share = share(r.cm3 as number, r.netRevenue as number);

  const gmvThreshold = settings.thresholds.creatorGmvThreshold ?? medianGmv(rows);
  const target = settings.thresholds.targetCm3Bp;
  for (const r of rows) r.group = groupOf(r.gmv as number, r.cm3 as number, r.netRevenue as number, gmvThreshold, target);

  rows.sort((x, y) => (y.cm3 as number) - (x.cm3 as number) || (y.gmv as number) - (x.gmv as number) || ((x.creator as string) < (y.creator as string) ? -1 : 1));

  const definitions = baseDefinitions(input, 'accrual', scopeOrders.filter((o) => !o.isSample));
  definitions.notes.push(
    range ? `Orders created ${range.from} to ${range.to} (${range.label}); flat fees and linked ad days in the same range.` : 'All orders in the data.',
    `Groups: GMV ${settings.thresholds.creatorGmvThreshold === null ? 'at or above the median creator GMV' : 'at or above the set threshold'} (${gmvThreshold} minor units) is high; CM3 at or above ${target / 100}% of net revenue is a good margin (no net revenue: poor).`,
    'Creator CM3 = Σ CM3 of their orders (their share of the shop\'s ads under the allocation method, and their samples) − their flat fees. Linked ad support is already in the shop\'s ad spend and is not subtracted again.',
    'Commission columns cover every affiliate line of the orders credited to the creator (an order with two creators is credited to the one with the larger commission base).',
    `Repeat rate: the period's buyers whose first order through the creator — over all the data, so it may predate the period — is at least ${CREATOR_REPEAT_DAYS} days old; another paid, non-cancelled order from any source within ${CREATOR_REPEAT_DAYS} days of it counts.`,
    ...creatorDataNotes(input.data.creatorOrders),
  );
  return { id: 'creators', title: 'Creators', definitions, columns: COLUMNS, rows };
}

/**
 * Median GMV of the creators with sales (a creator with only samples or only a flat fee would
 * pull the line down to zero); 0 when no creator sold anything.
 */
function medianGmv(rows: readonly Row[]): number {
  return median(rows.map((r) => r.gmv as number).filter((g) => g > 0)) ?? 0;
}

export function groupOf(gmv: number, cm3: number, netRevenue: number, gmvThreshold: number, targetCm3Bp: number): CreatorGroup {
  const highGmv = gmv > 0 && gmv >= gmvThreshold;
  // cm3 / netRevenue ≥ target, in integers (no rounding at the boundary).
  const goodMargin = netRevenue > 0 && cm3 * 10000 >= targetCm3Bp * netRevenue;
  if (highGmv) return goodMargin ? 'Scale' : 'Fix terms';
  return goodMargin ? 'Grow' : 'Cut';
}
