/**
 * The warehouse tables: the normalized records (records.ts) as flat rows, one table per record
 * kind, nested lists (a transaction's fee breakdown, a return's lines, a campaign's products)
 * as child tables, so the SQL never parses JSON and BigQuery and DuckDB read the same columns.
 *
 * Every field of a record has a column (nothing is lost on the way); names are the record's
 * field names in snake_case. Each table has a key: the load MERGEs by it, so loading the same
 * record twice updates it instead of adding a second row.
 */
import { CostBook } from '../core/cogs';
import type { ShopData } from '../core/records';
import type { Settings } from '../core/settings';

export type ColumnType = 'INT64' | 'STRING' | 'BOOL' | 'DATE';
export interface Column {
  name: string;
  type: ColumnType;
  /** REPEATED: a list of values (kept for completeness; the SQL reads child tables instead). */
  repeated?: boolean;
}
export interface TableSpec {
  name: string;
  columns: Column[];
  /** Columns that identify a row; empty = the table is replaced whole on each load (settings). */
  key: string[];
}

type Row = Record<string, unknown>;

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());

/** Columns from a record's field names: `name:TYPE`, `name[]` for a list of strings. */
function cols(spec: string): Column[] {
  return spec.trim().split(/\s+/).map((f) => {
    const [field, type = 'STRING'] = f.split(':');
    const repeated = field.endsWith('[]');
    return { name: snake(repeated ? field.slice(0, -2) : field), type: type as ColumnType, ...(repeated ? { repeated } : {}) };
  });
}

export const TABLES: readonly TableSpec[] = [
  {
    name: 'orders', key: ['order_id'],
    columns: cols(`orderId buyerId status currency createTime:INT64 updateTime:INT64 paidTime:INT64 cancelTime:INT64
      deliveryTime:INT64 fulfillmentType isSample:BOOL sampleCreator originalShippingFee:INT64 shippingSellerDiscount:INT64
      shippingPlatformDiscount:INT64 shippingFee:INT64 tax:INT64 totalAmount:INT64`),
  },
  {
    name: 'order_lines', key: ['order_id', 'line_id'],
    columns: cols(`lineId orderId skuId productId sellerSku productName skuName currency quantity:INT64 originalPrice:INT64
      sellerDiscount:INT64 platformDiscount:INT64 salePrice:INT64 cancelled:BOOL`),
  },
  {
    name: 'returns', key: ['return_id'],
    columns: cols('returnId orderId returnType status currency createTime:INT64 updateTime:INT64 refundShipping:INT64'),
  },
  {
    name: 'return_lines', key: ['return_id', 'line_no'],
    columns: cols('returnId lineNo:INT64 lineId skuId quantity:INT64 refundedOriginal:INT64 refundedSellerDiscount:INT64'),
  },
  {
    name: 'cancellations', key: ['cancel_id'],
    columns: cols('cancelId orderId cancelType status role reason currency createTime:INT64 updateTime:INT64 refundTotal:INT64 lineIds[]'),
  },
  {
    name: 'statements', key: ['statement_id'],
    columns: cols(`statementId statementTime:INT64 currency settlementAmount:INT64 revenueAmount:INT64 feeAmount:INT64
      adjustmentAmount:INT64 shippingCostAmount:INT64 netSalesAmount:INT64 paymentStatus paymentId`),
  },
  {
    name: 'statement_transactions', key: ['transaction_id'],
    columns: cols(`transactionId statementId statementTime:INT64 currency type orderId adjustmentId skuId settlementAmount:INT64
      revenueAmount:INT64 shippingCostAmount:INT64 feeTaxAmount:INT64 adjustmentAmount:INT64 subtotalBeforeDiscount:INT64
      refundSubtotalBeforeDiscount:INT64 sellerDiscount:INT64 sellerDiscountRefund:INT64 customerPaidShippingFee:INT64
      actualShippingFee:INT64 reserveAmount:INT64`),
  },
  { name: 'transaction_fees', key: ['transaction_id', 'field'], columns: cols('transactionId field amount:INT64') },
  {
    name: 'payouts', key: ['payment_id'],
    columns: cols('paymentId createTime:INT64 paidTime:INT64 status currency amount:INT64 settlementAmount:INT64 reserveAmount:INT64'),
  },
  {
    name: 'unsettled_estimates', key: ['order_id', 'fetched_time'],
    columns: cols(`orderId currency fetchedTime:INT64 estRevenueAmount:INT64 estShippingCostAmount:INT64 estFeeTaxAmount:INT64
      estAdjustmentAmount:INT64 estSettlementAmount:INT64 estCustomerPaidShippingFee:INT64`),
  },
  { name: 'unsettled_fees', key: ['order_id', 'fetched_time', 'field'], columns: cols('orderId fetchedTime:INT64 field amount:INT64') },
  {
    name: 'creator_order_lines', key: ['order_id', 'sku_id', 'creator_username', 'content_id'],
    columns: cols(`orderId skuId productId creatorUsername contentType contentId status createTime:INT64 currency
      commissionRateBp:INT64 shopAdsCommissionRateBp:INT64 quantity:INT64 refundedQuantity:INT64 returnedQuantity:INT64
      price:INT64 estimatedCommissionBase:INT64 estimatedCommission:INT64 estimatedShopAdsCommission:INT64
      estimatedCofundedBonus:INT64 actualCommissionBase:INT64 actualCommission:INT64 actualShopAdsCommission:INT64
      actualCofundedBonus:INT64`),
  },
  {
    name: 'ad_spend', key: ['advertiser_id', 'campaign_id', 'date'],
    columns: cols('advertiserId date:DATE advertiserTimezone campaignId campaignName currency spend:INT64 fundingSource creatorUsername'),
  },
  { name: 'ad_spend_products', key: ['advertiser_id', 'campaign_id', 'date', 'product_id'], columns: cols('advertiserId campaignId date:DATE productId') },
  { name: 'cogs', key: ['sku', 'effective_from'], columns: cols('sku currency unitCost:INT64 effectiveFrom:DATE') },
  { name: 'fixed_costs', key: ['month', 'label'], columns: cols('month label currency amount:INT64') },
  { name: 'creator_fees', key: ['creator_username', 'date', 'note'], columns: cols('creatorUsername date:DATE currency amount:INT64 note') },
  {
    // One row: the definitions' settings and the as-of time of the refresh that wrote them.
    name: 'settings', key: [],
    columns: cols(`currency timezone allocationMethod restockShareReturnBp:INT64 restockShareRefundOnlyBp:INT64
      packagingCostPerOrder:INT64 pickPackCostPerOrder:INT64 trailingWindowDays:INT64 trailingMinOrders:INT64
      referralFeeBp:INT64 transactionFeeBp:INT64 serviceFeeBp:INT64 refundAdminShareBp:INT64 refundAdminCapPerSku:INT64
      shippingCostPerOrder:INT64 asOf:INT64`),
  },
];

export const TABLE: Readonly<Record<string, TableSpec>> = Object.fromEntries(TABLES.map((t) => [t.name, t]));

/** A record's fields as a row of `spec` (camelCase fields → snake_case columns; absent → null). */
function toRow(spec: TableSpec, record: Record<string, unknown>): Row {
  const row: Row = {};
  for (const c of spec.columns) {
    const camel = c.name.replace(/_([a-z])/g, (_, x: string) => x.toUpperCase());
    const v = record[camel];
    row[c.name] = v === undefined ? null : v;
  }
  return row;
}

/**
 * The shop's records as table rows. Refuses what the SQL could not define the same way as the
 * engine: two different costs for one SKU and day (the engine's CostBook refuses it too).
 */
export function shopRows(data: ShopData, settings: Settings, asOf: number): Record<string, Row[]> {
  new CostBook(data.cogs, settings.currency);
  const t = TABLE;
  const out: Record<string, Row[]> = {};
  const put = (name: string, rows: Row[]) => (out[name] = rows);
  const map = <T>(name: string, items: readonly T[]) => put(name, items.map((x) => toRow(t[name], x as Record<string, unknown>)));

  map('orders', data.orders);
  map('order_lines', data.lines);
  map('returns', data.returns);
  put('return_lines', data.returns.flatMap((r) => r.lines.map((l, i) => ({
    return_id: r.returnId, line_no: i, line_id: l.lineId, sku_id: l.skuId, quantity: l.quantity,
    refunded_original: l.refundedOriginal, refunded_seller_discount: l.refundedSellerDiscount,
  }))));
  map('cancellations', data.cancellations);
  map('statements', data.statements);
  map('statement_transactions', data.transactions);
  put('transaction_fees', data.transactions.flatMap((x) =>
    Object.entries(x.fees).map(([field, amount]) => ({ transaction_id: x.transactionId, field, amount }))));
  map('payouts', data.payouts);
  map('unsettled_estimates', data.unsettled);
  put('unsettled_fees', data.unsettled.flatMap((e) =>
    Object.entries(e.fees).map(([field, amount]) => ({ order_id: e.orderId, fetched_time: e.fetchedTime, field, amount }))));
  map('creator_order_lines', data.creatorOrders);
  map('ad_spend', data.adSpend);
  put('ad_spend_products', data.adSpend.flatMap((a) => [...new Set(a.productIds)].map((productId) => ({
    advertiser_id: a.advertiserId, campaign_id: a.campaignId, date: a.date, product_id: productId,
  }))));
  map('cogs', data.cogs);
  map('fixed_costs', data.fixedCosts);
  map('creator_fees', data.creatorFees);
  const c = settings.rateCard;
  put('settings', [{
    currency: settings.currency, timezone: settings.timezone, allocation_method: settings.allocationMethod,
    restock_share_return_bp: settings.restockShareReturnBp, restock_share_refund_only_bp: settings.restockShareRefundOnlyBp,
    packaging_cost_per_order: settings.packagingCostPerOrder, pick_pack_cost_per_order: settings.pickPackCostPerOrder,
    trailing_window_days: settings.trailingWindowDays, trailing_min_orders: settings.trailingMinOrders,
    referral_fee_bp: c.referralFeeBp, transaction_fee_bp: c.transactionFeeBp, service_fee_bp: c.serviceFeeBp,
    refund_admin_share_bp: c.refundAdminShareBp, refund_admin_cap_per_sku: c.refundAdminCapPerSku,
    shipping_cost_per_order: c.shippingCostPerOrder, as_of: asOf,
  }]);
  return out;
}
