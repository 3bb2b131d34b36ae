/**
 * Buyer and attribution facts that the creator and customer reports share, so "bought again
 * within 30 days", "returned units" and "the order's source" mean the same thing in both.
 */
import type { OrderMargin } from '../margin-types';
import { REFUNDED_RETURN_STATUSES, type AffiliateContentType, type ShopData } from '../records';
import { groupBy } from '../group';

export const DAY_SECONDS = 86400;

/** The shop's own orders (no creator credited) as a source, next to the affiliate content types. */
export const OWN_SOURCE = 'OWN';
export type OrderSource = AffiliateContentType | typeof OWN_SOURCE;

/** Paid, not cancelled, not a sample: an order a buyer really bought (the model's "paid, non-cancelled order"). */
export function isPurchase(o: OrderMargin): boolean {
  return !o.isSample && o.status !== 'CANCELLED';
}

const byTimeThenId = (a: OrderMargin, b: OrderMargin) =>
  a.createTime - b.createTime || (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0);

/** Each buyer's purchases in time order (createTime, then orderId: the engine's first-order rule). */
export function purchasesByBuyer(orders: readonly OrderMargin[]): Map<string, OrderMargin[]> {
  const out = groupBy(orders, (o) => (isPurchase(o) ? o.buyerId : null));
  for (const list of out.values()) list.sort(byTimeThenId);
  return out;
}

/**
 * Did the buyer buy again within `days` days of `anchor`? "Again" = another purchase after the
 * anchor in (createTime, orderId) order, created at most `days` × 24 h after it.
 */
export function boughtAgainWithin(purchases: readonly OrderMargin[], anchor: OrderMargin, days: number): boolean {
  const limit = anchor.createTime + days * DAY_SECONDS;
  for (const o of purchases) {
    if (o === anchor || byTimeThenId(o, anchor) <= 0) continue;
    if (o.createTime <= limit) return true;
    return false; // sorted: every later order is later still
  }
  return false;
}

/**
 * Units that came back, per order: Σ quantity of the lines of completed returns (the status that
 * pays the refund), whatever the return type. A refund without return has quantity 0.
 */
export function returnedUnitsByOrder(data: ShopData): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of data.returns) {
    if (!REFUNDED_RETURN_STATUSES.includes(r.status)) continue;
    let units = 0;
    for (const l of r.lines) units += l.quantity;
    out.set(r.orderId, (out.get(r.orderId) ?? 0) + units);
  }
  return out;
}

/**
 * Source of each order: the content type of the credited creator's lines (the line with the
 * largest estimated commission base; ties: the earlier content type alphabetically), or OWN
 * when no creator is credited. A sample's creator has no affiliate line: it is OWN here, and
 * samples are left out of every buyer measure anyway.
 */
export function sourceOf(data: ShopData, orders: readonly OrderMargin[]): Map<string, OrderSource> {
  const best = new Map<string, { base: number; type: AffiliateContentType }>();
  const credited = new Map<string, string>();
  for (const o of orders) if (o.creator !== null && !o.isSample) credited.set(o.orderId, o.creator);
  for (const c of data.creatorOrders) {
    if (credited.get(c.orderId) !== c.creatorUsername) continue;
    const prev = best.get(c.orderId);
    if (!prev || c.estimatedCommissionBase > prev.base || (c.estimatedCommissionBase === prev.base && c.contentType < prev.type)) {
      best.set(c.orderId, { base: c.estimatedCommissionBase, type: c.contentType });
    }
  }
  const out = new Map<string, OrderSource>();
  for (const o of orders) out.set(o.orderId, best.get(o.orderId)?.type ?? OWN_SOURCE);
  return out;
}
