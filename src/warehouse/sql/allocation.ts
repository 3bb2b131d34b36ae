/**
 * Ad-spend allocation (allocation.ts) and the shop days (margin.ts shopDays) in SQL.
 *
 * Spend counted once: ad-account rows of the Marketing API, split from the advertiser's day onto
 * the shop days it overlaps by seconds of overlap, plus the statement's GMV_PAYMENT_FOR_ADS
 * deductions. By product: a campaign's piece of a day goes to that day's orders of its products
 * (weights: the lines' original price − seller discount), or back to the day's pool when they
 * sold nothing. The pool of a day goes to its candidate orders by net revenue (new buyers only:
 * first orders); a day without candidates keeps it as unallocated spend.
 */
import type { Dialect } from '../dialect';
import { largestRemainder, numbersQuery } from './common';

/** Candidate orders, ad pieces and the split: one row per (source, order) part, and per day the unallocated pool. */
export function adAllocationParts(d: Dialect): string {
  const t = d.table;
  const f = d.fn;
  return `WITH s AS (SELECT timezone, allocation_method FROM ${t('settings')}),
ad_rows AS (
  SELECT a.advertiser_id, a.campaign_id, a.date, a.advertiser_timezone, a.spend,
    s.timezone AS shop_tz, s.allocation_method = 'by_product' AND p.advertiser_id IS NOT NULL AS by_product
  FROM ${t('ad_spend')} AS a CROSS JOIN s
  LEFT JOIN (SELECT DISTINCT advertiser_id, campaign_id, date FROM ${t('ad_spend_products')}) AS p
    ON p.advertiser_id = a.advertiser_id AND p.campaign_id = a.campaign_id AND p.date = a.date
  WHERE a.funding_source = 'AD_ACCOUNT'
),
-- An advertiser day in another zone than the shop's: its seconds on each shop day it overlaps.
ad_overlaps AS (
  SELECT advertiser_id, campaign_id, date, by_product, spend AS total, day, to_s - from_s AS weight FROM (
    SELECT x.advertiser_id, x.campaign_id, x.date, x.by_product, x.spend, ${f('add_days')}(x.d0, k.n) AS day,
      GREATEST(x.start_s, ${f('day_start')}(${f('add_days')}(x.d0, k.n), x.shop_tz)) AS from_s,
      LEAST(x.end_s, ${f('day_start')}(${f('add_days')}(x.d0, k.n + 1), x.shop_tz)) AS to_s
    FROM (
      SELECT r.*, ${f('day_start')}(r.date, r.advertiser_timezone) AS start_s,
        ${f('day_start')}(${f('add_days')}(r.date, 1), r.advertiser_timezone) AS end_s,
        ${f('shop_day')}(${f('day_start')}(r.date, r.advertiser_timezone), r.shop_tz) AS d0
      FROM ad_rows AS r WHERE r.advertiser_timezone <> r.shop_tz
    ) AS x CROSS JOIN (${numbersQuery(4)}) AS k
  ) AS y WHERE to_s > from_s
),
pieces AS (
  SELECT advertiser_id, campaign_id, date, by_product, date AS day, spend AS amount FROM ad_rows WHERE advertiser_timezone = shop_tz
  UNION ALL
  SELECT advertiser_id, campaign_id, date, by_product, day, part AS amount
  FROM (${largestRemainder(d, 'ad_overlaps', ['advertiser_id', 'campaign_id', 'date', 'by_product', 'day', 'total', 'weight'], ['advertiser_id', 'campaign_id', 'date'], 'day')}) AS sp
),
gmv_ads AS (
  SELECT ${f('shop_day')}(x.statement_time, s.timezone) AS day, -x.settlement_amount AS amount
  FROM ${t('statement_transactions')} AS x CROSS JOIN s WHERE x.type = 'GMV_PAYMENT_FOR_ADS'
),
candidates AS (
  SELECT r.order_id, r.day, r.net_revenue FROM ${t('wh_order_revenue')} AS r CROSS JOIN s
  WHERE NOT r.cancelled AND NOT r.is_sample AND r.net_revenue > 0
    AND (s.allocation_method <> 'new_buyers' OR r.is_first_order)
),
piece_weights AS (
  SELECT pc.advertiser_id, pc.campaign_id, pc.date, pc.day, pc.amount AS total, c.order_id,
    SUM(l.original_price - l.seller_discount) AS weight
  FROM pieces AS pc
  JOIN ${t('ad_spend_products')} AS ap ON ap.advertiser_id = pc.advertiser_id AND ap.campaign_id = pc.campaign_id AND ap.date = pc.date
  JOIN ${t('wh_line_costs')} AS l ON l.product_id = ap.product_id AND NOT l.cancelled
  JOIN candidates AS c ON c.order_id = l.order_id AND c.day = pc.day
  WHERE pc.by_product
  GROUP BY pc.advertiser_id, pc.campaign_id, pc.date, pc.day, pc.amount, c.order_id
  HAVING SUM(l.original_price - l.seller_discount) > 0
),
piece_parts AS (
  ${largestRemainder(d, 'piece_weights', ['advertiser_id', 'campaign_id', 'date', 'day', 'total', 'weight', 'order_id'], ['advertiser_id', 'campaign_id', 'date', 'day'], 'order_id')}
),
placed_pieces AS (SELECT DISTINCT advertiser_id, campaign_id, date, day FROM piece_weights),
pool AS (
  SELECT day, SUM(amount) AS amount FROM (
    SELECT day, amount FROM pieces WHERE NOT by_product
    UNION ALL SELECT day, amount FROM gmv_ads
    UNION ALL
    SELECT pc.day, pc.amount FROM pieces AS pc
    LEFT JOIN placed_pieces AS pp ON pp.advertiser_id = pc.advertiser_id AND pp.campaign_id = pc.campaign_id AND pp.date = pc.date AND pp.day = pc.day
    WHERE pc.by_product AND pp.day IS NULL
  ) AS x GROUP BY day
),
pool_weights AS (
  SELECT p.day, p.amount AS total, c.order_id, c.net_revenue AS weight
  FROM pool AS p JOIN candidates AS c ON c.day = p.day WHERE p.amount <> 0
),
pool_parts AS (
  ${largestRemainder(d, 'pool_weights', ['day', 'total', 'weight', 'order_id'], ['day'], 'order_id')}
)
SELECT 'order' AS kind, order_id, day, part AS amount FROM piece_parts
UNION ALL SELECT 'order' AS kind, order_id, day, part AS amount FROM pool_parts
UNION ALL SELECT 'spend' AS kind, NULL AS order_id, day, amount FROM pieces
UNION ALL SELECT 'spend' AS kind, NULL AS order_id, day, amount FROM gmv_ads
UNION ALL
SELECT 'unallocated' AS kind, NULL AS order_id, p.day, p.amount
FROM pool AS p LEFT JOIN (SELECT DISTINCT day FROM candidates) AS c ON c.day = p.day
WHERE p.amount <> 0 AND c.day IS NULL`;
}

/**
 * The shop's days: ad spend (spent, allocated to orders, left unallocated), creator flat fees,
 * fixed costs spread evenly over their month, and statement adjustments that name no order.
 */
export function shopDayView(d: Dialect): string {
  const t = d.table;
  const f = d.fn;
  return `WITH month_days AS (
  SELECT c.month, c.label, c.amount AS total, ${f('add_days')}(CAST(CONCAT(c.month, '-01') AS DATE), k.n) AS day, 1 AS weight
  FROM ${t('fixed_costs')} AS c CROSS JOIN (${numbersQuery(31)}) AS k
  WHERE SUBSTR(CAST(${f('add_days')}(CAST(CONCAT(c.month, '-01') AS DATE), k.n) AS STRING), 1, 7) = c.month
),
fixed AS (${largestRemainder(d, 'month_days', ['month', 'label', 'day', 'total', 'weight'], ['month', 'label'], 'day')}),
parts AS (
  SELECT day, CASE WHEN kind = 'spend' THEN amount ELSE 0 END AS ad_spend,
    CASE WHEN kind = 'order' THEN amount ELSE 0 END AS allocated_ad_spend,
    CASE WHEN kind = 'unallocated' THEN amount ELSE 0 END AS unallocated_ad_spend,
    0 AS creator_fees, 0 AS fixed_costs, 0 AS shop_adjustments
  FROM ${t('wh_ad_allocation')}
  UNION ALL SELECT date AS day, 0, 0, 0, amount, 0, 0 FROM ${t('creator_fees')}
  UNION ALL SELECT day, 0, 0, 0, 0, part, 0 FROM fixed
  UNION ALL
  SELECT ${f('shop_day')}(x.statement_time, s.timezone) AS day, 0, 0, 0, 0, 0, x.settlement_amount
  FROM ${t('statement_transactions')} AS x CROSS JOIN ${t('settings')} AS s
  WHERE x.order_id IS NULL AND x.type NOT IN ('ORDER', 'RESERVE', 'GMV_PAYMENT_FOR_ADS')
)
SELECT day, SUM(ad_spend) AS ad_spend, SUM(allocated_ad_spend) AS allocated_ad_spend,
  SUM(unallocated_ad_spend) AS unallocated_ad_spend, SUM(creator_fees) AS creator_fees,
  SUM(fixed_costs) AS fixed_costs, SUM(shop_adjustments) AS shop_adjustments
FROM parts GROUP BY day`;
}
