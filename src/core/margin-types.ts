/**
 * The per-order margin row and the shop-day ledger: what the engine produces and what the
 * generator's ground truth states. Definitions: dev/DEFINITIONS.md (mirrored in docs/definitions.md).
 * All amounts are integer minor units; costs are positive numbers that are subtracted.
 */

/** Where an order's fees come from. */
export type FeeBasis = 'settled' | 'tiktok_estimate' | 'trailing_rate' | 'rate_card' | 'none';

/** Fee, shipping and commission components: the ones that are settled or estimated. */
export const FEE_COMPONENTS = [
  'referralFee', 'transactionFee', 'refundAdministrationFee', 'serviceFees', 'otherPlatformFees',
  'shippingCost',
  'affiliateCommission', 'affiliatePartnerCommission', 'affiliateAdsCommission', 'cofundedCreatorBonus',
  'taxWithheld',
] as const;
export type FeeComponent = (typeof FEE_COMPONENTS)[number];
export type FeeComponents = Record<FeeComponent, number>;

export interface OrderMargin {
  orderId: string;
  buyerId: string;
  /** Shop-timezone day of the order's creation ("YYYY-MM-DD"). */
  day: string;
  createTime: number;
  status: string;
  currency: string;
  isSample: boolean;
  /** Creator credited: the affiliate creator with the largest estimated commission base, or the sample's creator. */
  creator: string | null;
  /** First paid, non-cancelled, non-sample order of its buyer in the data. */
  isFirstOrder: boolean;
  basis: FeeBasis;
  /** Earliest statement time of its ORDER transactions, when settled. */
  settlementTime: number | null;

  units: number;
  grossSales: number;
  cancelledSales: number;
  sellerDiscount: number;
  platformDiscount: number;
  productRevenue: number;
  refunds: number;
  shippingRevenue: number;
  netRevenue: number;

  cogsGross: number;
  restockCredit: number;
  cogs: number;
  /** SKUs of lines with no cost in effect on the order day (COGS excluded for them: an alert). */
  missingCogsSkus: string[];
  cm1: number;

  fees: FeeComponents;
  platformFees: number;
  ownFulfilmentCost: number;
  fulfilmentAndShipping: number;
  creatorCommission: number;
  cm2: number;

  adSpend: number;
  sampleCost: number;
  marketing: number;
  cm3: number;

  /** Settled orders: settled − estimate per component; null otherwise. */
  trueUp: FeeComponents | null;
}

/** Shop-level amounts of one shop day that belong to no order. */
export interface ShopDay {
  day: string;
  /** Ad spend of the day (after timezone split), AD_ACCOUNT rows + GMV payment for ads. */
  adSpend: number;
  allocatedAdSpend: number;
  unallocatedAdSpend: number;
  creatorFees: number;
  fixedCosts: number;
  /** Statement adjustments with no order (positive = money to the seller). */
  shopAdjustments: number;
}

export function zeroFees(): FeeComponents {
  return {
    referralFee: 0, transactionFee: 0, refundAdministrationFee: 0, serviceFees: 0, otherPlatformFees: 0,
    shippingCost: 0, affiliateCommission: 0, affiliatePartnerCommission: 0, affiliateAdsCommission: 0,
    cofundedCreatorBonus: 0, taxWithheld: 0,
  };
}

/** Platform fees layer: referral + transaction + refund administration + service + other (chargebacks, penalties). */
export function platformFeesOf(f: FeeComponents): number {
  return f.referralFee + f.transactionFee + f.refundAdministrationFee + f.serviceFees + f.otherPlatformFees;
}

/** Creator commission layer: affiliate, affiliate partner, shop-ads commission and co-funded creator bonus. */
export function creatorCommissionOf(f: FeeComponents): number {
  return f.affiliateCommission + f.affiliatePartnerCommission + f.affiliateAdsCommission + f.cofundedCreatorBonus;
}
