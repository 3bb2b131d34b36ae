/**
 * Pieces the view texts share: component column names (from the engine's FEE_COMPONENTS, so a
 * component added to the engine is a column here), the lookup tables built from records.ts and
 * statement.ts constants, and the largest-remainder split written once.
 */
import { FEE_COMPONENTS, type FeeComponent } from '../../core/margin-types';
import { CREATOR_COMMISSION_FIELDS, PLATFORM_FEE_FIELDS, TAX_FIELDS } from '../../core/records';
import { TRANSACTION_DESTINATION } from '../../core/statement';
import type { Dialect } from '../dialect';

export const snake = (s: string) => s.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());

/** Fee components as SQL columns: referral_fee, transaction_fee, …, tax_withheld. */
export const COMPONENT_COLUMNS: readonly string[] = FEE_COMPONENTS.map(snake);
export const componentColumn = (c: FeeComponent) => snake(c);

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Rows as a query both engines accept: SELECT … UNION ALL SELECT … */
export function valuesQuery(columns: string[], rows: (string | number | boolean)[][]): string {
  const lit = (v: string | number | boolean) => (typeof v === 'string' ? quote(v) : typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : String(v));
  return rows.map((r) => `SELECT ${r.map((v, i) => `${lit(v)} AS ${columns[i]}`).join(', ')}`).join('\nUNION ALL ');
}

/** TikTok fee field → component, and whether it is creator commission (estimates skip those). */
export function feeFieldsQuery(): string {
  const rows: (string | boolean)[][] = [];
  for (const [f, c] of Object.entries(PLATFORM_FEE_FIELDS)) rows.push([f, snake(c), false]);
  for (const [f, c] of Object.entries(CREATOR_COMMISSION_FIELDS)) rows.push([f, snake(c), true]);
  for (const f of TAX_FIELDS) rows.push([f, 'tax_withheld', false]);
  return valuesQuery(['field', 'component', 'is_commission'], rows);
}

/** Statement transaction type → where its amount goes ('order', 'ads', 'reserve', 'samples' or a component). */
export function transactionDestinationsQuery(): string {
  return valuesQuery(['type', 'destination'],
    Object.entries(TRANSACTION_DESTINATION).map(([t, d]) => [t, d === 'order' || d === 'ads' || d === 'reserve' || d === 'samples' ? d : snake(d)]));
}

/** 0, 1, … n−1 as a column `n` (calendar days of a month, days an ad day overlaps). */
export function numbersQuery(n: number): string {
  return valuesQuery(['n'], Array.from({ length: n }, (_, i) => [i]));
}

/**
 * money.ts allocateByWeights in SQL: `total` split over the rows of each group in proportion to
 * `weight`, the parts summing to `total`; the remainder goes one unit at a time to the largest
 * remainders, ties to the first row in `order`; a negative total splits as the negated positive
 * split. `src` has the columns `cols` (which include the group's), `total` and `weight`.
 */
export function largestRemainder(d: Dialect, src: string, cols: string[], group: string[], order: string): string {
  const c = cols.join(', ');
  const g = group.join(', ');
  return `SELECT ${c}, sgn * (q + CASE WHEN rk <= lft THEN 1 ELSE 0 END) AS part FROM (
  SELECT ${c}, sgn, q, ROW_NUMBER() OVER (PARTITION BY ${g} ORDER BY r DESC, ${order}) AS rk,
    abs_total - SUM(q) OVER (PARTITION BY ${g}) AS lft
  FROM (
    SELECT ${c}, SIGN(total) AS sgn, ABS(total) AS abs_total,
      ${d.fn('idiv')}(ABS(total) * weight, SUM(weight) OVER (PARTITION BY ${g})) AS q,
      ${d.fn('imod')}(ABS(total) * weight, SUM(weight) OVER (PARTITION BY ${g})) AS r
    FROM ${src}
  ) AS lr1
) AS lr2`;
}
