/**
 * Warehouse mode, as the seller chooses it in Settings: off (the default: the workbook alone),
 * or on with a Google Cloud project and a dataset, Refresh then writing the records to BigQuery
 * as well as to the data tabs. Kept in document properties (it is not a secret: a project id
 * and a dataset name; access is the signed-in user's own BigQuery permission).
 */
import { DataError } from '../core/errors';
import type { KeyValueStore } from '../tiktok/ports';
import type { WarehouseConfig } from './client';

export const WAREHOUSE_KEY = 'tts.warehouse';

/** The OAuth scope the BigQuery advanced service needs: loads and queries (bigquery.readonly cannot load). */
export const BIGQUERY_SCOPE = 'https://www.googleapis.com/auth/bigquery';

export interface WarehouseMode extends WarehouseConfig {
  enabled: boolean;
}

/** Google Cloud project ids: 6–30 characters, lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen. */
const PROJECT_RE = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
/** Dataset names: letters, digits and underscores, at most 1,024. */
const DATASET_RE = /^[A-Za-z0-9_]{1,1024}$/;

/** Validates what the seller typed; refuses with the field named. */
export function parseWarehouseMode(input: unknown): WarehouseMode {
  const v = (input ?? {}) as Record<string, unknown>;
  const enabled = v.enabled === true;
  const projectId = String(v.projectId ?? '').trim();
  const datasetId = String(v.datasetId ?? '').trim();
  const location = String(v.location ?? 'US').trim() || 'US';
  if (enabled && !PROJECT_RE.test(projectId)) {
    throw new DataError({ record: 'Settings', field: 'Google Cloud project', expected: 'a project id: 6 to 30 lowercase letters, digits or hyphens, starting with a letter', got: projectId });
  }
  if (enabled && !DATASET_RE.test(datasetId)) {
    throw new DataError({ record: 'Settings', field: 'BigQuery dataset', expected: 'a dataset name of letters, digits and underscores', got: datasetId });
  }
  return { enabled, projectId, datasetId, location };
}

export function loadWarehouseMode(store: KeyValueStore): WarehouseMode {
  const raw = store.get(WAREHOUSE_KEY);
  if (!raw) return { enabled: false, projectId: '', datasetId: '', location: 'US' };
  return parseWarehouseMode(JSON.parse(raw));
}

export function saveWarehouseMode(store: KeyValueStore, mode: WarehouseMode): void {
  store.set(WAREHOUSE_KEY, JSON.stringify(mode));
}
