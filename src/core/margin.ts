/**
 * The margin engine: normalized records → contribution margin of every paid order, plus the
 * shop-level amounts of each day that belong to no order (unallocated ads, creator flat fees,
 * fixed costs, unlinked statement adjustments).
 *
 * Every definition is in dev/DEFINITIONS.md (mirrored in docs/definitions.md); this file applies them
 * in one pass per record kind, indexing by order id so a million lines stay linear.
 */
import { allocateAdSpend, type AllocationOrder } from './allocation';
import { CostBook } from './cogs';
import { CurrencyMismatchError, DataError } from './errors';
import { addToTrailing, emptyTrailing, estimateFees, type EstimateInput, type TrailingRates } from './estimate';
import { allocateByWeights, mulDivRound } from './money';
import { FEE_COMPONENTS, creatorCommissionOf, platformFeesOf, type FeeComponents, type OrderMargin, type ShopDay, zeroFees } from './margin-types';
import {
  REFUNDED_RETURN_STATUSES, type CreatorOrderLine, type Order, type OrderLine, type Return, type ShopData,
  type StatementTransaction, type UnsettledEstimate,
} from './records';
import type { Settings } from './settings';
import { addOrderTransaction, type SettledOrder } from './statement';
import { dayKey, daysOfMonth } from './time';
import { groupBy } from './group';

export interface MarginResult {
  currency: string;
  asOf: number;
  orders: OrderMargin[];
  /** Shop days with any shop-level amount or ad spend, ascending. */
  days: ShopDay[];
  /** The trailing reference set the estimates used (orders = 0 when none). */
  trailing: TrailingRates;
}

/** Refuses any record in another currency than the shop's, naming it. */
function checkCurrencies(data: ShopData, currency: string): void {
  const check = (items: readonly { currency: string }[], kind: string, key: (x: never) => string) => {
    for (const item of items) {
      if (item.currency !== currency) throw new CurrencyMismatchError(currency, item.currency, `${kind} ${key(item as never)}`);
    }
  };
  check(data.orders, 'order', (o: Order) => o.orderId);
  check(data.lines, 'order line', (l: OrderLine) => `${l.orderId}/${l.lineId}`);
  check(data.returns, 'return', (r: Return) => r.returnId);
  check(data.transactions, 'statement transaction', (t: StatementTransaction) => t.transactionId);
  check(data.unsettled, 'unsettled estimate for order', (u: UnsettledEstimate) => u.orderId);
  check(data.creatorOrders, 'creator order line', (c: CreatorOrderLine) => `${c.orderId}/${c.skuId}`);
  check(data.adSpend, 'ad spend row', (a: { campaignId: string; date: string }) => `${a.campaignId} on ${a.date}`);
  check(data.fixedCosts, 'fixed cost', (f: { month: string; label: string }) => `${f.label} ${f.month}`);
  check(data.creatorFees, 'creator fee', (f: { creatorUsername: string; date: string }) => `${f.creatorUsername} on ${f.date}`);
}

/**
 * An order or statement transaction that appears twice would be counted twice: refuse it,
 * naming the id (the data tabs upsert by key, so this means the records were merged wrongly).
 */
function checkUnique<T>(items: readonly T[], key: (x: T) => string, record: string, field: string): void {
  const seen = new Set<string>();
  for (const x of items) {
    const k = key(x);
    if (seen.has(k)) throw new DataError({ record, id: k, field, expected: 'each key once', got: `${k} (again)` });
    seen.add(k);
  }
}

const NO_AMOUNTS: readonly number[] = [];
const isPaid = (o: Order) => o.paidTime !== null && o.status !== 'UNPAID';
const byTimeThenId = (a: Order, b: Order) => a.createTime - b.createTime || (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0);

/** Per-order facts gathered before fees: everything that does not depend on other orders. */
interface Draft {
  margin: OrderMargin;
  settled: SettledOrder;
  hasOrderTransaction: boolean;
  estimateInput: EstimateInput;
  tiktok: UnsettledEstimate | undefined;
  creatorLines: CreatorOrderLine[];
  lines: OrderLine[];
}

export function computeMargins(data: ShopData, settings: Settings, asOf: number): MarginResult {
  const currency = settings.currency;
  const tz = settings.timezone;
  checkCurrencies(data, currency);
  checkUnique(data.orders, (o) => o.orderId, 'order', 'orderId');
  checkUnique(data.lines, (l) => `${l.orderId}/${l.lineId}`, 'order line', 'lineId');
  checkUnique(data.transactions, (t) => t.transactionId, 'statement transaction', 'transactionId');
  checkUnique(data.returns, (r) => r.returnId, 'return', 'returnId');
  const costs = new CostBook(data.cogs, currency);

  const linesByOrder = groupBy(data.lines, (l) => l.orderId);
  const refundedReturns = groupBy(
    data.returns.filter((r) => REFUNDED_RETURN_STATUSES.includes(r.status)),
    (r) => r.orderId,
  );
  const txByOrder = groupBy(data.transactions, (t) => t.orderId);
  const creatorByOrder = groupBy(data.creatorOrders, (c) => c.orderId);
  const latestEstimate = new Map<string, UnsettledEstimate>();
  for (const e of data.unsettled) {
    const prev = latestEstimate.get(e.orderId);
    if (!prev || e.fetchedTime > prev.fetchedTime) latestEstimate.set(e.orderId, e);
  }

  const paidOrders = data.orders.filter(isPaid);
  const firstOrderOfBuyer = new Map<string, Order>();
  for (const o of paidOrders) {
    if (o.status === 'CANCELLED' || o.isSample) continue;
    const prev = firstOrderOfBuyer.get(o.buyerId);
    if (!prev || byTimeThenId(o, prev) < 0) firstOrderOfBuyer.set(o.buyerId, o);
  }

  const trailing = emptyTrailing();
  const windowStart = asOf - settings.trailingWindowDays * 86400;
  const drafts: Draft[] = [];
  for (const order of paidOrders) {
    const draft = draftOrder(order, {
      lines: linesByOrder.get(order.orderId) ?? [],
      returns: refundedReturns.get(order.orderId) ?? [],
      transactions: txByOrder.get(order.orderId) ?? [],
      creatorLines: creatorByOrder.get(order.orderId) ?? [],
      tiktok: latestEstimate.get(order.orderId),
      isFirstOrder: firstOrderOfBuyer.get(order.buyerId) === order,
      costs, settings,
    });
    drafts.push(draft);
    const m = draft.margin;
    if (draft.hasOrderTransaction && !m.isSample && m.status !== 'CANCELLED' && order.createTime >= windowStart && order.createTime < asOf) {
      addToTrailing(trailing, draft.estimateInput, draft.settled.fees);
    }
  }

  for (const d of drafts) applyFees(d, trailing, settings);

  const allocation = allocateAdSpend(
    drafts.map((d): AllocationOrder => ({
      orderId: d.margin.orderId,
      day: d.margin.day,
      eligible: d.margin.status !== 'CANCELLED' && !d.margin.isSample,
      netRevenue: d.margin.netRevenue,
      isFirstOrder: d.margin.isFirstOrder,
      lines: d.lines,
    })),
    data.adSpend, data.transactions, tz, settings.allocationMethod,
  );

  const orders = drafts.map((d) => {
    const m = d.margin;
    m.adSpend = allocation.byOrder.get(m.orderId) ?? 0;
    m.marketing = m.adSpend + m.sampleCost;
    m.cm3 = m.cm2 - m.marketing;
    return m;
  });

  return { currency, asOf, orders, days: shopDays(data, settings, allocation.byDay), trailing };
}

/** The seller's own per-order costs (packaging, pick-and-pack); none for a cancelled order. */
export function ownCostPerOrder(settings: Settings, status: string): number {
  return status === 'CANCELLED' ? 0 : settings.packagingCostPerOrder + settings.pickPackCostPerOrder;
}

interface DraftContext {
  lines: OrderLine[];
  returns: Return[];
  transactions: StatementTransaction[];
  creatorLines: CreatorOrderLine[];
  tiktok: UnsettledEstimate | undefined;
  isFirstOrder: boolean;
  costs: CostBook;
  settings: Settings;
}

function draftOrder(order: Order, ctx: DraftContext): Draft {
  const { settings } = ctx;
  const day = dayKey(order.createTime, settings.timezone);
  const cancelled = order.status === 'CANCELLED';
  const sample = order.isSample;

  let grossSales = 0, cancelledSales = 0, sellerDiscount = 0, platformDiscount = 0, productRevenue = 0, units = 0;
  let cogsGross = 0;
  // Most orders have no missing cost and no refund: allocate those lists only when needed,
  // which keeps the garbage collector out of a million-line run.
  let missing: string[] | null = null;
  for (const line of ctx.lines) {
    grossSales += line.originalPrice;
    if (cancelled || line.cancelled) {
      cancelledSales += line.originalPrice;
      continue;
    }
    sellerDiscount += line.sellerDiscount;
    platformDiscount += line.platformDiscount;
    productRevenue += line.originalPrice - line.sellerDiscount;
    units += line.quantity;
    const unitCost = ctx.costs.unitCost(line.sellerSku, line.skuId, day);
    if (unitCost !== undefined) cogsGross += line.quantity * unitCost;
    else {
      const sku = line.sellerSku || line.skuId;
      if (missing === null) missing = [sku];
      else if (!missing.includes(sku)) missing.push(sku);
    }
  }

  let refunds = 0, refundShipping = 0, restockCredit = 0;
  let refundLines: number[] | null = null;
  if (!cancelled) {
    for (const r of ctx.returns) {
      refundShipping += r.refundShipping;
      const shareBp = r.returnType === 'RETURN_AND_REFUND' ? settings.restockShareReturnBp
        : r.returnType === 'REFUND' ? settings.restockShareRefundOnlyBp : 0;
      for (const rl of r.lines) {
        const lineRefund = rl.refundedOriginal - rl.refundedSellerDiscount;
        refunds += lineRefund;
        (refundLines ??= []).push(lineRefund);
        if (shareBp > 0 && rl.quantity > 0 && rl.lineId !== null) {
          const returned = ctx.lines.find((l) => l.lineId === rl.lineId && !l.cancelled);
          const unitCost = returned && ctx.costs.unitCost(returned.sellerSku, returned.skuId, day);
          if (unitCost !== undefined) restockCredit += mulDivRound(rl.quantity * unitCost, shareBp, 10000);
        }
      }
    }
  }
  const shippingRevenue = cancelled ? 0 : order.shippingFee - refundShipping;

  const settled: SettledOrder = { fees: zeroFees(), sampleShipping: 0, settlementTime: null };
  let hasOrderTransaction = false;
  for (const t of ctx.transactions) {
    addOrderTransaction(settled, t);
    if (t.type === 'ORDER') hasOrderTransaction = true;
  }

  const ownCost = ownCostPerOrder(settings, order.status);
  const margin: OrderMargin = {
    orderId: order.orderId,
    buyerId: order.buyerId,
    day,
    createTime: order.createTime,
    status: order.status,
    currency: order.currency,
    isSample: sample,
    creator: sample ? order.sampleCreator : creditedCreator(ctx.creatorLines),
    isFirstOrder: ctx.isFirstOrder,
    basis: 'none',
    settlementTime: settled.settlementTime,
    units: cancelled ? 0 : units,
    grossSales: sample ? 0 : grossSales,
    cancelledSales: sample ? 0 : cancelledSales,
    sellerDiscount: sample ? 0 : sellerDiscount,
    platformDiscount: sample ? 0 : platformDiscount,
    productRevenue: sample ? 0 : productRevenue,
    refunds: sample ? 0 : refunds,
    shippingRevenue: sample ? 0 : shippingRevenue,
    netRevenue: 0,
    cogsGross: cancelled ? 0 : cogsGross,
    restockCredit: sample ? 0 : restockCredit,
    cogs: 0,
    missingCogsSkus: missing === null ? [] : (missing as string[]).sort(),
    cm1: 0,
    fees: zeroFees(),
    platformFees: 0,
    ownFulfilmentCost: sample ? 0 : ownCost,
    fulfilmentAndShipping: 0,
    creatorCommission: 0,
    cm2: 0,
    adSpend: 0,
    sampleCost: sample ? cogsGross + ownCost : 0,
    marketing: 0,
    cm3: 0,
    trueUp: null,
  };
  margin.netRevenue = margin.productRevenue - margin.refunds + margin.shippingRevenue;
  margin.cogs = sample ? 0 : margin.cogsGross - margin.restockCredit;
  margin.cm1 = margin.netRevenue - margin.cogs;

  return {
    margin, settled, hasOrderTransaction,
    estimateInput: { base: margin.productRevenue - margin.refunds, refunds: margin.refunds, refundLines: sample || refundLines === null ? NO_AMOUNTS : refundLines },
    tiktok: ctx.tiktok,
    creatorLines: ctx.creatorLines,
    lines: ctx.lines,
  };
}

/** Creator credited with an order: largest estimated commission base, ties to the smaller username. */
function creditedCreator(lines: readonly CreatorOrderLine[]): string | null {
  if (lines.length === 0) return null;
  const base = new Map<string, number>();
  for (const l of lines) base.set(l.creatorUsername, (base.get(l.creatorUsername) ?? 0) + l.estimatedCommissionBase);
  let best: string | null = null;
  let bestBase = -1;
  for (const [name, b] of base) {
    if (b > bestBase || (b === bestBase && best !== null && name < best)) {
      best = name;
      bestBase = b;
    }
  }
  return best;
}

function estimatedCommission(lines: readonly CreatorOrderLine[], into: FeeComponents): void {
  for (const l of lines) {
    into.affiliateCommission += l.estimatedCommission;
    into.affiliateAdsCommission += l.estimatedShopAdsCommission;
    into.cofundedCreatorBonus += l.estimatedCofundedBonus;
  }
}

function estimateFor(d: Draft, trailing: TrailingRates, settings: Settings) {
  const est = estimateFees(d.estimateInput, d.tiktok, trailing, settings.trailingMinOrders, settings.rateCard);
  estimatedCommission(d.creatorLines, est.fees);
  return est;
}

function applyFees(d: Draft, trailing: TrailingRates, settings: Settings): void {
  const m = d.margin;
  const cancelled = m.status === 'CANCELLED';
  if (d.hasOrderTransaction) {
    m.basis = 'settled';
    m.fees = d.settled.fees;
    if (!cancelled && !m.isSample) {
      // The estimate object becomes the true-up in place: one allocation per settled order.
      const trueUp = estimateFor(d, trailing, settings).fees;
      for (const c of FEE_COMPONENTS) trueUp[c] = m.fees[c] - trueUp[c];
      m.trueUp = trueUp;
    }
  } else if (cancelled || m.isSample) {
    // Nothing to estimate, but any order-linked adjustment already on a statement is a fact.
    m.basis = 'none';
    m.fees = d.settled.fees;
  } else {
    const est = estimateFor(d, trailing, settings);
    m.basis = est.basis;
    m.fees = est.fees;
    // Order-linked adjustments that reached a statement before the order settled are facts: add them.
    for (const c of FEE_COMPONENTS) m.fees[c] += d.settled.fees[c];
  }

  if (m.isSample) {
    // A sample's every cost is the creator's marketing cost; tax withheld stays informational.
    let carried = d.settled.sampleShipping;
    for (const c of FEE_COMPONENTS) {
      if (c === 'taxWithheld') continue;
      carried += m.fees[c];
      m.fees[c] = 0;
    }
    m.sampleCost += carried;
  } else {
    // A SAMPLE_SHIPPING_FEE linked to a normal order is still sample marketing; keep it visible.
    m.sampleCost += d.settled.sampleShipping;
  }

  const f = m.fees;
  m.platformFees = platformFeesOf(f);
  m.fulfilmentAndShipping = f.shippingCost + m.ownFulfilmentCost;
  m.creatorCommission = creatorCommissionOf(f);
  m.cm2 = m.cm1 - m.platformFees - m.fulfilmentAndShipping - m.creatorCommission;
}

/** Shop-level amounts per shop day: ads (from the allocator), creator fees, fixed costs, unlinked adjustments. */
function shopDays(data: ShopData, settings: Settings, ads: Map<string, { adSpend: number; allocated: number; unallocated: number }>): ShopDay[] {
  const days = new Map<string, ShopDay>();
  const get = (day: string): ShopDay => {
    let d = days.get(day);
    if (!d) days.set(day, (d = { day, adSpend: 0, allocatedAdSpend: 0, unallocatedAdSpend: 0, creatorFees: 0, fixedCosts: 0, shopAdjustments: 0 }));
    return d;
  };
  for (const [day, t] of ads) {
    const d = get(day);
    d.adSpend += t.adSpend;
    d.allocatedAdSpend += t.allocated;
    d.unallocatedAdSpend += t.unallocated;
  }
  for (const fee of data.creatorFees) get(fee.date).creatorFees += fee.amount;
  for (const cost of data.fixedCosts) {
    const monthDays = daysOfMonth(cost.month);
    const parts = allocateByWeights(cost.amount, monthDays.map(() => 1));
    monthDays.forEach((day, i) => (get(day).fixedCosts += parts[i]));
  }
  for (const t of data.transactions) {
    if (t.orderId !== null || t.type === 'ORDER' || t.type === 'RESERVE' || t.type === 'GMV_PAYMENT_FOR_ADS') continue;
    get(dayKey(t.statementTime, settings.timezone)).shopAdjustments += t.settlementAmount;
  }
  return [...days.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}
