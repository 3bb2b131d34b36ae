/**
 * The sandbox's Marketing API authorization and campaign info over real loopback HTTP, read
 * with the add-on's own clients (src/ads): authorize → auth code (single use) → token → ad
 * accounts with their time zones; billed_cost beside spend; campaign info naming GMV Max item
 * ids and the Spark creator; the documented errors (revoked token, advertiser not authorized,
 * rate limit, used auth code) as the add-on sees them. The sandbox runs in a child process (the
 * clients are synchronous, as in Apps Script).
 */
import { startSandboxChild, type SandboxChild } from '../../dev/sandbox/child';
import { generateShop } from '../../dev/generator/shop';
import { adsAuthorizationProblem, exchangeAdsAuthCode, listAdvertisers } from '../../src/ads/auth';
import { fetchCampaignMap } from '../../src/ads/campaigns';
import { fetchAdSpend } from '../../src/ads/marketing';
import { addDays, startOfDay } from '../../src/core/time';
import { SyncFetchTransport } from '../../dev/runtime/sync-fetch';
import { cryptoRandom, NodeClock } from '../../dev/runtime/node-ports';
import { TikTokApiError } from '../../src/tiktok/errors';

jest.setTimeout(60_000);

const SHOP = { days: 25, ordersPerDay: 20 };
const START = startOfDay(addDays('2025-02-17', 25), 'America/Los_Angeles') + 12 * 3600;
let sb: SandboxChild;
let transport: SyncFetchTransport;
const retry = { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, maxTotalMs: 2000 };

beforeAll(async () => {
  sb = await startSandboxChild({ seed: 3, shop: SHOP, startTime: START });
  transport = new SyncFetchTransport();
});

afterAll(async () => {
  await transport?.close();
  await sb?.close();
});

const deps = () => ({ transport, clock: new NodeClock(), random: cryptoRandom });
const app = () => ({ appId: sb.adsAppId, secret: sb.adsSecret });
/** The TikTok for Business authorize page, approved: a fresh auth code. */
async function authCode(): Promise<string> {
  const r = await fetch(`${sb.url}/sandbox/ads/authorize?app_id=${sb.adsAppId}`);
  return ((await r.json()) as { data: { auth_code: string } }).data.auth_code;
}
const snapshot = () => generateShop({ unitLines: true, analytics: true, ...SHOP, seed: 3, truth: false, asOf: START });

test('authorize → auth code → token → the ad accounts, with time zone and currency; a code is single-use', async () => {
  const code = await authCode();
  const other = await authCode();
  const token = exchangeAdsAuthCode(deps(), app(), code, sb.url);
  expect(token.advertiserIds).toEqual(['7100000001', '7100000002']);
  expect(listAdvertisers(deps(), app(), token.accessToken, sb.url)).toEqual([
    { advertiserId: '7100000001', name: 'Sandbox ad account 01', currency: 'USD', timezone: 'America/New_York' },
    { advertiserId: '7100000002', name: 'Sandbox ad account 02', currency: 'USD', timezone: 'America/Los_Angeles' },
  ]);
  expect(() => exchangeAdsAuthCode(deps(), app(), code, sb.url)).toThrow(/auth_code is invalid, used or expired/);
  expect(() => exchangeAdsAuthCode(deps(), { ...app(), secret: 'wrong' }, other, sb.url)).toThrow(/app_id or secret is invalid/);
});

test('the report carries billed_cost (the cost) beside spend (before ad credits); campaign info names products and the creator', async () => {
  const token = exchangeAdsAuthCode(deps(), app(), await authCode(), sb.url).accessToken;
  const snap = snapshot();
  const adv = '7100000002';
  const want = snap.data.adSpend.filter((a) => a.advertiserId === adv);
  const start = want.map((a) => a.date).sort()[0];
  const got = fetchAdSpend(deps(), { accessToken: token, advertiserId: adv, advertiserTimezone: 'America/Los_Angeles', currency: 'USD', apiBase: sb.url }, { startDate: start, endDate: addDays(start, 40) });
  const key = (a: { campaignId: string; date: string }) => `${a.campaignId}/${a.date}`;
  expect(new Map(got.map((a) => [key(a), [a.spend, a.grossSpend]]))).toEqual(new Map(want.map((a) => [key(a), [a.spend, a.grossSpend]])));
  expect(got.some((a) => a.grossSpend! > a.spend)).toBe(true);

  const map = fetchCampaignMap(deps(), { accessToken: token, advertiserId: '7100000001', apiBase: sb.url }, ['1790000001', '1790000002', '1790000003', '1790000004']);
  const truth = (id: string) => snap.data.adSpend.find((a) => a.campaignId === id)!;
  expect(map.map((m) => [m.campaignId, m.campaignName, m.productIds, m.creatorUsername])).toEqual(
    ['1790000001', '1790000002', '1790000003', '1790000004'].map((id) => [id, truth(id).campaignName, [...truth(id).productIds].sort(), truth(id).creatorUsername]),
  );
  expect(map[1].productIds.length).toBeGreaterThan(0);
  expect(map[2].creatorUsername).not.toBeNull();
});

test('documented errors as the add-on sees them: revoked token, advertiser not authorized, rate limit', async () => {
  const token = exchangeAdsAuthCode(deps(), app(), await authCode(), sb.url).accessToken;
  const access = { accessToken: token, advertiserTimezone: 'America/Los_Angeles', currency: 'USD', apiBase: sb.url, retry };
  const range = { startDate: '2025-03-01', endDate: '2025-03-02' };
  const fail = (fn: () => unknown): TikTokApiError => {
    try {
      fn();
    } catch (e) {
      if (e instanceof TikTokApiError) return e;
      throw e;
    }
    throw new Error('no error');
  };

  const notAuthorized = fail(() => fetchAdSpend(deps(), { ...access, advertiserId: '7199999999' }, range));
  expect(notAuthorized.code).toBe(40001);
  expect(adsAuthorizationProblem(notAuthorized)).toMatch(/no longer covered by the TikTok Ads authorization/);

  // A burst of 429s is retried within the policy; a longer one surfaces as an exhausted retry, not a data error.
  await sb.setFaults({ rateLimitBurst: 1 });
  expect(fetchAdSpend(deps(), { ...access, advertiserId: '7100000002' }, range).length).toBeGreaterThan(0);
  await sb.setFaults({ rateLimitBurst: 5 });
  expect(fail(() => fetchAdSpend(deps(), { ...access, advertiserId: '7100000002' }, range)).message).toMatch(/Request too frequent/);
  await sb.clearFaults();

  await sb.revokeAdsTokens();
  const revoked = fail(() => fetchAdSpend(deps(), { ...access, advertiserId: '7100000002' }, range));
  expect([revoked.httpStatus, revoked.code]).toEqual([401, 40105]);
  expect(adsAuthorizationProblem(revoked)).toMatch(/Connect again/);
});
