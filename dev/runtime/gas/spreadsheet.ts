/**
 * SpreadsheetApp's model: one spreadsheet with sheets of cells, named ranges, conditional format
 * rules and charts (recorded, not rendered), following Sheets' rules where they shape the add-on:
 * - setValues/setNumberFormats refuse data of the wrong shape, with Apps Script's messages;
 * - a string starting with "=" is stored as a formula (not evaluated: its value is the formula
 *   text), a leading "'" is dropped and the rest kept as text, a plain number written as text
 *   ("123", "1e3") becomes a number and "TRUE"/"FALSE" a boolean, unless the cell is formatted
 *   as plain text ("@") — Sheets parses values written by setValue(s) as if typed;
 * - the grid has a size (1000 × 26 for a new sheet); ranges outside it are refused; rows and
 *   columns are added by insertRows/insertColumns/appendRow; the whole workbook holds at most
 *   10,000,000 cells.
 */
import { GasError, HostObject } from './host';

export const CELL_LIMIT = 10_000_000;
const DEFAULT_ROWS = 1000;
const DEFAULT_COLUMNS = 26;
export const GENERAL_FORMAT = '0.###############';
export const DEFAULT_COLUMN_WIDTH = 100;

export type CellValue = string | number | boolean | Date;

export interface Cell {
  value: CellValue;
  formula?: string;
  format?: string;
  fontWeight?: string;
  /** Fill colour ("#RRGGBB"), set by setBackground(s). */
  background?: string;
  /** Font colour, set by setFontColor(s). */
  fontColor?: string;
  /** Text wrapping, set by setWrap(s). */
  wrap?: boolean;
  /** The cell's note (Insert → Note), set by setNote(s). */
  note?: string;
}

const rowsMismatch = (what: 'rows' | 'columns', data: number, range: number) =>
  new GasError(`The number of ${what} in the data does not match the number of ${what} in the range. The data has ${data} but the range has ${range}.`);

export function columnLetters(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

const NUMERIC_TEXT = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/**
 * The wall-clock time of `ms` in `timeZone`, as a Date whose UTC fields are that wall time. Sheets
 * keeps a date-time cell as a serial number with no zone: the instant a script writes is turned
 * into the spreadsheet's wall-clock time, and read back in the spreadsheet's zone of that moment.
 */
export function wallTime(ms: number, timeZone: string): Date {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return new Date(Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'), ((ms % 1000) + 1000) % 1000));
}

/** The instant whose wall-clock time in `timeZone` is `wall` (UTC fields); the earlier one in a DST overlap. */
export function instantOf(wall: Date, timeZone: string): Date {
  const w = wall.getTime();
  let guess = w - (wallTime(w, timeZone).getTime() - w);
  guess = w - (wallTime(guess, timeZone).getTime() - guess);
  return new Date(guess);
}

/** A value as Sheets stores it when written with setValue(s) (dates: wall time in the spreadsheet's zone). */
function parseWritten(raw: unknown, format: string | undefined, timeZone = 'Etc/UTC'): { value: CellValue; formula?: string } {
  if (raw === null || raw === undefined) return { value: '' };
  if (raw instanceof Date || Object.prototype.toString.call(raw) === '[object Date]') return { value: wallTime((raw as Date).getTime(), timeZone) };
  if (typeof raw === 'number' || typeof raw === 'boolean') return { value: raw };
  const text = String(raw);
  if (format === '@') return { value: text };
  if (text.startsWith('=') && text.length > 1) return { value: text, formula: text };
  if (text.startsWith("'")) return { value: text.slice(1) };
  if (NUMERIC_TEXT.test(text)) return { value: Number(text) };
  if (/^(true|false)$/i.test(text)) return { value: text.toLowerCase() === 'true' };
  return { value: text };
}

/** Display text of a value under a number format (the common numeric formats only). */
export function formatDisplay(value: CellValue, format: string | undefined): string {
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
  if (typeof value !== 'number') return value;
  if (!format || format === GENERAL_FORMAT || format === '@' || /general/i.test(format)) return String(Number(value.toPrecision(15)));
  const m = /^([^0#]*?)([#,]*0[0,]*)(?:\.(0+|#+))?(%?)([^0#]*)$/.exec(format.replace(/"([^"]*)"/g, '$1'));
  if (!m) return String(value);
  const [, prefix, intPart, decimals = '', percent, suffix] = m;
  const n = percent ? value * 100 : value;
  const places = decimals.startsWith('0') ? decimals.length : 0;
  let body = Math.abs(n).toFixed(places);
  if (intPart.includes(',')) {
    const [i, f] = body.split('.');
    body = i.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (f !== undefined ? '.' + f : '');
  }
  return (n < 0 && Number(body.replace(/,/g, '')) !== 0 ? '-' : '') + prefix + body + percent + suffix;
}

export class SpreadsheetModel extends HostObject {
  readonly sheets: SheetModel[] = [];
  readonly namedRanges = new Map<string, RangeModel>();
  /** What the script asked of the spreadsheet, for the workbook benchmark (cells = range sizes). */
  readonly stats = { getValuesCalls: 0, cellsRead: 0, setValuesCalls: 0, cellsWritten: 0 };
  /** Charges the cells a call moves to the running execution (set by the runtime; see costs.ts). */
  _meter: ((kind: 'read' | 'write', cells: number) => void) | null = null;
  /** The spreadsheet's time zone (File > Settings): date cells are wall-clock times in it. */
  _timeZone = 'Etc/UTC';
  private nextSheetId = 0;

  constructor(
    readonly id: string,
    private name: string,
  ) {
    super();
    this.sheets.push(new SheetModel(this, 'Sheet1', this.nextSheetId++, DEFAULT_ROWS, DEFAULT_COLUMNS));
  }

  /** Cells in all sheets (rows × columns of each grid, filled or not). */
  _cellCount(): number {
    return this.sheets.reduce((sum, s) => sum + s._maxRows * s._maxColumns, 0);
  }

  /** Refuses a change that would add `extra` cells past the workbook limit. */
  _checkGrowth(extra: number): void {
    if (this._cellCount() + extra > CELL_LIMIT) {
      throw new GasError(`This action would increase the number of cells in the workbook above the limit of ${CELL_LIMIT} cells.`);
    }
  }

  getId(): string {
    return this.id;
  }
  getName(): string {
    return this.name;
  }
  rename(name: string): void {
    this.name = String(name);
  }
  getSheets(): SheetModel[] {
    return [...this.sheets];
  }
  getNumSheets(): number {
    return this.sheets.length;
  }
  getSheetByName(name: string): SheetModel | null {
    return this.sheets.find((s) => s.getName() === String(name)) ?? null;
  }
  getActiveSheet(): SheetModel {
    return this.activeSheet && this.sheets.includes(this.activeSheet) ? this.activeSheet : this.sheets[0];
  }
  private activeSheet: SheetModel | null = null;
  setActiveSheet(sheet: SheetModel): SheetModel {
    if (!(sheet instanceof SheetModel) || !this.sheets.includes(sheet)) throw new GasError("The parameters (SheetModel) don't match the method signature for SpreadsheetApp.Spreadsheet.setActiveSheet.");
    this.activeSheet = sheet;
    return sheet;
  }
  /** Moves the active sheet to `pos` (1-based), as Spreadsheet.moveActiveSheet does. */
  moveActiveSheet(pos: number): void {
    const p = Number(pos);
    if (!Number.isInteger(p) || p < 1 || p > this.sheets.length) throw new GasError('Those sheet positions are out of bounds.');
    const sheet = this.getActiveSheet();
    this.sheets.splice(this.sheets.indexOf(sheet), 1);
    this.sheets.splice(p - 1, 0, sheet);
  }
  getSheetId(): number {
    return 0;
  }

  insertSheet(nameOrIndex?: string | number, index?: number): SheetModel {
    let name: string | undefined;
    let at = this.sheets.length;
    if (typeof nameOrIndex === 'string') name = nameOrIndex;
    else if (typeof nameOrIndex === 'number') at = nameOrIndex;
    if (typeof index === 'number') at = index;
    if (name === undefined) {
      let n = this.sheets.length + 1;
      while (this.getSheetByName(`Sheet${n}`)) n++;
      name = `Sheet${n}`;
    }
    if (this.sheets.some((s) => s.getName().toLowerCase() === name!.toLowerCase())) {
      throw new GasError(`A sheet with the name "${name}" already exists. Please enter another name.`);
    }
    this._checkGrowth(DEFAULT_ROWS * DEFAULT_COLUMNS);
    const sheet = new SheetModel(this, name, this.nextSheetId++, DEFAULT_ROWS, DEFAULT_COLUMNS);
    this.sheets.splice(Math.max(0, Math.min(at, this.sheets.length)), 0, sheet);
    return sheet;
  }

  deleteSheet(sheet: SheetModel): void {
    const i = this.sheets.indexOf(sheet);
    if (i < 0) throw new GasError('Sheet not found');
    if (this.sheets.length === 1) throw new GasError("You can't remove all the sheets in a document.");
    this.sheets.splice(i, 1);
    for (const [k, r] of this.namedRanges) if (r.sheet === sheet) this.namedRanges.delete(k);
  }

  getRange(a1: string): RangeModel {
    const { sheetName, rest } = splitSheet(String(a1));
    const sheet = sheetName === undefined ? this.sheets[0] : this.getSheetByName(sheetName);
    if (!sheet) throw new GasError(`Range not found`);
    return sheet.getRange(rest);
  }

  getRangeByName(name: string): RangeModel | null {
    return this.namedRanges.get(String(name)) ?? null;
  }

  setNamedRange(name: string, range: RangeModel): void {
    const n = String(name);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(n) || /^[A-Za-z]{1,3}\d+$/.test(n) || /^(true|false)$/i.test(n)) {
      throw new GasError('The named range name is invalid.');
    }
    if (!(range instanceof RangeModel)) throw new GasError('The parameters (String,String) don\'t match the method signature for SpreadsheetApp.Spreadsheet.setNamedRange.');
    this.namedRanges.set(n, range);
  }

  removeNamedRange(name: string): void {
    this.namedRanges.delete(String(name));
  }

  getNamedRanges(): NamedRangeModel[] {
    return [...this.namedRanges.keys()].map((n) => new NamedRangeModel(this, n));
  }

  getSpreadsheetTimeZone(): string {
    return this._timeZone;
  }
  /** Date cells keep their wall-clock time: read back after a change, they are other instants. */
  setSpreadsheetTimeZone(timeZone: string): void {
    const tz = String(timeZone);
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
    } catch {
      throw new GasError(`Invalid argument: timeZone`);
    }
    this._timeZone = tz;
  }
  getUrl(): string {
    return `https://docs.google.com/spreadsheets/d/${this.id}/edit`;
  }
  toast(): void {}
}

export class NamedRangeModel extends HostObject {
  constructor(
    private readonly ss: SpreadsheetModel,
    private name: string,
  ) {
    super();
  }
  getName(): string {
    return this.name;
  }
  getRange(): RangeModel {
    const r = this.ss.namedRanges.get(this.name);
    if (!r) throw new GasError('Named range not found');
    return r;
  }
  setRange(range: RangeModel): NamedRangeModel {
    this.ss.namedRanges.set(this.name, range);
    return this;
  }
  setName(name: string): NamedRangeModel {
    const r = this.getRange();
    this.ss.namedRanges.delete(this.name);
    this.ss.setNamedRange(name, r);
    this.name = String(name);
    return this;
  }
  remove(): void {
    this.ss.namedRanges.delete(this.name);
  }
}

function splitSheet(a1: string): { sheetName?: string; rest: string } {
  const m = /^(?:'((?:[^']|'')+)'|([^!']+))!(.*)$/.exec(a1);
  if (!m) return { rest: a1 };
  return { sheetName: m[1] !== undefined ? m[1].replace(/''/g, "'") : m[2], rest: m[3] };
}

/** Something recorded: a builder's calls in order. */
export interface RecordedCall {
  method: string;
  args: unknown[];
}

export class ProtectionModel extends HostObject {
  readonly calls: RecordedCall[] = [];
  constructor(readonly target: SheetModel | RangeModel) {
    super();
    for (const m of ['setDescription', 'setWarningOnly', 'removeEditors', 'removeEditor', 'addEditor', 'addEditors', 'setDomainEdit', 'setUnprotectedRanges']) {
      (this as unknown as Record<string, unknown>)[m] = (...args: unknown[]) => {
        this.calls.push({ method: m, args });
        return this;
      };
    }
  }
  getEditors(): unknown[] {
    return [];
  }
  canEdit(): boolean {
    return true;
  }
  remove(): void {
    this.calls.push({ method: 'remove', args: [] });
  }
}

export class SheetModel extends HostObject {
  /** rows[r][c], 0-based; undefined = empty. */
  private rows: (Cell | undefined)[][] = [];
  _maxRows: number;
  _maxColumns: number;
  private frozenRows = 0;
  private frozenColumns = 0;
  /** Column widths set by setColumnWidth(s), pixels by 1-based column. */
  _columnWidths = new Map<number, number>();
  conditionalFormatRules: ConditionalFormatRuleModel[] = [];
  readonly charts: EmbeddedChartModel[] = [];
  readonly protections: ProtectionModel[] = [];
  hidden = false;

  constructor(
    readonly spreadsheet: SpreadsheetModel,
    private name: string,
    readonly sheetId: number,
    rows: number,
    columns: number,
  ) {
    super();
    this._maxRows = rows;
    this._maxColumns = columns;
  }

  _cell(r: number, c: number): Cell | undefined {
    return this.rows[r - 1]?.[c - 1];
  }
  _setCell(r: number, c: number, update: (cell: Cell) => void): void {
    const row = (this.rows[r - 1] ??= []);
    const cell = (row[c - 1] ??= { value: '' });
    update(cell);
  }

  getName(): string {
    return this.name;
  }
  setName(name: string): SheetModel {
    const n = String(name);
    if (this.spreadsheet.sheets.some((s) => s !== this && s.getName().toLowerCase() === n.toLowerCase())) {
      throw new GasError(`A sheet with the name "${n}" already exists. Please enter another name.`);
    }
    this.name = n;
    return this;
  }
  getSheetId(): number {
    return this.sheetId;
  }
  getIndex(): number {
    return this.spreadsheet.sheets.indexOf(this) + 1;
  }
  getParent(): SpreadsheetModel {
    return this.spreadsheet;
  }
  getMaxRows(): number {
    return this._maxRows;
  }
  getMaxColumns(): number {
    return this._maxColumns;
  }

  getLastRow(): number {
    for (let r = this.rows.length; r >= 1; r--) {
      if (this.rows[r - 1]?.some((c) => c !== undefined && (c.value !== '' || c.formula))) return r;
    }
    return 0;
  }
  getLastColumn(): number {
    let last = 0;
    for (const row of this.rows) {
      if (!row) continue;
      for (let c = row.length; c > last; c--) {
        const cell = row[c - 1];
        if (cell && (cell.value !== '' || cell.formula)) {
          last = c;
          break;
        }
      }
    }
    return last;
  }

  getRange(a: number | string, col?: number, numRows?: number, numCols?: number): RangeModel {
    if (typeof a === 'string') return this.rangeFromA1(a);
    const row = Number(a);
    const c = Number(col);
    const nr = numRows === undefined ? 1 : Number(numRows);
    const nc = numCols === undefined ? 1 : Number(numCols);
    if (!Number.isInteger(row) || row < 1) throw new GasError('The starting row of the range is too small.');
    if (!Number.isInteger(c) || c < 1) throw new GasError('The starting column of the range is too small.');
    if (!Number.isInteger(nr) || nr < 1) throw new GasError('The number of rows in the range must be at least 1.');
    if (!Number.isInteger(nc) || nc < 1) throw new GasError('The number of columns in the range must be at least 1.');
    if (row + nr - 1 > this._maxRows || c + nc - 1 > this._maxColumns) throw new GasError('The coordinates of the range are outside the dimensions of the sheet.');
    return new RangeModel(this, row, c, nr, nc);
  }

  private rangeFromA1(a1: string): RangeModel {
    const { rest } = splitSheet(a1.trim());
    const m = /^\$?([A-Za-z]*)\$?(\d*)(?::\$?([A-Za-z]*)\$?(\d*))?$/.exec(rest);
    if (!m || rest === '') throw new GasError('Range not found');
    const [, c1, r1, c2 = c1, r2 = r1] = m;
    if (m[3] === undefined && (c1 === '' || r1 === '')) throw new GasError('Range not found');
    const col1 = c1 ? columnNumber(c1) : 1;
    const col2 = c2 ? columnNumber(c2) : this._maxColumns;
    const row1 = r1 ? Number(r1) : 1;
    const row2 = r2 ? Number(r2) : this._maxRows;
    const [ra, rb] = [Math.min(row1, row2), Math.max(row1, row2)];
    const [ca, cb] = [Math.min(col1, col2), Math.max(col1, col2)];
    return this.getRange(ra, ca, rb - ra + 1, cb - ca + 1);
  }

  getDataRange(): RangeModel {
    return this.getRange(1, 1, Math.max(1, this.getLastRow()), Math.max(1, this.getLastColumn()));
  }

  appendRow(values: unknown[]): SheetModel {
    if (!Array.isArray(values)) throw new GasError('The parameters don\'t match the method signature for SpreadsheetApp.Sheet.appendRow.');
    const row = this.getLastRow() + 1;
    if (row > this._maxRows) {
      this.spreadsheet._checkGrowth(this._maxColumns);
      this._maxRows = row;
    }
    if (values.length > this._maxColumns) {
      this.spreadsheet._checkGrowth((values.length - this._maxColumns) * this._maxRows);
      this._maxColumns = values.length;
    }
    if (values.length > 0) this.getRange(row, 1, 1, values.length).setValues([values]);
    return this;
  }

  insertRowsBefore(before: number, howMany: number): SheetModel {
    return this.insertRows(before, howMany);
  }
  insertRowsAfter(after: number, howMany: number): SheetModel {
    return this.insertRows(Number(after) + 1, howMany);
  }
  insertRowBefore(before: number): SheetModel {
    return this.insertRows(before, 1);
  }
  insertRowAfter(after: number): SheetModel {
    return this.insertRows(Number(after) + 1, 1);
  }
  /** Inserts `howMany` blank rows before row `before` (1-based), growing the grid. */
  insertRows(before: number, howMany = 1): SheetModel {
    const at = Number(before);
    const n = Number(howMany);
    if (!Number.isInteger(at) || at < 1 || at > this._maxRows + 1) throw new GasError('Those rows are out of bounds.');
    if (!Number.isInteger(n) || n < 1) throw new GasError('The number of rows to insert must be at least 1.');
    this.spreadsheet._checkGrowth(n * this._maxColumns);
    if (at - 1 < this.rows.length) this.rows.splice(at - 1, 0, ...new Array<(Cell | undefined)[]>(n));
    this._maxRows += n;
    return this;
  }
  deleteRow(row: number): SheetModel {
    return this.deleteRows(row, 1);
  }
  deleteRows(start: number, howMany = 1): SheetModel {
    const s = Number(start);
    const n = Number(howMany);
    if (!Number.isInteger(s) || s < 1 || !Number.isInteger(n) || n < 1 || s + n - 1 > this._maxRows) throw new GasError('Those rows are out of bounds.');
    if (n >= this._maxRows - this.frozenRows) throw new GasError('Sorry, it is not possible to delete all non-frozen rows.');
    this.rows.splice(s - 1, n);
    this._maxRows -= n;
    return this;
  }
  insertColumnsAfter(after: number, howMany: number): SheetModel {
    return this.insertColumns(Number(after) + 1, howMany);
  }
  insertColumnsBefore(before: number, howMany: number): SheetModel {
    return this.insertColumns(before, howMany);
  }
  insertColumns(before: number, howMany = 1): SheetModel {
    const at = Number(before);
    const n = Number(howMany);
    if (!Number.isInteger(at) || at < 1 || at > this._maxColumns + 1) throw new GasError('Those columns are out of bounds.');
    if (!Number.isInteger(n) || n < 1) throw new GasError('The number of columns to insert must be at least 1.');
    this.spreadsheet._checkGrowth(n * this._maxRows);
    for (const row of this.rows) if (row && at - 1 < row.length) row.splice(at - 1, 0, ...new Array<Cell | undefined>(n));
    this._maxColumns += n;
    this.shiftWidths(at, n);
    return this;
  }
  deleteColumns(start: number, howMany = 1): SheetModel {
    const s = Number(start);
    const n = Number(howMany);
    if (!Number.isInteger(s) || s < 1 || !Number.isInteger(n) || n < 1 || s + n - 1 > this._maxColumns) throw new GasError('Those columns are out of bounds.');
    if (n >= this._maxColumns - this.frozenColumns) throw new GasError('Sorry, it is not possible to delete all non-frozen columns.');
    for (const row of this.rows) if (row) row.splice(s - 1, n);
    this._maxColumns -= n;
    this.shiftWidths(s, -n);
    return this;
  }

  setFrozenRows(rows: number): void {
    const n = Number(rows);
    if (n >= this._maxRows) throw new GasError("You can't freeze all visible rows on the sheet.");
    this.frozenRows = n;
  }
  getFrozenRows(): number {
    return this.frozenRows;
  }
  setFrozenColumns(columns: number): void {
    const n = Number(columns);
    if (n >= this._maxColumns) throw new GasError("You can't freeze all visible columns on the sheet.");
    this.frozenColumns = n;
  }
  getFrozenColumns(): number {
    return this.frozenColumns;
  }

  /**
   * Content and formats. Notes stay: Apps Script's documentation names only content and
   * formatting, so the model keeps them (the conservative reading); Range.clearNote removes them.
   */
  clear(): SheetModel {
    this.rows = this.rows.map((row) => row?.map((cell) => (cell?.note !== undefined ? { value: '', note: cell.note } : undefined)) ?? []);
    return this;
  }
  clearContents(): SheetModel {
    for (const row of this.rows) for (const cell of row ?? []) if (cell) (cell.value = ''), delete cell.formula;
    return this;
  }
  clearFormats(): SheetModel {
    for (const row of this.rows) for (const cell of row ?? []) if (cell) delete cell.format, delete cell.fontWeight, delete cell.background, delete cell.fontColor, delete cell.wrap;
    return this;
  }

  protect(): ProtectionModel {
    const p = new ProtectionModel(this);
    this.protections.push(p);
    return p;
  }

  setConditionalFormatRules(rules: ConditionalFormatRuleModel[]): void {
    if (!Array.isArray(rules)) throw new GasError("The parameters don't match the method signature for SpreadsheetApp.Sheet.setConditionalFormatRules.");
    this.conditionalFormatRules = [...rules];
  }
  getConditionalFormatRules(): ConditionalFormatRuleModel[] {
    return [...this.conditionalFormatRules];
  }
  clearConditionalFormatRules(): void {
    this.conditionalFormatRules = [];
  }

  newChart(): ChartBuilderModel {
    return new ChartBuilderModel(this);
  }
  insertChart(chart: EmbeddedChartModel): void {
    if (!(chart instanceof EmbeddedChartModel)) throw new GasError("The parameters don't match the method signature for SpreadsheetApp.Sheet.insertChart.");
    this.charts.push(chart);
  }
  updateChart(chart: EmbeddedChartModel): void {
    const i = this.charts.findIndex((c) => c.chartId === chart.chartId);
    if (i >= 0) this.charts[i] = chart;
  }
  removeChart(chart: EmbeddedChartModel): void {
    const i = this.charts.findIndex((c) => c.chartId === chart.chartId);
    if (i >= 0) this.charts.splice(i, 1);
  }
  getCharts(): EmbeddedChartModel[] {
    return [...this.charts];
  }

  autoResizeColumns(): SheetModel {
    return this;
  }
  autoResizeColumn(): SheetModel {
    return this;
  }
  /** Width of a column in pixels (100 unless set; autoResize is not measured here). */
  getColumnWidth(columnPosition: number): number {
    const c = Number(columnPosition);
    if (!Number.isInteger(c) || c < 1 || c > this._maxColumns) throw new GasError('Those columns are out of bounds.');
    return this._columnWidths.get(c) ?? DEFAULT_COLUMN_WIDTH;
  }
  setColumnWidth(columnPosition: number, width: number): SheetModel {
    return this.setColumnWidths(columnPosition, 1, width);
  }
  setColumnWidths(startColumn: number, numColumns: number, width: number): SheetModel {
    const s = Number(startColumn);
    const n = Number(numColumns);
    const w = Number(width);
    if (!Number.isInteger(s) || s < 1 || !Number.isInteger(n) || n < 1 || s + n - 1 > this._maxColumns) throw new GasError('Those columns are out of bounds.');
    if (!Number.isFinite(w) || w < 0) throw new GasError('Invalid argument: width');
    for (let c = s; c < s + n; c++) this._columnWidths.set(c, Math.round(w));
    return this;
  }
  /** Moves the recorded column widths when columns are inserted (count > 0) or deleted (count < 0) at `at`. */
  private shiftWidths(at: number, count: number): void {
    const next = new Map<number, number>();
    for (const [c, w] of this._columnWidths) {
      if (c < at) next.set(c, w);
      else if (count > 0) next.set(c + count, w);
      else if (c >= at - count) next.set(c + count, w);
    }
    this._columnWidths = next;
  }
  /** The filled cells, row by row (1-based positions), for export. */
  *_cells(): Generator<{ row: number; col: number; cell: Cell }> {
    for (let r = 0; r < this.rows.length; r++) {
      const line = this.rows[r];
      if (!line) continue;
      for (let c = 0; c < line.length; c++) if (line[c]) yield { row: r + 1, col: c + 1, cell: line[c]! };
    }
  }
  hideSheet(): SheetModel {
    if (this.spreadsheet.sheets.filter((s) => !s.hidden && s !== this).length === 0) throw new GasError("You can't hide all the sheets in a document.");
    this.hidden = true;
    return this;
  }
  showSheet(): SheetModel {
    this.hidden = false;
    return this;
  }
  isSheetHidden(): boolean {
    return this.hidden;
  }
  activate(): SheetModel {
    return this;
  }
}

export class RangeModel extends HostObject {
  constructor(
    readonly sheet: SheetModel,
    readonly row: number,
    readonly col: number,
    readonly numRows: number,
    readonly numCols: number,
  ) {
    super();
  }

  private each<T>(f: (r: number, c: number) => T): T[][] {
    const out: T[][] = [];
    for (let i = 0; i < this.numRows; i++) {
      const line: T[] = [];
      for (let j = 0; j < this.numCols; j++) line.push(f(this.row + i, this.col + j));
      out.push(line);
    }
    return out;
  }

  private checkShape(data: unknown, method: string): unknown[][] {
    if (!Array.isArray(data) || !data.every((r) => Array.isArray(r))) {
      throw new GasError(`The parameters (${Array.isArray(data) ? 'number[]' : typeof data}) don't match the method signature for SpreadsheetApp.Range.${method}.`);
    }
    if (data.length !== this.numRows) throw rowsMismatch('rows', data.length, this.numRows);
    for (const r of data as unknown[][]) if (r.length !== this.numCols) throw rowsMismatch('columns', r.length, this.numCols);
    return data as unknown[][];
  }

  getSheet(): SheetModel {
    return this.sheet;
  }
  getRow(): number {
    return this.row;
  }
  getColumn(): number {
    return this.col;
  }
  getLastRow(): number {
    return this.row + this.numRows - 1;
  }
  getLastColumn(): number {
    return this.col + this.numCols - 1;
  }
  getNumRows(): number {
    return this.numRows;
  }
  getNumColumns(): number {
    return this.numCols;
  }
  getA1Notation(): string {
    const tl = `${columnLetters(this.col)}${this.row}`;
    if (this.numRows === 1 && this.numCols === 1) return tl;
    return `${tl}:${columnLetters(this.getLastColumn())}${this.getLastRow()}`;
  }
  getCell(row: number, column: number): RangeModel {
    if (row < 1 || column < 1 || row > this.numRows || column > this.numCols) throw new GasError('The coordinates of the range are outside the dimensions of the sheet.');
    return new RangeModel(this.sheet, this.row + row - 1, this.col + column - 1, 1, 1);
  }
  offset(rowOffset: number, columnOffset: number, numRows?: number, numColumns?: number): RangeModel {
    return this.sheet.getRange(this.row + rowOffset, this.col + columnOffset, numRows ?? this.numRows, numColumns ?? this.numCols);
  }

  private meter(kind: 'read' | 'write', cells = this.numRows * this.numCols): void {
    this.sheet.getParent()._meter?.(kind, cells);
  }

  getValues(): CellValue[][] {
    const ss = this.sheet.getParent();
    ss.stats.getValuesCalls++;
    ss.stats.cellsRead += this.numRows * this.numCols;
    this.meter('read');
    const tz = ss._timeZone;
    return this.each((r, c) => {
      const v = this.sheet._cell(r, c)?.value ?? '';
      return v instanceof Date ? instantOf(v, tz) : v;
    });
  }
  getValue(): CellValue {
    return this.getValues()[0][0];
  }
  getDisplayValues(): string[][] {
    this.meter('read');
    return this.each((r, c) => {
      const cell = this.sheet._cell(r, c);
      return cell ? formatDisplay(cell.value, cell.format) : '';
    });
  }
  getDisplayValue(): string {
    return this.getDisplayValues()[0][0];
  }
  setValues(values: unknown[][]): RangeModel {
    const data = this.checkShape(values, 'setValues');
    const ss = this.sheet.getParent();
    ss.stats.setValuesCalls++;
    ss.stats.cellsWritten += data.length * (data[0]?.length ?? 0);
    this.meter('write');
    const tz = ss._timeZone;
    data.forEach((line, i) =>
      line.forEach((raw, j) =>
        this.sheet._setCell(this.row + i, this.col + j, (cell) => {
          const parsed = parseWritten(raw, cell.format, tz);
          cell.value = parsed.value;
          if (parsed.formula) cell.formula = parsed.formula;
          else delete cell.formula;
        }),
      ),
    );
    return this;
  }
  setValue(value: unknown): RangeModel {
    return this.setValues(this.each(() => value));
  }
  getFormulas(): string[][] {
    this.meter('read');
    return this.each((r, c) => this.sheet._cell(r, c)?.formula ?? '');
  }
  getFormula(): string {
    return this.getFormulas()[0][0];
  }
  setFormula(formula: string): RangeModel {
    const f = String(formula);
    return this.setValue(f.startsWith('=') ? f : `=${f}`);
  }
  setFormulas(formulas: string[][]): RangeModel {
    this.checkShape(formulas, 'setFormulas');
    return this.setValues(formulas);
  }

  setNumberFormat(format: string): RangeModel {
    return this.setNumberFormats(this.each(() => format));
  }
  setNumberFormats(formats: string[][]): RangeModel {
    const data = this.checkShape(formats, 'setNumberFormats');
    this.meter('write');
    data.forEach((line, i) => line.forEach((f, j) => this.sheet._setCell(this.row + i, this.col + j, (cell) => (cell.format = String(f)))));
    return this;
  }
  getNumberFormats(): string[][] {
    this.meter('read');
    return this.each((r, c) => this.sheet._cell(r, c)?.format ?? GENERAL_FORMAT);
  }
  getNumberFormat(): string {
    return this.getNumberFormats()[0][0];
  }

  setFontWeight(weight: string | null): RangeModel {
    return this.setFontWeights(this.each(() => weight ?? 'normal'));
  }
  setFontWeights(weights: string[][]): RangeModel {
    const data = this.checkShape(weights, 'setFontWeights');
    this.meter('write');
    data.forEach((line, i) => line.forEach((w, j) => this.sheet._setCell(this.row + i, this.col + j, (cell) => (cell.fontWeight = String(w ?? 'normal')))));
    return this;
  }
  getFontWeights(): string[][] {
    return this.each((r, c) => this.sheet._cell(r, c)?.fontWeight ?? 'normal');
  }
  getFontWeight(): string {
    return this.getFontWeights()[0][0];
  }

  clear(): RangeModel {
    this.each((r, c) => {
      const row = this.sheet._cell(r, c) && (this.sheet as unknown as { rows: (Cell | undefined)[][] }).rows[r - 1];
      if (row) row[c - 1] = undefined;
    });
    return this;
  }
  clearNote(): RangeModel {
    this.each((r, c) => {
      if (this.sheet._cell(r, c)) this.sheet._setCell(r, c, (cell) => delete cell.note);
    });
    return this;
  }
  clearContent(): RangeModel {
    this.meter('write');
    this.each((r, c) => {
      if (this.sheet._cell(r, c)) this.sheet._setCell(r, c, (cell) => ((cell.value = ''), delete cell.formula));
    });
    return this;
  }
  protect(): ProtectionModel {
    const p = new ProtectionModel(this);
    this.sheet.protections.push(p);
    return p;
  }
  /** One value per cell of the range, checked for shape, stored with `put`. */
  private setEach<T>(data: unknown, method: string, put: (cell: Cell, v: T) => void): RangeModel {
    const rows = this.checkShape(data, method) as T[][];
    rows.forEach((line, i) => line.forEach((v, j) => this.sheet._setCell(this.row + i, this.col + j, (cell) => put(cell, v))));
    return this;
  }
  setBackground(color: string | null): RangeModel {
    return this.setBackgrounds(this.each(() => color));
  }
  setBackgrounds(colors: (string | null)[][]): RangeModel {
    return this.setEach<string | null>(colors, 'setBackgrounds', (cell, v) => (v === null || v === '' ? delete cell.background : (cell.background = String(v))));
  }
  getBackgrounds(): string[][] {
    return this.each((r, c) => this.sheet._cell(r, c)?.background ?? '#ffffff');
  }
  setFontColor(color: string | null): RangeModel {
    return this.setFontColors(this.each(() => color));
  }
  setFontColors(colors: (string | null)[][]): RangeModel {
    return this.setEach<string | null>(colors, 'setFontColors', (cell, v) => (v === null || v === '' ? delete cell.fontColor : (cell.fontColor = String(v))));
  }
  setWrap(wrap: boolean): RangeModel {
    return this.setWraps(this.each(() => wrap));
  }
  setWraps(wraps: boolean[][]): RangeModel {
    return this.setEach<boolean>(wraps, 'setWraps', (cell, v) => (cell.wrap = Boolean(v)));
  }
  getWraps(): boolean[][] {
    return this.each((r, c) => this.sheet._cell(r, c)?.wrap ?? false);
  }
  /** Notes: '' removes a cell's note, as in Sheets. */
  setNote(note: string | null): RangeModel {
    return this.setNotes(this.each(() => note));
  }
  setNotes(notes: (string | null)[][]): RangeModel {
    return this.setEach<string | null>(notes, 'setNotes', (cell, v) => (v === null || v === '' ? delete cell.note : (cell.note = String(v))));
  }
  getNotes(): string[][] {
    return this.each((r, c) => this.sheet._cell(r, c)?.note ?? '');
  }
  getNote(): string {
    return this.getNotes()[0][0];
  }
  // Recorded-as-no-op formatting.
  setHorizontalAlignment(): RangeModel {
    return this;
  }
  activate(): RangeModel {
    return this;
  }
}

/** A builder that records every call (in order) and returns itself. */
abstract class RecordingBuilder extends HostObject {
  readonly calls: RecordedCall[] = [];
  protected record(methods: string[]): void {
    for (const m of methods) {
      (this as unknown as Record<string, unknown>)[m] = (...args: unknown[]) => {
        this.calls.push({ method: m, args });
        return this;
      };
    }
  }
}

const CONDITION_METHODS = [
  'setGradientMaxpoint',
  'setGradientMaxpointWithValue',
  'setGradientMidpointWithValue',
  'setGradientMinpoint',
  'setGradientMinpointWithValue',
  'whenNumberLessThan',
  'whenNumberLessThanOrEqualTo',
  'whenNumberGreaterThan',
  'whenNumberGreaterThanOrEqualTo',
  'whenNumberBetween',
  'whenNumberEqualTo',
  'whenNumberNotEqualTo',
  'whenTextContains',
  'whenTextEqualTo',
  'whenCellEmpty',
  'whenCellNotEmpty',
  'whenFormulaSatisfied',
  'setBackground',
  'setFontColor',
  'setBold',
  'setItalic',
];

export class ConditionalFormatRuleBuilderModel extends RecordingBuilder {
  ranges: RangeModel[] = [];
  constructor() {
    super();
    this.record(CONDITION_METHODS);
  }
  setRanges(ranges: RangeModel[]): ConditionalFormatRuleBuilderModel {
    if (!Array.isArray(ranges)) throw new GasError("The parameters don't match the method signature for SpreadsheetApp.ConditionalFormatRuleBuilder.setRanges.");
    this.ranges = [...ranges];
    this.calls.push({ method: 'setRanges', args: [ranges] });
    return this;
  }
  build(): ConditionalFormatRuleModel {
    const gradient = this.calls.some((c) => c.method.startsWith('setGradient'));
    const boolean = this.calls.some((c) => c.method.startsWith('when'));
    if (gradient && boolean) throw new GasError('A conditional format rule cannot have both a gradient and a boolean condition.');
    return new ConditionalFormatRuleModel([...this.calls], [...this.ranges], gradient ? 'gradient' : 'boolean');
  }
}

export class ConditionalFormatRuleModel extends HostObject {
  constructor(
    readonly calls: RecordedCall[],
    readonly ranges: RangeModel[],
    readonly kind: 'gradient' | 'boolean',
  ) {
    super();
  }
  getRanges(): RangeModel[] {
    return [...this.ranges];
  }
  copy(): ConditionalFormatRuleBuilderModel {
    const b = new ConditionalFormatRuleBuilderModel();
    b.calls.push(...this.calls);
    b.ranges = [...this.ranges];
    return b;
  }
}

let chartIds = 0;

export class ChartBuilderModel extends RecordingBuilder {
  chartType: string | null = null;
  readonly ranges: RangeModel[] = [];
  readonly options: Record<string, unknown> = {};
  position: unknown[] | null = null;
  constructor(private readonly sheet: SheetModel) {
    super();
    this.record(['asLineChart', 'asColumnChart', 'asBarChart', 'asPieChart', 'asAreaChart', 'asComboChart', 'asScatterChart', 'setTransposeRowsAndColumns', 'setNumHeaders', 'setMergeStrategy', 'setHiddenDimensionStrategy']);
  }
  setChartType(type: string): ChartBuilderModel {
    this.chartType = String(type);
    this.calls.push({ method: 'setChartType', args: [type] });
    return this;
  }
  addRange(range: RangeModel): ChartBuilderModel {
    if (!(range instanceof RangeModel)) throw new GasError("The parameters don't match the method signature for SpreadsheetApp.EmbeddedChartBuilder.addRange.");
    this.ranges.push(range);
    return this;
  }
  clearRanges(): ChartBuilderModel {
    this.ranges.length = 0;
    return this;
  }
  setOption(option: string, value: unknown): ChartBuilderModel {
    this.options[String(option)] = value;
    return this;
  }
  setPosition(anchorRow: number, anchorColumn: number, offsetX: number, offsetY: number): ChartBuilderModel {
    this.position = [anchorRow, anchorColumn, offsetX, offsetY];
    return this;
  }
  build(): EmbeddedChartModel {
    if (this.ranges.length === 0) throw new GasError('The chart has no data ranges.');
    return new EmbeddedChartModel(++chartIds, this.sheet, this.chartType, [...this.ranges], { ...this.options }, this.position, [...this.calls]);
  }
}

export class EmbeddedChartModel extends HostObject {
  constructor(
    readonly chartId: number,
    readonly sheet: SheetModel,
    readonly chartType: string | null,
    readonly ranges: RangeModel[],
    readonly options: Record<string, unknown>,
    readonly position: unknown[] | null,
    readonly calls: RecordedCall[],
  ) {
    super();
  }
  getChartId(): number {
    return this.chartId;
  }
  getRanges(): RangeModel[] {
    return [...this.ranges];
  }
  /** Where the chart is anchored (EmbeddedChart.getContainerInfo). */
  getContainerInfo(): HostObject {
    const [row = 1, column = 1, offsetX = 0, offsetY = 0] = (this.position ?? []) as number[];
    return new (class ContainerInfo extends HostObject {
      getAnchorRow(): number {
        return Number(row);
      }
      getAnchorColumn(): number {
        return Number(column);
      }
      getOffsetX(): number {
        return Number(offsetX);
      }
      getOffsetY(): number {
        return Number(offsetY);
      }
    })();
  }
  getOptions(): HostObject {
    const options = this.options;
    return new (class ChartOptions extends HostObject {
      get(name: string): unknown {
        return options[name] ?? null;
      }
    })();
  }
  modify(): ChartBuilderModel {
    const b = new ChartBuilderModel(this.sheet);
    if (this.chartType) b.setChartType(this.chartType);
    for (const r of this.ranges) b.addRange(r);
    Object.assign(b.options, this.options);
    return b;
  }
}
