/**
 * Seller affiliate (creator-attributed) orders (reference §8) → core `CreatorOrderLine`, one
 * record per order SKU.
 *
 * Call: POST /affiliate_seller/202410/orders/search. Query (signed): page_size (1–100,
 * default 100), page_token. Body: create_time_ge / create_time_lt (Unix seconds, half-open).
 * Paged to exhaustion via paging.ts. Scope seller.affiliate_collaboration.read ("Custom": a
 * 105005 names it). The reference documents no sort parameter; none is sent.
 *
 * Validation: zod/mini, unknown fields ignored; a missing required field, a wrong type or an
 * unknown content_type is a DataError naming the endpoint, the order id
 * (and SKU) and the field path (`skus.1.price.amount`).
 *
 * Mapping choices (API → record)
 * - orderId = orders[].id (the TikTok order id); createTime = orders[].create_time; status =
 *   skus[].status when present (not documented; the sandbox sends it so that a cancelled SKU
 *   of a live order is told apart), else orders[].status (PROCESSING | COMPLETED | CANCELLED |
 *   FROZEN | DEDUCTED). A status outside that list is kept as sent (no figure reads it) and
 *   named in a data note on the Creators tab.
 * - skuId = skus[].id (or sku_id when TikTok names it so); productId = product_id (absent → "").
 * - creatorUsername = creator_username (required: an affiliate line without a creator cannot
 *   be attributed); contentId = content_id (absent → "").
 * - contentType = content_type, one of SHOP | VIDEO | LIVE | PRE_LIVE | PROMOTION_PAGE |
 *   LINKSHARE. "SHOWCASE" is read as SHOP (the reference marks this unconfirmed; the alias
 *   lives in CONTENT_TYPE_ALIASES). Anything else is a DataError.
 * - commissionRateBp = commission_rate as sent: hundredths of a percent (1550 = 15.50%), a
 *   whole number given as a number or a digit string; absent → null (live payloads leave it
 *   out; it changes no figure, so the line is kept and a data note on the Creators tab counts
 *   such lines); shopAdsCommissionRateBp = shop_ads_commission_rate (absent → 0).
 * - quantity = quantity (required); refundedQuantity / returnedQuantity = refunded_quantity /
 *   returned_quantity (absent → 0).
 * - currency = price.currency; price = price.amount (required; the unit price).
 * - Commission amounts, each a decimal string or an {amount, currency} object (absent → 0):
 *   estimatedCommissionBase = estimated_commission_base, estimatedCommission =
 *   estimated_paid_commission, estimatedShopAdsCommission = estimated_paid_shop_ads_commission,
 *   estimatedCofundedBonus = estimated_cofunded_creator_bonus_amount, and the actual_* twins
 *   (actual_commission_base, actual_paid_commission, actual_paid_shop_ads_commission,
 *   actual_cofunded_creator_bonus_amount). An object's currency must equal price.currency. An
 *   empty `[]` or `{}` (or an object without amount), as live payloads send, is absent → 0; a
 *   text that is not an exact amount is still refused (money at stake).
 * - An order without skus yields no record.
 */
import * as z from 'zod/mini';
import {
  AFFILIATE_CONTENT_TYPES, CreatorOrderLineSchema, statusText, parseRecord, type AffiliateContentType, type CreatorOrderLine,
} from '../core/records';
import { DataError } from '../core/errors';
import type { TikTokShopClient } from './request';
import type { PagingResult } from './paging';
import { amountReader, checkWindow, endpointLabel, pagedCall, rawId, type PagedOptions } from './resource';

/** Undocumented content-type spellings read as a documented one (one place to change). */
export const CONTENT_TYPE_ALIASES: Readonly<Record<string, AffiliateContentType>> = { SHOWCASE: 'SHOP' };

const nonEmpty = z.string().check(z.minLength(1));
const optString = z.optional(z.nullable(z.string()));
const time = z.int().check(z.nonnegative());
const rate = z.union([z.int().check(z.nonnegative()), z.string().check(z.regex(/^\d+$/))]);
const count = z.int().check(z.nonnegative());
/**
 * A commission amount: a decimal string or an {amount, currency} object. Live payloads send an
 * absent amount as `[]` or `{}` (or an object with a currency and no amount): read as absent (0),
 * as the reference makes every commission amount optional. Anything else that is not an exact
 * amount is refused.
 */
const moneyLike = z.optional(z.nullable(z.union([
  z.string(),
  z.object({ amount: z.optional(z.nullable(z.string())), currency: optString }),
  z.array(z.never()),
])));

export const ApiAffiliateSkuSchema = z.object({
  id: optString,
  sku_id: optString,
  product_id: optString,
  creator_username: nonEmpty,
  content_type: z.string(),
  content_id: optString,
  price: z.object({ amount: z.string(), currency: nonEmpty }),
  quantity: count,
  refunded_quantity: z.optional(z.nullable(count)),
  returned_quantity: z.optional(z.nullable(count)),
  commission_rate: z.optional(z.nullable(rate)),
  shop_ads_commission_rate: z.optional(z.nullable(rate)),
  status: z.optional(z.nullable(z.union([z.literal(''), statusText]))),
  estimated_commission_base: moneyLike,
  estimated_paid_commission: moneyLike,
  estimated_paid_shop_ads_commission: moneyLike,
  estimated_cofunded_creator_bonus_amount: moneyLike,
  actual_commission_base: moneyLike,
  actual_paid_commission: moneyLike,
  actual_paid_shop_ads_commission: moneyLike,
  actual_cofunded_creator_bonus_amount: moneyLike,
});

export const ApiAffiliateOrderSchema = z.object({
  id: nonEmpty,
  create_time: time,
  delivery_time: z.optional(z.nullable(time)),
  status: statusText,
  skus: z.optional(z.nullable(z.array(ApiAffiliateSkuSchema))),
});
export type ApiAffiliateOrder = z.infer<typeof ApiAffiliateOrderSchema>;

/** Maps one affiliate order to one record per SKU (see the mapping notes at the top). */
export function mapAffiliateOrder(raw: unknown): CreatorOrderLine[] {
  const endpoint = endpointLabel('affiliateOrdersSearch');
  const record = `affiliate order (${endpoint})`;
  const o = parseRecord(ApiAffiliateOrderSchema, raw, record, rawId(raw));
  return (o.skus ?? []).map((s, i) => {
    const f = (name: string) => `skus.${i}.${name}`;
    const skuId = s.id || s.sku_id;
    if (!skuId) throw new DataError({ record, id: o.id, field: f('id'), expected: 'the SKU id', got: s.id });
    const currency = s.price.currency;
    const amt = amountReader(currency, record, `${o.id}/${skuId}`);
    const money = (v: z.infer<typeof moneyLike>, name: string): number => {
      if (v === undefined || v === null || Array.isArray(v)) return 0;
      if (typeof v === 'string') return amt(v, f(name), true);
      if (v.currency && v.currency !== currency) {
        throw new DataError({ record, id: `${o.id}/${skuId}`, field: f(`${name}.currency`), expected: `the price currency ${currency}`, got: v.currency });
      }
      return v.amount === undefined || v.amount === null ? 0 : amt(v.amount, f(`${name}.amount`), true);
    };
    const contentType = CONTENT_TYPE_ALIASES[s.content_type] ?? s.content_type;
    if (!(AFFILIATE_CONTENT_TYPES as readonly string[]).includes(contentType)) {
      throw new DataError({ record, id: `${o.id}/${skuId}`, field: f('content_type'), expected: `one of ${AFFILIATE_CONTENT_TYPES.join(', ')}`, got: s.content_type });
    }
    return parseRecord(CreatorOrderLineSchema, {
      orderId: o.id,
      skuId,
      productId: s.product_id ?? '',
      creatorUsername: s.creator_username,
      contentType: contentType as AffiliateContentType,
      contentId: s.content_id ?? '',
      status: s.status || o.status,
      createTime: o.create_time,
      currency,
      commissionRateBp: s.commission_rate === undefined || s.commission_rate === null ? null : Number(s.commission_rate),
      shopAdsCommissionRateBp: s.shop_ads_commission_rate === undefined || s.shop_ads_commission_rate === null ? 0 : Number(s.shop_ads_commission_rate),
      quantity: s.quantity,
      refundedQuantity: s.refunded_quantity ?? 0,
      returnedQuantity: s.returned_quantity ?? 0,
      price: amt(s.price.amount, f('price.amount'), true),
      estimatedCommissionBase: money(s.estimated_commission_base, 'estimated_commission_base'),
      estimatedCommission: money(s.estimated_paid_commission, 'estimated_paid_commission'),
      estimatedShopAdsCommission: money(s.estimated_paid_shop_ads_commission, 'estimated_paid_shop_ads_commission'),
      estimatedCofundedBonus: money(s.estimated_cofunded_creator_bonus_amount, 'estimated_cofunded_creator_bonus_amount'),
      actualCommissionBase: money(s.actual_commission_base, 'actual_commission_base'),
      actualCommission: money(s.actual_paid_commission, 'actual_paid_commission'),
      actualShopAdsCommission: money(s.actual_paid_shop_ads_commission, 'actual_paid_shop_ads_commission'),
      actualCofundedBonus: money(s.actual_cofunded_creator_bonus_amount, 'actual_cofunded_creator_bonus_amount'),
    } satisfies CreatorOrderLine, record, `${o.id}/${skuId}`);
  });
}

/**
 * Affiliate orders created in [ge, lt), page by page to exhaustion; `onPage` gets each page's
 * SKU records and the resume token.
 */
export function fetchAffiliateOrders(
  client: TikTokShopClient,
  window: { createTimeGe: number; createTimeLt: number },
  onPage: (lines: CreatorOrderLine[], nextPageToken: string) => void,
  options: PagedOptions = {},
): PagingResult {
  checkWindow('Search Seller Affiliate Orders', window.createTimeGe, window.createTimeLt);
  return pagedCall(client, 'affiliateOrdersSearch', {
    body: { create_time_ge: window.createTimeGe, create_time_lt: window.createTimeLt }, listField: 'orders',
  }, (items, next) => onPage(items.flatMap(mapAffiliateOrder), next), options);
}
