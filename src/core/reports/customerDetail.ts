/**
 * Customers in detail: the new buyer rate by week and by month for every source and creator
 * (is a creator still bringing new buyers, or selling to the shop's own?), and one row per
 * customer — the top buyers by lifetime CM3.
 *
 * Same conventions as customers.ts: a purchase is a paid, non-cancelled, non-sample order; a
 * new buyer's order is the buyer's first purchase in the data.
 */
import type { OrderMargin } from '../margin-types';
import { bucketKey, dayKey } from '../time';
import { isPurchase, OWN_SOURCE, purchasesByBuyer, sourceOf } from './buyers';
import { baseDefinitions, share, type Column, type ReportInput, type ReportTable, type Row } from './table';

export const TOP_CUSTOMERS = 100;

export interface CustomerDetailReport {
  /** New buyer rate per week and per month, shop-wide and per source and creator. */
  newBuyerRateOverTime: ReportTable;
  topCustomers: ReportTable;
}

const RATE_COLUMNS: Column[] = [
  { key: 'grain', label: 'Grain', format: 'text', note: 'Week (starting on the Settings tab’s first day) or month.' },
  { key: 'period', label: 'Period', format: 'day', note: 'First day of the week or month.' },
  { key: 'dimension', label: 'By', format: 'text', note: 'Shop (all orders), Source (content type of the credited creator, or OWN) or Creator.' },
  { key: 'segment', label: 'Segment', format: 'text' },
  { key: 'purchases', label: 'Paid, non-cancelled orders', format: 'integer' },
  { key: 'newBuyerOrders', label: 'New-buyer orders', format: 'integer', note: 'The buyer’s first paid, non-cancelled order in the data.' },
  { key: 'newBuyerRate', label: 'New buyer rate', format: 'percent', note: 'New-buyer orders / paid, non-cancelled orders.' },
];

const CUSTOMER_COLUMNS: Column[] = [
  { key: 'rank', label: 'Rank', format: 'integer', note: 'By lifetime CM3, then net revenue.' },
  { key: 'buyerId', label: 'Buyer ID', format: 'text' },
  { key: 'firstOrder', label: 'First order', format: 'day' },
  { key: 'lastOrder', label: 'Last order', format: 'day' },
  { key: 'firstSource', label: 'First order source', format: 'text', note: 'Content type of the creator credited with the first order, or OWN.' },
  { key: 'firstCreator', label: 'First order creator', format: 'text' },
  { key: 'orders', label: 'Orders', format: 'integer', note: 'Paid, non-cancelled orders in the data.' },
  { key: 'units', label: 'Units', format: 'integer' },
  { key: 'netRevenue', label: 'Lifetime net revenue', format: 'money', note: 'Σ net revenue of their orders: lifetime value in revenue.' },
  { key: 'cm3', label: 'Lifetime CM3', format: 'money', note: 'Σ CM3 of their orders: what they are worth to the shop so far.' },
  { key: 'cm3PerOrder', label: 'CM3 per order', format: 'money' },
  { key: 'refunds', label: 'Refunds', format: 'money' },
];

export function customerDetailReport(input: ReportInput): CustomerDetailReport {
  const { data, settings, margins } = input;
  const purchases = margins.orders.filter(isPurchase);
  const sources = sourceOf(data, purchases);

  interface Acc { purchases: number; newOrders: number }
  const acc = new Map<string, Acc>();
  const add = (grain: string, period: string, dimension: string, segment: string, o: OrderMargin) => {
    const k = JSON.stringify([grain, period, dimension, segment]);
    const a = acc.get(k) ?? { purchases: 0, newOrders: 0 };
    a.purchases += 1;
    if (o.isFirstOrder) a.newOrders += 1;
    acc.set(k, a);
  };
  for (const o of purchases) {
    for (const grain of ['week', 'month'] as const) {
      const b = bucketKey(o.day, grain, settings.weekStart);
      const period = grain === 'month' ? `${b}-01` : b;
      const label = grain === 'month' ? 'Month' : 'Week';
      add(label, period, 'Shop', 'All orders', o);
      add(label, period, 'Source', sources.get(o.orderId) ?? OWN_SOURCE, o);
      if (o.creator !== null) add(label, period, 'Creator', o.creator, o);
    }
  }
  const dimOrder: Record<string, number> = { Shop: 0, Source: 1, Creator: 2 };
  const rateRows: Row[] = [...acc.entries()]
    .map(([k, a]) => {
      const [grain, period, dimension, segment] = JSON.parse(k) as string[];
      return { grain, period, dimension, segment, purchases: a.purchases, newBuyerOrders: a.newOrders, newBuyerRate: share(a.newOrders, a.purchases) };
    })
    .sort((x, y) => (x.grain < y.grain ? 1 : x.grain > y.grain ? -1 : 0) || dimOrder[x.dimension] - dimOrder[y.dimension] || (x.segment < y.segment ? -1 : x.segment > y.segment ? 1 : 0) || (x.period < y.period ? -1 : 1));

  const byBuyer = purchasesByBuyer(purchases);
  const customers = [...byBuyer].map(([buyerId, list]) => {
    const first = list[0];
    const last = list[list.length - 1];
    const t = { units: 0, netRevenue: 0, cm3: 0, refunds: 0 };
    for (const o of list) {
      t.units += o.units;
      t.netRevenue += o.netRevenue;
      t.cm3 += o.cm3;
      t.refunds += o.refunds;
    }
    return { buyerId, first, last, orders: list.length, ...t };
  });
  customers.sort((a, b) => b.cm3 - a.cm3 || b.netRevenue - a.netRevenue || (a.buyerId < b.buyerId ? -1 : 1));
  const top = customers.slice(0, TOP_CUSTOMERS);
  const customerRows: Row[] = top.map((c, i) => ({
    rank: i + 1, buyerId: c.buyerId, firstOrder: c.first.day, lastOrder: c.last.day,
    firstSource: sources.get(c.first.orderId) ?? OWN_SOURCE, firstCreator: c.first.creator,
    orders: c.orders, units: c.units, netRevenue: c.netRevenue, cm3: c.cm3,
    cm3PerOrder: Math.round(c.cm3 / c.orders), refunds: c.refunds,
  }));

  const defs = baseDefinitions(input, 'accrual', purchases);
  const since = `Data reaches back to ${defs.dataFrom ?? 'no order'}: a buyer who bought before that counts as new, and lifetime means since then.`;
  return {
    newBuyerRateOverTime: {
      id: 'newBuyerRateOverTime', title: 'New buyer rate by week and month, per source and creator', columns: RATE_COLUMNS, rows: rateRows,
      definitions: { ...defs, notes: [since, 'Only periods with orders in a segment are listed.'] },
    },
    topCustomers: {
      id: 'topCustomers', title: `Top ${TOP_CUSTOMERS} customers by lifetime CM3`, columns: CUSTOMER_COLUMNS, rows: customerRows,
      definitions: { ...defs, notes: [since, `${customers.length} buyers in all; as of ${dayKey(margins.asOf, settings.timezone)}.`, 'CM3 per order is rounded to the cent.'] },
    },
  };
}
