/**
 * Ground truth of the generated shop: the margin of every order and the shop-day ledger,
 * per dev/DEFINITIONS.md, computed from the generator's own bookkeeping (what it charged,
 * refunded and spent), never by reading the records back through the engine.
 */
import { allocateByWeights, divRound, mulDivRound } from '../../src/core/money';
import { addDays, daysOfMonth } from '../../src/core/time';
import type { Settings } from '../../src/core/settings';
import type { FixedCost, CreatorFee, OrderLine } from '../../src/core/records';
import { zeroFees, type FeeBasis, type FeeComponents, type OrderMargin, type ShopDay } from '../../src/core/margin-types';

/** What the generator knows about one paid order (as of asOf). */
export interface OrderState {
  orderId: string;
  buyerId: string;
  day: string;
  createTime: number;
  status: string;
  currency: string;
  sample: boolean;
  sampleCreator: string | null;
  /** Cancelled as of asOf. */
  cancelled: boolean;
  /** Index range of its lines in data.lines. */
  lineStart: number;
  lineEnd: number;
  units: number;
  grossSales: number;
  cancelledSales: number;
  sellerDiscount: number;
  platformDiscount: number;
  productRevenue: number;
  refunds: number;
  refundShipping: number;
  shippingFee: number;
  cogsGross: number;
  restockCredit: number;
  missingCogsSkus: string[];
  /** lineRefund of every line of its completed returns (for the rate-card refund admin fee). */
  refundLines: number[] | null;
  /** Settled components from the statement transactions emitted for it (costs positive). */
  settled: FeeComponents | null;
  settlementTime: number | null;
  sampleShipping: number;
  /** Components of its latest TikTok estimate (commission excluded), when we hold one. */
  est: FeeComponents | null;
  estAffiliate: number;
  estAds: number;
  estBonus: number;
  creator: string | null;
}

/** A piece of ad spend on one shop day. productIds set = by-product campaign. */
export interface AdPiece {
  day: string;
  amount: number;
  productIds: readonly string[] | null;
}

export interface TruthInput {
  states: OrderState[];
  lines: OrderLine[];
  settings: Settings;
  asOf: number;
  adPieces: AdPiece[];
  creatorFees: CreatorFee[];
  fixedCosts: FixedCost[];
  shopAdjustments: Map<string, number>;
  /** Shop days to report, ascending. */
  days: string[];
}

export interface Truth {
  orders: OrderMargin[];
  days: ShopDay[];
  basisCounts: Record<FeeBasis, number>;
  referenceOrders: number;
}

interface Reference {
  n: number;
  base: number;
  refunds: number;
  referral: number;
  transaction: number;
  service: number;
  other: number;
  refundAdmin: number;
  shipping: number;
}

function referenceSet(states: OrderState[], settings: Settings, asOf: number): Reference {
  const from = asOf - settings.trailingWindowDays * 86400;
  const r: Reference = { n: 0, base: 0, refunds: 0, referral: 0, transaction: 0, service: 0, other: 0, refundAdmin: 0, shipping: 0 };
  for (const s of states) {
    if (!s.settled || s.sample || s.cancelled) continue;
    if (s.createTime < from || s.createTime >= asOf) continue;
    r.n++;
    r.base += s.productRevenue - s.refunds;
    r.refunds += s.refunds;
    r.referral += s.settled.referralFee;
    r.transaction += s.settled.transactionFee;
    r.service += s.settled.serviceFees;
    r.other += s.settled.otherPlatformFees;
    r.refundAdmin += s.settled.refundAdministrationFee;
    r.shipping += s.settled.shippingCost;
  }
  return r;
}

/** The estimate chain for an order (without the settled rule). */
function estimate(s: OrderState, ref: Reference, settings: Settings): { fees: FeeComponents; basis: FeeBasis } {
  const fees = zeroFees();
  if (s.cancelled || s.sample) return { fees, basis: 'none' };
  let basis: FeeBasis;
  const base = s.productRevenue - s.refunds;
  if (s.est) {
    Object.assign(fees, s.est);
    basis = 'tiktok_estimate';
  } else if (ref.n >= settings.trailingMinOrders) {
    const rate = (sum: number) => (ref.base === 0 ? 0 : mulDivRound(base, sum, ref.base));
    fees.referralFee = rate(ref.referral);
    fees.transactionFee = rate(ref.transaction);
    fees.serviceFees = rate(ref.service);
    fees.otherPlatformFees = rate(ref.other);
    fees.refundAdministrationFee = ref.refunds === 0 ? 0 : mulDivRound(s.refunds, ref.refundAdmin, ref.refunds);
    fees.shippingCost = divRound(ref.shipping, ref.n);
    basis = 'trailing_rate';
  } else {
    const rc = settings.rateCard;
    fees.referralFee = mulDivRound(base, rc.referralFeeBp, 10000);
    fees.transactionFee = mulDivRound(base, rc.transactionFeeBp, 10000);
    fees.serviceFees = mulDivRound(base, rc.serviceFeeBp, 10000);
    let ra = 0;
    if (s.refundLines) {
      for (const lineRefund of s.refundLines) {
        ra += Math.min(rc.refundAdminCapPerSku, mulDivRound(mulDivRound(lineRefund, rc.referralFeeBp, 10000), rc.refundAdminShareBp, 10000));
      }
    }
    fees.refundAdministrationFee = ra;
    fees.shippingCost = rc.shippingCostPerOrder;
    basis = 'rate_card';
  }
  fees.affiliateCommission = s.estAffiliate;
  fees.affiliatePartnerCommission = 0;
  fees.affiliateAdsCommission = s.estAds;
  fees.cofundedCreatorBonus = s.estBonus;
  return { fees, basis };
}

const COMPONENTS = [
  'referralFee', 'transactionFee', 'refundAdministrationFee', 'serviceFees', 'otherPlatformFees',
  'shippingCost', 'affiliateCommission', 'affiliatePartnerCommission', 'affiliateAdsCommission',
  'cofundedCreatorBonus', 'taxWithheld',
] as const;

export function buildTruth(input: TruthInput): Truth {
  const { states, lines, settings, asOf } = input;
  const ref = referenceSet(states, settings, asOf);
  const basisCounts: Record<FeeBasis, number> = { settled: 0, tiktok_estimate: 0, trailing_rate: 0, rate_card: 0, none: 0 };
  const own = settings.packagingCostPerOrder + settings.pickPackCostPerOrder;

  // First orders: states are in (createTime, orderId) order.
  const seenBuyers = new Set<string>();
  const orders: OrderMargin[] = new Array(states.length);
  for (let i = 0; i < states.length; i++) {
    const s = states[i];
    let isFirstOrder = false;
    if (!s.sample && !s.cancelled && !seenBuyers.has(s.buyerId)) {
      seenBuyers.add(s.buyerId);
      isFirstOrder = true;
    }
    const live = !s.cancelled;
    const revenueCounts = !s.sample;
    const productRevenue = revenueCounts ? s.productRevenue : 0;
    const refunds = revenueCounts ? s.refunds : 0;
    const shippingRevenue = revenueCounts && live ? s.shippingFee - s.refundShipping : 0;
    const netRevenue = productRevenue - refunds + shippingRevenue;
    // Sample orders keep their cogsGross (it goes to sampleCost) with cogs = 0.
    const cogsGross = !live ? 0 : s.cogsGross;
    const restockCredit = s.sample || !live ? 0 : s.restockCredit;
    const cogs = s.sample ? 0 : cogsGross - restockCredit;

    let fees: FeeComponents;
    let basis: FeeBasis;
    let trueUp: FeeComponents | null = null;
    if (s.settled) {
      basis = 'settled';
      fees = s.sample ? zeroFees() : { ...s.settled };
      // No true-up for samples and cancelled orders: there is no estimate to judge.
      if (!s.sample && !s.cancelled) {
        const e = estimate(s, ref, settings).fees;
        trueUp = zeroFees();
        for (const c of COMPONENTS) trueUp[c] = fees[c] - e[c];
      }
    } else {
      const e = estimate(s, ref, settings);
      fees = e.fees;
      basis = e.basis;
    }
    basisCounts[basis]++;

    let sampleCost = 0;
    let ownFulfilmentCost = live ? own : 0;
    if (s.sample) {
      sampleCost = s.cogsGross + ownFulfilmentCost + s.sampleShipping;
      if (s.settled) {
        for (const c of COMPONENTS) if (c !== 'taxWithheld') sampleCost += s.settled[c];
      }
      ownFulfilmentCost = 0;
    }
    const platformFees = fees.referralFee + fees.transactionFee + fees.refundAdministrationFee + fees.serviceFees + fees.otherPlatformFees;
    const fulfilmentAndShipping = fees.shippingCost + ownFulfilmentCost;
    const creatorCommission = fees.affiliateCommission + fees.affiliatePartnerCommission + fees.affiliateAdsCommission + fees.cofundedCreatorBonus;
    const cm1 = netRevenue - cogs;
    const cm2 = cm1 - platformFees - fulfilmentAndShipping - creatorCommission;
    orders[i] = {
      orderId: s.orderId,
      buyerId: s.buyerId,
      day: s.day,
      createTime: s.createTime,
      status: s.status,
      currency: s.currency,
      isSample: s.sample,
      creator: s.sample ? s.sampleCreator : s.creator,
      isFirstOrder,
      basis,
      settlementTime: s.settlementTime,
      units: live ? s.units : 0,
      grossSales: revenueCounts ? s.grossSales : 0,
      cancelledSales: revenueCounts ? s.cancelledSales : 0,
      sellerDiscount: revenueCounts && live ? s.sellerDiscount : 0,
      platformDiscount: revenueCounts && live ? s.platformDiscount : 0,
      productRevenue,
      refunds,
      shippingRevenue,
      netRevenue,
      cogsGross,
      restockCredit,
      cogs,
      missingCogsSkus: s.missingCogsSkus,
      cm1,
      fees,
      platformFees,
      ownFulfilmentCost,
      fulfilmentAndShipping,
      creatorCommission,
      cm2,
      adSpend: 0,
      sampleCost,
      marketing: sampleCost,
      cm3: cm2 - sampleCost,
      trueUp,
    };
  }

  const days = allocateAds(input, orders);
  for (const o of orders) {
    o.marketing = o.adSpend + o.sampleCost;
    o.cm3 = o.cm2 - o.marketing;
  }
  return { orders, days, basisCounts, referenceOrders: ref.n };
}

function allocateAds(input: TruthInput, orders: OrderMargin[]): ShopDay[] {
  const { states, lines, settings } = input;
  const method = settings.allocationMethod;
  const ledger = new Map<string, ShopDay>();
  for (const d of input.days) {
    ledger.set(d, { day: d, adSpend: 0, allocatedAdSpend: 0, unallocatedAdSpend: 0, creatorFees: 0, fixedCosts: 0, shopAdjustments: 0 });
  }
  const dayOf = (d: string): ShopDay => {
    const x = ledger.get(d);
    if (!x) throw new Error(`truth: day ${d} outside the reported range`);
    return x;
  };

  // Eligible orders per day, in orderId order (states are in creation = id order).
  const eligible = new Map<string, number[]>();
  for (let i = 0; i < states.length; i++) {
    const s = states[i];
    const o = orders[i];
    if (s.cancelled || s.sample || o.netRevenue <= 0) continue;
    let list = eligible.get(s.day);
    if (!list) eligible.set(s.day, (list = []));
    list.push(i);
  }
  for (const l of eligible.values()) l.sort((a, b) => (orders[a].orderId < orders[b].orderId ? -1 : orders[a].orderId > orders[b].orderId ? 1 : 0));

  const pool = new Map<string, number>();
  for (const p of input.adPieces) {
    const day = dayOf(p.day);
    day.adSpend += p.amount;
    if (method === 'by_product' && p.productIds && p.productIds.length > 0) {
      const idx = eligible.get(p.day) ?? [];
      const set = new Set(p.productIds);
      const targets: number[] = [];
      const weights: number[] = [];
      let total = 0;
      for (const i of idx) {
        const s = states[i];
        let w = 0;
        let has = false;
        for (let k = s.lineStart; k < s.lineEnd; k++) {
          const ln = lines[k];
          if (ln.cancelled || !set.has(ln.productId)) continue;
          has = true;
          w += ln.originalPrice - ln.sellerDiscount;
        }
        if (has) {
          targets.push(i);
          weights.push(w);
          total += w;
        }
      }
      if (total > 0) {
        const parts = allocateByWeights(p.amount, weights);
        for (let k = 0; k < targets.length; k++) orders[targets[k]].adSpend += parts[k];
        day.allocatedAdSpend += p.amount;
        continue;
      }
    }
    pool.set(p.day, (pool.get(p.day) ?? 0) + p.amount);
  }
  for (const [d, amount] of pool) {
    if (amount === 0) continue;
    const day = dayOf(d);
    let idx = eligible.get(d) ?? [];
    if (method === 'new_buyers') idx = idx.filter((i) => orders[i].isFirstOrder);
    if (idx.length === 0) continue;
    const parts = allocateByWeights(amount, idx.map((i) => orders[i].netRevenue));
    for (let k = 0; k < idx.length; k++) orders[idx[k]].adSpend += parts[k];
    day.allocatedAdSpend += amount;
  }

  for (const f of input.creatorFees) {
    const d = ledger.get(f.date);
    if (d) d.creatorFees += f.amount;
  }
  for (const f of input.fixedCosts) {
    const monthDays = daysOfMonth(f.month);
    const parts = allocateByWeights(f.amount, monthDays.map(() => 1));
    monthDays.forEach((d, k) => {
      const x = ledger.get(d);
      if (x) x.fixedCosts += parts[k];
    });
  }
  for (const [d, amount] of input.shopAdjustments) dayOf(d).shopAdjustments += amount;

  const out = [...ledger.values()].sort((a, b) => (a.day < b.day ? -1 : 1));
  for (const d of out) d.unallocatedAdSpend = d.adSpend - d.allocatedAdSpend;
  return out;
}

/** Every shop day from `first` to `last` inclusive. */
export function dayRange(first: string, last: string): string[] {
  const out: string[] = [];
  for (let d = first; d <= last; d = addDays(d, 1)) out.push(d);
  return out;
}
