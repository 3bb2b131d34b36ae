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
import { breakevenRoas, contributionMargin, type CellInput, type CustomFunctionResult } from './sheets/customFunctions';
import {
  chooseShop, completeConnection, connectLink, connectionStatus, disconnectShop, goToCostOfSku, rebuildFromMenu, rebuildReportTabs,
  refreshFromMenu, refreshStep, resetSyncCursor, runScheduledRefresh, saveApp, saveSettingsForm as saveSettings, setRefreshSchedule,
  settingsForm, type CallbackRequest, type ConnectionStatus, type RefreshProgress,
} from './sheets/addon';
import { buildMenu, openHelp, openSidebar } from './sheets/menu';
import type { ScheduleStatus, SettingField } from './sheets/server-types';

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

/** The time-driven trigger's handler: one refresh step, unattended. */
export function scheduledRefresh(): void {
  runScheduledRefresh();
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
