/**
 * The Apps Script services other than the spreadsheet model, with Apps Script's limits:
 * PropertiesService (9 KB per value, 500 KB per store), CacheService (250-char keys, 100 KB
 * values, TTL ≤ 6 h by the runtime clock, 1,000 items), LockService (shared between the executions
 * of one runtime), Utilities (signed-byte HMAC and digests, base64, formatDate, parseCsv, sleep),
 * UrlFetchApp (muteHttpExceptions, the manifest's urlFetchWhitelist, a host map to local
 * servers), ScriptApp (triggers recorded, 20 per user; state tokens), HtmlService
 * (dist/<name>.html), Session, the spreadsheet Ui (menus and sidebars recorded).
 */
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpMethod, HttpRequest, HttpResponse, Transport } from '../../../src/tiktok/ports';
import { GasError, HostObject } from './host';
import { ConditionalFormatRuleBuilderModel, SpreadsheetModel, type RecordedCall } from './spreadsheet';

/** Milliseconds clock of the runtime; sleep either blocks (real) or advances (manual). */
export interface RuntimeClock {
  nowMs(): number;
  sleep(ms: number): void;
  /** The time one service call costs (msPerCall), without blocking; default: sleep(ms). */
  charge?(ms: number): void;
}

/** What the per-execution services need from the execution running them. */
export interface ExecutionEnv {
  readonly id: number;
  readonly clock: RuntimeClock;
  /** Called while a service waits (lock polling, sleep): kills the execution when its time is up. */
  checkDeadline(): void;
  log(level: string, args: unknown[]): void;
}

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** Converts a script byte array (signed or unsigned numbers) or a string to bytes. */
export function toBytes(value: unknown, charset = 'UTF-8'): Buffer {
  if (Array.isArray(value)) return Buffer.from(value.map((b) => Number(b) & 0xff));
  if (value instanceof BlobModel) return value._bytes;
  return Buffer.from(String(value), /^(us-ascii|iso-8859-1|latin1)$/i.test(charset) ? 'latin1' : 'utf8');
}

/** Bytes as Apps Script returns them: Java's signed bytes, -128..127. */
export const signed = (bytes: Uint8Array): number[] => Array.from(bytes, (b) => (b > 127 ? b - 256 : b));

// ---------------------------------------------------------------- PropertiesService

export const PROPERTY_VALUE_LIMIT = 9 * 1024;
export const PROPERTY_STORE_LIMIT = 500 * 1024;

export class PropertyStore {
  readonly map = new Map<string, string>();
  size(): number {
    let total = 0;
    for (const [k, v] of this.map) total += utf8(k) + utf8(v);
    return total;
  }
}

export class PropertiesModel extends HostObject {
  constructor(private readonly store: PropertyStore) {
    super();
  }
  private put(entries: [string, string][], deleteAllOthers: boolean): void {
    const next = new Map(deleteAllOthers ? [] : this.store.map);
    for (const [k, v] of entries) {
      if (utf8(v) > PROPERTY_VALUE_LIMIT) throw new GasError('Argument too large: value');
      next.set(k, v);
    }
    let total = 0;
    for (const [k, v] of next) total += utf8(k) + utf8(v);
    if (total > PROPERTY_STORE_LIMIT) throw new GasError('You have exceeded the property storage quota. Please remove some properties and try again.');
    this.store.map.clear();
    for (const [k, v] of next) this.store.map.set(k, v);
  }
  getProperty(key: string): string | null {
    return this.store.map.get(String(key)) ?? null;
  }
  setProperty(key: string, value: unknown): PropertiesModel {
    if (key === null || key === undefined) throw new GasError('Invalid argument: key');
    this.put([[String(key), String(value)]], false);
    return this;
  }
  setProperties(properties: Record<string, unknown>, deleteAllOthers = false): PropertiesModel {
    this.put(
      Object.entries(properties ?? {}).map(([k, v]) => [k, String(v)]),
      Boolean(deleteAllOthers),
    );
    return this;
  }
  getProperties(): Record<string, string> {
    return Object.fromEntries(this.store.map);
  }
  getKeys(): string[] {
    return [...this.store.map.keys()];
  }
  deleteProperty(key: string): PropertiesModel {
    this.store.map.delete(String(key));
    return this;
  }
  deleteAllProperties(): PropertiesModel {
    this.store.map.clear();
    return this;
  }
}

export class PropertiesServiceModel extends HostObject {
  constructor(private readonly stores: { user: PropertyStore; document: PropertyStore; script: PropertyStore }) {
    super();
  }
  getUserProperties(): PropertiesModel {
    return new PropertiesModel(this.stores.user);
  }
  getDocumentProperties(): PropertiesModel {
    return new PropertiesModel(this.stores.document);
  }
  getScriptProperties(): PropertiesModel {
    return new PropertiesModel(this.stores.script);
  }
}

// ---------------------------------------------------------------- CacheService

export const CACHE_KEY_LIMIT = 250;
export const CACHE_VALUE_LIMIT = 100 * 1024;
export const CACHE_MAX_TTL_SECONDS = 21_600;
export const CACHE_MAX_ITEMS = 1000;

export class CacheStore {
  /** key → value and expiry (ms of the runtime clock); Map order = insertion order, for eviction. */
  readonly map = new Map<string, { value: string; expiresAt: number }>();
}

export class CacheModel extends HostObject {
  constructor(
    private readonly store: CacheStore,
    private readonly clock: RuntimeClock,
  ) {
    super();
  }
  private checkKey(key: unknown): string {
    const k = String(key);
    if (k.length > CACHE_KEY_LIMIT) throw new GasError('Argument too large: key');
    return k;
  }
  get(key: string): string | null {
    const k = this.checkKey(key);
    const hit = this.store.map.get(k);
    if (!hit) return null;
    if (hit.expiresAt <= this.clock.nowMs()) {
      this.store.map.delete(k);
      return null;
    }
    return hit.value;
  }
  getAll(keys: string[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const k of keys) {
      const v = this.get(k);
      if (v !== null) out[k] = v;
    }
    return out;
  }
  put(key: string, value: unknown, expirationInSeconds = 600): void {
    const k = this.checkKey(key);
    const v = String(value);
    if (utf8(v) > CACHE_VALUE_LIMIT) throw new GasError('Argument too large: value');
    const ttl = Math.min(Math.max(1, Number(expirationInSeconds)), CACHE_MAX_TTL_SECONDS);
    this.store.map.delete(k);
    this.store.map.set(k, { value: v, expiresAt: this.clock.nowMs() + ttl * 1000 });
    // The cache may evict before expiry; here the oldest entries go first.
    while (this.store.map.size > CACHE_MAX_ITEMS) this.store.map.delete(this.store.map.keys().next().value as string);
  }
  putAll(values: Record<string, unknown>, expirationInSeconds = 600): void {
    for (const [k, v] of Object.entries(values)) this.put(k, v, expirationInSeconds);
  }
  remove(key: string): void {
    this.store.map.delete(this.checkKey(key));
  }
  removeAll(keys: string[]): void {
    for (const k of keys) this.remove(k);
  }
}

export class CacheServiceModel extends HostObject {
  constructor(
    private readonly stores: { user: CacheStore; document: CacheStore; script: CacheStore },
    private readonly clock: RuntimeClock,
  ) {
    super();
  }
  getUserCache(): CacheModel {
    return new CacheModel(this.stores.user, this.clock);
  }
  getDocumentCache(): CacheModel {
    return new CacheModel(this.stores.document, this.clock);
  }
  getScriptCache(): CacheModel {
    return new CacheModel(this.stores.script, this.clock);
  }
}

// ---------------------------------------------------------------- LockService

/** A lock shared by the executions of one runtime; `holder` is the execution id. */
export class LockState {
  holder: number | null = null;
}

const LOCK_POLL_MS = 50;
const LOCK_TIMEOUT_MESSAGE = 'Lock timeout: another process was holding the lock for too long.';

export class LockModel extends HostObject {
  constructor(
    private readonly state: LockState,
    private readonly env: ExecutionEnv,
  ) {
    super();
  }
  /** Waits up to `timeoutInMillis` for the lock. Another execution can only release it between calls, so waiting here just spends the time. */
  tryLock(timeoutInMillis: number): boolean {
    const timeout = Math.max(0, Number(timeoutInMillis) || 0);
    if (this.state.holder === null || this.state.holder === this.env.id) {
      this.state.holder = this.env.id;
      return true;
    }
    const until = this.env.clock.nowMs() + timeout;
    while (this.env.clock.nowMs() < until) {
      this.env.clock.sleep(Math.min(LOCK_POLL_MS, until - this.env.clock.nowMs()));
      this.env.checkDeadline();
      if (this.state.holder === null) {
        this.state.holder = this.env.id;
        return true;
      }
    }
    return false;
  }
  waitLock(timeoutInMillis: number): void {
    if (!this.tryLock(timeoutInMillis)) throw new GasError(LOCK_TIMEOUT_MESSAGE);
  }
  releaseLock(): void {
    if (this.state.holder === this.env.id) this.state.holder = null;
  }
  hasLock(): boolean {
    return this.state.holder === this.env.id;
  }
}

export class LockServiceModel extends HostObject {
  constructor(
    private readonly locks: { user: LockState; document: LockState; script: LockState },
    private readonly env: ExecutionEnv,
  ) {
    super();
  }
  getUserLock(): LockModel {
    return new LockModel(this.locks.user, this.env);
  }
  getDocumentLock(): LockModel {
    return new LockModel(this.locks.document, this.env);
  }
  getScriptLock(): LockModel {
    return new LockModel(this.locks.script, this.env);
  }
}

// ---------------------------------------------------------------- Utilities

export class BlobModel extends HostObject {
  constructor(
    readonly _bytes: Buffer,
    private contentType: string | null,
    private name: string | null,
  ) {
    super();
  }
  getBytes(): number[] {
    return signed(this._bytes);
  }
  getDataAsString(charset = 'UTF-8'): string {
    return this._bytes.toString(/^(us-ascii|iso-8859-1|latin1)$/i.test(charset) ? 'latin1' : 'utf8');
  }
  getContentType(): string | null {
    return this.contentType;
  }
  setContentType(type: string): BlobModel {
    this.contentType = String(type);
    return this;
  }
  getName(): string | null {
    return this.name;
  }
  setName(name: string): BlobModel {
    this.name = String(name);
    return this;
  }
  setDataFromString(s: string): BlobModel {
    return new BlobModel(Buffer.from(String(s), 'utf8'), this.contentType, this.name);
  }
  copyBlob(): BlobModel {
    return new BlobModel(Buffer.from(this._bytes), this.contentType, this.name);
  }
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Date parts in a time zone, and that zone's offset (minutes east of UTC) at that instant. */
function zoned(date: Date, timeZone: string) {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    }).formatToParts(date);
  } catch {
    throw new GasError(`Invalid argument: timeZone`);
  }
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const y = Number(get('year'));
  const mo = Number(get('month'));
  const d = Number(get('day'));
  const h = Number(get('hour')) % 24;
  const mi = Number(get('minute'));
  const s = Number(get('second'));
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  const offset = Math.round((asUtc - (date.getTime() - date.getUTCMilliseconds())) / 60_000);
  const weekday = new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
  return { y, mo, d, h, mi, s, ms: date.getUTCMilliseconds(), offset, weekday };
}

/** Java SimpleDateFormat, the common letters: y M d H h m s S a E z Z X, and '…' literals. */
export function formatDate(date: Date, timeZone: string, pattern: string): string {
  if (!(date instanceof Date) && Object.prototype.toString.call(date) !== '[object Date]') throw new GasError("The parameters don't match the method signature for Utilities.formatDate.");
  const t = new Date((date as Date).getTime());
  if (Number.isNaN(t.getTime())) throw new GasError('Invalid argument: date');
  const z = zoned(t, String(timeZone));
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  const offset = (sep: string, zForZero: boolean) => {
    if (z.offset === 0 && zForZero) return 'Z';
    const a = Math.abs(z.offset);
    return (z.offset < 0 ? '-' : '+') + pad(Math.floor(a / 60), 2) + sep + pad(a % 60, 2);
  };
  let out = '';
  const p = String(pattern);
  for (let i = 0; i < p.length; ) {
    const ch = p[i];
    if (ch === "'") {
      const end = p.indexOf("'", i + 1);
      if (end === i + 1) {
        out += "'";
        i += 2;
        continue;
      }
      out += p.slice(i + 1, end < 0 ? p.length : end);
      i = end < 0 ? p.length : end + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(ch)) {
      out += ch;
      i++;
      continue;
    }
    let n = 1;
    while (p[i + n] === ch) n++;
    i += n;
    switch (ch) {
      case 'y':
        out += n === 2 ? pad(z.y % 100, 2) : pad(z.y, n);
        break;
      case 'M':
        out += n >= 4 ? MONTHS[z.mo - 1] : n === 3 ? MONTHS[z.mo - 1].slice(0, 3) : pad(z.mo, n);
        break;
      case 'd':
        out += pad(z.d, n);
        break;
      case 'H':
        out += pad(z.h, n);
        break;
      case 'h':
        out += pad(z.h % 12 === 0 ? 12 : z.h % 12, n);
        break;
      case 'm':
        out += pad(z.mi, n);
        break;
      case 's':
        out += pad(z.s, n);
        break;
      case 'S':
        out += pad(z.ms, n);
        break;
      case 'a':
        out += z.h < 12 ? 'AM' : 'PM';
        break;
      case 'E':
        out += n >= 4 ? DAYS[z.weekday] : DAYS[z.weekday].slice(0, 3);
        break;
      case 'u':
        out += String(z.weekday === 0 ? 7 : z.weekday);
        break;
      case 'Z':
        out += offset('', false);
        break;
      case 'X':
        out += n === 1 ? (z.offset === 0 ? 'Z' : offset('', false).slice(0, 3)) : offset(n >= 3 ? ':' : '', true);
        break;
      case 'z':
        out += z.offset === 0 ? 'UTC' : 'GMT' + offset(':', false);
        break;
      default:
        throw new GasError(`Illegal pattern character '${ch}'`);
    }
  }
  return out;
}

/** RFC 4180 CSV: quoted fields, "" inside quotes, separators and newlines inside quotes. */
export function parseCsv(csv: string, delimiter = ','): string[][] {
  const text = String(csv);
  const sep = String(delimiter);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      i++;
    } else if (text.startsWith(sep, i)) {
      row.push(field);
      field = '';
      i += sep.length;
    } else if (ch === '\r' || ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      i++;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export class UtilitiesModel extends HostObject {
  constructor(private readonly env: ExecutionEnv) {
    super();
  }
  override _constants(): Record<string, unknown> {
    return {
      Charset: { UTF_8: 'UTF-8', US_ASCII: 'US-ASCII' },
      DigestAlgorithm: { MD5: 'MD5', SHA_1: 'SHA_1', SHA_256: 'SHA_256', SHA_384: 'SHA_384', SHA_512: 'SHA_512' },
      MacAlgorithm: { HMAC_SHA_256: 'HMAC_SHA_256', HMAC_SHA_1: 'HMAC_SHA_1', HMAC_SHA_512: 'HMAC_SHA_512', HMAC_MD5: 'HMAC_MD5' },
    };
  }
  computeHmacSha256Signature(value: unknown, key: unknown, charset?: string): number[] {
    return signed(createHmac('sha256', toBytes(key, charset)).update(toBytes(value, charset)).digest());
  }
  computeHmacSignature(algorithm: string, value: unknown, key: unknown, charset?: string): number[] {
    const alg = { HMAC_SHA_256: 'sha256', HMAC_SHA_1: 'sha1', HMAC_SHA_512: 'sha512', HMAC_MD5: 'md5' }[String(algorithm)];
    if (!alg) throw new GasError('Invalid argument: algorithm');
    return signed(createHmac(alg, toBytes(key, charset)).update(toBytes(value, charset)).digest());
  }
  computeDigest(algorithm: string, value: unknown, charset?: string): number[] {
    const alg = { MD5: 'md5', SHA_1: 'sha1', SHA_256: 'sha256', SHA_384: 'sha384', SHA_512: 'sha512' }[String(algorithm)];
    if (!alg) throw new GasError('Invalid argument: algorithm');
    return signed(createHash(alg).update(toBytes(value, charset)).digest());
  }
  base64Encode(data: unknown, charset?: string): string {
    return toBytes(data, charset).toString('base64');
  }
  base64EncodeWebSafe(data: unknown, charset?: string): string {
    return toBytes(data, charset).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
  }
  base64Decode(encoded: string): number[] {
    const s = String(encoded);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s.replace(/\s/g, ''))) throw new GasError('Could not decode string.');
    return signed(Buffer.from(s, 'base64'));
  }
  base64DecodeWebSafe(encoded: string): number[] {
    const s = String(encoded);
    if (!/^[A-Za-z0-9_-]*={0,2}$/.test(s.replace(/\s/g, ''))) throw new GasError('Could not decode string.');
    return signed(Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
  }
  formatDate(date: Date, timeZone: string, format: string): string {
    return formatDate(date, timeZone, format);
  }
  formatString(template: string, ...args: unknown[]): string {
    let i = 0;
    return String(template).replace(/%[sdif%]/g, (m) => (m === '%%' ? '%' : String(args[i++])));
  }
  parseCsv(csv: string, delimiter?: string): string[][] {
    return parseCsv(csv, delimiter);
  }
  sleep(milliseconds: number): void {
    const ms = Number(milliseconds);
    if (ms > 300_000) throw new GasError('Argument too large: milliseconds');
    // Sleep in slices so an execution past its deadline dies here, as it would in Apps Script.
    const until = this.env.clock.nowMs() + Math.max(0, ms);
    while (this.env.clock.nowMs() < until) {
      this.env.clock.sleep(Math.min(1000, until - this.env.clock.nowMs()));
      this.env.checkDeadline();
    }
  }
  getUuid(): string {
    return randomUUID();
  }
  newBlob(data: unknown, contentType?: string, name?: string): BlobModel {
    return new BlobModel(toBytes(data ?? ''), contentType ?? null, name ?? null);
  }
}

// ---------------------------------------------------------------- UrlFetchApp

export const URL_LENGTH_LIMIT = 2 * 1024;

export class HttpResponseModel extends HostObject {
  constructor(private readonly response: HttpResponse) {
    super();
  }
  getResponseCode(): number {
    return this.response.status;
  }
  getContentText(): string {
    return this.response.body;
  }
  getContent(): number[] {
    return signed(Buffer.from(this.response.body, 'utf8'));
  }
  getBlob(): BlobModel {
    return new BlobModel(Buffer.from(this.response.body, 'utf8'), this.getHeaders()['Content-Type'] ?? null, null);
  }
  getHeaders(): Record<string, string> {
    // Apps Script capitalises header names the way servers usually send them.
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.response.headers)) out[k.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase())] = v;
    return out;
  }
  getAllHeaders(): Record<string, string> {
    return this.getHeaders();
  }
}

interface FetchParams {
  url?: string;
  method?: string;
  headers?: Record<string, unknown>;
  contentType?: string;
  payload?: unknown;
  muteHttpExceptions?: boolean;
}

function toRequest(url: string, params: FetchParams = {}): { request: HttpRequest; mute: boolean } {
  const u = String(url);
  if (u.length > URL_LENGTH_LIMIT) throw new GasError('Limit Exceeded: URLFetch URL Length.');
  if (!/^https?:\/\//i.test(u)) throw new GasError(`Invalid argument: ${u}`);
  const method = String(params.method ?? 'get').toLowerCase() as HttpMethod;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(params.headers ?? {})) headers[k] = String(v);
  let payload: string | undefined;
  let contentType = params.contentType;
  if (params.payload !== undefined && params.payload !== null) {
    if (typeof params.payload === 'object' && !Array.isArray(params.payload)) {
      payload = Object.entries(params.payload as Record<string, unknown>)
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
        .join('&');
      contentType ??= 'application/x-www-form-urlencoded';
    } else {
      payload = Array.isArray(params.payload) ? toBytes(params.payload).toString('utf8') : String(params.payload);
      contentType ??= 'application/x-www-form-urlencoded';
    }
  }
  const request: HttpRequest = { url: u, method, headers };
  if (payload !== undefined) request.payload = payload;
  // The contentType option is sent as Content-Type with or without a payload (unconfirmed for a
  // GET without payload; see docs/limits.md).
  if (contentType !== undefined) request.contentType = contentType;
  return { request, mute: Boolean(params.muteHttpExceptions) };
}

function failed(url: string, response: HttpResponse): GasError {
  const origin = new URL(url).origin;
  const body = response.body.length > 100 ? response.body.slice(0, 100) + '...' : response.body;
  return new GasError(`Request failed for ${origin} returned code ${response.status}. Truncated server response: ${body} (use muteHttpExceptions option to examine full response)`);
}

// ---------------------------------------------------------------- urlFetchWhitelist, host map

/** What UrlFetchApp may reach (the manifest's urlFetchWhitelist) and where it really sends (hostMap). */
export interface UrlFetchPolicy {
  /** The manifest's urlFetchWhitelist; null when the field is absent (then nothing is refused). */
  whitelist: readonly string[] | null;
  /** origin → base URL: a whitelisted request to that origin is sent there instead (path and query kept). */
  hostMap: Readonly<Record<string, string>>;
}

function splitUrl(u: string): { scheme: string; host: string; rest: string } | null {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/s.exec(u);
  if (!m) return null;
  const rest = m[3] === '' || !m[3].startsWith('/') ? '/' + m[3] : m[3];
  return { scheme: m[1].toLowerCase(), host: m[2].toLowerCase(), rest };
}

/**
 * Why a urlFetchWhitelist prefix would be refused when the manifest is saved, or null if it is
 * valid: a valid https URL with a full domain and a non-empty path; one leading "*." wildcard.
 */
export function whitelistPrefixProblem(prefix: string): string | null {
  const p = splitUrl(String(prefix));
  if (!p) return 'not a valid URL';
  if (p.scheme !== 'https') return 'URLs must use the HTTPS scheme';
  if (!/^[^/?#]*:\/\/[^/?#]+\//.test(String(prefix))) return 'the prefix must have a non-empty path';
  const host = p.host.replace(/:\d+$/, '');
  const bare = host.startsWith('*.') ? host.slice(2) : host;
  if (bare.includes('*')) return 'only one leading "*." wildcard is allowed';
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(bare)) return 'the prefix must have a full domain';
  return null;
}

/**
 * The allowlist's matching rules (developers.google.com/apps-script/manifest/allowlist-url): the
 * URL equals the prefix or is a child of it (…/foo matches …/foo, …/foo/, …/foo/bar, …/foo?bar,
 * …/foo#bar, not …/foobar); paths match case-sensitively; "https://*.example.com/" needs at least
 * one subdomain.
 */
export function whitelistMatches(prefix: string, url: string): boolean {
  const p = splitUrl(String(prefix));
  const u = splitUrl(String(url));
  if (!p || !u || p.scheme !== u.scheme) return false;
  if (p.host.startsWith('*.')) {
    const suffix = p.host.slice(1);
    if (!(u.host.endsWith(suffix) && u.host.length > suffix.length)) return false;
  } else if (p.host !== u.host) return false;
  if (u.rest === p.rest) return true;
  if (!u.rest.startsWith(p.rest)) return false;
  return p.rest.endsWith('/') || '/?#'.includes(u.rest[p.rest.length]);
}

/** The URL the request is really sent to: its origin replaced by the hostMap's entry, if any. */
export function mapHost(url: string, hostMap: Readonly<Record<string, string>>): string {
  const u = splitUrl(url);
  if (!u) return url;
  const origin = `${u.scheme}://${u.host}`;
  for (const [from, to] of Object.entries(hostMap)) {
    if (from.replace(/\/+$/, '').toLowerCase() === origin) return to.replace(/\/+$/, '') + u.rest;
  }
  return url;
}

export const notWhitelisted = (url: string) => new GasError(`Request to ${url} failed because the URL has not been whitelisted in the script manifest.`);

export class UrlFetchAppModel extends HostObject {
  constructor(
    private readonly transport: () => Transport,
    private readonly onRequest: (request: HttpRequest) => void,
    private readonly policy: UrlFetchPolicy = { whitelist: null, hostMap: {} },
  ) {
    super();
  }
  private allow(url: string): void {
    const list = this.policy.whitelist;
    if (list && !list.some((prefix) => whitelistMatches(prefix, url))) throw notWhitelisted(url);
  }
  fetch(url: string, params?: FetchParams): HttpResponseModel {
    const { request, mute } = toRequest(url, params);
    this.allow(request.url);
    this.onRequest(request);
    const response = this.send([request])[0];
    if (!mute && response.status >= 400) throw failed(request.url, response);
    return new HttpResponseModel(response);
  }
  fetchAll(requests: (string | FetchParams)[]): HttpResponseModel[] {
    if (!Array.isArray(requests)) throw new GasError("The parameters don't match the method signature for UrlFetchApp.fetchAll.");
    const prepared = requests.map((r) => (typeof r === 'string' ? toRequest(r) : toRequest(String(r.url), r)));
    for (const p of prepared) this.allow(p.request.url);
    for (const p of prepared) this.onRequest(p.request);
    const responses = this.send(prepared.map((p) => p.request));
    responses.forEach((response, i) => {
      if (!prepared[i].mute && response.status >= 400) throw failed(prepared[i].request.url, response);
    });
    return responses.map((r) => new HttpResponseModel(r));
  }
  getRequest(url: string, params?: FetchParams): Record<string, unknown> {
    const { request } = toRequest(url, params);
    return { ...request, payload: request.payload ?? '' };
  }
  /** Sends to the mapped hosts; what the script and `rt.requests` see keeps the real URL. */
  private send(requests: HttpRequest[]): HttpResponse[] {
    const sent = requests.map((r) => ({ ...r, url: mapHost(r.url, this.policy.hostMap) }));
    try {
      return this.transport().fetchAll(sent);
    } catch (err) {
      throw new GasError(`Address unavailable: ${(err as Error).message}`);
    }
  }
}

// ---------------------------------------------------------------- ScriptApp

export const TRIGGER_LIMIT = 20;

export class TriggerModel extends HostObject {
  /** When it last fired (ms of the runtime clock); null before the first time. */
  _lastFired: number | null = null;
  constructor(
    readonly uniqueId: string,
    readonly handlerFunction: string,
    readonly eventType: string,
    readonly source: string,
    readonly schedule: RecordedCall[],
    /** When it was created (ms of the runtime clock) and by whom: it runs as that user. */
    readonly _createdAt: number = 0,
    readonly _user: string = 'user@example.com',
  ) {
    super();
  }
  getUniqueId(): string {
    return this.uniqueId;
  }
  getHandlerFunction(): string {
    return this.handlerFunction;
  }
  getEventType(): string {
    return this.eventType;
  }
  getTriggerSource(): string {
    return this.source;
  }
  getTriggerSourceId(): string | null {
    return null;
  }
}

export class TriggerState {
  readonly triggers: TriggerModel[] = [];
  nextId = 1;
  /** An add-on's time-driven triggers may run at most once an hour (installable-triggers guide). */
  addOn = false;
}

/** Who creates a trigger, and when. */
export interface TriggerOrigin {
  clock: RuntimeClock;
  user: string;
}

class ClockTriggerBuilderModel extends HostObject {
  readonly schedule: RecordedCall[] = [];
  constructor(
    private readonly state: TriggerState,
    private readonly handler: string,
    private readonly origin: TriggerOrigin,
  ) {
    super();
  }
  private rec(method: string, args: unknown[]): ClockTriggerBuilderModel {
    this.schedule.push({ method, args });
    return this;
  }
  everyMinutes(n: number): ClockTriggerBuilderModel {
    if (![1, 5, 10, 15, 30].includes(Number(n))) throw new GasError('The value passed to everyMinutes must be 1, 5, 10, 15 or 30.');
    if (this.state.addOn) throw new GasError('Add-ons may not create time-based triggers that run more often than once per hour.');
    return this.rec('everyMinutes', [n]);
  }
  everyHours(n: number): ClockTriggerBuilderModel {
    if (![1, 2, 4, 6, 8, 12].includes(Number(n))) throw new GasError('The value passed to everyHours must be 1, 2, 4, 6, 8 or 12.');
    return this.rec('everyHours', [n]);
  }
  everyDays(n: number): ClockTriggerBuilderModel {
    return this.rec('everyDays', [n]);
  }
  everyWeeks(n: number): ClockTriggerBuilderModel {
    return this.rec('everyWeeks', [n]);
  }
  after(ms: number): ClockTriggerBuilderModel {
    return this.rec('after', [ms]);
  }
  at(date: Date): ClockTriggerBuilderModel {
    return this.rec('at', [date]);
  }
  atHour(h: number): ClockTriggerBuilderModel {
    return this.rec('atHour', [h]);
  }
  nearMinute(m: number): ClockTriggerBuilderModel {
    return this.rec('nearMinute', [m]);
  }
  onWeekDay(d: string): ClockTriggerBuilderModel {
    return this.rec('onWeekDay', [d]);
  }
  inTimezone(tz: string): ClockTriggerBuilderModel {
    return this.rec('inTimezone', [tz]);
  }
  create(): TriggerModel {
    if (this.schedule.length === 0) throw new GasError('The trigger has no schedule.');
    if (this.state.triggers.length >= TRIGGER_LIMIT) throw new GasError('This script has too many triggers. Triggers must be deleted from the script before more can be added.');
    const t = new TriggerModel(String(this.state.nextId++), this.handler, 'CLOCK', 'CLOCK', [...this.schedule], this.origin.clock.nowMs(), this.origin.user);
    this.state.triggers.push(t);
    return t;
  }
}

class SpreadsheetTriggerBuilderModel extends HostObject {
  private event: string | null = null;
  constructor(
    private readonly state: TriggerState,
    private readonly handler: string,
  ) {
    super();
  }
  onOpen(): SpreadsheetTriggerBuilderModel {
    this.event = 'ON_OPEN';
    return this;
  }
  onEdit(): SpreadsheetTriggerBuilderModel {
    this.event = 'ON_EDIT';
    return this;
  }
  onChange(): SpreadsheetTriggerBuilderModel {
    this.event = 'ON_CHANGE';
    return this;
  }
  onFormSubmit(): SpreadsheetTriggerBuilderModel {
    this.event = 'ON_FORM_SUBMIT';
    return this;
  }
  create(): TriggerModel {
    if (!this.event) throw new GasError('The trigger has no event.');
    if (this.state.triggers.length >= TRIGGER_LIMIT) throw new GasError('This script has too many triggers. Triggers must be deleted from the script before more can be added.');
    const t = new TriggerModel(String(this.state.nextId++), this.handler, this.event, 'SPREADSHEETS', []);
    this.state.triggers.push(t);
    return t;
  }
}

class TriggerBuilderModel extends HostObject {
  constructor(
    private readonly state: TriggerState,
    private readonly handler: string,
    private readonly origin: TriggerOrigin,
  ) {
    super();
  }
  timeBased(): ClockTriggerBuilderModel {
    return new ClockTriggerBuilderModel(this.state, this.handler, this.origin);
  }
  forSpreadsheet(): SpreadsheetTriggerBuilderModel {
    return new SpreadsheetTriggerBuilderModel(this.state, this.handler);
  }
}

/** Default and maximum lifetime of a state token, seconds (StateTokenBuilder reference). */
export const STATE_TOKEN_DEFAULT_TIMEOUT = 60;
export const STATE_TOKEN_MAX_TIMEOUT = 3600;

/** A state token's content, kept host-side: the script only ever sees the opaque token. */
export interface StateTokenEntry {
  method: string;
  args: Record<string, string>;
  /** Expiry, ms of the runtime clock. */
  expiresAt: number;
  /** The user who created it; the usercallback only accepts it for the same user. */
  user: string;
}

/** The tokens ScriptApp.newStateToken() created (Google encrypts them; here they are random keys of this map). */
export class StateTokenStore {
  readonly tokens = new Map<string, StateTokenEntry>();
}

export class StateTokenBuilderModel extends HostObject {
  private method = 'callback';
  private readonly args: Record<string, string> = {};
  private timeout = STATE_TOKEN_DEFAULT_TIMEOUT;
  constructor(
    private readonly store: StateTokenStore,
    private readonly clock: RuntimeClock,
    private readonly user: string,
  ) {
    super();
  }
  withMethod(name: string): StateTokenBuilderModel {
    this.method = String(name);
    return this;
  }
  withArgument(name: string, value: string): StateTokenBuilderModel {
    this.args[String(name)] = String(value);
    return this;
  }
  withTimeout(seconds: number): StateTokenBuilderModel {
    const s = Number(seconds);
    // What Apps Script does past the documented maximum is unconfirmed: refused here.
    if (!(s > 0) || s > STATE_TOKEN_MAX_TIMEOUT) throw new GasError('Invalid argument: seconds');
    this.timeout = s;
    return this;
  }
  createToken(): string {
    let token: string;
    do token = 'AKst' + randomBytes(48).toString('base64url');
    while (this.store.tokens.has(token));
    this.store.tokens.set(token, { method: this.method, args: { ...this.args }, expiresAt: this.clock.nowMs() + this.timeout * 1000, user: this.user });
    return token;
  }
}

export class ScriptAppModel extends HostObject {
  constructor(
    private readonly state: TriggerState,
    private readonly scriptId: string,
    private readonly tokens: StateTokenStore = new StateTokenStore(),
    private readonly clock: RuntimeClock = { nowMs: () => Date.now(), sleep: () => undefined },
    private readonly user = 'user@example.com',
  ) {
    super();
  }
  override _constants(): Record<string, unknown> {
    return {
      AuthMode: { NONE: 'NONE', CUSTOM_FUNCTION: 'CUSTOM_FUNCTION', LIMITED: 'LIMITED', FULL: 'FULL' },
      AuthorizationStatus: { REQUIRED: 'REQUIRED', NOT_REQUIRED: 'NOT_REQUIRED' },
      EventType: { CLOCK: 'CLOCK', ON_OPEN: 'ON_OPEN', ON_EDIT: 'ON_EDIT', ON_CHANGE: 'ON_CHANGE', ON_FORM_SUBMIT: 'ON_FORM_SUBMIT' },
      TriggerSource: { SPREADSHEETS: 'SPREADSHEETS', CLOCK: 'CLOCK' },
      WeekDay: { MONDAY: 'MONDAY', TUESDAY: 'TUESDAY', WEDNESDAY: 'WEDNESDAY', THURSDAY: 'THURSDAY', FRIDAY: 'FRIDAY', SATURDAY: 'SATURDAY', SUNDAY: 'SUNDAY' },
    };
  }
  getProjectTriggers(): TriggerModel[] {
    return [...this.state.triggers];
  }
  getUserTriggers(): TriggerModel[] {
    // The active user's triggers only (each user's triggers are their own).
    return this.state.triggers.filter((t) => t._user === this.user);
  }
  newTrigger(functionName: string): TriggerBuilderModel {
    return new TriggerBuilderModel(this.state, String(functionName), { clock: this.clock, user: this.user });
  }
  deleteTrigger(trigger: TriggerModel): void {
    const i = this.state.triggers.findIndex((t) => t.uniqueId === trigger?.uniqueId);
    if (i >= 0) this.state.triggers.splice(i, 1);
  }
  getOAuthToken(): string {
    throw new GasError('getOAuthToken is not available in the local Apps Script runtime (no Google identity here).');
  }
  getScriptId(): string {
    return this.scriptId;
  }
  newStateToken(): StateTokenBuilderModel {
    return new StateTokenBuilderModel(this.tokens, this.clock, this.user);
  }
  getService(): HostObject {
    const id = this.scriptId;
    return new (class Service extends HostObject {
      getUrl(): string {
        return `https://script.google.com/macros/s/${id}/exec`;
      }
    })();
  }
}

// ---------------------------------------------------------------- HtmlService, Ui, Session

export class HtmlOutputModel extends HostObject {
  title = '';
  width: number | null = null;
  height: number | null = null;
  constructor(
    readonly file: string | null,
    private content: string,
  ) {
    super();
  }
  setTitle(title: string): HtmlOutputModel {
    this.title = String(title);
    return this;
  }
  getTitle(): string {
    return this.title;
  }
  getContent(): string {
    return this.content;
  }
  setContent(content: string): HtmlOutputModel {
    this.content = String(content);
    return this;
  }
  append(content: string): HtmlOutputModel {
    this.content += String(content);
    return this;
  }
  setWidth(w: number): HtmlOutputModel {
    this.width = Number(w);
    return this;
  }
  setHeight(h: number): HtmlOutputModel {
    this.height = Number(h);
    return this;
  }
  setSandboxMode(): HtmlOutputModel {
    return this;
  }
  setXFrameOptionsMode(): HtmlOutputModel {
    return this;
  }
  addMetaTag(): HtmlOutputModel {
    return this;
  }
  setFaviconUrl(): HtmlOutputModel {
    return this;
  }
}

export class HtmlServiceModel extends HostObject {
  constructor(private readonly distDir: string) {
    super();
  }
  override _constants(): Record<string, unknown> {
    return { SandboxMode: { IFRAME: 'IFRAME', NATIVE: 'NATIVE', EMULATED: 'EMULATED' }, XFrameOptionsMode: { ALLOWALL: 'ALLOWALL', DEFAULT: 'DEFAULT' } };
  }
  createHtmlOutputFromFile(filename: string): HtmlOutputModel {
    const name = String(filename).replace(/\.html$/, '');
    const path = join(this.distDir, `${name}.html`);
    if (!existsSync(path)) throw new GasError(`No HTML file named ${name} was found.`);
    return new HtmlOutputModel(name, readFileSync(path, 'utf8'));
  }
  createHtmlOutput(html?: string): HtmlOutputModel {
    return new HtmlOutputModel(null, html === undefined ? '' : String(html));
  }
}

export interface UiRecord {
  menus: { title: string | null; addon: boolean; items: ({ caption: string; functionName: string } | { separator: true })[]; addedToUi: boolean }[];
  sidebars: HtmlOutputModel[];
  dialogs: { output: HtmlOutputModel; title: string; modal: boolean }[];
  alerts: unknown[][];
}

class MenuModel extends HostObject {
  constructor(private readonly menu: UiRecord['menus'][number]) {
    super();
  }
  addItem(caption: string, functionName: string): MenuModel {
    this.menu.items.push({ caption: String(caption), functionName: String(functionName) });
    return this;
  }
  addSeparator(): MenuModel {
    this.menu.items.push({ separator: true });
    return this;
  }
  addToUi(): void {
    this.menu.addedToUi = true;
  }
}

export class UiModel extends HostObject {
  constructor(private readonly record: UiRecord) {
    super();
  }
  override _constants(): Record<string, unknown> {
    return {
      Button: { OK: 'OK', CANCEL: 'CANCEL', YES: 'YES', NO: 'NO', CLOSE: 'CLOSE' },
      ButtonSet: { OK: 'OK', OK_CANCEL: 'OK_CANCEL', YES_NO: 'YES_NO', YES_NO_CANCEL: 'YES_NO_CANCEL' },
    };
  }
  createAddonMenu(): MenuModel {
    const menu = { title: null, addon: true, items: [], addedToUi: false };
    this.record.menus.push(menu);
    return new MenuModel(menu);
  }
  createMenu(title: string): MenuModel {
    const menu = { title: String(title), addon: false, items: [], addedToUi: false };
    this.record.menus.push(menu);
    return new MenuModel(menu);
  }
  showSidebar(output: HtmlOutputModel): void {
    if (!(output instanceof HtmlOutputModel)) throw new GasError("The parameters don't match the method signature for Ui.showSidebar.");
    this.record.sidebars.push(output);
  }
  showModalDialog(output: HtmlOutputModel, title: string): void {
    if (!(output instanceof HtmlOutputModel)) throw new GasError("The parameters don't match the method signature for Ui.showModalDialog.");
    this.record.dialogs.push({ output, title: String(title), modal: true });
  }
  showModelessDialog(output: HtmlOutputModel, title: string): void {
    if (!(output instanceof HtmlOutputModel)) throw new GasError("The parameters don't match the method signature for Ui.showModelessDialog.");
    this.record.dialogs.push({ output, title: String(title), modal: false });
  }
  alert(...args: unknown[]): string {
    this.record.alerts.push(args);
    return 'OK';
  }
}

export class SpreadsheetAppModel extends HostObject {
  constructor(
    private readonly spreadsheet: SpreadsheetModel,
    private readonly ui: UiRecord,
  ) {
    super();
  }
  override _constants(): Record<string, unknown> {
    return {
      InterpolationType: { NUMBER: 'NUMBER', PERCENT: 'PERCENT', PERCENTILE: 'PERCENTILE', MIN: 'MIN', MAX: 'MAX' },
      BooleanCriteria: { NUMBER_LESS_THAN: 'NUMBER_LESS_THAN', NUMBER_GREATER_THAN: 'NUMBER_GREATER_THAN' },
      ProtectionType: { RANGE: 'RANGE', SHEET: 'SHEET' },
      Dimension: { ROWS: 'ROWS', COLUMNS: 'COLUMNS' },
    };
  }
  getActiveSpreadsheet(): SpreadsheetModel {
    return this.spreadsheet;
  }
  getActive(): SpreadsheetModel {
    return this.spreadsheet;
  }
  getActiveSheet(): unknown {
    return this.spreadsheet.getActiveSheet();
  }
  getUi(): UiModel {
    return new UiModel(this.ui);
  }
  flush(): void {}
  newConditionalFormatRule(): ConditionalFormatRuleBuilderModel {
    return new ConditionalFormatRuleBuilderModel();
  }
}

export class ChartsModel extends HostObject {
  override _constants(): Record<string, unknown> {
    return {
      ChartType: { AREA: 'AREA', BAR: 'BAR', COLUMN: 'COLUMN', COMBO: 'COMBO', LINE: 'LINE', PIE: 'PIE', SCATTER: 'SCATTER', TABLE: 'TABLE' },
    };
  }
}

export class SessionModel extends HostObject {
  constructor(private readonly identity: { activeUser: string; effectiveUser: string; timeZone: string; locale: string }) {
    super();
  }
  getActiveUser(): HostObject {
    return user(this.identity.activeUser);
  }
  getEffectiveUser(): HostObject {
    return user(this.identity.effectiveUser);
  }
  getScriptTimeZone(): string {
    return this.identity.timeZone;
  }
  getActiveUserLocale(): string {
    return this.identity.locale;
  }
  getTemporaryActiveUserKey(): string {
    return createHash('sha256').update(this.identity.activeUser).digest('base64url').slice(0, 24);
  }
}

function user(email: string): HostObject {
  return new (class User extends HostObject {
    getEmail(): string {
      return email;
    }
  })();
}

export class LoggerModel extends HostObject {
  constructor(private readonly env: ExecutionEnv) {
    super();
  }
  log(...args: unknown[]): LoggerModel {
    this.env.log('Logger', args);
    return this;
  }
}
