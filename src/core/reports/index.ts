/**
 * Every report of the workbook from one engine run: what Refresh materializes on the report
 * tabs, and what a future BigQuery path would compute the same way. Alerts read the SKU,
 * creator and reconciliation reports built here, so an alert's number is the tab's number.
 */
import { addDays } from '../time';
import { alerts, type SkuFacts } from './alerts';
import { adsReport, type AdsReport } from './ads';
import type { AdCurrencyRate } from '../ad-spend';
import { channelReport, type ChannelReport } from './channels';
import { creatorsReport } from './creators';
import { customerDetailReport, type CustomerDetailReport } from './customerDetail';
import { customersReport, type CustomersOptions, type CustomersReport } from './customers';
import { dashboardReport } from './dashboard';
import { decisionsReport } from './decisions';
import { closeReport, type CloseReport } from './monthClose';
import { orderStatusReport, type OrderStatusReport } from './orderStatus';
import { orderMarginReport } from './orderMargin';
import { profitReport, type ProfitReport } from './profit';
import { reconciliationReport, type ReconciliationReport } from './reconciliation';
import { skuReport } from './sku';
import { standardPeriods, type DayRange, type ReportInput, type ReportTable, type Row } from './table';

export interface AllReports {
  profit: ProfitReport;
  orderMargin: ReportTable;
  skuProfit: ReportTable;
  creators: ReportTable;
  customers: CustomersReport;
  channels: ChannelReport;
  reconciliation: ReconciliationReport;
  alerts: ReportTable;
  /** The Dashboard's tables, in the order the tab shows them. */
  dashboard: ReportTable[];
  decisions: ReportTable;
  close: CloseReport;
  orderStatus: OrderStatusReport;
  customerDetail: CustomerDetailReport;
  ads: AdsReport;
}

export interface AllReportsOptions {
  /** When the last refresh finished (for the stale-data alert); omitted = not checked. */
  lastRefreshTime?: number | null;
  followers?: CustomersOptions['followers'];
  /** Settings' rates for ad accounts in another currency (the Ads tab shows them). */
  adCurrencyRates?: readonly AdCurrencyRate[];
}

const num = (v: Row[string]): number => (typeof v === 'number' ? v : 0);
const rate = (v: Row[string]): number | null => (typeof v === 'number' ? v : null);

function skuFacts(table: ReportTable, previous?: ReportTable): SkuFacts[] {
  const before = new Map(previous?.rows.map((r) => [String(r.sku), rate(r.returnRate)]) ?? []);
  return table.rows.map((r) => ({
    sku: String(r.sku),
    cm3: num(r.cm3),
    netRevenue: num(r.netRevenue),
    returnRate: rate(r.returnRate),
    previousReturnRate: before.get(String(r.sku)) ?? null,
    pageViewRate: rate(r.pageViewRate),
  }));
}

export function allReports(input: ReportInput, options: AllReportsOptions = {}): AllReports {
  const periods = standardPeriods(input.margins.asOf, input.settings);
  const last7 = periods.find((p) => p.label === 'Last 7 days')!;
  const last30 = periods.find((p) => p.label === 'Last 30 days')!;
  const previous7: DayRange = { label: 'Previous 7 days', from: addDays(last7.from, -7), to: addDays(last7.from, -1) };

  const skuProfit = skuReport(input, { range: last30 });
  const creators = creatorsReport(input, { range: last30 });
  const creators7 = creatorsReport(input, { range: last7 });
  const reconciliation = reconciliationReport(input);
  const profit = profitReport(input);

  const alertTable = alerts(input, {
    skus7: skuFacts(skuReport(input, { range: last7 }), skuReport(input, { range: previous7 })),
    skus30: skuFacts(skuProfit),
    creators7: creators7.rows.map((r) => ({ creator: String(r.creator), cm3: num(r.cm3) })),
    creators30: creators.rows.map((r) => ({ creator: String(r.creator), cm3: num(r.cm3) })),
    statementsNotTiedOut: reconciliation.statements.rows
      .filter((r) => r.tieOutAlert === true)
      .map((r) => ({ statementId: String(r.statementId), difference: num(r.tieOutDifference), differenceShare: rate(r.tieOutDifferenceShare) })),
    transactionsNotAddingUp: reconciliation.transactionsNotAddingUp.rows.map((r) => ({
      transactionId: String(r.transactionId), statementId: String(r.statementId), orderId: r.orderId === null ? null : String(r.orderId), difference: num(r.difference),
    })),
    payoutsDiffering: reconciliation.payouts.rows
      .filter((r) => r.withinTolerance === false)
      .map((r) => ({ paymentId: String(r.paymentId), difference: num(r.difference) })),
    profitAccrual: profit.accrual.rows,
    ...(options.lastRefreshTime !== undefined ? { lastRefreshTime: options.lastRefreshTime } : {}),
  });

  const decisions = decisionsReport(input, { skus: skuProfit.rows, creators: creators.rows, range: last30 });
  return {
    dashboard: dashboardReport(input, { decisions, accrualDaily: profit.accrualDaily, creators }),
    decisions,
    close: closeReport(input),
    orderStatus: orderStatusReport(input, last30),
    customerDetail: customerDetailReport(input),
    profit,
    // The last 30 days: one row per order is the largest table of the workbook (59 columns), and a
    // 90-day shop of 100,000 orders would need 6 M of Sheets' 10 M cells for it alone.
    orderMargin: orderMarginReport(input, { range: last30 }),
    skuProfit,
    creators,
    // Returns by creator over the window Creators states, so the two tabs count the same orders.
    customers: customersReport(input, { followers: options.followers ?? null, returnsRange: last30 }),
    channels: channelReport(input, { range: last30 }),
    reconciliation,
    alerts: alertTable,
    ads: adsReport(input, { adCurrencyRates: options.adCurrencyRates }),
  };
}
