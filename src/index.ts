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
import { buildMenu, openSidebar } from './sheets/menu';
import { addonStatus, type AddonStatus } from './sheets/status';

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

/** Called by the sidebar (google.script.run.getStatus). */
export function getStatus(): AddonStatus {
  return addonStatus();
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
