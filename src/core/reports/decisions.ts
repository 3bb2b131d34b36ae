/**
 * Decisions: what to do next, ranked by the money at stake.
 *
 * Reads the SKU profit and Creators rows of the last 30 days (so an action's numbers are the
 * tabs' numbers) and the orders of the same 30 days:
 * - SKUs sold without a cost come first, whatever their size: until they have one, every margin
 *   they touch is too high (at stake: their net revenue, which carries no COGS).
 * - SKUs below the target CM3 %: "Stop or reprice" when they lose money (at stake: the loss),
 *   "Reprice" otherwise (at stake: what they miss to reach the target).
 * - Creators: Scale (at stake: the CM3 they earn), Renegotiate (high GMV, poor margin; at stake:
 *   the gap to the target, with the commission rate at which they reach it), Cut (their loss,
 *   or high-GMV creators no commission cut can bring to the target).
 * - Orders with negative CM3, grouped by cause (at stake: the loss of the group).
 * Then ranked by money at stake (largest first), the no-cost SKUs kept on top.
 */
import type { OrderMargin } from '../margin-types';
import { formatAmount } from '../money';
import { baseDefinitions, inRange, type Column, type DayRange, type ReportInput, type ReportTable, type Row } from './table';

export type DecisionAction =
  | 'Add cost' | 'Stop or reprice' | 'Reprice' | 'Scale creator' | 'Renegotiate commission' | 'Cut creator' | 'Fix negative-margin orders';

export interface Decision {
  action: DecisionAction;
  item: string;
  /** Minor units, ≥ 0. */
  atStake: number;
  why: string;
  /** The concrete target: a commission rate, a CM3 to reach. */
  target: string;
  where: string;
}

/** Why an order has a negative CM3: the first that applies, in this order. */
export type LossCause =
  | 'cancelled after costs' | 'refunded' | 'sold below cost' | 'shipping and fulfilment exceed the margin'
  | 'platform fees and creator commission exceed the margin' | 'ad spend and samples exceed the margin';

export function lossCause(o: OrderMargin): LossCause {
  if (o.status === 'CANCELLED') return 'cancelled after costs';
  if (o.refunds > 0) return 'refunded';
  if (o.cm1 < 0) return 'sold below cost';
  if (o.cm2 < 0) return o.fulfilmentAndShipping >= o.platformFees + o.creatorCommission ? 'shipping and fulfilment exceed the margin' : 'platform fees and creator commission exceed the margin';
  return 'ad spend and samples exceed the margin';
}

export interface DecisionSources {
  /** The SKU profit rows of the range (skuReport). */
  skus: readonly Row[];
  /** The Creators rows of the range (creatorsReport). */
  creators: readonly Row[];
  range: DayRange;
}

const num = (v: Row[string] | undefined): number => (typeof v === 'number' ? v : 0);

/**
 * The commission rate (share of the commission base) at which a creator's CM3 reaches
 * `targetCm3Bp` of their net revenue, other costs unchanged: the commission in their margin
 * scales with the rate, so it must fall by the gap. Rounded down to 0.1% (at that rate the
 * target is met); null when no rate ≥ 0 reaches it or nothing is known of their rate.
 */
export function commissionRateForTarget(c: { cm3: number; netRevenue: number; commission: number; headlineCommissionRate: number | null }, targetCm3Bp: number): number | null {
  if (c.netRevenue <= 0 || c.headlineCommissionRate === null || c.commission <= 0) return null;
  const gap = Math.ceil((targetCm3Bp * c.netRevenue) / 10000) - c.cm3;
  if (gap <= 0) return c.headlineCommissionRate;
  if (gap > c.commission) return null;
  const rate = (c.headlineCommissionRate * (c.commission - gap)) / c.commission;
  return Math.floor(rate * 1000 + 1e-9) / 1000;
}

export function decisions(input: ReportInput, sources: DecisionSources): Decision[] {
  const { settings, margins } = input;
  const cur = settings.currency;
  const target = settings.thresholds.targetCm3Bp;
  const m = (minor: number) => `${formatAmount(minor, cur)} ${cur}`;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const targetText = `${target / 100}%`;
  const gapTo = (cm3: number, netRevenue: number) => Math.max(0, Math.ceil((target * netRevenue) / 10000) - cm3);
  const noCost: Decision[] = [];
  const out: Decision[] = [];

  for (const s of sources.skus) {
    const sku = String(s.sku);
    const cm3 = num(s.cm3);
    const netRevenue = num(s.netRevenue);
    if (s.missingCogs === true) {
      noCost.push({
        action: 'Add cost', item: `SKU ${sku}`, atStake: Math.max(0, netRevenue),
        why: `Sold ${num(s.units)} units (${m(netRevenue)} net revenue) with no cost: its COGS counts 0, so its CM3 of ${m(cm3)} and every total that includes it are too high.`,
        target: 'a unit cost on the COGS tab', where: 'COGS tab',
      });
      continue;
    }
    if (netRevenue <= 0 && cm3 >= 0) continue;
    if (cm3 < 0) {
      out.push({
        action: 'Stop or reprice', item: `SKU ${sku}`, atStake: -cm3,
        why: `Lost ${m(-cm3)} of CM3 on ${m(netRevenue)} net revenue.`,
        target: `CM3 ≥ ${targetText} of net revenue (${m(Math.ceil((target * Math.max(0, netRevenue)) / 10000))})`, where: 'SKU profit tab',
      });
    } else if (cm3 * 10000 < target * netRevenue) {
      out.push({
        action: 'Reprice', item: `SKU ${sku}`, atStake: gapTo(cm3, netRevenue),
        why: `CM3 ${pct(cm3 / netRevenue)} of net revenue, below the ${targetText} target.`,
        target: `CM3 +${m(gapTo(cm3, netRevenue))} (price or cost)`, where: 'SKU profit tab',
      });
    }
  }

  for (const c of sources.creators) {
    const creator = String(c.creator);
    const cm3 = num(c.cm3);
    const netRevenue = num(c.netRevenue);
    const group = String(c.group);
    if (group === 'Scale') {
      out.push({
        action: 'Scale creator', item: `Creator ${creator}`, atStake: Math.max(0, cm3),
        why: `High GMV (${m(num(c.gmv))}) at ${netRevenue > 0 ? pct(cm3 / netRevenue) : '—'} CM3: more of their content earns more.`,
        target: 'more samples, content and ad support', where: 'Creators tab',
      });
    } else if (group === 'Fix terms') {
      const rate = commissionRateForTarget(
        { cm3, netRevenue, commission: num(c.commission), headlineCommissionRate: typeof c.headlineCommissionRate === 'number' ? c.headlineCommissionRate : null },
        target,
      );
      const current = typeof c.headlineCommissionRate === 'number' ? pct(c.headlineCommissionRate) : 'unknown';
      if (rate === null) {
        out.push({
          action: 'Cut creator', item: `Creator ${creator}`, atStake: cm3 < 0 ? -cm3 : gapTo(cm3, netRevenue),
          why: `High GMV but CM3 ${netRevenue > 0 ? pct(cm3 / netRevenue) : '—'}: even no commission would not reach the ${targetText} target.`,
          target: 'stop samples and ad support', where: 'Creators tab',
        });
      } else {
        out.push({
          action: 'Renegotiate commission', item: `Creator ${creator}`, atStake: gapTo(cm3, netRevenue),
          why: `High GMV (${m(num(c.gmv))}) at ${pct(cm3 / netRevenue)} CM3, below the ${targetText} target, at a ${current} commission.`,
          target: `commission ≤ ${pct(rate)}`, where: 'Creators tab',
        });
      }
    } else if (group === 'Cut' && cm3 < 0) {
      out.push({
        action: 'Cut creator', item: `Creator ${creator}`, atStake: -cm3,
        why: `Low GMV (${m(num(c.gmv))}) and lost ${m(-cm3)} of CM3 (samples, fees and commission included).`,
        target: 'stop samples and flat fees', where: 'Creators tab',
      });
    }
  }

  const byCause = new Map<LossCause, { orders: number; loss: number }>();
  for (const o of margins.orders) {
    if (o.isSample || o.cm3 >= 0 || !inRange(o.day, sources.range)) continue;
    const cause = lossCause(o);
    const g = byCause.get(cause) ?? { orders: 0, loss: 0 };
    g.orders += 1;
    g.loss += -o.cm3;
    byCause.set(cause, g);
  }
  for (const [cause, g] of byCause) {
    out.push({
      action: 'Fix negative-margin orders', item: `${g.orders} order${g.orders === 1 ? '' : 's'}: ${cause}`, atStake: g.loss,
      why: `${g.orders} order${g.orders === 1 ? '' : 's'} of the last 30 days lost ${m(g.loss)} of CM3 together; cause: ${cause}.`,
      target: 'CM3 ≥ 0 on every order', where: 'Order margin tab (CM3 < 0)',
    });
  }

  const rank = (a: Decision, b: Decision) => b.atStake - a.atStake || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0);
  return [...noCost.sort(rank), ...out.sort(rank)];
}

const COLUMNS: Column[] = [
  { key: 'rank', label: 'Rank', format: 'integer', note: 'SKUs without a cost first (every margin depends on it), then by money at stake.' },
  { key: 'action', label: 'Action', format: 'text' },
  { key: 'item', label: 'Item', format: 'text' },
  { key: 'atStake', label: 'Money at stake (30 days)', format: 'money', note: 'What the action is worth over the last 30 days: a loss to stop, a gap to the target CM3 to close, the CM3 a creator to scale earns, the revenue carrying no cost.' },
  { key: 'target', label: 'Target', format: 'text', note: 'What to aim for: a commission rate, a CM3, a cost.' },
  { key: 'why', label: 'Why', format: 'text' },
  { key: 'where', label: 'Where to look', format: 'text' },
];

export function decisionsReport(input: ReportInput, sources: DecisionSources): ReportTable {
  const list = decisions(input, sources);
  const orders = input.margins.orders.filter((o) => inRange(o.day, sources.range));
  const definitions = baseDefinitions(input, 'accrual', orders);
  definitions.notes.push(
    `Orders created ${sources.range.from} to ${sources.range.to} (${sources.range.label}); SKUs and creators as on the SKU profit and Creators tabs.`,
    `Target CM3: ${input.settings.thresholds.targetCm3Bp / 100}% of net revenue (Settings tab). Renegotiate: the commission rate at which the creator's CM3 reaches it, their other costs unchanged.`,
    'Negative-margin orders are grouped by the first cause that applies: cancelled, refunded, sold below cost, shipping, fees and commission, then ads and samples. Samples are left out (they are marketing).',
  );
  return {
    id: 'decisions', title: 'Decisions: what to do, by money at stake', definitions, columns: COLUMNS,
    rows: list.map((d, i) => ({ rank: i + 1, action: d.action, item: d.item, atStake: d.atStake, target: d.target, why: d.why, where: d.where })),
  };
}
