/**
 * SheetGateway over a Spreadsheet object passed in (SpreadsheetApp.getActive() in the bundle, a
 * fake in tests): one getValues per read and one setValues per write, header row included,
 * with the exact dimensions setValues demands.
 *
 * After each write the tab's header row is frozen and the body is (re)named
 * `bodyRangeName(tab)` ("TTS_Orders"), so custom functions take `TTS_Orders` as an argument and
 * Sheets recalculates them when the data changes.
 */
import { asWorkbookFull, bodyRangeName, tableRangeName, type SheetGateway, type TabData, type TabWrite } from './table';

export { WorkbookFullError } from './table';

/** The slices of Spreadsheet / Sheet / Range this gateway calls (the real classes satisfy them). */
export interface RangeLike {
  getValues(): unknown[][];
  setValues(values: unknown[][]): unknown;
  clearContent(): unknown;
}

export interface SheetLike {
  getLastRow(): number;
  getLastColumn(): number;
  getRange(row: number, column: number, numRows: number, numColumns: number): RangeLike;
  setFrozenRows(rows: number): unknown;
  getMaxRows(): number;
  getMaxColumns(): number;
  insertRowsAfter(afterPosition: number, howMany: number): unknown;
  insertColumnsAfter(afterPosition: number, howMany: number): unknown;
  deleteRows(rowPosition: number, howMany: number): unknown;
  deleteColumns(columnPosition: number, howMany: number): unknown;
  protect(): ProtectionLike;
}

export interface ProtectionLike {
  setDescription(description: string): ProtectionLike;
  setWarningOnly(warningOnly: boolean): ProtectionLike;
}

/** What an editor sees when they start typing in a data tab (a warning, not a lock: it is their sheet). */
export const DATA_TAB_WARNING = 'Written by TikTok Shop Profit on every refresh: edits here are replaced by the next refresh. Costs go on the COGS, Fixed costs and Creator fees tabs.';

/**
 * Makes the grid exactly `rows` high and at least `columns` wide. A range outside the grid makes
 * getRange throw ("The coordinates of the range are outside the dimensions of the sheet"); rows
 * beyond the table are deleted, because blank cells count against the workbook's 10 M cells too.
 */
function fit(sheet: SheetLike, tab: string, rows: number, columns: number): void {
  const maxRows = sheet.getMaxRows();
  try {
    if (maxRows < rows) sheet.insertRowsAfter(maxRows, rows - maxRows);
    const maxColumns = sheet.getMaxColumns();
    if (maxColumns < columns) sheet.insertColumnsAfter(maxColumns, columns - maxColumns);
  } catch (e) {
    throw asWorkbookFull(e, tab, rows);
  }
  if (maxRows > rows) sheet.deleteRows(rows + 1, maxRows - rows);
}

export interface SpreadsheetLike {
  getSheetByName(name: string): SheetLike | null;
  insertSheet(name: string): SheetLike;
  setNamedRange(name: string, range: RangeLike): unknown;
}

export interface GatewayOptions {
  /** Tabs this gateway creates get a warning-only protection (DATA_TAB_WARNING). */
  warnOnEdit?: boolean;
}

export class AppsScriptGateway implements SheetGateway {
  constructor(private readonly spreadsheet: SpreadsheetLike, private readonly options: GatewayOptions = {}) {}

  private sheet(tab: string): SheetLike {
    const s = this.spreadsheet.getSheetByName(tab);
    if (!s) throw new Error(`The "${tab}" tab does not exist`);
    return s;
  }

  ensureTab(tab: string, headers: readonly string[]): void {
    let sheet = this.spreadsheet.getSheetByName(tab);
    if (!sheet) {
      sheet = this.spreadsheet.insertSheet(tab);
      if (this.options.warnOnEdit) sheet.protect().setDescription(DATA_TAB_WARNING).setWarningOnly(true);
      // A new tab is 1000 × 26 blank cells; keep the header and one body row, as wide as the header.
      const extraColumns = sheet.getMaxColumns() - Math.max(1, headers.length);
      if (extraColumns > 0) sheet.deleteColumns(Math.max(1, headers.length) + 1, extraColumns);
      fit(sheet, tab, 2, headers.length);
    }
    if (sheet.getLastRow() === 0 && headers.length > 0) {
      fit(sheet, tab, Math.max(2, sheet.getMaxRows()), headers.length);
      sheet.getRange(1, 1, 1, headers.length).setValues([[...headers]]);
      sheet.setFrozenRows(1);
    }
  }

  read(tab: string): TabData {
    const sheet = this.sheet(tab);
    const lastRow = sheet.getLastRow();
    const lastColumn = sheet.getLastColumn();
    if (lastRow === 0 || lastColumn === 0) return { headers: [], rows: [] };
    const values = sheet.getRange(1, 1, lastRow, lastColumn).getValues();
    return { headers: values[0].map((h) => String(h)), rows: values.slice(1) };
  }

  readHeaders(tab: string): string[] {
    const sheet = this.sheet(tab);
    const lastColumn = sheet.getLastColumn();
    if (lastColumn === 0) return [];
    return sheet.getRange(1, 1, 1, lastColumn).getValues()[0].map((h) => String(h));
  }

  /** Body cells of `count` columns from column `first` (0-based): one getValues of a narrow range. */
  readColumns(tab: string, first: number, count: number): unknown[][] {
    const sheet = this.sheet(tab);
    const lastRow = sheet.getLastRow();
    if (lastRow < 2) return [];
    return sheet.getRange(2, first + 1, lastRow - 1, count).getValues();
  }

  /** Body rows from body index `from` (0-based) to the last row, as wide as the sheet's data. */
  readRowsFrom(tab: string, from: number): unknown[][] {
    const sheet = this.sheet(tab);
    const lastRow = sheet.getLastRow();
    const lastColumn = sheet.getLastColumn();
    if (lastColumn === 0 || from + 2 > lastRow) return [];
    return sheet.getRange(from + 2, 1, lastRow - from - 1, lastColumn).getValues();
  }

  write(tab: string, data: TabWrite): void {
    const sheet = this.sheet(tab);
    const width = data.headers.length;
    if (width === 0) throw new Error(`${tab} tab: cannot write a table without columns`);
    const from = data.from ?? 0;
    data.rows.forEach((r, i) => {
      if (r.length !== width) throw new Error(`${tab} tab: row ${from + i + 2} has ${r.length} cells for ${width} columns`);
    });
    const bodyRows = from + data.rows.length;
    // Sheet rows: 1 the header, 2.. the body; the table ends at row bodyRows + 1.
    const lastTableRow = bodyRows + 1;
    const oldRows = sheet.getLastRow();
    const oldColumns = sheet.getLastColumn();
    if (oldRows > lastTableRow) {
      // Rows that held data before and are no longer part of the table (blank rows dropped).
      sheet.getRange(lastTableRow + 1, 1, oldRows - lastTableRow, Math.max(width, oldColumns)).clearContent();
    }
    // One row more than the table: the named range of an empty table needs a (blank) body row.
    fit(sheet, tab, lastTableRow + 1, width);
    const headerRow = data.sameHeaders ? [] : [[...data.headers]];
    if (from === 0 || headerRow.length === 0) {
      // One write: [header +] the rows from `from` on.
      const values = [...headerRow, ...data.rows];
      if (values.length > 0) sheet.getRange(headerRow.length > 0 ? 1 : from + 2, 1, values.length, width).setValues(values);
    } else {
      sheet.getRange(1, 1, 1, width).setValues(headerRow);
      if (data.rows.length > 0) sheet.getRange(from + 2, 1, data.rows.length, width).setValues(data.rows);
    }
    sheet.setFrozenRows(1);
    // A named range needs at least one row: an empty table names its first (blank) body row.
    this.spreadsheet.setNamedRange(bodyRangeName(tab), sheet.getRange(2, 1, Math.max(1, bodyRows), width));
    this.spreadsheet.setNamedRange(tableRangeName(tab), sheet.getRange(1, 1, Math.max(1, bodyRows) + 1, width));
  }

}
