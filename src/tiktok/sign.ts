/**
 * TikTok Shop request signing (v202309+), reference §1:
 *
 *   s = path + concat(sorted(key + value for every query param except sign, access_token,
 *       x-tts-access-token)) + (body unless multipart/form-data)
 *   sign = lowercase_hex(HMAC-SHA256(key = app_secret, msg = app_secret + s + app_secret))
 *
 * Values are the RAW (decoded) values: a page_token "ab/c+d=" is signed as such and only
 * percent-encoded when the URL is built (see `buildQueryString`). The body is the exact
 * string that will be sent; a GET has none.
 */
import type { Hmac } from './ports';

const EXCLUDED = new Set(['sign', 'access_token', 'x-tts-access-token']);

/** Code-unit order: the `<` comparison the official Go code uses (for ASCII keys = byte order). Never localeCompare. */
function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface SignInput {
  path: string;
  /** Query parameters with their raw, un-encoded values. */
  query: Readonly<Record<string, string>>;
  /** The exact body string sent, or undefined when there is none (GET). */
  body?: string;
  contentType?: string;
}

/** The string between the two secrets (exposed for tests and debugging). */
export function stringToSign(input: SignInput): string {
  const keys = Object.keys(input.query).filter((k) => !EXCLUDED.has(k)).sort(byteOrder);
  let s = input.path;
  for (const k of keys) s += k + input.query[k];
  const multipart = (input.contentType ?? '').toLowerCase().startsWith('multipart/form-data');
  if (input.body !== undefined && !multipart) s += input.body;
  return s;
}

/** Signed bytes (-128..127, as Apps Script returns them) or unsigned bytes to lowercase hex. */
export function bytesToHex(bytes: readonly number[]): string {
  let out = '';
  for (const b of bytes) {
    const u = b < 0 ? b + 256 : b;
    out += u.toString(16).padStart(2, '0');
  }
  return out;
}

export function computeSign(hmac: Hmac, appSecret: string, input: SignInput): string {
  const wrapped = appSecret + stringToSign(input) + appSecret;
  return bytesToHex(hmac.hmacSha256(wrapped, appSecret));
}

/** `k=v&k=v` with RFC 3986 percent-encoding of keys and values, in the given order. */
export function buildQueryString(query: Readonly<Record<string, string>>): string {
  return Object.keys(query)
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(query[k])}`)
    .join('&');
}
