/** The local Apps Script runtime (see runtime.ts). */
export { GasRuntime, Execution, ManualClock, RealClock, RunOptions, runOptions, DEFAULT_BUDGET_MS, type GasRuntimeOptions, type LogEntry } from './runtime';
export { ExecutionKilledError, GasError, EXCEEDED_MESSAGE } from './host';
export { CELL_LIMIT, formatDisplay, SpreadsheetModel, SheetModel, RangeModel } from './spreadsheet';
export { formatDate, parseCsv, PROPERTY_STORE_LIMIT, PROPERTY_VALUE_LIMIT, CACHE_KEY_LIMIT, CACHE_VALUE_LIMIT, TRIGGER_LIMIT, type RuntimeClock } from './services';
