/**
 * The normalized records: the one schema shared by the API client, the Seller Center
 * importers, the data tabs and (later) BigQuery.
 *
 * Conventions (one place for each):
 * - Money is integer minor units of the record's `currency` (see money.ts).
 * - Times are Unix seconds (UTC). Calendar dates the seller types (COGS effective from,
 *   fixed-cost month, ad-report day) are "YYYY-MM-DD" / "YYYY-MM" strings.
 * - Statement amounts keep TikTok's sign: money to the seller is positive, costs are
 *   negative, and a transaction's settlement amount is the SUM of its signed parts
 *   (revenue + shipping cost + fee and tax + adjustment). See STATEMENT_SIGN_CONVENTION.
 * - Fee breakdown keys are TikTok's own field names, so a new fee type is one line here.
 *
 * Schemas use zod/mini to keep the Apps Script bundle small.
 */
import * as z from 'zod/mini';
import { isKnownCurrency } from './money';
import { DataError, showValue } from './errors';
import { isDayKey } from './time';

// ---------------------------------------------------------------- primitives

const id = z.string().check(z.minLength(1));
const unixSeconds = z.int().check(z.nonnegative());
const minor = z.int();
const nonNegativeMinor = z.int().check(z.nonnegative());
const count = z.int().check(z.nonnegative());
const currency = z.string().check(z.refine(isKnownCurrency, 'a known ISO 4217 currency code'));
const dayString = z.string().check(z.refine(isDayKey, 'a date YYYY-MM-DD'));
const monthString = z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/));

// ---------------------------------------------------------------- orders

export const ORDER_STATUSES = [
  'UNPAID', 'ON_HOLD', 'AWAITING_SHIPMENT', 'PARTIALLY_SHIPPING', 'AWAITING_COLLECTION',
  'IN_TRANSIT', 'DELIVERED', 'COMPLETED', 'CANCELLED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * The status an order's own times show, for a status the add-on does not know. Only what a figure
 * reads is decided by it: cancelled (no revenue) and unpaid (not an order yet); the rest only
 * names how far the parcel got.
 */
export function orderStatusFromTimes(t: { cancelled: boolean; paid: boolean; delivered: boolean; shipped: boolean }): OrderStatus {
  if (t.cancelled) return 'CANCELLED';
  if (!t.paid) return 'UNPAID';
  if (t.delivered) return 'DELIVERED';
  if (t.shipped) return 'IN_TRANSIT';
  return 'AWAITING_SHIPMENT';
}

export const FULFILLMENT_TYPES = ['FULFILLMENT_BY_SELLER', 'FULFILLMENT_BY_TIKTOK', 'FULFILLMENT_BY_DILAYANI_TOKOPEDIA'] as const;

export const OrderSchema = z.object({
  orderId: id,
  /** Buyer identity (`user_id`): the key for new-buyer and repeat-purchase measures. */
  buyerId: id,
  status: z.enum(ORDER_STATUSES),
  /**
   * The status TikTok sent when it is none of ORDER_STATUSES (a status added after the reference):
   * kept as sent, while `status` is what the order's own times show (orderStatusFromTimes). Absent
   * for a known status.
   */
  statusSent: z.optional(z.string()),
  currency,
  createTime: unixSeconds,
  updateTime: unixSeconds,
  paidTime: z.nullable(unixSeconds),
  cancelTime: z.nullable(unixSeconds),
  deliveryTime: z.nullable(unixSeconds),
  fulfillmentType: z.enum(FULFILLMENT_TYPES),
  isSample: z.boolean(),
  /** For sample orders: the creator who asked for the sample (their marketing cost). */
  sampleCreator: z.nullable(z.string()),
  /** `payment.original_shipping_fee`: shipping before any discount. */
  originalShippingFee: nonNegativeMinor,
  shippingSellerDiscount: nonNegativeMinor,
  shippingPlatformDiscount: nonNegativeMinor,
  /** `payment.shipping_fee`: what the customer paid for shipping (after both discounts). */
  shippingFee: nonNegativeMinor,
  /** `payment.tax`: pass-through, excluded from revenue. */
  tax: nonNegativeMinor,
  /** `payment.total_amount`: what the customer paid in all. */
  totalAmount: nonNegativeMinor,
});
export type Order = z.infer<typeof OrderSchema>;

export const OrderLineSchema = z.object({
  lineId: id,
  orderId: id,
  skuId: id,
  productId: id,
  sellerSku: z.string(),
  productName: z.string(),
  skuName: z.string(),
  currency,
  /** Units on the line. The API has no quantity (one unit per line item); exports do. */
  quantity: z.int().check(z.positive()),
  /** Line total before any discount (`original_price` × quantity). */
  originalPrice: nonNegativeMinor,
  sellerDiscount: nonNegativeMinor,
  platformDiscount: nonNegativeMinor,
  /** Customer price after both discounts (`sale_price`). */
  salePrice: nonNegativeMinor,
  /** The line was cancelled (display_status CANCELLED) while the order may go on. */
  cancelled: z.boolean(),
});
export type OrderLine = z.infer<typeof OrderLineSchema>;

// ---------------------------------------------------------------- returns, refunds, cancellations

export const RETURN_TYPES = ['REFUND', 'RETURN_AND_REFUND', 'REPLACEMENT'] as const;
export type ReturnType = (typeof RETURN_TYPES)[number];
export const RETURN_STATUSES = [
  'RETURN_OR_REFUND_REQUEST_PENDING', 'REFUND_OR_RETURN_REQUEST_REJECT', 'AWAITING_BUYER_SHIP',
  'BUYER_SHIPPED_ITEM', 'REJECT_RECEIVE_PACKAGE', 'RETURN_OR_REFUND_REQUEST_SUCCESS',
  'RETURN_OR_REFUND_REQUEST_CANCEL', 'RETURN_OR_REFUND_REQUEST_COMPLETE', 'AWAITING_BUYER_RESPONSE',
] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];
/** The refund has been paid to the buyer: only these reduce revenue. */
export const REFUNDED_RETURN_STATUSES: readonly string[] = ['RETURN_OR_REFUND_REQUEST_COMPLETE'];
/**
 * A status as TikTok sends it: one of the documented values, or a new one, kept as sent (a status
 * changes no amount; the data notes name the statuses the add-on does not know).
 */
export const statusText = z.string().check(z.refine((s) => /^[A-Z][A-Z0-9_]*$/.test(s), 'a status in capitals (LIKE_THIS)'));

export const ReturnLineSchema = z.object({
  /** The order line refunded (`order_line_item_id`); null for an order-level partial refund. */
  lineId: z.nullable(z.string()),
  skuId: z.string(),
  /** Units that come back (0 for a refund without return). */
  quantity: count,
  /** Refunded product amount before discounts. */
  refundedOriginal: nonNegativeMinor,
  /** Seller discount that goes back with it (the seller's revenue falls by original − seller discount). */
  refundedSellerDiscount: nonNegativeMinor,
});

export const ReturnSchema = z.object({
  returnId: id,
  orderId: id,
  returnType: z.enum(RETURN_TYPES),
  /** return_status: a RETURN_STATUSES value, or an unknown one kept as sent (not refunded until known). */
  status: statusText,
  currency,
  createTime: unixSeconds,
  updateTime: unixSeconds,
  /** Shipping refunded to the buyer. */
  refundShipping: nonNegativeMinor,
  lines: z.array(ReturnLineSchema),
});
export type Return = z.infer<typeof ReturnSchema>;

export const CANCEL_STATUSES = ['CANCELLATION_REQUEST_PENDING', 'CANCELLATION_REQUEST_SUCCESS', 'CANCELLATION_REQUEST_CANCELLED', 'CANCELLATION_REQUEST_COMPLETE'] as const;
export const CancellationSchema = z.object({
  cancelId: id,
  orderId: id,
  cancelType: z.string(),
  status: z.enum(CANCEL_STATUSES),
  role: z.string(),
  reason: z.string(),
  currency,
  createTime: unixSeconds,
  updateTime: unixSeconds,
  refundTotal: nonNegativeMinor,
  lineIds: z.array(z.string()),
});
export type Cancellation = z.infer<typeof CancellationSchema>;

// ---------------------------------------------------------------- finance: statements

/** Settlement = revenue + shipping cost + fee and tax + adjustment, all signed. */
export const STATEMENT_SIGN_CONVENTION = 'sum-of-signed-parts' as const;

export const STATEMENT_TRANSACTION_TYPES = [
  'ORDER', 'RESERVE',
  'GMV_PAYMENT_FOR_ADS', 'SAMPLE_SHIPPING_FEE', 'COFUNDED_CREATOR_REWARDS', 'CHARGE_BACK',
  'PLATFORM_REIMBURSEMENT', 'LOGISTICS_REIMBURSEMENT', 'SHIPPING_FEE_ADJUSTMENT',
  'FBT_WAREHOUSE_SERVICE_FEE', 'PLATFORM_PENALTY', 'REBATE', 'OTHER_ADJUSTMENT',
] as const;
export type StatementTransactionType = (typeof STATEMENT_TRANSACTION_TYPES)[number];

/*
 * The 202501 statement-transaction fee and tax breakdown fields, each in its margin component
 * (profit-model.md). Sources: the reference's appendix (../shared/reference/tiktok-shop-api.md,
 * "202501 statement-transaction breakdown fields": the API reference page "Get Transactions by
 * Statement" 202501, 32 fee and 11 tax fields, plus the fields seen in live 202501 payloads but
 * missing from that page, 26 fee and 7 tax fields), checked against the official SDK's 202501
 * model of fee_tax_breakdown.fee (29 of the documented fields) and a public client's type of the
 * same object (all 58 fee and 14 of the tax fields). docs/definitions (fees) lists them with
 * their source. `gmv_max_ad_fee_amount` is ad spend (counted once, with GMV-paid ads): it belongs
 * to the ad-spend tables, not here. A field in none of these tables keeps its money (other
 * platform fees) and is named in a data note (see unclassifiedFees).
 */

/** `fee_tax_breakdown.fee` fields that are platform fees, by what they are to the seller. */
export const PLATFORM_FEE_FIELDS = {
  // documented
  referral_fee_amount: 'referralFee',
  platform_commission_amount: 'referralFee',
  transaction_fee_amount: 'transactionFee',
  credit_card_handling_fee_amount: 'transactionFee',
  seller_paylater_handling_fee_amount: 'transactionFee',
  refund_administration_fee_amount: 'refundAdministrationFee',
  sfp_service_fee_amount: 'serviceFees',
  live_specials_fee_amount: 'serviceFees',
  bonus_cashback_service_fee_amount: 'serviceFees',
  mall_service_fee_amount: 'serviceFees',
  voucher_xtra_service_fee_amount: 'serviceFees',
  flash_sales_service_fee_amount: 'serviceFees',
  cofunded_promotion_service_fee_amount: 'serviceFees',
  pre_order_service_fee_amount: 'serviceFees',
  tsp_commission_amount: 'serviceFees',
  dt_handling_fee_amount: 'serviceFees',
  epr_pob_service_fee_amount: 'serviceFees',
  dynamic_commission_amount: 'serviceFees',
  fee_per_item_sold_amount: 'serviceFees',
  vn_fix_infrastructure_fee: 'serviceFees',
  installation_service_fee: 'serviceFees',
  campaign_resource_fee: 'serviceFees',
  // live payloads
  platform_semi_managed_commission_fee: 'referralFee',
  auto_post_shoppable_video_commission_fee: 'serviceFees',
  brand_amplification_program_commission: 'serviceFees',
  brand_campaign_fee: 'serviceFees',
  campaign_period_fee_cfp_amount: 'serviceFees',
  campaign_period_fee_sp_amount: 'serviceFees',
  category_led_campaign_fee_amount: 'serviceFees',
  gmv_max_coupon_fee: 'serviceFees',
  insurance_fee: 'serviceFees',
  new_customer_growth_package_fee: 'serviceFees',
  platform_special_service_fee_amount: 'serviceFees',
  seller_growth_fee_amount: 'serviceFees',
  smart_promotion_fee_amount: 'serviceFees',
  store_gmv_growth_package_fee: 'serviceFees',
  target_product_gmv_growth_package_fee: 'serviceFees',
} as const;
/**
 * `fee_tax_breakdown.fee` fields that are shipping the seller pays (fulfilment and shipping, not
 * platform fees): the breakdown lists them among fees, the margin puts them with shipping.
 */
export const SHIPPING_FEE_FIELDS = {
  shipping_fee_guarantee_service_fee: 'shippingCost', // documented
  failed_delivery_shipping_fee: 'shippingCost', // live
  buyer_fault_return_shipping_fee: 'shippingCost', // live
} as const;
export const CREATOR_COMMISSION_FIELDS = {
  affiliate_commission_amount: 'affiliateCommission',
  affiliate_commission_deposit: 'affiliateCommission',
  affiliate_commission_release: 'affiliateCommission',
  external_affiliate_marketing_fee_amount: 'affiliateCommission',
  affiliate_partner_commission_amount: 'affiliatePartnerCommission',
  affiliate_ads_commission_amount: 'affiliateAdsCommission',
  tap_shop_ads_commission: 'affiliateAdsCommission',
  cofunded_creator_bonus_amount: 'cofundedCreatorBonus',
} as const;
/**
 * Taxes withheld, pass-through, outside contribution margin: every `fee_tax_breakdown.tax` field,
 * and the taxes on fees that live payloads list under `fee_tax_breakdown.fee` (the `*_tax` ones).
 */
export const TAX_FIELDS = [
  // fee_tax_breakdown.tax, documented
  'vat_amount', 'import_vat_amount', 'customs_duty_amount', 'customs_clearance_amount', 'sst_amount',
  'gst_amount', 'iva_amount', 'isr_amount', 'anti_dumping_duty_amount', 'local_vat_amount', 'pit_amount',
  // fee_tax_breakdown.tax, live payloads
  'auto_post_shoppable_video_sales_tax', 'cedular_tax', 'new_customer_growth_package_fee_tax',
  'sales_tax_referral_fee_amount', 'smart_promotion_fee_tax_amount', 'store_gmv_growth_package_fee_sales_tax',
  'target_product_gmv_growth_package_tax',
  // fee_tax_breakdown.fee, live payloads: taxes on fees
  'brand_amplification_program_fee_tax', 'brand_campaign_fee_tax', 'campaign_period_fee_cfp_tax_amount',
  'campaign_period_fee_sp_tax_amount', 'category_led_campaign_fee_tax_amount', 'cps_shop_ads_commission_tax_amount',
  'platform_semi_managed_commission_fee_tax', 'shipping_insurance_fee_tax_amount',
] as const;
/**

 * Ad fees TikTok takes inside an order's settlement (GMV Max paid from GMV, per order): ad spend
 * of that order, never a platform fee. Counted once with the other sources: core/ad-spend.ts.
 */
export const AD_FEE_FIELDS = ['gmv_max_ad_fee_amount'] as const;
export type AdFeeField = (typeof AD_FEE_FIELDS)[number];
/**
 * Fields that restate another field and are no amount of their own: read, never added.
 * `affiliate_commission_amount_before_pit` is `affiliate_commission_amount` before personal
 * income tax withholding (SEA; the tax is `pit_amount`): adding it would count the commission twice.
 */
export const RESTATED_FEE_FIELDS = ['affiliate_commission_amount_before_pit'] as const;
export type PlatformFeeField = keyof typeof PLATFORM_FEE_FIELDS;
export type ShippingFeeField = keyof typeof SHIPPING_FEE_FIELDS;
export type CreatorCommissionField = keyof typeof CREATOR_COMMISSION_FIELDS;
export type TaxField = (typeof TAX_FIELDS)[number];
export type FeeField = PlatformFeeField | ShippingFeeField | CreatorCommissionField | TaxField | AdFeeField;
export const FEE_FIELDS: readonly FeeField[] = [
  ...(Object.keys(PLATFORM_FEE_FIELDS) as PlatformFeeField[]),
  ...(Object.keys(SHIPPING_FEE_FIELDS) as ShippingFeeField[]),
  ...(Object.keys(CREATOR_COMMISSION_FIELDS) as CreatorCommissionField[]),
  ...TAX_FIELDS,
  ...AD_FEE_FIELDS,
];

/** A TikTok field name as it can be shown and stored (snake case). */
export const FEE_FIELD_NAME = /^[a-z][a-z0-9_]*$/;

/** Signed amounts by TikTok fee field; absent = 0. */
const feeMap = z.partialRecord(z.enum(FEE_FIELDS as unknown as [FeeField, ...FeeField[]]), minor);
/** Signed amounts by a fee field name no table classifies. */
const unclassifiedFeeMap = z.record(z.string().check(z.regex(FEE_FIELD_NAME)), minor);

export const StatementTransactionSchema = z.object({
  /** Our key: statement id + type + order/adjustment id + SKU, unique per statement. */
  transactionId: id,
  statementId: id,
  /** When TikTok generated the statement (daily, 00:00 UTC): the cash-view date. */
  statementTime: unixSeconds,
  currency,
  type: z.enum(STATEMENT_TRANSACTION_TYPES),
  /** The order this transaction settles or adjusts (`order_id`, or `adjustment_order_id`). */
  orderId: z.nullable(z.string()),
  adjustmentId: z.nullable(z.string()),
  skuId: z.nullable(z.string()),
  settlementAmount: minor,
  revenueAmount: minor,
  shippingCostAmount: minor,
  feeTaxAmount: minor,
  adjustmentAmount: minor,
  /** revenue_breakdown */
  subtotalBeforeDiscount: minor,
  refundSubtotalBeforeDiscount: minor,
  sellerDiscount: minor,
  sellerDiscountRefund: minor,
  /** shipping_cost_breakdown.customer_paid_shipping_fee_amount (covers its refunds too). */
  customerPaidShippingFee: minor,
  /** shipping_cost_breakdown.actual_shipping_fee_amount (informational). */
  actualShippingFee: minor,
  /** fee_tax_breakdown, by TikTok field name. */
  fees: feeMap,
  /**
   * Breakdown fields no table above classifies yet, by TikTok name (signed, as sent). Their money
   * is already in feeTaxAmount, so the engine books it as other platform fees with the rest of the
   * unexplained fee money; this map only says which fields carried it (a data note). Absent = none.
   */
  unclassifiedFees: z.optional(unclassifiedFeeMap),
  /** Reserve withheld (negative) or released (positive) by this transaction. */
  reserveAmount: minor,
});
export type StatementTransaction = z.infer<typeof StatementTransactionSchema>;

export const STATEMENT_PAYMENT_STATUSES = ['PAID', 'FAILED', 'PROCESSING'] as const;
export const StatementSchema = z.object({
  statementId: id,
  statementTime: unixSeconds,
  currency,
  settlementAmount: minor,
  revenueAmount: minor,
  feeAmount: minor,
  adjustmentAmount: minor,
  shippingCostAmount: minor,
  netSalesAmount: minor,
  paymentStatus: z.enum(STATEMENT_PAYMENT_STATUSES),
  paymentId: z.nullable(z.string()),
});
export type Statement = z.infer<typeof StatementSchema>;

export const PayoutSchema = z.object({
  paymentId: id,
  createTime: unixSeconds,
  paidTime: z.nullable(unixSeconds),
  status: z.enum(STATEMENT_PAYMENT_STATUSES),
  currency,
  /** What reached the bank. */
  amount: minor,
  /** Settlement amounts of the statements this payout pays. */
  settlementAmount: minor,
  /** Reserve withheld (negative) or released (positive) in this payout. */
  reserveAmount: minor,
});
export type Payout = z.infer<typeof PayoutSchema>;

/** TikTok's estimate for an order not yet settled (`/finance/202507/orders/unsettled`). */
export const UnsettledEstimateSchema = z.object({
  orderId: id,
  currency,
  /** When we fetched it; the latest estimate per order wins. */
  fetchedTime: unixSeconds,
  estRevenueAmount: minor,
  estShippingCostAmount: minor,
  estFeeTaxAmount: minor,
  estAdjustmentAmount: minor,
  estSettlementAmount: minor,
  estCustomerPaidShippingFee: minor,
  /** Fee breakdown when TikTok gives one; its remainder against estFeeTaxAmount is kept as other fees. */
  fees: feeMap,
  /** As on StatementTransaction: breakdown fields no table classifies (their money is in the remainder). */
  unclassifiedFees: z.optional(unclassifiedFeeMap),
});
export type UnsettledEstimate = z.infer<typeof UnsettledEstimateSchema>;

// ---------------------------------------------------------------- affiliate

export const AFFILIATE_CONTENT_TYPES = ['SHOP', 'VIDEO', 'LIVE', 'PRE_LIVE', 'PROMOTION_PAGE', 'LINKSHARE'] as const;
export type AffiliateContentType = (typeof AFFILIATE_CONTENT_TYPES)[number];
export const AFFILIATE_ORDER_STATUSES = ['PROCESSING', 'COMPLETED', 'CANCELLED', 'FROZEN', 'DEDUCTED'] as const;

/** One SKU of an affiliate (creator-attributed) order. */
export const CreatorOrderLineSchema = z.object({
  orderId: id,
  skuId: id,
  productId: z.string(),
  creatorUsername: id,
  contentType: z.enum(AFFILIATE_CONTENT_TYPES),
  contentId: z.string(),
  /** An AFFILIATE_ORDER_STATUSES value, or an unknown one kept as sent (no figure reads it). */
  status: statusText,
  createTime: unixSeconds,
  currency,
  /**
   * Hundredths of a percent (1550 = 15.50%), as the API gives it; null when TikTok sent none.
   * Shown only: commission figures come from the commission amounts (a data note counts the nulls).
   */
  commissionRateBp: z.nullable(count),
  shopAdsCommissionRateBp: count,
  quantity: count,
  refundedQuantity: count,
  returnedQuantity: count,
  price: nonNegativeMinor,
  estimatedCommissionBase: nonNegativeMinor,
  estimatedCommission: nonNegativeMinor,
  estimatedShopAdsCommission: nonNegativeMinor,
  estimatedCofundedBonus: nonNegativeMinor,
  actualCommissionBase: nonNegativeMinor,
  actualCommission: nonNegativeMinor,
  actualShopAdsCommission: nonNegativeMinor,
  actualCofundedBonus: nonNegativeMinor,
});
export type CreatorOrderLine = z.infer<typeof CreatorOrderLineSchema>;

// ---------------------------------------------------------------- ads, products, analytics

export const AD_FUNDING_SOURCES = ['AD_ACCOUNT', 'GMV_PAYMENT'] as const;
export const AdSpendSchema = z.object({
  advertiserId: id,
  /** Day in the advertiser's timezone (the Marketing API's `stat_time_day`). */
  date: dayString,
  advertiserTimezone: z.string().check(z.minLength(1)),
  campaignId: id,
  campaignName: z.string(),
  currency,
  /** The cost: the report's `billed_cost` (what was billed, after ad credits and coupons); see docs/ads.md. */
  spend: nonNegativeMinor,
  /** The report's `spend` (before ad credits and coupons), shown beside the cost; null when not reported. */
  grossSpend: z.optional(z.nullable(nonNegativeMinor)),
  /**
   * GMV_PAYMENT: paid out of shop GMV, so the statement's GMV_PAYMENT_FOR_ADS transaction
   * already carries it; the engine counts it there and skips this row (counted once).
   */
  fundingSource: z.enum(AD_FUNDING_SOURCES),
  /** Products the campaign promotes (GMV Max item ids or the mapping tab), for by-product allocation. */
  productIds: z.array(z.string()),
  /** Creator whose content the campaign promotes, when mapped (creator's linked ad support). */
  creatorUsername: z.nullable(z.string()),
});
export type AdSpend = z.infer<typeof AdSpendSchema>;

export const ProductSkuSchema = z.object({
  productId: id,
  skuId: id,
  sellerSku: z.string(),
  productName: z.string(),
  skuName: z.string(),
  status: z.string(),
  category: z.string(),
  currency,
  price: nonNegativeMinor,
  createTime: unixSeconds,
  updateTime: unixSeconds,
});
export type ProductSku = z.infer<typeof ProductSkuSchema>;

export const ProductPerformanceSchema = z.object({
  productId: id,
  date: dayString,
  impressions: count,
  pageViews: count,
  unitsSold: count,
  currency,
  gmv: nonNegativeMinor,
});
export type ProductPerformance = z.infer<typeof ProductPerformanceSchema>;

export const SHOP_TRAFFIC_TYPES = ['LIVE', 'VIDEO', 'PRODUCT_CARD'] as const;
export const ShopPerformanceSchema = z.object({
  date: dayString,
  currency,
  gmv: nonNegativeMinor,
  orders: count,
  buyers: count,
  productImpressions: count,
  productPageViews: count,
  gmvByType: z.partialRecord(z.enum(SHOP_TRAFFIC_TYPES), nonNegativeMinor),
});
export type ShopPerformance = z.infer<typeof ShopPerformanceSchema>;

// ---------------------------------------------------------------- seller-entered

/** COGS tab row: unit landed cost of a SKU from a date on (shop timezone). */
export const CogsEntrySchema = z.object({
  /** Seller SKU or TikTok SKU id. */
  sku: id,
  currency,
  unitCost: nonNegativeMinor,
  effectiveFrom: dayString,
});
export type CogsEntry = z.infer<typeof CogsEntrySchema>;

export const FixedCostSchema = z.object({
  month: monthString,
  label: z.string(),
  currency,
  amount: minor,
});
export type FixedCost = z.infer<typeof FixedCostSchema>;

/** A flat fee paid to a creator (entered by the seller): creator marketing cost. */
export const CreatorFeeSchema = z.object({
  creatorUsername: id,
  date: dayString,
  currency,
  amount: nonNegativeMinor,
  note: z.string(),
});
export type CreatorFee = z.infer<typeof CreatorFeeSchema>;

// ---------------------------------------------------------------- validation

/** Everything the engine reads for one shop. */
export interface ShopData {
  orders: Order[];
  lines: OrderLine[];
  returns: Return[];
  cancellations: Cancellation[];
  statements: Statement[];
  transactions: StatementTransaction[];
  payouts: Payout[];
  unsettled: UnsettledEstimate[];
  creatorOrders: CreatorOrderLine[];
  adSpend: AdSpend[];
  products: ProductSku[];
  productPerformance: ProductPerformance[];
  shopPerformance: ShopPerformance[];
  cogs: CogsEntry[];
  fixedCosts: FixedCost[];
  creatorFees: CreatorFee[];
}

export function emptyShopData(): ShopData {
  return {
    orders: [], lines: [], returns: [], cancellations: [], statements: [], transactions: [], payouts: [],
    unsettled: [], creatorOrders: [], adSpend: [], products: [], productPerformance: [], shopPerformance: [],
    cogs: [], fixedCosts: [], creatorFees: [],
  };
}

interface Issue {
  path: PropertyKey[];
  code: string;
  expected?: string;
  values?: unknown[];
  origin?: string;
  minimum?: number | bigint;
  keys?: string[];
  message?: string;
}

function describeExpected(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'int' ? 'a whole number' : `a ${issue.expected}`;
    case 'invalid_value':
      return `one of ${(issue.values ?? []).map((v) => String(v)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'string' ? 'a non-empty text' : `a value of at least ${String(issue.minimum)}`;
    case 'invalid_format':
      return 'the documented format';
    case 'invalid_key':
      return 'a known key';
    case 'unrecognized_keys':
      return `only known field names (not ${(issue.keys ?? []).join(', ')})`;
    default:
      return issue.message && issue.message !== 'Invalid input' ? issue.message : 'a valid value';
  }
}

function pick(obj: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = obj;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

/**
 * Validates one record against its schema; on failure throws a DataError naming the
 * record kind, its id, the field path, what was expected and what was found.
 */
export function parseRecord<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: readonly unknown[] } } },
  value: unknown,
  record: string,
  recordId?: string,
): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0] as Issue;
  const field = issue.path.map(String).join('.') || '(record)';
  const got = pick(value, issue.path);
  let expected = describeExpected(issue);
  if (issue.code === 'custom' && issue.message) expected = issue.message;
  throw new DataError({ record, id: recordId, field, expected, got });
}

export { showValue };
