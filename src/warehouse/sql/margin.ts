/**
 * The per-order margin (margin.ts applyFees and the last step of computeMargins) and the
 * accrual profit by day (views.ts, accrual view at day grain): the numbers the workbook's Order
 * margin and Profit tabs show, as views.
 */
import type { Dialect } from '../dialect';
import { COMPONENT_COLUMNS } from './common';

const PLATFORM = ['referral_fee', 'transaction_fee', 'refund_administration_fee', 'service_fees', 'other_platform_fees'];
const CREATOR = ['affiliate_commission', 'affiliate_partner_commission', 'affiliate_ads_commission', 'cofunded_creator_bonus'];

/**
 * Settled orders take their statement amounts; cancelled orders and samples only what a
 * statement already says; others the estimate plus any order-linked adjustment already on a
 * statement. A sample's every cost but tax withheld is its creator's marketing (sample cost).
 */
export function orderMarginView(d: Dialect): string {
  const t = d.table;
  const fee = (c: string) => `CASE WHEN r.is_sample AND '${c}' <> 'tax_withheld' THEN 0 ELSE ${pre(c)} END`;
  const pre = (c: string) => `(CASE WHEN COALESCE(f.has_order_transaction, FALSE) OR r.cancelled OR r.is_sample
      THEN COALESCE(f.${c}, 0) ELSE e.${c} + COALESCE(f.${c}, 0) END)`;
  const carried = COMPONENT_COLUMNS.filter((c) => c !== 'tax_withheld').map(pre).join(' + ');
  const sum = (cols: string[]) => cols.map((c) => `x.${c}`).join(' + ');
  return `WITH fees AS (
  SELECT r.*,
    CASE WHEN COALESCE(f.has_order_transaction, FALSE) THEN 'settled' WHEN r.cancelled OR r.is_sample THEN 'none' ELSE e.basis END AS basis,
    f.settlement_time,
    ${COMPONENT_COLUMNS.map((c) => `${fee(c)} AS ${c}`).join(',\n    ')},
    ${COMPONENT_COLUMNS.map((c) => `CASE WHEN COALESCE(f.has_order_transaction, FALSE) AND e.order_id IS NOT NULL THEN COALESCE(f.${c}, 0) - e.${c} END AS true_up_${c}`).join(',\n    ')},
    r.sample_product_cost + COALESCE(f.sample_shipping, 0) + CASE WHEN r.is_sample THEN ${carried} ELSE 0 END AS sample_cost
  FROM ${t('wh_order_revenue')} AS r
  LEFT JOIN ${t('wh_order_fees_settled')} AS f ON f.order_id = r.order_id
  LEFT JOIN ${t('wh_order_fees_estimated')} AS e ON e.order_id = r.order_id
),
ads AS (SELECT order_id, SUM(amount) AS ad_spend FROM ${t('wh_ad_allocation')} WHERE kind = 'order' GROUP BY order_id),
layers AS (
  SELECT x.*, ${sum(PLATFORM)} AS platform_fees, x.shipping_cost + x.own_fulfilment_cost AS fulfilment_and_shipping,
    ${sum(CREATOR)} AS creator_commission, COALESCE(a.ad_spend, 0) AS ad_spend
  FROM fees AS x LEFT JOIN ads AS a ON a.order_id = x.order_id
)
SELECT y.*, y.cm1 - y.platform_fees - y.fulfilment_and_shipping - y.creator_commission AS cm2,
  y.ad_spend + y.sample_cost AS marketing,
  y.cm1 - y.platform_fees - y.fulfilment_and_shipping - y.creator_commission - y.ad_spend - y.sample_cost AS cm3
FROM layers AS y`;
}

/**
 * Accrual profit by shop day (views.ts periodView, accrual, day grain): order amounts on the
 * order's day; unallocated ads, creator fees, fixed costs and unlinked adjustments on their own.
 */
export function profitByDayView(d: Dialect): string {
  const t = d.table;
  return `WITH parts AS (
  SELECT day, 1 AS orders, CASE WHEN basis IN ('settled', 'none') THEN 0 ELSE 1 END AS estimated_orders,
    net_revenue, cogs, platform_fees, fulfilment_and_shipping, creator_commission, 0 AS shop_adjustments,
    ad_spend, 0 AS unallocated_ad_spend, sample_cost, 0 AS creator_fees, 0 AS fixed_costs, tax_withheld
  FROM ${t('order_margin')}
  UNION ALL
  SELECT day, 0, 0, 0, 0, 0, 0, 0, shop_adjustments, unallocated_ad_spend, unallocated_ad_spend, 0, creator_fees, fixed_costs, 0
  FROM ${t('shop_day')}
),
summed AS (
  SELECT day, SUM(orders) AS orders, SUM(net_revenue) AS net_revenue, SUM(cogs) AS cogs, SUM(platform_fees) AS platform_fees,
    SUM(fulfilment_and_shipping) AS fulfilment_and_shipping, SUM(creator_commission) AS creator_commission,
    SUM(shop_adjustments) AS shop_adjustments, SUM(ad_spend) AS ad_spend, SUM(unallocated_ad_spend) AS unallocated_ad_spend,
    SUM(sample_cost) AS sample_cost, SUM(creator_fees) AS creator_fees, SUM(fixed_costs) AS fixed_costs,
    SUM(tax_withheld) AS tax_withheld, SUM(estimated_orders) AS estimated_orders
  FROM parts GROUP BY day
)
SELECT day, orders, net_revenue, cogs, net_revenue - cogs AS cm1, platform_fees, fulfilment_and_shipping, creator_commission,
  shop_adjustments,
  net_revenue - cogs - platform_fees - fulfilment_and_shipping - creator_commission + shop_adjustments AS cm2,
  ad_spend, unallocated_ad_spend, sample_cost, creator_fees, ad_spend + sample_cost + creator_fees AS marketing,
  net_revenue - cogs - platform_fees - fulfilment_and_shipping - creator_commission + shop_adjustments - ad_spend - sample_cost - creator_fees AS cm3,
  fixed_costs,
  net_revenue - cogs - platform_fees - fulfilment_and_shipping - creator_commission + shop_adjustments - ad_spend - sample_cost - creator_fees - fixed_costs AS net_profit,
  tax_withheld, estimated_orders
FROM summed`;
}
