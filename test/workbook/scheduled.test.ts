/**
 * Scheduled refresh under the runtime's cost model (Google's: per call and per cell): the seller
 * turns on the hourly schedule before any refresh; time-driven triggers fire on the simulated
 * clock. The first backfill completes across the scheduled runs, inside the daily trigger-runtime
 * quota; later runs that find nothing new rewrite no report; the sidebar's status keeps the last
 * run's outcome. Built bundle, local runtime, sandbox.
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
  const runs = s.rt.runTriggersUntil(from + 12 * 3600_000);
  const firstDone = runs.findIndex((r) => r.outcome === 'ok' && status().refreshProgress === null && status().reportsTime !== null);
  expect(runs.every((r) => r.outcome === 'ok')).toBe(true);
  // More than one run was needed: 4,800 orders do not fit one 6-minute execution at Google's costs.
  expect(runs.filter((r) => r.ms > 300_000).length).toBeGreaterThan(0);
  expect(firstDone).toBeGreaterThanOrEqual(0);
  const used = runs.reduce((a, r) => a + r.ms, 0);
  expect(used).toBeLessThanOrEqual(TRIGGER_QUOTA_MS.consumer);
  expect(ordersOnTab()).toBe((await s.sb.state()).orders);
  expect(status().schedule.lastRun).toMatchObject({ outcome: 'done' });
}, 600_000);

test('a run that finds nothing new rewrites no report, and says so in the status', () => {
  const reportsTime = status().reportsTime;
  const written = s.rt.spreadsheet.stats.cellsWritten;
  // The sandbox's shop has no orders after its last day: nothing changes an hour later.
  const runs = s.rt.runTriggersUntil(s.clock.nowMs() + 3600_000);
  expect(runs).toHaveLength(1);
  expect(status().reportsTime).toBe(reportsTime);
  expect(s.rt.spreadsheet.stats.cellsWritten - written).toBe(0);
  expect(status().schedule.lastRun!.message).toBe('Refresh complete: nothing new since the last refresh; the reports are as they were.');
}, 300_000);
