/**
 * A refresh survives what Apps Script and TikTok do to it: executions killed at any service call,
 * API faults (5xx, 429 bursts, truncated responses, an access token expiring mid-pull), chunks
 * spread over several executions, a second refresh at the same time, a kill during the report
 * rebuild. Each case runs the built bundle in a fresh local Apps Script runtime (a new workbook)
 * against ONE shared TikTok Shop sandbox, and ends with the workbook compared to a reference
 * workbook refreshed once, uninterrupted:
 * - data tabs: the same rows (compared by key, order-free: upsert may append), no duplicate key,
 *   no unreadable row, nothing lost;
 * - report tabs (and the seller's tabs): every cell identical, tab order included.
 *
 * Clock alignment rather than stripping the "As of" stamp: the as-of instant does not only print
 * in the stamp, it decides which orders are "Today" / "Week to date", what is still estimated,
 * and the alerts, so a stamp-stripped comparison would still differ (or hide a real difference).
 * Every workbook's clock is put at the same instant R0 before each refresh execution and before
 * the final rebuildReportsNow (resume-helpers.ts explains why the sandbox's clock stays frozen).
 */
import {
  dataTabs, diffDataTabs, diffOtherTabs, newWorkbook, otherTabs, prng, startSharedSandbox, watchDocumentProperty,
  type DataTabSnapshot, type SharedSandbox, type StepOutcome, type Workbook,
} from './resume-helpers';
import { PULL_DEADLINE_MS } from '../../src/sheets/addon';
import { DEFAULT_BUDGET_MS } from '../../dev/runtime/gas';

const SEED = 7;
const SHOP = { days: 20, ordersPerDay: 30 };
const KILL_RUNS = 25;
const KILL_SEED = 20261125;
const REFRESH_KEY = 'tts.refresh';
const CHECKPOINT_KEY = 'tts.sync.checkpoint';

const PHASE_LETTER: Record<string, string> = { pull: 'P', reports: 'R', complete: 'C' };

let shared: SharedSandbox;

interface Reference {
  wb: Workbook;
  data: Record<string, DataTabSnapshot>;
  other: ReturnType<typeof otherTabs>;
  checkpoint: string | null;
  /** Service calls of the uninterrupted refresh step. */
  serviceCalls: number;
  /** API calls it reported. */
  apiCalls: number;
  /** The service call during which the checkpoint (run complete) was saved. */
  checkpointAt: number;
  /** The service call during which the rebuild's as-of was pinned (tts.refresh: rebuild set): the reports have started. */
  pendingAt: number;
  /** The service call during which the reports were marked complete (reportsWatermark = the checkpoint's). */
  doneAt: number;
}
let ref: Reference;

/** Data tabs and report tabs of `wb` against the reference (report tabs after a rebuild at R0 when `rebuild`). */
function differences(wb: Workbook, rebuild = true, stampRange?: [number, number]): string[] {
  if (rebuild) wb.rebuildAtR0();
  return [...diffDataTabs(ref.data, dataTabs(wb.rt), stampRange), ...diffOtherTabs(ref.other, otherTabs(wb.rt))];
}

/** Fetch stamps of a run whose clock moved on: anywhere within one execution's 6 minutes after R0. */
function runStamps(): [number, number] {
  return [shared.startMs / 1000, (shared.startMs + DEFAULT_BUDGET_MS) / 1000];
}

interface RefreshState {
  reportsRun: number | null;
  reportsTime: number | null;
  rebuild: { run: number; asOf: number; written: string[] } | null;
}

function refreshState(wb: Workbook): RefreshState {
  return JSON.parse(wb.documentProperty(REFRESH_KEY) ?? 'null');
}

/** The completed run's reports are not all written: the checkpoint has completed a run the reports were not built from. */
function reportsDue(wb: Workbook): boolean {
  const cp = JSON.parse(wb.documentProperty(CHECKPOINT_KEY) ?? 'null') as { completed?: number; run: unknown } | null;
  return cp !== null && cp.run === null && (cp.completed ?? 0) > 0 && cp.completed !== (refreshState(wb)?.reportsRun ?? null);
}

/** Everything a refresh could write: every tab's cells, the document properties. */
function workbookState(wb: Workbook): string {
  const tabs = wb.rt.spreadsheet.getSheets().map((s) => [s.getName(), s.getDataRange().getValues()]);
  return JSON.stringify({ tabs, properties: [...wb.rt.properties.document.map] });
}

beforeAll(async () => {
  shared = await startSharedSandbox({ seed: SEED, shop: SHOP });
  const wb = newWorkbook(shared);
  await wb.setUp();
  const pending = watchDocumentProperty(wb, REFRESH_KEY);
  const checkpoint = watchDocumentProperty(wb, CHECKPOINT_KEY);
  const { steps, errors } = wb.refreshToDone();
  pending.stop();
  checkpoint.stop();
  if (errors.length || steps.length !== 1) throw new Error(`the reference refresh should take one step without error: ${JSON.stringify({ steps, errors })}`);
  wb.rebuildAtR0();
  const pendingMark = pending.marks.find((m) => JSON.parse(m.value).rebuild !== null);
  const completeMark = pending.marks.find((m) => JSON.parse(m.value).rebuild === null && JSON.parse(m.value).reportsRun !== null && m.at > (pendingMark?.at ?? Infinity));
  const doneMark = checkpoint.marks.find((m) => JSON.parse(m.value).run === null);
  if (!pendingMark || !doneMark || !completeMark) throw new Error(`reference: no pending/checkpoint marks ${JSON.stringify({ pending: pending.marks, checkpoint: checkpoint.marks })}`);
  ref = {
    wb, data: dataTabs(wb.rt), other: otherTabs(wb.rt), checkpoint: wb.documentProperty(CHECKPOINT_KEY),
    serviceCalls: steps[0].serviceCalls, apiCalls: steps[0].result!.calls, checkpointAt: doneMark.at, pendingAt: pendingMark.at, doneAt: completeMark.at,
  };
}, 120_000);

afterAll(async () => {
  await shared?.sb.clearFaults().catch(() => undefined);
  await shared?.close();
});

test('the reference workbook holds real data and reports (so the comparisons below can fail)', () => {
  const rows = (tab: string) => ref.data[tab].rows.length;
  expect(rows('Orders')).toBeGreaterThan(100);
  expect(rows('Order lines')).toBeGreaterThanOrEqual(rows('Orders'));
  expect(rows('Creator orders')).toBeGreaterThan(10);
  expect(rows('Unsettled estimates')).toBeGreaterThan(10);
  expect(rows('Statements')).toBeGreaterThan(0);
  for (const snap of Object.values(ref.data)) {
    expect(snap.duplicates).toEqual([]);
    expect(snap.invalid).toEqual([]);
  }
  expect(ref.other.names).toEqual(expect.arrayContaining(['Profit', 'Order margin', 'SKU profit', 'Reconciliation', 'Alerts']));
  expect(ref.other.values['Order margin'].length).toBeGreaterThan(100);
  expect(JSON.parse(ref.checkpoint!)).toEqual({ v: 1, watermark: shared.startMs / 1000 + 1, run: null, completed: 1, lastRunChanged: true });
  // The step's anatomy the kill points rely on: pull, checkpoint (reports due from then on), the rebuild pinned, the tabs, complete.
  expect(ref.checkpointAt).toBeLessThan(ref.pendingAt);
  expect(ref.pendingAt).toBeLessThan(ref.doneAt);
  expect(ref.doneAt).toBeLessThanOrEqual(ref.serviceCalls);
  expect(ref.apiCalls).toBeGreaterThan(100);
  console.log(`reference: one step, ${ref.serviceCalls} service calls (${ref.apiCalls} API calls; checkpoint at call ${ref.checkpointAt}, rebuild pinned at ${ref.pendingAt}, reports ${ref.pendingAt + 1}–${ref.doneAt - 1}, done at ${ref.doneAt}); ` +
    Object.entries(ref.data).map(([t, s]) => `${t} ${s.rows.length}`).join(', '));
});

test(`a refresh killed at ${KILL_RUNS} random service calls (and at the phase boundaries) ends with the reference workbook`, async () => {
  const n = ref.serviceCalls;
  const rnd = prng(KILL_SEED);
  // Stratified: one random point in each of KILL_RUNS equal slices of [1, n − 1], so the pull,
  // the writes and the report rebuild all get hit; plus the boundaries around the checkpoint.
  const random = Array.from({ length: KILL_RUNS }, (_, i) => 1 + Math.floor(((i + rnd()) * (n - 1)) / KILL_RUNS));
  const boundaries = [...new Set([ref.checkpointAt - 1, ref.checkpointAt, ref.pendingAt, ref.doneAt - 1, ref.doneAt, n - 1])].filter((k) => k >= 1 && k < n);
  const problems: string[] = [];
  const summary: string[] = [];
  for (const k of [...random, ...boundaries]) {
    const wb = newWorkbook(shared);
    await wb.setUp();
    const killed = wb.step(k);
    // killAfterCalls k: calls 1..k ran, call k + 1 was refused. A property set during call c is kept when k ≥ c.
    const phase = k < ref.checkpointAt ? 'pull' : k < ref.doneAt ? 'reports' : 'complete';
    const where = `kill after ${k} calls (${phase})`;
    if (!killed.killed) {
      problems.push(`${where}: the execution was not killed`);
      continue;
    }
    if (phase === 'reports' && !reportsDue(wb)) problems.push(`${where}: the reports are not due after the kill (${JSON.stringify(refreshState(wb))})`);
    const { steps, errors } = wb.refreshToDone(5);
    const apiCalls = steps.reduce((a, s) => a + s.result!.calls, 0);
    if (errors.length) problems.push(`${where}: resumed with errors ${errors.join(' | ')}`);
    // Killed before the checkpoint: the pull starts over; after it, no pull at all until the reports
    // are complete (the checkpoint alone says so). Once complete, the next refresh is a new, incremental run.
    if (phase === 'pull' && apiCalls !== ref.apiCalls) problems.push(`${where}: the resume made ${apiCalls} API calls, the reference ${ref.apiCalls}`);
    if (phase === 'reports' && apiCalls !== 0) problems.push(`${where}: the resume made ${apiCalls} API calls to rebuild the reports`);
    // Killed once complete, the next refresh is one more (incremental) run: one more completed run.
    // (The incremental run after a complete one changes no row: lastRunChanged false.)
    const refCp = JSON.parse(ref.checkpoint!) as { completed: number };
    const wantCp = JSON.stringify(phase === 'complete' ? { ...refCp, completed: refCp.completed + 1, lastRunChanged: false } : refCp);
    if (wb.documentProperty(CHECKPOINT_KEY) !== wantCp) problems.push(`${where}: checkpoint ${wb.documentProperty(CHECKPOINT_KEY)} vs ${wantCp}`);
    if (reportsDue(wb) || refreshState(wb).rebuild !== null) problems.push(`${where}: reports still due ${JSON.stringify(refreshState(wb))}`);
    problems.push(...differences(wb).map((d) => `${where}: ${d}`));
    summary.push(`${k}:${PHASE_LETTER[phase]}:${steps.length}/${apiCalls}`);
  }
  console.log(`kill points (of ${n} service calls; k:phase:resume steps/API calls; P pull, R reports due, C complete): ${summary.join(' ')}`);
  expect(problems).toEqual([]);
}, 150_000);

test('API faults (5xx, a 429 burst, truncated responses) and an access token expiring mid-pull: the data tabs equal the reference', async () => {
  const wb = newWorkbook(shared);
  await wb.setUp();
  const before = wb.transport.log.api;
  let expiredAt = 0;
  // Mid-pull, from inside the execution: the sandbox expires every access token before the 60th request.
  wb.transport.beforeApiRequest = (i, control) => {
    if (i === before + 60) {
      control('/sandbox/tokens/expire');
      expiredAt = i - before;
    }
  };
  await shared.sb.setFaults({ errorShare: 0.1, rateLimitBurst: 3, truncateShare: 0.05 });
  let result: ReturnType<Workbook['refreshToDone']>;
  try {
    result = wb.refreshToDone(10);
  } finally {
    await shared.sb.clearFaults();
    wb.transport.beforeApiRequest = null;
  }
  const log = wb.transport.log;
  console.log(`faults: ${result.steps.length} step(s), ${result.errors.length} failed step(s) ${JSON.stringify(result.errors)}, ${log.api - before} requests, statuses ${JSON.stringify(log.statuses)}, TikTok codes ${JSON.stringify(log.codes)}, ${log.failures} transport failures`);
  // The faults really happened...
  expect(expiredAt).toBe(60);
  expect(log.codes['105002']).toBeGreaterThanOrEqual(1);
  expect(log.codes['36009002']).toBeGreaterThanOrEqual(3);
  expect(log.statuses['500']).toBeGreaterThan(0);
  expect(log.failures).toBeGreaterThan(0);
  // ...and changed nothing in the workbook.
  expect(result.steps[result.steps.length - 1].result!.done).toBe(true);
  expect(diffDataTabs(ref.data, dataTabs(wb.rt), runStamps())).toEqual([]);
  expect(differences(wb, true, runStamps())).toEqual([]);
}, 120_000);

/**
 * Service calls that cost 400–700 ms (virtual): the refresh needs several executions. Each must
 * end by itself: Apps Script kills an execution at 6 minutes, and the sidebar then shows
 * "Exceeded maximum execution time" instead of continuing. The non-kill properties are asserted
 * first, the kill last, so a failure names what went wrong.
 */
const MS_PER_CALL = [400, 450, 500, 550, 600, 650, 700];
test.each(MS_PER_CALL)('with %i ms per service call the refresh spreads over ≥ 3 executions, each ending by itself within 6 minutes', async (msPerCall) => {
  const wb = newWorkbook(shared, { msPerCall });
  await wb.setUp();
  const steps: StepOutcome[] = [];
  for (let i = 0; i < 12; i++) {
    const s = wb.step();
    steps.push(s);
    if (s.result?.done || s.result?.phase === 'busy') break;
  }
  const show = steps.map((s) => `${s.killed ? 'KILLED' : s.result!.phase} ${s.serviceCalls} calls ${(s.elapsedMs / 1000).toFixed(1)} s${s.result ? ` → ${(s.result.progress * 100).toFixed(0)}%` : ''}`);
  console.log(`${msPerCall} ms/call: ${show.join(' | ')}`);
  expect(steps[steps.length - 1].result).toMatchObject({ done: true, phase: 'done', progress: 1 });
  expect(steps.length).toBeGreaterThanOrEqual(3);
  const finished = steps.filter((s) => !s.killed);
  // Pulling steps stop near the pull deadline, not long before it (chunks are as big as the budget allows).
  for (const s of finished.slice(0, -1)) expect(s.elapsedMs).toBeGreaterThan(PULL_DEADLINE_MS / 2);
  const progress = finished.filter((s) => s.result!.phase === 'pulling' || s.result!.done).map((s) => s.result!.progress);
  for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThan(progress[i - 1]);
  expect(diffDataTabs(ref.data, dataTabs(wb.rt), runStamps())).toEqual([]);
  expect(differences(wb, true, runStamps())).toEqual([]);
  // Last: no execution reached the 6-minute limit.
  expect(steps.filter((s) => s.killed).map((s) => `step ${steps.indexOf(s) + 1} killed after ${s.serviceCalls} calls, ${(s.elapsedMs / 1000).toFixed(1)} s`)).toEqual([]);
  for (const s of steps) expect(s.elapsedMs).toBeLessThan(DEFAULT_BUDGET_MS);
}, 60_000);

test('a second refresh while another execution holds the document lock returns "busy", plainly, and writes nothing', async () => {
  const wb = newWorkbook(shared);
  await wb.setUp();
  const holder = wb.rt.begin();
  try {
    expect(holder.eval('LockService.getDocumentLock().tryLock(0)')).toBe(true);
    const before = workbookState(wb);
    const second = wb.step();
    expect(second.killed).toBe(false);
    expect(second.result).toMatchObject({ done: false, phase: 'busy', written: 0, calls: 0 });
    expect(second.result!.message).toBe('Another refresh of this workbook is running (someone else, or a scheduled one). Try again in a few minutes.');
    expect(second.apiRequests).toBe(0);
    expect(workbookState(wb)).toBe(before);
  } finally {
    holder.end();
  }
  // Once the other execution has ended, the refresh goes through.
  const { steps, errors } = wb.refreshToDone(5);
  expect(errors).toEqual([]);
  expect(steps.map((s) => s.result!.phase)).toEqual(['done']);
  expect(differences(wb)).toEqual([]);
}, 60_000);

test('killed during the report rebuild: the next refresh rebuilds the reports without pulling again (0 calls) and ends done', async () => {
  const wb = newWorkbook(shared);
  await wb.setUp();
  const k = ref.pendingAt + Math.floor((ref.serviceCalls - ref.pendingAt) / 2);
  const killed = wb.step(k);
  expect(killed.killed).toBe(true);
  expect(reportsDue(wb)).toBe(true);
  expect(refreshState(wb).rebuild).toMatchObject({ run: 1, asOf: shared.startMs / 1000 });
  expect(wb.documentProperty(CHECKPOINT_KEY)).toBe(ref.checkpoint);
  // The data is all there already; only the reports are not.
  expect(diffDataTabs(ref.data, dataTabs(wb.rt))).toEqual([]);
  expect(diffOtherTabs(ref.other, otherTabs(wb.rt))).not.toEqual([]);

  // While someone holds the lock, the pending rebuild waits too, and writes nothing.
  const holder = wb.rt.begin();
  holder.eval('LockService.getDocumentLock().tryLock(0)');
  const before = workbookState(wb);
  const busy = wb.step();
  holder.end();
  expect(busy.result).toMatchObject({ done: false, phase: 'busy', calls: 0, progress: 1 });
  expect(busy.result!.message).toMatch(/^Another refresh of this workbook is running\. Try again in a few minutes\.$/);
  expect(workbookState(wb)).toBe(before);

  const next = wb.step();
  expect(next.killed).toBe(false);
  expect(next.result).toMatchObject({ done: true, phase: 'done', calls: 0, written: 0, progress: 1 });
  expect(next.apiRequests).toBe(0);
  expect(reportsDue(wb)).toBe(false);
  expect(refreshState(wb)).toMatchObject({ reportsRun: 1, rebuild: null });
  console.log(`killed after ${k} of ${ref.serviceCalls} calls (reports from ${ref.pendingAt + 1}); the resume: ${next.serviceCalls} service calls, 0 API requests`);
  // As written by that step itself (its clock started at R0, as the reference's rebuild).
  expect(differences(wb, false)).toEqual([]);
}, 60_000);

test('the comparison itself catches a duplicated row, a lost row, a changed cell and a changed report cell', async () => {
  const wb = newWorkbook(shared);
  await wb.setUp();
  wb.refreshToDone(3);
  wb.rebuildAtR0();
  expect(differences(wb, false)).toEqual([]);
  const ss = wb.rt.spreadsheet;
  const orders = ss.getSheetByName('Orders')!;
  // Ids typed as text (a leading apostrophe), as the add-on writes them: bare digits would become numbers.
  const second = orders.getRange(2, 1, 1, orders.getLastColumn()).getValues().map((r) => r.map((v) => (typeof v === 'string' && /^\d+$/.test(v) ? `'${v}` : v)));
  orders.getRange(orders.getLastRow() + 1, 1, 1, second[0].length).setValues(second);
  const lines = ss.getSheetByName('Order lines')!;
  lines.getRange(3, 1, 1, lines.getLastColumn()).clearContent();
  const creators = ss.getSheetByName('Creator orders')!;
  const money = creators.getRange(1, 1, 1, creators.getLastColumn()).getValues()[0].indexOf('Price');
  expect(money).toBeGreaterThanOrEqual(0);
  creators.getRange(2, money + 1).setValue(Number(creators.getRange(2, money + 1).getValue()) + 0.01);
  ss.getSheetByName('Profit')!.getRange(4, 2).setValue('tampered');
  const found = [...diffDataTabs(ref.data, dataTabs(wb.rt)), ...diffOtherTabs(ref.other, otherTabs(wb.rt))].join('\n');
  expect(found).toMatch(/^Orders: duplicate keys/m);
  expect(found).toMatch(/^Order lines: 1 row\(s\) lost/m);
  expect(found).toMatch(/^Creator orders: 1 row\(s\) differ/m);
  expect(found).toMatch(/^Profit row 4:/m);
}, 60_000);
