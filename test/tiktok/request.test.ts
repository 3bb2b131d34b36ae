import { TikTokShopClient, backoffMs, DEFAULT_RETRY, type TokenProvider } from '../../src/tiktok/request';
import {
  ClockSkewError, InvalidSignatureError, MissingScopeError, RetryExhaustedError, TikTokApiError,
} from '../../src/tiktok/errors';
import { FakeClock, FakeRandom, FakeTransport, fail, hexHmac, nodeHmac, ok, parseUrl } from './fakes';

const SECRET = 'app-secret';

function setup(opts: { retry?: Partial<typeof DEFAULT_RETRY>; tokens?: TokenProvider; cipher?: string | null } = {}) {
  const transport = new FakeTransport();
  const clock = new FakeClock(1_700_000_000);
  const random = new FakeRandom([0.5]);
  const tokens: TokenProvider = opts.tokens ?? { accessToken: () => 'tok-1', refreshExpired: () => 'tok-2' };
  const client = new TikTokShopClient(
    { appKey: 'key123', appSecret: SECRET, shopCipher: opts.cipher === undefined ? 'ROW_cipher' : opts.cipher, retry: opts.retry },
    { transport, clock, random, hmac: nodeHmac, tokens },
  );
  return { transport, clock, random, client };
}

/** Recomputes the signature of a sent request independently from its URL and payload. */
function verifySignature(req: { url: string; payload?: string }): boolean {
  const { path, query } = parseUrl(req.url);
  const keys = Object.keys(query).filter((k) => k !== 'sign' && k !== 'access_token').sort();
  const s = path + keys.map((k) => k + query[k]).join('') + (req.payload ?? '');
  return hexHmac(SECRET + s + SECRET, SECRET) === query.sign;
}

describe('request building', () => {
  test('GET on a shop path: app_key, timestamp, shop_cipher, token header, no body, valid sign', () => {
    const { transport, client } = setup();
    transport.reply(ok({ orders: [] }));
    const data = client.call({ method: 'GET', path: '/order/202507/orders', query: { ids: 'a,b' } });
    expect(data).toEqual({ orders: [] });
    const req = transport.requests[0];
    const { path, query } = parseUrl(req.url);
    expect(req.url.startsWith('https://open-api.tiktokglobalshop.com/order/202507/orders?')).toBe(true);
    expect(path).toBe('/order/202507/orders');
    expect(query).toMatchObject({ app_key: 'key123', timestamp: '1700000000', shop_cipher: 'ROW_cipher', ids: 'a,b' });
    expect(req.method).toBe('get');
    expect(req.payload).toBeUndefined();
    expect(req.headers['x-tts-access-token']).toBe('tok-1');
    expect(req.headers['content-type']).toBe('application/json');
    expect(query.access_token).toBeUndefined();
    expect(verifySignature(req)).toBe(true);
  });

  test('POST: the body string is sent exactly as signed', () => {
    const { transport, client } = setup();
    transport.reply(ok({}));
    client.call({ method: 'POST', path: '/order/202309/orders/search', query: { page_size: 100, page_token: 'a/b+c=' }, body: { update_time_ge: 1, update_time_lt: 2 } });
    const req = transport.requests[0];
    expect(req.method).toBe('post');
    expect(req.payload).toBe('{"update_time_ge":1,"update_time_lt":2}');
    expect(req.contentType).toBe('application/json');
    expect(req.url).toContain('page_token=a%2Fb%2Bc%3D');
    expect(verifySignature(req)).toBe(true);
  });

  test.each(['/authorization/202309/shops', '/seller/202309/shops'])('never sends shop_cipher to %s', (path) => {
    const { transport, client } = setup();
    transport.reply(ok({}));
    client.call({ method: 'GET', path });
    expect(parseUrl(transport.requests[0].url).query.shop_cipher).toBeUndefined();
    expect(verifySignature(transport.requests[0])).toBe(true);
  });

  test('refuses a GET body, a missing shop cipher, and overriding client params', () => {
    const { client } = setup({ cipher: null });
    expect(() => client.buildRequest({ method: 'GET', path: '/authorization/202309/shops', body: {} }, 't', 1)).toThrow(/GET request has no body/);
    expect(() => client.buildRequest({ method: 'GET', path: '/order/202507/orders' }, 't', 1)).toThrow(/shop_cipher is required/);
    expect(() => client.buildRequest({ method: 'GET', path: '/authorization/202309/shops', query: { timestamp: 5 } }, 't', 1)).toThrow(/set by the client/);
  });
});

describe('responses and errors', () => {
  test('success is code 0 whatever the HTTP status', () => {
    const { transport, client } = setup();
    transport.reply({ ...ok({ x: 1 }), status: 500 });
    expect(client.call({ method: 'GET', path: '/authorization/202309/shops' })).toEqual({ x: 1 });
    expect(transport.requests).toHaveLength(1);
  });

  test('106001 (HTTP 401) is an InvalidSignatureError naming the app secret, not retried', () => {
    const { transport, client } = setup();
    transport.reply(fail(106001, 'Invalid sign', 401));
    let err: unknown;
    try {
      client.call({ method: 'GET', path: '/authorization/202309/shops' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidSignatureError);
    const e = err as InvalidSignatureError;
    expect(e.code).toBe(106001);
    expect(e.requestId).toBe('req-106001');
    expect(e.endpoint).toBe('GET /authorization/202309/shops');
    expect(e.message).toMatch(/app secret/);
    expect(transport.requests).toHaveLength(1);
  });

  test('105005 names the scope to grant and is not retried', () => {
    const { transport, client } = setup();
    transport.reply(fail(105005, 'you should apply auth pkg for this api', 200));
    expect(() => client.call({ method: 'GET', path: '/finance/202309/statements' })).toThrow(MissingScopeError);
    transport.reply(fail(105005, 'you should apply auth pkg for this api', 500));
    try {
      client.call({ method: 'POST', path: '/order/202309/orders/search', body: {} });
    } catch (e) {
      expect((e as MissingScopeError).scope).toBe('seller.order.info');
      expect((e as Error).message).toMatch(/"seller.order.info" scope/);
    }
    expect(transport.requests).toHaveLength(2);
  });

  test('36009004 about the timestamp is a clock-skew error measured against the Date header', () => {
    const { transport, client, clock } = setup();
    const serverDate = new Date((clock.now() - 600) * 1000).toUTCString(); // we are 10 min ahead
    transport.reply(fail(36009004, 'Invalid timestamp', 200, { Date: serverDate }));
    try {
      client.call({ method: 'GET', path: '/authorization/202309/shops' });
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(ClockSkewError);
      expect((e as ClockSkewError).skewSeconds).toBe(600);
      expect((e as Error).message).toMatch(/600 s ahead of TikTok's/);
    }
  });

  test('36009004 with a generic message but a far-off Date header is still clock skew; without either it is not', () => {
    const { transport, client, clock } = setup();
    transport.reply(fail(36009004, 'invalid param', 200, { date: new Date((clock.now() + 400) * 1000).toUTCString() }));
    expect(() => client.call({ method: 'GET', path: '/authorization/202309/shops' })).toThrow(/behind TikTok's/);
    transport.reply(fail(36009004, 'Unexpected identifier', 200, { date: new Date(clock.now() * 1000).toUTCString() }));
    try {
      client.call({ method: 'GET', path: '/authorization/202309/shops' });
    } catch (e) {
      expect(e).not.toBeInstanceOf(ClockSkewError);
      expect(e).toBeInstanceOf(TikTokApiError);
      expect((e as Error).message).toMatch(/unexpected shop_cipher/);
    }
    transport.reply(fail(36009004, 'timestamp expired'));
    expect(() => client.call({ method: 'GET', path: '/authorization/202309/shops' })).toThrow(/outside the window TikTok accepts/);
  });

  test('other codes are thrown with code, message, request id and endpoint; not retried', () => {
    const { transport, client } = setup();
    transport.reply(fail(12345, 'something odd', 400));
    try {
      client.call({ method: 'GET', path: '/order/202507/orders' });
    } catch (e) {
      expect(e).toMatchObject({ code: 12345, apiMessage: 'something odd', requestId: 'req-12345', endpoint: 'GET /order/202507/orders', httpStatus: 400 });
    }
    expect(transport.requests).toHaveLength(1);
  });

  test('a non-JSON 4xx is fatal, a non-JSON 502 is retried', () => {
    const { transport, client } = setup();
    transport.reply({ status: 404, headers: {}, body: '<html>Not found</html>' });
    expect(() => client.call({ method: 'GET', path: '/order/202507/orders' })).toThrow(/HTTP 404 without a TikTok response/);
    transport.reply({ status: 502, headers: {}, body: 'Bad gateway' }, ok({ fine: true }));
    expect(client.call({ method: 'GET', path: '/order/202507/orders' })).toEqual({ fine: true });
  });
});

describe('retry', () => {
  test('429, 36009003 and a transport failure are retried with exponential backoff and a fresh signature', () => {
    const { transport, client, clock } = setup();
    transport.reply(fail(36009002, 'Too many requests', 429), fail(36009003, 'Internal error', 500), new Error('Address unavailable'), ok({ done: 1 }));
    expect(client.call({ method: 'GET', path: '/order/202507/orders' })).toEqual({ done: 1 });
    expect(transport.requests).toHaveLength(4);
    // random 0.5 → 75% of base·2^(n−1): 375, 750, 1500
    expect(clock.sleeps).toEqual([375, 750, 1500]);
    const stamps = transport.requests.map((r) => parseUrl(r.url).query.timestamp);
    expect(new Set(stamps).size).toBeGreaterThan(1);
    for (const r of transport.requests) expect(verifySignature(r)).toBe(true);
  });

  test('HTTP 5xx with a non-zero unknown code is retried', () => {
    const { transport, client } = setup();
    transport.reply(fail(99999, 'upstream', 503), ok({}));
    client.call({ method: 'GET', path: '/order/202507/orders' });
    expect(transport.requests).toHaveLength(2);
  });

  test('bounded in attempts', () => {
    const { transport, client } = setup({ retry: { maxAttempts: 3 } });
    transport.route = () => fail(36009002, 'Too many requests', 429);
    let err: unknown;
    try {
      client.call({ method: 'GET', path: '/order/202507/orders' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RetryExhaustedError);
    expect((err as RetryExhaustedError).attempts).toBe(3);
    expect((err as Error).message).toMatch(/gave up after 3 attempts/);
    expect(transport.requests).toHaveLength(3);
  });

  test('bounded in total time', () => {
    const { transport, client, clock } = setup({ retry: { maxAttempts: 100, maxTotalMs: 5_000, baseDelayMs: 1000, maxDelayMs: 60_000 } });
    transport.route = () => new Error('timeout');
    expect(() => client.call({ method: 'GET', path: '/order/202507/orders' })).toThrow(/time budget of 5 s/);
    const total = clock.sleeps.reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(5_000);
    expect(transport.requests.length).toBeLessThan(10);
  });

  test('Retry-After is honoured when longer than the backoff', () => {
    const { transport, client, clock } = setup();
    transport.reply(fail(36009002, 'Too many requests', 429, { 'Retry-After': '3' }), ok({}));
    client.call({ method: 'GET', path: '/order/202507/orders' });
    expect(clock.sleeps).toEqual([3000]);
  });

  test('jitter stays within half to all of the exponential delay', () => {
    const p = { ...DEFAULT_RETRY, baseDelayMs: 1000, maxDelayMs: 8000 };
    expect(backoffMs(p, 1, new FakeRandom([0]))).toBe(500);
    expect(backoffMs(p, 3, new FakeRandom([0.999999]))).toBe(4000);
    expect(backoffMs(p, 10, new FakeRandom([0]))).toBe(4000);
  });

  test('105002 refreshes once and re-sends with the new token; a second 105002 is thrown', () => {
    const refreshed: string[] = [];
    const tokens: TokenProvider = { accessToken: () => 'old', refreshExpired: (t) => (refreshed.push(t), 'new') };
    const { transport, client } = setup({ tokens });
    transport.reply(fail(105002, 'access token expired', 401), ok({ v: 1 }));
    expect(client.call({ method: 'GET', path: '/order/202507/orders' })).toEqual({ v: 1 });
    expect(refreshed).toEqual(['old']);
    expect(transport.requests.map((r) => r.headers['x-tts-access-token'])).toEqual(['old', 'new']);
    expect(verifySignature(transport.requests[1])).toBe(true);

    transport.reply(fail(105002, 'expired'), fail(105002, 'expired'));
    expect(() => client.call({ method: 'GET', path: '/order/202507/orders' })).toThrow(/access token expired/);
    expect(refreshed).toHaveLength(2);
  });

  test('106001 and 105005 are never retried even on 5xx', () => {
    const { transport, client } = setup();
    transport.reply(fail(106001, 'Invalid sign', 503));
    expect(() => client.call({ method: 'GET', path: '/order/202507/orders' })).toThrow(InvalidSignatureError);
    transport.reply(fail(105005, 'scope', 503));
    expect(() => client.call({ method: 'GET', path: '/order/202507/orders' })).toThrow(MissingScopeError);
    expect(transport.requests).toHaveLength(2);
  });
});

describe('callAll (fetchAll)', () => {
  test('results in call order; only the failed requests are re-sent', () => {
    const { transport, client } = setup();
    transport.route = (req) => {
      const id = parseUrl(req.url).query.ids;
      const n = transport.requests.filter((r) => parseUrl(r.url).query.ids === id).length;
      return id === 'b' && n === 1 ? fail(36009002, 'Too many requests', 429) : ok({ id });
    };
    const out = client.callAll(['a', 'b', 'c'].map((ids) => ({ method: 'GET' as const, path: '/order/202507/orders', query: { ids } })));
    expect(out).toEqual([{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
    expect(transport.batches).toEqual([3, 1]);
  });

  test('a transport failure in fetchAll re-sends the whole batch', () => {
    const { transport, client } = setup();
    transport.reply(ok({ n: 0 }), new Error('reset'), ok({ n: 1 }), ok({ n: 2 }));
    const out = client.callAll([0, 1].map((i) => ({ method: 'GET' as const, path: '/order/202507/orders', query: { ids: String(i) } })));
    expect(out).toEqual([{ n: 1 }, { n: 2 }]);
    expect(transport.batches).toEqual([2, 2]);
  });

  test('a fatal error in a batch is thrown', () => {
    const { transport, client } = setup();
    transport.reply(ok({}), fail(105005, 'scope'));
    expect(() => client.callAll([{ method: 'GET', path: '/order/202507/orders' }, { method: 'GET', path: '/order/202507/orders' }])).toThrow(MissingScopeError);
  });
});
