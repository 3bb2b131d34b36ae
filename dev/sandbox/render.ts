/**
 * Renders the generator's normalized records as TikTok Shop Partner API JSON
 * (/work/shared/reference/tiktok-shop-api.md §4–§5). The sandbox answers with these objects.
 *
 * Rendering choices (one place for each; the reference leaves them open):
 * - Amounts are strings from formatAmount ("35.97", "-12.30"; whole yen for JPY: "1480").
 *   Times are integer Unix seconds. Absent times (not yet paid, not cancelled…) are omitted,
 *   never null or 0.
 * - Order `user_id` = the record's buyerId; `buyer_email` is an anonymized address built from
 *   it. `fulfillment_type` is the record's; `shipping_type` is TIKTOK for FBT orders and
 *   SELLER otherwise; `delivery_type` HOME_DELIVERY; `order_type` NORMAL;
 *   `commerce_platform` TIKTOK_SHOP; `is_sample_order` = isSample.
 * - `rts_time`, `collection_time` are not in the records and are omitted. `packages` has one
 *   package (id derived from the order id) once the order is past AWAITING_SHIPMENT.
 * - `recipient_address` is absent while UNPAID or ON_HOLD (as documented), otherwise a
 *   made-up address in the shop's region.
 * - `cancellation_initiator` / `cancel_reason` come from the order's cancellation record
 *   (role BUYER/SELLER/SYSTEM) when the order is CANCELLED.
 * - payment: the order as placed (a later line cancellation does not rewrite it):
 *   original_total_product_price = Σ line originalPrice, seller_discount / platform_discount
 *   = Σ line discounts, sub_total = Σ line salePrice (= original − seller − platform),
 *   original_shipping_fee, shipping_fee_seller_discount, shipping_fee_platform_discount,
 *   shipping_fee (= original − both discounts), shipping_fee_cofunded_discount "0",
 *   tax = the record's tax, split into product_tax and shipping_fee_tax in proportion to
 *   sub_total and shipping_fee (largest remainder); total_amount = the record's totalAmount
 *   (= sub_total + shipping_fee + tax). retail_delivery_fee, small_order_fee,
 *   buyer_service_fee, handling_fee, the insurance fees and item_insurance_tax are "0".
 * - line_items: one item per unit (the API has no quantity). The sandbox generates with
 *   unitLines, so each record line is one item with the line's id; a record line of q > 1
 *   units (unitLines off) is split into q items with ids `${lineId}`, `${lineId}-2`, … and its
 *   amounts allocated evenly (largest remainder). Per item: sale_price, original_price,
 *   seller_discount, platform_discount, currency, is_gift false, sku_type NORMAL,
 *   display_status (CANCELLED for a cancelled line, else the order status), package_id /
 *   package_status when packaged, cancel_user / cancel_reason for a cancelled line,
 *   item_tax [] (tax is reported at order level only), combined_listing_skus absent.
 * - Statements (GET /finance/202309/statements): amounts keep the records' signs (costs
 *   negative, as in the doc's samples); `revenue_amount` is omitted for US and GB shops (the
 *   doc says it is not returned there); net_sales_amount = revenue.
 * - Statement transactions (202501): `id` = the record's transactionId; ORDER rows carry
 *   `order_id` and `order_create_time`, adjustments `adjustment_id` (+ `adjustment_order_id`
 *   when linked to an order), RESERVE rows `reserve_amount`. Breakdowns list every field we
 *   have; fee fields absent from a transaction are omitted (absent = 0).
 */
import { allocateByWeights, formatAmount } from '../../src/core/money';
import {
  TAX_FIELDS,
  type Cancellation, type FeeField, type Order, type OrderLine, type Statement, type StatementTransaction,
} from '../../src/core/records';

export interface ShopInfo {
  id: string;
  name: string;
  region: string;
  sellerType: 'CROSS_BORDER' | 'LOCAL';
  cipher: string;
  code: string;
}

type Json = Record<string, unknown>;

const SHIPPED = new Set(['AWAITING_COLLECTION', 'PARTIALLY_SHIPPING', 'IN_TRANSIT', 'DELIVERED', 'COMPLETED']);

export function renderShop(s: ShopInfo): Json {
  return { id: s.id, name: s.name, region: s.region, seller_type: s.sellerType, cipher: s.cipher, code: s.code };
}

export function renderOrder(o: Order, lines: readonly OrderLine[], cancellation: Cancellation | null, region: string): Json {
  const c = o.currency;
  const f = (minor: number) => formatAmount(minor, c);
  let original = 0, sd = 0, pd = 0, sub = 0;
  for (const l of lines) { original += l.originalPrice; sd += l.sellerDiscount; pd += l.platformDiscount; sub += l.salePrice; }
  const [productTax, shippingTax] = o.tax === 0 ? [0, 0] : allocateByWeights(o.tax, sub + o.shippingFee > 0 ? [sub, o.shippingFee] : [1, 0]);
  const packaged = SHIPPED.has(o.status);
  const packageId = `1152${o.orderId.slice(4)}`;
  const items: Json[] = [];
  for (const l of lines) {
    const q = l.quantity;
    const split = (x: number) => (q === 1 ? [x] : allocateByWeights(x, new Array<number>(q).fill(1)));
    const op = split(l.originalPrice), lsd = split(l.sellerDiscount), lpd = split(l.platformDiscount);
    for (let k = 0; k < q; k++) {
      const item: Json = {
        id: k === 0 ? l.lineId : `${l.lineId}-${k + 1}`,
        sku_id: l.skuId, product_id: l.productId, product_name: l.productName, sku_name: l.skuName, seller_sku: l.sellerSku,
        sale_price: f(op[k] - lsd[k] - lpd[k]), original_price: f(op[k]), seller_discount: f(lsd[k]), platform_discount: f(lpd[k]),
        currency: c, is_gift: false, sku_type: 'NORMAL',
        display_status: l.cancelled ? 'CANCELLED' : o.status,
        item_tax: [],
      };
      if (packaged && !l.cancelled) { item.package_id = packageId; item.package_status = o.status === 'COMPLETED' || o.status === 'DELIVERED' ? 'DELIVERED' : 'SHIPPED'; }
      if (l.cancelled) {
        const role = cancellation?.role ?? 'SELLER';
        item.cancel_user = role;
        item.cancel_reason = cancellation?.reason ?? 'Out of stock';
      }
      items.push(item);
    }
  }
  const out: Json = {
    id: o.orderId,
    status: o.status,
    user_id: o.buyerId,
    buyer_email: `v2_${o.buyerId.slice(-8)}@scs.tiktokw.us`,
    create_time: o.createTime,
    update_time: o.updateTime,
    fulfillment_type: o.fulfillmentType,
    shipping_type: o.fulfillmentType === 'FULFILLMENT_BY_TIKTOK' ? 'TIKTOK' : 'SELLER',
    delivery_type: 'HOME_DELIVERY',
    order_type: 'NORMAL',
    is_sample_order: o.isSample,
    is_replacement_order: false,
    is_exchange_order: false,
    commerce_platform: 'TIKTOK_SHOP',
    payment: {
      currency: c,
      sub_total: f(sub),
      shipping_fee: f(o.shippingFee),
      seller_discount: f(sd),
      platform_discount: f(pd),
      total_amount: f(o.totalAmount),
      original_total_product_price: f(original),
      original_shipping_fee: f(o.originalShippingFee),
      shipping_fee_seller_discount: f(o.shippingSellerDiscount),
      shipping_fee_platform_discount: f(o.shippingPlatformDiscount),
      shipping_fee_cofunded_discount: f(0),
      tax: f(o.tax),
      product_tax: f(productTax),
      shipping_fee_tax: f(shippingTax),
      retail_delivery_fee: f(0),
      small_order_fee: f(0),
      buyer_service_fee: f(0),
      handling_fee: f(0),
      shipping_insurance_fee: f(0),
      item_insurance_fee: f(0),
      item_insurance_tax: f(0),
    },
    line_items: items,
    packages: packaged ? [{ id: packageId }] : [],
  };
  if (o.paidTime !== null) out.paid_time = o.paidTime;
  if (o.cancelTime !== null) out.cancel_time = o.cancelTime;
  if (o.deliveryTime !== null) out.delivery_time = o.deliveryTime;
  if (o.status === 'CANCELLED' && cancellation) {
    out.cancellation_initiator = cancellation.role;
    out.cancel_reason = cancellation.reason;
  }
  if (o.status !== 'UNPAID' && o.status !== 'ON_HOLD') {
    out.recipient_address = {
      name: 'S*** B***', phone_number: '(+1)213*****42', region_code: region,
      full_address: region === 'JP' ? '東京都 渋谷区 *** ' : '*** Sandbox St, Los Angeles, CA 90001',
      postal_code: region === 'JP' ? '150-0002' : '90001',
    };
  }
  return out;
}

export function renderStatement(s: Statement, region: string): Json {
  const f = (minor: number) => formatAmount(minor, s.currency);
  const out: Json = {
    id: s.statementId,
    statement_time: s.statementTime,
    settlement_amount: f(s.settlementAmount),
    currency: s.currency,
    fee_amount: f(s.feeAmount),
    adjustment_amount: f(s.adjustmentAmount),
    shipping_cost_amount: f(s.shippingCostAmount),
    net_sales_amount: f(s.netSalesAmount),
    payment_status: s.paymentStatus,
  };
  if (region !== 'US' && region !== 'GB') out.revenue_amount = f(s.revenueAmount);
  if (s.paymentId !== null) out.payment_id = s.paymentId;
  return out;
}

function feeBreakdown(t: StatementTransaction): { fee: Json; tax: Json } {
  const fee: Json = {};
  const tax: Json = {};
  for (const [k, v] of Object.entries(t.fees) as [FeeField, number][]) {
    if ((TAX_FIELDS as readonly string[]).includes(k)) tax[k] = formatAmount(v, t.currency);
    else fee[k] = formatAmount(v, t.currency);
  }
  return { fee, tax };
}

export function renderStatementTransaction(t: StatementTransaction, orderCreateTime: number | null): Json {
  const f = (minor: number) => formatAmount(minor, t.currency);
  const out: Json = {
    id: t.transactionId,
    type: t.type,
    settlement_amount: f(t.settlementAmount),
    revenue_amount: f(t.revenueAmount),
    shipping_cost_amount: f(t.shippingCostAmount),
    fee_tax_amount: f(t.feeTaxAmount),
    adjustment_amount: f(t.adjustmentAmount),
    reserve_amount: f(t.reserveAmount),
    currency: t.currency,
  };
  if (t.type === 'ORDER') {
    out.order_id = t.orderId;
    if (orderCreateTime !== null) out.order_create_time = orderCreateTime;
    out.revenue_breakdown = {
      subtotal_before_discount_amount: f(t.subtotalBeforeDiscount),
      refund_subtotal_before_discount_amount: f(t.refundSubtotalBeforeDiscount),
      seller_discount_amount: f(t.sellerDiscount),
      seller_discount_refund_amount: f(t.sellerDiscountRefund),
    };
    out.shipping_cost_breakdown = {
      actual_shipping_fee_amount: f(t.actualShippingFee),
      customer_paid_shipping_fee_amount: f(t.customerPaidShippingFee),
    };
    out.fee_tax_breakdown = feeBreakdown(t);
  } else if (t.type !== 'RESERVE') {
    out.adjustment_id = t.adjustmentId;
    if (t.orderId !== null) {
      out.adjustment_order_id = t.orderId;
      if (orderCreateTime !== null) out.order_create_time = orderCreateTime;
    }
  } else {
    out.adjustment_id = t.adjustmentId;
  }
  return out;
}

/** Root totals of GET /finance/202501/statements/{id}/statement_transactions. */
export function renderStatementTransactionTotals(list: readonly StatementTransaction[], currency: string): Json {
  let settle = 0, rev = 0, ship = 0, fee = 0, adj = 0, reserve = 0;
  for (const t of list) { settle += t.settlementAmount; rev += t.revenueAmount; ship += t.shippingCostAmount; fee += t.feeTaxAmount; adj += t.adjustmentAmount; reserve += t.reserveAmount; }
  const f = (minor: number) => formatAmount(minor, currency);
  return {
    status: 'SETTLED',
    currency,
    payable_amount: f(settle + reserve),
    total_reserve_amount: f(reserve),
    total_settlement_amount: f(settle),
    total_settlement_breakdown: {
      total_revenue_amount: f(rev), total_shipping_cost_amount: f(ship), total_fee_tax_amount: f(fee), total_adjustment_amount: f(adj),
    },
  };
}
