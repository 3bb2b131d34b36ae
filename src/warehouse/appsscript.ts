/**
 * The warehouse's ports in Apps Script: the BigQuery advanced service, Utilities for the load
 * media and the waits. The advanced service exists only in the warehouse edition of the add-on
 * (docs/warehouse.md): the standard edition's manifest neither enables it nor lists its scope, so
 * a seller who never turns warehouse mode on is never asked for BigQuery access.
 */
import type { BigQueryService, WarehousePorts } from './client';
import { BIGQUERY_SCOPE } from './mode';

export const NO_BIGQUERY_MESSAGE =
  'This installation of the add-on has no BigQuery access. Warehouse mode needs the warehouse edition of the add-on, ' +
  'which asks for BigQuery access when it is installed; the standard edition never does (see docs/warehouse.md).';

export function appsScriptWarehousePorts(): WarehousePorts {
  const bigQuery = (globalThis as { BigQuery?: BigQueryService }).BigQuery;
  if (!bigQuery) throw new Error(NO_BIGQUERY_MESSAGE);
  // With granular consent a user may have left the BigQuery box unticked: ask for it again, now,
  // when the mode is used (Apps Script shows the consent prompt and stops this execution).
  const script = ScriptApp as unknown as { requireScopes?: (mode: unknown, scopes: string[]) => void };
  if (typeof script.requireScopes === 'function') script.requireScopes(ScriptApp.AuthMode.FULL, [BIGQUERY_SCOPE]);
  return {
    bigQuery,
    newBlob: (text) => Utilities.newBlob(text, 'application/octet-stream'),
    sleep: (ms) => Utilities.sleep(ms),
  };
}
