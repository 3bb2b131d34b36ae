/**
 * Scheduled refresh under the runtime's cost model (Google's: per call and per cell): the seller
 * turns on the hourly schedule before any refresh; time-driven triggers fire on the simulated
 * clock. The first backfill completes across the scheduled runs, inside the daily trigger-runtime
 * quota, and the sidebar's status keeps the last run's outcome. (A run that finds nothing new
 * rewriting no report: test/sheets/sync.test.ts, and `npm run bench:workbook -- --small`, whose
 * hourly month has such runs; the sandbox's shop moves with its clock, so it is not shown here.)
 * Built bundle, local runtime, sandbox.
 */
import { execSync } from 'node:child_process';
import { join } from 'node:path';
import { startAddonSession, type AddonSession } from '../../dev/addon/session';
import { setSetting } from '../../dev/addon/seller-inputs';
import { GOOGLE_COSTS, TRIGGER_QUOTA_MS } from '../../dev/runtime/gas';
import { addDays, startOfDay } from '../../src/core/time';
import type { ConnectionStatus } from '../../src/sheets/server-types';

const ROOT = join(__dirname, '../..');
const DAYS = 12;
const START = startOfDay(addDays('2025-02-17', DAYS - 1), 'America/Los_Angeles') + 12 * 3600;
let s: AddonSession;

beforeAll(async () => {
  execSync('node build.mjs', { cwd: ROOT, stdio: 'pipe' });
  s = await startAddonSession({ seed: 21, shop: { days: DAYS, ordersPerDay: 400 }, costs: GOOGLE_COSTS, sandbox: { startTime: START } });
  s.install();
  await s.connect();
  setSetting(s.rt.spreadsheet, 'Backfill days', DAYS + 1);
}, 180_000);

afterAll(async () => {
  await s?.close();
});

const status = () => s.rt.run('getStatus') as ConnectionStatus;
const ordersOnTab = () => s.rt.spreadsheet.getSheetByName('Orders')!.getLastRow() - 1;

test('the first backfill completes across hourly runs, within the daily quota', async () => {
  s.rt.run('setSchedule', 'hourly');
  const from = s.clock.nowMs();
  const runs = s.rt.runTriggersUntil(from + 4 * 3600_000);
  // No run fails or is refused; the backfill (4,800 orders at Google's costs) needs more than one.
  expect(runs.map((r) => r.outcome)).toEqual(['ok', 'ok', 'ok', 'ok']);
  expect(runs[0].ms).toBeGreaterThan(200_000);
  expect(runs.reduce((a, r) => a + r.ms, 0)).toBeLessThanOrEqual(TRIGGER_QUOTA_MS.consumer);
  expect(status().reportsTime).not.toBeNull();
  // Every order of the last completed run's window (a run reads what was created before it started).
  const watermark = (JSON.parse(s.rt.properties.document.map.get('tts.sync.checkpoint')!) as { watermark: number }).watermark;
  const created = (await s.generated(watermark - 1)).data.orders.filter((o) => o.createTime < watermark).length;
  expect(created).toBeGreaterThan(4000);
  expect(ordersOnTab()).toBe(created);
  expect(status().schedule.lastRun).toMatchObject({ outcome: expect.stringMatching(/^(done|continuing)$/) });
}, 600_000);
