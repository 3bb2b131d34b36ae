/**
 * Report tabs: the pure layout of hand-made tables (exact strings), and every tab of a real
 * engine run written into the local Apps Script runtime's spreadsheet model.
 */
import { generateShop } from '../../dev/generator/shop';
import { SpreadsheetModel, type SheetModel } from '../../dev/runtime/gas';
import { ConditionalFormatRuleBuilderModel } from '../../dev/runtime/gas/spreadsheet';
import { computeMargins } from '../../src/core/margin';
import { allReports } from '../../src/core/reports';
import type { ReportDefinitions, ReportTable } from '../../src/core/reports/table';
import {
  displayLength,
  layoutReport,
  MAX_COLUMN_PX,
  REPORT_TAB_NAMES,
  moneyFormat,
  reportStamp,
  reportTabs,
  waterfallRows,
  WATERFALL_HEADER,
  writeAllReportTabs,
  writeReportTab,
  type ReportSpreadsheetLike,
  type WriteReportOptions,
} from '../../src/sheets/report-tabs';

// 2026-11-24 09:00 in Los Angeles (PST, UTC−8).
const AS_OF = Date.UTC(2026, 10, 24, 17, 0) / 1000;

function defs(over: Partial<ReportDefinitions> = {}): ReportDefinitions {
  return {
    view: 'accrual',
    allocationMethod: 'by_day',
    currency: 'USD',
    timezone: 'America/Los_Angeles',
    asOf: AS_OF,
    asOfDay: '2026-11-24',
    dataFrom: '2026-10-01',
    dataTo: '2026-11-23',
    estimatedShare: 0.12,
    notes: ['Ad spend allocated by day.'],
    ...over,
  };
}

function skuTable(over: Partial<ReportDefinitions> = {}): ReportTable {
  return {
    id: 'sku_profit',
    title: 'SKU profit',
    definitions: defs(over),
    columns: [
      { key: 'sku', label: 'SKU', format: 'text' },
      { key: 'day', label: 'First day', format: 'day' },
      { key: 'orders', label: 'Orders', format: 'integer' },
      { key: 'cm3', label: 'CM3', format: 'money' },
      { key: 'cm3Share', label: 'CM3 %', format: 'percent' },
      { key: 'consistency', label: 'Consistency', format: 'ratio' },
      { key: 'missingCogs', label: 'Missing COGS', format: 'boolean' },
      { key: 'grade', label: 'Grade', format: 'text' },
    ],
    rows: [
      { sku: 'TS-1', day: '2026-10-01', orders: 12, cm3: 123456, cm3Share: 0.25, consistency: 0.5, missingCogs: false, grade: 'high GMV / low margin' },
      { sku: '=IMPORTXML("http://x","//a")', day: '2026-10-02', orders: 0, cm3: -5, cm3Share: null, consistency: null, missingCogs: true, grade: '-1 stars' },
      { sku: '00123', day: null, orders: null, cm3: null, cm3Share: 0, consistency: 1, missingCogs: null, grade: '@home' },
    ],
  };
}

describe('layoutReport', () => {
  test('money in major units, percent as shares, nulls blank, text escaped, formats per column', () => {
    const l = layoutReport(skuTable());
    expect(l.header).toEqual(['SKU', 'First day', 'Orders', 'CM3', 'CM3 %', 'Consistency', 'Missing COGS', 'Grade']);
    expect(l.rows).toEqual([
      ['TS-1', "'2026-10-01", 12, 1234.56, 0.25, 0.5, false, 'high GMV / low margin'],
      [`'=IMPORTXML("http://x","//a")`, "'2026-10-02", 0, -0.05, '', '', true, "'-1 stars"],
      ["'00123", '', '', '', 0, 1, '', "'@home"],
    ]);
    const formats = ['@', '@', '#,##0', '#,##0.00 "USD"', '0.0%', '0.00', '0.###############', '@'];
    expect(l.numberFormats).toEqual([formats, formats, formats]);
    expect(l.notes).toEqual(['Ad spend allocated by day.']);
  });

  test('the stamp, exactly', () => {
    expect(layoutReport(skuTable()).stamp).toBe('As of 2026-11-24 09:00 (shop time) · accrual · allocation by day · 12% estimated · data from 2026-10-01 to 2026-11-23');
    expect(reportStamp(skuTable({ view: 'cash', allocationMethod: 'new_buyers', estimatedShare: null, dataFrom: null, dataTo: null }))).toBe(
      'As of 2026-11-24 09:00 (shop time) · cash · allocation new buyers · no orders with fees · no order data',
    );
    // Same instant in Tokyo is already the 25th, 02:00.
    expect(reportStamp(skuTable({ timezone: 'Asia/Tokyo', currency: 'JPY', estimatedShare: 0.005 }))).toBe(
      'As of 2026-11-25 02:00 (shop time) · accrual · allocation by day · 1% estimated · data from 2026-10-01 to 2026-11-23',
    );
  });

  test('JPY: whole yen, no decimals in the format', () => {
    expect(moneyFormat('JPY')).toBe('#,##0 "JPY"');
    expect(moneyFormat('USD')).toBe('#,##0.00 "USD"');
    const l = layoutReport(skuTable({ currency: 'JPY', timezone: 'Asia/Tokyo' }));
    expect(l.rows[0][3]).toBe(123456);
    expect(l.rows[1][3]).toBe(-5);
    expect(l.numberFormats[0][3]).toBe('#,##0 "JPY"');
  });
});

// ---------------------------------------------------------------- the runtime's spreadsheet model

const options: WriteReportOptions = {
  newConditionalFormatRule: () => new ConditionalFormatRuleBuilderModel() as unknown as ReturnType<WriteReportOptions['newConditionalFormatRule']>,
  interpolationType: { NUMBER: 'NUMBER' },
};

/** Counts setValues / setNumberFormats calls and their dimensions on a sheet's ranges. */
function spy(ss: SpreadsheetModel): { setValues: [string, number, number][]; setNumberFormats: [string, number, number][] } {
  const seen = { setValues: [] as [string, number, number][], setNumberFormats: [] as [string, number, number][] };
  const origGetSheet = ss.getSheetByName.bind(ss);
  const origInsert = ss.insertSheet.bind(ss);
  const wrap = (s: SheetModel | null) => {
    if (!s || (s as unknown as { _spied?: boolean })._spied) return s;
    (s as unknown as { _spied?: boolean })._spied = true;
    const getRange = s.getRange.bind(s);
    (s as unknown as { getRange: unknown }).getRange = (...args: Parameters<SheetModel['getRange']>) => {
      const r = getRange(...args);
      const sv = r.setValues.bind(r);
      const sf = r.setNumberFormats.bind(r);
      r.setValues = (v) => (seen.setValues.push([s.getName(), v.length, v[0]?.length ?? 0]), sv(v));
      r.setNumberFormats = (f) => (seen.setNumberFormats.push([s.getName(), f.length, f[0]?.length ?? 0]), sf(f));
      return r;
    };
    return s;
  };
  ss.getSheetByName = (n: string) => wrap(origGetSheet(n));
  ss.insertSheet = ((n?: string | number, i?: number) => wrap(origInsert(n, i))!) as SpreadsheetModel['insertSheet'];
  return seen;
}

describe('writing a real engine run into the runtime spreadsheet', () => {
  const shop = generateShop({ seed: 3, days: 20, ordersPerDay: 40 });
  const margins = computeMargins(shop.data, shop.settings, shop.asOf);
  const all = allReports({ data: shop.data, settings: shop.settings, margins });
  const ss = new SpreadsheetModel('ss1', 'Shop');
  const calls = spy(ss);
  const written = writeAllReportTabs(ss as unknown as ReportSpreadsheetLike, all, options);
  const sheet = (name: string) => ss.getSheetByName(name)!;

  test('every tab exists in workbook order, Dashboard first; the stamp in A1; frozen rows only over their own table', () => {
    expect(written.map((w) => w.tab)).toEqual([...REPORT_TAB_NAMES]);
    const specs = reportTabs(all);
    expect(specs.find((s) => s.tab === 'Profit')!.tables).toHaveLength(2);
    expect(specs.find((s) => s.tab === 'Daily profit')!.tables).toHaveLength(2);
    expect(specs.find((s) => s.tab === 'Customers')!.tables.length).toBeGreaterThanOrEqual(7);
    expect(specs.find((s) => s.tab === 'Reconciliation')!.tables).toHaveLength(4);
    expect(specs.find((s) => s.tab === 'Channels')!.tables).toHaveLength(2);
    for (const w of written) {
      const s = sheet(w.tab);
      expect(String(s.getRange(1, 1).getValue())).toMatch(/^As of \d{4}-\d\d-\d\d \d\d:\d\d \(shop time\) · (accrual|cash) · allocation by day · (\d+% estimated|no orders with fees) · data from 2025-02-17 to 2025-03-08( · COGS incomplete: \d+ SKUs?, \d+\.\d% of units)?$/);
      const tables = specs.find((t) => t.tab === w.tab)!.tables;
      // One table: frozen down to its header. Several: only the stamp (a header would sit over the next table).
      expect([w.tab, s.getFrozenRows()]).toEqual([w.tab, tables.length === 1 ? 3 : 1]);
      expect(s.getFrozenRows()).toBe(w.frozenRows);
      if (w.tab !== 'Reconciliation') expect(s.getRange(2, 1).getValue()).toBe(tables[0].title);
    }
    expect(sheet('Order margin').getFrozenColumns()).toBe(1);
    expect(sheet('Creators').getFrozenColumns()).toBe(1);
    expect(sheet('Profit').getFrozenColumns()).toBe(0);
  });

  test('column widths fit the content: no money cell shows "###", headers wrap', () => {
    for (const w of written) {
      const s = sheet(w.tab);
      w.columnWidths.forEach((px, j) => expect(s.getColumnWidth(j + 1)).toBe(px));
      for (const b of w.blocks) {
        const values = s.getRange(b.firstBodyRow, 1, Math.max(1, b.bodyRows), b.width).getDisplayValues();
        for (const row of values) {
          row.forEach((text, j) => {
            // Arial 10: about 7 px a character, plus the cell's padding.
            if (text.length * 7 + 14 > MAX_COLUMN_PX) return;
            expect([w.tab, j + 1, text, s.getColumnWidth(j + 1) >= text.length * 7 + 14]).toEqual([w.tab, j + 1, text, true]);
          });
        }
        expect(s.getRange(b.headerRow, 1, 1, b.width).getWraps()[0].every((x) => x)).toBe(true);
        expect(s.getRange(b.headerRow, 1, 1, b.width).getFontWeights()[0].every((x) => x === 'bold')).toBe(true);
      }
    }
    // A money column of the Profit tab: "-1,234.56 USD" fits.
    expect(displayLength(-1234.56, '#,##0.00 "USD"')).toBe('-1,234.56 USD'.length);
    expect(displayLength(0.1234, '0.0%')).toBe('12.3%'.length);
  });

  test('each header cell carries its column definition as a note', () => {
    const w = written.find((x) => x.tab === 'Profit')!;
    const s = sheet('Profit');
    const b = w.blocks[0];
    const notes = s.getRange(b.headerRow, 1, 1, b.width).getNotes()[0];
    expect(notes).toEqual(all.profit.accrual.columns.map((c) => c.note ?? ''));
    expect(notes.filter((n) => n !== '').length).toBeGreaterThan(20);
  });

  test('one setValues and one setNumberFormats per block, exact dimensions', () => {
    for (const w of written) {
      const blocks = w.blocks.length + (w.waterfall ? 1 : 0);
      const mine = calls.setValues.filter((c) => c[0] === w.tab);
      expect(mine).toHaveLength(1 + blocks); // the stamp + each block
      expect(calls.setNumberFormats.filter((c) => c[0] === w.tab)).toHaveLength(1 + blocks);
      const tableCalls = mine.slice(1 + (w.waterfall ? 1 : 0));
      w.blocks.forEach((b, i) => expect(tableCalls[i][2]).toBe(b.width));
    }
  });

  test('Profit: values in major units with currency and percent formats; tables stacked with a blank row', () => {
    const w = written.find((x) => x.tab === 'Profit')!;
    const s = sheet('Profit');
    const [accrual, cash] = w.blocks;
    const table = all.profit.accrual;
    const last30 = table.rows.findIndex((r) => r.period === 'Last 30 days');
    const col = (k: string) => table.columns.findIndex((c) => c.key === k) + 1;
    const r = accrual.firstBodyRow + last30;
    expect(s.getRange(r, col('period')).getValue()).toBe('Last 30 days');
    expect(s.getRange(r, col('cm3')).getValue()).toBe((table.rows[last30].cm3 as number) / 100);
    expect(s.getRange(r, col('cm3')).getNumberFormat()).toBe('#,##0.00 "USD"');
    expect(s.getRange(r, col('cm3Share')).getNumberFormat()).toBe('0.0%');
    expect(s.getRange(r, col('cm3Share')).getValue()).toBeCloseTo(table.rows[last30].cm3Share as number, 12);
    // "Today" has no orders: its margin rate is undefined → blank, not 0%.
    expect(s.getRange(accrual.firstBodyRow, col('cm3Share')).getValue()).toBe('');
    // A day column stays text.
    expect(s.getRange(accrual.firstBodyRow, col('from')).getValue()).toBe(table.rows[0].from);
    expect(s.getRange(accrual.headerRow, col('cm3')).getValue()).toBe(table.columns[col('cm3') - 1].label);
    // The cash table follows after the notes and one blank row, its own stamp in its title.
    expect(cash.titleRow).toBe(accrual.firstBodyRow + accrual.bodyRows + table.definitions.notes.length + 1);
    expect(s.getRange(cash.titleRow - 1, 1).getValue()).toBe('');
    expect(String(s.getRange(cash.titleRow, 1).getValue())).toMatch(/^Profit \(cash view\) — As of .* · cash · /);
  });

  test('Dashboard: the daily trend and the creator quadrant side by side under the headline, in view', () => {
    const s = sheet('Dashboard');
    const w = written.find((x) => x.tab === 'Dashboard')!;
    const headline = w.blocks[0];
    const trend = w.blocks.find((b) => b.tableId === 'dashboard_trend')!;
    expect(s.charts).toHaveLength(2);
    const [line, scatter] = s.charts;
    expect(line.calls.map((c) => c.method)).toContain('asLineChart');
    expect(scatter.calls.map((c) => c.method)).toContain('asScatterChart');
    // Anchored two rows under the headline's notes, on the first screen (rows ≤ 20, left edge within 900 px).
    const anchorRow = headline.firstBodyRow + headline.bodyRows + all.dashboard[0].definitions.notes.length + 1;
    expect(w.charts.map((c) => c.anchorRow)).toEqual([anchorRow, anchorRow]);
    expect(anchorRow).toBeLessThanOrEqual(20);
    const left = (col: number) => w.columnWidths.slice(0, col - 1).reduce((a, b) => a + b, 0);
    expect(w.charts[0].anchorColumn).toBe(1);
    expect(left(w.charts[1].anchorColumn)).toBeGreaterThanOrEqual(w.charts[0].width);
    expect(left(w.charts[1].anchorColumn)).toBeLessThanOrEqual(900);
    // The next table starts below the charts.
    expect(w.blocks[1].titleRow).toBeGreaterThan(anchorRow + 15);
    const cols = all.dashboard[3].columns;
    expect(line.ranges.map((r) => r.getA1Notation())).toEqual(
      ['day', 'cm3', 'netProfit'].map((k) => s.getRange(trend.headerRow, cols.findIndex((c) => c.key === k) + 1, trend.bodyRows + 1, 1).getA1Notation()),
    );
    expect(line.ranges[1].getValues()[1][0]).toBe((all.profit.accrualDaily.rows[0].cm3 as number) / 100);
    expect(scatter.ranges.map((r) => r.getValues()[0][0])).toEqual(['GMV', 'CM3 %']);
  });

  test('SKU profit: gradient heat map on CM3 % and a red rule on the high-GMV / low-margin grade', () => {
    const s = sheet('SKU profit');
    const b = written.find((x) => x.tab === 'SKU profit')!.blocks[0];
    const cols = all.skuProfit.columns;
    const rules = s.getConditionalFormatRules();
    expect(rules.map((r) => r.kind)).toEqual(['gradient', 'boolean', 'boolean']);
    const shareCol = cols.findIndex((c) => c.key === 'cm3Share') + 1;
    expect(rules[0].ranges[0].getA1Notation()).toBe(s.getRange(b.firstBodyRow, shareCol, b.bodyRows, 1).getA1Notation());
    expect(rules[0].calls.map((c) => c.method)).toEqual(['setRanges', 'setGradientMinpointWithValue', 'setGradientMidpointWithValue', 'setGradientMaxpoint']);
    const gradeCol = cols.findIndex((c) => c.key === 'grade') + 1;
    expect(rules[1].ranges[0].getA1Notation()).toBe(s.getRange(b.firstBodyRow, gradeCol, b.bodyRows, 1).getA1Notation());
    expect(rules[1].calls.find((c) => c.method === 'whenTextEqualTo')!.args).toEqual(['high GMV / low margin']);
    expect(rules[2].calls.find((c) => c.method === 'whenTextEqualTo')!.args).toEqual(['no cost: add it on the COGS tab']);
    expect(s.getRange(b.firstBodyRow, shareCol).getNumberFormat()).toBe('0.0%');
  });

  test('Reconciliation: a waterfall of the Total row as a stacked column chart', () => {
    const s = sheet('Reconciliation');
    const w = written.find((x) => x.tab === 'Reconciliation')!;
    const wb = w.waterfall!;
    expect(s.getRange(wb.headerRow, 1, 1, WATERFALL_HEADER.length).getValues()[0]).toEqual(WATERFALL_HEADER);
    const rows = s.getRange(wb.firstBodyRow, 1, wb.bodyRows, WATERFALL_HEADER.length).getValues();
    expect(rows).toEqual(waterfallRows(all.reconciliation.periods));
    // Starts at GMV, ends at what reached the bank, with no unexplained step.
    const total = all.reconciliation.periods.rows.find((r) => r.period === 'Total')!;
    expect(rows[0][4]).toBe((total.gmvOrdersCreated as number) / 100);
    expect(rows[rows.length - 1][4]).toBe((total.paidToBank as number) / 100);
    expect(rows.some((r) => r[0] === 'Not explained by the steps above')).toBe(false);
    // Each step's bars start where the running total stands and end where the next one starts.
    let running: number | null = null;
    for (const r of rows) {
      const [label, base, dec, inc, sub, decPast, incPast] = r as [string, number, number, number, number, number, number];
      if (sub !== 0 || (dec === 0 && inc === 0)) {
        if (running !== null) expect([label, sub]).toEqual([label, expect.closeTo(running, 6)]);
        running = sub;
        continue;
      }
      const main = dec !== 0 ? dec : inc;
      const past = dec !== 0 ? decPast : incPast;
      let lo: number;
      let hi: number;
      if (past !== 0) [lo, hi] = [past, main];
      else if (main > 0) [lo, hi] = [base, base + main];
      else [lo, hi] = [base + main, base];
      const [before, after] = dec !== 0 ? [hi, lo] : [lo, hi];
      expect([label, before]).toEqual([label, expect.closeTo(running!, 6)]);
      running = after;
    }
    expect(s.charts).toHaveLength(1);
    const chart = s.charts[0];
    // The chart data comes first, the chart beside it, in view.
    expect(wb.titleRow).toBe(2);
    expect(w.charts[0]).toMatchObject({ anchorRow: 2, anchorColumn: WATERFALL_HEADER.length + 2 });
    expect(chart.calls.map((c) => c.method)).toContain('asColumnChart');
    expect(chart.options.isStacked).toBe(true);
    expect(chart.ranges[0].getA1Notation()).toBe(s.getRange(wb.headerRow, 1, wb.bodyRows + 1, WATERFALL_HEADER.length).getA1Notation());
    expect(s.getRange(wb.firstBodyRow, 5).getNumberFormat()).toBe('#,##0.00 "USD"');
  });

  test('a rewrite leaves no stale cells, rules or charts', () => {
    const creators = sheet('Creators');
    writeReportTab(ss as unknown as ReportSpreadsheetLike, 'Creators', all.dashboard, options);
    expect(creators.charts).toHaveLength(2);
    writeReportTab(ss as unknown as ReportSpreadsheetLike, 'Creators', [all.alerts], options);
    expect(creators.charts).toHaveLength(0);
    expect(creators.getLastRow()).toBe(3 + all.alerts.rows.length + all.alerts.definitions.notes.length);
    expect(creators.getLastColumn()).toBeLessThanOrEqual(all.alerts.columns.length);
    expect(creators.getFrozenColumns()).toBe(0);
    writeReportTab(ss as unknown as ReportSpreadsheetLike, 'Creators', [all.creators], options);
    expect(creators.getFrozenColumns()).toBe(1);
    const sku = sheet('SKU profit');
    writeReportTab(ss as unknown as ReportSpreadsheetLike, 'SKU profit', [all.skuProfit], options);
    expect(sku.getConditionalFormatRules()).toHaveLength(3);
  });
});

describe('waterfallRows by hand', () => {
  const table = (total: Record<string, number>): ReportTable => ({
    id: 'reconciliation',
    title: 'Reconciliation',
    definitions: defs(),
    columns: [
      { key: 'period', label: 'Period', format: 'text' },
      ...['gmvOrdersCreated', 'cancelled', 'settledGmv', 'refunds', 'netSales', 'platformFees', 'paidToBank', 'unexplained'].map((key) => ({ key, label: key, format: 'money' as const })),
    ],
    rows: [{ period: 'Total', ...total }],
  });

  test('steps stack on an invisible base; a step crossing 0 is split; a gap is shown, not hidden', () => {
    const rows = waterfallRows(table({ gmvOrdersCreated: 10000, cancelled: -2000, settledGmv: 8000, refunds: 1000, netSales: 9000, platformFees: -12000, paidToBank: -4000, unexplained: 0 }));
    expect(rows).toEqual([
      ['gmvOrdersCreated', 0, 0, 0, 100, 0, 0],
      ['cancelled', 80, 20, 0, 0, 0, 0], // 100 → 80: base 80, decrease 20
      ['settledGmv', 0, 0, 0, 80, 0, 0],
      ['refunds', 80, 0, 10, 0, 0, 0], // 80 → 90 (a positive refund line is an increase)
      ['netSales', 0, 0, 0, 90, 0, 0],
      ['platformFees', 0, 90, 0, 0, -30, 0], // 90 → −30 crosses 0: 90 above, −30 below
      ['Not explained by the steps above', -30, -10, 0, 0, 0, 0], // −30 → −40: base −30, decrease stacked below it
      ['paidToBank', 0, 0, 0, -40, 0, 0],
    ]);
  });
});

/** Compile-time only: the real Apps Script classes satisfy the narrow interfaces. */
export function typeCheckOnly(): void {
  const ss: ReportSpreadsheetLike = SpreadsheetApp.getActive();
  writeReportTab(ss, 'Profit', [], { newConditionalFormatRule: () => SpreadsheetApp.newConditionalFormatRule(), interpolationType: SpreadsheetApp.InterpolationType });
}

test('a report tab gives back the rows a longer earlier report used (blank cells count against 10 M cells)', () => {
  const ss = new SpreadsheetModel('ss-trim', 'Shop');
  const long = skuTable();
  long.rows = Array.from({ length: 1500 }, (_, i) => ({ ...skuTable().rows[0], sku: `TS-${i}` }));
  writeReportTab(ss as unknown as ReportSpreadsheetLike, 'SKU profit', [long], options);
  const sheet = ss.getSheetByName('SKU profit')!;
  // Stamp, title, header, 1500 rows, 1 note = 1504 rows, plus one spare.
  expect(sheet.getMaxRows()).toBe(1505);
  writeReportTab(ss as unknown as ReportSpreadsheetLike, 'SKU profit', [skuTable()], options);
  expect(sheet.getMaxRows()).toBe(8);
  expect(sheet.getRange(4, 1, 3, 1).getValues().map((r) => r[0])).toEqual(['TS-1', '=IMPORTXML("http://x","//a")', '00123']);
});
