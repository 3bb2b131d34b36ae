/**
 * "Check this deployment" (src/sheets/deployment-check.ts) from the built bundle in the local
 * runtime against the sandbox: each check passes where the deployment is right, and fails with
 * what to do where it is not (a GET without its Content-Type, no room for a trigger, the
 * spreadsheet in another time zone than the shop).
 */
import { execSync } from 'node:child_process';
import { join } from 'node:path';
import { startAddonSession, type AddonSession } from '../../dev/addon/session';
import type { HttpRequest, HttpResponse } from '../../src/tiktok/ports';
import type { DeploymentCheck } from '../../src/sheets/deployment-check';

const ROOT = join(__dirname, '../..');
let s: AddonSession;

beforeAll(async () => {
  execSync('node build.mjs', { cwd: ROOT, stdio: 'pipe' });
  s = await startAddonSession({ seed: 7, shop: { days: 3, ordersPerDay: 5 } });
  s.install();
}, 120_000);

afterAll(async () => {
  await s?.close();
});

const checks = () => Object.fromEntries((s.rt.run('deploymentChecks') as DeploymentCheck[]).map((c) => [c.check, c]));

test('the menu has the item', () => {
  s.rt.run('onOpen', { authMode: 'LIMITED' });
  const menu = s.rt.ui.menus[s.rt.ui.menus.length - 1];
  expect(menu.items).toContainEqual({ caption: 'Check this deployment', functionName: 'checkThisDeployment' });
});

test('before a shop is connected: what needs a shop is not checked, the rest passes', () => {
  const c = checks();
  expect(c['Content-Type on a GET request to TikTok']).toMatchObject({ status: 'not checked', todo: 'Connect a shop in the sidebar, then run the check again.' });
  expect(c['Time zones (Intl) in Apps Script'].status).toBe('passed');
  expect(c['The TikTok authorization callback']).toMatchObject({ status: 'passed' });
  expect(c['The TikTok authorization callback'].detail).toContain(s.rt.userCallbackUrl());
  expect(c['Scheduled refresh (a time-driven trigger)'].status).toBe('passed');
  expect(s.rt.triggers).toHaveLength(0);
  expect(c["The spreadsheet's time zone and the shop's"].status).toBe('not checked');
});

test('connected: the GET reaches TikTok with its Content-Type; the time zones are compared', async () => {
  await s.connect();
  const c = checks();
  expect(c['Content-Type on a GET request to TikTok'].status).toBe('passed');
  // The runtime's spreadsheet is in Etc/UTC, the US shop's days in Los Angeles.
  expect(c["The spreadsheet's time zone and the shop's"]).toMatchObject({ status: 'warning', detail: 'The spreadsheet is set to Etc/UTC, the shop\'s days are in America/Los_Angeles.' });
  s.rt.spreadsheet.setSpreadsheetTimeZone('America/Los_Angeles');
  expect(checks()["The spreadsheet's time zone and the shop's"].status).toBe('passed');
});

test('a deployment whose UrlFetchApp drops the Content-Type of a GET fails the check, saying so', () => {
  const t = s.transport;
  const fetchAll = t.fetchAll.bind(t);
  t.fetchAll = (rs: HttpRequest[]): HttpResponse[] => fetchAll(rs.map((r) => (r.method === 'get' ? { ...r, contentType: undefined } : r)));
  try {
    const c = checks()['Content-Type on a GET request to TikTok'];
    expect(c.status).toBe('failed');
    expect(c.detail).toMatch(/36009004/);
  } finally {
    t.fetchAll = fetchAll;
  }
});

test('no room for another trigger: the check fails and says what to do; the dialog lists every check', () => {
  // Fill the user's 20 triggers from the script, as other schedules would.
  const ex = s.rt.begin();
  ex.eval('for (var i = 0; i < 20; i++) ScriptApp.newTrigger("scheduledRefresh").timeBased().everyHours(1).create();');
  ex.end();
  const c = checks()['Scheduled refresh (a time-driven trigger)'];
  expect(c.status).toBe('failed');
  expect(c.detail).toContain('too many triggers');
  expect(c.todo).toContain('test deployment');
  s.rt.run('checkThisDeployment');
  const dialog = s.rt.ui.dialogs[s.rt.ui.dialogs.length - 1];
  expect(dialog.title).toBe('TikTok Shop Profit: check this deployment');
  expect(dialog.output.getContent()).toContain('✗ Failed: Scheduled refresh (a time-driven trigger)');
  expect(dialog.output.getContent()).toContain('✓ Passed: Time zones (Intl) in Apps Script');
});
