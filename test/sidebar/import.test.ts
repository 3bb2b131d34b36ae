/**
 * The sidebar's Import section in a real browser (Debian's Chromium, driven by playwright-core)
 * against the BUILT add-on, as test/sidebar/sidebar.test.ts does it: dist/Sidebar.html with a
 * google.script.run shim that JSON-round-trips each call to dist/Code.js in the local Apps Script
 * runtime. Its own session: a small sandbox shop, connected and refreshed once before the page opens.
 *
 *   1. a valid US order export (two SKU rows of one order) chosen in the file input → the preview
 *      (kind, rows, dates, records per tab) and nothing written; Confirm import → the outcome
 *      message and per-tab counts, the order on the Orders tab, the status asked again
 *   2. Cancel drops a previewed file; nothing is written
 *   3. a broken file (negative quantity) → the error names row 2 and "Quantity", with what to do;
 *      nothing in the workbook changes
 *
 * Screenshots: out/sidebar/20-import-preview.png, 21-import-done.png, 22-import-error.png.
 */
import { execSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { startAddonSession, type AddonSession } from '../../dev/addon/session';
import { orderExportCsv } from '../fixtures/order-export';
import { GAS_RUN_SHIM, launchChromium, sidebarChromium } from './shim';

jest.setTimeout(120_000);

const ROOT = resolve(__dirname, '../..');
const OUT = join(ROOT, 'out/sidebar');
const SIDEBAR_URL = pathToFileURL(join(ROOT, 'dist/Sidebar.html')).href;

let s: AddonSession;
let browser: Browser;
let page: Page;

/** Every server call the page made, in order. */
const calls: { name: string; ok: boolean; error?: string }[] = [];

/** google.script.run as the page sees it (without window.open: no connect flow here). */
const SHIM = GAS_RUN_SHIM;

function messageOf(e: unknown): string {
  const m = (e as { message?: unknown } | null)?.message;
  return typeof m === 'string' ? m : String(e);
}

async function gasRun(name: string, argsJson: string): Promise<string> {
  const args = JSON.parse(argsJson) as unknown[];
  try {
    const value = s.rt.run(name, ...args);
    calls.push({ name, ok: true });
    return JSON.stringify({ ok: true, value: value === undefined ? null : value });
  } catch (e) {
    calls.push({ name, ok: false, error: messageOf(e) });
    return JSON.stringify({ ok: false, message: messageOf(e) });
  }
}

async function shot(name: string): Promise<void> {
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true, animations: 'disabled' });
}

async function poll<T>(fn: () => Promise<T> | T, ok: (v: T) => boolean, timeout = 15_000): Promise<T> {
  const until = Date.now() + timeout;
  let v = await fn();
  while (!ok(v)) {
    if (Date.now() > until) throw new Error(`timed out after ${timeout} ms; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
    v = await fn();
  }
  return v;
}

const text = (selector: string) => page.locator(selector).innerText();
const visible = (selector: string) => page.locator(selector).isVisible();

/** Every tab's values, to compare before and after. */
const workbook = () => JSON.stringify(s.rt.spreadsheet.getSheets().map((sh) => [sh.getName(), sh.getDataRange().getValues()]));


const ORDER_ID = '990000000000000001';
const VALID_CSV = orderExportCsv([
  [ORDER_ID, 'Completed', '', '', 'IMP-SKU-1', 'IMP-1', 'Imported thing', 'Red', '2', '10.00', '20.00', '0.00', '2.00', '18.00', '3.99', '5.99', '0.00', '2.00', '1.50', '23.49', '0.00', '03/01/2025 10:00:00 AM', '03/01/2025 10:01:00 AM', '', '', '03/04/2025 09:00:00 AM', '', 'Fulfilled by seller', 'buyer_imp'],
  [ORDER_ID, 'Completed', '', '', 'IMP-SKU-2', 'IMP-2', 'Other thing', '', '1', '5.00', '5.00', '0.00', '0.00', '5.00', '3.99', '5.99', '0.00', '2.00', '1.50', '23.49', '0.00', '03/01/2025 10:00:00 AM', '03/01/2025 10:01:00 AM', '', '', '03/04/2025 09:00:00 AM', '', 'Fulfilled by seller', 'buyer_imp'],
]);
const BROKEN_CSV = orderExportCsv([
  ['990000000000000002', 'Completed', '', '', 'IMP-SKU-1', 'IMP-1', 'x', '', '-2', '10.00', '20.00', '0', '0', '20.00', '0', '0', '0', '0', '0', '20.00', '0', '03/02/2025 10:00:00 AM', '', '', '', '', '', 'Fulfilled by seller', 'b'],
]);

function choose(name: string, csv: string): Promise<void> {
  return page.setInputFiles('#import-file', { name, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
}

function ordersRowsWith(orderId: string): number {
  const values = s.rt.spreadsheet.getSheetByName('Orders')!.getDataRange().getValues();
  const col = values[0].indexOf('Order ID');
  return values.slice(1).filter((r) => r[col] === orderId).length;
}

beforeAll(async () => {
  const chromiumPath = sidebarChromium();
  mkdirSync(OUT, { recursive: true });
  execSync('node build.mjs', { cwd: ROOT, stdio: 'pipe' });
  [s, browser] = await Promise.all([
    startAddonSession({ seed: 7, shop: { days: 5, ordersPerDay: 5 } }),
    launchChromium(chromiumPath),
  ]);
  s.install();
  await s.connect();
  s.refreshToDone();
  page = await browser.newPage({ viewport: { width: 300, height: 800 }, deviceScaleFactor: 1, locale: 'en-US', timezoneId: 'UTC' });
  page.on('pageerror', (e) => calls.push({ name: 'page error', ok: false, error: e.message }));
  await page.exposeFunction('__gasRun', gasRun);
  await page.addInitScript(SHIM);
  await page.goto(SIDEBAR_URL);
  await poll(() => text('#status-line'), (v) => v.includes('Connected to'));
});

afterAll(async () => {
  const failed = calls.filter((c) => !c.ok && c.name !== 'previewImport' && c.name !== 'confirmImport');
  if (failed.length > 0) console.log(`unexpected failures:\n${failed.map((c) => `  ${c.name}: ${c.error}`).join('\n')}`);
  await browser?.close();
  await s?.close();
});

test('1. a valid order export: preview (nothing written), Confirm import, the outcome, the order on the Orders tab', async () => {
  // The control is labelled, accepts CSV and Excel files, and says the size limit before reading.
  expect(await page.getByLabel('Import a Seller Center export').count()).toBe(1);
  expect(await page.getAttribute('#import-file', 'accept')).toBe('.csv,.xlsx');
  expect(await text('#import-help')).toContain('up to 20 MB');
  const before = workbook();
  expect(ordersRowsWith(ORDER_ID)).toBe(0);

  await choose('OrderSKUList.csv', VALID_CSV);
  await poll(() => visible('#import-preview'), (v) => v);
  expect(await text('#import-file-name')).toBe('OrderSKUList.csv');
  expect(await text('#import-kind')).toMatch(/order export/i);
  expect(await text('#import-rows')).toBe('2');
  expect(await text('#import-dates')).toBe('2025-03-01–2025-03-01');
  expect(await page.locator('#import-records li').allInnerTexts()).toEqual(['Orders: 1 record', 'Order lines: 2 records']);
  // Every date of this file reads either way (no day above 12): the preview says which order it took and why.
  expect(await page.locator('#import-notes li').allInnerTexts()).toEqual([
    'Dates of OrderSKUList.csv such as "03/01/2025 10:00:00 AM" were read as month/day/year, the order Seller Center writes for a US shop (USD): no date in the file has a day above 12 to prove it.',
  ]);
  expect(await page.getByRole('button', { name: 'Confirm import' }).isEnabled()).toBe(true);
  expect(await page.locator('#import-cancel').isVisible()).toBe(true);
  // The preview writes nothing.
  expect(workbook()).toBe(before);
  await page.locator('#import-section').scrollIntoViewIfNeeded();
  await shot('20-import-preview');

  const statusCalls = calls.filter((c) => c.name === 'getStatus').length;
  await page.getByRole('button', { name: 'Confirm import' }).click();
  await poll(() => visible('#import-message'), (v) => v);
  expect(await text('#import-message')).toBe('Imported OrderSKUList.csv: 3 rows added or updated. The reports were rebuilt.');
  expect(await page.locator('#import-message').getAttribute('class')).toContain('success');
  const written = await page.locator('#import-written li').allInnerTexts();
  expect(written).toEqual(expect.arrayContaining(['Orders: 1 added, 0 updated, 0 unchanged', 'Order lines: 2 added, 0 updated, 0 unchanged']));
  expect(await visible('#import-preview')).toBe(false);
  // The order is on the Orders tab, once; the status is asked again.
  expect(ordersRowsWith(ORDER_ID)).toBe(1);
  await poll(() => calls.filter((c) => c.name === 'getStatus').length, (n) => n > statusCalls);
  // The refreshed Status shows the imported SKUs, which have no cost yet.
  await poll(() => text('#missing-cogs-list'), (v) => v.includes('IMP-1') && v.includes('IMP-2'));
  expect(calls.filter((c) => c.name === 'confirmImport').map((c) => c.ok)).toEqual([true]);
  await shot('21-import-done');
});

test('2. Cancel drops the previewed file and writes nothing', async () => {
  const before = workbook();
  await choose('OrderSKUList.csv', VALID_CSV);
  await poll(() => visible('#import-preview'), (v) => v);
  await page.locator('#import-cancel').click();
  expect(await visible('#import-preview')).toBe(false);
  expect(await text('#import-message')).toContain('Nothing was written');
  expect(await page.inputValue('#import-file')).toBe('');
  expect(calls.filter((c) => c.name === 'confirmImport')).toHaveLength(1);
  expect(workbook()).toBe(before);
});

test('3. a broken file (negative quantity): the error names row 2 and "Quantity", says what to do; nothing changes', async () => {
  const before = workbook();
  await choose('bad.csv', BROKEN_CSV);
  const message = await poll(() => text('#import-message'), (v) => v.includes('Not imported'));
  expect(message).toMatch(/bad\.csv/);
  expect(message).toMatch(/row 2/);
  expect(message).toContain('Quantity');
  expect(message).toContain('What to do: Check that this is an unchanged export from Seller Center (Orders → Export, or Finance → Statements → Export)');
  expect(await page.locator('#import-message').getAttribute('class')).toContain('error');
  expect(await visible('#import-preview')).toBe(false);
  expect(await page.getByRole('button', { name: 'Confirm import' }).count()).toBe(0);
  expect(calls.filter((c) => c.name === 'confirmImport')).toHaveLength(1);
  expect(workbook()).toBe(before);
  expect(ordersRowsWith('990000000000000002')).toBe(0);
  expect(calls.filter((c) => c.name === 'page error')).toEqual([]);
  await page.locator('#import-section').scrollIntoViewIfNeeded();
  await shot('22-import-error');
});

test('4. a statement CSV: the preview says what the file does not carry (reserves, fees no column breaks down) before Confirm', async () => {
  const before = workbook();
  // Fees -1.50 of which the file's fee columns explain -1.00 (Referral fee).
  const csv = [
    'Statement date (UTC),Statement ID,Payment ID,Status,Currency,Type,Order/adjustment ID,SKU ID,Total settlement amount,Net sales,Fees,Referral fee',
    '2025/03/04,ST-IMP-1,PAY-IMP-1,Paid,USD,Order,990000000000000001,IMP-SKU-1,16.50,18.00,-1.50,-1.00',
  ].join('\r\n');
  await choose('statement.csv', csv);
  await poll(() => visible('#import-preview'), (v) => v);
  expect(await text('#import-kind')).toMatch(/finance statement/i);
  expect(await visible('#import-notes-box')).toBe(true);
  const notes = await page.locator('#import-notes li').allInnerTexts();
  expect(notes).toEqual([
    // A trimmed file: the columns it lacks and what each changes, then what no CSV statement carries.
    'statement.csv has no "Gross sales" column: the Reconciliation shows settled sales as other revenue, not as settled GMV.',
    'statement.csv has no "Gross sales refund" column: the Reconciliation shows refunds as other revenue.',
    'statement.csv has no "Seller discount" column: the Reconciliation shows seller discounts as other revenue.',
    'statement.csv has no "Seller discount refund" column: the Reconciliation shows refunds of seller discounts as other revenue.',
    'statement.csv has no "Customer-paid shipping fee" column: shipping paid by customers is read as 0, so settled orders count it as the seller\'s shipping cost.',
    'statement.csv has no "Related order ID" column: adjustments are not tied to their orders (their money is kept, at shop level).',
    expect.stringContaining('statement.csv has no "Reserve Details" sheet'),
    'On 1 row of statement.csv, the fee total is not fully broken down by the fee columns this add-on reads (-0.50 USD in all): that part is counted as other platform fees.',
  ]);
  await page.locator('#import-section').scrollIntoViewIfNeeded();
  await shot('23-import-notes');
  await page.locator('#import-cancel').click();
  expect(await visible('#import-preview')).toBe(false);
  expect(workbook()).toBe(before);
});
