/**
 * The sidebar in a real browser (Debian's Chromium, driven by playwright-core) against the BUILT
 * add-on: dist/Sidebar.html is loaded from a file URL with a google.script.run shim that forwards
 * every call to dist/Code.js in the local Apps Script runtime, talking to the TikTok Shop sandbox
 * (dev/addon/session.ts). Nothing is mocked between the page and the sandbox but Google's
 * transport: the shim JSON-round-trips arguments and results as google.script.run does.
 *
 *   1. connect: app key and secret typed in, Connect opens TikTok's authorize link in a new tab
 *      (window.open is captured), the seller approves (the sandbox's /sandbox/authorize redirects
 *      to Google's /usercallback), the page finds the shop by polling getStatus
 *   2. refresh to completion over several steps; the progress bar only moves forward, to 100%
 *   3. the Status summary: freshness, estimated orders, SKUs without COGS (a click opens the COGS row)
 *   4. TikTok failing (HTTP 500 on every call): the refresh stops with a plain-words message
 *   5. Cancel stops a refresh (read everything again) after the current step; Refresh resumes it
 *   6. Settings form: Packaging cost per order changed and saved → the Settings tab cell, and a
 *      rebuild moves the reports' fulfilment cost by a multiple of the change; a bad value is refused
 *   7. Schedule: daily at 7 → one trigger; hourly → still one; off → none
 *   7b. Ads account: app id and secret typed in, TikTok for Business approval in the new tab, the
 *      granted ad accounts ticked and used for the workbook, then disconnected
 *
 * Screenshots of each step go to out/sidebar/ (NN-name.png) for a person to look at.
 * The tests run in order and share one session, browser and page (each builds on the last).
 * Each service call costs 600 virtual ms (msPerCall) so the refresh of this small shop takes
 * several executions, as a larger shop would on Google, without taking real time.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { openInBrowser, runOptions, startAddonSession, type AddonSession } from '../../dev/addon/session';
import { readReportBlock } from '../../dev/addon/workbook-read';
import type { RefreshProgress } from '../../src/sheets/server-types';
import { GAS_RUN_SHIM, launchChromium, sidebarChromium } from './shim';

jest.setTimeout(120_000);

const ROOT = resolve(__dirname, '../..');
const OUT = join(ROOT, 'out/sidebar');
const SIDEBAR_URL = pathToFileURL(join(ROOT, 'dist/Sidebar.html')).href;
const WIDTH = 300;

let s: AddonSession;
let browser: Browser;
let page: Page;

/** Every server call the page made, in order. */
const calls: { name: string; ok: boolean; ms: number; error?: string }[] = [];
/** URLs the page opened in a new window. */
const opened: string[] = [];
/** Results of `refresh` as the server returned them. */
const refreshResults: RefreshProgress[] = [];
/** Requests the page made for anything but its own file (there must be none: no CDN, no fonts). */
const externalRequests: string[] = [];
/** Runs before each `refresh` call is answered (the page waits; screenshots can be taken). */
let beforeRefresh: ((n: number) => Promise<void>) | null = null;

/**
 * google.script.run as the page sees it: withSuccessHandler/withFailureHandler chains, then any
 * server function name; the call goes to Node (window.__gasRun) and comes back as JSON.
 * window.open returns a stand-in whose location reports the URL to Node (window.__gasOpened).
 */
const SHIM = GAS_RUN_SHIM + `(() => {
  window.open = (url) => {
    const report = (u) => window.__gasOpened(String(u));
    if (url) report(url);
    return { closed: false, close() { this.closed = true; }, focus() {},
      location: { set href(u) { report(u); }, replace(u) { report(u); }, assign(u) { report(u); } } };
  };
})();`;

function messageOf(e: unknown): string {
  const m = (e as { message?: unknown } | null)?.message;
  return typeof m === 'string' ? m : String(e);
}

async function gasRun(name: string, argsJson: string): Promise<string> {
  if (name === 'refresh' && beforeRefresh) await beforeRefresh(refreshResults.length + 1);
  const t0 = Date.now();
  try {
    // google.script.run as Apps Script carries it: JSON both ways, within the payload cap.
    const value = JSON.parse(s.rt.scriptRun(name, argsJson)) as unknown;
    calls.push({ name, ok: true, ms: Date.now() - t0 });
    if (name === 'refresh') refreshResults.push(value as RefreshProgress);
    return JSON.stringify({ ok: true, value: value === undefined ? null : value });
  } catch (e) {
    calls.push({ name, ok: false, ms: Date.now() - t0, error: messageOf(e) });
    return JSON.stringify({ ok: false, message: messageOf(e) });
  }
}

/** The whole page, or (fullPage false) what the 300×800 sidebar shows where it is scrolled to. */
async function shot(name: string, fullPage = true): Promise<void> {
  await page.mouse.move(0, 0); // no hover colour on the button last clicked
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage, animations: 'disabled' });
}

/** Scrolls so that `selector` is in the middle of the sidebar. */
async function center(selector: string): Promise<void> {
  await page.locator(selector).evaluate((node) => (node as unknown as { scrollIntoView(o: object): void }).scrollIntoView({ block: 'center' }));
}

/** Calls `fn` until `ok` holds (every 100 ms, at most `timeout` ms); returns the last value. */
async function poll<T>(fn: () => Promise<T> | T, ok: (v: T) => boolean, timeout = 10_000): Promise<T> {
  const until = Date.now() + timeout;
  let v = await fn();
  while (!ok(v)) {
    if (Date.now() > until) throw new Error(`timed out after ${timeout} ms; last value: ${JSON.stringify(v)} (waited for ${ok.toString()})`);
    await new Promise((r) => setTimeout(r, 100));
    v = await fn();
  }
  return v;
}

const contains = (part: string) => (v: string) => v.includes(part);

const text = (selector: string) => page.locator(selector).innerText();

/** The seller approves on TikTok: what connectInBrowser (dev/addon/session.ts) does after the link opened. Returns the callback page's HTML. */
async function approve(link: string): Promise<string> {
  const url = new URL(link);
  const authorize = new URL(`${s.sb.url}/sandbox/authorize`);
  authorize.searchParams.set('app_key', url.searchParams.get('app_key') ?? '');
  authorize.searchParams.set('state', url.searchParams.get('state') ?? '');
  authorize.searchParams.set('redirect_uri', s.rt.userCallbackUrl());
  const res = await openInBrowser(authorize);
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`sandbox authorize: expected a redirect, got HTTP ${res.status}`);
  expect(location.startsWith(s.rt.userCallbackUrl())).toBe(true);
  const out = s.rt.userCallback(Object.fromEntries(new URL(location).searchParams)) as { getContent(): string };
  return out.getContent();
}

function settingsCell(label: string): unknown {
  const rows = s.rt.spreadsheet.getSheetByName('Settings')!.getDataRange().getValues();
  const at = rows.findIndex((r) => r[0] === label);
  if (at < 0) throw new Error(`No "${label}" row on the Settings tab`);
  return rows[at][1];
}

function profitRow(period: string): Record<string, unknown> {
  const values = s.rt.spreadsheet.getSheetByName('Profit')!.getDataRange().getValues();
  const row = readReportBlock(values, 'Profit (accrual view)').rows.find((r) => r.Period === period);
  if (!row) throw new Error(`No "${period}" row on the Profit tab`);
  return row;
}

/** Rebuilds the report tabs from the data and user tabs (no API call); generous budget: every service call costs 600 virtual ms. */
function rebuild(): void {
  s.rt.run('rebuildReportsNow', runOptions({ budgetMs: 3_600_000 }));
}

beforeAll(async () => {
  const chromiumPath = sidebarChromium();
  mkdirSync(OUT, { recursive: true });
  for (const f of readdirSync(OUT)) if (/^(0\d|1\d)-.*\.png$/.test(f)) rmSync(join(OUT, f));
  execSync('node build.mjs', { cwd: ROOT, stdio: 'pipe' });
  [s, browser] = await Promise.all([
    startAddonSession({ seed: 5, shop: { days: 20, ordersPerDay: 30 }, msPerCall: 600 }),
    launchChromium(chromiumPath),
  ]);
  s.install();
  page = await browser.newPage({ viewport: { width: WIDTH, height: 800 }, deviceScaleFactor: 1, locale: 'en-US', timezoneId: 'UTC' });
  page.on('request', (r) => { if (r.url() !== SIDEBAR_URL) externalRequests.push(r.url()); });
  page.on('pageerror', (e) => calls.push({ name: 'page error', ok: false, ms: 0, error: e.message }));
  await page.exposeFunction('__gasRun', gasRun);
  await page.exposeFunction('__gasOpened', (url: string) => { opened.push(url); });
  await page.addInitScript(SHIM);
  await page.goto(SIDEBAR_URL);
});

afterAll(async () => {
  const failed = calls.filter((c) => !c.ok);
  if (failed.length > 0) console.log(`server calls that failed:\n${failed.map((c) => `  ${c.name}: ${c.error}`).join('\n')}`);
  await browser?.close();
  await s?.close();
});

test('1. connect: app key and secret, approval in the new tab, the shop shows', async () => {
  await poll(() => text('#status-line'), contains('Not connected'));
  expect(await page.locator('#app-form').isVisible()).toBe(true);
  expect(await page.getAttribute('#app-secret', 'type')).toBe('password');
  // Accessible names: every control has a label.
  await poll(() => page.getByLabel('App key', { exact: true }).count(), (v) => v === 1);
  await page.getByLabel('App key', { exact: true }).fill(s.sb.appKey);
  await page.getByLabel('App secret', { exact: true }).fill(s.sb.appSecret);
  await shot('01-connect');

  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await poll(() => opened.length, (v) => v === 1, 20_000);
  await poll(() => page.locator('#waiting').isVisible(), (v) => v === true);
  expect(calls.map((c) => c.name)).toEqual(expect.arrayContaining(['saveTikTokApp', 'getConnectLink']));
  // The secret is not kept in the page once saved.
  expect(await page.inputValue('#app-secret')).toBe('');
  await shot('02-waiting-for-approval');

  // The seller approves in the tab; the callback page says to close it.
  const callbackHtml = await approve(opened[0]);
  expect(callbackHtml).toContain('Close this tab');
  const tab = await browser.newPage({ viewport: { width: 600, height: 200 } });
  await tab.setContent(callbackHtml);
  await tab.screenshot({ path: join(OUT, '03-approved-tab.png') });
  await tab.close();

  // The page polls getStatus; "Check again" asks at once.
  await page.getByRole('button', { name: 'Check again' }).click();
  await poll(() => text('#connected-as'), contains('Sandbox Shop 5'), 20_000);
  expect(await text('#status-line')).toContain('Connected to Sandbox Shop 5');
  expect(await page.locator('#waiting').isVisible()).toBe(false);
  expect(await page.locator('#app-form').isVisible()).toBe(false);
  expect(await page.getByRole('button', { name: 'Disconnect' }).isVisible()).toBe(true);
  expect(await page.getByRole('button', { name: 'Refresh', exact: true }).isEnabled()).toBe(true);
  expect(await text('#ads-line')).toMatch(/^No ads account: only the ads TikTok deducts from your settlements count/);
  // Never echoed back.
  expect(await page.content()).not.toContain(s.sb.appSecret);
  await shot('04-connected');
});

test('2. refresh to completion: several steps, the bar only moves forward, to 100%', async () => {
  // Every change of the bar's width, in order (a string: this file has no DOM types).
  await page.evaluate(`(() => {
    const bar = document.getElementById('progress-bar');
    window.__widths = [bar.style.width];
    new MutationObserver(() => window.__widths.push(bar.style.width)).observe(bar, { attributes: true, attributeFilter: ['style'] });
  })()`);
  let midRun = '';
  beforeRefresh = async (n) => {
    // Before the third step is answered the page shows the first two.
    if (n === 3) {
      await poll(() => text('#progress-counts'), contains('2 steps'));
      midRun = await text('#progress-phase');
      await shot('05-refreshing');
    }
  };
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Refresh', exact: true }).click();
  await poll(() => text('#refresh-message'), contains('Refresh complete'), 90_000);
  beforeRefresh = null;
  const seconds = (Date.now() - t0) / 1000;

  expect(refreshResults.length).toBeGreaterThanOrEqual(3);
  expect(refreshResults[refreshResults.length - 1]).toMatchObject({ done: true, phase: 'done' });
  expect(midRun).toMatch(/Reading from TikTok Shop: \d+% of the data/);

  const widths = (await page.evaluate('window.__widths')) as string[];
  const values = widths.map((w) => parseFloat(w));
  // From 0 (the start of the run) strictly up to 100: every change moves it forward.
  expect(values[0]).toBe(0);
  for (let i = 1; i < values.length; i++) expect({ i, up: values[i] > values[i - 1] }).toEqual({ i, up: true });
  expect(values[values.length - 1]).toBe(100);
  expect(values.length).toBeGreaterThanOrEqual(4);
  expect(await page.getAttribute('#progress-bar', 'aria-valuenow')).toBe('100');

  // Rows written and API calls are the sums over the steps.
  const written = refreshResults.reduce((a, r) => a + r.written, 0);
  const apiCalls = refreshResults.reduce((a, r) => a + r.calls, 0);
  expect(written).toBeGreaterThan(100);
  const counts = await text('#progress-counts');
  expect(counts).toContain(`${written.toLocaleString('en-US')} rows written`);
  expect(counts).toContain(`${apiCalls.toLocaleString('en-US')} API calls`);
  expect(counts).toContain(`${refreshResults.length} steps`);
  expect(await text('#last-refresh')).not.toBe('Never');
  expect(await page.locator('#cancel').isVisible()).toBe(false);
  console.log(`refresh: ${refreshResults.length} steps, ${apiCalls} API calls, ${written} rows, ${seconds.toFixed(1)} s; bar ${values.join(' → ')}`);
  await shot('06-refreshed');
});

test('3. status summary: freshness, estimated orders, SKUs without COGS (a click opens its COGS row)', async () => {
  const status = s.rt.run('getStatus') as { summary: { orders: number; estimatedOrders: number; skusWithoutCogs: string[]; freshness: unknown[] } | null };
  expect(status.summary).not.toBeNull();
  const sum = status.summary!;
  await poll(() => page.locator('#summary').isVisible(), (v) => v === true);
  expect(await text('#estimated-orders')).toContain(`${sum.estimatedOrders.toLocaleString('en-US')} of ${sum.orders.toLocaleString('en-US')} orders`);
  expect(await page.locator('#freshness li').count()).toBe(sum.freshness.length);
  expect(sum.freshness.length).toBeGreaterThan(0);
  // No COGS was entered: SKUs are listed.
  expect(sum.skusWithoutCogs.length).toBeGreaterThan(0);
  const sku = sum.skusWithoutCogs[0];
  const button = page.getByRole('button', { name: `Add a cost for SKU ${sku}` });
  expect(await button.isVisible()).toBe(true);
  await button.click();
  await poll(() => text('#refresh-message'), contains(`COGS tab is open at SKU ${sku}`));
  const cogs = s.rt.spreadsheet.getSheetByName('COGS')!.getDataRange().getValues();
  expect(cogs.some((r) => String(r[0]).replace(/^'/, '') === sku)).toBe(true);
});

test('4. TikTok failing: the refresh stops with a message in plain words and what to do', async () => {
  await s.sb.setFaults({ errorShare: 1, errorStatus: 500 });
  const before = refreshResults.length;
  try {
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await poll(() => text('#refresh-message'), contains('What to do'), 60_000);
  } finally {
    await s.sb.clearFaults();
  }
  expect(refreshResults.length).toBe(before); // the step failed: no result
  const failure = calls.filter((c) => c.name === 'refresh' && !c.ok).pop();
  expect(failure?.error).toMatch(/HTTP 500/);
  const message = await text('#refresh-message');
  expect(message).toContain('The refresh stopped');
  expect(message).toContain('TikTok Shop’s servers had a problem');
  expect(message).toMatch(/What to do: Wait a few minutes, then click Refresh: it continues where it stopped\./);
  expect(await page.getAttribute('#refresh-message', 'class')).toContain('error');
  // The raw error is there, folded under Details.
  expect(await page.locator('#refresh-message details').count()).toBe(1);
  expect(await page.locator('#refresh-message details').isVisible()).toBe(true);
  expect(await page.getByRole('button', { name: 'Refresh', exact: true }).isEnabled()).toBe(true);
  await shot('07-api-error');
});

test('5. Cancel stops after the current step; the next Refresh continues from there', async () => {
  const before = refreshResults.length;
  beforeRefresh = async (n) => {
    if (n === before + 1) await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  };
  try {
    // "Read everything again": a whole backfill, several steps, so there is something to cancel.
    await page.getByRole('button', { name: 'Read everything again' }).click();
    await poll(() => text('#refresh-message'), contains('Refresh stopped'), 30_000);
  } finally {
    beforeRefresh = null;
  }
  expect(refreshResults.length).toBe(before + 1);
  const stopped = refreshResults[before];
  expect(stopped.done).toBe(false);
  expect(calls.filter((c) => c.name === 'refreshFromScratch' && c.ok)).toHaveLength(1);
  expect(await text('#refresh-message')).toContain('the next Refresh continues where this one stopped');
  // The status says a run is half done.
  await poll(() => text('#status-line'), contains('A refresh stopped at'));
  await shot('08-cancelled');

  await page.getByRole('button', { name: 'Refresh', exact: true }).click();
  await poll(() => text('#refresh-message'), contains('Refresh complete'), 90_000);
  const resumed = refreshResults.slice(before + 1);
  // Resumed, not restarted: the first step after the cancel is further on than the cancelled one.
  expect(resumed[0].progress).toBeGreaterThan(stopped.progress);
});

test('6. settings: Packaging cost per order saved to the Settings tab; a rebuild reflects it; a bad value is refused', async () => {
  const LABEL = 'Packaging cost per order';
  const DELTA = 0.37;
  rebuild();
  const before = profitRow('Last 30 days');
  const old = Number(settingsCell(LABEL));

  await page.locator('#settings-details summary').click();
  await center('#settings-details');
  const input = page.getByLabel(LABEL, { exact: true });
  await poll(() => input.count(), (v) => v === 1, 20_000);
  expect(Number(await input.inputValue())).toBe(old);
  expect(await page.locator('#settings-fields .help').count()).toBeGreaterThan(10);
  await shot('09-settings-form', false);
  const next = Math.round((old + DELTA) * 100) / 100;
  await input.fill(String(next));
  await page.getByRole('button', { name: 'Save settings' }).click();
  await poll(() => text('#settings-message'), contains('Settings saved'), 20_000);
  expect(settingsCell(LABEL)).toBe(next);
  await center('#settings-message');
  await shot('10-settings-saved', false);

  // Applied: the reports' fulfilment cost moves by the change times the number of orders.
  rebuild();
  const after = profitRow('Last 30 days');
  expect([after.From, after.To]).toEqual([before.From, before.To]);
  const cents = (v: unknown) => Math.round(Number(v) * 100);
  const moved = cents(after['Shipping and fulfilment']) - cents(before['Shipping and fulfilment']);
  const step = Math.round(DELTA * 100);
  expect(moved).toBeGreaterThan(0);
  expect(moved % step).toBe(0);
  expect(cents(after['Net revenue'])).toBe(cents(before['Net revenue']));

  // A value that is not a number: refused, the setting named, nothing saved.
  await input.fill('lots');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await poll(() => text('#settings-message'), contains('Settings not saved'), 20_000);
  expect(await text('#settings-message')).toContain(LABEL);
  expect(await input.getAttribute('aria-invalid')).toBe('true');
  // ...and the reason under the field itself (the form is long), linked for screen readers.
  const describedBy = (await input.getAttribute('aria-describedby')) ?? '';
  const errorId = describedBy.split(' ').find((id) => id.endsWith('-error'));
  expect(errorId).toBeDefined();
  expect(await text(`#${errorId}`)).toContain('got "lots"');
  expect(settingsCell(LABEL)).toBe(next);
  await center(`#${errorId}`);
  await shot('11-settings-refused', false);
  await input.fill(String(next));
  await page.locator('#settings-details summary').click(); // fold the form again
});

test('7. schedule: daily at 7 → one trigger; hourly → still one; off → none', async () => {
  const save = async (expected: string) => {
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await poll(() => text('#schedule-message'), contains(expected), 20_000);
  };
  await page.locator('#schedule-section').scrollIntoViewIfNeeded();
  expect(await page.locator('#settings-details').getAttribute('open')).toBeNull();
  await page.getByLabel('Every day at', { exact: true }).check();
  await page.getByLabel('Hour of the day for the daily refresh').selectOption('7');
  await save('Refreshes every day at 07:00');
  expect(s.rt.triggers).toHaveLength(1);
  expect(s.rt.triggers[0].handlerFunction).toBe('scheduledRefresh');
  expect((s.rt.run('getStatus') as { schedule: unknown }).schedule).toEqual({ mode: 'daily', hour: 7 });
  await shot('12-schedule-daily');

  await page.getByLabel('Every hour', { exact: true }).check();
  await save('Refreshes every hour');
  expect(s.rt.triggers).toHaveLength(1);
  expect((s.rt.run('getStatus') as { schedule: unknown }).schedule).toEqual({ mode: 'hourly', hour: null });

  await page.getByLabel('Off', { exact: true }).check();
  await save('No automatic refresh');
  expect(s.rt.triggers).toHaveLength(0);
});

test('7b. ads account: connect (approval in the new tab), choose the ad accounts, see who is connected, disconnect', async () => {
  await page.locator('#ads-block').scrollIntoViewIfNeeded();
  await shot('13-ads-not-connected');
  const before = opened.length;
  await page.getByLabel('App ID').fill(s.sb.adsAppId);
  await page.getByLabel('Secret', { exact: true }).fill(s.sb.adsSecret);
  await page.getByRole('button', { name: 'Connect ads account' }).click();
  await poll(() => opened.length, (n) => n > before, 20_000);
  const link = new URL(opened[opened.length - 1]);
  expect(`${link.origin}${link.pathname}`).toBe('https://business-api.tiktok.com/portal/auth');
  expect(link.searchParams.get('app_id')).toBe(s.sb.adsAppId);
  expect(link.searchParams.get('redirect_uri')).toBe(s.rt.userCallbackUrl());
  expect(await page.inputValue('#ads-secret')).toBe('');
  await poll(() => page.locator('#ads-waiting').isVisible(), (v) => v);
  await shot('14-ads-waiting');

  // The seller approves on TikTok for Business; the sandbox redirects to Google's /usercallback.
  // The approval is fetched here, not through the runtime, so the sandbox's clock first joins the
  // runtime's: rebuilds (tests 2–6, 600 virtual ms a call) move the runtime's clock without an API
  // request, and a code issued at a lagging clock would be 30 minutes old when the runtime uses it.
  await s.advance(0);
  const authorize = new URL(`${s.sb.url}/sandbox/ads/authorize`);
  for (const k of ['app_id', 'state', 'redirect_uri']) authorize.searchParams.set(k, link.searchParams.get(k) ?? '');
  const res = await fetch(authorize, { redirect: 'manual' });
  const location = res.headers.get('location')!;
  expect(res.status).toBe(302);
  const page2 = (s.rt.userCallback(Object.fromEntries(new URL(location).searchParams)) as { getContent(): string }).getContent();
  expect(page2).toContain('Connected to TikTok Ads: Sandbox ad account 01 (USD), Sandbox ad account 02 (USD)');

  await page.locator('#ads-check-again').click();
  await poll(() => page.locator('#ads-picker').isVisible(), (v) => v, 20_000);
  const boxes = page.locator('input[name="ad-account"]');
  expect(await boxes.count()).toBe(2);
  await page.getByRole('button', { name: 'Use these ad accounts' }).click();
  await poll(() => text('#ads-line'), contains('Ad spend from: Sandbox ad account 01 (7100000001, USD, America/New_York)'), 20_000);
  expect(await text('#ads-message')).toContain('The next refresh reads these ad accounts’ spend.');
  expect((s.rt.run('getStatus') as { ads: { chosen: unknown[] } }).ads.chosen).toHaveLength(2);
  expect(await page.content()).not.toContain(s.sb.adsSecret);
  await shot('15-ads-connected');

  await page.getByRole('button', { name: 'Disconnect ads account' }).click();
  await poll(() => text('#ads-line'), contains('No ads account'), 20_000);
  expect((s.rt.run('getStatus') as { ads: { connected: boolean } }).ads.connected).toBe(false);
  expect(await page.locator('#ads-picker').isVisible()).toBe(false);
  await shot('16-ads-disconnected');
});

test('8. the page fetched nothing from the network and threw no script error', () => {
  expect(externalRequests).toEqual([]);
  expect(calls.filter((c) => c.name === 'page error')).toEqual([]);
});
