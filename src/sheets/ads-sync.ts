/**
 * Ad spend in every refresh: once the shop's sync run is complete, the chosen ad accounts' daily
 * spend per campaign is read, then written, then the ads cursor is saved — in that order, so a
 * failure or a kill at any point leaves nothing half-written (the cursor never claims more than
 * the tab holds, and rows are upserted by key, so reading a window again duplicates nothing).
 *
 * Window, per ad account, in ITS time zone (report days are the ad account's days; the engine
 * splits each into shop days): the first pull reads `backfillDays` up to today; later pulls read
 * from `rereadDays` before the last day pulled up to today, because attribution and billing
 * (billed_cost is filled up to 11 hours late) still change recent days. A campaign-day the tab
 * holds in that window but the report no longer has is written with zero spend, not left stale.
 *
 * Sources: the integrated report (card-paid spend, `billed_cost` as the cost and `spend` beside
 * it) and the GMV Max report for the shop (spend paid from GMV). A campaign met for the first time
 * is looked up (campaigns.ts) and added to the Campaign map tab, which then decides its products,
 * creator and how it is paid (core/ad-spend.ts applies it, and counts GMV-paid spend once).
 */
import type { KeyValueStore } from '../tiktok/ports';
import type { HttpRequest, HttpResponse, Transport } from '../tiktok/ports';
import type { RetryDeps } from '../tiktok/request';
import { fetchAdSpend } from '../ads/marketing';
import { fetchGmvMaxSpend } from '../ads/gmvmax';
import { fetchCampaignMap } from '../ads/campaigns';
import type { Advertiser } from '../ads/auth';
import { applyCampaignMap, type CampaignMapEntry } from '../core/ad-spend';
import type { AdSpend } from '../core/records';
import { addDays, dayKey, daysBetween } from '../core/time';
import { readTab, upsert, type SheetGateway, type UpsertResult } from './table';
import { AD_SPEND_TAB } from './tabs';
import { addCampaigns, readCampaignMap } from './campaign-map';
import { ADS_DOCUMENT_KEYS } from './ads-connection';

export interface AdsSyncState {
  v: 1;
  /** The shop sync run (checkpoint.completed) the ads were last pulled (or tried) for. */
  run: number | null;
  /** Last advertiser day pulled, per ad account. */
  days: Record<string, string>;
  /** What went wrong the last time, in words the seller can act on; null when it went well. */
  problem: string | null;
  /** When the ads were last pulled completely (Unix seconds). */
  time: number | null;
}

export function readAdsSyncState(store: KeyValueStore): AdsSyncState {
  const empty: AdsSyncState = { v: 1, run: null, days: {}, problem: null, time: null };
  const raw = store.get(ADS_DOCUMENT_KEYS.sync);
  if (raw === null) return empty;
  try {
    const s = JSON.parse(raw) as AdsSyncState;
    return s && s.v === 1 && typeof s.days === 'object' ? s : empty;
  } catch {
    return empty; // unreadable: read the backfill again (upserts by key make it harmless)
  }
}

export function writeAdsSyncState(store: KeyValueStore, state: AdsSyncState): void {
  store.set(ADS_DOCUMENT_KEYS.sync, JSON.stringify(state));
}

/** Counts Marketing API requests (every attempt). */
export class CallCounter implements Transport {
  calls = 0;
  constructor(private readonly inner: Transport) {}
  fetch(r: HttpRequest): HttpResponse {
    this.calls++;
    return this.inner.fetch(r);
  }
  fetchAll(rs: HttpRequest[]): HttpResponse[] {
    this.calls += rs.length;
    return this.inner.fetchAll(rs);
  }
}

export interface AdsPullInput {
  accessToken: string;
  advertisers: readonly Advertiser[];
  /** The TikTok Shop id (the GMV Max report's store_ids). */
  shopId: string;
  /** Unix seconds. */
  now: number;
  backfillDays: number;
  rereadDays: number;
  state: AdsSyncState;
  apiBase?: string;
}

export interface AdsPulled {
  rows: AdSpend[];
  newCampaigns: CampaignMapEntry[];
  days: Record<string, string>;
}

/** The window of one ad account (its own days), inclusive. */
export function adsWindow(a: Advertiser, input: Pick<AdsPullInput, 'now' | 'backfillDays' | 'rereadDays' | 'state'>): { startDate: string; endDate: string } {
  const today = dayKey(input.now, a.timezone);
  const last = input.state.days[a.advertiserId];
  let start = last ? addDays(last, 1 - input.rereadDays) : dayKey(input.now - input.backfillDays * 86400, a.timezone);
  if (daysBetween(start, today) < 0) start = today;
  return { startDate: start, endDate: today };
}

/** Reads every chosen ad account's window; writes nothing. `held` = the Ad spend tab's rows, `map` = the Campaign map tab. */
export function pullAds(deps: RetryDeps, input: AdsPullInput, held: readonly AdSpend[], map: readonly CampaignMapEntry[]): AdsPulled {
  const rows: AdSpend[] = [];
  const newCampaigns: CampaignMapEntry[] = [];
  const days: Record<string, string> = { ...input.state.days };
  const mapped = new Set(map.map((m) => `${m.advertiserId}/${m.campaignId}`));
  for (const a of input.advertisers) {
    const range = adsWindow(a, input);
    const access = { accessToken: input.accessToken, advertiserId: a.advertiserId, advertiserTimezone: a.timezone, currency: a.currency, apiBase: input.apiBase };
    const card = fetchAdSpend(deps, { ...access, fundingSource: 'AD_ACCOUNT' }, range);
    const gmv = fetchGmvMaxSpend(deps, { ...access, storeIds: [input.shopId], gmvPayment: 'ALL', byProduct: false }, range);
    // One row per campaign-day: a campaign in both reports would be the same money; the
    // integrated report's row (with billed_cost) is kept.
    const seen = new Set<string>();
    const mine: AdSpend[] = [];
    for (const r of [...card, ...gmv]) {
      const k = `${r.campaignId}/${r.date}`;
      if (seen.has(k)) continue;
      seen.add(k);
      mine.push(r);
    }
    // Campaign-days the tab holds in the window that the report no longer has: now zero.
    for (const h of held) {
      if (h.advertiserId !== a.advertiserId || h.date < range.startDate || h.date > range.endDate) continue;
      if (seen.has(`${h.campaignId}/${h.date}`)) continue;
      seen.add(`${h.campaignId}/${h.date}`);
      mine.push({ ...h, spend: 0, grossSpend: h.grossSpend == null ? h.grossSpend : 0 });
    }
    const unknown = [...new Set(mine.map((r) => r.campaignId))].filter((c) => !mapped.has(`${a.advertiserId}/${c}`)).sort();
    if (unknown.length > 0) {
      for (const e of fetchCampaignMap(deps, { accessToken: input.accessToken, advertiserId: a.advertiserId, apiBase: input.apiBase }, unknown)) {
        const first = mine.find((r) => r.campaignId === e.campaignId);
        newCampaigns.push({ ...e, campaignName: e.campaignName || first?.campaignName || '', fundingSource: first?.fundingSource ?? null });
        mapped.add(`${a.advertiserId}/${e.campaignId}`);
      }
    }
    rows.push(...mine);
    days[a.advertiserId] = range.endDate;
  }
  return { rows: applyCampaignMap(rows, [...map, ...newCampaigns]), newCampaigns, days };
}

export interface AdsRefreshResult {
  upsert: UpsertResult | null;
  campaignsAdded: number;
  rows: number;
}

/**
 * Pull, then write (Ad spend tab, Campaign map tab), then save the cursor. Throws before any
 * write when the pull fails, so the workbook keeps what it had.
 */
export function refreshAds(
  deps: RetryDeps, dataGateway: SheetGateway, userGateway: SheetGateway, documentStore: KeyValueStore, input: Omit<AdsPullInput, 'state'>, run: number | null,
): AdsRefreshResult {
  const state = readAdsSyncState(documentStore);
  const held = readTab(dataGateway, AD_SPEND_TAB).records;
  const map = readCampaignMap(userGateway);
  const pulled = pullAds(deps, { ...input, state }, held, map);
  const result: AdsRefreshResult = { upsert: null, campaignsAdded: 0, rows: pulled.rows.length };
  if (pulled.rows.length > 0) result.upsert = upsert(dataGateway, AD_SPEND_TAB, pulled.rows);
  result.campaignsAdded = addCampaigns(userGateway, pulled.newCampaigns);
  writeAdsSyncState(documentStore, { v: 1, run, days: pulled.days, problem: null, time: input.now });
  return result;
}
