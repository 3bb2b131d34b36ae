/**
 * Apps Script implementations of the TikTok client's ports (src/tiktok/ports.ts).
 *
 * Every adapter receives the Apps Script service it wraps as a constructor argument: the bundle
 * passes the globals (`new AppsScriptTransport(UrlFetchApp)`), tests pass fakes. Nothing here
 * reads a global, so src/core and src/tiktok never see Apps Script at all.
 *
 * The service parameter types are the minimal structural slices we call, so a fake is a few
 * lines; test/sheets/ports-appsscript.test.ts checks at compile time that the real globals'
 * types are assignable to them.
 */
import type { Clock, Hmac, HttpRequest, HttpResponse, KeyValueStore, Lock, RandomSource, Transport } from '../tiktok/ports';

// ---------------------------------------------------------------- service slices

/** The options of UrlFetchApp.fetch that we set (a subset of URLFetchRequestOptions). */
export interface UrlFetchParams {
  method: 'get' | 'post' | 'put' | 'delete';
  headers: Record<string, string>;
  contentType?: string;
  payload?: string;
  muteHttpExceptions: true;
  followRedirects: boolean;
  validateHttpsCertificates?: boolean;
}

export interface UrlFetchResponseLike {
  getResponseCode(): number;
  /** Header name → value, or → array of values for a repeated header (Set-Cookie). */
  getAllHeaders(): object;
  getContentText(): string;
}

export interface UrlFetchLike {
  fetch(url: string, params: UrlFetchParams): UrlFetchResponseLike;
  fetchAll(requests: Array<UrlFetchParams & { url: string }>): UrlFetchResponseLike[];
}

export interface UtilitiesLike {
  sleep(milliseconds: number): void;
  getUuid(): string;
  computeHmacSha256Signature(value: string, key: string, charset: GoogleAppsScript.Utilities.Charset): number[];
  Charset: { UTF_8: GoogleAppsScript.Utilities.Charset };
}

export interface AppsScriptLockLike {
  tryLock(timeoutInMillis: number): boolean;
  releaseLock(): void;
}

export interface LockServiceLike {
  getUserLock(): AppsScriptLockLike;
  /** Null when the script is not bound to (or run from) a document. */
  getDocumentLock(): AppsScriptLockLike | null;
}

export interface PropertiesLike {
  getProperty(key: string): string | null;
  setProperty(key: string, value: string): unknown;
  deleteProperty(key: string): unknown;
}

/** Only `getUserProperties` is taken, so no caller can hand the store document/script properties. */
export interface PropertiesServiceLike {
  getUserProperties(): PropertiesLike;
  /** null outside a document (a standalone script). */
  getDocumentProperties(): PropertiesLike | null;
}

// ---------------------------------------------------------------- Transport

export interface TransportOptions {
  /**
   * Follow 3xx responses (UrlFetchApp's default). TikTok's API endpoints answer directly; the
   * option exists for an OAuth or download URL that redirects. Default true.
   */
  followRedirects?: boolean;
}

/**
 * Transport over UrlFetchApp.fetch / fetchAll with muteHttpExceptions: every HTTP status comes
 * back as a response; only transport failures (DNS, timeout) throw, as the port requires.
 */
export class AppsScriptTransport implements Transport {
  private readonly followRedirects: boolean;

  constructor(private readonly urlFetch: UrlFetchLike, options: TransportOptions = {}) {
    this.followRedirects = options.followRedirects ?? true;
  }

  fetch(request: HttpRequest): HttpResponse {
    return toHttpResponse(this.urlFetch.fetch(request.url, this.params(request)));
  }

  fetchAll(requests: HttpRequest[]): HttpResponse[] {
    if (requests.length === 0) return [];
    const responses = this.urlFetch.fetchAll(requests.map((r) => ({ url: r.url, ...this.params(r) })));
    if (responses.length !== requests.length) {
      throw new Error(`UrlFetchApp.fetchAll returned ${responses.length} responses for ${requests.length} requests`);
    }
    return responses.map(toHttpResponse);
  }

  /** The port's request as UrlFetchApp options. */
  params(request: HttpRequest): UrlFetchParams {
    // UrlFetchApp refuses a Content-Type header (it must be the contentType option).
    const headers: Record<string, string> = {};
    let contentType = request.contentType;
    for (const [k, v] of Object.entries(request.headers)) {
      if (k.toLowerCase() === 'content-type') contentType = contentType ?? v;
      else headers[k] = v;
    }
    const params: UrlFetchParams = {
      method: request.method,
      headers,
      muteHttpExceptions: true,
      followRedirects: this.followRedirects,
    };
    if (request.payload !== undefined) params.payload = request.payload;
    // TikTok wants "content-type: application/json" on GETs too (36009004 otherwise): the option
    // carries it with or without a payload.
    if (contentType !== undefined) params.contentType = contentType;
    return params;
  }
}

/** HTTPResponse → the port's response. A repeated header (array) is joined with ", " (RFC 9110). */
export function toHttpResponse(r: UrlFetchResponseLike): HttpResponse {
  const headers: Record<string, string> = {};
  const all = (r.getAllHeaders() ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(all)) {
    headers[k] = Array.isArray(v) ? v.map(String).join(', ') : String(v);
  }
  return { status: r.getResponseCode(), headers, body: r.getContentText() };
}

// ---------------------------------------------------------------- Clock

/** Utilities.sleep accepts at most 5 minutes per call. */
const MAX_SLEEP_MS = 300_000;

export class AppsScriptClock implements Clock {
  constructor(private readonly utilities: Pick<UtilitiesLike, 'sleep'>, private readonly nowMs: () => number = () => Date.now()) {}

  now(): number {
    return this.nowMs() / 1000;
  }

  sleep(ms: number): void {
    let left = Math.ceil(ms);
    while (left > 0) {
      const step = Math.min(left, MAX_SLEEP_MS);
      this.utilities.sleep(step);
      left -= step;
    }
  }
}

// ---------------------------------------------------------------- Random

/**
 * Uniform [0, 1) from Utilities.getUuid(): a version-4 UUID, whose first 12 hex digits are 48
 * random bits from Java's SecureRandom. Math.random is not cryptographically strong, and the
 * client uses this source for the OAuth `state`, which an attacker must not guess.
 */
export class UuidRandom implements RandomSource {
  constructor(private readonly utilities: Pick<UtilitiesLike, 'getUuid'>) {}

  next(): number {
    const uuid = this.utilities.getUuid();
    const hex = uuid.replace(/-/g, '').slice(0, 12);
    if (!/^[0-9a-fA-F]{12}$/.test(hex)) throw new Error(`Utilities.getUuid returned "${uuid}", not a UUID`);
    return parseInt(hex, 16) / 2 ** 48;
  }
}

// ---------------------------------------------------------------- Lock

/** The port's tryLock/release over an Apps Script Lock's tryLock/releaseLock. */
export class AppsScriptLock implements Lock {
  constructor(private readonly lock: AppsScriptLockLike) {}

  tryLock(timeoutMs: number): boolean {
    return this.lock.tryLock(Math.max(0, Math.floor(timeoutMs)));
  }

  release(): void {
    this.lock.releaseLock();
  }
}

/** LockService.getUserLock(): one user's executions (token refresh). */
export function userLock(lockService: LockServiceLike): Lock {
  return new AppsScriptLock(lockService.getUserLock());
}

/** LockService.getDocumentLock(): every user of this document (one sync at a time). */
export function documentLock(lockService: LockServiceLike): Lock {
  const lock = lockService.getDocumentLock();
  if (!lock) throw new Error('No document lock: the add-on must run from a spreadsheet to sync it');
  return new AppsScriptLock(lock);
}

// ---------------------------------------------------------------- KeyValueStore

/** PropertiesService: 9 KB per value (key + value, UTF-8). */
const PROPERTY_VALUE_LIMIT = 9 * 1024;

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** A KeyValueStore over one Properties object, with Apps Script's 9 KB limit checked up front. */
class PropertiesStore implements KeyValueStore {
  constructor(private readonly props: PropertiesLike, private readonly label: string) {}

  get(key: string): string | null {
    const v = this.props.getProperty(key);
    return v === undefined ? null : v;
  }

  set(key: string, value: string): void {
    const size = utf8Length(key) + utf8Length(value);
    if (size > PROPERTY_VALUE_LIMIT) {
      throw new Error(`${this.label} property "${key}" would be ${size} bytes; Apps Script allows ${PROPERTY_VALUE_LIMIT} per property`);
    }
    this.props.setProperty(key, value);
  }

  delete(key: string): void {
    this.props.deleteProperty(key);
  }
}

/**
 * The user's own properties: the ONLY place tokens and the app secret live. Document
 * properties and cells are readable by every editor, so this class cannot be built over them.
 */
export class UserPropertiesStore extends PropertiesStore {
  constructor(propertiesService: PropertiesServiceLike) {
    super(propertiesService.getUserProperties(), 'User');
  }
}

/**
 * The document's properties, shared by every editor of the spreadsheet: sync cursor and which
 * shop the workbook holds. Never a token or a secret (see UserPropertiesStore).
 */
export class DocumentPropertiesStore extends PropertiesStore {
  constructor(propertiesService: PropertiesServiceLike) {
    const props = propertiesService.getDocumentProperties();
    if (!props) throw new Error('No document properties: the add-on must run from a spreadsheet');
    super(props, 'Document');
  }
}

// ---------------------------------------------------------------- Hmac

/** Utilities.computeHmacSha256Signature over UTF-8 strings: SIGNED bytes (-128..127), as the port says. */
export class AppsScriptHmac implements Hmac {
  constructor(private readonly utilities: Pick<UtilitiesLike, 'computeHmacSha256Signature' | 'Charset'>) {}

  hmacSha256(value: string, key: string): number[] {
    return Array.from(this.utilities.computeHmacSha256Signature(value, key, this.utilities.Charset.UTF_8));
  }
}

/** Every port, over the Apps Script globals the bundle passes in. */
export interface AppsScriptServices {
  UrlFetchApp: UrlFetchLike;
  Utilities: UtilitiesLike;
  LockService: LockServiceLike;
  PropertiesService: PropertiesServiceLike;
}

export function appsScriptPorts(s: AppsScriptServices, options: TransportOptions = {}) {
  return {
    transport: new AppsScriptTransport(s.UrlFetchApp, options),
    clock: new AppsScriptClock(s.Utilities),
    random: new UuidRandom(s.Utilities),
    hmac: new AppsScriptHmac(s.Utilities),
    store: new UserPropertiesStore(s.PropertiesService),
    documentStore: () => new DocumentPropertiesStore(s.PropertiesService),
    userLock: () => userLock(s.LockService),
    documentLock: () => documentLock(s.LockService),
  };
}
