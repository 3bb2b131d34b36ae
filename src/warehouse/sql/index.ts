/**
 * The profit model as SQL views, in dependency order. Names: the views the workbook reads are
 * named as in profit-model.md (order_margin, shop_day, profit_by_day, trailing_rates); the steps
 * between them start with `wh_` (warehouse internals, not for reports).
 */
import type { Dialect } from '../dialect';
import { adAllocationParts, shopDayView } from './allocation';
import { feeFieldsQuery, transactionDestinationsQuery } from './common';
import { orderFeesEstimatedView, tiktokEstimateView, trailingRatesView } from './fees';
import { orderMarginView, profitByDayView } from './margin';
import { lineCostsView, orderFeesSettledView, orderRefundsView, orderRevenueView, paidOrdersView } from './orders';

export const VIEWS: readonly { name: string; query: (d: Dialect) => string }[] = [
  { name: 'wh_fee_fields', query: () => feeFieldsQuery() },
  { name: 'wh_transaction_destinations', query: () => transactionDestinationsQuery() },
  { name: 'wh_paid_orders', query: paidOrdersView },
  { name: 'wh_line_costs', query: lineCostsView },
  { name: 'wh_order_refunds', query: orderRefundsView },
  { name: 'wh_order_revenue', query: orderRevenueView },
  { name: 'wh_order_fees_settled', query: orderFeesSettledView },
  { name: 'wh_trailing_rates', query: trailingRatesView },
  { name: 'wh_tiktok_estimates', query: tiktokEstimateView },
  { name: 'wh_order_fees_estimated', query: orderFeesEstimatedView },
  { name: 'wh_ad_allocation', query: adAllocationParts },
  { name: 'order_margin', query: orderMarginView },
  { name: 'shop_day', query: shopDayView },
  { name: 'profit_by_day', query: profitByDayView },
];

/**
 * Every statement that defines the model in a dataset: helper functions, then the steps.
 * 'views': each step a view, always current, recomputed by every query that reads it.
 * 'tables': each step computed once into a table, in order (what a refresh runs after loading
 * records): a report then reads small tables instead of re-running the chain over the raw
 * records, which in BigQuery is also what a query is billed on.
 */
export function modelStatements(d: Dialect, mode: 'views' | 'tables' = 'views'): string[] {
  return [...d.helpers(), ...VIEWS.map((v) => (mode === 'tables' && v.name !== 'profit_by_day' ? d.materialize : d.view)(v.name, v.query(d)))];
}
