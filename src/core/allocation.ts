/**
 * Ad-spend allocation to orders (profit-model.md, "Ad-spend allocation").
 *
 * Spend is counted once: Marketing API rows paid from the ad account, plus the statement's
 * GMV_PAYMENT_FOR_ADS deductions; Marketing API rows paid from GMV are skipped because the
 * statement already carries them. A day's spend that finds no order stays visible as
 * unallocated spend of that day; it is never dropped.
 */
import { allocateByWeights } from './money';
import type { AdSpend, OrderLine, StatementTransaction } from './records';
import type { AllocationMethod } from './settings';
import { addDays, dayKey, startOfDay } from './time';

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

/**
 * Splits one advertiser-timezone day's spend over the shop days it overlaps, by seconds of
 * overlap (an ad day in New York is 21:00–21:00 in Los Angeles: 3 hours on one shop day, 21 on the next).
 */
export function splitAdDayToShopDays(date: string, advertiserTz: string, shopTz: string, spend: number): { day: string; amount: number }[] {
  if (advertiserTz === shopTz) return [{ day: date, amount: spend }];
  const start = startOfDay(date, advertiserTz);
  const end = startOfDay(addDays(date, 1), advertiserTz);
  const days: string[] = [];
  const weights: number[] = [];
  for (let d = dayKey(start, shopTz); ; d = addDays(d, 1)) {
    const from = Math.max(start, startOfDay(d, shopTz));
    const to = Math.min(end, startOfDay(addDays(d, 1), shopTz));
    if (from >= end) break;
    if (to > from) {
      days.push(d);
      weights.push(to - from);
    }
  }
  const parts = allocateByWeights(spend, weights);
  return days.map((day, i) => ({ day, amount: parts[i] }));
}

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

  for (const row of adSpend) {
    if (row.fundingSource !== 'AD_ACCOUNT') continue;
    for (const { day, amount } of splitAdDayToShopDays(row.date, row.advertiserTimezone, shopTz, row.spend)) {
      totals(day).adSpend += amount;
      if (method === 'by_product' && row.productIds.length > 0) {
        let list = productPieces.get(day);
        if (!list) productPieces.set(day, (list = []));
        list.push({ products: new Set(row.productIds), amount });
      } else {
        addTo(dayPool, day, amount);
      }
    }
  }
  for (const t of transactions) {
    if (t.type !== 'GMV_PAYMENT_FOR_ADS') continue;
    const day = dayKey(t.statementTime, shopTz);
    const spend = -t.settlementAmount;
    totals(day).adSpend += spend;
    addTo(dayPool, day, spend);
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
