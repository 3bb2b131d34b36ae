/**
 * Report tabs: the engine's report tables materialized as plain values, native number formats,
 * frozen headers, conditional formatting and native charts, so a manager who does not have the
 * add-on (custom functions do not run for them) reads the same numbers.
 *
 * Two halves:
 * - `layoutReport` (pure): one ReportTable → header, rows and a number format per cell.
 *   - money cells hold integer minor units of `definitions.currency`; they are written as
 *     major-unit numbers (`toMajor`) with the format `#,##0.00 "USD"` / `#,##0 "JPY"`: as many
 *     decimals as the currency's minor unit, and the ISO code as a quoted literal suffix rather
 *     than a symbol ("$" is also CAD, AUD, MXN…; a literal does not depend on the viewer's locale);
 *   - percent (a share 0..1) → `0.0%`; integer → `#,##0`; ratio → `0.00`;
 *   - text and day columns → `@` (plain text: an order id or "2025-02-17" stays text), every
 *     string passed through `escapeCell` (quote prefix, so `=IMPORTXML(…)` in a product name is
 *     never run as a formula);
 *   - booleans stay booleans (general format); null (undefined metric, e.g. 0/0) → '' (a blank,
 *     never a fake 0).
 *   - the stamp: `As of 2026-11-24 09:00 (shop time) · accrual · allocation by day ·
 *     12% estimated · data from 2026-10-01 to 2026-11-23`.
 * - `writeReportTab` (Apps Script, through the narrow interfaces below): clears the tab, writes
 *   row 1 = the stamp, then each table as one block (planTab): a title row, the header row, the
 *   body and one row per definitions note; blocks are separated by a blank row. ONE setValues and
 *   ONE setNumberFormats per block, with the block's exact dimensions, and four style calls over
 *   the same range (styleBlock). Widths fit the content (columnWidths); frozen rows belong to the
 *   table under them (a tab of one table freezes to its header, a tab of several only the stamp).
 *   Decorations are chosen by table id:
 *   - `sku_profit`: a gradient rule on the CM3 % column (red below 0, white at 0, green at the
 *     max) and red rules on the grades "high GMV / low margin" and "no cost: add it on the COGS tab";
 *   - `dashboard_trend` / `dashboard_creators`: a line chart of daily CM3 and net profit and a
 *     scatter of creators' GMV (x) against CM3 % (y), side by side under the Dashboard's headline;
 *   - `reconciliation`: a waterfall of the Total row (see `waterfallRows`), drawn as a stacked
 *     column chart beside a helper block written first on the tab (Apps Script's chart builder
 *     has no waterfall type).
 */
import { minorUnits, toMajor } from '../core/money';
import type { AllReports } from '../core/reports';
import { NO_COST_GRADE as SKU_NO_COST_GRADE } from '../core/reports/sku';
import { cogsGapText, type Column, type ReportTable, type Row } from '../core/reports/table';
import { offsetSeconds } from '../core/time';
import { asWorkbookFull, escapeCell } from './table';

export type LayoutCell = string | number | boolean | '';

export interface ReportLayout {
  title: string;
  stamp: string;
  header: string[];
  rows: LayoutCell[][];
  /** One format per cell of `rows` (same dimensions). */
  numberFormats: string[][];
  /** The definitions' notes, as they are (escaped when written). */
  notes: string[];
}

/** Sheets' default ("automatic") number format. */
export const GENERAL_FORMAT = '0.###############';
export const TEXT_FORMAT = '@';
export const PERCENT_FORMAT = '0.0%';
export const INTEGER_FORMAT = '#,##0';
export const RATIO_FORMAT = '0.00';

/** `#,##0.00 "USD"`, `#,##0 "JPY"`: the currency's decimals, its code as a literal suffix. */
export function moneyFormat(currency: string): string {
  const digits = minorUnits(currency);
  return `#,##0${digits > 0 ? '.' + '0'.repeat(digits) : ''} "${currency}"`;
}

export function columnFormat(column: Column, currency: string): string {
  switch (column.format) {
    case 'money':
      return moneyFormat(currency);
    case 'percent':
      return PERCENT_FORMAT;
    case 'integer':
      return INTEGER_FORMAT;
    case 'ratio':
      return RATIO_FORMAT;
    case 'boolean':
      return GENERAL_FORMAT;
    case 'text':
    case 'day':
      return TEXT_FORMAT;
  }
}

function cellValue(v: Row[string] | undefined, column: Column, currency: string): LayoutCell {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return '';
    return column.format === 'money' ? toMajor(v, currency) : v;
  }
  if (typeof v === 'boolean') return v;
  return escapeCell(v) as string;
}

/** "2026-11-24 09:00" in the shop's timezone. */
function shopTime(unixSeconds: number, timezone: string): string {
  const local = new Date((unixSeconds + offsetSeconds(unixSeconds, timezone)) * 1000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}

/** The "as of" line a reader needs to trust (or not) the numbers below it. */
export function reportStamp(table: ReportTable): string {
  const d = table.definitions;
  const estimated = d.estimatedShare === null ? 'no orders with fees' : `${Math.round(d.estimatedShare * 100)}% estimated`;
  const range = d.dataFrom !== null && d.dataTo !== null ? `data from ${d.dataFrom} to ${d.dataTo}` : 'no order data';
  const parts = [`As of ${shopTime(d.asOf, d.timezone)} (shop time)`, d.view, `allocation ${d.allocationMethod.replace(/_/g, ' ')}`, estimated, range];
  // The honest headline: a report whose orders sold SKUs with no cost says so on its first line.
  if (d.cogsIncomplete) parts.push(cogsGapText(d.cogsIncomplete));
  return parts.join(' · ');
}

export function layoutReport(table: ReportTable): ReportLayout {
  const currency = table.definitions.currency;
  const formats = table.columns.map((c) => columnFormat(c, currency));
  return {
    title: table.title,
    stamp: reportStamp(table),
    header: table.columns.map((c) => String(escapeCell(c.label))),
    rows: table.rows.map((r) => table.columns.map((c) => cellValue(r[c.key], c, currency))),
    numberFormats: table.rows.map(() => [...formats]),
    notes: [...table.definitions.notes],
  };
}

// ---------------------------------------------------------------- tabs of AllReports

export const DASHBOARD_TAB = 'Dashboard';

/** The report tabs' names in workbook order (reportTabs writes exactly these). */
export const REPORT_TAB_NAMES = [
  DASHBOARD_TAB, 'Decisions', 'Alerts', 'Profit', 'Daily profit', 'Month close', 'SKU profit', 'Creators', 'Customers',
  'New buyers over time', 'Top customers', 'Order status', 'Channels', 'Ads', 'Reconciliation', 'Order margin',
] as const;

export interface ReportTabSpec {
  tab: string;
  tables: ReportTable[];
}

/** Every report tab and the tables it stacks, in workbook order (the Dashboard first). */
export function reportTabs(all: AllReports): ReportTabSpec[] {
  const c = all.customers;
  return [
    { tab: DASHBOARD_TAB, tables: all.dashboard },
    { tab: 'Decisions', tables: [all.decisions] },
    { tab: 'Alerts', tables: [all.alerts] },
    { tab: 'Profit', tables: [all.profit.accrual, all.profit.cash] },
    { tab: 'Daily profit', tables: [all.profit.accrualDaily, all.profit.cashDaily] },
    { tab: 'Month close', tables: [all.close.months, all.close.weeks] },
    { tab: 'SKU profit', tables: [all.skuProfit] },
    { tab: 'Creators', tables: [all.creators] },
    {
      tab: 'Customers',
      tables: [c.newBuyers, c.repeatPurchase, c.firstOrdersBySource, c.firstOrdersByCreator, c.cohortCm3PerBuyer, c.cohortBuyersRetained, c.returnsAndRefunds, ...(c.followerConversion ? [c.followerConversion] : [])],
    },
    { tab: 'New buyers over time', tables: [all.customerDetail.newBuyerRateOverTime] },
    { tab: 'Top customers', tables: [all.customerDetail.topCustomers] },
    { tab: 'Order status', tables: [all.orderStatus.byStatus, all.orderStatus.openReturns, all.orderStatus.cancellations] },
    { tab: 'Channels', tables: [all.channels.channels, all.channels.analyticsByDay] },
    { tab: 'Ads', tables: [all.ads.periods, all.ads.campaigns] },
    { tab: 'Reconciliation', tables: [all.reconciliation.periods, all.reconciliation.statements, all.reconciliation.payouts, all.reconciliation.transactionsNotAddingUp] },
    { tab: 'Order margin', tables: [all.orderMargin] },
  ];
}

// ---------------------------------------------------------------- waterfall

/** Reconciliation columns drawn as a full bar (from 0); every money column between two is a step. */
const WATERFALL_SUBTOTALS = ['gmvOrdersCreated', 'settledGmv', 'netSales', 'itemizedSettlement', 'settlementAmount', 'toBePaidOut', 'paidToBank'];

export const WATERFALL_HEADER = ['Step', 'Base', 'Decrease', 'Increase', 'Subtotal', 'Decrease (past 0)', 'Increase (past 0)'];

/**
 * The waterfall of the reconciliation's Total row as stacked-column data (major units).
 *
 * Walks the money columns from "GMV of orders created" to "Paid to bank" in column order. The
 * subtotal columns (GMV, settled GMV, net sales, itemized settlement, settlement amount, to be paid
 * out, paid to bank) are full bars from 0 in "Subtotal"; every other money column is a step that
 * moves the running total (the column's value, signed) and is drawn in "Decrease" or "Increase"
 * on top of an invisible "Base". A step from a to b is drawn over [min, max]: when both are ≥ 0
 * the base is min(a, b) and the bar |b − a| stacks up from it; when both are ≤ 0 the base is
 * max(a, b) and the bar −|b − a| stacks down from it; when the step crosses 0 the base is 0, its
 * positive part goes in Decrease/Increase and its negative part in "… (past 0)" (a cell holds one
 * value, and Sheets stacks positives up and negatives down from 0 separately). Steps of 0 are left
 * out. When the running total does not reach a subtotal (it should: the report's own arithmetic),
 * a step "Not explained by the steps above" closes the gap, so the picture never hides it.
 */
export function waterfallRows(table: ReportTable, rowLabel = 'Total'): (string | number)[][] {
  const currency = table.definitions.currency;
  const row = table.rows.find((r) => r.period === rowLabel) ?? table.rows[table.rows.length - 1];
  if (!row) return [];
  const out: (string | number)[][] = [];
  const major = (m: number) => toMajor(m, currency);
  const step = (label: string, before: number, after: number) => {
    const lo = Math.min(before, after);
    const hi = Math.max(before, after);
    const up = after > before;
    const cells = [String(escapeCell(label)), 0, 0, 0, 0, 0, 0] as (string | number)[];
    const main = up ? 3 : 2;
    const past = up ? 6 : 5;
    if (lo >= 0) {
      cells[1] = major(lo);
      cells[main] = major(hi - lo);
    } else if (hi <= 0) {
      cells[1] = major(hi);
      cells[main] = major(lo - hi);
    } else {
      cells[main] = major(hi);
      cells[past] = major(lo);
    }
    out.push(cells);
  };
  let running: number | null = null;
  let started = false;
  for (const c of table.columns) {
    if (c.format !== 'money') continue;
    const v = typeof row[c.key] === 'number' ? (row[c.key] as number) : 0;
    if (WATERFALL_SUBTOTALS.includes(c.key)) {
      if (running !== null && running !== v) step('Not explained by the steps above', running, v);
      out.push([String(escapeCell(c.label)), 0, 0, 0, major(v), 0, 0]);
      running = v;
      started = true;
      if (c.key === WATERFALL_SUBTOTALS[WATERFALL_SUBTOTALS.length - 1]) break;
      continue;
    }
    if (!started || v === 0 || running === null) continue;
    step(c.label, running, running + v);
    running += v;
  }
  return out;
}

// ---------------------------------------------------------------- column widths

/** Pixels per character of Sheets' default font (Arial 10) and the cell's padding. */
const PX_PER_CHAR = 7;
const CELL_PADDING_PX = 14;
export const MIN_COLUMN_PX = 48;
export const MAX_COLUMN_PX = 360;
/** The widths a column may take (pixels), from MIN_COLUMN_PX to MAX_COLUMN_PX. */
const WIDTH_STEPS = [48, 64, 80, 100, 120, 150, 180, 220, 280, 360];
/** Headers wrap (at most over three lines): a column need not be as wide as its whole header. */
const HEADER_LINES = 3;

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Characters a cell shows under its number format (what decides whether Sheets shows "###"). */
export function displayLength(v: LayoutCell, format: string): number {
  if (v === '') return 0;
  if (typeof v === 'boolean') return 5;
  if (typeof v === 'string') return v.startsWith("'") ? v.length - 1 : v.length;
  const sign = v < 0 ? 1 : 0;
  if (format === PERCENT_FORMAT) return sign + (Math.abs(v) * 100).toFixed(1).length + 1;
  if (format === RATIO_FORMAT) return sign + Math.abs(v).toFixed(2).length;
  if (format === INTEGER_FORMAT) return sign + groupThousands(Math.abs(Math.round(v)).toFixed(0)).length;
  const money = /^#,##0(?:\.(0+))? "([^"]+)"$/.exec(format);
  if (money) {
    const [whole, fraction] = Math.abs(v).toFixed(money[1]?.length ?? 0).split('.');
    return sign + groupThousands(whole).length + (fraction ? fraction.length + 1 : 0) + 1 + money[2].length;
  }
  return String(v).length;
}

/** The width (pixels) of a header: its longest word, or its length spread over HEADER_LINES lines. */
function headerLength(h: string): number {
  const text = h.startsWith("'") ? h.slice(1) : h;
  const longestWord = Math.max(...text.split(/\s+/).map((w) => w.length));
  return Math.max(longestWord, Math.ceil(text.length / HEADER_LINES));
}

/**
 * Column widths (pixels) that fit every header (wrapped) and every body cell as shown, between
 * MIN_COLUMN_PX and MAX_COLUMN_PX. The stamp, titles and notes are left out: they are one cell
 * of column A whose text runs over the blank cells beside it.
 */
export function columnWidths(layouts: readonly ReportLayout[], extra: readonly (readonly LayoutCell[])[] = []): number[] {
  const chars: number[] = [];
  const see = (j: number, n: number) => (chars[j] = Math.max(chars[j] ?? 0, n));
  for (const l of layouts) {
    l.header.forEach((h, j) => see(j, headerLength(h)));
    l.rows.forEach((r, i) => r.forEach((v, j) => see(j, displayLength(v, l.numberFormats[i][j]))));
  }
  for (const r of extra) r.forEach((v, j) => see(j, typeof v === 'number' ? displayLength(v, '#,##0.00 "USD"') : displayLength(v, TEXT_FORMAT)));
  // Rounded up to a few steps: neighbours of about the same width share one setColumnWidths call
  // (each call is a round trip; a tab has up to 59 columns).
  return Array.from({ length: chars.length }, (_, j) => {
    const px = (chars[j] ?? 0) * PX_PER_CHAR + CELL_PADDING_PX;
    return WIDTH_STEPS.find((w) => w >= px) ?? MAX_COLUMN_PX;
  });
}

// ---------------------------------------------------------------- Apps Script side

/** The slices of the Apps Script classes this module calls (the real ones and dev/runtime/gas's models have them). */
export interface ReportRangeLike {
  setValues(values: unknown[][]): unknown;
  setNumberFormats(formats: string[][]): unknown;
  setFontWeights(weights: ('bold' | 'normal')[][]): unknown;
  setBackgrounds(colors: (string | null)[][]): unknown;
  setWraps(wraps: boolean[][]): unknown;
  setNotes(notes: string[][]): unknown;
  clearNote(): unknown;
}

export interface ConditionalFormatRuleBuilderLike {
  setRanges(ranges: ReportRangeLike[]): ConditionalFormatRuleBuilderLike;
  setGradientMinpointWithValue(color: string, type: unknown, value: string): ConditionalFormatRuleBuilderLike;
  setGradientMidpointWithValue(color: string, type: unknown, value: string): ConditionalFormatRuleBuilderLike;
  setGradientMaxpoint(color: string): ConditionalFormatRuleBuilderLike;
  whenTextEqualTo(text: string): ConditionalFormatRuleBuilderLike;
  whenTextContains(text: string): ConditionalFormatRuleBuilderLike;
  whenNumberLessThan(value: number): ConditionalFormatRuleBuilderLike;
  setBackground(color: string): ConditionalFormatRuleBuilderLike;
  setFontColor(color: string): ConditionalFormatRuleBuilderLike;
  build(): unknown;
}

export interface ChartBuilderLike {
  asLineChart(): ChartBuilderLike;
  asScatterChart(): ChartBuilderLike;
  asColumnChart(): ChartBuilderLike;
  addRange(range: ReportRangeLike): ChartBuilderLike;
  setNumHeaders(headers: number): ChartBuilderLike;
  setOption(option: string, value: unknown): ChartBuilderLike;
  setPosition(anchorRow: number, anchorColumn: number, offsetX: number, offsetY: number): ChartBuilderLike;
  build(): unknown;
}

export interface ReportSheetLike {
  clear(): unknown;
  getMaxRows(): number;
  getMaxColumns(): number;
  insertRowsAfter(afterPosition: number, howMany: number): unknown;
  insertColumnsAfter(afterPosition: number, howMany: number): unknown;
  deleteRows(rowPosition: number, howMany: number): unknown;
  getRange(row: number, column: number, numRows: number, numColumns: number): ReportRangeLike;
  setFrozenRows(rows: number): unknown;
  setFrozenColumns(columns: number): unknown;
  setColumnWidths(startColumn: number, numColumns: number, width: number): unknown;
  setConditionalFormatRules(rules: unknown[]): unknown;
  getCharts(): unknown[];
  removeChart(chart: unknown): unknown;
  newChart(): ChartBuilderLike;
  insertChart(chart: unknown): unknown;
}

export interface ReportSpreadsheetLike {
  getSheetByName(name: string): ReportSheetLike | null;
  insertSheet(name: string): ReportSheetLike;
}

export interface WriteReportOptions {
  /** SpreadsheetApp.newConditionalFormatRule in Apps Script. */
  newConditionalFormatRule: () => ConditionalFormatRuleBuilderLike;
  /** SpreadsheetApp.InterpolationType (only NUMBER is used). */
  interpolationType: { NUMBER: unknown };
}

/** Where one table landed on the tab (1-based rows). */
export interface WrittenBlock {
  tableId: string;
  titleRow: number;
  headerRow: number;
  firstBodyRow: number;
  bodyRows: number;
  width: number;
}

/** A chart as placed: what it draws and where its top-left corner is (1-based row and column). */
export interface PlacedChart {
  id: string;
  anchorRow: number;
  anchorColumn: number;
  offsetX: number;
  width: number;
  height: number;
}

export interface WrittenTab {
  tab: string;
  blocks: WrittenBlock[];
  frozenRows: number;
  frozenColumns: number;
  /** Pixels, column A first. */
  columnWidths: number[];
  charts: PlacedChart[];
  /** Rows of the waterfall helper block (Reconciliation), when written. */
  waterfall: WrittenBlock | null;
}

const RED = '#E67C73';
const WHITE = '#FFFFFF';
const GREEN = '#57BB8A';
const BLUE = '#4285F4';
const HEADER_FILL = '#E8EEF7';
const LOW_MARGIN_GRADE = 'high GMV / low margin';
/** The grade of a SKU sold without a cost: work to do, drawn like an alert. */
const NO_COST_GRADE = SKU_NO_COST_GRADE;
const CHART_WIDTH = 560;
const CHART_HEIGHT = 320;
/** Rows left blank on the Dashboard under its headline for the two charts (~21 px a row). */
export const DASHBOARD_CHART_ROWS = 17;

/** Tables whose first columns name the row: frozen so they stay beside every figure when scrolling right. */
const FROZEN_COLUMNS: Record<string, number> = { order_margin: 1, sku_profit: 2, creators: 1 };

function padRow(cells: LayoutCell[], width: number): LayoutCell[] {
  return Array.from({ length: width }, (_, i) => (i < cells.length ? cells[i] : ''));
}

/**
 * The rows of a tab, top to bottom (row 1 = the stamp). Pure: the writer and the tests follow it.
 * - Reconciliation: the waterfall chart's data block first (row 2 on), its chart beside it, then the tables.
 * - Dashboard: DASHBOARD_CHART_ROWS blank rows after its first table (the headline), where its two charts sit.
 * - Every other table: title, header, body, one row per note, a blank row between tables.
 */
export interface TabPlan {
  stamp: string;
  layouts: ReportLayout[];
  /** First row of each table's block (its title), in table order. */
  titleRows: number[];
  waterfall: { titleRow: number; rows: (string | number)[][] } | null;
  /** Row of the Dashboard's chart slot (its first blank row), or null. */
  chartSlotRow: number | null;
  /** Last row used. */
  lastRow: number;
}

export function planTab(tables: readonly ReportTable[]): TabPlan {
  const layouts = tables.map(layoutReport);
  const recon = tables.find((t) => t.id === 'reconciliation');
  const wf = recon ? waterfallRows(recon) : [];
  let row = 2;
  let waterfall: TabPlan['waterfall'] = null;
  if (wf.length > 0) {
    waterfall = { titleRow: row, rows: wf };
    row += 2 + wf.length + 1;
  }
  const titleRows: number[] = [];
  let chartSlotRow: number | null = null;
  layouts.forEach((l, i) => {
    if (i > 0) row += 1;
    titleRows.push(row);
    row += 2 + l.rows.length + l.notes.length;
    if (i === 0 && tables[0].id === 'dashboard_headline') {
      chartSlotRow = row + 1;
      row += 1 + DASHBOARD_CHART_ROWS;
    }
  });
  return { stamp: layouts[0].stamp, layouts, titleRows, waterfall, chartSlotRow, lastRow: row - 1 };
}

/** Title of a block: its own, and its stamp when the stamp differs from row 1's. */
export function blockTitle(l: ReportLayout, stamp: string): string {
  return l.stamp === stamp ? l.title : `${l.title} — ${l.stamp}`;
}

/**
 * Rewrites `tabName` from `tables` (see planTab for the rows). Creates the tab when missing; clears
 * its values, formats, notes, conditional rules and charts first, so a refresh leaves no stale cell.
 *
 * Layout: column widths fit the content (columnWidths); titles bold; headers bold on a light fill,
 * wrapped, each with its column's definition as a note; the stamp in grey. Frozen rows: a tab of
 * one table freezes down to its header (the header always belongs to the table under it); a tab
 * of several tables freezes only the stamp, since a frozen header would sit over the next
 * table's rows. Tables that name their rows in their first columns freeze them (FROZEN_COLUMNS).
 */
export function writeReportTab(spreadsheet: ReportSpreadsheetLike, tabName: string, tables: readonly ReportTable[], options: WriteReportOptions): WrittenTab {
  if (tables.length === 0) throw new Error(`writeReportTab: no tables for the "${tabName}" tab`);
  const sheet = spreadsheet.getSheetByName(tabName) ?? spreadsheet.insertSheet(tabName);
  const plan = planTab(tables);
  const { layouts, stamp } = plan;
  const widths = layouts.map((l) => Math.max(1, l.header.length));
  const maxWidth = Math.max(...widths, plan.waterfall ? WATERFALL_HEADER.length : 1);
  const totalRows = plan.lastRow;
  sheet.clear();
  sheet.setConditionalFormatRules([]);
  for (const chart of sheet.getCharts()) sheet.removeChart(chart);
  try {
    if (sheet.getMaxRows() < totalRows + 1) sheet.insertRowsAfter(sheet.getMaxRows(), totalRows + 1 - sheet.getMaxRows());
    if (sheet.getMaxColumns() < maxWidth + 1) sheet.insertColumnsAfter(sheet.getMaxColumns(), maxWidth + 1 - sheet.getMaxColumns());
  } catch (e) {
    throw asWorkbookFull(e, tabName, totalRows + 1);
  }
  // Rows a longer earlier report left behind: blank cells count against the workbook's 10 M too.
  if (sheet.getMaxRows() > totalRows + 1) sheet.deleteRows(totalRows + 2, sheet.getMaxRows() - totalRows - 1);
  sheet.getRange(1, 1, sheet.getMaxRows(), sheet.getMaxColumns()).clearNote();

  const stampCell = sheet.getRange(1, 1, 1, 1);
  stampCell.setValues([[escapeCell(stamp)]]);
  stampCell.setNumberFormats([[TEXT_FORMAT]]);

  let waterfallBlock: WrittenBlock | null = null;
  if (plan.waterfall && tables.some((t) => t.id === 'reconciliation')) {
    const recon = tables.find((t) => t.id === 'reconciliation')!;
    const row = plan.waterfall.titleRow;
    const width = WATERFALL_HEADER.length;
    const money = moneyFormat(recon.definitions.currency);
    const values: unknown[][] = [padRow(['Waterfall chart data (from the Total row below)'], width), [...WATERFALL_HEADER], ...plan.waterfall.rows];
    const formats = values.map((_, k) => Array.from({ length: width }, (_, j) => (k < 2 || j === 0 ? TEXT_FORMAT : money)));
    const range = sheet.getRange(row, 1, values.length, width);
    range.setValues(values);
    range.setNumberFormats(formats);
    styleBlock(range, values.length, width, null);
    waterfallBlock = { tableId: 'reconciliation_waterfall', titleRow: row, headerRow: row + 1, firstBodyRow: row + 2, bodyRows: plan.waterfall.rows.length, width };
  }

  const blocks: WrittenBlock[] = [];
  layouts.forEach((l, i) => {
    const row = plan.titleRows[i];
    const width = widths[i];
    const values: LayoutCell[][] = [
      padRow([escapeCell(blockTitle(l, stamp)) as string], width),
      padRow(l.header, width),
      ...l.rows.map((r) => padRow(r, width)),
      ...l.notes.map((n) => padRow([escapeCell(n) as string], width)),
    ];
    const textRow = () => Array.from({ length: width }, () => TEXT_FORMAT);
    const formats: string[][] = [textRow(), textRow(), ...l.numberFormats.map((f) => (f.length === width ? f : textRow())), ...l.notes.map(textRow)];
    const range = sheet.getRange(row, 1, values.length, width);
    range.setValues(values);
    range.setNumberFormats(formats);
    styleBlock(range, values.length, width, tables[i].columns.map((c) => c.note ?? ''));
    blocks.push({ tableId: tables[i].id, titleRow: row, headerRow: row + 1, firstBodyRow: row + 2, bodyRows: l.rows.length, width });
  });

  const frozenRows = tables.length === 1 && !plan.waterfall ? blocks[0].headerRow : 1;
  sheet.setFrozenRows(frozenRows);
  const frozenColumns = tables.length === 1 ? FROZEN_COLUMNS[tables[0].id] ?? 0 : 0;
  sheet.setFrozenColumns(frozenColumns);

  const pixelWidths = columnWidths(layouts, plan.waterfall ? [WATERFALL_HEADER, ...plan.waterfall.rows] : []);
  for (let j = 0; j < pixelWidths.length; ) {
    let k = j;
    while (k + 1 < pixelWidths.length && pixelWidths[k + 1] === pixelWidths[j]) k++;
    sheet.setColumnWidths(j + 1, k - j + 1, pixelWidths[j]);
    j = k + 1;
  }

  // Column range (header + body) of a block, for charts.
  const columnRange = (b: WrittenBlock, table: ReportTable, key: string): ReportRangeLike | null => {
    const j = table.columns.findIndex((c) => c.key === key);
    return j < 0 ? null : sheet.getRange(b.headerRow, j + 1, b.bodyRows + 1, 1);
  };
  /** The first column whose left edge is at least `px` right of column A's (charts side by side). */
  const columnAt = (px: number): number => {
    let x = 0;
    for (let j = 0; ; j++) {
      if (x >= px) return j + 1;
      x += pixelWidths[j] ?? 100;
    }
  };

  const charts: PlacedChart[] = [];
  const place = (id: string, builder: ChartBuilderLike, anchorRow: number, anchorColumn: number) => {
    sheet.insertChart(builder.setOption('width', CHART_WIDTH).setOption('height', CHART_HEIGHT).setPosition(anchorRow, anchorColumn, 0, 0).build());
    charts.push({ id, anchorRow, anchorColumn, offsetX: 0, width: CHART_WIDTH, height: CHART_HEIGHT });
  };

  const rules: unknown[] = [];
  blocks.forEach((b, i) => {
    const table = tables[i];
    if (b.bodyRows === 0) return;
    const body = (key: string): ReportRangeLike | null => {
      const j = table.columns.findIndex((c) => c.key === key);
      return j < 0 ? null : sheet.getRange(b.firstBodyRow, j + 1, b.bodyRows, 1);
    };
    if (table.id === 'sku_profit') {
      const share = body('cm3Share');
      if (share) {
        rules.push(
          options.newConditionalFormatRule()
            .setRanges([share])
            .setGradientMinpointWithValue(RED, options.interpolationType.NUMBER, '-0.2')
            .setGradientMidpointWithValue(WHITE, options.interpolationType.NUMBER, '0')
            .setGradientMaxpoint(GREEN)
            .build(),
        );
      }
      const grade = body('grade');
      if (grade) {
        for (const text of [LOW_MARGIN_GRADE, NO_COST_GRADE]) {
          rules.push(options.newConditionalFormatRule().setRanges([grade]).whenTextEqualTo(text).setBackground('#F4C7C3').setFontColor('#A50E0E').build());
        }
      }
    }
    // Losses in red wherever a table has them: net profit, CM3 and money at stake of a loss.
    for (const key of ['netProfit', 'cm3']) {
      const r = body(key);
      if (r && ['dashboard_headline', 'month_close', 'week_close', 'profit_accrual', 'profit_cash'].includes(table.id)) {
        rules.push(options.newConditionalFormatRule().setRanges([r]).whenNumberLessThan(0).setFontColor('#A50E0E').build());
      }
    }
    if (table.id === 'dashboard_headline') {
      const cogs = body('cogsNote');
      if (cogs) rules.push(options.newConditionalFormatRule().setRanges([cogs]).whenTextContains('incomplete').setBackground('#FCE8B2').build());
    }
    if (table.id === 'dashboard_trend' && plan.chartSlotRow !== null) {
      const ranges = ['day', 'cm3', 'netProfit'].map((k) => columnRange(b, table, k));
      if (ranges.every((r) => r !== null)) {
        let chart = sheet.newChart().asLineChart();
        for (const r of ranges) chart = chart.addRange(r!);
        place('daily_profit', chart.setNumHeaders(1).setOption('title', `Daily CM3 and net profit, last 30 days (accrual, ${table.definitions.currency})`), plan.chartSlotRow, 1);
      }
    }
    if (table.id === 'dashboard_creators' && plan.chartSlotRow !== null) {
      const x = columnRange(b, table, 'gmv');
      const y = columnRange(b, table, 'cm3Share');
      if (x && y) {
        place(
          'creator_quadrant',
          sheet.newChart().asScatterChart().addRange(x).addRange(y).setNumHeaders(1)
            .setOption('title', 'Creators, last 30 days: GMV vs CM3 % (right = bigger, up = more profitable)')
            .setOption('hAxis', { title: `GMV (${table.definitions.currency})` })
            .setOption('vAxis', { title: 'CM3 %', format: 'percent' })
            .setOption('legend', { position: 'none' }),
          plan.chartSlotRow,
          columnAt(CHART_WIDTH + 16),
        );
      }
    }
  });
  if (waterfallBlock) {
    const b = waterfallBlock;
    place(
      'waterfall',
      sheet.newChart().asColumnChart().addRange(sheet.getRange(b.headerRow, 1, b.bodyRows + 1, b.width)).setNumHeaders(1)
        .setOption('isStacked', true)
        .setOption('title', 'From GMV to the bank (all periods)')
        .setOption('legend', { position: 'none' })
        .setOption('series', {
          0: { color: 'transparent', visibleInLegend: false },
          1: { color: RED },
          2: { color: GREEN },
          3: { color: BLUE },
          4: { color: RED, visibleInLegend: false },
          5: { color: GREEN, visibleInLegend: false },
        }),
      b.titleRow,
      b.width + 2,
    );
  }
  sheet.setConditionalFormatRules(rules);

  return { tab: tabName, blocks, frozenRows, frozenColumns, columnWidths: pixelWidths, charts, waterfall: waterfallBlock };
}

/**
 * A block's look, in four calls over the block's own range (each Apps Script call is a round trip,
 * and a tab has up to eight blocks): the title bold, the header bold on a light fill and wrapped,
 * each header cell with its column's definition as its note; the body as Sheets has it.
 */
function styleBlock(range: ReportRangeLike, rows: number, width: number, notes: string[] | null): void {
  const grid = <T>(title: T, header: T, body: T): T[][] => Array.from({ length: rows }, (_, i) => Array.from({ length: width }, () => (i === 0 ? title : i === 1 ? header : body)));
  range.setFontWeights(grid<'bold' | 'normal'>('bold', 'bold', 'normal'));
  range.setBackgrounds(grid<string | null>(null, HEADER_FILL, null));
  range.setWraps(grid(false, true, false));
  if (notes && notes.some((n) => n !== '')) range.setNotes(Array.from({ length: rows }, (_, i) => (i === 1 ? notes : Array.from({ length: width }, () => ''))));
}

/** Writes every report tab of one engine run. */
export function writeAllReportTabs(spreadsheet: ReportSpreadsheetLike, all: AllReports, options: WriteReportOptions): WrittenTab[] {
  return reportTabs(all).map((t) => writeReportTab(spreadsheet, t.tab, t.tables, options));
}
