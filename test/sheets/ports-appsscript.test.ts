import { createHmac } from 'node:crypto';
import { nodeHmac } from '../../dev/runtime/node-ports';
import {
  AppsScriptClock, AppsScriptHmac, AppsScriptLock, AppsScriptTransport, UserPropertiesStore, DocumentPropertiesStore, UuidRandom, appsScriptPorts,
  documentLock, userLock, type LockServiceLike, type PropertiesServiceLike, type UrlFetchLike, type UrlFetchParams,
  type UrlFetchResponseLike, type UtilitiesLike,
} from '../../src/sheets/ports-appsscript';
import { computeSign } from '../../src/tiktok/sign';
import { header } from '../../src/tiktok/ports';

// Compile-time only: the real Apps Script globals fit the slices the adapters take.
type Fits<A, B> = A extends B ? true : false;
const urlFetchFits: Fits<GoogleAppsScript.URL_Fetch.UrlFetchApp, UrlFetchLike> = true;
const lockFits: Fits<GoogleAppsScript.Lock.LockService, LockServiceLike> = true;
const propsFits: Fits<GoogleAppsScript.Properties.PropertiesService, PropertiesServiceLike> = true;
const utilFits: Fits<GoogleAppsScript.Utilities.Utilities, UtilitiesLike> = true;
void [urlFetchFits, lockFits, propsFits, utilFits];

/** Utilities.computeHmacSha256Signature as Apps Script does it: Java signed bytes. */
function fakeUtilities(uuids: string[] = []): UtilitiesLike & { slept: number[]; charsets: unknown[] } {
  const slept: number[] = [];
  const charsets: unknown[] = [];
  let u = 0;
  return {
    slept,
    charsets,
    sleep: (ms) => void slept.push(ms),
    getUuid: () => uuids[u++ % uuids.length],
    computeHmacSha256Signature: (value, key, charset) => {
      charsets.push(charset);
      return nodeHmac.hmacSha256(value, key);
    },
    Charset: { UTF_8: 'UTF_8' as unknown as GoogleAppsScript.Utilities.Charset },
  };
}

function response(status: number, body: string, headers: object): UrlFetchResponseLike {
  return { getResponseCode: () => status, getContentText: () => body, getAllHeaders: () => headers };
}

describe('Transport over UrlFetchApp', () => {
  test('maps the request (muteHttpExceptions, content type as an option) and the response', () => {
    const calls: [string, UrlFetchParams][] = [];
    const urlFetch: UrlFetchLike = {
      fetch: (url, params) => {
        calls.push([url, params]);
        return response(429, '{"code":1}', { 'Content-Type': 'application/json', 'Set-Cookie': ['a=1', 'b=2'] });
      },
      fetchAll: () => [],
    };
    const t = new AppsScriptTransport(urlFetch);
    const res = t.fetch({ url: 'https://x/api?a=1', method: 'post', headers: { 'x-tts-access-token': 'tok', 'Content-Type': 'text/plain' }, contentType: 'application/json', payload: '{"a":1}' });
    expect(calls).toEqual([['https://x/api?a=1', { method: 'post', headers: { 'x-tts-access-token': 'tok' }, contentType: 'application/json', payload: '{"a":1}', muteHttpExceptions: true, followRedirects: true }]]);
    expect(res).toEqual({ status: 429, body: '{"code":1}', headers: { 'Content-Type': 'application/json', 'Set-Cookie': 'a=1, b=2' } });
    expect(header(res, 'content-type')).toBe('application/json');
  });

  test('GET has no payload; followRedirects is configurable', () => {
    const t = new AppsScriptTransport({ fetch: () => response(200, '', {}), fetchAll: () => [] }, { followRedirects: false });
    expect(t.params({ url: 'u', method: 'get', headers: {} })).toEqual({ method: 'get', headers: {}, muteHttpExceptions: true, followRedirects: false });
  });

  test('fetchAll sends every request with its url, in order, and maps the responses in order', () => {
    let sent: Array<UrlFetchParams & { url: string }> = [];
    const t = new AppsScriptTransport({
      fetch: () => response(200, '', {}),
      fetchAll: (reqs) => {
        sent = reqs;
        return reqs.map((r, i) => response(200 + i, r.url, {}));
      },
    });
    const res = t.fetchAll([{ url: 'a', method: 'get', headers: {} }, { url: 'b', method: 'get', headers: {} }]);
    expect(sent.map((r) => [r.url, r.muteHttpExceptions])).toEqual([['a', true], ['b', true]]);
    expect(res.map((r) => [r.status, r.body])).toEqual([[200, 'a'], [201, 'b']]);
    expect(t.fetchAll([])).toEqual([]);
  });

  test('transport failures propagate (the port says they throw)', () => {
    const t = new AppsScriptTransport({ fetch: () => { throw new Error('Address unavailable'); }, fetchAll: () => [] });
    expect(() => t.fetch({ url: 'u', method: 'get', headers: {} })).toThrow('Address unavailable');
  });
});

describe('Hmac over Utilities.computeHmacSha256Signature', () => {
  test('signed bytes in UTF-8 give the same hex signature as the client expects', () => {
    const u = fakeUtilities();
    const hmac = new AppsScriptHmac(u);
    const bytes = hmac.hmacSha256('héllo ✓', 'secret');
    expect(bytes.some((b) => b < 0)).toBe(true);
    expect(u.charsets).toEqual(['UTF_8']);
    const input = { path: '/order/202309/orders/search', query: { app_key: 'k', timestamp: '1700000000', page_size: '10' }, body: '{"x":"ü"}' };
    const expected = createHmac('sha256', 'sec').update('sec' + '/order/202309/orders/searchapp_keykpage_size10timestamp1700000000{"x":"ü"}' + 'sec', 'utf8').digest('hex');
    expect(computeSign(hmac, 'sec', input)).toBe(expected);
  });
});

describe('Clock, Random, Lock, KeyValueStore', () => {
  test('clock: now from Date in seconds; sleep through Utilities.sleep in ≤5-minute steps', () => {
    const u = fakeUtilities();
    const c = new AppsScriptClock(u, () => 1_700_000_000_500);
    expect(c.now()).toBe(1_700_000_000.5);
    c.sleep(250);
    c.sleep(0);
    c.sleep(700_000);
    expect(u.slept).toEqual([250, 300_000, 300_000, 100_000]);
    expect(Math.abs(new AppsScriptClock(u).now() - Date.now() / 1000)).toBeLessThan(5);
  });

  test('random: 48 bits of a v4 UUID as [0, 1)', () => {
    const r = new UuidRandom(fakeUtilities(['00000000-0000-4000-8000-000000000000', 'ffffffff-ffff-4fff-bfff-ffffffffffff', '80000000-0000-4abc-8def-0123456789ab']));
    expect(r.next()).toBe(0);
    const hi = r.next();
    expect(hi).toBeLessThan(1);
    expect(hi).toBeGreaterThan(0.9999999);
    expect(r.next()).toBe(0.5);
    expect(() => new UuidRandom(fakeUtilities(['nope'])).next()).toThrow('not a UUID');
  });

  test('lock: tryLock/release map to tryLock/releaseLock; user and document locks', () => {
    const log: string[] = [];
    const fake = (name: string) => ({ tryLock: (ms: number) => (log.push(`${name}.tryLock(${ms})`), true), releaseLock: () => void log.push(`${name}.releaseLock()`) });
    const svc: LockServiceLike = { getUserLock: () => fake('user'), getDocumentLock: () => fake('doc') };
    const u = userLock(svc);
    expect(u.tryLock(1500.7)).toBe(true);
    u.release();
    const d = documentLock(svc);
    d.tryLock(-1);
    d.release();
    expect(log).toEqual(['user.tryLock(1500)', 'user.releaseLock()', 'doc.tryLock(0)', 'doc.releaseLock()']);
    expect(new AppsScriptLock({ tryLock: () => false, releaseLock: () => {} }).tryLock(10)).toBe(false);
    expect(() => documentLock({ getUserLock: () => fake('u'), getDocumentLock: () => null })).toThrow('No document lock');
  });

  test('store: user properties only, with the 9 KB limit', () => {
    const map = new Map<string, string>();
    const asked: string[] = [];
    const svc: PropertiesServiceLike = {
      getUserProperties: () => {
        asked.push('user');
        return { getProperty: (k) => map.get(k) ?? null, setProperty: (k, v) => map.set(k, v), deleteProperty: (k) => map.delete(k) };
      },
      getDocumentProperties: () => {
        asked.push('document');
        return null;
      },
    };
    const s = new UserPropertiesStore(svc);
    expect(s.get('token')).toBeNull();
    s.set('token', 'abc');
    expect(s.get('token')).toBe('abc');
    s.delete('token');
    expect(s.get('token')).toBeNull();
    expect(() => s.set('big', 'x'.repeat(9 * 1024))).toThrow('9216');
    expect(asked).toEqual(['user']);
  });

  test('document store: document properties, never the user\'s, and refused outside a document', () => {
    const user = new Map<string, string>();
    const doc = new Map<string, string>();
    const props = (m: Map<string, string>) => ({ getProperty: (k: string) => m.get(k) ?? null, setProperty: (k: string, v: string) => m.set(k, v), deleteProperty: (k: string) => m.delete(k) });
    const s = new DocumentPropertiesStore({ getUserProperties: () => props(user), getDocumentProperties: () => props(doc) });
    s.set('tts.sync.checkpoint', '{"v":1}');
    expect(doc.get('tts.sync.checkpoint')).toBe('{"v":1}');
    expect(user.size).toBe(0);
    expect(() => s.set('big', 'x'.repeat(9 * 1024))).toThrow('Document property "big" would be 9219 bytes');
    expect(() => new DocumentPropertiesStore({ getUserProperties: () => props(user), getDocumentProperties: () => null })).toThrow('must run from a spreadsheet');
  });

  test('appsScriptPorts wires every port from the services', () => {
    const u = fakeUtilities(['12345678-9abc-4def-8000-000000000000']);
    const ports = appsScriptPorts({
      UrlFetchApp: { fetch: () => response(200, 'ok', {}), fetchAll: () => [] },
      Utilities: u,
      LockService: { getUserLock: () => ({ tryLock: () => true, releaseLock: () => {} }), getDocumentLock: () => null },
      PropertiesService: {
        getUserProperties: () => ({ getProperty: () => 'v', setProperty: () => {}, deleteProperty: () => {} }),
        getDocumentProperties: () => ({ getProperty: () => 'd', setProperty: () => {}, deleteProperty: () => {} }),
      },
    });
    expect(ports.transport.fetch({ url: 'u', method: 'get', headers: {} }).body).toBe('ok');
    expect(ports.random.next()).toBeCloseTo(0x123456789abc / 2 ** 48, 12);
    expect(ports.store.get('k')).toBe('v');
    expect(ports.documentStore().get('k')).toBe('d');
    expect(ports.userLock().tryLock(1)).toBe(true);
  });
});
