/**
 * Estimated fees (estimate.ts): TikTok's own unsettled estimate, else the shop's trailing actual
 * rates, else the Settings rate card; creator commission from the affiliate order's estimate.
 */
import type { Dialect } from '../dialect';
import { COMPONENT_COLUMNS } from './common';

/** The trailing reference set: settled, not sample, not cancelled orders created in the window before as-of. */
export function trailingRatesView(d: Dialect): string {
  const t = d.table;
  const sums = ['referral_fee', 'transaction_fee', 'service_fees', 'other_platform_fees', 'refund_administration_fee', 'shipping_cost']
    .map((c) => `COALESCE(SUM(f.${c}), 0) AS ${c}`).join(', ');
  return `SELECT COUNT(*) AS orders, COALESCE(SUM(r.product_revenue - r.refunds), 0) AS base,
  COALESCE(SUM(r.refunds), 0) AS refunds, ${sums}
FROM ${t('wh_order_revenue')} AS r
JOIN ${t('wh_order_fees_settled')} AS f ON f.order_id = r.order_id
CROSS JOIN ${t('settings')} AS s
WHERE f.has_order_transaction AND NOT r.is_sample AND NOT r.cancelled
  AND r.create_time >= s.as_of - s.trailing_window_days * 86400 AND r.create_time < s.as_of`;
}

/** TikTok's latest estimate per order, as components (its commission fields skipped; the fee total's unexplained part kept as other fees). */
export function tiktokEstimateView(d: Dialect): string {
  const t = d.table;
  const pivot = COMPONENT_COLUMNS.map((c) => `SUM(CASE WHEN component = '${c}' THEN amount ELSE 0 END) AS ${c}`).join(',\n  ');
  return `WITH latest AS (
  SELECT * FROM (
    SELECT e.*, ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY fetched_time DESC) AS rn FROM ${t('unsettled_estimates')} AS e
  ) AS x WHERE rn = 1
),
items AS (
  SELECT l.order_id, m.component, -f.amount AS amount
  FROM latest AS l JOIN ${t('unsettled_fees')} AS f ON f.order_id = l.order_id AND f.fetched_time = l.fetched_time
  JOIN ${t('wh_fee_fields')} AS m ON m.field = f.field
  WHERE NOT m.is_commission
  UNION ALL
  SELECT l.order_id, 'other_platform_fees' AS component, f.amount
  FROM latest AS l JOIN ${t('unsettled_fees')} AS f ON f.order_id = l.order_id AND f.fetched_time = l.fetched_time
  UNION ALL
  SELECT order_id, 'other_platform_fees' AS component, -est_fee_tax_amount AS amount FROM latest
  UNION ALL
  SELECT order_id, 'shipping_cost' AS component, -(est_shipping_cost_amount - est_customer_paid_shipping_fee) AS amount FROM latest
)
SELECT order_id,
  ${pivot}
FROM items GROUP BY order_id`;
}

/**
 * The estimate of every paid order that is neither cancelled nor a sample (settled ones too:
 * their true-up is settled − this estimate), with the basis that produced it.
 */
export function orderFeesEstimatedView(d: Dialect): string {
  const t = d.table;
  const mdr = d.fn('mul_div_round');
  const ratio = (amount: string, num: string, den: string) => `CASE WHEN ${den} = 0 THEN 0 ELSE ${mdr}(${amount}, ${num}, ${den}) END`;
  const chain = (tiktok: string, trailing: string, card: string) =>
    `CASE WHEN k.order_id IS NOT NULL THEN ${tiktok} WHEN tr.orders >= s.trailing_min_orders THEN ${trailing} ELSE ${card} END`;
  const base = '(r.product_revenue - r.refunds)';
  return `WITH commission AS (
  SELECT order_id, SUM(estimated_commission) AS affiliate_commission,
    SUM(estimated_shop_ads_commission) AS affiliate_ads_commission, SUM(estimated_cofunded_bonus) AS cofunded_creator_bonus
  FROM ${t('creator_order_lines')} GROUP BY order_id
)
SELECT r.order_id,
  CASE WHEN k.order_id IS NOT NULL THEN 'tiktok_estimate' WHEN tr.orders >= s.trailing_min_orders THEN 'trailing_rate' ELSE 'rate_card' END AS basis,
  ${chain('k.referral_fee', ratio(base, 'tr.referral_fee', 'tr.base'), `${mdr}(${base}, s.referral_fee_bp, 10000)`)} AS referral_fee,
  ${chain('k.transaction_fee', ratio(base, 'tr.transaction_fee', 'tr.base'), `${mdr}(${base}, s.transaction_fee_bp, 10000)`)} AS transaction_fee,
  ${chain('k.refund_administration_fee', ratio('r.refunds', 'tr.refund_administration_fee', 'tr.refunds'), 'r.rate_card_refund_admin')} AS refund_administration_fee,
  ${chain('k.service_fees', ratio(base, 'tr.service_fees', 'tr.base'), `${mdr}(${base}, s.service_fee_bp, 10000)`)} AS service_fees,
  ${chain('k.other_platform_fees', ratio(base, 'tr.other_platform_fees', 'tr.base'), '0')} AS other_platform_fees,
  ${chain('k.shipping_cost', `CASE WHEN tr.orders = 0 THEN 0 ELSE ${d.fn('div_round')}(tr.shipping_cost, tr.orders) END`, 's.shipping_cost_per_order')} AS shipping_cost,
  ${chain('k.affiliate_commission', '0', '0')} + COALESCE(c.affiliate_commission, 0) AS affiliate_commission,
  ${chain('k.affiliate_partner_commission', '0', '0')} AS affiliate_partner_commission,
  ${chain('k.affiliate_ads_commission', '0', '0')} + COALESCE(c.affiliate_ads_commission, 0) AS affiliate_ads_commission,
  ${chain('k.cofunded_creator_bonus', '0', '0')} + COALESCE(c.cofunded_creator_bonus, 0) AS cofunded_creator_bonus,
  ${chain('k.tax_withheld', '0', '0')} AS tax_withheld
FROM ${t('wh_order_revenue')} AS r
CROSS JOIN ${t('wh_trailing_rates')} AS tr
CROSS JOIN ${t('settings')} AS s
LEFT JOIN ${t('wh_tiktok_estimates')} AS k ON k.order_id = r.order_id
LEFT JOIN commission AS c ON c.order_id = r.order_id
WHERE NOT r.cancelled AND NOT r.is_sample`;
}
