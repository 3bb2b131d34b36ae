/**
 * The warehouse client against the local runtime's BigQuery stand-in (DuckDB behind BigQuery's
 * request shapes): records pushed by load jobs + MERGE, the model computed in the dataset, and
 * the profit read back equal to the engine's accrual view; a second push, a killed push and an
 * updated record duplicate nothing; the stand-in refuses what BigQuery refuses.
 */
import { computeMargins } from '../../src/core/margin';
import { periodView } from '../../src/core/views';
import {
  computeModel, mergeSql, ndjsonChunks, pushRecords, readProfitByDay, runQuery, setupWarehouse,
  type BigQueryService, type WarehouseConfig, type WarehousePorts,
} from '../../src/warehouse/client';
import { shopRows, TABLE, TABLES } from '../../src/warehouse/tables';
import { BigQueryServiceModel, BIGQUERY_LIMITS } from '../../dev/runtime/gas/bigquery';
import { BlobModel } from '../../dev/runtime/gas/services';
import { generateShop } from '../../dev/generator/shop';

jest.setTimeout(180_000);

const cfg: WarehouseConfig = { projectId: 'shop-profit-test', datasetId: 'tiktok_shop' };

function standIn(): { model: BigQueryServiceModel; ports: WarehousePorts } {
  const model = new BigQueryServiceModel(cfg.projectId, () => Date.now());
  return {
    model,
    ports: {
      bigQuery: model as unknown as BigQueryService,
      newBlob: (text) => new BlobModel(Buffer.from(text, 'utf8'), 'application/octet-stream', null),
      sleep: () => undefined,
    },
  };
}

function counts(ports: WarehousePorts): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t.name] = Number(runQuery(ports, cfg, `SELECT count(*) AS n FROM \`${cfg.projectId}.${cfg.datasetId}.${t.name}\``).rows[0][0]);
  return out;
}

const shop = generateShop({ seed: 9, days: 50, ordersPerDay: 60 });
const rows = shopRows(shop.data, shop.settings, shop.asOf);
const expectedCounts = Object.fromEntries(TABLES.map((t) => [t.name, rows[t.name].length]));

describe('a shop pushed to the stand-in', () => {
  const { model, ports } = standIn();
  afterAll(() => model._close());

  test('load jobs and MERGE put every record in its table once, and the model computes the engine’s profit', () => {
    setupWarehouse(ports, cfg);
    const summary = pushRecords(ports, cfg, rows);
    expect(summary.map((s) => s.rows)).toEqual(TABLES.map((t) => rows[t.name].length));
    expect(counts(ports)).toEqual(expectedCounts);
    computeModel(ports, cfg);
    const engine = periodView(computeMargins(shop.data, shop.settings, shop.asOf), shop.data, shop.settings, 'accrual', 'day').rows;
    expect(readProfitByDay(ports, cfg)).toEqual(engine);
    expect(engine.length).toBeGreaterThan(40);
  });

  test('every job answered RUNNING first and was polled to DONE', () => {
    const methods = model.requests.map((r) => r.method);
    expect(methods.filter((m) => m === 'Jobs.insert').length).toBeGreaterThan(0);
    expect(methods.filter((m) => m === 'Jobs.get').length).toBeGreaterThanOrEqual(methods.filter((m) => m === 'Jobs.insert').length);
    expect(methods.filter((m) => m === 'Jobs.getQueryResults').length).toBeGreaterThanOrEqual(methods.filter((m) => m === 'Jobs.query').length);
  });

  test('pushing the same records again changes no count; a changed record is updated in place', () => {
    pushRecords(ports, cfg, rows);
    expect(counts(ports)).toEqual(expectedCounts);
    const changed = { ...rows, orders: rows.orders.map((o, i) => (i === 0 ? { ...o, shipping_fee: 12345 } : o)) };
    pushRecords(ports, cfg, changed);
    expect(counts(ports)).toEqual(expectedCounts);
    const id = String(rows.orders[0].order_id);
    const r = runQuery(ports, cfg, `SELECT shipping_fee FROM \`${cfg.projectId}.${cfg.datasetId}.orders\` WHERE order_id = '${id}'`);
    expect(r.rows).toEqual([['12345']]);
  });
});

test('a push killed half way, then run again, leaves every record once', () => {
  const { model, ports } = standIn();
  try {
    setupWarehouse(ports, cfg);
    expect(() => pushRecords(ports, cfg, rows, (table) => {
      if (table === 'statement_transactions') throw new Error('Exceeded maximum execution time');
    })).toThrow('Exceeded maximum execution time');
    // A run killed between a staging load and its MERGE leaves staging behind: the next run truncates it.
    const spec = TABLE.transaction_fees;
    ports.bigQuery.Jobs.insert({ configuration: { load: {
      destinationTable: { projectId: cfg.projectId, datasetId: cfg.datasetId, tableId: `_staging_${spec.name}` },
      sourceFormat: 'NEWLINE_DELIMITED_JSON', writeDisposition: 'WRITE_APPEND',
      schema: { fields: spec.columns.map((c) => ({ name: c.name, type: c.type === 'INT64' ? 'INTEGER' : 'STRING', mode: 'NULLABLE' })) },
    } } }, cfg.projectId, ports.newBlob(ndjsonChunks(rows.transaction_fees.slice(0, 50))[0]));
    pushRecords(ports, cfg, rows);
    expect(counts(ports)).toEqual(expectedCounts);
  } finally {
    model._close();
  }
});

test('two rows with one key are refused before anything is loaded', () => {
  const { model, ports } = standIn();
  try {
    setupWarehouse(ports, cfg);
    const twice = { ...rows, orders: [...rows.orders, rows.orders[3]] };
    expect(() => pushRecords(ports, cfg, twice)).toThrow(/warehouse table orders.*each key once/);
    expect(counts(ports).orders).toBe(0);
  } finally {
    model._close();
  }
});

describe('the stand-in is held to BigQuery’s rules', () => {
  const { model, ports } = standIn();
  afterAll(() => model._close());
  const jobs = ports.bigQuery.Jobs;

  test('a table in a dataset that does not exist is not found', () => {
    expect(() => runQuery(ports, cfg, `SELECT 1 FROM \`${cfg.projectId}.nowhere.orders\``)).toThrow(/Not found: Dataset shop-profit-test:nowhere/);
  });

  test('a query longer than the limit is refused', () => {
    setupWarehouse(ports, cfg);
    const long = `SELECT '${'x'.repeat(BIGQUERY_LIMITS.queryTextBytes)}' AS x`;
    expect(() => runQuery(ports, cfg, long)).toThrow(/query is too large/);
  });

  test('a load job with a field outside the schema fails; nothing is written', () => {
    const spec = TABLE.cogs;
    const job = jobs.insert({ configuration: { load: {
      destinationTable: { projectId: cfg.projectId, datasetId: cfg.datasetId, tableId: 'cogs' },
      sourceFormat: 'NEWLINE_DELIMITED_JSON', schema: { fields: spec.columns.map((c) => ({ name: c.name, type: 'STRING' })) },
    } } }, cfg.projectId, ports.newBlob('{"sku":"A","unit_cost":5,"surprise":1}\n'));
    expect(job.status.state).toBe('RUNNING');
    const done = jobs.get(cfg.projectId, job.jobReference.jobId);
    expect(done.status.state).toBe('DONE');
    expect(done.status.errorResult?.message).toMatch(/No such field: surprise/);
    expect(counts(ports).cogs).toBe(0);
  });

  test('a MERGE statement is the same text for BigQuery and the stand-in', () => {
    expect(mergeSql(cfg, TABLE.orders)).toMatch(/^MERGE INTO `shop-profit-test\.tiktok_shop\.orders` AS t\nUSING \(SELECT \* FROM `shop-profit-test\.tiktok_shop\._staging_orders`\) AS s\nON t\.order_id = s\.order_id/);
  });

  test('results come in pages of BigQuery’s shape, values as text', () => {
    const first = jobs.query({ query: 'SELECT 1 AS n, TRUE AS b, CAST(\'2026-01-02\' AS DATE) AS d', useLegacySql: false }, cfg.projectId);
    expect(first.jobComplete).toBe(false);
    const page = jobs.getQueryResults(cfg.projectId, first.jobReference.jobId, {});
    expect(page.jobComplete).toBe(true);
    expect(page.schema?.fields.map((f) => f.type)).toEqual(['INTEGER', 'BOOLEAN', 'DATE']);
    expect(page.rows).toEqual([{ f: [{ v: '1' }, { v: 'true' }, { v: '2026-01-02' }] }]);
    const values = Array.from({ length: 25 }, (_, i) => `SELECT ${i} AS n`).join(' UNION ALL ');
    const q = jobs.query({ query: `SELECT n FROM (${values}) AS v ORDER BY n`, useLegacySql: false }, cfg.projectId);
    const seen: (string | null)[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const p = jobs.getQueryResults(cfg.projectId, q.jobReference.jobId, { maxResults: 10, ...(token ? { pageToken: token } : {}) });
      for (const r of p.rows ?? []) seen.push(r.f[0].v);
      token = p.pageToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => String(i)));
  });
});
