/**
 * What Apps Script charges and refuses, in one place: the time a spreadsheet call costs as a
 * function of the cells it moves, the limits of custom functions and simple triggers, what each
 * AuthMode may call, the daily trigger-runtime quota, the google.script.run payload cap and the
 * heap budget of an execution. Every figure and its source: docs/local-runtime.md ("Costs and
 * rules, with sources"). Where no source gives a number the figure is a chosen, conservative one.
 */

export interface CostModel {
  /** Simulated ms every service call costs (a round trip to the backend). */
  callMs: number;
  /** Extra ms per cell a spreadsheet read returns (getValues, getDisplayValues, getFormulas, …). */
  readMsPerCell: number;
  /** Extra ms per cell a spreadsheet write sends (setValues, setNumberFormats, clearContent, …). */
  writeMsPerCell: number;
  /** Ms per cell Sheets spends handing a range to a custom function (charged before it runs). */
  marshalMsPerCell: number;
}

/**
 * The calibrated model (sources in docs/local-runtime.md):
 * - 100 ms per call: Google gives no number ("calls are relatively expensive"; "tens of
 *   milliseconds" in field reports); 100 ms is the conservative end.
 * - 0.3 ms per written cell: 10,000 cells written in about 3 s (qiita.com/howdy39, Sheets API
 *   updateCells), the one published per-cell write figure found.
 * - 0.025 ms per read cell (40,000 cells/s): no published figure found; chosen.
 * - 0.025 ms per cell handed to a custom function: no published figure; charged like a read.
 */
export const GOOGLE_COSTS: CostModel = { callMs: 100, readMsPerCell: 0.025, writeMsPerCell: 0.3, marshalMsPerCell: 0.025 };

/** No cost at all (unit tests of rules that do not care about time). */
export const FREE: CostModel = { callMs: 0, readMsPerCell: 0, writeMsPerCell: 0, marshalMsPerCell: 0 };

/** Custom functions and simple triggers (onOpen, onEdit, onInstall) stop after 30 s; others after 6 min. */
export const CUSTOM_FUNCTION_LIMIT_MS = 30_000;
export const SIMPLE_TRIGGER_LIMIT_MS = 30_000;

/** Total runtime of a user's triggers per day (quotas page): consumer accounts and Workspace. */
export const TRIGGER_QUOTA_MS = { consumer: 90 * 60_000, workspace: 6 * 3600_000 } as const;
export type AccountKind = keyof typeof TRIGGER_QUOTA_MS;
/** The error a trigger run meets once the day's trigger runtime is spent (field reports). */
export const TRIGGER_QUOTA_MESSAGE = 'Service using too much computer time for one day. Try again tomorrow.';

/**
 * google.script.run arguments and results: Google documents no size limit. Chosen: 5 MB of JSON
 * each way, so a design that needs more (a whole file as one base64 string) is refused here.
 */
export const SCRIPT_RUN_PAYLOAD_LIMIT = 5 * 1024 * 1024;

/**
 * Heap an execution may grow by: Google documents no memory limit ("Exceeded memory limit" is
 * reported in the field without a figure). Chosen: 256 MB of V8 heap growth, measured at service
 * calls (garbage included, so it errs on the refusing side).
 */
export const HEAP_BUDGET_BYTES = 256 * 1024 * 1024;
export const MEMORY_MESSAGE = 'Exceeded memory limit.';

export type AuthMode = 'NONE' | 'LIMITED' | 'CUSTOM_FUNCTION' | 'FULL';
export const AUTH_MODES: readonly AuthMode[] = ['NONE', 'LIMITED', 'CUSTOM_FUNCTION', 'FULL'];

/** Functions Sheets runs as simple triggers; their event's authMode is the execution's. */
export const SIMPLE_TRIGGERS = new Set(['onOpen', 'onInstall', 'onEdit', 'onSelectionChange']);

const UI_CALLS = /^(SpreadsheetAppModel\.getUi|UiModel\.(createAddonMenu|createMenu)|MenuModel\.\w+|LoggerModel\.\w+)$/;
/** Spreadsheet methods that change the document: refused in a custom function (read-only access). */
const WRITES = /^(SpreadsheetModel|SheetModel|RangeModel|NamedRangeModel)\.(set|insert|delete|clear|append|add|remove|rename|protect|update|hide|show|activate|auto|copy|move|sort|merge|create|toast)/;
/** Services that need the user's authorization (refused in NONE and LIMITED, and — but UrlFetch — in custom functions). */
const AUTHORIZED = /^(UrlFetchAppModel|ScriptAppModel\.(newTrigger|getProjectTriggers|getUserTriggers|deleteTrigger|newStateToken|getOAuthToken)|TriggerBuilderModel|ClockTriggerBuilderModel|SpreadsheetTriggerBuilderModel|StateTokenBuilderModel)/;

/**
 * Why `label` ("ClassName.method") may not be called in `mode`, or null when it may:
 * - NONE (onOpen of an add-on not yet used in this document): the menu only — no document, no
 *   properties, no other service (AuthMode reference; the onOpen example reads properties only
 *   outside NONE);
 * - LIMITED (simple triggers once the add-on is used in the document): the bound document, the
 *   UI, properties, cache, lock and utilities, but nothing that needs authorization (UrlFetchApp,
 *   triggers, state tokens);
 * - CUSTOM_FUNCTION: the spreadsheet read-only (get* but no set*), UrlFetchApp, properties,
 *   cache, lock, utilities; no UI, no HtmlService output shown, no triggers (custom-functions guide);
 * - FULL: everything.
 */
export function refusal(mode: AuthMode, label: string): string | null {
  if (mode === 'FULL') return null;
  const denied = `You do not have permission to call ${label.replace(/Model\./, '.').replace(/Model$/, '')}`;
  if (mode === 'NONE') return UI_CALLS.test(label) ? null : `${denied}. Required permissions: the add-on has not been authorized in this document (AuthMode.NONE).`;
  if (mode === 'LIMITED') return AUTHORIZED.test(label) ? `${denied}. Simple triggers cannot call services that require authorization (AuthMode.LIMITED).` : null;
  // CUSTOM_FUNCTION
  if (label.startsWith('UrlFetchAppModel.')) return null;
  if (AUTHORIZED.test(label) || /^(UiModel|MenuModel|SpreadsheetAppModel\.getUi|HtmlServiceModel|SessionModel\.getActiveUser|SessionModel\.getEffectiveUser)/.test(label)) {
    return `${denied}. Custom functions cannot call services that require authorization.`;
  }
  if (WRITES.test(label)) return `${denied}. A custom function may only read the spreadsheet; it returns its result to its own cell.`;
  return null;
}
