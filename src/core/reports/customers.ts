/**
 * Customers and cohorts: which customers and cohorts are worth acquiring?
 *
 * Buyer identity is the order's buyerId; a new buyer's order is OrderMargin.isFirstOrder (the
 * buyer's first paid, non-cancelled, non-sample order in the data). The data only reaches back
 * so far: a buyer who bought before it counts as new, so a short history overstates new buyers
 * — every table says where the data starts.
 *
 * "Purchase" below = a paid, non-cancelled, non-sample order (buyers.ts), the model's
 * "paid, non-cancelled order". Samples are creator marketing, never a customer's order.
 */
import type { OrderMargin } from '../margin-types';
import { divRound } from '../money';
import { addDays, bucketKey, dayKey, monthKey, type Grain } from '../time';
import {
  boughtAgainWithin, DAY_SECONDS, isPurchase, OWN_SOURCE, purchasesByBuyer, returnedUnitsByOrder, sourceOf, type OrderSource,
} from './buyers';
import { baseDefinitions, share, type Column, type DayRange, type ReportDefinitions, type ReportInput, type ReportTable, type Row } from './table';

/** Follower figures the seller supplies (Data Compass export or typed in): the Partner API has none. */
export interface FollowerDay {
  date: string;
  followers: number;
  buyersWhoFollow: number;
}

export interface CustomersOptions {
  /** Bucket of the new-buyer table; default 'month'. */
  grain?: Grain;
  followers?: readonly FollowerDay[] | null;
  /** Orders created in this range for the returns table (the window Creators states); default all the data. */
  returnsRange?: DayRange;
}

export const REPEAT_WINDOWS = [30, 60, 90] as const;

export interface CustomersReport {
  newBuyers: ReportTable;
  repeatPurchase: ReportTable;
  firstOrdersBySource: ReportTable;
  firstOrdersByCreator: ReportTable;
  cohortCm3PerBuyer: ReportTable;
  cohortBuyersRetained: ReportTable;
  returnsAndRefunds: ReportTable;
  /** null when no follower data was supplied (the API does not expose it). */
  followerConversion: ReportTable | null;
}

const FOLLOWERS_MISSING = 'Follower conversion needs follower data (Data Compass export or manual entry): the Partner API does not expose it, and none was supplied.';

export function customersReport(input: ReportInput, options: CustomersOptions = {}): CustomersReport {
  const { data, settings, margins } = input;
  const grain = options.grain ?? 'month';
  const orders = margins.orders.filter((o) => !o.isSample);
  const purchases = orders.filter(isPurchase);
  const byBuyer = purchasesByBuyer(purchases);
  const firstOrders = purchases.filter((o) => o.isFirstOrder);
  const sources = sourceOf(data, purchases);
  const returned = returnedUnitsByOrder(data);

  const defs = (rows: readonly OrderMargin[], ...notes: string[]): ReportDefinitions => {
    const d = baseDefinitions(input, 'accrual', rows);
    d.notes.push(
      `Data reaches back to ${d.dataFrom ?? 'no order'}: a buyer who bought before that counts as new, so a short history overstates new buyers.`,
      ...notes,
    );
    if (!options.followers) d.notes.push(FOLLOWERS_MISSING);
    return d;
  };

  const returnsRange = options.returnsRange;
  const returnPurchases = returnsRange ? purchases.filter((o) => o.day >= returnsRange.from && o.day <= returnsRange.to) : purchases;

  return {
    newBuyers: newBuyersTable(orders, grain, settings.weekStart, defs(orders, `Periods by ${grain}, shop timezone, order creation day.`)),
    repeatPurchase: repeatTable(byBuyer, margins.asOf, defs),
    firstOrdersBySource: firstOrdersTable('firstOrdersBySource', 'First-order CM3 by source', 'source', 'Source',
      firstOrders, (o) => sources.get(o.orderId) ?? OWN_SOURCE,
      defs(firstOrders, `Source = content type of the credited creator (LIVE, VIDEO, SHOP, …) or ${OWN_SOURCE} for the shop's own orders.`)),
    firstOrdersByCreator: firstOrdersTable('firstOrdersByCreator', 'First-order CM3 by creator', 'creator', 'Creator',
      firstOrders.filter((o) => o.creator !== null), (o) => o.creator as string,
      defs(firstOrders.filter((o) => o.creator !== null), 'First orders credited to a creator; the shop\'s own first orders are in the by-source table.')),
    ...cohortTables(byBuyer, margins.asOf, settings.timezone, defs),
    returnsAndRefunds: returnsTable(returnPurchases, sources, returned, defs(returnPurchases,
      ...(options.returnsRange ? [`Orders created ${options.returnsRange.from} to ${options.returnsRange.to} (${options.returnsRange.label}), the window of the Creators and SKU profit tabs.`] : []),
      'Return rate = returned units (completed returns) / units sold; refund rate = refunds (refunded product amount net of its seller discount) / gross product sales. Over paid, non-cancelled, non-sample orders.')),
    followerConversion: options.followers ? followersTable(options.followers, purchases, defs(purchases)) : null,
  };
}

// ------------------------------------------------------------------------------ new buyers, AOV

const NEW_BUYER_COLUMNS: Column[] = [
  { key: 'period', label: 'Period', format: 'day', note: 'First day of the period (shop timezone).' },
  { key: 'orders', label: 'Paid orders', format: 'integer', note: 'Paid orders, cancelled ones included, samples not.' },
  { key: 'purchases', label: 'Paid, non-cancelled orders', format: 'integer' },
  { key: 'newBuyerOrders', label: 'New-buyer orders', format: 'integer', note: 'The buyer\'s first paid, non-cancelled order in the data.' },
  { key: 'newBuyerRate', label: 'New buyer rate', format: 'percent', note: 'New-buyer orders / paid, non-cancelled orders.' },
  { key: 'buyers', label: 'Buyers', format: 'integer', note: 'Distinct buyers with a paid, non-cancelled order in the period.' },
  { key: 'returningBuyers', label: 'Returning buyers', format: 'integer', note: 'Buyers of the period whose first order was earlier.' },
  { key: 'grossSales', label: 'Gross product sales', format: 'money' },
  { key: 'aov', label: 'AOV', format: 'money', note: 'Gross product sales / paid orders.' },
  { key: 'netRevenue', label: 'Net revenue', format: 'money' },
  { key: 'netAov', label: 'Net AOV', format: 'money', note: 'Net revenue / paid, non-cancelled orders.' },
];

function newBuyersTable(orders: readonly OrderMargin[], grain: Grain, weekStart: Parameters<typeof bucketKey>[2], definitions: ReportDefinitions): ReportTable {
  interface Acc { orders: number; purchases: number; newOrders: number; buyers: Set<string>; newBuyers: Set<string>; gross: number; net: number }
  const buckets = new Map<string, Acc>();
  // Every period from the first to the last order day, empty ones included (a quiet week is a fact).
  if (definitions.dataFrom && definitions.dataTo) {
    for (let d = definitions.dataFrom; d <= definitions.dataTo; d = addDays(d, 1)) {
      const k = bucketKey(d, grain, weekStart);
      if (!buckets.has(k)) buckets.set(k, { orders: 0, purchases: 0, newOrders: 0, buyers: new Set(), newBuyers: new Set(), gross: 0, net: 0 });
    }
  }
  for (const o of orders) {
    const a = buckets.get(bucketKey(o.day, grain, weekStart))!;
    a.orders += 1;
    a.gross += o.grossSales;
    a.net += o.netRevenue;
    if (!isPurchase(o)) continue;
    a.purchases += 1;
    a.buyers.add(o.buyerId);
    if (o.isFirstOrder) {
      a.newOrders += 1;
      a.newBuyers.add(o.buyerId);
    }
  }
  const rows: Row[] = [...buckets.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([period, a]) => ({
    period: grain === 'month' ? `${period}-01` : period,
    orders: a.orders,
    purchases: a.purchases,
    newBuyerOrders: a.newOrders,
    newBuyerRate: share(a.newOrders, a.purchases),
    buyers: a.buyers.size,
    returningBuyers: a.buyers.size - a.newBuyers.size,
    grossSales: a.gross,
    aov: a.orders === 0 ? null : divRound(a.gross, a.orders),
    netRevenue: a.net,
    netAov: a.purchases === 0 ? null : divRound(a.net, a.purchases),
  }));
  return { id: 'newBuyers', title: 'New buyers and order value', definitions, columns: NEW_BUYER_COLUMNS, rows };
}

// ------------------------------------------------------------------------------ repeat purchase

interface Cohort {
  month: string;
  buyers: { first: OrderMargin; purchases: OrderMargin[] }[];
  /** Latest first order of the cohort: the cohort is N days old when this one is. */
  latestFirst: number;
}

function cohortsOf(byBuyer: Map<string, OrderMargin[]>): Cohort[] {
  const cohorts = new Map<string, Cohort>();
  for (const purchases of byBuyer.values()) {
    const first = purchases[0];
    const month = monthKey(first.day);
    let c = cohorts.get(month);
    if (!c) cohorts.set(month, (c = { month, buyers: [], latestFirst: 0 }));
    c.buyers.push({ first, purchases });
    if (first.createTime > c.latestFirst) c.latestFirst = first.createTime;
  }
  return [...cohorts.values()].sort((a, b) => (a.month < b.month ? -1 : 1));
}

type DefsFn = (rows: readonly OrderMargin[], ...notes: string[]) => ReportDefinitions;

function repeatTable(byBuyer: Map<string, OrderMargin[]>, asOf: number, defs: DefsFn): ReportTable {
  const columns: Column[] = [
    { key: 'cohort', label: 'First-order month', format: 'text' },
    { key: 'buyers', label: 'Buyers', format: 'integer', note: 'Buyers whose first paid, non-cancelled order is in the month.' },
  ];
  for (const n of REPEAT_WINDOWS) {
    columns.push(
      { key: `repeatBuyers${n}`, label: `Bought again in ${n} days`, format: 'integer', note: `Empty while the cohort is younger than ${n} days.` },
      { key: `repeatRate${n}`, label: `Repeat rate ${n} days`, format: 'percent', note: `Share of the cohort's buyers with another paid, non-cancelled order within ${n} days of their first; empty (not 0) until every buyer's first order is ${n} days old.` },
    );
  }
  const rows: Row[] = [];
  const young: string[] = [];
  for (const c of cohortsOf(byBuyer)) {
    const row: Row = { cohort: c.month, buyers: c.buyers.length };
    for (const n of REPEAT_WINDOWS) {
      if (c.latestFirst + n * DAY_SECONDS > asOf) {
        row[`repeatBuyers${n}`] = null;
        row[`repeatRate${n}`] = null;
        young.push(`${c.month} (${n} days)`);
        continue;
      }
      let repeat = 0;
      for (const b of c.buyers) if (boughtAgainWithin(b.purchases, b.first, n)) repeat += 1;
      row[`repeatBuyers${n}`] = repeat;
      row[`repeatRate${n}`] = share(repeat, c.buyers.length);
    }
    rows.push(row);
  }
  const all = [...byBuyer.values()].flat();
  const definitions = defs(all,
    'A cohort counts for an N-day rate only when every one of its buyers\' first order is at least N days before the run.',
    young.length ? `Too young, left empty: ${young.join(', ')}.` : 'Every cohort is old enough for every window.');
  return { id: 'repeatPurchase', title: 'Repeat purchase rate by first-order month', definitions, columns, rows };
}

// ------------------------------------------------------------------------------ first orders

function firstOrdersTable(
  id: string, title: string, key: string, label: string, firstOrders: readonly OrderMargin[],
  group: (o: OrderMargin) => string, definitions: ReportDefinitions,
): ReportTable {
  const columns: Column[] = [
    { key, label, format: 'text' },
    { key: 'firstOrders', label: 'First orders', format: 'integer', note: 'New buyers\' first paid, non-cancelled orders.' },
    { key: 'grossSales', label: 'Gross product sales', format: 'money' },
    { key: 'netRevenue', label: 'Net revenue', format: 'money' },
    { key: 'cm3', label: 'First-order CM3', format: 'money', note: 'Σ CM3 of the first orders (allocated ads and their costs included).' },
    { key: 'cm3PerFirstOrder', label: 'CM3 per new buyer', format: 'money', note: 'First-order CM3 / first orders: what acquiring a buyer earned (or cost) on the first order.' },
    { key: 'cm3Share', label: 'CM3 %', format: 'percent', note: 'First-order CM3 / net revenue.' },
  ];
  const acc = new Map<string, { n: number; gross: number; net: number; cm3: number }>();
  for (const o of firstOrders) {
    const k = group(o);
    let a = acc.get(k);
    if (!a) acc.set(k, (a = { n: 0, gross: 0, net: 0, cm3: 0 }));
    a.n += 1;
    a.gross += o.grossSales;
    a.net += o.netRevenue;
    a.cm3 += o.cm3;
  }
  const rows: Row[] = [...acc.entries()]
    .sort(([ka, a], [kb, b]) => b.cm3 - a.cm3 || (ka < kb ? -1 : 1))
    .map(([k, a]) => ({
      [key]: k, firstOrders: a.n, grossSales: a.gross, netRevenue: a.net, cm3: a.cm3,
      cm3PerFirstOrder: divRound(a.cm3, a.n), cm3Share: share(a.cm3, a.net),
    }));
  return { id, title, definitions, columns, rows };
}

// ------------------------------------------------------------------------------ cohort matrix

function monthIndex(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

function cohortTables(byBuyer: Map<string, OrderMargin[]>, asOf: number, tz: string, defs: DefsFn): Pick<CustomersReport, 'cohortCm3PerBuyer' | 'cohortBuyersRetained'> {
  const cohorts = cohortsOf(byBuyer);
  const asOfMonth = monthIndex(monthKey(dayKey(asOf, tz)));
  const width = cohorts.length ? asOfMonth - monthIndex(cohorts[0].month) + 1 : 0;
  const monthColumns = (what: string, format: Column['format']): Column[] => [
    { key: 'cohort', label: 'First-order month', format: 'text' },
    { key: 'buyers', label: 'Buyers', format: 'integer' },
    ...Array.from({ length: width }, (_, k): Column => ({ key: `m${k}`, label: `Month ${k}`, format, note: `${what} ${k} month${k === 1 ? '' : 's'} after the first-order month; empty for months not reached yet.` })),
  ];
  const cm3Rows: Row[] = [];
  const retainedRows: Row[] = [];
  for (const c of cohorts) {
    const start = monthIndex(c.month);
    const reached = asOfMonth - start; // months since that have begun
    const cm3ByMonth = new Array<number>(width).fill(0);
    const buyersByMonth = Array.from({ length: width }, () => new Set<string>());
    for (const b of c.buyers) {
      for (const o of b.purchases) {
        const k = monthIndex(monthKey(o.day)) - start;
        if (k < 0 || k >= width) continue;
        cm3ByMonth[k] += o.cm3;
        buyersByMonth[k].add(o.buyerId);
      }
    }
    const cm3Row: Row = { cohort: c.month, buyers: c.buyers.length };
    const retainedRow: Row = { cohort: c.month, buyers: c.buyers.length };
    let cumulative = 0;
    for (let k = 0; k < width; k++) {
      if (k > reached) {
        cm3Row[`m${k}`] = null;
        retainedRow[`m${k}`] = null;
        continue;
      }
      cumulative += cm3ByMonth[k];
      cm3Row[`m${k}`] = divRound(cumulative, c.buyers.length);
      retainedRow[`m${k}`] = buyersByMonth[k].size;
    }
    cm3Rows.push(cm3Row);
    retainedRows.push(retainedRow);
  }
  const all = [...byBuyer.values()].flat();
  const note = 'Rows: month of the buyer\'s first paid, non-cancelled order; columns: months since (Month 0 = the first-order month). The current month is still running.';
  return {
    cohortCm3PerBuyer: {
      id: 'cohortCm3PerBuyer', title: 'Cohorts: cumulative CM3 per buyer', columns: monthColumns('Cumulative CM3 per buyer up to', 'money'), rows: cm3Rows,
      definitions: defs(all, note, 'Value = Σ CM3 of the cohort\'s paid, non-cancelled orders up to that month / the cohort\'s buyers, rounded to the minor unit.'),
    },
    cohortBuyersRetained: {
      id: 'cohortBuyersRetained', title: 'Cohorts: buyers retained', columns: monthColumns('Buyers with a paid, non-cancelled order', 'integer'), rows: retainedRows,
      definitions: defs(all, note, 'Value = distinct buyers of the cohort with a paid, non-cancelled order in that month (Month 0 = every buyer).'),
    },
  };
}

// ------------------------------------------------------------------------------ returns and refunds

const RETURN_COLUMNS: Column[] = [
  { key: 'dimension', label: 'By', format: 'text' },
  { key: 'segment', label: 'Segment', format: 'text' },
  { key: 'orders', label: 'Orders', format: 'integer', note: 'Paid, non-cancelled orders.' },
  { key: 'unitsSold', label: 'Units sold', format: 'integer' },
  { key: 'returnedUnits', label: 'Returned units', format: 'integer', note: 'Units on completed returns.' },
  { key: 'returnRate', label: 'Return rate', format: 'percent', note: 'Returned units / units sold.' },
  { key: 'grossSales', label: 'Gross product sales', format: 'money' },
  { key: 'refunds', label: 'Refunds', format: 'money', note: 'Refunded product amount net of its seller discount (completed refunds).' },
  { key: 'refundRate', label: 'Refund rate', format: 'percent', note: 'Refunds / gross product sales.' },
];

function returnsTable(purchases: readonly OrderMargin[], sources: Map<string, OrderSource>, returned: Map<string, number>, definitions: ReportDefinitions): ReportTable {
  const rows: Row[] = [];
  const add = (dimension: string, key: (o: OrderMargin) => string | null) => {
    const acc = new Map<string, { orders: number; units: number; returned: number; gross: number; refunds: number }>();
    for (const o of purchases) {
      const k = key(o);
      if (k === null) continue;
      let a = acc.get(k);
      if (!a) acc.set(k, (a = { orders: 0, units: 0, returned: 0, gross: 0, refunds: 0 }));
      a.orders += 1;
      a.units += o.units;
      a.returned += returned.get(o.orderId) ?? 0;
      a.gross += o.grossSales;
      a.refunds += o.refunds;
    }
    for (const [segment, a] of [...acc.entries()].sort(([x], [y]) => (x < y ? -1 : 1))) {
      rows.push({
        dimension, segment, orders: a.orders, unitsSold: a.units, returnedUnits: a.returned, returnRate: share(a.returned, a.units),
        grossSales: a.gross, refunds: a.refunds, refundRate: share(a.refunds, a.gross),
      });
    }
  };
  add('Customer', (o) => (o.isFirstOrder ? 'New' : 'Returning'));
  add('Source', (o) => sources.get(o.orderId) ?? OWN_SOURCE);
  add('Creator', (o) => o.creator);
  return { id: 'returnsAndRefunds', title: 'Returns and refunds by customer, source and creator', definitions, columns: RETURN_COLUMNS, rows };
}

// ------------------------------------------------------------------------------ followers

function followersTable(followers: readonly FollowerDay[], purchases: readonly OrderMargin[], definitions: ReportDefinitions): ReportTable {
  const buyersByDay = new Map<string, Set<string>>();
  for (const o of purchases) {
    let s = buyersByDay.get(o.day);
    if (!s) buyersByDay.set(o.day, (s = new Set()));
    s.add(o.buyerId);
  }
  const columns: Column[] = [
    { key: 'date', label: 'Day', format: 'day' },
    { key: 'followers', label: 'Followers', format: 'integer', note: 'As supplied by the seller.' },
    { key: 'buyersWhoFollow', label: 'Buyers who follow', format: 'integer', note: 'As supplied by the seller.' },
    { key: 'followerConversion', label: 'Follower conversion', format: 'percent', note: 'Buyers who follow / followers.' },
    { key: 'buyers', label: 'Buyers (orders)', format: 'integer', note: 'Distinct buyers with a paid, non-cancelled order that day, from the orders.' },
    { key: 'followingShareOfBuyers', label: 'Share of buyers who follow', format: 'percent', note: 'Buyers who follow / buyers of the day.' },
  ];
  const rows: Row[] = [...followers].sort((a, b) => (a.date < b.date ? -1 : 1)).map((f) => {
    const buyers = buyersByDay.get(f.date)?.size ?? 0;
    return {
      date: f.date, followers: f.followers, buyersWhoFollow: f.buyersWhoFollow,
      followerConversion: share(f.buyersWhoFollow, f.followers), buyers, followingShareOfBuyers: share(f.buyersWhoFollow, buyers),
    };
  });
  definitions.notes.push('Follower figures come from the seller (Data Compass export or manual entry), not from the Partner API.');
  return { id: 'followerConversion', title: 'Follower conversion', definitions, columns, rows };
}
