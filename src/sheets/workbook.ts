/**
 * The workbook as the engine's input and output: data tabs → ShopData, the engine and every
 * report → report tabs. Works through the SheetGateway and the report-tab spreadsheet slice only,
 * so it runs the same in Apps Script and over in-memory fakes.
 *
 * Nothing is written until everything has been read and computed: a data tab with a row that
 * does not read, or a user tab with a bad cost, stops the rebuild with a message naming the tab,
 * row and column, and the report tabs keep what they showed before.
 */
import { computeMargins, type MarginResult } from '../core/margin';
import { isEstimated } from '../core/reports/table';
import { startOfDay } from '../core/time';
import type { WorkbookSummary } from './server-types';
import { applyCampaignMap, convertAdSpend, type AdCurrencyRate, type CampaignMapEntry } from '../core/ad-spend';
import { emptyShopData, type CogsEntry, type CreatorFee, type FixedCost, type ShopData } from '../core/records';
import { allReports, type AllReports } from '../core/reports';
import type { FollowerDay } from '../core/reports/customers';
import type { Settings } from '../core/settings';
import { reportTabs, writeReportTab, type ReportSpreadsheetLike, type ReportTabSpec, type WriteReportOptions, type WrittenTab } from './report-tabs';
import { readTab, type RowIssue, type SheetGateway } from './table';
import { DATA_TABS, RETURNS_TAB, rowsToReturns, TabRowError, type TabDef } from './tabs';

/** What the user's own tabs say (COGS, Settings, Fixed costs, Creator fees). */
export interface UserInputs {
  settings: Settings;
  cogs: CogsEntry[];
  fixedCosts: FixedCost[];
  creatorFees: CreatorFee[];
  /** The Followers tab's days (empty: no follower data). */
  followers?: FollowerDay[];
  /** The Campaign map tab (what each campaign promotes, how it is paid); none = the Ad spend tab as it is. */
  campaignMap?: CampaignMapEntry[];
  /** Settings' rates for ad accounts in another currency. */
  adCurrencyRates?: AdCurrencyRate[];
}

/** Rows of data tabs that could not be read; the message lists the first few. */
export class WorkbookDataError extends Error {
  constructor(readonly issues: readonly (RowIssue & { tab: string })[]) {
    const shown = issues.slice(0, 5).map((i) => i.message);
    const more = issues.length > shown.length ? ` (and ${issues.length - shown.length} more)` : '';
    super(`The reports were not rebuilt: ${issues.length} row${issues.length === 1 ? '' : 's'} of the data tabs could not be read${more}. ${shown.join('; ')}. Fix or clear ${issues.length === 1 ? 'that row' : 'those rows'}, or refresh from scratch.`);
    this.name = 'WorkbookDataError';
  }
}

/** Creates every data tab that does not exist yet, with its header row (an existing tab is left alone). */
export function ensureDataTabs(gateway: SheetGateway): void {
  for (const def of DATA_TABS) gateway.ensureTab(def.tab, def.baseHeaders);
}

/**
 * Every data tab read into its ShopData field (a tab's `kind` is the field's name); the Returns
 * tab's rows (one per return line) are regrouped into returns, which may throw a TabRowError.
 * `read` reads one tab: the add-on's gateway, or a custom function's ranges.
 */
export function dataTabRecords(read: <T>(def: TabDef<T>) => { records: T[]; rowNumbers: number[] }): Partial<ShopData> {
  const data: Record<string, unknown[]> = {};
  for (const def of DATA_TABS as readonly TabDef<unknown>[]) if (def !== (RETURNS_TAB as TabDef<unknown>)) data[def.kind] = read(def).records;
  // Last, so every other tab has been read (and its bad rows reported) when a return does not regroup.
  const returnRows = read(RETURNS_TAB);
  data.returns = rowsToReturns(returnRows.records, returnRows.rowNumbers);
  return data as Partial<ShopData>;
}

/** Every data tab read back into the engine's records, plus the user's inputs. */
export function readShopData(gateway: SheetGateway, inputs: Omit<UserInputs, 'settings'> & { settings?: Settings }): ShopData {
  const issues: (RowIssue & { tab: string })[] = [];
  const read = <T>(def: TabDef<T>): { records: T[]; rowNumbers: number[] } => {
    const r = readTab(gateway, def);
    for (const i of r.invalid) issues.push({ ...i, tab: def.tab });
    return r;
  };
  const data = emptyShopData();
  try {
    Object.assign(data, dataTabRecords(read));
  } catch (e) {
    if (!(e instanceof TabRowError)) throw e;
    issues.push({ tab: RETURNS_TAB.tab, row: e.row, message: e.message });
  }
  if (issues.length > 0) throw new WorkbookDataError(issues);
  data.cogs = inputs.cogs;
  data.fixedCosts = inputs.fixedCosts;
  data.creatorFees = inputs.creatorFees;
  // The Campaign map decides products, creator and payment; another currency needs the seller's rate.
  data.adSpend = applyCampaignMap(data.adSpend, inputs.campaignMap ?? []);
  if (inputs.settings) data.adSpend = convertAdSpend(data.adSpend, inputs.settings.currency, inputs.adCurrencyRates ?? []);
  return data;
}

export interface ReportOptions {
  /** The reports' "as of" (Unix seconds). */
  asOf: number;
  /** When the data was last completely refreshed, for the stale-data alert. */
  lastRefreshTime: number | null;
}

export interface ComputedReports {
  data: ShopData;
  margins: MarginResult;
  reports: AllReports;
  /** The report tabs to write, in order. */
  tabs: ReportTabSpec[];
}

/** Reads the workbook and runs the engine and every report; writes nothing. */
export function computeReports(gateway: SheetGateway, inputs: UserInputs, options: ReportOptions): ComputedReports {
  const data = readShopData(gateway, inputs);
  const margins = computeMargins(data, inputs.settings, options.asOf);
  const followers = inputs.followers && inputs.followers.length > 0 ? inputs.followers : null;
  const reports = allReports({ data, settings: inputs.settings, margins }, { lastRefreshTime: options.lastRefreshTime, adCurrencyRates: inputs.adCurrencyRates, followers });
  return { data, margins, reports, tabs: reportTabs(reports) };
}

/** What the sidebar's Status shows from a rebuild (kept small: it lives in a document property). */
export function workbookSummary(data: ShopData, margins: MarginResult, lastRefreshTime: number | null): WorkbookSummary {
  const newest = (xs: readonly number[]): number | null => (xs.length === 0 ? null : xs.reduce((a, b) => (b > a ? b : a)));
  const missing = new Set<string>();
  for (const o of margins.orders) for (const sku of o.missingCogsSkus) missing.add(sku);
  const adDays = data.adSpend.map((a) => startOfDay(a.date, a.advertiserTimezone));
  return {
    asOf: margins.asOf,
    orders: margins.orders.length,
    estimatedOrders: margins.orders.filter(isEstimated).length,
    skusWithoutCogs: [...missing].sort().slice(0, 50),
    freshness: [
      { source: 'TikTok Shop refresh', latest: lastRefreshTime, note: 'When the last complete refresh started reading.' },
      { source: 'Orders', latest: newest(data.orders.map((o) => o.updateTime)), note: 'Newest order change on the Orders tab.' },
      { source: 'Statements', latest: newest(data.statements.map((st) => st.statementTime)), note: 'Newest settlement statement (TikTok issues them daily).' },
      { source: 'Ad spend', latest: newest(adDays), note: adDays.length === 0 ? 'No ad spend on the Ad spend tab.' : 'Start of the newest day of ad spend.' },
    ],
  };
}

export interface RebuildResult {
  data: ShopData;
  margins: MarginResult;
  reports: AllReports;
  tabs: WrittenTab[];
}

/** Reads the workbook, runs the engine and every report, then (only then) rewrites every report tab. */
export function rebuildReports(gateway: SheetGateway, spreadsheet: ReportSpreadsheetLike, inputs: UserInputs, options: ReportOptions & WriteReportOptions): RebuildResult {
  const { data, margins, reports, tabs } = computeReports(gateway, inputs, options);
  return { data, margins, reports, tabs: tabs.map((t) => writeReportTab(spreadsheet, t.tab, t.tables, options)) };
}
