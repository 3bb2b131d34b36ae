/**
 * Tab order in the runtime's spreadsheet model: Dashboard and report tabs first, the seller's
 * tabs next (their own tabs after ours), data tabs last; the blank "Sheet1" removed; data tabs
 * hidden or shown by the setting; the tab the user was on stays active.
 */
import { SpreadsheetModel } from '../../dev/runtime/gas';
import { arrangeTabs, tabOrder, type ArrangeSpreadsheetLike } from '../../src/sheets/tab-order';

const groups = { reportTabs: ['Dashboard', 'Profit', 'Alerts'], userTabs: ['COGS', 'Settings'], dataTabs: ['Orders', 'Order lines'] };

test('the order, from any order; tabs not there are skipped', () => {
  expect(tabOrder(['Orders', 'My notes', 'Profit', 'COGS', 'Dashboard', 'Order lines'], groups)).toEqual(['Dashboard', 'Profit', 'COGS', 'My notes', 'Orders', 'Order lines']);
});

test('arranged in the model: Sheet1 removed, data tabs last and hidden, then shown; the active tab kept', () => {
  const ss = new SpreadsheetModel('ss', 'Shop');
  for (const n of ['Orders', 'COGS', 'Profit', 'My notes', 'Order lines', 'Settings', 'Alerts', 'Dashboard']) ss.insertSheet(n);
  ss.setActiveSheet(ss.getSheetByName('COGS')!);
  const order = arrangeTabs(ss as unknown as ArrangeSpreadsheetLike, { ...groups, hideDataTabs: true });
  expect(ss.getSheets().map((s) => s.getName())).toEqual(['Dashboard', 'Profit', 'Alerts', 'COGS', 'Settings', 'My notes', 'Orders', 'Order lines']);
  expect(order).toEqual(ss.getSheets().map((s) => s.getName()));
  expect(ss.getSheets().filter((s) => s.isSheetHidden()).map((s) => s.getName())).toEqual(['Orders', 'Order lines']);
  expect(ss.getActiveSheet().getName()).toBe('COGS');
  arrangeTabs(ss as unknown as ArrangeSpreadsheetLike, { ...groups, hideDataTabs: false });
  expect(ss.getSheets().some((s) => s.isSheetHidden())).toBe(false);
  // Left as they are when the setting is not read.
  ss.getSheetByName('Orders')!.hideSheet();
  arrangeTabs(ss as unknown as ArrangeSpreadsheetLike, groups);
  expect(ss.getSheetByName('Orders')!.isSheetHidden()).toBe(true);
});

test('a "Sheet1" the seller wrote in is kept (after the seller’s tabs); alone, it is never removed', () => {
  const ss = new SpreadsheetModel('ss', 'Shop');
  ss.getSheetByName('Sheet1')!.getRange(1, 1).setValue('my notes');
  ss.insertSheet('Profit');
  arrangeTabs(ss as unknown as ArrangeSpreadsheetLike, groups);
  expect(ss.getSheets().map((s) => s.getName())).toEqual(['Profit', 'Sheet1']);
  const alone = new SpreadsheetModel('ss2', 'Shop');
  arrangeTabs(alone as unknown as ArrangeSpreadsheetLike, groups);
  expect(alone.getSheets().map((s) => s.getName())).toEqual(['Sheet1']);
});
