/**
 * One DuckDB run of the warehouse bench, in its own process so its peak memory is its own:
 * the records read from Parquet, the model's steps computed into tables (order_margin and
 * shop_day), the wall time of that, then order_margin written back to Parquet (not timed).
 * Prints one JSON line: { seconds, peakRssMb, orders }.
 *
 *   tsx dev/bench/warehouse-duck.ts <parquet dir> <threads>
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { duckDbDialect } from '../../src/warehouse/dialect';
import { modelStatements } from '../../src/warehouse/sql';
import { TABLES } from '../../src/warehouse/tables';

const [dir, threadsText] = process.argv.slice(2);
const threads = Number(threadsText);

function peakRssMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const conn = await instance.connect();
for (const t of TABLES) await conn.run(`CREATE VIEW ${t.name} AS SELECT * FROM read_parquet('${join(dir, `${t.name}.parquet`)}')`);
// Everything up to the per-order margin and the shop days (what computeMargins returns), no report view.
const steps = modelStatements(duckDbDialect(), 'tables').filter((s) => !/profit_by_day/.test(s.split('\n')[0]));
const t0 = performance.now();
for (const s of steps) await conn.run(s);
const seconds = (performance.now() - t0) / 1000;
const peak = peakRssMb();
const count = await conn.runAndReadAll('SELECT count(*) AS n FROM order_margin');
await conn.run(`COPY order_margin TO '${join(dir, `order_margin_${threads}.parquet`)}' (FORMAT parquet)`);
console.log(JSON.stringify({ seconds, peakRssMb: peak, orders: Number(count.getRows()[0][0]) }));
conn.closeSync();
instance.closeSync();
