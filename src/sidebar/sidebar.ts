/**
 * The sidebar page's script. It runs in the user's browser inside HtmlService's iframe and talks
 * to the server only through google.script.run, which calls a global function of dist/Code.js
 * and JSON-round-trips the result (a Date or class instance does not survive the trip).
 *
 * Sections: Status (last refresh, Refresh with its progress, what the reports still lack),
 * Connect (the seller's TikTok app, the authorization in a new tab, the shop), Schedule, Settings,
 * Import (a Seller Center export file: previewed, then confirmed).
 * Text that comes from the server is only ever set with textContent.
 */
import type { AdsStatus, ConnectionStatus, ImportOutcome, ImportPreview, RefreshProgress, ScheduleMode, ScheduleStatus, SettingField } from '../sheets/server-types';

/** The server functions this page calls (globals of dist/Code.js) and what they return. */
interface Server {
  getStatus(): ConnectionStatus;
  saveTikTokApp(app: { appKey: string; appSecret: string; serviceId?: string; market?: 'ROW' | 'US' }): void;
  getConnectLink(): string;
  selectShop(shopId: string): void;
  disconnect(): void;
  saveTikTokAdsApp(app: { appId: string; secret: string }): void;
  getAdsConnectLink(): string;
  selectAdAccounts(ids: string[]): AdsStatus;
  disconnectAds(): AdsStatus;
  refresh(): RefreshProgress;
  refreshFromScratch(): void;
  setSchedule(mode: ScheduleMode, hour?: number): ScheduleStatus;
  getSettingsForm(): SettingField[];
  saveSettingsForm(values: { label: string; value: string | number }[]): void;
  addCostForSku(sku: string): void;
  previewImport(fileName: string, base64: string): ImportPreview;
  confirmImport(fileName: string, base64: string): ImportOutcome;
}

/** The part of the client-side google.script.run API used here (it has no published typings). */
interface ScriptRunner {
  withSuccessHandler(handler: (result: unknown) => void): ScriptRunner;
  withFailureHandler(handler: (error: Error | string) => void): ScriptRunner;
  [fn: string]: unknown;
}

declare const google: { script: { run: ScriptRunner } } | undefined;

/** How often the page asks for the status while the seller approves on TikTok, and for how long. */
const POLL_MS = 3000;
const POLL_FOR_MS = 10 * 60_000;
/** Share of the progress bar for the pull; the rest is the report tabs. */
const PULL_SHARE = 0.9;
const REPORTS_AT = 0.95;
const SKUS_SHOWN = 10;
/**
 * The largest file Import reads. Its base64 (a third larger) travels through google.script.run
 * as one argument, and the server parses it within one execution.
 */
const IMPORT_MAX_MB = 20;
const IMPORT_MAX_BYTES = IMPORT_MAX_MB * 1024 * 1024;
const IMPORT_TODO = 'Check that this is an unchanged export from Seller Center (Orders → Export, or Finance → Statements → Export), then choose it again. Nothing was written.';

/** Calls a server function; resolves with its result, rejects with an Error carrying its message. */
function call<K extends keyof Server>(name: K, ...args: Parameters<Server[K]>): Promise<ReturnType<Server[K]>> {
  return new Promise((resolve, reject) => {
    if (typeof google === 'undefined' || !google.script?.run) {
      reject(new Error('This page only works inside Google Sheets (Extensions > TikTok Shop Profit > Open sidebar).'));
      return;
    }
    const runner = google.script.run
      .withSuccessHandler((result) => resolve(result as ReturnType<Server[K]>))
      .withFailureHandler((error) => reject(error instanceof Error ? error : new Error(String(error))));
    const fn = runner[name];
    if (typeof fn !== 'function') {
      reject(new Error(`The add-on has no server function "${name}" (is the add-on up to date?)`));
      return;
    }
    (fn as (...a: unknown[]) => void).apply(runner, args);
  });
}

// ---------------------------------------------------------------- DOM helpers

function el<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`Sidebar.html has no #${id}`);
  return found as T;
}

function make<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function show(node: HTMLElement, visible: boolean): void {
  node.hidden = !visible;
}

type Tone = 'info' | 'error' | 'success';

/** A one-line message (textContent only). */
function say(node: HTMLElement, text: string, tone: Tone = 'info'): void {
  node.textContent = text;
  node.classList.toggle('error', tone === 'error');
  node.classList.toggle('success', tone === 'success');
  show(node, text !== '');
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return String(error);
}

/** A failure, in plain words: what happened, what to do, and the server's own text under Details. */
export interface Explanation {
  title: string;
  what: string;
  todo: string;
  details: string;
}

/**
 * Turns a server error message into plain words. The server's messages already say what to do
 * for the seller's own mistakes (a bad cell, a bad setting); TikTok's and Google's failures are
 * recognised here and explained.
 */
export function explain(raw: string, doing: string): Explanation {
  const m = raw.replace(/^(Exception|Error|ScriptError):\s*/i, '');
  const e = (what: string, todo: string): Explanation => ({ title: `${doing} stopped`, what, todo, details: m });
  if (/Script function not found|has no server function/i.test(m)) {
    return e('This version of the add-on cannot do that yet.', 'Reload the spreadsheet to get the latest version of the add-on; if it persists, tell the add-on’s developer.');
  }
  if (/Exceeded maximum execution time/i.test(m)) {
    return e('Google stopped this step after its 6-minute limit. Nothing written so far is lost.', 'Click Refresh again: it continues where it stopped.');
  }
  if (/Another refresh|refresh of this workbook is running/i.test(m)) {
    return e('Another refresh of this workbook is running (someone else’s, or the scheduled one).', 'Wait a few minutes, then click Refresh.');
  }
  if (/reconnect the shop|re-?authori[sz]e|refresh.token|access.token.*(expired|invalid)|36004001|36004005|105002|101000/i.test(m)) {
    return e('TikTok no longer accepts this connection to your shop (the authorization expired or was revoked).', 'In Connect below, click "Connect to TikTok" and approve the add-on again. Your data stays in the workbook.');
  }
  if (/invalid sign|app secret|app key|106001/i.test(m)) {
    return e('TikTok did not accept the app key and secret.', 'In Connect below, click "Change app key" and enter the app key and secret exactly as TikTok Partner Center shows them.');
  }
  if (/scope/i.test(m)) {
    return e('Your TikTok app is not allowed to read some of the data the add-on needs.', 'In TikTok Partner Center add the missing permission (scope) to the app, then connect again here.');
  }
  if (/clock skew/i.test(m)) {
    return e('TikTok refused the request because the clocks disagree.', 'Wait a minute and click Refresh again.');
  }
  if (/HTTP 429|36009002|too many requests|rate limit/i.test(m)) {
    return e('TikTok asked the add-on to slow down (too many requests).', 'Wait a minute, then click Refresh: it continues where it stopped.');
  }
  if (/HTTP 5\d\d|36009003|internal error|network failure|gave up after|timed? ?out|Try again later/i.test(m)) {
    return e('TikTok Shop’s servers had a problem and did not answer, even after several tries. Nothing is lost.', 'Wait a few minutes, then click Refresh: it continues where it stopped.');
  }
  if (/No shop is (connected|selected)|not connected|connect a TikTok shop/i.test(m)) {
    return e(m, 'Use the Connect section below.');
  }
  if (/\btab\b.*\brow\b|Settings tab|COGS tab|Fixed costs tab|Creator fees tab/i.test(m)) {
    return e(m, 'Fix that cell in the spreadsheet, then try again.');
  }
  return e(m, 'Try again in a few minutes. If it keeps happening, send the details below to the add-on’s developer.');
}

/** Shows an explanation in a message box: title, what happened, what to do, and the details folded. */
function showFailure(box: HTMLElement, x: Explanation): void {
  box.replaceChildren();
  box.classList.add('error');
  box.classList.remove('success');
  const title = make('p');
  title.appendChild(make('strong', x.title));
  box.append(title, make('p', x.what));
  const todo = make('p');
  todo.append(make('strong', 'What to do: '), document.createTextNode(x.todo));
  box.appendChild(todo);
  if (x.details && x.details !== x.what) {
    const details = make('details');
    details.append(make('summary', 'Details'), make('p', x.details));
    box.appendChild(details);
  }
  show(box, true);
}

function showNote(box: HTMLElement, text: string, tone: Tone): void {
  box.replaceChildren(make('p', text));
  box.classList.toggle('error', tone === 'error');
  box.classList.toggle('success', tone === 'success');
  show(box, true);
}

function formatTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

function formatNumber(n: number): string {
  return n.toLocaleString('en-US');
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return 'less than a minute';
  const min = Math.round(s / 60);
  return `about ${min} minute${min === 1 ? '' : 's'}`;
}

function hourLabel(h: number): string {
  return `${String(h).padStart(2, '0')}:00`;
}

// ---------------------------------------------------------------- state

let status: ConnectionStatus | null = null;
let refreshing = false;
let cancelRequested = false;
let pollTimer: number | undefined;
let pollUntil = 0;
let settingsFields: SettingField[] = [];
let settingsLoaded = false;
/** While the app form is open for a change although an app is saved. */
let editingApp = false;

// ---------------------------------------------------------------- status

async function loadStatus(): Promise<ConnectionStatus | null> {
  try {
    const s = await call('getStatus');
    render(s);
    return s;
  } catch (e) {
    say(el('status-line'), `Could not load the status: ${messageOf(e)}`, 'error');
    return null;
  }
}

function render(s: ConnectionStatus): void {
  status = s;
  el('version').textContent = `Version ${s.version}`;
  renderStatus(s);
  renderConnect(s);
  renderAds(s.ads);
  renderSchedule(s.schedule);
}

function renderStatus(s: ConnectionStatus): void {
  const line = el('status-line');
  if (s.connected && s.shop) {
    say(line, `Connected to ${s.shop.name || s.shop.id}.`);
  } else if (s.shops.length > 1 && !s.shop) {
    say(line, 'Pick the shop for this workbook in Connect below.');
  } else {
    say(line, 'Not connected. Connect a TikTok shop below to start.');
  }
  el('last-refresh').textContent = s.lastRefreshTime === null ? 'Never' : formatTime(s.lastRefreshTime);
  el<HTMLButtonElement>('refresh').disabled = refreshing || !s.connected;
  el<HTMLButtonElement>('from-scratch').disabled = refreshing || !s.connected;
  if (!refreshing && s.refreshProgress !== null && s.connected) {
    say(line, `A refresh stopped at ${Math.round(s.refreshProgress * 100)}% of the data. Click Refresh to continue where it stopped.`);
  }
  renderSummary(s);
}

function renderSummary(s: ConnectionStatus): void {
  const box = el('summary');
  const sum = s.summary;
  if (!sum) {
    show(box, false);
    return;
  }
  show(box, true);
  const list = el('freshness');
  list.replaceChildren();
  for (const f of sum.freshness ?? []) {
    const li = make('li');
    li.appendChild(make('strong', `${f.source}: `));
    li.appendChild(document.createTextNode(f.latest === null ? 'none yet' : formatTime(f.latest)));
    if (f.note) li.appendChild(make('span', ` — ${f.note}`, 'gray small'));
    list.appendChild(li);
  }
  el('estimated-orders').textContent = `${formatNumber(sum.estimatedOrders)} of ${formatNumber(sum.orders)} orders (fees estimated until TikTok’s statement)`;

  const skus = sum.skusWithoutCogs ?? [];
  show(el('missing-cogs'), skus.length > 0);
  const ul = el('missing-cogs-list');
  ul.replaceChildren();
  for (const sku of skus.slice(0, SKUS_SHOWN)) {
    const li = make('li');
    const b = make('button', sku, 'secondary');
    b.type = 'button';
    b.setAttribute('aria-label', `Add a cost for SKU ${sku}`);
    b.addEventListener('click', () => void addCost(sku, b));
    li.appendChild(b);
    ul.appendChild(li);
  }
  const more = el('missing-cogs-more');
  say(more, skus.length > SKUS_SHOWN ? `…and ${skus.length - SKUS_SHOWN} more (see the COGS tab).` : '');
}

async function addCost(sku: string, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  try {
    await call('addCostForSku', sku);
    showNote(el('refresh-message'), `The COGS tab is open at SKU ${sku}: enter its unit cost there, then click Refresh.`, 'info');
  } catch (e) {
    showFailure(el('refresh-message'), explain(messageOf(e), 'Adding the cost'));
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------- refresh

function setBar(fraction: number): void {
  const bar = el('progress-bar');
  const pct = Math.max(0, Math.min(100, Math.round(fraction * 1000) / 10));
  // Never backwards within a run.
  const now = Number(bar.getAttribute('aria-valuenow') ?? '0');
  if (pct < now) return;
  if (pct === now && bar.style.width === `${pct}%`) return;
  bar.style.width = `${pct}%`;
  bar.setAttribute('aria-valuenow', String(pct));
  bar.setAttribute('aria-valuetext', `${Math.round(pct)}%`);
}

function resetBar(): void {
  const bar = el('progress-bar');
  bar.style.width = '0%';
  bar.setAttribute('aria-valuenow', '0');
  bar.setAttribute('aria-valuetext', '0%');
}

function phaseText(r: RefreshProgress): string {
  switch (r.phase) {
    case 'pulling': return `Reading from TikTok Shop: ${Math.round(r.progress * 100)}% of the data`;
    case 'reports': return 'Writing the report tabs';
    case 'done': return 'Done';
    case 'busy': return 'Waiting for another refresh';
  }
}

async function runRefresh(fromScratch: boolean): Promise<void> {
  if (refreshing) return;
  refreshing = true;
  cancelRequested = false;
  const refreshButton = el<HTMLButtonElement>('refresh');
  const cancelButton = el<HTMLButtonElement>('cancel');
  const message = el('refresh-message');
  refreshButton.disabled = true;
  el<HTMLButtonElement>('from-scratch').disabled = true;
  cancelButton.disabled = false;
  show(cancelButton, true);
  show(message, false);
  show(el('connect-message'), false);
  resetBar();
  show(el('progress'), true);
  const phase = el('progress-phase');
  const counts = el('progress-counts');
  phase.textContent = fromScratch ? 'Starting over…' : 'Starting…';
  counts.textContent = '';
  let written = 0;
  let calls = 0;
  let steps = 0;
  const started = Date.now();
  try {
    if (fromScratch) await call('refreshFromScratch');
    for (;;) {
      if (cancelRequested) {
        phase.textContent = 'Stopped';
        counts.textContent = countsText(written, calls, steps, null);
        showNote(message, 'Refresh stopped. Nothing is lost: the next Refresh continues where this one stopped.', 'info');
        break;
      }
      const r = await call('refresh');
      steps++;
      written += r.written;
      calls += r.calls;
      phase.textContent = phaseText(r);
      setBar(r.phase === 'done' ? 1 : r.phase === 'reports' ? REPORTS_AT : r.progress * PULL_SHARE);
      const left = !r.done && r.phase === 'pulling' && r.progress >= 0.05 ? ((Date.now() - started) / r.progress) * (1 - r.progress) : null;
      counts.textContent = countsText(written, calls, steps, left);
      if (r.done) {
        showNote(message, r.message || 'Refresh complete.', 'success');
        break;
      }
      if (r.phase === 'busy') {
        showNote(message, r.message || 'Another refresh of this workbook is running. Try again in a few minutes.', 'info');
        break;
      }
    }
  } catch (e) {
    phase.textContent = 'Stopped by an error';
    counts.textContent = countsText(written, calls, steps, null);
    // Nothing to show on a bar that never moved.
    if (steps === 0) show(el('progress'), false);
    showFailure(message, explain(messageOf(e), 'The refresh'));
  } finally {
    refreshing = false;
    show(cancelButton, false);
    await loadStatus();
  }
}

function plural(n: number, one: string, many: string): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

/** "839 rows written · 166 API calls · 5 steps · about 2 minutes left". */
function countsText(written: number, calls: number, steps: number, leftMs: number | null): string {
  const parts = [plural(written, 'row written', 'rows written'), plural(calls, 'API call', 'API calls'), plural(steps, 'step', 'steps')];
  if (leftMs !== null) parts.push(`${formatDuration(leftMs)} left`);
  return parts.join(' · ');
}

function cancelRefresh(): void {
  cancelRequested = true;
  el<HTMLButtonElement>('cancel').disabled = true;
  el('progress-phase').textContent = 'Stopping after the current step…';
}

// ---------------------------------------------------------------- connect

function renderConnect(s: ConnectionStatus): void {
  const who = el('connected-as');
  if (s.connected && s.shop) {
    who.replaceChildren(make('span', 'Connected to '), make('strong', s.shop.name || s.shop.id), make('span', ` (${s.shop.region}, shop ID ${s.shop.id})`, 'gray'));
  } else if (s.shops.length > 1 && !s.shop) {
    who.textContent = `Your authorization covers ${s.shops.length} shops. Pick the one for this workbook.`;
  } else if (s.appConfigured) {
    who.textContent = 'Your TikTok app is saved. Connect to approve the add-on for your shop.';
  } else {
    who.textContent = 'Not connected.';
  }
  say(el('connection-problem'), s.problem ?? '', 'error');

  const waiting = !el('waiting').hidden;
  const formVisible = !waiting && (editingApp || (!s.connected && !s.appConfigured));
  show(el('app-form'), formVisible);
  show(el('cancel-app'), editingApp);
  show(el('reconnect-block'), !formVisible && !waiting && s.appConfigured && (!s.connected || s.problem !== null));
  show(el('disconnect'), s.connected || s.shops.length > 0);

  const picker = el('shop-picker');
  const pick = s.shops.length > 1 && !s.shop;
  show(picker, pick);
  if (pick) {
    const select = el<HTMLSelectElement>('shop-select');
    const before = select.value;
    select.replaceChildren(...s.shops.map((shop) => {
      const o = make('option', `${shop.name || shop.id} (${shop.region})`);
      o.value = shop.id;
      return o;
    }));
    if (s.shops.some((x) => x.id === before)) select.value = before;
  }
  if (waiting && (s.connected || pick)) stopWaiting();
}

async function connect(event: Event): Promise<void> {
  event.preventDefault();
  const key = el<HTMLInputElement>('app-key');
  const secret = el<HTMLInputElement>('app-secret');
  const message = el('connect-message');
  const appKey = key.value.trim();
  const appSecret = secret.value.trim();
  key.setAttribute('aria-invalid', String(appKey === ''));
  secret.setAttribute('aria-invalid', String(appSecret === ''));
  if (appKey === '' || appSecret === '') {
    say(message, 'Enter both the app key and the app secret.', 'error');
    (appKey === '' ? key : secret).focus();
    return;
  }
  // Open the tab now, while the click still counts as the user's: browsers block a window
  // opened later, after the server answered.
  const popup = openBlank();
  const button = el<HTMLButtonElement>('connect');
  button.disabled = true;
  say(message, 'Saving your app…');
  try {
    await call('saveTikTokApp', { appKey, appSecret });
    secret.value = '';
    editingApp = false;
    await openAuthorization(popup);
  } catch (e) {
    popup?.close();
    show(message, false);
    showFailure(message, explain(messageOf(e), 'Connecting'));
  } finally {
    button.disabled = false;
  }
}

async function reconnect(): Promise<void> {
  const popup = openBlank();
  const button = el<HTMLButtonElement>('reconnect');
  button.disabled = true;
  try {
    await openAuthorization(popup);
  } catch (e) {
    popup?.close();
    showFailure(el('connect-message'), explain(messageOf(e), 'Connecting'));
  } finally {
    button.disabled = false;
  }
}

function openBlank(): Window | null {
  try {
    return window.open('', '_blank');
  } catch {
    return null;
  }
}

/** Gets the authorize link, sends the new tab there, and waits for the approval. */
async function openAuthorization(popup: Window | null): Promise<void> {
  const message = el('connect-message');
  say(message, 'Opening TikTok…');
  const link = await call('getConnectLink');
  const anchor = el<HTMLAnchorElement>('open-link');
  anchor.href = link;
  if (popup && !popup.closed) {
    popup.location.href = link;
    show(el('open-link-line'), false);
  } else {
    show(el('open-link-line'), true);
  }
  show(message, false);
  show(el('app-form'), false);
  show(el('reconnect-block'), false);
  startWaiting();
}

function startWaiting(): void {
  show(el('waiting'), true);
  pollUntil = Date.now() + POLL_FOR_MS;
  if (pollTimer !== undefined) window.clearTimeout(pollTimer);
  const tick = async (): Promise<void> => {
    pollTimer = undefined;
    const s = await loadStatus();
    if (el('waiting').hidden) return;
    if (s && (s.connected || (s.shops.length > 1 && !s.shop))) {
      stopWaiting();
      return;
    }
    if (Date.now() < pollUntil) pollTimer = window.setTimeout(() => void tick(), POLL_MS);
  };
  pollTimer = window.setTimeout(() => void tick(), POLL_MS);
}

function stopWaiting(): void {
  if (pollTimer !== undefined) window.clearTimeout(pollTimer);
  pollTimer = undefined;
  show(el('waiting'), false);
  const s = status;
  if (s?.connected && s.shop) say(el('connect-message'), `Connected to ${s.shop.name || s.shop.id}. Click Refresh above to read your shop’s data.`, 'success');
}

async function checkAgain(): Promise<void> {
  const s = await loadStatus();
  if (s && !s.connected && !(s.shops.length > 1 && !s.shop)) say(el('connect-message'), 'Not approved yet. Approve the add-on in the TikTok tab, then check again.');
}

async function useShop(): Promise<void> {
  const shopId = el<HTMLSelectElement>('shop-select').value;
  const button = el<HTMLButtonElement>('use-shop');
  button.disabled = true;
  try {
    await call('selectShop', shopId);
    await loadStatus();
    say(el('connect-message'), 'Shop selected. Click Refresh above to read its data.', 'success');
  } catch (e) {
    showFailure(el('connect-message'), explain(messageOf(e), 'Choosing the shop'));
  } finally {
    button.disabled = false;
  }
}

async function disconnectShop(): Promise<void> {
  const button = el<HTMLButtonElement>('disconnect');
  button.disabled = true;
  try {
    await call('disconnect');
    await loadStatus();
    say(el('connect-message'), 'Disconnected. The workbook keeps its data; connect again to refresh it.');
  } catch (e) {
    showFailure(el('connect-message'), explain(messageOf(e), 'Disconnecting'));
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------- ads account

let adsPollTimer: number | undefined;

function accountLabel(a: { id: string; name: string; currency: string; timezone: string }): string {
  return `${a.name} (${a.id}, ${a.currency}, ${a.timezone})`;
}

function renderAds(a: AdsStatus): void {
  const line = el('ads-line');
  if (a.connected && a.chosen.length > 0) {
    line.textContent = `Ad spend from: ${a.chosen.map(accountLabel).join('; ')}.${a.lastPullTime !== null ? ` Last read ${formatTime(a.lastPullTime)}.` : ' Read at the next refresh.'}`;
  } else if (a.connected) {
    line.textContent = 'Connected to TikTok Ads. Choose the ad accounts whose spend this workbook takes.';
  } else if (a.chosen.length > 0) {
    line.textContent = `This workbook takes ad spend from ${a.chosen.map(accountLabel).join('; ')}, but you are not connected to TikTok Ads.`;
  } else {
    line.textContent = 'No ads account: only the ads TikTok deducts from your settlements count. Connect TikTok Ads to count the ads you pay by card too.';
  }
  say(el('ads-problem'), a.problem ?? '', 'error');
  const waiting = !el('ads-waiting').hidden;
  if (waiting && a.connected) stopAdsWaiting();
  const stillWaiting = !el('ads-waiting').hidden;
  show(el('ads-app-form'), !stillWaiting && !a.connected && !a.appConfigured);
  show(el('ads-reconnect-block'), !stillWaiting && a.appConfigured && (!a.connected || a.problem !== null));
  show(el('ads-disconnect'), a.connected || a.chosen.length > 0);
  const picker = el('ads-picker');
  show(picker, a.connected && a.granted.length > 0);
  if (a.connected) {
    const chosen = new Set(a.chosen.map((x) => x.id));
    el('ads-accounts').replaceChildren(...a.granted.map((g) => {
      const label = make('label', undefined, 'choice');
      const box = make('input');
      box.type = 'checkbox';
      box.name = 'ad-account';
      box.value = g.id;
      box.checked = chosen.has(g.id) || a.chosen.length === 0;
      label.append(box, make('span', ` ${accountLabel(g)}`));
      return label;
    }));
  }
}

async function adsConnect(event: Event): Promise<void> {
  event.preventDefault();
  const id = el<HTMLInputElement>('ads-app-id');
  const secret = el<HTMLInputElement>('ads-secret');
  const message = el('ads-message');
  const appId = id.value.trim();
  const sec = secret.value.trim();
  id.setAttribute('aria-invalid', String(appId === ''));
  secret.setAttribute('aria-invalid', String(sec === ''));
  if (appId === '' || sec === '') {
    say(message, 'Enter both the app ID and the secret.', 'error');
    (appId === '' ? id : secret).focus();
    return;
  }
  const popup = openBlank();
  const button = el<HTMLButtonElement>('ads-connect');
  button.disabled = true;
  try {
    await call('saveTikTokAdsApp', { appId, secret: sec });
    secret.value = '';
    await openAdsAuthorization(popup);
  } catch (e) {
    popup?.close();
    showFailure(message, explain(messageOf(e), 'Connecting TikTok Ads'));
  } finally {
    button.disabled = false;
  }
}

async function adsReconnect(): Promise<void> {
  const popup = openBlank();
  const button = el<HTMLButtonElement>('ads-reconnect');
  button.disabled = true;
  try {
    await openAdsAuthorization(popup);
  } catch (e) {
    popup?.close();
    showFailure(el('ads-message'), explain(messageOf(e), 'Connecting TikTok Ads'));
  } finally {
    button.disabled = false;
  }
}

async function openAdsAuthorization(popup: Window | null): Promise<void> {
  const message = el('ads-message');
  say(message, 'Opening TikTok for Business…');
  const link = await call('getAdsConnectLink');
  el<HTMLAnchorElement>('ads-open-link').href = link;
  if (popup && !popup.closed) {
    popup.location.href = link;
    show(el('ads-open-link-line'), false);
  } else {
    show(el('ads-open-link-line'), true);
  }
  show(message, false);
  show(el('ads-app-form'), false);
  show(el('ads-reconnect-block'), false);
  show(el('ads-waiting'), true);
  const until = Date.now() + POLL_FOR_MS;
  const tick = async (): Promise<void> => {
    adsPollTimer = undefined;
    const s = await loadStatus();
    if (el('ads-waiting').hidden || s?.ads.connected) return;
    if (Date.now() < until) adsPollTimer = window.setTimeout(() => void tick(), POLL_MS);
  };
  if (adsPollTimer !== undefined) window.clearTimeout(adsPollTimer);
  adsPollTimer = window.setTimeout(() => void tick(), POLL_MS);
}

function stopAdsWaiting(): void {
  if (adsPollTimer !== undefined) window.clearTimeout(adsPollTimer);
  adsPollTimer = undefined;
  show(el('ads-waiting'), false);
  say(el('ads-message'), 'Connected to TikTok Ads. Tick the ad accounts for this workbook and click "Use these ad accounts".', 'success');
}

async function adsCheckAgain(): Promise<void> {
  const s = await loadStatus();
  if (s && !s.ads.connected) say(el('ads-message'), 'Not approved yet. Approve the add-on in the TikTok for Business tab, then check again.');
}

async function adsUse(): Promise<void> {
  const ids = Array.from(document.querySelectorAll<HTMLInputElement>('input[name="ad-account"]')).filter((b) => b.checked).map((b) => b.value);
  const button = el<HTMLButtonElement>('ads-use');
  button.disabled = true;
  try {
    const a = await call('selectAdAccounts', ids);
    if (status) render({ ...status, ads: a });
    say(el('ads-message'), ids.length === 0
      ? 'No ad account is used: only the ads deducted from your settlements count.'
      : 'Saved. The next refresh reads these ad accounts’ spend.', 'success');
  } catch (e) {
    showFailure(el('ads-message'), explain(messageOf(e), 'Choosing the ad accounts'));
  } finally {
    button.disabled = false;
  }
}

async function adsDisconnect(): Promise<void> {
  const button = el<HTMLButtonElement>('ads-disconnect');
  button.disabled = true;
  try {
    const a = await call('disconnectAds');
    if (status) render({ ...status, ads: a });
    say(el('ads-message'), 'Disconnected from TikTok Ads. The Ad spend rows stay in the workbook; the next refreshes read no ad spend.');
  } catch (e) {
    showFailure(el('ads-message'), explain(messageOf(e), 'Disconnecting TikTok Ads'));
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------- schedule

function fillHours(): void {
  const select = el<HTMLSelectElement>('schedule-hour');
  for (let h = 0; h < 24; h++) {
    const o = make('option', hourLabel(h));
    o.value = String(h);
    select.appendChild(o);
  }
  select.value = '6';
  select.addEventListener('change', () => {
    const daily = document.querySelector<HTMLInputElement>('input[name="schedule"][value="daily"]');
    if (daily) daily.checked = true;
  });
}

function scheduleText(s: ScheduleStatus): string {
  if (s.mode === 'hourly') return 'Refreshes every hour.';
  if (s.mode === 'daily') return `Refreshes every day at ${hourLabel(s.hour ?? 0)}.`;
  return 'No automatic refresh.';
}

/** The last scheduled run, in plain words (an error says what it was). */
function lastRunText(s: ScheduleStatus): string {
  const r = s.lastRun;
  if (!r) return '';
  const when = new Date(r.at * 1000).toLocaleString();
  if (r.outcome === 'error') return `The last scheduled refresh (${when}) stopped: ${r.message}`;
  if (r.outcome === 'continuing') return `The last scheduled refresh (${when}) did part of the work; the next one continues. ${r.message}`;
  if (r.outcome === 'busy') return `The last scheduled refresh (${when}) found another refresh running.`;
  return `The last scheduled refresh (${when}) completed.`;
}

function renderSchedule(s: ScheduleStatus | undefined): void {
  el<HTMLButtonElement>('save-schedule').disabled = !(status?.connected);
  if (!s) return;
  const radio = document.querySelector<HTMLInputElement>(`input[name="schedule"][value="${s.mode}"]`);
  if (radio) radio.checked = true;
  if (s.mode === 'daily' && s.hour !== null) el<HTMLSelectElement>('schedule-hour').value = String(s.hour);
  const last = el('schedule-last');
  last.textContent = lastRunText(s);
  last.hidden = last.textContent === '';
  last.classList.toggle('error', s.lastRun?.outcome === 'error');
}

async function saveSchedule(event: Event): Promise<void> {
  event.preventDefault();
  const checked = document.querySelector<HTMLInputElement>('input[name="schedule"]:checked');
  const mode = (checked?.value ?? 'off') as ScheduleMode;
  const hour = Number(el<HTMLSelectElement>('schedule-hour').value);
  const button = el<HTMLButtonElement>('save-schedule');
  const message = el('schedule-message');
  button.disabled = true;
  try {
    const result = mode === 'daily' ? await call('setSchedule', mode, hour) : await call('setSchedule', mode);
    renderSchedule(result);
    showNote(message, `Saved. ${scheduleText(result)}`, 'success');
  } catch (e) {
    showFailure(message, explain(messageOf(e), 'Saving the schedule'));
  } finally {
    button.disabled = !(status?.connected);
  }
}

// ---------------------------------------------------------------- settings

async function loadSettings(): Promise<void> {
  const message = el('settings-message');
  const box = el('settings-fields');
  box.replaceChildren(make('p', 'Loading the settings…', 'gray'));
  try {
    settingsFields = await call('getSettingsForm');
    settingsLoaded = true;
    renderSettings(settingsFields);
    show(message, false);
  } catch (e) {
    box.replaceChildren();
    showFailure(message, explain(messageOf(e), 'Loading the settings'));
  }
}

function fieldId(i: number): string {
  return `setting-${i}`;
}

function renderSettings(fields: SettingField[]): void {
  const box = el('settings-fields');
  box.replaceChildren();
  fields.forEach((f, i) => {
    const group = make('div', undefined, 'form-group');
    const id = fieldId(i);
    const input = make('input');
    input.id = id;
    input.name = f.label;
    input.dataset.label = f.label;
    if (typeof f.value === 'boolean') {
      input.type = 'checkbox';
      input.checked = f.value;
      const label = make('label', undefined, 'choice');
      label.htmlFor = id;
      label.append(input, document.createTextNode(` ${f.label}`));
      group.appendChild(label);
    } else {
      input.type = 'text';
      input.value = String(f.value);
      if (typeof f.value === 'number') input.inputMode = 'decimal';
      const label = make('label', f.label);
      label.htmlFor = id;
      group.append(label, input);
    }
    if (f.help) {
      const help = make('p', f.help, 'help');
      help.id = `${id}-help`;
      input.setAttribute('aria-describedby', help.id);
      group.appendChild(help);
    }
    box.appendChild(group);
  });
  el<HTMLButtonElement>('save-settings').disabled = fields.length === 0;
}

/** The form's values, typed as the server's were: numbers stay numbers when they read as one. */
function settingsValues(): { label: string; value: string | number }[] {
  return settingsFields.map((f, i) => {
    const input = el<HTMLInputElement>(fieldId(i));
    if (typeof f.value === 'boolean') return { label: f.label, value: input.checked ? 'TRUE' : 'FALSE' };
    const text = input.value.trim();
    if (typeof f.value === 'number' && /^-?(\d+\.?\d*|\.\d+)$/.test(text)) return { label: f.label, value: Number(text) };
    return { label: f.label, value: text };
  });
}

/** Marks a field invalid with the server's message under it, or (null) clears that. */
function markField(i: number, error: string | null): void {
  const input = el<HTMLInputElement>(fieldId(i));
  const errorId = `${fieldId(i)}-error`;
  document.getElementById(errorId)?.remove();
  const describedBy = (input.getAttribute('aria-describedby') ?? '').split(' ').filter((x) => x !== '' && x !== errorId);
  if (error === null) {
    input.removeAttribute('aria-invalid');
  } else {
    input.setAttribute('aria-invalid', 'true');
    const p = make('p', error, 'help error');
    p.id = errorId;
    input.insertAdjacentElement('afterend', p);
    describedBy.unshift(errorId);
  }
  if (describedBy.length > 0) input.setAttribute('aria-describedby', describedBy.join(' '));
  else input.removeAttribute('aria-describedby');
}

async function saveSettings(event: Event): Promise<void> {
  event.preventDefault();
  const message = el('settings-message');
  const button = el<HTMLButtonElement>('save-settings');
  button.disabled = true;
  settingsFields.forEach((_, i) => markField(i, null));
  try {
    const values = settingsValues();
    await call('saveSettingsForm', values);
    settingsFields = settingsFields.map((f, i) => ({ ...f, value: typeof f.value === 'boolean' ? values[i].value === 'TRUE' : values[i].value }));
    showNote(message, 'Settings saved. The reports use them from the next refresh.', 'success');
  } catch (e) {
    const text = messageOf(e);
    // The server names the setting: mark that field.
    const bad = settingsFields.findIndex((f) => text.includes(f.label));
    if (bad >= 0) {
      markField(bad, text);
      el(fieldId(bad)).focus();
    }
    showFailure(message, { ...explain(text, 'Saving the settings'), title: 'Settings not saved', todo: 'Correct the value and click Save settings again. Nothing was saved.' });
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------- import

/** The file previewed and waiting for Confirm import (cleared by Cancel, a new file, or the import). */
let pendingImport: { name: string; base64: string } | null = null;
let importing = false;

/** The file's bytes as base64 (FileReader's data URL without its "data:…;base64," prefix). */
function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result ?? '');
      const comma = url.indexOf(',');
      resolve(comma >= 0 ? url.slice(comma + 1) : '');
    };
    reader.onerror = () => reject(new Error(`${file.name}: the browser could not read the file (${reader.error?.message ?? 'unknown error'}).`));
    reader.readAsDataURL(file);
  });
}

function formatMb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** An import failure: the server's message (it names the file, row and column) and what to do. */
function importFailure(raw: string): Explanation {
  const x = explain(raw, 'The import');
  // TikTok's and Google's own failures keep their explanation; the file's problems get the import's advice.
  const generic = /^(Try again in a few minutes|Fix that cell)/.test(x.todo);
  return { ...x, title: 'Not imported', todo: generic ? IMPORT_TODO : x.todo };
}

function resetImport(clearMessage: boolean): void {
  pendingImport = null;
  show(el('import-preview'), false);
  show(el('import-progress'), false);
  if (clearMessage) {
    show(el('import-message'), false);
    show(el('import-written'), false);
  }
}

async function chooseImportFile(): Promise<void> {
  const input = el<HTMLInputElement>('import-file');
  const file = input.files?.[0];
  resetImport(true);
  if (!file || importing) return;
  const message = el('import-message');
  if (file.size > IMPORT_MAX_BYTES) {
    showFailure(message, { title: 'Not imported', what: `${file.name} is ${formatMb(file.size)}; the sidebar imports files up to ${IMPORT_MAX_MB} MB.`, todo: 'Export a shorter date range from Seller Center (for example one month per file) and import each file.', details: '' });
    input.value = '';
    return;
  }
  if (file.size === 0) {
    showFailure(message, { title: 'Not imported', what: `${file.name} is empty.`, todo: IMPORT_TODO, details: '' });
    input.value = '';
    return;
  }
  importing = true;
  input.disabled = true;
  const progress = el('import-progress');
  say(progress, `Reading ${file.name}…`);
  try {
    const base64 = await readAsBase64(file);
    say(progress, `Checking ${file.name}… Nothing is written yet.`);
    const preview = await call('previewImport', file.name, base64);
    pendingImport = { name: file.name, base64 };
    renderPreview(preview);
    show(progress, false);
    el('import-confirm').focus();
  } catch (e) {
    show(progress, false);
    input.value = '';
    showFailure(message, importFailure(messageOf(e)));
  } finally {
    importing = false;
    input.disabled = false;
  }
}

function renderPreview(p: ImportPreview): void {
  el('import-file-name').textContent = p.file;
  el('import-kind').textContent = p.kindLabel;
  el('import-rows').textContent = formatNumber(p.rows);
  el('import-dates').textContent = p.from === null && p.to === null ? 'No dates in the file' : `${p.from ?? '?'}–${p.to ?? '?'}`;
  const list = el('import-records');
  list.replaceChildren();
  for (const r of p.records) {
    const li = make('li');
    li.append(make('strong', `${r.tab}: `), document.createTextNode(plural(r.count, 'record', 'records')));
    list.appendChild(li);
  }
  // What the file could not carry (no reserve sheet, fees no column breaks down): said before confirming.
  const notes = el('import-notes');
  notes.replaceChildren(...p.notes.map((n) => make('li', n)));
  show(el('import-notes-box'), p.notes.length > 0);
  el<HTMLButtonElement>('import-confirm').disabled = false;
  el<HTMLButtonElement>('import-cancel').disabled = false;
  show(el('import-preview'), true);
}

async function confirmImport(): Promise<void> {
  const pending = pendingImport;
  if (!pending || importing) return;
  importing = true;
  const input = el<HTMLInputElement>('import-file');
  const confirmButton = el<HTMLButtonElement>('import-confirm');
  const cancelButton = el<HTMLButtonElement>('import-cancel');
  confirmButton.disabled = true;
  cancelButton.disabled = true;
  input.disabled = true;
  const progress = el('import-progress');
  const message = el('import-message');
  say(progress, `Importing ${pending.name} and rebuilding the reports…`);
  try {
    const outcome = await call('confirmImport', pending.name, pending.base64);
    resetImport(true);
    showNote(message, outcome.message, 'success');
    const list = el('import-written');
    list.replaceChildren();
    for (const w of outcome.written) {
      const li = make('li');
      li.append(make('strong', `${w.tab}: `), document.createTextNode(`${formatNumber(w.inserted)} added, ${formatNumber(w.updated)} updated, ${formatNumber(w.unchanged)} unchanged`));
      list.appendChild(li);
    }
    show(list, outcome.written.length > 0);
    input.value = '';
  } catch (e) {
    show(progress, false);
    confirmButton.disabled = false;
    cancelButton.disabled = false;
    showFailure(message, importFailure(messageOf(e)));
  } finally {
    importing = false;
    input.disabled = false;
  }
  await loadStatus();
}

function cancelImport(): void {
  if (importing) return;
  resetImport(true);
  const input = el<HTMLInputElement>('import-file');
  input.value = '';
  showNote(el('import-message'), 'Import cancelled. Nothing was written.', 'info');
  input.focus();
}

// ---------------------------------------------------------------- start

function start(): void {
  fillHours();
  el('refresh').addEventListener('click', () => void runRefresh(false));
  el('cancel').addEventListener('click', cancelRefresh);
  el('from-scratch').addEventListener('click', () => void runRefresh(true));
  el('app-form').addEventListener('submit', (e) => void connect(e));
  el('reconnect').addEventListener('click', () => void reconnect());
  el('change-app').addEventListener('click', () => {
    editingApp = true;
    if (status) renderConnect(status);
    el('app-key').focus();
  });
  el('cancel-app').addEventListener('click', () => {
    editingApp = false;
    el<HTMLInputElement>('app-secret').value = '';
    if (status) renderConnect(status);
  });
  el('check-again').addEventListener('click', () => void checkAgain());
  el('use-shop').addEventListener('click', () => void useShop());
  el('disconnect').addEventListener('click', () => void disconnectShop());
  el('ads-app-form').addEventListener('submit', (e) => void adsConnect(e));
  el('ads-reconnect').addEventListener('click', () => void adsReconnect());
  el('ads-check-again').addEventListener('click', () => void adsCheckAgain());
  el('ads-use').addEventListener('click', () => void adsUse());
  el('ads-disconnect').addEventListener('click', () => void adsDisconnect());
  el('schedule-form').addEventListener('submit', (e) => void saveSchedule(e));
  el('settings-form').addEventListener('submit', (e) => void saveSettings(e));
  el<HTMLDetailsElement>('settings-details').addEventListener('toggle', () => {
    if (el<HTMLDetailsElement>('settings-details').open && !settingsLoaded) void loadSettings();
  });
  el('import-file').addEventListener('change', () => void chooseImportFile());
  el('import-confirm').addEventListener('click', () => void confirmImport());
  el('import-cancel').addEventListener('click', cancelImport);
  void loadStatus();
}

start();
