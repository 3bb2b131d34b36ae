/**
 * Products (reference §7) → core `ProductSku`, one record per SKU.
 *
 * Call: POST /product/202502/products/search. Query (signed): page_size (1–100, default 100),
 * page_token. Body: optional filters — `status` (e.g. "ACTIVATE"; absent = every status) and
 * update_time_ge / update_time_le (Unix seconds; TikTok's product filters are inclusive at
 * both ends, `_le`). Paged to exhaustion via paging.ts. A third-party fixture reports a
 * 10 000-result cap (12052180, unconfirmed): narrow the update window if TikTok returns it.
 *
 * Validation: zod/mini, unknown fields ignored; DataError names the endpoint, the product id
 * (and SKU) and the field path (`skus.0.price.sale_price`).
 *
 * Mapping choices (API → record)
 * - productId = products[].id, skuId = skus[].id (required); productName = title (absent → "");
 *   status = the product's status as sent (absent → ""); createTime / updateTime = the
 *   product's create_time / update_time (required; SKUs carry no times of their own).
 * - sellerSku = skus[].seller_sku (absent → "").
 * - skuName = the SKU's sales attributes' value names joined with " / " ("Red / M"), the name
 *   TikTok shows the buyer; absent → "".
 * - currency = skus[].price.currency.
 * - price = skus[].price.sale_price: the seller's listed selling price before promotions (the
 *   same basis as an order line's original_price; where prices are tax-inclusive, e.g. UK/EU,
 *   it includes tax). When sale_price is absent, tax_exclusive_price is used. Neither → DataError.
 *   (list_price — an RRP/strike-through reference — is not used.)
 * - category = the name (`local_name`, TikTok's field; or `name`) of the leaf entry of
 *   category_chains (is_leaf true; else the last entry); no chain → "".
 */
import * as z from 'zod/mini';
import { parseRecord, ProductSkuSchema, type ProductSku } from '../core/records';
import { DataError } from '../core/errors';
import type { TikTokShopClient } from './request';
import type { PagingResult } from './paging';
import { amountReader, endpointLabel, pagedCall, rawId, type PagedOptions } from './resource';

const nonEmpty = z.string().check(z.minLength(1));
const optString = z.optional(z.nullable(z.string()));
const time = z.int().check(z.nonnegative());

export const ApiProductSkuSchema = z.object({
  id: nonEmpty,
  seller_sku: optString,
  price: z.object({ currency: nonEmpty, sale_price: optString, tax_exclusive_price: optString }),
  sales_attributes: z.optional(z.nullable(z.array(z.object({ name: optString, value_name: optString })))),
});

export const ApiProductSchema = z.object({
  id: nonEmpty,
  title: optString,
  status: optString,
  create_time: time,
  update_time: time,
  category_chains: z.optional(z.nullable(z.array(z.object({ local_name: optString, name: optString, is_leaf: z.optional(z.nullable(z.boolean())) })))),
  skus: z.optional(z.nullable(z.array(ApiProductSkuSchema))),
});
export type ApiProduct = z.infer<typeof ApiProductSchema>;

/** Maps one product to one record per SKU (see the mapping notes at the top). */
export function mapProduct(raw: unknown): ProductSku[] {
  const endpoint = endpointLabel('productsSearch');
  const record = `product (${endpoint})`;
  const p = parseRecord(ApiProductSchema, raw, record, rawId(raw));
  const chain = p.category_chains ?? [];
  const leaf = chain.find((c) => c.is_leaf === true) ?? chain[chain.length - 1];
  const category = leaf?.local_name || leaf?.name || '';
  return (p.skus ?? []).map((s, i) => {
    const id = `${p.id}/${s.id}`;
    const amt = amountReader(s.price.currency, record, id);
    let price: number;
    if (s.price.sale_price !== undefined && s.price.sale_price !== null && s.price.sale_price !== '') price = amt(s.price.sale_price, `skus.${i}.price.sale_price`, true);
    else if (s.price.tax_exclusive_price !== undefined && s.price.tax_exclusive_price !== null && s.price.tax_exclusive_price !== '') {
      price = amt(s.price.tax_exclusive_price, `skus.${i}.price.tax_exclusive_price`, true);
    } else throw new DataError({ record, id, field: `skus.${i}.price.sale_price`, expected: 'a price (sale_price or tax_exclusive_price)', got: s.price.sale_price });
    const skuName = (s.sales_attributes ?? []).map((a) => a.value_name ?? '').filter((v) => v !== '').join(' / ');
    return parseRecord(ProductSkuSchema, {
      productId: p.id,
      skuId: s.id,
      sellerSku: s.seller_sku ?? '',
      productName: p.title ?? '',
      skuName,
      status: p.status ?? '',
      category,
      currency: s.price.currency,
      price,
      createTime: p.create_time,
      updateTime: p.update_time,
    } satisfies ProductSku, record, id);
  });
}

export interface ProductFilter {
  /** e.g. "ACTIVATE"; absent = all statuses. */
  status?: string;
  /** Inclusive, Unix seconds. */
  updateTimeGe?: number;
  /** Inclusive, Unix seconds. */
  updateTimeLe?: number;
}

/** Search Products page by page to exhaustion; `onPage` gets each page's SKU records and the resume token. */
export function fetchProducts(
  client: TikTokShopClient,
  filter: ProductFilter,
  onPage: (skus: ProductSku[], nextPageToken: string) => void,
  options: PagedOptions = {},
): PagingResult {
  const body: Record<string, unknown> = {};
  if (filter.status !== undefined) body.status = filter.status;
  if (filter.updateTimeGe !== undefined) body.update_time_ge = filter.updateTimeGe;
  if (filter.updateTimeLe !== undefined) body.update_time_le = filter.updateTimeLe;
  return pagedCall(client, 'productsSearch', { body, listField: 'products' }, (items, next) => onPage(items.flatMap(mapProduct), next), options);
}
