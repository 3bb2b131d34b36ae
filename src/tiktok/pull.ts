/**
 * The shop pull that sync calls: everything the API carries for one time window, as core
 * records (ShopData-shaped), de-duplicated by key, with the API calls counted by endpoint.
 * Pure logic on top of the client and the ports: no Node or Apps Script API here.
 *
 * What is pulled (resources, all on by default)
 * - orders: Search Orders by update time [updateTimeGe, updateTimeLt) for the ids, then Get
 *   Order Detail (≤ 50 ids a call) for the records. The window is cut into `searchSlices`
 *   consecutive sub-windows whose page chains are walked in lockstep, one fetchAll per round
 *   (a page chain is sequential by nature: each page's token comes from the one before). Ids
 *   are buffered across pages and detailed `detailParallel` calls per fetchAll.
 * - statements: Get Statements by statement time [statementTimeGe, statementTimeLt), then every
 *   transaction of each statement (202501), the statements' page chains walked in lockstep,
 *   `transactionParallel` statements per fetchAll. A statement already held with the same
 *   money (options.knownStatements) keeps its transactions (statements are generated once, at
 *   00:00 UTC; what changes later is payment_status / payment_id, which the statement carries).
 * - payments: by create time over the statement window (a payment's status and paid_time
 *   change for days after it is created, so incremental pulls re-read the statement look-back).
 * - returns, cancellations (returns.ts): by update time, same window as orders.
 * - creatorOrders (affiliate.ts): Search Seller Affiliate Orders by CREATE time over the
 *   create window [createTimeGe, createTimeLt) (default the update window). The API has no
 *   update-time filter, yet an affiliate line changes long after it is created: its status
 *   (PROCESSING → COMPLETED / CANCELLED), refunded / returned quantities and the actual_*
 *   commissions, which are filled only once the order settles (delivery, then the return
 *   window, then the statement: weeks). An incremental pull therefore re-reads a long
 *   look-back: incrementalWindow's createLookBackSeconds, default 90 days (see there).
 * - unsettled (finance.ts): Get Unsettled Orders by search time (= the order's create time)
 *   over the same create window, for the same reason (an order stays unsettled, and its
 *   estimate is revised, until it settles, weeks after it was created). fetchedTime is the
 *   pull's clock (options.clock, else pace.clock; required for this resource).
 * - products (products.ts): Search Products (every status) updated in [updateTimeGe,
 *   updateTimeLt − 1] (TikTok's product filter is inclusive at both ends).
 * - analytics (analytics.ts): daily shop performance, then per-product performance one day at
 *   a time, over the SHOP days (options.timeZone, required for this resource) of the analytics
 *   window [analyticsTimeGe, analyticsTimeLt) (default the update window), at most
 *   `analyticsMaxDays` (default 90) days ending with the window's last day. Product performance
 *   starts at the first day the shop endpoint returned an interval for (no interval: no data
 *   that day, so no per-product call either) and both stop at latest_available_date.
 *
 * De-duplication: an order can come back twice in one pull (it was updated while we paged and
 * moved to a later page or sub-window). The latest update_time wins; on a tie, the later fetch.
 * An order's lines are those of the winning version, replaced as a whole. Statements: the later
 * fetch wins (they have no update time). Transactions are replaced per statement. Returns and
 * cancellations: the latest update_time wins.
 *
 * The first call of a pull is sent alone (then the batches): a wrong app secret, an invalid
 * token or a missing scope fails on ONE request, not on a whole fetchAll batch.
 *
 * Counting: `stats.calls` counts API calls by endpoint name (versions.ts ENDPOINTS), each call
 * once whatever its retries; `stats.pages` counts pages of paged endpoints; `stats.batches`
 * counts fetchAll batches. HTTP attempts (retries included) are counted by wrapping the
 * transport in `CountingTransport` (below) before building the client.
 *
 * Pacing: TikTok allows 50 calls per second per API and shop. With `pace`, the pull keeps each
 * endpoint under `maxPerSecond` (default 40) by sleeping on the clock before a batch; without
 * it, bursts above the limit are answered 429 and retried by the client (slower).
 */
import type {
  Cancellation, CreatorOrderLine, Order, OrderLine, Payout, ProductPerformance, ProductSku, Return, ShopPerformance, Statement,
  StatementTransaction, UnsettledEstimate,
} from '../core/records';
import type { Clock, HttpRequest, HttpResponse, Transport } from './ports';
import type { ApiCall, TikTokShopClient } from './request';
import { endpointOfPath, maxPageSize, pathOf, type EndpointName } from './versions';
import { listOf, nextPageTokenOf } from './paging';
import { PagingLoopError } from './errors';
import { ApiOrderSchema, getOrderDetails, mapOrder, type ApiOrder } from './orders';
import { fetchPayments, fetchStatements, fetchUnsettledOrders, mapStatementTransaction } from './finance';
import { fetchCancellations, fetchReturns } from './returns';
import { fetchAffiliateOrders } from './affiliate';
import { fetchProducts } from './products';
import { fetchProductPerformance, fetchShopPerformance } from './analytics';
import { addDays, dayKey, daysBetween, isValidTimeZone } from '../core/time';
import { groupBy } from '../core/group';

export const RESOURCES = ['orders', 'statements', 'payments', 'returns', 'cancellations', 'creatorOrders', 'products', 'unsettled', 'analytics'] as const;
export type Resource = (typeof RESOURCES)[number];

/** What the pull returns: the ShopData fields the API fills. */
export interface PulledData {
  orders: Order[];
  lines: OrderLine[];
  statements: Statement[];
  transactions: StatementTransaction[];
  returns: Return[];
  cancellations: Cancellation[];
  payouts: Payout[];
  creatorOrders: CreatorOrderLine[];
  products: ProductSku[];
  /** The latest estimate per order (one per order: fetchedTime = the pull's clock). */
  unsettled: UnsettledEstimate[];
  shopPerformance: ShopPerformance[];
  productPerformance: ProductPerformance[];
}

export function emptyPulledData(): PulledData {
  return {
    orders: [], lines: [], statements: [], transactions: [], returns: [], cancellations: [], payouts: [],
    creatorOrders: [], products: [], unsettled: [], shopPerformance: [], productPerformance: [],
  };
}

function zeroCounts(): Record<keyof PulledData, number> {
  return {
    orders: 0, lines: 0, statements: 0, transactions: 0, returns: 0, cancellations: 0, payouts: 0,
    creatorOrders: 0, products: 0, unsettled: 0, shopPerformance: 0, productPerformance: 0,
  };
}

export interface PullWindow {
  /** Orders, returns, cancellations updated in [updateTimeGe, updateTimeLt) (Unix seconds). */
  updateTimeGe: number;
  updateTimeLt: number;
  /** Statements generated, and payments created, in [statementTimeGe, statementTimeLt); default the update window. */
  statementTimeGe?: number;
  statementTimeLt?: number;
  /** Affiliate orders and unsettled estimates of orders CREATED in [createTimeGe, createTimeLt); default the update window. */
  createTimeGe?: number;
  createTimeLt?: number;
  /** Analytics for the shop days touching [analyticsTimeGe, analyticsTimeLt); default the update window. */
  analyticsTimeGe?: number;
  analyticsTimeLt?: number;
}

export interface PullOptions {
  resources?: readonly Resource[];
  /** Consecutive sub-windows of the order search walked in parallel (default 4; 1 for windows under a day). */
  searchSlices?: number;
  /** Order-detail calls per fetchAll (default 4). */
  detailParallel?: number;
  /** Statements whose transactions are paged together (default 4). */
  transactionParallel?: number;
  /** Statements already held: transactions are not fetched again when the money is unchanged. */
  knownStatements?: ReadonlyMap<string, Statement>;
  /** The shop currency (returns / cancellations without refund_amount.currency). */
  currency?: string;
  /** Keep each endpoint under maxPerSecond (default 40). The clock must tell real time. */
  pace?: { clock: Clock; maxPerSecond?: number };
  /** The clock stamped on unsettled estimates (fetchedTime); default pace.clock. Required for 'unsettled'. */
  clock?: Pick<Clock, 'now'>;
  /** The shop's IANA time zone: analytics days are shop days. Required for 'analytics'. */
  timeZone?: string;
  /** At most this many days of analytics per pull, the last ones of the window (default 90). */
  analyticsMaxDays?: number;
}

export interface PullStats {
  /** API calls by endpoint name (retries not counted). */
  calls: Partial<Record<EndpointName, number>>;
  /** Pages read, by endpoint name. */
  pages: Partial<Record<EndpointName, number>>;
  /** fetchAll batches (client calls with more than one request). */
  batches: number;
  /** Order ids the search returned that the detail endpoint did not. */
  missingOrderIds: string[];
  /** Orders taken whole from the search results (no detail call needed). */
  fromSearch: number;
  /** Records before de-duplication, and duplicates dropped. */
  fetched: Record<keyof PulledData, number>;
  duplicates: Record<keyof PulledData, number>;
  /** Statements whose transactions were reused from knownStatements. */
  statementsReused: number;
}

export interface PullResult {
  data: PulledData;
  stats: PullStats;
  window: Required<PullWindow>;
}

export function totalCalls(stats: Pick<PullStats, 'calls'>): number {
  let n = 0;
  for (const v of Object.values(stats.calls)) n += v ?? 0;
  return n;
}

// ---------------------------------------------------------------- counting

/** Counts HTTP requests (every attempt, retries included) by endpoint, and fetchAll batches. */
export class CountingTransport implements Transport {
  readonly requests: Record<string, number> = {};
  batches = 0;
  constructor(private readonly inner: Transport) {}

  private count(r: HttpRequest): void {
    const key = endpointKeyOfUrl(r.url);
    this.requests[key] = (this.requests[key] ?? 0) + 1;
  }

  fetch(request: HttpRequest): HttpResponse {
    this.count(request);
    return this.inner.fetch(request);
  }

  fetchAll(requests: HttpRequest[]): HttpResponse[] {
    for (const r of requests) this.count(r);
    this.batches++;
    return this.inner.fetchAll(requests);
  }

  total(): number {
    let n = 0;
    for (const v of Object.values(this.requests)) n += v;
    return n;
  }

  reset(): void {
    for (const k of Object.keys(this.requests)) delete this.requests[k];
    this.batches = 0;
  }
}

/** The ENDPOINTS name of a request URL, else its path (token host: "token/get", "token/refresh"). */
export function endpointKeyOfUrl(url: string): string {
  const m = /^[a-z]+:\/\/[^/]+(\/[^?#]*)/i.exec(url);
  const path = m ? m[1] : url;
  const ep = endpointOfPath(path);
  if (ep) return ep.name;
  const t = /\/api\/v2\/(token\/\w+)$/.exec(path);
  return t ? t[1] : path;
}

// ---------------------------------------------------------------- pacing

class Pacer {
  private readonly sent = new Map<string, number[]>();
  constructor(private readonly clock: Clock | null, private readonly max: number) {}

  /** Waits until `n` more calls to `endpoint` fit in the last second. */
  admit(endpoint: string, n: number): void {
    if (!this.clock) return;
    let w = this.sent.get(endpoint);
    if (!w) this.sent.set(endpoint, (w = []));
    const take = Math.min(n, this.max);
    for (let guard = 0; guard < 100; guard++) {
      const now = this.clock.now() * 1000;
      while (w.length && w[0] <= now - 1000) w.shift();
      if (w.length + take <= this.max) break;
      this.clock.sleep(Math.max(1, w[w.length + take - this.max - 1] + 1000 - now + 1));
    }
    const at = this.clock.now() * 1000;
    for (let i = 0; i < n; i++) w.push(at);
  }
}

// ---------------------------------------------------------------- the pull

interface Chain {
  call: (pageToken: string | undefined) => ApiCall;
  onPage: (data: unknown) => void;
  token: string | undefined;
  seen: Set<string>;
  label: string;
  pages: number;
}

export function pullShop(client: TikTokShopClient, window: PullWindow, options: PullOptions = {}): PullResult {
  const w: Required<PullWindow> = {
    updateTimeGe: window.updateTimeGe,
    updateTimeLt: window.updateTimeLt,
    statementTimeGe: window.statementTimeGe ?? window.updateTimeGe,
    statementTimeLt: window.statementTimeLt ?? window.updateTimeLt,
    createTimeGe: window.createTimeGe ?? window.updateTimeGe,
    createTimeLt: window.createTimeLt ?? window.updateTimeLt,
    analyticsTimeGe: window.analyticsTimeGe ?? window.updateTimeGe,
    analyticsTimeLt: window.analyticsTimeLt ?? window.updateTimeLt,
  };
  for (const [what, ge, lt] of [
    ['update-time', w.updateTimeGe, w.updateTimeLt], ['statement-time', w.statementTimeGe, w.statementTimeLt],
    ['create-time', w.createTimeGe, w.createTimeLt], ['analytics-time', w.analyticsTimeGe, w.analyticsTimeLt],
  ] as const) {
    if (!(Number.isInteger(ge) && Number.isInteger(lt) && ge >= 0 && ge < lt)) throw new RangeError(`pullShop: the ${what} window must be whole Unix seconds with start < end, got [${ge}, ${lt})`);
  }
  const resources = new Set<Resource>(options.resources ?? RESOURCES);
  const stampClock = options.clock ?? options.pace?.clock;
  if (resources.has('unsettled') && !stampClock) throw new Error("pullShop: 'unsettled' needs options.clock (or pace.clock): estimates are stamped with the fetch time");
  if (resources.has('analytics') && !(options.timeZone && isValidTimeZone(options.timeZone))) {
    throw new Error(`pullShop: 'analytics' needs options.timeZone, the shop's IANA time zone (analytics days are shop days), got ${JSON.stringify(options.timeZone)}`);
  }
  const stats: PullStats = { calls: {}, pages: {}, batches: 0, missingOrderIds: [], fromSearch: 0, fetched: zeroCounts(), duplicates: zeroCounts(), statementsReused: 0 };
  const pacer = new Pacer(options.pace?.clock ?? null, Math.max(1, options.pace?.maxPerSecond ?? 40));

  // A view of the client that counts (and paces) every call; the resource modules use it unchanged.
  const counted = Object.create(client) as TikTokShopClient;
  let first = true;
  counted.callAll = <T>(calls: readonly ApiCall[]): T[] => {
    const byEndpoint = new Map<string, number>();
    for (const c of calls) {
      const name = (endpointOfPath(c.path)?.name ?? c.path) as EndpointName;
      stats.calls[name] = (stats.calls[name] ?? 0) + 1;
      byEndpoint.set(name, (byEndpoint.get(name) ?? 0) + 1);
    }
    for (const [name, n] of byEndpoint) pacer.admit(name, n);
    // The pull's first call goes out alone: a wrong secret, token or scope fails on one request
    // instead of a whole fetchAll batch of the same error.
    if (first && calls.length > 1) {
      first = false;
      const head = client.callAll<T>([calls[0]]);
      stats.batches++;
      return head.concat(client.callAll<T>(calls.slice(1)));
    }
    first = false;
    if (calls.length > 1) stats.batches++;
    return client.callAll<T>(calls);
  };
  counted.call = <T>(call: ApiCall): T => counted.callAll<T>([call])[0];
  const page = (name: EndpointName) => { stats.pages[name] = (stats.pages[name] ?? 0) + 1; };

  /** Walks several page chains in lockstep: one fetchAll per round, `parallel` chains at a time. */
  const lockstep = (chains: Chain[], parallel: number): void => {
    const queue = [...chains];
    let active: Chain[] = [];
    while (queue.length > 0 || active.length > 0) {
      while (active.length < parallel && queue.length > 0) active.push(queue.shift()!);
      const datas = counted.callAll(active.map((c) => c.call(c.token)));
      const next: Chain[] = [];
      active.forEach((c, i) => {
        c.pages++;
        c.onPage(datas[i]);
        const token = nextPageTokenOf(datas[i], c.label);
        if (token === '') return;
        if (c.seen.has(token)) throw new PagingLoopError(c.label, token, c.pages);
        c.seen.add(token);
        c.token = token;
        next.push(c);
      });
      active = next;
    }
  };

  // ---- orders
  const orders = new Map<string, { order: Order; lines: OrderLine[] }>();
  if (resources.has('orders')) {
    const parallel = Math.max(1, Math.floor(options.detailParallel ?? 4));
    let buffer: string[] = [];
    const keep = (o: ApiOrder, endpoint?: string) => {
      const m = mapOrder(o, endpoint);
      stats.fetched.orders++;
      stats.fetched.lines += m.lines.length;
      const prev = orders.get(m.order.orderId);
      if (prev) {
        stats.duplicates.orders++;
        stats.duplicates.lines += prev.lines.length;
        if (prev.order.updateTime > m.order.updateTime) return;
      }
      orders.set(m.order.orderId, m);
    };
    const flush = () => {
      if (buffer.length === 0) return;
      const details = getOrderDetails(counted, buffer, { parallel });
      buffer = [];
      stats.missingOrderIds.push(...details.missingIds);
      for (const o of details.orders) keep(o);
    };
    const span = w.updateTimeLt - w.updateTimeGe;
    const slices = span < 86400 ? 1 : Math.max(1, Math.floor(options.searchSlices ?? 4));
    const path = pathOf('ordersSearch');
    const label = `POST ${path}`;
    const pageSize = maxPageSize('ordersSearch');
    const chains: Chain[] = [];
    for (let s = 0; s < slices; s++) {
      const ge = w.updateTimeGe + Math.floor((span * s) / slices);
      const lt = s === slices - 1 ? w.updateTimeLt : w.updateTimeGe + Math.floor((span * (s + 1)) / slices);
      if (ge >= lt) continue;
      chains.push({
        label, token: undefined, seen: new Set(), pages: 0,
        call: (pageToken) => ({
          method: 'POST', path,
          query: { page_size: pageSize, sort_field: 'update_time', sort_order: 'ASC', page_token: pageToken },
          body: { update_time_ge: ge, update_time_lt: lt },
        }),
        onPage: (data) => {
          page('ordersSearch');
          for (const raw of listOf(data, 'orders', label)) {
            const id = raw !== null && typeof raw === 'object' ? (raw as { id?: unknown }).id : undefined;
            if (typeof id !== 'string' || id === '') throw new Error(`${label}: an order without an id in the search results`);
            // Search Orders returns whole order objects (payment, line items): when one reads as a
            // complete order it is used as it is, and Get Order Detail is asked only for the
            // others (a search result missing fields the record needs) — 1,932 calls of a
            // 100,000-order month saved. An order that reads neither way fails in the detail call,
            // with the detail endpoint named.
            const whole = ApiOrderSchema.safeParse(raw);
            if (whole.success) {
              stats.fromSearch++;
              keep(whole.data, label);
            } else buffer.push(id);
          }
          if (buffer.length >= parallel * 50) flush();
        },
      });
    }
    lockstep(chains, chains.length);
    flush();
  }

  // ---- statements and their transactions
  const statements = new Map<string, Statement>();
  const transactions = new Map<string, StatementTransaction[]>();
  if (resources.has('statements')) {
    const list: Statement[] = [];
    fetchStatements(counted, { statementTimeGe: w.statementTimeGe, statementTimeLt: w.statementTimeLt }, (items) => {
      page('statements');
      list.push(...items);
    });
    const toFetch: Statement[] = [];
    for (const s of list) {
      stats.fetched.statements++;
      if (statements.has(s.statementId)) stats.duplicates.statements++;
      statements.set(s.statementId, s);
    }
    for (const s of statements.values()) {
      const known = options.knownStatements?.get(s.statementId);
      if (known && sameMoney(known, s)) stats.statementsReused++;
      else toFetch.push(s);
    }
    const chains: Chain[] = toFetch.map((s) => {
      const path = pathOf('statementTransactions', { statement_id: s.statementId });
      const seenKeys = new Map<string, number>();
      const acc: StatementTransaction[] = [];
      transactions.set(s.statementId, acc);
      return {
        label: `GET ${path}`, token: undefined, seen: new Set(), pages: 0,
        call: (pageToken) => ({
          method: 'GET', path,
          query: { sort_field: 'order_create_time', sort_order: 'ASC', page_size: maxPageSize('statementTransactions'), page_token: pageToken },
        }),
        onPage: (data) => {
          page('statementTransactions');
          for (const raw of listOf(data, 'transactions', `GET ${path}`)) acc.push(mapStatementTransaction(raw, s, seenKeys));
        },
      };
    });
    lockstep(chains, Math.max(1, Math.floor(options.transactionParallel ?? 4)));
    for (const acc of transactions.values()) stats.fetched.transactions += acc.length;
  }

  // ---- payments (by create time, the statement window: status and paid_time change for days)
  const payouts = new Map<string, Payout>();
  if (resources.has('payments')) {
    fetchPayments(counted, { createTimeGe: w.statementTimeGe, createTimeLt: w.statementTimeLt }, (items) => {
      page('payments');
      for (const p of items) {
        stats.fetched.payouts++;
        if (payouts.has(p.paymentId)) stats.duplicates.payouts++;
        payouts.set(p.paymentId, p);
      }
    });
  }

  // ---- returns and cancellations
  const returns = new Map<string, Return>();
  const cancellations = new Map<string, Cancellation>();
  const keepLatest = <T extends { updateTime: number }>(map: Map<string, T>, key: string, rec: T, kind: 'returns' | 'cancellations') => {
    stats.fetched[kind]++;
    const prev = map.get(key);
    if (prev) {
      stats.duplicates[kind]++;
      if (prev.updateTime > rec.updateTime) return;
    }
    map.set(key, rec);
  };
  const rwin = { updateTimeGe: w.updateTimeGe, updateTimeLt: w.updateTimeLt };
  if (resources.has('returns')) {
    fetchReturns(counted, rwin, (items) => {
      page('returnsSearch');
      for (const r of items) keepLatest(returns, r.returnId, r, 'returns');
    }, { currency: options.currency });
  }
  if (resources.has('cancellations')) {
    fetchCancellations(counted, rwin, (items) => {
      page('cancellationsSearch');
      for (const c of items) keepLatest(cancellations, c.cancelId, c, 'cancellations');
    }, { currency: options.currency });
  }

  // ---- creator (affiliate) orders: by create time; one order's SKU lines replaced as a whole by a later fetch
  const creatorOrders = new Map<string, CreatorOrderLine[]>();
  if (resources.has('creatorOrders')) {
    fetchAffiliateOrders(counted, { createTimeGe: w.createTimeGe, createTimeLt: w.createTimeLt }, (items) => {
      page('affiliateOrdersSearch');
      const byOrder = new Map<string, CreatorOrderLine[]>();
      for (const l of items) {
        stats.fetched.creatorOrders++;
        const a = byOrder.get(l.orderId);
        if (a) a.push(l); else byOrder.set(l.orderId, [l]);
      }
      for (const [id, ls] of byOrder) {
        const prev = creatorOrders.get(id);
        if (prev) stats.duplicates.creatorOrders += prev.length;
        creatorOrders.set(id, ls);
      }
    });
  }

  // ---- products: one product's SKUs replaced as a whole (the latest update_time; tie: the later fetch)
  const products = new Map<string, ProductSku[]>();
  if (resources.has('products')) {
    fetchProducts(counted, { updateTimeGe: w.updateTimeGe, updateTimeLe: w.updateTimeLt - 1 }, (items) => {
      page('productsSearch');
      const byProduct = new Map<string, ProductSku[]>();
      for (const s of items) {
        stats.fetched.products++;
        const a = byProduct.get(s.productId);
        if (a) a.push(s); else byProduct.set(s.productId, [s]);
      }
      for (const [id, skus] of byProduct) {
        const prev = products.get(id);
        if (prev) {
          stats.duplicates.products += prev.length;
          if (prev[0].updateTime > skus[0].updateTime) continue;
        }
        products.set(id, skus);
      }
    });
  }

  // ---- unsettled estimates: by search (order create) time; one per order, the later fetch wins
  const unsettled = new Map<string, UnsettledEstimate>();
  if (resources.has('unsettled')) {
    fetchUnsettledOrders(counted, stampClock!, { searchTimeGe: w.createTimeGe, searchTimeLt: w.createTimeLt }, (items) => {
      page('unsettledOrders');
      for (const e of items) {
        stats.fetched.unsettled++;
        if (unsettled.has(e.orderId)) stats.duplicates.unsettled++;
        unsettled.set(e.orderId, e);
      }
    }, { currency: options.currency });
  }

  // ---- analytics: shop days of the analytics window (at most analyticsMaxDays, the last ones)
  const shopPerformance = new Map<string, ShopPerformance>();
  const productPerformance = new Map<string, ProductPerformance>();
  if (resources.has('analytics')) {
    const tz = options.timeZone!;
    const maxDays = Math.max(1, Math.floor(options.analyticsMaxDays ?? 90));
    const endDateLt = addDays(dayKey(w.analyticsTimeLt - 1, tz), 1);
    let startDate = dayKey(w.analyticsTimeGe, tz);
    if (daysBetween(startDate, endDateLt) > maxDays) startDate = addDays(endDateLt, -maxDays);
    const shop = fetchShopPerformance(counted, { startDate, endDateLt }, { currency: options.currency });
    for (const d of shop.days) {
      stats.fetched.shopPerformance++;
      if (shopPerformance.has(d.date)) stats.duplicates.shopPerformance++;
      shopPerformance.set(d.date, d);
    }
    // Per-product days: from the first day the shop endpoint has an interval for (none: no calls).
    const first = [...shopPerformance.keys()].sort()[0];
    if (first !== undefined && daysBetween(first, endDateLt) > 0) {
      const r = fetchProductPerformance(counted, { startDate: first, endDateLt }, (records) => {
        for (const p of records) {
          stats.fetched.productPerformance++;
          const k = `${p.productId}|${p.date}`;
          if (productPerformance.has(k)) stats.duplicates.productPerformance++;
          productPerformance.set(k, p);
        }
      }, { currency: options.currency });
      stats.pages.productPerformance = (stats.pages.productPerformance ?? 0) + r.pages;
    }
  }

  const data = emptyPulledData();
  for (const { order, lines } of orders.values()) {
    data.orders.push(order);
    data.lines.push(...lines);
  }
  data.statements = [...statements.values()];
  for (const acc of transactions.values()) data.transactions.push(...acc);
  data.returns = [...returns.values()];
  data.cancellations = [...cancellations.values()];
  data.payouts = [...payouts.values()];
  for (const ls of creatorOrders.values()) data.creatorOrders.push(...ls);
  for (const skus of products.values()) data.products.push(...skus);
  data.unsettled = [...unsettled.values()];
  data.shopPerformance = [...shopPerformance.values()];
  data.productPerformance = [...productPerformance.values()];
  return { data, stats, window: w };
}

function sameMoney(a: Statement, b: Statement): boolean {
  return a.currency === b.currency && a.statementTime === b.statementTime && a.settlementAmount === b.settlementAmount
    && a.revenueAmount === b.revenueAmount && a.feeAmount === b.feeAmount && a.adjustmentAmount === b.adjustmentAmount
    && a.shippingCostAmount === b.shippingCostAmount && a.netSalesAmount === b.netSalesAmount;
}

// ---------------------------------------------------------------- incremental

/** The window of an incremental pull: from the last pull's end minus a look-back, to now. */
export function incrementalWindow(
  lastPullEnd: number, now: number,
  options: { lookBackSeconds?: number; statementLookBackSeconds?: number; createLookBackSeconds?: number; analyticsLookBackSeconds?: number } = {},
): Required<PullWindow> {
  const end = Math.floor(now) + 1;
  const lb = options.lookBackSeconds ?? 2 * 3600;
  // Statements change after they are generated only in payment_status / payment_id, within
  // days (payout after 1 day, paid 1–3 days later): re-read the last week of statements.
  const slb = options.statementLookBackSeconds ?? 7 * 86400;
  // Affiliate orders and unsettled estimates can only be searched by the order's CREATE time,
  // but change until the order settles: status, refunded / returned quantities and the
  // actual_* commissions (filled at settlement), and the unsettled estimate (revised until the
  // order settles, then gone). Settlement comes after delivery (up to ~2 weeks for a slow
  // carrier), the return window and the statement cycle, i.e. weeks after creation; TikTok
  // settles affiliate commission after the return / refund period of a completed order.
  // 90 days covers that with margin; a late change of an older order is missed until a full
  // pull (or a longer look-back). Cost: these searches return only affiliate / unsettled
  // orders, 100 a page, so 90 days is a few pages for most shops.
  const clb = options.createLookBackSeconds ?? 90 * 86400;
  // Analytics of the last days are revised while TikTok finalizes them: re-read 3 days.
  const alb = options.analyticsLookBackSeconds ?? 3 * 86400;
  const from = (back: number) => Math.max(0, Math.min(lastPullEnd - back, end - 1));
  return {
    updateTimeGe: from(lb),
    updateTimeLt: end,
    statementTimeGe: from(slb),
    statementTimeLt: end,
    createTimeGe: from(clb),
    createTimeLt: end,
    analyticsTimeGe: from(alb),
    analyticsTimeLt: end,
  };
}

export interface MergeResult {
  data: PulledData;
  /** Keys of records added or changed by the update (field by field), by kind. */
  changed: Record<keyof PulledData, string[]>;
}

/**
 * Merges an incremental pull into held records: orders (with their lines, replaced as a whole)
 * and returns / cancellations by key when the update is not older; statements by id;
 * transactions replaced per statement that the update carries transactions for; creator order
 * lines replaced per order, products' SKUs per product (when the update is not older),
 * unsettled estimates per order (when not older by fetchedTime), shop performance per day,
 * product performance per product and day. Estimates of orders that settled since the base
 * was pulled are not removed here (the update does not list them; a full pull does not
 * carry them either, unless TikTok still shows them).
 */
export function mergePulled(base: PulledData, update: PulledData): MergeResult {
  const changed: MergeResult['changed'] = {
    orders: [], lines: [], statements: [], transactions: [], returns: [], cancellations: [], payouts: [],
    creatorOrders: [], products: [], unsettled: [], shopPerformance: [], productPerformance: [],
  };
  const same = (a: unknown, b: unknown) => stableJson(a) === stableJson(b);

  const linesBy = (ls: readonly OrderLine[]) => {
    const m = new Map<string, OrderLine[]>();
    for (const l of ls) { const a = m.get(l.orderId); if (a) a.push(l); else m.set(l.orderId, [l]); }
    return m;
  };
  const baseLines = linesBy(base.lines);
  const updLines = linesBy(update.lines);
  const orders = new Map(base.orders.map((o) => [o.orderId, o]));
  const lines = new Map(baseLines);
  for (const o of update.orders) {
    const prev = orders.get(o.orderId);
    if (prev && prev.updateTime > o.updateTime) continue;
    const nl = updLines.get(o.orderId) ?? [];
    if (!prev || !same(prev, o)) changed.orders.push(o.orderId);
    const pl = lines.get(o.orderId) ?? [];
    const plById = new Map(pl.map((l) => [l.lineId, l]));
    for (const l of nl) if (!same(plById.get(l.lineId), l)) changed.lines.push(l.lineId);
    orders.set(o.orderId, o);
    lines.set(o.orderId, nl);
  }

  const statements = new Map(base.statements.map((s) => [s.statementId, s]));
  for (const s of update.statements) {
    if (!same(statements.get(s.statementId), s)) changed.statements.push(s.statementId);
    statements.set(s.statementId, s);
  }
  const txBy = (ts: readonly StatementTransaction[]) => {
    const m = new Map<string, StatementTransaction[]>();
    for (const t of ts) { const a = m.get(t.statementId); if (a) a.push(t); else m.set(t.statementId, [t]); }
    return m;
  };
  const tx = txBy(base.transactions);
  for (const [sid, list] of txBy(update.transactions)) {
    const prev = new Map((tx.get(sid) ?? []).map((t) => [t.transactionId, t]));
    for (const t of list) if (!same(prev.get(t.transactionId), t)) changed.transactions.push(t.transactionId);
    tx.set(sid, list);
  }

  const byUpdate = <T extends { updateTime: number }>(baseList: readonly T[], upd: readonly T[], key: (x: T) => string, out: string[]): T[] => {
    const m = new Map(baseList.map((x) => [key(x), x]));
    for (const x of upd) {
      const prev = m.get(key(x));
      if (prev && prev.updateTime > x.updateTime) continue;
      if (!prev || !same(prev, x)) out.push(key(x));
      m.set(key(x), x);
    }
    return [...m.values()];
  };

  const data: PulledData = {
    orders: [...orders.values()],
    lines: [...orders.keys()].flatMap((id) => lines.get(id) ?? []),
    statements: [...statements.values()],
    transactions: [...statements.keys()].flatMap((id) => tx.get(id) ?? []),
    returns: byUpdate(base.returns, update.returns, (r) => r.returnId, changed.returns),
    cancellations: byUpdate(base.cancellations, update.cancellations, (c) => c.cancelId, changed.cancellations),
    payouts: [],
    creatorOrders: [], products: [], unsettled: [], shopPerformance: [], productPerformance: [],
  };
  const payouts = new Map(base.payouts.map((p) => [p.paymentId, p]));
  for (const p of update.payouts) {
    if (!same(payouts.get(p.paymentId), p)) changed.payouts.push(p.paymentId);
    payouts.set(p.paymentId, p);
  }
  data.payouts = [...payouts.values()];

  /** Groups replaced as a whole (an order's creator lines, a product's SKUs) unless `older`. */
  const byGroup = <T>(baseList: readonly T[], upd: readonly T[], group: (x: T) => string, key: (x: T) => string, out: string[], older: (prev: T, x: T) => boolean = () => false): T[] => {
    const m = groupBy(baseList, group);
    for (const [g, list] of groupBy(upd, group)) {
      const prev = m.get(g) ?? [];
      if (prev.length && older(prev[0], list[0])) continue;
      // Keys may repeat within a group (two unit lines of one SKU in an order): compared by occurrence.
      const occ = (xs: readonly T[]) => { const n = new Map<string, number>(); return xs.map((x) => { const k = key(x); const i = n.get(k) ?? 0; n.set(k, i + 1); return `${k}#${i}`; }); };
      const pk = new Map(occ(prev).map((k, i) => [k, prev[i]]));
      const seen = new Set<string>();
      occ(list).forEach((k, i) => { const x = list[i]; if (!same(pk.get(k), x) && !seen.has(key(x))) { seen.add(key(x)); out.push(key(x)); } });
      m.set(g, list);
    }
    return [...m.values()].flat();
  };
  data.creatorOrders = byGroup(base.creatorOrders, update.creatorOrders, (l) => l.orderId, (l) => `${l.orderId}/${l.skuId}`, changed.creatorOrders);
  data.products = byGroup(base.products, update.products, (s) => s.productId, (s) => `${s.productId}/${s.skuId}`, changed.products, (p, x) => p.updateTime > x.updateTime);
  data.unsettled = byGroup(base.unsettled, update.unsettled, (e) => e.orderId, (e) => e.orderId, changed.unsettled, (p, x) => p.fetchedTime > x.fetchedTime);
  data.shopPerformance = byGroup(base.shopPerformance, update.shopPerformance, (d) => d.date, (d) => d.date, changed.shopPerformance);
  data.productPerformance = byGroup(base.productPerformance, update.productPerformance, (p) => `${p.productId}|${p.date}`, (p) => `${p.productId}|${p.date}`, changed.productPerformance);
  return { data, changed };
}

/** JSON with object keys sorted (records compared field by field, whatever the key order). */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (x !== null && typeof x === 'object' && !Array.isArray(x)) {
      const o = x as Record<string, unknown>;
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(o).sort()) sorted[k] = o[k];
      return sorted;
    }
    return x;
  });
}
