/**
 * What a seller types into the tabs they own, played from the generator's bookkeeping of the same
 * shop the sandbox serves: landed costs on COGS, monthly fixed costs, flat creator fees, and the
 * Settings rows where the shop differs from the defaults. Written straight into the local
 * runtime's spreadsheet, the way a person edits cells (not through the add-on).
 */
import { formatAmount } from '../../src/core/money';
import type { Settings } from '../../src/core/settings';
import type { CogsEntry, CreatorFee, FixedCost } from '../../src/core/records';
import type { SpreadsheetModel } from '../runtime/gas/spreadsheet';

export interface SellerInputs {
  settings: Settings;
  cogs: readonly CogsEntry[];
  fixedCosts: readonly FixedCost[];
  creatorFees: readonly CreatorFee[];
}

/** A money cell as a person types it: a number in major units. IDs are typed with a leading
 *  apostrophe, as a careful user does (a 19-digit SKU ID typed bare becomes a number). */
const amount = (minor: number, currency: string): number => Number(formatAmount(minor, currency));

function replaceBody(ss: SpreadsheetModel, tab: string, rows: unknown[][]): void {
  const sheet = ss.getSheetByName(tab);
  if (!sheet) throw new Error(`No "${tab}" tab: connect the shop first (it creates the seller's tabs)`);
  const width = sheet.getLastColumn();
  const last = sheet.getLastRow();
  if (last > 1) sheet.getRange(2, 1, last - 1, width).clearContent();
  if (rows.length === 0) return;
  if (sheet.getMaxRows() < rows.length + 1) sheet.insertRowsAfter(sheet.getMaxRows(), rows.length + 1 - sheet.getMaxRows());
  sheet.getRange(2, 1, rows.length, width).setValues(rows.map((r) => Array.from({ length: width }, (_, j) => r[j] ?? '')));
}

/** Sets the Value cell of the Settings row whose Setting is `label`. */
export function setSetting(ss: SpreadsheetModel, label: string, value: unknown): void {
  const sheet = ss.getSheetByName('Settings');
  if (!sheet) throw new Error('No "Settings" tab');
  const labels = sheet.getRange(1, 1, sheet.getLastRow(), 1).getValues().map((r) => r[0]);
  const at = labels.indexOf(label);
  if (at < 0) throw new Error(`No "${label}" row on the Settings tab`);
  sheet.getRange(at + 1, 2, 1, 1).setValues([[value]]);
}

export function enterSellerInputs(ss: SpreadsheetModel, inputs: SellerInputs): void {
  const { settings } = inputs;
  const c = settings.currency;
  replaceBody(ss, 'COGS', inputs.cogs.map((e) => [`'${e.sku}`, amount(e.unitCost, c), e.currency, e.effectiveFrom]));
  replaceBody(ss, 'Fixed costs', inputs.fixedCosts.map((f) => [f.month, f.label, f.currency, amount(f.amount, c)]));
  replaceBody(ss, 'Creator fees', inputs.creatorFees.map((f) => [`'${f.creatorUsername}`, f.date, f.currency, amount(f.amount, c), f.note]));
  // Percent settings are typed as percent numbers (90 for 90%), money in major units.
  setSetting(ss, 'Restock share, return and refund (%)', settings.restockShareReturnBp / 100);
  setSetting(ss, 'Restock share, refund only (%)', settings.restockShareRefundOnlyBp / 100);
  setSetting(ss, 'Packaging cost per order', amount(settings.packagingCostPerOrder, c));
  setSetting(ss, 'Pick and pack cost per order', amount(settings.pickPackCostPerOrder, c));
  setSetting(ss, 'Shipping cost per order (estimate)', amount(settings.rateCard.shippingCostPerOrder, c));
  setSetting(ss, 'Referral fee (%)', settings.rateCard.referralFeeBp / 100);
  setSetting(ss, 'Ad spend allocation', settings.allocationMethod);
}
