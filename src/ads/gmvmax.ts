/**
 * TikTok Marketing API GMV Max report (reference §10) → core AdSpend rows.
 *
 * - GET https://business-api.tiktok.com/open_api/v1.3/gmv_max/report/get/ with the header
 *   `Access-Token` (not signed). Query: advertiser_id, store_ids (JSON array string, the TikTok
 *   Shop ids), dimensions (JSON array: ["campaign_id","stat_time_day","item_group_id"], or
 *   without item_group_id when `byProduct: false`), metrics ["cost"], start_date / end_date
 *   (YYYY-MM-DD, advertiser timezone, inclusive), page, page_size=1000 (the documented max).
 * - Windows of at most 30 days (stat_time_day is a dimension; same rule and splitter as
 *   marketing.ts). Paged by page number up to page_info.total_page (absent → 1).
 * - Same envelope and retry engine as marketing.ts (429/5xx/transport retried).
 * - The metric name `cost` comes from a third-party description, not the official yml
 *   (reference §10): it is one constant here (GMV_MAX_SPEND_METRIC).
 *
 * Mapping choices
 * - One AdSpend row per campaign per day: spend = the sum of `cost` over that campaign-day's
 *   rows (a string or a number, parsed exactly in the advertiser currency); zero-spend
 *   campaign-days are left out. productIds = the distinct item_group_id values (TikTok Shop
 *   product ids) of that campaign-day with non-zero cost, sorted; [] when the dimension is not
 *   requested or empty. With `splitByProduct: true`, one row per campaign × day × product
 *   instead (productIds = [that product]); the engine then allocates each product's own spend.
 * - date = first 10 characters of stat_time_day; campaignName = metrics.campaign_name or
 *   dimensions.campaign_name when the report carries one (it is not requested), else "";
 *   creatorUsername = null.
 * - fundingSource: the GMV Max report does not say how a campaign is paid. GMV_PAYMENT means
 *   the spend was deducted from the shop's GMV ("auto pay ads with shop GMV"), which then
 *   appears in statements as GMV_PAYMENT_FOR_ADS and must not be counted twice. The decision
 *   is the caller's, from the add-on's settings: `gmvPayment: 'ALL'` marks every campaign
 *   GMV_PAYMENT, a list marks those campaign ids, absent/'NONE' (default) → AD_ACCOUNT. A
 *   sensible default for the sync: 'ALL' when the shop's statements in the period carry
 *   GMV_PAYMENT_FOR_ADS transactions, else 'NONE'.
 */
import * as z from 'zod/mini';
import { AdSpendSchema, parseRecord, type AdSpend } from '../core/records';
import { parseAmount } from '../core/money';
import { DataError } from '../core/errors';
import type { RetryDeps, RetryPolicy } from '../tiktok/request';
import { forEachReportRow, reportDay } from './marketing';

export const GMV_MAX_REPORT_PATH = '/open_api/v1.3/gmv_max/report/get/';
export const GMV_MAX_SPEND_METRIC = 'cost';

export interface GmvMaxConfig {
  accessToken: string;
  advertiserId: string;
  /** TikTok Shop ids (store_ids) the GMV Max campaigns sell from. */
  storeIds: readonly string[];
  advertiserTimezone: string;
  currency: string;
  /** Which campaigns are paid from shop GMV (see the notes at the top). Default 'NONE'. */
  gmvPayment?: 'ALL' | 'NONE' | readonly string[];
  /** Ask for item_group_id (product ids); default true. */
  byProduct?: boolean;
  /** One row per product instead of per campaign-day; default false. */
  splitByProduct?: boolean;
  apiBase?: string;
  retry?: Partial<RetryPolicy>;
}

const idValue = z.union([z.string(), z.number()]);
const RowSchema = z.object({
  dimensions: z.object({
    campaign_id: z.union([z.string().check(z.minLength(1)), z.number()]),
    stat_time_day: z.string(),
    item_group_id: z.optional(z.nullable(idValue)),
    campaign_name: z.optional(z.nullable(z.string())),
  }),
  metrics: z.record(z.string(), z.unknown()),
});

/** Daily GMV Max spend for the inclusive day range (advertiser timezone). */
export function fetchGmvMaxSpend(deps: RetryDeps, config: GmvMaxConfig, range: { startDate: string; endDate: string }): AdSpend[] {
  if (config.storeIds.length === 0) throw new RangeError('GMV Max report: at least one store id (TikTok Shop id) is required');
  const record = `GMV Max report row (GET ${GMV_MAX_REPORT_PATH})`;
  const byProduct = config.byProduct ?? true;
  const dims = byProduct ? ['campaign_id', 'stat_time_day', 'item_group_id'] : ['campaign_id', 'stat_time_day'];
  const gmvSet = Array.isArray(config.gmvPayment) ? new Set(config.gmvPayment as readonly string[]) : null;
  const fundingOf = (campaignId: string): AdSpend['fundingSource'] =>
    config.gmvPayment === 'ALL' || (gmvSet !== null && gmvSet.has(campaignId)) ? 'GMV_PAYMENT' : 'AD_ACCOUNT';

  // key → accumulated row, in first-seen order
  const acc = new Map<string, { date: string; campaignId: string; campaignName: string; spend: number; products: Map<string, number> }>();
  const query = { store_ids: JSON.stringify(config.storeIds), dimensions: JSON.stringify(dims), metrics: JSON.stringify([GMV_MAX_SPEND_METRIC]) };
  forEachReportRow(deps, config, GMV_MAX_REPORT_PATH, query, range, (raw) => {
    const r = parseRecord(RowSchema, raw, record);
    const campaignId = String(r.dimensions.campaign_id);
    const item = r.dimensions.item_group_id === undefined || r.dimensions.item_group_id === null ? '' : String(r.dimensions.item_group_id);
    const id = `campaign ${campaignId} ${r.dimensions.stat_time_day}${item ? ` product ${item}` : ''}`;
    const date = reportDay(r.dimensions.stat_time_day, record, id);
    const cost = parseAmount(r.metrics[GMV_MAX_SPEND_METRIC], config.currency, { record, id, field: `metrics.${GMV_MAX_SPEND_METRIC}` });
    if (cost < 0) throw new DataError({ record, id, field: `metrics.${GMV_MAX_SPEND_METRIC}`, expected: 'a spend of at least 0', got: r.metrics[GMV_MAX_SPEND_METRIC] });
    const key = config.splitByProduct ? `${campaignId}\u0000${date}\u0000${item}` : `${campaignId}\u0000${date}`;
    let a = acc.get(key);
    const name = typeof r.metrics.campaign_name === 'string' ? r.metrics.campaign_name : (r.dimensions.campaign_name ?? '');
    if (!a) acc.set(key, (a = { date, campaignId, campaignName: name, spend: 0, products: new Map() }));
    if (!a.campaignName && name) a.campaignName = name;
    a.spend += cost;
    if (item) a.products.set(item, (a.products.get(item) ?? 0) + cost);
  });
  const out: AdSpend[] = [];
  for (const a of acc.values()) {
    if (a.spend === 0) continue;
    const productIds = Array.from(a.products).filter(([, c]) => c > 0).map(([p]) => p).sort();
    out.push(parseRecord(AdSpendSchema, {
      advertiserId: config.advertiserId,
      date: a.date,
      advertiserTimezone: config.advertiserTimezone,
      campaignId: a.campaignId,
      campaignName: a.campaignName,
      currency: config.currency,
      spend: a.spend,
      fundingSource: fundingOf(a.campaignId),
      productIds,
      creatorUsername: null,
    } satisfies AdSpend, record, `campaign ${a.campaignId} ${a.date}`));
  }
  return out;
}
