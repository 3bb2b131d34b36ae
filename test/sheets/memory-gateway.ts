/**
 * An in-memory SheetGateway that behaves like Sheets where it matters to the table code:
 * - write() is one setValues: every row must be exactly headers.length wide (Sheets throws
 *   "The number of columns in the data does not match the number of columns in the range").
 * - Input is interpreted as Sheets interprets typed/setValues text: a leading apostrophe is the
 *   quote prefix (stored text is what follows); text starting with = (or +, -, @ followed by
 *   non-numbers) is a FORMULA (recorded in `formulas`, so tests can prove none gets through);
 *   numeric text becomes a number (losing digits past 15-17), TRUE/FALSE a boolean and
 *   YYYY-MM-DD a Date.
 * - read() returns the values (getValues), never the apostrophe.
 * Counters record how many reads and writes each tab got (one of each per upsert).
 */
import type { SheetGateway, TabData, TabWrite } from '../../src/sheets/table';

export class MemoryGateway implements SheetGateway {
  readonly grids = new Map<string, unknown[][]>();
  readonly reads = new Map<string, number>();
  readonly writes = new Map<string, number>();
  /** Cells sent by write() (header and body rows), over all tabs. */
  cellsWritten = 0;
  /** Cells Sheets would have run as formulas: `${tab}!R${row}C${col}: text`. */
  readonly formulas: string[] = [];

  ensureTab(tab: string, headers: readonly string[]): void {
    if (!this.grids.has(tab)) this.grids.set(tab, [[...headers]]);
  }

  read(tab: string): TabData {
    this.reads.set(tab, (this.reads.get(tab) ?? 0) + 1);
    const grid = this.grids.get(tab);
    if (!grid || grid.length === 0) return { headers: [], rows: [] };
    const width = Math.max(...grid.map((r) => r.length));
    const pad = (r: unknown[]) => Array.from({ length: width }, (_, i) => (i < r.length ? r[i] : ''));
    return { headers: pad(grid[0]).map((h) => String(h)), rows: grid.slice(1).map(pad) };
  }

  write(tab: string, data: TabWrite): void {
    this.writes.set(tab, (this.writes.get(tab) ?? 0) + 1);
    const width = data.headers.length;
    const from = data.from ?? 0;
    data.rows.forEach((r, i) => {
      if (r.length !== width) throw new Error(`setValues: row ${from + i + 2} has ${r.length} columns, the range has ${width}`);
    });
    const old = this.grids.get(tab) ?? [];
    // Rows above `from` stay as they are on the sheet (padded to the new width); the rest is replaced.
    const pad = (r: unknown[]) => Array.from({ length: width }, (_, j) => (j < r.length ? r[j] : ''));
    const header = data.sameHeaders ? pad(old[0] ?? []) : data.headers.map((h, j) => this.input(h, `${tab}!R1C${j + 1}`));
    const grid: unknown[][] = [header, ...old.slice(1, from + 1).map(pad)];
    while (grid.length < from + 1) grid.push(pad([]));
    data.rows.forEach((r, i) => grid.push(r.map((v, j) => this.input(v, `${tab}!R${from + i + 2}C${j + 1}`))));
    this.grids.set(tab, grid);
    this.cellsWritten += (data.sameHeaders ? 0 : width) + data.rows.length * width;
  }

  /** Sets cells as a user would see them stored (no input interpretation): simulates hand edits. */
  setRaw(tab: string, grid: unknown[][]): void {
    this.grids.set(tab, grid.map((r) => [...r]));
  }

  /** Sheets' interpretation of one setValues input. */
  private input(v: unknown, where: string): unknown {
    if (typeof v !== 'string') return v;
    if (v.startsWith("'")) return v.slice(1);
    const t = v.trim();
    if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return Number(t);
    if (/^(true|false)$/i.test(t)) return t.toUpperCase() === 'TRUE';
    if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return new Date(`${t}T00:00:00`);
    if (/^[=+\-@]/.test(v)) {
      this.formulas.push(`${where}: ${v}`);
      return '#ERROR!';
    }
    return v;
  }
}

/**
 * The same sheet, with the partial reads a large tab needs (SheetGateway.readHeaders,
 * readColumns, readRowsFrom), as AppsScriptGateway has them. `reads` counts one per upsert (its
 * header read) as for MemoryGateway; `cellsRead` counts every cell any read returned.
 */
export class PartialMemoryGateway extends MemoryGateway {
  cellsRead = 0;
  readonly partial = { headers: 0, columns: 0, rowsFrom: 0 };

  override read(tab: string): TabData {
    const d = super.read(tab);
    this.cellsRead += (d.rows.length + 1) * d.headers.length;
    return d;
  }

  readHeaders(tab: string): string[] {
    this.partial.headers++;
    this.reads.set(tab, (this.reads.get(tab) ?? 0) + 1);
    const grid = this.grids.get(tab) ?? [];
    const width = Math.max(0, ...grid.map((r) => r.length));
    const headers = Array.from({ length: width }, (_, i) => String(grid[0]?.[i] ?? ''));
    while (headers.length > 0 && headers[headers.length - 1] === '' && grid.every((r) => r[headers.length - 1] === undefined || r[headers.length - 1] === '')) headers.pop();
    this.cellsRead += headers.length;
    return headers;
  }

  readColumns(tab: string, first: number, count: number): unknown[][] {
    this.partial.columns++;
    const body = (this.grids.get(tab) ?? []).slice(1);
    this.cellsRead += body.length * count;
    return body.map((r) => Array.from({ length: count }, (_, j) => (first + j < r.length ? r[first + j] : '')));
  }

  readRowsFrom(tab: string, from: number): unknown[][] {
    this.partial.rowsFrom++;
    const grid = this.grids.get(tab) ?? [];
    const width = Math.max(0, ...grid.map((r) => r.length));
    const rows = grid.slice(1 + from).map((r) => Array.from({ length: width }, (_, j) => (j < r.length ? r[j] : '')));
    this.cellsRead += rows.length * width;
    return rows;
  }
}
