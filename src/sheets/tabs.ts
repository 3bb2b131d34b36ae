/**
 * The data tabs: one tab per record kind of src/core/records.ts, with stable, human-readable
 * headers, the key columns, and two pure functions per tab: record → row and row → record.
 *
 * Cell conventions (keep tabs lean: Sheets holds 10 million cells per workbook, shared by all tabs):
 * - Money is a number of MAJOR units (12.34) with the record's Currency column next to it; read
 *   back through parseAmount, so a cell holding 12.345 USD is refused instead of rounded.
 * - Times are one column of Unix seconds (UTC) and nothing else; an empty cell is "none" (null).
 * - Nullable text (Sample creator, Order ID of an adjustment...) is an empty cell when null.
 * - Lists of ids (Line IDs, Product IDs) are one cell, joined with ", ".
 * - Fee fields no table classifies yet ("Unclassified fee fields") are one cell of
 *   "field_name: amount" pairs joined with "; " (names sorted), amounts in major units.
 * - Maps (statement fee breakdown, GMV by traffic type) are one column per KNOWN key; an empty cell
 *   means the key is absent, 0 means present and zero, so the round trip is exact. These columns
 *   are optional in the sheet: a tab written before a fee field was added gets the new column
 *   appended on the next upsert instead of an error.
 * - Returns: ONE ROW PER RETURN LINE, the return's own fields (id, order, type, status, currency,
 *   times, refunded shipping) repeated on each of its lines, plus a "Line" number (1, 2, ...).
 *   A return with no lines is one row with Line 0 and zero/empty line columns. The tab's record
 *   is therefore `ReturnRow`; `returnsToRows` / `rowsToReturns` convert, and upsert replaces all
 *   rows of a return together (`group`), so a return that lost a line loses its row.
 *
 * Header text is part of the contract with the user's formulas and with upsert (which matches
 * columns by header, so users may reorder them): change a header only with a migration.
 */
import * as z from 'zod/mini';
import { DataError, showValue } from '../core/errors';
import { formatAmount, isKnownCurrency, parseAmount, toMajor } from '../core/money';
import {
  AdSpendSchema, CancellationSchema, CreatorOrderLineSchema, FEE_FIELDS, OrderLineSchema, OrderSchema, PayoutSchema,
  ProductPerformanceSchema, ProductSkuSchema, ReturnLineSchema, ReturnSchema, SHOP_TRAFFIC_TYPES, ShopPerformanceSchema,
  StatementSchema, StatementTransactionSchema, UnsettledEstimateSchema, parseRecord,
  type AdSpend, type Cancellation, type CreatorOrderLine, type FeeField, type Order, type OrderLine, type Payout,
  type ProductPerformance, type ProductSku, type Return, type ShopPerformance, type Statement,
  type StatementTransaction, type UnsettledEstimate,
} from '../core/records';
import { isDayKey } from '../core/time';

/** What a cell holds as getValues returns it (blank = ''). */
export type Cell = string | number | boolean | Date;

// ---------------------------------------------------------------- errors

/**
 * A cell of a data tab that does not hold what its column needs, e.g.
 * `Orders tab, row 17, column "Shipping fee": expected an amount in USD, got "abc"`.
 * A DataError, so callers that report data errors handle it unchanged.
 */
export class TabRowError extends DataError {
  constructor(readonly tab: string, readonly row: number, readonly column: string, readonly expectedText: string, readonly got: unknown) {
    super({ record: `${tab} tab`, id: `row ${row}`, field: column, expected: expectedText, got });
    this.name = 'TabRowError';
    this.message = `${tab} tab, row ${row}, column "${column}": expected ${expectedText}, got ${showCell(got)}`;
  }
}

export function showCell(v: unknown): string {
  if (v === undefined || v === null || v === '') return 'an empty cell';
  if (v instanceof Date) return `the date ${isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString()}`;
  return showValue(v);
}

// ---------------------------------------------------------------- columns

export type ColumnKind =
  | 'text' // a string ('' allowed when the schema allows it)
  | 'optText' // string or null (empty cell)
  | 'int' // whole number
  | 'optInt' // whole number or null (empty cell)
  | 'money' // minor units ↔ major-unit number, in the record's currency
  | 'optMoney' // a map entry: minor units or absent (empty cell)
  | 'bool' // TRUE / FALSE
  | 'list' // string[] ↔ "a, b"
  | 'moneyMap' // { name: minor units } or absent ↔ "name: 1.50; other_name: -2.00" (empty cell = absent)
  | 'day'; // "YYYY-MM-DD"

export interface Column {
  header: string;
  /** Field path in the record: ['shippingFee'] or ['fees', 'referral_fee_amount']. */
  path: readonly string[];
  kind: ColumnKind;
  /** May be missing from the sheet (appended when absent); map entries only. */
  optional: boolean;
}

function col(header: string, field: string, kind: ColumnKind): Column {
  return { header, path: [field], kind, optional: false };
}

/** Header text for a TikTok fee field: referral_fee_amount → "Referral fee". */
const ACRONYMS = new Set(['vat', 'sfp', 'tsp', 'sst', 'gst', 'iva', 'isr', 'pit', 'gmv']);
export function feeHeader(field: string): string {
  const words = field.replace(/_amount$/, '').split('_').map((w) => (ACRONYMS.has(w) ? w.toUpperCase() : w));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function feeColumns(): Column[] {
  return [
    ...FEE_FIELDS.map((f: FeeField) => ({ header: feeHeader(f), path: ['fees', f], kind: 'optMoney' as const, optional: true })),
    { header: 'Unclassified fee fields', path: ['unclassifiedFees'], kind: 'moneyMap', optional: true },
  ];
}

// ---------------------------------------------------------------- tab definition

export interface TabDef<T> {
  /** Record kind (ShopData field name where there is one). */
  kind: string;
  /** Tab name, as the user sees it. */
  tab: string;
  /** What one row is, for messages ("order", "return line"). */
  noun: string;
  columns: readonly Column[];
  /** Headers in writing order. */
  headers: readonly string[];
  /**
   * The headers a new tab starts with: every column but the optional ones (the fee breakdown),
   * which are added when a record first has a value for them. A shop uses a dozen of TikTok's 40
   * fee fields; 28 blank columns on a row per order would spend Sheets' 10 M cells for nothing.
   */
  baseHeaders: readonly string[];
  /** Fields whose values identify a row (never two rows with the same values). */
  keyFields: readonly string[];
  /** A field that grows with each change (update time): an older record never replaces a newer row. */
  versionField?: string;
  /**
   * A field that records when the record was read, not what it says (an estimate's fetch time):
   * a row that differs only there is unchanged and keeps its first stamp, so a refresh that
   * finds nothing new writes nothing.
   */
  stampField?: string;
  /** Rows sharing this field are one record: upsert replaces them together (Returns). */
  groupField?: string;
  toRow(record: T): Cell[];
  /** `cells` in `columns` order (undefined for an optional column missing from the sheet). */
  fromRow(cells: readonly unknown[], rowNumber: number): T;
  key(record: T): string;
  /** Checks a record against its zod schema (parseRecord): a DataError naming the record and field. */
  validate(record: unknown): T;
  /** The key of a row from its key cells alone, or null when one is blank (for rows that do not parse). */
  rawKey(cells: readonly unknown[]): string | null;
}

type Schema<T> = Parameters<typeof parseRecord<T>>[0];

function getPath(obj: unknown, path: readonly string[]): unknown {
  let cur = obj as Record<string, unknown> | undefined;
  for (const k of path) {
    if (cur === undefined || cur === null) return undefined;
    cur = cur[k] as Record<string, unknown> | undefined;
  }
  return cur;
}

function setPath(obj: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let cur = obj;
  for (let i = 0; i < path.length - 1; i++) {
    if (cur[path[i]] === undefined) cur[path[i]] = {};
    cur = cur[path[i]] as Record<string, unknown>;
  }
  if (value !== undefined) cur[path[path.length - 1]] = value;
}

function isBlank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

const LIST_SEPARATOR = ', ';

/** A record value → its cell. */
function toCell(c: Column, v: unknown, currency: string, where: () => string): Cell {
  switch (c.kind) {
    case 'text':
      return v as string;
    case 'optText':
      return v === null || v === undefined ? '' : (v as string);
    case 'int':
      return v as number;
    case 'optInt':
      return v === null ? '' : (v as number);
    case 'money':
      return toMajor(v as number, currency);
    case 'optMoney':
      return v === undefined || v === null ? '' : toMajor(v as number, currency);
    case 'bool':
      return v as boolean;
    case 'list': {
      const items = v as string[];
      for (const s of items) {
        if (s.includes(',') || s !== s.trim() || s === '') throw new Error(`${where()}: "${s}" in ${c.header} cannot be listed in one cell (commas, blanks)`);
      }
      return items.join(LIST_SEPARATOR);
    }
    case 'day':
      return v as string;
    case 'moneyMap': {
      if (v === undefined) return '';
      const m = v as Record<string, number>;
      return Object.keys(m).sort().map((k) => `${k}${MAP_KEY_SEPARATOR}${formatAmount(m[k], currency)}`).join(MAP_SEPARATOR);
    }
  }
}

const MAP_SEPARATOR = '; ';
const MAP_KEY_SEPARATOR = ': ';

type Fail = (expected: string) => never;

function textFromCell(v: unknown, fail: Fail): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') {
    // An id typed by hand becomes a number; a long one has lost digits already.
    if (Number.isSafeInteger(v)) return String(v);
    fail('a text (this number is too long to be exact: format the column as plain text and type the id again)');
  }
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return fail('a text');
}

function intFromCell(v: unknown, fail: Fail): number {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) && Number.isSafeInteger(Number(v))) return Number(v);
  return fail('a whole number');
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** A cell → the record value (undefined = absent map entry). Throws through `fail`. */
function fromCell(c: Column, v: unknown, currency: string | null, fail: Fail): unknown {
  switch (c.kind) {
    case 'text':
      return isBlank(v) ? '' : textFromCell(v, fail);
    case 'optText':
      // An optional column's blank is an absent field (as for the fee columns), not a null one.
      return isBlank(v) ? (c.optional ? undefined : null) : textFromCell(v, fail);
    case 'int':
      if (isBlank(v)) fail('a whole number');
      return intFromCell(v, fail);
    case 'optInt':
      return isBlank(v) ? null : intFromCell(v, fail);
    case 'money':
    case 'optMoney': {
      if (isBlank(v)) {
        if (c.kind === 'optMoney') return undefined;
        fail(currency ? `an amount in ${currency}` : 'an amount');
      }
      if (currency === null) return fail('an amount, with a known currency in the Currency column');
      try {
        return parseAmount(typeof v === 'string' ? v.trim() : v, currency, { record: '', field: c.header });
      } catch (e) {
        if (!(e instanceof DataError)) throw e;
        const exp = e.location.expected;
        return fail(exp.startsWith('an amount in') ? `an amount in ${currency}` : exp);
      }
    }
    case 'bool':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string' && /^\s*(true|false)\s*$/i.test(v)) return v.trim().toUpperCase() === 'TRUE';
      return fail('TRUE or FALSE');
    case 'list': {
      if (isBlank(v)) return [];
      const s = textFromCell(v, fail);
      return s.split(',').map((x) => x.trim());
    }
    case 'moneyMap': {
      if (isBlank(v)) return undefined;
      if (currency === null) return fail('amounts, with a known currency in the Currency column');
      const m: Record<string, number> = {};
      for (const part of textFromCell(v, fail).split(';')) {
        const hit = /^\s*([a-z][a-z0-9_]*)\s*:\s*(\S+)\s*$/.exec(part);
        if (!hit) return fail(`"field_name: amount" pairs separated by "; " (amounts in ${currency})`);
        try {
          m[hit[1]] = parseAmount(hit[2], currency, { record: '', field: c.header });
        } catch (e) {
          if (!(e instanceof DataError)) throw e;
          return fail(`"field_name: amount" pairs separated by "; " (amounts in ${currency})`);
        }
      }
      return m;
    }
    case 'day': {
      if (v instanceof Date && !isNaN(v.getTime())) {
        // Sheets turns a typed date into a Date at midnight of the spreadsheet's timezone.
        return `${v.getFullYear()}-${pad2(v.getMonth() + 1)}-${pad2(v.getDate())}`;
      }
      if (typeof v === 'string' && isDayKey(v.trim())) return v.trim();
      return fail('a date YYYY-MM-DD');
    }
  }
}

interface DefSpec<T> {
  kind: string;
  tab: string;
  noun: string;
  schema: Schema<T>;
  columns: Column[];
  keyFields: string[];
  versionField?: string;
  stampField?: string;
  groupField?: string;
}

function defineTab<T>(spec: DefSpec<T>): TabDef<T> {
  const { tab, columns, schema, noun } = spec;
  const headers = columns.map((c) => c.header);
  const seen = new Set<string>();
  for (const h of headers) {
    const n = normalizeHeader(h);
    if (seen.has(n)) throw new Error(`${tab} tab: header "${h}" is defined twice`);
    seen.add(n);
  }
  const currencyIndex = columns.findIndex((c) => c.path.length === 1 && c.path[0] === 'currency');
  const keyColumns = spec.keyFields.map((f) => {
    const i = columns.findIndex((c) => c.path.length === 1 && c.path[0] === f);
    if (i < 0) throw new Error(`${tab} tab: key field ${f} has no column`);
    return i;
  });
  const byField = new Map(columns.map((c) => [c.path.join('.'), c]));

  const keyOf = (values: readonly unknown[]): string => JSON.stringify(values.map((v) => String(v)));

  const def: TabDef<T> = {
    kind: spec.kind,
    tab,
    noun,
    columns,
    headers,
    keyFields: spec.keyFields,
    baseHeaders: columns.filter((c) => !c.optional).map((c) => c.header),
    versionField: spec.versionField,
    stampField: spec.stampField,
    groupField: spec.groupField,
    toRow(record: T): Cell[] {
      const currency = String(getPath(record, ['currency']) ?? '');
      return columns.map((c) => toCell(c, getPath(record, c.path), currency, () => `${tab} tab, ${noun} ${def.key(record)}`));
    },
    fromRow(cells: readonly unknown[], rowNumber: number): T {
      const failAt = (c: Column, v: unknown): Fail => (expected) => {
        throw new TabRowError(tab, rowNumber, c.header, expected, v);
      };
      let currency: string | null = null;
      if (currencyIndex >= 0) {
        const c = columns[currencyIndex];
        const v = cells[currencyIndex];
        const s = typeof v === 'string' ? v.trim() : v;
        if (typeof s !== 'string' || !isKnownCurrency(s)) failAt(c, v)('a known ISO 4217 currency code such as USD');
        currency = s as string;
      }
      const obj: Record<string, unknown> = {};
      columns.forEach((c, i) => {
        const v = i === currencyIndex ? currency : fromCell(c, cells[i], currency, failAt(c, cells[i]));
        setPath(obj, c.path, v);
      });
      try {
        return parseRecord(schema, obj, noun);
      } catch (e) {
        if (!(e instanceof DataError)) throw e;
        const c = byField.get(e.location.field);
        const i = c ? columns.indexOf(c) : -1;
        throw new TabRowError(tab, rowNumber, c ? c.header : e.location.field, e.location.expected, i >= 0 ? cells[i] : e.location.got);
      }
    },
    validate(record: unknown): T {
      const id = spec.keyFields.map((f) => String(getPath(record, [f]))).join(' / ');
      return parseRecord(schema, record, noun, id);
    },
    key(record: T): string {
      return keyOf(spec.keyFields.map((f) => getPath(record, [f])));
    },
    rawKey(cells: readonly unknown[]): string | null {
      const values: unknown[] = [];
      for (const i of keyColumns) {
        const v = cells[i];
        if (isBlank(v)) return null;
        let parsed: unknown;
        try {
          parsed = fromCell(columns[i], v, null, () => {
            throw new Error('unparsable');
          });
        } catch {
          parsed = typeof v === 'string' ? v.trim() : v;
        }
        values.push(parsed);
      }
      return keyOf(values);
    },
  };
  return def;
}

/** How headers are compared: trimmed, case-insensitive, inner blanks collapsed. */
export function normalizeHeader(h: unknown): string {
  return String(h ?? '').trim().replace(/\s+/g, ' ').toLowerCase();
}

// ---------------------------------------------------------------- returns: one row per line

export const ReturnRowSchema = z.object({
  returnId: ReturnSchema.shape.returnId,
  orderId: ReturnSchema.shape.orderId,
  returnType: ReturnSchema.shape.returnType,
  status: ReturnSchema.shape.status,
  currency: ReturnSchema.shape.currency,
  createTime: ReturnSchema.shape.createTime,
  updateTime: ReturnSchema.shape.updateTime,
  refundShipping: ReturnSchema.shape.refundShipping,
  /** 1-based position of the line in the return; 0 = the return has no lines. */
  lineNo: z.int().check(z.nonnegative()),
  ...ReturnLineSchema.shape,
});
export type ReturnRow = z.infer<typeof ReturnRowSchema>;

export function returnsToRows(returns: readonly Return[]): ReturnRow[] {
  const rows: ReturnRow[] = [];
  for (const r of returns) {
    const { lines, ...head } = r;
    if (lines.length === 0) {
      rows.push({ ...head, lineNo: 0, lineId: null, skuId: '', quantity: 0, refundedOriginal: 0, refundedSellerDiscount: 0 });
    }
    lines.forEach((l, i) => rows.push({ ...head, lineNo: i + 1, ...l }));
  }
  return rows;
}

const RETURN_HEAD_FIELDS = ['orderId', 'returnType', 'status', 'currency', 'createTime', 'updateTime', 'refundShipping'] as const;

/**
 * Groups line rows back into returns (first-seen order, lines by Line number). The repeated
 * return fields must agree across a return's rows; `rowNumbers[i]` names the row in errors.
 */
export function rowsToReturns(rows: readonly ReturnRow[], rowNumbers?: readonly number[]): Return[] {
  const byId = new Map<string, { ret: Return; lines: { no: number; line: Return['lines'][number] }[] }>();
  rows.forEach((row, i) => {
    const { lineNo, lineId, skuId, quantity, refundedOriginal, refundedSellerDiscount, ...head } = row;
    let g = byId.get(row.returnId);
    if (!g) {
      g = { ret: { ...head, lines: [] }, lines: [] };
      byId.set(row.returnId, g);
    } else {
      for (const f of RETURN_HEAD_FIELDS) {
        if (g.ret[f] !== row[f]) {
          const column = RETURNS_TAB.columns.find((c) => c.path[0] === f)!.header;
          throw new TabRowError(RETURNS_TAB.tab, rowNumbers?.[i] ?? i + 2, column, `the same value on every line of return ${row.returnId} (${String(g.ret[f])})`, row[f]);
        }
      }
    }
    if (lineNo > 0) g.lines.push({ no: lineNo, line: { lineId, skuId, quantity, refundedOriginal, refundedSellerDiscount } });
  });
  return [...byId.values()].map((g) => ({ ...g.ret, lines: g.lines.sort((a, b) => a.no - b.no).map((x) => x.line) }));
}

// ---------------------------------------------------------------- the tabs

export const ORDERS_TAB = defineTab<Order>({
  kind: 'orders', tab: 'Orders', noun: 'order', schema: OrderSchema, keyFields: ['orderId'], versionField: 'updateTime',
  columns: [
    col('Order ID', 'orderId', 'text'),
    col('Buyer ID', 'buyerId', 'text'),
    col('Status', 'status', 'text'),
    col('Currency', 'currency', 'text'),
    col('Created (Unix time)', 'createTime', 'int'),
    col('Updated (Unix time)', 'updateTime', 'int'),
    col('Paid (Unix time)', 'paidTime', 'optInt'),
    col('Cancelled (Unix time)', 'cancelTime', 'optInt'),
    col('Delivered (Unix time)', 'deliveryTime', 'optInt'),
    col('Fulfillment', 'fulfillmentType', 'text'),
    col('Sample order', 'isSample', 'bool'),
    col('Sample creator', 'sampleCreator', 'optText'),
    col('Original shipping fee', 'originalShippingFee', 'money'),
    col('Shipping seller discount', 'shippingSellerDiscount', 'money'),
    col('Shipping platform discount', 'shippingPlatformDiscount', 'money'),
    col('Shipping fee', 'shippingFee', 'money'),
    col('Tax', 'tax', 'money'),
    col('Total amount', 'totalAmount', 'money'),
    // Joins the tab when an order first comes with a status the add-on does not know.
    { header: 'Status as sent', path: ['statusSent'], kind: 'optText', optional: true },
  ],
});

export const ORDER_LINES_TAB = defineTab<OrderLine>({
  kind: 'lines', tab: 'Order lines', noun: 'order line', schema: OrderLineSchema, keyFields: ['lineId'],
  columns: [
    col('Line ID', 'lineId', 'text'),
    col('Order ID', 'orderId', 'text'),
    col('SKU ID', 'skuId', 'text'),
    col('Product ID', 'productId', 'text'),
    col('Seller SKU', 'sellerSku', 'text'),
    col('Product name', 'productName', 'text'),
    col('SKU name', 'skuName', 'text'),
    col('Currency', 'currency', 'text'),
    col('Quantity', 'quantity', 'int'),
    col('Original price', 'originalPrice', 'money'),
    col('Seller discount', 'sellerDiscount', 'money'),
    col('Platform discount', 'platformDiscount', 'money'),
    col('Sale price', 'salePrice', 'money'),
    col('Cancelled', 'cancelled', 'bool'),
  ],
});

export const SETTLEMENTS_TAB = defineTab<StatementTransaction>({
  kind: 'transactions', tab: 'Settlements', noun: 'statement transaction', schema: StatementTransactionSchema, keyFields: ['transactionId'],
  columns: [
    col('Transaction ID', 'transactionId', 'text'),
    col('Statement ID', 'statementId', 'text'),
    col('Statement time (Unix time)', 'statementTime', 'int'),
    col('Currency', 'currency', 'text'),
    col('Type', 'type', 'text'),
    col('Order ID', 'orderId', 'optText'),
    col('Adjustment ID', 'adjustmentId', 'optText'),
    col('SKU ID', 'skuId', 'optText'),
    col('Settlement amount', 'settlementAmount', 'money'),
    col('Revenue', 'revenueAmount', 'money'),
    col('Shipping cost', 'shippingCostAmount', 'money'),
    col('Fees and taxes', 'feeTaxAmount', 'money'),
    col('Adjustment', 'adjustmentAmount', 'money'),
    col('Subtotal before discount', 'subtotalBeforeDiscount', 'money'),
    col('Refund subtotal before discount', 'refundSubtotalBeforeDiscount', 'money'),
    col('Seller discount', 'sellerDiscount', 'money'),
    col('Seller discount refund', 'sellerDiscountRefund', 'money'),
    col('Customer-paid shipping fee', 'customerPaidShippingFee', 'money'),
    col('Actual shipping fee', 'actualShippingFee', 'money'),
    col('Reserve', 'reserveAmount', 'money'),
    ...feeColumns(),
  ],
});

export const STATEMENTS_TAB = defineTab<Statement>({
  kind: 'statements', tab: 'Statements', noun: 'statement', schema: StatementSchema, keyFields: ['statementId'],
  columns: [
    col('Statement ID', 'statementId', 'text'),
    col('Statement time (Unix time)', 'statementTime', 'int'),
    col('Currency', 'currency', 'text'),
    col('Settlement amount', 'settlementAmount', 'money'),
    col('Revenue', 'revenueAmount', 'money'),
    col('Fees', 'feeAmount', 'money'),
    col('Adjustment', 'adjustmentAmount', 'money'),
    col('Shipping cost', 'shippingCostAmount', 'money'),
    col('Net sales', 'netSalesAmount', 'money'),
    col('Payment status', 'paymentStatus', 'text'),
    col('Payment ID', 'paymentId', 'optText'),
  ],
});

export const PAYOUTS_TAB = defineTab<Payout>({
  kind: 'payouts', tab: 'Payouts', noun: 'payout', schema: PayoutSchema, keyFields: ['paymentId'],
  columns: [
    col('Payment ID', 'paymentId', 'text'),
    col('Created (Unix time)', 'createTime', 'int'),
    col('Paid (Unix time)', 'paidTime', 'optInt'),
    col('Status', 'status', 'text'),
    col('Currency', 'currency', 'text'),
    col('Amount', 'amount', 'money'),
    col('Settlement amount', 'settlementAmount', 'money'),
    col('Reserve', 'reserveAmount', 'money'),
  ],
});

export const RETURNS_TAB: TabDef<ReturnRow> = defineTab<ReturnRow>({
  kind: 'returns', tab: 'Returns', noun: 'return line', schema: ReturnRowSchema, keyFields: ['returnId', 'lineNo'],
  versionField: 'updateTime', groupField: 'returnId',
  columns: [
    col('Return ID', 'returnId', 'text'),
    col('Line', 'lineNo', 'int'),
    col('Order ID', 'orderId', 'text'),
    col('Return type', 'returnType', 'text'),
    col('Status', 'status', 'text'),
    col('Currency', 'currency', 'text'),
    col('Created (Unix time)', 'createTime', 'int'),
    col('Updated (Unix time)', 'updateTime', 'int'),
    col('Refunded shipping', 'refundShipping', 'money'),
    col('Line ID', 'lineId', 'optText'),
    col('SKU ID', 'skuId', 'text'),
    col('Quantity', 'quantity', 'int'),
    col('Refunded original price', 'refundedOriginal', 'money'),
    col('Refunded seller discount', 'refundedSellerDiscount', 'money'),
  ],
});

export const CANCELLATIONS_TAB = defineTab<Cancellation>({
  kind: 'cancellations', tab: 'Cancellations', noun: 'cancellation', schema: CancellationSchema, keyFields: ['cancelId'], versionField: 'updateTime',
  columns: [
    col('Cancellation ID', 'cancelId', 'text'),
    col('Order ID', 'orderId', 'text'),
    col('Cancel type', 'cancelType', 'text'),
    col('Status', 'status', 'text'),
    col('Requested by', 'role', 'text'),
    col('Reason', 'reason', 'text'),
    col('Currency', 'currency', 'text'),
    col('Created (Unix time)', 'createTime', 'int'),
    col('Updated (Unix time)', 'updateTime', 'int'),
    col('Refund total', 'refundTotal', 'money'),
    col('Line IDs', 'lineIds', 'list'),
  ],
});

export const CREATOR_ORDERS_TAB = defineTab<CreatorOrderLine>({
  kind: 'creatorOrders', tab: 'Creator orders', noun: 'creator order line', schema: CreatorOrderLineSchema, keyFields: ['orderId', 'skuId'],
  columns: [
    col('Order ID', 'orderId', 'text'),
    col('SKU ID', 'skuId', 'text'),
    col('Product ID', 'productId', 'text'),
    col('Creator', 'creatorUsername', 'text'),
    col('Content type', 'contentType', 'text'),
    col('Content ID', 'contentId', 'text'),
    col('Status', 'status', 'text'),
    col('Created (Unix time)', 'createTime', 'int'),
    col('Currency', 'currency', 'text'),
    col('Commission rate (basis points)', 'commissionRateBp', 'optInt'),
    col('Shop ads commission rate (basis points)', 'shopAdsCommissionRateBp', 'int'),
    col('Quantity', 'quantity', 'int'),
    col('Refunded quantity', 'refundedQuantity', 'int'),
    col('Returned quantity', 'returnedQuantity', 'int'),
    col('Price', 'price', 'money'),
    col('Estimated commission base', 'estimatedCommissionBase', 'money'),
    col('Estimated commission', 'estimatedCommission', 'money'),
    col('Estimated shop ads commission', 'estimatedShopAdsCommission', 'money'),
    col('Estimated co-funded bonus', 'estimatedCofundedBonus', 'money'),
    col('Actual commission base', 'actualCommissionBase', 'money'),
    col('Actual commission', 'actualCommission', 'money'),
    col('Actual shop ads commission', 'actualShopAdsCommission', 'money'),
    col('Actual co-funded bonus', 'actualCofundedBonus', 'money'),
  ],
});

export const AD_SPEND_TAB = defineTab<AdSpend>({
  kind: 'adSpend', tab: 'Ad spend', noun: 'ad spend row', schema: AdSpendSchema, keyFields: ['advertiserId', 'campaignId', 'date'],
  columns: [
    col('Advertiser ID', 'advertiserId', 'text'),
    col('Date', 'date', 'day'),
    col('Advertiser timezone', 'advertiserTimezone', 'text'),
    col('Campaign ID', 'campaignId', 'text'),
    col('Campaign name', 'campaignName', 'text'),
    col('Currency', 'currency', 'text'),
    col('Spend', 'spend', 'money'),
    col('Funding source', 'fundingSource', 'text'),
    col('Product IDs', 'productIds', 'list'),
    col('Creator', 'creatorUsername', 'optText'),
    // The report's `spend` before ad credits (the cost above is `billed_cost`); blank on rows typed by hand.
    { header: 'Spend before ad credits', path: ['grossSpend'], kind: 'optMoney', optional: true },
  ],
});

export const PRODUCTS_TAB = defineTab<ProductSku>({
  kind: 'products', tab: 'Products', noun: 'product SKU', schema: ProductSkuSchema, keyFields: ['productId', 'skuId'], versionField: 'updateTime',
  columns: [
    col('Product ID', 'productId', 'text'),
    col('SKU ID', 'skuId', 'text'),
    col('Seller SKU', 'sellerSku', 'text'),
    col('Product name', 'productName', 'text'),
    col('SKU name', 'skuName', 'text'),
    col('Status', 'status', 'text'),
    col('Category', 'category', 'text'),
    col('Currency', 'currency', 'text'),
    col('Price', 'price', 'money'),
    col('Created (Unix time)', 'createTime', 'int'),
    col('Updated (Unix time)', 'updateTime', 'int'),
  ],
});

export const UNSETTLED_TAB = defineTab<UnsettledEstimate>({
  kind: 'unsettled', tab: 'Unsettled estimates', noun: 'unsettled estimate', schema: UnsettledEstimateSchema, keyFields: ['orderId'], versionField: 'fetchedTime', stampField: 'fetchedTime',
  columns: [
    col('Order ID', 'orderId', 'text'),
    col('Currency', 'currency', 'text'),
    col('Fetched (Unix time)', 'fetchedTime', 'int'),
    col('Est. revenue', 'estRevenueAmount', 'money'),
    col('Est. shipping cost', 'estShippingCostAmount', 'money'),
    col('Est. fees and taxes', 'estFeeTaxAmount', 'money'),
    col('Est. adjustment', 'estAdjustmentAmount', 'money'),
    col('Est. settlement amount', 'estSettlementAmount', 'money'),
    col('Est. customer-paid shipping fee', 'estCustomerPaidShippingFee', 'money'),
    ...feeColumns(),
  ],
});

export const SHOP_PERFORMANCE_TAB = defineTab<ShopPerformance>({
  kind: 'shopPerformance', tab: 'Shop performance', noun: 'shop performance day', schema: ShopPerformanceSchema, keyFields: ['date'],
  columns: [
    col('Date', 'date', 'day'),
    col('Currency', 'currency', 'text'),
    col('GMV', 'gmv', 'money'),
    col('Orders', 'orders', 'int'),
    col('Buyers', 'buyers', 'int'),
    col('Product impressions', 'productImpressions', 'int'),
    col('Product page views', 'productPageViews', 'int'),
    ...SHOP_TRAFFIC_TYPES.map((t): Column => ({
      header: `GMV from ${t === 'PRODUCT_CARD' ? 'product cards' : t === 'LIVE' ? 'LIVE' : 'videos'}`,
      path: ['gmvByType', t],
      kind: 'optMoney',
      optional: true,
    })),
  ],
});

export const PRODUCT_PERFORMANCE_TAB = defineTab<ProductPerformance>({
  kind: 'productPerformance', tab: 'Product performance', noun: 'product performance day', schema: ProductPerformanceSchema, keyFields: ['productId', 'date'],
  columns: [
    col('Product ID', 'productId', 'text'),
    col('Date', 'date', 'day'),
    col('Impressions', 'impressions', 'int'),
    col('Page views', 'pageViews', 'int'),
    col('Units sold', 'unitsSold', 'int'),
    col('Currency', 'currency', 'text'),
    col('GMV', 'gmv', 'money'),
  ],
});

/** Every data tab, in the order they are created in a new workbook. */
export const DATA_TABS = [
  ORDERS_TAB, ORDER_LINES_TAB, SETTLEMENTS_TAB, STATEMENTS_TAB, PAYOUTS_TAB, RETURNS_TAB, CANCELLATIONS_TAB,
  CREATOR_ORDERS_TAB, AD_SPEND_TAB, PRODUCTS_TAB, UNSETTLED_TAB, SHOP_PERFORMANCE_TAB, PRODUCT_PERFORMANCE_TAB,
] as const;
