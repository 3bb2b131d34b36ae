/**
 * Builders for the report tests, on top of the engine fixtures (test/engine/fixtures.ts):
 * records the engine fixtures do not build yet, and the report input (engine run once).
 */
import { computeMargins } from '../../src/core/margin';
import type { CreatorFee, FixedCost, ProductPerformance, ShopData, ShopPerformance } from '../../src/core/records';
import type { ReportInput, ReportTable, Row } from '../../src/core/reports/table';
import type { Settings } from '../../src/core/settings';
import { settings as defaultSettings } from '../engine/fixtures';

/** Runs the engine once and packs what every report takes. */
export function reportInput(data: ShopData, asOf: number, s: Settings = defaultSettings()): ReportInput {
  return { data, settings: s, margins: computeMargins(data, s, asOf) };
}

export function fixedCost(month: string, amount: number, label = 'Rent'): FixedCost {
  return { month, label, currency: 'USD', amount };
}

export function creatorFee(creatorUsername: string, date: string, amount: number): CreatorFee {
  return { creatorUsername, date, currency: 'USD', amount, note: '' };
}

export function productPerformance(productId: string, date: string, impressions: number, pageViews: number): ProductPerformance {
  return { productId, date, impressions, pageViews, unitsSold: 0, currency: 'USD', gmv: 0 };
}

export function shopPerformance(date: string, gmvByType: ShopPerformance['gmvByType'], gmv: number, orders = 0): ShopPerformance {
  return { date, currency: 'USD', gmv, orders, buyers: orders, productImpressions: 0, productPageViews: 0, gmvByType };
}

/** The row whose `key` column equals `value`; fails the test when there is none. */
export function rowWhere(table: ReportTable, key: string, value: unknown): Row {
  const row = table.rows.find((r) => r[key] === value);
  if (!row) throw new Error(`${table.id}: no row with ${key} = ${String(value)} (have ${table.rows.map((r) => String(r[key])).join(', ')})`);
  return row;
}

/** Σ of a numeric column over rows (null cells count as 0). */
export function sumColumn(rows: readonly Row[], key: string): number {
  let s = 0;
  for (const r of rows) {
    const v = r[key];
    if (typeof v === 'number') s += v;
  }
  return s;
}
