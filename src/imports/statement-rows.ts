/**
 * What the statement-like exports share (US statement "Order details", SEA "Income", unsettled
 * orders): the fee columns and the TikTok fee field each carries, the statement "Type" names,
 * the revenue/shipping/fee breakdown of a row, transaction keys, statement totals, payment
 * statuses and the note on fee money no column breaks down.
 */
import {
  StatementTransactionSchema, type FeeField, type Statement, type StatementTransaction, type StatementTransactionType, StatementSchema,
} from '../core/records';
import { formatAmount } from '../core/money';
import { unexplainedFeeAmount, uniqueKey } from '../core/statement';
import { col, norm, type ColFlags, type ColSpec } from './headers';
import type { RowReader } from './sheet';

/** Fee columns → TikTok fee field names (FEE_FIELDS). Two columns on one field are added up. Aliases: headers.ts. */
export const FEE_COLUMNS: { name: string; field: FeeField }[] = [
  { name: 'Transaction fee', field: 'transaction_fee_amount' },
  { name: 'Referral fee', field: 'referral_fee_amount' },
  { name: 'TikTok Shop commission fee', field: 'platform_commission_amount' },
  { name: 'Refund administration fee', field: 'refund_administration_fee_amount' },
  { name: 'Affiliate commission', field: 'affiliate_commission_amount' },
  // The refund of an affiliate commission is the same component, opposite sign.
  { name: 'Affiliate commission refund', field: 'affiliate_commission_amount' },
  { name: 'Affiliate commission deposit', field: 'affiliate_commission_deposit' },
  { name: 'Affiliate partner commission', field: 'affiliate_partner_commission_amount' },
  { name: 'Affiliate Shop Ads commission', field: 'affiliate_ads_commission_amount' },
  { name: 'Affiliate Partner shop ads commission', field: 'tap_shop_ads_commission' },
  { name: 'TikTok Shop Partner commission', field: 'tsp_commission_amount' },
  { name: 'Co-funded promotion (seller-funded)', field: 'cofunded_promotion_service_fee_amount' },
  { name: 'SFP service fee', field: 'sfp_service_fee_amount' },
  { name: 'LIVE Specials service fee', field: 'live_specials_fee_amount' },
  { name: 'Voucher Xtra service fee', field: 'voucher_xtra_service_fee_amount' },
  { name: 'Flash Sale service fee', field: 'flash_sales_service_fee_amount' },
  { name: 'Pre-order service fee', field: 'pre_order_service_fee_amount' },
  { name: 'Mall service fee', field: 'mall_service_fee_amount' },
  { name: 'Dynamic Commission', field: 'dynamic_commission_amount' },
  { name: 'Fee per item sold', field: 'fee_per_item_sold_amount' },
  { name: 'GST', field: 'gst_amount' },
  { name: 'VAT', field: 'vat_amount' },
  { name: 'SST', field: 'sst_amount' },
];
// Fee columns with no TikTok field known to core (Campaign service fee, Smart Promotion fee,
// Marketing benefits package fee, Bonus cashback / EAMS / PayLater / Shipping service fee,
// Campaign resource fee, Order processing fee, GMV Max Coupon, ICMS…) are not put in `fees`:
// they are inside the "Fees"/"Total fees" total, and the engine books the part of feeTaxAmount
// the breakdown does not explain as other platform fees, so no money is lost (and a note says so).

/** The fee columns as column specs (keys fee0, fee1…); `flags` e.g. `{ estimate: true }` for the unsettled export. */
export const feeCols = (flags: ColFlags = {}): ColSpec[] => FEE_COLUMNS.map((f, i) => col(`fee${i}`, f.name, flags));

export function fees(r: RowReader): Partial<Record<FeeField, number>> {
  const out: Partial<Record<FeeField, number>> = {};
  FEE_COLUMNS.forEach((f, i) => {
    const key = `fee${i}`;
    if (!r.sheet.has(key) || r.text(key) === '') return;
    out[f.field] = (out[f.field] ?? 0) + r.amount(key);
  });
  return out;
}

/**
 * Statement "Type" (normalized) → core transaction type. "Refund" rows are the negative
 * transactions of an order (the API files them as ORDER too). Choices where the export's type
 * has no API twin: "Shipping insurance compensation" → LOGISTICS_REIMBURSEMENT (money back for a
 * parcel lost or damaged in transit); "Additional Campaign Package" → OTHER_ADJUSTMENT.
 */
export const TX_TYPES: Record<string, StatementTransactionType> = {
  order: 'ORDER', refund: 'ORDER', reserve: 'RESERVE',
  gmvpaymentfortiktokads: 'GMV_PAYMENT_FOR_ADS', gmvpaymentforads: 'GMV_PAYMENT_FOR_ADS',
  sampleshippingfee: 'SAMPLE_SHIPPING_FEE', cofundedcreatorrewards: 'COFUNDED_CREATOR_REWARDS',
  chargeback: 'CHARGE_BACK', platformreimbursement: 'PLATFORM_REIMBURSEMENT', tiktokshopreimbursement: 'PLATFORM_REIMBURSEMENT',
  logisticsreimbursement: 'LOGISTICS_REIMBURSEMENT', shippinginsurancecompensation: 'LOGISTICS_REIMBURSEMENT',
  shippingfeeadjustment: 'SHIPPING_FEE_ADJUSTMENT', fbtwarehouseservicefee: 'FBT_WAREHOUSE_SERVICE_FEE',
  platformpenalty: 'PLATFORM_PENALTY', rebate: 'REBATE', otheradjustment: 'OTHER_ADJUSTMENT',
  additionalcampaignpackage: 'OTHER_ADJUSTMENT',
};
const TX_TYPE_NAMES = ['Order', 'Refund', 'GMV Payment for TikTok Ads', 'Platform reimbursement', 'Logistics reimbursement',
  'Shipping insurance compensation', 'Other adjustment', 'Additional Campaign Package', 'Reserve', 'Sample shipping fee',
  'Co-funded creator rewards', 'Chargeback', 'Shipping fee adjustment', 'FBT warehouse service fee', 'Platform penalty', 'Rebate'];

export function txType(r: RowReader): StatementTransactionType {
  const t = r.required('type', 'a transaction type');
  const direct = (STATEMENT_TYPE_SET.has(t.toUpperCase()) ? t.toUpperCase() : undefined) as StatementTransactionType | undefined;
  const type = TX_TYPES[norm(t)] ?? direct;
  if (!type) r.fail('type', `a known statement type (${TX_TYPE_NAMES.join(', ')})`);
  return type;
}
const STATEMENT_TYPE_SET = new Set<string>(StatementTransactionSchema.shape.type.options as readonly string[]);

/**
 * The revenue, shipping and fee breakdown of a statement row; both statement kinds name these
 * columns with the same keys (SPECS). actualShippingFee = the actual (US: TikTok Shop) shipping
 * fee + the FBT shipping fee where the file has one; a missing column reads as 0.
 */
export function breakdownOf(r: RowReader): Pick<StatementTransaction,
  'subtotalBeforeDiscount' | 'refundSubtotalBeforeDiscount' | 'sellerDiscount' | 'sellerDiscountRefund' | 'customerPaidShippingFee' | 'actualShippingFee' | 'fees'> {
  return {
    subtotalBeforeDiscount: r.amount('subtotalBefore'),
    refundSubtotalBeforeDiscount: r.amount('refundSubtotalBefore'),
    sellerDiscount: r.amount('sellerDiscount'),
    sellerDiscountRefund: r.amount('sellerDiscountRefund'),
    customerPaidShippingFee: r.amounts('customerShipping', 'customerShippingRefund'),
    actualShippingFee: r.amounts('actualShipping', 'fbtShippingFee'),
    fees: fees(r),
  };
}

/** `{statement}:{TYPE}:{order}:{adjustment}` (+ `:{sku}` for SKU rows) as the API mapping, `#n` for repeats in file order. */
export function transactionKey(seen: Map<string, number>, statementId: string, type: string, orderId: string | null, adjustmentId: string | null, skuId: string | null): string {
  const id = `${statementId}:${type}:${orderId ?? ''}:${adjustmentId ?? ''}`;
  return uniqueKey(seen, skuId ? `${id}:${skuId}` : id);
}

export function statementOf(statementId: string, statementTime: number, currency: string, txs: StatementTransaction[], paymentStatus: Statement['paymentStatus'], paymentId: string | null): Statement {
  const sum = (f: (t: StatementTransaction) => number) => txs.reduce((s, t) => s + f(t), 0);
  return {
    statementId, statementTime, currency,
    settlementAmount: sum((t) => t.settlementAmount),
    revenueAmount: sum((t) => t.revenueAmount),
    feeAmount: sum((t) => t.feeTaxAmount),
    adjustmentAmount: sum((t) => t.adjustmentAmount),
    shippingCostAmount: sum((t) => t.shippingCostAmount),
    netSalesAmount: sum((t) => t.revenueAmount),
    paymentStatus, paymentId,
  };
}

export function paymentStatusOf(r: RowReader, key: string): Statement['paymentStatus'] {
  const s = norm(r.text(key));
  if (['paid', 'settled', 'completed', 'success', 'successful'].includes(s)) return 'PAID';
  if (['failed', 'rejected'].includes(s)) return 'FAILED';
  if (['', 'processing', 'pending', 'unpaid', 'notpaid', 'onhold', 'inreview'].includes(s)) return 'PROCESSING';
  return r.fail(key, 'a payment status (Paid, Processing, Pending or Failed)');
}

/**
 * The part of the transactions' fee total ("Fees" / "Total fees") that no fee column of the file
 * breaks down (e.g. a Campaign service fee, or a fee of a program the file has no column for).
 * Nothing is lost — the engine books it as other platform fees — but the seller is told.
 */
export function unexplainedFeeNote(fileName: string, transactions: readonly Pick<StatementTransaction, 'fees' | 'feeTaxAmount'>[], currency: string): string[] {
  let rows = 0;
  let total = 0;
  for (const t of transactions) {
    const unexplained = unexplainedFeeAmount(t.fees, t.feeTaxAmount);
    if (unexplained !== 0) {
      rows++;
      total += unexplained;
    }
  }
  if (rows === 0) return [];
  return [`On ${rows} row${rows === 1 ? '' : 's'} of ${fileName}, the fee total is not fully broken down by the fee columns this add-on reads (${formatAmount(total, currency)} ${currency} in all): that part is counted as other platform fees.`];
}

export function validateStatement(s: Statement): Statement {
  const r = StatementSchema.safeParse(s);
  if (!r.success) throw new Error(`Internal: statement ${s.statementId} is not valid`);
  return r.data;
}
