/**
 * What a campaign promotes, as the Marketing API says it: the Campaign map tab's first draft.
 *
 * - GET /open_api/v1.3/campaign/get/?advertiser_id&filtering={"campaign_ids":[…]}&page&page_size
 *   → data.list[{campaign_id, campaign_name, objective_type}], paged by page_info.total_page.
 * - For PRODUCT_SALES campaigns (GMV Max and shop ads): GET /open_api/v1.3/gmv_max/campaign/info/
 *   ?advertiser_id&campaign_id → data{item_group_ids[]}: the TikTok Shop product ids promoted
 *   ([] = the whole shop).
 * - Spark (creator-authorized) ads: GET /open_api/v1.3/ad/get/?advertiser_id&filtering=
 *   {"campaign_ids":[…]}&fields=[…] → data.list[{ad_id, campaign_id, identity_type, identity_id}];
 *   identity_type AUTH_CODE (or BC_AUTH_TT) is a creator's post; GET /open_api/v1.3/identity/get/
 *   ?advertiser_id&identity_type=… → data.identity_list[{identity_id, display_name}] names them.
 *   A campaign whose ads use one creator's identity is mapped to that creator; several creators
 *   leave it unmapped (the seller decides on the tab).
 * Field names beyond the reference (§10) are the sandbox's choice and are marked so in docs/ads.md;
 * each is read in one place here, and a missing optional field only leaves the map blank.
 */
import * as z from 'zod/mini';
import { parseRecord } from '../core/records';
import type { CampaignMapEntry } from '../core/ad-spend';
import { DEFAULT_RETRY, exchange, type RetryDeps } from '../tiktok/request';
import { buildQueryString } from '../tiktok/sign';
import { MARKETING_API_BASE } from './marketing';

export const CAMPAIGN_PATH = '/open_api/v1.3/campaign/get/';
export const GMV_MAX_CAMPAIGN_INFO_PATH = '/open_api/v1.3/gmv_max/campaign/info/';
export const AD_PATH = '/open_api/v1.3/ad/get/';
export const IDENTITY_PATH = '/open_api/v1.3/identity/get/';
const SPARK_IDENTITIES = ['AUTH_CODE', 'BC_AUTH_TT'];

const id = z.union([z.string(), z.number()]);
const Campaign = z.object({ campaign_id: id, campaign_name: z.optional(z.nullable(z.string())), objective_type: z.optional(z.nullable(z.string())) });
const Ad = z.object({ campaign_id: id, identity_type: z.optional(z.nullable(z.string())), identity_id: z.optional(z.nullable(id)) });
const Identity = z.object({ identity_id: id, display_name: z.optional(z.nullable(z.string())) });
const Paged = z.object({
  list: z.optional(z.nullable(z.array(z.unknown()))),
  identity_list: z.optional(z.nullable(z.array(z.unknown()))),
  page_info: z.optional(z.nullable(z.object({ total_page: z.optional(z.nullable(z.int())) }))),
});
const Info = z.object({ item_group_ids: z.optional(z.nullable(z.array(id))) });

export interface CampaignAccess {
  accessToken: string;
  advertiserId: string;
  apiBase?: string;
}

function get(deps: RetryDeps, access: CampaignAccess, path: string, query: Record<string, string>): unknown {
  const base = (access.apiBase ?? MARKETING_API_BASE).replace(/\/+$/, '');
  const [env] = exchange(deps, DEFAULT_RETRY, [{
    build: () => ({ url: `${base}${path}?${buildQueryString({ advertiser_id: access.advertiserId, ...query })}`, method: 'get', headers: { 'Access-Token': access.accessToken } }),
    endpoint: `GET ${path}`,
    scope: null,
  }]);
  return env.data ?? {};
}

function paged(deps: RetryDeps, access: CampaignAccess, path: string, query: Record<string, string>, key: 'list' | 'identity_list'): unknown[] {
  const out: unknown[] = [];
  let total = 1;
  for (let page = 1; page <= total; page++) {
    const d = parseRecord(Paged, get(deps, access, path, { ...query, page: String(page), page_size: '1000' }), `response (GET ${path})`);
    total = d.page_info?.total_page ?? 1;
    out.push(...(d[key] ?? []));
  }
  return out;
}

/** The map entries the API gives for these campaigns of one advertiser (one entry per campaign asked). */
export function fetchCampaignMap(deps: RetryDeps, access: CampaignAccess, campaignIds: readonly string[]): CampaignMapEntry[] {
  if (campaignIds.length === 0) return [];
  const filtering = JSON.stringify({ campaign_ids: campaignIds });
  const campaigns = paged(deps, access, CAMPAIGN_PATH, { filtering }, 'list').map((r) => parseRecord(Campaign, r, `campaign (GET ${CAMPAIGN_PATH})`));
  const ads = paged(deps, access, AD_PATH, { filtering, fields: JSON.stringify(['ad_id', 'campaign_id', 'identity_type', 'identity_id']) }, 'list')
    .map((r) => parseRecord(Ad, r, `ad (GET ${AD_PATH})`));
  const sparkTypes = [...new Set(ads.map((a) => a.identity_type ?? '').filter((t) => SPARK_IDENTITIES.includes(t)))];
  const names = new Map<string, string>();
  for (const type of sparkTypes) {
    for (const r of paged(deps, access, IDENTITY_PATH, { identity_type: type }, 'identity_list')) {
      const i = parseRecord(Identity, r, `identity (GET ${IDENTITY_PATH})`);
      if (i.display_name) names.set(String(i.identity_id), i.display_name);
    }
  }
  return campaignIds.map((cid) => {
    const c = campaigns.find((x) => String(x.campaign_id) === cid);
    let productIds: string[] = [];
    if (c?.objective_type === 'PRODUCT_SALES') {
      const info = parseRecord(Info, get(deps, access, GMV_MAX_CAMPAIGN_INFO_PATH, { campaign_id: cid }), `GMV Max campaign ${cid} (GET ${GMV_MAX_CAMPAIGN_INFO_PATH})`);
      productIds = (info.item_group_ids ?? []).map(String).sort();
    }
    const creators = new Set<string>();
    for (const a of ads) {
      if (String(a.campaign_id) !== cid || !SPARK_IDENTITIES.includes(a.identity_type ?? '') || a.identity_id == null) continue;
      const name = names.get(String(a.identity_id));
      if (name) creators.add(name);
    }
    return {
      advertiserId: access.advertiserId, campaignId: cid, campaignName: c?.campaign_name ?? '', productIds,
      creatorUsername: creators.size === 1 ? [...creators][0] : null, fundingSource: null,
    };
  });
}
