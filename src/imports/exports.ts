/**
 * Seller Center export files → core records (the same records the API client produces).
 *
 * Input: tables already read from a CSV or xlsx file, one per sheet, every cell as TEXT
 * (`ExportSheet`). Output: `ImportResult` with the detected kind, the number of data rows read,
 * the first and last shop day covered, `Partial<ShopData>` and the notes the seller sees before
 * confirming. Pure and synchronous (Apps Script).
 *
 * One module per export kind over one header matcher:
 * - headers.ts: normalized header matching (case, spacing, punctuation, a trailing "(UTC)") and
 *   the one table of regional header aliases;
 * - dates.ts: date/time cells and the order of a file's slash dates (decided per file);
 * - amounts.ts: amount cells, exact, in the shop currency only;
 * - sheet.ts: reading a located sheet's rows and cells, naming file, sheet, row and column;
 * - order-export.ts, statement-export.ts (US statement + "Reserve Details"), income-export.ts
 *   (SEA/US "Income" + "Withdrawal records"), unsettled-export.ts (TikTok's estimates), with
 *   statement-rows.ts for what the statement-like kinds share.
 *
 * Detection (by header NAMES, never positions)
 * - Columns may come in any order; unknown columns are ignored.
 * - The header is row 1, or row 2 when row 1 is a title (the row that matches better wins).
 * - Each kind has a few "signature" columns that identify it (see the specs); once identified,
 *   all of its required columns must be present, else one error lists every missing one. When no
 *   sheet is identified, the error says which kinds were looked for and the nearest kind with
 *   exactly which of its required columns are missing.
 * - Sheets of a workbook that match no kind (Summary, Reports, Adjustments…) are ignored; a sheet
 *   named for reserves or withdrawals that does not match is said in a note. Two different kinds
 *   in one file is an error (import them separately).
 * - Required columns are the ones a figure needs; an absent optional column that changes a
 *   figure is said in a note (shared files often lose their personal-data columns).
 *
 * Policy: strict where money is at stake — an amount that cannot be read exactly, a currency
 * mix, a file whose dates cannot be read unambiguously: the FIRST such cell throws an
 * ImportError naming file, sheet, row, column, value and what was expected, and nothing is
 * returned (so nothing is written). Lenient where it is not — an unknown order status, a blank
 * buyer, an absent non-money column: kept, with a note.
 *
 * Determinism: ids are built from the file's own keys only (see each mapper), so importing the
 * same file twice gives identical records, and rows of overlapping files land on the same keys
 * (orderId, lineId, transactionId, statementId, paymentId) for the data tabs to de-duplicate.
 */
import { DataError } from '../core/errors';
import { dayKey } from '../core/time';
import { decideDateOrder, yearLastParts, type DateHint, type DateSample } from './dates';
import { displayName, matchColumns, quoteList, type ExportKind, type KindSpec, type SheetKind } from './headers';
import { fileError, ImportError, type ImportErrorLocation } from './import-error';
import { importIncomeSea, INCOME_SEA_SPEC, WITHDRAWALS_SPEC } from './income-export';
import { importOrders, ORDER_EXPORT_SPEC } from './order-export';
import { SheetReader, type ExportSheet, type FileContext, type Imported, type Located, type ShopInfo } from './sheet';
import { importStatementUs, RESERVES_SPEC, STATEMENT_US_SPEC } from './statement-export';
import { importUnsettled, UNSETTLED_SPEC } from './unsettled-export';
import type { ShopData } from '../core/records';

export { ImportError, type ImportErrorLocation, type ExportSheet, type ShopInfo, type ExportKind };
export { parseMoneyCell } from './amounts';
export { parseTimeCell } from './dates';

export interface ImportResult {
  kind: ExportKind;
  /** Data rows read (header, title, description and blank rows not counted), all sheets. */
  rows: number;
  /** First / last shop day covered: order create times, or statement times (null when no rows). */
  from: string | null;
  to: string | null;
  data: Partial<ShopData>;
  /**
   * What the file could not say, in the seller's words (shown before they confirm): an absent
   * column and what it changes, no reserve sheet, a sheet that was not read, fee money no column
   * of the file breaks down, a status kept though unknown, the date order taken from the region.
   */
  notes: string[];
}

export interface ImportOptions {
  /** Unix seconds of the import: the fetch time of estimates read from an unsettled orders export. */
  now?: number;
}

/** Kinds in the order they are tried on a sheet (the first whose signature matches wins). */
const SPECS: KindSpec[] = [STATEMENT_US_SPEC, INCOME_SEA_SPEC, UNSETTLED_SPEC, ORDER_EXPORT_SPEC, RESERVES_SPEC, WITHDRAWALS_SPEC];

/** Companion sheet kind → the main kind it must come with. */
const COMPANION: Partial<Record<SheetKind, ExportKind>> = { withdrawals: 'income_sea', reserves: 'statement_us' };

// ---------------------------------------------------------------- detection

function locate(fileName: string, sheets: ExportSheet[]): Located[] {
  const found: Located[] = [];
  let closest: { spec: KindSpec; sheet: ExportSheet; headerIndex: number; missing: string[]; score: number } | null = null;
  for (const sheet of sheets) {
    let best: Located | null = null;
    for (const headerIndex of [0, 1]) {
      const header = sheet.rows[headerIndex];
      if (!header) continue;
      for (const spec of SPECS) {
        const cols = matchColumns(spec, header);
        const required = spec.cols.filter((x) => x.required);
        const missing = required.filter((x) => !cols.index.has(x.key)).map(displayName);
        const score = (required.length - missing.length) / required.length;
        if (!closest || score > closest.score) closest = { spec, sheet, headerIndex, missing, score };
        if (best) continue;
        if (spec.cols.filter((x) => x.sig).every((x) => cols.index.has(x.key))) {
          if (missing.length > 0) {
            throw fileError(fileName,
              `File "${fileName}", sheet "${sheet.name}", row ${headerIndex + 1}: this looks like ${spec.label} but is missing required column${missing.length > 1 ? 's' : ''} ${quoteList(missing)}.`,
              { sheet: sheet.name, row: headerIndex + 1 });
          }
          best = { spec, sheet, headerIndex, cols };
        }
      }
      if (best) break;
    }
    if (best) found.push(best);
  }
  if (found.length === 0) {
    // A reserve sheet is never a file on its own, so it is not offered as one.
    const kinds = SPECS.filter((s) => s.kind !== 'reserves').map((s) => s.label).join('; ');
    const near = closest && closest.score > 0
      ? ` Nearest: ${closest.spec.label} (sheet "${closest.sheet.name}", header row ${closest.headerIndex + 1}), which also needs the column${closest.missing.length > 1 ? 's' : ''} ${quoteList(closest.missing)}.`
      : ' No sheet has any of their columns.';
    throw fileError(fileName, `File "${fileName}" is not a Seller Center export this add-on reads. Looked for: ${kinds}.${near}`);
  }
  const primary = found.filter((f) => !COMPANION[f.spec.kind]);
  const kinds = new Set(primary.map((f) => f.spec.kind));
  if (kinds.size > 1) {
    const desc = primary.map((f) => `${f.spec.label} (sheet "${f.sheet.name}")`).join(' and ');
    throw fileError(fileName, `File "${fileName}" holds ${desc}: import them as separate files.`);
  }
  for (const f of found) {
    const main = COMPANION[f.spec.kind];
    if (!main || kinds.has(main)) continue;
    const mainLabel = SPECS.find((x) => x.kind === main)!.label;
    if (primary.length > 0) {
      throw fileError(fileName, `File "${fileName}" holds ${f.spec.label} (sheet "${f.sheet.name}") next to ${primary[0].spec.label}: it belongs with ${mainLabel}; import them separately.`, { sheet: f.sheet.name });
    }
    // Withdrawal records may come alone (they are payouts on their own); reserves need their statements.
    if (f.spec.kind === 'reserves') {
      throw fileError(fileName, `File "${fileName}" holds only ${f.spec.label}: import the whole statement workbook, whose "Order details" sheet holds the statements these reserves belong to.`, { sheet: f.sheet.name });
    }
  }
  return found;
}

// ---------------------------------------------------------------- import

/**
 * Imports one Seller Center export (all of its sheets). Throws ImportError on the first problem.
 */
export function importExport(fileName: string, sheets: ExportSheet[], shop: ShopInfo, options: ImportOptions = {}): ImportResult {
  const located = locate(fileName, sheets);
  const ctx: FileContext = { file: fileName, shop, dateOrder: null };
  const readers = located.map((l) => new SheetReader(ctx, l));
  const decided = decideDateOrder(fileName, ...dateEvidence(readers), shop.currency);
  ctx.dateOrder = decided.order;
  const kind: ExportKind = (located.find((l) => !COMPANION[l.spec.kind])?.spec.kind ?? 'income_sea') as ExportKind;
  const of = (k: SheetKind) => readers.filter((r) => r.loc.spec.kind === k);
  let result: Imported;
  try {
    if (kind === 'orders') result = importOrders(readers);
    else if (kind === 'statement_us') result = importStatementUs(of('statement_us'), of('reserves'));
    else if (kind === 'unsettled') result = importUnsettled(readers, options.now);
    else result = importIncomeSea(of('income_sea'), of('withdrawals'));
  } catch (e) {
    if (e instanceof DataError) throw fileError(fileName, `File "${fileName}": ${e.message}`);
    throw e;
  }
  let min: number | null = null;
  let max: number | null = null;
  for (const t of result.times) {
    if (min === null || t < min) min = t;
    if (max === null || t > max) max = t;
  }
  return {
    kind,
    rows: result.rows,
    from: min === null ? null : dayKey(min, shop.timezone),
    to: max === null ? null : dayKey(max, shop.timezone),
    data: result.data,
    notes: [
      ...absentColumnNotes(fileName, located),
      ...unreadSheetNotes(fileName, sheets, located, kind),
      ...(decided.note ? [decided.note] : []),
      ...(result.notes ?? []),
    ],
  };
}

/** Every year-last date cell of the file's time columns, and the headers that state a date order. */
function dateEvidence(readers: SheetReader[]): [DateSample[], DateHint[]] {
  const samples: DateSample[] = [];
  const hints: DateHint[] = [];
  for (const reader of readers) {
    const timeCols = reader.loc.spec.cols.filter((c) => c.time && reader.has(c.key));
    for (const c of timeCols) {
      const order = reader.loc.cols.dateOrder.get(c.key);
      if (order) hints.push({ sheet: reader.sheetName, column: reader.header(c.key), order });
    }
    if (timeCols.length === 0) continue;
    for (const { cells, rowNo } of reader.dataRows()) {
      const r = reader.row(cells, rowNo);
      for (const c of timeCols) {
        const value = r.text(c.key);
        if (value !== '' && yearLastParts(value)) samples.push({ sheet: reader.sheetName, row: rowNo, column: reader.header(c.key), value });
      }
    }
  }
  return [samples, hints];
}

/** Optional columns the file does not have, each with what that changes (ColSpec.absent). */
function absentColumnNotes(fileName: string, located: Located[]): string[] {
  const notes = new Set<string>();
  for (const l of located) {
    for (const c of l.spec.cols) {
      if (c.absent && !l.cols.index.has(c.key)) notes.add(`${fileName} has no "${displayName(c)}" column: ${c.absent}.`);
    }
  }
  return [...notes];
}

/**
 * Sheets of the file that were not read although their name says they hold money this add-on
 * uses (a reserve or withdrawal sheet whose columns are not the ones it knows) — said, not
 * skipped in silence. Summary, Reports and Adjustments sheets repeat the main sheet and are not
 * mentioned.
 */
function unreadSheetNotes(fileName: string, sheets: ExportSheet[], located: Located[], kind: ExportKind): string[] {
  const read = new Set(located.map((l) => l.sheet));
  const notes: string[] = [];
  for (const sheet of sheets) {
    if (read.has(sheet)) continue;
    const spec = /reserve/i.test(sheet.name) ? RESERVES_SPEC : /withdraw/i.test(sheet.name) ? WITHDRAWALS_SPEC : null;
    if (!spec) continue;
    const wanted = spec.cols.filter((x) => x.required).map(displayName);
    notes.push(`Sheet "${sheet.name}" of ${fileName} was not read: its header does not have the columns ${quoteList(wanted)}, so its amounts are not imported.`);
  }
  if (kind === 'statement_us' && !located.some((l) => l.spec.kind === 'reserves')) {
    notes.push(`${fileName} has no "Reserve Details" sheet (a CSV export holds "Order details" only), so reserves withheld and released are not imported: the Reconciliation shows them as unexplained until the statement's .xlsx is imported.`);
  }
  return notes;
}
