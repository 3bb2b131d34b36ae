/**
 * Reading the cells of a located sheet: one `SheetReader` per sheet of a known kind, one
 * `RowReader` per data row. Every failure is an ImportError naming the file, sheet, row as the
 * person sees it in the file (header = row 1 when it is the first row), column, what was expected
 * and what was found.
 */
import { showValue } from '../core/errors';
import type { ShopData } from '../core/records';
import { parseMoneyCell } from './amounts';
import { foreignEraYear, parseTimeCell, timeFormats, type DateOrder, type Zone } from './dates';
import { displayName, specZone, type KindSpec, type MatchedColumns } from './headers';
import { ImportError } from './import-error';

/** One sheet (or the one table of a CSV) as text cells; the reader keeps empty cells as "". */
export interface ExportSheet {
  name: string;
  rows: string[][];
}

export interface ShopInfo {
  currency: string;
  timezone: string;
}

export interface Located {
  spec: KindSpec;
  sheet: ExportSheet;
  headerIndex: number;
  cols: MatchedColumns;
}

/** What every reader of one file shares: its name, the shop, and the order of its year-last dates. */
export interface FileContext {
  file: string;
  shop: ShopInfo;
  dateOrder: DateOrder | null;
}

export class SheetReader {
  constructor(readonly ctx: FileContext, readonly loc: Located) {}

  get file(): string {
    return this.ctx.file;
  }

  get shop(): ShopInfo {
    return this.ctx.shop;
  }

  get sheetName(): string {
    return this.loc.sheet.name;
  }

  /** The column's header as the file writes it (its documented name when the file has no such column). */
  header(key: string): string {
    const i = this.loc.cols.index.get(key);
    if (i !== undefined) return (this.loc.sheet.rows[this.loc.headerIndex][i] ?? '').trim();
    const c = this.loc.spec.cols.find((x) => x.key === key);
    return c ? displayName(c) : key;
  }

  has(key: string): boolean {
    return this.loc.cols.index.has(key);
  }

  /** The zone a time column is read in: its header's "(UTC…)", else its documented name's, else the shop's. */
  zone(key: string): Zone {
    const c = this.loc.spec.cols.find((x) => x.key === key);
    return this.loc.cols.zone.get(key) ?? (c ? specZone(c) : null) ?? this.shop.timezone;
  }

  /** Data rows with their 1-based row numbers, skipping blank rows and a field-description row. */
  dataRows(): { cells: string[]; rowNo: number }[] {
    const rows = this.loc.sheet.rows;
    const keyAt = this.loc.cols.index.get(this.loc.spec.keyColumn) ?? -1;
    const out: { cells: string[]; rowNo: number }[] = [];
    for (let r = this.loc.headerIndex + 1; r < rows.length; r++) {
      const cells = rows[r] ?? [];
      if (cells.every((x) => (x ?? '').trim() === '')) continue;
      if (r === this.loc.headerIndex + 1 && isDescriptionRow(cells, (cells[keyAt] ?? '').trim())) continue;
      out.push({ cells, rowNo: r + 1 });
    }
    return out;
  }

  row(cells: string[], rowNo: number): RowReader {
    return new RowReader(this, cells, rowNo);
  }
}

/**
 * Row 2 of an order export may hold TikTok's field descriptions. It is recognised by its
 * cells being prose, not values: the key cell (an id) holds spaces, and at least half of the
 * non-empty cells are texts of three or more words.
 */
function isDescriptionRow(cells: string[], keyCell: string): boolean {
  if (!/\s/.test(keyCell)) return false;
  const filled = cells.map((x) => (x ?? '').trim()).filter((x) => x !== '');
  const prose = filled.filter((x) => x.split(/\s+/).length >= 3);
  return prose.length * 2 >= filled.length;
}

export class RowReader {
  constructor(readonly sheet: SheetReader, readonly cells: string[], readonly rowNo: number) {}

  text(key: string): string {
    const i = this.sheet.loc.cols.index.get(key);
    return i === undefined ? '' : (this.cells[i] ?? '').trim();
  }

  fail(key: string, expected: string, found?: string): never {
    const column = this.sheet.header(key);
    const shown = found === undefined ? this.text(key) : found;
    throw new ImportError(
      `File "${this.sheet.file}", sheet "${this.sheet.sheetName}", row ${this.rowNo}, column "${column}": expected ${expected}, found ${showValue(shown)}.`,
      { file: this.sheet.file, sheet: this.sheet.sheetName, row: this.rowNo, column },
    );
  }

  required(key: string, what: string): string {
    const t = this.text(key);
    if (t === '') this.fail(key, what);
    return t;
  }

  /** An amount cell; an empty cell of an optional column is 0 (TikTok leaves zero fees blank), of a required one an error. */
  amount(key: string, required = false): number {
    const t = this.text(key);
    if (t === '') {
      if (required) this.fail(key, `an amount in ${this.sheet.shop.currency}`);
      return 0;
    }
    return parseMoneyCell(t, this.sheet.shop.currency, (expected) => this.fail(key, expected));
  }

  /** Sum of several optional amount columns (absent/empty → 0). */
  amounts(...keys: string[]): number {
    return keys.reduce((s, k) => s + this.amount(k), 0);
  }

  time(key: string, required = false): number | null {
    const t = this.text(key);
    if (t === '') {
      if (required) this.fail(key, 'a date and time');
      return null;
    }
    const order = this.sheet.ctx.dateOrder;
    const v = parseTimeCell(t, this.sheet.zone(key), order);
    const era = v === null ? foreignEraYear(t) : null;
    if (era !== null) this.fail(key, `a year of the Common Era (${era} looks like a Buddhist-era year, ${era - 543} in the Common Era: export the file with Common Era dates)`);
    if (v === null) this.fail(key, timeFormats(order));
    return v;
  }

  count(key: string, min: number): number {
    const t = this.text(key);
    if (!/^[+-]?\d+$/.test(t.replace(/,/g, ''))) this.fail(key, 'a whole number');
    const n = Number(t.replace(/,/g, ''));
    if (n < 0) this.fail(key, 'a quantity that is not negative');
    if (n < min) this.fail(key, `a whole number of at least ${min}`);
    return n;
  }

  /** The Currency column, when present, must be the shop currency (a currency mix is refused). */
  checkCurrency(): void {
    const t = this.text('currency');
    if (t !== '' && t.toUpperCase() !== this.sheet.shop.currency) this.fail('currency', `the shop currency ${this.sheet.shop.currency}`);
  }

  nonNegative(key: string, v: number): number {
    if (v < 0) this.fail(key, 'an amount that is not negative');
    return v;
  }
}

/** Final check against the core schema; any failure names the row (should not happen after the cell checks). */
export function validate<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: readonly unknown[] } } },
  value: T,
  r: RowReader,
  what: string,
): T {
  const res = schema.safeParse(value);
  if (res.success) return res.data;
  const issue = res.error.issues[0] as { path: PropertyKey[]; message?: string };
  const field = issue.path.map(String).join('.');
  throw new ImportError(
    `File "${r.sheet.file}", sheet "${r.sheet.sheetName}", row ${r.rowNo}: the ${what} built from this row is not valid (field "${field}": ${issue.message ?? 'invalid'}).`,
    { file: r.sheet.file, sheet: r.sheet.sheetName, row: r.rowNo },
  );
}

/** What one kind's reader gives back to importExport. */
export interface Imported {
  rows: number;
  /** Times that date the file (order create times, statement times) for its from/to days. */
  times: number[];
  data: Partial<ShopData>;
  notes?: string[];
}
