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
 * Not pulled here yet: unsettled estimates, affiliate orders, products, analytics (their
 * client modules arrived while this was written; they need their own windows: create time,
 * day ranges, fetch time).
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
import type { Cancellation, Order, OrderLine, Payout, Return, Statement, StatementTransaction } from '../core/records';
import type { Clock, HttpRequest, HttpResponse, Transport } from './ports';
import type { ApiCall, TikTokShopClient } from './request';
import { endpointOfPath, maxPageSize, pathOf, type EndpointName } from './versions';
import { listOf, nextPageTokenOf } from './paging';
import { PagingLoopError } from './errors';
import { getOrderDetails, mapOrder } from './orders';
import { fetchPayments, fetchStatements, mapStatementTransaction } from './finance';
import { fetchCancellations, fetchReturns } from './returns';

export const RESOURCES = ['orders', 'statements', 'payments', 'returns', 'cancellations'] as const;
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
}

export function emptyPulledData(): PulledData {
  return { orders: [], lines: [], statements: [], transactions: [], returns: [], cancellations: [], payouts: [] };
}

export interface PullWindow {
  /** Orders, returns, cancellations updated in [updateTimeGe, updateTimeLt) (Unix seconds). */
  updateTimeGe: number;
  updateTimeLt: number;
  /** Statements generated, and payments created, in [statementTimeGe, statementTimeLt); default the update window. */
  statementTimeGe?: number;
  statementTimeLt?: number;
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
  };
  for (const [what, ge, lt] of [['update-time', w.updateTimeGe, w.updateTimeLt], ['statement-time', w.statementTimeGe, w.statementTimeLt]] as const) {
    if (!(Number.isInteger(ge) && Number.isInteger(lt) && ge >= 0 && ge < lt)) throw new RangeError(`pullShop: the ${what} window must be whole Unix seconds with start < end, got [${ge}, ${lt})`);
  }
  const resources = new Set<Resource>(options.resources ?? RESOURCES);
  const zero = (): Record<keyof PulledData, number> => ({ orders: 0, lines: 0, statements: 0, transactions: 0, returns: 0, cancellations: 0, payouts: 0 });
  const stats: PullStats = { calls: {}, pages: {}, batches: 0, missingOrderIds: [], fetched: zero(), duplicates: zero(), statementsReused: 0 };
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
    const flush = () => {
      if (buffer.length === 0) return;
      const details = getOrderDetails(counted, buffer, { parallel });
      buffer = [];
      stats.missingOrderIds.push(...details.missingIds);
      for (const o of details.orders) {
        const m = mapOrder(o);
        stats.fetched.orders++;
        stats.fetched.lines += m.lines.length;
        const prev = orders.get(m.order.orderId);
        if (prev) {
          stats.duplicates.orders++;
          stats.duplicates.lines += prev.lines.length;
          if (prev.order.updateTime > m.order.updateTime) continue;
        }
        orders.set(m.order.orderId, m);
      }
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
            buffer.push(id);
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
  return { data, stats, window: w };
}

function sameMoney(a: Statement, b: Statement): boolean {
  return a.currency === b.currency && a.statementTime === b.statementTime && a.settlementAmount === b.settlementAmount
    && a.revenueAmount === b.revenueAmount && a.feeAmount === b.feeAmount && a.adjustmentAmount === b.adjustmentAmount
    && a.shippingCostAmount === b.shippingCostAmount && a.netSalesAmount === b.netSalesAmount;
}

// ---------------------------------------------------------------- incremental

/** The window of an incremental pull: from the last pull's end minus a look-back, to now. */
export function incrementalWindow(lastPullEnd: number, now: number, options: { lookBackSeconds?: number; statementLookBackSeconds?: number } = {}): Required<PullWindow> {
  const end = Math.floor(now) + 1;
  const lb = options.lookBackSeconds ?? 2 * 3600;
  // Statements change after they are generated only in payment_status / payment_id, within
  // days (payout after 1 day, paid 1–3 days later): re-read the last week of statements.
  const slb = options.statementLookBackSeconds ?? 7 * 86400;
  return {
    updateTimeGe: Math.max(0, Math.min(lastPullEnd - lb, end - 1)),
    updateTimeLt: end,
    statementTimeGe: Math.max(0, Math.min(lastPullEnd - slb, end - 1)),
    statementTimeLt: end,
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
 * transactions replaced per statement that the update carries transactions for.
 */
export function mergePulled(base: PulledData, update: PulledData): MergeResult {
  const changed: MergeResult['changed'] = { orders: [], lines: [], statements: [], transactions: [], returns: [], cancellations: [], payouts: [] };
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
  };
  const payouts = new Map(base.payouts.map((p) => [p.paymentId, p]));
  for (const p of update.payouts) {
    if (!same(payouts.get(p.paymentId), p)) changed.payouts.push(p.paymentId);
    payouts.set(p.paymentId, p);
  }
  data.payouts = [...payouts.values()];
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
