/**
 * Shop authorization (reference §2): authorize link with an anti-forgery state, the token
 * exchange and refresh on the auth host, and Get Authorized Shops.
 *
 * - `state`: 128 random bits as hex, stored with an expiry (default 15 min), verified on the
 *   callback and deleted before the code is exchanged (single use even if the exchange fails).
 * - Token calls: GET on https://auth.tiktok-shops.com, UNSIGNED, app_secret in the query
 *   (so the endpoint label in errors never includes the query). Expiries in the response are
 *   ABSOLUTE Unix seconds. (A value below 10^9 — before 2001 — cannot be an absolute time; it
 *   is read as a duration from now instead of making every call refresh. Documented choice.)
 * - The access token is refreshed when it has less than `refreshMarginSeconds` (5 min) left,
 *   and once on 105002. Refresh runs under the user lock; the store is re-read after the lock
 *   is acquired, so when two executions race only one calls TikTok and the other uses its token.
 * - 36004001 / 36004005 from the token endpoint, a missing token, or an expired refresh token:
 *   ReauthorizationRequiredError (the seller must connect the shop again).
 */
import * as z from 'zod/mini';
import { parseRecord } from '../core/records';
import type { Clock, KeyValueStore, Lock, RandomSource, Transport } from './ports';
import { buildQueryString } from './sign';
import { ReauthorizationRequiredError } from './errors';
import { DEFAULT_RETRY, exchange, type RetryPolicy, type TikTokShopClient, type TokenProvider } from './request';
import { ENDPOINTS, pathOf } from './versions';

export const AUTH_HOST = 'https://auth.tiktok-shops.com';
export const AUTHORIZE_BASE = { ROW: 'https://services.tiktokshop.com/open/authorize', US: 'https://services.tiktokshops.us/open/authorize' } as const;
export const LEGACY_AUTHORIZE_URL = 'https://auth.tiktok-shops.com/oauth/authorize';

export const STORE_KEYS = { token: 'tiktok.token', states: 'tiktok.oauth.states' } as const;

export interface AuthConfig {
  appKey: string;
  appSecret: string;
  /** Partner Center service id: uses the newer authorize link; without it, the legacy link with app_key. */
  serviceId?: string;
  market?: 'ROW' | 'US';
  authHost?: string;
  stateTtlSeconds?: number;
  refreshMarginSeconds?: number;
  lockTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
}

export interface AuthDeps {
  transport: Transport;
  clock: Clock;
  random: RandomSource;
  store: KeyValueStore;
  lock: Lock;
  /**
   * Makes the `state` of an authorize link (default: 128 random bits). In Apps Script it is a
   * ScriptApp state token, which is how Google's /usercallback endpoint knows which function to run;
   * it is still stored here and consumed once, so a replayed callback is refused.
   */
  newState?: () => string;
}

export interface TokenSet {
  accessToken: string;
  /** Absolute Unix seconds. */
  accessTokenExpiresAt: number;
  refreshToken: string;
  /** Absolute Unix seconds; null when TikTok did not say. */
  refreshTokenExpiresAt: number | null;
  openId: string;
  sellerName: string;
  sellerBaseRegion: string;
  /** 0 seller, 1 creator, 3 partner. */
  userType: number | null;
  grantedScopes: string[];
}

const TokenSetSchema = z.object({
  accessToken: z.string().check(z.minLength(1)),
  accessTokenExpiresAt: z.number(),
  refreshToken: z.string().check(z.minLength(1)),
  refreshTokenExpiresAt: z.nullable(z.number()),
  openId: z.string(),
  sellerName: z.string(),
  sellerBaseRegion: z.string(),
  userType: z.nullable(z.number()),
  grantedScopes: z.array(z.string()),
});

const TokenDataSchema = z.object({
  access_token: z.string().check(z.minLength(1)),
  access_token_expire_in: z.number(),
  refresh_token: z.string().check(z.minLength(1)),
  refresh_token_expire_in: z.optional(z.nullable(z.number())),
  open_id: z.optional(z.nullable(z.string())),
  seller_name: z.optional(z.nullable(z.string())),
  seller_base_region: z.optional(z.nullable(z.string())),
  user_type: z.optional(z.nullable(z.number())),
  granted_scopes: z.optional(z.nullable(z.array(z.string()))),
});

/** State verification failed: the link was forged, reused or too old. */
export class AuthorizationStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthorizationStateError';
  }
}

/** The seller refused the authorization (error=auth_denied). */
export class AuthorizationDeniedError extends Error {
  constructor(readonly reason: string) {
    super(`The shop was not connected: authorization was refused on TikTok (${reason}). Open the authorize link again and approve it.`);
    this.name = 'AuthorizationDeniedError';
  }
}

const ABSOLUTE_TIME_FLOOR = 1_000_000_000;

export class TikTokAuth implements TokenProvider {
  private readonly authHost: string;
  private readonly policy: RetryPolicy;
  private readonly stateTtl: number;
  private readonly margin: number;
  private readonly lockTimeoutMs: number;

  constructor(private readonly config: AuthConfig, private readonly deps: AuthDeps) {
    if (!config.appKey || !config.appSecret) throw new Error('TikTok authorization: the app key and app secret are required');
    this.authHost = (config.authHost ?? AUTH_HOST).replace(/\/+$/, '');
    this.policy = { ...DEFAULT_RETRY, ...config.retry };
    this.stateTtl = config.stateTtlSeconds ?? 900;
    this.margin = config.refreshMarginSeconds ?? 300;
    this.lockTimeoutMs = config.lockTimeoutMs ?? 10_000;
  }

  private now(): number {
    return Math.floor(this.deps.clock.now());
  }

  // ------------------------------------------------------------ authorize link and state

  /** A fresh authorize link; its state is stored and expires after `stateTtlSeconds`. */
  authorizeUrl(): string {
    const state = this.newState();
    const states = this.readStates();
    states[state] = this.now() + this.stateTtl;
    this.writeStates(states);
    if (this.config.serviceId) {
      const base = AUTHORIZE_BASE[this.config.market ?? 'ROW'];
      return `${base}?${buildQueryString({ service_id: this.config.serviceId, state })}`;
    }
    return `${LEGACY_AUTHORIZE_URL}?${buildQueryString({ app_key: this.config.appKey, state })}`;
  }

  private newState(): string {
    if (this.deps.newState) {
      const state = this.deps.newState();
      if (!state) throw new Error('TikTok authorization: the state factory returned an empty state');
      return state;
    }
    let s = '';
    for (let i = 0; i < 16; i++) s += Math.floor(this.deps.random.next() * 256).toString(16).padStart(2, '0');
    return s;
  }

  private readStates(): Record<string, number> {
    const raw = this.deps.store.get(STORE_KEYS.states);
    let states: Record<string, number> = {};
    if (raw) {
      try {
        const v = JSON.parse(raw) as unknown;
        if (v && typeof v === 'object') states = v as Record<string, number>;
      } catch {
        states = {};
      }
    }
    // Drop expired states so the property stays small.
    const now = this.now();
    for (const k of Object.keys(states)) if (!(typeof states[k] === 'number' && states[k] > now)) delete states[k];
    return states;
  }

  private writeStates(states: Record<string, number>): void {
    if (Object.keys(states).length === 0) this.deps.store.delete(STORE_KEYS.states);
    else this.deps.store.set(STORE_KEYS.states, JSON.stringify(states));
  }

  /** Checks and consumes a state (single use). Throws AuthorizationStateError. */
  consumeState(state: string | null | undefined): void {
    if (!state) throw new AuthorizationStateError('The authorization callback has no state: start again from the add-on\'s "Connect shop" link.');
    const raw = this.deps.store.get(STORE_KEYS.states);
    let all: Record<string, number> = {};
    try {
      all = raw ? (JSON.parse(raw) as Record<string, number>) : {};
    } catch {
      all = {};
    }
    const expiry = Object.prototype.hasOwnProperty.call(all, state) ? all[state] : undefined;
    const live = this.readStates();
    delete live[state];
    this.writeStates(live);
    if (expiry === undefined) throw new AuthorizationStateError('The authorization callback has an unknown or already used state: start again from the add-on\'s "Connect shop" link.');
    if (!(expiry > this.now())) throw new AuthorizationStateError('The authorization link has expired: start again from the add-on\'s "Connect shop" link.');
  }

  /** Handles `{redirect}?code=…&state=…` (or `code=null&error=auth_denied`): verifies the state, then exchanges the code. */
  handleCallback(params: { code?: string | null; state?: string | null; error?: string | null }): TokenSet {
    this.consumeState(params.state);
    if (params.error || !params.code || params.code === 'null') throw new AuthorizationDeniedError(params.error || 'no authorization code');
    return this.exchangeCode(params.code);
  }

  // ------------------------------------------------------------ token endpoints

  /** Exchanges an auth code (valid 30 min, single use) and stores the tokens. */
  exchangeCode(authCode: string): TokenSet {
    const t = this.tokenCall('/api/v2/token/get', { auth_code: authCode, grant_type: 'authorized_code' });
    this.save(t);
    return t;
  }

  private tokenCall(path: string, params: Record<string, string>): TokenSet {
    const query = { app_key: this.config.appKey, app_secret: this.config.appSecret, ...params };
    const endpoint = `GET ${path}`;
    const [env] = exchange(this.deps, this.policy, [{
      build: () => ({ url: `${this.authHost}${path}?${buildQueryString(query)}`, method: 'get', headers: {} }),
      endpoint,
      scope: null,
    }]);
    const d = parseRecord(TokenDataSchema, env.data, `token response (${endpoint})`);
    const now = this.now();
    const abs = (v: number) => (v < ABSOLUTE_TIME_FLOOR ? now + v : v);
    return {
      accessToken: d.access_token,
      accessTokenExpiresAt: abs(d.access_token_expire_in),
      refreshToken: d.refresh_token,
      refreshTokenExpiresAt: d.refresh_token_expire_in == null ? null : abs(d.refresh_token_expire_in),
      openId: d.open_id ?? '',
      sellerName: d.seller_name ?? '',
      sellerBaseRegion: d.seller_base_region ?? '',
      userType: d.user_type ?? null,
      grantedScopes: d.granted_scopes ?? [],
    };
  }

  // ------------------------------------------------------------ stored token

  /** The stored tokens, or null when the shop is not connected (or the stored value is unreadable). */
  current(): TokenSet | null {
    const raw = this.deps.store.get(STORE_KEYS.token);
    if (!raw) return null;
    try {
      const r = TokenSetSchema.safeParse(JSON.parse(raw));
      return r.success ? r.data : null;
    } catch {
      return null;
    }
  }

  private save(t: TokenSet): void {
    this.deps.store.set(STORE_KEYS.token, JSON.stringify(t));
  }

  /** Forgets the tokens (disconnect). */
  disconnect(): void {
    this.deps.store.delete(STORE_KEYS.token);
  }

  private fresh(t: TokenSet): boolean {
    return t.accessTokenExpiresAt - this.now() > this.margin;
  }

  /** TokenProvider: the access token, refreshed first when it expires within the margin. */
  accessToken(): string {
    const t = this.current();
    if (!t) throw notConnected();
    if (this.fresh(t)) return t.accessToken;
    try {
      return this.refresh(t.accessToken);
    } catch (e) {
      // A refresh that failed for a passing reason (network, 5xx, lock busy) need not stop a call
      // while the old token is still valid for a while.
      const still = this.current();
      if (!(e instanceof ReauthorizationRequiredError) && still && still.accessTokenExpiresAt - this.now() > 60) return still.accessToken;
      throw e;
    }
  }

  /** TokenProvider: TikTok said `rejected` expired (105002): refresh once (unless another execution already did). */
  refreshExpired(rejected: string): string {
    return this.refresh(rejected);
  }

  private refresh(stale: string): string {
    if (!this.deps.lock.tryLock(this.lockTimeoutMs)) {
      const t = this.current();
      if (t && t.accessToken !== stale && this.fresh(t)) return t.accessToken;
      throw new Error('Another run is refreshing the TikTok access token; try again in a minute.');
    }
    try {
      // Re-read: another execution may have refreshed while we waited for the lock.
      const t = this.current();
      if (!t) throw notConnected();
      if (t.accessToken !== stale && this.fresh(t)) return t.accessToken;
      if (t.refreshTokenExpiresAt !== null && t.refreshTokenExpiresAt <= this.now()) {
        throw new ReauthorizationRequiredError({ code: null, apiMessage: '', requestId: '', endpoint: 'token refresh', httpStatus: null, explanation: 'the refresh token has expired' });
      }
      const n = this.tokenCall('/api/v2/token/refresh', { refresh_token: t.refreshToken, grant_type: 'refresh_token' });
      this.save(n);
      return n.accessToken;
    } finally {
      this.deps.lock.release();
    }
  }
}

function notConnected(): ReauthorizationRequiredError {
  return new ReauthorizationRequiredError({ code: null, apiMessage: '', requestId: '', endpoint: 'token', httpStatus: null, explanation: 'no TikTok Shop is connected' });
}

// ---------------------------------------------------------------- Get Authorized Shops

export interface AuthorizedShop {
  id: string;
  name: string;
  region: string;
  sellerType: string;
  /** Send as shop_cipher on shop-scoped calls. */
  cipher: string;
  code: string;
}

const ShopSchema = z.object({
  id: z.string().check(z.minLength(1)),
  name: z.optional(z.string()),
  region: z.optional(z.string()),
  seller_type: z.optional(z.string()),
  cipher: z.string().check(z.minLength(1)),
  code: z.optional(z.string()),
});
const ShopsDataSchema = z.object({ shops: z.optional(z.nullable(z.array(z.unknown()))) });

/** GET /authorization/202309/shops (no shop_cipher) → the shops this token may access. */
export function getAuthorizedShops(client: TikTokShopClient): AuthorizedShop[] {
  const path = pathOf('authorizedShops');
  const endpoint = `${ENDPOINTS.authorizedShops.method} ${path}`;
  const data = parseRecord(ShopsDataSchema, client.call({ method: 'GET', path }), `response (${endpoint})`);
  return (data.shops ?? []).map((raw, i) => {
    const idHint = raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : `#${i + 1}`;
    const s = parseRecord(ShopSchema, raw, `shop (${endpoint})`, idHint);
    return { id: s.id, name: s.name ?? '', region: s.region ?? '', sellerType: s.seller_type ?? '', cipher: s.cipher, code: s.code ?? '' };
  });
}

