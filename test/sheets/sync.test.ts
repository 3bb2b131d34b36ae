import { generateShop } from '../../dev/generator/shop';
import type { ShopData } from '../../src/core/records';
import { emptyPulledData, type PullStats, type PulledData, type PullWindow, type Resource } from '../../src/tiktok/pull';
import type { TikTokShopClient } from '../../src/tiktok/request';
import type { KeyValueStore } from '../../src/tiktok/ports';
import type { SheetGateway, TabData } from '../../src/sheets/table';
import { ANOTHER_REFRESH, CHECKPOINT_KEY, STATEMENT_LEAD_SECONDS, readCheckpoint, runRefreshChunk, writePulled, type PullFn, type RefreshOptions } from '../../src/sheets/sync';
import { MemoryGateway } from './memory-gateway';
import { FakeClock, FakeLock, MemoryStore } from '../tiktok/fakes';

const shop: ShopData = generateShop({ seed: 7, days: 12, ordersPerDay: 12 }).data;
const asOf = Math.max(...shop.orders.map((o) => o.updateTime), ...shop.statements.map((s) => s.statementTime)) + 3600;
const RES: Resource[] = ['orders', 'statements', 'payments', 'returns', 'cancellations'];
const OPTIONS: RefreshOptions = { resources: RES, sliceSeconds: 3 * 86400, lookBackSeconds: 2 * 3600, statementLookBackSeconds: 86400 };
const UNIT_SECONDS = 10;

/** The records of `data` in a pull window, as pullShop returns them for one resource. */
function select(data: ShopData, w: PullWindow, resources: readonly Resource[]): PulledData {
  const d = emptyPulledData();
  const inU = (t: number) => t >= w.updateTimeGe && t < w.updateTimeLt;
  const inS = (t: number) => t >= (w.statementTimeGe ?? w.updateTimeGe) && t < (w.statementTimeLt ?? w.updateTimeLt);
  if (resources.includes('orders')) {
    d.orders = data.orders.filter((o) => inU(o.updateTime));
    const ids = new Set(d.orders.map((o) => o.orderId));
    d.lines = data.lines.filter((l) => ids.has(l.orderId));
  }
  if (resources.includes('returns')) d.returns = data.returns.filter((r) => inU(r.updateTime));
  if (resources.includes('cancellations')) d.cancellations = data.cancellations.filter((c) => inU(c.updateTime));
  if (resources.includes('statements')) {
    d.statements = data.statements.filter((s) => inS(s.statementTime));
    const ids = new Set(d.statements.map((s) => s.statementId));
    d.transactions = data.transactions.filter((t) => ids.has(t.statementId));
  }
  if (resources.includes('payments')) d.payouts = data.payouts.filter((p) => inS(p.createTime));
  return d;
}

class Killer {
  n = 0;
  killAt = Infinity;
  tick(what: string): void {
    this.n++;
    if (this.n === this.killAt) throw new Error(`killed at call ${this.n} (${what})`);
  }
}

function killableGateway(inner: SheetGateway, k: Killer): SheetGateway {
  return {
    read: (tab: string): TabData => { k.tick(`read ${tab}`); return inner.read(tab); },
    write: (tab: string, data: TabData) => { k.tick(`write ${tab}`); inner.write(tab, data); },
    ensureTab: (tab: string, headers: readonly string[]) => { k.tick(`ensureTab ${tab}`); inner.ensureTab(tab, headers); },
  };
}

function killableStore(inner: KeyValueStore, k: Killer): KeyValueStore {
  return {
    get: (key) => { k.tick('get'); return inner.get(key); },
    set: (key, v) => { k.tick('set'); inner.set(key, v); },
    delete: (key) => { k.tick('delete'); inner.delete(key); },
  };
}

/** A pull over `data` that takes UNIT_SECONDS of the clock; kills before or after the "API calls". */
function fakePull(data: () => ShopData, clock: FakeClock, k: Killer, hook?: () => void): PullFn & { windows: PullWindow[] } {
  const windows: PullWindow[] = [];
  const fn = ((_client, w, o) => {
    k.tick('pull start');
    hook?.();
    windows.push(w);
    clock.t += UNIT_SECONDS;
    const d = select(data(), w, o.resources ?? []);
    k.tick('pull end');
    const stats = { calls: { fake: 1 }, pages: {}, batches: 0, missingOrderIds: [], statementsReused: 0 } as unknown as PullStats;
    return { data: d, stats, window: w as Required<PullWindow> };
  }) as PullFn & { windows: PullWindow[] };
  fn.windows = windows;
  return fn;
}

interface World {
  gw: MemoryGateway;
  store: MemoryStore;
  lock: FakeLock;
  clock: FakeClock;
  killer: Killer;
  pull: ReturnType<typeof fakePull>;
  data: ShopData;
}

function world(): World {
  const clock = new FakeClock(asOf);
  const killer = new Killer();
  const w: World = { gw: new MemoryGateway(), store: new MemoryStore(), lock: new FakeLock(), clock, killer, pull: undefined as never, data: shop };
  w.pull = fakePull(() => w.data, clock, killer);
  return w;
}

function chunk(w: World, options: RefreshOptions = OPTIONS) {
  return runRefreshChunk({
    client: {} as TikTokShopClient,
    gateway: killableGateway(w.gw, w.killer),
    documentStore: killableStore(w.store, w.killer),
    lock: w.lock,
    clock: w.clock,
    // Room for ~3 units per chunk.
    budget: { deadlineMs: w.clock.now() * 1000 + 35_000, safetyMarginMs: 5_000 },
    pull: w.pull,
  }, options);
}

/** Runs chunks until done, re-running after a kill; returns the chunk results (kills excluded). */
function refresh(w: World, options: RefreshOptions = OPTIONS) {
  const results = [];
  for (let i = 0; i < 500; i++) {
    try {
      const r = chunk(w, options);
      results.push(r);
      if (r.done) return results;
    } catch (e) {
      if (!/^killed/.test((e as Error).message)) throw e;
    }
  }
  throw new Error('refresh did not finish');
}

/** Every tab's rows, sorted (row order depends on chunking; content must not). */
function sheet(gw: MemoryGateway): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [tab, grid] of gw.grids) out[tab] = [JSON.stringify(grid[0]), ...grid.slice(1).map((r) => JSON.stringify(r)).sort()];
  return out;
}

function singleShot(): Record<string, string[]> {
  const gw = new MemoryGateway();
  writePulled(gw, select(shop, { updateTimeGe: 0, updateTimeLt: asOf + 1 }, RES));
  return sheet(gw);
}

describe('runRefreshChunk', () => {
  const reference = singleShot();

  test('the fixture has data in every tab the test pulls', () => {
    for (const tab of ['Orders', 'Order lines', 'Statements', 'Settlements', 'Payouts', 'Returns']) {
      expect(reference[tab]?.length ?? 0).toBeGreaterThan(1);
    }
  });

  test('a full refresh in several chunks equals a single-shot upsert, one write per tab per chunk', () => {
    const w = world();
    const results = refresh(w);
    expect(results.length).toBeGreaterThan(3);
    expect(results.slice(0, -1).every((r) => !r.done && r.progress > 0 && r.progress < 1)).toBe(true);
    expect(results[results.length - 1]).toMatchObject({ done: true, progress: 1 });
    for (let i = 1; i < results.length; i++) expect(results[i].progress).toBeGreaterThanOrEqual(results[i - 1].progress);
    expect(sheet(w.gw)).toEqual(reference);
    for (const [tab, n] of w.gw.writes) expect(n).toBeLessThanOrEqual(results.filter((r) => r.upserts.some((u) => u.tab === tab)).length);
    // Backfill: default 90 days before the clock.
    expect(w.pull.windows[0].updateTimeGe).toBe(asOf - 90 * 86400);
    const cp = readCheckpoint(w.store);
    expect(cp).toEqual({ v: 1, watermark: asOf + 1, run: null, completed: 1, lastRunChanged: true });
    expect(results.reduce((s, r) => s + r.calls, 0)).toBe(w.pull.windows.length);
  });

  test('the checkpoint stays small and holds no secrets', () => {
    const w = world();
    chunk(w);
    const raw = w.store.get(CHECKPOINT_KEY)!;
    expect(raw.length).toBeLessThan(9000);
    expect(raw).not.toMatch(/token|secret/i);
    expect(JSON.parse(raw).run).toMatchObject({ resource: 0 });
  });

  test('killed at every service call and re-run until done: the same sheet, no row lost or duplicated', () => {
    const probe = world();
    refresh(probe);
    const total = probe.killer.n;
    expect(total).toBeGreaterThan(50);
    for (let k = 1; k <= total; k++) {
      const w = world();
      w.killer.killAt = k;
      refresh(w);
      expect(w.lock.held).toBe(false);
      const got = sheet(w.gw);
      if (JSON.stringify(got) !== JSON.stringify(reference)) throw new Error(`kill at call ${k}: the sheet differs`);
      // A kill before the run's first checkpoint restarts the run with a later "now": a later watermark.
      const cp = readCheckpoint(w.store);
      expect(cp.run).toBeNull();
      expect(cp.watermark).toBeGreaterThanOrEqual(asOf + 1);
    }
  }, 120_000);

  test('killed repeatedly (every 23rd call) still converges to the same sheet', () => {
    const w = world();
    w.killer.killAt = 23;
    let done = false;
    let kills = 0;
    for (let i = 0; i < 1000 && !done; i++) {
      try {
        done = chunk(w).done;
      } catch (e) {
        if (!/^killed/.test((e as Error).message)) throw e;
        kills++;
        w.killer.killAt = w.killer.n + 23;
      }
    }
    expect(done).toBe(true);
    expect(kills).toBeGreaterThan(3);
    expect(sheet(w.gw)).toEqual(reference);
  });

  test('a second refresh with no changes writes nothing; it is incremental from the watermark minus the look-back', () => {
    const w = world();
    refresh(w);
    const writes = new Map(w.gw.writes);
    const before = sheet(w.gw);
    const watermark = readCheckpoint(w.store).watermark!;
    w.clock.t += 3600;
    const n = w.pull.windows.length;
    const second = refresh(w);
    expect(second.reduce((s, r) => s + r.written, 0)).toBe(0);
    expect(w.gw.writes).toEqual(writes);
    expect(sheet(w.gw)).toEqual(before);
    const orderWindows = w.pull.windows.slice(n);
    expect(orderWindows[0].updateTimeGe).toBe(watermark - 2 * 3600);
    expect(readCheckpoint(w.store).watermark).toBeGreaterThan(watermark);
    // The run changed nothing: the reports need not be rewritten.
    expect(readCheckpoint(w.store).lastRunChanged).toBe(false);
  });

  test('a chunk stops pulling once its records would write maxCells cells, and the refresh still ends with every row', () => {
    const w = world();
    const results = [];
    for (let i = 0; i < 500; i++) {
      const r = runRefreshChunk({
        client: {} as TikTokShopClient, gateway: w.gw, documentStore: w.store, lock: w.lock, clock: w.clock,
        budget: { deadlineMs: w.clock.now() * 1000 + 3_600_000, safetyMarginMs: 5_000, maxCells: 1 }, pull: w.pull,
      }, OPTIONS);
      results.push(r);
      if (r.done) break;
    }
    // With a cap of one cell, a chunk stops after the first unit that brought any record: as
    // many chunks as units with records. Without the cap, one chunk pulls everything (an hour of budget).
    expect(results.length).toBeGreaterThan(3);
    expect(results.every((r, i) => i === results.length - 1 || r.upserts.length > 0)).toBe(true);
    expect(sheet(w.gw)).toEqual(reference);
    const w2 = world();
    const one = runRefreshChunk({
      client: {} as TikTokShopClient, gateway: w2.gw, documentStore: w2.store, lock: w2.lock, clock: w2.clock,
      budget: { deadlineMs: w2.clock.now() * 1000 + 3_600_000, safetyMarginMs: 5_000 }, pull: w2.pull,
    }, OPTIONS);
    expect(one.done).toBe(true);
  });

  test('a change inside the look-back is picked up and replaces its row in place', () => {
    const w = world();
    refresh(w);
    const rows = w.gw.grids.get('Orders')!.length;
    const target = shop.orders[0];
    w.clock.t += 600;
    const changed = { ...target, status: target.status === 'CANCELLED' ? 'COMPLETED' : 'CANCELLED', updateTime: Math.floor(w.clock.t) - 60 } as typeof target;
    w.data = { ...shop, orders: shop.orders.map((o) => (o.orderId === target.orderId ? changed : o)) };
    const results = refresh(w);
    expect(results.reduce((s, r) => s + r.written, 0)).toBe(1);
    expect(w.gw.grids.get('Orders')!.length).toBe(rows);
    expect(w.gw.grids.get('Orders')!.some((r) => r[0] === target.orderId && r.includes(changed.status))).toBe(true);
  });

  test('two concurrent refreshes: the second returns "another refresh is running"', () => {
    const w = world();
    let inner: ReturnType<typeof chunk> | undefined;
    w.pull = fakePull(() => w.data, w.clock, w.killer, () => { if (!inner) inner = chunk(w); });
    const outer = chunk(w);
    expect(inner).toMatchObject({ done: false, reason: ANOTHER_REFRESH, written: 0, calls: 0 });
    expect(outer.units).toBeGreaterThan(0);
    expect(w.lock.held).toBe(false);
  });

  test('no time left: returns without pulling or saving', () => {
    const w = world();
    const r = runRefreshChunk({
      client: {} as TikTokShopClient, gateway: w.gw, documentStore: w.store, lock: w.lock, clock: w.clock,
      budget: { deadlineMs: w.clock.now() * 1000 + 1000, safetyMarginMs: 5000 }, pull: w.pull,
    }, OPTIONS);
    expect(r).toMatchObject({ done: false, units: 0, written: 0 });
    expect(w.pull.windows.length).toBe(0);
    expect(w.store.get(CHECKPOINT_KEY)).toBeNull();
  });
});

describe('products: the whole catalog on the first run, what changed afterwards', () => {
  test('the first run reads products from time 0 in one piece; an incremental run from the watermark look-back', () => {
    const w = world();
    const options: RefreshOptions = { ...OPTIONS, resources: ['orders', 'products'], backfillDays: 10 };
    refresh(w, options);
    // Orders come in 3-day slices over the 10-day backfill: 4 slices; products in one window from 0.
    const first = [...w.pull.windows];
    expect(first.length).toBe(5);
    expect(first[4]).toEqual(expect.objectContaining({ updateTimeGe: 0, updateTimeLt: asOf + 1 }));
    expect(first[0].updateTimeGe).toBe(asOf - 10 * 86400);
    const watermark = readCheckpoint(w.store).watermark!;
    expect(watermark).toBe(asOf + 1);
    w.clock.t += 86400;
    w.pull.windows.length = 0;
    refresh(w, options);
    const products = w.pull.windows[w.pull.windows.length - 1];
    expect(products.updateTimeGe).toBe(watermark - 2 * 3600);
  });
});

test('the first run reads statements a month before payouts (a payout pays the statements since the last one); later runs do not', () => {
  const w = world();
  const options: RefreshOptions = { ...OPTIONS, resources: ['statements', 'payments'], backfillDays: 10, sliceSeconds: 100 * 86400 };
  refresh(w, options);
  const [statements, payments] = w.pull.windows;
  expect(payments.statementTimeGe).toBe(asOf - 10 * 86400);
  expect(statements.statementTimeGe).toBe(asOf - 10 * 86400 - STATEMENT_LEAD_SECONDS);
  const watermark = readCheckpoint(w.store).watermark!;
  w.clock.t += 86400;
  w.pull.windows.length = 0;
  refresh(w, options);
  expect(w.pull.windows[0].statementTimeGe).toBe(w.pull.windows[1].statementTimeGe);
  expect(w.pull.windows[0].statementTimeGe).toBeGreaterThan(watermark - 3 * 86400);
});
