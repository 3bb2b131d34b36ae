/**
 * A shop's records laid out as the add-on's tabs hold them, as Sheets passes whole-tab ranges to a
 * custom function: a 2-D array with the header row first, blank cells as '', and typed dates as
 * Date. Data tabs: the required columns plus the optional (fee) columns some record uses, rows by
 * the tab's own `toRow`. The seller's tabs: as a seller would type them.
 */
import { toMajor } from '../../src/core/money';
import type { ShopData } from '../../src/core/records';
import type { Settings } from '../../src/core/settings';
import { startOfDay, WEEKDAYS } from '../../src/core/time';
import {
  AD_SPEND_TAB, CREATOR_ORDERS_TAB, ORDERS_TAB, ORDER_LINES_TAB, PAYOUTS_TAB, PRODUCT_PERFORMANCE_TAB, RETURNS_TAB, returnsToRows,
  SETTLEMENTS_TAB, STATEMENTS_TAB, UNSETTLED_TAB, type Cell, type TabDef,
} from '../../src/sheets/tabs';
import { COGS_HEADERS, CREATOR_FEES_HEADERS, FIXED_COSTS_HEADERS, SETTING_DEFS, SETTINGS_HEADERS } from '../../src/sheets/user-tabs';

export type Range = unknown[][];

/** A data tab's range: required columns, plus the optional columns some record has a value in. */
export function dataTabRange<T>(def: TabDef<T>, records: readonly T[], options: { dayAsDate?: boolean } = {}): Range {
  const rows = records.map((r) => def.toRow(r));
  const keep = def.columns.map((c, i) => !c.optional || rows.some((row) => row[i] !== ''));
  const pick = (row: readonly Cell[]) => row.filter((_, i) => keep[i]);
  const dayColumns = def.columns.map((c) => c.kind === 'day');
  const body = rows.map((row, n) =>
    pick(row.map((v, i) => {
      // Every other typed day arrives as a Date (midnight, the script's local zone), as getValues gives it.
      if (options.dayAsDate && dayColumns[i] && typeof v === 'string' && n % 2 === 0) {
        const [y, m, d] = v.split('-').map(Number);
        return new Date(y, m - 1, d);
      }
      return v;
    })),
  );
  return [pick(def.headers as Cell[]), ...body];
}

/** Midnight of a shop day in the shop's zone, as Sheets gives a date cell when the spreadsheet's zone is the shop's. */
export function shopDate(day: string, timezone: string): Date {
  return new Date(startOfDay(day, timezone) * 1000);
}

function settingCell(key: string, settings: Settings): unknown {
  if (key === 'backfillDays') return 90;
  const [a, b] = key.split('.');
  const rec = settings as unknown as Record<string, Record<string, unknown>>;
  const v = b === undefined ? rec[a] : rec[a][b];
  const def = SETTING_DEFS.find((d) => d.key === key)!;
  switch (def.kind) {
    case 'percent':
      return (v as number) / 100;
    case 'money':
      return toMajor(v as number, settings.currency);
    case 'optMoney':
      return v === null ? '' : toMajor(v as number, settings.currency);
    case 'weekday': {
      const day = WEEKDAYS.find((d) => d === v)!;
      return day.charAt(0) + day.slice(1).toLowerCase();
    }
    default:
      return v;
  }
}

export interface TabRanges {
  orders: Range;
  order_lines: Range;
  settlements: Range;
  returns: Range;
  creator_orders: Range;
  ad_spend: Range;
  unsettled_estimates: Range;
  settings: Range;
  cogs: Range;
  fixed_costs: Range;
  creator_fees: Range;
  statements: Range;
  payouts: Range;
  product_performance: Range;
}

/** Every range a custom function over the tabs takes. */
export function tabRanges(data: ShopData, settings: Settings): TabRanges {
  const tz = settings.timezone;
  return {
    orders: dataTabRange(ORDERS_TAB, data.orders),
    order_lines: dataTabRange(ORDER_LINES_TAB, data.lines),
    settlements: dataTabRange(SETTLEMENTS_TAB, data.transactions),
    returns: dataTabRange(RETURNS_TAB, returnsToRows(data.returns)),
    creator_orders: dataTabRange(CREATOR_ORDERS_TAB, data.creatorOrders),
    ad_spend: dataTabRange(AD_SPEND_TAB, data.adSpend, { dayAsDate: true }),
    unsettled_estimates: dataTabRange(UNSETTLED_TAB, data.unsettled),
    statements: dataTabRange(STATEMENTS_TAB, data.statements),
    payouts: dataTabRange(PAYOUTS_TAB, data.payouts),
    product_performance: dataTabRange(PRODUCT_PERFORMANCE_TAB, data.productPerformance),
    settings: [[...SETTINGS_HEADERS], ...SETTING_DEFS.map((d) => [d.label, settingCell(d.key, settings), d.help])],
    // Every other cost's "Effective from" typed as a date; blank rows at the end, as in a whole-column range.
    cogs: [
      [...COGS_HEADERS],
      ...data.cogs.map((c, i) => [c.sku, toMajor(c.unitCost, c.currency), i % 3 === 0 ? '' : c.currency, i % 2 === 0 ? shopDate(c.effectiveFrom, tz) : c.effectiveFrom]),
      ['', '', '', ''],
    ],
    fixed_costs: [[...FIXED_COSTS_HEADERS], ...data.fixedCosts.map((f) => [f.month, f.label, f.currency, toMajor(f.amount, f.currency)])],
    creator_fees: [[...CREATOR_FEES_HEADERS], ...data.creatorFees.map((f, i) => [f.creatorUsername, i % 2 === 0 ? shopDate(f.date, tz) : f.date, f.currency, toMajor(f.amount, f.currency), f.note])],
  };
}

/** The engine tabs in the order every TIKTOK_ function over the tabs takes them. */
export function engineArgs(r: TabRanges): Range[] {
  return [r.orders, r.order_lines, r.settlements, r.returns, r.creator_orders, r.ad_spend, r.unsettled_estimates, r.settings, r.cogs, r.fixed_costs, r.creator_fees];
}
