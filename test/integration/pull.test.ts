/**
 * End to end over real loopback HTTP: the sandbox in a child process, the synchronous client
 * (sync transport + Node ports) in this process, src/tiktok/pull.ts on top. The pulled records
 * must equal the generator's field by field for everything the API carries (EXCLUDED_FIELDS
 * lists what it does not, with why). Every child and worker is stopped; every loop is bounded
 * (paging by the client's loop detection, retries by the retry policy).
 */
import { diffRecords, changedKeys, EXCLUDED_FIELDS, FAST_RETRY, generated, hookBefore, startStack, type Stack } from './harness';
import { incrementalWindow, mergePulled, pullShop, totalCalls, type PulledData, type Resource } from '../../src/tiktok/pull';
import { InvalidSignatureError } from '../../src/tiktok/errors';

jest.setTimeout(180_000);

const SEED = 7;
const SHOP = { days: 20, ordersPerDay: 40, unitLines: true };
/** 12:00 UTC on day 18 of the shop (first day 2025-02-17 in Los Angeles): 2 days of orders still to come. */
const START = Date.UTC(2025, 1, 17 + 17, 12) / 1000;
/** What both the client (src/tiktok) and the sandbox serve today. */
const RESOURCES: Resource[] = ['orders', 'statements', 'payments', 'returns', 'cancellations'];
const KINDS: (keyof PulledData)[] = ['orders', 'lines', 'statements', 'transactions', 'payouts', 'returns', 'cancellations'];

function fullWindow(now: number) {
  return { updateTimeGe: 0, updateTimeLt: now + 1 };
}

describe('full pull', () => {
  let st: Stack;
  beforeAll(async () => { st = await startStack({ seed: SEED, shop: SHOP, startTime: START }); });
  afterAll(() => st?.close());

  test('equals the generator exactly for what the API carries (no record missing or duplicated)', () => {
    const now = st.clock.now();
    const want = generated(SEED, SHOP, now);
    const r = pullShop(st.client, fullWindow(now), { resources: RESOURCES });
    expect(want.orders.length).toBeGreaterThan(500);
    expect(want.statements.length).toBeGreaterThan(3);
    expect(want.returns.length).toBeGreaterThan(5);
    expect(want.cancellations.length).toBeGreaterThan(5);
    expect(want.payouts.length).toBeGreaterThan(3);
    expect(r.data.returns).toHaveLength(want.returns.length);
    expect(r.data.payouts).toHaveLength(want.payouts.length);
    expect(r.stats.missingOrderIds).toEqual([]);
    expect(diffRecords(r.data, want, KINDS)).toEqual([]);
    expect(r.data.orders).toHaveLength(want.orders.length);
    expect(r.data.lines).toHaveLength(want.lines.length);
    expect(r.data.transactions).toHaveLength(want.transactions.length);
    // The exclusions are real: each excluded field does differ somewhere (else it should not be excluded).
    expect(want.orders.some((o) => o.sampleCreator !== null)).toBe(true);
    expect(want.statements.some((s) => s.revenueAmount !== 0)).toBe(true);
    expect(Object.keys(EXCLUDED_FIELDS).sort()).toEqual(['orders', 'statements', 'transactions']);
    // Calls: every logical call is one HTTP request (no faults); the search returns whole orders,
    // so no order needs a detail call.
    expect(st.counting.total()).toBe(totalCalls(r.stats));
    expect(r.stats.calls.orderDetail).toBeUndefined();
    expect(r.stats.fromSearch).toBeGreaterThanOrEqual(want.orders.length);
    expect(r.stats.batches).toBeGreaterThan(0);
  });
});

describe('fault injection', () => {
  let st: Stack;
  beforeAll(async () => { st = await startStack({ seed: SEED, shop: SHOP, startTime: START }, { retry: { ...FAST_RETRY, maxAttempts: 10 } }); });
  afterAll(() => st?.close());

  test('5xx share, 429 burst, slow and truncated answers: the same records', async () => {
    await st.sb.setFaults({ errorShare: 0.15, errorStatus: 503, rateLimitBurst: 8, delayMs: 15, truncateShare: 0.04 });
    const now = st.clock.now();
    const r = pullShop(st.client, fullWindow(now), { resources: RESOURCES });
    await st.sb.clearFaults();
    expect(diffRecords(r.data, generated(SEED, SHOP, now), KINDS)).toEqual([]);
    expect(r.stats.missingOrderIds).toEqual([]);
    // Faults cost retries: more HTTP requests than logical calls, but bounded.
    const calls = totalCalls(r.stats);
    expect(st.counting.total()).toBeGreaterThan(calls);
    expect(st.counting.total()).toBeLessThan(calls * 2);
  });
});

describe('auth', () => {
  test('access token expiry mid-pull: refreshed once, the pull completes', async () => {
    let expire: (() => void) | null = null;
    const st = await startStack({ seed: SEED, shop: SHOP, startTime: START }, {
      // Before the 15th API request, expire every access token through the control API.
      wrap: (t, sb) => hookBefore(t, 15, () => expire!()),
    });
    try {
      expire = () => {
        const r = st.sync.fetch({ url: `${st.sb.url}/sandbox/tokens/expire`, method: 'post', headers: {}, contentType: 'application/json', payload: '{}' });
        if (r.status !== 200) throw new Error(`expire: ${r.status}`);
      };
      const now = st.clock.now();
      const before = st.auth.current()!.accessToken;
      const r = pullShop(st.client, fullWindow(now), { resources: RESOURCES });
      expect(st.counting.requests['token/refresh']).toBe(1);
      expect(st.auth.current()!.accessToken).not.toBe(before);
      expect(diffRecords(r.data, generated(SEED, SHOP, now), KINDS)).toEqual([]);
    } finally {
      await st.close();
    }
  });

  test('a wrong app secret fails at once with "check the app secret", one request, no retry', async () => {
    const st = await startStack({ seed: SEED, shop: SHOP, startTime: START }, { appSecret: 'not-the-secret' });
    try {
      let err: unknown;
      try { pullShop(st.client, fullWindow(st.clock.now()), { resources: RESOURCES }); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(InvalidSignatureError);
      expect((err as Error).message).toMatch(/signature.*Check that the app secret/i);
      expect((err as Error).message).not.toContain('not-the-secret');
      expect(st.counting.total()).toBe(1);
    } finally {
      await st.close();
    }
  });
});

describe('incremental', () => {
  let st: Stack;
  beforeAll(async () => { st = await startStack({ seed: SEED, shop: SHOP, startTime: START }); });
  afterAll(() => st?.close());

  test('after the shop moves on: exactly the generator\'s changes, and the merge equals a full pull', async () => {
    const t1 = st.clock.now();
    const first = pullShop(st.client, fullWindow(t1), { resources: RESOURCES });
    const lastEnd = first.window.updateTimeLt;

    await st.sb.advanceClock(86400 + 3 * 3600);
    await st.syncClock();
    const t2 = st.clock.now();
    const w = incrementalWindow(lastEnd, t2, { lookBackSeconds: 2 * 3600 });
    const known = new Map(first.data.statements.map((s) => [s.statementId, s]));
    const inc = pullShop(st.client, w, { resources: RESOURCES, knownStatements: known });
    const merged = mergePulled(first.data, inc.data);

    const g1 = generated(SEED, SHOP, t1);
    const g2 = generated(SEED, SHOP, t2);
    for (const kind of KINDS) {
      const want = changedKeys(g1, g2, kind);
      expect({ kind, changed: [...merged.changed[kind]].sort() }).toEqual({ kind, changed: want });
    }
    expect(merged.changed.orders.length).toBeGreaterThan(50);
    expect(merged.changed.statements.length).toBeGreaterThan(0);
    // The incremental pull is much smaller than a full one.
    expect(totalCalls(inc.stats)).toBeLessThan(totalCalls(first.stats));
    expect(inc.stats.statementsReused).toBeGreaterThan(0);

    const full = pullShop(st.client, fullWindow(t2), { resources: RESOURCES });
    expect(diffRecords(merged.data, full.data, KINDS)).toEqual([]);
    expect(diffRecords(merged.data, g2, KINDS)).toEqual([]);
  });
});
