/**
 * `npm run bench:import`: the sidebar's Import (Seller Center export files) on a large shop, in
 * Node and through the built bundle (dist/Code.js, built by the npm script just before) in the
 * local Apps Script runtime.
 *
 * The generator's shop (US statement fees only, one order line per SKU, as the export has it) is
 * written out as the four files a seller downloads (dev/exports/seller-center.ts): the order
 * export "OrderSKUList" as CSV and as .xlsx, the finance statement as CSV and as .xlsx. For each
 * file it prints:
 *
 * 1. size (MB), data rows and cells (data rows × header columns of the main sheet);
 * 2. in Node: readExportFile (src/imports/files.ts: CSV / unzip + XML → text cells) and
 *    importExport (src/imports/exports.ts: text cells → records) timed separately (median of 3
 *    runs), cells per second, and the peak RSS growth of the process while they ran (sampled every
 *    2 ms by a worker thread; the largest growth over the runs; no forced GC in between);
 * 3. in the runtime: one execution of `previewImport` and one of `confirmImport` (the file's bytes
 *    as base64, as the sidebar sends them), each in a FRESH workbook (installed and connected to a
 *    tiny US sandbox shop, so Currency is USD and Time zone America/Los_Angeles, the generated
 *    shop's; no refresh, the data tabs are empty), preview first then confirm. Per execution: wall
 *    time in Node, service calls, simulated Apps Script time (the runtime's clock: Node time +
 *    `--ms-per-call` ms per service call) and its share of the 6-minute execution limit,
 *    setValues calls and cells written, getValues calls and cells read (rt.spreadsheet.stats), the
 *    peak RSS growth of the Node process. A killed execution (6-minute limit) or one that throws is
 *    printed as such and the benchmark goes on.
 *
 * Then everything again as a markdown table (for docs/benchmarks.md), then the figures side by side with
 * dev/bench/import-baseline.json and the ratio current/baseline (as `npm run bench` does);
 * `--save-baseline` records this run as the new baseline.
 *
 * Exit status: non-zero when a workbook could not be set up or an execution threw; with --small
 * also when one was killed or went over the 6-minute limit (a small file must always fit).
 *
 *   npm run bench:import                                    # 30 days × 500 orders/day, 100 ms per service call
 *   npm run bench:import -- --days 3 --orders-per-day 50    # a quick check
 *   npm run bench:import -- --save-baseline
 *   npm run bench:import -- --small                         # 3 days × 50 orders/day: the check the test suite runs
 *   options: --seed N (default 1)  --days N (default 30)  --orders-per-day N (default 500)
 *            --ms-per-call N (default 100)  --save-baseline
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExecutionKilledError } from '../runtime/gas';
import { startAddonSession, type AddonSession } from '../addon/session';
import { exportOrders, exportStatement } from '../exports/seller-center';
import { generateShop, type GeneratedShop } from '../generator/shop';
import { readExportFile } from '../../src/imports/files';
import { importExport } from '../../src/imports/exports';
import type { ImportOutcome, ImportPreview, SettingField } from '../../src/sheets/server-types';
import { option, sized, SMALL, textTable } from '../cli';
import { markdown, median, sleepMs, startRssSampler } from './measure';

const SEED = Number(option('seed', '1'));
const DAYS = Number(sized('days', '30', '3'));
const PER_DAY = Number(sized('orders-per-day', '500', '50'));
const MS_PER_CALL = Number(option('ms-per-call', '100'));
const SAVE_BASELINE = process.argv.includes('--save-baseline');
const NODE_RUNS = 3;
const BUDGET_MS = 6 * 60 * 1000;
const HERE = dirname(fileURLToPath(import.meta.url));
const BASELINE_PATH = join(HERE, 'import-baseline.json');
const DIST = join(HERE, '../../dist');

// ---------------------------------------------------------------- measuring

const rssMb = (): number => process.memoryUsage.rss() / 2 ** 20;

// ---------------------------------------------------------------- the files

interface ExportFile {
  /** "orders CSV" */
  label: string;
  /** The file name the sidebar sends. */
  name: string;
  bytes: Uint8Array;
}

interface NodeFigures {
  sizeMb: number;
  rows: number;
  columns: number;
  cells: number;
  readSeconds: number;
  importSeconds: number;
  peakRssGrowthMb: number;
  /** ImportResult.rows and the record counts, to check the runtime read the same. */
  importedRows: number;
}

interface ExecFigures {
  fn: 'previewImport' | 'confirmImport';
  /** 'ok', 'KILLED' (6-minute limit) or 'ERROR'. */
  outcome: 'ok' | 'KILLED' | 'ERROR';
  error?: string;
  /** What the execution returned, in short. */
  summary: string;
  wallMs: number;
  serviceCalls: number;
  simMs: number;
  setValuesCalls: number;
  cellsWritten: number;
  getValuesCalls: number;
  cellsRead: number;
  peakRssGrowthMb: number;
}

interface FileRun {
  file: ExportFile;
  node: NodeFigures;
  preview?: ExecFigures;
  confirm?: ExecFigures;
  /** The session could not be set up. */
  setupError?: string;
}

async function writeFiles(shop: GeneratedShop): Promise<ExportFile[]> {
  return [
    { label: 'orders CSV', name: 'OrderSKUList.csv', bytes: await exportOrders(shop, { format: 'csv' }) },
    { label: 'orders xlsx', name: 'OrderSKUList.xlsx', bytes: await exportOrders(shop, { format: 'xlsx' }) },
    { label: 'statement CSV', name: 'statement.csv', bytes: await exportStatement(shop, { format: 'csv' }) },
    { label: 'statement xlsx', name: 'statement.xlsx', bytes: await exportStatement(shop, { format: 'xlsx' }) },
  ];
}

/** readExportFile and importExport in Node: median of NODE_RUNS runs each, and the peak RSS growth. */
function nodeRun(file: ExportFile, shop: GeneratedShop): NodeFigures {
  const info = { currency: shop.meta.currency, timezone: shop.meta.timezone };
  const readTimes: number[] = [];
  const importTimes: number[] = [];
  let growth = 0;
  let rows = 0;
  let columns = 0;
  let importedRows = 0;
  for (let r = 0; r < NODE_RUNS; r++) {
    sleepMs(20);
    const before = rssMb();
    const sampler = startRssSampler();
    sleepMs(10);
    const t0 = performance.now();
    const tables = readExportFile(file.name, file.bytes);
    const t1 = performance.now();
    const result = importExport(file.name, tables.sheets.map((s) => ({ name: s.name, rows: s.rows })), info);
    const t2 = performance.now();
    growth = Math.max(growth, sampler.stop() - before);
    readTimes.push((t1 - t0) / 1000);
    importTimes.push((t2 - t1) / 1000);
    // The main sheet (the largest): its header row and data rows.
    const main = tables.sheets.reduce((a, b) => (b.rows.length > a.rows.length ? b : a));
    rows = Math.max(0, main.rows.length - 1);
    columns = main.rows[0]?.length ?? 0;
    importedRows = result.rows;
  }
  return {
    sizeMb: file.bytes.length / 2 ** 20, rows, columns, cells: rows * columns,
    readSeconds: median(readTimes), importSeconds: median(importTimes), peakRssGrowthMb: growth, importedRows,
  };
}

// ---------------------------------------------------------------- the runtime

/**
 * The built bundle and its manifest, read once at the start: every workbook runs the same bundle,
 * even when something rebuilds dist/ meanwhile (build.mjs removes its outputs before writing them).
 */
interface Bundle {
  code: string;
  manifest: { urlFetchWhitelist?: string[] };
}

function readBundle(): Bundle {
  return {
    code: readFileSync(join(DIST, 'Code.js'), 'utf8'),
    manifest: JSON.parse(readFileSync(join(DIST, 'appsscript.json'), 'utf8')) as Bundle['manifest'],
  };
}

/** A fresh workbook: the add-on installed and connected to a tiny US sandbox shop (no refresh). */
async function freshWorkbook(shop: GeneratedShop, bundle: Bundle): Promise<AddonSession> {
  const s = await startAddonSession({
    seed: SEED, shop: { days: 2, ordersPerDay: 5 }, msPerCall: MS_PER_CALL, sandbox: { startTime: shop.asOf },
    runtime: { code: bundle.code, distDir: DIST, manifest: bundle.manifest },
  });
  try {
    s.install();
    await s.connect();
    const form = s.rt.run('getSettingsForm') as SettingField[];
    const value = (re: RegExp) => String(form.find((f) => re.test(f.label))?.value ?? '');
    const currency = value(/^currency$/i);
    const timezone = value(/^time ?zone$/i);
    if (currency !== shop.meta.currency || timezone !== shop.meta.timezone) {
      throw new Error(`the workbook's Settings say ${currency} / ${timezone}, the generated shop is ${shop.meta.currency} / ${shop.meta.timezone}`);
    }
    return s;
  } catch (e) {
    await s.close();
    throw e;
  }
}

function summarize(fn: ExecFigures['fn'], r: unknown): string {
  const p = r as ImportPreview;
  const records = p.records.map((x) => `${x.tab} ${x.count.toLocaleString('en-US')}`).join(', ');
  if (fn === 'previewImport') return `${p.kind}, ${p.rows.toLocaleString('en-US')} rows, ${p.from}…${p.to}; ${records}`;
  const o = r as ImportOutcome;
  const changed = o.written.reduce((a, w) => a + w.inserted + w.updated, 0);
  return `${changed.toLocaleString('en-US')} rows added or updated; ${records}`;
}

/** One execution of `fn(fileName, base64)`. */
function execution(s: AddonSession, fn: ExecFigures['fn'], file: ExportFile, base64: string): ExecFigures {
  const rt = s.rt;
  const st0 = { ...rt.spreadsheet.stats };
  const sim0 = s.clock.nowMs();
  const before = rssMb();
  const sampler = startRssSampler();
  const w0 = performance.now();
  let outcome: ExecFigures['outcome'] = 'ok';
  let error: string | undefined;
  let summary = '';
  const ex = rt.begin();
  try {
    summary = summarize(fn, ex.call(fn, file.name, base64));
  } catch (e) {
    if (e instanceof ExecutionKilledError) outcome = 'KILLED';
    else {
      outcome = 'ERROR';
      error = (e as Error).message ?? String(e);
    }
  } finally {
    ex.end();
  }
  const wallMs = performance.now() - w0;
  const peak = sampler.stop();
  const st = rt.spreadsheet.stats;
  return {
    fn, outcome, error, summary, wallMs, serviceCalls: ex.serviceCalls, simMs: s.clock.nowMs() - sim0,
    setValuesCalls: st.setValuesCalls - st0.setValuesCalls, cellsWritten: st.cellsWritten - st0.cellsWritten,
    getValuesCalls: st.getValuesCalls - st0.getValuesCalls, cellsRead: st.cellsRead - st0.cellsRead,
    peakRssGrowthMb: peak - before,
  };
}

// ---------------------------------------------------------------- printing

const n = (v: number) => Math.round(v).toLocaleString('en-US');
const sec = (ms: number) => (ms / 1000).toFixed(1);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const mb = (v: number) => v.toFixed(1);

function execCell(e: ExecFigures | undefined, f: (e: ExecFigures) => string): string {
  if (!e) return '—';
  return e.outcome === 'ok' ? f(e) : `${f(e)} (${e.outcome})`;
}

function limitCell(e: ExecFigures | undefined): string {
  if (!e) return '—';
  if (e.outcome === 'KILLED') return `NO: killed at ${sec(e.simMs)} s`;
  return `${e.simMs < BUDGET_MS ? 'yes' : 'NO'}, ${pct(e.simMs / BUDGET_MS)}`;
}

/** One column per file. */
function resultRows(runs: FileRun[]): string[][] {
  const col = (f: (r: FileRun) => string) => runs.map(f);
  const rows: string[][] = [
    ['', ...runs.map((r) => r.file.label)],
    ['file size (MB)', ...col((r) => mb(r.node.sizeMb))],
    ['data rows', ...col((r) => n(r.node.rows))],
    ['cells (rows × header columns)', ...col((r) => `${n(r.node.cells)} (× ${r.node.columns})`)],
    [`Node: readExportFile (s, median of ${NODE_RUNS})`, ...col((r) => r.node.readSeconds.toFixed(3))],
    ['Node: readExportFile cells/s', ...col((r) => n(r.node.cells / r.node.readSeconds))],
    [`Node: importExport (s, median of ${NODE_RUNS})`, ...col((r) => r.node.importSeconds.toFixed(3))],
    ['Node: importExport cells/s', ...col((r) => n(r.node.cells / r.node.importSeconds))],
    ['Node: read + import cells/s', ...col((r) => n(r.node.cells / (r.node.readSeconds + r.node.importSeconds)))],
    ['Node: peak RSS growth (MB)', ...col((r) => n(r.node.peakRssGrowthMb))],
  ];
  for (const key of ['preview', 'confirm'] as const) {
    const fn = key === 'preview' ? 'previewImport' : 'confirmImport';
    const e = (r: FileRun) => r[key];
    rows.push(
      [`${fn}: outcome`, ...col((r) => (r.setupError ? 'SET-UP FAILED' : e(r)?.outcome ?? '—'))],
      [`${fn}: wall time in Node (s)`, ...col((r) => execCell(e(r), (x) => sec(x.wallMs)))],
      [`${fn}: service calls`, ...col((r) => execCell(e(r), (x) => n(x.serviceCalls)))],
      [`${fn}: simulated Apps Script time (s)`, ...col((r) => execCell(e(r), (x) => sec(x.simMs)))],
      [`${fn}: fits 6 min (share used)`, ...col((r) => limitCell(e(r)))],
      [`${fn}: setValues calls`, ...col((r) => execCell(e(r), (x) => n(x.setValuesCalls)))],
      [`${fn}: cells written`, ...col((r) => execCell(e(r), (x) => n(x.cellsWritten)))],
      [`${fn}: getValues calls`, ...col((r) => execCell(e(r), (x) => n(x.getValuesCalls)))],
      [`${fn}: cells read`, ...col((r) => execCell(e(r), (x) => n(x.cellsRead)))],
      [`${fn}: peak RSS growth (MB)`, ...col((r) => execCell(e(r), (x) => n(x.peakRssGrowthMb)))],
    );
  }
  return rows;
}

// ---------------------------------------------------------------- baseline

interface Baseline {
  seed: number;
  days: number;
  ordersPerDay: number;
  msPerCall: number;
  node: string;
  when: string;
  /** "orders CSV: readExportFile (s)" → value. */
  figures: Record<string, number>;
}

/** The figures compared with the baseline: [name, value, format]. */
function figures(runs: FileRun[]): [string, number, (v: number) => string][] {
  const out: [string, number, (v: number) => string][] = [];
  const s3 = (v: number) => v.toFixed(3);
  const s1 = (v: number) => v.toFixed(1);
  for (const r of runs) {
    const l = r.file.label;
    out.push(
      [`${l}: file size (MB)`, r.node.sizeMb, mb],
      [`${l}: cells`, r.node.cells, n],
      [`${l}: Node readExportFile (s)`, r.node.readSeconds, s3],
      [`${l}: Node importExport (s)`, r.node.importSeconds, s3],
      [`${l}: Node peak RSS growth (MB)`, r.node.peakRssGrowthMb, n],
    );
    for (const e of [r.preview, r.confirm]) {
      if (!e || e.outcome !== 'ok') continue;
      out.push(
        [`${l}: ${e.fn} wall (s)`, e.wallMs / 1000, s1],
        [`${l}: ${e.fn} service calls`, e.serviceCalls, n],
        [`${l}: ${e.fn} simulated (s)`, e.simMs / 1000, s1],
        [`${l}: ${e.fn} cells written`, e.cellsWritten, n],
        [`${l}: ${e.fn} cells read`, e.cellsRead, n],
      );
    }
  }
  return out;
}

function baselineRows(current: [string, number, (v: number) => string][], baseline: Baseline): string[][] {
  const rows: string[][] = [['figure', 'this run', 'baseline', 'ratio']];
  for (const [name, now, fmt] of current) {
    const base = baseline.figures[name];
    rows.push([name, fmt(now), base !== undefined ? fmt(base) : '—', base ? `${(now / base).toFixed(2)}×` : '']);
  }
  return rows;
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const t0 = performance.now();
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const bundle = readBundle();
  log(`Shop: seed ${SEED}, ${DAYS} days × ~${PER_DAY} orders/day (usStatementFees); ${MS_PER_CALL} ms per service call`);
  const shop = generateShop({ seed: SEED, days: DAYS, ordersPerDay: PER_DAY, usStatementFees: true, unitLines: false, truth: false, analytics: false });
  log(`Generated in ${sec(performance.now() - t0)} s: ${n(shop.data.orders.length)} orders, ${n(shop.data.lines.length)} lines, ${n(shop.data.transactions.length)} statement transactions (${shop.meta.currency}, ${shop.meta.timezone})`);
  const files = await writeFiles(shop);
  log(`Files written in ${sec(performance.now() - t0)} s: ${files.map((f) => `${f.name} ${mb(f.bytes.length / 2 ** 20)} MB`).join(', ')}`);

  const runs: FileRun[] = [];
  for (const file of files) {
    const node = nodeRun(file, shop);
    log(`[${file.label}] ${mb(node.sizeMb)} MB, ${n(node.rows)} rows × ${node.columns} = ${n(node.cells)} cells; readExportFile ${node.readSeconds.toFixed(3)} s, importExport ${node.importSeconds.toFixed(3)} s (${n(node.importedRows)} rows imported), peak RSS growth ${n(node.peakRssGrowthMb)} MB`);
    runs.push({ file, node });
  }

  for (const run of runs) {
    const { file } = run;
    let s: AddonSession | null = null;
    try {
      s = await freshWorkbook(shop, bundle);
      const base64 = Buffer.from(file.bytes).toString('base64');
      for (const fn of ['previewImport', 'confirmImport'] as const) {
        const e = execution(s, fn, file, base64);
        if (fn === 'previewImport') run.preview = e;
        else run.confirm = e;
        log(`[${file.label}] ${fn}: ${e.outcome}${e.error ? `: ${e.error}` : ''}; ${e.summary ? `${e.summary}; ` : ''}${sec(e.wallMs)} s in Node, ${n(e.serviceCalls)} service calls, ${sec(e.simMs)} s simulated (${pct(e.simMs / BUDGET_MS)} of 6 min), ${n(e.setValuesCalls)} setValues / ${n(e.cellsWritten)} cells written, ${n(e.getValuesCalls)} getValues / ${n(e.cellsRead)} cells read, RSS +${n(e.peakRssGrowthMb)} MB`);
      }
    } catch (e) {
      run.setupError = (e as Error).message ?? String(e);
      log(`[${file.label}] the workbook could not be set up: ${run.setupError}`);
    } finally {
      await s?.close();
    }
  }

  const rows = resultRows(runs);
  const out: string[] = [];
  out.push(`Import benchmark — shop: seed ${SEED}, ${DAYS} days × ~${PER_DAY} orders/day = ${n(shop.data.orders.length)} orders, ${n(shop.data.lines.length)} order lines, ${n(shop.data.transactions.length)} statement transactions; ${MS_PER_CALL} ms per service call; Node ${process.version}`);
  out.push('');
  out.push(textTable(rows));
  const findings: string[] = [];
  /** Findings that mean the bench itself broke (always), or that a small run must never have. */
  const failures: string[] = [];
  for (const r of runs) {
    if (r.setupError) failures.push(`${r.file.label}: the workbook could not be set up: ${r.setupError}`);
    if (r.setupError) findings.push(`FINDING: ${r.file.label}: the workbook could not be set up: ${r.setupError}`);
    for (const e of [r.preview, r.confirm]) {
      if (!e) continue;
      const before = findings.length;
      if (e.outcome === 'KILLED') findings.push(`FINDING: ${r.file.label}: ${e.fn} was killed at the 6-minute limit (${sec(e.simMs)} s simulated, ${n(e.serviceCalls)} service calls).`);
      else if (e.outcome === 'ERROR') findings.push(`FINDING: ${r.file.label}: ${e.fn} threw: ${e.error}`);
      else if (e.simMs >= BUDGET_MS) findings.push(`FINDING: ${r.file.label}: ${e.fn} took ${sec(e.simMs)} s simulated, over the 6-minute limit.`);
      if (findings.length > before && (e.outcome === 'ERROR' || SMALL)) failures.push(findings[findings.length - 1].replace(/^FINDING: /, ''));
    }
  }
  if (findings.length > 0) out.push('', ...findings);
  out.push('', `Total bench time: ${sec(performance.now() - t0)} s.`);
  out.push('', 'Markdown:', '');
  out.push(`Shop: ${n(shop.data.orders.length)} orders, ${n(shop.data.lines.length)} order lines, ${n(shop.data.transactions.length)} statement transactions (${DAYS} days × ~${PER_DAY}/day, seed ${SEED}); ${MS_PER_CALL} ms per service call; each file into a fresh connected workbook (data tabs empty).`);
  out.push('');
  out.push(markdown(rows));

  const current = figures(runs);
  // A small run is a check that the bench still works; its figures say nothing next to a full baseline.
  const baseline: Baseline | null = !SMALL && existsSync(BASELINE_PATH) ? (JSON.parse(readFileSync(BASELINE_PATH, 'utf8')) as Baseline) : null;
  out.push('');
  if (baseline) {
    out.push(`Baseline: ${baseline.when} (Node ${baseline.node}; seed ${baseline.seed}, ${baseline.days} days × ${baseline.ordersPerDay} orders/day, ${baseline.msPerCall} ms per call)`);
    if (baseline.seed !== SEED || baseline.days !== DAYS || baseline.ordersPerDay !== PER_DAY || baseline.msPerCall !== MS_PER_CALL) {
      out.push('NOTE: the baseline was run with other options; the ratios compare different shops.');
    }
    out.push('');
    out.push(textTable(baselineRows(current, baseline)));
  } else {
    out.push(SMALL ? 'Baseline: not compared (--small)' : `Baseline: none yet (run with --save-baseline to write ${BASELINE_PATH})`);
  }
  if (SAVE_BASELINE) {
    if (SMALL) throw new Error('--small runs are checks, not baselines: save a baseline from a full run');
    const b: Baseline = {
      seed: SEED, days: DAYS, ordersPerDay: PER_DAY, msPerCall: MS_PER_CALL, node: process.version, when: new Date().toISOString(),
      figures: Object.fromEntries(current.map(([name, v]) => [name, v])),
    };
    writeFileSync(BASELINE_PATH, JSON.stringify(b, null, 2) + '\n');
    out.push(`saved as baseline: ${BASELINE_PATH}`);
  }
  process.stdout.write(out.join('\n') + '\n');
  if (failures.length > 0) throw new Error(`bench:import failed:\n- ${failures.join('\n- ')}`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
