/**
 * Signed TikTok Shop API calls with retry (reference §1, §3).
 *
 * - Query: app_key, timestamp (clock, seconds), shop_cipher on shop-scoped paths only (never
 *   /authorization/* or /seller/*), the caller's parameters, and sign. Values are signed raw
 *   and percent-encoded only in the URL.
 * - Headers: x-tts-access-token, content-type application/json.
 * - Body: JSON.stringify(body) ONCE; that exact string is signed and sent. GET has no body.
 * - Success is `code === 0`, whatever the HTTP status.
 * - Retried with exponential backoff and jitter, bounded in attempts and total time:
 *   HTTP 429 / 36009002, HTTP 5xx / 36009003, transport failures. Each attempt is signed again
 *   with a fresh timestamp. Never retried: 106001 (signature), 105005 (scope), anything else.
 * - 105002 (access token expired): the token provider refreshes once, then the call is re-sent.
 * - 36009004 with a timestamp message, or with a server Date header outside the accepted
 *   window: ClockSkewError.
 */
import { header, type Clock, type Hmac, type HttpRequest, type HttpResponse, type RandomSource, type Transport } from './ports';
import { buildQueryString, computeSign } from './sign';
import { endpointOfPath, isShopScoped } from './versions';
import {
  ClockSkewError, CODE, InvalidSignatureError, MissingScopeError, ReauthorizationRequiredError, RetryExhaustedError,
  TikTokApiError, type ApiErrorInit,
} from './errors';

export const API_BASE = 'https://open-api.tiktokglobalshop.com';

export interface RetryPolicy {
  /** Attempts per request, the first one included. */
  maxAttempts: number;
  /** Upper bound on time spent on one call (or batch), retries and waits included. */
  maxTotalMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, maxTotalMs: 60_000, baseDelayMs: 500, maxDelayMs: 16_000 };

/** Supplies the access token; implemented by auth.ts TokenManager (or a fixed token in tests). */
export interface TokenProvider {
  accessToken(): string;
  /** TikTok said `rejected` has expired (105002): return a fresh token (refreshing once). */
  refreshExpired(rejected: string): string;
}

/** TikTok's response envelope. */
export interface Envelope {
  code: number;
  message: string;
  request_id: string;
  data: unknown;
}

// ---------------------------------------------------------------- retry engine (shared with auth.ts)

export interface RetryDeps {
  transport: Transport;
  clock: Clock;
  random: RandomSource;
}

type Outcome =
  | { kind: 'ok'; envelope: Envelope }
  | { kind: 'retry'; error: TikTokApiError; retryAfterMs: number }
  | { kind: 'expired'; error: TikTokApiError }
  | { kind: 'fatal'; error: TikTokApiError };

/** Backoff before retry number `attempt` (1-based): base·2^(attempt−1), capped, "equal jitter" (½..1×). */
export function backoffMs(policy: RetryPolicy, attempt: number, random: RandomSource): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exp / 2 + random.next() * (exp / 2));
}

function parseEnvelope(body: string): Envelope | null {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    return null;
  }
  if (v === null || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  if (typeof o.code !== 'number') return null;
  return {
    code: o.code,
    message: typeof o.message === 'string' ? o.message : '',
    request_id: typeof o.request_id === 'string' ? o.request_id : '',
    data: o.data,
  };
}

/** Seconds our clock is ahead of the server's Date header (negative: behind); null without a usable header. */
export function clockSkewSeconds(response: HttpResponse, nowSeconds: number): number | null {
  const date = header(response, 'date');
  if (!date) return null;
  const ms = Date.parse(date);
  if (!Number.isFinite(ms)) return null;
  return Math.round(nowSeconds - ms / 1000);
}

/** TikTok accepts a timestamp from 5 minutes before to 30 seconds after its clock. */
function skewOutsideWindow(skew: number): boolean {
  return skew > 30 || skew < -300;
}

/** Classifies one response; `scopeOf` names the scope of an endpoint for 105005. */
export function classify(
  response: HttpResponse | Error,
  endpoint: string,
  clock: Clock,
  scope: string | null,
): Outcome {
  if (response instanceof Error) {
    return { kind: 'retry', retryAfterMs: 0, error: new TikTokApiError({ code: null, apiMessage: `network failure: ${redactQuery(response.message)}`, requestId: '', endpoint, httpStatus: null }) };
  }
  const status = response.status;
  const env = parseEnvelope(response.body);
  if (env === null) {
    const snippet = response.body.replace(/\s+/g, ' ').slice(0, 120);
    const init: ApiErrorInit = { code: null, apiMessage: `HTTP ${status} without a TikTok response: ${snippet || '(empty body)'}`, requestId: '', endpoint, httpStatus: status };
    if (status === 429 || status >= 500) return { kind: 'retry', retryAfterMs: retryAfter(response), error: new TikTokApiError(init) };
    return { kind: 'fatal', error: new TikTokApiError(init) };
  }
  if (env.code === CODE.OK) return { kind: 'ok', envelope: env };
  const init: ApiErrorInit = { code: env.code, apiMessage: env.message, requestId: env.request_id, endpoint, httpStatus: status };
  switch (env.code) {
    case CODE.INVALID_SIGN:
      return { kind: 'fatal', error: new InvalidSignatureError(init) };
    case CODE.MISSING_SCOPE:
      return { kind: 'fatal', error: new MissingScopeError(init, scope) };
    case CODE.ACCESS_TOKEN_EXPIRED:
      return { kind: 'expired', error: new TikTokApiError({ ...init, explanation: `access token expired (${env.message})` }) };
    case CODE.AUTH_RECORD_NOT_FOUND:
    case CODE.REFRESH_TOKEN_EXPIRED:
      return { kind: 'fatal', error: new ReauthorizationRequiredError({ ...init, explanation: `TikTok no longer accepts this shop's authorization (${env.message || 'refresh token expired or revoked'})` }) };
    case CODE.BAD_REQUEST_IDENTITY: {
      const skew = clockSkewSeconds(response, clock.now());
      if (/timestamp/i.test(env.message) || (skew !== null && skewOutsideWindow(skew))) {
        return { kind: 'fatal', error: new ClockSkewError(init, skew) };
      }
      return { kind: 'fatal', error: new TikTokApiError({ ...init, explanation: `TikTok rejected the request identity: missing sign, invalid access token or app key, unexpected shop_cipher, or an invalid API version (TikTok said: ${env.message})` }) };
    }
    case CODE.SHOP_CIPHER_MISSING:
      return { kind: 'fatal', error: new TikTokApiError({ ...init, explanation: `shop_cipher is missing: select a shop again in the sidebar (TikTok said: ${env.message})` }) };
    case CODE.IP_NOT_ALLOWED:
      return { kind: 'fatal', error: new TikTokApiError({ ...init, explanation: `the calling IP address is not on the app's allowlist in TikTok Partner Center (TikTok said: ${env.message})` }) };
    case CODE.TOO_MANY_REQUESTS:
    case CODE.INTERNAL_ERROR:
      return { kind: 'retry', retryAfterMs: retryAfter(response), error: new TikTokApiError(init) };
    default:
      if (status === 429 || status >= 500) return { kind: 'retry', retryAfterMs: retryAfter(response), error: new TikTokApiError(init) };
      return { kind: 'fatal', error: new TikTokApiError(init) };
  }
}

/** Transport errors (UrlFetchApp's too) may quote the URL; its query can hold the app secret or a token. */
export function redactQuery(text: string): string {
  return text.replace(/\?[^\s"'<>]*/g, '?…');
}

function retryAfter(response: HttpResponse): number {
  const v = header(response, 'retry-after');
  if (!v) return 0;
  const s = Number(v);
  return Number.isFinite(s) && s > 0 ? s * 1000 : 0;
}

export interface ExchangeItem {
  /** Builds the request for one attempt (fresh timestamp, current token, new signature). */
  build(): HttpRequest;
  endpoint: string;
  scope: string | null;
}

/**
 * Sends `items` (one with fetch, several with fetchAll), re-sending only the ones that need
 * it, and returns their successful envelopes in order. Throws the first non-retryable error
 * (in request order), or RetryExhaustedError when the attempt or time budget runs out.
 * `onExpired` is called at most once, when any item got 105002; those items are then re-sent.
 */
export function exchange(deps: RetryDeps, policy: RetryPolicy, items: readonly ExchangeItem[], onExpired?: (rejected: TikTokApiError) => void): Envelope[] {
  const results: Envelope[] = new Array(items.length);
  let pending = items.map((_, i) => i);
  let attempt = 0;
  let refreshed = false;
  let slept = 0;
  const start = deps.clock.now();
  while (pending.length > 0) {
    attempt++;
    const requests = pending.map((i) => items[i].build());
    let responses: (HttpResponse | Error)[];
    try {
      responses = requests.length === 1 ? [deps.transport.fetch(requests[0])] : deps.transport.fetchAll(requests);
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      responses = requests.map(() => err);
    }
    const next: number[] = [];
    let retryError: TikTokApiError | null = null;
    let expiredError: TikTokApiError | null = null;
    let wait = 0;
    for (let k = 0; k < pending.length; k++) {
      const i = pending[k];
      const o = classify(responses[k], items[i].endpoint, deps.clock, items[i].scope);
      if (o.kind === 'ok') results[i] = o.envelope;
      else if (o.kind === 'fatal') throw o.error;
      else if (o.kind === 'expired') {
        if (!onExpired || refreshed) throw o.error;
        expiredError = expiredError ?? o.error;
        next.push(i);
      } else {
        retryError = retryError ?? o.error;
        wait = Math.max(wait, o.retryAfterMs);
        next.push(i);
      }
    }
    pending = next;
    if (pending.length === 0) break;
    if (expiredError && onExpired) {
      onExpired(expiredError);
      refreshed = true;
    }
    if (retryError) {
      if (attempt >= policy.maxAttempts) throw new RetryExhaustedError(retryError, attempt, `at most ${policy.maxAttempts} attempts`);
      const delay = Math.min(Math.max(backoffMs(policy, attempt, deps.random), wait), policy.maxTotalMs);
      const elapsed = Math.max(slept, (deps.clock.now() - start) * 1000);
      if (elapsed + delay > policy.maxTotalMs) throw new RetryExhaustedError(retryError, attempt, `time budget of ${Math.round(policy.maxTotalMs / 1000)} s`);
      deps.clock.sleep(delay);
      slept += delay;
    }
  }
  return results;
}

// ---------------------------------------------------------------- the signed client

export type QueryValue = string | number | boolean | null | undefined;

export interface ApiCall {
  method: 'GET' | 'POST';
  /** Concrete path, e.g. pathOf('ordersSearch'). */
  path: string;
  /** Raw (un-encoded) values; null/undefined are left out. */
  query?: Readonly<Record<string, QueryValue>>;
  /** Serialized once with JSON.stringify; not allowed on GET. */
  body?: unknown;
}

export interface ClientConfig {
  appKey: string;
  appSecret: string;
  /** The shop's cipher (Get Authorized Shops); required for shop-scoped paths. */
  shopCipher?: string | null;
  apiBase?: string;
  retry?: Partial<RetryPolicy>;
}

export interface ClientDeps extends RetryDeps {
  hmac: Hmac;
  tokens: TokenProvider;
}

export class TikTokShopClient {
  readonly policy: RetryPolicy;
  private readonly base: string;

  constructor(private readonly config: ClientConfig, private readonly deps: ClientDeps) {
    if (!config.appKey || !config.appSecret) throw new Error('TikTok Shop client: the app key and app secret are required');
    this.policy = { ...DEFAULT_RETRY, ...config.retry };
    this.base = (config.apiBase ?? API_BASE).replace(/\/+$/, '');
  }

  /** Builds one signed request (exposed for tests and debugging). */
  buildRequest(call: ApiCall, accessToken: string, timestamp: number): HttpRequest {
    if (call.method === 'GET' && call.body !== undefined) throw new Error(`${label(call)}: a GET request has no body`);
    const query: Record<string, string> = { app_key: this.config.appKey, timestamp: String(timestamp) };
    if (isShopScoped(call.path)) {
      if (!this.config.shopCipher) throw new Error(`${label(call)}: no shop selected (shop_cipher is required for shop APIs); choose a shop in the sidebar`);
      query.shop_cipher = this.config.shopCipher;
    }
    for (const [k, v] of Object.entries(call.query ?? {})) {
      if (v === undefined || v === null) continue;
      if (k in query || k === 'sign') throw new Error(`${label(call)}: query parameter "${k}" is set by the client`);
      query[k] = String(v);
    }
    const body = call.method === 'GET' || call.body === undefined ? undefined : JSON.stringify(call.body);
    query.sign = computeSign(this.deps.hmac, this.config.appSecret, { path: call.path, query, body, contentType: 'application/json' });
    const req: HttpRequest = {
      url: `${this.base}${call.path}?${buildQueryString(query)}`,
      method: call.method === 'GET' ? 'get' : 'post',
      headers: { 'x-tts-access-token': accessToken },
    };
    if (body !== undefined) {
      req.contentType = 'application/json';
      req.payload = body;
    } else {
      req.headers['content-type'] = 'application/json';
    }
    return req;
  }

  /** One call; returns `data` of a code-0 envelope. */
  call<T = unknown>(call: ApiCall): T {
    return this.callAll<T>([call])[0];
  }

  /** Several calls in parallel (fetchAll); results in call order. */
  callAll<T = unknown>(calls: readonly ApiCall[]): T[] {
    if (calls.length === 0) return [];
    let token = this.deps.tokens.accessToken();
    const items: ExchangeItem[] = calls.map((c) => ({
      build: () => this.buildRequest(c, token, Math.floor(this.deps.clock.now())),
      endpoint: label(c),
      scope: endpointOfPath(c.path)?.endpoint.scope ?? null,
    }));
    const envs = exchange(this.deps, this.policy, items, () => {
      token = this.deps.tokens.refreshExpired(token);
    });
    return envs.map((e) => e.data as T);
  }
}

function label(call: ApiCall): string {
  return `${call.method} ${call.path}`;
}

/** A token provider for a fixed token (tests, or a token managed elsewhere). */
export function fixedToken(token: string): TokenProvider {
  return {
    accessToken: () => token,
    refreshExpired: () => {
      throw new ReauthorizationRequiredError({ code: CODE.ACCESS_TOKEN_EXPIRED, apiMessage: 'access token expired', requestId: '', endpoint: 'token', httpStatus: null, explanation: 'the access token expired and cannot be refreshed here' });
    },
  };
}
