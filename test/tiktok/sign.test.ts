import { bytesToHex, buildQueryString, computeSign, stringToSign } from '../../src/tiktok/sign';
import { hexHmac, nodeHmac } from './fakes';

describe('sign', () => {
  test('official vector V1 (GET /authorization/202309/shops)', () => {
    const input = { path: '/authorization/202309/shops', query: { app_key: '29a39d', timestamp: '1623812664' } };
    expect(stringToSign(input)).toBe('/authorization/202309/shopsapp_key29a39dtimestamp1623812664');
    expect(computeSign(nodeHmac, 'e59af819cc', input)).toBe('b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8');
  });

  test('signed bytes from Apps Script become lowercase hex', () => {
    expect(bytesToHex([0, 15, 16, 127, -128, -1, -86])).toBe('000f107f80ffaa');
    const bytes = nodeHmac.hmacSha256('x', 'k');
    expect(bytes.some((b) => b < 0)).toBe(true);
    expect(bytesToHex(bytes)).toBe(hexHmac('x', 'k'));
  });

  test('POST: the exact body string is appended after the sorted params', () => {
    const body = JSON.stringify({ update_time_ge: 1700000000, update_time_lt: 1700086400 });
    const input = {
      path: '/order/202309/orders/search',
      query: { timestamp: '1700000000', page_size: '100', app_key: 'ak', shop_cipher: 'ROW_abc', sort_field: 'update_time' },
      body,
      contentType: 'application/json',
    };
    const expected = '/order/202309/orders/searchapp_keyakpage_size100shop_cipherROW_abcsort_fieldupdate_timetimestamp1700000000' + body;
    expect(stringToSign(input)).toBe(expected);
    expect(computeSign(nodeHmac, 'secret', input)).toBe(hexHmac('secret' + expected + 'secret', 'secret'));
  });

  test('sign, access_token and x-tts-access-token are excluded', () => {
    const withExtra = { path: '/p', query: { app_key: 'a', timestamp: '1', sign: 'old', access_token: 'tok', 'x-tts-access-token': 'tok' } };
    expect(stringToSign(withExtra)).toBe('/papp_keyatimestamp1');
    expect(computeSign(nodeHmac, 's', withExtra)).toBe(hexHmac('s/papp_keyatimestamp1s', 's'));
  });

  test('keys sort by code unit (byte order), not localeCompare', () => {
    // localeCompare would put "a_b" before "aB" and "Z" after "a"; byte order: "Z" (0x5a) < "aB" < "a_b" (0x42 < 0x5f).
    const input = { path: '/p', query: { a_b: '1', aB: '2', Z: '3' } };
    expect(stringToSign(input)).toBe('/pZ3aB2a_b1');
  });

  test('a page_token with "/" and "+" is signed decoded and sent percent-encoded', () => {
    const token = 'aGVsbG8/+d29ybGQ=/x+y';
    const query = { app_key: 'ak', page_token: token, timestamp: '1700000000' };
    const expected = '/finance/202309/statementsapp_keyakpage_token' + token + 'timestamp1700000000';
    expect(stringToSign({ path: '/finance/202309/statements', query })).toBe(expected);
    expect(computeSign(nodeHmac, 'sec', { path: '/finance/202309/statements', query })).toBe(hexHmac('sec' + expected + 'sec', 'sec'));
    const qs = buildQueryString(query);
    expect(qs).toContain('page_token=aGVsbG8%2F%2Bd29ybGQ%3D%2Fx%2By');
    expect(new URLSearchParams(qs).get('page_token')).toBe(token);
  });

  test('GET: no body is appended; an empty-object body would change the signature', () => {
    const input = { path: '/order/202507/orders', query: { app_key: 'ak', ids: 'a,b', timestamp: '5' } };
    expect(stringToSign(input)).toBe('/order/202507/ordersapp_keyakidsa,btimestamp5');
    expect(computeSign(nodeHmac, 's', input)).toBe(hexHmac('s/order/202507/ordersapp_keyakidsa,btimestamp5s', 's'));
    expect(computeSign(nodeHmac, 's', { ...input, body: '{}' })).not.toBe(computeSign(nodeHmac, 's', input));
  });

  test('multipart bodies are not signed', () => {
    const input = { path: '/p', query: { a: '1' }, body: '--boundary...', contentType: 'multipart/form-data; boundary=x' };
    expect(stringToSign(input)).toBe('/pa1');
  });

  test('hex is lowercase and 64 characters', () => {
    const s = computeSign(nodeHmac, 'k', { path: '/x', query: {} });
    expect(s).toMatch(/^[0-9a-f]{64}$/);
  });
});
