/**
 * The add-on's global functions, and nothing else.
 *
 * Apps Script only sees top-level function declarations. build.mjs bundles this file into an
 * IIFE (`__addon`) and writes, for every `export function` below, a top-level stub
 * `function NAME(args) { return __addon.NAME(args); }` carrying the same JSDoc, which is how
 * Sheets finds custom functions (`@customfunction`) and their argument help. So here:
 * - only `export function` declarations (no `export const`, no re-exports), no logic;
 * - names must not end in `_` (Apps Script hides those from menus and google.script.run);
 * - the JSDoc is user-facing: it is the help card Sheets shows for a custom function.
 */
import {
  affordableCac, breakevenRoas, contributionMargin, creatorCostShare, feeEstimate, type CellInput, type CustomFunctionResult,
} from './sheets/customFunctions';
import {
  tiktokCreators, tiktokCustomers, tiktokMetric, tiktokOrderMargin, tiktokPnl, tiktokReconciliation, tiktokSkuProfit,
} from './sheets/custom-reports';
import type { OutCell } from './sheets/custom-tabs';
import {
  chooseShop, completeConnection, connectLink, connectionStatus, disconnectShop, goToCostOfSku, rebuildFromMenu, rebuildReportTabs,
  refreshFromMenu, refreshStep, resetSyncCursor, runScheduledRefresh, saveApp, saveSettingsForm as saveSettings, setRefreshSchedule,
  settingsForm, previewUpload, importUpload, runDeploymentCheck, deploymentCheckFromMenu, type CallbackRequest, type ConnectionStatus, type RefreshProgress,
  adsConnectLink, chooseAdAccounts, completeAdsConnection, disconnectAdsAccount, saveAdsApp,
} from './sheets/addon';
import type { DeploymentCheck } from './sheets/deployment-check';
import { buildMenu, openHelp, openSidebar } from './sheets/menu';
import type { AdsStatus, ImportOutcome, ImportPreview, ScheduleStatus, SettingField } from './sheets/server-types';
import {
  refreshWarehouse as writeToWarehouse, saveWarehouseSettings, warehouseStatus, type WarehouseRefreshResult, type WarehouseStatus,
} from './sheets/warehouse';

/** Runs when a spreadsheet opens: adds the add-on menu. */
export function onOpen(e?: GoogleAppsScript.Events.SheetsOnOpen): void {
  buildMenu(e);
}

/**
 * Runs once when the add-on is installed from within a document. onOpen has already fired
 * for that document before the install, so without this the menu would wait for a reload.
 */
export function onInstall(e?: GoogleAppsScript.Events.AddonOnInstall): void {
  onOpen(e as GoogleAppsScript.Events.SheetsOnOpen | undefined);
}

/** Menu item "Open sidebar". */
export function showSidebar(): void {
  openSidebar();
}

/** Sidebar: who is connected, which shop, when the workbook was last refreshed. */
export function getStatus(): ConnectionStatus {
  return connectionStatus();
}

/** Sidebar (Connect): saves the seller's TikTok app key and secret in the user's own properties. */
export function saveTikTokApp(app: { appKey: string; appSecret: string; serviceId?: string; market?: 'ROW' | 'US' }): void {
  saveApp(app);
}

/** Sidebar (Connect): the TikTok authorize link to open in a new tab. */
export function getConnectLink(): string {
  return connectLink();
}

/** TikTok's redirect, delivered by Google's /usercallback with the state made by getConnectLink. */
export function authCallback(request: CallbackRequest): GoogleAppsScript.HTML.HtmlOutput {
  return completeConnection(request);
}

/** Sidebar (Connect): picks the shop for this workbook when the authorization granted several. */
export function selectShop(shopId: string): void {
  chooseShop(shopId);
}

/** Sidebar (Connect): forgets this user's tokens and shop; the workbook keeps its data. */
export function disconnect(): void {
  disconnectShop();
}

/** Sidebar (Connect → Ads account): saves the seller's own Marketing API app id and secret in the user's properties. */
export function saveTikTokAdsApp(app: { appId: string; secret: string }): void {
  saveAdsApp(app);
}

/** Sidebar (Connect → Ads account): the TikTok for Business authorize link to open in a new tab. */
export function getAdsConnectLink(): string {
  return adsConnectLink();
}

/** TikTok for Business's redirect, delivered by Google's /usercallback with the state made by getAdsConnectLink. */
export function adsAuthCallback(request: CallbackRequest): GoogleAppsScript.HTML.HtmlOutput {
  return completeAdsConnection(request);
}

/** Sidebar (Connect → Ads account): the ad accounts whose spend this workbook takes. */
export function selectAdAccounts(ids: string[]): AdsStatus {
  return chooseAdAccounts(ids);
}

/** Sidebar (Connect → Ads account): forgets this user's ads token and choice; the Ad spend rows stay. */
export function disconnectAds(): AdsStatus {
  return disconnectAdsAccount();
}

/** Sidebar (Refresh): one step of a refresh; call again until `done`. */
export function refresh(): RefreshProgress {
  return refreshStep();
}

/** Menu "Refresh now" (and the scheduled trigger): one refresh step, reported in a toast. */
export function refreshNow(): void {
  refreshFromMenu();
}

/** Menu "Rebuild reports": recomputes the report tabs from the data and user tabs, no API calls. */
export function rebuildReports(): void {
  rebuildFromMenu();
}

/** Sidebar (Refresh): the next refresh reads the whole backfill window again (nothing is duplicated). */
export function refreshFromScratch(): void {
  resetSyncCursor();
}

/** For tests and scripts: rebuilds the reports and throws on error (the menu item shows a toast instead). */
export function rebuildReportsNow(): void {
  rebuildReportTabs();
}

/** Sidebar (Schedule): off, hourly, or daily at `hour` (0–23); one trigger per user and document. */
export function setSchedule(mode: 'off' | 'hourly' | 'daily', hour?: number): ScheduleStatus {
  return setRefreshSchedule(mode, hour);
}

/** The time-driven trigger's handler: refresh steps, unattended, as many as fit in one execution. */
export function scheduledRefresh(): void {
  runScheduledRefresh();
}

/** Menu "Check this deployment": what only a real deployment settles, checked, in a dialog. */
export function checkThisDeployment(): void {
  deploymentCheckFromMenu();
}

/** For tests and scripts: the deployment checks as data. */
export function deploymentChecks(): DeploymentCheck[] {
  return runDeploymentCheck();
}

/** Sidebar (Settings): the Settings tab's rows. */
export function getSettingsForm(): SettingField[] {
  return settingsForm();
}

/** Sidebar (Settings): saves values into the Settings tab; an invalid one is refused, nothing saved. */
export function saveSettingsForm(values: { label: string; value: string | number }[]): void {
  saveSettings(values);
}

/** Sidebar (Status): jumps to the COGS row of a SKU without cost (adding the row when missing). */
export function addCostForSku(sku: string): void {
  goToCostOfSku(sku);
}

/** Sidebar (Import): what an uploaded Seller Center export holds (kind, rows, date range); writes nothing. */
export function previewImport(fileName: string, base64: string): ImportPreview {
  return previewUpload(fileName, base64);
}

/** Sidebar (Import → Confirm): upserts the file's records into the data tabs and rebuilds the reports. */
export function confirmImport(fileName: string, base64: string): ImportOutcome {
  return importUpload(fileName, base64);
}

/** Menu "Help". */
export function showHelp(): void {
  openHelp();
}

/**
 * Contribution margin, exact to the cent: revenue minus cogs, platform fees, shipping, creator
 * commission and marketing. Enter costs as positive numbers. Works on single values or on
 * ranges of the same size (row by row); a row with a blank cell gives a blank result.
 *
 * @param {100} revenue Net revenue (after seller discounts and refunds), or a range of them.
 * @param {40} cogs Cost of goods sold, or a range.
 * @param {6.5} platform_fees TikTok Shop referral and transaction fees, or a range.
 * @param {5.25} shipping Shipping the seller paid, or a range.
 * @param {10} commission Creator (affiliate) commission, or a range.
 * @param {3.1} marketing Ad spend and samples attributed to the sale, or a range.
 * @param {"USD"} currency Optional. ISO 4217 code of the amounts, "USD" when omitted; "JPY" allows whole yen only.
 * @return {35.15} The contribution margin, or a range of margins.
 * @customfunction
 */
export function TIKTOK_CM(
  revenue: CellInput,
  cogs: CellInput,
  platform_fees: CellInput,
  shipping: CellInput,
  commission: CellInput,
  marketing: CellInput,
  currency?: CellInput,
): CustomFunctionResult {
  return contributionMargin(revenue, cogs, platform_fees, shipping, commission, marketing, currency);
}

/**
 * Break-even ROAS: the revenue per unit of ad spend at which advertising uses up the whole
 * contribution margin before ads (CM2). Below it, ads lose money. Equals 1 / cm2_margin_rate.
 *
 * @param {0.25} cm2_margin_rate Contribution margin before ads as a share of revenue, above 0 and at most 1 (25% or 0.25), or a range.
 * @return {4} The break-even ROAS, or a range of them.
 * @customfunction
 */
export function TIKTOK_BREAKEVEN_ROAS(cm2_margin_rate: CellInput): CustomFunctionResult {
  return breakevenRoas(cm2_margin_rate);
}

// ---------------------------------------------------------------- custom functions over the tabs, and helpers

/**
 * Order margin table: one row per paid order created in the period (newest first) with every
 * component of its margin: revenue, COGS, each fee, shipping, commission, ads, samples, CM1, CM2,
 * CM3, whether its fees are settled or estimated, and the true-up. Money in the shop currency.
 *
 * The tab arguments are the add-on's tabs passed WHOLE, header row included, in the same order
 * for every TIKTOK_ function over the data (columns are found by header name, as Refresh reads
 * them). The numbers are as of the latest time in the data tabs.
 *
 * @param {"2025-03-01"} start First shop day of the period: a date (DATE(2025,3,1), a date cell) or "YYYY-MM-DD"; blank = the first order day.
 * @param {"2025-03-31"} end Last shop day of the period, included; blank = the latest day in the data.
 * @param {TTS_Orders_all} orders The whole Orders tab, header row included (Orders!A:Z or the named range TTS_Orders_all).
 * @param {TTS_Order_lines_all} order_lines The whole Order lines tab with its header row ('Order lines'!A:Z or TTS_Order_lines_all).
 * @param {TTS_Settlements_all} settlements The whole Settlements tab with its header row (Settlements!A:BZ or TTS_Settlements_all).
 * @param {TTS_Returns_all} returns The whole Returns tab with its header row (Returns!A:Z or TTS_Returns_all).
 * @param {TTS_Creator_orders_all} creator_orders The whole Creator orders tab with its header row ('Creator orders'!A:Z or TTS_Creator_orders_all).
 * @param {TTS_Ad_spend_all} ad_spend The whole Ad spend tab with its header row ('Ad spend'!A:Z or TTS_Ad_spend_all).
 * @param {TTS_Unsettled_estimates_all} unsettled_estimates The whole Unsettled estimates tab with its header row ('Unsettled estimates'!A:BZ or TTS_Unsettled_estimates_all).
 * @param {Settings!A:C} settings The Settings tab with its header row (Settings!A:C); it must hold Currency and Time zone.
 * @param {COGS!A:D} cogs The COGS tab with its header row (COGS!A:D).
 * @param {'Fixed costs'!A:D} fixed_costs The Fixed costs tab with its header row ('Fixed costs'!A:D).
 * @param {'Creator fees'!A:E} creator_fees The Creator fees tab with its header row ('Creator fees'!A:E).
 * @return A header row and one row per order, as on the Order margin tab.
 * @customfunction
 */
export function TIKTOK_ORDER_MARGIN(
  start: unknown,
  end: unknown,
  orders: unknown,
  order_lines: unknown,
  settlements: unknown,
  returns: unknown,
  creator_orders: unknown,
  ad_spend: unknown,
  unsettled_estimates: unknown,
  settings: unknown,
  cogs: unknown,
  fixed_costs: unknown,
  creator_fees: unknown,
): OutCell[][] {
  return tiktokOrderMargin(start, end, orders, order_lines, settlements, returns, creator_orders, ad_spend, unsettled_estimates, settings, cogs, fixed_costs, creator_fees);
}

/**
 * SKU profit for a period: per SKU units, returns, GMV, net revenue, COGS, fees, shipping,
 * commission, ads, samples, CM3 and CM3 %, ranked by CM3, with the heat-map grade.
 *
 * The tab arguments are the add-on's tabs passed WHOLE, header row included, in the same order
 * for every TIKTOK_ function over the data (columns are found by header name, as Refresh reads
 * them). The numbers are as of the latest time in the data tabs.
 *
 * @param {"2025-03-01"} start First shop day of the period: a date (DATE(2025,3,1), a date cell) or "YYYY-MM-DD"; blank = the first order day.
 * @param {"2025-03-31"} end Last shop day of the period, included; blank = the latest day in the data.
 * @param {"accrual"} view "accrual" (orders on their order day; default) or "cash" (orders on the day of their first statement).
 * @param {TTS_Orders_all} orders The whole Orders tab, header row included (Orders!A:Z or the named range TTS_Orders_all).
 * @param {TTS_Order_lines_all} order_lines The whole Order lines tab with its header row ('Order lines'!A:Z or TTS_Order_lines_all).
 * @param {TTS_Settlements_all} settlements The whole Settlements tab with its header row (Settlements!A:BZ or TTS_Settlements_all).
 * @param {TTS_Returns_all} returns The whole Returns tab with its header row (Returns!A:Z or TTS_Returns_all).
 * @param {TTS_Creator_orders_all} creator_orders The whole Creator orders tab with its header row ('Creator orders'!A:Z or TTS_Creator_orders_all).
 * @param {TTS_Ad_spend_all} ad_spend The whole Ad spend tab with its header row ('Ad spend'!A:Z or TTS_Ad_spend_all).
 * @param {TTS_Unsettled_estimates_all} unsettled_estimates The whole Unsettled estimates tab with its header row ('Unsettled estimates'!A:BZ or TTS_Unsettled_estimates_all).
 * @param {Settings!A:C} settings The Settings tab with its header row (Settings!A:C); it must hold Currency and Time zone.
 * @param {COGS!A:D} cogs The COGS tab with its header row (COGS!A:D).
 * @param {'Fixed costs'!A:D} fixed_costs The Fixed costs tab with its header row ('Fixed costs'!A:D).
 * @param {'Creator fees'!A:E} creator_fees The Creator fees tab with its header row ('Creator fees'!A:E).
 * @param {'Product performance'!A:G} product_performance Optional. The Product performance tab with its header row, for the page view rate; omit it and the rate is blank.
 * @return A header row and one row per SKU, as on the SKU profit tab.
 * @customfunction
 */
export function TIKTOK_SKU_PROFIT(
  start: unknown,
  end: unknown,
  view: unknown,
  orders: unknown,
  order_lines: unknown,
  settlements: unknown,
  returns: unknown,
  creator_orders: unknown,
  ad_spend: unknown,
  unsettled_estimates: unknown,
  settings: unknown,
  cogs: unknown,
  fixed_costs: unknown,
  creator_fees: unknown,
  product_performance?: unknown,
): OutCell[][] {
  return tiktokSkuProfit(start, end, view, orders, order_lines, settlements, returns, creator_orders, ad_spend, unsettled_estimates, settings, cogs, fixed_costs, creator_fees, product_performance);
}

/**
 * Creators for a period: per creator orders, GMV, net revenue, commission, total cost share,
 * samples, flat fees, CM3 and CM3 %, 30-day repeat rate and group (Scale, Fix terms, Grow, Cut).
 *
 * The tab arguments are the add-on's tabs passed WHOLE, header row included, in the same order
 * for every TIKTOK_ function over the data (columns are found by header name, as Refresh reads
 * them). The numbers are as of the latest time in the data tabs.
 *
 * @param {"2025-03-01"} start First shop day of the period: a date (DATE(2025,3,1), a date cell) or "YYYY-MM-DD"; blank = the first order day.
 * @param {"2025-03-31"} end Last shop day of the period, included; blank = the latest day in the data.
 * @param {"accrual"} view "accrual" (orders on their order day; default) or "cash" (orders on the day of their first statement).
 * @param {TTS_Orders_all} orders The whole Orders tab, header row included (Orders!A:Z or the named range TTS_Orders_all).
 * @param {TTS_Order_lines_all} order_lines The whole Order lines tab with its header row ('Order lines'!A:Z or TTS_Order_lines_all).
 * @param {TTS_Settlements_all} settlements The whole Settlements tab with its header row (Settlements!A:BZ or TTS_Settlements_all).
 * @param {TTS_Returns_all} returns The whole Returns tab with its header row (Returns!A:Z or TTS_Returns_all).
 * @param {TTS_Creator_orders_all} creator_orders The whole Creator orders tab with its header row ('Creator orders'!A:Z or TTS_Creator_orders_all).
 * @param {TTS_Ad_spend_all} ad_spend The whole Ad spend tab with its header row ('Ad spend'!A:Z or TTS_Ad_spend_all).
 * @param {TTS_Unsettled_estimates_all} unsettled_estimates The whole Unsettled estimates tab with its header row ('Unsettled estimates'!A:BZ or TTS_Unsettled_estimates_all).
 * @param {Settings!A:C} settings The Settings tab with its header row (Settings!A:C); it must hold Currency and Time zone.
 * @param {COGS!A:D} cogs The COGS tab with its header row (COGS!A:D).
 * @param {'Fixed costs'!A:D} fixed_costs The Fixed costs tab with its header row ('Fixed costs'!A:D).
 * @param {'Creator fees'!A:E} creator_fees The Creator fees tab with its header row ('Creator fees'!A:E).
 * @return A header row and one row per creator, as on the Creators tab.
 * @customfunction
 */
export function TIKTOK_CREATORS(
  start: unknown,
  end: unknown,
  view: unknown,
  orders: unknown,
  order_lines: unknown,
  settlements: unknown,
  returns: unknown,
  creator_orders: unknown,
  ad_spend: unknown,
  unsettled_estimates: unknown,
  settings: unknown,
  cogs: unknown,
  fixed_costs: unknown,
  creator_fees: unknown,
): OutCell[][] {
  return tiktokCreators(start, end, view, orders, order_lines, settlements, returns, creator_orders, ad_spend, unsettled_estimates, settings, cogs, fixed_costs, creator_fees);
}

/**
 * A customer or cohort table for a period: "new_buyers" (new buyer rate, AOV per month),
 * "repeat" (30/60/90-day repeat rate per first-order month), "cohort_cm3" (cumulative CM3 per
 * buyer), "cohort_retained", "first_orders_by_source", "first_orders_by_creator" or "returns".
 * Month tables keep the months the period touches (later orders of a cohort count); the others
 * count the orders created in the period. Accrual view only.
 *
 * The tab arguments are the add-on's tabs passed WHOLE, header row included, in the same order
 * for every TIKTOK_ function over the data (columns are found by header name, as Refresh reads
 * them). The numbers are as of the latest time in the data tabs.
 *
 * @param {"repeat"} table Which table: "new_buyers", "repeat", "cohort_cm3", "cohort_retained", "first_orders_by_source", "first_orders_by_creator" or "returns".
 * @param {"2025-03-01"} start First shop day of the period: a date (DATE(2025,3,1), a date cell) or "YYYY-MM-DD"; blank = the first order day.
 * @param {"2025-03-31"} end Last shop day of the period, included; blank = the latest day in the data.
 * @param {"accrual"} view "accrual" or blank (customer tables have no cash view).
 * @param {TTS_Orders_all} orders The whole Orders tab, header row included (Orders!A:Z or the named range TTS_Orders_all).
 * @param {TTS_Order_lines_all} order_lines The whole Order lines tab with its header row ('Order lines'!A:Z or TTS_Order_lines_all).
 * @param {TTS_Settlements_all} settlements The whole Settlements tab with its header row (Settlements!A:BZ or TTS_Settlements_all).
 * @param {TTS_Returns_all} returns The whole Returns tab with its header row (Returns!A:Z or TTS_Returns_all).
 * @param {TTS_Creator_orders_all} creator_orders The whole Creator orders tab with its header row ('Creator orders'!A:Z or TTS_Creator_orders_all).
 * @param {TTS_Ad_spend_all} ad_spend The whole Ad spend tab with its header row ('Ad spend'!A:Z or TTS_Ad_spend_all).
 * @param {TTS_Unsettled_estimates_all} unsettled_estimates The whole Unsettled estimates tab with its header row ('Unsettled estimates'!A:BZ or TTS_Unsettled_estimates_all).
 * @param {Settings!A:C} settings The Settings tab with its header row (Settings!A:C); it must hold Currency and Time zone.
 * @param {COGS!A:D} cogs The COGS tab with its header row (COGS!A:D).
 * @param {'Fixed costs'!A:D} fixed_costs The Fixed costs tab with its header row ('Fixed costs'!A:D).
 * @param {'Creator fees'!A:E} creator_fees The Creator fees tab with its header row ('Creator fees'!A:E).
 * @return A header row and the table's rows, as on the Customers tab.
 * @customfunction
 */
export function TIKTOK_CUSTOMERS(
  table: unknown,
  start: unknown,
  end: unknown,
  view: unknown,
  orders: unknown,
  order_lines: unknown,
  settlements: unknown,
  returns: unknown,
  creator_orders: unknown,
  ad_spend: unknown,
  unsettled_estimates: unknown,
  settings: unknown,
  cogs: unknown,
  fixed_costs: unknown,
  creator_fees: unknown,
): OutCell[][] {
  return tiktokCustomers(table, start, end, view, orders, order_lines, settlements, returns, creator_orders, ad_spend, unsettled_estimates, settings, cogs, fixed_costs, creator_fees);
}

/**
 * The P&L of a period in a view: orders, GMV, net revenue, COGS, CM1, fees, shipping, commission,
 * adjustments, CM2, ads (unallocated part shown), samples, creator flat fees, marketing, CM3,
 * CM3 %, fixed costs, net profit, AOV, net AOV, new buyer rate and estimated share.
 *
 * The tab arguments are the add-on's tabs passed WHOLE, header row included, in the same order
 * for every TIKTOK_ function over the data (columns are found by header name, as Refresh reads
 * them). The numbers are as of the latest time in the data tabs.
 *
 * @param {"2025-03-01"} start First shop day of the period: a date (DATE(2025,3,1), a date cell) or "YYYY-MM-DD"; blank = the first order day.
 * @param {"2025-03-31"} end Last shop day of the period, included; blank = the latest day in the data.
 * @param {"accrual"} view "accrual" (orders on their order day; default) or "cash" (orders on the day of their first statement).
 * @param {TTS_Orders_all} orders The whole Orders tab, header row included (Orders!A:Z or the named range TTS_Orders_all).
 * @param {TTS_Order_lines_all} order_lines The whole Order lines tab with its header row ('Order lines'!A:Z or TTS_Order_lines_all).
 * @param {TTS_Settlements_all} settlements The whole Settlements tab with its header row (Settlements!A:BZ or TTS_Settlements_all).
 * @param {TTS_Returns_all} returns The whole Returns tab with its header row (Returns!A:Z or TTS_Returns_all).
 * @param {TTS_Creator_orders_all} creator_orders The whole Creator orders tab with its header row ('Creator orders'!A:Z or TTS_Creator_orders_all).
 * @param {TTS_Ad_spend_all} ad_spend The whole Ad spend tab with its header row ('Ad spend'!A:Z or TTS_Ad_spend_all).
 * @param {TTS_Unsettled_estimates_all} unsettled_estimates The whole Unsettled estimates tab with its header row ('Unsettled estimates'!A:BZ or TTS_Unsettled_estimates_all).
 * @param {Settings!A:C} settings The Settings tab with its header row (Settings!A:C); it must hold Currency and Time zone.
 * @param {COGS!A:D} cogs The COGS tab with its header row (COGS!A:D).
 * @param {'Fixed costs'!A:D} fixed_costs The Fixed costs tab with its header row ('Fixed costs'!A:D).
 * @param {'Creator fees'!A:E} creator_fees The Creator fees tab with its header row ('Creator fees'!A:E).
 * @return Two columns, Line and the period's value, one row per line of the Profit tab.
 * @customfunction
 */
export function TIKTOK_PNL(
  start: unknown,
  end: unknown,
  view: unknown,
  orders: unknown,
  order_lines: unknown,
  settlements: unknown,
  returns: unknown,
  creator_orders: unknown,
  ad_spend: unknown,
  unsettled_estimates: unknown,
  settings: unknown,
  cogs: unknown,
  fixed_costs: unknown,
  creator_fees: unknown,
): OutCell[][] {
  return tiktokPnl(start, end, view, orders, order_lines, settlements, returns, creator_orders, ad_spend, unsettled_estimates, settings, cogs, fixed_costs, creator_fees);
}

/**
 * One number for a period: "cm3", "cm3_share", "net_revenue", "gmv", "orders", "aov", "net_aov",
 * "new_buyer_rate", "repeat_rate_30d", "return_rate", "estimated_share", "net_profit", "cm1", "cm2",
 * "cogs", "platform_fees", "shipping", "creator_commission", "ad_spend", "samples", "marketing",
 * "fixed_costs", "units", "commission_share", "total_cost_share", for the whole shop or a segment
 * ("sku:SELLER-SKU", "creator:username"). Money in the shop currency, rates as shares (0.25 = 25%),
 * blank when a rate has nothing to divide by.
 *
 * The tab arguments are the add-on's tabs passed WHOLE, header row included, in the same order
 * for every TIKTOK_ function over the data (columns are found by header name, as Refresh reads
 * them). The numbers are as of the latest time in the data tabs.
 *
 * @param {"cm3"} metric The metric name, e.g. "cm3", "repeat_rate_30d", "new_buyer_rate", "aov", "return_rate".
 * @param {"2025-03-01"} start First shop day of the period: a date (DATE(2025,3,1), a date cell) or "YYYY-MM-DD"; blank = the first order day.
 * @param {"2025-03-31"} end Last shop day of the period, included; blank = the latest day in the data.
 * @param {"sku:TS-0001"} segment Blank for the whole shop, "sku:SELLER-SKU" or "creator:username".
 * @param {"accrual"} view "accrual" (orders on their order day; default) or "cash" (orders on the day of their first statement).
 * @param {TTS_Orders_all} orders The whole Orders tab, header row included (Orders!A:Z or the named range TTS_Orders_all).
 * @param {TTS_Order_lines_all} order_lines The whole Order lines tab with its header row ('Order lines'!A:Z or TTS_Order_lines_all).
 * @param {TTS_Settlements_all} settlements The whole Settlements tab with its header row (Settlements!A:BZ or TTS_Settlements_all).
 * @param {TTS_Returns_all} returns The whole Returns tab with its header row (Returns!A:Z or TTS_Returns_all).
 * @param {TTS_Creator_orders_all} creator_orders The whole Creator orders tab with its header row ('Creator orders'!A:Z or TTS_Creator_orders_all).
 * @param {TTS_Ad_spend_all} ad_spend The whole Ad spend tab with its header row ('Ad spend'!A:Z or TTS_Ad_spend_all).
 * @param {TTS_Unsettled_estimates_all} unsettled_estimates The whole Unsettled estimates tab with its header row ('Unsettled estimates'!A:BZ or TTS_Unsettled_estimates_all).
 * @param {Settings!A:C} settings The Settings tab with its header row (Settings!A:C); it must hold Currency and Time zone.
 * @param {COGS!A:D} cogs The COGS tab with its header row (COGS!A:D).
 * @param {'Fixed costs'!A:D} fixed_costs The Fixed costs tab with its header row ('Fixed costs'!A:D).
 * @param {'Creator fees'!A:E} creator_fees The Creator fees tab with its header row ('Creator fees'!A:E).
 * @return {1234.56} The metric.
 * @customfunction
 */
export function TIKTOK_METRIC(
  metric: unknown,
  start: unknown,
  end: unknown,
  segment: unknown,
  view: unknown,
  orders: unknown,
  order_lines: unknown,
  settlements: unknown,
  returns: unknown,
  creator_orders: unknown,
  ad_spend: unknown,
  unsettled_estimates: unknown,
  settings: unknown,
  cogs: unknown,
  fixed_costs: unknown,
  creator_fees: unknown,
): OutCell {
  return tiktokMetric(metric, start, end, segment, view, orders, order_lines, settlements, returns, creator_orders, ad_spend, unsettled_estimates, settings, cogs, fixed_costs, creator_fees);
}

/**
 * The reconciliation bridge of a period: GMV of the orders created, cancellations, timing,
 * refunds, discounts, net sales, each fee, commission, tax, shipping, each adjustment type,
 * settlement, reserve, payouts, and the unexplained remainder (0 on consistent data).
 *
 * The tab arguments are the add-on's tabs passed WHOLE, header row included, in the same order
 * for every TIKTOK_ function over the data (columns are found by header name, as Refresh reads
 * them). The numbers are as of the latest time in the data tabs.
 *
 * @param {"2025-03-01"} start First shop day of the period: a date (DATE(2025,3,1), a date cell) or "YYYY-MM-DD"; blank = the first order day.
 * @param {"2025-03-31"} end Last shop day of the period, included; blank = the latest day in the data.
 * @param {"total"} grain "total" (default: the bridge as Line | Amount), or "day", "week", "month" (one row per period and a Total row).
 * @param {TTS_Orders_all} orders The whole Orders tab, header row included (Orders!A:Z or the named range TTS_Orders_all).
 * @param {TTS_Order_lines_all} order_lines The whole Order lines tab with its header row ('Order lines'!A:Z or TTS_Order_lines_all).
 * @param {TTS_Settlements_all} settlements The whole Settlements tab with its header row (Settlements!A:BZ or TTS_Settlements_all).
 * @param {TTS_Returns_all} returns The whole Returns tab with its header row (Returns!A:Z or TTS_Returns_all).
 * @param {TTS_Creator_orders_all} creator_orders The whole Creator orders tab with its header row ('Creator orders'!A:Z or TTS_Creator_orders_all).
 * @param {TTS_Ad_spend_all} ad_spend The whole Ad spend tab with its header row ('Ad spend'!A:Z or TTS_Ad_spend_all).
 * @param {TTS_Unsettled_estimates_all} unsettled_estimates The whole Unsettled estimates tab with its header row ('Unsettled estimates'!A:BZ or TTS_Unsettled_estimates_all).
 * @param {Settings!A:C} settings The Settings tab with its header row (Settings!A:C); it must hold Currency and Time zone.
 * @param {COGS!A:D} cogs The COGS tab with its header row (COGS!A:D).
 * @param {'Fixed costs'!A:D} fixed_costs The Fixed costs tab with its header row ('Fixed costs'!A:D).
 * @param {'Creator fees'!A:E} creator_fees The Creator fees tab with its header row ('Creator fees'!A:E).
 * @param {TTS_Statements_all} statements The whole Statements tab with its header row (Statements!A:Z or TTS_Statements_all).
 * @param {TTS_Payouts_all} payouts The whole Payouts tab with its header row (Payouts!A:Z or TTS_Payouts_all).
 * @return The bridge, with a header row.
 * @customfunction
 */
export function TIKTOK_RECONCILIATION(
  start: unknown,
  end: unknown,
  grain: unknown,
  orders: unknown,
  order_lines: unknown,
  settlements: unknown,
  returns: unknown,
  creator_orders: unknown,
  ad_spend: unknown,
  unsettled_estimates: unknown,
  settings: unknown,
  cogs: unknown,
  fixed_costs: unknown,
  creator_fees: unknown,
  statements: unknown,
  payouts: unknown,
): OutCell[][] {
  return tiktokReconciliation(start, end, grain, orders, order_lines, settlements, returns, creator_orders, ad_spend, unsettled_estimates, settings, cogs, fixed_costs, creator_fees, statements, payouts);
}

/**
 * Platform fee estimate for a sale, from the rate card, as the add-on estimates an order with no
 * statement and no TikTok estimate: referral fee + transaction fee on the price, each rounded to
 * the cent. Region "US" has the default rates (referral 6%, transaction 0%); for other regions,
 * pass the rates. The currency is the region's (US: USD, GB: GBP, JP: JPY...).
 *
 * @param {100} price Fee base: what the customer paid + platform discount - tax, in the region's currency, or a range.
 * @param {"US"} region TikTok Shop region code such as "US", "GB", "JP", or a range.
 * @param {0.06} referral_fee_rate Optional. Referral fee rate (6% or 0.06); blank = the region's rate card.
 * @param {0} transaction_fee_rate Optional. Transaction fee rate; blank = the region's rate card (0 when the region has none).
 * @return {6} The estimated platform fees, or a range of them.
 * @customfunction
 */
export function TIKTOK_FEE_ESTIMATE(
  price: CellInput,
  region: CellInput,
  referral_fee_rate?: CellInput,
  transaction_fee_rate?: CellInput,
): CustomFunctionResult {
  return feeEstimate(price, region, referral_fee_rate, transaction_fee_rate);
}

/**
 * Affordable acquisition (marketing) cost per order for a target margin:
 * revenue x (cm2_margin_rate - target_cm3_rate), rounded to the cent. Spending it keeps CM3 at the
 * target; a negative result means the target is above CM2 and no spend is affordable.
 *
 * @param {40} revenue Net revenue per order (or per new customer), or a range.
 * @param {0.35} cm2_margin_rate CM2 (margin before ads) as a share of revenue, -1 to 1, or a range.
 * @param {0.15} target_cm3_rate Target CM3 as a share of revenue, -1 to 1, or a range.
 * @param {"USD"} currency Optional. ISO 4217 code of the revenue, "USD" when omitted.
 * @return {8} The marketing cost per order that leaves CM3 at the target.
 * @customfunction
 */
export function TIKTOK_AFFORDABLE_CAC(
  revenue: CellInput,
  cm2_margin_rate: CellInput,
  target_cm3_rate: CellInput,
  currency?: CellInput,
): CustomFunctionResult {
  return affordableCac(revenue, cm2_margin_rate, target_cm3_rate, currency);
}

/**
 * Creator total cost share: what selling through a creator costs as a share of net revenue, from
 * the headline commission rate. Commission and platform fees are charged on what is kept;
 * shipping and other costs on every order, so
 * total = commission_rate + platform_fee_rate + (shipping_share + other_share) / (1 - return_rate).
 *
 * @param {0.15} commission_rate Headline commission rate (15% or 0.15), or a range.
 * @param {0.06} platform_fee_rate Platform fees as a share of sales (6% or 0.06); pass 0 if none.
 * @param {0.05} shipping_share Seller-paid shipping as a share of GMV; pass 0 if none.
 * @param {0.1} return_rate Share of GMV refunded, 0 up to (not including) 1; pass 0 if none.
 * @param {0} other_share Optional. Samples and flat fees as a share of GMV; 0 when omitted.
 * @return {0.2655} The total cost as a share of net revenue.
 * @customfunction
 */
export function TIKTOK_CREATOR_COST_SHARE(
  commission_rate: CellInput,
  platform_fee_rate: CellInput,
  shipping_share: CellInput,
  return_rate: CellInput,
  other_share?: CellInput,
): CustomFunctionResult {
  return creatorCostShare(commission_rate, platform_fee_rate, shipping_share, return_rate, other_share);
}

/** Sidebar → Settings → Warehouse: the warehouse mode and whether this edition can use BigQuery. */
export function getWarehouseStatus(): WarehouseStatus {
  return warehouseStatus();
}

/** Sidebar → Settings → Warehouse: turns warehouse mode on (project, dataset) or off. */
export function saveWarehouse(input: unknown): WarehouseStatus {
  return saveWarehouseSettings(input);
}

/** Writes the workbook's records to BigQuery and computes the profit model there (warehouse mode). */
export function refreshWarehouse(): WarehouseRefreshResult {
  return writeToWarehouse();
}
