import { generateShop } from '../../dev/generator/shop';
import { AppsScriptGateway, DATA_TAB_WARNING, type RangeLike, type SheetLike, type SpreadsheetLike } from '../../src/sheets/gateway-appsscript';
import { ORDERS_TAB } from '../../src/sheets/tabs';
import { readTab, upsert } from '../../src/sheets/table';

// Compile-time only: the real Spreadsheet class fits the slice the gateway takes.
const fits: GoogleAppsScript.Spreadsheet.Spreadsheet extends SpreadsheetLike ? true : false = true;
void fits;

/** A fake Sheet with Apps Script's rules: setValues must match the range exactly; quote prefix consumed. */
class FakeSheet implements SheetLike {
  cells: unknown[][] = [];
  frozen = 0;
  calls: string[] = [];
  /** A new tab's grid: 1000 rows × 26 columns; ranges outside it throw, as in Sheets. */
  maxRows = 1000;
  maxColumns = 26;
  getMaxRows() {
    return this.maxRows;
  }
  getMaxColumns() {
    return this.maxColumns;
  }
  insertRowsAfter(after: number, n: number) {
    if (this.full) throw new Error('This action would increase the number of cells in the workbook above the limit of 10000000 cells.');
    this.calls.push(`insertRowsAfter ${after} ${n}`);
    this.maxRows += n;
  }
  protections: string[][] = [];
  protect() {
    const calls: string[] = [];
    this.protections.push(calls);
    const p = {
      setDescription(d: string) { calls.push(`description: ${d}`); return p; },
      setWarningOnly(w: boolean) { calls.push(`warningOnly: ${w}`); return p; },
    };
    return p;
  }
  deleteRows(at: number, n: number) {
    this.calls.push(`deleteRows ${at} ${n}`);
    this.cells.splice(at - 1, n);
    this.maxRows -= n;
  }
  deleteColumns(at: number, n: number) {
    this.calls.push(`deleteColumns ${at} ${n}`);
    for (const row of this.cells) row.splice(at - 1, n);
    this.maxColumns -= n;
  }
  /** Set to make inserting rows fail the way Sheets does at the workbook's 10 M cells. */
  full = false;
  insertColumnsAfter(after: number, n: number) {
    this.calls.push(`insertColumnsAfter ${after} ${n}`);
    this.maxColumns += n;
  }
  getLastRow() {
    for (let r = this.cells.length; r > 0; r--) if (this.cells[r - 1].some((v) => v !== '' && v !== undefined)) return r;
    return 0;
  }
  getLastColumn() {
    return Math.max(0, ...this.cells.map((row) => {
      for (let c = row.length; c > 0; c--) if (row[c - 1] !== '' && row[c - 1] !== undefined) return c;
      return 0;
    }));
  }
  getRange(row: number, column: number, numRows: number, numColumns: number): RangeLike & { a1: string } {
    const sheet = this;
    if (row + numRows - 1 > this.maxRows || column + numColumns - 1 > this.maxColumns) {
      throw new Error('The coordinates of the range are outside the dimensions of the sheet.');
    }
    return {
      a1: `R${row}C${column}:${numRows}x${numColumns}`,
      getValues() {
        sheet.calls.push(`getValues ${numRows}x${numColumns}`);
        return Array.from({ length: numRows }, (_, r) => Array.from({ length: numColumns }, (_, c) => sheet.cells[row - 1 + r]?.[column - 1 + c] ?? ''));
      },
      setValues(values: unknown[][]) {
        sheet.calls.push(`setValues ${numRows}x${numColumns}`);
        if (values.length !== numRows || values.some((v) => v.length !== numColumns)) {
          throw new Error(`The number of rows or columns in the data does not match the range`);
        }
        values.forEach((v, r) => v.forEach((x, c) => {
          (sheet.cells[row - 1 + r] ??= [])[column - 1 + c] = typeof x === 'string' && x.startsWith("'") ? x.slice(1) : x;
        }));
        for (let r = 0; r < sheet.cells.length; r++) sheet.cells[r] ??= [];
      },
      clearContent() {
        sheet.calls.push(`clearContent R${row} ${numRows}x${numColumns}`);
        for (let r = 0; r < numRows; r++) for (let c = 0; c < numColumns; c++) if (sheet.cells[row - 1 + r]) sheet.cells[row - 1 + r][column - 1 + c] = '';
      },
    };
  }
  setFrozenRows(n: number) {
    this.frozen = n;
  }
}

class FakeSpreadsheet implements SpreadsheetLike {
  sheets = new Map<string, FakeSheet>();
  named = new Map<string, string>();
  getSheetByName(name: string) {
    return this.sheets.get(name) ?? null;
  }
  insertSheet(name: string) {
    const s = new FakeSheet();
    this.sheets.set(name, s);
    return s;
  }
  setNamedRange(name: string, range: RangeLike) {
    this.named.set(name, (range as RangeLike & { a1: string }).a1);
  }
}

const { data } = generateShop({ seed: 1, days: 10, ordersPerDay: 50 });

test('ensureTab creates the tab with a frozen header row, once', () => {
  const ss = new FakeSpreadsheet();
  const gw = new AppsScriptGateway(ss);
  gw.ensureTab('Orders', ORDERS_TAB.headers);
  gw.ensureTab('Orders', ORDERS_TAB.headers);
  const sheet = ss.sheets.get('Orders')!;
  expect(sheet.cells[0]).toEqual(ORDERS_TAB.headers);
  expect(sheet.frozen).toBe(1);
  expect(gw.read('Orders')).toEqual({ headers: ORDERS_TAB.headers, rows: [] });
});

test('upsert through a Spreadsheet: the header, the key column, the rows from the first one re-sent; one setValues of the new rows only, named body range', () => {
  const ss = new FakeSpreadsheet();
  const gw = new AppsScriptGateway(ss);
  const orders = data.orders.slice(0, 40);
  upsert(gw, ORDERS_TAB, orders);
  const sheet = ss.sheets.get('Orders')!;
  sheet.calls = [];
  upsert(gw, ORDERS_TAB, [...orders.slice(30), ...data.orders.slice(40, 45)]);
  const w = ORDERS_TAB.baseHeaders.length; // the columns a new Orders tab is written with (optional ones join when used)
  // Ten unchanged orders re-sent, five new ones: the Order ID column is read, then the ten rows
  // from the first re-sent one; only the five new rows are written.
  expect(sheet.calls).toEqual([`getValues 1x${w}`, 'getValues 40x1', `getValues 10x${w}`, `insertRowsAfter 42 5`, `setValues 5x${w}`]);
  expect(ss.named.get('TTS_Orders')).toBe(`R2C1:45x${w}`);
  expect(readTab(gw, ORDERS_TAB).records).toEqual(data.orders.slice(0, 45));
});

test('a shorter table clears the rows below it', () => {
  const ss = new FakeSpreadsheet();
  const gw = new AppsScriptGateway(ss);
  gw.ensureTab('T', ['a', 'b']);
  gw.write('T', { headers: ['a', 'b'], rows: [[1, 2], [3, 4], [5, 6]] });
  gw.write('T', { headers: ['a', 'b'], rows: [[1, 2]] });
  expect(gw.read('T')).toEqual({ headers: ['a', 'b'], rows: [[1, 2]] });
  expect(ss.sheets.get('T')!.calls).toContain('clearContent R3 2x2');
  expect(() => gw.write('T', { headers: ['a', 'b'], rows: [[1]] })).toThrow('T tab: row 2 has 1 cells for 2 columns');
  expect(() => gw.read('Nope')).toThrow('The "Nope" tab does not exist');
});

test('a tab wider than 26 columns and longer than 1000 rows: the grid grows before the write', () => {
  const ss = new FakeSpreadsheet();
  const gw = new AppsScriptGateway(ss);
  const headers = Array.from({ length: 40 }, (_, i) => `Column ${i + 1}`);
  gw.ensureTab('Wide', headers);
  const sheet = ss.sheets.get('Wide')!;
  expect(sheet.maxColumns).toBe(40);
  const rows = Array.from({ length: 1500 }, (_, r) => headers.map((_, c) => r * 100 + c));
  gw.write('Wide', { headers, rows });
  expect(sheet.maxRows).toBe(1502);
  expect(sheet.calls).toContain('insertRowsAfter 2 1500');
  expect(gw.read('Wide').rows[1499][39]).toBe(149939);
});

test('with warnOnEdit, a tab the gateway creates warns editors (warning only); an existing tab is left alone', () => {
  const ss = new FakeSpreadsheet();
  new AppsScriptGateway(ss).ensureTab('COGS', ['SKU']);
  const gw = new AppsScriptGateway(ss, { warnOnEdit: true });
  gw.ensureTab('Orders', ORDERS_TAB.headers);
  gw.ensureTab('Orders', ORDERS_TAB.headers);
  gw.ensureTab('COGS', ['SKU']);
  expect(ss.sheets.get('Orders')!.protections).toEqual([[`description: ${DATA_TAB_WARNING}`, 'warningOnly: true']]);
  expect(ss.sheets.get('COGS')!.protections).toEqual([]);
});

test('grids are no larger than their tables: a new tab is header + one row, as wide as the header; a shrinking table gives rows back', () => {
  const ss = new FakeSpreadsheet();
  const gw = new AppsScriptGateway(ss);
  gw.ensureTab('Orders', ORDERS_TAB.headers);
  const sheet = ss.sheets.get('Orders')!;
  // Blank cells count against the workbook's 10,000,000: 1000 × 26 would be 26,000 per tab.
  expect([sheet.maxRows, sheet.maxColumns]).toEqual([2, ORDERS_TAB.headers.length]);
  const row = (i: number) => ORDERS_TAB.headers.map((_, c) => `r${i}c${c}`);
  gw.write('Orders', { headers: [...ORDERS_TAB.headers], rows: [row(1), row(2), row(3), row(4)] });
  expect(sheet.maxRows).toBe(6);
  gw.write('Orders', { headers: [...ORDERS_TAB.headers], rows: [row(1)] });
  expect(sheet.maxRows).toBe(3);
  expect(gw.read('Orders').rows).toEqual([row(1)]);
});

test('at the workbook\'s 10,000,000 cells, a write stops with a message that says what to do, and the tab is unchanged', () => {
  const ss = new FakeSpreadsheet();
  const gw = new AppsScriptGateway(ss);
  gw.ensureTab('Orders', ORDERS_TAB.headers);
  const sheet = ss.sheets.get('Orders')!;
  const before = gw.read('Orders');
  sheet.full = true;
  const rows = Array.from({ length: 10 }, (_, i) => ORDERS_TAB.headers.map((_, c) => `r${i}c${c}`));
  expect(() => gw.write('Orders', { headers: [...ORDERS_TAB.headers], rows })).toThrow(
    'Google Sheets\' limit of 10,000,000 cells per workbook is reached: the Orders tab needs 12 rows. Nothing more was written. Lower "Backfill days" on the Settings tab and refresh into a new spreadsheet, or delete tabs you do not need (Sheets said: This action would increase the number of cells in the workbook above the limit of 10000000 cells.)',
  );
  expect(gw.read('Orders')).toEqual(before);
});
