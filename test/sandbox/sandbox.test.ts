/**
 * The local TikTok Shop sandbox over real loopback HTTP, with the tests' own signer
 * (helpers.ts): signing, timestamps, tokens and rotation, shop cipher rules, opaque paging,
 * the rate limit, fault injection and the moving clock. Every server is closed; every request
 * loop is bounded.
 */
import { startSandbox, type Sandbox } from '../../dev/sandbox/server';
import { call, getJson, signRequest, tokens } from './helpers';

const DAY = 86400;
const SHOP = { days: 20, ordersPerDay: 30 };
const SEARCH = '/order/202309/orders/search';
const SHOPS = '/authorization/202309/shops';

/** Pulls every page of an order search; returns the orders and the page tokens seen. */
async function pullAll(sb: Sandbox, token: string, body: object, pageSize = 7, sort: Record<string, string> = {}) {
  const orders: any[] = [];
  const pageTokens: string[] = [];
  let pageToken = '';
  for (let i = 0; i < 500; i++) {
    const params: Record<string, string> = { page_size: String(pageSize), ...sort };
    if (pageToken) params.page_token = pageToken;
    const r = await call(sb, 'POST', SEARCH, { token, cipher: sb.shop.cipher, params, body });
    if (r.json.code !== 0) throw new Error(JSON.stringify(r.json));
    orders.push(...r.json.data.orders);
    pageToken = r.json.data.next_page_token;
    if (!pageToken) return { orders, pageTokens, total: r.json.data.total_count as number };
    pageTokens.push(pageToken);
  }
  throw new Error('paging did not end');
}

describe('official signature vector', () => {
  let sb: Sandbox;
  beforeAll(async () => { sb = await startSandbox({ appKey: '29a39d', appSecret: 'e59af819cc', startTime: 1623812664, shop: SHOP }); });
  afterAll(() => sb.close());

  test('the test signer reproduces V1, and the sandbox accepts exactly that request', async () => {
    const sign = signRequest('e59af819cc', SHOPS, { app_key: '29a39d', timestamp: '1623812664' });
    expect(sign).toBe('b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8');
    const { access_token } = await tokens(sb);
    const res = await fetch(`${sb.url}${SHOPS}?app_key=29a39d&timestamp=1623812664&sign=${sign}`, {
      headers: { 'content-type': 'application/json', 'x-tts-access-token': access_token },
    });
    const json = await res.json() as any;
    expect(res.status).toBe(200);
    expect(json.code).toBe(0);
    expect(typeof json.request_id).toBe('string');
    expect(json.data.shops[0]).toEqual(expect.objectContaining({ cipher: sb.shop.cipher, seller_type: 'LOCAL', region: 'US' }));
    // The doc's unreproducible curl value is not accepted.
    const bad = await fetch(`${sb.url}${SHOPS}?app_key=29a39d&timestamp=1623812664&sign=bc721f0e0182914e3487b81df204de37a352fc3aa96947efda6dc1e5dd0d5290`, {
      headers: { 'content-type': 'application/json', 'x-tts-access-token': access_token },
    });
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as any).code).toBe(106001);
  });
});

describe('sandbox', () => {
  let sb: Sandbox;
  let token: string;
  beforeAll(async () => {
    sb = await startSandbox({ seed: 3, shop: SHOP });
    token = (await tokens(sb)).access_token;
  });
  afterAll(() => sb.close());
  afterEach(() => sb.faults.clear());

  test('wrong sign → HTTP 401, code 106001 (also uppercase hex and a body not signed)', async () => {
    const flip = (s: string) => (s[0] === 'a' ? 'b' : 'a') + s.slice(1);
    let r = await call(sb, 'GET', SHOPS, { token, sign: flip });
    expect([r.status, r.json.code]).toEqual([401, 106001]);
    r = await call(sb, 'GET', SHOPS, { token, sign: (s) => s.toUpperCase() });
    expect([r.status, r.json.code]).toEqual([401, 106001]);
    // Signing the body it does not send.
    const params = { app_key: sb.appKey, timestamp: String(sb.clock.now()), page_size: '5', shop_cipher: sb.shop.cipher };
    const sign = signRequest(sb.appSecret, SEARCH, params, '{}');
    const res = await fetch(`${sb.url}${SEARCH}?${new URLSearchParams({ ...params, sign })}`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-tts-access-token': token }, body: '{"create_time_ge":0}',
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).code).toBe(106001);
  });

  test('timestamp window −5 min / +30 s against the sandbox clock → 36009004 outside', async () => {
    const now = sb.clock.now();
    for (const [ts, ok] of [[now - 301, false], [now - 299, true], [now + 29, true], [now + 31, false], [now - 3600, false]] as const) {
      const r = await call(sb, 'GET', SHOPS, { token, timestamp: ts });
      expect([ts - now, r.json.code]).toEqual([ts - now, ok ? 0 : 36009004]);
    }
  });

  test('app key and token checks', async () => {
    const res = await fetch(`${sb.url}${SHOPS}?app_key=nope&timestamp=${sb.clock.now()}&sign=00`, { headers: { 'content-type': 'application/json' } });
    expect(((await res.json()) as any).code).toBe(36009004);
    expect((await call(sb, 'GET', SHOPS, {})).json.code).toBe(36009004);
    expect((await call(sb, 'GET', SHOPS, { token: 'not-a-token' })).json.code).toBe(36009004);
  });

  test('expired token → 105002; refresh rotates (old refresh token dead); auth codes single-use and 30 min', async () => {
    const sb2 = await startSandbox({ seed: 4, shop: SHOP });
    try {
      const t0 = await tokens(sb2);
      expect(t0.access_token_expire_in).toBe(sb2.clock.now() + 7 * DAY);
      expect((await call(sb2, 'GET', SHOPS, { token: t0.access_token })).json.code).toBe(0);
      sb2.clock.advance(7 * DAY + 1);
      const r = await call(sb2, 'GET', SHOPS, { token: t0.access_token });
      expect([r.status, r.json.code]).toEqual([401, 105002]);
      const refresh = (rt: string) => getJson(`${sb2.url}/api/v2/token/refresh?${new URLSearchParams({ app_key: sb2.appKey, app_secret: sb2.appSecret, refresh_token: rt, grant_type: 'refresh_token' })}`);
      const r1 = await refresh(t0.refresh_token);
      expect(r1.json.code).toBe(0);
      expect(r1.json.data.refresh_token).not.toBe(t0.refresh_token);
      expect(r1.json.data.access_token_expire_in).toBeGreaterThan(sb2.clock.now());
      expect((await call(sb2, 'GET', SHOPS, { token: r1.json.data.access_token })).json.code).toBe(0);
      expect((await refresh(t0.refresh_token)).json.code).toBe(36004005); // rotated
      expect((await refresh(r1.json.data.refresh_token)).json.code).toBe(0);
      // Auth codes: single use; expire after 30 minutes.
      const code = sb2.authorize();
      const get = (c: string) => getJson(`${sb2.url}/api/v2/token/get?${new URLSearchParams({ app_key: sb2.appKey, app_secret: sb2.appSecret, auth_code: c, grant_type: 'authorized_code' })}`);
      expect((await get(code)).json.code).toBe(0);
      expect((await get(code)).json.code).toBe(36004005);
      const late = (await getJson(`${sb2.url}/sandbox/authorize?app_key=${sb2.appKey}&state=s1`)).json.data;
      expect(late.state).toBe('s1');
      sb2.clock.advance(30 * 60 + 1);
      expect((await get(late.code)).json.code).toBe(36004005);
      // Wrong secret on the token host.
      const bad = await getJson(`${sb2.url}/api/v2/token/get?${new URLSearchParams({ app_key: sb2.appKey, app_secret: 'x', auth_code: sb2.authorize(), grant_type: 'authorized_code' })}`);
      expect(bad.json.code).toBe(36009004);
      // Injected expiry: every access token expires now.
      const t1 = await tokens(sb2);
      sb2.faults.expireAccessTokens();
      expect((await call(sb2, 'GET', SHOPS, { token: t1.access_token })).json.code).toBe(105002);
    } finally {
      await sb2.close();
    }
  });

  test('shop cipher: missing → 106013; present on /authorization → 36009004; wrong → 36009004', async () => {
    let r = await call(sb, 'POST', SEARCH, { token, params: { page_size: '5' }, body: {} });
    expect([r.status, r.json.code]).toEqual([400, 106013]);
    r = await call(sb, 'GET', SHOPS, { token, cipher: sb.shop.cipher });
    expect(r.json.code).toBe(36009004);
    r = await call(sb, 'POST', SEARCH, { token, cipher: 'ROW_other', params: { page_size: '5' }, body: {} });
    expect(r.json.code).toBe(36009004);
  });

  test('required params and page-size ranges', async () => {
    const search = (params: Record<string, string>, body: object = {}) => call(sb, 'POST', SEARCH, { token, cipher: sb.shop.cipher, params, body });
    expect((await search({})).json.code).toBe(36009004);
    expect((await search({ page_size: '0' })).json.code).toBe(36009004);
    expect((await search({ page_size: '101' })).json.code).toBe(36009004);
    expect((await search({ page_size: '100' })).json.code).toBe(0);
    expect((await search({ page_size: '5', sort_field: 'paid_time' })).json.code).toBe(36009004);
    expect((await search({ page_size: '5' }, { create_time_ge: 'yesterday' })).json.code).toBe(36009004);
    const ids = Array.from({ length: 51 }, (_, i) => `57690000000000${String(i).padStart(4, '0')}`);
    expect((await call(sb, 'GET', '/order/202507/orders', { token, cipher: sb.shop.cipher, params: { ids: ids.join(',') } })).json.code).toBe(36009004);
    expect((await call(sb, 'GET', '/order/202507/orders', { token, cipher: sb.shop.cipher })).json.code).toBe(36009004);
    expect((await call(sb, 'GET', '/order/202309/orders', { token, cipher: sb.shop.cipher, params: { ids: ids[0] } })).status).toBe(404);
  });

  test('paging returns every order of a window exactly once, with opaque tokens; order JSON as documented', async () => {
    const now = sb.clock.now();
    const window = { create_time_ge: now - 4 * DAY, create_time_lt: now - DAY };
    const { orders, pageTokens, total } = await pullAll(sb, token, window, 7);
    const expected = sb.snapshot().data.orders.filter((o) => o.createTime >= window.create_time_ge && o.createTime < window.create_time_lt).map((o) => o.orderId).sort();
    const got = orders.map((o) => o.id as string);
    expect(new Set(got).size).toBe(got.length);
    expect([...got].sort()).toEqual(expected);
    expect(total).toBe(expected.length);
    expect(expected.length).toBeGreaterThan(40);
    // Default sort: create_time DESC.
    for (let i = 1; i < orders.length; i++) expect(orders[i].create_time).toBeLessThanOrEqual(orders[i - 1].create_time);
    // Opaque: base64, no ids or times in clear, '/' or '+' in some.
    for (const t of pageTokens) {
      expect(t).toMatch(/^[A-Za-z0-9+/]+=*$/);
      expect(Buffer.from(t, 'base64').toString('latin1')).not.toMatch(/5769\d{14}/);
    }
    expect(pageTokens.some((t) => t.includes('/') || t.includes('+'))).toBe(true);
    // Rendering: strings for money, seconds for times, one unit per line item.
    const o = orders[0];
    expect(typeof o.create_time).toBe('number');
    expect(o.payment.total_amount).toMatch(/^\d+\.\d{2}$/);
    expect(o.line_items.length).toBeGreaterThan(0);
    expect(o.line_items[0]).toEqual(expect.objectContaining({ id: expect.any(String), sku_id: expect.any(String), sale_price: expect.stringMatching(/^\d+\.\d{2}$/) }));
    expect('quantity' in o.line_items[0]).toBe(false);
    const p = o.payment;
    const cents = (s: string) => Math.round(Number(s) * 100);
    expect(cents(p.sub_total)).toBe(cents(p.original_total_product_price) - cents(p.seller_discount) - cents(p.platform_discount));
    expect(cents(p.total_amount)).toBe(cents(p.sub_total) + cents(p.shipping_fee) + cents(p.tax));
    // ASC by update_time pages too.
    const asc = await pullAll(sb, token, window, 50, { sort_field: 'update_time', sort_order: 'ASC' });
    expect(asc.orders.map((x) => x.id).sort()).toEqual(expected);
    for (let i = 1; i < asc.orders.length; i++) expect(asc.orders[i].update_time).toBeGreaterThanOrEqual(asc.orders[i - 1].update_time);
  });

  test('tampered or foreign page tokens are rejected', async () => {
    const r = await call(sb, 'POST', SEARCH, { token, cipher: sb.shop.cipher, params: { page_size: '3' }, body: {} });
    const t: string = r.json.data.next_page_token;
    expect(t).not.toBe('');
    const i = Math.floor(t.length / 2);
    const tampered = t.slice(0, i) + (t[i] === 'A' ? 'B' : 'A') + t.slice(i + 1);
    for (const bad of [tampered, 'bm90IGEgdG9rZW4=', t.slice(0, -4)]) {
      const x = await call(sb, 'POST', SEARCH, { token, cipher: sb.shop.cipher, params: { page_size: '3', page_token: bad }, body: {} });
      expect([x.status, x.json.code, x.json.message]).toEqual([400, 36009004, 'invalid page_token']);
    }
    // The same token with other filters.
    const y = await call(sb, 'POST', SEARCH, { token, cipher: sb.shop.cipher, params: { page_size: '3', page_token: t }, body: { order_status: 'COMPLETED' } });
    expect(y.json.code).toBe(36009004);
    const ok = await call(sb, 'POST', SEARCH, { token, cipher: sb.shop.cipher, params: { page_size: '3', page_token: t }, body: {} });
    expect(ok.json.code).toBe(0);
  });

  test('fault injection: 429 bursts, 5xx share, slow and truncated answers', async () => {
    sb.faults.set({ rateLimitBurst: 2 });
    const codes = [];
    for (let i = 0; i < 3; i++) { const r = await call(sb, 'GET', SHOPS, { token }); codes.push([r.status, r.json.code]); }
    expect(codes).toEqual([[429, 36009002], [429, 36009002], [200, 0]]);
    sb.faults.set({ errorShare: 1, errorStatus: 503 });
    let r = await call(sb, 'GET', SHOPS, { token });
    expect([r.status, r.json.code]).toEqual([503, 36009003]);
    sb.faults.set({ errorShare: 0.5, errorStatus: 500 });
    const seen = new Set<number>();
    for (let i = 0; i < 40; i++) seen.add((await call(sb, 'GET', SHOPS, { token })).json.code);
    expect([...seen].sort()).toEqual([0, 36009003]);
    sb.faults.clear();
    sb.faults.set({ delayMs: 250 });
    const t0 = Date.now();
    r = await call(sb, 'GET', SHOPS, { token });
    expect(r.json.code).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(240);
    sb.faults.set({ delayMs: 0, truncateShare: 1 });
    await expect(call(sb, 'GET', SHOPS, { token })).rejects.toThrow();
    // Through the control API too.
    const c = await fetch(`${sb.url}/sandbox/faults`, { method: 'POST', body: JSON.stringify({ truncateShare: 0, rateLimitBurst: 1 }) });
    expect(((await c.json()) as any).data.rateLimitBurst).toBe(1);
    expect((await call(sb, 'GET', SHOPS, { token })).json.code).toBe(36009002);
  });

  test('finance: statements and statement transactions, paged and tied out', async () => {
    const sb3 = await startSandbox({ seed: 5, shop: SHOP });
    try {
      sb3.clock.advance(20 * DAY);
      const tk = (await tokens(sb3)).access_token;
      expect((await call(sb3, 'GET', '/finance/202309/statements', { token: tk, cipher: sb3.shop.cipher })).json.code).toBe(36009004);
      const statements: any[] = [];
      let pt = '';
      for (let i = 0; i < 50; i++) {
        const params: Record<string, string> = { sort_field: 'statement_time', page_size: '4', sort_order: 'ASC' };
        if (pt) params.page_token = pt;
        const r = await call(sb3, 'GET', '/finance/202309/statements', { token: tk, cipher: sb3.shop.cipher, params });
        expect(r.json.code).toBe(0);
        statements.push(...r.json.data.statements);
        pt = r.json.data.next_page_token;
        if (!pt) break;
      }
      expect(statements.length).toBe(sb3.snapshot().data.statements.length);
      expect(statements.length).toBeGreaterThan(4);
      const s = statements[statements.length - 2];
      expect(s.statement_time % DAY).toBe(0);
      expect('revenue_amount' in s).toBe(false); // US shop
      const txs: any[] = [];
      let root: any = null;
      pt = '';
      for (let i = 0; i < 100; i++) {
        const params: Record<string, string> = { sort_field: 'order_create_time', page_size: '10' };
        if (pt) params.page_token = pt;
        const r = await call(sb3, 'GET', `/finance/202501/statements/${s.id}/statement_transactions`, { token: tk, cipher: sb3.shop.cipher, params });
        expect(r.json.code).toBe(0);
        root = r.json.data;
        txs.push(...root.transactions);
        pt = root.next_page_token;
        if (!pt) break;
      }
      const cents = (x: string) => Math.round(Number(x) * 100);
      expect(txs.reduce((a, t) => a + cents(t.settlement_amount), 0)).toBe(cents(s.settlement_amount));
      expect(cents(root.total_settlement_amount)).toBe(cents(s.settlement_amount));
      expect(new Set(txs.map((t) => t.id)).size).toBe(txs.length);
      expect(txs.some((t) => t.type === 'ORDER' && t.order_id && t.fee_tax_breakdown)).toBe(true);
    } finally {
      await sb3.close();
    }
  });
});

describe('the rate limit', () => {
  test('more than 50 requests in a second on one API and shop → HTTP 429, code 36009002', async () => {
    const sb = await startSandbox({ seed: 6, shop: SHOP });
    try {
      const token = (await tokens(sb)).access_token;
      const replies = await Promise.all(Array.from({ length: 120 }, () => call(sb, 'GET', SHOPS, { token })));
      const limited = replies.filter((r) => r.status === 429);
      expect(limited.length).toBeGreaterThan(0);
      expect(limited.every((r) => r.json.code === 36009002)).toBe(true);
      expect(replies.filter((r) => r.json.code === 0).length).toBeGreaterThanOrEqual(50);
      // Another API has its own window.
      const other = await call(sb, 'POST', SEARCH, { token, cipher: sb.shop.cipher, params: { page_size: '1' }, body: {} });
      expect(other.json.code).toBe(0);
    } finally {
      await sb.close();
    }
  });
});

describe('the shop moves with the sandbox clock', () => {
  test('statuses advance; an update-time window after the first pull returns exactly the changed orders', async () => {
    const sb = await startSandbox({ seed: 7, shop: SHOP });
    try {
      const token = (await tokens(sb)).access_token;
      const t1 = sb.clock.now();
      const first = await pullAll(sb, token, {}, 100);
      const before = new Map(first.orders.map((o) => [o.id as string, o]));
      const waiting = first.orders.filter((o) => o.status === 'AWAITING_SHIPMENT').map((o) => o.id as string);
      expect(waiting.length).toBeGreaterThan(0);

      sb.clock.advance(12 * DAY);
      const tk2 = (await tokens(sb)).access_token;
      const detail = await call(sb, 'GET', '/order/202507/orders', { token: tk2, cipher: sb.shop.cipher, params: { ids: waiting.slice(0, 50).join(',') } });
      expect(detail.json.code).toBe(0);
      expect(detail.json.data.orders.length).toBe(Math.min(50, waiting.length));
      expect(detail.json.data.orders.some((o: any) => o.status === 'COMPLETED')).toBe(true);

      const delta = await pullAll(sb, tk2, { update_time_ge: t1 + 1 }, 50);
      const all = await pullAll(sb, tk2, {}, 100);
      const changed = all.orders.filter((o) => JSON.stringify(o) !== JSON.stringify(before.get(o.id))).map((o) => o.id).sort();
      expect(delta.orders.map((o) => o.id).sort()).toEqual(changed);
      expect(changed.length).toBeGreaterThan(50);
      // Nothing vanished.
      const now = new Set(all.orders.map((o) => o.id));
      expect([...before.keys()].every((id) => now.has(id))).toBe(true);
      // Later states only: an order created before t1 keeps its money.
      for (const o of all.orders) {
        const b = before.get(o.id);
        if (b) expect(o.payment).toEqual(b.payment);
      }
    } finally {
      await sb.close();
    }
  });
});
