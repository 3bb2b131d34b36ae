/**
 * Writes a generated shop OUT as Seller Center export files (regional variants US and GB), as a
 * seller downloads them — the inverse of src/imports/exports.ts, for round-trip tests.
 *
 * - `exportOrders`: the US order export "OrderSKUList" — the documented header
 *   (/work/shared/reference/seller-center-exports.md), one row per order line (SKU), order-level
 *   amounts and times repeated on every row; optional field-description row 2.
 * - `exportStatement`: the US finance statement workbook — sheet "Order details" (the documented
 *   Order-details header plus the documented "newer US columns"), one row per statement
 *   transaction, then "Summary", "Reserve Details" and "Adjustments". In CSV only "Order details".
 * - `exportUnsettled`: the unsettled orders export (TikTok's estimates), as it stands at `asOf`:
 *   the latest estimate of each order not settled by then; headers [U] (UNSETTLED_EXPORT_HEADERS).
 * - `region: 'GB'` (order export): "RTH Time", "Fulfilment Type", "Cancellation/Return Type" and
 *   day/month/year 24-hour times ("23/09/2026 16:06:19"), as GB, SG and TH order exports write.
 *
 * Cell forms (what Seller Center writes and the importer reads):
 * - CSV: times as shop-local "MM/DD/YYYY hh:mm:ss AM/PM" (GB: "DD/MM/YYYY HH:mm:ss"); the statement date as "YYYY/MM/DD"
 *   (UTC); amounts as plain decimals "-12.34" (zero fee columns left blank, as TikTok does).
 * - xlsx: ids and labels as text, amounts as numbers, times as real Excel date cells (the
 *   shop-local wall time as a serial with a date format), so the importer's serial path is used.
 *
 * What a US export cannot carry is simply not written (see test/imports/round-trip.test.ts for
 * the list): line ids, product ids (the order export has none), sample marks, buyer user ids
 * (the export has "Buyer Username"; the generator has no usernames, so its buyerId is written
 * there), fee fields with no US column (they stay inside "Fees"). Reserve moves are written on
 * "Reserve Details" only (xlsx), not as rows of "Order details", so a CSV statement has none.
 *
 * exceljs writes asynchronously, so both functions return a Promise (the CSV path is synchronous
 * inside).
 */
import ExcelJS from 'exceljs';
import type { FeeField, Order, OrderLine, ShopData, Statement, StatementTransaction, StatementTransactionType } from '../../src/core/records';
import { minorUnits } from '../../src/core/money';
import { offsetSeconds } from '../../src/core/time';

export interface ExportShop {
  data: ShopData;
  /** Shop timezone and currency (GeneratedShop.meta has both). */
  meta: { timezone: string; currency: string };
}

export interface ExportOptions {
  format: 'csv' | 'xlsx';
  /** Order export only: add TikTok's field-description row as row 2. */
  descriptionRow?: boolean;
  /** Only orders created / statements dated in [from, to) (Unix seconds); default all. */
  from?: number;
  to?: number;
  /** Order export: the regional variant of headers and dates (default US). */
  region?: 'US' | 'GB';
}

// ---------------------------------------------------------------- headers

export const ORDER_HEADERS = [
  'Order ID', 'Order Status', 'Order Substatus', 'Cancelation/Return Type', 'Normal or Pre-order', 'SKU ID', 'Seller SKU',
  'Product Name', 'Variation', 'Quantity', 'Sku Quantity of return', 'SKU Unit Original Price', 'SKU Subtotal Before Discount',
  'SKU Platform Discount', 'SKU Seller Discount', 'SKU Subtotal After Discount', 'Shipping Fee After Discount',
  'Original Shipping Fee', 'Shipping Fee Seller Discount', 'Shipping Fee Platform Discount', 'Payment platform discount',
  'Retail Delivery Fee', 'Taxes', 'Order Amount', 'Order Refund Amount', 'Created Time', 'Paid Time', 'RTS Time',
  'Shipped Time', 'Delivered Time', 'Cancelled Time', 'Cancel By', 'Cancel Reason', 'Fulfillment Type', 'Warehouse Name',
  'Tracking ID', 'Delivery Option Type', 'Delivery Option', 'Shipping Provider Name', 'Buyer Message', 'Buyer Username',
  'Recipient', 'Phone #', 'Country', 'State', 'City', 'Zipcode', 'Detail Address', 'Additional address information',
  'House Name or Number', 'Delivery Instruction', 'Payment Method', 'Weight(kg)', 'Product Category', 'Package ID',
  'Seller Note', 'Shipping Information',
] as const;

export const STATEMENT_HEADERS = [
  'Statement date (UTC)', 'Statement ID', 'Payment ID', 'Status', 'Currency', 'Type', 'Order/adjustment ID', 'SKU ID',
  'Quantity', 'Product name', 'SKU name', 'Order created date', 'Order delivery date', 'Total settlement amount',
  'Net sales', 'Gross sales', 'Gross sales refund', 'Seller discount', 'Seller discount refund', 'Shipping',
  'TikTok Shop shipping fee', 'Fulfilled by TikTok Shop (FBT) shipping fee', 'FBT fulfillment fee',
  'Customer shipping fee offset', 'Limited-time sign up shipping incentive', 'Signature confirmation service fee',
  'Shipping insurance fee', 'Customer-paid shipping fee', 'Customer-paid shipping fee refund',
  'TikTok Shop shipping incentive', 'TikTok Shop shipping incentive refund', 'Shipping fee subsidy', 'Return shipping fee',
  'Fees', 'Transaction fee', 'Referral fee', 'Refund administration fee', 'Affiliate commission',
  'Affiliate partner commission', 'Adjustment amount', 'Adjustment reason', 'Related order ID', 'Customer payment',
  'Customer refund', 'Seller co-funded voucher discount', 'Seller co-funded voucher discount refund', 'Platform discounts',
  'Platform discounts refund', 'Platform co-funded voucher discounts', 'Platform co-funded voucher discounts refund',
  'Ads referral fee discount', 'Sales tax payment', 'Sales tax refund', 'Retail delivery fee payment',
  'Retail delivery fee refund', 'Customer-paid shipping fee before discounts', 'Seller shipping fee discount',
  'TikTok Shop shipping fee discount to customer', 'Estimated chargeable package weight', 'Chargeable package weight',
  'FBT Chargeable goods weight', 'Collection methods', 'Delivery option', 'Signature confirmation service fee type',
  // "Newer US columns seen in a second parser"
  'Return shipping label fee', 'FBT fulfillment fee reimbursement', 'Affiliate Shop Ads commission',
  'Affiliate Partner shop ads commission', 'TikTok Shop Partner commission', 'Co-funded promotion (seller-funded)',
  'Campaign service fee', 'Smart Promotion fee', 'Marketing benefits package fee', 'Logistics reimbursement',
  'GMV deduction for FBT warehouse service fee', 'TikTok Shop reimbursement',
] as const;

/** US statement fee columns → the TikTok fee field each carries (only fields with a US column). */
export const US_FEE_COLUMNS: Partial<Record<FeeField, string>> = {
  transaction_fee_amount: 'Transaction fee',
  referral_fee_amount: 'Referral fee',
  refund_administration_fee_amount: 'Refund administration fee',
  affiliate_commission_amount: 'Affiliate commission',
  affiliate_partner_commission_amount: 'Affiliate partner commission',
  affiliate_ads_commission_amount: 'Affiliate Shop Ads commission',
  tap_shop_ads_commission: 'Affiliate Partner shop ads commission',
  tsp_commission_amount: 'TikTok Shop Partner commission',
  cofunded_promotion_service_fee_amount: 'Co-funded promotion (seller-funded)',
};

const ORDER_STATUS_TEXT: Record<Order['status'], string> = {
  UNPAID: 'Unpaid', ON_HOLD: 'On hold', AWAITING_SHIPMENT: 'Awaiting shipment', PARTIALLY_SHIPPING: 'Partially shipping',
  AWAITING_COLLECTION: 'Awaiting collection', IN_TRANSIT: 'In transit', DELIVERED: 'Delivered', COMPLETED: 'Completed',
  CANCELLED: 'Cancelled',
};

const TX_TYPE_TEXT: Record<StatementTransactionType, string> = {
  ORDER: 'Order', RESERVE: 'Reserve', GMV_PAYMENT_FOR_ADS: 'GMV Payment for TikTok Ads', SAMPLE_SHIPPING_FEE: 'Sample shipping fee',
  COFUNDED_CREATOR_REWARDS: 'Co-funded creator rewards', CHARGE_BACK: 'Chargeback', PLATFORM_REIMBURSEMENT: 'Platform reimbursement',
  LOGISTICS_REIMBURSEMENT: 'Logistics reimbursement', SHIPPING_FEE_ADJUSTMENT: 'Shipping fee adjustment',
  FBT_WAREHOUSE_SERVICE_FEE: 'FBT warehouse service fee', PLATFORM_PENALTY: 'Platform penalty', REBATE: 'Rebate',
  OTHER_ADJUSTMENT: 'Other adjustment',
};

const PAYMENT_STATUS_TEXT: Record<Statement['paymentStatus'], string> = { PAID: 'Paid', PROCESSING: 'Processing', FAILED: 'Failed' };

/** The cancel role as Seller Center shows it ("SELLER" → "Seller"). */
export const cancelRoleText = (role: string): string => (role ? role[0].toUpperCase() + role.slice(1).toLowerCase() : '');

// ---------------------------------------------------------------- cells

/** A cell before it is written: text, an amount in minor units, a shop-local time, or a UTC date. */
type Cell =
  | { t: 'text'; v: string }
  | { t: 'amount'; v: number; blankZero?: boolean }
  | { t: 'time'; v: number | null }
  | { t: 'date'; v: number };

const text = (v: string | number | null | undefined): Cell => ({ t: 'text', v: v === null || v === undefined ? '' : String(v) });
const amount = (v: number, blankZero = false): Cell => ({ t: 'amount', v, blankZero });
const time = (v: number | null): Cell => ({ t: 'time', v });
const blank: Cell = { t: 'text', v: '' };

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Unix seconds → the wall-clock fields in `tz` (as a Date whose UTC fields are the wall clock). */
function wallClock(unix: number, tz: string): Date {
  return new Date((unix + offsetSeconds(unix, tz)) * 1000);
}

function usTime(unix: number, tz: string): string {
  const d = wallClock(unix, tz);
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${pad2(d.getUTCMonth() + 1)}/${pad2(d.getUTCDate())}/${d.getUTCFullYear()} ${pad2(h12)}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** GB, SG, TH: day/month/year, 24-hour clock. */
function dayFirstTime(unix: number, tz: string): string {
  const d = wallClock(unix, tz);
  return `${pad2(d.getUTCDate())}/${pad2(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

type TimeText = (unix: number, tz: string) => string;

function utcDate(unix: number): string {
  const d = new Date(unix * 1000);
  return `${d.getUTCFullYear()}/${pad2(d.getUTCMonth() + 1)}/${pad2(d.getUTCDate())}`;
}

function amountText(v: number, digits: number): string {
  const neg = v < 0;
  const a = Math.abs(v);
  if (digits === 0) return `${neg ? '-' : ''}${a}`;
  const scale = 10 ** digits;
  return `${neg ? '-' : ''}${Math.floor(a / scale)}.${String(a % scale).padStart(digits, '0')}`;
}

function csvCell(c: Cell, tz: string, digits: number, timeText: TimeText): string {
  switch (c.t) {
    case 'text': return c.v;
    case 'amount': return c.blankZero && c.v === 0 ? '' : amountText(c.v, digits);
    case 'time': return c.v === null ? '' : timeText(c.v, tz);
    case 'date': return utcDate(c.v);
  }
}

function csvQuote(s: string): string {
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function toCsv(header: readonly string[], rows: Cell[][], tz: string, digits: number, description?: string[], timeText: TimeText = usTime): Uint8Array {
  const lines = [header.map(csvQuote).join(',')];
  if (description) lines.push(description.map(csvQuote).join(','));
  for (const r of rows) lines.push(r.map((c) => csvQuote(csvCell(c, tz, digits, timeText))).join(','));
  return new TextEncoder().encode('\ufeff' + lines.join('\r\n') + '\r\n');
}

function setXlsxCell(cell: ExcelJS.Cell, c: Cell, tz: string, digits: number, timeFormat: string): void {
  switch (c.t) {
    case 'text':
      if (c.v !== '') cell.value = c.v;
      return;
    case 'amount':
      if (c.blankZero && c.v === 0) return;
      cell.value = c.v / 10 ** digits;
      cell.numFmt = digits === 0 ? '0' : `0.${'0'.repeat(digits)}`;
      return;
    case 'time':
      if (c.v === null) return;
      cell.value = wallClock(c.v, tz);
      cell.numFmt = timeFormat;
      return;
    case 'date':
      cell.value = new Date(c.v * 1000);
      cell.numFmt = 'yyyy/mm/dd';
      return;
  }
}

function addSheet(wb: ExcelJS.Workbook, name: string, header: readonly string[], rows: Cell[][], tz: string, digits: number, description?: string[], timeFormat = 'mm/dd/yyyy hh:mm:ss AM/PM'): void {
  const ws = wb.addWorksheet(name);
  ws.addRow([...header]);
  if (description) ws.addRow(description);
  rows.forEach((r, i) => {
    const row = ws.getRow(i + 2 + (description ? 1 : 0));
    r.forEach((c, j) => setXlsxCell(row.getCell(j + 1), c, tz, digits, timeFormat));
  });
}

async function workbookBytes(wb: ExcelJS.Workbook): Promise<Uint8Array> {
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

function inRange(t: number, o: ExportOptions): boolean {
  return (o.from === undefined || t >= o.from) && (o.to === undefined || t < o.to);
}

// ---------------------------------------------------------------- order export

function orderRows(shop: ExportShop, o: ExportOptions): Cell[][] {
  const { data } = shop;
  const linesBy = new Map<string, OrderLine[]>();
  for (const l of data.lines) {
    const list = linesBy.get(l.orderId) ?? [];
    list.push(l);
    linesBy.set(l.orderId, list);
  }
  const cancelBy = new Map(data.cancellations.map((c) => [c.orderId, c]));
  const returnedLines = new Map<string, number>();
  for (const r of data.returns) for (const rl of r.lines) if (rl.lineId) returnedLines.set(rl.lineId, (returnedLines.get(rl.lineId) ?? 0) + rl.quantity);
  const rows: Cell[][] = [];
  for (const order of data.orders) {
    if (!inRange(order.createTime, o)) continue;
    const cancel = cancelBy.get(order.orderId);
    for (const line of linesBy.get(order.orderId) ?? []) {
      const cells: Record<string, Cell> = {
        'Order ID': text(order.orderId),
        'Order Status': text(ORDER_STATUS_TEXT[order.status]),
        'Cancelation/Return Type': text(line.cancelled ? 'Cancel' : returnedLines.has(line.lineId) ? 'Return/Refund' : ''),
        'Normal or Pre-order': text('Normal'),
        'SKU ID': text(line.skuId),
        'Seller SKU': text(line.sellerSku),
        'Product Name': text(line.productName),
        'Variation': text(line.skuName),
        'Quantity': text(line.quantity),
        'Sku Quantity of return': text(returnedLines.get(line.lineId) ?? 0),
        'SKU Unit Original Price': amount(Math.round(line.originalPrice / line.quantity)),
        'SKU Subtotal Before Discount': amount(line.originalPrice),
        'SKU Platform Discount': amount(line.platformDiscount),
        'SKU Seller Discount': amount(line.sellerDiscount),
        'SKU Subtotal After Discount': amount(line.salePrice),
        'Shipping Fee After Discount': amount(order.shippingFee),
        'Original Shipping Fee': amount(order.originalShippingFee),
        'Shipping Fee Seller Discount': amount(order.shippingSellerDiscount),
        'Shipping Fee Platform Discount': amount(order.shippingPlatformDiscount),
        'Payment platform discount': amount(0),
        'Retail Delivery Fee': amount(0),
        'Taxes': amount(order.tax),
        'Order Amount': amount(order.totalAmount),
        'Order Refund Amount': amount(cancel?.refundTotal ?? 0),
        'Created Time': time(order.createTime),
        'Paid Time': time(order.paidTime),
        'Delivered Time': time(order.deliveryTime),
        'Cancelled Time': time(order.cancelTime),
        'Cancel By': text(cancel ? cancelRoleText(cancel.role) : ''),
        'Cancel Reason': text(cancel?.reason ?? ''),
        'Fulfillment Type': text(order.fulfillmentType === 'FULFILLMENT_BY_TIKTOK' ? 'Fulfillment by TikTok Shop' : 'Fulfillment by seller'),
        'Buyer Username': text(order.buyerId),
        'Country': text('United States'),
        'Payment Method': text(order.paidTime === null ? '' : 'Credit card'),
      };
      rows.push(ORDER_HEADERS.map((h) => cells[h] ?? blank));
    }
  }
  return rows;
}

const describe = (h: string) => `The ${h} field of this order line`;

/** The GB order export's names where they differ from the US ones. */
const GB_ORDER_HEADER_NAMES: Record<string, string> = {
  'RTS Time': 'RTH Time', 'Fulfillment Type': 'Fulfilment Type', 'Cancelation/Return Type': 'Cancellation/Return Type', 'State': 'County',
  'Zipcode': 'Postcode',
};

export async function exportOrders(shop: ExportShop, options: ExportOptions): Promise<Uint8Array> {
  const tz = shop.meta.timezone;
  const digits = minorUnits(shop.meta.currency);
  const rows = orderRows(shop, options);
  const gb = options.region === 'GB';
  const header = gb ? ORDER_HEADERS.map((h) => GB_ORDER_HEADER_NAMES[h] ?? h) : ORDER_HEADERS;
  const description = options.descriptionRow ? header.map(describe) : undefined;
  if (options.format === 'csv') return toCsv(header, rows, tz, digits, description, gb ? dayFirstTime : usTime);
  const wb = new ExcelJS.Workbook();
  addSheet(wb, 'OrderSKUList', header, rows, tz, digits, description, gb ? 'dd/mm/yyyy hh:mm:ss' : undefined);
  return workbookBytes(wb);
}

// ---------------------------------------------------------------- statement export

/**
 * The "Reserve Details" sheet. Its layout is not in the public material (only that the workbook
 * has it, with order-specific reserve transactions); these are the names the importer reads:
 * the statement's own leading columns, then the reserve's id and amount.
 */
export const RESERVE_HEADERS = ['Statement date (UTC)', 'Statement ID', 'Payment ID', 'Status', 'Currency', 'Reserve ID', 'Reserve amount'] as const;

function statementRows(shop: ExportShop, o: ExportOptions): Cell[][] {
  const { data } = shop;
  const stmts = new Map(data.statements.map((s) => [s.statementId, s]));
  const orders = new Map(data.orders.map((x) => [x.orderId, x]));
  const rows: Cell[][] = [];
  for (const tx of data.transactions) {
    const s = stmts.get(tx.statementId);
    // Reserve moves are on the workbook's "Reserve Details" sheet, not on "Order details".
    if (!s || !inRange(s.statementTime, o) || tx.type === 'RESERVE') continue;
    rows.push(statementRow(tx, s, orders.get(tx.orderId ?? '')));
  }
  return rows;
}

function statementRow(tx: StatementTransaction, s: Statement, order: Order | undefined): Cell[] {
  const isOrder = tx.type === 'ORDER';
  const refund = isOrder && tx.subtotalBeforeDiscount === 0 && tx.refundSubtotalBeforeDiscount !== 0;
  const cpsf = tx.customerPaidShippingFee;
  const cells: Record<string, Cell> = {
    'Statement date (UTC)': { t: 'date', v: s.statementTime },
    'Statement ID': text(s.statementId),
    'Payment ID': text(s.paymentId),
    'Status': text(PAYMENT_STATUS_TEXT[s.paymentStatus]),
    'Currency': text(tx.currency),
    'Type': text(refund ? 'Refund' : TX_TYPE_TEXT[tx.type]),
    'Order/adjustment ID': text(isOrder ? tx.orderId : tx.adjustmentId),
    'SKU ID': text(tx.skuId),
    'Order created date': isOrder && order ? time(order.createTime) : blank,
    'Order delivery date': isOrder && order ? time(order.deliveryTime) : blank,
    'Total settlement amount': amount(tx.settlementAmount),
    'Net sales': amount(tx.revenueAmount),
    'Gross sales': amount(tx.subtotalBeforeDiscount),
    'Gross sales refund': amount(tx.refundSubtotalBeforeDiscount),
    'Seller discount': amount(tx.sellerDiscount),
    'Seller discount refund': amount(tx.sellerDiscountRefund),
    'Shipping': amount(tx.shippingCostAmount),
    'TikTok Shop shipping fee': amount(tx.actualShippingFee, true),
    'Customer-paid shipping fee': amount(cpsf >= 0 ? cpsf : 0, true),
    'Customer-paid shipping fee refund': amount(cpsf < 0 ? cpsf : 0, true),
    'Fees': amount(tx.feeTaxAmount),
    'Adjustment amount': amount(tx.adjustmentAmount),
    'Related order ID': text(isOrder ? '' : tx.orderId),
  };
  for (const [field, col] of Object.entries(US_FEE_COLUMNS)) {
    const v = tx.fees[field as FeeField];
    cells[col] = amount(v ?? 0, true);
  }
  return STATEMENT_HEADERS.map((h) => cells[h] ?? blank);
}

export async function exportStatement(shop: ExportShop, options: ExportOptions): Promise<Uint8Array> {
  const digits = minorUnits(shop.meta.currency);
  const tz = shop.meta.timezone;
  const rows = statementRows(shop, options);
  if (options.format === 'csv') return toCsv(STATEMENT_HEADERS, rows, tz, digits);
  const wb = new ExcelJS.Workbook();
  addSheet(wb, 'Order details', STATEMENT_HEADERS, rows, tz, digits);
  // The other sheets of the workbook: titles and a little of their content (the importer ignores them).
  const stmts = shop.data.statements.filter((s) => inRange(s.statementTime, options));
  addSheet(wb, 'Summary', ['Statement date (UTC)', 'Statement ID', 'Payment ID', 'Status', 'Total settlement amount'],
    stmts.map((s) => [{ t: 'date', v: s.statementTime }, text(s.statementId), text(s.paymentId), text(PAYMENT_STATUS_TEXT[s.paymentStatus]), amount(s.settlementAmount)]), tz, digits);
  const ids = new Set(stmts.map((s) => s.statementId));
  const byId = new Map(stmts.map((s) => [s.statementId, s]));
  addSheet(wb, 'Reserve Details', RESERVE_HEADERS,
    shop.data.transactions.filter((t) => ids.has(t.statementId) && t.type === 'RESERVE').map((t) => {
      const s = byId.get(t.statementId)!;
      return [{ t: 'date', v: s.statementTime }, text(s.statementId), text(s.paymentId), text(PAYMENT_STATUS_TEXT[s.paymentStatus]),
        text(t.currency), text(t.adjustmentId), amount(t.reserveAmount)];
    }), tz, digits);
  addSheet(wb, 'Adjustments', ['Adjustment ID', 'Type', 'Related order ID', 'Adjustment amount'], [], tz, digits);
  return workbookBytes(wb);
}

// ---------------------------------------------------------------- unsettled orders export

/**
 * Income-export fee column names, one per fee field an estimate may carry (the unsettled export
 * writes them as "Est. " + name). A field without a name stays inside "Est. fees".
 */
export const ESTIMATE_FEE_COLUMNS: Partial<Record<FeeField, string>> = {
  transaction_fee_amount: 'Transaction fee',
  referral_fee_amount: 'Referral fee',
  platform_commission_amount: 'TikTok Shop commission fee',
  affiliate_commission_amount: 'Affiliate commission',
  affiliate_partner_commission_amount: 'Affiliate partner commission',
  affiliate_ads_commission_amount: 'Affiliate Shop Ads commission',
  sfp_service_fee_amount: 'SFP service fee',
  gst_amount: 'GST',
  vat_amount: 'VAT',
  sst_amount: 'SST',
};

/** [U]: the "To settle" table's names and the income export's breakdown names with "Est." (src/imports/unsettled-export.ts). */
export const UNSETTLED_EXPORT_HEADERS: readonly string[] = [
  'Order/adjustment ID', 'Type', 'Order created time', 'Currency', 'Est. settlement amount', 'Est. revenue', 'Est. fees',
  'Est. seller shipping fee', 'Est. customer shipping fee', 'Est. adjustment amount',
  ...Object.values(ESTIMATE_FEE_COLUMNS).map((n) => `Est. ${n}`), 'Unsettlement status',
];

/** The estimates the export holds at `asOf`: per order not settled by then, its latest estimate fetched by then. */
export function unsettledAt(data: ShopData, asOf: number): ShopData['unsettled'] {
  const stmtTime = new Map(data.statements.map((s) => [s.statementId, s.statementTime]));
  const settled = new Map<string, number>();
  for (const t of data.transactions) {
    if (t.type !== 'ORDER' || t.orderId === null) continue;
    const time = stmtTime.get(t.statementId) ?? t.statementTime;
    settled.set(t.orderId, Math.min(settled.get(t.orderId) ?? Infinity, time));
  }
  const latest = new Map<string, ShopData['unsettled'][number]>();
  for (const e of data.unsettled) {
    if (e.fetchedTime > asOf || (settled.get(e.orderId) ?? Infinity) <= asOf) continue;
    const prev = latest.get(e.orderId);
    if (!prev || e.fetchedTime >= prev.fetchedTime) latest.set(e.orderId, e);
  }
  return [...latest.values()];
}

export async function exportUnsettled(shop: ExportShop, options: ExportOptions & { asOf: number }): Promise<Uint8Array> {
  const digits = minorUnits(shop.meta.currency);
  const tz = shop.meta.timezone;
  const orders = new Map(shop.data.orders.map((o) => [o.orderId, o]));
  const rows = unsettledAt(shop.data, options.asOf).map((e) => {
    const cells: Record<string, Cell> = {
      'Order/adjustment ID': text(e.orderId),
      'Type': text('Order'),
      'Order created time': time(orders.get(e.orderId)?.createTime ?? null),
      'Currency': text(e.currency),
      'Est. settlement amount': amount(e.estSettlementAmount),
      'Est. revenue': amount(e.estRevenueAmount),
      'Est. fees': amount(e.estFeeTaxAmount),
      'Est. seller shipping fee': amount(e.estShippingCostAmount),
      'Est. customer shipping fee': amount(e.estCustomerPaidShippingFee),
      'Est. adjustment amount': amount(e.estAdjustmentAmount),
      'Unsettlement status': text('Waiting for package delivery'),
    };
    for (const [field, name] of Object.entries(ESTIMATE_FEE_COLUMNS)) cells[`Est. ${name}`] = amount(e.fees[field as FeeField] ?? 0, true);
    return UNSETTLED_EXPORT_HEADERS.map((h) => cells[h] ?? blank);
  });
  if (options.format === 'csv') return toCsv(UNSETTLED_EXPORT_HEADERS, rows, tz, digits);
  const wb = new ExcelJS.Workbook();
  addSheet(wb, 'Unsettled orders', UNSETTLED_EXPORT_HEADERS, rows, tz, digits);
  return workbookBytes(wb);
}
