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
  PayloadTooLargeError,
  INVALID_STATE_MESSAGE,
  DEFAULT_BUDGET_MS,
  type GasRuntimeOptions,
  type LogEntry,
  type TriggerRun,
} from './runtime';
export {
  GOOGLE_COSTS, FREE, CUSTOM_FUNCTION_LIMIT_MS, SIMPLE_TRIGGER_LIMIT_MS, TRIGGER_QUOTA_MS, TRIGGER_QUOTA_MESSAGE, SCRIPT_RUN_PAYLOAD_LIMIT,
  HEAP_BUDGET_BYTES, MEMORY_MESSAGE, refusal, type AuthMode, type AccountKind, type CostModel,
} from './costs';
export { nextFiring } from './triggers';
export { ExecutionKilledError, GasError, EXCEEDED_MESSAGE } from './host';
export { CELL_LIMIT, formatDisplay, instantOf, wallTime, SpreadsheetModel, SheetModel, RangeModel } from './spreadsheet';
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
