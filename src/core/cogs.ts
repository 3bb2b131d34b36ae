/**
 * The cost book: unit landed cost per SKU as of a shop-timezone day (COGS tab).
 * Costs change over time; an order takes the cost in effect on its own day, so a price
 * rise entered today never rewrites last month's margin.
 */
import type { CogsEntry } from './records';
import { assertSameCurrency } from './money';

export class CostBook {
  /** SKU → entries sorted by effectiveFrom ascending. */
  private readonly bySku = new Map<string, { from: string; unitCost: number }[]>();

  constructor(entries: readonly CogsEntry[], currency: string) {
    for (const e of entries) {
      assertSameCurrency(currency, e.currency, `COGS entry for SKU ${e.sku} from ${e.effectiveFrom}`);
      let list = this.bySku.get(e.sku);
      if (!list) this.bySku.set(e.sku, (list = []));
      const same = list.find((x) => x.from === e.effectiveFrom);
      if (same && same.unitCost !== e.unitCost) {
        throw new Error(`COGS: SKU ${e.sku} has two different costs effective from ${e.effectiveFrom}; keep one row per SKU and date`);
      }
      if (!same) list.push({ from: e.effectiveFrom, unitCost: e.unitCost });
    }
    for (const list of this.bySku.values()) list.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  }

  /**
   * Unit cost of a line's SKU on `day`: matched by seller SKU first (what sellers type),
   * then by TikTok SKU id; the entry with the latest effectiveFrom ≤ day. Undefined when none.
   */
  unitCost(sellerSku: string, skuId: string, day: string): number | undefined {
    const list = (sellerSku !== '' ? this.bySku.get(sellerSku) : undefined) ?? this.bySku.get(skuId);
    if (!list) return undefined;
    let found: number | undefined;
    for (const e of list) {
      if (e.from <= day) found = e.unitCost;
      else break;
    }
    return found;
  }
}
