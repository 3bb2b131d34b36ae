/**
 * Who this user is connected as, and which shop this workbook holds.
 *
 * Two stores, on purpose:
 * - the USER's properties hold the TikTok app's key and secret, the tokens (auth.ts), the shops
 *   the last authorization granted, and this user's choice of shop per spreadsheet (with its
 *   cipher). Nothing in them is visible to other editors.
 * - the DOCUMENT's properties hold only what every editor may see: which shop's data the
 *   workbook contains (id, name, region), the sync cursor (sync.ts) and refresh state. They are
 *   what stops a second editor from syncing a different shop into the same tabs.
 */
import * as z from 'zod/mini';
import type { KeyValueStore } from '../tiktok/ports';
import type { AuthorizedShop } from '../tiktok/auth';
import { parseRecord } from '../core/records';

export const USER_KEYS = {
  app: 'tiktok.app',
  shops: 'tiktok.shops',
  /** + spreadsheet id: the shop this user syncs into that spreadsheet. */
  shopPrefix: 'tiktok.shop.',
  /** + spreadsheet id: this user's refresh schedule for that spreadsheet. */
  schedulePrefix: 'tiktok.schedule.',
} as const;

export const DOCUMENT_KEYS = {
  shop: 'tts.shop',
  refresh: 'tts.refresh',
  /** WorkbookSummary of the last rebuild, for the sidebar's Status. */
  summary: 'tts.summary',
} as const;

/** The seller's TikTok Shop app (Partner Center → App & Service). */
export interface AppCredentials {
  appKey: string;
  appSecret: string;
  /** Partner Center service id: the newer authorize link; without it, the legacy link. */
  serviceId?: string;
  /** Which authorize host serves the seller (US shops have their own). */
  market?: 'ROW' | 'US';
}

const AppCredentialsSchema = z.object({
  appKey: z.string().check(z.trim(), z.minLength(1, 'the app key from Partner Center')),
  appSecret: z.string().check(z.trim(), z.minLength(1, 'the app secret from Partner Center')),
  serviceId: z.optional(z.string().check(z.trim())),
  market: z.optional(z.enum(['ROW', 'US'])),
});

const ShopSchema = z.object({
  id: z.string().check(z.minLength(1)),
  name: z.string(),
  region: z.string(),
  sellerType: z.string(),
  cipher: z.string().check(z.minLength(1)),
  code: z.string(),
});

const WorkbookShopSchema = z.object({ id: z.string().check(z.minLength(1)), name: z.string(), region: z.string() });
export type WorkbookShop = z.infer<typeof WorkbookShopSchema>;

const RefreshStateSchema = z.object({
  /**
   * The completed sync run (checkpoint.completed) the report tabs were last completely built from.
   * Reports are due when the checkpoint has completed another run: one source of truth, so no kill
   * between two property writes can leave a finished pull without its reports.
   */
  reportsRun: z.nullable(z.number()),
  /** When the report tabs were last completely written (Unix seconds). */
  reportsTime: z.nullable(z.number()),
  /** A rebuild in progress across executions: the as-of it pinned, and the tabs already written. */
  rebuild: z.nullable(z.object({ run: z.number(), asOf: z.number(), written: z.array(z.string()) })),
  /** How long the last rebuild's reading and computing, and each tab's write, took (ms): the next step's estimates. */
  timings: z.object({ computeMs: z.nullable(z.number()), tabMs: z.record(z.string(), z.number()) }),
});
export type RefreshState = z.infer<typeof RefreshStateSchema>;

/** Raised when the user must act in the sidebar before the add-on can go on. */
export class NotConnectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotConnectedError';
  }
}

function readJson<T>(store: KeyValueStore, key: string, schema: Parameters<typeof parseRecord<T>>[0], what: string): T | null {
  const raw = store.get(key);
  if (raw === null) return null;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw new Error(`The stored ${what} (${key}) is not JSON; disconnect and connect again`);
  }
  return parseRecord(schema, v, `stored ${what}`);
}

export function saveAppCredentials(userStore: KeyValueStore, input: unknown): AppCredentials {
  const parsed = parseRecord(AppCredentialsSchema, input, 'TikTok app');
  const app: AppCredentials = { appKey: parsed.appKey, appSecret: parsed.appSecret };
  if (parsed.serviceId) app.serviceId = parsed.serviceId;
  if (parsed.market) app.market = parsed.market;
  userStore.set(USER_KEYS.app, JSON.stringify(app));
  return app;
}

export function loadAppCredentials(userStore: KeyValueStore): AppCredentials {
  const app = readJson(userStore, USER_KEYS.app, AppCredentialsSchema, 'TikTok app');
  if (!app) throw new NotConnectedError('No TikTok app is set up: enter the app key and app secret in the sidebar (Connect).');
  return app;
}

export function hasAppCredentials(userStore: KeyValueStore): boolean {
  return userStore.get(USER_KEYS.app) !== null;
}

export function saveAuthorizedShops(userStore: KeyValueStore, shops: readonly AuthorizedShop[]): void {
  userStore.set(USER_KEYS.shops, JSON.stringify(shops));
}

export function loadAuthorizedShops(userStore: KeyValueStore): AuthorizedShop[] {
  const raw = userStore.get(USER_KEYS.shops);
  if (raw === null) return [];
  const list = JSON.parse(raw) as unknown;
  if (!Array.isArray(list)) throw new Error(`The stored list of shops (${USER_KEYS.shops}) is not a list; connect again`);
  return list.map((s) => parseRecord(ShopSchema, s, 'stored shop'));
}

export function loadSelectedShop(userStore: KeyValueStore, spreadsheetId: string): AuthorizedShop | null {
  return readJson(userStore, USER_KEYS.shopPrefix + spreadsheetId, ShopSchema, 'shop');
}

export function loadWorkbookShop(documentStore: KeyValueStore): WorkbookShop | null {
  return readJson(documentStore, DOCUMENT_KEYS.shop, WorkbookShopSchema, 'workbook shop');
}

/**
 * Selects one of the authorized shops for this spreadsheet. A workbook that already holds
 * another shop's data is refused: mixing two shops in one set of tabs would silently corrupt
 * every total (use a new spreadsheet for the other shop).
 */
export function selectShop(userStore: KeyValueStore, documentStore: KeyValueStore, spreadsheetId: string, shopId: string): AuthorizedShop {
  const shops = loadAuthorizedShops(userStore);
  const shop = shops.find((s) => s.id === shopId);
  if (!shop) {
    const known = shops.map((s) => `${s.name || s.id} (${s.id})`).join(', ') || 'none';
    throw new Error(`Shop ${shopId} is not among the shops this authorization granted (${known}); connect again and authorize that shop`);
  }
  const current = loadWorkbookShop(documentStore);
  if (current && current.id !== shop.id) {
    throw new Error(`This workbook holds the data of shop "${current.name}" (${current.id}); open a new spreadsheet for "${shop.name}" (${shop.id})`);
  }
  userStore.set(USER_KEYS.shopPrefix + spreadsheetId, JSON.stringify(shop));
  if (!current) documentStore.set(DOCUMENT_KEYS.shop, JSON.stringify({ id: shop.id, name: shop.name, region: shop.region }));
  return shop;
}

/** Forgets this user's tokens, app and shop choice; the workbook's data stays. */
export function disconnect(userStore: KeyValueStore, spreadsheetId: string, tokenKeys: readonly string[]): void {
  for (const k of [USER_KEYS.app, USER_KEYS.shops, USER_KEYS.shopPrefix + spreadsheetId, ...tokenKeys]) userStore.delete(k);
}

export function readRefreshState(documentStore: KeyValueStore): RefreshState {
  return readJson(documentStore, DOCUMENT_KEYS.refresh, RefreshStateSchema, 'refresh state')
    ?? { reportsRun: null, reportsTime: null, rebuild: null, timings: { computeMs: null, tabMs: {} } };
}

export function writeRefreshState(documentStore: KeyValueStore, state: RefreshState): void {
  documentStore.set(DOCUMENT_KEYS.refresh, JSON.stringify(state));
}

/**
 * The currency and timezone a new workbook starts with, from the shop's region (Get Authorized
 * Shops). Seller Center reports days in these zones; the seller can change both on the Settings tab.
 */
const REGION_DEFAULTS: Record<string, { currency: string; timezone: string }> = {
  US: { currency: 'USD', timezone: 'America/Los_Angeles' },
  GB: { currency: 'GBP', timezone: 'Europe/London' },
  UK: { currency: 'GBP', timezone: 'Europe/London' },
  DE: { currency: 'EUR', timezone: 'Europe/Berlin' },
  FR: { currency: 'EUR', timezone: 'Europe/Paris' },
  IT: { currency: 'EUR', timezone: 'Europe/Rome' },
  ES: { currency: 'EUR', timezone: 'Europe/Madrid' },
  IE: { currency: 'EUR', timezone: 'Europe/Dublin' },
  JP: { currency: 'JPY', timezone: 'Asia/Tokyo' },
  MX: { currency: 'MXN', timezone: 'America/Mexico_City' },
  BR: { currency: 'BRL', timezone: 'America/Sao_Paulo' },
  ID: { currency: 'IDR', timezone: 'Asia/Jakarta' },
  MY: { currency: 'MYR', timezone: 'Asia/Kuala_Lumpur' },
  PH: { currency: 'PHP', timezone: 'Asia/Manila' },
  SG: { currency: 'SGD', timezone: 'Asia/Singapore' },
  TH: { currency: 'THB', timezone: 'Asia/Bangkok' },
  VN: { currency: 'VND', timezone: 'Asia/Ho_Chi_Minh' },
};

export function regionDefaults(region: string): { currency: string; timezone: string } {
  const d = REGION_DEFAULTS[region.trim().toUpperCase()];
  if (!d) {
    throw new Error(`Shop region "${region}" has no default currency and timezone here; set them on the Settings tab (Currency, Timezone)`);
  }
  return d;
}
