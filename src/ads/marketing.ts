/**
 * TikTok Marketing (Business) API ad spend (reference §10) → core AdSpend records.
 *
 * - GET https://business-api.tiktok.com/open_api/v1.3/report/integrated/get/ with the header
 *   `Access-Token` (not signed). Query: advertiser_id, report_type=BASIC, service_type=AUCTION,
 *   data_level=AUCTION_CAMPAIGN, dimensions=["campaign_id","stat_time_day"], metrics=["spend","billed_cost"]
 *   (JSON-array strings), start_date / end_date (YYYY-MM-DD, advertiser timezone, inclusive),
 *   page, page_size=1000.
 * - With stat_time_day as a dimension a request may span at most 30 days (third-party source),
 *   so [start, end] is split into consecutive ≤ 30-day windows.
 * - Paging by page number until page_info.total_page (absent → 1).
 * - Same envelope as the Shop API (code 0 = success) and the same retry engine: HTTP 429 / 5xx
 *   and transport failures are retried with backoff. Marketing-API-specific error codes are not
 *   in the reference, so no code is retried by number here.
 *
 * Mapping choices
 * - date = first 10 characters of stat_time_day ("2025-03-01 00:00:00" → "2025-03-01"), a day
 *   in the ADVERTISER timezone (given by the caller with the advertiser currency: the report
 *   does not repeat them).
 * - spend (the cost) = metrics.billed_cost, grossSpend = metrics.spend (before ad credits and
 *   coupons), each a string or a number (the reference cannot say which), parsed exactly in the
 *   advertiser currency; a row without billed_cost is refused. Rows where both are zero are left out.
 * - campaignName = "" (the brief asks for metrics ["spend"] only), productIds = [],
 *   creatorUsername = null: both come from a mapping tab or the GMV Max report.
 * - fundingSource = the caller's (default AD_ACCOUNT). GMV Max spend paid from shop GMV must be
 *   marked GMV_PAYMENT so it is not counted twice with the statement's GMV_PAYMENT_FOR_ADS.
 */
import * as z from 'zod/mini';
import { AdSpendSchema, parseRecord, type AdSpend } from '../core/records';
import { parseAmount } from '../core/money';
import { addDays, daysBetween, isDayKey } from '../core/time';
import { DataError } from '../core/errors';
import { DEFAULT_RETRY, exchange, type RetryDeps, type RetryPolicy } from '../tiktok/request';
import { buildQueryString } from '../tiktok/sign';

export const MARKETING_API_BASE = 'https://business-api.tiktok.com';
export const REPORT_PATH = '/open_api/v1.3/report/integrated/get/';
export const MAX_DAYS_PER_REQUEST = 30;
export const REPORT_PAGE_SIZE = 1000;

export interface MarketingConfig {
  accessToken: string;
  advertiserId: string;
  /** IANA timezone of the ad account (days of the report are its days). */
  advertiserTimezone: string;
  /** ISO currency of the ad account. */
  currency: string;
  fundingSource?: AdSpend['fundingSource'];
  apiBase?: string;
  retry?: Partial<RetryPolicy>;
}

const RowSchema = z.object({
  dimensions: z.object({ campaign_id: z.union([z.string().check(z.minLength(1)), z.number()]), stat_time_day: z.string() }),
  metrics: z.object({ spend: z.union([z.string(), z.number()]), billed_cost: z.union([z.string(), z.number()]) }),
});
const DataSchema = z.object({
  list: z.optional(z.nullable(z.array(z.unknown()))),
  page_info: z.optional(z.nullable(z.object({ total_page: z.optional(z.nullable(z.int())) }))),
});

/** Splits inclusive [start, end] into consecutive inclusive windows of at most `maxDays` days. */
export function splitDateRange(start: string, end: string, maxDays = MAX_DAYS_PER_REQUEST): { start: string; end: string }[] {
  if (!isDayKey(start) || !isDayKey(end)) throw new RangeError(`Ad spend dates must be YYYY-MM-DD, got ${start} to ${end}`);
  if (daysBetween(start, end) < 0) throw new RangeError(`Ad spend start date ${start} is after the end date ${end}`);
  const out: { start: string; end: string }[] = [];
  for (let s = start; daysBetween(s, end) >= 0; s = addDays(s, maxDays)) {
    const e = addDays(s, maxDays - 1);
    out.push({ start: s, end: daysBetween(e, end) >= 0 ? e : end });
  }
  return out;
}

/** Where and as whom a Marketing API report is asked for. */
export interface ReportAccess {
  accessToken: string;
  advertiserId: string;
  apiBase?: string;
  retry?: Partial<RetryPolicy>;
}

/**
 * Every row of a Marketing API report over an inclusive day range: windows of at most 30 days
 * (the API's limit when stat_time_day is a dimension), pages of 1000 by page number until
 * total_page, each page a GET with the Access-Token header and the shared retry policy.
 * `query` holds the report's own parameters; the window and page are added here.
 */
export function forEachReportRow(
  deps: RetryDeps,
  access: ReportAccess,
  path: string,
  query: Record<string, string>,
  range: { startDate: string; endDate: string },
  onRow: (raw: unknown) => void,
): void {
  const policy = { ...DEFAULT_RETRY, ...access.retry };
  const base = (access.apiBase ?? MARKETING_API_BASE).replace(/\/+$/, '');
  const endpoint = `GET ${path}`;
  for (const w of splitDateRange(range.startDate, range.endDate)) {
    let totalPages = 1;
    for (let page = 1; page <= totalPages; page++) {
      const pageQuery: Record<string, string> = {
        advertiser_id: access.advertiserId, ...query, start_date: w.start, end_date: w.end,
        page: String(page), page_size: String(REPORT_PAGE_SIZE),
      };
      const [env] = exchange(deps, policy, [{
        build: () => ({ url: `${base}${path}?${buildQueryString(pageQuery)}`, method: 'get', headers: { 'Access-Token': access.accessToken } }),
        endpoint,
        scope: null,
      }]);
      const data = parseRecord(DataSchema, env.data ?? {}, `response (${endpoint})`, `${w.start}..${w.end} page ${page}`);
      totalPages = data.page_info?.total_page ?? 1;
      for (const raw of data.list ?? []) onRow(raw);
    }
  }
}

/** The report row's day ("YYYY-MM-DD hh:mm:ss" → "YYYY-MM-DD", the advertiser's day), refused otherwise. */
export function reportDay(statTimeDay: string, record: string, id: string): string {
  const date = statTimeDay.slice(0, 10);
  if (!isDayKey(date)) throw new DataError({ record, id, field: 'dimensions.stat_time_day', expected: 'a date "YYYY-MM-DD hh:mm:ss"', got: statTimeDay });
  return date;
}

/** Daily spend per campaign for the inclusive day range (advertiser timezone). */
export function fetchAdSpend(deps: RetryDeps, config: MarketingConfig, range: { startDate: string; endDate: string }): AdSpend[] {
  const record = `ad report row (GET ${REPORT_PATH})`;
  const out: AdSpend[] = [];
  const query = {
    report_type: 'BASIC', service_type: 'AUCTION', data_level: 'AUCTION_CAMPAIGN',
    dimensions: JSON.stringify(['campaign_id', 'stat_time_day']), metrics: JSON.stringify(['spend', 'billed_cost']),
  };
  forEachReportRow(deps, config, REPORT_PATH, query, range, (raw) => {
    const r = parseRecord(RowSchema, raw, record);
    const campaignId = String(r.dimensions.campaign_id);
    const id = `campaign ${campaignId} ${r.dimensions.stat_time_day}`;
    const date = reportDay(r.dimensions.stat_time_day, record, id);
    // The cost is billed_cost (after ad credits and coupons); spend is kept beside it (docs/ads.md).
    const gross = parseAmount(r.metrics.spend, config.currency, { record, id, field: 'metrics.spend' });
    const spend = parseAmount(r.metrics.billed_cost, config.currency, { record, id, field: 'metrics.billed_cost' });
    if (spend === 0 && gross === 0) return;
    out.push(parseRecord(AdSpendSchema, {
      advertiserId: config.advertiserId,
      date,
      advertiserTimezone: config.advertiserTimezone,
      campaignId,
      campaignName: '',
      currency: config.currency,
      spend,
      grossSpend: gross,
      fundingSource: config.fundingSource ?? 'AD_ACCOUNT',
      productIds: [],
      creatorUsername: null,
    } satisfies AdSpend, record, id));
  });
  return out;
}
