/**
 * Accrual and cash views of the margin, bucketed by shop-timezone day, week or month.
 *
 * Accrual: every order amount on its order's day (what did the orders of this day earn?).
 * Cash: every statement amount on its statement's day (what was settled this day?); an order's
 * COGS and own costs on the day it first settled; orders not yet settled are not cash yet and
 * are counted apart. Shop-level amounts (ads, creator flat fees, fixed costs, unlinked
 * adjustments) sit on their own day in both. Over a period holding all the orders and all
 * their settlements the two views add up to the same totals.
 */
import { ownCostPerOrder, type MarginResult } from './margin';
import type { ShopData } from './records';
import type { Settings } from './settings';
import { addOrderTransaction, settledRevenue, type SettledOrder } from './statement';
import { bucketKey, dayKey, type Grain } from './time';
import { FEE_COMPONENTS, creatorCommissionOf, platformFeesOf, type OrderMargin, zeroFees } from './margin-types';

export type View = 'accrual' | 'cash';

export interface PeriodRow {
  bucket: string;
  /** Accrual: paid orders created. Cash: orders reaching their first statement. */
  orders: number;
  netRevenue: number;
  cogs: number;
  cm1: number;
  platformFees: number;
  fulfilmentAndShipping: number;
  creatorCommission: number;
  /** Statement adjustments that name no order (positive = money to the seller). */
  shopAdjustments: number;
  cm2: number;
  /** All ad spend of the bucket, allocated and unallocated. */
  adSpend: number;
  unallocatedAdSpend: number;
  sampleCost: number;
  creatorFees: number;
  marketing: number;
  cm3: number;
  fixedCosts: number;
  netProfit: number;
  taxWithheld: number;
  /** Accrual: orders whose fees are still estimated. Cash: always 0 (cash is settled by definition). */
  estimatedOrders: number;
}

function emptyRow(bucket: string): PeriodRow {
  return {
    bucket, orders: 0, netRevenue: 0, cogs: 0, cm1: 0, platformFees: 0, fulfilmentAndShipping: 0, creatorCommission: 0,
    shopAdjustments: 0, cm2: 0, adSpend: 0, unallocatedAdSpend: 0, sampleCost: 0, creatorFees: 0, marketing: 0, cm3: 0,
    fixedCosts: 0, netProfit: 0, taxWithheld: 0, estimatedOrders: 0,
  };
}

/** Derived lines of a row from its parts: the layers are defined once, here. */
function closeRow(r: PeriodRow): PeriodRow {
  r.cm1 = r.netRevenue - r.cogs;
  r.cm2 = r.cm1 - r.platformFees - r.fulfilmentAndShipping - r.creatorCommission + r.shopAdjustments;
  r.marketing = r.adSpend + r.sampleCost + r.creatorFees;
  r.cm3 = r.cm2 - r.marketing;
  r.netProfit = r.cm3 - r.fixedCosts;
  return r;
}

export interface ViewResult {
  view: View;
  grain: Grain;
  rows: PeriodRow[];
  /** Cash view: paid orders with no settlement yet (their amounts are not in any row). */
  unsettledOrders: number;
}

export function periodView(result: MarginResult, data: ShopData, settings: Settings, view: View, grain: Grain): ViewResult {
  const rows = new Map<string, PeriodRow>();
  const row = (day: string): PeriodRow => {
    const key = bucketKey(day, grain, settings.weekStart);
    let r = rows.get(key);
    if (!r) rows.set(key, (r = emptyRow(key)));
    return r;
  };

  for (const d of result.days) {
    const r = row(d.day);
    r.unallocatedAdSpend += d.unallocatedAdSpend;
    r.creatorFees += d.creatorFees;
    r.fixedCosts += d.fixedCosts;
    r.shopAdjustments += d.shopAdjustments;
    // Accrual puts allocated spend on its orders; cash (and accrual's unallocated part) on the spend day.
    r.adSpend += view === 'cash' ? d.adSpend : d.unallocatedAdSpend;
  }

  let unsettledOrders = 0;
  if (view === 'accrual') {
    for (const m of result.orders) addAccrualOrder(row(m.day), m);
  } else {
    const byId = new Map(result.orders.map((m) => [m.orderId, m]));
    for (const t of data.transactions) {
      if (t.orderId === null) continue;
      const m = byId.get(t.orderId);
      if (!m) continue; // an order we do not hold (unpaid, or outside the data): the reconciliation shows it
      addCashTransaction(row(dayKey(t.statementTime, settings.timezone)), m, t);
    }
    const firstStatement = firstStatementTimes(data.transactions);
    // Costs that never appear on a statement (COGS, own costs, a sample's product) are cash on the
    // day the order first reaches a statement; an order with none is not cash yet.
    for (const m of result.orders) {
      const first = firstStatement.get(m.orderId);
      if (first === undefined) {
        unsettledOrders += 1;
        continue;
      }
      const r = row(dayKey(first, settings.timezone));
      r.orders += 1;
      r.cogs += m.cogs;
      r.fulfilmentAndShipping += m.ownFulfilmentCost;
      if (m.isSample) r.sampleCost += m.cogsGross + ownCostPerOrder(settings, m.status);
    }
  }

  return {
    view, grain, unsettledOrders,
    rows: [...rows.values()].map(closeRow).sort((a, b) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : 0)),
  };
}

/**
 * When each order first reached a statement (settlement or order-linked adjustment): the cash
 * day of everything about the order that never appears on a statement (COGS, own costs).
 */
export function firstStatementTimes(transactions: ShopData['transactions']): Map<string, number> {
  const first = new Map<string, number>();
  for (const t of transactions) {
    if (t.orderId === null) continue;
    const prev = first.get(t.orderId);
    if (prev === undefined || t.statementTime < prev) first.set(t.orderId, t.statementTime);
  }
  return first;
}

function addAccrualOrder(r: PeriodRow, m: OrderMargin): void {
  r.orders += 1;
  if (m.basis !== 'settled' && m.basis !== 'none') r.estimatedOrders += 1;
  r.netRevenue += m.netRevenue;
  r.cogs += m.cogs;
  r.platformFees += m.platformFees;
  r.fulfilmentAndShipping += m.fulfilmentAndShipping;
  r.creatorCommission += m.creatorCommission;
  r.adSpend += m.adSpend;
  r.sampleCost += m.sampleCost;
  r.taxWithheld += m.fees.taxWithheld;
}

/** One statement transaction of an order, on its statement day, split like the order's settled components. */
function addCashTransaction(r: PeriodRow, m: OrderMargin, t: ShopData['transactions'][number]): void {
  const acc: SettledOrder = { fees: zeroFees(), sampleShipping: 0, settlementTime: null };
  addOrderTransaction(acc, t);
  const f = acc.fees;
  const revenue = settledRevenue(t);
  r.taxWithheld += f.taxWithheld;
  if (m.isSample) {
    let cost = acc.sampleShipping - revenue;
    for (const c of FEE_COMPONENTS) if (c !== 'taxWithheld') cost += f[c];
    r.sampleCost += cost;
    return;
  }
  r.netRevenue += revenue;
  r.platformFees += platformFeesOf(f);
  r.fulfilmentAndShipping += f.shippingCost;
  r.creatorCommission += creatorCommissionOf(f);
  r.sampleCost += acc.sampleShipping;
}
