/**
 * Warehouse mode's server functions (docs/warehouse.md): its setting, and a warehouse refresh
 * that writes the workbook's records to BigQuery and computes the profit model there.
 */
import { computeModel, pushRecords, readProfitByDay, setupWarehouse, type PushSummary } from '../warehouse/client';
import { appsScriptWarehousePorts } from '../warehouse/appsscript';
import { loadWarehouseMode, parseWarehouseMode, saveWarehouseMode, type WarehouseMode } from '../warehouse/mode';
import { shopRows } from '../warehouse/tables';
import { context, userInputs } from './addon';
import { readShopData } from './workbook';

export interface WarehouseStatus extends WarehouseMode {
  /** This edition of the add-on has the BigQuery advanced service (and so its scope). */
  available: boolean;
}

export interface WarehouseRefreshResult {
  /** The as-of of the model (Unix seconds): the trailing fee window ends there. */
  asOf: number;
  tables: PushSummary[];
  /** Days of the profit computed in BigQuery, and their CM3 (minor units). */
  profitDays: number;
  cm3: number;
}

const hasBigQuery = () => typeof (globalThis as { BigQuery?: unknown }).BigQuery !== 'undefined';

export function warehouseStatus(): WarehouseStatus {
  return { ...loadWarehouseMode(context().documentStore), available: hasBigQuery() };
}

/**
 * Saves the mode. Turning it on checks access first (the edition, the scope, the project) and
 * creates the dataset and tables; nothing is saved when that fails.
 */
export function saveWarehouseSettings(input: unknown): WarehouseStatus {
  const ctx = context();
  const mode = parseWarehouseMode(input);
  if (mode.enabled) setupWarehouse(appsScriptWarehousePorts(), mode);
  saveWarehouseMode(ctx.documentStore, mode);
  return { ...mode, available: hasBigQuery() };
}

/** Writes every record of the workbook to BigQuery (load + MERGE: nothing twice) and computes the model there. */
export function refreshWarehouse(): WarehouseRefreshResult {
  const ctx = context();
  const mode = loadWarehouseMode(ctx.documentStore);
  if (!mode.enabled) throw new Error('Warehouse mode is off: turn it on in Settings with a Google Cloud project and a dataset first.');
  const ports = appsScriptWarehousePorts();
  const inputs = userInputs(ctx);
  const lock = ctx.ports.documentLock();
  if (!lock.tryLock(0)) throw new Error('A refresh of this workbook is running; write to BigQuery when it has finished.');
  try {
    const data = readShopData(ctx.gateway, inputs);
    const asOf = Math.floor(ctx.ports.clock.now());
    const tables = pushRecords(ports, mode, shopRows(data, inputs.settings, asOf));
    computeModel(ports, mode);
    const profit = readProfitByDay(ports, mode);
    return { asOf, tables, profitDays: profit.length, cm3: profit.reduce((a, r) => a + r.cm3, 0) };
  } finally {
    lock.release();
  }
}
