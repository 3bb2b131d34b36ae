/**
 * Renders the rest of the generator's records (returns, cancellations, affiliate orders,
 * products, analytics, unsettled estimates, payouts, withdrawals, per-order statement
 * transactions, Marketing API ad spend) as API JSON (reference §5–§10). render.ts holds the
 * general conventions (amount strings from formatAmount, integer Unix seconds, absent times
 * omitted); the choices below are specific to these resources.
 *
 * ======================================================================================
 * RETURNS — the mapping contract with the client (src/tiktok/returns.ts)
 * POST /return_refund/202309/returns/search → data.return_orders[]
 * ======================================================================================
 * Sandbox (record → JSON), with the sandbox generating `unitLines` shops (every order line is
 * one unit, so every return line refers to one API line item):
 *   return_id, order_id, return_type, return_status (= record status), create_time,
 *   update_time, role "BUYER".
 *   For a record line with lineId ≠ null → one return_line_items[] entry:
 *     return_line_item_id        `${returnId}-${k}` (k = 1-based index of the line)
 *     order_line_item_id         lineId
 *     sku_id, seller_sku, product_name, sku_name   from the order line (sku_id = record skuId)
 *     discount_amount            an OBJECT (not an array) on the line item:
 *       product_seller_discount   = refundedSellerDiscount
 *       product_platform_discount = P, the platform-discount share of the refund, derived from
 *                                   the ORDER LINE L (the record has no platform part):
 *                                   - refundedOriginal = L.originalPrice (full-line refund):
 *                                     P = L.platformDiscount
 *                                   - otherwise P = round(L.platformDiscount × refundedOriginal /
 *                                     L.originalPrice) (mulDivRound, half away from zero),
 *                                     capped at refundedOriginal − refundedSellerDiscount
 *                                   - refundedOriginal = 0 (REPLACEMENT) → P = 0
 *       shipping_fee_seller_discount, shipping_fee_platform_discount "0"
 *     refund_amount {currency, refund_subtotal, refund_total, refund_shipping_fee "0", refund_tax "0"}
 *       refund_subtotal = refund_total = refundedOriginal − refundedSellerDiscount − P (≥ 0)
 *   A record line with lineId = null (order-level partial refund) → `partial_refund:
 *   {amount: refundedOriginal, currency}` and NO line item for it (return_line_items: []).
 *   Return-level refund_amount {currency, refund_total, refund_subtotal, refund_shipping_fee,
 *   refund_tax, retail_delivery_fee "0", buyer_service_fee "0"}:
 *     refund_subtotal = Σ line refund_subtotal + partial_refund.amount
 *     refund_shipping_fee = record refundShipping; refund_tax = "0" (the records carry no tax
 *     refund); refund_total = refund_subtotal + refund_shipping_fee + refund_tax.
 *   Return-level discount_amount[] (documented array): one entry with the sums of the lines'
 *   product_seller_discount / product_platform_discount, shipping discounts "0".
 *   The JSON has no quantity.
 * Client (JSON → record), which recovers the record exactly:
 *   per line item: lineId = order_line_item_id, skuId = sku_id,
 *     refundedOriginal = refund_subtotal + product_seller_discount + product_platform_discount,
 *     refundedSellerDiscount = product_seller_discount,
 *     quantity = 1 for RETURN_AND_REFUND and REPLACEMENT, 0 for REFUND (one unit per item);
 *   partial_refund.amount → {lineId: null, skuId: '', quantity: 0, refundedOriginal: amount,
 *     refundedSellerDiscount: 0};
 *   refundShipping = refund_amount.refund_shipping_fee; currency = refund_amount.currency;
 *   status = return_status; returnType = return_type.
 *
 * CANCELLATIONS (POST /return_refund/202309/cancellations/search → data.cancellations[]):
 *   cancel_id, order_id, cancel_type, cancel_status (= record status), role, cancel_reason,
 *   create_time, update_time, refund_amount {currency, refund_total = refundTotal,
 *   refund_subtotal = Σ sale_price of the cancelled lines, refund_shipping_fee and refund_tax:
 *   when every line of the order is cancelled, the order's shipping_fee and the rest
 *   (refund_total − subtotal − shipping), else "0"}; cancel_line_items[] one per lineId:
 *   {cancel_line_item_id `${cancelId}-${k}`, order_line_item_id, sku_id, seller_sku,
 *   product_name, sku_name, refund_amount{currency, refund_subtotal = refund_total = sale price}}.
 *
 * AFFILIATE ORDERS (POST /affiliate_seller/202410/orders/search → data.orders[]):
 *   The doc's sample shapes: commission rates are STRINGS in hundredths of a percent
 *   ("1550"); money fields are {amount, currency} objects; quantities integers.
 *   One order per orderId of the CreatorOrderLine records: id, create_time, delivery_time
 *   (the order's, when delivered), status = the first non-CANCELLED SKU status, else
 *   CANCELLED. skus[] one per record line, in record order: sku_id, product_id,
 *   creator_username, content_type, content_id, price{amount = record price (per unit)},
 *   quantity, refunded_quantity, returned_quantity, commission_rate, shop_ads_commission_rate,
 *   commission_model "FIXED", estimated_commission_base, estimated_paid_commission,
 *   estimated_paid_shop_ads_commission, estimated_cofunded_creator_bonus_amount,
 *   actual_commission_base, actual_paid_commission, actual_paid_shop_ads_commission,
 *   actual_cofunded_creator_bonus_amount, and (sandbox extension, not documented) `status`:
 *   the record line's own status (a cancelled line in a live order is CANCELLED).
 *   As live pages do, an actual_* amount that is 0 (nothing settled yet) is sent EMPTY: `{}`
 *   for the commission and bonus amounts, `[]` for actual_commission_base; a record without a
 *   commission rate (null) is sent without commission_rate.
 *
 * PRODUCTS (POST /product/202502/products/search → data.products[]): one product per
 *   productId: id, title = productName, status = record status, create_time = min of its SKUs'
 *   createTime, update_time = max of its SKUs' updateTime (per-SKU times are not in the API),
 *   category_chains [{id, parent_id "0", local_name = category, is_leaf true}], skus[]:
 *   {id, seller_sku, price{currency, sale_price, tax_exclusive_price} (both = record price),
 *   sales_attributes [{id, name "Variant", value_id, value_name = skuName}],
 *   inventory [{warehouse_id, quantity 100}]}.
 *
 * ANALYTICS. GMV amounts {amount, currency} in the shop currency (currency=LOCAL, or USD
 *   for a USD shop). Only days with a record are returned (the generator emits one per shop
 *   day up to the clock); latest_available_date = the last such day.
 *   Shop performance: performance.intervals[] {start_date, end_date (exclusive), gmv,
 *   gmv_breakdowns[{type LIVE|VIDEO|PRODUCT_CARD, amount, currency}], orders, buyers,
 *   product_impressions, product_page_views, avg_order_value}; granularity 1D = one interval
 *   per day; ALL = one interval summing the days.
 *   Product performance list: products[] {id, gmv, units_sold, click_through_rate
 *   (page_views / impressions, 4 decimals), and (sandbox extension) impressions,
 *   page_views}; without granularity (or ALL) one entry per product summed over the range (as
 *   documented); with granularity=1D (sandbox extension) one entry per product per day, each
 *   with start_date / end_date of its day. `orders` is not rendered (no record field).
 *
 * FINANCE.
 *   Unsettled (GET /finance/202507/orders/unsettled → data.transactions[]): the latest
 *   estimate per order (max fetchedTime ≤ clock): id `UNSETTLED-${orderId}`, type ORDER,
 *   status UNSETTLED, currency, order_id, order_create_time, order_delivery_time (when
 *   delivered), estimated_settlement (delivery + 7 days as Unix seconds text, or "7 days after
 *   delivery"), unsettled_reason, est_settlement_amount, est_revenue_amount,
 *   est_shipping_cost_amount, est_fee_tax_amount, est_adjustment_amount (signed as the
 *   records: costs negative), shipping_cost_breakdown{customer_paid_shipping_fee_amount =
 *   estCustomerPaidShippingFee, actual_shipping_fee_amount = est_shipping_cost −
 *   customer_paid}, fee_tax_breakdown{fee, tax} by TikTok field name, and (sandbox
 *   extension) update_time = the record's fetchedTime. Root sum_est_* over all matches.
 *   Payments: {id, create_time, paid_time (absent while not paid), status,
 *   amount{value,currency}, settlement_amount{value,currency}, reserve_amount{value,currency},
 *   payment_amount_before_exchange{value,currency} = amount, exchange_rate "1",
 *   bank_account "****6789"}.
 *   Withdrawals: the generator has no withdrawal records; each payout is rendered as one
 *   WITHDRAW {id `WD${paymentId}`, type WITHDRAW, amount (string), fee "0", currency,
 *   status SUCCESS (payout PAID) / PROCESSING, create_time}.
 *   Order statement transactions (202501): root {order_id, currency, revenue_amount,
 *   fee_and_tax_amount, shipping_cost_amount, settlement_amount} summed over the order's ORDER
 *   transactions; sku_transactions[] one per ORDER transaction (the generator settles per
 *   order, not per SKU): {statement_id, statement_time, sku_id "" , quantity = units on live
 *   lines, settlement/revenue/shipping/fee amounts and the breakdowns of render.ts}.
 *
 * MARKETING API (GET /open_api/v1.3/report/integrated/get/ and /gmv_max/report/get/):
 *   rows {dimensions{campaign_id, stat_time_day "YYYY-MM-DD 00:00:00" (advertiser day),
 *   advertiser_id?}, metrics{spend|billed_cost|cost "12.34" (formatAmount, string), campaign_name?,
 *   currency?}}. The integrated report serves AD_ACCOUNT rows only; GMV Max serves
 *   GMV_PAYMENT rows; with the dimension item_group_id (or item_id: the same value, the
 *   product id) one row per promoted product (spend split evenly, largest remainder); a row
 *   without product ids has item_group_id "" (the generator's GMV_PAYMENT campaign promotes
 *   the whole shop: productIds []).
 */
import { allocateByWeights, formatAmount, mulDivRound } from '../../src/core/money';
import {
  TAX_FIELDS,
  type AdSpend, type Cancellation, type CreatorOrderLine, type FeeField, type Order, type OrderLine, type Payout,
  type ProductPerformance, type ProductSku, type Return, type ShopPerformance, type StatementTransaction, type UnsettledEstimate,
} from '../../src/core/records';
import { renderStatementTransaction } from './render';

type Json = Record<string, unknown>;

const money = (minor: number, currency: string): Json => ({ amount: formatAmount(minor, currency), currency });
const value = (minor: number, currency: string): Json => ({ value: formatAmount(minor, currency), currency });

// ---------------------------------------------------------------- returns

/** The platform-discount share of a refunded line (see the contract above). */
export function refundPlatformShare(line: OrderLine | undefined, refundedOriginal: number, refundedSellerDiscount: number): number {
  if (!line || refundedOriginal <= 0 || line.platformDiscount === 0 || line.originalPrice === 0) return 0;
  const p = refundedOriginal === line.originalPrice ? line.platformDiscount : mulDivRound(line.platformDiscount, refundedOriginal, line.originalPrice);
  return Math.max(0, Math.min(p, refundedOriginal - refundedSellerDiscount));
}

export function renderReturn(r: Return, lineById: ReadonlyMap<string, OrderLine>): Json {
  const c = r.currency;
  const f = (m: number) => formatAmount(m, c);
  const items: Json[] = [];
  let subtotal = 0, sdSum = 0, pdSum = 0;
  let partial: number | null = null;
  r.lines.forEach((rl, k) => {
    if (rl.lineId === null) {
      partial = (partial ?? 0) + rl.refundedOriginal;
      subtotal += rl.refundedOriginal;
      return;
    }
    const ol = lineById.get(rl.lineId);
    const p = refundPlatformShare(ol, rl.refundedOriginal, rl.refundedSellerDiscount);
    const sub = rl.refundedOriginal - rl.refundedSellerDiscount - p;
    subtotal += sub; sdSum += rl.refundedSellerDiscount; pdSum += p;
    items.push({
      return_line_item_id: `${r.returnId}-${k + 1}`,
      order_line_item_id: rl.lineId,
      sku_id: rl.skuId,
      seller_sku: ol?.sellerSku ?? '',
      product_name: ol?.productName ?? '',
      sku_name: ol?.skuName ?? '',
      refund_amount: { currency: c, refund_subtotal: f(sub), refund_total: f(sub), refund_shipping_fee: f(0), refund_tax: f(0) },
      discount_amount: {
        product_seller_discount: f(rl.refundedSellerDiscount), product_platform_discount: f(p),
        shipping_fee_seller_discount: f(0), shipping_fee_platform_discount: f(0),
      },
    });
  });
  const out: Json = {
    return_id: r.returnId,
    order_id: r.orderId,
    return_type: r.returnType,
    return_status: r.status,
    role: 'BUYER',
    create_time: r.createTime,
    update_time: r.updateTime,
    refund_amount: {
      currency: c, refund_total: f(subtotal + r.refundShipping), refund_subtotal: f(subtotal), refund_shipping_fee: f(r.refundShipping),
      refund_tax: f(0), retail_delivery_fee: f(0), buyer_service_fee: f(0),
    },
    discount_amount: [{
      product_seller_discount: f(sdSum), product_platform_discount: f(pdSum), shipping_fee_seller_discount: f(0), shipping_fee_platform_discount: f(0),
    }],
    return_line_items: items,
  };
  if (partial !== null) out.partial_refund = { amount: f(partial), currency: c };
  return out;
}

// ---------------------------------------------------------------- cancellations

export function renderCancellation(x: Cancellation, order: Order | undefined, orderLines: readonly OrderLine[]): Json {
  const c = x.currency;
  const f = (m: number) => formatAmount(m, c);
  const byId = new Map(orderLines.map((l) => [l.lineId, l]));
  let subtotal = 0;
  const items: Json[] = x.lineIds.map((id, k) => {
    const l = byId.get(id);
    const sale = l?.salePrice ?? 0;
    subtotal += sale;
    return {
      cancel_line_item_id: `${x.cancelId}-${k + 1}`, order_line_item_id: id, sku_id: l?.skuId ?? '', seller_sku: l?.sellerSku ?? '',
      product_name: l?.productName ?? '', sku_name: l?.skuName ?? '',
      refund_amount: { currency: c, refund_subtotal: f(sale), refund_total: f(sale) },
    };
  });
  const whole = orderLines.length > 0 && orderLines.every((l) => x.lineIds.includes(l.lineId));
  const shipping = whole && order ? Math.min(order.shippingFee, Math.max(0, x.refundTotal - subtotal)) : 0;
  const tax = whole ? Math.max(0, x.refundTotal - subtotal - shipping) : 0;
  return {
    cancel_id: x.cancelId, order_id: x.orderId, cancel_type: x.cancelType, cancel_status: x.status, role: x.role,
    cancel_reason: x.reason, create_time: x.createTime, update_time: x.updateTime,
    refund_amount: { currency: c, refund_total: f(x.refundTotal), refund_subtotal: f(subtotal), refund_shipping_fee: f(shipping), refund_tax: f(tax) },
    cancel_line_items: items,
  };
}

// ---------------------------------------------------------------- affiliate orders

export function renderAffiliateOrder(orderId: string, lines: readonly CreatorOrderLine[], deliveryTime: number | null): Json {
  const live = lines.find((l) => l.status !== 'CANCELLED');
  const out: Json = {
    id: orderId,
    create_time: lines[0].createTime,
    status: live ? live.status : 'CANCELLED',
    skus: lines.map((l) => {
      const m = (x: number) => money(x, l.currency);
      return {
        sku_id: l.skuId, product_id: l.productId, creator_username: l.creatorUsername, content_type: l.contentType, content_id: l.contentId,
        price: m(l.price), quantity: l.quantity, refunded_quantity: l.refundedQuantity, returned_quantity: l.returnedQuantity,
        commission_model: 'FIXED', ...(l.commissionRateBp === null ? {} : { commission_rate: String(l.commissionRateBp) }), shop_ads_commission_rate: String(l.shopAdsCommissionRateBp),
        estimated_commission_base: m(l.estimatedCommissionBase), estimated_paid_commission: m(l.estimatedCommission),
        estimated_paid_shop_ads_commission: m(l.estimatedShopAdsCommission), estimated_cofunded_creator_bonus_amount: m(l.estimatedCofundedBonus),
        actual_commission_base: l.actualCommissionBase === 0 ? [] : m(l.actualCommissionBase),
        actual_paid_commission: l.actualCommission === 0 ? {} : m(l.actualCommission),
        actual_paid_shop_ads_commission: l.actualShopAdsCommission === 0 ? {} : m(l.actualShopAdsCommission),
        actual_cofunded_creator_bonus_amount: l.actualCofundedBonus === 0 ? {} : m(l.actualCofundedBonus),
        status: l.status,
      };
    }),
  };
  if (deliveryTime !== null) out.delivery_time = deliveryTime;
  return out;
}

// ---------------------------------------------------------------- products

export interface ProductGroup {
  productId: string;
  skus: ProductSku[];
  createTime: number;
  updateTime: number;
}

export function groupProducts(products: readonly ProductSku[]): ProductGroup[] {
  const by = new Map<string, ProductGroup>();
  for (const p of products) {
    let g = by.get(p.productId);
    if (!g) by.set(p.productId, (g = { productId: p.productId, skus: [], createTime: p.createTime, updateTime: p.updateTime }));
    g.skus.push(p);
    g.createTime = Math.min(g.createTime, p.createTime);
    g.updateTime = Math.max(g.updateTime, p.updateTime);
  }
  return [...by.values()];
}

export function renderProduct(g: ProductGroup): Json {
  const first = g.skus[0];
  return {
    id: g.productId,
    title: first.productName,
    status: first.status,
    create_time: g.createTime,
    update_time: g.updateTime,
    category_chains: [{ id: `6000${String(first.category.length).padStart(3, '0')}`, parent_id: '0', local_name: first.category, is_leaf: true }],
    skus: g.skus.map((s) => ({
      id: s.skuId,
      seller_sku: s.sellerSku,
      price: { currency: s.currency, sale_price: formatAmount(s.price, s.currency), tax_exclusive_price: formatAmount(s.price, s.currency) },
      sales_attributes: [{ id: '100000', name: 'Variant', value_id: `${s.skuId.slice(-6)}`, value_name: s.skuName }],
      inventory: [{ warehouse_id: '7000000000000000001', quantity: 100 }],
    })),
  };
}

// ---------------------------------------------------------------- analytics

export function renderShopInterval(days: readonly ShopPerformance[], start: string, end: string, currency: string): Json {
  let gmv = 0, orders = 0, buyers = 0, imp = 0, pv = 0;
  const byType: Record<string, number> = { LIVE: 0, VIDEO: 0, PRODUCT_CARD: 0 };
  for (const d of days) {
    gmv += d.gmv; orders += d.orders; buyers += d.buyers; imp += d.productImpressions; pv += d.productPageViews;
    for (const [k, v] of Object.entries(d.gmvByType)) byType[k] = (byType[k] ?? 0) + (v ?? 0);
  }
  return {
    start_date: start, end_date: end,
    gmv: money(gmv, currency),
    gmv_breakdowns: Object.entries(byType).map(([type, v]) => ({ type, ...money(v, currency) })),
    orders, buyers, product_impressions: imp, product_page_views: pv,
    avg_order_value: money(orders > 0 ? Math.round(gmv / orders) : 0, currency),
  };
}

export function ctr(pageViews: number, impressions: number): string {
  return impressions > 0 ? (pageViews / impressions).toFixed(4) : '0.0000';
}

export function renderProductPerformance(productId: string, rows: readonly ProductPerformance[], currency: string, day: { start: string; end: string } | null): Json {
  let gmv = 0, units = 0, imp = 0, pv = 0;
  for (const r of rows) { gmv += r.gmv; units += r.unitsSold; imp += r.impressions; pv += r.pageViews; }
  const out: Json = { id: productId, gmv: money(gmv, currency), units_sold: units, click_through_rate: ctr(pv, imp), impressions: imp, page_views: pv };
  if (day) { out.start_date = day.start; out.end_date = day.end; }
  return out;
}

// ---------------------------------------------------------------- finance

function feeTax(fees: UnsettledEstimate['fees'], currency: string): { fee: Json; tax: Json } {
  const fee: Json = {};
  const tax: Json = {};
  for (const [k, v] of Object.entries(fees) as [FeeField, number][]) {
    if ((TAX_FIELDS as readonly string[]).includes(k)) tax[k] = formatAmount(v, currency);
    else fee[k] = formatAmount(v, currency);
  }
  return { fee, tax };
}

const SETTLE_AFTER_DELIVERY = 7 * 86400;

export function renderUnsettled(e: UnsettledEstimate, order: Order | undefined): Json {
  const f = (m: number) => formatAmount(m, e.currency);
  const delivered = order?.deliveryTime ?? null;
  const out: Json = {
    id: `UNSETTLED-${e.orderId}`,
    type: 'ORDER',
    status: 'UNSETTLED',
    currency: e.currency,
    order_id: e.orderId,
    estimated_settlement: delivered !== null ? String(delivered + SETTLE_AFTER_DELIVERY) : '7 days after delivery',
    unsettled_reason: delivered !== null ? 'waiting for settlement' : 'waiting for delivery',
    est_settlement_amount: f(e.estSettlementAmount),
    est_revenue_amount: f(e.estRevenueAmount),
    est_shipping_cost_amount: f(e.estShippingCostAmount),
    est_fee_tax_amount: f(e.estFeeTaxAmount),
    est_adjustment_amount: f(e.estAdjustmentAmount),
    shipping_cost_breakdown: {
      customer_paid_shipping_fee_amount: f(e.estCustomerPaidShippingFee),
      actual_shipping_fee_amount: f(e.estShippingCostAmount - e.estCustomerPaidShippingFee),
    },
    fee_tax_breakdown: feeTax(e.fees, e.currency),
    update_time: e.fetchedTime,
  };
  if (order) out.order_create_time = order.createTime;
  if (delivered !== null) out.order_delivery_time = delivered;
  return out;
}

export function renderPayment(p: Payout): Json {
  const out: Json = {
    id: p.paymentId,
    create_time: p.createTime,
    status: p.status,
    amount: value(p.amount, p.currency),
    settlement_amount: value(p.settlementAmount, p.currency),
    reserve_amount: value(p.reserveAmount, p.currency),
    payment_amount_before_exchange: value(p.amount, p.currency),
    exchange_rate: '1',
    bank_account: '****6789',
  };
  if (p.paidTime !== null) out.paid_time = p.paidTime;
  return out;
}

export function renderWithdrawal(p: Payout): Json {
  return {
    id: `WD${p.paymentId}`, type: 'WITHDRAW', amount: formatAmount(p.amount, p.currency), fee: formatAmount(0, p.currency),
    currency: p.currency, status: p.status === 'PAID' ? 'SUCCESS' : p.status === 'FAILED' ? 'FAILED' : 'PROCESSING', create_time: p.createTime,
  };
}

export function renderOrderStatementTransactions(order: Order, txs: readonly StatementTransaction[], units: number): Json {
  const f = (m: number) => formatAmount(m, order.currency);
  let rev = 0, fee = 0, ship = 0, settle = 0;
  for (const t of txs) { rev += t.revenueAmount; fee += t.feeTaxAmount; ship += t.shippingCostAmount; settle += t.settlementAmount; }
  return {
    order_id: order.orderId,
    order_create_time: order.createTime,
    currency: order.currency,
    revenue_amount: f(rev),
    fee_and_tax_amount: f(fee),
    shipping_cost_amount: f(ship),
    settlement_amount: f(settle),
    sku_transactions: txs.map((t) => {
      const r = renderStatementTransaction(t, order.createTime);
      delete r.order_id;
      delete r.order_create_time;
      return { ...r, statement_id: t.statementId, statement_time: t.statementTime, sku_id: '', quantity: units };
    }),
  };
}

// ---------------------------------------------------------------- Marketing API

export interface AdRow {
  row: AdSpend;
  itemId: string | null;
  amount: number;
}

export function splitByItems(rows: readonly AdSpend[]): AdRow[] {
  const out: AdRow[] = [];
  for (const r of rows) {
    if (r.productIds.length === 0) { out.push({ row: r, itemId: '', amount: r.spend }); continue; }
    const parts = allocateByWeights(r.spend, r.productIds.map(() => 1));
    r.productIds.forEach((id, k) => out.push({ row: r, itemId: id, amount: parts[k] }));
  }
  return out;
}

export function renderAdRow(
  key: { campaignId?: string; day?: string; advertiserId?: string; itemId?: string; itemGroupId?: string },
  amounts: { cost: number; gross: number }, currency: string, campaignName: string | null, metrics: readonly string[], gmvMax: boolean,
): Json {
  const dimensions: Json = {};
  if (key.campaignId !== undefined) dimensions.campaign_id = key.campaignId;
  if (key.day !== undefined) dimensions.stat_time_day = `${key.day} 00:00:00`;
  if (key.advertiserId !== undefined) dimensions.advertiser_id = key.advertiserId;
  if (key.itemId !== undefined) dimensions.item_id = key.itemId;
  if (key.itemGroupId !== undefined) dimensions.item_group_id = key.itemGroupId;
  const m: Json = {};
  for (const name of metrics) {
    // Integrated report: spend = before ad credits, billed_cost = what was billed.
    // GMV Max report: cost (and spend) = what was paid from GMV.
    if (name === 'billed_cost' || name === 'cost') m[name] = formatAmount(amounts.cost, currency);
    else if (name === 'spend') m[name] = formatAmount(gmvMax ? amounts.cost : amounts.gross, currency);
    else if (name === 'campaign_name') m[name] = campaignName ?? '';
    else if (name === 'currency') m[name] = currency;
  }
  return { dimensions, metrics: m };
}
