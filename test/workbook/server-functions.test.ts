/**
 * The sidebar's server functions, from the built bundle in the local runtime against the sandbox:
 * schedule (one trigger per user and document, replaced, never duplicated), the Settings form
 * (saved values are read by the next refresh; an invalid one is refused and nothing is written),
 * Status (summary of the last rebuild), the jump to a SKU without cost, and the Help dialog.
 */
import { execSync } from 'node:child_process';
import { join } from 'node:path';
import { startAddonSession, type AddonSession } from '../../dev/addon/session';
import type { ConnectionStatus, ImportOutcome, ImportPreview, SettingField } from '../../src/sheets/server-types';
import { orderExportCsv } from '../fixtures/order-export';
import { generateShop } from '../../dev/generator/shop';
import { exportStatement } from '../../dev/exports/seller-center';

const ROOT = join(__dirname, '../..');
let s: AddonSession;

beforeAll(async () => {
  execSync('node build.mjs', { cwd: ROOT, stdio: 'pipe' });
  s = await startAddonSession({ seed: 5, shop: { days: 15, ordersPerDay: 20 } });
  s.install();
  await s.connect();
  s.refreshToDone();
}, 120_000);

afterAll(async () => {
  await s?.close();
});

const status = () => s.rt.run('getStatus') as ConnectionStatus;
const scheduleTriggers = () => s.rt.triggers.filter((t) => t.handlerFunction === 'scheduledRefresh');

test('schedule: daily at 7, then hourly, then off — never more than one trigger, and the status says which', () => {
  expect(status().schedule).toEqual({ mode: 'off', hour: null });
  expect(s.rt.run('setSchedule', 'daily', 7)).toEqual({ mode: 'daily', hour: 7 });
  expect(scheduleTriggers()).toHaveLength(1);
  expect(scheduleTriggers()[0].schedule.map((c) => c.method)).toEqual(expect.arrayContaining(['atHour', 'everyDays']));
  expect(scheduleTriggers()[0].schedule.find((c) => c.method === 'atHour')!.args).toEqual([7]);
  expect(status().schedule).toEqual({ mode: 'daily', hour: 7 });
  s.rt.run('setSchedule', 'hourly');
  expect(scheduleTriggers()).toHaveLength(1);
  expect(scheduleTriggers()[0].schedule.map((c) => c.method)).toContain('everyHours');
  s.rt.run('setSchedule', 'hourly');
  expect(scheduleTriggers()).toHaveLength(1);
  s.rt.run('setSchedule', 'off');
  expect(scheduleTriggers()).toHaveLength(0);
  expect(status().schedule).toEqual({ mode: 'off', hour: null });
  expect(() => s.rt.run('setSchedule', 'daily', 24)).toThrow('Schedule: a daily refresh needs an hour from 0 to 23, got 24');
  expect(() => s.rt.run('setSchedule', 'weekly')).toThrow('Schedule: expected "off", "hourly" or "daily", got "weekly"');
});

test('the trigger handler runs a refresh step unattended and logs, without a UI call', () => {
  const before = s.rt.ui.alerts.length;
  s.rt.run('scheduledRefresh');
  expect(s.rt.ui.alerts.length).toBe(before);
  expect(s.rt.logs.some((l) => String(l.args[0]).startsWith('Scheduled refresh: Refresh complete'))).toBe(true);
});

test('Status: the summary of the last rebuild (orders, still estimated, SKUs without cost, freshness)', () => {
  const st = status();
  expect(st.connected).toBe(true);
  expect(st.summary).not.toBeNull();
  const orders = (s.rt.spreadsheet.getSheetByName('Orders')!.getLastRow() - 1);
  expect(st.summary!.orders).toBeGreaterThan(0);
  expect(st.summary!.orders).toBeLessThanOrEqual(orders);
  expect(st.summary!.estimatedOrders).toBeGreaterThan(0);
  expect(st.summary!.estimatedOrders).toBeLessThanOrEqual(st.summary!.orders);
  // No COGS was entered in this workbook: every SKU sold is listed (up to 50).
  expect(st.summary!.skusWithoutCogs.length).toBeGreaterThan(3);
  expect(st.summary!.freshness.map((f) => f.source)).toEqual(['TikTok Shop refresh', 'Orders', 'Statements', 'Ad spend']);
  expect(st.summary!.freshness[0].latest).toBe(st.lastRefreshTime);
  expect(st.summary!.freshness[3]).toMatchObject({ latest: null, note: 'No ad spend on the Ad spend tab.' });
});

test('a SKU without cost: addCostForSku opens the COGS tab on a new row for it', () => {
  const sku = status().summary!.skusWithoutCogs[0];
  s.rt.run('addCostForSku', sku);
  const cogs = s.rt.spreadsheet.getSheetByName('COGS')!;
  const last = cogs.getLastRow();
  expect(cogs.getRange(last, 1, 1, 3).getValues()[0]).toEqual([sku, '', 'USD']);
  // Again: the same row, not a second one.
  s.rt.run('addCostForSku', sku);
  expect(cogs.getLastRow()).toBe(last);
});

test('Settings form: a saved value is on the tab and in the next rebuild; an invalid one is refused and nothing changes', () => {
  const form = s.rt.run('getSettingsForm') as SettingField[];
  const packaging = form.find((f) => f.label === 'Packaging cost per order')!;
  expect(packaging).toMatchObject({ value: 0 });
  expect(packaging.help.length).toBeGreaterThan(10);
  expect(form.map((f) => f.label)).toContain('Backfill days');

  s.rt.run('saveSettingsForm', [{ label: 'Packaging cost per order', value: '0.35' }, { label: 'Ad spend allocation', value: 'by_product' }]);
  const settings = s.rt.spreadsheet.getSheetByName('Settings')!;
  const rows = settings.getDataRange().getValues();
  expect(rows.find((r) => r[0] === 'Packaging cost per order')![1]).toBe(0.35);
  expect(rows.find((r) => r[0] === 'Ad spend allocation')![1]).toBe('by_product');
  s.rt.run('rebuildReportsNow');
  const stamp = String(s.rt.spreadsheet.getSheetByName('Profit')!.getRange(1, 1).getValue());
  expect(stamp).toContain('allocation by product');

  const before = JSON.stringify(settings.getDataRange().getValues());
  expect(() => s.rt.run('saveSettingsForm', [{ label: 'Packaging cost per order', value: '0.50' }, { label: 'Referral fee (%)', value: 'lots' }])).toThrow(
    /Settings tab, row \d+, column "Value": expected "Referral fee \(%\)" to be a percent/,
  );
  expect(JSON.stringify(settings.getDataRange().getValues())).toBe(before);
  expect(() => s.rt.run('saveSettingsForm', [{ label: 'Nonsense', value: 1 }])).toThrow('Settings: there is no "Nonsense" row on the Settings tab');
});

test('menu Help opens a dialog', () => {
  s.rt.run('showHelp');
  expect(s.rt.ui.dialogs[s.rt.ui.dialogs.length - 1]).toMatchObject({ title: 'TikTok Shop Profit: help' });
});

test('"read everything again": the next refresh backfills again, duplicates nothing, and the status keeps the last refresh time meanwhile', () => {
  const before = status().lastRefreshTime;
  expect(before).not.toBeNull();
  const orders = s.rt.spreadsheet.getSheetByName('Orders')!.getLastRow();
  s.rt.run('refreshFromScratch');
  expect(status().lastRefreshTime).toBe(before);
  const steps = s.refreshToDone();
  expect(steps[steps.length - 1].done).toBe(true);
  expect(s.rt.spreadsheet.getSheetByName('Orders')!.getLastRow()).toBe(orders);
  expect(status().lastRefreshTime).toBeGreaterThanOrEqual(before!);
});


test('Import: preview says what the file is and writes nothing; confirm upserts it (twice changes nothing twice); a bad file changes nothing', () => {
  const ss = s.rt.spreadsheet;
  const csv = orderExportCsv([
    ['990000000000000001', 'Completed', '', '', 'IMP-SKU-1', 'IMP-1', 'Imported thing', 'Red', '2', '10.00', '20.00', '0.00', '2.00', '18.00', '3.99', '5.99', '0.00', '2.00', '1.50', '23.49', '0.00', '03/01/2025 10:00:00 AM', '03/01/2025 10:01:00 AM', '', '', '03/04/2025 09:00:00 AM', '', 'Fulfilled by seller', 'buyer_imp'],
    ['990000000000000001', 'Completed', '', '', 'IMP-SKU-2', 'IMP-2', 'Other thing', '', '1', '5.00', '5.00', '0.00', '0.00', '5.00', '3.99', '5.99', '0.00', '2.00', '1.50', '23.49', '0.00', '03/01/2025 10:00:00 AM', '03/01/2025 10:01:00 AM', '', '', '03/04/2025 09:00:00 AM', '', 'Fulfilled by seller', 'buyer_imp'],
  ]);
  const b64 = Buffer.from(csv, 'utf8').toString('base64');
  const ordersBefore = ss.getSheetByName('Orders')!.getLastRow();
  const linesBefore = ss.getSheetByName('Order lines')!.getLastRow();

  const preview = s.rt.run('previewImport', 'OrderSKUList.csv', b64) as ImportPreview;
  expect(preview).toMatchObject({ file: 'OrderSKUList.csv', kind: 'orders', rows: 2, from: '2025-03-01', to: '2025-03-01' });
  expect(preview.records).toEqual([{ tab: 'Orders', count: 1 }, { tab: 'Order lines', count: 2 }]);
  // Every date of the file reads either way (no day above 12): the order is the US one, and the preview says so.
  expect(preview.notes).toEqual(['Dates of OrderSKUList.csv such as "03/01/2025 10:00:00 AM" were read as month/day/year, the order Seller Center writes for a US shop (USD): no date in the file has a day above 12 to prove it.']);
  expect(ss.getSheetByName('Orders')!.getLastRow()).toBe(ordersBefore);

  const outcome = s.rt.run('confirmImport', 'OrderSKUList.csv', b64) as ImportOutcome;
  expect(outcome.written.find((w) => w.tab === 'Orders')).toMatchObject({ inserted: 1, updated: 0 });
  expect(outcome.written.find((w) => w.tab === 'Order lines')).toMatchObject({ inserted: 2, updated: 0 });
  expect(outcome.message).toBe('Imported OrderSKUList.csv: 3 rows added or updated. The reports were rebuilt.');
  const orders = ss.getSheetByName('Orders')!;
  expect(orders.getLastRow()).toBe(ordersBefore + 1);
  expect(ss.getSheetByName('Order lines')!.getLastRow()).toBe(linesBefore + 2);
  const header = orders.getRange(1, 1, 1, orders.getLastColumn()).getValues()[0];
  const row = orders.getRange(orders.getLastRow(), 1, 1, orders.getLastColumn()).getValues()[0];
  expect(row[header.indexOf('Order ID')]).toBe('990000000000000001');
  expect(row[header.indexOf('Total amount')]).toBe(23.49);

  const again = s.rt.run('confirmImport', 'OrderSKUList.csv', b64) as ImportOutcome;
  expect(again.written.every((w) => w.inserted === 0 && w.updated === 0)).toBe(true);
  expect(again.message).toBe('Nothing new in OrderSKUList.csv: every record was already in the workbook. The reports were rebuilt.');
  expect(orders.getLastRow()).toBe(ordersBefore + 1);

  const before = JSON.stringify(ss.getSheets().map((sh) => sh.getDataRange().getValues()));
  const broken = Buffer.from(orderExportCsv([['990000000000000002', 'Completed', '', '', 'IMP-SKU-1', 'IMP-1', 'x', '', '-2', '10.00', '20.00', '0', '0', '20.00', '0', '0', '0', '0', '0', '20.00', '0', '03/02/2025 10:00:00 AM', '', '', '', '', '', 'Fulfilled by seller', 'b']]), 'utf8').toString('base64');
  expect(() => s.rt.run('confirmImport', 'bad.csv', broken)).toThrow(/bad\.csv.*row 2, column "Quantity"/);
  expect(JSON.stringify(ss.getSheets().map((sh) => sh.getDataRange().getValues()))).toBe(before);
  expect(() => s.rt.run('previewImport', 'notes.csv', Buffer.from('a,b\n1,2\n').toString('base64'))).toThrow(/notes\.csv/);
});

test('Import a statement .xlsx: its reserve moves land on the Settlements tab; importing the same statement\'s CSV afterwards keeps them', async () => {
  // Another year than the session's shop, so no statement id is shared with it.
  const shop = generateShop({ seed: 11, startDay: '2024-06-03', days: 40, ordersPerDay: 5, usStatementFees: true });
  const reserves = shop.data.transactions.filter((t) => t.type === 'RESERVE');
  expect(reserves.some((t) => t.reserveAmount < 0) && reserves.some((t) => t.reserveAmount > 0)).toBe(true);
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
  const xlsx = b64(await exportStatement(shop, { format: 'xlsx' }));
  const csv = b64(await exportStatement(shop, { format: 'csv' }));
  const sheet = s.rt.spreadsheet.getSheetByName('Settlements')!;
  /** Reserve moves on the tab, as "transaction id = amount" (amounts as the tab shows them, in dollars). */
  const reserveCells = () => {
    const values = sheet.getDataRange().getValues();
    const h = values[0];
    return values.slice(1).filter((r) => r[h.indexOf('Type')] === 'RESERVE' && String(r[h.indexOf('Transaction ID')]).startsWith('73'))
      .map((r) => `${String(r[h.indexOf('Transaction ID')])} = ${String(r[h.indexOf('Reserve')])}`).sort();
  };
  const want = reserves.map((t) => `${t.statementId}:RESERVE::${t.adjustmentId} = ${t.reserveAmount / 100}`).sort();

  const preview = s.rt.run('previewImport', 'statement.xlsx', xlsx) as ImportPreview;
  expect(preview.rows).toBe(shop.data.transactions.length);
  expect(preview.notes.filter((n) => /Reserve Details/.test(n))).toEqual([]);
  s.rt.run('confirmImport', 'statement.xlsx', xlsx);
  expect(reserveCells()).toEqual(want);

  const csvPreview = s.rt.run('previewImport', 'statement.csv', csv) as ImportPreview;
  expect(csvPreview.notes.filter((n) => /no "Reserve Details" sheet/.test(n))).toHaveLength(1);
  const again = s.rt.run('confirmImport', 'statement.csv', csv) as ImportOutcome;
  // Same statements, same transactions: nothing changes, and the reserves the CSV does not carry stay.
  expect(again.written.every((w) => w.inserted === 0 && w.updated === 0)).toBe(true);
  expect(reserveCells()).toEqual(want);
});

test('Import an unsettled orders export: TikTok\'s estimates land on the Unsettled estimates tab, stamped with the import time; the same file again changes nothing', () => {
  const ss = s.rt.spreadsheet;
  const csv = [
    'Order/adjustment ID,Type,Order created time,Currency,Est. settlement amount,Est. revenue,Est. fees,Est. referral fee',
    '990000000000000077,Order,2025-03-14 10:00:00,USD,9.00,10.00,-1.00,-1.00',
    'ADJ-990,Platform reimbursement,,USD,5.00,0,0,',
  ].join('\r\n');
  const b64 = Buffer.from(csv, 'utf8').toString('base64');
  const preview = s.rt.run('previewImport', 'unsettled.csv', b64) as ImportPreview;
  expect(preview).toMatchObject({ file: 'unsettled.csv', kind: 'unsettled', rows: 2, from: '2025-03-14', to: '2025-03-14' });
  expect(preview.records).toEqual([{ tab: 'Unsettled estimates', count: 1 }]);
  expect(preview.notes).toContain('1 row of unsettled.csv of type "Platform reimbursement" is not an order\'s estimate and was not read: adjustments settle through statements (import the statement when it comes).');

  const start = Math.floor(s.clock.nowMs() / 1000);
  const outcome = s.rt.run('confirmImport', 'unsettled.csv', b64) as ImportOutcome;
  expect(outcome.written.find((w) => w.tab === 'Unsettled estimates')).toMatchObject({ inserted: 1, updated: 0 });
  const tab = ss.getSheetByName('Unsettled estimates')!;
  const header = tab.getRange(1, 1, 1, tab.getLastColumn()).getValues()[0];
  const row = tab.getDataRange().getValues().find((r) => r[header.indexOf('Order ID')] === '990000000000000077')!;
  expect(row[header.indexOf('Est. settlement amount')]).toBe(9);
  expect(row[header.indexOf('Est. fees and taxes')]).toBe(-1);
  const stamp = row[header.indexOf('Fetched (Unix time)')] as number;
  expect(Math.abs(stamp - start)).toBeLessThan(120);

  const again = s.rt.run('confirmImport', 'unsettled.csv', b64) as ImportOutcome;
  expect(again.message).toBe('Nothing new in unsettled.csv: every record was already in the workbook. The reports were rebuilt.');
  const kept = tab.getDataRange().getValues().find((r) => r[header.indexOf('Order ID')] === '990000000000000077')!;
  expect(kept[header.indexOf('Fetched (Unix time)')]).toBe(stamp);
});
