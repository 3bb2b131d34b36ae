/**
 * The .xlsx of the local runtime as LibreOffice Calc draws it: a generated shop's report tabs
 * written by writeAllReportTabs into the runtime's spreadsheet, saved with saveXlsx, opened
 * headless by Calc; the Dashboard, Profit and SKU profit pages rendered to PNG under out/render/
 * and checked: real charts drawn (the line series' blue, the scatter's points), header fills and
 * conditional formats carried, and every figure readable — no "###" anywhere on the pages, the
 * Profit tab's net profit shown as the workbook formats it.
 *
 * The workbook test (test/workbook/workbook.test.ts) renders the built bundle's own workbook the
 * same way; this one runs without a sandbox, so it is quick to rerun when the layout changes.
 */
import { resolve } from 'node:path';
import { generateShop } from '../../dev/generator/shop';
import { SpreadsheetModel } from '../../dev/runtime/gas';
import { ConditionalFormatRuleBuilderModel } from '../../dev/runtime/gas/spreadsheet';
import { toXlsx } from '../../dev/runtime/gas/xlsx';
import { computeMargins } from '../../src/core/margin';
import { allReports } from '../../src/core/reports';
import { REPORT_TAB_NAMES, writeAllReportTabs, type ReportSpreadsheetLike, type WriteReportOptions } from '../../src/sheets/report-tabs';
import { arrangeTabs, type ArrangeSpreadsheetLike } from '../../src/sheets/tab-order';
import { formatDisplay } from '../../dev/runtime/gas/spreadsheet';
import { checkRender } from './check';
import { renderSheets } from './soffice';

jest.setTimeout(240_000);

const options: WriteReportOptions = {
  newConditionalFormatRule: () => new ConditionalFormatRuleBuilderModel() as unknown as ReturnType<WriteReportOptions['newConditionalFormatRule']>,
  interpolationType: { NUMBER: 'NUMBER' },
};

test('Calc draws the Dashboard, Profit and SKU profit with their charts, fills and every figure readable', async () => {
  const shop = generateShop({ seed: 3, days: 60, ordersPerDay: 40 });
  const margins = computeMargins(shop.data, shop.settings, shop.asOf);
  const all = allReports({ data: shop.data, settings: shop.settings, margins });
  const ss = new SpreadsheetModel('render', 'Shop');
  writeAllReportTabs(ss as unknown as ReportSpreadsheetLike, all, options);
  arrangeTabs(ss as unknown as ArrangeSpreadsheetLike, { reportTabs: REPORT_TAB_NAMES, userTabs: [], dataTabs: [] });
  expect(ss.getSheets().map((x) => x.getName())).toEqual([...REPORT_TAB_NAMES]);
  const pages = renderSheets(await toXlsx(ss), ['Dashboard', 'Profit', 'SKU profit'], resolve(__dirname, '../../out/render'), 'engine');
  const net = all.profit.accrual.rows.find((r) => r.period === 'Last 30 days')!.netProfit as number;
  checkRender(pages, { profitFigure: formatDisplay(net / 100, '#,##0.00 "USD"') });
});
