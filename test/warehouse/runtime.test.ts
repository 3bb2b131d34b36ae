/**
 * The warehouse client bundled as Apps Script code and run in the local runtime against its
 * BigQuery advanced service stand-in: the service exists only when the manifest enables it; a
 * push killed after a few service calls and run again duplicates nothing; the profit the dataset
 * computes equals the engine's.
 */
import { buildSync } from 'esbuild';
import { resolve } from 'node:path';
import { computeMargins } from '../../src/core/margin';
import { periodView } from '../../src/core/views';
import { NO_BIGQUERY_MESSAGE } from '../../src/warehouse/appsscript';
import { shopRows, TABLES } from '../../src/warehouse/tables';
import { ExecutionKilledError, GasRuntime, ManualClock, runOptions } from '../../dev/runtime/gas';
import { generateShop } from '../../dev/generator/shop';

jest.setTimeout(180_000);

const ROOT = resolve(__dirname, '../..');
const PROJECT = 'shop-profit-test';

/** A script exposing the client as Apps Script globals, bundled the way build.mjs bundles (IIFE, no Node APIs). */
const code = buildSync({
  stdin: {
    contents: `
      import { computeModel, pushRecords, readProfitByDay, runQuery, setupWarehouse } from './src/warehouse/client';
      import { appsScriptWarehousePorts } from './src/warehouse/appsscript';
      const cfg = { projectId: '${PROJECT}', datasetId: 'tiktok_shop' };
      globalThis.whSetup = () => setupWarehouse(appsScriptWarehousePorts(), cfg);
      globalThis.whPush = (json) => pushRecords(appsScriptWarehousePorts(), cfg, JSON.parse(json)).length;
      globalThis.whCompute = () => computeModel(appsScriptWarehousePorts(), cfg);
      globalThis.whProfit = () => JSON.stringify(readProfitByDay(appsScriptWarehousePorts(), cfg));
      globalThis.whCount = (t) => runQuery(appsScriptWarehousePorts(), cfg, 'SELECT count(*) FROM \`${PROJECT}.tiktok_shop.' + t + '\`').rows[0][0];
    `,
    resolveDir: ROOT,
    loader: 'ts',
  },
  bundle: true,
  format: 'iife',
  platform: 'neutral',
  target: 'es2020',
  write: false,
}).outputFiles[0].text;

const manifest = (withBigQuery: boolean) => ({
  timeZone: 'Etc/UTC',
  oauthScopes: ['https://www.googleapis.com/auth/spreadsheets.currentonly', ...(withBigQuery ? ['https://www.googleapis.com/auth/bigquery'] : [])],
  ...(withBigQuery ? { dependencies: { enabledAdvancedServices: [{ userSymbol: 'BigQuery', serviceId: 'bigquery', version: 'v2' }] } } : {}),
});

test('without the advanced service in the manifest the script has no BigQuery, and says what to do', async () => {
  const rt = new GasRuntime({ code, manifest: manifest(false), clock: new ManualClock() });
  try {
    expect(rt.bigQuery).toBeNull();
    expect(() => rt.run('whSetup')).toThrow(NO_BIGQUERY_MESSAGE);
  } finally {
    await rt.close();
  }
});

test('a push killed after a few service calls, run again, leaves each record once; the dataset’s profit equals the engine’s', async () => {
  const shop = generateShop({ seed: 11, days: 40, ordersPerDay: 40 });
  const rows = shopRows(shop.data, shop.settings, shop.asOf);
  const json = JSON.stringify(rows);
  const rt = new GasRuntime({ code, manifest: manifest(true), clock: new ManualClock(), bigQueryProject: PROJECT });
  try {
    rt.run('whSetup');
    expect(() => rt.run('whPush', json, runOptions({ killAfterCalls: 25 }))).toThrow(ExecutionKilledError);
    rt.run('whPush', json);
    for (const t of TABLES) expect({ table: t.name, rows: Number(rt.run('whCount', t.name)) }).toEqual({ table: t.name, rows: rows[t.name].length });
    rt.run('whCompute');
    const engine = periodView(computeMargins(shop.data, shop.settings, shop.asOf), shop.data, shop.settings, 'accrual', 'day').rows;
    expect(JSON.parse(rt.run('whProfit') as string)).toEqual(engine);
  } finally {
    await rt.close();
  }
});
