/**
 * Small helpers shared by the resource modules (returns, affiliate, products, analytics):
 * endpoint labels for errors, exact amount reading with the field named, and token paging of
 * one table endpoint (GET query or POST body) through paging.ts with the page size checked
 * against versions.ts.
 */
import { parseAmount } from '../core/money';
import type { QueryValue, TikTokShopClient } from './request';
import { checkPageSize, ENDPOINTS, maxPageSize, pathOf, type EndpointName } from './versions';
import { forEachPage, listOf, nextPageTokenOf, type PagingOptions, type PagingResult } from './paging';

/** "POST /return_refund/202309/returns/search": how errors name an endpoint. */
export function endpointLabel(name: EndpointName, params?: Record<string, string>): string {
  return `${ENDPOINTS[name].method} ${pathOf(name, params)}`;
}

/** A non-empty string field of a raw payload (the record id for error messages). */
export function rawId(raw: unknown, key = 'id'): string | undefined {
  if (raw !== null && typeof raw === 'object') {
    const v = (raw as Record<string, unknown>)[key];
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  }
  return undefined;
}

export type AmountReader = (text: unknown, field: string, required?: boolean) => number;

/** Reads decimal strings exactly in `currency`; absent/null → 0 unless required. */
export function amountReader(currency: string, record: string, id: string | undefined): AmountReader {
  return (text, field, required = false) => {
    if ((text === undefined || text === null) && !required) return 0;
    return parseAmount(text, currency, { record, id, field });
  };
}

export interface PagedOptions extends PagingOptions {
  /** Checked against the endpoint's documented range; default the maximum. */
  pageSize?: number;
}

/**
 * Pages one endpoint to exhaustion (or options.maxPages): page_size and page_token in the
 * query; the filters in the query (GET) or the JSON body (POST).
 */
export function pagedCall(
  client: TikTokShopClient,
  name: EndpointName,
  request: {
    params?: Record<string, string>;
    query?: Record<string, QueryValue>;
    body?: Record<string, unknown>;
    listField: string;
    /** Sees each page's whole `data` (for fields beside the list, e.g. latest_available_date). */
    observe?: (data: unknown) => void;
  },
  onPage: (items: unknown[], nextPageToken: string) => void,
  options: PagedOptions = {},
): PagingResult {
  const ep = ENDPOINTS[name];
  const path = pathOf(name, request.params);
  const endpoint = endpointLabel(name, request.params);
  const pageSize = checkPageSize(name, options.pageSize ?? maxPageSize(name));
  return forEachPage(endpoint, (pageToken) => {
    const data = client.call({
      method: ep.method,
      path,
      query: { ...request.query, page_size: pageSize, page_token: pageToken },
      body: ep.method === 'POST' ? (request.body ?? {}) : undefined,
    });
    request.observe?.(data);
    return { items: listOf(data, request.listField, endpoint), nextPageToken: nextPageTokenOf(data, endpoint) };
  }, onPage, options);
}

/** Checks a half-open Unix-seconds window. */
export function checkWindow(what: string, ge: number, lt: number): void {
  if (!(Number.isInteger(ge) && Number.isInteger(lt) && ge >= 0 && ge < lt)) {
    throw new RangeError(`${what}: the time window must be whole Unix seconds with start < end, got [${ge}, ${lt})`);
  }
}
