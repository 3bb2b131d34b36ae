/**
 * Helpers of the workbook tests (test/workbook/workbook.test.ts): the built bundle in the local
 * Apps Script runtime against the sandbox, read back from the runtime's spreadsheet and compared
 * with the generator (the sandbox's own records) and with the engine run in Node.
 */
import type { GeneratedShop } from '../../dev/generator/shop';
import type { SpreadsheetModel } from '../../dev/runtime/gas/spreadsheet';
import type { AddonSession } from '../../dev/addon/session';
import { computeMargins, type MarginResult } from '../../src/core/margin';
import type { ShopData, UnsettledEstimate } from '../../src/core/records';
import { allReports, type AllReports } from '../../src/core/reports';
import type { Settings } from '../../src/core/settings';
import type { PulledData } from '../../src/tiktok/pull';
import { AppsScriptGateway } from '../../src/sheets/gateway-appsscript';
import { DASHBOARD_CHART_ROWS, layoutReport, reportTabs, waterfallRows, WATERFALL_HEADER } from '../../src/sheets/report-tabs';
import { readTab, unescapeCell } from '../../src/sheets/table';
import { DATA_TABS, RETURNS_TAB, rowsToReturns, type ReturnRow } from '../../src/sheets/tabs';
import type { ReportTable } from '../../src/core/reports/table';

/** Every kind diffRecords knows that a data tab holds (adSpend is checked apart: diffRecords has no key for it). */
export const PULLED_KINDS: (keyof PulledData)[] = [
  'orders', 'lines', 'statements', 'transactions', 'payouts', 'returns', 'cancellations', 'creatorOrders', 'products',
  'unsettled', 'shopPerformance', 'productPerformance',
];

/** Fields a pull through the add-on legitimately stamps differently from the generator (besides EXCLUDED_FIELDS). */
export const WORKBOOK_EXCLUDED: Record<string, Record<string, string>> = {
  unsettled: {
    fetchedTime: "the pull's clock at the fetch (finance.ts: floor(clock.now())); the generator's is when TikTok revised the estimate, which the API does not send",
  },
};

export type SheetValues = unknown[][];

/** A tab's values as a user sees them (getDataRange().getValues()); [] for a missing tab. */
export function tabValues(ss: SpreadsheetModel, tab: string): SheetValues {
  const sheet = ss.getSheetByName(tab);
  if (!sheet) return [];
  return sheet.getDataRange().getValues() as SheetValues;
}

/** Every tab's values by name. */
export function allTabValues(ss: SpreadsheetModel): Map<string, SheetValues> {
  return new Map(ss.getSheets().map((s) => [s.getName(), s.getDataRange().getValues() as SheetValues]));
}

/** Deep copy of values (Dates kept), so a snapshot cannot change under us. */
export function copyValues(v: SheetValues): SheetValues {
  return v.map((r) => r.map((c) => (c instanceof Date ? new Date(c.getTime()) : c)));
}

/** Cell-by-cell differences "R3C5: got … want …" (first `limit`). */
export function gridDiff(got: SheetValues, want: SheetValues, limit = 25): string[] {
  const out: string[] = [];
  const rows = Math.max(got.length, want.length);
  for (let i = 0; i < rows && out.length < limit; i++) {
    const g = got[i] ?? [];
    const w = want[i] ?? [];
    const cols = Math.max(g.length, w.length);
    for (let j = 0; j < cols && out.length < limit; j++) {
      const a = g[j] ?? '';
      const b = w[j] ?? '';
      const same = a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;
      if (!same) out.push(`R${i + 1}C${j + 1}: got ${JSON.stringify(a)} want ${JSON.stringify(b)}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------- data tabs

export interface DataTabRead {
  data: Partial<PulledData> & { adSpend: unknown[] };
  /** Rows that did not read, per tab ("Orders: row 7 …"). */
  invalid: string[];
  /** Records per tab (Returns: rows, i.e. return lines). */
  rows: Record<string, number>;
}

/** Every data tab read back through readTab (the add-on's own reader), Returns regrouped into returns. */
export function readDataTabs(ss: SpreadsheetModel): DataTabRead {
  const gw = new AppsScriptGateway(ss as never);
  const invalid: string[] = [];
  const rows: Record<string, number> = {};
  const out: Record<string, unknown[]> = {};
  for (const def of DATA_TABS) {
    const r = readTab(gw, def as never);
    for (const i of r.invalid) invalid.push(`${def.tab}: ${i.message}`);
    rows[def.tab] = r.records.length;
    out[def.kind] = def === (RETURNS_TAB as unknown) ? rowsToReturns(r.records as ReturnRow[], r.rowNumbers) : (r.records as unknown[]);
  }
  return { data: out as unknown as DataTabRead['data'], invalid, rows };
}

/** The latest estimate per order: Get Unsettled Orders lists one per order; the generator keeps every revision. */
export function latestEstimates(list: readonly UnsettledEstimate[]): UnsettledEstimate[] {
  const m = new Map<string, UnsettledEstimate>();
  for (const e of list) {
    const x = m.get(e.orderId);
    if (!x || e.fetchedTime > x.fetchedTime) m.set(e.orderId, e);
  }
  return [...m.values()];
}

/**
 * The generator's records as the add-on's API path can hold them — what the data tabs must equal.
 *  - EXCLUDED_FIELDS made concrete: orders.sampleCreator → null (Get Order Detail does not say),
 *    statements.revenueAmount → 0 (not returned for US shops), transactions.skuId → null
 *    (the per-statement endpoint reports per order);
 *  - unsettled: one estimate per order, the latest revision (the API lists the current one only);
 *    its fetchedTime is left as the generator's (the tab holds the pull's clock instead, see
 *    WORKBOOK_EXCLUDED; the engine only uses it to pick the latest estimate of an order, and
 *    there is one per order on either side);
 *  - products.updateTime → the max over the product's SKUs (Search Products has update_time per
 *    PRODUCT only; the sandbox sends the max of its SKUs');
 *  - adSpend → [] (no ads account is connected, nothing is pulled);
 *  - cogs, fixedCosts, creatorFees: the generator's (the seller typed them on the user tabs).
 * Of these, only sampleCreator (Order margin, Creators, Alerts) and adSpend (every report but
 * Reconciliation) change a report cell for the test shop; revenueAmount, skuId and the estimate
 * revisions are applied for fidelity but no report reads them differently (checked when this was
 * written by running the engine with each one undone).
 */
export function apiView(g: GeneratedShop): ShopData {
  const d = g.data;
  const productUpdate = new Map<string, number>();
  for (const s of d.products) productUpdate.set(s.productId, Math.max(productUpdate.get(s.productId) ?? 0, s.updateTime));
  return {
    ...d,
    orders: d.orders.map((o) => ({ ...o, sampleCreator: null })),
    statements: d.statements.map((s) => ({ ...s, revenueAmount: 0 })),
    transactions: d.transactions.map((t) => ({ ...t, skuId: null })),
    unsettled: latestEstimates(d.unsettled),
    products: d.products.map((s) => ({ ...s, updateTime: productUpdate.get(s.productId)! })),
    adSpend: [],
  };
}

// ---------------------------------------------------------------- reports

export interface EngineRun {
  margins: MarginResult;
  reports: AllReports;
}

export function runEngine(data: ShopData, settings: Settings, asOf: number, lastRefreshTime: number | null): EngineRun {
  const margins = computeMargins(data, settings, asOf);
  const reports = allReports({ data, settings, margins }, { lastRefreshTime });
  return { margins, reports };
}

/** What Sheets stores for a value written by setValues into a cell of automatic format: the quote prefix is dropped. */
function stored(v: unknown): unknown {
  return unescapeCell(v);
}

function pad(cells: readonly unknown[], width: number): unknown[] {
  return Array.from({ length: width }, (_, i) => (i < cells.length ? cells[i] : ''));
}

/**
 * The values a report tab must show, built from layoutReport of each table (report-tabs.ts's
 * documented layout): row 1 the first table's stamp; on Reconciliation, the waterfall helper block
 * first, then a blank row; per table, after a blank row between tables, the title (with " — its
 * stamp" when it differs from row 1's), the header, the body rows, one row per note; on the
 * Dashboard, DASHBOARD_CHART_ROWS + 1 blank rows after the headline table for its charts.
 * Trailing blank cells/rows are trimmed as getDataRange would (the grid is padded to its widest row).
 */
export function expectedReportTab(tables: readonly ReportTable[]): SheetValues {
  const layouts = tables.map(layoutReport);
  const stamp = layouts[0].stamp;
  const rows: unknown[][] = [[stored(stamp)]];
  const recon = tables.find((t) => t.id === 'reconciliation');
  const wf = recon ? waterfallRows(recon) : [];
  if (wf.length > 0) {
    rows.push(['Waterfall chart data (from the Total row below)']);
    rows.push([...WATERFALL_HEADER]);
    for (const r of wf) rows.push(r.map(stored));
    rows.push([]);
  }
  layouts.forEach((l, i) => {
    if (i > 0) rows.push([]);
    const width = Math.max(1, l.header.length);
    const title = l.stamp === stamp ? l.title : `${l.title} — ${l.stamp}`;
    rows.push(pad([stored(title)], width));
    rows.push(pad(l.header.map(stored), width));
    for (const r of l.rows) rows.push(pad(r.map(stored), width));
    for (const n of l.notes) rows.push(pad([stored(n)], width));
    if (i === 0 && tables[0].id === 'dashboard_headline') for (let k = 0; k <= DASHBOARD_CHART_ROWS; k++) rows.push([]);
  });
  const width = Math.max(...rows.map((r) => r.length));
  return rows.map((r) => pad(r, width));
}

/** Every report tab's expected values, by tab name. */
export function expectedReportTabs(reports: AllReports): Map<string, SheetValues> {
  return new Map(reportTabs(reports).map((t) => [t.tab, expectedReportTab(t.tables)]));
}

// ---------------------------------------------------------------- session helpers

/** Runs `fn` with the runtime clock held at `atMs` (so an execution's "now" is known exactly). */
export function atFixedClock<T>(s: AddonSession, atMs: number, fn: () => T): T {
  const clock = s.clock as unknown as { nowMs: () => number };
  const had = Object.prototype.hasOwnProperty.call(clock, 'nowMs');
  const before = clock.nowMs;
  clock.nowMs = () => atMs;
  try {
    return fn();
  } finally {
    if (had) clock.nowMs = before;
    else delete (clock as { nowMs?: unknown }).nowMs;
  }
}

/** A document property as JSON (null when absent). */
export function docJson<T>(s: AddonSession, key: string): T | null {
  const raw = s.rt.properties.document.map.get(key);
  return raw === undefined ? null : (JSON.parse(raw) as T);
}

/** The COGS / Settings tab as a user edits it: find a row by its first cell, set one cell. */
export function setCell(ss: SpreadsheetModel, tab: string, row: number, column: number, value: unknown): void {
  const sheet = ss.getSheetByName(tab);
  if (!sheet) throw new Error(`No "${tab}" tab`);
  sheet.getRange(row, column, 1, 1).setValues([[value]]);
}
