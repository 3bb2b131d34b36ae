/**
 * Per-order views up to CM1 and the settled fees: the SQL form of margin.ts's draftOrder and
 * statement.ts's addOrderTransaction. Definitions: dev/DEFINITIONS.md; each view says which
 * engine function it mirrors.
 */
import { REFUNDED_RETURN_STATUSES } from '../../core/records';
import type { Dialect } from '../dialect';
import { COMPONENT_COLUMNS } from './common';

/** Paid orders (margin.ts isPaid) with their shop day, own per-order cost and first-order flag. */
export function paidOrdersView(d: Dialect): string {
  const t = d.table;
  return `WITH paid AS (
  SELECT o.order_id, o.buyer_id, o.status, o.currency, o.create_time, o.is_sample, o.sample_creator, o.shipping_fee,
    ${d.fn('shop_day')}(o.create_time, s.timezone) AS day,
    o.status = 'CANCELLED' AS cancelled,
    CASE WHEN o.status = 'CANCELLED' THEN 0 ELSE s.packaging_cost_per_order + s.pick_pack_cost_per_order END AS own_cost
  FROM ${t('orders')} AS o CROSS JOIN ${t('settings')} AS s
  WHERE o.paid_time IS NOT NULL AND o.status <> 'UNPAID'
),
-- A buyer's first paid, non-cancelled, non-sample order: earliest creation, ties to the smaller id.
ranked AS (
  SELECT order_id, ROW_NUMBER() OVER (PARTITION BY buyer_id ORDER BY create_time, order_id) AS rn
  FROM paid WHERE NOT cancelled AND NOT is_sample
)
SELECT p.*, COALESCE(r.rn = 1, FALSE) AS is_first_order
FROM paid AS p LEFT JOIN ranked AS r ON r.order_id = p.order_id`;
}

/**
 * Every line of a paid order with its unit cost in effect on the order's day (cogs.ts CostBook):
 * matched by seller SKU when the COGS tab knows that SKU at all, else by TikTok SKU id; the entry
 * with the latest effective date on or before the day; NULL when none (a missing-cost alert).
 */
export function lineCostsView(d: Dialect): string {
  const t = d.table;
  return `WITH cost_skus AS (SELECT DISTINCT sku FROM ${t('cogs')}),
keyed AS (
  SELECT l.order_id, l.line_id, l.sku_id, l.seller_sku, l.product_id, l.quantity, l.original_price, l.seller_discount,
    l.platform_discount, l.cancelled, p.day, p.cancelled AS order_cancelled,
    CASE WHEN l.seller_sku <> '' AND k.sku IS NOT NULL THEN l.seller_sku ELSE l.sku_id END AS cost_sku
  FROM ${t('order_lines')} AS l
  JOIN ${t('wh_paid_orders')} AS p ON p.order_id = l.order_id
  LEFT JOIN cost_skus AS k ON k.sku = l.seller_sku
),
costed AS (
  SELECT order_id, line_id, unit_cost FROM (
    SELECT y.order_id, y.line_id, c.unit_cost,
      ROW_NUMBER() OVER (PARTITION BY y.order_id, y.line_id ORDER BY c.effective_from DESC) AS rn
    FROM keyed AS y JOIN ${t('cogs')} AS c ON c.sku = y.cost_sku AND c.effective_from <= y.day
  ) AS x WHERE rn = 1
)
SELECT y.*, c.unit_cost,
  NOT y.order_cancelled AND NOT y.cancelled AS live,
  CASE WHEN y.seller_sku <> '' THEN y.seller_sku ELSE y.sku_id END AS sku_label
FROM keyed AS y LEFT JOIN costed AS c ON c.order_id = y.order_id AND c.line_id = y.line_id`;
}

/**
 * Completed refunds of orders not cancelled: per order the refunded product amount (net of seller
 * discount), refunded shipping, the restock credit (returned units' cost at the restock share) and
 * the rate card's refund administration fee (capped per refunded line).
 */
export function orderRefundsView(d: Dialect): string {
  const t = d.table;
  const statuses = REFUNDED_RETURN_STATUSES.map((s) => `'${s}'`).join(', ');
  return `WITH refunded AS (
  SELECT r.return_id, r.order_id, r.refund_shipping,
    CASE r.return_type WHEN 'RETURN_AND_REFUND' THEN s.restock_share_return_bp
      WHEN 'REFUND' THEN s.restock_share_refund_only_bp ELSE 0 END AS share_bp
  FROM ${t('returns')} AS r JOIN ${t('wh_paid_orders')} AS p ON p.order_id = r.order_id CROSS JOIN ${t('settings')} AS s
  WHERE r.status IN (${statuses}) AND NOT p.cancelled
),
refund_lines AS (
  SELECT r.order_id, rl.refunded_original - rl.refunded_seller_discount AS line_refund,
    CASE WHEN r.share_bp > 0 AND rl.quantity > 0 AND rl.line_id IS NOT NULL AND lc.unit_cost IS NOT NULL
      THEN ${d.fn('mul_div_round')}(rl.quantity * lc.unit_cost, r.share_bp, 10000) ELSE 0 END AS restock_credit,
    LEAST(s.refund_admin_cap_per_sku, ${d.fn('mul_div_round')}(
      ${d.fn('mul_div_round')}(rl.refunded_original - rl.refunded_seller_discount, s.referral_fee_bp, 10000),
      s.refund_admin_share_bp, 10000)) AS rate_card_refund_admin
  FROM refunded AS r
  JOIN ${t('return_lines')} AS rl ON rl.return_id = r.return_id
  CROSS JOIN ${t('settings')} AS s
  LEFT JOIN ${t('wh_line_costs')} AS lc ON lc.order_id = r.order_id AND lc.line_id = rl.line_id AND NOT lc.cancelled
),
by_order AS (
  SELECT order_id, SUM(line_refund) AS refunds, SUM(restock_credit) AS restock_credit,
    SUM(rate_card_refund_admin) AS rate_card_refund_admin
  FROM refund_lines GROUP BY order_id
),
shipping AS (SELECT order_id, SUM(refund_shipping) AS refund_shipping FROM refunded GROUP BY order_id)
SELECT COALESCE(b.order_id, sh.order_id) AS order_id,
  COALESCE(b.refunds, 0) AS refunds, COALESCE(b.restock_credit, 0) AS restock_credit,
  COALESCE(b.rate_card_refund_admin, 0) AS rate_card_refund_admin, COALESCE(sh.refund_shipping, 0) AS refund_shipping
FROM by_order AS b FULL OUTER JOIN shipping AS sh ON sh.order_id = b.order_id`;
}

/**
 * Revenue, COGS and CM1 of every paid order (margin.ts draftOrder): a sample has no revenue and
 * its product cost is marketing; a cancelled order has no revenue and no cost.
 */
export function orderRevenueView(d: Dialect): string {
  const t = d.table;
  return `WITH line_sums AS (
  SELECT order_id,
    SUM(original_price) AS gross_sales,
    SUM(CASE WHEN live THEN 0 ELSE original_price END) AS cancelled_sales,
    SUM(CASE WHEN live THEN seller_discount ELSE 0 END) AS seller_discount,
    SUM(CASE WHEN live THEN platform_discount ELSE 0 END) AS platform_discount,
    SUM(CASE WHEN live THEN original_price - seller_discount ELSE 0 END) AS product_revenue,
    SUM(CASE WHEN live THEN quantity ELSE 0 END) AS units,
    SUM(CASE WHEN live AND unit_cost IS NOT NULL THEN quantity * unit_cost ELSE 0 END) AS cogs_gross
  FROM ${t('wh_line_costs')} GROUP BY order_id
),
-- SKUs with no cost on the order day, each once, sorted (an alert, never a silent zero).
missing AS (
  SELECT order_id, STRING_AGG(sku_label, ',' ORDER BY sku_label) AS missing_cogs_skus
  FROM (SELECT DISTINCT order_id, sku_label FROM ${t('wh_line_costs')} WHERE live AND unit_cost IS NULL) AS m
  GROUP BY order_id
),
-- The creator credited: largest estimated commission base, ties to the smaller username.
creator_bases AS (
  SELECT order_id, creator_username, SUM(estimated_commission_base) AS base
  FROM ${t('creator_order_lines')} GROUP BY order_id, creator_username
),
credited AS (
  SELECT order_id, creator_username FROM (
    SELECT order_id, creator_username, ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY base DESC, creator_username) AS rn
    FROM creator_bases
  ) AS x WHERE rn = 1
),
raw AS (
  SELECT p.order_id, p.buyer_id, p.day, p.create_time, p.status, p.currency, p.is_sample, p.cancelled, p.is_first_order,
    CASE WHEN p.is_sample THEN p.sample_creator ELSE c.creator_username END AS creator,
    p.own_cost, p.shipping_fee,
    COALESCE(l.gross_sales, 0) AS gross_sales, COALESCE(l.cancelled_sales, 0) AS cancelled_sales,
    COALESCE(l.seller_discount, 0) AS seller_discount, COALESCE(l.platform_discount, 0) AS platform_discount,
    COALESCE(l.product_revenue, 0) AS product_revenue, COALESCE(l.units, 0) AS units,
    COALESCE(l.cogs_gross, 0) AS raw_cogs_gross, COALESCE(mi.missing_cogs_skus, '') AS missing_cogs_skus,
    COALESCE(r.refunds, 0) AS raw_refunds, COALESCE(r.refund_shipping, 0) AS refund_shipping,
    COALESCE(r.restock_credit, 0) AS raw_restock_credit, COALESCE(r.rate_card_refund_admin, 0) AS raw_rate_card_refund_admin
  FROM ${t('wh_paid_orders')} AS p
  LEFT JOIN line_sums AS l ON l.order_id = p.order_id
  LEFT JOIN missing AS mi ON mi.order_id = p.order_id
  LEFT JOIN ${t('wh_order_refunds')} AS r ON r.order_id = p.order_id
  LEFT JOIN credited AS c ON c.order_id = p.order_id
),
zeroed AS (
  SELECT order_id, buyer_id, day, create_time, status, currency, is_sample, cancelled, is_first_order, creator, own_cost,
    units,
    CASE WHEN is_sample THEN 0 ELSE gross_sales END AS gross_sales,
    CASE WHEN is_sample THEN 0 ELSE cancelled_sales END AS cancelled_sales,
    CASE WHEN is_sample THEN 0 ELSE seller_discount END AS seller_discount,
    CASE WHEN is_sample THEN 0 ELSE platform_discount END AS platform_discount,
    CASE WHEN is_sample THEN 0 ELSE product_revenue END AS product_revenue,
    CASE WHEN is_sample THEN 0 ELSE raw_refunds END AS refunds,
    CASE WHEN is_sample OR cancelled THEN 0 ELSE shipping_fee - refund_shipping END AS shipping_revenue,
    CASE WHEN cancelled THEN 0 ELSE raw_cogs_gross END AS cogs_gross,
    CASE WHEN is_sample THEN 0 ELSE raw_restock_credit END AS restock_credit,
    missing_cogs_skus,
    CASE WHEN is_sample THEN 0 ELSE own_cost END AS own_fulfilment_cost,
    CASE WHEN is_sample THEN raw_cogs_gross + own_cost ELSE 0 END AS sample_product_cost,
    CASE WHEN is_sample THEN 0 ELSE raw_rate_card_refund_admin END AS rate_card_refund_admin
  FROM raw
)
SELECT z.*,
  z.product_revenue - z.refunds + z.shipping_revenue AS net_revenue,
  CASE WHEN z.is_sample THEN 0 ELSE z.cogs_gross - z.restock_credit END AS cogs,
  z.product_revenue - z.refunds + z.shipping_revenue - (CASE WHEN z.is_sample THEN 0 ELSE z.cogs_gross - z.restock_credit END) AS cm1
FROM zeroed AS z`;
}

/**
 * Settled components of every order named by a statement transaction (statement.ts
 * addOrderTransaction), as costs (TikTok's negative amounts turned positive): an ORDER
 * transaction's fee breakdown by component, the fee total's unexplained part and any adjustment
 * part as other platform fees, its shipping net of what the customer paid; an order-linked
 * adjustment into its component; SAMPLE_SHIPPING_FEE as sample shipping.
 */
export function orderFeesSettledView(d: Dialect): string {
  const t = d.table;
  const feeSums = COMPONENT_COLUMNS.map((c) => `SUM(CASE WHEN m.component = '${c}' THEN f.amount ELSE 0 END) AS ${c}`).join(',\n    ');
  // One transaction's amount for component c: an ORDER transaction's breakdown, else an adjustment's settlement.
  const part = (c: string) => {
    const order = [`-COALESCE(tf.${c}, 0)`];
    if (c === 'other_platform_fees') order.push('COALESCE(tf.all_fees, 0) - x.fee_tax_amount - x.adjustment_amount');
    if (c === 'shipping_cost') order.push('-(x.shipping_cost_amount - x.customer_paid_shipping_fee)');
    return `SUM(CASE WHEN x.type = 'ORDER' THEN ${order.join(' + ')} WHEN d.destination = '${c}' THEN -x.settlement_amount ELSE 0 END) AS ${c}`;
  };
  return `WITH tx_fees AS (
  SELECT f.transaction_id,
    ${feeSums},
    SUM(f.amount) AS all_fees
  FROM ${t('transaction_fees')} AS f LEFT JOIN ${t('wh_fee_fields')} AS m ON m.field = f.field
  GROUP BY f.transaction_id
)
SELECT x.order_id,
  ${COMPONENT_COLUMNS.map(part).join(',\n  ')},
  SUM(CASE WHEN d.destination = 'samples' THEN -x.settlement_amount ELSE 0 END) AS sample_shipping,
  MIN(CASE WHEN x.type = 'ORDER' THEN x.statement_time END) AS settlement_time,
  SUM(CASE WHEN x.type = 'ORDER' THEN 1 ELSE 0 END) > 0 AS has_order_transaction
FROM ${t('statement_transactions')} AS x
JOIN ${t('wh_transaction_destinations')} AS d ON d.type = x.type
-- (Only ORDER rows read tf; a type test in this ON clause would turn the join into a nested loop in DuckDB.)
LEFT JOIN tx_fees AS tf ON tf.transaction_id = x.transaction_id
WHERE x.order_id IS NOT NULL
GROUP BY x.order_id`;
}
