/**
 * Fee estimates for orders TikTok has not settled yet, in the profit model's order of
 * preference: TikTok's own unsettled estimate, else the shop's trailing actual rates, else
 * the Settings rate card. Each estimate says which basis produced it.
 */
import { divRound, mulDivRound } from './money';
import { type FeeBasis, type FeeComponents, zeroFees } from './margin-types';
import type { RateCard } from './settings';
import type { UnsettledEstimate } from './records';
import { addFeeBreakdown } from './statement';

/** What an order offers to the estimators. */
export interface EstimateInput {
  /** productRevenue − refunds: the referral base (customer payment + platform discount − tax). */
  base: number;
  /** Refunded product amounts (net of seller discount), the refund administration fee's base. */
  refunds: number;
  /** Per completed return line: its refunded amount net of seller discount (the per-SKU cap applies per line). */
  refundLines: readonly number[];
}

/** Sums over the reference orders: settled, not sample, not cancelled, created in the trailing window. */
export interface TrailingRates {
  orders: number;
  base: number;
  refunds: number;
  referralFee: number;
  transactionFee: number;
  serviceFees: number;
  otherPlatformFees: number;
  refundAdministrationFee: number;
  shippingCost: number;
}

export function emptyTrailing(): TrailingRates {
  return { orders: 0, base: 0, refunds: 0, referralFee: 0, transactionFee: 0, serviceFees: 0, otherPlatformFees: 0, refundAdministrationFee: 0, shippingCost: 0 };
}

export function addToTrailing(t: TrailingRates, input: EstimateInput, settled: FeeComponents): void {
  t.orders += 1;
  t.base += input.base;
  t.refunds += input.refunds;
  t.referralFee += settled.referralFee;
  t.transactionFee += settled.transactionFee;
  t.serviceFees += settled.serviceFees;
  t.otherPlatformFees += settled.otherPlatformFees;
  t.refundAdministrationFee += settled.refundAdministrationFee;
  t.shippingCost += settled.shippingCost;
}

function ratio(amount: number, numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : mulDivRound(amount, numerator, denominator);
}

/** TikTok's estimate: its fee breakdown (commission fields skipped), its shipping net of what the customer paid. */
export function fromTikTokEstimate(e: UnsettledEstimate): FeeComponents {
  const f = zeroFees();
  addFeeBreakdown(f, e.fees, e.estFeeTaxAmount, false);
  f.shippingCost = -(e.estShippingCostAmount - e.estCustomerPaidShippingFee);
  return f;
}

export function fromTrailing(t: TrailingRates, input: EstimateInput): FeeComponents {
  const f = zeroFees();
  f.referralFee = ratio(input.base, t.referralFee, t.base);
  f.transactionFee = ratio(input.base, t.transactionFee, t.base);
  f.serviceFees = ratio(input.base, t.serviceFees, t.base);
  f.otherPlatformFees = ratio(input.base, t.otherPlatformFees, t.base);
  f.refundAdministrationFee = ratio(input.refunds, t.refundAdministrationFee, t.refunds);
  f.shippingCost = t.orders === 0 ? 0 : divRound(t.shippingCost, t.orders);
  return f;
}

export function fromRateCard(card: RateCard, input: EstimateInput): FeeComponents {
  const f = zeroFees();
  f.referralFee = mulDivRound(input.base, card.referralFeeBp, 10000);
  f.transactionFee = mulDivRound(input.base, card.transactionFeeBp, 10000);
  f.serviceFees = mulDivRound(input.base, card.serviceFeeBp, 10000);
  let refundAdmin = 0;
  for (const lineRefund of input.refundLines) {
    const referralOnRefund = mulDivRound(lineRefund, card.referralFeeBp, 10000);
    refundAdmin += Math.min(card.refundAdminCapPerSku, mulDivRound(referralOnRefund, card.refundAdminShareBp, 10000));
  }
  f.refundAdministrationFee = refundAdmin;
  f.shippingCost = card.shippingCostPerOrder;
  return f;
}

/** The estimate chain: first basis that applies wins. */
export function estimateFees(
  input: EstimateInput,
  tiktok: UnsettledEstimate | undefined,
  trailing: TrailingRates,
  trailingMinOrders: number,
  card: RateCard,
): { basis: FeeBasis; fees: FeeComponents } {
  if (tiktok) return { basis: 'tiktok_estimate', fees: fromTikTokEstimate(tiktok) };
  if (trailing.orders >= trailingMinOrders) return { basis: 'trailing_rate', fees: fromTrailing(trailing, input) };
  return { basis: 'rate_card', fees: fromRateCard(card, input) };
}
