/**
 * The custom functions as formulas in a real spreadsheet engine: HyperFormula, with the BUILT
 * bundle's functions registered as a function plugin (each call runs dist/Code.js in the local
 * Apps Script runtime). A workbook holds the add-on's tabs as sheets and formulas that call the
 * functions on their ranges; changing a data cell must recalculate them to the new exact value.
 */
import { CellError, ErrorType, FunctionArgumentType, FunctionPlugin, HyperFormula, SimpleRangeValue, EmptyValue } from 'hyperformula';

type RunFunction = FunctionPlugin['runFunction'];
type ProcedureArgs = Parameters<RunFunction>[0];
type InterpreterState = Parameters<RunFunction>[1];
type InterpreterValue = ReturnType<RunFunction>;
import { computeMargins } from '../../src/core/margin';
import { toMajor } from '../../src/core/money';
import { profitReport } from '../../src/core/reports/profit';
import { dayKey } from '../../src/core/time';
import { dataAsOf } from '../../src/sheets/custom-tabs';
import { generateShop } from '../../dev/generator/shop';
import { GasRuntime } from '../../dev/runtime/gas';
import { buildInto, type BuiltAddon } from '../bundle/build-into';
import { tabRanges, type Range, type TabRanges } from './ranges';

let built: BuiltAddon;
let rt: GasRuntime;
let calls = 0;

/** A HyperFormula argument as Sheets hands it to a custom function: ranges as 2-D arrays, blanks as ''. */
function asSheetsValue(v: unknown): unknown {
  if (v instanceof SimpleRangeValue) return v.rawData().map((row) => row.map(asSheetsValue));
  if (v === EmptyValue || v === null || v === undefined) return '';
  return v;
}

/** Every bundle custom function exercised here, as HyperFormula functions of any number of arguments. */
const NAMES = ['TIKTOK_CM', 'TIKTOK_BREAKEVEN_ROAS', 'TIKTOK_FEE_ESTIMATE', 'TIKTOK_METRIC'] as const;

class TikTokPlugin extends FunctionPlugin {
  static override implementedFunctions = Object.fromEntries(NAMES.map((name) => [name, {
    method: 'callBundle',
    parameters: [{ argumentType: FunctionArgumentType.ANY }],
    repeatLastArgs: 1,
    vectorizationForbidden: true,
  }]));

  callBundle(ast: { args: ProcedureArgs; procedureName: string }, state: InterpreterState): InterpreterValue {
    const name = ast.procedureName;
    return this.runFunction(ast.args, state, this.metadata(name), (...args: unknown[]) => {
      calls += 1;
      try {
        const result = rt.run(name, ...args.map(asSheetsValue));
        if (Array.isArray(result)) return new CellError(ErrorType.VALUE, `${name} returned a range`);
        return result as never;
      } catch (e) {
        return new CellError(ErrorType.ERROR, e instanceof Error ? e.message : String(e));
      }
    });
  }
}

const translations = Object.fromEntries(NAMES.map((n) => [n, n]));
HyperFormula.registerFunctionPlugin(TikTokPlugin, { enGB: translations, enUS: translations });

/** A range as sheet cells: every text forced to text (a leading apostrophe), dates as "YYYY-MM-DD". */
function sheetCells(range: Range, tz: string): unknown[][] {
  return range.map((row) => row.map((v) => {
    if (v instanceof Date) return `'${dayKey(Math.floor(v.getTime() / 1000), tz)}`;
    if (typeof v === 'string') return v === '' ? null : `'${v}`;
    return v;
  }));
}

const SHEETS: [keyof TabRanges, string][] = [
  ['orders', 'Orders'], ['order_lines', 'Order lines'], ['settlements', 'Settlements'], ['returns', 'Returns'],
  ['creator_orders', 'Creator orders'], ['ad_spend', 'Ad spend'], ['unsettled_estimates', 'Unsettled estimates'],
  ['settings', 'Settings'], ['cogs', 'COGS'], ['fixed_costs', 'Fixed costs'], ['creator_fees', 'Creator fees'],
];

function columnName(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

const shop = generateShop({ seed: 9, days: 25, ordersPerDay: 12, truth: false, analytics: false });
const tz = shop.settings.timezone;
// Ad spend days are typed dates in the script's zone; everything else in the shop's (see ranges.ts).
const ranges = tabRanges(shop.data, shop.settings);
ranges.ad_spend = ranges.ad_spend.map((r) => r.map((v) => (v instanceof Date ? `${v.getFullYear()}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}` : v)));
const tabArgs = SHEETS.map(([key, sheet]) => `'${sheet}'!A1:${columnName(ranges[key][0].length)}${ranges[key].length}`).join(', ');
const period = { label: 'p', from: '2025-02-20', to: '2025-03-05' };

function expectedCm3(data = shop.data): number {
  const margins = computeMargins(data, shop.settings, dataAsOf(data));
  const report = profitReport({ data, settings: shop.settings, margins }, { periods: [period], dailyRange: { label: 'd', from: period.from, to: period.from } });
  return toMajor(report.accrual.rows[0].cm3 as number, 'USD');
}

let hf: HyperFormula;
const model = () => hf.getSheetId('Model')!;
const value = (a1: string) => hf.getCellValue(hf.simpleCellAddressFromString(a1, model())!);

beforeAll(() => {
  built = buildInto();
  rt = new GasRuntime({ code: built.code, distDir: built.outdir });
  const sheets: Record<string, unknown[][]> = {};
  for (const [key, sheet] of SHEETS) sheets[sheet] = sheetCells(ranges[key], tz);
  sheets.Model = [
    ['Revenue', 'COGS', 'Fees', 'Shipping', 'Commission', 'Marketing', 'CM', 'CM2 rate', 'Break-even ROAS', 'Fee estimate'],
    [100, 40, 6.5, 5.25, 10, 3.1, '=TIKTOK_CM(A2,B2,C2,D2,E2,F2)', 0.25, '=TIKTOK_BREAKEVEN_ROAS(H2)', '=TIKTOK_FEE_ESTIMATE(A2,"US")'],
    ['CM3 of the period', `=TIKTOK_METRIC("cm3","${period.from}","${period.to}","","",${tabArgs})`],
    ['Orders of the period', `=TIKTOK_METRIC("orders","${period.from}","${period.to}","","accrual",${tabArgs})`],
    ['Bad metric', `=TIKTOK_METRIC("profit","${period.from}","${period.to}","","",${tabArgs})`],
  ];
  hf = HyperFormula.buildFromSheets(sheets as never, { licenseKey: 'gpl-v3' });
}, 180_000);

afterAll(async () => {
  hf?.destroy();
  await rt?.close();
  built?.cleanup();
});

test('helper formulas compute, and recalculate when an input cell changes', () => {
  expect(value('G2')).toBe(35.15);
  expect(value('I2')).toBe(4);
  expect(value('J2')).toBe(6);
  hf.setCellContents(hf.simpleCellAddressFromString('B2', model())!, [[41.1]]);
  expect(value('G2')).toBe(34.05);
  expect(value('J2')).toBe(6); // does not depend on B2
  hf.setCellContents(hf.simpleCellAddressFromString('H2', model())!, [[0.5]]);
  expect(value('I2')).toBe(2);
});

test('a metric over the tab ranges equals the engine, and follows a changed data cell', () => {
  const before = expectedCm3();
  expect(value('B3')).toBe(before);
  expect(value('B4')).toBe(profitReport({ data: shop.data, settings: shop.settings, margins: computeMargins(shop.data, shop.settings, dataAsOf(shop.data)) }, { periods: [period], dailyRange: { label: 'd', from: period.from, to: period.from } }).accrual.rows[0].orders);

  // The seller raises the landed cost of the first COGS row by 1.25.
  const cogsSheet = hf.getSheetId('COGS')!;
  const row = 1;
  const cost = ranges.cogs[row][1] as number;
  const raised = Math.round((cost + 1.25) * 100) / 100;
  const callsBefore = calls;
  hf.setCellContents({ sheet: cogsSheet, row, col: 1 }, [[raised]]);
  expect(calls).toBeGreaterThan(callsBefore);

  const data = { ...shop.data, cogs: shop.data.cogs.map((c, i) => (i === row - 1 ? { ...c, unitCost: Math.round(raised * 100) } : c)) };
  const after = expectedCm3(data);
  expect(after).not.toBe(before);
  expect(value('B3')).toBe(after);

  // An order line's original price changes: CM3 follows again.
  const lines = hf.getSheetId('Order lines')!;
  const priceCol = (ranges.order_lines[0] as string[]).indexOf('Original price');
  const orderCol = (ranges.order_lines[0] as string[]).indexOf('Order ID');
  const lineIndex = shop.data.lines.findIndex((l) => {
    const o = shop.data.orders.find((x) => x.orderId === l.orderId)!;
    const day = dayKey(o.createTime, tz);
    return day >= period.from && day <= period.to && !l.cancelled && o.status !== 'CANCELLED' && !o.isSample;
  });
  expect(ranges.order_lines[lineIndex + 1][orderCol]).toBe(shop.data.lines[lineIndex].orderId);
  const line = shop.data.lines[lineIndex];
  const newPrice = line.originalPrice + 500;
  hf.setCellContents({ sheet: lines, row: lineIndex + 1, col: priceCol }, [[toMajor(newPrice, 'USD')]]);
  const data2 = { ...data, lines: data.lines.map((l, i) => (i === lineIndex ? { ...l, originalPrice: newPrice } : l)) };
  const after2 = expectedCm3(data2);
  expect(after2).not.toBe(after);
  expect(value('B3')).toBe(after2);
});

test('a bad argument is a cell error that names it', () => {
  const v = value('B5');
  expect(v).toBeInstanceOf(Object);
  expect((v as { message: string }).message).toMatch(/^(Error: )?TIKTOK_METRIC: argument "metric": expected one of "orders"/);
});
