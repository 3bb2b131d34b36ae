/**
 * `npm run bench`: the engine over a generated shop of ~1,000,000 order lines.
 *
 * Prints, for the per-order margin and the accrual/cash views: wall time (median of the
 * runs), lines and orders per second, and the process's peak resident memory while the
 * engine ran (sampled every 2 ms by a worker thread, because the engine itself is one
 * synchronous call). Figures are printed side by side with dev/bench/baseline.json and the
 * ratio current/baseline; `--save-baseline` records this run as the new baseline.
 *
 *   npm run bench                          # 1,000,000 lines, 3 runs
 *   npm run bench -- --lines 200000 --runs 5
 *   npm run bench -- --save-baseline
 *   npm run bench -- --small               # 5,000 lines, 1 run: the check the test suite runs
 *
 * Every run checks what it measured (the engine priced every order; the Order margin report holds
 * exactly the orders of its 30-day window) and exits non-zero when it does not hold.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeMargins } from '../../src/core/margin';
import { periodView } from '../../src/core/views';
import { allReports } from '../../src/core/reports';
import { inRange, standardPeriods } from '../../src/core/reports/table';
import { generateShop } from '../generator/shop';
import { median, sleepMs, startRssSampler } from './measure';

interface Figures {
  lines: number;
  orders: number;
  generateSeconds: number;
  marginSeconds: number;
  marginPeakRssMb: number;
  marginRssGrowthMb: number;
  linesPerSecond: number;
  viewsSeconds: number;
  /** All eight reports (allReports) over the same shop, and the peak RSS while they ran. */
  reportsSeconds?: number;
  reportsPeakRssMb?: number;
  node: string;
  when: string;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function main(): void {
  const small = process.argv.includes('--small');
  const targetLines = arg('lines', small ? 5_000 : 1_000_000);
  const runs = arg('runs', small ? 1 : 3);
  const seed = arg('seed', 7);
  const days = 120;
  // The generator averages ~1.6 lines per paid order; aim for the target and report the real count.
  const ordersPerDay = Math.round(targetLines / days / 1.6);

  const g0 = performance.now();
  const shop = generateShop({ seed, days, ordersPerDay, buyers: Math.max(5000, Math.round(ordersPerDay * days / 3)), skus: 200, creators: 300 });
  const generateSeconds = (performance.now() - g0) / 1000;
  const lines = shop.data.lines.length;
  const orders = shop.data.orders.length;

  const marginTimes: number[] = [];
  const viewTimes: number[] = [];
  const reportTimes: number[] = [];
  let reportsPeak = 0;
  let peak = 0;
  let growth = 0;
  for (let r = 0; r < runs; r++) {
    (globalThis as { gc?: () => void }).gc?.();
    sleepMs(20);
    const before = process.memoryUsage.rss() / 2 ** 20;
    const sampler = startRssSampler();
    sleepMs(10);
    const t0 = performance.now();
    const result = computeMargins(shop.data, shop.settings, shop.asOf);
    const t1 = performance.now();
    const runPeak = sampler.stop();
    periodView(result, shop.data, shop.settings, 'accrual', 'month');
    periodView(result, shop.data, shop.settings, 'cash', 'month');
    const t2 = performance.now();
    const reportSampler = startRssSampler();
    const reports = allReports({ data: shop.data, settings: shop.settings, margins: result });
    const t3 = performance.now();
    reportsPeak = Math.max(reportsPeak, reportSampler.stop());
    // The Order margin tab holds the orders created in the last 30 days (reports/index.ts).
    const last30 = standardPeriods(result.asOf, shop.settings).find((p) => p.label === 'Last 30 days')!;
    const inWindow = result.orders.filter((o) => inRange(o.day, last30)).length;
    if (inWindow === 0 || reports.orderMargin.rows.length !== inWindow) {
      throw new Error(`order margin report: ${reports.orderMargin.rows.length} rows for the ${inWindow} orders created ${last30.from} to ${last30.to}`);
    }
    marginTimes.push((t1 - t0) / 1000);
    viewTimes.push((t2 - t1) / 1000);
    reportTimes.push((t3 - t2) / 1000);
    peak = Math.max(peak, runPeak);
    growth = Math.max(growth, runPeak - before);
    if (result.orders.length === 0) throw new Error('engine produced no orders');
  }

  const marginSeconds = median(marginTimes);
  const current: Figures = {
    lines, orders, generateSeconds, marginSeconds, marginPeakRssMb: peak, marginRssGrowthMb: growth,
    linesPerSecond: lines / marginSeconds, viewsSeconds: median(viewTimes), reportsSeconds: median(reportTimes), reportsPeakRssMb: reportsPeak,
    node: process.version, when: new Date().toISOString(),
  };

  const here = dirname(fileURLToPath(import.meta.url));
  const baselinePath = join(here, 'baseline.json');
  // A small run is a check that the bench still works; its figures say nothing next to a full baseline.
  const baseline: Figures | null = !small && existsSync(baselinePath) ? JSON.parse(readFileSync(baselinePath, 'utf8')) : null;

  const rows: [string, keyof Figures, (v: number) => string, 'lower' | 'higher'][] = [
    ['order lines', 'lines', (v) => v.toLocaleString('en-US'), 'higher'],
    ['orders', 'orders', (v) => v.toLocaleString('en-US'), 'higher'],
    ['generate (s)', 'generateSeconds', (v) => v.toFixed(2), 'lower'],
    ['per-order margin (s, median)', 'marginSeconds', (v) => v.toFixed(3), 'lower'],
    ['lines per second', 'linesPerSecond', (v) => Math.round(v).toLocaleString('en-US'), 'higher'],
    ['peak RSS during margin (MB)', 'marginPeakRssMb', (v) => v.toFixed(0), 'lower'],
    ['RSS growth during margin (MB)', 'marginRssGrowthMb', (v) => v.toFixed(0), 'lower'],
    ['accrual + cash month views (s)', 'viewsSeconds', (v) => v.toFixed(3), 'lower'],
    ['all eight reports (s, median)', 'reportsSeconds', (v) => v.toFixed(2), 'lower'],
    ['peak RSS during reports (MB)', 'reportsPeakRssMb', (v) => v.toFixed(0), 'lower'],
  ];
  console.log(`\nEngine benchmark — ${runs} run(s), seed ${seed}, Node ${process.version}`);
  console.log(`baseline: ${baseline ? `${baseline.when} (Node ${baseline.node})` : small ? 'not compared (--small)' : 'none yet (run with --save-baseline)'}\n`);
  console.log(`${'figure'.padEnd(34)}${'this run'.padStart(14)}${'baseline'.padStart(14)}${'ratio'.padStart(9)}`);
  for (const [label, key, fmt] of rows) {
    const now = current[key] as number;
    const base = baseline ? (baseline[key] as number | undefined) : undefined;
    const ratio = base ? (now / base).toFixed(2) + '×' : '';
    console.log(`${label.padEnd(34)}${fmt(now).padStart(14)}${(base !== undefined ? fmt(base) : '—').padStart(14)}${ratio.padStart(9)}`);
  }
  console.log(`\nmargin runs (s): ${marginTimes.map((t) => t.toFixed(3)).join(', ')}; report runs (s): ${reportTimes.map((t) => t.toFixed(2)).join(', ')}`);
  if (process.argv.includes('--save-baseline')) {
    if (small) throw new Error('--small runs are checks, not baselines: save a baseline from a full run');
    writeFileSync(baselinePath, JSON.stringify(current, null, 2) + '\n');
    console.log(`saved as baseline: ${baselinePath}`);
  }
}

main();
