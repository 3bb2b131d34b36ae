/**
 * The plumbing of the custom functions over the add-on's tabs (custom-reports.ts):
 * the tab ranges a formula passes → the engine's input, and a report table → a 2-D range.
 *
 * A custom function gets VALUES only: a range arrives as a 2-D array (blank cells '', dates as
 * Date), with no sheet name and no headers unless the range includes its header row. So every
 * tab is passed WHOLE, header row included (`Orders!A:Z`, or the named range
 * `tableRangeName("Orders")` = `TTS_Orders_all`), and columns are matched by header name, as
 * Refresh reads them. The ranges are put behind an in-memory SheetGateway and read with the
 * add-on's own readers (readTab + each tab's fromRow, rowsToReturns, readSettings, readCogs…),
 * so a cell means here exactly what it means to Refresh, and a bad cell gets the same message,
 * prefixed with the function and the argument.
 *
 * Pure: no Apps Script service, no network, no writes.
 */
import { DataError } from '../core/errors';
import { computeMargins } from '../core/margin';
import { toMajor } from '../core/money';
import { emptyShopData, type ShopData } from '../core/records';
import type { Column, DayRange, ReportInput, ReportTable, Row } from '../core/reports/table';
import { addDays, dayKey, isDayKey } from '../core/time';
import { readTab, TabHeaderError, type SheetGateway, type TabData, tableRangeName } from './table';
import { dataTabRecords } from './workbook';
import {
  AD_SPEND_TAB, CREATOR_ORDERS_TAB, normalizeHeader, ORDERS_TAB, ORDER_LINES_TAB, PAYOUTS_TAB, PRODUCT_PERFORMANCE_TAB,
  RETURNS_TAB, SETTLEMENTS_TAB, STATEMENTS_TAB, TabRowError, UNSETTLED_TAB, type TabDef,
} from './tabs';
import {
  COGS_HEADERS, COGS_TAB, CREATOR_FEES_HEADERS, CREATOR_FEES_TAB, FIXED_COSTS_HEADERS, FIXED_COSTS_TAB, readCogs, readCreatorFees,
  readFixedCosts, readSettings, SETTINGS_HEADERS, SETTINGS_TAB,
} from './user-tabs';

/**
 * Error of a custom function: its message is what the cell shows (no stack trace). Its name stays
 * "Error", so the cell reads "Error: TIKTOK_…: argument …" like the helpers' errors.
 */
export class CustomFunctionError extends Error {}

// ---------------------------------------------------------------- the tab arguments

/** One tab argument: its name on the help card, the tab it must be, the headers that identify it. */
interface TabArgument {
  arg: string;
  tab: string;
  /** Headers the range's first row must have (the tab's required columns). */
  headers: readonly string[];
  /** A range example for messages. */
  example: string;
}

const dataArg = (arg: string, def: TabDef<unknown>, lastColumn: string): TabArgument => ({
  arg, tab: def.tab, headers: def.baseHeaders, example: `${quoteTab(def.tab)}!A:${lastColumn} or ${tableRangeName(def.tab)}`,
});
const userArg = (arg: string, tab: string, headers: readonly string[], lastColumn: string): TabArgument => ({
  arg, tab, headers, example: `${quoteTab(tab)}!A:${lastColumn}`,
});

function quoteTab(tab: string): string {
  return /^[A-Za-z0-9_]+$/.test(tab) ? tab : `'${tab}'`;
}

/**
 * The tabs every function over the add-on's data takes, in this order, after its own arguments:
 * the engine needs all of them (and nothing else) for the order margins.
 */
export const ENGINE_TAB_ARGS: readonly TabArgument[] = [
  dataArg('orders', ORDERS_TAB as TabDef<unknown>, 'Z'),
  dataArg('order_lines', ORDER_LINES_TAB as TabDef<unknown>, 'Z'),
  dataArg('settlements', SETTLEMENTS_TAB as TabDef<unknown>, 'BZ'),
  dataArg('returns', RETURNS_TAB as TabDef<unknown>, 'Z'),
  dataArg('creator_orders', CREATOR_ORDERS_TAB as TabDef<unknown>, 'Z'),
  dataArg('ad_spend', AD_SPEND_TAB as TabDef<unknown>, 'Z'),
  dataArg('unsettled_estimates', UNSETTLED_TAB as TabDef<unknown>, 'BZ'),
  userArg('settings', SETTINGS_TAB, SETTINGS_HEADERS.slice(0, 2), 'C'),
  userArg('cogs', COGS_TAB, COGS_HEADERS, 'D'),
  userArg('fixed_costs', FIXED_COSTS_TAB, FIXED_COSTS_HEADERS, 'D'),
  userArg('creator_fees', CREATOR_FEES_TAB, CREATOR_FEES_HEADERS, 'E'),
];
/** Reconciliation also needs the statements and the payouts (after the engine tabs). */
export const STATEMENTS_ARG = dataArg('statements', STATEMENTS_TAB as TabDef<unknown>, 'Z');
export const PAYOUTS_ARG = dataArg('payouts', PAYOUTS_TAB as TabDef<unknown>, 'Z');
/** SKU profit may also take the product analytics (page view rate); optional. */
export const PRODUCT_PERFORMANCE_ARG = dataArg('product_performance', PRODUCT_PERFORMANCE_TAB as TabDef<unknown>, 'Z');

export type RangeInput = unknown;

export interface TabValues {
  /** Argument values, by argument name (undefined for an optional tab not passed). */
  [arg: string]: RangeInput;
}

/** SheetGateway over the ranges the formula passed: read-only. */
class RangeGateway implements SheetGateway {
  private readonly tabs = new Map<string, TabData>();
  set(tab: string, data: TabData): void {
    this.tabs.set(tab, data);
  }
  read(tab: string): TabData {
    return this.tabs.get(tab) ?? { headers: [], rows: [] };
  }
  write(tab: string): void {
    throw new Error(`custom functions do not write (${tab})`);
  }
  ensureTab(tab: string): void {
    throw new Error(`custom functions do not create tabs (${tab})`);
  }
}

function isBlankCell(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

function describeArgument(v: unknown): string {
  if (v === undefined) return 'nothing (the argument is missing)';
  if (Array.isArray(v)) return 'a range';
  if (isBlankCell(v)) return 'an empty cell';
  if (v instanceof Date || Object.prototype.toString.call(v) === '[object Date]') return 'a date';
  return typeof v === 'string' ? `the text "${v}"` : `the value ${String(v)}`;
}

/**
 * A tab range as the gateway's TabData, checked: a 2-D array whose first row has the tab's
 * headers. A body-only range (TTS_Orders) or another tab's range is refused, naming the argument.
 */
function tabData(fn: string, a: TabArgument, value: RangeInput): TabData {
  const prefix = `${fn}: argument "${a.arg}"`;
  const expected = `the whole ${a.tab} tab with its header row (e.g. ${a.example})`;
  if (!Array.isArray(value) || value.length === 0 || !Array.isArray(value[0])) {
    throw new CustomFunctionError(`${prefix}: expected ${expected}, got ${describeArgument(value)}`);
  }
  const rows = value as unknown[][];
  const header = rows[0].map((h) => normalizeHeader(h));
  const missing = a.headers.filter((h) => !header.includes(normalizeHeader(h)));
  if (missing.length > 0) {
    const other = ALL_TAB_ARGS.find((o) => o !== a && o.headers.every((h) => header.includes(normalizeHeader(h))));
    const got = other
      ? `the ${other.tab} tab (pass it as argument "${other.arg}")`
      : rows[0].every(isBlankCell)
        ? 'a range whose first row is blank'
        : `a range whose first row has no "${missing[0]}" column (a TTS_ body range such as TTS_Orders has no header row: use ${tableRangeName(a.tab)})`;
    throw new CustomFunctionError(`${prefix}: expected ${expected}, got ${got}`);
  }
  return { headers: rows[0].map((h) => String(h ?? '')), rows: rows.slice(1) };
}

const ALL_TAB_ARGS: readonly TabArgument[] = [...ENGINE_TAB_ARGS, STATEMENTS_ARG, PAYOUTS_ARG, PRODUCT_PERFORMANCE_ARG];

/** Runs a reader, turning its errors (bad cell, missing column) into the function's message. */
function asArgumentError<T>(fn: string, arg: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof TabRowError || e instanceof TabHeaderError || e instanceof DataError) {
      throw new CustomFunctionError(`${fn}: argument "${arg}": ${e.message}`);
    }
    throw e;
  }
}

function readDataTab<T>(fn: string, gateway: RangeGateway, arg: string, def: TabDef<T>): { records: T[]; rowNumbers: number[] } {
  const r = asArgumentError(fn, arg, () => readTab(gateway, def));
  if (r.invalid.length > 0) {
    const more = r.invalid.length > 1 ? ` (and ${r.invalid.length - 1} more row${r.invalid.length === 2 ? '' : 's'})` : '';
    throw new CustomFunctionError(`${fn}: argument "${arg}": ${r.invalid[0].message}${more}`);
  }
  return r;
}

/** The Currency and Time zone rows of the Settings range: the defaults readSettings starts from. */
function settingsDefaults(fn: string, data: TabData): { currency: string; timezone: string } {
  const setting = data.headers.findIndex((h) => normalizeHeader(h) === normalizeHeader(SETTINGS_HEADERS[0]));
  const value = data.headers.findIndex((h) => normalizeHeader(h) === normalizeHeader(SETTINGS_HEADERS[1]));
  const find = (label: string, example: string): string => {
    const row = data.rows.find((r) => normalizeHeader(r[setting]) === normalizeHeader(label));
    const v = row?.[value];
    if (row === undefined || typeof v !== 'string' || v.trim() === '') {
      throw new CustomFunctionError(`${fn}: argument "settings": expected a "${label}" row with a value such as ${example} (custom functions have no shop region to default from), got ${row === undefined ? 'no such row' : describeArgument(v)}`);
    }
    return v.trim();
  };
  return { currency: find('Currency', 'USD').toUpperCase(), timezone: find('Time zone', 'America/Los_Angeles') };
}

/** What the function's tab arguments hold, read as Refresh reads the tabs. */
export interface ShopInput extends ReportInput {
  /** The data's as-of (Unix seconds): see `dataAsOf`. */
  asOf: number;
}

/**
 * The engine's input from the tab arguments, and ONE engine run over it. `extra` are further tab
 * arguments the function takes (statements, payouts, product performance); an optional one that
 * is not passed (undefined or blank) is an empty tab.
 */
export function shopInput(fn: string, values: TabValues, extra: readonly { arg: TabArgument; optional: boolean }[] = []): ShopInput {
  const gateway = new RangeGateway();
  for (const a of ENGINE_TAB_ARGS) gateway.set(a.tab, tabData(fn, a, values[a.arg]));
  for (const { arg, optional } of extra) {
    const v = values[arg.arg];
    if (optional && (v === undefined || isBlankCell(v))) continue;
    gateway.set(arg.tab, tabData(fn, arg, v));
  }

  const defaults = settingsDefaults(fn, gateway.read(SETTINGS_TAB));
  const { settings } = asArgumentError(fn, 'settings', () => readSettings(gateway, defaults));
  const tz = settings.timezone;
  // Tab arguments by tab; a data tab no argument holds (Cancellations, Products…) reads as empty.
  const argOf = new Map([...ENGINE_TAB_ARGS, ...extra.map((x) => x.arg)].map((a) => [a.tab, a.arg]));
  const data: ShopData = emptyShopData();
  Object.assign(data, asArgumentError(fn, 'returns', () => dataTabRecords((def) => readDataTab(fn, gateway, argOf.get(def.tab) ?? def.tab, def))));
  // Dates the seller typed are read as days of the shop's time zone (the spreadsheet's zone is not
  // known to a custom function): keep File > Settings > Time zone equal to the shop's.
  data.cogs = asArgumentError(fn, 'cogs', () => readCogs(gateway, settings.currency, tz));
  data.fixedCosts = asArgumentError(fn, 'fixed_costs', () => readFixedCosts(gateway, settings.currency, tz));
  data.creatorFees = asArgumentError(fn, 'creator_fees', () => readCreatorFees(gateway, settings.currency, tz));

  const asOf = dataAsOf(data);
  const margins = asArgumentError(fn, 'orders', () => computeMargins(data, settings, asOf));
  return { data, settings, margins, asOf };
}

/**
 * The as-of of the reports a custom function computes: the latest time in the data tabs (order
 * created/updated/paid/cancelled/delivered, statement and settlement times, payout created/paid,
 * return created/updated, creator order created, estimate fetched), or 0 with no data. A custom
 * function must give the same answer for the same cells (Sheets caches it), so it cannot use the
 * clock; the data's own latest time is the moment the tabs describe. It decides which orders the
 * trailing fee rates use and which buyers are old enough for a repeat rate.
 */
export function dataAsOf(data: ShopData): number {
  let t = 0;
  const see = (v: number | null) => {
    if (v !== null && v > t) t = v;
  };
  for (const o of data.orders) {
    see(o.createTime); see(o.updateTime); see(o.paidTime); see(o.cancelTime); see(o.deliveryTime);
  }
  for (const x of data.transactions) see(x.statementTime);
  for (const s of data.statements) see(s.statementTime);
  for (const p of data.payouts) {
    see(p.createTime); see(p.paidTime);
  }
  for (const r of data.returns) {
    see(r.createTime); see(r.updateTime);
  }
  for (const c of data.creatorOrders) see(c.createTime);
  for (const u of data.unsettled) see(u.fetchedTime);
  return t;
}

// ---------------------------------------------------------------- scalar arguments

function isDateValue(v: unknown): v is Date {
  return v instanceof Date || Object.prototype.toString.call(v) === '[object Date]';
}

/** A day argument: a Date (a date cell, DATE()) read in the shop's time zone, or a text YYYY-MM-DD; null when blank. */
export function dayArgument(fn: string, arg: string, v: unknown, timezone: string): string | null {
  if (v === undefined || isBlankCell(v)) return null;
  if (isDateValue(v) && !isNaN(v.getTime())) return dayKey(Math.floor(v.getTime() / 1000), timezone);
  if (typeof v === 'string' && isDayKey(v.trim())) return v.trim();
  throw new CustomFunctionError(`${fn}: argument "${arg}": expected a date (a date cell, DATE(2025,3,1) or "2025-03-01"), got ${describeArgument(v)}`);
}

/**
 * The period of `start`..`end` (shop days, inclusive). A blank start is the first order day of the
 * data; a blank end is the as-of day (the data's latest day).
 */
export function periodArgument(fn: string, start: unknown, end: unknown, input: ShopInput): DayRange {
  const tz = input.settings.timezone;
  let from = dayArgument(fn, 'start', start, tz);
  let to = dayArgument(fn, 'end', end, tz);
  if (to === null) to = dayKey(input.asOf, tz);
  if (from === null) {
    from = to;
    for (const o of input.margins.orders) if (o.day < from) from = o.day;
  }
  if (to < from) {
    throw new CustomFunctionError(`${fn}: argument "end": expected a day on or after start (${from}), got ${to}`);
  }
  return { label: from === to ? from : `${from} to ${to}`, from, to };
}

/** A keyword argument: one of `choices` (case- and blank-insensitive); `fallback` when blank. */
export function choiceArgument<T extends string>(fn: string, arg: string, v: unknown, choices: readonly T[], fallback: T | null): T {
  if ((v === undefined || isBlankCell(v)) && fallback !== null) return fallback;
  const s = typeof v === 'string' ? v.trim().toLowerCase().replace(/[\s-]+/g, '_') : null;
  const hit = choices.find((c) => c === s);
  if (hit === undefined) {
    throw new CustomFunctionError(`${fn}: argument "${arg}": expected one of ${choices.map((c) => `"${c}"`).join(', ')}, got ${describeArgument(v)}`);
  }
  return hit;
}

// ---------------------------------------------------------------- output

export type OutCell = string | number | boolean;

/**
 * One report cell as a sheet cell: money (minor units) in major units of the shop currency,
 * percents as shares (0.25 = 25%), days as text "YYYY-MM-DD", an undefined value (null) blank.
 */
export function outCell(column: Column, v: Row[string], currency: string): OutCell {
  if (v === null || v === undefined) return '';
  if (column.format === 'money' && typeof v === 'number') return toMajor(v, currency);
  return v;
}

/** A report table as a range: the header row (column labels), then one row per report row. */
export function tableRange(table: ReportTable, currency: string, rows: readonly Row[] = table.rows): OutCell[][] {
  const out: OutCell[][] = [table.columns.map((c) => c.label)];
  for (const r of rows) out.push(table.columns.map((c) => outCell(c, r[c.key], currency)));
  return out;
}

/** The day after `day`. */
export function nextDay(day: string): string {
  return addDays(day, 1);
}
