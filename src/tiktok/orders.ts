/**
 * Orders: Search Orders by update-time window, Get Order Detail in batches, mapping to core
 * `Order` and `OrderLine` records (reference §4).
 *
 * Calls
 * - Search: POST /order/202309/orders/search. Query (signed): page_size, sort_field=update_time,
 *   sort_order=ASC, page_token. Body: update_time_ge / update_time_lt (Unix seconds, half-open).
 *   Ascending update time, so a checkpointed page token or the last update_time is a resumable
 *   watermark. Search is used for the ids only; the detail endpoint is the source of the record.
 * - Detail: GET /order/202507/orders?ids=a,b,… with ≤ 50 ids per call; several calls go out
 *   together through fetchAll (`parallel` calls at once, default 4: well under 50 QPS per API
 *   and shop). Ids asked for but not returned are reported in `missingIds`, not silently dropped.
 *
 * Validation (zod/mini): unknown extra fields are ignored; a missing required field, a wrong
 * type or an unknown fulfillment_type is a DataError naming the endpoint, the order id and the
 * field path (e.g. `line_items.2.sale_price`). A status the add-on does not know (one in capitals,
 * LIKE_THIS, outside ORDER_STATUSES) is kept as `statusSent`, with the status the order's times
 * show (orderStatusFromTimes); the Profit tab says so. A line's display_status is read only for
 * CANCELLED.
 *
 * Mapping choices (API field → record field)
 * - orderId = id; buyerId = user_id; status = status; currency = payment.currency.
 * - createTime / updateTime = create_time / update_time (required).
 * - paidTime, cancelTime, deliveryTime = paid_time, cancel_time, delivery_time; 0 or absent →
 *   null (TikTok sends 0 for "not yet").
 * - fulfillmentType = fulfillment_type (required, one of the three documented values).
 * - isSample = is_sample_order (absent → false). sampleCreator = null: the API does not say which
 *   creator asked for the sample (the affiliate sample API or a user tab must supply it).
 * - Amounts are TikTok decimal strings, parsed exactly by parseAmount in payment.currency with
 *   the field named in any error:
 *   shippingFee = payment.shipping_fee; totalAmount = payment.total_amount (both required);
 *   shippingSellerDiscount / shippingPlatformDiscount = payment.shipping_fee_seller_discount /
 *   _platform_discount, tax = payment.tax (absent → 0: TikTok leaves out zero fees, and tax
 *   outside the US); originalShippingFee = payment.original_shipping_fee, or when absent the
 *   documented identity shipping_fee + both shipping discounts.
 * - Lines: one record per API line item, quantity 1 (the API has no quantity field; TikTok
 *   lists one line item per unit — an inference, reference §4). lineId = id, skuId = sku_id,
 *   productId = product_id (required); productName / skuName / sellerSku absent → "".
 *   originalPrice = original_price, salePrice = sale_price (required);
 *   sellerDiscount / platformDiscount = seller_discount / platform_discount (absent → 0).
 *   A line's currency, when given, must equal payment.currency (else DataError).
 * - cancelled = (display_status === 'CANCELLED'); the order may go on without the line.
 * - Gift lines (is_gift) are kept as ordinary lines (their sale price is what was charged,
 *   usually 0). Bundles (combined_listing_skus) keep the listed bundle SKU on the line.
 * - The mapped records are validated against core OrderSchema / OrderLineSchema (non-negative
 *   amounts, known currency) with the order id in any error.
 */
import * as z from 'zod/mini';
import {
  FULFILLMENT_TYPES, ORDER_STATUSES, OrderLineSchema, OrderSchema, orderStatusFromTimes, parseRecord, statusText, type Order, type OrderLine, type OrderStatus,
} from '../core/records';
import { parseAmount } from '../core/money';
import { DataError } from '../core/errors';
import type { TikTokShopClient } from './request';
import { checkPageSize, ENDPOINTS, maxPageSize, ORDER_DETAIL_MAX_IDS, pathOf } from './versions';
import { forEachPage, listOf, nextPageTokenOf, type PagingOptions, type PagingResult } from './paging';

// ---------------------------------------------------------------- payload schemas

const nonEmpty = z.string().check(z.minLength(1));
const amount = z.string();
const optAmount = z.optional(z.nullable(z.string()));
const optTime = z.optional(z.nullable(z.int().check(z.nonnegative())));
const time = z.int().check(z.nonnegative());

export const ApiLineItemSchema = z.object({
  id: nonEmpty,
  sku_id: nonEmpty,
  product_id: nonEmpty,
  product_name: z.optional(z.nullable(z.string())),
  sku_name: z.optional(z.nullable(z.string())),
  seller_sku: z.optional(z.nullable(z.string())),
  currency: z.optional(z.nullable(z.string())),
  original_price: amount,
  sale_price: amount,
  seller_discount: optAmount,
  platform_discount: optAmount,
  // Only CANCELLED is read (a cancelled line); any other status, known or not, changes no figure.
  display_status: z.optional(z.nullable(z.string())),
  is_gift: z.optional(z.nullable(z.boolean())),
});

export const ApiPaymentSchema = z.object({
  currency: nonEmpty,
  shipping_fee: amount,
  total_amount: amount,
  original_shipping_fee: optAmount,
  shipping_fee_seller_discount: optAmount,
  shipping_fee_platform_discount: optAmount,
  tax: optAmount,
});

export const ApiOrderSchema = z.object({
  id: nonEmpty,
  status: statusText,
  user_id: nonEmpty,
  create_time: time,
  update_time: time,
  paid_time: optTime,
  cancel_time: optTime,
  delivery_time: optTime,
  fulfillment_type: z.enum(FULFILLMENT_TYPES),
  is_sample_order: z.optional(z.nullable(z.boolean())),
  payment: ApiPaymentSchema,
  line_items: z.array(ApiLineItemSchema),
});
export type ApiOrder = z.infer<typeof ApiOrderSchema>;

const SearchOrderSchema = z.object({ id: nonEmpty });

function endpointLabel(name: 'ordersSearch' | 'orderDetail'): string {
  return `${ENDPOINTS[name].method} ${pathOf(name)}`;
}

function idOf(raw: unknown): string | undefined {
  if (raw !== null && typeof raw === 'object') {
    const id = (raw as { id?: unknown }).id;
    if (typeof id === 'string' && id !== '') return id;
  }
  return undefined;
}

/** Validates one order payload; DataError names the endpoint, the order id and the field. */
export function parseApiOrder(raw: unknown, endpoint = endpointLabel('orderDetail')): ApiOrder {
  return parseRecord(ApiOrderSchema, raw, `order (${endpoint})`, idOf(raw));
}

// ---------------------------------------------------------------- search

export interface UpdateWindow {
  /** Inclusive, Unix seconds. */
  updateTimeGe: number;
  /** Exclusive, Unix seconds. */
  updateTimeLt: number;
}

export interface SearchOptions extends PagingOptions {
  pageSize?: number;
}

/**
 * Pages through Search Orders for orders updated in [ge, lt), oldest update first, handing the
 * order ids of each page to `onPage` with the token that resumes after it.
 */
export function searchOrderIds(
  client: TikTokShopClient,
  window: UpdateWindow,
  onPage: (ids: string[], nextPageToken: string) => void,
  options: SearchOptions = {},
): PagingResult {
  if (!(Number.isInteger(window.updateTimeGe) && Number.isInteger(window.updateTimeLt) && window.updateTimeGe < window.updateTimeLt)) {
    throw new RangeError(`Search Orders: the update-time window must be whole Unix seconds with start < end, got [${window.updateTimeGe}, ${window.updateTimeLt})`);
  }
  const pageSize = checkPageSize('ordersSearch', options.pageSize ?? maxPageSize('ordersSearch'));
  const path = pathOf('ordersSearch');
  const endpoint = endpointLabel('ordersSearch');
  return forEachPage(
    endpoint,
    (pageToken) => {
      const data = client.call({
        method: 'POST',
        path,
        query: { page_size: pageSize, sort_field: 'update_time', sort_order: 'ASC', page_token: pageToken },
        body: { update_time_ge: window.updateTimeGe, update_time_lt: window.updateTimeLt },
      });
      const ids = listOf(data, 'orders', endpoint).map((o) => parseRecord(SearchOrderSchema, o, `order (${endpoint})`, idOf(o)).id);
      return { items: ids, nextPageToken: nextPageTokenOf(data, endpoint) };
    },
    onPage,
    options,
  );
}

// ---------------------------------------------------------------- detail

export interface DetailOptions {
  /** Detail calls sent together with fetchAll (default 4). */
  parallel?: number;
}

export interface OrderDetails {
  orders: ApiOrder[];
  /** Ids asked for that TikTok did not return. */
  missingIds: string[];
}

/** Get Order Detail for `ids` (deduplicated), ≤ 50 ids per call, `parallel` calls per fetchAll. */
export function getOrderDetails(client: TikTokShopClient, ids: readonly string[], options: DetailOptions = {}): OrderDetails {
  const unique = Array.from(new Set(ids));
  const parallel = Math.max(1, Math.floor(options.parallel ?? 4));
  const path = pathOf('orderDetail');
  const endpoint = endpointLabel('orderDetail');
  const chunks: string[][] = [];
  for (let i = 0; i < unique.length; i += ORDER_DETAIL_MAX_IDS) chunks.push(unique.slice(i, i + ORDER_DETAIL_MAX_IDS));
  const byId = new Map<string, ApiOrder>();
  for (let g = 0; g < chunks.length; g += parallel) {
    const group = chunks.slice(g, g + parallel);
    const datas = client.callAll(group.map((c) => ({ method: 'GET' as const, path, query: { ids: c.join(',') } })));
    for (const data of datas) {
      for (const raw of listOf(data, 'orders', endpoint)) {
        const o = parseApiOrder(raw, endpoint);
        byId.set(o.id, o);
      }
    }
  }
  const orders: ApiOrder[] = [];
  const missingIds: string[] = [];
  for (const id of unique) {
    const o = byId.get(id);
    if (o) orders.push(o);
    else missingIds.push(id);
  }
  return { orders, missingIds };
}

// ---------------------------------------------------------------- mapping

function nullableTime(t: number | null | undefined): number | null {
  return t === undefined || t === null || t === 0 ? null : t;
}

/** Maps one validated API order to core records (see the mapping notes at the top). */
export function mapOrder(o: ApiOrder, endpoint = endpointLabel('orderDetail')): { order: Order; lines: OrderLine[] } {
  const record = `order (${endpoint})`;
  const currency = o.payment.currency;
  const amt = (text: string | null | undefined, field: string, fallback?: number): number => {
    if ((text === undefined || text === null) && fallback !== undefined) return fallback;
    return parseAmount(text, currency, { record, id: o.id, field });
  };
  const shippingFee = amt(o.payment.shipping_fee, 'payment.shipping_fee');
  const shipSeller = amt(o.payment.shipping_fee_seller_discount, 'payment.shipping_fee_seller_discount', 0);
  const shipPlatform = amt(o.payment.shipping_fee_platform_discount, 'payment.shipping_fee_platform_discount', 0);
  const known = (ORDER_STATUSES as readonly string[]).includes(o.status);
  const order = parseRecord(OrderSchema, {
    orderId: o.id,
    buyerId: o.user_id,
    status: known ? (o.status as OrderStatus) : orderStatusFromTimes({
      cancelled: nullableTime(o.cancel_time) !== null, paid: nullableTime(o.paid_time) !== null, delivered: nullableTime(o.delivery_time) !== null, shipped: false,
    }),
    ...(known ? {} : { statusSent: o.status }),
    currency,
    createTime: o.create_time,
    updateTime: o.update_time,
    paidTime: nullableTime(o.paid_time),
    cancelTime: nullableTime(o.cancel_time),
    deliveryTime: nullableTime(o.delivery_time),
    fulfillmentType: o.fulfillment_type,
    isSample: o.is_sample_order === true,
    sampleCreator: null,
    originalShippingFee: amt(o.payment.original_shipping_fee, 'payment.original_shipping_fee', shippingFee + shipSeller + shipPlatform),
    shippingSellerDiscount: shipSeller,
    shippingPlatformDiscount: shipPlatform,
    shippingFee,
    tax: amt(o.payment.tax, 'payment.tax', 0),
    totalAmount: amt(o.payment.total_amount, 'payment.total_amount'),
  } satisfies Order, record, o.id);

  const lines = o.line_items.map((li, i) => {
    const f = (name: string) => `line_items.${i}.${name}`;
    if (li.currency !== undefined && li.currency !== null && li.currency !== '' && li.currency !== currency) {
      throw new DataError({ record, id: o.id, field: f('currency'), expected: `the order currency ${currency}`, got: li.currency });
    }
    return parseRecord(OrderLineSchema, {
      lineId: li.id,
      orderId: o.id,
      skuId: li.sku_id,
      productId: li.product_id,
      sellerSku: li.seller_sku ?? '',
      productName: li.product_name ?? '',
      skuName: li.sku_name ?? '',
      currency,
      quantity: 1,
      originalPrice: amt(li.original_price, f('original_price')),
      sellerDiscount: amt(li.seller_discount, f('seller_discount'), 0),
      platformDiscount: amt(li.platform_discount, f('platform_discount'), 0),
      salePrice: amt(li.sale_price, f('sale_price')),
      cancelled: li.display_status === 'CANCELLED',
    } satisfies OrderLine, record, o.id);
  });
  return { order, lines };
}

// ---------------------------------------------------------------- the whole flow

export interface UpdatedOrders {
  orders: Order[];
  lines: OrderLine[];
  missingIds: string[];
  paging: PagingResult;
}

/**
 * Orders updated in the window: search page by page, detail each page's ids, map. `onPage`
 * receives each page's records and the resume token (write and checkpoint there).
 */
export function fetchOrdersUpdated(
  client: TikTokShopClient,
  window: UpdateWindow,
  options: SearchOptions & DetailOptions & { onPage?: (page: { orders: Order[]; lines: OrderLine[]; missingIds: string[] }, nextPageToken: string) => void } = {},
): UpdatedOrders {
  const all: UpdatedOrders = { orders: [], lines: [], missingIds: [], paging: { pages: 0, nextPageToken: '' } };
  all.paging = searchOrderIds(client, window, (ids, next) => {
    const details = getOrderDetails(client, ids, options);
    const page = { orders: [] as Order[], lines: [] as OrderLine[], missingIds: details.missingIds };
    for (const o of details.orders) {
      const m = mapOrder(o);
      page.orders.push(m.order);
      page.lines.push(...m.lines);
    }
    options.onPage?.(page, next);
    all.orders.push(...page.orders);
    all.lines.push(...page.lines);
    all.missingIds.push(...page.missingIds);
  }, options);
  return all;
}
