/**
 * The warehouse client: records into BigQuery and the model computed there, through the
 * BigQuery advanced service (or anything shaped like it: the local runtime's stand-in).
 *
 * Writing is idempotent, so a re-run or a killed execution duplicates nothing:
 * 1. each table's rows go as newline-delimited JSON load jobs into a staging table
 *    (`_staging_<table>`; the first chunk truncates it, so leftovers of a killed run are dropped);
 * 2. one MERGE by the table's key moves them into the table: a record already there is updated,
 *    a new one inserted. A MERGE is one statement: it applies whole or not at all.
 * The settings row is loaded straight into its table, replacing it.
 *
 * Synchronous, as Apps Script is; jobs are polled until DONE.
 */
import { DataError } from '../core/errors';
import type { PeriodRow } from '../core/views';
import { bigQueryDialect } from './dialect';
import { modelStatements } from './sql';
import { TABLES, type ColumnType, type TableSpec } from './tables';

/** The subset of the BigQuery advanced service (v2) the client calls. */
export interface BigQueryService {
  Jobs: {
    insert(resource: object, projectId: string, mediaData?: unknown): BigQueryJob;
    get(projectId: string, jobId: string): BigQueryJob;
    query(request: object, projectId: string): QueryResponse;
    getQueryResults(projectId: string, jobId: string, options?: object): QueryResponse;
  };
  Datasets: {
    get(projectId: string, datasetId: string): object;
    insert(resource: object, projectId: string): object;
  };
}

export interface BigQueryJob {
  jobReference: { projectId: string; jobId: string; location?: string };
  status: { state: string; errorResult?: { reason?: string; message?: string } };
}

export interface QueryResponse {
  jobReference: { projectId: string; jobId: string };
  jobComplete: boolean;
  schema?: { fields: { name: string; type: string }[] };
  rows?: { f: { v: string | null }[] }[];
  pageToken?: string;
}

export interface WarehousePorts {
  bigQuery: BigQueryService;
  /** The load job's media: Utilities.newBlob(text, 'application/octet-stream') in Apps Script. */
  newBlob(text: string): unknown;
  /** Utilities.sleep between polls. */
  sleep(ms: number): void;
}

export interface WarehouseConfig {
  /** Google Cloud project that owns the dataset and is billed for the queries. */
  projectId: string;
  datasetId: string;
  /** Dataset location when the client creates it (default US). */
  location?: string;
}

/** One load job's media stays well under the stand-in's 10 MB ceiling (dev/runtime/gas/bigquery.ts). */
export const LOAD_CHUNK_BYTES = 8 * 1024 * 1024;
const MAX_POLLS = 120;

const BQ_DDL_TYPE: Record<ColumnType, string> = { INT64: 'INT64', STRING: 'STRING', BOOL: 'BOOL', DATE: 'DATE' };
const BQ_LOAD_TYPE: Record<ColumnType, string> = { INT64: 'INTEGER', STRING: 'STRING', BOOL: 'BOOLEAN', DATE: 'DATE' };

const name = (cfg: WarehouseConfig, table: string) => `\`${cfg.projectId}.${cfg.datasetId}.${table}\``;
const staging = (table: string) => `_staging_${table}`;

export function tableDdl(cfg: WarehouseConfig, spec: TableSpec): string {
  const cols = spec.columns.map((c) => `${c.name} ${c.repeated ? `ARRAY<${BQ_DDL_TYPE[c.type]}>` : BQ_DDL_TYPE[c.type]}`);
  return `CREATE TABLE IF NOT EXISTS ${name(cfg, spec.name)} (${cols.join(', ')})`;
}

export function mergeSql(cfg: WarehouseConfig, spec: TableSpec): string {
  const on = spec.key.map((k) => `t.${k} = s.${k}`).join(' AND ');
  const rest = spec.columns.filter((c) => !spec.key.includes(c.name));
  const all = spec.columns.map((c) => c.name);
  return `MERGE INTO ${name(cfg, spec.name)} AS t
USING (SELECT * FROM ${name(cfg, staging(spec.name))}) AS s
ON ${on}
${rest.length ? `WHEN MATCHED THEN UPDATE SET ${rest.map((c) => `${c.name} = s.${c.name}`).join(', ')}\n` : ''}WHEN NOT MATCHED THEN INSERT (${all.join(', ')}) VALUES (${all.map((c) => `s.${c}`).join(', ')})`;
}

function fail(what: string, error: { reason?: string; message?: string }): never {
  throw new Error(`BigQuery ${what} failed: ${error.message ?? 'unknown error'}${error.reason ? ` (${error.reason})` : ''}`);
}

function waitJob(ports: WarehousePorts, job: BigQueryJob, what: string): BigQueryJob {
  let current = job;
  for (let i = 0; current.status.state !== 'DONE'; i++) {
    if (i >= MAX_POLLS) throw new Error(`BigQuery ${what}: job ${job.jobReference.jobId} still ${current.status.state} after ${MAX_POLLS} polls`);
    ports.sleep(Math.min(2000, 250 * (i + 1)));
    current = ports.bigQuery.Jobs.get(job.jobReference.projectId, job.jobReference.jobId);
  }
  if (current.status.errorResult) fail(what, current.status.errorResult);
  return current;
}

export interface QueryRows {
  fields: { name: string; type: string }[];
  rows: (string | null)[][];
}

/** Runs one GoogleSQL statement and reads every page of its result. */
export function runQuery(ports: WarehousePorts, cfg: WarehouseConfig, sql: string): QueryRows {
  const first = ports.bigQuery.Jobs.query({ query: sql, useLegacySql: false, timeoutMs: 10_000 }, cfg.projectId);
  const { jobId } = first.jobReference;
  let page = first;
  for (let i = 0; !page.jobComplete; i++) {
    if (i >= MAX_POLLS) throw new Error(`BigQuery query ${jobId} not complete after ${MAX_POLLS} polls`);
    if (i > 0) ports.sleep(Math.min(2000, 250 * i));
    page = ports.bigQuery.Jobs.getQueryResults(cfg.projectId, jobId, { timeoutMs: 10_000 });
  }
  const out: QueryRows = { fields: page.schema?.fields ?? [], rows: [] };
  for (;;) {
    for (const r of page.rows ?? []) out.rows.push(r.f.map((c) => c.v));
    if (!page.pageToken) return out;
    page = ports.bigQuery.Jobs.getQueryResults(cfg.projectId, jobId, { pageToken: page.pageToken });
  }
}

/** The dataset, created when missing. */
export function ensureDataset(ports: WarehousePorts, cfg: WarehouseConfig): void {
  try {
    ports.bigQuery.Datasets.get(cfg.projectId, cfg.datasetId);
  } catch (e) {
    if (!/not ?found/i.test(String((e as Error).message))) throw e;
    ports.bigQuery.Datasets.insert({ datasetReference: { projectId: cfg.projectId, datasetId: cfg.datasetId }, location: cfg.location ?? 'US' }, cfg.projectId);
  }
}

/** Setting the warehouse up: the dataset and every table (idempotent). */
export function setupWarehouse(ports: WarehousePorts, cfg: WarehouseConfig): void {
  ensureDataset(ports, cfg);
  for (const spec of TABLES) runQuery(ports, cfg, tableDdl(cfg, spec));
}

/** Refuses two rows with one key: a MERGE would fail on them, and they would mean records merged wrongly. */
function checkKeys(spec: TableSpec, rows: readonly Record<string, unknown>[]): void {
  if (spec.key.length === 0) return;
  const seen = new Set<string>();
  for (const r of rows) {
    const k = JSON.stringify(spec.key.map((c) => r[c]));
    if (seen.has(k)) throw new DataError({ record: `warehouse table ${spec.name}`, id: k, field: spec.key.join(', '), expected: 'each key once', got: `${k} (again)` });
    seen.add(k);
  }
}

/** Newline-delimited JSON chunks of at most `limit` bytes (a row is never split). */
export function ndjsonChunks(rows: readonly Record<string, unknown>[], limit = LOAD_CHUNK_BYTES): string[] {
  const chunks: string[] = [];
  let parts: string[] = [];
  let size = 0;
  for (const r of rows) {
    const line = JSON.stringify(r) + '\n';
    const bytes = utf8Length(line);
    if (size + bytes > limit && parts.length) {
      chunks.push(parts.join(''));
      parts = [];
      size = 0;
    }
    parts.push(line);
    size += bytes;
  }
  if (parts.length) chunks.push(parts.join(''));
  return chunks;
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? (i++, 4) : 3;
  }
  return n;
}

function load(ports: WarehousePorts, cfg: WarehouseConfig, spec: TableSpec, table: string, chunk: string, truncate: boolean): void {
  const job = ports.bigQuery.Jobs.insert({
    configuration: {
      load: {
        destinationTable: { projectId: cfg.projectId, datasetId: cfg.datasetId, tableId: table },
        sourceFormat: 'NEWLINE_DELIMITED_JSON',
        writeDisposition: truncate ? 'WRITE_TRUNCATE' : 'WRITE_APPEND',
        createDisposition: 'CREATE_IF_NEEDED',
        schema: { fields: spec.columns.map((c) => ({ name: c.name, type: BQ_LOAD_TYPE[c.type], mode: c.repeated ? 'REPEATED' : 'NULLABLE' })) },
      },
    },
  }, cfg.projectId, ports.newBlob(chunk));
  waitJob(ports, job, `load into ${table}`);
}

export interface PushSummary {
  table: string;
  rows: number;
  loadJobs: number;
}

/**
 * Writes the records (tables.ts shopRows) into the dataset: staging load jobs, then a MERGE by
 * key per table. `after` is called after each table (progress, or a test killing the run).
 */
export function pushRecords(ports: WarehousePorts, cfg: WarehouseConfig, rows: Record<string, Record<string, unknown>[]>, after?: (table: string) => void): PushSummary[] {
  const summary: PushSummary[] = [];
  for (const spec of TABLES) {
    const list = rows[spec.name] ?? [];
    checkKeys(spec, list);
    const chunks = ndjsonChunks(list);
    if (spec.key.length === 0) {
      chunks.forEach((c, i) => load(ports, cfg, spec, spec.name, c, i === 0));
    } else if (chunks.length > 0) {
      chunks.forEach((c, i) => load(ports, cfg, spec, staging(spec.name), c, i === 0));
      runQuery(ports, cfg, mergeSql(cfg, spec));
      runQuery(ports, cfg, `DROP TABLE IF EXISTS ${name(cfg, staging(spec.name))}`);
    }
    summary.push({ table: spec.name, rows: list.length, loadJobs: chunks.length });
    after?.(spec.name);
  }
  return summary;
}

/** Computes the model in the dataset: helper functions, then each step into its table. */
export function computeModel(ports: WarehousePorts, cfg: WarehouseConfig): void {
  for (const s of modelStatements(bigQueryDialect(cfg.projectId, cfg.datasetId), 'tables')) runQuery(ports, cfg, s);
}

const PERIOD_FIELDS: (keyof PeriodRow)[] = ['orders', 'netRevenue', 'cogs', 'cm1', 'platformFees', 'fulfilmentAndShipping', 'creatorCommission',
  'shopAdjustments', 'cm2', 'adSpend', 'unallocatedAdSpend', 'sampleCost', 'creatorFees', 'marketing', 'cm3', 'fixedCosts', 'netProfit',
  'taxWithheld', 'estimatedOrders'];
const snake = (s: string) => s.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());

/** An INTEGER cell of a result: exact, or refused (an amount past 2^53 would not be exact in a cell). */
function int(v: string | null, where: string): number {
  const n = Number(v ?? 0);
  if (!Number.isSafeInteger(n)) throw new DataError({ record: 'warehouse result', field: where, expected: 'a whole number of minor units', got: v });
  return n;
}

/** The accrual profit by day from the warehouse, as views.ts rows (what the Profit tab is built from). */
export function readProfitByDay(ports: WarehousePorts, cfg: WarehouseConfig): PeriodRow[] {
  const cols = PERIOD_FIELDS.map((f) => snake(f));
  const r = runQuery(ports, cfg, `SELECT CAST(day AS STRING) AS day, ${cols.join(', ')} FROM ${name(cfg, 'profit_by_day')} ORDER BY day`);
  return r.rows.map((row) => {
    const out = { bucket: row[0] as string } as PeriodRow;
    PERIOD_FIELDS.forEach((f, i) => ((out as unknown as Record<string, number>)[f] = int(row[i + 1], `profit_by_day.${cols[i]}`)));
    return out;
  });
}
