/**
 * The resources added to pullShop after the first five — creatorOrders, products, unsettled,
 * analytics (shop + product performance) — end to end over loopback HTTP like pull.test.ts:
 * a full pull must equal the generator's records field by field, except the fields listed in
 * MORE_EXCLUDED (each with why, and a test that it really differs).
 */
import { diffRecords, generated, startStack, type Stack } from './harness';
import { incrementalWindow, mergePulled, pullShop, totalCalls, type PulledData, type Resource } from '../../src/tiktok/pull';
import { SHOP_PERFORMANCE_MAX_DAYS } from '../../src/tiktok/analytics';
import type { CreatorOrderLine, UnsettledEstimate } from '../../src/core/records';

jest.setTimeout(180_000);

const SEED = 7;
const SHOP = { days: 20, ordersPerDay: 40, unitLines: true };
/** The sandbox generates analytics (server.ts startSandbox: analytics true); harness `generated` defaults to false. */
const GEN = { ...SHOP, analytics: true };
/** 12:00 UTC on day 18 of the shop, as pull.test.ts. */
const START = Date.UTC(2025, 1, 17 + 17, 12) / 1000;
/** The sandbox's USD shop timezone (server.ts). */
const TZ = 'America/Los_Angeles';
const NEW: Resource[] = ['creatorOrders', 'products', 'unsettled', 'analytics'];
const KINDS: (keyof PulledData)[] = ['creatorOrders', 'products', 'unsettled', 'shopPerformance', 'productPerformance'];

/** Fields that legitimately differ between a pull and the generator's records — each with why. */
const MORE_EXCLUDED: Record<string, Record<string, string>> = {
  unsettled: {
    fetchedTime: "the pull's clock at the fetch (finance.ts: floor(clock.now()), one value per fetch); the generator's is the time TikTok revised the estimate, which the API does not send",
  },
  products: {
    updateTime: "Search Products has update_time per PRODUCT only (the sandbox sends the max of its SKUs'); the generator keeps one per SKU, so every SKU gets the product's",
  },
};

/**
 * Generator records as the API shows them: the latest estimate per order (Get Unsettled
 * Orders lists one per order; the generator keeps every revision), and creator lines
 * numbered by occurrence (with unitLines, two units of one SKU are two lines with the same
 * (orderId, skuId); the API keeps their order, so the n-th is compared with the n-th).
 */
function latestEstimates(list: readonly UnsettledEstimate[]): UnsettledEstimate[] {
  const m = new Map<string, UnsettledEstimate>();
  for (const e of list) { const x = m.get(e.orderId); if (!x || e.fetchedTime > x.fetchedTime) m.set(e.orderId, e); }
  return [...m.values()];
}
function numbered(lines: readonly CreatorOrderLine[]): CreatorOrderLine[] {
  const n = new Map<string, number>();
  return lines.map((l) => {
    const k = `${l.orderId}/${l.skuId}`;
    const i = n.get(k) ?? 0;
    n.set(k, i + 1);
    return i === 0 ? l : { ...l, skuId: `${l.skuId}#${i}` };
  });
}
function comparable(d: Partial<PulledData>): Partial<PulledData> {
  return { ...d, creatorOrders: numbered(d.creatorOrders ?? []), unsettled: latestEstimates(d.unsettled ?? []) };
}
const fullWindow = (now: number) => ({ updateTimeGe: 0, updateTimeLt: now + 1 });

describe('full pull: creator orders, products, unsettled estimates, analytics', () => {
  let st: Stack;
  beforeAll(async () => { st = await startStack({ seed: SEED, shop: SHOP, startTime: START }); });
  afterAll(() => st?.close());

  test('equals the generator for what the API carries (no record missing or duplicated), calls counted', () => {
    const now = st.clock.now();
    const g = generated(SEED, GEN, now);
    st.counting.reset();
    const r = pullShop(st.client, fullWindow(now), { resources: NEW, clock: st.clock, timeZone: TZ });
    expect(g.creatorOrders.length).toBeGreaterThan(100);
    expect(new Set(g.creatorOrders.map((l) => l.orderId)).size).toBeGreaterThan(100); // > one page of 100 orders
    expect(g.creatorOrders.some((l) => l.actualCommission !== 0)).toBe(true);
    expect(g.products.length).toBeGreaterThan(10);
    expect(g.unsettled.length).toBeGreaterThan(100);
    expect(g.shopPerformance.length).toBeGreaterThan(10);
    expect(g.productPerformance.length).toBeGreaterThan(100);
    expect(diffRecords(comparable(r.data), comparable(g), KINDS, MORE_EXCLUDED)).toEqual([]);
    for (const k of KINDS) expect({ k, n: r.data[k].length }).toEqual({ k, n: comparable(g)[k]!.length });
    // Calls: counted like the others, every logical call one HTTP request (no faults).
    expect(st.counting.total()).toBe(totalCalls(r.stats));
    expect(Object.keys(r.stats.calls).sort()).toEqual(['affiliateOrdersSearch', 'productPerformance', 'productsSearch', 'shopPerformance', 'unsettledOrders']);
    expect(r.stats.calls.affiliateOrdersSearch).toBe(r.stats.pages.affiliateOrdersSearch);
    expect(r.stats.calls.affiliateOrdersSearch).toBeGreaterThan(1);
    expect(r.stats.calls.unsettledOrders).toBe(r.stats.pages.unsettledOrders);
    expect(r.stats.calls.productPerformance).toBe(r.stats.pages.productPerformance);
    // Product performance: one list call per day (it aggregates over its range), from the first day with data.
    expect(r.stats.calls.productPerformance).toBeGreaterThanOrEqual(g.shopPerformance.length);
    // Shop performance: the default 90-day cap in windows of 30 days.
    expect(r.stats.calls.shopPerformance).toBe(Math.ceil(90 / SHOP_PERFORMANCE_MAX_DAYS));
    expect(r.stats.duplicates.creatorOrders + r.stats.duplicates.products + r.stats.duplicates.unsettled).toBe(0);
  });

  test('the exclusions are real: each excluded field differs, for the reason given', () => {
    const now = st.clock.now();
    const g = generated(SEED, GEN, now);
    const r = pullShop(st.client, fullWindow(now), { resources: ['unsettled', 'products'], clock: st.clock });
    // unsettled.fetchedTime: the pull's clock, the same for every estimate of the fetch.
    expect(new Set(r.data.unsettled.map((e) => e.fetchedTime))).toEqual(new Set([Math.floor(now)]));
    const latest = new Map(latestEstimates(g.unsettled).map((e) => [e.orderId, e]));
    expect(r.data.unsettled.some((e) => latest.get(e.orderId)!.fetchedTime !== e.fetchedTime)).toBe(true);
    // products.updateTime: the product's (max of its SKUs'), not the SKU's.
    const maxBy = new Map<string, number>();
    for (const s of g.products) maxBy.set(s.productId, Math.max(maxBy.get(s.productId) ?? 0, s.updateTime));
    for (const s of r.data.products) expect(s.updateTime).toBe(maxBy.get(s.productId));
    const wantSku = new Map(g.products.map((s) => [`${s.productId}/${s.skuId}`, s]));
    expect(r.data.products.some((s) => wantSku.get(`${s.productId}/${s.skuId}`)!.updateTime !== s.updateTime)).toBe(true);
    expect(Object.keys(MORE_EXCLUDED).sort()).toEqual(['products', 'unsettled']);
  });

  test('default resources include the new ones; their prerequisites are checked up front', () => {
    const now = st.clock.now();
    st.counting.reset();
    expect(() => pullShop(st.client, fullWindow(now), { timeZone: TZ })).toThrow(/'unsettled' needs options.clock/);
    expect(() => pullShop(st.client, fullWindow(now), { clock: st.clock })).toThrow(/'analytics' needs options.timeZone/);
    expect(() => pullShop(st.client, fullWindow(now), { clock: st.clock, timeZone: 'Mars/Olympus' })).toThrow(/timeZone/);
    expect(st.counting.total()).toBe(0); // nothing sent
    const r = pullShop(st.client, fullWindow(now), { clock: st.clock, timeZone: TZ });
    const g = comparable(generated(SEED, GEN, now));
    expect(diffRecords(comparable(r.data), g, KINDS, MORE_EXCLUDED)).toEqual([]);
    expect(r.data.orders.length).toBeGreaterThan(500);
    expect(st.counting.total()).toBe(totalCalls(r.stats));
  });
});

describe('incremental: creator orders, products, unsettled estimates, analytics', () => {
  let st: Stack;
  beforeAll(async () => { st = await startStack({ seed: SEED, shop: SHOP, startTime: START }); });
  afterAll(() => st?.close());

  test('after the shop moves on a day: the merge equals a full pull (unsettled: but for estimates of orders settled since)', async () => {
    const t1 = st.clock.now();
    const opts = { resources: NEW, timeZone: TZ, clock: st.clock };
    const first = pullShop(st.client, fullWindow(t1), opts);
    await st.sb.advanceClock(86400 + 3 * 3600);
    await st.syncClock();
    const t2 = st.clock.now();
    const w = incrementalWindow(first.window.updateTimeLt, t2);
    expect(w.createTimeGe).toBe(first.window.updateTimeLt - 90 * 86400);
    expect(w.createTimeGe).toBeLessThan(Date.UTC(2025, 1, 17) / 1000); // the 90-day look-back covers this 20-day-old shop
    const inc = pullShop(st.client, w, opts);
    const merged = mergePulled(first.data, inc.data);
    const full = pullShop(st.client, fullWindow(t2), opts);
    expect(totalCalls(inc.stats)).toBeLessThan(totalCalls(first.stats));
    expect(merged.changed.creatorOrders.length).toBeGreaterThan(0);
    expect(merged.changed.shopPerformance.length).toBeGreaterThan(0);
    const kinds: (keyof PulledData)[] = ['creatorOrders', 'products', 'shopPerformance', 'productPerformance'];
    expect(diffRecords(comparable(merged.data), comparable(full.data), kinds, MORE_EXCLUDED)).toEqual([]);
    // Unsettled: every estimate of the full pull is in the merge, equal; the merge may also
    // hold estimates of orders that settled (and left the list) since the first pull.
    const u = diffRecords(comparable(merged.data), comparable(full.data), ['unsettled'], MORE_EXCLUDED);
    expect(u.filter((x) => !/not in the generator's records$/.test(x))).toEqual([]);
    const fullIds = new Set(full.data.unsettled.map((e) => e.orderId));
    const stale = merged.data.unsettled.filter((e) => !fullIds.has(e.orderId));
    expect(stale.every((e) => e.fetchedTime === Math.floor(t1))).toBe(true);
  });
});
