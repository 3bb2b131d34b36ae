/**
 * Before the first backfill the refresh estimates whether it fits in the workbook (capacity.ts):
 * the shop's orders of the last week (TikTok's total_count) × Backfill days × cells per order.
 * Built bundle, local runtime, sandbox.
 */
import { execSync } from 'node:child_process';
import { join } from 'node:path';
import { startAddonSession, type AddonSession } from '../../dev/addon/session';
import { setSetting } from '../../dev/addon/seller-inputs';
import type { RefreshProgress } from '../../src/sheets/server-types';
import { addDays, startOfDay } from '../../src/core/time';

/** The generator's first day and zone (dev/generator/shop.ts); the clock at noon of the shop's 9th day. */
const START = startOfDay(addDays('2025-02-17', 8), 'America/Los_Angeles') + 12 * 3600;

const ROOT = join(__dirname, '../..');
let s: AddonSession;

beforeAll(async () => {
  execSync('node build.mjs', { cwd: ROOT, stdio: 'pipe' });
  // ~1,000 orders a day: 100 days would be 11,000,000 cells.
  s = await startAddonSession({ seed: 11, shop: { days: 9, ordersPerDay: 1000 }, sandbox: { startTime: START } });
  s.install();
  await s.connect();
}, 180_000);

afterAll(async () => {
  await s?.close();
});

test('a backfill that cannot fit is refused before anything is pulled, saying how many days can', () => {
  setSetting(s.rt.spreadsheet, 'Backfill days', 100);
  const requests = s.rt.requests.length;
  let message = '';
  try {
    s.rt.run('refresh');
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).toMatch(/^The backfill does not fit in one workbook: [\d,]+ orders a day × 100 days × about 110 cells an order/);
  const days = Number(/to (\d+) or fewer/.exec(message)?.[1]);
  expect(days).toBeGreaterThan(50);
  expect(days).toBeLessThan(90);
  // One call (the count), no order pulled, nothing on the Orders tab.
  expect(s.rt.requests.length - requests).toBe(1);
  expect(s.rt.spreadsheet.getSheetByName('Orders')!.getLastRow()).toBe(1);
});

test('within the days it advises, the backfill goes ahead and says it fits', () => {
  setSetting(s.rt.spreadsheet, 'Backfill days', 30);
  const r = s.rt.run('refresh') as RefreshProgress;
  expect(r.phase).not.toBe('busy');
  if (!r.done) expect(r.message).toContain('The backfill fits');
  expect(s.rt.spreadsheet.getSheetByName('Orders')!.getLastRow()).toBeGreaterThan(1);
});
