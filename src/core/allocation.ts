/**
 * Ad-spend allocation to orders (profit-model.md, "Ad-spend allocation").
 *
 * What is ad cost, once, is ad-spend.ts's countAdSpendOnce: card-paid Marketing API rows, the
 * statements' GMV payments for ads and per-order GMV Max fees (or, with no statement in the
 * data, the Marketing API's GMV-paid rows). A per-order fee is that order's own ad cost; the
 * rest is allocated by the method. A day's spend that finds no order stays visible as
 * unallocated spend of that day; it is never dropped.
 */
import { allocateByWeights } from './money';
import type { AdSpend, OrderLine, StatementTransaction } from './records';
import type { AllocationMethod } from './settings';
import { countAdSpendOnce, splitAdDayToShopDays } from './ad-spend';

/** An order as the allocator sees it. */
export interface AllocationOrder {
  orderId: string;
  day: string;
  /** Eligible: paid, not cancelled, not a sample, netRevenue > 0. */
  eligible: boolean;
  netRevenue: number;
  isFirstOrder: boolean;
  /** Its lines: by-product weights are Σ (originalPrice − sellerDiscount) of non-cancelled lines of the campaign's products. */
  lines: readonly OrderLine[];
}

export interface DayAdTotals {
  adSpend: number;
  allocated: number;
  unallocated: number;
}

export interface AllocationResult {
  byOrder: Map<string, number>;
  byDay: Map<string, DayAdTotals>;
}

/** Kept here for callers that split an ad day (the rule lives in ad-spend.ts). */
export { splitAdDayToShopDays };

function addTo(map: Map<string, number>, key: string, amount: number): void {
  map.set(key, (map.get(key) ?? 0) + amount);
}

export function allocateAdSpend(
  orders: readonly AllocationOrder[],
  adSpend: readonly AdSpend[],
  transactions: readonly StatementTransaction[],
  shopTz: string,
  method: AllocationMethod,
): AllocationResult {
  const dayPool = new Map<string, number>();
  const productPieces = new Map<string, { products: Set<string>; amount: number }[]>();
  const byDay = new Map<string, DayAdTotals>();
  const totals = (day: string): DayAdTotals => {
    let t = byDay.get(day);
    if (!t) byDay.set(day, (t = { adSpend: 0, allocated: 0, unallocated: 0 }));
    return t;
  };

  const counted = countAdSpendOnce(adSpend, transactions, shopTz);
  for (const piece of counted.pieces) {
    const { day, amount } = piece;
    totals(day).adSpend += amount;
    if (method === 'by_product' && piece.productIds.length > 0) {
      let list = productPieces.get(day);
      if (!list) productPieces.set(day, (list = []));
      list.push({ products: new Set(piece.productIds), amount });
    } else {
      addTo(dayPool, day, amount);
    }
  }

  // Candidates per day, ordered by order id so the split is reproducible.
  const candidates = new Map<string, AllocationOrder[]>();
  for (const o of orders) {
    if (!o.eligible || o.netRevenue <= 0) continue;
    if (method === 'new_buyers' && !o.isFirstOrder) continue;
    let list = candidates.get(o.day);
    if (!list) candidates.set(o.day, (list = []));
    list.push(o);
  }
  for (const list of candidates.values()) list.sort((a, b) => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0));

  const byOrder = new Map<string, number>();
  // A per-order GMV Max fee is the order's own ad cost, on the order's day, whatever the method.
  // The fee of an order we do not hold as paid goes to its statement day's pool: never dropped.
  if (counted.orderFees.length > 0) {
    const dayOf = new Map(orders.map((o) => [o.orderId, o.day]));
    for (const f of counted.orderFees) {
      const day = dayOf.get(f.orderId);
      if (day === undefined) {
        totals(f.day).adSpend += f.amount;
        addTo(dayPool, f.day, f.amount);
        continue;
      }
      addTo(byOrder, f.orderId, f.amount);
      totals(day).adSpend += f.amount;
      totals(day).allocated += f.amount;
    }
  }
  const spread = (list: readonly AllocationOrder[], weights: number[], amount: number) => {
    const parts = allocateByWeights(amount, weights);
    for (let i = 0; i < list.length; i++) if (parts[i] !== 0) addTo(byOrder, list[i].orderId, parts[i]);
  };

  for (const [day, pieces] of productPieces) {
    const list = candidates.get(day) ?? [];
    for (const piece of pieces) {
      const chosen: AllocationOrder[] = [];
      const weights: number[] = [];
      for (const o of list) {
        let w = 0;
        for (const l of o.lines) if (!l.cancelled && piece.products.has(l.productId)) w += l.originalPrice - l.sellerDiscount;
        if (w > 0) {
          chosen.push(o);
          weights.push(w);
        }
      }
      if (chosen.length === 0) addTo(dayPool, day, piece.amount); // mapped product sold nothing that day: by day
      else {
        spread(chosen, weights, piece.amount);
        totals(day).allocated += piece.amount;
      }
    }
  }

  for (const [day, amount] of dayPool) {
    if (amount === 0) continue;
    const list = candidates.get(day);
    if (!list || list.length === 0) {
      totals(day).unallocated += amount;
      continue;
    }
    spread(list, list.map((o) => o.netRevenue), amount);
    totals(day).allocated += amount;
  }
  return { byOrder, byDay };
}
