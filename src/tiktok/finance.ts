/**
 * Finance (reference §5): statements, statement transactions (202501, with breakdowns) and
 * payments, mapped to core Statement, StatementTransaction and Payout records.
 *
 * Calls
 * - GET /finance/202309/statements: sort_field=statement_time (required), sort_order=ASC,
 *   statement_time_ge / statement_time_lt, page_size (1–100), page_token.
 * - GET /finance/202501/statements/{statement_id}/statement_transactions:
 *   sort_field=order_create_time (required), sort_order=ASC, page_size, page_token.
 * - GET /finance/202309/payments: sort_field=create_time (required), sort_order=ASC,
 *   create_time_ge / create_time_lt, page_size, page_token.
 *
 * Mapping choices
 * - Signs are kept exactly as TikTok sends them (costs negative); core records define a
 *   settlement as the SUM of signed parts (records.ts STATEMENT_SIGN_CONVENTION). The
 *   reference marks the sign convention as unresolved: nothing here flips a sign, so a change
 *   of convention is made in core, not here.
 * - Amounts are decimal strings parsed exactly in the statement's currency. A transaction that
 *   names another currency is a DataError (one shop, one currency: never a silent mix); so is a
 *   SKU transaction whose currency is not its order's. Required: settlement_amount. Other totals and every
 *   breakdown field absent → 0 (TikTok leaves out zero and market-specific fields, e.g.
 *   revenue_amount in the UK and US, net_sales_amount where not reported).
 * - Statement: statementId = id, paymentId = payment_id (absent/"" → null), paymentStatus =
 *   payment_status (PAID | FAILED | PROCESSING; anything else is a DataError).
 * - Transaction type must be one of core STATEMENT_TRANSACTION_TYPES (an unknown type is a
 *   DataError naming it: money of an unknown kind is never silently filed somewhere).
 * - orderId = order_id, else adjustment_order_id, else null; adjustmentId = adjustment_id or
 *   null; skuId = null (the per-statement endpoint is per order, not per SKU).
 * - transactionId = the transaction's own `id` when TikTok sends one, else
 *   `{statement}:{type}:{order_id}:{adjustment_id}`; a repeat of that key on the same statement
 *   gets `#2`, `#3`… in response order (sorted by order_create_time, so stable on re-fetch).
 * - revenue_breakdown → subtotalBeforeDiscount, refundSubtotalBeforeDiscount, sellerDiscount,
 *   sellerDiscountRefund. shipping_cost_breakdown → customerPaidShippingFee (covers its
 *   refunds too), actualShippingFee.
 * - fees: every field of fee_tax_breakdown.fee and fee_tax_breakdown.tax that core classifies
 *   (FEE_FIELDS: the whole 202501 reference, records.ts), by TikTok's own name. A field core does
 *   not know goes to `unclassifiedFees` by name (non-zero ones; a name that is not snake case is a
 *   DataError); its money stays in fee_tax_amount, which the engine books as other platform fees
 *   with the rest the breakdown does not explain, so no money is lost, and a data note names it.
 *   Every amount, known field or not, is read exactly (an unreadable one is a DataError).
 *   RESTATED_FEE_FIELDS (affiliate_commission_amount_before_pit) are skipped: no amount of their own.
 * - reserveAmount = reserve_amount (absent → 0).
 * - Payout: paymentId = id; amount = amount.value, currency = amount.currency;
 *   settlementAmount = settlement_amount, reserveAmount = reserve_amount. These money fields
 *   are read as `{value, currency}` objects (as `amount` is documented) or as plain strings in
 *   the payout currency: the reference does not show their shape. paid_time 0/absent → null.
 *
 * Unsettled orders — GET /finance/202507/orders/unsettled: sort_field=order_create_time
 * (required), sort_order=ASC, search_time_ge / search_time_lt (Unix seconds), page_size
 * (1–100), page_token → core UnsettledEstimate (TikTok's ESTIMATE; subject to change).
 * - Only `type: ORDER` transactions become records (UnsettledEstimate is one per order: "the
 *   latest estimate per order wins"); adjustment estimates (any other type, which may also be
 *   a type core does not know) are counted in `skippedAdjustments` and settle through
 *   statements. An ORDER transaction without order_id is a DataError.
 * - fetchedTime = floor(clock.now()) at the start of the fetch (the same for every record of
 *   one fetch). currency = transaction currency, else the `currency` option, else DataError.
 * - est_revenue_amount, est_shipping_cost_amount, est_fee_tax_amount, est_adjustment_amount
 *   (absent → 0) and est_settlement_amount (required), signs kept as sent.
 *   estCustomerPaidShippingFee = shipping_cost_breakdown.customer_paid_shipping_fee_amount.
 *   fees = the known fields of fee_tax_breakdown.fee / .tax when TikTok sends a breakdown
 *   ({} otherwise; the engine books the unexplained remainder of estFeeTaxAmount as other fees).
 *
 * Withdrawals — GET /finance/202309/withdrawals: types (required; comma-joined, default all of
 * WITHDRAW, SETTLE, TRANSFER, REVERSE), create_time_ge / create_time_lt, page_size (1–100),
 * page_token. No core record exists for them (the engine's cash view uses payments and
 * statements); they are returned as the small typed `Withdrawal` below, for a bank
 * reconciliation tab: id, type, status (PROCESSING | SUCCESS | FAILED), currency, amount (minor
 * units, sign as sent), createTime. An unknown type or status is a DataError.
 *
 * Order statement transactions — GET /finance/202501/orders/{order_id}/statement_transactions:
 * one StatementTransaction per `sku_transactions[]` entry, mapped like the per-statement
 * transactions above, with: type = ORDER; orderId = data.order_id (else the id asked for);
 * skuId = sku_id (absent/"" → null); statementId = sku_transactions[].statement_id (required);
 * statementTime = the entry's statement_time when sent (not documented; the sandbox sends it),
 * else the caller's `statementTimeOf(statementId)` (the documented SKU rows carry no statement
 * time; neither → DataError); currency = the entry's currency, else data.currency (required);
 * feeTaxAmount = fee_tax_amount (or fee_and_tax_amount); reserveAmount = reserve_amount
 * (absent → 0); transactionId = `{statement}:ORDER:{order}::{sku}`, or without a SKU
 * `{statement}:ORDER:{order}:` — the same key the per-statement endpoint gives that order's
 * transaction, so both land on one row (+ `#2`… for repeats in one response). SKU-level rows
 * must not be stored beside the order-level per-statement transaction of the same order and
 * statement (that would count the order twice). The reference documents no paging for
 * this endpoint; a next_page_token, if TikTok sends one, is followed.
 */
import * as z from 'zod/mini';
import {
  FEE_FIELD_NAME, FEE_FIELDS, parseRecord, RESTATED_FEE_FIELDS, PayoutSchema, STATEMENT_PAYMENT_STATUSES, STATEMENT_TRANSACTION_TYPES, StatementSchema,
  StatementTransactionSchema, UnsettledEstimateSchema, type FeeField, type Payout, type Statement, type StatementTransaction,
  type UnsettledEstimate,
} from '../core/records';
import type { Clock } from './ports';
import { parseAmount } from '../core/money';
import { DataError } from '../core/errors';
import { uniqueKey } from '../core/statement';
import type { TikTokShopClient } from './request';
import { checkPageSize, ENDPOINTS, maxPageSize, pathOf, type EndpointName } from './versions';
import { forEachPage, listOf, nextPageTokenOf, type PagingOptions, type PagingResult } from './paging';

const nonEmpty = z.string().check(z.minLength(1));
const optAmount = z.optional(z.nullable(z.string()));
const time = z.int().check(z.nonnegative());
const optTime = z.optional(z.nullable(time));
const optString = z.optional(z.nullable(z.string()));
const amountMap = z.optional(z.nullable(z.record(z.string(), z.unknown())));

export const ApiStatementSchema = z.object({
  id: nonEmpty,
  statement_time: time,
  currency: nonEmpty,
  settlement_amount: z.string(),
  revenue_amount: optAmount,
  fee_amount: optAmount,
  adjustment_amount: optAmount,
  shipping_cost_amount: optAmount,
  net_sales_amount: optAmount,
  payment_status: z.enum(STATEMENT_PAYMENT_STATUSES),
  payment_id: optString,
});
export type ApiStatement = z.infer<typeof ApiStatementSchema>;

export const ApiTransactionSchema = z.object({
  id: optString,
  type: z.enum(STATEMENT_TRANSACTION_TYPES),
  currency: optString,
  order_id: optString,
  adjustment_id: optString,
  adjustment_order_id: optString,
  settlement_amount: z.string(),
  revenue_amount: optAmount,
  shipping_cost_amount: optAmount,
  fee_tax_amount: optAmount,
  adjustment_amount: optAmount,
  reserve_amount: optAmount,
  revenue_breakdown: amountMap,
  shipping_cost_breakdown: amountMap,
  fee_tax_breakdown: z.optional(z.nullable(z.object({ fee: amountMap, tax: amountMap }))),
});
export type ApiTransaction = z.infer<typeof ApiTransactionSchema>;

const moneyField = z.optional(z.nullable(z.union([z.string(), z.object({ value: z.string(), currency: optString })])));
export const ApiPaymentSchema = z.object({
  id: nonEmpty,
  create_time: time,
  paid_time: optTime,
  status: z.enum(STATEMENT_PAYMENT_STATUSES),
  amount: z.object({ value: z.string(), currency: nonEmpty }),
  settlement_amount: moneyField,
  reserve_amount: moneyField,
});
export type ApiPayment = z.infer<typeof ApiPaymentSchema>;

function label(name: EndpointName, params?: Record<string, string>): string {
  return `${ENDPOINTS[name].method} ${pathOf(name, params)}`;
}

function idOf(raw: unknown, key = 'id'): string | undefined {
  if (raw !== null && typeof raw === 'object') {
    const v = (raw as Record<string, unknown>)[key];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

type Amt = ((text: unknown, field: string, required?: boolean) => number) & { record: string; id: string };
function amountReader(currency: string, record: string, id: string): Amt {
  const read = (text: unknown, field: string, required = false) => {
    if ((text === undefined || text === null) && !required) return 0;
    return parseAmount(text, currency, { record, id, field });
  };
  return Object.assign(read, { record, id });
}

function pagedGet(
  client: TikTokShopClient,
  name: EndpointName,
  params: Record<string, string>,
  query: Record<string, string | number | undefined>,
  listField: string,
  onPage: (items: unknown[], next: string) => void,
  options: PagingOptions & { pageSize?: number },
): PagingResult {
  const path = pathOf(name, params);
  const endpoint = label(name, params);
  const pageSize = checkPageSize(name, options.pageSize ?? maxPageSize(name));
  return forEachPage(endpoint, (pageToken) => {
    const data = client.call({ method: 'GET', path, query: { ...query, page_size: pageSize, page_token: pageToken } });
    return { items: listOf(data, listField, endpoint), nextPageToken: nextPageTokenOf(data, endpoint) };
  }, onPage, options);
}

// ---------------------------------------------------------------- statements

export function mapStatement(raw: unknown): Statement {
  const endpoint = label('statements');
  const record = `statement (${endpoint})`;
  const s = parseRecord(ApiStatementSchema, raw, record, idOf(raw));
  const amt = amountReader(s.currency, record, s.id);
  return parseRecord(StatementSchema, {
    statementId: s.id,
    statementTime: s.statement_time,
    currency: s.currency,
    settlementAmount: amt(s.settlement_amount, 'settlement_amount', true),
    revenueAmount: amt(s.revenue_amount, 'revenue_amount'),
    feeAmount: amt(s.fee_amount, 'fee_amount'),
    adjustmentAmount: amt(s.adjustment_amount, 'adjustment_amount'),
    shippingCostAmount: amt(s.shipping_cost_amount, 'shipping_cost_amount'),
    netSalesAmount: amt(s.net_sales_amount, 'net_sales_amount'),
    paymentStatus: s.payment_status,
    paymentId: s.payment_id ? s.payment_id : null,
  } satisfies Statement, record, s.id);
}

/** Statements generated in [ge, lt) (Unix seconds), oldest first, page by page. */
export function fetchStatements(
  client: TikTokShopClient,
  window: { statementTimeGe: number; statementTimeLt: number },
  onPage: (statements: Statement[], nextPageToken: string) => void,
  options: PagingOptions & { pageSize?: number } = {},
): PagingResult {
  return pagedGet(client, 'statements', {}, {
    sort_field: 'statement_time', sort_order: 'ASC', statement_time_ge: window.statementTimeGe, statement_time_lt: window.statementTimeLt,
  }, 'statements', (items, next) => onPage(items.map(mapStatement), next), options);
}

// ---------------------------------------------------------------- statement transactions

const KNOWN_FEES = new Set<string>(FEE_FIELDS);
const RESTATED_FEES = new Set<string>(RESTATED_FEE_FIELDS);

type FeeTaxBreakdown = { fee?: Record<string, unknown> | null; tax?: Record<string, unknown> | null } | null | undefined;

/**
 * fee_tax_breakdown.fee / .tax by TikTok name: the fields core classifies in `fees`, any other
 * in `unclassifiedFees` (its money stays in fee_tax_amount, booked as other platform fees; the
 * map names it for the data note). Every amount is read exactly, known or not: an unreadable
 * amount is refused. Restated fields (RESTATED_FEE_FIELDS) are no amount of their own: skipped.
 */
function feesOf(breakdown: FeeTaxBreakdown, amt: Amt, prefix = 'fee_tax_breakdown'): Pick<StatementTransaction, 'fees' | 'unclassifiedFees'> {
  const fees: Partial<Record<FeeField, number>> = {};
  const unclassified: Record<string, number> = {};
  for (const group of ['fee', 'tax'] as const) {
    const m = breakdown?.[group];
    if (!m) continue;
    for (const [field, v] of Object.entries(m)) {
      if (RESTATED_FEES.has(field)) continue;
      const value = amt(v, `${prefix}.${group}.${field}`);
      if (KNOWN_FEES.has(field)) fees[field as FeeField] = value;
      else if (value !== 0) {
        if (!FEE_FIELD_NAME.test(field)) {
          throw new DataError({ record: amt.record, id: amt.id, field: `${prefix}.${group}.${field}`, expected: 'a fee field name in snake case (letters, digits, _)', got: field });
        }
        unclassified[field] = (unclassified[field] ?? 0) + value;
      }
    }
  }
  return Object.keys(unclassified).length > 0 ? { fees, unclassifiedFees: unclassified } : { fees };
}

/** A record's currency must be its container's: one shop settles in one currency, never a mix. */
function sameCurrency(own: string | null | undefined, expected: string, where: { record: string; id?: string; field: string }, container: string): string {
  if (own && own !== expected) throw new DataError({ ...where, expected: `the ${container} currency ${expected}`, got: own });
  return expected;
}

/** The 202501 revenue, shipping and fee breakdowns, the same on per-statement and per-order transactions. */
function breakdownOf(
  t: Pick<ApiTransaction, 'revenue_breakdown' | 'shipping_cost_breakdown' | 'fee_tax_breakdown'>,
  amt: Amt,
): Pick<StatementTransaction,
  'subtotalBeforeDiscount' | 'refundSubtotalBeforeDiscount' | 'sellerDiscount' | 'sellerDiscountRefund' | 'customerPaidShippingFee' | 'actualShippingFee' | 'fees' | 'unclassifiedFees'> {
  const rb = t.revenue_breakdown ?? {};
  const sb = t.shipping_cost_breakdown ?? {};
  return {
    subtotalBeforeDiscount: amt(rb.subtotal_before_discount_amount, 'revenue_breakdown.subtotal_before_discount_amount'),
    refundSubtotalBeforeDiscount: amt(rb.refund_subtotal_before_discount_amount, 'revenue_breakdown.refund_subtotal_before_discount_amount'),
    sellerDiscount: amt(rb.seller_discount_amount, 'revenue_breakdown.seller_discount_amount'),
    sellerDiscountRefund: amt(rb.seller_discount_refund_amount, 'revenue_breakdown.seller_discount_refund_amount'),
    customerPaidShippingFee: amt(sb.customer_paid_shipping_fee_amount, 'shipping_cost_breakdown.customer_paid_shipping_fee_amount'),
    actualShippingFee: amt(sb.actual_shipping_fee_amount, 'shipping_cost_breakdown.actual_shipping_fee_amount'),
    ...feesOf(t.fee_tax_breakdown, amt),
  };
}

/** Maps one 202501 statement transaction. `seenKeys` makes composite keys unique per statement. */
export function mapStatementTransaction(raw: unknown, statement: Statement, seenKeys: Map<string, number> = new Map()): StatementTransaction {
  const endpoint = label('statementTransactions', { statement_id: statement.statementId });
  const record = `statement transaction (${endpoint})`;
  const hint = idOf(raw) ?? idOf(raw, 'order_id') ?? idOf(raw, 'adjustment_id');
  const t = parseRecord(ApiTransactionSchema, raw, record, hint);
  const key = hint ?? '';
  const currency = sameCurrency(t.currency, statement.currency, { record, id: key, field: 'currency' }, 'statement');
  const amt = amountReader(currency, record, key);
  const transactionId = uniqueKey(seenKeys, t.id || `${statement.statementId}:${t.type}:${t.order_id ?? ''}:${t.adjustment_id ?? ''}`);
  return parseRecord(StatementTransactionSchema, {
    transactionId,
    statementId: statement.statementId,
    statementTime: statement.statementTime,
    currency,
    type: t.type,
    orderId: t.order_id || t.adjustment_order_id || null,
    adjustmentId: t.adjustment_id || null,
    skuId: null,
    settlementAmount: amt(t.settlement_amount, 'settlement_amount', true),
    revenueAmount: amt(t.revenue_amount, 'revenue_amount'),
    shippingCostAmount: amt(t.shipping_cost_amount, 'shipping_cost_amount'),
    feeTaxAmount: amt(t.fee_tax_amount, 'fee_tax_amount'),
    adjustmentAmount: amt(t.adjustment_amount, 'adjustment_amount'),
    ...breakdownOf(t, amt),
    reserveAmount: amt(t.reserve_amount, 'reserve_amount'),
  } satisfies StatementTransaction, record, key || transactionId);
}

/** Every transaction of one statement (202501), page by page. */
export function fetchStatementTransactions(
  client: TikTokShopClient,
  statement: Statement,
  onPage: (transactions: StatementTransaction[], nextPageToken: string) => void,
  options: PagingOptions & { pageSize?: number } = {},
): PagingResult {
  const seen = new Map<string, number>();
  return pagedGet(client, 'statementTransactions', { statement_id: statement.statementId }, { sort_field: 'order_create_time', sort_order: 'ASC' },
    'transactions', (items, next) => onPage(items.map((r) => mapStatementTransaction(r, statement, seen)), next), options);
}

// ---------------------------------------------------------------- payments

export function mapPayment(raw: unknown): Payout {
  const endpoint = label('payments');
  const record = `payment (${endpoint})`;
  const p = parseRecord(ApiPaymentSchema, raw, record, idOf(raw));
  const currency = p.amount.currency;
  const amt = amountReader(currency, record, p.id);
  const money = (v: ApiPayment['settlement_amount'], field: string): number => {
    if (v === undefined || v === null) return 0;
    if (typeof v === 'string') return amt(v, field);
    if (v.currency && v.currency !== currency) throw new DataError({ record, id: p.id, field: `${field}.currency`, expected: `the payment currency ${currency}`, got: v.currency });
    return amt(v.value, `${field}.value`, true);
  };
  return parseRecord(PayoutSchema, {
    paymentId: p.id,
    createTime: p.create_time,
    paidTime: p.paid_time ? p.paid_time : null,
    status: p.status,
    currency,
    amount: amt(p.amount.value, 'amount.value', true),
    settlementAmount: money(p.settlement_amount, 'settlement_amount'),
    reserveAmount: money(p.reserve_amount, 'reserve_amount'),
  } satisfies Payout, record, p.id);
}

/** Payments created in [ge, lt), oldest first, page by page. */
export function fetchPayments(
  client: TikTokShopClient,
  window: { createTimeGe: number; createTimeLt: number },
  onPage: (payouts: Payout[], nextPageToken: string) => void,
  options: PagingOptions & { pageSize?: number } = {},
): PagingResult {
  return pagedGet(client, 'payments', {}, {
    sort_field: 'create_time', sort_order: 'ASC', create_time_ge: window.createTimeGe, create_time_lt: window.createTimeLt,
  }, 'payments', (items, next) => onPage(items.map(mapPayment), next), options);
}

// ---------------------------------------------------------------- unsettled orders (estimates)

export const ApiUnsettledSchema = z.object({
  id: optString,
  type: z.string(),
  currency: optString,
  order_id: optString,
  adjustment_id: optString,
  est_settlement_amount: z.string(),
  est_revenue_amount: optAmount,
  est_shipping_cost_amount: optAmount,
  est_fee_tax_amount: optAmount,
  est_adjustment_amount: optAmount,
  shipping_cost_breakdown: amountMap,
  fee_tax_breakdown: z.optional(z.nullable(z.object({ fee: amountMap, tax: amountMap }))),
});

/** Maps one unsettled transaction; null for a non-ORDER (adjustment) estimate. */
export function mapUnsettledTransaction(raw: unknown, fetchedTime: number, options: { currency?: string } = {}): UnsettledEstimate | null {
  const endpoint = label('unsettledOrders');
  const record = `unsettled transaction (${endpoint})`;
  const hint = idOf(raw, 'order_id') ?? idOf(raw) ?? idOf(raw, 'adjustment_id');
  const t = parseRecord(ApiUnsettledSchema, raw, record, hint);
  if (t.type !== 'ORDER') return null;
  if (!t.order_id) throw new DataError({ record, id: hint, field: 'order_id', expected: 'the order id of an ORDER transaction', got: t.order_id });
  const currency = t.currency || options.currency;
  if (!currency) throw new DataError({ record, id: t.order_id, field: 'currency', expected: 'a currency code (or the shop currency passed as the `currency` option)', got: t.currency });
  const amt = amountReader(currency, record, t.order_id);
  const sb = t.shipping_cost_breakdown ?? {};
  return parseRecord(UnsettledEstimateSchema, {
    orderId: t.order_id,
    currency,
    fetchedTime,
    estRevenueAmount: amt(t.est_revenue_amount, 'est_revenue_amount'),
    estShippingCostAmount: amt(t.est_shipping_cost_amount, 'est_shipping_cost_amount'),
    estFeeTaxAmount: amt(t.est_fee_tax_amount, 'est_fee_tax_amount'),
    estAdjustmentAmount: amt(t.est_adjustment_amount, 'est_adjustment_amount'),
    estSettlementAmount: amt(t.est_settlement_amount, 'est_settlement_amount', true),
    estCustomerPaidShippingFee: amt(sb.customer_paid_shipping_fee_amount, 'shipping_cost_breakdown.customer_paid_shipping_fee_amount'),
    ...feesOf(t.fee_tax_breakdown, amt),
  } satisfies UnsettledEstimate, record, t.order_id);
}

export interface UnsettledResult extends PagingResult {
  /** Non-ORDER estimates seen (not mapped). */
  skippedAdjustments: number;
  fetchedTime: number;
}

/** TikTok's estimates for orders created in [ge, lt) and not yet settled, page by page. */
export function fetchUnsettledOrders(
  client: TikTokShopClient,
  clock: Pick<Clock, 'now'>,
  window: { searchTimeGe: number; searchTimeLt: number },
  onPage: (estimates: UnsettledEstimate[], nextPageToken: string) => void,
  options: PagingOptions & { pageSize?: number; currency?: string } = {},
): UnsettledResult {
  const fetchedTime = Math.floor(clock.now());
  let skipped = 0;
  const r = pagedGet(client, 'unsettledOrders', {}, {
    sort_field: 'order_create_time', sort_order: 'ASC', search_time_ge: window.searchTimeGe, search_time_lt: window.searchTimeLt,
  }, 'transactions', (items, next) => {
    const out: UnsettledEstimate[] = [];
    for (const raw of items) {
      const e = mapUnsettledTransaction(raw, fetchedTime, options);
      if (e) out.push(e);
      else skipped++;
    }
    onPage(out, next);
  }, options);
  return { ...r, skippedAdjustments: skipped, fetchedTime };
}

// ---------------------------------------------------------------- withdrawals

export const WITHDRAWAL_TYPES = ['WITHDRAW', 'SETTLE', 'TRANSFER', 'REVERSE'] as const;
export type WithdrawalType = (typeof WITHDRAWAL_TYPES)[number];
export const WITHDRAWAL_STATUSES = ['PROCESSING', 'SUCCESS', 'FAILED'] as const;

/** One withdrawal record (no core record: see the notes at the top). */
export interface Withdrawal {
  id: string;
  type: WithdrawalType;
  status: (typeof WITHDRAWAL_STATUSES)[number];
  currency: string;
  /** Minor units of `currency`, sign as TikTok sends it. */
  amount: number;
  createTime: number;
}

export const ApiWithdrawalSchema = z.object({
  id: nonEmpty,
  type: z.enum(WITHDRAWAL_TYPES),
  status: z.enum(WITHDRAWAL_STATUSES),
  amount: z.string(),
  currency: nonEmpty,
  create_time: time,
});

export function mapWithdrawal(raw: unknown): Withdrawal {
  const record = `withdrawal (${label('withdrawals')})`;
  const w = parseRecord(ApiWithdrawalSchema, raw, record, idOf(raw));
  return {
    id: w.id, type: w.type, status: w.status, currency: w.currency,
    amount: parseAmount(w.amount, w.currency, { record, id: w.id, field: 'amount' }),
    createTime: w.create_time,
  };
}

/** Withdrawals (and settle / transfer / reverse movements) created in [ge, lt), page by page. */
export function fetchWithdrawals(
  client: TikTokShopClient,
  window: { createTimeGe: number; createTimeLt: number },
  onPage: (withdrawals: Withdrawal[], nextPageToken: string) => void,
  options: PagingOptions & { pageSize?: number; types?: readonly WithdrawalType[] } = {},
): PagingResult {
  const types = options.types ?? WITHDRAWAL_TYPES;
  if (types.length === 0) throw new RangeError('Get Withdrawals: `types` is required; give at least one of WITHDRAW, SETTLE, TRANSFER, REVERSE');
  return pagedGet(client, 'withdrawals', {}, {
    types: types.join(','), create_time_ge: window.createTimeGe, create_time_lt: window.createTimeLt,
  }, 'withdrawals', (items, next) => onPage(items.map(mapWithdrawal), next), options);
}

// ---------------------------------------------------------------- statement transactions of one order

export const ApiSkuTransactionSchema = z.object({
  sku_id: optString,
  statement_id: nonEmpty,
  statement_time: optTime,
  currency: optString,
  settlement_amount: z.string(),
  revenue_amount: optAmount,
  shipping_cost_amount: optAmount,
  fee_tax_amount: optAmount,
  fee_and_tax_amount: optAmount,
  adjustment_amount: optAmount,
  reserve_amount: optAmount,
  revenue_breakdown: amountMap,
  shipping_cost_breakdown: amountMap,
  fee_tax_breakdown: z.optional(z.nullable(z.object({ fee: amountMap, tax: amountMap }))),
});

const OrderTransactionsDataSchema = z.object({
  order_id: optString,
  currency: optString,
  sku_transactions: z.optional(z.nullable(z.array(z.unknown()))),
});

/** Maps one sku_transactions[] entry of an order (see the notes at the top). */
export function mapOrderSkuTransaction(
  raw: unknown,
  order: { orderId: string; currency: string },
  statementTimeOf: (statementId: string) => number | undefined = () => undefined,
  seenKeys: Map<string, number> = new Map(),
  index = 0,
): StatementTransaction {
  const endpoint = label('orderStatementTransactions', { order_id: order.orderId });
  const record = `order statement transaction (${endpoint})`;
  const sku = idOf(raw, 'sku_id');
  const key = sku ? `${order.orderId}/${sku}` : order.orderId;
  const f = (name: string) => `sku_transactions.${index}.${name}`;
  const t = parseRecord(ApiSkuTransactionSchema, raw, record, key);
  const currency = sameCurrency(t.currency, order.currency, { record, id: key, field: f('currency') }, 'order');
  const own = amountReader(currency, record, key);
  const amt: Amt = Object.assign((text: unknown, field: string, required?: boolean) => own(text, f(field), required), { record, id: key });
  const statementTime = t.statement_time ? t.statement_time : statementTimeOf(t.statement_id);
  if (statementTime === undefined) {
    throw new DataError({ record, id: key, field: f('statement_id'), expected: 'a statement_time, or a statement fetched from GET /finance/202309/statements (its time is the cash-view date)', got: t.statement_id });
  }
  const skuId = t.sku_id ? t.sku_id : null;
  const transactionId = uniqueKey(seenKeys, skuId === null ? `${t.statement_id}:ORDER:${order.orderId}:` : `${t.statement_id}:ORDER:${order.orderId}::${skuId}`);
  return parseRecord(StatementTransactionSchema, {
    transactionId,
    statementId: t.statement_id,
    statementTime,
    currency,
    type: 'ORDER',
    orderId: order.orderId,
    adjustmentId: null,
    skuId,
    settlementAmount: amt(t.settlement_amount, 'settlement_amount', true),
    revenueAmount: amt(t.revenue_amount, 'revenue_amount'),
    shippingCostAmount: amt(t.shipping_cost_amount, 'shipping_cost_amount'),
    feeTaxAmount: t.fee_tax_amount !== undefined && t.fee_tax_amount !== null ? amt(t.fee_tax_amount, 'fee_tax_amount') : amt(t.fee_and_tax_amount, 'fee_and_tax_amount'),
    adjustmentAmount: amt(t.adjustment_amount, 'adjustment_amount'),
    ...breakdownOf(t, amt),
    reserveAmount: amt(t.reserve_amount, 'reserve_amount'),
  } satisfies StatementTransaction, record, key);
}

/** The SKU-level statement transactions of one order (202501). */
export function fetchOrderStatementTransactions(
  client: TikTokShopClient,
  orderId: string,
  statementTimeOf: (statementId: string) => number | undefined = () => undefined,
): StatementTransaction[] {
  const path = pathOf('orderStatementTransactions', { order_id: orderId });
  const endpoint = label('orderStatementTransactions', { order_id: orderId });
  const seen = new Map<string, number>();
  const out: StatementTransaction[] = [];
  let index = 0;
  forEachPage(endpoint, (pageToken) => {
    const data = client.call({ method: 'GET', path, query: { page_token: pageToken } });
    const d = parseRecord(OrderTransactionsDataSchema, data ?? {}, `response (${endpoint})`, orderId);
    const order = { orderId: d.order_id || orderId, currency: d.currency ?? '' };
    if (!order.currency) throw new DataError({ record: `response (${endpoint})`, id: orderId, field: 'currency', expected: 'a currency code', got: d.currency });
    return { items: (d.sku_transactions ?? []).map((raw) => mapOrderSkuTransaction(raw, order, statementTimeOf, seen, index++)), nextPageToken: nextPageTokenOf(data, endpoint) };
  }, (items) => {
    out.push(...items);
  });
  return out;
}
