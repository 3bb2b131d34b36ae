/**
 * What the ads account's server functions do, over ports (addon.ts, the composition root, hands
 * them the Apps Script services and keeps only HtmlService / ScriptApp): the status the sidebar
 * shows, the authorization (link, callback), the choice of ad accounts, disconnecting, and the
 * pull of ad spend once per completed shop run.
 */
import type { KeyValueStore } from '../tiktok/ports';
import type { RetryDeps } from '../tiktok/request';
import {
  adsAuthorizationProblem, adsAuthorizeUrl, exchangeAdsAuthCode, listAdvertisers, revokeAdsToken, type AdsApp,
} from '../ads/auth';
import type { AdCurrencyRate } from '../core/ad-spend';
import {
  ADS_USER_KEYS, chooseAdvertisers, disconnectAds, loadAdsApp, loadAdsToken, loadGrantedAdvertisers, loadWorkbookAdvertisers,
  rememberAdsState, saveAdsToken, takeAdsState,
} from './ads-connection';
import { CallCounter, readAdsSyncState, refreshAds, writeAdsSyncState } from './ads-sync';
import { NotConnectedError } from './connection';
import type { AdsStatus } from './server-types';
import type { SheetGateway } from './table';

/** This user's stores and the services the Marketing API calls need. */
export interface AdsPorts {
  userStore: KeyValueStore;
  /** Script properties, read only (the publisher's app). */
  scriptStore: KeyValueStore | null;
  deps: RetryDeps;
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function adsStatusOf(userStore: KeyValueStore, documentStore: KeyValueStore, scriptStore: KeyValueStore | null): AdsStatus {
  const app = loadAdsApp(userStore, scriptStore);
  const token = loadAdsToken(userStore);
  const state = readAdsSyncState(documentStore);
  const info = (a: { advertiserId: string; name: string; currency: string; timezone: string }) => ({ id: a.advertiserId, name: a.name, currency: a.currency, timezone: a.timezone });
  return {
    appConfigured: app !== null,
    publisherApp: app?.publisher ?? false,
    connected: token !== null,
    granted: token ? loadGrantedAdvertisers(userStore).map(info) : [],
    chosen: loadWorkbookAdvertisers(documentStore).map(info),
    lastPullTime: state.time,
    problem: state.problem,
  };
}

function adsApp(p: AdsPorts): AdsApp {
  const found = loadAdsApp(p.userStore, p.scriptStore);
  if (!found) throw new NotConnectedError('No TikTok Ads app is set up: enter the Marketing API app id and secret in the sidebar (Connect → Ads account).');
  return found.app;
}

/** The authorize link for `state` (remembered for the callback, `ttlSeconds`). */
export function adsAuthorizeLink(p: AdsPorts, state: string, ttlSeconds: number, redirectUri: string): string {
  const app = adsApp(p);
  rememberAdsState(p.userStore, state, Math.floor(p.deps.clock.now()), ttlSeconds);
  return adsAuthorizeUrl(app, state, redirectUri);
}

/** The callback: check the state, exchange the code, list the ad accounts granted. Returns the page's text. */
export function finishAdsAuthorization(p: AdsPorts, parameter: Record<string, string | undefined>): string {
  try {
    if (!parameter.state || !takeAdsState(p.userStore, parameter.state, Math.floor(p.deps.clock.now()))) {
      throw new Error('this authorization link has expired or was not made for you; click Connect again in the sidebar');
    }
    const code = parameter.auth_code ?? parameter.code;
    if (!code) throw new Error('TikTok sent no authorization code (the access was not approved)');
    const app = adsApp(p);
    const token = exchangeAdsAuthCode(p.deps, app, code);
    const advertisers = listAdvertisers(p.deps, app, token.accessToken);
    saveAdsToken(p.userStore, token, advertisers);
    return advertisers.length === 0
      ? 'The authorization granted no ad account. Authorize again and tick the ad accounts to connect.'
      : `Connected to TikTok Ads: ${advertisers.map((a) => `${a.name} (${a.currency})`).join(', ')}. Close this tab and choose the ad accounts for this workbook in the sidebar.`;
  } catch (e) {
    return `The ads account was not connected: ${messageOf(e)}`;
  }
}

/** The ad accounts for this workbook (refused by name in another currency without a rate); pulled by the next refresh. */
export function chooseWorkbookAdAccounts(
  userStore: KeyValueStore, documentStore: KeyValueStore, spreadsheetId: string, ids: readonly string[], currency: string, rates: readonly AdCurrencyRate[],
): void {
  chooseAdvertisers(userStore, documentStore, spreadsheetId, ids, currency, rates.map((r) => r.currency));
  // A new choice is pulled by the next refresh, even within the same sync run.
  writeAdsSyncState(documentStore, { ...readAdsSyncState(documentStore), run: null, problem: null });
}

/** Revokes the token at TikTok (a failure there does not keep it here) and forgets the connection. */
export function disconnectWorkbookAds(p: AdsPorts & { documentStore: KeyValueStore; spreadsheetId: string }): void {
  const token = loadAdsToken(p.userStore);
  const found = loadAdsApp(p.userStore, p.scriptStore);
  if (token && found) revokeAdsToken(p.deps, found.app, token.accessToken);
  disconnectAds(p.userStore, p.documentStore, p.spreadsheetId);
  writeAdsSyncState(p.documentStore, { ...readAdsSyncState(p.documentStore), run: null, problem: null });
}

export interface AdsPullOutcome {
  calls: number;
  written: number;
  /** What to do, when the ad spend was not updated. */
  problem: string | null;
}

/**
 * The chosen ad accounts' spend, once per completed shop run `run` (call with the document lock
 * held). A failure writes nothing and stops nothing: the shop's data is in, the reports are built
 * with the ad spend the workbook already had, and the problem is saved for the sidebar.
 */
export function pullAdsForRun(
  p: AdsPorts & { documentStore: KeyValueStore; spreadsheetId: string; dataGateway: SheetGateway; gateway: SheetGateway },
  settings: { backfillDays: number; rereadDays: number; currency: string; rates: readonly AdCurrencyRate[] },
  run: number | null,
  shopId: string,
): AdsPullOutcome {
  const none = { calls: 0, written: 0, problem: null };
  const advertisers = loadWorkbookAdvertisers(p.documentStore);
  if (advertisers.length === 0) return none;
  const state = readAdsSyncState(p.documentStore);
  if (state.run !== null && state.run === run) return { ...none, problem: state.problem };
  const token = loadAdsToken(p.userStore);
  const mine = JSON.parse(p.userStore.get(ADS_USER_KEYS.workbookPrefix + p.spreadsheetId) ?? '[]') as string[];
  const fail = (problem: string) => {
    writeAdsSyncState(p.documentStore, { ...state, run, problem });
    return { ...none, problem };
  };
  if (!token || mine.length === 0) {
    return fail('this workbook takes ad spend from TikTok Ads, but you have no ads connection here: open the sidebar, Connect → Ads account → Connect (or Disconnect to stop).');
  }
  for (const a of advertisers) {
    if (a.currency !== settings.currency && !settings.rates.some((r) => r.currency === a.currency)) {
      return fail(`ad account "${a.name}" (${a.advertiserId}) reports in ${a.currency}, the shop in ${settings.currency}: add its rate on the Settings tab (Ad account currency rates).`);
    }
  }
  const counter = new CallCounter(p.deps.transport);
  try {
    const r = refreshAds(
      { ...p.deps, transport: counter }, p.dataGateway, p.gateway, p.documentStore,
      { accessToken: token.accessToken, advertisers, shopId, now: Math.floor(p.deps.clock.now()), backfillDays: settings.backfillDays, rereadDays: settings.rereadDays },
      run,
    );
    return { calls: counter.calls, written: (r.upsert ? r.upsert.inserted + r.upsert.updated : 0) + r.campaignsAdded, problem: null };
  } catch (e) {
    return { ...fail(adsAuthorizationProblem(e) ?? messageOf(e)), calls: counter.calls };
  }
}
