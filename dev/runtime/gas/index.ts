/** The local Apps Script runtime (see runtime.ts). */
export {
  GasRuntime,
  Execution,
  ManualClock,
  RealClock,
  RunOptions,
  runOptions,
  ScopedStores,
  UserCallbackError,
  INVALID_STATE_MESSAGE,
  DEFAULT_BUDGET_MS,
  type GasRuntimeOptions,
  type LogEntry,
} from './runtime';
export { ExecutionKilledError, GasError, EXCEEDED_MESSAGE } from './host';
export { CELL_LIMIT, formatDisplay, SpreadsheetModel, SheetModel, RangeModel } from './spreadsheet';
export {
  formatDate,
  parseCsv,
  mapHost,
  whitelistMatches,
  whitelistPrefixProblem,
  PROPERTY_STORE_LIMIT,
  PROPERTY_VALUE_LIMIT,
  CACHE_KEY_LIMIT,
  CACHE_VALUE_LIMIT,
  TRIGGER_LIMIT,
  STATE_TOKEN_DEFAULT_TIMEOUT,
  STATE_TOKEN_MAX_TIMEOUT,
  type RuntimeClock,
  type UrlFetchPolicy,
  type StateTokenEntry,
} from './services';
export { saveXlsx, toWorkbook, toXlsx } from './xlsx';
export { BigQueryServiceModel, BIGQUERY_LIMITS } from './bigquery';
