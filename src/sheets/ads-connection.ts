/**
 * The TikTok Ads (Marketing API) connection: which app, which token, which ad accounts.
 *
 * Where each thing lives (the same split as connection.ts):
 * - USER properties: the seller's own Marketing API app (app id + secret), the access token and
 *   the ad accounts it grants, the pending authorization states, and this user's choice of ad
 *   accounts per spreadsheet. Nothing here is visible to other editors, nor ever written to a cell.
 * - SCRIPT properties (read only here, set once by whoever deploys the add-on): the PUBLISHER's
 *   apps, `tiktok.publisher.shopApp` {appKey, appSecret} and `tiktok.publisher.adsApp` {appId,
 *   secret}. A seller never reads them: no server function returns them. When set, a seller only
 *   clicks Connect; the seller's own app stays the fallback (docs/ads.md, "Publisher setup").
 * - DOCUMENT properties: which ad accounts feed this workbook (ids, names, currencies, time
 *   zones: no secret) and the ads sync state (ads-sync.ts).
 */
import * as z from 'zod/mini';
import type { KeyValueStore } from '../tiktok/ports';
import { parseRecord } from '../core/records';
import type { Advertiser, AdsApp, AdsToken } from '../ads/auth';

export const ADS_USER_KEYS = {
  app: 'tiktok.ads.app',
  token: 'tiktok.ads.token',
  advertisers: 'tiktok.ads.advertisers',
  states: 'tiktok.ads.states',
  /** + spreadsheet id: the ad accounts this user syncs into that spreadsheet. */
  workbookPrefix: 'tiktok.ads.workbook.',
} as const;

export const ADS_DOCUMENT_KEYS = {
  /** The ad accounts that feed this workbook (non-secret). */
  advertisers: 'tts.ads.advertisers',
  /** ads-sync.ts state. */
  sync: 'tts.ads.sync',
} as const;

export const PUBLISHER_KEYS = { shopApp: 'tiktok.publisher.shopApp', adsApp: 'tiktok.publisher.adsApp' } as const;

const AppSchema = z.object({
  appId: z.string().check(z.trim(), z.minLength(1, 'the app id from the TikTok for Business developer portal')),
  secret: z.string().check(z.trim(), z.minLength(1, 'the app secret from the TikTok for Business developer portal')),
});
const TokenSchema = z.object({ accessToken: z.string().check(z.minLength(1)), advertiserIds: z.array(z.string()), scope: z.array(z.string()) });
const AdvertiserSchema = z.object({ advertiserId: z.string().check(z.minLength(1)), name: z.string(), currency: z.string(), timezone: z.string() });
const StatesSchema = z.record(z.string(), z.number());

function readJson<T>(store: KeyValueStore, key: string, schema: Parameters<typeof parseRecord<T>>[0], what: string): T | null {
  const raw = store.get(key);
  if (raw === null) return null;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw new Error(`The stored ${what} (${key}) is not JSON; disconnect the ads account and connect again`);
  }
  return parseRecord(schema, v, `stored ${what}`);
}

/** Saves the seller's own Marketing API app (user properties only). */
export function saveAdsApp(userStore: KeyValueStore, input: unknown): AdsApp {
  const app = parseRecord(AppSchema, input, 'TikTok Ads app');
  userStore.set(ADS_USER_KEYS.app, JSON.stringify({ appId: app.appId, secret: app.secret }));
  return app;
}

/** The app the ads connection uses: the publisher's when deployed with one, else the seller's own; null when neither. */
export function loadAdsApp(userStore: KeyValueStore, scriptStore: KeyValueStore | null): { app: AdsApp; publisher: boolean } | null {
  const publisher = scriptStore ? readJson(scriptStore, PUBLISHER_KEYS.adsApp, AppSchema, 'publisher ads app') : null;
  if (publisher) return { app: publisher, publisher: true };
  const own = readJson(userStore, ADS_USER_KEYS.app, AppSchema, 'TikTok Ads app');
  return own ? { app: own, publisher: false } : null;
}

export function saveAdsToken(userStore: KeyValueStore, token: AdsToken, advertisers: readonly Advertiser[]): void {
  userStore.set(ADS_USER_KEYS.token, JSON.stringify(token));
  userStore.set(ADS_USER_KEYS.advertisers, JSON.stringify(advertisers));
}

export function loadAdsToken(userStore: KeyValueStore): AdsToken | null {
  return readJson(userStore, ADS_USER_KEYS.token, TokenSchema, 'TikTok Ads token');
}

export function loadGrantedAdvertisers(userStore: KeyValueStore): Advertiser[] {
  const raw = userStore.get(ADS_USER_KEYS.advertisers);
  if (raw === null) return [];
  const list = JSON.parse(raw) as unknown;
  if (!Array.isArray(list)) throw new Error(`The stored ad accounts (${ADS_USER_KEYS.advertisers}) are not a list; connect the ads account again`);
  return list.map((a) => parseRecord(AdvertiserSchema, a, 'stored ad account'));
}

/** Remembers a state for the callback (15 minutes), forgetting expired ones. */
export function rememberAdsState(userStore: KeyValueStore, state: string, now: number, ttlSeconds: number): void {
  const states = readJson(userStore, ADS_USER_KEYS.states, StatesSchema, 'ads authorization states') ?? {};
  for (const [k, exp] of Object.entries(states)) if (exp < now) delete states[k];
  states[state] = now + ttlSeconds;
  userStore.set(ADS_USER_KEYS.states, JSON.stringify(states));
}

/** The callback's state was issued to this user and has not expired; it is used up either way. */
export function takeAdsState(userStore: KeyValueStore, state: string, now: number): boolean {
  const states = readJson(userStore, ADS_USER_KEYS.states, StatesSchema, 'ads authorization states') ?? {};
  const exp = states[state];
  delete states[state];
  userStore.set(ADS_USER_KEYS.states, JSON.stringify(states));
  return exp !== undefined && exp >= now;
}

/** The ad accounts that feed this workbook (document properties). */
export function loadWorkbookAdvertisers(documentStore: KeyValueStore): Advertiser[] {
  const raw = documentStore.get(ADS_DOCUMENT_KEYS.advertisers);
  if (raw === null) return [];
  const list = JSON.parse(raw) as unknown;
  return Array.isArray(list) ? list.map((a) => parseRecord(AdvertiserSchema, a, 'workbook ad account')) : [];
}

/**
 * Chooses the ad accounts for this workbook among those the authorization granted. An ad account
 * in another currency than the shop's is refused by name unless Settings gives its rate.
 */
export function chooseAdvertisers(
  userStore: KeyValueStore, documentStore: KeyValueStore, spreadsheetId: string, ids: readonly string[],
  shopCurrency: string, ratedCurrencies: readonly string[],
): Advertiser[] {
  const granted = loadGrantedAdvertisers(userStore);
  const chosen: Advertiser[] = [];
  for (const id of ids) {
    const a = granted.find((g) => g.advertiserId === String(id));
    if (!a) {
      const known = granted.map((g) => `${g.name} (${g.advertiserId})`).join(', ') || 'none';
      throw new Error(`Ad account ${id} is not among the ad accounts the TikTok Ads authorization granted (${known}); connect the ads account again and tick it`);
    }
    if (a.currency !== shopCurrency && !ratedCurrencies.includes(a.currency)) {
      throw new Error(`Ad account "${a.name}" (${a.advertiserId}) reports in ${a.currency}, the shop in ${shopCurrency}: add its rate on the Settings tab (Ad account currency rates, e.g. "${a.currency} 1.0000 YYYY-MM-DD") first, or leave it out.`);
    }
    chosen.push(a);
  }
  userStore.set(ADS_USER_KEYS.workbookPrefix + spreadsheetId, JSON.stringify(chosen.map((a) => a.advertiserId)));
  documentStore.set(ADS_DOCUMENT_KEYS.advertisers, JSON.stringify(chosen));
  return chosen;
}

/** Forgets this user's ads token, app, accounts and choice; the workbook's Ad spend rows stay. */
export function disconnectAds(userStore: KeyValueStore, documentStore: KeyValueStore, spreadsheetId: string): void {
  for (const k of [ADS_USER_KEYS.app, ADS_USER_KEYS.token, ADS_USER_KEYS.advertisers, ADS_USER_KEYS.states, ADS_USER_KEYS.workbookPrefix + spreadsheetId]) userStore.delete(k);
  documentStore.delete(ADS_DOCUMENT_KEYS.advertisers);
}
