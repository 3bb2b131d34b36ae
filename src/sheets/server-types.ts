/**
 * What the server functions return to the sidebar. They travel through google.script.run, which
 * JSON-round-trips them, so they stay plain: objects, strings, numbers, booleans, null (no Date,
 * no class instances). Types only: the sidebar (DOM, no Apps Script) imports this file too.
 */

export interface ConnectionStatus {
  addon: string;
  version: string;
  /** The TikTok app's key and secret are saved for this user. */
  appConfigured: boolean;
  /** A token is stored and a shop is selected for this spreadsheet. */
  connected: boolean;
  shop: { id: string; name: string; region: string } | null;
  /** The shops the last authorization granted (to pick from), without their ciphers. */
  shops: { id: string; name: string; region: string }[];
  /** Unix seconds, or null before the first complete refresh. */
  lastRefreshTime: number | null;
  reportsTime: number | null;
  /** 0..1 of a refresh run in progress; null when none. */
  refreshProgress: number | null;
  /** Why the connection cannot be used as it is (e.g. the workbook holds another shop), in plain words. */
  problem: string | null;
  schedule: ScheduleStatus;
  /** From the last report rebuild; null before the first. */
  summary: WorkbookSummary | null;
  /** The TikTok Ads connection of this user and the ad accounts that feed this workbook. */
  ads: AdsStatus;
}

export interface AdAccountInfo {
  id: string;
  name: string;
  currency: string;
  timezone: string;
}

export interface AdsStatus {
  /** A Marketing API app is available (the seller's own, or the publisher's). */
  appConfigured: boolean;
  /** It is the publisher's: the seller only clicks Connect. */
  publisherApp: boolean;
  /** This user holds an ads token. */
  connected: boolean;
  /** The ad accounts the authorization granted (to choose from). */
  granted: AdAccountInfo[];
  /** The ad accounts whose spend this workbook takes. */
  chosen: AdAccountInfo[];
  /** When ad spend was last pulled completely (Unix seconds). */
  lastPullTime: number | null;
  /** Why the last pull of ad spend did not happen, and what to do; null when it went well. */
  problem: string | null;
}

export interface RefreshProgress {
  /** The run is complete and the reports are written. */
  done: boolean;
  phase: 'pulling' | 'reports' | 'done' | 'busy';
  /** 0..1 of the pull. */
  progress: number;
  /** Data rows inserted, updated or removed by this step. */
  written: number;
  /** API calls made by this step. */
  calls: number;
  message: string;
  lastRefreshTime: number | null;
}


/** Scheduled refresh: one time-driven trigger per user and document. */
export type ScheduleMode = 'off' | 'hourly' | 'daily';

export interface ScheduleStatus {
  mode: ScheduleMode;
  /** Daily: the hour of the day (0–23, the spreadsheet's timezone); null otherwise. */
  hour: number | null;
  /** The last scheduled run (in the status only; null before the first). */
  lastRun?: ScheduledRun | null;
}

/** What the last scheduled refresh did: when (Unix seconds), how it ended, in plain words. */
export interface ScheduledRun {
  at: number;
  outcome: 'done' | 'continuing' | 'busy' | 'error';
  message: string;
}

/** How recent each source of the workbook's numbers is. */
export interface SourceFreshness {
  source: string;
  /** Unix seconds of the newest record (or refresh) of that source; null when there is none. */
  latest: number | null;
  note: string;
}

/** What the last report rebuild found, kept for the sidebar's Status (document properties). */
export interface WorkbookSummary {
  /** The reports' as-of (Unix seconds). */
  asOf: number;
  orders: number;
  /** Orders whose fees are still estimated (no statement yet). */
  estimatedOrders: number;
  /** SKUs sold without a cost on the COGS tab (at most 50 listed). */
  skusWithoutCogs: string[];
  freshness: SourceFreshness[];
}

/** One row of the Settings tab, as the sidebar's Settings form shows it. */
export interface SettingField {
  label: string;
  value: string | number | boolean;
  help: string;
}

/** What an uploaded Seller Center file holds, before anything is written (sidebar's Import). */
export interface ImportPreview {
  file: string;
  kind: 'orders' | 'statement_us' | 'income_sea' | 'unsettled';
  /** In words: "the US order export (OrderSKUList)". */
  kindLabel: string;
  /** Data rows read from the file. */
  rows: number;
  /** Shop days covered (order creation, or statement time). */
  from: string | null;
  to: string | null;
  /** Records per data tab. */
  records: { tab: string; count: number }[];
  /** What the file could not carry, in words (a statement without reserves, fees no column breaks down). */
  notes: string[];
}

/** What confirming the import wrote. */
export interface ImportOutcome extends ImportPreview {
  written: { tab: string; inserted: number; updated: number; unchanged: number }[];
  message: string;
}
