/**
 * Returns, refunds and cancellations (reference §6) → core `Return` and `Cancellation` records.
 *
 * Calls
 * - Search Returns: POST /return_refund/202309/returns/search. Query (signed): page_size
 *   (10–50, default 50), page_token, sort_field, sort_order=ASC. Body: the time window,
 *   either update_time_ge / update_time_lt (default, sort_field=update_time: a return that
 *   changes status comes back in the next incremental window) or create_time_ge /
 *   create_time_lt (sort_field=create_time).
 * - Search Cancellations: POST /return_refund/202309/cancellations/search, page_size 1–50
 *   (default 50), same window choice and sort. The reference lists only create_time_ge/lt in
 *   the body; update_time_ge/lt is the same API family's usual filter and is what an
 *   incremental sync needs — pass `{ createTimeGe, createTimeLt }` if TikTok refuses it.
 * - Both are paged to exhaustion via paging.ts (or options.maxPages with a resume token).
 *
 * Validation: zod/mini payload schemas ignore unknown fields; a missing required field, a
 * wrong type or an unknown enum value (return_type, cancel_status) is a
 * DataError naming the endpoint, the return / cancel id and the field path.
 *
 * Mapping choices — Return
 * - returnId = return_id, orderId = order_id, returnType = return_type, status =
 *   return_status, createTime / updateTime = create_time / update_time (all required). A
 *   return_status outside the documented list is kept as sent (the return is not counted as
 *   refunded until TikTok reports it complete) and named in a data note on the Profit tab;
 *   return_type stays strict (it says whether units come back: COGS).
 * - currency = refund_amount.currency; when TikTok sends no refund_amount (e.g. a REPLACEMENT
 *   with no money back) the caller's `currency` option (the shop currency); neither → DataError.
 *   A line's refund_amount.currency, when given, must equal it.
 * - refundShipping = refund_amount.refund_shipping_fee (absent → 0).
 * - Lines, one per return_line_items[] entry (API line items are single units):
 *   lineId = order_line_item_id, skuId = sku_id (absent → "");
 *   quantity = 1 when return_type is RETURN_AND_REFUND or REPLACEMENT (the unit comes back),
 *   else 0 (REFUND: money only).
 *   `refund_subtotal` is what the buyer paid for the product, i.e. AFTER both the seller and
 *   the platform product discounts. The record wants the amount before discounts, so
 *     refundedOriginal       = refund_subtotal + product_seller_discount + product_platform_discount
 *     refundedSellerDiscount = product_seller_discount
 *   (the seller's revenue falls by original − seller discount = refund_subtotal + platform
 *   discount: the platform-funded part was paid to the seller by TikTok and goes back too).
 *   refund_subtotal is the line's refund_amount.refund_subtotal; when a line has none, the
 *   return-level refund_amount.refund_subtotal if the return has exactly one line (or it is 0 /
 *   absent), else a DataError (money never silently dropped or guessed).
 *   The per-line discounts come from the line's own `discount_amount` (an object, or a list
 *   whose entries are summed) when present; else, when the return-level `discount_amount[]` has
 *   one entry per line, from the entry with the same index as the line; else (real returns carry
 *   ONE return-level entry for two lines) the return-level entries' total is shared over the
 *   lines without their own discount in proportion to their refund_subtotal, exactly
 *   (allocateByWeights: largest remainder, the parts add up to the entry to the cent; a
 *   non-zero discount over lines that all refund 0 cannot be shared and is a DataError).
 *   Only the product_* fields are used; the shipping_fee_* discounts concern shipping, which is
 *   refundShipping.
 * - `partial_refund.amount` (an order-level amount not tied to a line item) → one more line
 *   {lineId: null, skuId: "", quantity: 0, refundedOriginal: partial_refund.amount,
 *   refundedSellerDiscount: 0} (no discount goes back with it). It is added whether or not
 *   the return also has line items: the return-level refund_subtotal is read as Σ line
 *   refund_subtotal + partial_refund.amount (the sandbox renders it so; live data to confirm),
 *   so the single-line fallback above uses refund_subtotal − partial_refund.amount.
 * - A return with neither line items nor partial_refund but a non-zero return-level
 *   refund_subtotal → one line {lineId: null, skuId: "", quantity 0 (or 1 as above),
 *   refundedOriginal: refund_subtotal + the summed return-level product discounts,
 *   refundedSellerDiscount: summed product_seller_discount}; otherwise no lines.
 * - Amounts are decimal strings parsed exactly (parseAmount) with the field named; absent → 0.
 *
 * Mapping choices — Cancellation
 * - cancelId = cancel_id, orderId = order_id, status = cancel_status, createTime /
 *   updateTime = create_time / update_time (required); cancelType = cancel_type, role = role,
 *   reason = cancel_reason (absent → "").
 * - currency = refund_amount.currency, else the caller's `currency` option, else DataError.
 * - refundTotal = refund_amount.refund_total (absent → 0).
 * - lineIds = cancel_line_items[].order_line_item_id (entries without one are skipped).
 */
import * as z from 'zod/mini';
import {
  CANCEL_STATUSES, CancellationSchema, parseRecord, RETURN_TYPES, ReturnSchema, statusText,
  type Cancellation, type Return,
} from '../core/records';
import { DataError } from '../core/errors';
import { allocateByWeights } from '../core/money';
import type { TikTokShopClient } from './request';
import type { PagingResult } from './paging';
import { amountReader, checkWindow, endpointLabel, pagedCall, rawId, type AmountReader, type PagedOptions } from './resource';

// ---------------------------------------------------------------- payload schemas

const nonEmpty = z.string().check(z.minLength(1));
const optString = z.optional(z.nullable(z.string()));
const optAmount = optString;
const time = z.int().check(z.nonnegative());

const RefundAmountSchema = z.object({
  currency: optString,
  refund_total: optAmount,
  refund_subtotal: optAmount,
  refund_shipping_fee: optAmount,
  refund_tax: optAmount,
});
const DiscountSchema = z.object({
  product_seller_discount: optAmount,
  product_platform_discount: optAmount,
  shipping_fee_seller_discount: optAmount,
  shipping_fee_platform_discount: optAmount,
});
type ApiDiscount = z.infer<typeof DiscountSchema>;

export type ApiReturnLine = z.infer<typeof ApiReturnLineSchema>;
export const ApiReturnLineSchema = z.object({
  order_line_item_id: nonEmpty,
  sku_id: optString,
  seller_sku: optString,
  refund_amount: z.optional(z.nullable(RefundAmountSchema)),
  discount_amount: z.optional(z.nullable(z.union([DiscountSchema, z.array(DiscountSchema)]))),
});

export const ApiReturnSchema = z.object({
  return_id: nonEmpty,
  order_id: nonEmpty,
  return_type: z.enum(RETURN_TYPES),
  return_status: statusText,
  create_time: time,
  update_time: time,
  refund_amount: z.optional(z.nullable(RefundAmountSchema)),
  discount_amount: z.optional(z.nullable(z.array(DiscountSchema))),
  partial_refund: z.optional(z.nullable(z.object({ amount: optAmount, currency: optString }))),
  return_line_items: z.optional(z.nullable(z.array(ApiReturnLineSchema))),
});
export type ApiReturn = z.infer<typeof ApiReturnSchema>;

export const ApiCancellationSchema = z.object({
  cancel_id: nonEmpty,
  order_id: nonEmpty,
  cancel_type: optString,
  cancel_status: z.enum(CANCEL_STATUSES),
  role: optString,
  cancel_reason: optString,
  create_time: time,
  update_time: time,
  refund_amount: z.optional(z.nullable(RefundAmountSchema)),
  cancel_line_items: z.optional(z.nullable(z.array(z.object({ order_line_item_id: optString })))),
});
export type ApiCancellation = z.infer<typeof ApiCancellationSchema>;

// ---------------------------------------------------------------- windows

/** Half-open Unix-seconds window on update time (default) or create time. */
export type ReturnWindow =
  | { updateTimeGe: number; updateTimeLt: number }
  | { createTimeGe: number; createTimeLt: number };

function windowFilter(what: string, w: ReturnWindow): { body: Record<string, number>; sortField: 'update_time' | 'create_time' } {
  if ('updateTimeGe' in w) {
    checkWindow(what, w.updateTimeGe, w.updateTimeLt);
    return { body: { update_time_ge: w.updateTimeGe, update_time_lt: w.updateTimeLt }, sortField: 'update_time' };
  }
  checkWindow(what, w.createTimeGe, w.createTimeLt);
  return { body: { create_time_ge: w.createTimeGe, create_time_lt: w.createTimeLt }, sortField: 'create_time' };
}

export interface ReturnFetchOptions extends PagedOptions {
  /** The shop currency, used when a record carries no refund_amount.currency. */
  currency?: string;
}

// ---------------------------------------------------------------- returns

function currencyOf(declared: string | null | undefined, fallback: string | undefined, record: string, id: string, field: string): string {
  if (declared) return declared;
  if (fallback) return fallback;
  throw new DataError({ record, id, field, expected: 'a currency code (or the shop currency passed as the `currency` option)', got: declared });
}

function discounts(d: ApiDiscount | readonly ApiDiscount[] | null | undefined, amt: AmountReader, field: string): { seller: number; platform: number } {
  const list = d === null || d === undefined ? [] : Array.isArray(d) ? d : [d as ApiDiscount];
  let seller = 0;
  let platform = 0;
  list.forEach((x, i) => {
    const at = Array.isArray(d) ? `${field}.${i}` : field;
    seller += amt(x.product_seller_discount, `${at}.product_seller_discount`);
    platform += amt(x.product_platform_discount, `${at}.product_platform_discount`);
  });
  return { seller, platform };
}

/**
 * The product discounts that go back with each line (see the mapping notes at the top): a line's
 * own discount_amount; else the return-level entry of the same index when there is one entry per
 * line; else — real returns carry ONE return-level entry for several lines — the return-level
 * entries' total shared over the lines without their own, by refund subtotal, exactly
 * (largest remainder, ties to the earlier line: the parts add up to the entry to the cent).
 */
function discountsOfLines(
  r: ApiReturn,
  items: readonly ApiReturnLine[],
  subtotals: readonly number[],
  amt: AmountReader,
  record: string,
): { seller: number; platform: number }[] {
  const out = items.map((li, i) => (li.discount_amount !== undefined && li.discount_amount !== null
    ? discounts(li.discount_amount, amt, `return_line_items.${i}.discount_amount`)
    : null));
  const entries = r.discount_amount ?? [];
  const open = out.flatMap((d, i) => (d === null ? [i] : []));
  if (open.length === 0) return out as { seller: number; platform: number }[];
  if (entries.length === items.length) {
    for (const i of open) out[i] = discounts(entries[i], amt, `discount_amount.${i}`);
    return out as { seller: number; platform: number }[];
  }
  const total = discounts(entries, amt, 'discount_amount');
  const weights = open.map((i) => subtotals[i]);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  if (weightSum === 0) {
    if (total.seller !== 0 || total.platform !== 0) {
      throw new DataError({
        record, id: r.return_id, field: 'discount_amount',
        expected: `one discount entry per line, or line refund subtotals to share it by (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} for ${items.length} lines, every line refund 0)`,
        got: r.discount_amount,
      });
    }
    for (const i of open) out[i] = { seller: 0, platform: 0 };
    return out as { seller: number; platform: number }[];
  }
  const seller = allocateByWeights(total.seller, weights);
  const platform = allocateByWeights(total.platform, weights);
  open.forEach((i, k) => (out[i] = { seller: seller[k], platform: platform[k] }));
  return out as { seller: number; platform: number }[];
}

/** Maps one Search Returns entry (see the mapping notes at the top). */
export function mapReturn(raw: unknown, options: { currency?: string } = {}): Return {
  const endpoint = endpointLabel('returnsSearch');
  const record = `return (${endpoint})`;
  const r = parseRecord(ApiReturnSchema, raw, record, rawId(raw, 'return_id'));
  const currency = currencyOf(r.refund_amount?.currency, options.currency, record, r.return_id, 'refund_amount.currency');
  const amt = amountReader(currency, record, r.return_id);
  const unitsBack = r.return_type === 'RETURN_AND_REFUND' || r.return_type === 'REPLACEMENT' ? 1 : 0;
  const items = r.return_line_items ?? [];
  const returnSubtotal = amt(r.refund_amount?.refund_subtotal, 'refund_amount.refund_subtotal');
  const partialText = r.partial_refund?.amount;
  const hasPartial = partialText !== undefined && partialText !== null && partialText !== '';
  if (hasPartial && r.partial_refund?.currency && r.partial_refund.currency !== currency) {
    throw new DataError({ record, id: r.return_id, field: 'partial_refund.currency', expected: `the return currency ${currency}`, got: r.partial_refund.currency });
  }
  const partial = hasPartial ? amt(partialText, 'partial_refund.amount', true) : 0;
  const linesSubtotal = returnSubtotal - partial;
  const subtotals = items.map((li, i) => {
    const f = (name: string) => `return_line_items.${i}.${name}`;
    const lineCurrency = li.refund_amount?.currency;
    if (lineCurrency && lineCurrency !== currency) {
      throw new DataError({ record, id: r.return_id, field: f('refund_amount.currency'), expected: `the return currency ${currency}`, got: lineCurrency });
    }
    const own = li.refund_amount?.refund_subtotal;
    if (own !== undefined && own !== null) return amt(own, f('refund_amount.refund_subtotal'), true);
    if (linesSubtotal === 0 || items.length === 1) return Math.max(0, linesSubtotal);
    throw new DataError({ record, id: r.return_id, field: f('refund_amount.refund_subtotal'), expected: 'the line refund (the return has several lines and a return-level refund to split)', got: own });
  });
  const lineDiscounts = discountsOfLines(r, items, subtotals, amt, record);
  const lines: Return['lines'] = items.map((li, i) => ({
    lineId: li.order_line_item_id,
    skuId: li.sku_id ?? '',
    quantity: unitsBack,
    refundedOriginal: subtotals[i] + lineDiscounts[i].seller + lineDiscounts[i].platform,
    refundedSellerDiscount: lineDiscounts[i].seller,
  }));
  if (hasPartial) {
    lines.push({ lineId: null, skuId: '', quantity: 0, refundedOriginal: partial, refundedSellerDiscount: 0 });
  } else if (items.length === 0 && returnSubtotal !== 0) {
    const disc = discounts(r.discount_amount, amt, 'discount_amount');
    lines.push({ lineId: null, skuId: '', quantity: unitsBack, refundedOriginal: returnSubtotal + disc.seller + disc.platform, refundedSellerDiscount: disc.seller });
  }
  return parseRecord(ReturnSchema, {
    returnId: r.return_id,
    orderId: r.order_id,
    returnType: r.return_type,
    status: r.return_status,
    currency,
    createTime: r.create_time,
    updateTime: r.update_time,
    refundShipping: amt(r.refund_amount?.refund_shipping_fee, 'refund_amount.refund_shipping_fee'),
    lines,
  } satisfies Return, record, r.return_id);
}

/**
 * Search Returns for the window, oldest first, page by page to exhaustion; `onPage` gets each
 * page's records and the token that resumes after it (checkpoint there).
 */
export function fetchReturns(
  client: TikTokShopClient,
  window: ReturnWindow,
  onPage: (returns: Return[], nextPageToken: string) => void,
  options: ReturnFetchOptions = {},
): PagingResult {
  const { body, sortField } = windowFilter('Search Returns', window);
  return pagedCall(client, 'returnsSearch', { query: { sort_field: sortField, sort_order: 'ASC' }, body, listField: 'return_orders' },
    (items, next) => onPage(items.map((x) => mapReturn(x, options)), next), options);
}

// ---------------------------------------------------------------- cancellations

/** Maps one Search Cancellations entry (see the mapping notes at the top). */
export function mapCancellation(raw: unknown, options: { currency?: string } = {}): Cancellation {
  const endpoint = endpointLabel('cancellationsSearch');
  const record = `cancellation (${endpoint})`;
  const c = parseRecord(ApiCancellationSchema, raw, record, rawId(raw, 'cancel_id'));
  const currency = currencyOf(c.refund_amount?.currency, options.currency, record, c.cancel_id, 'refund_amount.currency');
  const amt = amountReader(currency, record, c.cancel_id);
  return parseRecord(CancellationSchema, {
    cancelId: c.cancel_id,
    orderId: c.order_id,
    cancelType: c.cancel_type ?? '',
    status: c.cancel_status,
    role: c.role ?? '',
    reason: c.cancel_reason ?? '',
    currency,
    createTime: c.create_time,
    updateTime: c.update_time,
    refundTotal: amt(c.refund_amount?.refund_total, 'refund_amount.refund_total'),
    lineIds: (c.cancel_line_items ?? []).map((l) => l.order_line_item_id).filter((x): x is string => typeof x === 'string' && x !== ''),
  } satisfies Cancellation, record, c.cancel_id);
}

/** Search Cancellations for the window, oldest first, page by page to exhaustion. */
export function fetchCancellations(
  client: TikTokShopClient,
  window: ReturnWindow,
  onPage: (cancellations: Cancellation[], nextPageToken: string) => void,
  options: ReturnFetchOptions = {},
): PagingResult {
  const { body, sortField } = windowFilter('Search Cancellations', window);
  return pagedCall(client, 'cancellationsSearch', { query: { sort_field: sortField, sort_order: 'ASC' }, body, listField: 'cancellations' },
    (items, next) => onPage(items.map((x) => mapCancellation(x, options)), next), options);
}
