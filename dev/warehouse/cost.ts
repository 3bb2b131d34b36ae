/**
 * `tsx dev/warehouse/cost.ts`: the BigQuery bytes behind docs/warehouse.md's monthly cost, from a
 * generated shop of 2,000 orders a day. Logical sizes follow BigQuery's data size rules (INT64 and
 * DATE 8 bytes, BOOL 1, STRING 2 + its UTF-8 bytes, NULL 0, an ARRAY the sum of its elements);
 * a query is counted at the full size of every table it names (an upper bound: BigQuery bills
 * only the columns read), with BigQuery's 10 MB minimum per table referenced and per query.
 */
import { generateShop } from '../generator/shop';
import { shopRows, TABLES, type ColumnType } from '../../src/warehouse/tables';
import { bigQueryDialect } from '../../src/warehouse/dialect';
import { modelStatements, VIEWS } from '../../src/warehouse/sql';
import { duckShop } from './duck';

const MB = 1024 * 1024;
const days = Number(process.argv[2] ?? 30);
const perDay = Number(process.argv[3] ?? 2000);
const shop = generateShop({ seed: 7, days, ordersPerDay: perDay, buyers: Math.round((perDay * days) / 3), skus: 200, creators: 300 });
const rows = shopRows(shop.data, shop.settings, shop.asOf);

function size(v: unknown, type: ColumnType): number {
  if (v === null || v === undefined) return 0;
  if (Array.isArray(v)) return v.reduce((a: number, x) => a + size(x, type), 0);
  if (type === 'STRING') return 2 + Buffer.byteLength(String(v), 'utf8');
  return type === 'BOOL' ? 1 : 8;
}
const sizes: Record<string, number> = {};
for (const t of TABLES) {
  sizes[t.name] = rows[t.name].reduce((a, r) => a + t.columns.reduce((b, c) => b + size(r[c.name], c.type), 0), 0);
}
const orders = shop.data.orders.length;
console.log(`${orders} orders over ${days} days (${Math.round(orders / days)} a day)`);
console.log('record tables (logical MB):', Object.fromEntries(Object.entries(sizes).map(([k, v]) => [k, +(v / MB).toFixed(2)])));
const recordBytes = Object.values(sizes).reduce((a, b) => a + b, 0);
console.log(`records: ${(recordBytes / MB).toFixed(1)} MB, ${(recordBytes / orders).toFixed(0)} bytes per order`);

// The model's tables, materialized on DuckDB, sized by the same rules from their column types.
const { conn } = await duckShop(shop.data, shop.settings, shop.asOf, { mode: 'tables' });
const modelSizes: Record<string, number> = {};
for (const v of VIEWS) {
  if (v.name === 'profit_by_day') continue;
  const cols = (await conn.runAndReadAll(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '${v.name}'`)).getRows();
  const expr = cols.map(([n, t]) => (String(t) === 'VARCHAR' ? `COALESCE(2 + octet_length(CAST("${n}" AS BLOB)), 0)` : String(t) === 'BOOLEAN' ? `CASE WHEN "${n}" IS NULL THEN 0 ELSE 1 END` : `CASE WHEN "${n}" IS NULL THEN 0 ELSE 8 END`)).join(' + ');
  modelSizes[v.name] = Number((await conn.runAndReadAll(`SELECT COALESCE(SUM(${expr}), 0) FROM ${v.name}`)).getRows()[0][0]);
}
const modelBytes = Object.values(modelSizes).reduce((a, b) => a + b, 0);
console.log(`model tables: ${(modelBytes / MB).toFixed(1)} MB`);

// Bytes billed by one refresh: each MERGE reads its staging table and its target; each model step every table it names.
const all = { ...sizes, ...modelSizes };
const billed = (names: string[]) => Math.max(10 * MB, names.reduce((a, n) => a + Math.max(10 * MB, all[n] ?? 0), 0));
let merge = 0;
for (const t of TABLES) if (t.key.length && rows[t.name].length) merge += billed([t.name, t.name]);
let model = 0;
for (const s of modelStatements(bigQueryDialect('p', 'd'), 'tables')) {
  if (!/^CREATE OR REPLACE TABLE/.test(s)) continue;
  const names = [...new Set([...s.matchAll(/`p\.d\.(\w+)`/g)].map((m) => m[1]))].slice(1).filter((n) => n in all);
  model += billed(names);
}
const report = billed(['profit_by_day', 'order_margin', 'shop_day']);
console.log(`one refresh, upper bound: MERGEs ${(merge / MB).toFixed(0)} MB, model ${(model / MB).toFixed(0)} MB, profit read ${(report / MB).toFixed(0)} MB`);
console.log(JSON.stringify({ orders, days, recordBytes, modelBytes, mergeBytes: merge, modelQueryBytes: model, reportBytes: report }));
