/**
 * The BigQuery advanced service (v2) of the local runtime: a stand-in backed by DuckDB, held to
 * BigQuery's request and response shapes and to its limits, never friendlier. Present in a
 * script only when the manifest enables the advanced service (as in Apps Script).
 *
 * Modelled: Datasets.get/insert; Jobs.insert (query jobs; load jobs of newline-delimited JSON
 * sent as the media blob, WRITE_TRUNCATE/WRITE_APPEND/WRITE_EMPTY, CREATE_IF_NEEDED/NEVER),
 * Jobs.get, Jobs.query, Jobs.getQueryResults (pages, pageToken), Tabledata.list. Values come back
 * as BigQuery's REST gives them: rows of {f: [{v: text}]}, INTEGER as decimal text.
 *
 * Not friendlier than BigQuery:
 * - A job is never complete in the answer that starts it: Jobs.insert says RUNNING and
 *   Jobs.query says jobComplete: false; the caller polls Jobs.get / Jobs.getQueryResults.
 * - LIMITS below, each with its source; unknown fields in a JSON row fail the load
 *   (ignoreUnknownValues defaults to false); a table in a dataset that does not exist is not found.
 * SQL: the text BigQuery gets, run on DuckDB after two rewrites only — `project.dataset.name`
 * → dataset.name, and CREATE FUNCTION of the model's helpers (src/warehouse/dialect.ts) → their
 * DuckDB macros; any other function definition is refused. Anything else DuckDB does not
 * understand fails as a query error, so BigQuery-only SQL never passes here unnoticed... and SQL
 * DuckDB accepts but BigQuery would not is the dialect test's job (test/warehouse/dialect.test.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { duckDbHelper, HELPER_NAMES, type HelperName } from '../../../src/warehouse/dialect';
import { SyncDuckDb, type TextRows } from './duckdb-sync';
import { GasError, HostObject } from './host';
import type { BlobModel } from './services';

export const BIGQUERY_LIMITS = {
  /**
   * Query text: "Maximum unresolved query length — 256 KB" (cloud.google.com/bigquery/quotas, an
   * earlier edition); the current page says 1,024K characters. The smaller one is enforced.
   */
  queryTextBytes: 256 * 1024,
  /**
   * Table modifications (load jobs, query jobs writing a table) per table per day: 1,000 in the
   * earlier edition of the quotas page ("Daily destination table update limit"), 1,500 now. The
   * smaller one, over a rolling 24 hours (the quota refills over 24 hours, per the load-jobs guide).
   */
  tableModificationsPerDay: 1000,
  /**
   * One media upload through the advanced service. Not published for Apps Script: the runtime
   * takes UrlFetchApp's 50 MB payload ceiling and divides by five, so a client that relies on
   * more fails here first (UNCONFIRMED; conservative).
   */
  mediaUploadBytes: 10 * 1024 * 1024,
  /** One page of query results or table data: "Maximum response size — 10 MB" (quotas page, API requests). */
  responsePageBytes: 10 * 1024 * 1024,
} as const;

type Json = Record<string, unknown>;

interface JobState {
  job: Json;
  /** Polls left before the job reports DONE. */
  pollsLeft: number;
  result: TextRows | null;
}

const BQ_TYPES: Record<string, string> = { INTEGER: 'BIGINT', INT64: 'BIGINT', STRING: 'VARCHAR', BOOLEAN: 'BOOLEAN', BOOL: 'BOOLEAN', DATE: 'DATE', FLOAT: 'DOUBLE', FLOAT64: 'DOUBLE' };

function bqType(duckType: string): { type: string; mode: string } {
  const repeated = duckType.endsWith('[]');
  const base = repeated ? duckType.slice(0, -2) : duckType;
  const type = /INT/.test(base) ? 'INTEGER' : base === 'VARCHAR' ? 'STRING' : base === 'BOOLEAN' ? 'BOOLEAN' : base === 'DATE' ? 'DATE'
    : /DECIMAL/.test(base) ? 'NUMERIC' : /DOUBLE|FLOAT/.test(base) ? 'FLOAT' : /TIMESTAMP/.test(base) ? 'TIMESTAMP' : 'STRING';
  return { type, mode: repeated ? 'REPEATED' : 'NULLABLE' };
}

const bad = (reason: string, message: string) => new GasError(`API call to bigquery.jobs failed with error: ${message} (${reason})`);

export class BigQueryServiceModel extends HostObject {
  readonly db: SyncDuckDb;
  private readonly datasets = new Set<string>();
  private readonly jobs = new Map<string, JobState>();
  private readonly modifications = new Map<string, number[]>();
  private readonly dir = mkdtempSync(join(tmpdir(), 'gas-bq-'));
  private seq = 0;
  readonly Jobs: JobsModel;
  readonly Datasets: DatasetsModel;
  readonly Tabledata: TabledataModel;
  /** Every request the script made, in order (method and project), for tests. */
  readonly requests: { method: string; detail: string }[] = [];

  constructor(
    readonly projectId: string,
    private readonly now: () => number,
  ) {
    super();
    this.db = new SyncDuckDb();
    this.Jobs = new JobsModel(this);
    this.Datasets = new DatasetsModel(this);
    this.Tabledata = new TabledataModel(this);
  }

  override _constants(): Record<string, unknown> {
    return { Jobs: this.Jobs, Datasets: this.Datasets, Tabledata: this.Tabledata };
  }

  _close(): void {
    this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  _checkProject(projectId: string): void {
    if (projectId !== this.projectId) throw bad('notFound', `Not found: Project ${projectId}`);
  }

  _checkDataset(datasetId: string): void {
    if (!this.datasets.has(datasetId)) throw bad('notFound', `Not found: Dataset ${this.projectId}:${datasetId}`);
  }

  _createDataset(datasetId: string): void {
    if (!/^[A-Za-z0-9_]{1,1024}$/.test(datasetId)) throw bad('invalid', `Invalid dataset ID "${datasetId}". Dataset IDs must be alphanumeric (plus underscores)`);
    if (this.datasets.has(datasetId)) throw bad('duplicate', `Already Exists: Dataset ${this.projectId}:${datasetId}`);
    this.db.run(`CREATE SCHEMA ${datasetId}`);
    this.datasets.add(datasetId);
  }

  /** BigQuery text → DuckDB text (see the file comment). */
  _translate(sql: string): string {
    if (Buffer.byteLength(sql, 'utf8') > BIGQUERY_LIMITS.queryTextBytes) {
      throw bad('invalidQuery', `The query is too large. The maximum standard SQL query length is ${BIGQUERY_LIMITS.queryTextBytes / 1024} KB`);
    }
    const fn = /^\s*CREATE\s+OR\s+REPLACE\s+FUNCTION\s+`([^`]+)`/i.exec(sql);
    if (fn) {
      const [project, dataset, name] = fn[1].split('.');
      this._checkProject(project);
      this._checkDataset(dataset);
      if (!(HELPER_NAMES as readonly string[]).includes(name)) {
        throw bad('invalidQuery', `The local BigQuery stand-in defines only the model's helper functions, not ${name}`);
      }
      return duckDbHelper(name as HelperName, (n) => `${dataset}.${n}`);
    }
    return sql
      .replace(/`([^`.]+)\.([^`.]+)\.([^`.]+)`/g, (_, project: string, dataset: string, name: string) => {
        this._checkProject(project);
        this._checkDataset(dataset);
        return `${dataset}.${name}`;
      })
      .replace(/ARRAY<STRING>/gi, 'VARCHAR[]');
  }

  /** Counts a modification of `table`; refuses the one past the daily limit. */
  _modify(table: string): void {
    const t = this.now();
    const list = (this.modifications.get(table) ?? []).filter((x) => x > t - 86_400_000);
    if (list.length >= BIGQUERY_LIMITS.tableModificationsPerDay) {
      throw bad('quotaExceeded', `Quota exceeded: Your table exceeded quota for Number of table modifications per day. Table: ${table}`);
    }
    list.push(t);
    this.modifications.set(table, list);
  }

  _newJob(projectId: string, jobId: string | undefined, configuration: Json): JobState {
    const id = jobId ?? `job_local_${++this.seq}`;
    if (this.jobs.has(id)) throw bad('duplicate', `Already Exists: Job ${projectId}:US.${id}`);
    const state: JobState = {
      job: { kind: 'bigquery#job', id: `${projectId}:US.${id}`, jobReference: { projectId, jobId: id, location: 'US' }, configuration, status: { state: 'RUNNING' }, statistics: { creationTime: String(this.now()) } },
      pollsLeft: 0,
      result: null,
    };
    this.jobs.set(id, state);
    return state;
  }

  _job(projectId: string, jobId: string): JobState {
    this._checkProject(projectId);
    const s = this.jobs.get(jobId);
    if (!s) throw bad('notFound', `Not found: Job ${projectId}:${jobId}`);
    return s;
  }

  /** A job answer: RUNNING until polled once, then DONE. */
  _poll(s: JobState): Json {
    if (s.pollsLeft > 0) {
      s.pollsLeft -= 1;
      return { ...s.job, status: { state: 'RUNNING' } };
    }
    return s.job;
  }

  _fail(s: JobState, reason: string, message: string): void {
    s.job.status = { state: 'DONE', errorResult: { reason, message }, errors: [{ reason, message }] };
  }

  _runQuery(s: JobState, sql: string): void {
    let text: string;
    try {
      text = this._translate(sql);
    } catch (e) {
      this.jobs.delete(String((s.job.jobReference as Json).jobId));
      throw e;
    }
    const created = /^\s*CREATE\s+(?:OR\s+REPLACE\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([\w.]+)/i.exec(text);
    if (created) this._modify(created[1]);
    try {
      if (/^\s*(SELECT|WITH)\b/i.test(text)) s.result = this.db.rows(text);
      else this.db.run(text);
      s.job.status = { state: 'DONE' };
    } catch (e) {
      throw bad('invalidQuery', (e as Error).message);
    }
  }

  _runLoad(s: JobState, load: Json, media: BlobModel | undefined): void {
    const dest = load.destinationTable as { projectId: string; datasetId: string; tableId: string } | undefined;
    if (!dest) throw bad('invalid', 'Required parameter is missing: destinationTable');
    this._checkProject(dest.projectId);
    this._checkDataset(dest.datasetId);
    if ((load.sourceFormat ?? 'CSV') !== 'NEWLINE_DELIMITED_JSON') throw bad('invalid', 'The local stand-in loads NEWLINE_DELIMITED_JSON only');
    if (!media) throw bad('invalid', 'A load job without source URIs needs the data as the media upload');
    const data = media.getDataAsString();
    if (Buffer.byteLength(data, 'utf8') > BIGQUERY_LIMITS.mediaUploadBytes) {
      throw bad('invalid', `Media upload larger than ${BIGQUERY_LIMITS.mediaUploadBytes} bytes`);
    }
    const table = `${dest.datasetId}.${dest.tableId}`;
    const exists = this.db.rows(`SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = '${dest.datasetId}' AND table_name = '${dest.tableId}'`).rows[0][0] !== '0';
    const schema = (load.schema as { fields?: { name: string; type: string; mode?: string }[] } | undefined)?.fields;
    if (!exists && (load.createDisposition ?? 'CREATE_IF_NEEDED') === 'CREATE_NEVER') return this._fail(s, 'notFound', `Not found: Table ${dest.projectId}:${table}`);
    if (!exists && !schema) return this._fail(s, 'invalid', 'No schema specified on job or table.');
    const fields = schema ?? this.db.rows(`SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = '${dest.datasetId}' AND table_name = '${dest.tableId}' ORDER BY ordinal_position`)
      .rows.map(([name, type]) => ({ name: name!, type: bqType(type!).type, mode: bqType(type!).mode }));
    const duck = fields.map((f) => `${f.name} ${BQ_TYPES[f.type.toUpperCase()] ?? 'VARCHAR'}${f.mode === 'REPEATED' ? '[]' : ''}`);
    // Rows are checked as BigQuery reads them: valid JSON objects, no field outside the schema.
    const names = new Set(fields.map((f) => f.name));
    const lines = data.split('\n');
    let count = 0;
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].trim() === '') continue;
      let row: unknown;
      try {
        row = JSON.parse(lines[i]);
      } catch {
        return this._fail(s, 'invalid', `Error while reading data, error message: JSON table encountered too many errors. JSON parsing error in row starting at line ${i + 1}`);
      }
      if (row === null || typeof row !== 'object' || Array.isArray(row)) return this._fail(s, 'invalid', `JSON parsing error in row starting at line ${i + 1}: not an object`);
      if (!load.ignoreUnknownValues) {
        const unknown = Object.keys(row).find((k) => !names.has(k));
        if (unknown) return this._fail(s, 'invalid', `Error while reading data, error message: JSON parsing error in row starting at line ${i + 1}: No such field: ${unknown}.`);
      }
      count++;
    }
    const disposition = String(load.writeDisposition ?? 'WRITE_APPEND');
    if (exists && disposition === 'WRITE_EMPTY' && this.db.rows(`SELECT count(*) FROM ${table}`).rows[0][0] !== '0') {
      return this._fail(s, 'duplicate', `Already Exists: Table ${dest.projectId}:${table}`);
    }
    this._modify(table);
    const file = join(this.dir, `load_${++this.seq}.ndjson`);
    writeFileSync(file, data);
    const spec = fields.map((f, i) => `${f.name}: '${duck[i].slice(f.name.length + 1)}'`).join(', ');
    try {
      this.db.run(
        'BEGIN TRANSACTION',
        ...(exists ? [] : [`CREATE TABLE ${table} (${duck.join(', ')})`]),
        ...(disposition === 'WRITE_TRUNCATE' ? [`DELETE FROM ${table}`] : []),
        ...(count > 0 ? [`INSERT INTO ${table} BY NAME SELECT * FROM read_json('${file}', format = 'newline_delimited', columns = {${spec}})`] : []),
        'COMMIT',
      );
      s.job.status = { state: 'DONE' };
      s.job.statistics = { ...(s.job.statistics as Json), load: { outputRows: String(count) } };
    } catch (e) {
      this.db.run('ROLLBACK');
      this._fail(s, 'invalid', `Error while reading data, error message: ${(e as Error).message}`);
    } finally {
      rmSync(file, { force: true });
    }
  }

  /** One page of a result, BigQuery's shape; the page ends at maxResults rows or 10 MB. */
  _page(result: TextRows, options: { pageToken?: string; maxResults?: number }): Json {
    const start = options.pageToken ? Number(options.pageToken) : 0;
    if (!Number.isInteger(start) || start < 0 || start > result.rows.length) throw bad('invalid', `Invalid page token ${options.pageToken}`);
    const max = options.maxResults ?? Infinity;
    const rows: Json[] = [];
    let bytes = 0;
    let i = start;
    for (; i < result.rows.length && rows.length < max; i++) {
      const row = { f: result.rows[i].map((v) => ({ v })) };
      bytes += JSON.stringify(row).length;
      if (bytes > BIGQUERY_LIMITS.responsePageBytes && rows.length > 0) break;
      rows.push(row);
    }
    return {
      schema: { fields: result.columns.map((c) => ({ name: c.name, ...bqType(c.type) })) },
      totalRows: String(result.rows.length),
      rows,
      ...(i < result.rows.length ? { pageToken: String(i) } : {}),
    };
  }
}

class JobsModel extends HostObject {
  constructor(private readonly bq: BigQueryServiceModel) {
    super();
  }

  insert(resource: Json, projectId: string, media?: BlobModel): Json {
    this.bq.requests.push({ method: 'Jobs.insert', detail: JSON.stringify(resource.configuration ?? {}).slice(0, 200) });
    this.bq._checkProject(projectId);
    const configuration = (resource.configuration ?? {}) as Json;
    const jobId = (resource.jobReference as Json | undefined)?.jobId as string | undefined;
    const s = this.bq._newJob(projectId, jobId, configuration);
    if (configuration.query) this.bq._runQuery(s, String((configuration.query as Json).query ?? ''));
    else if (configuration.load) this.bq._runLoad(s, configuration.load as Json, media);
    else throw bad('invalid', 'The job configuration must have one of query, load, copy or extract');
    return { ...s.job, status: { state: 'RUNNING' } };
  }

  get(projectId: string, jobId: string): Json {
    this.bq.requests.push({ method: 'Jobs.get', detail: jobId });
    return this.bq._poll(this.bq._job(projectId, jobId));
  }

  query(request: Json, projectId: string): Json {
    this.bq.requests.push({ method: 'Jobs.query', detail: String(request.query ?? '').slice(0, 200) });
    this.bq._checkProject(projectId);
    if (request.useLegacySql !== false) throw bad('invalidQuery', 'The stand-in runs GoogleSQL only: set useLegacySql to false');
    const s = this.bq._newJob(projectId, undefined, { query: { query: request.query, useLegacySql: false } });
    this.bq._runQuery(s, String(request.query ?? ''));
    return { kind: 'bigquery#queryResponse', jobReference: s.job.jobReference, jobComplete: false };
  }

  getQueryResults(projectId: string, jobId: string, options: { pageToken?: string; maxResults?: number } = {}): Json {
    this.bq.requests.push({ method: 'Jobs.getQueryResults', detail: jobId });
    const s = this.bq._job(projectId, jobId);
    const job = this.bq._poll(s);
    const status = job.status as Json;
    if (status.state !== 'DONE') return { kind: 'bigquery#getQueryResultsResponse', jobReference: s.job.jobReference, jobComplete: false };
    if (status.errorResult) throw bad(String((status.errorResult as Json).reason), String((status.errorResult as Json).message));
    const page = s.result ? this.bq._page(s.result, options) : { totalRows: '0', rows: [] };
    return { kind: 'bigquery#getQueryResultsResponse', jobReference: s.job.jobReference, jobComplete: true, ...page };
  }
}

class DatasetsModel extends HostObject {
  constructor(private readonly bq: BigQueryServiceModel) {
    super();
  }

  get(projectId: string, datasetId: string): Json {
    this.bq.requests.push({ method: 'Datasets.get', detail: datasetId });
    this.bq._checkProject(projectId);
    this.bq._checkDataset(datasetId);
    return { kind: 'bigquery#dataset', id: `${projectId}:${datasetId}`, datasetReference: { projectId, datasetId }, location: 'US' };
  }

  insert(resource: Json, projectId: string): Json {
    this.bq.requests.push({ method: 'Datasets.insert', detail: JSON.stringify(resource.datasetReference) });
    this.bq._checkProject(projectId);
    const datasetId = String((resource.datasetReference as Json | undefined)?.datasetId ?? '');
    this.bq._createDataset(datasetId);
    return { kind: 'bigquery#dataset', id: `${projectId}:${datasetId}`, datasetReference: { projectId, datasetId }, location: resource.location ?? 'US' };
  }
}

class TabledataModel extends HostObject {
  constructor(private readonly bq: BigQueryServiceModel) {
    super();
  }

  list(projectId: string, datasetId: string, tableId: string, options: { pageToken?: string; maxResults?: number } = {}): Json {
    this.bq.requests.push({ method: 'Tabledata.list', detail: `${datasetId}.${tableId}` });
    this.bq._checkProject(projectId);
    this.bq._checkDataset(datasetId);
    if (!/^\w+$/.test(tableId)) throw bad('invalid', `Invalid table ID ${tableId}`);
    let result: TextRows;
    try {
      result = this.bq.db.rows(`SELECT * FROM ${datasetId}.${tableId}`);
    } catch {
      throw bad('notFound', `Not found: Table ${projectId}:${datasetId}.${tableId}`);
    }
    const page = this.bq._page(result, options);
    return { kind: 'bigquery#tableDataList', totalRows: page.totalRows, rows: page.rows, ...(page.pageToken ? { pageToken: page.pageToken } : {}) };
  }
}
