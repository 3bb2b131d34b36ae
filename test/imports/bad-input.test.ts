/**
 * The bad-input catalogue of Seller Center files: each bad file → the exact refusal (strict: money
 * at stake, nothing returned so nothing written) or the exact notes it is kept with (lenient: a
 * field that changes no figure). One or more cases per class of issue 13.
 */
import { importExport, ImportError, type ExportSheet, type ImportResult, type ShopInfo } from '../../src/imports/exports';
import { table, UNSETTLED_HEADERS, US_INCOME_HEADERS, US_ORDER_HEADERS, SHARED_ORDER_HEADERS } from '../fixtures/seller-center-files';

const LA: ShopInfo = { currency: 'USD', timezone: 'America/Los_Angeles' };
const MANILA: ShopInfo = { currency: 'PHP', timezone: 'Asia/Manila' };
const NOW = 1750000000;

const orderRow = (over: Record<string, string> = {}) => ({
  'Order ID': '576001', 'Order Status': 'Delivered', 'SKU ID': 'A', 'Quantity': '1', 'SKU Subtotal Before Discount': '10.00',
  'SKU Subtotal After Discount': '10.00', 'Shipping Fee After Discount': '0', 'Order Amount': '10.00', 'Created Time': '03/14/2025 10:00:00 AM',
  'Paid Time': '03/14/2025 10:01:00 AM', 'Delivered Time': '03/16/2025 2:00:00 PM', 'Buyer Username': 'b1', ...over,
});
/** Only the cells of columns the header has (a shared file has lost the others). */
const only = (headers: readonly string[], row: Record<string, string>) => Object.fromEntries(Object.entries(row).filter(([k]) => headers.includes(k)));
const orders = (rows: Record<string, string>[], headers: readonly string[] = US_ORDER_HEADERS): ExportSheet[] =>
  [table('OrderSKUList', headers, rows.map((r) => only(headers, r)))];
const incomeRow = (over: Record<string, string> = {}) => ({
  'Order/adjustment ID': '580001', 'Type': 'Order', 'Order settled time(UTC)': '2025/03/04', 'Currency': 'PHP', 'Total settlement amount': '850.00',
  'Total revenue': '1,000.00', 'Total fees': '-150.00', 'Transaction fee': '-150.00', ...over,
});
const income = (rows: Record<string, string>[]): ExportSheet[] => [table('Order details', US_INCOME_HEADERS, rows)];
const unsettledRow = (over: Record<string, string> = {}) => ({
  'Order/adjustment ID': '577900001', 'Type': 'Order', 'Currency': 'USD', 'Est. settlement amount': '9.00', 'Est. revenue': '10.00',
  'Est. fees': '-1.00', 'Est. transaction fee': '-1.00', ...over,
});
const unsettled = (rows: Record<string, string>[], headers: readonly string[] = UNSETTLED_HEADERS): ExportSheet[] =>
  [table('Sheet1', headers, rows.map((r) => only(headers, r)))];

type Outcome = { refused: string } | { notes: string[] };

function outcome(fn: () => ImportResult): Outcome {
  try {
    return { notes: fn().notes };
  } catch (e) {
    if (!(e instanceof ImportError)) throw e;
    return { refused: e.message };
  }
}

const CASES: [string, () => ImportResult, Outcome][] = [
  // ---- 1. dates
  ['1. dates that read either way, in a region whose order is not known: refused, saying what would settle it',
    () => importExport('ph-orders.csv', orders([orderRow({ 'Created Time': '03/04/2025 10:00:00', 'Paid Time': '03/04/2025 10:01:00', 'Delivered Time': '05/04/2025 09:00:00' })]), MANILA),
    { refused: 'File "ph-orders.csv": the dates of column "Created Time" (sheet "OrderSKUList"), such as "03/04/2025 10:00:00", can be read as day/month/year or as month/day/year, and nothing settles it: no date in the file has a day above 12, no header states the order, and the order Seller Center writes for a shop in PHP is not known to this add-on. Nothing was imported. A file covering a day after the 12th of a month settles it (export a longer date range), as do dates written year first (2025-03-04) or an .xlsx whose dates are date cells.' }],
  ['1. one value proves day first, another month first: refused, naming both',
    () => importExport('mixed.csv', orders([orderRow({ 'Created Time': '23/09/2025 16:06:19', 'Paid Time': '23/09/2025 16:07:00', 'Delivered Time': '' }),
      orderRow({ 'Order ID': '576002', 'Created Time': '09/24/2025 10:00:00', 'Paid Time': '09/24/2025 10:01:00', 'Delivered Time': '' })]), LA),
    { refused: 'File "mixed.csv": its dates cannot be read in one order: sheet "OrderSKUList", row 2, column "Created Time" has "23/09/2025 16:06:19", which can only be day/month/year (23 is not a month), but sheet "OrderSKUList", row 3, column "Created Time" has "09/24/2025 10:00:00", which can only be month/day/year (24 is not a month). Nothing was imported: one Seller Center file is written in one date order, so export it again rather than combining files.' }],
  ['1. once day first is proven, a date that is not one in that order is refused (never re-read the other way)',
    () => importExport('gb.csv', orders([orderRow({ 'Created Time': '23/09/2025 16:06:19', 'Paid Time': '23/09/2025 16:07:00', 'Delivered Time': '02/31/2025 10:00:00' })]), { currency: 'GBP', timezone: 'Europe/London' }),
    { refused: 'File "gb.csv", sheet "OrderSKUList", row 2, column "Delivered Time": expected a date and time like "2025-03-04 13:45:10", "23/09/2026 16:06:19", "2025/03/04" or an Excel serial like "45720.57", found "02/31/2025 10:00:00".' }],
  ['1. a Thai Buddhist-era year: refused, never converted',
    () => importExport('th.csv', orders([orderRow({ 'Created Time': '23/09/2569 16:06:19', 'Paid Time': '23/09/2569 16:07:00', 'Delivered Time': '' })]), { currency: 'THB', timezone: 'Asia/Bangkok' }),
    { refused: 'File "th.csv", sheet "OrderSKUList", row 2, column "Created Time": expected a year of the Common Era (2569 looks like a Buddhist-era year, 2026 in the Common Era: export the file with Common Era dates), found "23/09/2569 16:06:19".' }],
  // ---- 2. columns a shared file loses
  ['2. personal-data columns cut out: kept, the preview says what the figures lose',
    () => importExport('shared.csv', orders([orderRow()], SHARED_ORDER_HEADERS), LA),
    { notes: ['shared.csv has no "Buyer Username" column: no new-buyer or repeat-buyer figures for these orders: each order counts as its own buyer.'] }],
  ['2. a column a figure needs is cut out too: refused, naming it',
    () => importExport('cut.csv', orders([orderRow()], US_ORDER_HEADERS.filter((h) => h !== 'Paid Time' && h !== 'Taxes')), LA),
    { refused: 'File "cut.csv", sheet "OrderSKUList", row 1: this looks like the US order export (OrderSKUList) but is missing required column "Paid Time".' }],
  ['2. an optional money column cut out: kept, the preview says it is read as 0',
    () => importExport('notax.csv', orders([orderRow()], US_ORDER_HEADERS.filter((h) => h !== 'Taxes')), LA),
    { notes: ['notax.csv has no "Taxes" column: taxes collected on orders are read as 0.'] }],
  // ---- 3. headers
  ['3. no kind matches: the nearest kind and exactly which of its columns are missing',
    () => importExport('odd.csv', [table('Sheet1', ['Order/adjustment ID', 'Type', 'Order settled time(UTC)', 'Revenue'], [])], LA),
    { refused: 'File "odd.csv" is not a Seller Center export this add-on reads. Looked for: the US finance statement "Order details"; the SEA "Income" export; the unsettled orders export (TikTok\'s estimates); the US order export (OrderSKUList); the SEA "Withdrawal records" sheet. Nearest: the SEA "Income" export (sheet "Sheet1", header row 1), which also needs the columns "Total settlement amount", "Total revenue", "Total fees".' }],
  // ---- 8. the unsettled orders export
  ['8. two different estimates for one order: refused',
    () => importExport('u.csv', unsettled([unsettledRow(), unsettledRow({ 'Est. settlement amount': '8.00', 'Est. fees': '-2.00', 'Est. transaction fee': '-2.00' })]), LA, { now: NOW }),
    { refused: 'File "u.csv", sheet "Sheet1", rows 2 and 3: two different estimates for order 577900001 (settlement 9.00 and 8.00); an order has one estimate, so the file is not imported. Export it again from Seller Center.' }],
  ['8. the same estimate twice: one record, nothing to say',
    () => importExport('u.csv', unsettled([unsettledRow(), unsettledRow()]), LA, { now: NOW }),
    { notes: [] }],
  ['8. an estimate without its fee estimate column: refused, naming it',
    () => importExport('u.csv', unsettled([unsettledRow()], UNSETTLED_HEADERS.filter((h) => h !== 'Est. fees')), LA, { now: NOW }),
    { refused: 'File "u.csv", sheet "Sheet1", row 1: this looks like the unsettled orders export (TikTok\'s estimates) but is missing required column "Est. total fees".' }],
  // ---- 9. policy: strict where money is at stake
  ['9. an amount with more decimals than the currency has: refused (never rounded)',
    () => importExport('u.csv', unsettled([unsettledRow({ 'Est. revenue': '10.005' })]), LA, { now: NOW }),
    { refused: 'File "u.csv", sheet "Sheet1", row 2, column "Est. revenue": expected at most 2 decimal places for USD, found "10.005".' }],
  ['9. a decimal comma: refused (1,50 could be 1.50 or 150)',
    () => importExport('i.csv', income([incomeRow({ 'Total fees': '-150,5' })]), MANILA),
    { refused: 'File "i.csv", sheet "Order details", row 2, column "Total fees": expected an amount in PHP like "12.34", "1,234.56" or "₱12.34", found "-150,5".' }],
  ['9. a currency mix: refused',
    () => importExport('i.csv', income([incomeRow(), incomeRow({ 'Order/adjustment ID': '580002', 'Currency': 'USD' })]), MANILA),
    { refused: 'File "i.csv", sheet "Order details", row 3, column "Currency": expected the shop currency PHP, found "USD".' }],
  ['9. an amount in another currency\'s symbol: refused',
    () => importExport('o.csv', orders([orderRow({ 'Order Amount': '€10.00' })]), LA),
    { refused: 'File "o.csv", sheet "OrderSKUList", row 2, column "Order Amount": expected an amount in the shop currency USD (€ is the symbol of EUR), found "€10.00".' }],
  // ---- 9. policy: lenient where no figure changes
  ['9. an order status this add-on does not know: kept with the status its times show, and said',
    () => importExport('o.csv', orders([orderRow({ 'Order Status': 'Lost in warehouse' }), orderRow({ 'Order ID': '576002', 'Order Status': 'Lost in warehouse', 'Delivered Time': '' })]), LA),
    { notes: ['2 orders of o.csv have the order status "Lost in warehouse", which this add-on does not know (first: order 576001, row 2): kept, with the status the order\'s own columns show (cancelled with a Cancelled Time, unpaid without a Paid Time, else delivered, in transit or awaiting shipment by its times).'] }],
  ['9. a blank order status and a blank buyer: kept, and said',
    () => importExport('o.csv', orders([orderRow({ 'Order Status': '', 'Buyer Username': '' })]), LA),
    { notes: [
      '1 order of o.csv has no order status (first: order 576001, row 2): kept, with the status the order\'s own columns show (cancelled with a Cancelled Time, unpaid without a Paid Time, else delivered, in transit or awaiting shipment by its times).',
      '1 order of o.csv has no Buyer Username: no new-buyer or repeat-buyer figures for it (each counts as its own buyer).',
    ] }],
];

describe('bad-input catalogue: Seller Center files', () => {
  test.each(CASES)('%s', (_name, fn, expected) => {
    expect(outcome(fn)).toEqual(expected);
  });

  test('a status kept though unknown takes the status its times show', () => {
    const r = importExport('o.csv', orders([orderRow({ 'Order Status': 'Lost in warehouse' }),
      orderRow({ 'Order ID': '576002', 'Order Status': 'Lost in warehouse', 'Delivered Time': '' }),
      orderRow({ 'Order ID': '576003', 'Order Status': 'Lost in warehouse', 'Delivered Time': '', 'Paid Time': '' }),
      orderRow({ 'Order ID': '576004', 'Order Status': 'Lost in warehouse', 'Delivered Time': '', 'Cancelled Time': '03/15/2025 9:00:00 AM' })]), LA);
    expect(r.data.orders!.map((o) => [o.orderId, o.status])).toEqual([
      ['576001', 'DELIVERED'], ['576002', 'AWAITING_SHIPMENT'], ['576003', 'UNPAID'], ['576004', 'CANCELLED']]);
    expect(r.data.lines!.map((l) => l.cancelled)).toEqual([false, false, false, true]);
    expect(r.data.cancellations!.map((c) => c.orderId)).toEqual(['576004']);
  });
});

describe('bad-input catalogue: a statement without its Shipping / Adjustment amount columns', () => {
  const headers = ['Statement date (UTC)', 'Statement ID', 'Payment ID', 'Status', 'Currency', 'Type', 'Order/adjustment ID', 'SKU ID',
    'Total settlement amount', 'Net sales', 'Fees', 'Referral fee'];
  const row = { 'Statement date (UTC)': '2025/03/04', 'Statement ID': 'ST1', 'Payment ID': 'P1', 'Status': 'Paid', 'Currency': 'USD', 'Type': 'Order',
    'Order/adjustment ID': '576001', 'SKU ID': 'A', 'Total settlement amount': '16.50', 'Net sales': '18.00', 'Fees': '-1.50', 'Referral fee': '-1.50' };

  test('kept while every row is Net sales + Fees: the absent columns held nothing', () => {
    const r = importExport('s.csv', [table('Order details', headers, [row])], LA);
    expect(r.data.transactions!.map((t) => [t.settlementAmount, t.revenueAmount, t.feeTaxAmount, t.shippingCostAmount, t.adjustmentAmount]))
      .toEqual([[1650, 1800, -150, 0, 0]]);
  });

  test('refused when a row\'s settlement is not the sum of the parts the file has', () => {
    expect(outcome(() => importExport('s.csv', [table('Order details', headers, [row, { ...row, 'SKU ID': 'B', 'Total settlement amount': '13.50' }])], LA)))
      .toEqual({ refused: 'File "s.csv", sheet "Order details", row 3, column "Total settlement amount": expected Net sales + Fees (16.50): the file has no "Shipping" or "Adjustment amount" column to hold the -3.00 difference, so the row\'s money cannot be split exactly, found "13.50".' });
  });
});
