/**
 * `npm run bench:warehouse`: the TypeScript engine against the warehouse SQL on DuckDB, the same
 * per-order margin (and shop days) over a generated shop of ~1,000,000 order lines, side by side
 * in one run: wall time, order lines per second, peak memory, and the ratio.
 *
 *   npm run bench:warehouse                        # ~1,000,000 lines, seed 7
 *   npm run bench:warehouse -- --lines 200000
 *   npm run bench:warehouse -- --threads 1,2       # DuckDB thread counts to run (default 1,2)
 *   npm run bench:warehouse -- --small             # ~5,000 lines: the check the test suite runs
 *
 * What each side measures:
 * - engine: computeMargins in this process, the records already in memory; peak RSS of this
 *   process while it ran (it holds the records, which the engine needs as input).
 * - DuckDB: a child process per thread count reading the records from Parquet and computing the
 *   model's steps into tables; its peak RSS (VmHWM) over its whole life.
 * Writing the records to Parquet is timed apart (it is the load, not the computation).
 *
 * Every run then compares the two per-order tables in SQL (every column of every order, both
 * ways) and exits non-zero on any difference.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeMargins } from '../../src/core/margin';
import { shopRows, TABLES } from '../../src/warehouse/tables';
import { generateShop } from '../generator/shop';
import { compareSelect, createTables, ENGINE_ROW_COLUMNS, engineMarginRows, loadRows, openDuck, readJsonSql, writeNdjson } from '../warehouse/duck';
import { sleepMs, startRssSampler } from './measure';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

interface Side {
  label: string;
  seconds: number;
  peakRssMb: number;
}

async function main(): Promise<void> {
  const small = process.argv.includes('--small');
  const targetLines = Number(arg('lines', small ? '5000' : '1000000'));
  const seed = Number(arg('seed', '7'));
  const threadList = arg('threads', '1,2').split(',').map(Number);
  const days = 120;
  const ordersPerDay = Math.round(targetLines / days / 1.6);
  const here = dirname(fileURLToPath(import.meta.url));

  const g0 = performance.now();
  const shop = generateShop({ seed, days, ordersPerDay, buyers: Math.max(5000, Math.round((ordersPerDay * days) / 3)), skus: 200, creators: 300 });
  const generateSeconds = (performance.now() - g0) / 1000;
  const lines = shop.data.lines.length;

  // The records as Parquet, through the same newline-delimited JSON a BigQuery load job takes.
  const dir = mkdtempSync(join(tmpdir(), 'wh-bench-'));
  try {
    const l0 = performance.now();
    {
      const { instance, conn } = await openDuck(2);
      await createTables(conn);
      const rows = shopRows(shop.data, shop.settings, shop.asOf);
      for (const t of TABLES) {
        await loadRows(conn, t.name, rows[t.name] ?? [], dir);
        await conn.run(`COPY ${t.name} TO '${join(dir, `${t.name}.parquet`)}' (FORMAT parquet)`);
      }
      conn.closeSync();
      instance.closeSync();
    }
    const loadSeconds = (performance.now() - l0) / 1000;

    // The engine, in this process.
    (globalThis as { gc?: () => void }).gc?.();
    sleepMs(20);
    const sampler = startRssSampler();
    sleepMs(10);
    const t0 = performance.now();
    const result = computeMargins(shop.data, shop.settings, shop.asOf);
    const engineSeconds = (performance.now() - t0) / 1000;
    const enginePeak = sampler.stop();
    const sides: Side[] = [{ label: 'TypeScript engine', seconds: engineSeconds, peakRssMb: enginePeak }];

    // DuckDB, one child process per thread count.
    for (const threads of threadList) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'warehouse-duck.ts'), dir, String(threads)], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`DuckDB run (${threads} thread(s)) failed:\n${r.stderr}`);
      const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number; peakRssMb: number; orders: number };
      if (out.orders !== result.orders.length) throw new Error(`DuckDB priced ${out.orders} orders, the engine ${result.orders.length}`);
      sides.push({ label: `DuckDB, ${threads} thread${threads === 1 ? '' : 's'}`, seconds: out.seconds, peakRssMb: out.peakRssMb });
    }

    // Equality: every compared column of every order, both ways, for each DuckDB run.
    const engineFile = join(dir, 'engine.ndjson');
    writeNdjson(engineFile, engineMarginRows(result.orders));
    const { instance, conn } = await openDuck(2);
    const mismatches: string[] = [];
    for (const threads of threadList) {
      const e = compareSelect(readJsonSql(engineFile, ENGINE_ROW_COLUMNS));
      const s = compareSelect(`read_parquet('${join(dir, `order_margin_${threads}.parquet`)}')`);
      const diff = await conn.runAndReadAll(`SELECT
        (SELECT count(*) FROM (${e} EXCEPT ALL ${s}) AS a) AS engine_only,
        (SELECT count(*) FROM (${s} EXCEPT ALL ${e}) AS b) AS sql_only`);
      const [engineOnly, sqlOnly] = diff.getRows()[0].map(Number);
      if (engineOnly || sqlOnly) {
        const sample = await conn.runAndReadAll(`SELECT order_id FROM (${e} EXCEPT ALL ${s}) AS a ORDER BY order_id LIMIT 5`);
        mismatches.push(`DuckDB ${threads} thread(s): ${engineOnly} engine rows and ${sqlOnly} SQL rows differ (e.g. ${sample.getRows().map((x) => x[0]).join(', ')})`);
      }
    }
    conn.closeSync();
    instance.closeSync();

    const fmt = (v: number, d = 2) => v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
    console.log(`\nWarehouse benchmark — seed ${seed}, ${lines.toLocaleString('en-US')} order lines, ${result.orders.length.toLocaleString('en-US')} paid orders, Node ${process.version}`);
    console.log(`generate ${fmt(generateSeconds)} s; records → NDJSON → DuckDB → Parquet ${fmt(loadSeconds)} s (not in the figures below)\n`);
    console.log(`${'per-order margin + shop days'.padEnd(30)}${'seconds'.padStart(10)}${'lines/s'.padStart(14)}${'peak RSS MB'.padStart(13)}${'engine ÷ this'.padStart(15)}`);
    for (const s of sides) {
      console.log(`${s.label.padEnd(30)}${fmt(s.seconds, 3).padStart(10)}${Math.round(lines / s.seconds).toLocaleString('en-US').padStart(14)}${fmt(s.peakRssMb, 0).padStart(13)}${(fmt(engineSeconds / s.seconds) + '×').padStart(15)}`);
    }
    console.log(`\nequal per order (every component, true-up, basis, day, creator): ${mismatches.length === 0 ? 'yes' : 'NO'}`);
    if (mismatches.length) {
      for (const m of mismatches) console.error(m);
      process.exitCode = 1;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
