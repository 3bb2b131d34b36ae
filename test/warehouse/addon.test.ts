/**
 * Warehouse mode through the built bundle (dist/Code.js) in the local runtime: the standard
 * edition (today's manifest) has no BigQuery and says so without saving anything; the warehouse
 * edition (the same bundle, a manifest that enables the advanced service) turns the mode on,
 * writes a refreshed workbook's records to the BigQuery stand-in, twice without duplicating any,
 * and its profit equals the engine's over the same workbook.
 */
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeMargins } from '../../src/core/margin';
import { emptyShopData, type ShopData } from '../../src/core/records';
import { periodView } from '../../src/core/views';
import { AppsScriptGateway } from '../../src/sheets/gateway-appsscript';
import { readSettings } from '../../src/sheets/user-tabs';
import type { WarehouseRefreshResult, WarehouseStatus } from '../../src/sheets/warehouse';
import { NO_BIGQUERY_MESSAGE } from '../../src/warehouse/appsscript';
import { GasRuntime, ManualClock } from '../../dev/runtime/gas';
import { startAddonSession, type AddonSession } from '../../dev/addon/session';
import { latestEstimates, readDataTabs } from '../workbook/helpers';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '../..');
const DIST = join(ROOT, 'dist');
const PROJECT = 'shop-profit-test';
const on = { enabled: true, projectId: PROJECT, datasetId: 'tiktok_shop' };

beforeAll(() => {
  execSync('node build.mjs', { cwd: ROOT, stdio: 'pipe' });
});

test('the standard edition has no BigQuery: turning the mode on is refused and nothing is saved', async () => {
  const rt = new GasRuntime({ distDir: DIST, clock: new ManualClock() });
  try {
    expect(rt.bigQuery).toBeNull();
    expect((rt.run('getWarehouseStatus') as WarehouseStatus).available).toBe(false);
    expect(() => rt.run('saveWarehouse', on)).toThrow(NO_BIGQUERY_MESSAGE);
    expect(rt.run('getWarehouseStatus')).toEqual({ enabled: false, projectId: '', datasetId: '', location: 'US', available: false });
    expect(() => rt.run('refreshWarehouse')).toThrow('Warehouse mode is off');
  } finally {
    await rt.close();
  }
});

describe('the warehouse edition', () => {
  let s: AddonSession;
  const manifest = JSON.parse(readFileSync(join(DIST, 'appsscript.json'), 'utf8')) as { oauthScopes: string[] };

  beforeAll(async () => {
    s = await startAddonSession({
      seed: 12, shop: { days: 20, ordersPerDay: 30 },
      runtime: {
        bigQueryProject: PROJECT,
        manifest: {
          ...manifest,
          oauthScopes: [...manifest.oauthScopes, 'https://www.googleapis.com/auth/bigquery'],
          dependencies: { enabledAdvancedServices: [{ userSymbol: 'BigQuery', serviceId: 'bigquery', version: 'v2' }] },
        },
      },
    });
    s.install();
    await s.connect();
    s.refreshToDone();
  });

  afterAll(async () => {
    await s?.close();
  });

  test('a bad project id is refused, naming the field', () => {
    expect(() => s.rt.run('saveWarehouse', { ...on, projectId: 'My Project' })).toThrow(/Google Cloud project/);
    expect((s.rt.run('getWarehouseStatus') as WarehouseStatus).enabled).toBe(false);
  });

  test('turned on, a warehouse refresh writes every record once and computes the engine’s profit', () => {
    expect(s.rt.run('saveWarehouse', on)).toEqual({ ...on, location: 'US', available: true });
    // (The clock keeps running: the client waits between polls with Utilities.sleep.)
    const first = s.rt.run('refreshWarehouse') as WarehouseRefreshResult;
    const second = s.rt.run('refreshWarehouse') as WarehouseRefreshResult;
    expect(second.tables).toEqual(first.tables);

    // Every table holds what the workbook holds, once.
    const bq = s.rt.bigQuery!;
    const count = (t: string) => Number(bq.db.rows(`SELECT count(*) FROM tiktok_shop.${t}`).rows[0][0]);
    for (const t of first.tables) expect({ table: t.table, rows: count(t.table) }).toEqual({ table: t.table, rows: t.rows });
    const read = readDataTabs(s.rt.spreadsheet);
    expect(read.invalid).toEqual([]);
    expect(first.tables.find((t) => t.table === 'orders')!.rows).toBe(read.rows.Orders);
    expect(read.rows.Orders).toBeGreaterThan(100);

    // The engine over the same workbook, at the same as-of.
    const gw = new AppsScriptGateway(s.rt.spreadsheet as never);
    const settings = readSettings(gw, { currency: 'USD', timezone: 'America/Los_Angeles' }).settings;
    const data: ShopData = { ...emptyShopData(), ...(read.data as Partial<ShopData>) };
    data.unsettled = latestEstimates(data.unsettled);
    const engine = periodView(computeMargins(data, settings, second.asOf), data, settings, 'accrual', 'day').rows;
    expect(second.profitDays).toBe(engine.length);
    expect(second.cm3).toBe(engine.reduce((a, r) => a + r.cm3, 0));
    expect(second.cm3).not.toBe(0);
  });
});
