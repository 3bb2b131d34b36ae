/**
 * Data tabs as keyed tables: read every row into records, and upsert records by key.
 *
 * Everything goes through `SheetGateway`, three calls wide, so the logic runs unchanged over the
 * in-memory gateway in tests and over a Spreadsheet in Apps Script (gateway-appsscript.ts).
 * The gateway reads a whole tab at once and writes it at once: ONE getValues and ONE setValues per
 * tab per sync chunk, never per row. Each Spreadsheet call is a round trip to the Sheets backend
 * (tens of milliseconds; "alternating read and write commands is slow"), so per-row writes of a
 * 5,000-order chunk would spend minutes of the 6-minute execution budget on I/O alone.
 *
 * Upsert rules:
 * - Rows are matched by the tab's key columns. A record whose key is on the sheet replaces that
 *   row IN PLACE (columns the user added to the tab keep their cells); a new key is appended.
 *   The same key twice in one call, or in two overlapping pulls, is one row.
 * - When the tab has a version field (update time), an older record never replaces a newer row.
 * - Columns are found by header text (trimmed, case-insensitive), so a user may reorder them. A
 *   required column that is missing is an error naming the tab and the column, raised before
 *   anything is written. Optional columns (fee breakdown fields added in a later version) are
 *   appended at the right instead.
 * - A row that does not parse (a user's hand-typed row, a mistyped amount) is kept as it is and
 *   reported with its row number and what is wrong; if a record arrives with the same key, the
 *   record replaces it (the data tabs mirror TikTok; they must not hold two rows for one key).
 * - Fully blank rows are dropped.
 *
 * Formula injection: every string written to a cell that Sheets would not keep as that exact text
 * is written with a leading apostrophe, Sheets' quote prefix. That covers text beginning with `=`,
 * `+`, `-`, `@`, a tab, CR or LF (a formula: `=IMPORTXML(...)` in a product name could exfiltrate
 * the sheet), and also text Sheets would turn into a number, date or boolean (an 18-digit order id
 * would lose its last digits; "2025-02-17" would become a Date). Numbers and booleans are written
 * as they are. Sheets stores the prefix as formatting, not content, so getValues returns the text
 * without it; `unescapeCell` is what Sheets does on input, used by the in-memory gateway.
 * Consequence: a formula a user typed into a data tab (even in a column of their own) is kept as
 * its value when the tab is rewritten. Data tabs are the add-on's; formulas belong on other tabs.
 */
import type { Cell, TabDef } from './tabs';
import { normalizeHeader, TabRowError } from './tabs';

export interface TabData {
  headers: string[];
  rows: unknown[][];
}

/**
 * A write of the rows from body index `from` (0-based) to the end of the table: the rows before it
 * are on the sheet as they should be and are not sent again. A backfill appends, an incremental
 * refresh touches recent rows: re-sending a whole 100,000-row tab each chunk would make a refresh
 * quadratic in the shop's size.
 */
export interface TabWrite extends TabData {
  /** Body index of rows[0] (default 0: the whole body). */
  from?: number;
  /** The header row on the sheet is already `headers`: not written again. */
  sameHeaders?: boolean;
}

export interface SheetGateway {
  /** The header row and every row below it (blank cells as ''), in one read. */
  read(tab: string): TabData;
  /**
   * Optional, so upsert need not read a whole tab to add or update a few rows: the header row
   * alone; the body cells of `count` columns from column `first` (0-based) of every body row; and
   * the body rows from body index `from` to the end, full width (see upsert).
   */
  readHeaders?(tab: string): string[];
  readColumns?(tab: string, first: number, count: number): unknown[][];
  readRowsFrom?(tab: string, from: number): unknown[][];
  /**
   * Writes the header row (unless `sameHeaders`) and the body rows from `from` on, in one write
   * (two when the header changes with `from` > 0); rows are exactly `headers.length` wide. The
   * body ends with the last row: rows below it are cleared.
   */
  write(tab: string, data: TabWrite): void;
  /** Creates the tab with this header row (frozen) when it does not exist; otherwise leaves it. */
  ensureTab(tab: string, headers: readonly string[]): void;
}

/** A workbook holds at most 10,000,000 cells, every tab's grid counted (blank cells too). */
export class WorkbookFullError extends Error {
  constructor(tab: string, rows: number, cause: string) {
    super(`Google Sheets' limit of 10,000,000 cells per workbook is reached: the ${tab} tab needs ${rows} rows. ` +
      'Nothing more was written. Lower "Backfill days" on the Settings tab and refresh into a new spreadsheet, ' +
      `or delete tabs you do not need (Sheets said: ${cause})`);
    this.name = 'WorkbookFullError';
  }
}

/** Sheets' refusal to grow past 10 M cells, as a WorkbookFullError; any other error as it is. */
export function asWorkbookFull(e: unknown, tab: string, rows: number): unknown {
  const message = e instanceof Error ? e.message : String(e);
  return /limit of 10000000 cells|10,000,000 cells/i.test(message) ? new WorkbookFullError(tab, rows, message) : e;
}

/**
 * The named range of a whole data tab, header row included: custom functions take it, since they
 * find columns by header name ("Orders" → "TTS_Orders_all").
 */
export function tableRangeName(tab: string): string {
  return `${bodyRangeName(tab)}_all`;
}

/** The named range of a data tab's body, for custom functions: "Order lines" → "TTS_Order_lines". */
export function bodyRangeName(tab: string): string {
  return `TTS_${tab.replace(/[^A-Za-z0-9]+/g, '_')}`;
}

// ---------------------------------------------------------------- escaping

/** Text Sheets would run as a formula, or not keep as text, when written by setValues. */
const NEEDS_PREFIX = /^(?:[=+\-@\t\r\n'#]|\s*[\d.$€£¥(%]|\s*(?:true|false)\s*$)/i;

/** A value as written to a cell: strings Sheets would interpret get the quote prefix `'`. */
export function escapeCell(v: unknown): unknown {
  if (typeof v === 'string' && NEEDS_PREFIX.test(v)) return `'${v}`;
  return v;
}

/** What Sheets stores for a quote-prefixed input: the text after the apostrophe. */
export function unescapeCell(v: unknown): unknown {
  return typeof v === 'string' && v.startsWith("'") ? v.slice(1) : v;
}

// ---------------------------------------------------------------- header mapping

export class TabHeaderError extends Error {
  constructor(readonly tab: string, readonly column: string, detail: string) {
    super(`${tab} tab: ${detail}`);
    this.name = 'TabHeaderError';
  }
}

interface Layout {
  /** Sheet headers (possibly with optional def columns appended). */
  headers: string[];
  /** For each def column, its index in `headers`; -1 when an optional column is absent. */
  index: number[];
  /** Headers were appended. */
  changed: boolean;
}

/**
 * Where each of the tab's columns is in the sheet's header row (-1: not there). A missing optional
 * column is appended when `append(column index)` says it is needed (a record has a value for it);
 * a missing required column is an error.
 */
function layout(def: TabDef<unknown>, sheetHeaders: readonly unknown[], append: ((c: number) => boolean) | false): Layout {
  const headers = sheetHeaders.map((h) => String(h ?? ''));
  while (headers.length > 0 && headers[headers.length - 1].trim() === '') headers.pop();
  const position = new Map<string, number>();
  headers.forEach((h, i) => {
    const n = normalizeHeader(h);
    if (n === '') return;
    if (position.has(n) && def.headers.some((d) => normalizeHeader(d) === n)) {
      throw new TabHeaderError(def.tab, h, `column "${h.trim()}" appears twice in the header row; delete one of them`);
    }
    position.set(n, i);
  });
  let changed = false;
  // A tab with no header row yet takes the required columns (and the optional ones in use).
  const sheetHasHeader = headers.length > 0;
  const index = def.columns.map((c) => {
    if (!sheetHasHeader && !c.optional) {
      headers.push(c.header);
      changed = true;
      return headers.length - 1;
    }
    const i = position.get(normalizeHeader(c.header));
    if (i !== undefined) return i;
    if (!c.optional) {
      throw new TabHeaderError(def.tab, c.header, `column "${c.header}" is missing from the header row (row 1). Add it back (in any position) or rename the column that holds it to "${c.header}"; nothing was written.`);
    }
    if (!append || !append(def.columns.indexOf(c))) return -1;
    headers.push(c.header);
    changed = true;
    return headers.length - 1;
  });
  return { headers, index, changed };
}

function isBlankRow(row: readonly unknown[]): boolean {
  return row.every((v) => v === '' || v === null || v === undefined);
}

// ---------------------------------------------------------------- read

export interface RowIssue {
  /** Sheet row number (the header is row 1). */
  row: number;
  message: string;
}

export interface ReadResult<T> {
  records: T[];
  /** Sheet row number of each record. */
  rowNumbers: number[];
  invalid: RowIssue[];
}

/** Every row of a data tab as records; rows that do not parse are reported, not thrown. */
export function readTab<T>(gateway: SheetGateway, def: TabDef<T>): ReadResult<T> {
  const data = gateway.read(def.tab);
  const out: ReadResult<T> = { records: [], rowNumbers: [], invalid: [] };
  if (data.headers.length === 0 && data.rows.length === 0) return out;
  const lay = layout(def as TabDef<unknown>, data.headers, false);
  data.rows.forEach((row, i) => {
    if (isBlankRow(row)) return;
    const rowNumber = i + 2;
    try {
      out.records.push(def.fromRow(lay.index.map((j) => (j < 0 ? undefined : row[j])), rowNumber));
      out.rowNumbers.push(rowNumber);
    } catch (e) {
      if (!(e instanceof TabRowError)) throw e;
      out.invalid.push({ row: rowNumber, message: e.message });
    }
  });
  return out;
}

// ---------------------------------------------------------------- upsert

export interface UpsertResult {
  tab: string;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Records older (by version field) than the row already on the sheet: ignored. */
  stale: number;
  /** Rows removed because their group (a return) was replaced without them. */
  removed: number;
  /** Rows that do not parse: kept on the sheet, unless a record with their key replaced them. */
  invalid: RowIssue[];
  /** Sheet rows whose key an earlier row already has (kept; the engine must not count them twice). */
  duplicates: RowIssue[];
  /** Whether the gateway was written (nothing changed → no write). */
  written: boolean;
}

interface Slot<T> {
  cells: unknown[];
  /** Its cells changed: it must be written. */
  dirty?: boolean;
  record?: T;
  /** Sheet row number it was read from (undefined for new rows). */
  from?: number;
  invalid?: boolean;
}

function field(record: unknown, name: string): unknown {
  return (record as Record<string, unknown>)[name];
}

function sameCells(a: readonly Cell[], b: readonly Cell[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * Merges `records` into the tab by key, in one read and at most one write.
 * Throws (before writing) a DataError for a record that fails its schema, and a TabHeaderError
 * when a required column is missing.
 */
export function upsert<T>(gateway: SheetGateway, def: TabDef<T>, records: readonly T[]): UpsertResult {
  // Records come from the API client or an importer, already parsed; check them again anyway
  // (the schema is the contract of the tab), before anything is read or written.
  for (const r of records) def.validate(r);
  gateway.ensureTab(def.tab, def.baseHeaders);
  const { data, base } = readForUpsert(gateway, def, records);
  // Optional columns (fee fields) join the tab when a record first has a value for them; the
  // records are scanned only for the optional columns the sheet does not have yet.
  const onSheet = new Set(data.headers.map(normalizeHeader));
  const missing = def.columns.flatMap((c, i) => (c.optional && !onSheet.has(normalizeHeader(c.header)) ? [i] : []));
  const used = new Set<number>();
  for (let k = 0; k < records.length && used.size < missing.length; k++) {
    const row = def.toRow(records[k]);
    for (const c of missing) if (row[c] !== '' && row[c] !== null && row[c] !== undefined) used.add(c);
  }
  const lay = layout(def as TabDef<unknown>, data.headers, (c) => used.has(c));
  const width = lay.headers.length;
  const result: UpsertResult = { tab: def.tab, inserted: 0, updated: 0, unchanged: 0, stale: 0, removed: 0, invalid: [], duplicates: [], written: false };

  // Existing rows → slots, indexed by key.
  const slots: (Slot<T> | null)[] = [];
  const byKey = new Map<string, number>();
  const invalidByKey = new Map<string, number>();
  let droppedBlank = false;
  /** Output position of the first dropped blank row: everything after it moves up. */
  let firstShift = Infinity;
  data.rows.forEach((raw, i) => {
    if (isBlankRow(raw)) {
      droppedBlank = true;
      firstShift = Math.min(firstShift, slots.length);
      return;
    }
    const rowNumber = base + i + 2;
    const cells = Array.from({ length: width }, (_, j) => (j < raw.length ? raw[j] : ''));
    const defCells = lay.index.map((j) => cells[j]);
    try {
      const record = def.fromRow(defCells, rowNumber);
      const key = def.key(record);
      if (byKey.has(key)) {
        result.duplicates.push({ row: rowNumber, message: `${def.tab} tab, row ${rowNumber}: same key as row ${slots[byKey.get(key)!]!.from} (${def.keyFields.join(', ')})` });
        slots.push({ cells, record, from: rowNumber });
      } else {
        byKey.set(key, slots.length);
        slots.push({ cells, record, from: rowNumber });
      }
    } catch (e) {
      if (!(e instanceof TabRowError)) throw e;
      result.invalid.push({ row: rowNumber, message: e.message });
      const rk = def.rawKey(defCells);
      if (rk !== null && !invalidByKey.has(rk)) invalidByKey.set(rk, slots.length);
      slots.push({ cells, from: rowNumber, invalid: true });
    }
  });

  // Incoming records: one per key, the newest (by version field, then the later one).
  const incoming = new Map<string, T>();
  const version = (r: unknown): number => (def.versionField ? Number(field(r, def.versionField)) : 0);
  for (const r of records) {
    const key = def.key(r);
    const prev = incoming.get(key);
    if (prev !== undefined && version(prev) > version(r)) continue;
    incoming.set(key, r);
  }

  // Cells that say what a record is: its row without the stamp field (see TabDef.stampField).
  const stampAt = def.stampField ? def.columns.findIndex((c) => c.path.length === 1 && c.path[0] === def.stampField) : -1;
  const comparable = (r: T) => {
    const row = def.toRow(r);
    if (stampAt >= 0) row[stampAt] = '';
    return row;
  };

  const placeRow = (slot: Slot<T>, record: T): void => {
    const row = def.toRow(record);
    lay.index.forEach((j, c) => {
      if (j >= 0) slot.cells[j] = row[c];
    });
    slot.record = record;
    slot.invalid = false;
    slot.dirty = true;
  };

  const appliedGroups = new Set<string>();
  for (const [key, record] of incoming) {
    const at = byKey.get(key);
    if (at !== undefined) {
      const slot = slots[at]!;
      if (def.versionField && version(slot.record) > version(record)) {
        result.stale++;
        continue;
      }
      if (def.groupField) appliedGroups.add(String(field(record, def.groupField)));
      if (sameCells(comparable(slot.record as T), comparable(record))) {
        result.unchanged++;
        continue;
      }
      placeRow(slot, record);
      result.updated++;
      continue;
    }
    if (def.groupField) appliedGroups.add(String(field(record, def.groupField)));
    const bad = invalidByKey.get(key);
    if (bad !== undefined) {
      placeRow(slots[bad]!, record);
      invalidByKey.delete(key);
      result.updated++;
      continue;
    }
    const slot: Slot<T> = { cells: Array.from({ length: width }, () => '') };
    placeRow(slot, record);
    byKey.set(key, slots.length);
    slots.push(slot);
    result.inserted++;
  }

  // A replaced group (a return) keeps only the rows the new record has.
  if (def.groupField && appliedGroups.size > 0) {
    slots.forEach((slot, i) => {
      if (!slot || !slot.record || slot.invalid) return;
      if (appliedGroups.has(String(field(slot.record, def.groupField!))) && !incoming.has(def.key(slot.record))) {
        slots[i] = null;
        result.removed++;
      }
    });
  }

  const changed = lay.changed || droppedBlank || result.inserted + result.updated + result.removed > 0;
  if (!changed) return result;

  // The rows from the first one that changed or moved; rows above it are left as they are.
  const kept: Slot<T>[] = [];
  let first = firstShift;
  for (const slot of slots) {
    if (!slot) {
      first = Math.min(first, kept.length);
      continue;
    }
    if (slot.dirty) first = Math.min(first, kept.length);
    kept.push(slot);
  }
  const from = Math.min(first, kept.length);
  const rows = kept.slice(from).map((slot) => {
    if (slot.record !== undefined && !slot.invalid) {
      // Canonical cells for every parsed row (an id typed as a number is written back as text).
      const row = def.toRow(slot.record);
      lay.index.forEach((j, c) => {
        if (j >= 0) slot.cells[j] = row[c];
      });
    }
    return slot.cells.map(escapeCell);
  });
  gateway.write(def.tab, { headers: lay.headers.map((h) => String(escapeCell(h))), rows, from: base + from, sameHeaders: !lay.changed });
  result.written = true;
  return result;
}

/**
 * What upsert reads of a tab: the rows it may change, from body index `base` on (and the header).
 *
 * With a gateway that reads parts of a tab, only the key columns of every row are read first (one
 * narrow read); the rest of each row is needed only from the first row the records touch — a
 * row with one of their keys (or of their group), or a row without a key (a blank or broken row,
 * which upsert drops or reports) — to the end. The rows above it cannot change: their cells are
 * never read. A backfill appends (nothing touched: the key columns only), an incremental refresh
 * touches recent rows; re-reading whole 100,000-row tabs every chunk made an incremental refresh
 * read 9.5 M cells. Duplicate keys above the touched rows are not reported here (the report
 * rebuild reads every row and reports them).
 */
function readForUpsert<T>(gateway: SheetGateway, def: TabDef<T>, records: readonly T[]): { data: TabData; base: number } {
  const { readHeaders, readColumns, readRowsFrom } = gateway;
  const groupKey = def.groupField === undefined ? -1 : def.keyFields.indexOf(def.groupField);
  if (!readHeaders || !readColumns || !readRowsFrom || (def.groupField !== undefined && groupKey < 0)) return { data: gateway.read(def.tab), base: 0 };
  const headers = readHeaders.call(gateway, def.tab);
  if (headers.length === 0) return { data: gateway.read(def.tab), base: 0 };
  const lay = layout(def as TabDef<unknown>, headers, false);
  const keyColumns = def.keyFields.map((f) => def.columns.findIndex((c) => c.path.length === 1 && c.path[0] === f));
  const at = keyColumns.map((c) => lay.index[c]);
  const first = Math.min(...at);
  const cells = readColumns.call(gateway, def.tab, first, Math.max(...at) - first + 1);
  const keys = new Set(records.map((r) => def.key(r)));
  const groups = new Set(groupKey < 0 ? [] : records.map((r) => String(field(r, def.groupField!))));
  let touched = cells.length;
  const defCells: unknown[] = new Array(def.columns.length).fill(undefined);
  for (let i = 0; i < cells.length; i++) {
    keyColumns.forEach((c, k) => (defCells[c] = cells[i][at[k] - first]));
    const key = def.rawKey(defCells);
    if (key === null || keys.has(key) || (groupKey >= 0 && groups.has(String(JSON.parse(key)[groupKey])))) {
      touched = i;
      break;
    }
  }
  const rows = touched < cells.length ? readRowsFrom.call(gateway, def.tab, touched) : [];
  return { data: { headers, rows }, base: touched };
}
