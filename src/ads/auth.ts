/**
 * TikTok for Business (Marketing API) authorization and the ad accounts it grants.
 *
 * - Authorization link: https://business-api.tiktok.com/portal/auth?app_id=…&state=…&redirect_uri=…
 *   The seller approves; TikTok redirects to the redirect URI with `auth_code` (also sent as
 *   `code`) and `state`.
 * - POST /open_api/v1.3/oauth2/access_token/ with JSON {app_id, secret, auth_code} →
 *   data {access_token, advertiser_ids[], scope[]} [BIZ:Oauth2AccessTokenBody]. An advertiser
 *   token has no refresh step here: it stays valid until the seller revokes it (the reference
 *   leaves its lifetime unconfirmed, so an expired or revoked token is simply "connect again").
 * - GET /open_api/v1.3/oauth2/advertiser/get/?app_id&secret (header Access-Token) →
 *   data.list[{advertiser_id, advertiser_name}].
 * - GET /open_api/v1.3/advertiser/info/?advertiser_ids=["…"] (header Access-Token) →
 *   data.list[{advertiser_id, name, currency, timezone, display_timezone}]: the time zone the
 *   report days are in (display_timezone, an IANA name; else timezone) and the currency.
 * - POST /open_api/v1.3/oauth2/revoke_token/ {app_id, secret, access_token} on disconnect.
 * Same envelope and retry engine as the reports (marketing.ts). Secrets never go in a message.
 */
import * as z from 'zod/mini';
import { parseRecord } from '../core/records';
import { isKnownCurrency } from '../core/money';
import { isValidTimeZone } from '../core/time';
import { DataError } from '../core/errors';
import { DEFAULT_RETRY, exchange, type Envelope, type RetryDeps, type RetryPolicy } from '../tiktok/request';
import { buildQueryString } from '../tiktok/sign';
import { TikTokApiError } from '../tiktok/errors';
import { MARKETING_API_BASE } from './marketing';

export const ADS_AUTHORIZE_URL = 'https://business-api.tiktok.com/portal/auth';
export const ACCESS_TOKEN_PATH = '/open_api/v1.3/oauth2/access_token/';
export const ADVERTISERS_PATH = '/open_api/v1.3/oauth2/advertiser/get/';
export const ADVERTISER_INFO_PATH = '/open_api/v1.3/advertiser/info/';
export const REVOKE_PATH = '/open_api/v1.3/oauth2/revoke_token/';

/** The Marketing API app (TikTok for Business developer portal): the seller's own, or the publisher's. */
export interface AdsApp {
  appId: string;
  secret: string;
}

/** An ad account as this workbook uses it. */
export interface Advertiser {
  advertiserId: string;
  name: string;
  currency: string;
  timezone: string;
}

export interface AdsToken {
  accessToken: string;
  advertiserIds: string[];
  scope: string[];
}

/** Marketing API codes that mean "this authorization no longer works: connect again". */
export const ADS_REAUTHORIZE_CODES: readonly number[] = [40104, 40105, 40102];
/** "No permission to operate this advertiser": the authorization does not cover it. */
export const ADS_NOT_AUTHORIZED_CODE = 40001;

export function adsAuthorizeUrl(app: Pick<AdsApp, 'appId'>, state: string, redirectUri: string): string {
  return `${ADS_AUTHORIZE_URL}?${buildQueryString({ app_id: app.appId, state, redirect_uri: redirectUri })}`;
}

function call(deps: RetryDeps, method: 'get' | 'post', url: string, headers: Record<string, string>, body: unknown, endpoint: string, retry?: Partial<RetryPolicy>): Envelope {
  const [env] = exchange(deps, { ...DEFAULT_RETRY, ...retry }, [{
    build: () => ({
      url, method, headers,
      ...(body === undefined ? {} : { contentType: 'application/json', payload: JSON.stringify(body) }),
    }),
    endpoint,
    scope: null,
  }]);
  return env;
}

const TokenSchema = z.object({
  access_token: z.string().check(z.minLength(1)),
  advertiser_ids: z.optional(z.nullable(z.array(z.union([z.string(), z.number()])))),
  scope: z.optional(z.nullable(z.array(z.union([z.string(), z.number()])))),
});

/** The auth code → an access token and the advertiser ids it grants. */
export function exchangeAdsAuthCode(deps: RetryDeps, app: AdsApp, authCode: string, apiBase = MARKETING_API_BASE): AdsToken {
  const env = call(deps, 'post', `${apiBase}${ACCESS_TOKEN_PATH}`, {}, { app_id: app.appId, secret: app.secret, auth_code: authCode }, `POST ${ACCESS_TOKEN_PATH}`);
  const d = parseRecord(TokenSchema, env.data ?? {}, `response (POST ${ACCESS_TOKEN_PATH})`);
  return { accessToken: d.access_token, advertiserIds: (d.advertiser_ids ?? []).map(String), scope: (d.scope ?? []).map(String) };
}

const ListSchema = z.object({ list: z.optional(z.nullable(z.array(z.unknown()))) });
const AdvertiserSchema = z.object({ advertiser_id: z.union([z.string(), z.number()]), advertiser_name: z.optional(z.nullable(z.string())) });
const InfoSchema = z.object({
  advertiser_id: z.union([z.string(), z.number()]),
  name: z.optional(z.nullable(z.string())),
  currency: z.string(),
  timezone: z.optional(z.nullable(z.string())),
  display_timezone: z.optional(z.nullable(z.string())),
});

/** The ad accounts the token grants, with their name, currency and time zone. */
export function listAdvertisers(deps: RetryDeps, app: AdsApp, accessToken: string, apiBase = MARKETING_API_BASE): Advertiser[] {
  const headers = { 'Access-Token': accessToken };
  const granted = call(deps, 'get', `${apiBase}${ADVERTISERS_PATH}?${buildQueryString({ app_id: app.appId, secret: app.secret })}`, headers, undefined, `GET ${ADVERTISERS_PATH}`);
  const list = (parseRecord(ListSchema, granted.data ?? {}, `response (GET ${ADVERTISERS_PATH})`).list ?? [])
    .map((r) => parseRecord(AdvertiserSchema, r, `advertiser (GET ${ADVERTISERS_PATH})`));
  if (list.length === 0) return [];
  const ids = list.map((a) => String(a.advertiser_id));
  const infoEnv = call(deps, 'get', `${apiBase}${ADVERTISER_INFO_PATH}?${buildQueryString({ advertiser_ids: JSON.stringify(ids) })}`, headers, undefined, `GET ${ADVERTISER_INFO_PATH}`);
  const infos = (parseRecord(ListSchema, infoEnv.data ?? {}, `response (GET ${ADVERTISER_INFO_PATH})`).list ?? [])
    .map((r) => parseRecord(InfoSchema, r, `advertiser info (GET ${ADVERTISER_INFO_PATH})`));
  return list.map((a) => {
    const id = String(a.advertiser_id);
    const info = infos.find((i) => String(i.advertiser_id) === id);
    const record = `advertiser info (GET ${ADVERTISER_INFO_PATH})`;
    if (!info) throw new DataError({ record, id, field: 'list', expected: `the ad account ${id} the authorization granted`, got: 'no entry' });
    const tz = info.display_timezone || info.timezone || '';
    // Report days are this zone's days: a zone we cannot read would misplace every day's spend.
    if (!isValidTimeZone(tz)) throw new DataError({ record, id, field: 'display_timezone', expected: 'an IANA time zone such as America/New_York', got: tz });
    if (!isKnownCurrency(info.currency)) throw new DataError({ record, id, field: 'currency', expected: 'an ISO 4217 currency code', got: info.currency });
    return { advertiserId: id, name: a.advertiser_name || info.name || id, currency: info.currency, timezone: tz };
  });
}

/** Tells TikTok to forget the token (disconnect). A failure is returned, not thrown: the token is forgotten here anyway. */
export function revokeAdsToken(deps: RetryDeps, app: AdsApp, accessToken: string, apiBase = MARKETING_API_BASE): string | null {
  try {
    call(deps, 'post', `${apiBase}${REVOKE_PATH}`, {}, { app_id: app.appId, secret: app.secret, access_token: accessToken }, `POST ${REVOKE_PATH}`, { maxAttempts: 2 });
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** What the seller should do about a Marketing API failure; null when it is not about the authorization. */
export function adsAuthorizationProblem(e: unknown): string | null {
  const err = e instanceof TikTokApiError ? e : null;
  if (!err || err.code === null) return null;
  if (ADS_REAUTHORIZE_CODES.includes(err.code)) {
    return 'TikTok Ads no longer accepts this connection (the access was revoked or has expired): open the sidebar, Connect → Ads account → Connect again.';
  }
  if (err.code === ADS_NOT_AUTHORIZED_CODE) {
    return 'An ad account chosen for this workbook is no longer covered by the TikTok Ads authorization: connect the ads account again and tick that ad account, or choose other ad accounts.';
  }
  return null;
}
