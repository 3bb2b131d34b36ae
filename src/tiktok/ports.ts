/**
 * The only ways the TikTok client touches the outside world. In Apps Script each port is a
 * thin adapter over a service (UrlFetchApp, Utilities, LockService, PropertiesService); in
 * tests and in the local demo they are fakes. Everything here is synchronous, as Apps Script is.
 */

export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

/** One request, shaped like UrlFetchApp's `URLFetchRequest` (muteHttpExceptions is implied). */
export interface HttpRequest {
  url: string;
  method: HttpMethod;
  headers: Record<string, string>;
  /** Content type of the payload; absent when there is no payload. */
  contentType?: string;
  /** The exact body bytes (as text) to send; absent on GET. */
  payload?: string;
}

/** A response with any status code (muteHttpExceptions: 4xx/5xx do not throw). */
export interface HttpResponse {
  status: number;
  /** Header names as the server sent them; look them up with `header()`. */
  headers: Record<string, string>;
  body: string;
}

/**
 * UrlFetchApp semantics: a response for every HTTP status; only transport failures (DNS,
 * timeout, connection reset) throw. `fetchAll` runs the requests concurrently and returns the
 * responses in request order; a transport failure of any request makes the whole call throw.
 */
export interface Transport {
  fetch(request: HttpRequest): HttpResponse;
  fetchAll(requests: HttpRequest[]): HttpResponse[];
}

export interface Clock {
  /** Current time, Unix seconds (may be fractional; callers floor it). */
  now(): number;
  /** Blocks for `ms` milliseconds (Utilities.sleep). */
  sleep(ms: number): void;
}

/** Uniform random numbers in [0, 1) (Math.random in Apps Script). */
export interface RandomSource {
  next(): number;
}

/** LockService.getUserLock(): tryLock(ms) / releaseLock(), held across executions of this user. */
export interface Lock {
  tryLock(timeoutMs: number): boolean;
  release(): void;
}

/** PropertiesService.getUserProperties(): small string values (≤ 9 KB each). */
export interface KeyValueStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
  delete(key: string): void;
}

/**
 * Utilities.computeHmacSha256Signature(value, key): HMAC-SHA256 of the UTF-8 bytes of `value`
 * keyed by the UTF-8 bytes of `key`, returned as SIGNED bytes (-128..127), as Java does.
 */
export interface Hmac {
  hmacSha256(value: string, key: string): number[];
}

/** Case-insensitive header lookup (HTTP header names are case-insensitive). */
export function header(response: HttpResponse, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const k of Object.keys(response.headers)) {
    if (k.toLowerCase() === lower) return response.headers[k];
  }
  return undefined;
}
