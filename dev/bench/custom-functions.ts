/**
 * npm run bench:custom — times each custom function on a 100,000-order shop, called with the
 * whole-tab ranges a formula passes (as in test/custom): median of 3 runs each.
 *
 * Two ways (--via): "direct" (default) calls the functions' source in this process (the same code
 * Apps Script's V8 runs), which is the function's own cost; "runtime" calls the BUILT bundle
 * (dist/Code.js) by name in the local Apps Script runtime, which adds the runtime's copying of
 * ~10 M cells into the script's realm (Sheets' own marshalling is not modelled by either).
 *
 * Usage: npm run bench:custom [-- --days 100 --orders-per-day 880 --seed 1 --via runtime]
 *        npm run bench:custom -- --small [--via runtime]   # 10 days × 50 orders/day: the check the test suite runs
 *
 * Every result is checked (exit non-zero otherwise): a number or a non-empty table, never an error;
 * through the runtime, the same values as the functions called directly.
 */
import { parseArgs } from 'node:util';
import { generateShop } from '../generator/shop';
import { GasRuntime } from '../runtime/gas';
import { dataAsOf } from '../../src/sheets/custom-tabs';
import { dayKey, addDays } from '../../src/core/time';
import { engineArgs, tabRanges } from '../../test/custom/ranges';
import { contributionMargin, feeEstimate } from '../../src/sheets/customFunctions';
import {
  tiktokCreators, tiktokCustomers, tiktokMetric, tiktokOrderMargin, tiktokPnl, tiktokReconciliation, tiktokSkuProfit,
} from '../../src/sheets/custom-reports';

const { values } = parseArgs({
  options: {
    days: { type: 'string' }, 'orders-per-day': { type: 'string' }, seed: { type: 'string', default: '1' }, via: { type: 'string', default: 'direct' },
    small: { type: 'boolean', default: false },
  },
});
values.days ??= values.small ? '10' : '100';
values['orders-per-day'] ??= values.small ? '50' : '880';
const DIRECT: Record<string, (...args: unknown[]) => unknown> = {
  TIKTOK_CM: contributionMargin as never, TIKTOK_FEE_ESTIMATE: feeEstimate as never, TIKTOK_METRIC: tiktokMetric as never, TIKTOK_PNL: tiktokPnl as never,
  TIKTOK_ORDER_MARGIN: tiktokOrderMargin as never, TIKTOK_SKU_PROFIT: tiktokSkuProfit as never, TIKTOK_CREATORS: tiktokCreators as never,
  TIKTOK_CUSTOMERS: tiktokCustomers as never, TIKTOK_RECONCILIATION: tiktokReconciliation as never,
};
const started = Date.now();
const shop = generateShop({ seed: Number(values.seed), days: Number(values.days), ordersPerDay: Number(values['orders-per-day']), truth: false, analytics: false });
const ranges = tabRanges(shop.data, shop.settings);
const tabs = engineArgs(ranges);
const cells = Object.values(ranges).reduce((n, r) => n + r.length * (r[0]?.length ?? 0), 0);
console.log(`shop: ${shop.data.orders.length} orders, ${shop.data.lines.length} lines, ${shop.data.transactions.length} settlement rows; ${cells.toLocaleString('en-US')} cells in the ranges (generated in ${((Date.now() - started) / 1000).toFixed(1)} s)`);

const rt = values.via === 'runtime' ? new GasRuntime() : null;
const run = (name: string, ...args: unknown[]): unknown => (rt ? rt.run(name, ...args) : DIRECT[name](...args));
console.log(`via: ${rt ? 'the built bundle in the local Apps Script runtime' : 'the functions called directly in Node'}`);
const last = dayKey(dataAsOf(shop.data), shop.settings.timezone);
const from30 = addDays(last, -29);

const cases: [string, unknown[]][] = [
  ['TIKTOK_CM (1 row)', ['TIKTOK_CM', 100, 40, 6.5, 5.25, 10, 3.1]],
  ['TIKTOK_FEE_ESTIMATE (1 row)', ['TIKTOK_FEE_ESTIMATE', 100, 'US']],
  ['TIKTOK_METRIC cm3, whole data', ['TIKTOK_METRIC', 'cm3', '', '', '', '', ...tabs]],
  ['TIKTOK_METRIC repeat_rate_30d, 30 days', ['TIKTOK_METRIC', 'repeat_rate_30d', from30, last, '', '', ...tabs]],
  ['TIKTOK_PNL cash, 30 days', ['TIKTOK_PNL', from30, last, 'cash', ...tabs]],
  ['TIKTOK_ORDER_MARGIN, 30 days', ['TIKTOK_ORDER_MARGIN', from30, last, ...tabs]],
  ['TIKTOK_SKU_PROFIT, 30 days', ['TIKTOK_SKU_PROFIT', from30, last, 'accrual', ...tabs]],
  ['TIKTOK_CREATORS, 30 days', ['TIKTOK_CREATORS', from30, last, 'accrual', ...tabs]],
  ['TIKTOK_CUSTOMERS repeat, whole data', ['TIKTOK_CUSTOMERS', 'repeat', '', '', '', ...tabs]],
  ['TIKTOK_RECONCILIATION by day, 30 days', ['TIKTOK_RECONCILIATION', from30, last, 'day', ...tabs, ranges.statements, ranges.payouts]],
];

/** A formula's result as Sheets would show it: a number, text, or a non-empty table; the same through the runtime as directly. */
function checkResult(label: string, got: unknown, direct: unknown): void {
  const ok = typeof got === 'number' ? Number.isFinite(got) : typeof got === 'string' || (Array.isArray(got) && got.length > 0 && Array.isArray(got[0]));
  if (!ok) throw new Error(`${label}: unexpected result ${JSON.stringify(got)?.slice(0, 200)}`);
  if (JSON.stringify(got) !== JSON.stringify(direct)) throw new Error(`${label}: the built bundle in the runtime returned other values than the function called directly`);
}

const rows: string[] = [];
for (const [label, [name, ...args]] of cases) {
  const times: number[] = [];
  let size = '';
  let out: unknown;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    out = run(name as string, ...args);
    times.push(performance.now() - t0);
    size = Array.isArray(out) ? `${out.length} × ${(out[0] as unknown[]).length}` : String(out);
  }
  checkResult(label, out, rt ? DIRECT[name as string](...args) : out);
  const median = [...times].sort((a, b) => a - b)[1];
  rows.push(`| ${label} | ${(median / 1000).toFixed(2)} s | ${times.map((t) => (t / 1000).toFixed(2)).join(', ')} | ${size} |`);
  console.log(rows[rows.length - 1]);
}
console.log('\n| function | median of 3 | runs (s) | result |\n| --- | ---: | --- | --- |');
for (const r of rows) console.log(r);
await rt?.close();
