/**
 * The warehouse on DuckDB, in Node: the tables of src/warehouse/tables.ts, rows loaded from
 * newline-delimited JSON (the format a BigQuery load job takes), and the model's views in the
 * DuckDB dialect. Tests and the warehouse bench read the per-order margin back from here.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { duckDbDialect } from '../../src/warehouse/dialect';
import { modelStatements } from '../../src/warehouse/sql';
import { COMPONENT_COLUMNS } from '../../src/warehouse/sql/common';
import { TABLES, TABLE, shopRows, type Column } from '../../src/warehouse/tables';
import { FEE_COMPONENTS, type FeeComponents, type OrderMargin, type ShopDay } from '../../src/core/margin-types';
import type { ShopData } from '../../src/core/records';
import type { Settings } from '../../src/core/settings';

const DUCK_TYPES = { INT64: 'BIGINT', STRING: 'VARCHAR', BOOL: 'BOOLEAN', DATE: 'DATE' } as const;
export const duckType = (c: Column) => DUCK_TYPES[c.type] + (c.repeated ? '[]' : '');

export async function openDuck(threads = 1): Promise<{ instance: DuckDBInstance; conn: DuckDBConnection }> {
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  return { instance, conn: await instance.connect() };
}

export async function createTables(conn: DuckDBConnection): Promise<void> {
  for (const t of TABLES) {
    await conn.run(`CREATE OR REPLACE TABLE ${t.name} (${t.columns.map((c) => `${c.name} ${duckType(c)}`).join(', ')})`);
  }
}

/** `read_json` of a newline-delimited JSON file with a table's columns and types. */
export function readJsonSql(file: string, columns: readonly Column[]): string {
  const spec = columns.map((c) => `${c.name}: '${duckType(c)}'`).join(', ');
  return `read_json('${file.replace(/'/g, "''")}', format = 'newline_delimited', columns = {${spec}})`;
}

/** Writes rows as newline-delimited JSON, in chunks (a million rows would not fit one string). */
export function writeNdjson(file: string, rows: readonly Record<string, unknown>[]): void {
  const fd = openSync(file, 'w');
  try {
    for (let i = 0; i < rows.length; i += 10_000) {
      writeSync(fd, rows.slice(i, i + 10_000).map((r) => JSON.stringify(r) + '\n').join(''));
    }
  } finally {
    closeSync(fd);
  }
}

/** Appends rows to a table through a newline-delimited JSON file. */
export async function loadRows(conn: DuckDBConnection, table: string, rows: readonly Record<string, unknown>[], dir: string): Promise<void> {
  if (rows.length === 0) return;
  const file = join(dir, `${table}.ndjson`);
  writeNdjson(file, rows);
  await conn.run(`INSERT INTO ${table} BY NAME SELECT * FROM ${readJsonSql(file, TABLE[table].columns)}`);
}

export async function installModel(conn: DuckDBConnection, mode: 'views' | 'tables' = 'views'): Promise<void> {
  for (const s of modelStatements(duckDbDialect(), mode)) await conn.run(s);
}

/** A fresh DuckDB holding a shop's records and the model. */
export async function duckShop(data: ShopData, settings: Settings, asOf: number, options: { threads?: number; mode?: 'views' | 'tables' } = {}) {
  const { instance, conn } = await openDuck(options.threads ?? 1);
  await createTables(conn);
  const dir = mkdtempSync(join(tmpdir(), 'wh-'));
  try {
    for (const [table, rows] of Object.entries(shopRows(data, settings, asOf))) await loadRows(conn, table, rows, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await installModel(conn, options.mode ?? 'views');
  return { instance, conn };
}

const js = (v: unknown): unknown => (typeof v === 'bigint' ? Number(v) : v);

async function rows(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  const reader = await conn.runAndReadAll(sql);
  return reader.getRowObjects().map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, js(v)])));
}

const camel = (s: string) => s.replace(/_([a-z])/g, (_, x: string) => x.toUpperCase());

function fees(r: Record<string, unknown>, prefix: string): FeeComponents {
  const out = {} as FeeComponents;
  FEE_COMPONENTS.forEach((c, i) => (out[c] = r[prefix + COMPONENT_COLUMNS[i]] as number));
  return out;
}

const SCALARS = ['order_id', 'buyer_id', 'create_time', 'status', 'currency', 'is_sample', 'creator', 'is_first_order', 'basis',
  'settlement_time', 'units', 'gross_sales', 'cancelled_sales', 'seller_discount', 'platform_discount', 'product_revenue',
  'refunds', 'shipping_revenue', 'net_revenue', 'cogs_gross', 'restock_credit', 'cogs', 'cm1', 'platform_fees',
  'own_fulfilment_cost', 'fulfilment_and_shipping', 'creator_commission', 'cm2', 'ad_spend', 'sample_cost', 'marketing', 'cm3'];

/** order_margin read back as the engine's OrderMargin rows. */
export async function readOrderMargins(conn: DuckDBConnection, from = 'order_margin'): Promise<OrderMargin[]> {
  const list = await rows(conn, `SELECT *, CAST(day AS VARCHAR) AS day_key FROM ${from} ORDER BY order_id`);
  return list.map((r) => {
    const m: Record<string, unknown> = {};
    for (const k of SCALARS) m[camel(k)] = r[k] ?? null;
    m.day = r.day_key;
    m.missingCogsSkus = r.missing_cogs_skus ? String(r.missing_cogs_skus).split(',') : [];
    m.fees = fees(r, '');
    m.trueUp = r.true_up_referral_fee === null ? null : fees(r, 'true_up_');
    return m as unknown as OrderMargin;
  });
}

export async function readShopDays(conn: DuckDBConnection): Promise<ShopDay[]> {
  const list = await rows(conn, 'SELECT *, CAST(day AS VARCHAR) AS day_key FROM shop_day ORDER BY day');
  return list.map((r) => ({
    day: r.day_key as string, adSpend: r.ad_spend as number, allocatedAdSpend: r.allocated_ad_spend as number,
    unallocatedAdSpend: r.unallocated_ad_spend as number, creatorFees: r.creator_fees as number,
    fixedCosts: r.fixed_costs as number, shopAdjustments: r.shop_adjustments as number,
  }));
}

export async function readProfitByDay(conn: DuckDBConnection): Promise<Record<string, unknown>[]> {
  const list = await rows(conn, 'SELECT *, CAST(day AS VARCHAR) AS day_key FROM profit_by_day ORDER BY day');
  return list.map((r) => {
    const out: Record<string, unknown> = { bucket: r.day_key };
    for (const [k, v] of Object.entries(r)) if (k !== 'day' && k !== 'day_key') out[camel(k)] = v;
    return out;
  });
}

/** Columns on which the engine and order_margin are compared (every field of OrderMargin). */
const COMPARE_INT = ['create_time', 'settlement_time', 'units', 'gross_sales', 'cancelled_sales', 'seller_discount', 'platform_discount',
  'product_revenue', 'refunds', 'shipping_revenue', 'net_revenue', 'cogs_gross', 'restock_credit', 'cogs', 'cm1', 'platform_fees',
  'own_fulfilment_cost', 'fulfilment_and_shipping', 'creator_commission', 'cm2', 'ad_spend', 'sample_cost', 'marketing', 'cm3',
  ...COMPONENT_COLUMNS, ...COMPONENT_COLUMNS.map((c) => `true_up_${c}`)];
const COMPARE_TEXT = ['order_id', 'buyer_id', 'day', 'status', 'currency', 'creator', 'basis', 'missing_cogs_skus'];
const COMPARE_BOOL = ['is_sample', 'is_first_order'];

/** The engine's orders as rows with order_margin's column names, for a comparison in SQL. */
export function engineMarginRows(orders: readonly OrderMargin[]): Record<string, unknown>[] {
  return orders.map((m) => {
    const r: Record<string, unknown> = {};
    for (const k of [...COMPARE_INT, ...COMPARE_TEXT, ...COMPARE_BOOL]) {
      if (k.startsWith('true_up_')) continue;
      const c = COMPONENT_COLUMNS.indexOf(k);
      r[k] = c >= 0 ? m.fees[FEE_COMPONENTS[c]] : (m as unknown as Record<string, unknown>)[camel(k)];
    }
    r.missing_cogs_skus = m.missingCogsSkus.join(',');
    FEE_COMPONENTS.forEach((c, i) => (r[`true_up_${COMPONENT_COLUMNS[i]}`] = m.trueUp ? m.trueUp[c] : null));
    return r;
  });
}

/** `SELECT` of the compared columns, typed alike on both sides. */
export function compareSelect(from: string): string {
  return `SELECT ${[
    ...COMPARE_INT.map((c) => `CAST(${c} AS BIGINT) AS ${c}`),
    ...COMPARE_TEXT.map((c) => `CAST(${c} AS VARCHAR) AS ${c}`),
    ...COMPARE_BOOL.map((c) => `CAST(${c} AS BOOLEAN) AS ${c}`),
  ].join(', ')} FROM ${from}`;
}

/** Columns of engineMarginRows for read_json. */
export const ENGINE_ROW_COLUMNS: Column[] = [
  ...COMPARE_INT.map((name): Column => ({ name, type: 'INT64' })),
  ...COMPARE_TEXT.map((name): Column => ({ name, type: 'STRING' })),
  ...COMPARE_BOOL.map((name): Column => ({ name, type: 'BOOL' })),
];
