/**
 * Shop analytics (reference §9) → core `ShopPerformance` (per day) and `ProductPerformance`
 * (per product per day). Scope data.shop_analytics.public.read.
 *
 * Calls
 * - Shop performance: GET /analytics/202405/shop/performance with start_date_ge, end_date_lt
 *   (YYYY-MM-DD in the SHOP timezone; end exclusive), granularity=1D, currency=LOCAL. Not
 *   paged. The range is sent in windows of at most SHOP_PERFORMANCE_MAX_DAYS (30) days: the
 *   reference gives no limit, so a conservative one is assumed here (one constant).
 * - Product performance: GET /analytics/202405/shop_products/performance, paged (page_size
 *   1–100, default 100; page_token), currency=LOCAL. The list endpoint has no granularity: it
 *   returns one aggregate per product for the whole requested range. Per-day values are
 *   therefore obtained by calling it once per day (start_date_ge = d, end_date_lt = d + 1),
 *   each day paged to exhaustion.
 *
 * Days after `latest_available_date` (TikTok's data is not ready for them yet; intervals there
 * read as zeros) are left out, so a later sync fills them in rather than a zero being kept.
 *
 * Mapping choices — ShopPerformance (one per performance.intervals[] entry)
 * - date = start_date; with granularity 1D an interval must be exactly one day (end_date =
 *   start_date + 1, when end_date is given), else DataError.
 * - currency = gmv.currency (with currency=LOCAL: the shop's currency); when gmv is absent the
 *   caller's `currency` option; neither → DataError. gmv = gmv.amount (absent → 0), parsed
 *   exactly.
 * - orders, buyers, productImpressions, productPageViews = orders, buyers,
 *   product_impressions, product_page_views (whole numbers; absent → 0).
 * - gmvByType = gmv_breakdowns[] by `type` (LIVE | VIDEO | PRODUCT_CARD) → amount; a type
 *   core does not know is left out (the breakdown is partial by nature, the GMV total is
 *   kept); a breakdown in another currency is a DataError.
 *
 * Mapping choices — ProductPerformance (one per product per day)
 * - productId = products[].id (TikTok documents it as an int: a digit string or a number that
 *   is still exact is accepted; a number beyond 2^53 has lost digits in JSON and is a DataError).
 * - date = the day asked for; gmv = gmv.amount, currency = gmv.currency (else the `currency`
 *   option); unitsSold = units_sold (absent → 0).
 * - impressions / pageViews: the list endpoint documents neither (only click_through_rate);
 *   they are read from `impressions` / `page_views` (or `product_impressions` /
 *   `product_page_views`) when present, else 0 — 0 then means "not reported by this API".
 */
import * as z from 'zod/mini';
import {
  parseRecord, ProductPerformanceSchema, SHOP_TRAFFIC_TYPES, ShopPerformanceSchema, type ProductPerformance, type ShopPerformance,
} from '../core/records';
import { DataError } from '../core/errors';
import { addDays, daysBetween, isDayKey } from '../core/time';
import type { TikTokShopClient } from './request';
import { ENDPOINTS, pathOf } from './versions';
import { amountReader, endpointLabel, pagedCall } from './resource';

export const SHOP_PERFORMANCE_MAX_DAYS = 30;

const optString = z.optional(z.nullable(z.string()));
const optCount = z.optional(z.nullable(z.int().check(z.nonnegative())));
const day = z.string().check(z.refine(isDayKey, 'a date YYYY-MM-DD'));
const money = z.optional(z.nullable(z.object({ amount: optString, currency: optString })));

export const ApiShopIntervalSchema = z.object({
  start_date: day,
  end_date: z.optional(z.nullable(day)),
  gmv: money,
  gmv_breakdowns: z.optional(z.nullable(z.array(z.object({ type: z.string(), amount: optString, currency: optString })))),
  orders: optCount,
  buyers: optCount,
  product_impressions: optCount,
  product_page_views: optCount,
});

const ShopDataSchema = z.object({
  performance: z.optional(z.nullable(z.object({ intervals: z.optional(z.nullable(z.array(z.unknown()))) }))),
  latest_available_date: z.optional(z.nullable(z.string())),
});

export const ApiProductPerformanceSchema = z.object({
  id: z.union([z.string().check(z.minLength(1)), z.number()]),
  gmv: money,
  units_sold: optCount,
  impressions: optCount,
  page_views: optCount,
  product_impressions: optCount,
  product_page_views: optCount,
});

export interface DayRange {
  /** First day, YYYY-MM-DD in the shop timezone (inclusive). */
  startDate: string;
  /** Day after the last one (exclusive), as the API's end_date_lt. */
  endDateLt: string;
}

function checkRange(what: string, r: DayRange): void {
  if (!isDayKey(r.startDate) || !isDayKey(r.endDateLt) || daysBetween(r.startDate, r.endDateLt) <= 0) {
    throw new RangeError(`${what}: the dates must be YYYY-MM-DD with start < end (end exclusive), got ${r.startDate} to ${r.endDateLt}`);
  }
}

const TRAFFIC = new Set<string>(SHOP_TRAFFIC_TYPES);

/** Maps one 1D interval (see the mapping notes at the top). */
export function mapShopInterval(raw: unknown, options: { currency?: string } = {}): ShopPerformance {
  const endpoint = endpointLabel('shopPerformance');
  const record = `shop performance interval (${endpoint})`;
  const hint = raw !== null && typeof raw === 'object' && typeof (raw as { start_date?: unknown }).start_date === 'string' ? (raw as { start_date: string }).start_date : undefined;
  const iv = parseRecord(ApiShopIntervalSchema, raw, record, hint);
  const id = iv.start_date;
  if (iv.end_date && daysBetween(iv.start_date, iv.end_date) !== 1) {
    throw new DataError({ record, id, field: 'end_date', expected: `the day after start_date (${addDays(iv.start_date, 1)}): daily granularity`, got: iv.end_date });
  }
  const currency = iv.gmv?.currency || options.currency;
  if (!currency) throw new DataError({ record, id, field: 'gmv.currency', expected: 'a currency code (or the shop currency passed as the `currency` option)', got: iv.gmv?.currency });
  const amt = amountReader(currency, record, id);
  const gmvByType: ShopPerformance['gmvByType'] = {};
  (iv.gmv_breakdowns ?? []).forEach((b, i) => {
    if (!TRAFFIC.has(b.type)) return;
    if (b.currency && b.currency !== currency) throw new DataError({ record, id, field: `gmv_breakdowns.${i}.currency`, expected: `the GMV currency ${currency}`, got: b.currency });
    const t = b.type as (typeof SHOP_TRAFFIC_TYPES)[number];
    gmvByType[t] = (gmvByType[t] ?? 0) + amt(b.amount, `gmv_breakdowns.${i}.amount`);
  });
  return parseRecord(ShopPerformanceSchema, {
    date: iv.start_date,
    currency,
    gmv: amt(iv.gmv?.amount, 'gmv.amount'),
    orders: iv.orders ?? 0,
    buyers: iv.buyers ?? 0,
    productImpressions: iv.product_impressions ?? 0,
    productPageViews: iv.product_page_views ?? 0,
    gmvByType,
  } satisfies ShopPerformance, record, id);
}

export interface ShopPerformanceResult {
  days: ShopPerformance[];
  /** TikTok's latest day with data ready (the last window's), or null when not sent. */
  latestAvailableDate: string | null;
}

/** Daily shop performance for [startDate, endDateLt), shop timezone, local currency. */
export function fetchShopPerformance(client: TikTokShopClient, range: DayRange, options: { currency?: string } = {}): ShopPerformanceResult {
  checkRange('Shop performance', range);
  const path = pathOf('shopPerformance');
  const endpoint = endpointLabel('shopPerformance');
  const out: ShopPerformanceResult = { days: [], latestAvailableDate: null };
  for (let s = range.startDate; daysBetween(s, range.endDateLt) > 0; s = addDays(s, SHOP_PERFORMANCE_MAX_DAYS)) {
    const e = daysBetween(addDays(s, SHOP_PERFORMANCE_MAX_DAYS), range.endDateLt) >= 0 ? addDays(s, SHOP_PERFORMANCE_MAX_DAYS) : range.endDateLt;
    const data = client.call({ method: ENDPOINTS.shopPerformance.method, path, query: { start_date_ge: s, end_date_lt: e, granularity: '1D', currency: 'LOCAL' } });
    const d = parseRecord(ShopDataSchema, data ?? {}, `response (${endpoint})`, `${s}..${e}`);
    const latest = d.latest_available_date && isDayKey(d.latest_available_date) ? d.latest_available_date : null;
    if (latest) out.latestAvailableDate = latest;
    for (const raw of d.performance?.intervals ?? []) {
      const rec = mapShopInterval(raw, options);
      if (daysBetween(s, rec.date) < 0 || daysBetween(rec.date, e) <= 0) continue; // comparison or stray interval
      if (latest && daysBetween(rec.date, latest) < 0) continue;
      out.days.push(rec);
    }
  }
  return out;
}

/** Maps one product of the list for the day it was asked for. */
export function mapProductPerformance(raw: unknown, date: string, options: { currency?: string } = {}): ProductPerformance {
  const endpoint = endpointLabel('productPerformance');
  const record = `product performance (${endpoint})`;
  const hintRaw = raw !== null && typeof raw === 'object' ? (raw as { id?: unknown }).id : undefined;
  const hint = hintRaw === undefined ? undefined : `${String(hintRaw)} on ${date}`;
  const p = parseRecord(ApiProductPerformanceSchema, raw, record, hint);
  if (typeof p.id === 'number' && !(Number.isSafeInteger(p.id) && p.id >= 0)) {
    throw new DataError({ record, id: hint, field: 'id', expected: 'a product id exact in JSON (a digit string, or a number below 2^53)', got: p.id });
  }
  const productId = String(p.id);
  const id = `${productId} on ${date}`;
  const currency = p.gmv?.currency || options.currency;
  if (!currency) throw new DataError({ record, id, field: 'gmv.currency', expected: 'a currency code (or the shop currency passed as the `currency` option)', got: p.gmv?.currency });
  return parseRecord(ProductPerformanceSchema, {
    productId,
    date,
    impressions: p.impressions ?? p.product_impressions ?? 0,
    pageViews: p.page_views ?? p.product_page_views ?? 0,
    unitsSold: p.units_sold ?? 0,
    currency,
    gmv: amountReader(currency, record, id)(p.gmv?.amount, 'gmv.amount'),
  } satisfies ProductPerformance, record, id);
}

export interface ProductPerformanceOptions {
  pageSize?: number;
  currency?: string;
}

/**
 * Per product per day for [startDate, endDateLt): one paged list call per day (the list
 * endpoint aggregates over its range). `onDay` receives each day's records (write and
 * checkpoint the day there). Stops at latest_available_date.
 */
export function fetchProductPerformance(
  client: TikTokShopClient,
  range: DayRange,
  onDay: (records: ProductPerformance[], date: string) => void,
  options: ProductPerformanceOptions = {},
): { days: number; pages: number; latestAvailableDate: string | null } {
  checkRange('Product performance', range);
  const endpoint = endpointLabel('productPerformance');
  let pages = 0;
  let days = 0;
  let latest: string | null = null;
  for (let d = range.startDate; daysBetween(d, range.endDateLt) > 0; d = addDays(d, 1)) {
    if (latest && daysBetween(d, latest) < 0) break;
    const records: ProductPerformance[] = [];
    let notReady = false;
    const r = pagedCall(client, 'productPerformance', {
      query: { start_date_ge: d, end_date_lt: addDays(d, 1), currency: 'LOCAL' },
      listField: 'products',
      observe: (data) => {
        const l = data !== null && typeof data === 'object' ? (data as { latest_available_date?: unknown }).latest_available_date : undefined;
        if (typeof l === 'string' && isDayKey(l)) {
          latest = l;
          if (daysBetween(d, l) < 0) notReady = true;
        } else if (l !== undefined && l !== null && l !== '') {
          throw new DataError({ record: `response (${endpoint})`, id: d, field: 'latest_available_date', expected: 'a date YYYY-MM-DD', got: l });
        }
      },
    }, (items) => {
      for (const raw of items) records.push(mapProductPerformance(raw, d, options));
    }, { pageSize: options.pageSize });
    pages += r.pages;
    if (notReady) break;
    days++;
    onDay(records, d);
  }
  return { days, pages, latestAvailableDate: latest };
}
