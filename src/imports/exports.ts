/**
 * Seller Center export files → core records (the same records the API client produces).
 *
 * Input: tables already read from a CSV or xlsx file, one per sheet, every cell as TEXT
 * (`ExportSheet`). Output: `ImportResult` with the detected kind, the number of data rows read,
 * the first and last shop day covered and `Partial<ShopData>`. Pure and synchronous (Apps Script).
 *
 * Detection (by header NAMES, never positions)
 * - A header is matched case-, space- and punctuation-insensitively ("Order/adjustment ID" =
 *   "order adjustment id"); columns may come in any order; unknown columns are ignored.
 * - The header is row 1, or row 2 when row 1 is a title (the row that matches better wins).
 * - Each kind has a few "signature" columns that identify it (see SPECS); once identified, all of
 *   its required columns must be present, else one error lists every missing one. When no sheet
 *   is identified, the error says which kinds were looked for and the closest match with its
 *   missing columns.
 * - Kinds: US order export ("OrderSKUList"), US finance statement "Order details", SEA "Income"
 *   ("Order details" sheet, optional "Withdrawal records" sheet → Payouts). Sheets of a workbook
 *   that match no kind (Summary, Reports, Reserve Details…) are ignored. Two different kinds in
 *   one file is an error (import them separately).
 * - Regional variants accepted are the `names` aliases in SPECS (e.g. "Cancellation/Return
 *   Type", "Canceled Time", "Fulfilment Type", "Ajustment amount" [sic], "Platform commission
 *   fee" (ID), "Payment fee" (ID), "Mall service fee" (ID), "Dynamic Commission" (ID),
 *   "Fee per item sold" (BR)).
 *
 * Cell formats
 * - Amounts: "12.34", "-12.34", "1,234.56" (comma thousands groups), "$12.34", "-$12.34",
 *   "$-12.34", "(12.34)" (negative), "12.34 USD"; parsed exactly by core parseAmount in the shop
 *   currency. Only the shop currency's own symbols/codes are accepted (USD: $, US$, USD; PHP: ₱,
 *   PHP…, see CURRENCY_SYMBOLS); a symbol of another currency is an error naming it. A decimal
 *   comma ("12,34") and dot thousands ("1.234.567") are NOT accepted (ambiguous). An empty cell of
 *   an optional amount column is 0 (TikTok leaves zero fees blank); a required one is an error.
 * - Times: "2025-03-04 13:45:10", "2025-03-04 13:45", "2025-03-04", "2025/03/04[ …]",
 *   "03/04/2025 1:45:10 PM" (slash date with year last = month/day/year, as US Seller Center
 *   writes it; 12- or 24-hour clock), or an Excel serial number as text ("45720.57" = days since
 *   1899-12-30, fraction of a day rounded to the second). They are wall-clock times in the SHOP
 *   timezone (the exports' times are shop-local), converted to Unix seconds — except the US
 *   statement's "Statement date (UTC)", read in UTC (a date alone = 00:00 UTC, the same instant as
 *   the API's statement_time).
 * - Quantities: whole numbers; negative → error; an order line needs at least 1.
 *
 * Errors: the FIRST bad cell throws an ImportError (nothing partial is returned); its message
 * names the file, sheet, row as the person sees it in the file (header = row 1 when it is the
 * first row), column, what was expected and what was found.
 *
 * Determinism: ids are built from the file's own keys only (see each mapper), so importing the
 * same file twice gives identical records, and rows of overlapping files land on the same keys
 * (orderId, lineId, transactionId, statementId, paymentId) for the data tabs to de-duplicate.
 */
import {
  CancellationSchema, FULFILLMENT_TYPES, OrderLineSchema, OrderSchema, PayoutSchema, StatementSchema, StatementTransactionSchema,
  type Cancellation, type FeeField, type Order, type OrderLine, type OrderStatus, type Payout, type ShopData, type Statement,
  type StatementTransaction, type StatementTransactionType,
} from '../core/records';
import { formatAmount, parseAmount } from '../core/money';
import { DataError, showValue } from '../core/errors';
import { dayKey, offsetSeconds, startOfDay } from '../core/time';
import { unexplainedFeeAmount, uniqueKey } from '../core/statement';

// ---------------------------------------------------------------- API

/** One sheet (or the one table of a CSV) as text cells; the reader keeps empty cells as "". */
export interface ExportSheet {
  name: string;
  rows: string[][];
}

export interface ShopInfo {
  currency: string;
  timezone: string;
}

export type ExportKind = 'orders' | 'statement_us' | 'income_sea';

export interface ImportResult {
  kind: ExportKind;
  /** Data rows read (header, title, description and blank rows not counted), all sheets. */
  rows: number;
  /** First / last shop day covered: order create times, or statement times (null when no rows). */
  from: string | null;
  to: string | null;
  data: Partial<ShopData>;
  /**
   * What the file could not say, in the seller's words (shown before they confirm): no reserve
   * sheet, a sheet that was not read, fee money no column of the file breaks down.
   */
  notes: string[];
}

export interface ImportErrorLocation {
  file: string;
  sheet?: string;
  row?: number;
  column?: string;
}

/** A file that cannot be imported; `message` is meant for the seller as it is. */
export class ImportError extends Error {
  constructor(message: string, readonly location: ImportErrorLocation) {
    super(message);
    this.name = 'ImportError';
  }
}

// ---------------------------------------------------------------- column specs

/** Companion sheets: read only next to their main kind (withdrawals with SEA income, reserves with the US statement). */
type SheetKind = ExportKind | 'withdrawals' | 'reserves';

interface ColSpec {
  key: string;
  /** Accepted header names (first = the documented US/SEA name, then regional variants). */
  names: string[];
  required?: boolean;
  /** Identifies the kind (all signature columns present → this kind). */
  sig?: boolean;
}

interface KindSpec {
  kind: SheetKind;
  label: string;
  cols: ColSpec[];
}

const c = (key: string, names: string[] | string, flags: { required?: boolean; sig?: boolean } = {}): ColSpec => ({
  key, names: Array.isArray(names) ? names : [names], ...flags,
});
const req = { required: true };
const sig = { required: true, sig: true };

/** Fee columns → TikTok fee field names (FEE_FIELDS). Two columns on one field are added up. */
const FEE_COLUMNS: { names: string[]; field: FeeField }[] = [
  { names: ['Transaction fee', 'Payment fee'], field: 'transaction_fee_amount' },
  { names: ['Referral fee'], field: 'referral_fee_amount' },
  { names: ['TikTok Shop commission fee', 'Commission fee', 'Platform commission fee'], field: 'platform_commission_amount' },
  { names: ['Refund administration fee'], field: 'refund_administration_fee_amount' },
  { names: ['Affiliate commission'], field: 'affiliate_commission_amount' },
  // The refund of an affiliate commission is the same component, opposite sign.
  { names: ['Affiliate commission refund'], field: 'affiliate_commission_amount' },
  { names: ['Affiliate commission deposit'], field: 'affiliate_commission_deposit' },
  { names: ['Affiliate partner commission'], field: 'affiliate_partner_commission_amount' },
  { names: ['Affiliate Shop Ads commission'], field: 'affiliate_ads_commission_amount' },
  { names: ['Affiliate Partner shop ads commission'], field: 'tap_shop_ads_commission' },
  { names: ['TikTok Shop Partner commission'], field: 'tsp_commission_amount' },
  { names: ['Co-funded promotion (seller-funded)'], field: 'cofunded_promotion_service_fee_amount' },
  { names: ['SFP service fee'], field: 'sfp_service_fee_amount' },
  { names: ['LIVE Specials service fee'], field: 'live_specials_fee_amount' },
  { names: ['Voucher Xtra service fee'], field: 'voucher_xtra_service_fee_amount' },
  { names: ['Flash Sale service fee'], field: 'flash_sales_service_fee_amount' },
  { names: ['Pre-order service fee'], field: 'pre_order_service_fee_amount' },
  { names: ['Mall service fee'], field: 'mall_service_fee_amount' },
  { names: ['Dynamic Commission'], field: 'dynamic_commission_amount' },
  { names: ['Fee per item sold'], field: 'fee_per_item_sold_amount' },
  { names: ['GST'], field: 'gst_amount' },
  { names: ['VAT'], field: 'vat_amount' },
  { names: ['SST'], field: 'sst_amount' },
];
// Fee columns with no TikTok field known to core (Campaign service fee, Smart Promotion fee,
// Marketing benefits package fee, Bonus cashback / EAMS / PayLater / Shipping service fee,
// Campaign resource fee, Order processing fee, GMV Max Coupon, ICMS…) are not put in `fees`:
// they are inside the "Fees"/"Total fees" total, and the engine books the part of feeTaxAmount
// the breakdown does not explain as other platform fees, so no money is lost.
const feeCols = (): ColSpec[] => FEE_COLUMNS.map((f, i) => c(`fee${i}`, f.names));

const SPECS: KindSpec[] = [
  {
    kind: 'statement_us', label: 'the US finance statement "Order details"',
    cols: [
      c('statementDate', ['Statement date (UTC)', 'Statement time (UTC)'], req),
      c('statementId', 'Statement ID', sig),
      c('paymentId', 'Payment ID'),
      c('status', ['Status', 'Payment status']),
      c('currency', 'Currency'),
      c('type', 'Type', req),
      c('id', ['Order/adjustment ID', 'Order ID/adjustment ID'], sig),
      c('skuId', 'SKU ID'),
      c('settlement', ['Total settlement amount', 'Settlement amount'], sig),
      c('netSales', ['Net sales', 'Net sales amount']),
      c('subtotalBefore', 'Gross sales'),
      c('refundSubtotalBefore', 'Gross sales refund'),
      c('sellerDiscount', 'Seller discount'),
      c('sellerDiscountRefund', 'Seller discount refund'),
      c('shipping', ['Shipping', 'Shipping total', 'Total shipping']),
      c('actualShipping', 'TikTok Shop shipping fee'),
      c('fbtShippingFee', 'Fulfilled by TikTok Shop (FBT) shipping fee'),
      c('customerShipping', 'Customer-paid shipping fee'),
      c('customerShippingRefund', 'Customer-paid shipping fee refund'),
      c('fees', ['Fees', 'Total fees']),
      c('adjustment', ['Adjustment amount', 'Ajustment amount']),
      c('relatedOrderId', 'Related order ID'),
      ...feeCols(),
    ],
  },
  {
    kind: 'income_sea', label: 'the SEA "Income" export',
    cols: [
      c('id', ['Order/adjustment ID', 'Order ID/adjustment ID'], sig),
      c('type', 'Type', req),
      c('settledTime', ['Order settled time', 'Order settlement time', 'Settled time'], sig),
      c('currency', 'Currency'),
      c('settlement', ['Total settlement amount', 'Settlement amount'], sig),
      c('revenue', 'Total revenue', req),
      c('subtotalBefore', ['Subtotal before discounts', 'Subtotal before discount']),
      c('sellerDiscount', ['Seller discounts', 'Seller discount']),
      c('refundSubtotalBefore', ['Refund subtotal before seller discounts', 'Refund subtotal before discounts']),
      c('sellerDiscountRefund', ['Refund of seller discounts', 'Seller discount refund']),
      c('fees', ['Total fees', 'Fees'], req),
      c('sellerShipping', 'Seller shipping fee'),
      c('actualShipping', 'Actual shipping fee'),
      c('customerShipping', 'Customer shipping fee'),
      c('customerShippingRefund', 'Refund customer shipping fee'),
      c('adjustment', ['Ajustment amount', 'Adjustment amount']),
      c('relatedOrderId', 'Related order ID'),
      ...feeCols(),
    ],
  },
  {
    kind: 'orders', label: 'the US order export (OrderSKUList)',
    cols: [
      c('orderId', 'Order ID', sig),
      c('status', 'Order Status', req),
      c('cancelType', ['Cancelation/Return Type', 'Cancellation/Return Type']),
      c('skuId', 'SKU ID', sig),
      c('productId', 'Product ID'),
      c('sellerSku', 'Seller SKU'),
      c('productName', 'Product Name'),
      c('variation', ['Variation', 'SKU Name']),
      c('quantity', 'Quantity', sig),
      c('subtotalBefore', 'SKU Subtotal Before Discount', req),
      c('platformDiscount', 'SKU Platform Discount'),
      c('sellerDiscount', 'SKU Seller Discount'),
      c('subtotalAfter', 'SKU Subtotal After Discount', req),
      c('shippingFee', ['Shipping Fee After Discount', 'Shipping Fee'], req),
      c('originalShippingFee', 'Original Shipping Fee'),
      c('shippingSellerDiscount', 'Shipping Fee Seller Discount'),
      c('shippingPlatformDiscount', 'Shipping Fee Platform Discount'),
      c('retailDeliveryFee', 'Retail Delivery Fee'),
      c('taxes', ['Taxes', 'Tax']),
      c('orderAmount', 'Order Amount', req),
      c('orderRefund', 'Order Refund Amount'),
      c('createdTime', ['Created Time', 'Create Time'], req),
      c('paidTime', 'Paid Time'),
      c('rtsTime', 'RTS Time'),
      c('shippedTime', 'Shipped Time'),
      c('deliveredTime', ['Delivered Time', 'Delivery Time']),
      c('cancelledTime', ['Cancelled Time', 'Canceled Time', 'Cancel Time']),
      c('cancelBy', ['Cancel By', 'Cancelled By', 'Canceled By']),
      c('cancelReason', 'Cancel Reason'),
      c('fulfillmentType', ['Fulfillment Type', 'Fulfilment Type']),
      c('buyer', ['Buyer Username', 'Buyer User Name'], req),
    ],
  },
  {
    // The layout of this sheet is not in the public material (only that the statement workbook
    // has it, with order-specific reserve transactions): it is matched by these names, and a
    // sheet named like it that does not match is reported in the notes, never guessed at.
    kind: 'reserves', label: 'the US statement "Reserve Details" sheet',
    cols: [
      c('statementDate', ['Statement date (UTC)', 'Statement time (UTC)']),
      c('statementId', 'Statement ID', sig),
      c('paymentId', 'Payment ID'),
      c('status', ['Status', 'Payment status']),
      c('currency', 'Currency'),
      c('reserveId', ['Reserve ID', 'Reserve transaction ID'], req),
      c('reserveAmount', ['Reserve amount', 'Reserve'], sig),
    ],
  },
  {
    kind: 'withdrawals', label: 'the SEA "Withdrawal records" sheet',
    cols: [
      c('type', 'Transaction type', req),
      c('ref', 'Reference ID', sig),
      c('requestTime', 'Request time', sig),
      c('amount', 'Amount', sig),
      c('status', 'Status', req),
      c('successTime', 'Success time'),
    ],
  },
];

/** Order-level columns that repeat on every SKU row of an order and must agree. */
const ORDER_LEVEL = [
  'status', 'buyer', 'shippingFee', 'originalShippingFee', 'shippingSellerDiscount', 'shippingPlatformDiscount', 'retailDeliveryFee',
  'taxes', 'orderAmount', 'orderRefund', 'createdTime', 'paidTime', 'rtsTime', 'shippedTime', 'deliveredTime', 'cancelledTime',
  'cancelBy', 'cancelReason', 'fulfillmentType',
] as const;
const ORDER_LEVEL_AMOUNTS = new Set<string>(['shippingFee', 'originalShippingFee', 'shippingSellerDiscount', 'shippingPlatformDiscount', 'retailDeliveryFee', 'taxes', 'orderAmount', 'orderRefund']);
const ORDER_LEVEL_TIMES = new Set<string>(['createdTime', 'paidTime', 'rtsTime', 'shippedTime', 'deliveredTime', 'cancelledTime']);

// ---------------------------------------------------------------- value maps

const norm = (s: string): string => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** Order export "Order Status" (normalized) → core status. */
const ORDER_STATUS: Record<string, OrderStatus> = {
  unpaid: 'UNPAID', onhold: 'ON_HOLD', awaitingshipment: 'AWAITING_SHIPMENT', toship: 'AWAITING_SHIPMENT',
  partiallyshipping: 'PARTIALLY_SHIPPING', awaitingcollection: 'AWAITING_COLLECTION', readytoship: 'AWAITING_COLLECTION',
  shipped: 'IN_TRANSIT', intransit: 'IN_TRANSIT', delivered: 'DELIVERED', completed: 'COMPLETED',
  cancelled: 'CANCELLED', canceled: 'CANCELLED',
};

/**
 * Statement "Type" (normalized) → core transaction type. "Refund" rows are the negative
 * transactions of an order (the API files them as ORDER too). Choices where the export's type
 * has no API twin: "Shipping insurance compensation" → LOGISTICS_REIMBURSEMENT (money back for a
 * parcel lost or damaged in transit); "Additional Campaign Package" → OTHER_ADJUSTMENT.
 */
const TX_TYPES: Record<string, StatementTransactionType> = {
  order: 'ORDER', refund: 'ORDER', reserve: 'RESERVE',
  gmvpaymentfortiktokads: 'GMV_PAYMENT_FOR_ADS', gmvpaymentforads: 'GMV_PAYMENT_FOR_ADS',
  sampleshippingfee: 'SAMPLE_SHIPPING_FEE', cofundedcreatorrewards: 'COFUNDED_CREATOR_REWARDS',
  chargeback: 'CHARGE_BACK', platformreimbursement: 'PLATFORM_REIMBURSEMENT', tiktokshopreimbursement: 'PLATFORM_REIMBURSEMENT',
  logisticsreimbursement: 'LOGISTICS_REIMBURSEMENT', shippinginsurancecompensation: 'LOGISTICS_REIMBURSEMENT',
  shippingfeeadjustment: 'SHIPPING_FEE_ADJUSTMENT', fbtwarehouseservicefee: 'FBT_WAREHOUSE_SERVICE_FEE',
  platformpenalty: 'PLATFORM_PENALTY', rebate: 'REBATE', otheradjustment: 'OTHER_ADJUSTMENT',
  additionalcampaignpackage: 'OTHER_ADJUSTMENT',
};
const TX_TYPE_NAMES = ['Order', 'Refund', 'GMV Payment for TikTok Ads', 'Platform reimbursement', 'Logistics reimbursement',
  'Shipping insurance compensation', 'Other adjustment', 'Additional Campaign Package', 'Reserve', 'Sample shipping fee',
  'Co-funded creator rewards', 'Chargeback', 'Shipping fee adjustment', 'FBT warehouse service fee', 'Platform penalty', 'Rebate'];

/** Symbols and codes written next to amounts, by currency. Codes are matched case-insensitively. */
const CURRENCY_SYMBOLS: Record<string, string[]> = {
  USD: ['$', 'US$', 'USD'], GBP: ['£', 'GBP'], EUR: ['€', 'EUR'], CAD: ['$', 'CA$', 'C$', 'CAD'], AUD: ['$', 'A$', 'AU$', 'AUD'],
  MXN: ['$', 'MX$', 'MXN'], BRL: ['R$', 'BRL'], SGD: ['$', 'S$', 'SGD'], MYR: ['RM', 'MYR'], THB: ['฿', 'THB'], PHP: ['₱', 'PHP'],
  IDR: ['RP', 'IDR'], VND: ['₫', 'Đ', 'VND'], JPY: ['¥', '￥', 'JPY'], KRW: ['₩', 'KRW'], CNY: ['¥', 'CN¥', 'RMB', 'CNY'],
  HKD: ['HK$', '$', 'HKD'], TWD: ['NT$', '$', 'TWD'], SAR: ['SAR'], AED: ['AED'], PLN: ['ZŁ', 'PLN'], CZK: ['KČ', 'CZK'],
  HUF: ['FT', 'HUF'], SEK: ['KR', 'SEK'], DKK: ['KR', 'DKK'], NOK: ['KR', 'NOK'], CHF: ['CHF'], CLP: ['$', 'CLP'],
};
const SYMBOL_OWNERS = new Map<string, string[]>();
for (const [cur, syms] of Object.entries(CURRENCY_SYMBOLS)) {
  for (const s of syms) SYMBOL_OWNERS.set(s.toUpperCase(), [...(SYMBOL_OWNERS.get(s.toUpperCase()) ?? []), cur]);
}

// ---------------------------------------------------------------- sheet and row access

interface Located {
  spec: KindSpec;
  sheet: ExportSheet;
  headerIndex: number;
  /** key → column index */
  cols: Map<string, number>;
}

function matchColumns(spec: KindSpec, header: string[]): Map<string, number> {
  const byName = new Map<string, number>();
  header.forEach((h, i) => {
    const n = norm(h ?? '');
    if (n && !byName.has(n)) byName.set(n, i);
  });
  const cols = new Map<string, number>();
  for (const col of spec.cols) {
    for (const name of col.names) {
      const i = byName.get(norm(name));
      if (i !== undefined) {
        cols.set(col.key, i);
        break;
      }
    }
  }
  return cols;
}

const quoteList = (names: string[]) => names.map((n) => `"${n}"`).join(', ');

class SheetReader {
  constructor(readonly file: string, readonly loc: Located, readonly shop: ShopInfo) {}

  get sheetName(): string {
    return this.loc.sheet.name;
  }

  header(key: string): string {
    const i = this.loc.cols.get(key);
    if (i !== undefined) return (this.loc.sheet.rows[this.loc.headerIndex][i] ?? '').trim();
    return this.loc.spec.cols.find((x) => x.key === key)?.names[0] ?? key;
  }

  has(key: string): boolean {
    return this.loc.cols.has(key);
  }

  /** Data rows with their 1-based row numbers, skipping blank rows and a field-description row. */
  dataRows(keyColumn: string): { cells: string[]; rowNo: number }[] {
    const rows = this.loc.sheet.rows;
    const out: { cells: string[]; rowNo: number }[] = [];
    for (let r = this.loc.headerIndex + 1; r < rows.length; r++) {
      const cells = rows[r] ?? [];
      if (cells.every((x) => (x ?? '').trim() === '')) continue;
      if (r === this.loc.headerIndex + 1 && isDescriptionRow(cells, (cells[this.loc.cols.get(keyColumn) ?? -1] ?? '').trim())) continue;
      out.push({ cells, rowNo: r + 1 });
    }
    return out;
  }

  row(cells: string[], rowNo: number): RowReader {
    return new RowReader(this, cells, rowNo);
  }
}

/**
 * Row 2 of an order export may hold TikTok's field descriptions. It is recognised by its
 * cells being prose, not values: the key cell (an id) holds spaces, and at least half of the
 * non-empty cells are texts of three or more words.
 */
function isDescriptionRow(cells: string[], keyCell: string): boolean {
  if (!/\s/.test(keyCell)) return false;
  const filled = cells.map((x) => (x ?? '').trim()).filter((x) => x !== '');
  const prose = filled.filter((x) => x.split(/\s+/).length >= 3);
  return prose.length * 2 >= filled.length;
}

class RowReader {
  constructor(readonly sheet: SheetReader, readonly cells: string[], readonly rowNo: number) {}

  text(key: string): string {
    const i = this.sheet.loc.cols.get(key);
    return i === undefined ? '' : (this.cells[i] ?? '').trim();
  }

  fail(key: string, expected: string, found?: string): never {
    const column = this.sheet.header(key);
    const shown = found === undefined ? this.text(key) : found;
    throw new ImportError(
      `File "${this.sheet.file}", sheet "${this.sheet.sheetName}", row ${this.rowNo}, column "${column}": expected ${expected}, found ${showValue(shown)}.`,
      { file: this.sheet.file, sheet: this.sheet.sheetName, row: this.rowNo, column },
    );
  }

  required(key: string, what: string): string {
    const t = this.text(key);
    if (t === '') this.fail(key, what);
    return t;
  }

  amount(key: string, required = false): number {
    const t = this.text(key);
    if (t === '') {
      if (required) this.fail(key, `an amount in ${this.sheet.shop.currency}`);
      return 0;
    }
    return parseMoneyCell(t, this.sheet.shop.currency, (expected) => this.fail(key, expected));
  }

  /** Sum of several optional amount columns (absent/empty → 0). */
  amounts(...keys: string[]): number {
    return keys.reduce((s, k) => s + this.amount(k), 0);
  }

  time(key: string, tz: string, required = false): number | null {
    const t = this.text(key);
    if (t === '') {
      if (required) this.fail(key, 'a date and time');
      return null;
    }
    const v = parseTimeCell(t, tz);
    if (v === null) this.fail(key, 'a date and time like "2025-03-04 13:45:10", "03/04/2025 1:45:10 PM", "2025/03/04" or an Excel serial like "45720.57"');
    return v;
  }

  count(key: string, min: number): number {
    const t = this.text(key);
    if (!/^[+-]?\d+$/.test(t.replace(/,/g, ''))) this.fail(key, 'a whole number');
    const n = Number(t.replace(/,/g, ''));
    if (n < 0) this.fail(key, 'a quantity that is not negative');
    if (n < min) this.fail(key, `a whole number of at least ${min}`);
    return n;
  }

  /** The Currency column, when present, must be the shop currency. */
  checkCurrency(): void {
    const t = this.text('currency');
    if (t !== '' && t.toUpperCase() !== this.sheet.shop.currency) this.fail('currency', `the shop currency ${this.sheet.shop.currency}`);
  }
}

// ---------------------------------------------------------------- cell parsers

const NUMBER_PART = /^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$/;

/** Parses an amount cell (see the formats at the top); `fail(expected)` throws. */
export function parseMoneyCell(text: string, currency: string, fail: (expected: string) => never): number {
  let s = text.trim();
  let negative = false;
  const paren = /^\((.*)\)$/.exec(s);
  if (paren) {
    s = paren[1].trim();
    negative = true;
  }
  const m = /^([+-]?)\s*([^\d\s.,+-]*)\s*([+-]?)\s*([\d.,]+)\s*([^\d\s.,+-]*)$/u.exec(s);
  const plain = `an amount in ${currency} like "12.34", "1,234.56" or "${(CURRENCY_SYMBOLS[currency] ?? [currency])[0]}12.34"`;
  if (!m) return fail(plain);
  const [, sign1, prefix, sign2, num, suffix] = m;
  if (sign1 && sign2) return fail(plain);
  for (const sym of [prefix, suffix]) {
    if (!sym) continue;
    const up = sym.toUpperCase();
    const allowed = (CURRENCY_SYMBOLS[currency] ?? [currency]).map((x) => x.toUpperCase());
    if (allowed.includes(up)) continue;
    const owners = SYMBOL_OWNERS.get(up);
    if (owners) return fail(`an amount in the shop currency ${currency} (${sym} is the symbol of ${owners.join('/')})`);
    return fail(plain);
  }
  if (prefix && suffix) return fail(plain);
  const nm = NUMBER_PART.exec(num);
  if (!nm) return fail(plain);
  if (negative && (sign1 || sign2)) return fail(plain);
  const decimal = nm[1].replace(/,/g, '') + (nm[2] ?? '');
  const minus = negative || sign1 === '-' || sign2 === '-';
  try {
    return parseAmount((minus ? '-' : '') + decimal, currency, { record: 'cell', field: 'amount' });
  } catch (e) {
    if (e instanceof DataError) return fail(e.location.expected);
    throw e;
  }
}

const ISO_TIME = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/;
const US_TIME = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ ,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/;
const SERIAL = /^\d+(?:\.\d+)?$/;

/** Wall-clock fields in `tz` → Unix seconds; null when the fields are not a real date/time. */
function civilToUnix(y: number, mo: number, d: number, h: number, mi: number, s: number, tz: string): number | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  const local = ms / 1000;
  // Same two-step correction as core startOfDay: exact on both sides of a DST change.
  let guess = local - offsetSeconds(local, tz);
  guess = local - offsetSeconds(guess, tz);
  return guess;
}

/** Parses a date/time cell as wall-clock time in `tz` (formats at the top); null if not one. */
export function parseTimeCell(text: string, tz: string): number | null {
  const t = text.trim();
  let m = ISO_TIME.exec(t);
  let y: number, mo: number, d: number;
  if (m) {
    [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  } else if ((m = US_TIME.exec(t))) {
    [mo, d, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  } else if (SERIAL.test(t)) {
    const total = Math.round(Number(t) * 86400);
    const days = Math.floor(total / 86400);
    if (days < 1 || days > 2958465) return null;
    const sec = total - days * 86400;
    const date = new Date((days - 25569) * 86400 * 1000);
    return civilToUnix(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), Math.floor(sec / 3600), Math.floor((sec % 3600) / 60), sec % 60, tz);
  } else {
    return null;
  }
  let h = m[4] === undefined ? 0 : Number(m[4]);
  const mi = m[5] === undefined ? 0 : Number(m[5]);
  const s = m[6] === undefined ? 0 : Number(m[6]);
  const ampm = m[7]?.toUpperCase();
  if (ampm) {
    if (h < 1 || h > 12) return null;
    h = (h % 12) + (ampm === 'PM' ? 12 : 0);
  }
  return civilToUnix(y, mo, d, h, mi, s, tz);
}

// ---------------------------------------------------------------- detection

function fileError(file: string, message: string, loc: Partial<ImportErrorLocation> = {}): ImportError {
  return new ImportError(message, { file, ...loc });
}

function locate(fileName: string, sheets: ExportSheet[]): Located[] {
  const found: Located[] = [];
  let closest: { spec: KindSpec; sheet: ExportSheet; headerIndex: number; missing: string[]; score: number } | null = null;
  for (const sheet of sheets) {
    let best: Located | null = null;
    for (const headerIndex of [0, 1]) {
      const header = sheet.rows[headerIndex];
      if (!header) continue;
      for (const spec of SPECS) {
        const cols = matchColumns(spec, header);
        const required = spec.cols.filter((x) => x.required);
        const missing = required.filter((x) => !cols.has(x.key)).map((x) => x.names[0]);
        const score = (required.length - missing.length) / required.length;
        if (!closest || score > closest.score) closest = { spec, sheet, headerIndex, missing, score };
        if (best) continue;
        if (spec.cols.filter((x) => x.sig).every((x) => cols.has(x.key))) {
          if (missing.length > 0) {
            throw fileError(fileName,
              `File "${fileName}", sheet "${sheet.name}", row ${headerIndex + 1}: this looks like ${spec.label} but is missing required column${missing.length > 1 ? 's' : ''} ${quoteList(missing)}.`,
              { sheet: sheet.name, row: headerIndex + 1 });
          }
          best = { spec, sheet, headerIndex, cols };
        }
      }
      if (best) break;
    }
    if (best) found.push(best);
  }
  if (found.length === 0) {
    // A reserve sheet is never a file on its own, so it is not offered as one.
    const kinds = SPECS.filter((s) => s.kind !== 'reserves').map((s) => s.label).join('; ');
    const near = closest && closest.score > 0
      ? ` Closest: ${closest.spec.label} (sheet "${closest.sheet.name}", header row ${closest.headerIndex + 1}), missing ${quoteList(closest.missing)}.`
      : ' No sheet has any of their columns.';
    throw fileError(fileName, `File "${fileName}" is not a Seller Center export this add-on reads. Looked for: ${kinds}.${near}`);
  }
  const primary = found.filter((f) => !COMPANION[f.spec.kind]);
  const kinds = new Set(primary.map((f) => f.spec.kind));
  if (kinds.size > 1) {
    const desc = primary.map((f) => `${f.spec.label} (sheet "${f.sheet.name}")`).join(' and ');
    throw fileError(fileName, `File "${fileName}" holds ${desc}: import them as separate files.`);
  }
  for (const f of found) {
    const main = COMPANION[f.spec.kind];
    if (!main || kinds.has(main)) continue;
    const mainLabel = SPECS.find((x) => x.kind === main)!.label;
    if (primary.length > 0) {
      throw fileError(fileName, `File "${fileName}" holds ${f.spec.label} (sheet "${f.sheet.name}") next to ${primary[0].spec.label}: it belongs with ${mainLabel}; import them separately.`, { sheet: f.sheet.name });
    }
    // Withdrawal records may come alone (they are payouts on their own); reserves need their statements.
    if (f.spec.kind === 'reserves') {
      throw fileError(fileName, `File "${fileName}" holds only ${f.spec.label}: import the whole statement workbook, whose "Order details" sheet holds the statements these reserves belong to.`, { sheet: f.sheet.name });
    }
  }
  return found;
}

/** Companion sheet kind → the main kind it must come with. */
const COMPANION: Partial<Record<SheetKind, ExportKind>> = { withdrawals: 'income_sea', reserves: 'statement_us' };

// ---------------------------------------------------------------- import

/**
 * Imports one Seller Center export (all of its sheets). Throws ImportError on the first problem.
 */
export function importExport(fileName: string, sheets: ExportSheet[], shop: ShopInfo): ImportResult {
  const located = locate(fileName, sheets);
  const readers = located.map((l) => new SheetReader(fileName, l, shop));
  const kind: ExportKind = (located.find((l) => !COMPANION[l.spec.kind])?.spec.kind ?? 'income_sea') as ExportKind;
  const of = (k: SheetKind) => readers.filter((r) => r.loc.spec.kind === k);
  let result: Imported;
  try {
    if (kind === 'orders') result = importOrders(readers);
    else if (kind === 'statement_us') result = importStatementUs(of('statement_us'), of('reserves'));
    else result = importIncomeSea(of('income_sea'), of('withdrawals'));
  } catch (e) {
    if (e instanceof DataError) throw fileError(fileName, `File "${fileName}": ${e.message}`);
    throw e;
  }
  let min: number | null = null;
  let max: number | null = null;
  for (const t of result.times) {
    if (min === null || t < min) min = t;
    if (max === null || t > max) max = t;
  }
  return {
    kind,
    rows: result.rows,
    from: min === null ? null : dayKey(min, shop.timezone),
    to: max === null ? null : dayKey(max, shop.timezone),
    data: result.data,
    notes: [...unreadSheetNotes(fileName, sheets, located, kind), ...(result.notes ?? [])],
  };
}

interface Imported {
  rows: number;
  times: number[];
  data: Partial<ShopData>;
  notes?: string[];
}

/**
 * Sheets of the file that were not read although their name says they hold money this add-on
 * uses (a reserve or withdrawal sheet whose columns are not the ones it knows) — said, not
 * skipped in silence. Summary, Reports and Adjustments sheets repeat the main sheet and are not
 * mentioned.
 */
function unreadSheetNotes(fileName: string, sheets: ExportSheet[], located: Located[], kind: ExportKind): string[] {
  const read = new Set(located.map((l) => l.sheet));
  const notes: string[] = [];
  for (const sheet of sheets) {
    if (read.has(sheet)) continue;
    const spec = /reserve/i.test(sheet.name) ? SPECS.find((x) => x.kind === 'reserves')!
      : /withdraw/i.test(sheet.name) ? SPECS.find((x) => x.kind === 'withdrawals')! : null;
    if (!spec) continue;
    const wanted = spec.cols.filter((x) => x.required).map((x) => x.names[0]);
    notes.push(`Sheet "${sheet.name}" of ${fileName} was not read: its header does not have the columns ${quoteList(wanted)}, so its amounts are not imported.`);
  }
  if (kind === 'statement_us' && !located.some((l) => l.spec.kind === 'reserves')) {
    notes.push(`${fileName} has no "Reserve Details" sheet (a CSV export holds "Order details" only), so reserves withheld and released are not imported: the Reconciliation shows them as unexplained until the statement's .xlsx is imported.`);
  }
  return notes;
}

/**
 * The part of the transactions' fee total ("Fees" / "Total fees") that no fee column of the file
 * breaks down (e.g. a Campaign service fee, or a fee of a program the file has no column for).
 * Nothing is lost — the engine books it as other platform fees — but the seller is told.
 */
function unexplainedFeeNote(fileName: string, transactions: StatementTransaction[], currency: string): string[] {
  let rows = 0;
  let total = 0;
  for (const t of transactions) {
    const unexplained = unexplainedFeeAmount(t.fees, t.feeTaxAmount);
    if (unexplained !== 0) {
      rows++;
      total += unexplained;
    }
  }
  if (rows === 0) return [];
  return [`On ${rows} row${rows === 1 ? '' : 's'} of ${fileName}, the fee total is not fully broken down by the fee columns this add-on reads (${formatAmount(total, currency)} ${currency} in all): that part is counted as other platform fees.`];
}

// ---------------------------------------------------------------- order export

/**
 * Order export mapping (one row per SKU; order-level columns repeat and must agree, else an
 * error naming both rows):
 * - orderId = Order ID; buyerId = Buyer Username (the export has no user_id; a blank username
 *   falls back to `order:{orderId}`, i.e. that order counts as its own buyer).
 * - status = Order Status ("Unpaid", "On hold", "Awaiting shipment"/"To ship", "Partially
 *   shipping", "Awaiting collection"/"Ready to ship", "Shipped"/"In transit", "Delivered",
 *   "Completed", "Cancelled"/"Canceled"); anything else is an error.
 * - createTime = Created Time (required); paidTime / deliveryTime / cancelTime = Paid / Delivered /
 *   Cancelled Time (blank → null); updateTime (absent from the export) = the latest of Created,
 *   Paid, RTS, Shipped, Delivered and Cancelled Time present.
 * - fulfillmentType from Fulfillment Type (text mentioning TikTok → FULFILLMENT_BY_TIKTOK,
 *   Dilayani/Tokopedia → …_DILAYANI_TOKOPEDIA, otherwise or absent → FULFILLMENT_BY_SELLER).
 * - isSample: the export has no sample marker; an order whose every line has an original price of
 *   0 is a free sample sent to a creator (a discount, even 100%, leaves the original price), so
 *   it is one. sampleCreator = null (the file does not say which creator asked for it).
 * - shippingFee = Shipping Fee After Discount; originalShippingFee = Original Shipping Fee, or when
 *   absent shippingFee + both shipping discounts (as the API mapping); shipping discounts =
 *   Shipping Fee Seller / Platform Discount; tax = Taxes; totalAmount = Order Amount. Retail
 *   Delivery Fee is checked for agreement but has no field of its own (it is in Order Amount).
 * - Lines: lineId = `{orderId}-{skuId}` (a second row of the same SKU in one order gets `-2`, `-3`
 *   in file order); productId = Product ID when the file has it, else the SKU ID (the export has
 *   no product id); sellerSku = Seller SKU; productName = Product Name; skuName = Variation;
 *   quantity = Quantity (≥ 1); originalPrice = SKU Subtotal Before Discount; sellerDiscount /
 *   platformDiscount = SKU Seller / Platform Discount; salePrice = SKU Subtotal After Discount.
 *   cancelled = the order is CANCELLED, or the row's Cancelation/Return Type is "Cancel".
 * - Cancellation (when the order is CANCELLED or has a cancelled line): cancelId =
 *   `{orderId}-cancel`, cancelType = "CANCEL", status CANCELLATION_REQUEST_COMPLETE, role = Cancel
 *   By, reason = Cancel Reason, create/update time = Cancelled Time (else the order's update
 *   time), refundTotal = Order Refund Amount (blank → 0), lineIds = the cancelled lines.
 */
function importOrders(readers: SheetReader[]): Imported {
  const orders: Order[] = [];
  const lines: OrderLine[] = [];
  const cancellations: Cancellation[] = [];
  const byId = new Map<string, { first: RowReader; values: Map<string, number | string | null>; lines: OrderLine[]; order?: Order }>();
  const orderIds: string[] = [];
  let rows = 0;
  for (const sheet of readers) {
    const currency = sheet.shop.currency;
    const tz = sheet.shop.timezone;
    for (const { cells, rowNo } of sheet.dataRows('orderId')) {
      rows++;
      const r = sheet.row(cells, rowNo);
      const orderId = r.required('orderId', 'an order ID');
      // Parse every order-level value of this row, then compare with the order's first row.
      const values = new Map<string, number | string | null>();
      for (const key of ORDER_LEVEL) {
        if (ORDER_LEVEL_AMOUNTS.has(key)) values.set(key, r.amount(key, key === 'orderAmount' || key === 'shippingFee'));
        else if (ORDER_LEVEL_TIMES.has(key)) values.set(key, r.time(key, tz, key === 'createdTime'));
        else values.set(key, r.text(key));
      }
      let entry = byId.get(orderId);
      if (!entry) {
        entry = { first: r, values, lines: [] };
        byId.set(orderId, entry);
        orderIds.push(orderId);
      } else {
        for (const key of ORDER_LEVEL) {
          if (entry.values.get(key) !== values.get(key)) {
            const column = sheet.header(key);
            const a = entry.first;
            const where = a.sheet === sheet ? `rows ${a.rowNo} and ${rowNo}` : `row ${a.rowNo} of sheet "${a.sheet.sheetName}" and row ${rowNo}`;
            throw new ImportError(
              `File "${sheet.file}", sheet "${sheet.sheetName}", ${where} (order ${orderId}), column "${column}": an order-level value repeats on every SKU row of the order and must agree, found ${showValue(a.text(key))} on row ${a.rowNo} and ${showValue(r.text(key))} on row ${rowNo}.`,
              { file: sheet.file, sheet: sheet.sheetName, row: rowNo, column },
            );
          }
        }
      }
      const statusText = r.text('status');
      const status = ORDER_STATUS[norm(statusText)];
      if (!status) r.fail('status', 'an order status (Unpaid, On hold, Awaiting shipment, Awaiting collection, In transit, Delivered, Completed or Cancelled)');
      const skuId = r.required('skuId', 'a SKU ID');
      const base = `${orderId}-${skuId}`;
      const n = entry.lines.filter((l) => l.skuId === skuId).length;
      const cancelType = norm(r.text('cancelType'));
      const line = validate(OrderLineSchema, {
        lineId: n === 0 ? base : `${base}-${n + 1}`,
        orderId,
        skuId,
        productId: r.text('productId') || skuId,
        sellerSku: r.text('sellerSku'),
        productName: r.text('productName'),
        skuName: r.text('variation'),
        currency,
        quantity: r.count('quantity', 1),
        originalPrice: nonNegative(r, 'subtotalBefore', r.amount('subtotalBefore', true)),
        sellerDiscount: nonNegative(r, 'sellerDiscount', r.amount('sellerDiscount')),
        platformDiscount: nonNegative(r, 'platformDiscount', r.amount('platformDiscount')),
        salePrice: nonNegative(r, 'subtotalAfter', r.amount('subtotalAfter', true)),
        cancelled: status === 'CANCELLED' || cancelType === 'cancel' || cancelType === 'cancellation',
      } satisfies OrderLine, r, 'order line');
      entry.lines.push(line);
      lines.push(line);
    }
  }
  const times: number[] = [];
  for (const orderId of orderIds) {
    const e = byId.get(orderId)!;
    const r = e.first;
    const v = (k: string) => e.values.get(k);
    const num = (k: string) => v(k) as number;
    const tm = (k: string) => v(k) as number | null;
    const createTime = num('createdTime');
    const present = ['createdTime', 'paidTime', 'rtsTime', 'shippedTime', 'deliveredTime', 'cancelledTime'].map(tm).filter((x): x is number => x !== null);
    const updateTime = Math.max(...present);
    const status = ORDER_STATUS[norm(v('status') as string)];
    const ft = norm(v('fulfillmentType') as string);
    const fulfillmentType = ft.includes('dilayani') || ft.includes('tokopedia') ? FULFILLMENT_TYPES[2]
      : ft.includes('tiktok') || ft === 'fbt' ? FULFILLMENT_TYPES[1] : FULFILLMENT_TYPES[0];
    const shippingFee = nonNegative(r, 'shippingFee', num('shippingFee'));
    const shipSeller = nonNegative(r, 'shippingSellerDiscount', num('shippingSellerDiscount'));
    const shipPlatform = nonNegative(r, 'shippingPlatformDiscount', num('shippingPlatformDiscount'));
    const order = validate(OrderSchema, {
      orderId,
      buyerId: (v('buyer') as string) || `order:${orderId}`,
      status,
      currency: r.sheet.shop.currency,
      createTime,
      updateTime,
      paidTime: tm('paidTime'),
      cancelTime: tm('cancelledTime'),
      deliveryTime: tm('deliveredTime'),
      fulfillmentType,
      isSample: e.lines.length > 0 && e.lines.every((l) => l.originalPrice === 0),
      sampleCreator: null,
      originalShippingFee: r.sheet.has('originalShippingFee') ? nonNegative(r, 'originalShippingFee', num('originalShippingFee')) : shippingFee + shipSeller + shipPlatform,
      shippingSellerDiscount: shipSeller,
      shippingPlatformDiscount: shipPlatform,
      shippingFee,
      tax: nonNegative(r, 'taxes', num('taxes')),
      totalAmount: nonNegative(r, 'orderAmount', num('orderAmount')),
    } satisfies Order, r, 'order');
    orders.push(order);
    times.push(createTime);
    const cancelledLines = e.lines.filter((l) => l.cancelled);
    if (status === 'CANCELLED' || cancelledLines.length > 0) {
      const t = tm('cancelledTime') ?? updateTime;
      cancellations.push(validate(CancellationSchema, {
        cancelId: `${orderId}-cancel`,
        orderId,
        cancelType: 'CANCEL',
        status: 'CANCELLATION_REQUEST_COMPLETE',
        role: v('cancelBy') as string,
        reason: v('cancelReason') as string,
        currency: r.sheet.shop.currency,
        createTime: t,
        updateTime: t,
        refundTotal: nonNegative(r, 'orderRefund', num('orderRefund')),
        lineIds: cancelledLines.map((l) => l.lineId),
      } satisfies Cancellation, r, 'cancellation'));
    }
  }
  return { rows, times, data: { orders, lines, cancellations } };
}

function nonNegative(r: RowReader, key: string, v: number): number {
  if (v < 0) r.fail(key, 'an amount that is not negative');
  return v;
}

/** Final check against the core schema; any failure names the row (should not happen after the cell checks). */
function validate<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: readonly unknown[] } } },
  value: T,
  r: RowReader,
  what: string,
): T {
  const res = schema.safeParse(value);
  if (res.success) return res.data;
  const issue = res.error.issues[0] as { path: PropertyKey[]; message?: string };
  const field = issue.path.map(String).join('.');
  throw new ImportError(
    `File "${r.sheet.file}", sheet "${r.sheet.sheetName}", row ${r.rowNo}: the ${what} built from this row is not valid (field "${field}": ${issue.message ?? 'invalid'}).`,
    { file: r.sheet.file, sheet: r.sheet.sheetName, row: r.rowNo },
  );
}

// ---------------------------------------------------------------- statements (shared)

function txType(r: RowReader): StatementTransactionType {
  const t = r.required('type', 'a transaction type');
  const direct = (STATEMENT_TYPE_SET.has(t.toUpperCase()) ? t.toUpperCase() : undefined) as StatementTransactionType | undefined;
  const type = TX_TYPES[norm(t)] ?? direct;
  if (!type) r.fail('type', `a known statement type (${TX_TYPE_NAMES.join(', ')})`);
  return type;
}
const STATEMENT_TYPE_SET = new Set<string>(StatementTransactionSchema.shape.type.options as readonly string[]);

/**
 * The revenue, shipping and fee breakdown of a statement row; both statement kinds name these
 * columns with the same keys (SPECS). actualShippingFee = the actual (US: TikTok Shop) shipping
 * fee + the FBT shipping fee where the file has one; a missing column reads as 0.
 */
function breakdownOf(r: RowReader): Pick<StatementTransaction,
  'subtotalBeforeDiscount' | 'refundSubtotalBeforeDiscount' | 'sellerDiscount' | 'sellerDiscountRefund' | 'customerPaidShippingFee' | 'actualShippingFee' | 'fees'> {
  return {
    subtotalBeforeDiscount: r.amount('subtotalBefore'),
    refundSubtotalBeforeDiscount: r.amount('refundSubtotalBefore'),
    sellerDiscount: r.amount('sellerDiscount'),
    sellerDiscountRefund: r.amount('sellerDiscountRefund'),
    customerPaidShippingFee: r.amounts('customerShipping', 'customerShippingRefund'),
    actualShippingFee: r.amounts('actualShipping', 'fbtShippingFee'),
    fees: fees(r),
  };
}

function fees(r: RowReader): Partial<Record<FeeField, number>> {
  const out: Partial<Record<FeeField, number>> = {};
  FEE_COLUMNS.forEach((f, i) => {
    const key = `fee${i}`;
    if (!r.sheet.has(key) || r.text(key) === '') return;
    out[f.field] = (out[f.field] ?? 0) + r.amount(key);
  });
  return out;
}

/** `{statement}:{TYPE}:{order}:{adjustment}` (+ `:{sku}` for SKU rows) as the API mapping, `#n` for repeats in file order. */
function transactionKey(seen: Map<string, number>, statementId: string, type: string, orderId: string | null, adjustmentId: string | null, skuId: string | null): string {
  const id = `${statementId}:${type}:${orderId ?? ''}:${adjustmentId ?? ''}`;
  return uniqueKey(seen, skuId ? `${id}:${skuId}` : id);
}

function statementOf(statementId: string, statementTime: number, currency: string, txs: StatementTransaction[], paymentStatus: Statement['paymentStatus'], paymentId: string | null): Statement {
  const sum = (f: (t: StatementTransaction) => number) => txs.reduce((s, t) => s + f(t), 0);
  return {
    statementId, statementTime, currency,
    settlementAmount: sum((t) => t.settlementAmount),
    revenueAmount: sum((t) => t.revenueAmount),
    feeAmount: sum((t) => t.feeTaxAmount),
    adjustmentAmount: sum((t) => t.adjustmentAmount),
    shippingCostAmount: sum((t) => t.shippingCostAmount),
    netSalesAmount: sum((t) => t.revenueAmount),
    paymentStatus, paymentId,
  };
}

function paymentStatusOf(r: RowReader, key: string): Statement['paymentStatus'] {
  const s = norm(r.text(key));
  if (['paid', 'settled', 'completed', 'success', 'successful'].includes(s)) return 'PAID';
  if (['failed', 'rejected'].includes(s)) return 'FAILED';
  if (['', 'processing', 'pending', 'unpaid', 'notpaid', 'onhold', 'inreview'].includes(s)) return 'PROCESSING';
  return r.fail(key, 'a payment status (Paid, Processing, Pending or Failed)');
}

// ---------------------------------------------------------------- US statement

/**
 * US statement "Order details" mapping (one row per SKU of an order, or per adjustment):
 * - statementId = Statement ID; statementTime = Statement date (UTC) at 00:00 UTC.
 * - type from Type (TX_TYPES); orderId = Order/adjustment ID for ORDER rows, else Related order ID
 *   (blank → null); adjustmentId = Order/adjustment ID for adjustments, else null; skuId = SKU ID.
 * - transactionId = `{statement}:{TYPE}:{order}:{adjustment}` (+ `:{sku}`) — the same key the API
 *   mapping gives — with `#2`, `#3` for repeats in file order (e.g. a "Refund" row of a SKU
 *   settled on the same statement).
 * - settlementAmount = Total settlement amount (required); revenueAmount = Net sales;
 *   shippingCostAmount = Shipping; feeTaxAmount = Fees; adjustmentAmount = Adjustment amount.
 *   subtotalBeforeDiscount / refundSubtotalBeforeDiscount / sellerDiscount / sellerDiscountRefund =
 *   Gross sales / Gross sales refund / Seller discount / Seller discount refund;
 *   customerPaidShippingFee = Customer-paid shipping fee + its refund; actualShippingFee = TikTok
 *   Shop shipping fee + FBT shipping fee (informational); fees per FEE_COLUMNS; reserveAmount = 0
 *   (reserves are on the "Reserve Details" sheet, see readReserves). Signs are kept as the file gives them (costs negative).
 * - Statement (one per Statement ID): totals = sums of its transactions; paymentId = Payment ID
 *   (blank → null); paymentStatus from Status (Paid → PAID, Failed → FAILED, blank/Processing/
 *   Pending → PROCESSING). Rows of one statement must agree on date and Payment ID.
 */
function importStatementUs(readers: SheetReader[], reserveSheets: SheetReader[]): Imported {
  const transactions: StatementTransaction[] = [];
  const stmts = new Map<string, UsStatement>();
  const seen = new Map<string, number>();
  let rows = 0;
  for (const sheet of readers) {
    const currency = sheet.shop.currency;
    for (const { cells, rowNo } of sheet.dataRows('id')) {
      rows++;
      const r = sheet.row(cells, rowNo);
      r.checkCurrency();
      const statementId = r.required('statementId', 'a statement ID');
      const statementTime = r.time('statementDate', 'UTC', true)!;
      const paymentId = r.text('paymentId') || null;
      const status = paymentStatusOf(r, 'status');
      const type = txType(r);
      const ref = r.required('id', 'an order or adjustment ID');
      const orderId = type === 'ORDER' ? ref : r.text('relatedOrderId') || null;
      const adjustmentId = type === 'ORDER' ? null : ref;
      const skuId = r.text('skuId') || null;
      const tx = validate(StatementTransactionSchema, {
        transactionId: transactionKey(seen, statementId, type, orderId, adjustmentId, skuId),
        statementId, statementTime, currency, type, orderId, adjustmentId, skuId,
        settlementAmount: r.amount('settlement', true),
        revenueAmount: r.amount('netSales'),
        shippingCostAmount: r.amount('shipping'),
        feeTaxAmount: r.amount('fees'),
        adjustmentAmount: r.amount('adjustment'),
        ...breakdownOf(r),
        reserveAmount: 0,
      } satisfies StatementTransaction, r, 'statement transaction');
      transactions.push(tx);
      const s = stmts.get(statementId);
      if (!s) {
        stmts.set(statementId, { time: statementTime, paymentId, status, currency, txs: [tx], first: r });
      } else {
        if (s.time !== statementTime) r.fail('statementDate', `the same date as row ${s.first.rowNo} of statement ${statementId} (${s.first.text('statementDate')})`);
        if (s.paymentId !== paymentId) r.fail('paymentId', `the same Payment ID as row ${s.first.rowNo} of statement ${statementId} (${s.first.text('paymentId') || 'blank'})`);
        s.txs.push(tx);
      }
    }
  }
  rows += readReserves(reserveSheets, transactions, stmts);
  const statements = [...stmts.entries()].map(([id, s]) => statementOf(id, s.time, s.currency, s.txs, s.status, s.paymentId));
  const file = readers[0]?.file ?? reserveSheets[0]?.file ?? '';
  return {
    rows, times: transactions.map((t) => t.statementTime), data: { statements, transactions },
    notes: unexplainedFeeNote(file, transactions, readers[0]?.shop.currency ?? ''),
  };
}

type UsStatement = { time: number; paymentId: string | null; status: Statement['paymentStatus']; currency: string; txs: StatementTransaction[]; first: RowReader };

/**
 * "Reserve Details" rows → the reserve part of RESERVE transactions (the API's reserve_amount):
 * - key as the Order details mapping gives a RESERVE row: `{statement}:RESERVE::{Reserve ID}`
 *   (`#n` for repeats), so a reserve row of "Order details" with the same Reserve ID (if a file
 *   has one) receives its amount instead of being counted twice;
 * - otherwise a new RESERVE transaction (settlement 0, reserveAmount = Reserve amount) on its
 *   statement. A statement that has only reserve moves (a release day) is not on "Order details":
 *   it is built from this sheet's Statement date (UTC), Payment ID and Status, which must then be
 *   there; for a statement on both sheets they must agree.
 * Returns the number of rows read.
 */
function readReserves(sheets: SheetReader[], transactions: StatementTransaction[], stmts: Map<string, UsStatement>): number {
  const byKey = new Map(transactions.map((t) => [t.transactionId, t]));
  const seen = new Map<string, number>();
  let rows = 0;
  for (const sheet of sheets) {
    const currency = sheet.shop.currency;
    for (const { cells, rowNo } of sheet.dataRows('reserveId')) {
      rows++;
      const r = sheet.row(cells, rowNo);
      r.checkCurrency();
      const statementId = r.required('statementId', 'a statement ID');
      const reserveId = r.required('reserveId', 'a reserve ID');
      const reserveAmount = r.amount('reserveAmount', true);
      const date = r.time('statementDate', 'UTC');
      let s = stmts.get(statementId);
      if (!s) {
        const time = date ?? r.fail('statementDate', `the statement's date: statement ${statementId} has no row on "Order details", so this sheet must date it`);
        s = { time, paymentId: r.text('paymentId') || null, status: paymentStatusOf(r, 'status'), currency, txs: [], first: r };
        stmts.set(statementId, s);
      } else {
        if (date !== null && date !== s.time) r.fail('statementDate', `the date of statement ${statementId} on sheet "${s.first.sheet.sheetName}" (row ${s.first.rowNo}: ${s.first.text('statementDate')})`);
        if (sheet.has('paymentId') && (r.text('paymentId') || null) !== s.paymentId) {
          r.fail('paymentId', `the Payment ID of statement ${statementId} on sheet "${s.first.sheet.sheetName}" (row ${s.first.rowNo}: ${s.paymentId ?? 'blank'})`);
        }
      }
      const key = transactionKey(seen, statementId, 'RESERVE', null, reserveId, null);
      const existing = byKey.get(key);
      if (existing) {
        // The same object is in the statement's list: one update serves both.
        existing.reserveAmount += reserveAmount;
        continue;
      }
      const tx = validate(StatementTransactionSchema, {
        transactionId: key, statementId, statementTime: s.time, currency, type: 'RESERVE', orderId: null, adjustmentId: reserveId,
        skuId: null, settlementAmount: 0, revenueAmount: 0, shippingCostAmount: 0, feeTaxAmount: 0, adjustmentAmount: 0,
        subtotalBeforeDiscount: 0, refundSubtotalBeforeDiscount: 0, sellerDiscount: 0, sellerDiscountRefund: 0,
        customerPaidShippingFee: 0, actualShippingFee: 0, fees: {}, reserveAmount,
      } satisfies StatementTransaction, r, 'reserve transaction');
      byKey.set(key, tx);
      transactions.push(tx);
      s.txs.push(tx);
    }
  }
  return rows;
}

// ---------------------------------------------------------------- SEA income

/**
 * SEA "Income" mapping:
 * - The export has no statement id: one Statement per shop day of "Order settled time",
 *   statementId = `income-{YYYY-MM-DD}`, statementTime = start of that shop day; its totals are
 *   the sums of the file's transactions of that day (a file holding only part of a day gives a
 *   partial total — export whole days). paymentId = null; paymentStatus = PAID (income listed
 *   here has been settled to the seller's balance).
 * - Transaction statementTime = the row's Order settled time (shop-local → Unix seconds).
 * - type, orderId, adjustmentId, transactionId as the US statement (skuId = null: one row per order).
 * - revenueAmount = Total revenue; adjustmentAmount = Ajustment amount; shippingCostAmount =
 *   Seller shipping fee; feeTaxAmount = Total fees, minus Seller shipping fee when the row shows
 *   that "Total fees" already contains it (settlement = revenue + total fees + adjustment);
 *   otherwise Total fees as is. Breakdowns: Subtotal before discounts, Refund subtotal before
 *   seller discounts, Seller discounts, Refund of seller discounts, Customer shipping fee + Refund
 *   customer shipping fee, Actual shipping fee; fees per FEE_COLUMNS.
 * - Withdrawal records → Payout: paymentId = Reference ID, createTime = Request time, paidTime =
 *   Success time (blank → null), status (Successful/Success/Completed/Paid → PAID, Failed/Rejected
 *   → FAILED, Processing/Pending/In review → PROCESSING), amount = |Amount| (a withdrawal may be
 *   shown as a negative balance movement; the payout is what reaches the bank), settlementAmount =
 *   amount, reserveAmount = 0 (the sheet does not say which statements it pays). Only
 *   withdrawal rows are read; another Transaction type is an error naming it.
 */
function importIncomeSea(readers: SheetReader[], withdrawals: SheetReader[]): Imported {
  const transactions: StatementTransaction[] = [];
  const days = new Map<string, StatementTransaction[]>();
  const seen = new Map<string, number>();
  let rows = 0;
  let currency = '';
  let tz = '';
  for (const sheet of readers) {
    currency = sheet.shop.currency;
    tz = sheet.shop.timezone;
    for (const { cells, rowNo } of sheet.dataRows('id')) {
      rows++;
      const r = sheet.row(cells, rowNo);
      r.checkCurrency();
      const settled = r.time('settledTime', tz, true)!;
      const day = dayKey(settled, tz);
      const statementId = `income-${day}`;
      const type = txType(r);
      const ref = r.required('id', 'an order or adjustment ID');
      const orderId = type === 'ORDER' ? ref : r.text('relatedOrderId') || null;
      const adjustmentId = type === 'ORDER' ? null : ref;
      const settlement = r.amount('settlement', true);
      const revenue = r.amount('revenue', true);
      const totalFees = r.amount('fees', true);
      const adjustment = r.amount('adjustment');
      const shipping = r.amount('sellerShipping');
      const shippingInsideFees = shipping !== 0 && settlement === revenue + totalFees + adjustment;
      const tx = validate(StatementTransactionSchema, {
        transactionId: transactionKey(seen, statementId, type, orderId, adjustmentId, null),
        statementId, statementTime: settled, currency, type, orderId, adjustmentId, skuId: null,
        settlementAmount: settlement,
        revenueAmount: revenue,
        shippingCostAmount: shipping,
        feeTaxAmount: shippingInsideFees ? totalFees - shipping : totalFees,
        adjustmentAmount: adjustment,
        ...breakdownOf(r),
        reserveAmount: 0,
      } satisfies StatementTransaction, r, 'statement transaction');
      transactions.push(tx);
      days.set(day, [...(days.get(day) ?? []), tx]);
    }
  }
  const statements = [...days.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([day, txs]) => validateStatement(statementOf(`income-${day}`, startOfDay(day, tz), currency, txs, 'PAID', null)));
  const payouts: Payout[] = [];
  for (const sheet of withdrawals) {
    for (const { cells, rowNo } of sheet.dataRows('ref')) {
      rows++;
      const r = sheet.row(cells, rowNo);
      if (!norm(r.text('type')).includes('withdraw')) r.fail('type', 'a withdrawal ("Withdrawal")');
      const amount = Math.abs(r.amount('amount', true));
      payouts.push(validate(PayoutSchema, {
        paymentId: r.required('ref', 'a reference ID'),
        createTime: r.time('requestTime', sheet.shop.timezone, true)!,
        paidTime: r.time('successTime', sheet.shop.timezone),
        status: paymentStatusOf(r, 'status'),
        currency: sheet.shop.currency,
        amount,
        settlementAmount: amount,
        reserveAmount: 0,
      } satisfies Payout, r, 'payout'));
    }
  }
  const data: Partial<ShopData> = readers.length > 0 ? { statements, transactions } : {};
  if (withdrawals.length > 0) data.payouts = payouts;
  return { rows, times: transactions.map((t) => t.statementTime), data, notes: unexplainedFeeNote(readers[0]?.file ?? '', transactions, currency) };
}

function validateStatement(s: Statement): Statement {
  const r = StatementSchema.safeParse(s);
  if (!r.success) throw new Error(`Internal: statement ${s.statementId} is not valid`);
  return r.data;
}
