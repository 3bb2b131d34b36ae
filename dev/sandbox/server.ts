/**
 * Local TikTok Shop sandbox: a node:http server on 127.0.0.1 speaking the Partner API as
 * documented in /work/shared/reference/tiktok-shop-api.md, for a shop made by the seeded
 * generator (dev/generator/shop.ts) and re-snapshotted as the sandbox clock moves.
 *
 * Hosts (all on one loopback port, selected by path prefix; no Host header needed):
 *   /api/v2/token/*  the auth host (auth.tiktok-shops.com): token/get, token/refresh (unsigned)
 *   /open_api/*      the Marketing (Business) API host — not implemented yet (404, code 40002)
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
import { ORDER_STATUSES, type Cancellation, type Order, type OrderLine, type Statement, type StatementTransaction } from '../../src/core/records';
import {
  renderOrder, renderShop, renderStatement, renderStatementTransaction, renderStatementTransactionTotals, type ShopInfo,
} from './render';

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
}

interface Route {
  name: string;
  method: 'GET' | 'POST';
  pattern: RegExp;
  shopScoped: boolean;
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
  const shopOptions: GenerateOptions = { days: 60, ordersPerDay: 200, unitLines: true, analytics: false, ...options.shop, seed, truth: false };
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
    index = {
      shop: g, orders: g.data.orders, orderById: new Map(g.data.orders.map((o) => [o.orderId, o])), lines, cancellations,
      statements: g.data.statements, statementById: new Map(g.data.statements.map((s) => [s.statementId, s])), transactions,
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
      open_id: seller.openId, seller_name: seller.name, seller_base_region: region, user_type: 0, granted_scopes: GRANTED_SCOPES,
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

  // ---------------------------------------------------------------- routes
  const routes: Route[] = [
    {
      name: 'get_authorized_shops', method: 'GET', pattern: /^\/authorization\/202309\/shops$/, shopScoped: false,
      handle: () => ({ shops: [renderShop(shop)] }),
    },
    {
      name: 'search_orders', method: 'POST', pattern: /^\/order\/202309\/orders\/search$/, shopScoped: true,
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
      name: 'get_order_detail', method: 'GET', pattern: /^\/order\/202507\/orders$/, shopScoped: true,
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
      name: 'get_statements', method: 'GET', pattern: /^\/finance\/202309\/statements$/, shopScoped: true,
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
      name: 'get_statement_transactions', method: 'GET', pattern: /^\/finance\/202501\/statements\/([^/]+)\/statement_transactions$/, shopScoped: true,
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
      res.writeHead(http, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(buf.length) });
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
    if (p === '/sandbox/state') {
      const idx = snapshotIndex();
      return { now: clock.now(), app_key: appKey, shop: renderShop(shop), orders: idx.orders.length, statements: idx.statements.length, faults };
    }
    throw new ApiError(404, CODES.INVALID_REQUEST, 'unknown sandbox control path');
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
        else if (p.startsWith('/open_api/')) throw new ApiError(404, CODES.NOT_IMPLEMENTED, 'the Marketing API is not implemented in the sandbox yet');
        else { isPartner = true; data = partner(req, res, url, body); }
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
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
