/**
 * The tabs the USER owns: COGS, Settings, Fixed costs and Creator fees.
 *
 * The add-on creates each of them once (`ensureUserTabs`), with a header row and a few example
 * rows, and after that only READS them: a tab that exists is never written again, not even its
 * header, so nothing the seller typed is ever overwritten. Readers turn the rows into the core
 * records (CogsEntry, FixedCost, CreatorFee, Settings) or throw an error that names the tab, the
 * row, the column, what was expected and what was found (`TabRowError`, a DataError).
 *
 * Conventions:
 * - Columns are found by header text (trimmed, case- and space-insensitive, `normalizeHeader`), in
 *   any order; the user may add columns of their own. A missing column is a `TabHeaderError`.
 * - Rows whose columns are all blank are skipped.
 * - EXAMPLE ROWS: a row whose SKU (COGS), Label (Fixed costs) or Creator (Creator fees) starts with
 *   the word "EXAMPLE" (any case, e.g. "EXAMPLE-SKU-1", "Example: rent") is skipped by the reader:
 *   the rows the add-on writes as examples never change a number, and the user may edit them in
 *   place (renaming the SKU makes the row count) or delete them.
 * - Money is in MAJOR units of the shop currency: a number (read at the 15 significant digits
 *   Sheets shows, so 0.1+0.2 reads as 0.30) or a text such as "12.50", "$12.50", "1,234.56",
 *   "12.50 USD". More decimals than the currency has are refused, never rounded.
 * - Currency column: blank means the shop currency; anything else must BE the shop currency
 *   (one shop, one currency).
 * - Dates: a Date cell (what getValues gives for a date the user typed: midnight in the
 *   SPREADSHEET's time zone, `spreadsheetTimeZone`, default the shop time zone) or a text
 *   "YYYY-MM-DD". COGS "Effective from" may be blank: the cost applies since always (read as
 *   1970-01-01). Fixed-cost "Month" is "YYYY-MM", or any date in the month.
 * - Unit costs and creator fees are 0 or more; a fixed cost may be negative (a credit that lowers
 *   costs, as FixedCostSchema allows).
 * - Creator: a leading "@" is dropped (TikTok usernames are stored without it).
 * - Settings: one row per setting, `Setting | Value | What it means`, matched by the Setting label
 *   (normalizeHeader rules). A blank Value, or a setting row that is not there, is the default.
 *   Percentages are PERCENT NUMBERS: 6 means 6% (stored as 600 basis points); a text "6%" or
 *   "7.5%" is accepted too. A NUMBER strictly between 0 and 1 is refused as ambiguous: Sheets
 *   stores a typed "8%" as the number 0.08, which cannot be told from 0.08 percent. Money settings
 *   are major units (5.00, not 500). Unknown setting names are an error naming the row.
 */
import { DataError } from '../core/errors';
import { parseAdCurrencyRates, type AdCurrencyRate } from '../core/ad-spend';
import { formatAmount, isKnownCurrency, minorUnits, parseAmount, toMajor } from '../core/money';
import { CogsEntrySchema, CreatorFeeSchema, FixedCostSchema, parseRecord, type CogsEntry, type CreatorFee, type FixedCost } from '../core/records';
import { ALLOCATION_METHODS, parseSettings, type Settings } from '../core/settings';
import type { FollowerDay } from '../core/reports/customers';
import { dayKey, isDayKey, isValidTimeZone, WEEKDAYS } from '../core/time';
import { escapeCell, TabHeaderError, type SheetGateway, type TabData } from './table';
import { normalizeHeader, TabRowError } from './tabs';

// ---------------------------------------------------------------- tab names and headers

export const COGS_TAB = 'COGS';
export const SETTINGS_TAB = 'Settings';
export const FIXED_COSTS_TAB = 'Fixed costs';
export const CREATOR_FEES_TAB = 'Creator fees';
/** Follower counts per day, from the seller (Data Compass export or typed): the API has none. */
export const FOLLOWERS_TAB = 'Followers';
/** The user's tabs, in the order they are created. */
export const USER_TABS = [COGS_TAB, SETTINGS_TAB, FIXED_COSTS_TAB, CREATOR_FEES_TAB, FOLLOWERS_TAB] as const;

export const COGS_HEADERS = ['SKU', 'Unit landed cost', 'Currency', 'Effective from'] as const;
export const SETTINGS_HEADERS = ['Setting', 'Value', 'What it means'] as const;
export const FIXED_COSTS_HEADERS = ['Month', 'Label', 'Currency', 'Amount'] as const;
export const CREATOR_FEES_HEADERS = ['Creator', 'Date', 'Currency', 'Amount', 'Note'] as const;
export const FOLLOWERS_HEADERS = ['Date', 'Followers', 'Buyers who follow'] as const;

/** Sync settings read from the Settings tab next to the engine's Settings. */
export const DEFAULT_BACKFILL_DAYS = 90;
/** Day used for a COGS row with a blank "Effective from": before any order. */
export const COGS_SINCE_ALWAYS = '1970-01-01';

/** A row whose key text (SKU, Label, Creator) starts with the word EXAMPLE is an example: ignored. */
export function isExampleText(v: unknown): boolean {
  return typeof v === 'string' && /^\s*example(?![a-z0-9])/i.test(v);
}

export interface UserTabDefaults {
  currency: string;
  /** The shop's IANA time zone. */
  timezone: string;
}

export interface UserTabReadOptions {
  /**
   * The spreadsheet's time zone (SpreadsheetApp.getActive().getSpreadsheetTimeZone()): a date the
   * user typed comes back from getValues as a Date at midnight of this zone. Default: the shop's.
   */
  spreadsheetTimeZone?: string;
}

// ---------------------------------------------------------------- cells

type Fail = (expected: string) => never;

function isBlank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

function textFromCell(v: unknown, what: string, fail: Fail): string {
  if (typeof v === 'string') return v.trim();
  // An id typed by hand becomes a number; a long one has lost digits already.
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  if (typeof v === 'number' && Number.isInteger(v)) {
    return fail(`${what} as text (Sheets turned this long ID into a number and dropped digits: format the column as Plain text, or type the ID with a leading apostrophe)`);
  }
  return fail(what);
}

/** Symbols a seller may type in front of (or after) an amount, per currency; the ISO code always works. */
const SYMBOLS: Readonly<Record<string, readonly string[]>> = {
  USD: ['US$', '$'], CAD: ['CA$', 'C$', '$'], AUD: ['AU$', 'A$', '$'], MXN: ['MX$', '$'], SGD: ['S$', '$'],
  HKD: ['HK$', '$'], TWD: ['NT$', '$'], BRL: ['R$'], GBP: ['£'], EUR: ['€'], JPY: ['¥', '￥'], CNY: ['¥', '￥'],
  KRW: ['₩'], VND: ['₫'], PHP: ['₱'], THB: ['฿'], IDR: ['Rp'], MYR: ['RM'], PLN: ['zł'], CHF: ['CHF'],
  SAR: ['SR'], AED: ['AED'], CZK: ['Kč'], HUF: ['Ft'], SEK: ['kr'], DKK: ['kr'], NOK: ['kr'], CLP: ['$'],
};

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** "$1,234.50" → "1234.50"; null when the text is not an amount of this currency. */
function plainAmountText(text: string, currency: string): string | null {
  let s = text.trim().replace(/\u00a0/g, ' ');
  let sign = '';
  if (s.startsWith('-') || s.startsWith('+')) {
    sign = s[0] === '-' ? '-' : '';
    s = s.slice(1).trim();
  }
  const marks = [currency, ...(SYMBOLS[currency] ?? [])].map(escapeRe).join('|');
  const m = new RegExp(`^(?:(?:${marks})\\s*)?([-+]?[\\d.,]+)(?:\\s*(?:${marks}))?$`, 'i').exec(s);
  if (!m) return null;
  let num = m[1];
  if (num.startsWith('-') || num.startsWith('+')) {
    if (sign !== '' || text.trim().startsWith('+')) return null; // two signs
    sign = num[0] === '-' ? '-' : '';
    num = num.slice(1);
  }
  if (num.includes(',')) {
    // Thousands separators only where they belong ("1,234.56"); "1.234,56" or "12,5" is refused.
    if (!/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(num)) return null;
    num = num.replace(/,/g, '');
  }
  if (!/^\d+(\.\d+)?$/.test(num)) return null;
  return sign + num;
}

function amountExample(currency: string): string {
  return formatAmount(10 ** minorUnits(currency) * 12 + (minorUnits(currency) > 0 ? 50 : 0), currency);
}

/** A money cell (major units) → minor units of `currency`. */
function moneyFromCell(v: unknown, currency: string, allowNegative: boolean, fail: Fail): number {
  const what = `an amount in ${currency} such as ${amountExample(currency)}`;
  if (isBlank(v)) return fail(what);
  let input: string | number;
  if (typeof v === 'number') input = v;
  else if (typeof v === 'string') {
    const plain = plainAmountText(v, currency);
    if (plain === null) return fail(what);
    input = plain;
  } else return fail(what);
  let minor: number;
  try {
    minor = parseAmount(input, currency, { record: '', field: '' });
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    const exp = e.location.expected;
    return fail(exp.startsWith('an amount in') ? what : exp);
  }
  if (minor < 0 && !allowNegative) return fail(`an amount of 0 or more in ${currency}`);
  return minor === 0 ? 0 : minor; // never -0
}

/** A currency cell: blank = the shop currency; otherwise it must be the shop currency. */
function currencyFromCell(v: unknown, currency: string, fail: Fail): string {
  if (isBlank(v)) return currency;
  if (typeof v === 'string' && v.trim().toUpperCase() === currency) return currency;
  return fail(`${currency}, the shop's currency (or an empty cell)`);
}

/** A date cell → "YYYY-MM-DD": a Date (midnight in the spreadsheet's zone) or a text day key. */
function dayFromCell(v: unknown, spreadsheetTimeZone: string, fail: Fail): string {
  if (v instanceof Date && !isNaN(v.getTime())) return dayKey(Math.floor(v.getTime() / 1000), spreadsheetTimeZone);
  if (typeof v === 'string' && isDayKey(v.trim())) return v.trim();
  return fail('a date such as 2026-03-01');
}

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

function monthFromCell(v: unknown, spreadsheetTimeZone: string, fail: Fail): string {
  if (v instanceof Date && !isNaN(v.getTime())) return dayKey(Math.floor(v.getTime() / 1000), spreadsheetTimeZone).slice(0, 7);
  if (typeof v === 'string') {
    const s = v.trim();
    if (MONTH_RE.test(s)) return s;
    if (isDayKey(s)) return s.slice(0, 7);
  }
  return fail('a month such as 2026-03 (or a date in that month)');
}

// ---------------------------------------------------------------- header mapping

/** Index of each wanted column in the sheet's header row; throws when one is missing or doubled. */
function columnIndex(tab: string, sheetHeaders: readonly unknown[], wanted: readonly string[], optional: readonly string[] = []): number[] {
  const headers = sheetHeaders.map((h) => String(h ?? ''));
  const position = new Map<string, number>();
  const wantedNorm = new Set(wanted.map(normalizeHeader));
  headers.forEach((h, i) => {
    const n = normalizeHeader(h);
    if (n === '') return;
    if (position.has(n) && wantedNorm.has(n)) {
      throw new TabHeaderError(tab, h, `column "${h.trim()}" appears twice in the header row (row 1); delete one of them`);
    }
    position.set(n, i);
  });
  return wanted.map((w) => {
    const i = position.get(normalizeHeader(w));
    if (i !== undefined) return i;
    if (optional.includes(w)) return -1;
    const got = headers.map((h) => h.trim()).filter((h) => h !== '');
    throw new TabHeaderError(
      tab,
      w,
      `column "${w}" is missing from the header row (row 1): expected the columns ${wanted.filter((x) => !optional.includes(x)).join(', ')} (in any order), got ${got.length === 0 ? 'no headers' : got.join(', ')}`,
    );
  });
}

interface Row {
  /** Sheet row number (header = 1). */
  number: number;
  /** Cells in `wanted` order ('' for an absent optional column). */
  cells: unknown[];
}

/**
 * The non-blank rows of a user tab, cells in `wanted` order; an empty tab has none. A tab that does
 * not exist is whatever the gateway makes of it (in-memory: empty; Apps Script: an error saying so,
 * never a silent "no COGS"): run ensureUserTabs first.
 */
function userRows(gateway: SheetGateway, tab: string, wanted: readonly string[], optional: readonly string[] = []): Row[] {
  const data = gateway.read(tab);
  if (isEmptyTab(data)) return [];
  const index = columnIndex(tab, data.headers, wanted, optional);
  const out: Row[] = [];
  data.rows.forEach((raw, i) => {
    const cells = index.map((j) => (j < 0 || j >= raw.length ? '' : raw[j]));
    if (cells.every(isBlank)) return;
    out.push({ number: i + 2, cells });
  });
  return out;
}

/**
 * The tab's contents, or null when reading it failed: the gateway's read of a missing tab returns
 * nothing (in-memory) or throws (Apps Script). Used only by ensureUserTabs, which reads the tab
 * again, without catching, before it writes anything.
 */
function readIfExists(gateway: SheetGateway, tab: string): TabData | null {
  try {
    return gateway.read(tab);
  } catch {
    return null;
  }
}

function failAt(tab: string, row: number, column: string, got: unknown): Fail {
  return (expected) => {
    throw new TabRowError(tab, row, column, expected, got);
  };
}

/** The spreadsheet's time zone as a string, or in options. */
export type SpreadsheetZone = string | UserTabReadOptions;

function zoneOf(timezone: string, options: SpreadsheetZone | undefined): string {
  const tz = (typeof options === 'string' ? options : options?.spreadsheetTimeZone) ?? timezone;
  if (!isValidTimeZone(tz)) throw new Error(`"${tz}" is not an IANA time zone such as America/Los_Angeles`);
  return tz;
}

function checkCurrency(currency: string): void {
  if (!isKnownCurrency(currency)) throw new Error(`"${currency}" is not a known ISO 4217 currency code such as USD`);
}

// ---------------------------------------------------------------- COGS, fixed costs, creator fees

/**
 * COGS rows: SKU (seller SKU or TikTok SKU id), unit landed cost, currency, effective from.
 * Two rows for the same SKU and the same effective-from day are an error (which cost counts?).
 */
export function readCogs(gateway: SheetGateway, currency: string, timezone: string, options?: SpreadsheetZone): CogsEntry[] {
  checkCurrency(currency);
  const tz = zoneOf(timezone, options);
  const [SKU, COST, CUR, FROM] = COGS_HEADERS;
  const out: CogsEntry[] = [];
  const seen = new Map<string, number>();
  for (const { number, cells } of userRows(gateway, COGS_TAB, COGS_HEADERS)) {
    const [sku, cost, cur, from] = cells;
    if (isExampleText(sku)) continue;
    // A SKU with neither cost nor date is a cost still to enter (the sidebar adds such rows for the
    // SKUs sold without cost): skipped, so the SKU stays flagged as without cost.
    if (!isBlank(sku) && isBlank(cost) && isBlank(from)) continue;
    const skuText = isBlank(sku) ? failAt(COGS_TAB, number, SKU, sku)('a SKU (seller SKU or TikTok SKU ID)') : textFromCell(sku, 'a SKU (seller SKU or TikTok SKU ID)', failAt(COGS_TAB, number, SKU, sku));
    const unitCost = moneyFromCell(cost, currency, false, failAt(COGS_TAB, number, COST, cost));
    const entryCurrency = currencyFromCell(cur, currency, failAt(COGS_TAB, number, CUR, cur));
    const effectiveFrom = isBlank(from) ? COGS_SINCE_ALWAYS : dayFromCell(from, tz, failAt(COGS_TAB, number, FROM, from));
    const key = `${skuText}\u0000${effectiveFrom}`;
    const before = seen.get(key);
    if (before !== undefined) {
      failAt(COGS_TAB, number, FROM, from)(`one cost per SKU and day (row ${before} already has SKU "${skuText}" from ${effectiveFrom})`);
    }
    seen.set(key, number);
    out.push(parseRecord(CogsEntrySchema, { sku: skuText, currency: entryCurrency, unitCost, effectiveFrom }, `${COGS_TAB} tab`, `row ${number}`));
  }
  return out;
}

/** Fixed costs: month, label, currency, amount (a negative amount is a credit). */
export function readFixedCosts(gateway: SheetGateway, currency: string, timezone: string, options?: SpreadsheetZone): FixedCost[] {
  checkCurrency(currency);
  const tz = zoneOf(timezone, options);
  const [MONTH, LABEL, CUR, AMOUNT] = FIXED_COSTS_HEADERS;
  const out: FixedCost[] = [];
  for (const { number, cells } of userRows(gateway, FIXED_COSTS_TAB, FIXED_COSTS_HEADERS)) {
    const [month, label, cur, amount] = cells;
    if (isExampleText(label)) continue;
    const monthKey = monthFromCell(month, tz, failAt(FIXED_COSTS_TAB, number, MONTH, month));
    const labelText = isBlank(label) ? '' : textFromCell(label, 'a text', failAt(FIXED_COSTS_TAB, number, LABEL, label));
    const costCurrency = currencyFromCell(cur, currency, failAt(FIXED_COSTS_TAB, number, CUR, cur));
    const minor = moneyFromCell(amount, currency, true, failAt(FIXED_COSTS_TAB, number, AMOUNT, amount));
    out.push(parseRecord(FixedCostSchema, { month: monthKey, label: labelText, currency: costCurrency, amount: minor }, `${FIXED_COSTS_TAB} tab`, `row ${number}`));
  }
  return out;
}

/** Flat creator fees: creator, date, currency, amount, note. */
export function readCreatorFees(gateway: SheetGateway, currency: string, timezone: string, options?: SpreadsheetZone): CreatorFee[] {
  checkCurrency(currency);
  const tz = zoneOf(timezone, options);
  const [CREATOR, DATE, CUR, AMOUNT, NOTE] = CREATOR_FEES_HEADERS;
  const out: CreatorFee[] = [];
  for (const { number, cells } of userRows(gateway, CREATOR_FEES_TAB, CREATOR_FEES_HEADERS)) {
    const [creator, date, cur, amount, note] = cells;
    if (isExampleText(creator)) continue;
    const failCreator = failAt(CREATOR_FEES_TAB, number, CREATOR, creator);
    const name = isBlank(creator) ? failCreator('a creator username') : textFromCell(creator, 'a creator username', failCreator).replace(/^@/, '');
    if (name === '') failCreator('a creator username');
    const day = dayFromCell(date, tz, failAt(CREATOR_FEES_TAB, number, DATE, date));
    const feeCurrency = currencyFromCell(cur, currency, failAt(CREATOR_FEES_TAB, number, CUR, cur));
    const minor = moneyFromCell(amount, currency, false, failAt(CREATOR_FEES_TAB, number, AMOUNT, amount));
    const noteText = isBlank(note) ? '' : typeof note === 'string' ? note.trim() : String(note);
    out.push(parseRecord(CreatorFeeSchema, { creatorUsername: name, date: day, currency: feeCurrency, amount: minor, note: noteText }, `${CREATOR_FEES_TAB} tab`, `row ${number}`));
  }
  return out;
}

/**
 * The Followers tab → one FollowerDay per date (the Customers tab's follower conversion). A
 * workbook made before the tab existed has none: no follower data, not an error. Counts are
 * whole numbers ≥ 0; a date twice is refused (which count would be right?).
 */
export function readFollowers(gateway: SheetGateway, timezone: string, options?: SpreadsheetZone): FollowerDay[] {
  const tz = zoneOf(timezone, options);
  if (readIfExists(gateway, FOLLOWERS_TAB) === null) return [];
  const [DATE, FOLLOWERS, BUYERS] = FOLLOWERS_HEADERS;
  const out: FollowerDay[] = [];
  const seen = new Map<string, number>();
  const count = (v: unknown, column: string, number: number): number => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < 0) failAt(FOLLOWERS_TAB, number, column, v)('a whole number of at least 0');
    return n;
  };
  for (const { number, cells } of userRows(gateway, FOLLOWERS_TAB, FOLLOWERS_HEADERS)) {
    const [date, followers, buyers] = cells;
    const day = dayFromCell(date, tz, failAt(FOLLOWERS_TAB, number, DATE, date));
    const before = seen.get(day);
    if (before !== undefined) failAt(FOLLOWERS_TAB, number, DATE, date)(`each date once (${day} is already in row ${before})`);
    seen.set(day, number);
    out.push({ date: day, followers: count(followers, FOLLOWERS, number), buyersWhoFollow: count(buyers, BUYERS, number) });
  }
  return out;
}

// ---------------------------------------------------------------- settings

export type SettingKind = 'currency' | 'timezone' | 'weekday' | 'allocation' | 'percent' | 'money' | 'optMoney' | 'count' | 'adRates' | 'yesno';

export interface SettingDef {
  /** Field path: 'currency', 'rateCard.referralFeeBp', or 'backfillDays' (sync, outside Settings). */
  key: string;
  /** What the Setting column says. */
  label: string;
  kind: SettingKind;
  /** Largest percent allowed (restock shares: 100). */
  maxPercent?: number;
  /** The "What it means" text. */
  help: string;
}

/** Every setting, in the order of the Settings tab. */
export const SETTING_DEFS: readonly SettingDef[] = [
  { key: 'currency', label: 'Currency', kind: 'currency', help: 'Shop currency, an ISO code such as USD. Every amount on the COGS, Fixed costs and Creator fees tabs is in it.' },
  { key: 'timezone', label: 'Time zone', kind: 'timezone', help: "Shop time zone, such as America/Los_Angeles: days, weeks and months are the shop's." },
  { key: 'weekStart', label: 'Week starts on', kind: 'weekday', help: 'First day of a reporting week: Monday ... Sunday.' },
  { key: 'allocationMethod', label: 'Ad spend allocation', kind: 'allocation', help: "How ad spend is shared over orders: by_day (each day's spend over that day's orders, by revenue), by_product (a campaign's spend over orders of its products) or new_buyers (over buyers' first orders only)." },
  { key: 'restockShareReturnBp', label: 'Restock share, return and refund (%)', kind: 'percent', maxPercent: 100, help: 'Share of the cost of returned units that comes back as sellable stock when units are returned. 100 = all of it (type 100, not 1).' },
  { key: 'restockShareRefundOnlyBp', label: 'Restock share, refund only (%)', kind: 'percent', maxPercent: 100, help: 'The same when the buyer is refunded without returning the units. 0 = nothing comes back.' },
  { key: 'packagingCostPerOrder', label: 'Packaging cost per order', kind: 'money', help: 'Your packaging cost per order, in the shop currency (e.g. 0.50).' },
  { key: 'pickPackCostPerOrder', label: 'Pick and pack cost per order', kind: 'money', help: 'Your pick-and-pack (warehouse) cost per order, in the shop currency.' },
  { key: 'trailingWindowDays', label: 'Trailing fee window (days)', kind: 'count', help: 'Fees of orders not yet settled are estimated from the orders settled in this many past days.' },
  { key: 'trailingMinOrders', label: 'Trailing fee minimum orders', kind: 'count', help: 'Fewest settled orders in that window for the estimate; with fewer, the rate card below is used.' },
  { key: 'rateCard.referralFeeBp', label: 'Referral fee (%)', kind: 'percent', help: 'Rate card: referral fee on customer payment + platform discount - tax. 6 = 6%.' },
  { key: 'rateCard.transactionFeeBp', label: 'Transaction fee (%)', kind: 'percent', help: 'Rate card: transaction / payment fee on the same base (US: included in the referral fee, so 0).' },
  { key: 'rateCard.serviceFeeBp', label: 'Service fees (%)', kind: 'percent', help: 'Rate card: other platform service fees (SFP, campaigns) on the same base.' },
  { key: 'rateCard.refundAdminShareBp', label: 'Refund administration fee (% of referral fee)', kind: 'percent', help: 'Rate card: refund administration fee, as a share of the referral fee of the refunded amount. 20 = 20%.' },
  { key: 'rateCard.refundAdminCapPerSku', label: 'Refund administration fee cap per SKU', kind: 'money', help: 'Rate card: most refund administration fee per refunded SKU line, in the shop currency (e.g. 5.00).' },
  { key: 'rateCard.shippingCostPerOrder', label: 'Shipping cost per order (estimate)', kind: 'money', help: 'Rate card: shipping you pay per order, used until the statement shows the real amount.' },
  { key: 'thresholds.creatorGmvThreshold', label: 'Creator GMV threshold', kind: 'optMoney', help: 'Creator GMV that splits "high" from "low" creators, in the shop currency. Blank = the median creator\'s GMV.' },
  { key: 'thresholds.targetCm3Bp', label: 'Target CM3 (%)', kind: 'percent', help: 'CM3 as a share of net revenue that counts as a good margin; below it is an alert. 15 = 15%.' },
  { key: 'thresholds.returnRateAlertBp', label: 'Return rate alert (%)', kind: 'percent', help: 'Returned units / units sold above which a SKU or creator is flagged.' },
  { key: 'thresholds.returnRateSpikeBp', label: 'Return rate spike (%)', kind: 'percent', help: 'Week-over-week rise of a return rate that counts as a spike. 50 = up by half.' },
  { key: 'thresholds.pageViewRateHealthyMinBp', label: 'Page view rate, healthy minimum (%)', kind: 'percent', help: 'Product page views / impressions: bottom of the healthy band.' },
  { key: 'thresholds.pageViewRateHealthyMaxBp', label: 'Page view rate, healthy maximum (%)', kind: 'percent', help: 'Product page views / impressions: top of the healthy band.' },
  { key: 'thresholds.pageViewRateAlertBp', label: 'Page view rate alert (%)', kind: 'percent', help: 'Product page view rate below which a product is flagged.' },
  { key: 'thresholds.statementTieOutBp', label: 'Statement tie-out tolerance (%)', kind: 'percent', help: 'A statement whose transactions differ from its total by more than this share does not tie out.' },
  { key: 'thresholds.payoutToleranceMinor', label: 'Payout tolerance', kind: 'money', help: 'Payout minus (settlement + reserve) beyond this amount, in the shop currency, is flagged.' },
  { key: 'thresholds.estimatedShareAlertBp', label: 'Estimated share alert (%)', kind: 'percent', help: "Share of last month's orders still estimated (not settled) above which an alert is raised." },
  { key: 'thresholds.staleAfterHours', label: 'Data stale after (hours)', kind: 'count', help: 'Hours since the last successful refresh after which the data counts as stale.' },
  { key: 'backfillDays', label: 'Backfill days', kind: 'count', help: 'The first refresh reads this many past days from TikTok Shop.' },
  { key: 'adRereadDays', label: 'Ad spend re-read days', kind: 'count', help: 'Each refresh reads the ad spend of this many recent days again (attribution and billing still change them).' },
  { key: 'adCurrencyRates', label: 'Ad account currency rates', kind: 'adRates', help: 'Only for an ad account in another currency than the shop: "EUR 1.0850 2025-03-01" = 1 EUR is 1.0850 shop currency, rate of that date; several separated by ";". Reports using it show the rate and date.' },
  { key: 'hideDataTabs', label: 'Hide data tabs', kind: 'yesno', help: 'TRUE hides the raw data tabs (Orders, Settlements, …) at the end of the workbook; FALSE shows them. Formulas still read them.' },
];

/** Settings read outside the engine's Settings (sync and ads), by key. */
const SYNC_SETTING_KEYS = new Set(['backfillDays', 'adRereadDays', 'adCurrencyRates']);
export const DEFAULT_AD_REREAD_DAYS = 7;

const WEEKDAY_NAMES = WEEKDAYS.map((d) => d.charAt(0) + d.slice(1).toLowerCase());

/** The default value of every setting, by key (Settings defaults + backfillDays). */
function defaultValues(defaults: UserTabDefaults): Map<string, unknown> {
  const s = parseSettings({ currency: defaults.currency, timezone: defaults.timezone }) as unknown as Record<string, Record<string, unknown>>;
  const out = new Map<string, unknown>();
  for (const def of SETTING_DEFS) {
    if (def.key === 'backfillDays') out.set(def.key, DEFAULT_BACKFILL_DAYS);
    else if (def.key === 'hideDataTabs') out.set(def.key, false);
    else if (def.key === 'adRereadDays') out.set(def.key, DEFAULT_AD_REREAD_DAYS);
    else if (def.key === 'adCurrencyRates') out.set(def.key, []);
    else {
      const [a, b] = def.key.split('.');
      out.set(def.key, b === undefined ? s[a] : s[a][b]);
    }
  }
  return out;
}

/** A setting's internal value → its Value cell (human units). */
function settingCell(def: SettingDef, value: unknown, currency: string): unknown {
  switch (def.kind) {
    case 'percent':
      return (value as number) / 100;
    case 'money':
      return toMajor(value as number, currency);
    case 'optMoney':
      return value === null ? '' : toMajor(value as number, currency);
    case 'weekday':
      return WEEKDAY_NAMES[WEEKDAYS.indexOf(value as (typeof WEEKDAYS)[number])];
    case 'adRates':
      return (value as AdCurrencyRate[]).map((r) => `${r.currency} ${r.rate} ${r.date}`).join('; ');
    default:
      return value;
  }
}

/** "7.5" → 750 basis points; null when not a plain non-negative decimal with at most 2 places. */
function percentTextToBp(s: string): number | null {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return null;
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > 2) return null;
  const bp = Number(m[1] + frac.padEnd(2, '0'));
  return Number.isSafeInteger(bp) ? bp : null;
}

function settingValue(def: SettingDef, v: unknown, currency: string, fail: Fail): unknown {
  const name = `"${def.label}"`;
  switch (def.kind) {
    case 'currency': {
      const s = typeof v === 'string' ? v.trim().toUpperCase() : '';
      if (!isKnownCurrency(s)) fail(`${name} to be a currency code such as USD`);
      return s;
    }
    case 'timezone': {
      const s = typeof v === 'string' ? v.trim() : '';
      if (s === '' || !isValidTimeZone(s)) fail(`${name} to be a time zone such as America/Los_Angeles`);
      return s;
    }
    case 'weekday': {
      const s = typeof v === 'string' ? v.trim().toUpperCase() : '';
      const day = WEEKDAYS.find((d) => d === s);
      if (!day) return fail(`${name} to be a day of the week such as Monday`);
      return day;
    }
    case 'allocation': {
      const s = typeof v === 'string' ? v.trim().toLowerCase().replace(/[\s-]+/g, '_') : '';
      const m = ALLOCATION_METHODS.find((a) => a === s);
      if (!m) return fail(`${name} to be one of ${ALLOCATION_METHODS.join(', ')}`);
      return m;
    }
    case 'percent': {
      const max = def.maxPercent;
      const what = `${name} to be a percent such as 6 or "6%" for 6%${max !== undefined ? `, at most ${max}` : ''}`;
      let bp: number | null = null;
      if (typeof v === 'number') {
        if (!Number.isFinite(v) || v < 0) return fail(what);
        if (v > 0 && v < 1) {
          return fail(`${name} to be a percent number such as 6 for 6% (a number between 0 and 1 is ambiguous: Sheets stores a typed "8%" as 0.08; type 8 for 8%, or the text '0.5% for half a percent)`);
        }
        bp = percentTextToBp(String(Number(v.toPrecision(15))));
        if (bp === null) return fail(`${name} to be a percent with at most 2 decimal places`);
      } else if (typeof v === 'string') {
        const s = v.trim().replace(/\s*%$/, '').trim();
        if (!/^\d+(\.\d+)?$/.test(s)) return fail(what);
        bp = percentTextToBp(s);
        if (bp === null) return fail(`${name} to be a percent with at most 2 decimal places`);
      } else return fail(what);
      if (max !== undefined && bp > max * 100) return fail(what);
      return bp;
    }
    case 'money':
    case 'optMoney': {
      try {
        return moneyFromCell(v, currency, false, (expected) => {
          throw new SettingMoneyError(expected);
        });
      } catch (e) {
        if (e instanceof SettingMoneyError) return fail(`${name} to be ${e.expected}`);
        throw e;
      }
    }
    case 'yesno': {
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string' && /^\s*(true|yes)\s*$/i.test(v)) return true;
      if (typeof v === 'string' && /^\s*(false|no)\s*$/i.test(v)) return false;
      return fail(`${name} to be TRUE or FALSE`);
    }
    case 'adRates': {
      if (typeof v !== 'string') return fail(`${name} to be text such as "EUR 1.0850 2025-03-01"`);
      try {
        return parseAdCurrencyRates(v, currency);
      } catch (e) {
        if (e instanceof DataError) return fail(`${name} to be ${e.location.expected}`);
        throw e;
      }
    }
    case 'count': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
      if (!Number.isSafeInteger(n) || n < 1) return fail(`${name} to be a whole number of at least 1`);
      return n;
    }
  }
}

class SettingMoneyError extends Error {
  constructor(readonly expected: string) {
    super(expected);
  }
}

export interface UserSettings {
  settings: Settings;
  /** Days the first refresh reads (sync setting, default 90). */
  backfillDays: number;
  /** Hide the data tabs (workbook display, default false). */
  hideDataTabs: boolean;
  /** Recent days of ad spend each refresh reads again (default 7). */
  adRereadDays: number;
  /** Conversion rates for ad accounts in another currency (default none). */
  adCurrencyRates: AdCurrencyRate[];
}

/**
 * The Settings tab → Settings (+ backfillDays). Missing tab, missing row or blank Value → the
 * default (currency and time zone: `defaults`). Errors name the row and the setting.
 */
export function readSettings(gateway: SheetGateway, defaults: UserTabDefaults, spreadsheetZone?: SpreadsheetZone): UserSettings {
  // No setting is a date; the zone is only checked, so a bad one fails here as in the other readers.
  if (spreadsheetZone !== undefined) zoneOf(defaults.timezone, spreadsheetZone);
  const [SETTING, VALUE] = SETTINGS_HEADERS;
  const byLabel = new Map(SETTING_DEFS.map((d) => [normalizeHeader(d.label), d]));
  const found = new Map<string, { row: number; value: unknown }>();
  for (const { number, cells } of userRows(gateway, SETTINGS_TAB, [SETTING, VALUE])) {
    const [name, value] = cells;
    if (isBlank(name)) {
      failAt(SETTINGS_TAB, number, SETTING, name)(`a setting name such as "Referral fee (%)" for the value in this row`);
    }
    const def = typeof name === 'string' ? byLabel.get(normalizeHeader(name)) : undefined;
    if (!def) {
      return failAt(SETTINGS_TAB, number, SETTING, name)(`a setting name this add-on knows, such as "Referral fee (%)" (fix the name or delete the row)`);
    }
    const before = found.get(def.key);
    if (before !== undefined) failAt(SETTINGS_TAB, number, SETTING, name)(`each setting once ("${def.label}" is already in row ${before.row})`);
    found.set(def.key, { row: number, value });
  }

  const values = defaultValues(defaults);
  // Currency first: money settings are read in it.
  const order = [...SETTING_DEFS].sort((a, b) => (a.kind === 'currency' ? -1 : b.kind === 'currency' ? 1 : 0));
  for (const def of order) {
    const cell = found.get(def.key);
    if (!cell || isBlank(cell.value)) continue;
    const currency = values.get('currency') as string;
    values.set(def.key, settingValue(def, cell.value, currency, failAt(SETTINGS_TAB, cell.row, VALUE, cell.value)));
  }

  const input: Record<string, unknown> = { thresholds: {}, rateCard: {} };
  for (const def of SETTING_DEFS) {
    if (SYNC_SETTING_KEYS.has(def.key) || def.key === 'hideDataTabs') continue;
    const [a, b] = def.key.split('.');
    if (b === undefined) input[a] = values.get(def.key);
    else (input[a] as Record<string, unknown>)[b] = values.get(def.key);
  }
  return {
    settings: parseSettings(input), backfillDays: values.get('backfillDays') as number,
    adRereadDays: values.get('adRereadDays') as number, adCurrencyRates: values.get('adCurrencyRates') as AdCurrencyRate[],
    hideDataTabs: values.get('hideDataTabs') as boolean,
  };
}

// ---------------------------------------------------------------- creating the tabs

function exampleRows(tab: string, currency: string): unknown[][] {
  // Amounts in hundredths: 450 → 4.50 in a currency with cents, 450 in one without (JPY).
  const m = (hundredths: number) => (minorUnits(currency) === 0 ? hundredths : toMajor(hundredths, currency));
  switch (tab) {
    case COGS_TAB:
      return [
        ['EXAMPLE-SKU-1', m(450), currency, '2025-01-01'],
        ['EXAMPLE-SKU-1', m(475), currency, '2025-07-01'],
        ['EXAMPLE-SKU-2', m(1200), currency, ''],
      ];
    case FIXED_COSTS_TAB:
      return [
        ['2025-01', 'EXAMPLE - Warehouse rent', currency, m(150000)],
        ['2025-01', 'EXAMPLE - Software subscriptions', currency, m(9900)],
      ];
    case CREATOR_FEES_TAB:
      return [['EXAMPLE-creator', '2025-01-15', currency, m(20000), 'EXAMPLE: flat fee for one video (rows whose Creator starts with EXAMPLE are ignored)']];
    default:
      return [];
  }
}

function settingsRows(defaults: UserTabDefaults): unknown[][] {
  const values = defaultValues(defaults);
  return SETTING_DEFS.map((d) => [d.label, settingCell(d, values.get(d.key), defaults.currency), d.help]);
}

function headersOf(tab: string): readonly string[] {
  switch (tab) {
    case COGS_TAB: return COGS_HEADERS;
    case SETTINGS_TAB: return SETTINGS_HEADERS;
    case FIXED_COSTS_TAB: return FIXED_COSTS_HEADERS;
    case FOLLOWERS_TAB: return FOLLOWERS_HEADERS;
    default: return CREATOR_FEES_HEADERS;
  }
}

function isEmptyTab(data: TabData): boolean {
  return data.headers.every(isBlank) && data.rows.every((r) => r.every(isBlank));
}

/**
 * Creates each user tab that does not exist yet, with its header row and example rows (Settings:
 * one row per setting with its default), in one write per tab. A tab that exists is never written,
 * not even its header; a tab with no cells at all counts as not existing. Returns the tabs created.
 */
export function ensureUserTabs(gateway: SheetGateway, defaults: UserTabDefaults): string[] {
  checkCurrency(defaults.currency);
  if (!isValidTimeZone(defaults.timezone)) throw new Error(`"${defaults.timezone}" is not an IANA time zone such as America/Los_Angeles`);
  const created: string[] = [];
  for (const tab of USER_TABS) {
    const before = readIfExists(gateway, tab);
    if (before !== null && !isEmptyTab(before)) continue;
    const headers = headersOf(tab);
    gateway.ensureTab(tab, headers);
    // Read again without catching: the tab must hold nothing but (at most) our header row, or a
    // failed first read would let us overwrite the user's tab.
    const now = gateway.read(tab);
    const onlyOurHeader = now.rows.every((r) => r.every(isBlank)) &&
      (now.headers.every(isBlank) || (now.headers.filter((h) => !isBlank(h)).length === headers.length && headers.every((h, i) => normalizeHeader(now.headers[i]) === normalizeHeader(h))));
    if (!onlyOurHeader) continue;
    const rows = tab === SETTINGS_TAB ? settingsRows(defaults) : exampleRows(tab, defaults.currency);
    gateway.write(tab, {
      headers: headers.map((h) => String(escapeCell(h))),
      rows: rows.map((r) => r.map(escapeCell)),
    });
    created.push(tab);
  }
  return created;
}
