/**
 * Local TikTok Shop sandbox: a node:http server on 127.0.0.1 speaking the Partner API as
 * documented in /work/shared/reference/tiktok-shop-api.md, for a shop made by the seeded
 * generator (dev/generator/shop.ts) and re-snapshotted as the sandbox clock moves.
 *
 * Hosts (all on one loopback port, selected by path prefix; no Host header needed):
 *   /api/v2/token/*  the auth host (auth.tiktok-shops.com): token/get, token/refresh (unsigned)
 *   /open_api/*      the Marketing (Business) API host (business-api.tiktok.com): the integrated
 *                    report and the GMV Max report (see "Marketing API" below)
 *   /sandbox/*       the control API (no auth; loopback only): authorize, clock, faults, state
 *   anything else    the Partner API host (open-api.tiktokglobalshop.com)
 *
 * Partner API request checks, in this order (first failure answers):
 *   1. known method + path (else HTTP 404, 36009004 "invalid path or version")
 *   2. app_key present and ours (401, 36009004)
 *   3. timestamp present, integer seconds, within [now − 300 s, now + 30 s] of the SANDBOX
 *      clock (401, 36009004)
 *   4. sign present (401, 36009004) and equal to the documented HMAC (401, 106001). The sign
 *      must be lowercase hex; uppercase is rejected like any wrong sign.
 *   5. content-type application/json (400, 36009004); a GET with a body is rejected (400,
 *      36009004) — the reference says never send one.
 *   6. x-tts-access-token present and known (401, 36009004); not expired (401, 105002)
 *  6b. the route's scope is granted to the app (403, 105005 "you should apply auth pkg for this
 *      api"); the granted set is SandboxOptions.grantedScopes (default: all), changeable at run
 *      time with sandbox.scopes.set() or POST /sandbox/scopes {"scopes": [...]}; it applies at
 *      once to every token (the app's packages, not the token, decide)
 *   7. shop_cipher: required on shop-scoped paths (400, 106013), must be the authorized shop's
 *      (400, 36009004); forbidden on /authorization/* and /seller/* (400, 36009004
 *      "Unexpected identifier")
 *   8. rate limit: 50 requests per second per API (route) per app + shop (app + seller for
 *      non-shop paths), sliding 1 s window of accepted requests (429, 36009002)
 *   9. injected faults (see FaultConfig)
 *  10. endpoint parameters (400, 36009004 with a message naming the parameter)
 * Invalid request parameters use 36009004 (the reference lists no separate code for them).
 *
 * Auth: auth codes (from GET /sandbox/authorize) are single-use and expire after 30 minutes.
 * token/get and token/refresh answer {access_token, access_token_expire_in (absolute Unix
 * seconds), refresh_token, refresh_token_expire_in (absolute), open_id, seller_name,
 * seller_base_region, user_type: 0, granted_scopes}. Access tokens live 7 days, refresh
 * tokens 30 days (the reference does not state the latter; both are options). Refreshing
 * rotates: the old refresh token is invalid at once; the old access token stays valid until its
 * own expiry. Token-host errors: wrong app key/secret or grant type 36009004, unknown / used /
 * expired auth code or unknown / rotated refresh token 36004005, expired refresh token 36004001.
 *
 * Paging: page tokens are opaque — standard base64 (with '+', '/', '=') of AES-256-GCM
 * (random per-server key) over a keyset cursor (last sort value and id) bound to the route
 * and a hash of the filters. A tampered token, or one used with other filters, is rejected
 * (400, 36009004 "invalid page_token"). next_page_token is "" on the last page.
 *
 * Marketing API (/open_api/v1.3/…): header Access-Token = the sandbox advertiser token
 * (sandbox.advertiserToken, printed by `npm run sandbox`; not signed). Checks in order: known
 * path (404, 40002); token (401, 40105); advertiser_id one of the shop's ad accounts (200,
 * 40001); rate limit `qps` per report + token + advertiser (429, 40100); injected faults
 * (rateLimitBurst → 429 40100, errorShare → errorStatus 50000, delay, truncation); parameters
 * (200, 40002). Success: {code: 0, message: "OK", request_id, data}. The Marketing API's own
 * error codes are not in the reference: these are the sandbox's choice (see MARKETING_CODES).
 *   GET /open_api/v1.3/report/integrated/get/: report_type=BASIC, data_level AUCTION_CAMPAIGN
 *   (or AUCTION_ADVERTISER), service_type AUCTION (optional), dimensions JSON array ⊂
 *   {campaign_id, stat_time_day, advertiser_id}, metrics JSON array ⊂ {spend, campaign_name,
 *   currency} (default ["spend"]), start_date / end_date YYYY-MM-DD inclusive in the
 *   advertiser timezone, at most 30 days when stat_time_day is a dimension, else 365; page ≥ 1
 *   (default 1), page_size 1–1000 (default 10). Serves the AD_ACCOUNT AdSpend rows of the
 *   advertiser, summed by the dimensions, ordered by (stat_time_day, campaign_id).
 *   GET /open_api/v1.3/gmv_max/report/get/: advertiser_id, store_ids (JSON array containing
 *   the shop id), dimensions ⊂ {campaign_id, stat_time_day, item_group_id, item_id,
 *   advertiser_id}, metrics ⊂ {cost, spend, campaign_name, currency}, filtering (optional JSON
 *   {campaign_ids, item_group_ids, item_ids}), same dates and paging. Serves the GMV_PAYMENT
 *   AdSpend rows; item_group_id (= the product id) or item_id (same value in the sandbox)
 *   splits a row over its productIds (see render-resources.ts).
 *   data.page_info = {page, page_size, total_number, total_page = ceil(total / page_size)}.
 *   The integrated report's metrics also take billed_cost: `spend` is the generator's grossSpend
 *   (before ad credits), `billed_cost` its spend (the cost).
 * Marketing API authorization and campaign info (sandbox's choices where the reference is silent):
 *   GET /sandbox/ads/authorize?app_id&state&redirect_uri → 302 to redirect_uri with auth_code
 *   (and code) and state; POST /open_api/v1.3/oauth2/access_token/ {app_id, secret, auth_code}
 *   (single-use, 30 min; else 40110) → {access_token, advertiser_ids, scope}; POST
 *   oauth2/revoke_token/ {app_id, secret, access_token}; GET oauth2/advertiser/get/?app_id&secret
 *   and advertiser/info/?advertiser_ids (name, currency, display_timezone); GET campaign/get/,
 *   ad/get/ (identity_type AUTH_CODE for Spark ads), identity/get/ (display_name = the creator),
 *   gmv_max/campaign/info/ (item_group_ids = the products). A revoked token (POST
 *   /sandbox/ads/revoke, or revoke_token) answers 401, 40105 everywhere.
 *
 * Resource endpoints (renderings in render-resources.ts; page-size ranges as documented, 1–100
 * where the reference gives none, as src/tiktok/versions.ts assumes):
 *   POST /return_refund/202309/returns/search       page_size 10–50 (default 10); body
 *        return_ids, order_ids, buyer_user_ids, return_types, return_status (string or array),
 *        create_time_ge/lt, update_time_ge/lt; sort_field create_time|update_time, sort_order
 *        (default DESC)
 *   POST /return_refund/202309/cancellations/search page_size 1–50 (default 10); body cancel_ids,
 *        order_ids, cancel_types, cancel_status, create_time_ge/lt, update_time_ge/lt
 *   POST /affiliate_seller/202410/orders/search      page_size 1–100 (required); body
 *        create_time_ge/lt; oldest first
 *   POST /product/202502/products/search            page_size 1–100 (required); body status,
 *        seller_skus, create_time_ge/le/lt, update_time_ge/le/lt; oldest first
 *   GET  /analytics/202405/shop/performance         start_date_ge, end_date_lt (required, shop
 *        timezone, end exclusive), granularity ALL|1D (default ALL), currency LOCAL|USD;
 *        bad dates → 400, 28001022
 *   GET  /analytics/202405/shop_products/performance start_date_ge, end_date_lt, page_size
 *        1–100 (default 10), page_token, sort_field gmv|unit_sold_count|click_through_rate
 *        (default gmv), sort_order (default DESC), currency, granularity ALL (default, as
 *        documented: one entry per product over the range) or 1D (sandbox extension: one
 *        entry per product per day, with start_date/end_date). For per-day records either
 *        call with granularity=1D, or once per day with end_date_lt = start_date_ge + 1.
 *   GET  /finance/202507/orders/unsettled           sort_field=order_create_time (required),
 *        sort_order (default ASC), search_time_ge/lt on the order create time, page_size 1–100
 *   GET  /finance/202309/payments                   sort_field=create_time (required),
 *        sort_order (default DESC), create_time_ge/lt, page_size 1–100
 *   GET  /finance/202309/withdrawals                types (required; comma-separated or
 *        repeated; WITHDRAW|SETTLE|TRANSFER|REVERSE), create_time_ge/lt, page_size 1–100
 *   GET  /finance/202501/orders/{order_id}/statement_transactions   (unknown order: 404)
 *
 * Clock: the sandbox clock (Unix seconds) is frozen by default (tests move it); `ticking`
 * makes it run with real time from its start. The shop is generateShop({..., asOf: now}),
 * recomputed when the clock has moved (at most every `resnapshotSeconds` when ticking), so
 * statuses change, refunds arrive and statements appear daily as time passes.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateShop, type GeneratedShop, type GenerateOptions } from '../generator/shop';
import { Rng } from '../generator/random';
import { addDays, startOfDay } from '../../src/core/time';
import { formatAmount } from '../../src/core/money';
import {
  CANCEL_STATUSES, ORDER_STATUSES, RETURN_STATUSES, RETURN_TYPES,
  type AdSpend, type Cancellation, type CreatorOrderLine, type Order, type OrderLine, type ProductPerformance, type Return,
  type Statement, type StatementTransaction, type UnsettledEstimate,
} from '../../src/core/records';
import { addDays as addDayKeys, daysBetween, isDayKey } from '../../src/core/time';
import {
  renderOrder, renderShop, renderStatement, renderStatementTransaction, renderStatementTransactionTotals, type ShopInfo,
} from './render';
import {
  ctr, groupProducts, renderAdRow, renderAffiliateOrder, renderCancellation, renderOrderStatementTransactions, renderPayment,
  renderProduct, renderProductPerformance, renderReturn, renderShopInterval, renderUnsettled, renderWithdrawal, splitByItems,
  type ProductGroup,
} from './render-resources';

export const CODES = {
  OK: 0,
  INVALID_SIGN: 106001,
  TOKEN_EXPIRED: 105002,
  INVALID_REQUEST: 36009004,
  MISSING_SHOP_CIPHER: 106013,
  TOO_MANY_REQUESTS: 36009002,
  INTERNAL_ERROR: 36009003,
  AUTH_RECORD_NOT_FOUND: 36004005,
  REFRESH_TOKEN_EXPIRED: 36004001,
  NOT_IMPLEMENTED: 40002,
  SCOPE_NOT_GRANTED: 105005,
  ANALYTICS_INVALID_DATE: 28001022,
} as const;

/** Marketing (Business) API codes used by the sandbox (not in the reference: the sandbox's choice). */
export const MARKETING_CODES = {
  OK: 0,
  NO_PERMISSION: 40001,
  INVALID_PARAM: 40002,
  TOO_MANY_REQUESTS: 40100,
  INVALID_TOKEN: 40105,
  /** Unknown, used or expired auth code (sandbox's choice). */
  INVALID_AUTH_CODE: 40110,
  INTERNAL_ERROR: 50000,
} as const;

export const DEMO_ADS_APP_ID = '7390000000000000001';
export const DEMO_ADS_SECRET = 'sbxadsecret0a1b2c3d4e5f6a7b8c9d0';

export const SCOPE_MESSAGE = 'you should apply auth pkg for this api';

const SCOPE = {
  AUTH_INFO: 'seller.authorization.info',
  ORDER: 'seller.order.info',
  FINANCE: 'seller.finance.info',
  RETURNS: 'seller.return_refund.basic',
  PRODUCT: 'seller.product.basic',
  ANALYTICS: 'data.shop_analytics.public.read',
  AFFILIATE: 'seller.affiliate_collaboration.read',
} as const;

export const DEMO_APP_KEY = 'sbx6d1e2f';
export const DEMO_APP_SECRET = 'sbx0c9b8a7f6e5d4c3b2a1';

export const GRANTED_SCOPES = [
  'seller.authorization.info', 'seller.order.info', 'seller.finance.info', 'seller.return_refund.basic',
  'seller.product.basic', 'data.shop_analytics.public.read', 'seller.affiliate_collaboration.read',
];

/** Faults injected into Partner API answers (after the auth checks). */
export interface FaultConfig {
  /** Share (0..1) of calls answered with an internal error: HTTP `errorStatus`, code 36009003. */
  errorShare: number;
  /** HTTP status of injected internal errors: 500 (default) or 503. */
  errorStatus: number;
  /** The next N calls answer HTTP 429, code 36009002 (counts down). */
  rateLimitBurst: number;
  /** Extra latency added to every Partner API answer, ms. */
  delayMs: number;
  /** Share (0..1) of answers whose body is cut in half and the connection closed. */
  truncateShare: number;
}

const NO_FAULTS: FaultConfig = { errorShare: 0, errorStatus: 500, rateLimitBurst: 0, delayMs: 0, truncateShare: 0 };

export interface SandboxOptions {
  /** Generator seed; default 1. */
  seed?: number;
  /** Generator options (seed and asOf are the sandbox's). Default: 60 days × 200 orders, unitLines. */
  shop?: Omit<GenerateOptions, 'seed' | 'asOf' | 'truth'>;
  appKey?: string;
  appSecret?: string;
  /** Sandbox clock start (Unix seconds); default 12:00 shop time on day 46 of the shop (15 days of orders still to come). */
  startTime?: number;
  /** Clock runs with real time (default false: frozen, moved by clock.set/advance). */
  ticking?: boolean;
  /** When ticking: re-snapshot the shop at most this often (s); default 60. */
  resnapshotSeconds?: number;
  accessTokenTtl?: number;
  refreshTokenTtl?: number;
  /** Requests per second per API and app + shop; default 50. */
  qps?: number;
  faults?: Partial<FaultConfig>;
  port?: number;
  /** Log one line per request to stderr. */
  log?: boolean;
  /** Scopes granted to the app (default GRANTED_SCOPES: all). */
  grantedScopes?: string[];
  /** Marketing API Access-Token of the sandbox advertiser (default derived from the seed). */
  advertiserToken?: string;
  /** The Marketing API app (TikTok for Business) the ads authorization is for. */
  adsAppId?: string;
  adsSecret?: string;
}

export interface SandboxScopes {
  get(): string[];
  set(scopes: readonly string[]): void;
}

export interface SandboxClock {
  now(): number;
  set(t: number): void;
  advance(seconds: number): void;
}

export interface SandboxFaults {
  get(): FaultConfig;
  /** Merges into the current configuration. */
  set(f: Partial<FaultConfig>): void;
  clear(): void;
  /** Expires every access token now (next call: 105002). */
  expireAccessTokens(): void;
}

export interface Sandbox {
  url: string;
  appKey: string;
  appSecret: string;
  shop: ShopInfo;
  clock: SandboxClock;
  faults: SandboxFaults;
  /** Issues an auth code for the demo seller (as the authorize page would). */
  authorize(): string;
  /** The generated shop as of the sandbox clock. */
  snapshot(): GeneratedShop;
  /** Scopes granted to the app (105005 for routes outside them). */
  scopes: SandboxScopes;
  /** Marketing API Access-Token for the shop's ad accounts. */
  advertiserToken: string;
  /** The ad accounts the advertiser token sees, with their timezone and currency. */
  advertisers(): { advertiserId: string; timezone: string; currency: string }[];
  adsAppId: string;
  adsSecret: string;
  /** Issues a single-use Marketing API auth code (as the TikTok for Business authorize page would). */
  adsAuthorize(): string;
  /** Revokes every Marketing API token (the seller removed the app's access): next call 40105. */
  revokeAdsTokens(): void;
  close(): Promise<void>;
}

class ApiError extends Error {
  constructor(readonly http: number, readonly code: number, message: string) {
    super(message);
  }
}

interface Index {
  shop: GeneratedShop;
  orders: Order[];
  orderById: Map<string, Order>;
  lines: Map<string, OrderLine[]>;
  cancellations: Map<string, Cancellation>;
  statements: Statement[];
  statementById: Map<string, Statement>;
  transactions: Map<string, StatementTransaction[]>;
  lineById: Map<string, OrderLine>;
  returns: Return[];
  cancellationList: Cancellation[];
  creatorOrders: Map<string, CreatorOrderLine[]>;
  products: ProductGroup[];
  unsettled: UnsettledEstimate[];
  orderTransactions: Map<string, StatementTransaction[]>;
  productPerformance: ProductPerformance[];
}

interface Route {
  name: string;
  method: 'GET' | 'POST';
  pattern: RegExp;
  shopScoped: boolean;
  scope: string;
  handle(ctx: Ctx): unknown;
}

interface Ctx {
  query: URLSearchParams;
  body: Record<string, unknown>;
  params: string[];
}

const DAY = 86400;
const AUTH_CODE_TTL = 30 * 60;

/** The documented signature (reference §1), implemented here independently of any client. */
export function expectedSign(secret: string, path: string, query: URLSearchParams, body: string, contentType: string): string {
  const keys = [...new Set([...query.keys()])].filter((k) => k !== 'sign' && k !== 'access_token' && k !== 'x-tts-access-token').sort();
  let s = path;
  for (const k of keys) s += k + (query.get(k) ?? '');
  if (!/multipart\/form-data/i.test(contentType)) s += body;
  return createHmac('sha256', secret).update(secret + s + secret, 'utf8').digest('hex');
}

function requestId(): string {
  return `${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}${randomBytes(10).toString('hex').toUpperCase()}`;
}

function token(prefix: string): string {
  return `${prefix}${randomBytes(24).toString('base64url')}`;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const seed = options.seed ?? 1;
  const appKey = options.appKey ?? DEMO_APP_KEY;
  const appSecret = options.appSecret ?? DEMO_APP_SECRET;
  const shopOptions: GenerateOptions = { days: 60, ordersPerDay: 200, unitLines: true, analytics: true, ...options.shop, seed, truth: false };
  const currency = shopOptions.currency ?? 'USD';
  const region = currency === 'JPY' ? 'JP' : currency === 'GBP' ? 'GB' : 'US';
  const tz = shopOptions.timezone ?? (currency === 'JPY' ? 'Asia/Tokyo' : 'America/Los_Angeles');
  const startDay = shopOptions.startDay ?? '2025-02-17';
  const days = shopOptions.days ?? 60;
  const defaultStart = startOfDay(addDays(startDay, Math.max(0, days - 15)), tz) + 12 * 3600;
  const qps = options.qps ?? 50;
  const accessTtl = options.accessTokenTtl ?? 7 * DAY;
  const refreshTtl = options.refreshTokenTtl ?? 30 * DAY;
  const resnapshot = options.resnapshotSeconds ?? 60;
  const ticking = options.ticking ?? false;
  const pageKey = randomBytes(32);
  const faultRng = new Rng(`${seed}/faults`);
  let faults: FaultConfig = { ...NO_FAULTS, ...options.faults };
  let grantedScopes: string[] = [...(options.grantedScopes ?? GRANTED_SCOPES)];
  const scopesApi: SandboxScopes = { get: () => [...grantedScopes], set: (s) => { grantedScopes = [...s]; } };
  const advertiserToken = options.advertiserToken ?? `SBXADV_${createHash('sha256').update(`advertiser/${seed}`).digest('base64url').slice(0, 32)}`;
  const adsAppId = options.adsAppId ?? DEMO_ADS_APP_ID;
  const adsSecret = options.adsSecret ?? DEMO_ADS_SECRET;
  // Marketing API tokens: the fixed advertiser token and those issued by oauth2/access_token; revoked → 40105.
  const adsTokens = new Map<string, { revoked: boolean }>([[advertiserToken, { revoked: false }]]);
  const adsCodes = new Map<string, { expires: number; used: boolean }>();
  const adsAuthorize = (): string => {
    const code = token('SBXADC_');
    adsCodes.set(code, { expires: clock.now() + AUTH_CODE_TTL, used: false });
    return code;
  };
  const revokeAdsTokens = () => { for (const t of adsTokens.values()) t.revoked = true; };

  const shop: ShopInfo = {
    id: `7495${String(seed).padStart(12, '0')}`,
    name: `Sandbox Shop ${seed}`,
    region,
    sellerType: 'LOCAL',
    cipher: `ROW_${createHash('sha256').update(`cipher/${seed}`).digest('base64url').slice(0, 22)}`,
    code: `${region}LCSBX${String(seed).padStart(3, '0')}`,
  };
  const seller = { openId: `sbx-open-${seed}`, name: `Sandbox Seller ${seed}` };

  // ---------------------------------------------------------------- clock
  let clockBase = options.startTime ?? defaultStart;
  let clockAnchor = ticking ? Date.now() : 0;
  const clock: SandboxClock = {
    now: () => (ticking ? clockBase + Math.floor((Date.now() - clockAnchor) / 1000) : clockBase),
    set: (t: number) => { clockBase = Math.floor(t); clockAnchor = Date.now(); },
    advance: (s: number) => clock.set(clock.now() + s),
  };

  // ---------------------------------------------------------------- shop snapshots
  let index: Index | null = null;
  const snapshotIndex = (): Index => {
    const now = clock.now();
    if (index && (index.shop.asOf === now || (ticking && now >= index.shop.asOf && now - index.shop.asOf < resnapshot))) return index;
    const g = generateShop({ ...shopOptions, asOf: now });
    const lines = new Map<string, OrderLine[]>();
    for (const l of g.data.lines) { const a = lines.get(l.orderId); if (a) a.push(l); else lines.set(l.orderId, [l]); }
    const cancellations = new Map<string, Cancellation>();
    for (const c of g.data.cancellations) cancellations.set(c.orderId, c);
    const transactions = new Map<string, StatementTransaction[]>();
    for (const t of g.data.transactions) { const a = transactions.get(t.statementId); if (a) a.push(t); else transactions.set(t.statementId, [t]); }
    const creatorOrders = new Map<string, CreatorOrderLine[]>();
    for (const c of g.data.creatorOrders) { const a = creatorOrders.get(c.orderId); if (a) a.push(c); else creatorOrders.set(c.orderId, [c]); }
    const latest = new Map<string, UnsettledEstimate>();
    for (const e of g.data.unsettled) { const x = latest.get(e.orderId); if (!x || e.fetchedTime > x.fetchedTime) latest.set(e.orderId, e); }
    const orderTransactions = new Map<string, StatementTransaction[]>();
    for (const t of g.data.transactions) {
      if (t.type !== 'ORDER' || t.orderId === null) continue;
      const a = orderTransactions.get(t.orderId); if (a) a.push(t); else orderTransactions.set(t.orderId, [t]);
    }
    index = {
      shop: g, orders: g.data.orders, orderById: new Map(g.data.orders.map((o) => [o.orderId, o])), lines, cancellations,
      statements: g.data.statements, statementById: new Map(g.data.statements.map((s) => [s.statementId, s])), transactions,
      lineById: new Map(g.data.lines.map((l) => [l.lineId, l])), returns: g.data.returns, cancellationList: g.data.cancellations,
      creatorOrders, products: groupProducts(g.data.products), unsettled: [...latest.values()], orderTransactions,
      productPerformance: g.data.productPerformance,
    };
    return index;
  };

  // ---------------------------------------------------------------- auth state
  const authCodes = new Map<string, { expires: number; used: boolean }>();
  const accessTokens = new Map<string, { expires: number }>();
  const refreshTokens = new Map<string, { expires: number; used: boolean }>();
  const authorize = (): string => {
    const code = token('SBXAC_');
    authCodes.set(code, { expires: clock.now() + AUTH_CODE_TTL, used: false });
    return code;
  };
  const issueTokens = () => {
    const now = clock.now();
    const access = token('SBXAT_');
    const refresh = token('SBXRT_');
    accessTokens.set(access, { expires: now + accessTtl });
    refreshTokens.set(refresh, { expires: now + refreshTtl, used: false });
    return {
      access_token: access, access_token_expire_in: now + accessTtl, refresh_token: refresh, refresh_token_expire_in: now + refreshTtl,
      open_id: seller.openId, seller_name: seller.name, seller_base_region: region, user_type: 0, granted_scopes: [...grantedScopes],
    };
  };

  // ---------------------------------------------------------------- paging
  const encodePageToken = (route: string, filterHash: string, last: [number, string]): string => {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', pageKey, iv);
    const ct = Buffer.concat([c.update(JSON.stringify({ r: route, h: filterHash, k: last }), 'utf8'), c.final()]);
    return Buffer.concat([iv, ct, c.getAuthTag()]).toString('base64');
  };
  const decodePageToken = (route: string, filterHash: string, tokenText: string): [number, string] => {
    const bad = () => new ApiError(400, CODES.INVALID_REQUEST, 'invalid page_token');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(tokenText)) throw bad();
    const raw = Buffer.from(tokenText, 'base64');
    if (raw.length < 12 + 16 + 2) throw bad();
    try {
      const d = createDecipheriv('aes-256-gcm', pageKey, raw.subarray(0, 12));
      d.setAuthTag(raw.subarray(raw.length - 16));
      const plain = Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]).toString('utf8');
      const v = JSON.parse(plain) as { r: string; h: string; k: [number, string] };
      if (v.r !== route || v.h !== filterHash) throw bad();
      return v.k;
    } catch (e) {
      if (e instanceof ApiError) throw e;
      throw bad();
    }
  };
  /** Keyset paging over items sorted by (key, id). */
  function page<T>(route: string, filters: unknown, items: T[], key: (x: T) => number, id: (x: T) => string, q: URLSearchParams, desc: boolean, pageSize: number): { items: T[]; next: string; total: number } {
    const filterHash = createHash('sha256').update(JSON.stringify(filters)).digest('hex').slice(0, 16);
    const sorted = [...items].sort((a, b) => {
      const d = key(a) - key(b) || (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0);
      return desc ? -d : d;
    });
    let start = 0;
    const pt = q.get('page_token');
    if (pt) {
      const [k, i] = decodePageToken(route, filterHash, pt);
      const after = (x: T) => {
        const d = key(x) - k || (id(x) < i ? -1 : id(x) > i ? 1 : 0);
        return desc ? d < 0 : d > 0;
      };
      start = sorted.findIndex(after);
      if (start < 0) start = sorted.length;
    }
    const slice = sorted.slice(start, start + pageSize);
    const more = start + pageSize < sorted.length;
    const lastItem = slice[slice.length - 1];
    return { items: slice, next: more && lastItem !== undefined ? encodePageToken(route, filterHash, [key(lastItem), id(lastItem)]) : '', total: sorted.length };
  }

  // ---------------------------------------------------------------- parameter helpers
  const invalid = (msg: string) => new ApiError(400, CODES.INVALID_REQUEST, msg);
  const intParam = (q: URLSearchParams, name: string, opts: { required?: boolean; min?: number; max?: number; def?: number }): number => {
    const v = q.get(name);
    if (v === null || v === '') {
      if (opts.required) throw invalid(`${name} is required`);
      return opts.def ?? 0;
    }
    if (!/^\d+$/.test(v)) throw invalid(`${name} must be an integer`);
    const n = Number(v);
    if ((opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) throw invalid(`${name} must be between ${opts.min} and ${opts.max}`);
    return n;
  };
  const enumParam = (q: URLSearchParams, name: string, values: readonly string[], def: string | null): string | null => {
    const v = q.get(name);
    if (v === null || v === '') return def;
    if (!values.includes(v)) throw invalid(`${name} must be one of ${values.join(', ')}`);
    return v;
  };
  const bodyTime = (body: Record<string, unknown>, name: string): number | null => {
    const v = body[name];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw invalid(`${name} must be Unix seconds (integer)`);
    return v;
  };
  const queryTime = (q: URLSearchParams, name: string): number | null => {
    const v = q.get(name);
    if (v === null || v === '') return null;
    if (!/^\d+$/.test(v)) throw invalid(`${name} must be Unix seconds (integer)`);
    return Number(v);
  };

  /** Body time window: `${f}_ge` (inclusive) and `${f}_lt` (exclusive) or `${f}_le` (inclusive) per field. */
  const timeWindow = (body: Record<string, unknown>, fields: ('create_time' | 'update_time')[]) => {
    const now = clock.now();
    const mk = (f: string | undefined) => {
      if (f === undefined) return () => true;
      const ge = bodyTime(body, `${f}_ge`) ?? 0;
      const lt = bodyTime(body, `${f}_lt`);
      const le = bodyTime(body, `${f}_le`);
      const hi = Math.min(lt ?? Infinity, le !== null ? le + 1 : Infinity, lt === null && le === null ? now + 1 : Infinity);
      return (t: number) => t >= ge && t < hi;
    };
    return { create: mk(fields.includes('create_time') ? 'create_time' : undefined), update: mk(fields.includes('update_time') ? 'update_time' : undefined) };
  };
  const strList = (body: Record<string, unknown>, name: string): Set<string> | null => {
    const v = body[name];
    if (v === undefined || v === null) return null;
    const list = typeof v === 'string' ? [v] : v;
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) throw invalid(`${name} must be an array of strings`);
    return list.length ? new Set(list as string[]) : null;
  };
  const enumList = (body: Record<string, unknown>, name: string, values: readonly string[]): Set<string> | null => {
    const s = strList(body, name);
    if (s) for (const v of s) if (!values.includes(v)) throw invalid(`${name}: ${v} is not one of ${values.join(', ')}`);
    return s;
  };
  const badDate = (msg: string) => new ApiError(400, CODES.ANALYTICS_INVALID_DATE, `invalid request params; detail: ${msg}`);
  const dateRange = (q: URLSearchParams): { start: string; end: string } => {
    const start = q.get('start_date_ge') ?? '';
    const end = q.get('end_date_lt') ?? '';
    if (!start || !end) throw badDate('start_date_ge and end_date_lt are required (YYYY-MM-DD, shop timezone)');
    if (!isDayKey(start) || !isDayKey(end) || end <= start) throw badDate('start time or end time is invalid.');
    return { start, end };
  };
  const analyticsCurrency = (q: URLSearchParams) => {
    const c = enumParam(q, 'currency', ['USD', 'LOCAL'], 'LOCAL');
    if (c === 'USD' && currency !== 'USD') throw invalid('currency USD: the sandbox serves the local currency only');
  };

  // ---------------------------------------------------------------- routes
  const routes: Route[] = [
    {
      name: 'get_authorized_shops', method: 'GET', pattern: /^\/authorization\/202309\/shops$/, shopScoped: false, scope: SCOPE.AUTH_INFO,
      handle: () => ({ shops: [renderShop(shop)] }),
    },
    {
      name: 'search_orders', method: 'POST', pattern: /^\/order\/202309\/orders\/search$/, shopScoped: true, scope: SCOPE.ORDER,
      handle: ({ query, body }) => {
        const pageSize = intParam(query, 'page_size', { required: true, min: 1, max: 100 });
        const sortField = enumParam(query, 'sort_field', ['create_time', 'update_time'], 'create_time')!;
        const desc = enumParam(query, 'sort_order', ['ASC', 'DESC'], 'DESC') === 'DESC';
        const idx = snapshotIndex();
        const now = clock.now();
        const earliest = 0;
        const cge = bodyTime(body, 'create_time_ge') ?? earliest;
        const clt = bodyTime(body, 'create_time_lt') ?? now + 1;
        const uge = bodyTime(body, 'update_time_ge') ?? earliest;
        const ult = bodyTime(body, 'update_time_lt') ?? now + 1;
        const status = body.order_status;
        if (status !== undefined && (typeof status !== 'string' || !(ORDER_STATUSES as readonly string[]).includes(status))) throw invalid('order_status is not a valid status');
        const shippingType = body.shipping_type;
        if (shippingType !== undefined && shippingType !== 'TIKTOK' && shippingType !== 'SELLER') throw invalid('shipping_type must be TIKTOK or SELLER');
        const buyer = body.buyer_user_id;
        if (buyer !== undefined && typeof buyer !== 'string') throw invalid('buyer_user_id must be a string');
        const hits = idx.orders.filter((o) => o.createTime >= cge && o.createTime < clt && o.updateTime >= uge && o.updateTime < ult
          && (status === undefined || o.status === status) && (buyer === undefined || o.buyerId === buyer)
          && (shippingType === undefined || (o.fulfillmentType === 'FULFILLMENT_BY_TIKTOK' ? 'TIKTOK' : 'SELLER') === shippingType));
        const key = sortField === 'update_time' ? (o: Order) => o.updateTime : (o: Order) => o.createTime;
        const p = page('search_orders', [body, sortField, desc], hits, key, (o) => o.orderId, query, desc, pageSize);
        return {
          next_page_token: p.next, total_count: p.total,
          orders: p.items.map((o) => renderOrder(o, idx.lines.get(o.orderId) ?? [], idx.cancellations.get(o.orderId) ?? null, region)),
        };
      },
    },
    {
      name: 'get_order_detail', method: 'GET', pattern: /^\/order\/202507\/orders$/, shopScoped: true, scope: SCOPE.ORDER,
      handle: ({ query }) => {
        const raw = query.get('ids');
        if (!raw) throw invalid('ids is required');
        const ids = [...new Set(raw.split(',').map((x) => x.trim()).filter((x) => x !== ''))];
        if (ids.length === 0) throw invalid('ids is required');
        if (ids.length > 50) throw invalid('ids: at most 50 order ids');
        const idx = snapshotIndex();
        const orders: unknown[] = [];
        for (const id of ids) {
          const o = idx.orderById.get(id);
          if (o) orders.push(renderOrder(o, idx.lines.get(id) ?? [], idx.cancellations.get(id) ?? null, region));
        }
        return { orders };
      },
    },
    {
      name: 'get_statements', method: 'GET', pattern: /^\/finance\/202309\/statements$/, shopScoped: true, scope: SCOPE.FINANCE,
      handle: ({ query }) => {
        const sortField = query.get('sort_field');
        if (!sortField) throw invalid('sort_field is required');
        if (sortField !== 'statement_time') throw invalid('sort_field must be statement_time');
        const pageSize = intParam(query, 'page_size', { min: 1, max: 100, def: 20 });
        const desc = enumParam(query, 'sort_order', ['ASC', 'DESC'], 'DESC') === 'DESC';
        const ge = queryTime(query, 'statement_time_ge') ?? 0;
        const lt = queryTime(query, 'statement_time_lt') ?? clock.now() + 1;
        const ps = enumParam(query, 'payment_status', ['PAID', 'FAILED', 'PROCESSING'], null);
        const idx = snapshotIndex();
        const hits = idx.statements.filter((s) => s.statementTime >= ge && s.statementTime < lt && (ps === null || s.paymentStatus === ps));
        const p = page('get_statements', [ge, lt, ps, desc], hits, (s) => s.statementTime, (s) => s.statementId, query, desc, pageSize);
        return { next_page_token: p.next, statements: p.items.map((s) => renderStatement(s, region)) };
      },
    },
    {
      name: 'get_statement_transactions', method: 'GET', pattern: /^\/finance\/202501\/statements\/([^/]+)\/statement_transactions$/, shopScoped: true, scope: SCOPE.FINANCE,
      handle: ({ query, params }) => {
        const sortField = query.get('sort_field');
        if (!sortField) throw invalid('sort_field is required');
        if (sortField !== 'order_create_time') throw invalid('sort_field must be order_create_time');
        const pageSize = intParam(query, 'page_size', { min: 1, max: 100, def: 20 });
        const desc = enumParam(query, 'sort_order', ['ASC', 'DESC'], 'DESC') === 'DESC';
        const idx = snapshotIndex();
        const st = idx.statementById.get(params[0]);
        if (!st) throw new ApiError(404, CODES.INVALID_REQUEST, `statement ${params[0]} not found`);
        const list = idx.transactions.get(st.statementId) ?? [];
        const created = (t: StatementTransaction) => (t.orderId ? idx.orderById.get(t.orderId)?.createTime ?? 0 : 0);
        const p = page(`get_statement_transactions/${st.statementId}`, [desc], list, created, (t) => t.transactionId, query, desc, pageSize);
        return {
          ...renderStatementTransactionTotals(list, st.currency),
          statement_id: st.statementId,
          next_page_token: p.next,
          total_count: p.total,
          transactions: p.items.map((t) => renderStatementTransaction(t, t.orderId ? created(t) : null)),
        };
      },
    },
    // ------------------------------------------------ returns, cancellations
    {
      name: 'search_returns', method: 'POST', pattern: /^\/return_refund\/202309\/returns\/search$/, shopScoped: true, scope: SCOPE.RETURNS,
      handle: ({ query, body }) => {
        const pageSize = intParam(query, 'page_size', { min: 10, max: 50, def: 10 });
        const sortField = enumParam(query, 'sort_field', ['create_time', 'update_time'], 'create_time')!;
        const desc = enumParam(query, 'sort_order', ['ASC', 'DESC'], 'DESC') === 'DESC';
        const t = timeWindow(body, ['create_time', 'update_time']);
        const returnIds = strList(body, 'return_ids');
        const orderIds = strList(body, 'order_ids');
        const buyers = strList(body, 'buyer_user_ids');
        const types = enumList(body, 'return_types', RETURN_TYPES);
        const statuses = enumList(body, 'return_status', RETURN_STATUSES);
        const idx = snapshotIndex();
        const hits = idx.returns.filter((r) => t.create(r.createTime) && t.update(r.updateTime)
          && (!returnIds || returnIds.has(r.returnId)) && (!orderIds || orderIds.has(r.orderId))
          && (!buyers || buyers.has(idx.orderById.get(r.orderId)?.buyerId ?? '')) && (!types || types.has(r.returnType))
          && (!statuses || statuses.has(r.status)));
        const key = sortField === 'update_time' ? (r: Return) => r.updateTime : (r: Return) => r.createTime;
        const p = page('search_returns', [body, sortField, desc], hits, key, (r) => r.returnId, query, desc, pageSize);
        return { next_page_token: p.next, total_count: p.total, return_orders: p.items.map((r) => renderReturn(r, idx.lineById)) };
      },
    },
    {
      name: 'search_cancellations', method: 'POST', pattern: /^\/return_refund\/202309\/cancellations\/search$/, shopScoped: true, scope: SCOPE.RETURNS,
      handle: ({ query, body }) => {
        const pageSize = intParam(query, 'page_size', { min: 1, max: 50, def: 10 });
        const sortField = enumParam(query, 'sort_field', ['create_time', 'update_time'], 'create_time')!;
        const desc = enumParam(query, 'sort_order', ['ASC', 'DESC'], 'DESC') === 'DESC';
        const t = timeWindow(body, ['create_time', 'update_time']);
        const cancelIds = strList(body, 'cancel_ids');
        const orderIds = strList(body, 'order_ids');
        const types = strList(body, 'cancel_types');
        const statuses = enumList(body, 'cancel_status', CANCEL_STATUSES);
        const idx = snapshotIndex();
        const hits = idx.cancellationList.filter((c) => t.create(c.createTime) && t.update(c.updateTime)
          && (!cancelIds || cancelIds.has(c.cancelId)) && (!orderIds || orderIds.has(c.orderId))
          && (!types || types.has(c.cancelType)) && (!statuses || statuses.has(c.status)));
        const key = sortField === 'update_time' ? (c: Cancellation) => c.updateTime : (c: Cancellation) => c.createTime;
        const p = page('search_cancellations', [body, sortField, desc], hits, key, (c) => c.cancelId, query, desc, pageSize);
        return {
          next_page_token: p.next, total_count: p.total,
          cancellations: p.items.map((c) => renderCancellation(c, idx.orderById.get(c.orderId), idx.lines.get(c.orderId) ?? [])),
        };
      },
    },
    // ------------------------------------------------ affiliate, products
    {
      name: 'search_affiliate_orders', method: 'POST', pattern: /^\/affiliate_seller\/202410\/orders\/search$/, shopScoped: true, scope: SCOPE.AFFILIATE,
      handle: ({ query, body }) => {
        const pageSize = intParam(query, 'page_size', { required: true, min: 1, max: 100 });
        const t = timeWindow(body, ['create_time']);
        const program = body.program_id;
        if (program !== undefined && typeof program !== 'string') throw invalid('program_id must be a string');
        const idx = snapshotIndex();
        const hits = [...idx.creatorOrders.entries()].filter(([, ls]) => t.create(ls[0].createTime));
        const p = page('search_affiliate_orders', [body], hits, ([, ls]) => ls[0].createTime, ([id]) => id, query, false, pageSize);
        return {
          next_page_token: p.next, total_count: p.total,
          orders: p.items.map(([id, ls]) => renderAffiliateOrder(id, ls, idx.orderById.get(id)?.deliveryTime ?? null)),
        };
      },
    },
    {
      name: 'search_products', method: 'POST', pattern: /^\/product\/202502\/products\/search$/, shopScoped: true, scope: SCOPE.PRODUCT,
      handle: ({ query, body }) => {
        const pageSize = intParam(query, 'page_size', { required: true, min: 1, max: 100 });
        const t = timeWindow(body, ['create_time', 'update_time']);
        const status = body.status;
        if (status !== undefined && typeof status !== 'string') throw invalid('status must be a string');
        const skus = strList(body, 'seller_skus');
        const idx = snapshotIndex();
        const hits = idx.products.filter((g) => t.create(g.createTime) && t.update(g.updateTime)
          && (status === undefined || status === 'ALL' || g.skus[0].status === status)
          && (!skus || g.skus.some((s) => skus.has(s.sellerSku))));
        const p = page('search_products', [body], hits, (g) => g.createTime, (g) => g.productId, query, false, pageSize);
        return { next_page_token: p.next, total_count: p.total, products: p.items.map(renderProduct) };
      },
    },
    // ------------------------------------------------ analytics
    {
      name: 'shop_performance', method: 'GET', pattern: /^\/analytics\/202405\/shop\/performance$/, shopScoped: true, scope: SCOPE.ANALYTICS,
      handle: ({ query }) => {
        const { start, end } = dateRange(query);
        const granularity = enumParam(query, 'granularity', ['ALL', '1D'], 'ALL');
        analyticsCurrency(query);
        const idx = snapshotIndex();
        const all = idx.shop.data.shopPerformance;
        const days = all.filter((d) => d.date >= start && d.date < end).sort((a, b) => (a.date < b.date ? -1 : 1));
        const intervals = granularity === '1D'
          ? days.map((d) => renderShopInterval([d], d.date, addDayKeys(d.date, 1), currency))
          : [renderShopInterval(days, start, end, currency)];
        const out: Record<string, unknown> = { performance: { intervals } };
        if (all.length) out.latest_available_date = all.reduce((m, d) => (d.date > m ? d.date : m), all[0].date);
        return out;
      },
    },
    {
      name: 'shop_products_performance', method: 'GET', pattern: /^\/analytics\/202405\/shop_products\/performance$/, shopScoped: true, scope: SCOPE.ANALYTICS,
      handle: ({ query }) => {
        const { start, end } = dateRange(query);
        const granularity = enumParam(query, 'granularity', ['ALL', '1D'], 'ALL');
        analyticsCurrency(query);
        const pageSize = intParam(query, 'page_size', { min: 1, max: 100, def: 10 });
        const sortField = enumParam(query, 'sort_field', ['gmv', 'order_count', 'unit_sold_count', 'click_through_rate'], 'gmv')!;
        if (sortField === 'order_count') throw invalid('sort_field order_count is not supported by the sandbox (no per-product order counts)');
        const desc = enumParam(query, 'sort_order', ['ASC', 'DESC'], 'DESC') === 'DESC';
        const idx = snapshotIndex();
        const rows = idx.productPerformance.filter((r) => r.date >= start && r.date < end);
        const groups = new Map<string, { id: string; productId: string; day: string | null; rows: ProductPerformance[] }>();
        for (const r of rows) {
          const k = granularity === '1D' ? `${r.date}|${r.productId}` : r.productId;
          let g = groups.get(k);
          if (!g) groups.set(k, (g = { id: k, productId: r.productId, day: granularity === '1D' ? r.date : null, rows: [] }));
          g.rows.push(r);
        }
        const sum = (g: { rows: ProductPerformance[] }, f: (r: ProductPerformance) => number) => g.rows.reduce((a, r) => a + f(r), 0);
        const key = sortField === 'unit_sold_count' ? (g: { rows: ProductPerformance[] }) => sum(g, (r) => r.unitsSold)
          : sortField === 'click_through_rate' ? (g: { rows: ProductPerformance[] }) => Number(ctr(sum(g, (r) => r.pageViews), sum(g, (r) => r.impressions))) * 10000
          : (g: { rows: ProductPerformance[] }) => sum(g, (r) => r.gmv);
        const p = page('shop_products_performance', [start, end, granularity, sortField, desc], [...groups.values()], key, (g) => g.id, query, desc, pageSize);
        const out: Record<string, unknown> = {
          next_page_token: p.next, total_count: p.total,
          products: p.items.map((g) => renderProductPerformance(g.productId, g.rows, currency, g.day ? { start: g.day, end: addDayKeys(g.day, 1) } : null)),
        };
        const all = idx.shop.data.shopPerformance;
        if (all.length) out.latest_available_date = all.reduce((m, d) => (d.date > m ? d.date : m), all[0].date);
        return out;
      },
    },
    // ------------------------------------------------ finance
    {
      name: 'unsettled_orders', method: 'GET', pattern: /^\/finance\/202507\/orders\/unsettled$/, shopScoped: true, scope: SCOPE.FINANCE,
      handle: ({ query }) => {
        const sortField = query.get('sort_field');
        if (!sortField) throw invalid('sort_field is required');
        if (sortField !== 'order_create_time') throw invalid('sort_field must be order_create_time');
        const pageSize = intParam(query, 'page_size', { min: 1, max: 100, def: 20 });
        const desc = enumParam(query, 'sort_order', ['ASC', 'DESC'], 'ASC') === 'DESC';
        const ge = queryTime(query, 'search_time_ge') ?? 0;
        const lt = queryTime(query, 'search_time_lt') ?? clock.now() + 1;
        const idx = snapshotIndex();
        const created = (e: UnsettledEstimate) => idx.orderById.get(e.orderId)?.createTime ?? 0;
        const hits = idx.unsettled.filter((e) => created(e) >= ge && created(e) < lt);
        let settle = 0, rev = 0, adj = 0, fee = 0;
        for (const e of hits) { settle += e.estSettlementAmount; rev += e.estRevenueAmount; adj += e.estAdjustmentAmount; fee += e.estFeeTaxAmount; }
        const p = page('unsettled_orders', [ge, lt, desc], hits, created, (e) => e.orderId, query, desc, pageSize);
        const f = (m: number) => formatAmount(m, currency);
        return {
          next_page_token: p.next, total_count: p.total,
          sum_est_settlement_amount: f(settle), sum_est_revenue_amount: f(rev), sum_est_adjustment_amount: f(adj), sum_est_fee_amount: f(fee),
          transactions: p.items.map((e) => renderUnsettled(e, idx.orderById.get(e.orderId))),
        };
      },
    },
    {
      name: 'get_payments', method: 'GET', pattern: /^\/finance\/202309\/payments$/, shopScoped: true, scope: SCOPE.FINANCE,
      handle: ({ query }) => {
        const sortField = query.get('sort_field');
        if (!sortField) throw invalid('sort_field is required');
        if (sortField !== 'create_time') throw invalid('sort_field must be create_time');
        const pageSize = intParam(query, 'page_size', { min: 1, max: 100, def: 20 });
        const desc = enumParam(query, 'sort_order', ['ASC', 'DESC'], 'DESC') === 'DESC';
        const ge = queryTime(query, 'create_time_ge') ?? 0;
        const lt = queryTime(query, 'create_time_lt') ?? clock.now() + 1;
        const idx = snapshotIndex();
        const hits = idx.shop.data.payouts.filter((x) => x.createTime >= ge && x.createTime < lt);
        const p = page('get_payments', [ge, lt, desc], hits, (x) => x.createTime, (x) => x.paymentId, query, desc, pageSize);
        return { next_page_token: p.next, total_count: p.total, payments: p.items.map(renderPayment) };
      },
    },
    {
      name: 'get_withdrawals', method: 'GET', pattern: /^\/finance\/202309\/withdrawals$/, shopScoped: true, scope: SCOPE.FINANCE,
      handle: ({ query }) => {
        const raw = query.getAll('types').flatMap((v) => v.replace(/[[\]"\s]/g, '').split(',')).filter((v) => v !== '');
        if (raw.length === 0) throw invalid('types is required');
        const allowed = ['WITHDRAW', 'SETTLE', 'TRANSFER', 'REVERSE'];
        for (const v of raw) if (!allowed.includes(v)) throw invalid(`types must be among ${allowed.join(', ')}`);
        const types = [...new Set(raw)].sort();
        const pageSize = intParam(query, 'page_size', { min: 1, max: 100, def: 20 });
        const desc = enumParam(query, 'sort_order', ['ASC', 'DESC'], 'DESC') === 'DESC';
        const ge = queryTime(query, 'create_time_ge') ?? 0;
        const lt = queryTime(query, 'create_time_lt') ?? clock.now() + 1;
        const idx = snapshotIndex();
        const hits = types.includes('WITHDRAW') ? idx.shop.data.payouts.filter((x) => x.createTime >= ge && x.createTime < lt) : [];
        const p = page('get_withdrawals', [types, ge, lt, desc], hits, (x) => x.createTime, (x) => x.paymentId, query, desc, pageSize);
        return { next_page_token: p.next, total_count: p.total, withdrawals: p.items.map(renderWithdrawal) };
      },
    },
    {
      name: 'get_order_statement_transactions', method: 'GET', pattern: /^\/finance\/202501\/orders\/([^/]+)\/statement_transactions$/, shopScoped: true, scope: SCOPE.FINANCE,
      handle: ({ params }) => {
        const idx = snapshotIndex();
        const o = idx.orderById.get(params[0]);
        if (!o) throw new ApiError(404, CODES.INVALID_REQUEST, `order ${params[0]} not found`);
        const txs = [...(idx.orderTransactions.get(o.orderId) ?? [])].sort((a, b) => a.statementTime - b.statementTime || (a.transactionId < b.transactionId ? -1 : 1));
        const units = (idx.lines.get(o.orderId) ?? []).filter((l) => !l.cancelled).reduce((a, l) => a + l.quantity, 0);
        return renderOrderStatementTransactions(o, txs, units);
      },
    },
  ];

  // ---------------------------------------------------------------- rate limit
  const windows = new Map<string, number[]>();
  const admit = (key: string): boolean => {
    const t = Date.now();
    let w = windows.get(key);
    if (!w) windows.set(key, (w = []));
    while (w.length && w[0] <= t - 1000) w.shift();
    if (w.length >= qps) return false;
    w.push(t);
    return true;
  };

  // ---------------------------------------------------------------- responses
  const send = (res: ServerResponse, http: number, code: number, message: string, data: unknown, inject = false) => {
    const body = JSON.stringify({ code, message, request_id: requestId(), data: data ?? {} });
    const write = () => {
      if (res.destroyed) return;
      const buf = Buffer.from(body, 'utf8');
      // The Date header follows the sandbox clock, not the machine's: the client reads it to tell
      // clock skew from other 36009004 errors, and the sandbox clock is what signatures are checked against.
      res.writeHead(http, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(buf.length), date: new Date(clock.now() * 1000).toUTCString() });
      if (inject && faults.truncateShare > 0 && faultRng.chance(faults.truncateShare)) {
        res.write(buf.subarray(0, Math.floor(buf.length / 2)), () => res.destroy());
        return;
      }
      res.end(buf);
    };
    if (inject && faults.delayMs > 0) setTimeout(write, faults.delayMs);
    else write();
  };

  const readBody = (req: IncomingMessage): Promise<string> => new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => { size += c.length; if (size > 1 << 20) { reject(new Error('body too large')); req.destroy(); } else chunks.push(c); });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

  // ---------------------------------------------------------------- hosts
  const partner = (req: IncomingMessage, res: ServerResponse, url: URL, body: string) => {
    const path = url.pathname;
    const method = req.method ?? 'GET';
    let route: Route | undefined;
    let params: string[] = [];
    for (const r of routes) {
      const m = r.method === method ? r.pattern.exec(path) : null;
      if (m) { route = r; params = m.slice(1).map(decodeURIComponent); break; }
    }
    if (!route) throw new ApiError(404, CODES.INVALID_REQUEST, `invalid path or version: ${method} ${path}`);
    const q = url.searchParams;
    if (q.get('app_key') !== appKey) throw new ApiError(401, CODES.INVALID_REQUEST, 'invalid app_key');
    const ts = q.get('timestamp');
    if (ts === null || !/^\d+$/.test(ts)) throw new ApiError(401, CODES.INVALID_REQUEST, 'timestamp is required (Unix seconds)');
    const now = clock.now();
    const tsn = Number(ts);
    if (tsn < now - 300 || tsn > now + 30) throw new ApiError(401, CODES.INVALID_REQUEST, `timestamp ${tsn} is outside the allowed window around server time ${now}`);
    const sign = q.get('sign');
    if (!sign) throw new ApiError(401, CODES.INVALID_REQUEST, 'sign is required');
    const contentType = req.headers['content-type'] ?? '';
    const want = expectedSign(appSecret, path, q, method === 'GET' ? '' : body, contentType);
    const a = Buffer.from(sign, 'utf8');
    const b = Buffer.from(want, 'utf8');
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new ApiError(401, CODES.INVALID_SIGN, 'Invalid sign');
    if (!/^application\/json\b/i.test(contentType)) throw invalid('content-type must be application/json');
    if (method === 'GET' && body.length > 0) throw invalid('a GET request must not have a body');
    const at = req.headers['x-tts-access-token'];
    const tok = typeof at === 'string' ? accessTokens.get(at) : undefined;
    if (!tok) throw new ApiError(401, CODES.INVALID_REQUEST, 'invalid x-tts-access-token');
    if (tok.expires <= now) throw new ApiError(401, CODES.TOKEN_EXPIRED, 'access token expired, refresh it');
    if (!grantedScopes.includes(route.scope)) throw new ApiError(403, CODES.SCOPE_NOT_GRANTED, SCOPE_MESSAGE);
    const cipher = q.get('shop_cipher');
    if (route.shopScoped) {
      if (!cipher) throw new ApiError(400, CODES.MISSING_SHOP_CIPHER, 'shop_cipher is required');
      if (cipher !== shop.cipher) throw invalid('invalid shop_cipher');
    } else if (cipher !== null) throw invalid('Unexpected identifier: shop_cipher');
    if (!admit(`${route.name}|${appKey}|${cipher ?? seller.openId}`)) throw new ApiError(429, CODES.TOO_MANY_REQUESTS, 'Too many requests');
    if (faults.rateLimitBurst > 0) { faults.rateLimitBurst--; throw new ApiError(429, CODES.TOO_MANY_REQUESTS, 'Too many requests (injected)'); }
    if (faults.errorShare > 0 && faultRng.chance(faults.errorShare)) throw new ApiError(faults.errorStatus, CODES.INTERNAL_ERROR, 'Internal error, please retry (injected)');
    let parsed: Record<string, unknown> = {};
    if (method === 'POST' && body.trim() !== '') {
      try { parsed = JSON.parse(body) as Record<string, unknown>; } catch { throw invalid('body is not valid JSON'); }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid('body must be a JSON object');
    }
    return route.handle({ query: q, body: parsed, params });
  };

  const authHost = (url: URL) => {
    const q = url.searchParams;
    const kind = url.pathname === '/api/v2/token/get' ? 'get' : url.pathname === '/api/v2/token/refresh' ? 'refresh' : null;
    if (!kind) throw new ApiError(404, CODES.INVALID_REQUEST, 'invalid path');
    if (q.get('app_key') !== appKey || q.get('app_secret') !== appSecret) throw new ApiError(401, CODES.INVALID_REQUEST, 'invalid app_key or app_secret');
    const now = clock.now();
    if (kind === 'get') {
      if (q.get('grant_type') !== 'authorized_code') throw invalid('grant_type must be authorized_code');
      const code = q.get('auth_code') ?? '';
      const rec = authCodes.get(code);
      if (!rec || rec.used) throw new ApiError(400, CODES.AUTH_RECORD_NOT_FOUND, 'can not find related auth record');
      if (rec.expires <= now) throw new ApiError(400, CODES.AUTH_RECORD_NOT_FOUND, 'auth code expired');
      rec.used = true;
      return issueTokens();
    }
    if (q.get('grant_type') !== 'refresh_token') throw invalid('grant_type must be refresh_token');
    const rt = q.get('refresh_token') ?? '';
    const rec = refreshTokens.get(rt);
    if (!rec || rec.used) throw new ApiError(400, CODES.AUTH_RECORD_NOT_FOUND, 'can not find related auth record');
    if (rec.expires <= now) throw new ApiError(400, CODES.REFRESH_TOKEN_EXPIRED, 'rt has expired');
    rec.used = true;
    return issueTokens();
  };

  const faultsApi: SandboxFaults = {
    get: () => ({ ...faults }),
    set: (f) => { faults = { ...faults, ...f }; },
    clear: () => { faults = { ...NO_FAULTS }; },
    expireAccessTokens: () => { const now = clock.now(); for (const t of accessTokens.values()) t.expires = Math.min(t.expires, now); },
  };

  const control = (req: IncomingMessage, res: ServerResponse, url: URL, body: string): unknown => {
    const p = url.pathname;
    const json = (): Record<string, unknown> => { try { return body ? JSON.parse(body) as Record<string, unknown> : {}; } catch { throw invalid('body is not valid JSON'); } };
    if (p === '/sandbox/authorize') {
      const key = url.searchParams.get('app_key');
      if (key !== null && key !== appKey) throw invalid('unknown app_key');
      const code = authorize();
      const state = url.searchParams.get('state') ?? '';
      const redirect = url.searchParams.get('redirect_uri');
      if (redirect) {
        const to = new URL(redirect);
        to.searchParams.set('code', code);
        to.searchParams.set('state', state);
        res.writeHead(302, { location: to.toString() });
        res.end();
        return undefined;
      }
      return { code, state, expires_at: clock.now() + AUTH_CODE_TTL };
    }
    if (p === '/sandbox/ads/authorize') {
      // The TikTok for Business authorize page: the seller approves, TikTok redirects with auth_code.
      const id = url.searchParams.get('app_id');
      if (id !== adsAppId) throw invalid('unknown app_id');
      const code = adsAuthorize();
      const state = url.searchParams.get('state') ?? '';
      const redirect = url.searchParams.get('redirect_uri');
      if (redirect) {
        const to = new URL(redirect);
        to.searchParams.set('auth_code', code);
        to.searchParams.set('code', code);
        to.searchParams.set('state', state);
        res.writeHead(302, { location: to.toString() });
        res.end();
        return undefined;
      }
      return { auth_code: code, state };
    }
    if (p === '/sandbox/ads/revoke') {
      revokeAdsTokens();
      return { revoked: adsTokens.size };
    }
    if (p === '/sandbox/clock') {
      if (req.method === 'POST') {
        const b = json();
        if (typeof b.set === 'number') clock.set(b.set);
        if (typeof b.advance === 'number') clock.advance(b.advance);
      }
      return { now: clock.now(), ticking };
    }
    if (p === '/sandbox/faults') {
      if (req.method === 'POST') faultsApi.set(json() as Partial<FaultConfig>);
      return faultsApi.get();
    }
    if (p === '/sandbox/faults/reset' && req.method === 'POST') { faultsApi.clear(); return faultsApi.get(); }
    if (p === '/sandbox/tokens/expire' && req.method === 'POST') { faultsApi.expireAccessTokens(); return {}; }
    if (p === '/sandbox/scopes') {
      if (req.method === 'POST') {
        const b = json();
        if (!Array.isArray(b.scopes) || !b.scopes.every((x) => typeof x === 'string')) throw invalid('scopes must be an array of strings');
        scopesApi.set(b.scopes as string[]);
      }
      return { scopes: scopesApi.get() };
    }
    if (p === '/sandbox/state') {
      const idx = snapshotIndex();
      return { now: clock.now(), app_key: appKey, shop: renderShop(shop), orders: idx.orders.length, statements: idx.statements.length, faults };
    }
    throw new ApiError(404, CODES.INVALID_REQUEST, 'unknown sandbox control path');
  };

  // ---------------------------------------------------------------- Marketing API host
  const advertisersOf = (idx: Index): { advertiserId: string; timezone: string; currency: string }[] => {
    const by = new Map<string, { advertiserId: string; timezone: string; currency: string }>();
    for (const r of idx.shop.data.adSpend) if (!by.has(r.advertiserId)) by.set(r.advertiserId, { advertiserId: r.advertiserId, timezone: r.advertiserTimezone, currency: r.currency });
    return [...by.values()].sort((a, b) => (a.advertiserId < b.advertiserId ? -1 : 1));
  };
  const mktInvalid = (msg: string) => new ApiError(200, MARKETING_CODES.INVALID_PARAM, msg);
  const jsonArrayParam = (q: URLSearchParams, name: string, allowed: readonly string[], def: string[] | null): string[] => {
    const v = q.get(name);
    if (v === null || v === '') {
      if (def) return def;
      throw mktInvalid(`${name} is required (a JSON array of strings)`);
    }
    let a: unknown;
    try { a = JSON.parse(v); } catch { throw mktInvalid(`${name} must be a JSON array of strings`); }
    if (!Array.isArray(a) || a.length === 0 || !a.every((x) => typeof x === 'string')) throw mktInvalid(`${name} must be a non-empty JSON array of strings`);
    for (const x of a as string[]) if (!allowed.includes(x)) throw mktInvalid(`${name}: ${x} is not supported (supported: ${allowed.join(', ')})`);
    return [...new Set(a as string[])];
  };
  const mktInt = (q: URLSearchParams, name: string, min: number, max: number, def: number): number => {
    const v = q.get(name);
    if (v === null || v === '') return def;
    if (!/^\d+$/.test(v)) throw mktInvalid(`${name} must be an integer`);
    const n = Number(v);
    if (n < min || n > max) throw mktInvalid(`${name} must be between ${min} and ${max}`);
    return n;
  };
  const MKT_ROUTES = ['/open_api/v1.3/report/integrated/get/', '/open_api/v1.3/gmv_max/report/get/'];
  const MKT_INFO_ROUTES = [
    '/open_api/v1.3/campaign/get/', '/open_api/v1.3/ad/get/', '/open_api/v1.3/identity/get/', '/open_api/v1.3/gmv_max/campaign/info/',
  ];
  const MKT_OAUTH = {
    token: '/open_api/v1.3/oauth2/access_token/', revoke: '/open_api/v1.3/oauth2/revoke_token/',
    advertisers: '/open_api/v1.3/oauth2/advertiser/get/', info: '/open_api/v1.3/advertiser/info/',
  };
  const requireAdsToken = (req: IncomingMessage): string => {
    const at = req.headers['access-token'];
    const t = typeof at === 'string' ? adsTokens.get(at) : undefined;
    if (typeof at !== 'string' || !t) throw new ApiError(401, MARKETING_CODES.INVALID_TOKEN, 'Access token is invalid or missing (header Access-Token)');
    if (t.revoked) throw new ApiError(401, MARKETING_CODES.INVALID_TOKEN, 'Access token is incorrect or has been revoked');
    return at;
  };
  const injectMarketingFaults = () => {
    if (faults.rateLimitBurst > 0) { faults.rateLimitBurst--; throw new ApiError(429, MARKETING_CODES.TOO_MANY_REQUESTS, 'Request too frequent (injected)'); }
    if (faults.errorShare > 0 && faultRng.chance(faults.errorShare)) throw new ApiError(faults.errorStatus, MARKETING_CODES.INTERNAL_ERROR, 'Internal error, please retry (injected)');
  };
  const jsonBody = (body: string): Record<string, unknown> => {
    try {
      const v = JSON.parse(body) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch { /* below */ }
    throw mktInvalid('the body must be a JSON object');
  };
  /** The campaigns of an advertiser as the generator made them (id, name, products, creator, payment). */
  const campaignsOf = (idx: Index, advertiserId: string) => {
    const by = new Map<string, AdSpend>();
    for (const r of idx.shop.data.adSpend) if (r.advertiserId === advertiserId && !by.has(r.campaignId)) by.set(r.campaignId, r);
    return [...by.values()].sort((a, b) => (a.campaignId < b.campaignId ? -1 : 1));
  };
  const identityId = (creator: string) => `sbxid_${createHash('sha256').update(`identity/${creator}`).digest('hex').slice(0, 16)}`;
  const pageOf = <T>(q: URLSearchParams, all: T[]) => {
    const pageNo = mktInt(q, 'page', 1, 1_000_000, 1);
    const pageSize = mktInt(q, 'page_size', 1, 1000, 10);
    return { list: all.slice((pageNo - 1) * pageSize, pageNo * pageSize), page_info: { page: pageNo, page_size: pageSize, total_number: all.length, total_page: Math.ceil(all.length / pageSize) } };
  };
  const filterCampaignIds = (q: URLSearchParams): Set<string> | null => {
    const fv = q.get('filtering');
    if (!fv) return null;
    let fo: unknown;
    try { fo = JSON.parse(fv); } catch { throw mktInvalid('filtering must be a JSON object'); }
    const ids = (fo as { campaign_ids?: unknown } | null)?.campaign_ids;
    if (ids === undefined) return null;
    if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string')) throw mktInvalid('filtering.campaign_ids must be an array of strings');
    return new Set(ids as string[]);
  };

  const marketing = (req: IncomingMessage, url: URL, body: string): unknown => {
    const path = url.pathname;
    const q = url.searchParams;
    // OAuth: the auth code → a token; revoke.
    if (path === MKT_OAUTH.token || path === MKT_OAUTH.revoke) {
      if (req.method !== 'POST') throw new ApiError(404, MARKETING_CODES.INVALID_PARAM, `invalid path: ${req.method} ${path}`);
      const b = jsonBody(body);
      if (b.app_id !== adsAppId || b.secret !== adsSecret) throw mktInvalid('app_id or secret is invalid');
      if (path === MKT_OAUTH.revoke) {
        const t = typeof b.access_token === 'string' ? adsTokens.get(b.access_token) : undefined;
        if (!t) throw new ApiError(200, MARKETING_CODES.INVALID_TOKEN, 'access_token is invalid');
        t.revoked = true;
        return {};
      }
      const code = typeof b.auth_code === 'string' ? adsCodes.get(b.auth_code) : undefined;
      if (!code || code.used || code.expires < clock.now()) throw new ApiError(200, MARKETING_CODES.INVALID_AUTH_CODE, 'auth_code is invalid, used or expired');
      code.used = true;
      const access = token('SBXADT_');
      adsTokens.set(access, { revoked: false });
      return { access_token: access, advertiser_ids: advertisersOf(snapshotIndex()).map((a) => a.advertiserId), scope: [1, 4, 6] };
    }
    if (req.method !== 'GET' || ![...MKT_ROUTES, ...MKT_INFO_ROUTES, MKT_OAUTH.advertisers, MKT_OAUTH.info].includes(path)) {
      throw new ApiError(404, MARKETING_CODES.INVALID_PARAM, `invalid path: ${req.method} ${path}`);
    }
    const at = requireAdsToken(req);
    if (body.length > 0) throw mktInvalid('a GET request must not have a body');
    const idx = snapshotIndex();
    if (path === MKT_OAUTH.advertisers) {
      if (q.get('app_id') !== adsAppId || q.get('secret') !== adsSecret) throw mktInvalid('app_id or secret is invalid');
      if (!admit(`mkt|${path}|${at}`)) throw new ApiError(429, MARKETING_CODES.TOO_MANY_REQUESTS, 'Request too frequent');
      injectMarketingFaults();
      return { list: advertisersOf(idx).map((a) => ({ advertiser_id: a.advertiserId, advertiser_name: `Sandbox ad account ${a.advertiserId.slice(-2)}` })) };
    }
    if (path === MKT_OAUTH.info) {
      const ids = jsonArrayParam(q, 'advertiser_ids', advertisersOf(idx).map((a) => a.advertiserId), null);
      if (!admit(`mkt|${path}|${at}`)) throw new ApiError(429, MARKETING_CODES.TOO_MANY_REQUESTS, 'Request too frequent');
      injectMarketingFaults();
      return {
        list: advertisersOf(idx).filter((a) => ids.includes(a.advertiserId)).map((a) => ({
          advertiser_id: a.advertiserId, name: `Sandbox ad account ${a.advertiserId.slice(-2)}`, currency: a.currency,
          display_timezone: a.timezone, timezone: a.timezone,
        })),
      };
    }
    const advertiserId = q.get('advertiser_id') ?? '';
    if (!advertiserId) throw mktInvalid('advertiser_id is required');
    const adv = advertisersOf(idx).find((a) => a.advertiserId === advertiserId);
    if (!adv) throw new ApiError(200, MARKETING_CODES.NO_PERMISSION, `No permission to operate advertiser ${advertiserId}`);
    if (!admit(`mkt|${path}|${at}|${advertiserId}`)) throw new ApiError(429, MARKETING_CODES.TOO_MANY_REQUESTS, 'Request too frequent');
    injectMarketingFaults();

    if (path === '/open_api/v1.3/campaign/get/') {
      const only = filterCampaignIds(q);
      const list = campaignsOf(idx, advertiserId).filter((c) => !only || only.has(c.campaignId)).map((c) => ({
        campaign_id: c.campaignId, campaign_name: c.campaignName,
        // Campaigns promoting products (GMV Max, product shopping ads) and GMV-paid ones are product sales.
        objective_type: c.productIds.length > 0 || c.fundingSource === 'GMV_PAYMENT' ? 'PRODUCT_SALES' : 'WEB_CONVERSIONS',
      }));
      return pageOf(q, list);
    }
    if (path === '/open_api/v1.3/gmv_max/campaign/info/') {
      const cid = q.get('campaign_id') ?? '';
      const c = campaignsOf(idx, advertiserId).find((x) => x.campaignId === cid);
      if (!c) throw mktInvalid(`campaign_id ${cid} is not a campaign of advertiser ${advertiserId}`);
      return { campaign_id: c.campaignId, campaign_name: c.campaignName, item_group_ids: [...c.productIds] };
    }
    if (path === '/open_api/v1.3/ad/get/') {
      const only = filterCampaignIds(q);
      const list = campaignsOf(idx, advertiserId).filter((c) => !only || only.has(c.campaignId)).map((c) => ({
        ad_id: `9${c.campaignId}`, campaign_id: c.campaignId,
        identity_type: c.creatorUsername ? 'AUTH_CODE' : 'CUSTOMIZED_USER',
        identity_id: c.creatorUsername ? identityId(c.creatorUsername) : `sbxbrand_${advertiserId}`,
      }));
      return pageOf(q, list);
    }
    if (path === '/open_api/v1.3/identity/get/') {
      const type = q.get('identity_type') ?? '';
      if (!['AUTH_CODE', 'TT_USER', 'CUSTOMIZED_USER', 'BC_AUTH_TT'].includes(type)) throw mktInvalid('identity_type is required (AUTH_CODE, TT_USER, CUSTOMIZED_USER or BC_AUTH_TT)');
      const creators = type === 'AUTH_CODE' ? [...new Set(campaignsOf(idx, advertiserId).map((c) => c.creatorUsername).filter((x): x is string => !!x))] : [];
      const all = creators.map((cr) => ({ identity_id: identityId(cr), identity_type: 'AUTH_CODE', display_name: cr }));
      const { list, page_info } = pageOf(q, all);
      return { identity_list: list, page_info };
    }

    const gmvMax = path.includes('/gmv_max/');
    let dims: string[];
    let metrics: string[];
    let campaignFilter: Set<string> | null = null;
    let itemFilter: Set<string> | null = null;
    if (gmvMax) {
      const stores = jsonArrayParam(q, 'store_ids', [shop.id], null);
      if (!stores.includes(shop.id)) throw mktInvalid('store_ids must contain the shop id');
      dims = jsonArrayParam(q, 'dimensions', ['campaign_id', 'stat_time_day', 'item_group_id', 'item_id', 'advertiser_id'], null);
      metrics = jsonArrayParam(q, 'metrics', ['cost', 'spend', 'campaign_name', 'currency'], null);
      const fv = q.get('filtering');
      if (fv) {
        let fo: unknown;
        try { fo = JSON.parse(fv); } catch { throw mktInvalid('filtering must be a JSON object'); }
        if (!fo || typeof fo !== 'object' || Array.isArray(fo)) throw mktInvalid('filtering must be a JSON object');
        const list = (k: string) => {
          const v = (fo as Record<string, unknown>)[k];
          if (v === undefined) return null;
          if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw mktInvalid(`filtering.${k} must be an array of strings`);
          return new Set(v as string[]);
        };
        campaignFilter = list('campaign_ids');
        const a = list('item_group_ids');
        const b = list('item_ids');
        itemFilter = a && b ? new Set([...a].filter((x) => b.has(x))) : a ?? b;
      }
    } else {
      const reportType = q.get('report_type');
      if (!reportType) throw mktInvalid('report_type is required');
      if (reportType !== 'BASIC') throw mktInvalid(`report_type ${reportType} is not supported by the sandbox (BASIC only)`);
      const level = q.get('data_level') ?? 'AUCTION_CAMPAIGN';
      if (level !== 'AUCTION_CAMPAIGN' && level !== 'AUCTION_ADVERTISER') throw mktInvalid('data_level must be AUCTION_CAMPAIGN or AUCTION_ADVERTISER in the sandbox');
      const service = q.get('service_type');
      if (service !== null && service !== 'AUCTION') throw mktInvalid('service_type must be AUCTION');
      dims = jsonArrayParam(q, 'dimensions', level === 'AUCTION_CAMPAIGN' ? ['campaign_id', 'stat_time_day', 'advertiser_id'] : ['stat_time_day', 'advertiser_id'], null);
      metrics = jsonArrayParam(q, 'metrics', ['spend', 'billed_cost', 'campaign_name', 'currency'], ['spend']);
    }
    if (q.get('query_lifetime') === 'true') throw mktInvalid('query_lifetime is not supported by the sandbox');
    const start = q.get('start_date') ?? '';
    const end = q.get('end_date') ?? '';
    if (!isDayKey(start) || !isDayKey(end)) throw mktInvalid('start_date and end_date are required (YYYY-MM-DD)');
    if (end < start) throw mktInvalid('end_date must not be before start_date');
    const span = daysBetween(start, end) + 1;
    const maxSpan = dims.includes('stat_time_day') ? 30 : 365;
    if (span > maxSpan) throw mktInvalid(`the time range can be at most ${maxSpan} days${maxSpan === 30 ? ' when stat_time_day is a dimension' : ''}; got ${span}`);
    const pageNo = mktInt(q, 'page', 1, 1_000_000, 1);
    const pageSize = mktInt(q, 'page_size', 1, 1000, 10);

    const source = gmvMax ? 'GMV_PAYMENT' : 'AD_ACCOUNT';
    const rows: AdSpend[] = idx.shop.data.adSpend.filter((r) => r.advertiserId === advertiserId && r.fundingSource === source
      && r.date >= start && r.date <= end && (!campaignFilter || campaignFilter.has(r.campaignId)));
    const byItem = dims.includes('item_id') || dims.includes('item_group_id');
    const pieces = gmvMax && byItem
      ? splitByItems(rows).filter((x) => !itemFilter || itemFilter.has(x.itemId ?? ''))
      : rows.filter((r) => !itemFilter || r.productIds.some((id) => itemFilter!.has(id))).map((r) => ({ row: r, itemId: null, amount: r.spend }));
    const groups = new Map<string, { key: { campaignId?: string; day?: string; advertiserId?: string; itemId?: string; itemGroupId?: string }; amount: number; gross: number; name: string | null }>();
    for (const x of pieces) {
      const key = {
        ...(dims.includes('campaign_id') ? { campaignId: x.row.campaignId } : {}),
        ...(dims.includes('stat_time_day') ? { day: x.row.date } : {}),
        ...(dims.includes('advertiser_id') ? { advertiserId: x.row.advertiserId } : {}),
        ...(dims.includes('item_id') ? { itemId: x.itemId ?? '' } : {}),
        ...(dims.includes('item_group_id') ? { itemGroupId: x.itemId ?? '' } : {}),
      };
      const k = JSON.stringify([key.day ?? '', key.campaignId ?? '', key.itemGroupId ?? key.itemId ?? '', key.advertiserId ?? '']);
      const g = groups.get(k);
      const gross = gmvMax ? x.amount : x.row.grossSpend ?? x.row.spend;
      if (g) { g.amount += x.amount; g.gross += gross; }
      else groups.set(k, { key, amount: x.amount, gross, name: dims.includes('campaign_id') ? x.row.campaignName : null });
    }
    const sorted = [...groups.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, g]) => g);
    const total = sorted.length;
    const list = sorted.slice((pageNo - 1) * pageSize, pageNo * pageSize)
      .map((g) => renderAdRow(g.key, { cost: g.amount, gross: g.gross }, adv.currency, g.name, metrics, gmvMax));
    return { list, page_info: { page: pageNo, page_size: pageSize, total_number: total, total_page: Math.ceil(total / pageSize) } };
  };

  const server: Server = createServer((req, res) => {
    const started = Date.now();
    readBody(req).then((body) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const p = url.pathname;
      let isPartner = false;
      try {
        let data: unknown;
        if (p.startsWith('/sandbox/')) {
          data = control(req, res, url, body);
          if (res.headersSent) return;
        } else if (p.startsWith('/api/v2/token/')) data = authHost(url);
        else if (p.startsWith('/open_api/')) {
          isPartner = true;
          data = marketing(req, url, body);
          send(res, 200, CODES.OK, 'OK', data, true);
          if (options.log) process.stderr.write(`${req.method} ${p} ${res.statusCode} ${Date.now() - started}ms\n`);
          return;
        } else { isPartner = true; data = partner(req, res, url, body); }
        send(res, 200, CODES.OK, 'Success', data, isPartner);
      } catch (e) {
        if (e instanceof ApiError) send(res, e.http, e.code, e.message, null, isPartner);
        else send(res, 500, CODES.INTERNAL_ERROR, `sandbox error: ${(e as Error).message}`, null);
      }
      if (options.log) process.stderr.write(`${req.method} ${p} ${res.statusCode} ${Date.now() - started}ms\n`);
    }).catch(() => { if (!res.headersSent) { res.writeHead(400); res.end(); } });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    appKey,
    appSecret,
    shop,
    clock,
    faults: faultsApi,
    authorize,
    snapshot: () => snapshotIndex().shop,
    scopes: scopesApi,
    advertiserToken,
    advertisers: () => advertisersOf(snapshotIndex()),
    adsAppId,
    adsSecret,
    adsAuthorize,
    revokeAdsTokens,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
