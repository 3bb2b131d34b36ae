/**
 * `npm run bench:workbook`: the add-on end to end on a large shop, off Google. The built bundle
 * (dist/Code.js, built by the npm script just before) runs in the local Apps Script runtime
 * (dev/runtime/gas) against the TikTok Shop sandbox (a child process), wired by
 * dev/addon/session.ts: install → connect → the seller's inputs → Settings "Backfill days" set so
 * the backfill window covers the whole shop → the FULL refresh (the backfill, one 6-minute
 * execution after another until done) → the shop moves on `--advance` seconds → an INCREMENTAL
 * refresh.
 *
 * For each refresh it prints: executions (killed ones included), UrlFetch calls (fetch + fetchAll
 * invocations) and HTTP requests (every fetchAll member), setValues calls and cells written,
 * getValues calls and cells read (range sizes, rt.spreadsheet.stats), the wall time of the run in
 * Node, and the simulated Apps Script time (the runtime's clock: Node time + `--ms-per-call` ms for
 * every service call; the longest execution is shown against the 6-minute limit). Then the
 * workbook's cells per tab (rows × columns of every grid, filled or not, as Sheets counts them)
 * against the 10,000,000-cell limit, and the headroom: how many more days of orders fit at the
 * rate this shop filled the workbook. Everything again as markdown tables (for docs/benchmarks.md).
 *
 * The sandbox clock starts at 12:00 shop time on the shop's LAST day (half a day of orders still to
 * come), so the backfill sees (days − 0.5) days of orders and the incremental refresh the rest plus
 * the day's status changes.
 *
 *   npm run bench:workbook                                   # 200 days × 440 orders/day, Backfill days 90, Google's costs
 *   npm run bench:workbook -- --days 10 --orders-per-day 100 # a quick check
 *   npm run bench:workbook -- --small                        # 6 days × 30 orders/day: the check the test suite runs
 *   options: --seed N  --days N  --orders-per-day N  --ms-per-call N  --backfill-days N (default 90; days + 1 with --small)
 *            --month-days N (scheduled refreshes simulated after the incremental one, default 30)  --schedule hourly|daily
 *            --advance SECONDS (default 86400)  --max-steps N (executions per refresh, default 400)
 *            --resnapshot SECONDS (see below; 0 = the sandbox re-generates the shop whenever its clock moves)
 *
 * The sandbox re-generates its shop whenever its clock moves, and the session moves it to follow the
 * runtime's clock (10 s of drift at most). On a 100,000-order shop one generation takes seconds, so
 * the sandbox runs a ticking clock that re-generates at most every `--resnapshot` simulated seconds
 * (default 300): within that span the shop looks frozen, as it does between two refreshes.
 *
 * Exit status: non-zero when an execution failed with an error, or the Orders tab does not hold the
 * sandbox's orders after a completed refresh; with --small also when a refresh was killed or did
 * not complete (a small shop must always fit; a large one not fitting is a finding, printed).
 */
import { CELL_LIMIT, ExecutionKilledError, GOOGLE_COSTS, TRIGGER_QUOTA_MS, type TriggerRun } from '../runtime/gas';
import { startAddonSession, type AddonSession } from '../addon/session';
import { setSetting } from '../addon/seller-inputs';
import { addDays, startOfDay } from '../../src/core/time';
import type { HttpRequest, HttpResponse } from '../../src/tiktok/ports';
import type { RefreshProgress } from '../../src/sheets/server-types';
import { option, sized, SMALL, textTable } from '../cli';
import { markdown } from './measure';

const opt = (name: string, def: string): string => option(name, def);
const SEED = Number(opt('seed', '1'));
// A 100,000-order shop (200 days × ~500 orders a day): a 90-day backfill of it fits in one
// workbook; 100 days × 1,000 orders a day does not, and the refresh says so before pulling.
const DAYS = Number(sized('days', '200', '6'));
const PER_DAY = Number(sized('orders-per-day', '440', '30'));
const MS_PER_CALL = Number(opt('ms-per-call', '100'));
const BACKFILL_DAYS = Number(opt('backfill-days', SMALL ? String(DAYS + 1) : '90'));
const ADVANCE = Number(opt('advance', '86400'));
const MAX_STEPS = Number(opt('max-steps', '400'));
const RESNAPSHOT = Number(opt('resnapshot', '300'));
/** The month of scheduled refreshes after the incremental one: days simulated, and the schedule. */
const MONTH_DAYS = Number(sized('month-days', '30', '30'));
const SCHEDULE = opt('schedule', SMALL ? 'hourly' : 'daily');
const SCHEDULE_HOUR = 6;
/** The generator's defaults (dev/generator/shop.ts): first day and time zone of a USD shop. */
const START_DAY = '2025-02-17';
const TZ = 'America/Los_Angeles';
/** 12:00 shop time on the last shop day. */
const START = startOfDay(addDays(START_DAY, DAYS - 1), TZ) + 12 * 3600;
const DAYS_OF_ORDERS = (START - startOfDay(START_DAY, TZ)) / 86400;
const BUDGET_MS = 6 * 60 * 1000;

interface Step { phase: string; progress: number; calls: number; written: number; serviceCalls: number; simMs: number; wallMs: number; killed: boolean; heapMb: number; error?: string }

interface Run {
  label: string;
  steps: Step[];
  done: boolean;
  error?: string;
  urlFetchCalls: number;
  httpRequests: number;
  apiCalls: number;
  written: number;
  setValuesCalls: number;
  cellsWritten: number;
  getValuesCalls: number;
  cellsRead: number;
  wallMs: number;
  simMs: number;
  maxExecMs: number;
  peakRssMb: number;
  peakHeapMb: number;
}

interface TabCells { name: string; rows: number; columns: number; cells: number; lastRow: number; hidden: boolean }

/** UrlFetchApp sends every fetch and fetchAll through one transport.fetchAll: count those. */
function countUrlFetchCalls(s: AddonSession): () => number {
  let n = 0;
  const t = s.transport;
  const fetchAll = t.fetchAll.bind(t);
  const fetchOne = t.fetch.bind(t);
  t.fetchAll = (requests: HttpRequest[]): HttpResponse[] => { n++; return fetchAll(requests); };
  t.fetch = (request: HttpRequest): HttpResponse => { n++; return fetchOne(request); };
  return () => n;
}

const rssMb = () => process.memoryUsage().rss / 1024 / 1024;

function refreshRun(s: AddonSession, label: string, urlFetchCalls: () => number): Run {
  const rt = s.rt;
  const st0 = { ...rt.spreadsheet.stats };
  const http0 = rt.requests.length;
  const fetch0 = urlFetchCalls();
  const t0 = performance.now();
  const steps: Step[] = [];
  let done = false;
  let error: string | undefined;
  let peakRssMb = rssMb();
  for (let i = 0; i < MAX_STEPS && !done && !error; i++) {
    const sim0 = s.clock.nowMs();
    const w0 = performance.now();
    const ex = rt.begin();
    let r: RefreshProgress | null = null;
    let killed = false;
    let stepError: string | undefined;
    try {
      r = ex.call('refresh') as RefreshProgress;
    } catch (e) {
      if (e instanceof ExecutionKilledError) killed = true;
      else stepError = (e as Error).message ?? String(e);
    } finally {
      ex.end();
    }
    const step: Step = {
      phase: r?.phase ?? (killed ? 'KILLED' : 'ERROR'), progress: r?.progress ?? (steps.length > 0 ? steps[steps.length - 1].progress : 0), calls: r?.calls ?? 0, written: r?.written ?? 0, serviceCalls: ex.serviceCalls,
      simMs: s.clock.nowMs() - sim0, wallMs: performance.now() - w0, killed, heapMb: ex.peakHeapBytes / 1024 / 1024, error: stepError,
    };
    steps.push(step);
    peakRssMb = Math.max(peakRssMb, rssMb());
    process.stderr.write(`[${label}] execution ${i + 1}: ${step.phase}${r ? ` ${Math.round(r.progress * 100)}%` : ''}, ${step.calls} API calls, ${step.written} rows, ${step.serviceCalls} service calls, ${(step.simMs / 1000).toFixed(1)} s simulated, ${(step.wallMs / 1000).toFixed(1)} s in Node, RSS ${Math.round(rssMb())} MB, ${rt.spreadsheet._cellCount().toLocaleString('en-US')} cells${stepError ? `: ${stepError}` : ''}\n`);
    if (stepError) error = `execution ${i + 1} failed: ${stepError}`;
    else if (r?.phase === 'busy') error = `execution ${i + 1}: ${r.message}`;
    else if (r?.done) done = true;
  }
  if (!done && !error) error = `not done after ${MAX_STEPS} executions`;
  const st = rt.spreadsheet.stats;
  return {
    label, steps, done, error,
    urlFetchCalls: urlFetchCalls() - fetch0,
    httpRequests: rt.requests.length - http0,
    apiCalls: steps.reduce((a, x) => a + x.calls, 0),
    written: steps.reduce((a, x) => a + x.written, 0),
    setValuesCalls: st.setValuesCalls - st0.setValuesCalls,
    cellsWritten: st.cellsWritten - st0.cellsWritten,
    getValuesCalls: st.getValuesCalls - st0.getValuesCalls,
    cellsRead: st.cellsRead - st0.cellsRead,
    wallMs: performance.now() - t0,
    simMs: steps.reduce((a, x) => a + x.simMs, 0),
    maxExecMs: Math.max(0, ...steps.map((x) => x.simMs)),
    peakRssMb,
    peakHeapMb: Math.max(0, ...steps.map((x) => x.heapMb)),
  };
}

function tabCells(s: AddonSession): TabCells[] {
  return s.rt.spreadsheet.getSheets().map((sh) => ({
    name: sh.getName(), rows: sh._maxRows, columns: sh._maxColumns, cells: sh._maxRows * sh._maxColumns, lastRow: sh.getLastRow(), hidden: sh.hidden,
  }));
}

const n = (v: number) => Math.round(v).toLocaleString('en-US');
const sec = (ms: number) => (ms / 1000).toFixed(1);
const dur = (ms: number) => (ms >= 120_000 ? `${sec(ms)} s (${(ms / 60_000).toFixed(1)} min)` : `${sec(ms)} s`);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

const table = textTable;

function runRows(runs: Run[]): string[][] {
  const col = (f: (r: Run) => string) => runs.map(f);
  return [
    ['', ...runs.map((r) => r.label)],
    ['executions (6-minute runs)', ...col((r) => `${r.steps.length}${r.steps.some((x) => x.killed) ? ` (${r.steps.filter((x) => x.killed).length} killed)` : ''}`)],
    ['completed', ...col((r) => (r.done ? 'yes' : `NO (stopped at ${pct(r.steps[r.steps.length - 1]?.progress ?? 0)} of the pull)`))],
    ['TikTok API calls (refresh.calls)', ...col((r) => n(r.apiCalls))],
    ['UrlFetch calls (fetch + fetchAll)', ...col((r) => n(r.urlFetchCalls))],
    ['HTTP requests (fetchAll members incl.)', ...col((r) => n(r.httpRequests))],
    ['data rows written (refresh.written)', ...col((r) => n(r.written))],
    ['setValues calls', ...col((r) => n(r.setValuesCalls))],
    ['cells written', ...col((r) => n(r.cellsWritten))],
    ['getValues calls', ...col((r) => n(r.getValuesCalls))],
    ['cells read', ...col((r) => n(r.cellsRead))],
    ['service calls', ...col((r) => n(r.steps.reduce((a, x) => a + x.serviceCalls, 0)))],
    ['simulated Apps Script time', ...col((r) => dur(r.simMs))],
    ['time per execution: mean / longest (limit 360 s)', ...col((r) => `${sec(r.simMs / Math.max(1, r.steps.length))} s / ${sec(r.maxExecMs)} s`)],
    ['peak heap growth of an execution (script + sheet model)', ...col((r) => `${Math.round(r.peakHeapMb)} MB`)],
    ['wall time in Node', ...col((r) => dur(r.wallMs))],
    ['peak RSS of the Node process', ...col((r) => `${Math.round(r.peakRssMb)} MB`)],
  ];
}

async function main(): Promise<void> {
  const t0 = performance.now();
  process.stderr.write(`Sandbox: seed ${SEED}, ${DAYS} days × ~${PER_DAY} orders/day, clock at ${new Date(START * 1000).toISOString()}; cost model: ${MS_PER_CALL} ms a call, ${GOOGLE_COSTS.writeMsPerCell} ms a written cell, ${GOOGLE_COSTS.readMsPerCell} ms a read cell; Backfill days ${BACKFILL_DAYS}\n`);
  const s = await startAddonSession({
    seed: SEED, shop: { days: DAYS, ordersPerDay: PER_DAY }, costs: { ...GOOGLE_COSTS, callMs: MS_PER_CALL },
    sandbox: RESNAPSHOT > 0 ? { startTime: START, ticking: true, resnapshotSeconds: RESNAPSHOT } : { startTime: START },
  });
  const out: string[] = [];
  const md: string[] = [];
  const failures: string[] = [];
  try {
    const state0 = await s.sb.state();
    process.stderr.write(`Sandbox up in ${sec(performance.now() - t0)} s: ${n(state0.orders)} orders, ${n(state0.statements)} statements\n`);
    s.install();
    process.stderr.write(`Connect: ${await s.connect()}\n`);
    // The sidebar asks for the status once the seller is back from TikTok; that sets up the tabs
    // when the OAuth callback (which may run without the spreadsheet) did not.
    if (!s.rt.spreadsheet.getSheetByName('COGS')) s.rt.run('getStatus');
    await s.enterSellerInputs();
    setSetting(s.rt.spreadsheet, 'Backfill days', BACKFILL_DAYS);
    const urlFetchCalls = countUrlFetchCalls(s);
    const cellsBefore = s.rt.spreadsheet._cellCount();

    const runs: Run[] = [];
    const full = refreshRun(s, 'full (backfill)', urlFetchCalls);
    runs.push(full);
    const tabsFull = tabCells(s);
    const cellsFull = s.rt.spreadsheet._cellCount();
    let tabsInc: TabCells[] | null = null;
    let stateInc: Awaited<ReturnType<typeof s.sb.state>> | null = null;
    if (full.done) {
      await s.advance(ADVANCE);
      // The sandbox re-generates the shop on the first call after its clock moved: do it before timing.
      stateInc = await s.sb.state();
      runs.push(refreshRun(s, `incremental (+${ADVANCE / 3600} h)`, urlFetchCalls));
      tabsInc = tabCells(s);
    }
    const cellsEnd = s.rt.spreadsheet._cellCount();
    const ordersTab = (tabs: TabCells[]) => Math.max(0, (tabs.find((t) => t.name === 'Orders')?.lastRow ?? 1) - 1);

    // A month of scheduled refreshes: the seller turns the schedule on; the runtime's clock moves
    // a month, firing the trigger as Apps Script would, each run within the daily trigger quota.
    let month: { runs: TriggerRun[]; maxDayMs: number; ordersOnTab: number; ordersInSandbox: number } | null = null;
    if (full.done && runs[1]?.done && MONTH_DAYS > 0) {
      s.rt.run('setSchedule', SCHEDULE, SCHEDULE === 'daily' ? SCHEDULE_HOUR : undefined);
      const from = s.clock.nowMs();
      const monthRuns: TriggerRun[] = [];
      for (let d = 1; d <= MONTH_DAYS; d++) {
        const dayRuns = s.rt.runTriggersUntil(from + d * 86_400_000);
        monthRuns.push(...dayRuns);
        const used = dayRuns.reduce((a, r) => a + r.ms, 0);
        process.stderr.write(`[scheduled] day ${d}: ${dayRuns.length} run(s) ${dayRuns.map((r) => r.outcome).join(',')}, ${(used / 60_000).toFixed(1)} min of trigger runtime, ${s.rt.spreadsheet._cellCount().toLocaleString('en-US')} cells\n`);
      }
      const byDay = new Map<string, number>();
      for (const r of monthRuns) {
        const day = new Date(r.at).toISOString().slice(0, 10);
        byDay.set(day, (byDay.get(day) ?? 0) + r.ms);
      }
      const stateMonth = await s.sb.state();
      month = { runs: monthRuns, maxDayMs: Math.max(0, ...byDay.values()), ordersOnTab: ordersTab(tabCells(s)), ordersInSandbox: stateMonth.orders };
    }

    out.push(`Shop: seed ${SEED}, ${DAYS} days × ~${PER_DAY} orders/day (sandbox: ${n(state0.orders)} orders, ${n(state0.statements)} statements at the backfill${stateInc ? `, ${n(stateInc.orders)} orders after +${ADVANCE / 3600} h` : ''}); Backfill days ${BACKFILL_DAYS}; cost model ${MS_PER_CALL} ms a call + ${GOOGLE_COSTS.writeMsPerCell} ms a written cell + ${GOOGLE_COSTS.readMsPerCell} ms a read cell; executions of 6 minutes.`);
    out.push(`Orders on the Orders tab: ${n(ordersTab(tabsFull))} after the backfill${tabsInc ? `, ${n(ordersTab(tabsInc))} after the incremental refresh` : ''}.`);
    out.push('');
    const rows = runRows(runs);
    out.push(table(rows));

    const tabs = tabsInc ?? tabsFull;
    const fullByName = new Map(tabsFull.map((t) => [t.name, t]));
    const tabRows: string[][] = [['tab', 'rows × columns', 'data rows', 'cells', 'share of 10M', ...(tabsInc ? ['cells after backfill'] : [])]];
    for (const t of [...tabs].sort((a, b) => b.cells - a.cells)) {
      tabRows.push([`${t.name}${t.hidden ? ' (hidden)' : ''}`, `${n(t.rows)} × ${t.columns}`, n(Math.max(0, t.lastRow - 1)), n(t.cells), pct(t.cells / CELL_LIMIT), ...(tabsInc ? [n(fullByName.get(t.name)?.cells ?? 0)] : [])]);
    }
    tabRows.push(['total', '', '', n(cellsEnd), pct(cellsEnd / CELL_LIMIT), ...(tabsInc ? [n(cellsFull)] : [])]);
    out.push('');
    out.push(`Workbook cells (every grid's rows × columns, as Sheets counts them against ${n(CELL_LIMIT)}):`);
    out.push(table(tabRows));

    // Headroom: cells the backfill added per day of orders, and (when run) what one more day added.
    const coveredDays = Math.min(BACKFILL_DAYS, DAYS_OF_ORDERS);
    const perDay = (cellsFull - cellsBefore) / coveredDays;
    const ordersFull = ordersTab(tabsFull);
    const headroom = CELL_LIMIT - cellsEnd;
    const headroomLines: string[] = [];
    if (full.done) {
      headroomLines.push(`Cells before the first refresh (tabs set up, seller inputs): ${n(cellsBefore)}; the backfill of ${coveredDays.toFixed(1)} days of orders (${n(ordersFull)} orders) added ${n(cellsFull - cellsBefore)} = ${n(perDay)} cells per day, ${n((cellsFull - cellsBefore) / Math.max(1, ordersFull))} per order.`);
      headroomLines.push(`Headroom: ${n(headroom)} cells (${pct(headroom / CELL_LIMIT)} of the limit) = ${perDay > 0 ? n(headroom / perDay) : '∞'} more days of orders at ${n(perDay)} cells/day (~${n(state0.orders / DAYS_OF_ORDERS)} orders/day); the workbook would reach the limit after ~${perDay > 0 ? n(DAYS_OF_ORDERS + headroom / perDay) : '∞'} days of history at this rate (~${n(ordersFull + headroom / Math.max(1, (cellsFull - cellsBefore) / Math.max(1, ordersFull)))} orders).`);
    } else {
      headroomLines.push(`The backfill did NOT complete (stopped at ${pct(full.steps[full.steps.length - 1]?.progress ?? 0)} of the pull, ${n(ordersFull)} orders on the Orders tab, report tabs not yet written): the workbook has ${n(cellsEnd)} cells, ${n(headroom)} below the limit. No headroom: the remaining data tabs and the report tabs do not fit.`);
    }
    if (tabsInc) {
      const incPerDay = (cellsEnd - cellsFull) / (ADVANCE / 86400);
      headroomLines.push(`The incremental refresh (+${ADVANCE / 3600} h) added ${n(cellsEnd - cellsFull)} cells (${n(incPerDay)} per day${incPerDay > 0 ? ` → ${n(headroom / incPerDay)} more days at that rate` : ''}; grids grow in steps, so this is noisy).`);
    }
    out.push('');
    out.push(...headroomLines);
    const monthLines: string[] = [];
    if (month) {
      const count = (o: string) => month!.runs.filter((r) => r.outcome === o).length;
      const quota = TRIGGER_QUOTA_MS.consumer;
      monthLines.push(`A month of scheduled refreshes (${SCHEDULE}${SCHEDULE === 'daily' ? ` at ${SCHEDULE_HOUR}:00` : ''}, ${MONTH_DAYS} days): ${month.runs.length} trigger runs (${count('ok')} ok, ${count('killed')} killed, ${count('error')} failed, ${count('quota')} refused for quota); `
        + `trigger runtime ${dur(month.runs.reduce((a, r) => a + r.ms, 0))} in all, at most ${dur(month.maxDayMs)} on one day (consumer quota ${quota / 60_000} min a day); `
        + `longest run ${sec(Math.max(0, ...month.runs.map((r) => r.ms)))} s; ${n(month.ordersOnTab)} orders on the Orders tab, the sandbox holds ${n(month.ordersInSandbox)}.`);
      const outcome = s.rt.run('getStatus') as { schedule?: { lastRun?: { outcome: string; message: string } | null } };
      monthLines.push(`The sidebar's status after the month: last scheduled run ${outcome.schedule?.lastRun ? `${outcome.schedule.lastRun.outcome} (“${outcome.schedule.lastRun.message}”)` : 'none recorded'}.`);
      out.push('');
      out.push(...monthLines);
      if (month.maxDayMs > quota) failures.push(`scheduled: ${dur(month.maxDayMs)} of trigger runtime on one day, over the quota`);
      if (month.runs.some((r) => r.outcome === 'error')) failures.push(`scheduled: a run failed: ${month.runs.find((r) => r.outcome === 'error')!.error}`);
      if (BACKFILL_DAYS > DAYS_OF_ORDERS && month.ordersOnTab !== month.ordersInSandbox) failures.push(`scheduled: ${month.ordersOnTab} orders on the Orders tab after the month, the sandbox holds ${month.ordersInSandbox}`);
    }
    out.push('');
    out.push(`Total bench time: ${dur(performance.now() - t0)}.`);

    md.push(`Shop: ${n(state0.orders)} orders (${DAYS} days × ~${PER_DAY}/day, seed ${SEED}), Backfill days ${BACKFILL_DAYS}; cost model ${MS_PER_CALL} ms a call + ${GOOGLE_COSTS.writeMsPerCell} ms a written cell + ${GOOGLE_COSTS.readMsPerCell} ms a read cell.`);
    md.push('');
    md.push(markdown(rows.map((r, i) => (i === 0 ? ['', ...r.slice(1)] : r))));
    md.push('');
    md.push(markdown(tabRows));
    md.push('');
    md.push(...headroomLines);
    if (monthLines.length > 0) md.push('', ...monthLines);
    for (const r of runs) {
      const killed = r.steps.filter((x) => x.killed).length;
      if (killed > 0) out.push(`FINDING: ${r.label}: ${killed} execution(s) killed at the 6-minute limit.`);
      const over = r.steps.filter((x) => x.simMs >= BUDGET_MS);
      if (over.length > 0 && killed === 0) out.push(`FINDING: ${r.label}: ${over.length} execution(s) reached the 6-minute limit.`);
      if (!r.done) out.push(`FINDING: ${r.label} did not complete: ${r.error}`);
      if (r.steps.some((x) => x.error)) failures.push(`${r.label}: ${r.error}`);
      else if (SMALL && (killed > 0 || !r.done)) failures.push(`${r.label}: ${r.done ? `${killed} execution(s) killed` : `did not complete: ${r.error}`}`);
    }
    const ordersAt = [[full, ordersTab(tabsFull), state0.orders], ...(tabsInc && stateInc ? [[runs[1], ordersTab(tabsInc), stateInc.orders]] : [])] as [Run, number, number][];
    // Only a backfill that covers the whole shop must bring every order the sandbox holds.
    for (const [r, onTab, inSandbox] of BACKFILL_DAYS > DAYS_OF_ORDERS ? ordersAt : []) {
      if (r.done && onTab !== inSandbox) failures.push(`${r.label}: ${onTab} orders on the Orders tab, the sandbox holds ${inSandbox}`);
    }
  } finally {
    process.stdout.write(out.join('\n') + '\n');
    if (md.length > 0) process.stdout.write('\nMarkdown:\n\n' + md.join('\n') + '\n');
    await s.close();
  }
  if (failures.length > 0) throw new Error(`bench:workbook failed:\n- ${failures.join('\n- ')}`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
