import { AuthorizationDeniedError, AuthorizationStateError, getAuthorizedShops, STORE_KEYS, TikTokAuth, type TokenSet } from '../../src/tiktok/auth';
import { ReauthorizationRequiredError, MissingScopeError } from '../../src/tiktok/errors';
import { TikTokShopClient } from '../../src/tiktok/request';
import { DataError } from '../../src/core/errors';
import { FakeClock, FakeLock, FakeRandom, FakeTransport, MemoryStore, fail, nodeHmac, ok, parseUrl } from './fakes';

const NOW = 1_700_000_000;

function setup(config: Partial<ConstructorParameters<typeof TikTokAuth>[0]> = {}) {
  const transport = new FakeTransport();
  const clock = new FakeClock(NOW);
  const random = new FakeRandom([0.1, 0.7, 0.3, 0.9, 0.5]);
  const store = new MemoryStore();
  const lock = new FakeLock();
  const auth = new TikTokAuth({ appKey: 'ak', appSecret: 'shh', ...config }, { transport, clock, random, store, lock });
  return { transport, clock, random, store, lock, auth };
}

function tokenData(n: number, accessExp = NOW + 7 * 86400, refreshExp: number | undefined = NOW + 60 * 86400) {
  return {
    access_token: `at-${n}`, access_token_expire_in: accessExp, refresh_token: `rt-${n}`, refresh_token_expire_in: refreshExp,
    open_id: 'oid', seller_name: 'Acme', seller_base_region: 'US', user_type: 0, granted_scopes: ['seller.order.info'],
  };
}

function stored(store: MemoryStore, over: Partial<TokenSet> = {}) {
  const t: TokenSet = {
    accessToken: 'at-0', accessTokenExpiresAt: NOW + 3600, refreshToken: 'rt-0', refreshTokenExpiresAt: NOW + 30 * 86400,
    openId: 'oid', sellerName: 'Acme', sellerBaseRegion: 'US', userType: 0, grantedScopes: [], ...over,
  };
  store.set(STORE_KEYS.token, JSON.stringify(t));
  return t;
}

describe('authorize link and state', () => {
  test('newer link with service_id and a random stored state; legacy link with app_key', () => {
    const { auth, store } = setup({ serviceId: 'svc 1' });
    const url = new URL(auth.authorizeUrl());
    expect(url.origin + url.pathname).toBe('https://services.tiktokshop.com/open/authorize');
    expect(url.searchParams.get('service_id')).toBe('svc 1');
    const state = url.searchParams.get('state')!;
    expect(state).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.parse(store.get(STORE_KEYS.states)!)).toEqual({ [state]: NOW + 900 });

    const us = setup({ serviceId: 's', market: 'US' }).auth.authorizeUrl();
    expect(us.startsWith('https://services.tiktokshops.us/open/authorize?service_id=s&state=')).toBe(true);
    const legacy = new URL(setup().auth.authorizeUrl());
    expect(legacy.origin + legacy.pathname).toBe('https://auth.tiktok-shops.com/oauth/authorize');
    expect(legacy.searchParams.get('app_key')).toBe('ak');
  });

  test('callback: state verified, single use, then the code is exchanged (GET, unsigned, secret in query)', () => {
    const { auth, transport, store } = setup();
    const state = new URL(auth.authorizeUrl()).searchParams.get('state')!;
    transport.reply(ok(tokenData(1)));
    const t = auth.handleCallback({ code: 'CODE1', state });
    expect(t).toMatchObject({ accessToken: 'at-1', accessTokenExpiresAt: NOW + 7 * 86400, refreshToken: 'rt-1', sellerName: 'Acme', userType: 0 });
    const req = transport.requests[0];
    const { path, query } = parseUrl(req.url);
    expect(req.url.startsWith('https://auth.tiktok-shops.com/api/v2/token/get?')).toBe(true);
    expect(path).toBe('/api/v2/token/get');
    expect(req.method).toBe('get');
    expect(query).toEqual({ app_key: 'ak', app_secret: 'shh', auth_code: 'CODE1', grant_type: 'authorized_code' });
    expect(req.payload).toBeUndefined();
    expect(auth.current()?.accessToken).toBe('at-1');
    expect(store.get(STORE_KEYS.states)).toBeNull();
    // Replay of the same state is refused.
    expect(() => auth.handleCallback({ code: 'CODE1', state })).toThrow(/unknown or already used/);
  });

  test('forged, missing and expired states are refused before any network call', () => {
    const { auth, transport, clock } = setup();
    expect(() => auth.handleCallback({ code: 'c', state: 'forged' })).toThrow(AuthorizationStateError);
    expect(() => auth.handleCallback({ code: 'c' })).toThrow(/no state/);
    const state = new URL(auth.authorizeUrl()).searchParams.get('state')!;
    clock.t += 901;
    expect(() => auth.handleCallback({ code: 'c', state })).toThrow(/expired/);
    expect(transport.requests).toHaveLength(0);
  });

  test('auth_denied consumes the state and says the authorization was refused', () => {
    const { auth } = setup();
    const state = new URL(auth.authorizeUrl()).searchParams.get('state')!;
    expect(() => auth.handleCallback({ code: 'null', state, error: 'auth_denied' })).toThrow(AuthorizationDeniedError);
    expect(() => auth.handleCallback({ code: 'x', state })).toThrow(AuthorizationStateError);
  });

  test('a token error message never contains the app secret', () => {
    const { auth, transport } = setup();
    transport.reply(fail(36004005, 'can not find related auth record'));
    try {
      auth.exchangeCode('c');
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(ReauthorizationRequiredError);
      expect((e as Error).message).not.toContain('shh');
      expect((e as Error).message).toContain('GET /api/v2/token/get');
    }
  });

  test('a transport failure quoting the URL does not leak the app secret', () => {
    const { auth, transport } = setup({ retry: { maxAttempts: 1 } });
    transport.route = (req) => new Error(`Address unavailable: ${req.url}`);
    expect(() => auth.exchangeCode('c')).toThrow(/network failure: Address unavailable: https:\/\/auth.tiktok-shops.com\/api\/v2\/token\/get\?…/);
    try {
      auth.exchangeCode('c');
    } catch (e) {
      expect((e as Error).message).not.toContain('shh');
    }
  });

  test('a token response without access_token is a DataError', () => {
    const { auth, transport } = setup();
    transport.reply(ok({ refresh_token: 'r', access_token_expire_in: NOW }));
    expect(() => auth.exchangeCode('c')).toThrow(DataError);
  });

  test('a lifetime given as a duration (implausible as an absolute time) is added to now', () => {
    const { auth, transport } = setup();
    transport.reply(ok({ ...tokenData(1, 604800), refresh_token_expire_in: null }));
    const t = auth.exchangeCode('c');
    expect(t.accessTokenExpiresAt).toBe(NOW + 604800);
    expect(t.refreshTokenExpiresAt).toBeNull();
  });
});

describe('token refresh', () => {
  test('a token with more than the margin left is used as is', () => {
    const { auth, store, transport } = setup();
    stored(store, { accessTokenExpiresAt: NOW + 301 });
    expect(auth.accessToken()).toBe('at-0');
    expect(transport.requests).toHaveLength(0);
  });

  test('within 5 minutes of expiry it is refreshed under the lock, and stored', () => {
    const { auth, store, transport, lock } = setup();
    stored(store, { accessTokenExpiresAt: NOW + 299 });
    transport.reply(ok(tokenData(2)));
    expect(auth.accessToken()).toBe('at-2');
    const { path, query } = parseUrl(transport.requests[0].url);
    expect(path).toBe('/api/v2/token/refresh');
    expect(query).toEqual({ app_key: 'ak', app_secret: 'shh', refresh_token: 'rt-0', grant_type: 'refresh_token' });
    expect(lock.acquisitions).toBe(1);
    expect(lock.held).toBe(false);
    expect(auth.current()).toMatchObject({ accessToken: 'at-2', refreshToken: 'rt-2' });
  });

  test('after acquiring the lock the store is re-read: another execution already refreshed, no second call', () => {
    const { auth, store, transport, lock } = setup();
    stored(store, { accessTokenExpiresAt: NOW + 10 });
    lock.onAcquire = () => stored(store, { accessToken: 'at-other', accessTokenExpiresAt: NOW + 86400 });
    expect(auth.accessToken()).toBe('at-other');
    expect(transport.requests).toHaveLength(0);
  });

  test('lock busy: uses a token another run stored, else says to retry; old token used while still valid', () => {
    const { auth, store, lock } = setup();
    lock.busy = true;
    stored(store, { accessTokenExpiresAt: NOW + 200 });
    // still valid for 200 s: the failed refresh does not stop the call
    expect(auth.accessToken()).toBe('at-0');
    stored(store, { accessTokenExpiresAt: NOW + 30 });
    expect(() => auth.accessToken()).toThrow(/Another run is refreshing/);
  });

  test('105002 through the client: refresh once, retry, the new token is sent', () => {
    const { auth, store, transport, clock, random } = setup();
    stored(store);
    const client = new TikTokShopClient({ appKey: 'ak', appSecret: 'shh', shopCipher: 'C' }, { transport, clock, random, hmac: nodeHmac, tokens: auth });
    transport.reply(fail(105002, 'Access token is expired', 401), ok(tokenData(3)), ok({ fine: 1 }));
    expect(client.call({ method: 'GET', path: '/order/202507/orders', query: { ids: '1' } })).toEqual({ fine: 1 });
    expect(transport.requests.map((r) => parseUrl(r.url).path)).toEqual(['/order/202507/orders', '/api/v2/token/refresh', '/order/202507/orders']);
    expect(transport.requests[2].headers['x-tts-access-token']).toBe('at-3');
  });

  test('36004001 (refresh token expired) means re-authorization', () => {
    const { auth, store, transport } = setup();
    stored(store, { accessTokenExpiresAt: NOW - 1 });
    transport.reply(fail(36004001, 'rt has expired'));
    try {
      auth.accessToken();
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(ReauthorizationRequiredError);
      expect((e as Error).message).toMatch(/rt has expired.*authorize the add-on again/);
    }
  });

  test('an expired refresh token or no token at all means re-authorization, without a call', () => {
    const { auth, store, transport } = setup();
    expect(() => auth.accessToken()).toThrow(/no TikTok Shop is connected/);
    stored(store, { accessTokenExpiresAt: NOW - 1, refreshTokenExpiresAt: NOW - 1 });
    expect(() => auth.accessToken()).toThrow(/refresh token has expired/);
    expect(transport.requests).toHaveLength(0);
  });

  test('a transient refresh failure is retried like any call', () => {
    const { auth, store, transport } = setup();
    stored(store, { accessTokenExpiresAt: NOW - 1 });
    transport.reply({ status: 503, headers: {}, body: 'busy' }, ok(tokenData(4)));
    expect(auth.accessToken()).toBe('at-4');
  });
});

describe('Get Authorized Shops', () => {
  function client(transport: FakeTransport) {
    return new TikTokShopClient({ appKey: 'ak', appSecret: 'shh', shopCipher: 'SHOULD_NOT_BE_SENT' }, {
      transport, clock: new FakeClock(NOW), random: new FakeRandom(), hmac: nodeHmac, tokens: { accessToken: () => 't', refreshExpired: () => 't' },
    });
  }

  test('maps shops and sends no shop_cipher', () => {
    const transport = new FakeTransport();
    transport.reply(ok({ shops: [{ id: '7001', name: 'Acme US', region: 'US', seller_type: 'LOCAL', cipher: 'ROW_xyz', code: 'USLC1', extra: 1 }] }));
    expect(getAuthorizedShops(client(transport))).toEqual([{ id: '7001', name: 'Acme US', region: 'US', sellerType: 'LOCAL', cipher: 'ROW_xyz', code: 'USLC1' }]);
    const { path, query } = parseUrl(transport.requests[0].url);
    expect(path).toBe('/authorization/202309/shops');
    expect(query.shop_cipher).toBeUndefined();
  });

  test('a shop without cipher is a DataError naming the shop and the field', () => {
    const transport = new FakeTransport();
    transport.reply(ok({ shops: [{ id: '7001', name: 'Acme' }] }));
    expect(() => getAuthorizedShops(client(transport))).toThrow(/shop \(GET \/authorization\/202309\/shops\) 7001: field "cipher"/);
  });

  test('missing scope names seller.authorization.info', () => {
    const transport = new FakeTransport();
    transport.reply(fail(105005, 'you should apply auth pkg for this api'));
    expect(() => getAuthorizedShops(client(transport))).toThrow(MissingScopeError);
  });
});
