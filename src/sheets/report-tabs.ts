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
 *   row 1 = the stamp, then each table as one block: a title row, the header row, the body and
 *   one row per definitions note; blocks are separated by a blank row. ONE setValues and ONE
 *   setNumberFormats per block, with the block's exact dimensions. Rows 1..first header are
 *   frozen. Decorations are chosen by table id:
 *   - `sku_profit`: a gradient rule on the CM3 % column (red below 0, white at 0, green at the
 *     max) and a red rule on grade "high GMV / low margin";
 *   - `profit_accrual_daily`: a line chart of CM3 and net profit per day;
 *   - `creators`: a scatter of GMV (x) against CM3 % (y): the creator quadrants;
 *   - `reconciliation`: a waterfall of the Total row (see `waterfallRows`), drawn as a stacked
 *     column chart over a helper block written under the tables (Apps Script's chart builder has
 *     no waterfall type).
 */
import { minorUnits, toMajor } from '../core/money';
import type { AllReports } from '../core/reports';
import type { Column, ReportTable, Row } from '../core/reports/table';
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
  return [`As of ${shopTime(d.asOf, d.timezone)} (shop time)`, d.view, `allocation ${d.allocationMethod.replace(/_/g, ' ')}`, estimated, range].join(' · ');
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

export interface ReportTabSpec {
  tab: string;
  tables: ReportTable[];
}

/** Every report tab and the tables it stacks, in workbook order. */
export function reportTabs(all: AllReports): ReportTabSpec[] {
  const c = all.customers;
  return [
    { tab: 'Profit', tables: [all.profit.accrual, all.profit.cash, all.profit.accrualDaily, all.profit.cashDaily] },
    { tab: 'Order margin', tables: [all.orderMargin] },
    { tab: 'SKU profit', tables: [all.skuProfit] },
    { tab: 'Creators', tables: [all.creators] },
    {
      tab: 'Customers',
      tables: [c.newBuyers, c.repeatPurchase, c.firstOrdersBySource, c.firstOrdersByCreator, c.cohortCm3PerBuyer, c.cohortBuyersRetained, c.returnsAndRefunds, ...(c.followerConversion ? [c.followerConversion] : [])],
    },
    { tab: 'Channels', tables: [all.channels.channels, all.channels.analyticsByDay] },
    { tab: 'Reconciliation', tables: [all.reconciliation.periods, all.reconciliation.statements, all.reconciliation.payouts, all.reconciliation.transactionsNotAddingUp] },
    { tab: 'Alerts', tables: [all.alerts] },
    { tab: 'Ads', tables: [all.ads.periods, all.ads.campaigns] },
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

// ---------------------------------------------------------------- Apps Script side

/** The slices of the Apps Script classes this module calls (the real ones and dev/runtime/gas's models have them). */
export interface ReportRangeLike {
  setValues(values: unknown[][]): unknown;
  setNumberFormats(formats: string[][]): unknown;
}

export interface ConditionalFormatRuleBuilderLike {
  setRanges(ranges: ReportRangeLike[]): ConditionalFormatRuleBuilderLike;
  setGradientMinpointWithValue(color: string, type: unknown, value: string): ConditionalFormatRuleBuilderLike;
  setGradientMidpointWithValue(color: string, type: unknown, value: string): ConditionalFormatRuleBuilderLike;
  setGradientMaxpoint(color: string): ConditionalFormatRuleBuilderLike;
  whenTextEqualTo(text: string): ConditionalFormatRuleBuilderLike;
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

export interface WrittenTab {
  tab: string;
  blocks: WrittenBlock[];
  frozenRows: number;
  /** Rows of the waterfall helper block (Reconciliation), when written. */
  waterfall: WrittenBlock | null;
}

const RED = '#E67C73';
const WHITE = '#FFFFFF';
const GREEN = '#57BB8A';
const LOW_MARGIN_GRADE = 'high GMV / low margin';

function padRow(cells: LayoutCell[], width: number): LayoutCell[] {
  return Array.from({ length: width }, (_, i) => (i < cells.length ? cells[i] : ''));
}

/**
 * Rewrites `tabName` from `tables` (stacked top to bottom). Creates the tab when missing; clears
 * its values, formats, conditional rules and charts first, so a refresh leaves no stale cell.
 */
export function writeReportTab(spreadsheet: ReportSpreadsheetLike, tabName: string, tables: readonly ReportTable[], options: WriteReportOptions): WrittenTab {
  if (tables.length === 0) throw new Error(`writeReportTab: no tables for the "${tabName}" tab`);
  const sheet = spreadsheet.getSheetByName(tabName) ?? spreadsheet.insertSheet(tabName);
  sheet.clear();
  sheet.setConditionalFormatRules([]);
  for (const chart of sheet.getCharts()) sheet.removeChart(chart);

  const layouts = tables.map(layoutReport);
  const recon = tables.find((t) => t.id === 'reconciliation');
  const waterfall = recon ? waterfallRows(recon) : [];

  // Rows: stamp, then per table: (blank between) title, header, body, notes; then the waterfall block.
  const widths = layouts.map((l) => Math.max(1, l.header.length));
  let totalRows = 1;
  layouts.forEach((l, i) => (totalRows += (i > 0 ? 1 : 0) + 2 + l.rows.length + l.notes.length));
  if (waterfall.length > 0) totalRows += 1 + 2 + waterfall.length;
  const maxWidth = Math.max(...widths, WATERFALL_HEADER.length);
  const chartColumn = maxWidth + 2;
  try {
    if (sheet.getMaxRows() < totalRows + 1) sheet.insertRowsAfter(sheet.getMaxRows(), totalRows + 1 - sheet.getMaxRows());
    if (sheet.getMaxColumns() < chartColumn) sheet.insertColumnsAfter(sheet.getMaxColumns(), chartColumn - sheet.getMaxColumns());
  } catch (e) {
    throw asWorkbookFull(e, tabName, totalRows + 1);
  }

  const stamp = layouts[0].stamp;
  sheet.getRange(1, 1, 1, 1).setValues([[escapeCell(stamp)]]);
  sheet.getRange(1, 1, 1, 1).setNumberFormats([[TEXT_FORMAT]]);

  const blocks: WrittenBlock[] = [];
  let row = 2;
  layouts.forEach((l, i) => {
    if (i > 0) row += 1;
    const width = widths[i];
    const title = l.stamp === stamp ? l.title : `${l.title} — ${l.stamp}`;
    const values: LayoutCell[][] = [
      padRow([escapeCell(title) as string], width),
      padRow(l.header, width),
      ...l.rows.map((r) => padRow(r, width)),
      ...l.notes.map((n) => padRow([escapeCell(n) as string], width)),
    ];
    const textRow = () => Array.from({ length: width }, () => TEXT_FORMAT);
    const formats: string[][] = [textRow(), textRow(), ...l.numberFormats.map((f) => (f.length === width ? f : textRow())), ...l.notes.map(textRow)];
    const range = sheet.getRange(row, 1, values.length, width);
    range.setValues(values);
    range.setNumberFormats(formats);
    blocks.push({ tableId: tables[i].id, titleRow: row, headerRow: row + 1, firstBodyRow: row + 2, bodyRows: l.rows.length, width });
    row += values.length;
  });

  let waterfallBlock: WrittenBlock | null = null;
  if (waterfall.length > 0 && recon) {
    row += 1;
    const width = WATERFALL_HEADER.length;
    const money = moneyFormat(recon.definitions.currency);
    const values: unknown[][] = [padRow(['Waterfall chart data (from the Total row above)'], width), [...WATERFALL_HEADER], ...waterfall];
    const formats = values.map((_, k) => Array.from({ length: width }, (_, j) => (k < 2 || j === 0 ? TEXT_FORMAT : money)));
    const range = sheet.getRange(row, 1, values.length, width);
    range.setValues(values);
    range.setNumberFormats(formats);
    waterfallBlock = { tableId: 'reconciliation_waterfall', titleRow: row, headerRow: row + 1, firstBodyRow: row + 2, bodyRows: waterfall.length, width };
    row += values.length;
  }

  // Rows a longer earlier report left behind: blank cells count against the workbook's 10 M too.
  if (sheet.getMaxRows() > totalRows + 1) sheet.deleteRows(totalRows + 2, sheet.getMaxRows() - totalRows - 1);
  const frozenRows = blocks[0].headerRow;
  sheet.setFrozenRows(frozenRows);

  // Column range (header + body) of a block, for charts.
  const columnRange = (b: WrittenBlock, table: ReportTable, key: string): ReportRangeLike | null => {
    const j = table.columns.findIndex((c) => c.key === key);
    return j < 0 ? null : sheet.getRange(b.headerRow, j + 1, b.bodyRows + 1, 1);
  };

  const rules: unknown[] = [];
  blocks.forEach((b, i) => {
    const table = tables[i];
    if (b.bodyRows === 0) return;
    if (table.id === 'sku_profit') {
      const share = table.columns.findIndex((c) => c.key === 'cm3Share');
      if (share >= 0) {
        rules.push(
          options.newConditionalFormatRule()
            .setRanges([sheet.getRange(b.firstBodyRow, share + 1, b.bodyRows, 1)])
            .setGradientMinpointWithValue(RED, options.interpolationType.NUMBER, '-0.2')
            .setGradientMidpointWithValue(WHITE, options.interpolationType.NUMBER, '0')
            .setGradientMaxpoint(GREEN)
            .build(),
        );
      }
      const grade = table.columns.findIndex((c) => c.key === 'grade');
      if (grade >= 0) {
        rules.push(
          options.newConditionalFormatRule()
            .setRanges([sheet.getRange(b.firstBodyRow, grade + 1, b.bodyRows, 1)])
            .whenTextEqualTo(LOW_MARGIN_GRADE)
            .setBackground('#F4C7C3')
            .setFontColor('#A50E0E')
            .build(),
        );
      }
    }
    if (table.id === 'profit_accrual_daily') {
      const ranges = ['day', 'cm3', 'netProfit'].map((k) => columnRange(b, table, k));
      if (ranges.every((r) => r !== null)) {
        let chart = sheet.newChart().asLineChart();
        for (const r of ranges) chart = chart.addRange(r!);
        sheet.insertChart(
          chart.setNumHeaders(1).setOption('title', `Daily CM3 and net profit (accrual, ${table.definitions.currency})`).setPosition(b.titleRow, chartColumn, 0, 0).build(),
        );
      }
    }
    if (table.id === 'creators') {
      const x = columnRange(b, table, 'gmv');
      const y = columnRange(b, table, 'cm3Share');
      if (x && y) {
        sheet.insertChart(
          sheet.newChart().asScatterChart().addRange(x).addRange(y).setNumHeaders(1)
            .setOption('title', 'Creators: GMV vs CM3 % (right = bigger, up = more profitable)')
            .setOption('hAxis', { title: `GMV (${table.definitions.currency})` })
            .setOption('vAxis', { title: 'CM3 %', format: 'percent' })
            .setPosition(b.titleRow, chartColumn, 0, 0)
            .build(),
        );
      }
    }
  });
  if (waterfallBlock) {
    const b = waterfallBlock;
    sheet.insertChart(
      sheet.newChart().asColumnChart().addRange(sheet.getRange(b.headerRow, 1, b.bodyRows + 1, b.width)).setNumHeaders(1)
        .setOption('isStacked', true)
        .setOption('title', 'From GMV to the bank (all periods)')
        .setOption('legend', { position: 'none' })
        .setOption('series', {
          0: { color: 'transparent', visibleInLegend: false },
          1: { color: RED },
          2: { color: GREEN },
          3: { color: '#4285F4' },
          4: { color: RED, visibleInLegend: false },
          5: { color: GREEN, visibleInLegend: false },
        })
        .setPosition(blocks[0].titleRow, chartColumn, 0, 0)
        .build(),
    );
  }
  sheet.setConditionalFormatRules(rules);

  return { tab: tabName, blocks, frozenRows, waterfall: waterfallBlock };
}

/** Writes every report tab of one engine run. */
export function writeAllReportTabs(spreadsheet: ReportSpreadsheetLike, all: AllReports, options: WriteReportOptions): WrittenTab[] {
  return reportTabs(all).map((t) => writeReportTab(spreadsheet, t.tab, t.tables, options));
}
