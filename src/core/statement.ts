/**
 * What each statement amount is to the seller: TikTok's fee fields and adjustment types
 * sorted into the margin's components. One table per question, so a new fee field or
 * adjustment type is one line.
 */
import {
  AD_FEE_FIELDS, CREATOR_COMMISSION_FIELDS, PLATFORM_FEE_FIELDS, SHIPPING_FEE_FIELDS, TAX_FIELDS,
  type FeeField, type StatementTransaction, type StatementTransactionType,
} from './records';
import { type FeeComponent, type FeeComponents } from './margin-types';

const FEE_FIELD_COMPONENT: Readonly<Record<string, FeeComponent>> = (() => {
  const m: Record<string, FeeComponent> = {};
  for (const [k, v] of Object.entries(PLATFORM_FEE_FIELDS)) m[k] = v;
  for (const [k, v] of Object.entries(SHIPPING_FEE_FIELDS)) m[k] = v;
  for (const [k, v] of Object.entries(CREATOR_COMMISSION_FIELDS)) m[k] = v;
  for (const k of TAX_FIELDS) m[k] = 'taxWithheld';
  return m;
})();

/** The component a TikTok fee field belongs to; a field no table classifies is an other platform fee. */
export function feeFieldComponent(field: FeeField | string): FeeComponent {
  return FEE_FIELD_COMPONENT[field] ?? 'otherPlatformFees';
}

/** Where an order-linked adjustment goes; 'samples' = creator marketing; 'ads' / 'reserve' are never order components. */
export type AdjustmentDestination = FeeComponent | 'samples' | 'ads' | 'reserve' | 'order';

export const TRANSACTION_DESTINATION: Readonly<Record<StatementTransactionType, AdjustmentDestination>> = {
  ORDER: 'order',
  RESERVE: 'reserve',
  GMV_PAYMENT_FOR_ADS: 'ads',
  SAMPLE_SHIPPING_FEE: 'samples',
  COFUNDED_CREATOR_REWARDS: 'cofundedCreatorBonus',
  SHIPPING_FEE_ADJUSTMENT: 'shippingCost',
  LOGISTICS_REIMBURSEMENT: 'shippingCost',
  FBT_WAREHOUSE_SERVICE_FEE: 'shippingCost',
  CHARGE_BACK: 'otherPlatformFees',
  PLATFORM_PENALTY: 'otherPlatformFees',
  PLATFORM_REIMBURSEMENT: 'otherPlatformFees',
  REBATE: 'otherPlatformFees',
  OTHER_ADJUSTMENT: 'otherPlatformFees',
};

/**
 * Adds a fee breakdown (TikTok signs: costs negative) into cost components (positive).
 * The part of `feeTaxAmount` the breakdown does not explain goes to otherPlatformFees, so
 * nothing TikTok deducted is dropped. Commission fields are skipped when `withCommission`
 * is false (estimates take commission from the affiliate order instead); `withCommission` false
 * is the estimate path, where an ad fee stays in other platform fees (see below).
 */
export function addFeeBreakdown(
  into: FeeComponents,
  fees: Partial<Record<FeeField, number>>,
  feeTaxAmount: number,
  withCommission = true,
): void {
  for (const field in fees) {
    if (!withCommission && field in CREATOR_COMMISSION_FIELDS) continue;
    if ((AD_FEE_FIELDS as readonly string[]).includes(field)) {
      // Settled: the order's ad spend (core/ad-spend.ts counts it once), not a fee component.
      // In an estimate (no statement yet) it is kept as other platform fees, so the money is not
      // lost before the order settles; once settled it moves to the order's ad spend.
      if (!withCommission) into.otherPlatformFees -= fees[field as FeeField] ?? 0;
      continue;
    }
    into[feeFieldComponent(field)] -= fees[field as FeeField] ?? 0;
  }
  into.otherPlatformFees -= unexplainedFeeAmount(fees, feeTaxAmount);
}

/** The part of a fee total (`feeTaxAmount`, TikTok signs) that its breakdown does not explain. */
export function unexplainedFeeAmount(fees: Partial<Record<FeeField, number>>, feeTaxAmount: number): number {
  let explained = 0;
  for (const field in fees) explained += fees[field as FeeField] ?? 0;
  return feeTaxAmount - explained;
}

/**
 * How far a transaction's settlement amount is from the sum of its signed parts (revenue +
 * shipping cost + fee and tax + adjustment): 0 when its parts add up. The one definition the
 * reconciliation and the data notes use.
 */
export function partsDifference(t: Pick<StatementTransaction, 'settlementAmount' | 'revenueAmount' | 'shippingCostAmount' | 'feeTaxAmount' | 'adjustmentAmount'>): number {
  return t.settlementAmount - (t.revenueAmount + t.shippingCostAmount + t.feeTaxAmount + t.adjustmentAmount);
}

/** Settled components of one order from all statement transactions that name it. */
export interface SettledOrder {
  fees: FeeComponents;
  /** −SAMPLE_SHIPPING_FEE adjustments (creator marketing). */
  sampleShipping: number;
  /** Earliest statement time among ORDER transactions; null if none (not settled). */
  settlementTime: number | null;
}

/** Adds one order-linked transaction's amounts into `acc`. */
export function addOrderTransaction(acc: SettledOrder, t: StatementTransaction): void {
  const dest = TRANSACTION_DESTINATION[t.type];
  if (dest === 'order') {
    addFeeBreakdown(acc.fees, t.fees, t.feeTaxAmount);
    acc.fees.shippingCost -= t.shippingCostAmount - t.customerPaidShippingFee;
    // An ORDER transaction normally has no adjustment part; if it does, it is still a cost of the order.
    acc.fees.otherPlatformFees -= t.adjustmentAmount;
    if (acc.settlementTime === null || t.statementTime < acc.settlementTime) acc.settlementTime = t.statementTime;
  } else if (dest === 'samples') {
    acc.sampleShipping -= t.settlementAmount;
  } else if (dest === 'ads' || dest === 'reserve') {
    // Not an order amount (ads are allocated by day; reserve is payout timing).
  } else {
    acc.fees[dest] -= t.settlementAmount;
  }
}

/** Customer-facing revenue a statement transaction settles (cash view): product revenue + customer-paid shipping. */
export function settledRevenue(t: StatementTransaction): number {
  return t.type === 'ORDER' ? t.revenueAmount + t.customerPaidShippingFee : 0;
}

/**
 * A transaction key made unique in `seen`: the first `id` as is, repeats `id#2`, `id#3`… in the
 * order they come (a SKU refunded on the same statement it sold on gives two rows with one key).
 * The API mapping and the file imports both key transactions this way, so they land on one key.
 */
export function uniqueKey(seen: Map<string, number>, id: string): string {
  const n = (seen.get(id) ?? 0) + 1;
  seen.set(id, n);
  return n > 1 ? `${id}#${n}` : id;
}
