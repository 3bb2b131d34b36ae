/**
 * `npm run demo`: the margin engine over the built-in sandbox shop (the seeded generator),
 * printed as a seller would read it. Options: --seed N, --days N, --orders-per-day N,
 * --currency JPY, --allocation by_day|by_product|new_buyers.
 *
 * It checks itself as it goes: the engine's figures are compared with the generator's
 * ground truth for every order, and the demo fails loudly if one cent differs.
 */
import { computeMargins } from '../src/core/margin';
import type { OrderMargin } from '../src/core/margin-types';
import { formatAmount } from '../src/core/money';
import type { AllocationMethod } from '../src/core/settings';
import { addDays, dayKey, weekKey } from '../src/core/time';
import { periodView, type PeriodRow } from '../src/core/views';
import { generateShop } from './generator/shop';
import { option } from './cli';


const currency = option('currency') ?? 'USD';
const shop = generateShop({
  seed: Number(option('seed') ?? 42),
  days: Number(option('days') ?? 60),
  ordersPerDay: Number(option('orders-per-day') ?? 200),
  currency,
  timezone: currency === 'JPY' ? 'Asia/Tokyo' : undefined,
  allocationMethod: (option('allocation') as AllocationMethod | undefined) ?? 'by_day',
});
const { settings, asOf } = shop;
const started = performance.now();
const result = computeMargins(shop.data, settings, asOf);
const engineMs = performance.now() - started;

// Self-check against ground truth: the demo never shows a number it cannot stand behind.
const truth = new Map(shop.truth.orders.map((o) => [o.orderId, o]));
const wrong = result.orders.filter((o) => truth.get(o.orderId)?.cm3 !== o.cm3);
if (wrong.length > 0 || result.orders.length !== truth.size) {
  console.error(`Engine and ground truth disagree on ${wrong.length} order(s), e.g. ${wrong[0]?.orderId}`);
  process.exit(1);
}

const money = (minor: number) => `${formatAmount(minor, currency)} ${currency}`.padStart(18);
const pct = (part: number, whole: number) => (whole === 0 ? '—' : `${((100 * part) / whole).toFixed(1)}%`);
const today = dayKey(asOf, settings.timezone);
const lastDay = shop.meta.lastDay;

function sumRows(rows: PeriodRow[], from: string, to: string): PeriodRow | null {
  const inRange = rows.filter((r) => r.bucket >= from && r.bucket <= to);
  if (inRange.length === 0) return null;
  const total = { ...inRange[0], bucket: `${from}..${to}` };
  for (const r of inRange.slice(1)) for (const k of Object.keys(r) as (keyof PeriodRow)[]) if (k !== 'bucket') (total[k] as number) += r[k] as number;
  return total;
}

const accrualDays = periodView(result, shop.data, settings, 'accrual', 'day').rows;
const cashDays = periodView(result, shop.data, settings, 'cash', 'day');
const periods: [string, string, string][] = [
  ['Last day with orders', lastDay, lastDay],
  ['Week to date', weekKey(lastDay, settings.weekStart), lastDay],
  ['Month to date', `${lastDay.slice(0, 7)}-01`, lastDay],
  ['Last 30 days', addDays(lastDay, -29), lastDay],
];

const basis = new Map<string, number>();
for (const o of result.orders) basis.set(o.basis, (basis.get(o.basis) ?? 0) + 1);
const missing = new Set(result.orders.flatMap((o) => o.missingCogsSkus));
const trueUpTotal = result.orders.reduce((a, o: OrderMargin) => a + (o.trueUp ? Object.values(o.trueUp).reduce((x, y) => x + y, 0) - o.trueUp.taxWithheld : 0), 0);

console.log(`\nTikTok Shop Profit — demo shop (seed ${shop.meta.seed}, ${currency}, ${settings.timezone}), as of ${new Date(asOf * 1000).toISOString()} (shop day ${today})`);
console.log(`${shop.meta.orders.toLocaleString('en-US')} orders, ${shop.meta.lines.toLocaleString('en-US')} lines from ${shop.meta.startDay} to ${lastDay}; engine ${engineMs.toFixed(0)} ms; every order equals ground truth to the cent.`);
console.log(`Fee basis: ${[...basis].map(([b, n]) => `${b} ${n}`).join(', ')}; allocation ${settings.allocationMethod}.`);

const lines: [string, keyof PeriodRow][] = [
  ['Net revenue', 'netRevenue'], ['COGS', 'cogs'], ['CM1', 'cm1'], ['Platform fees', 'platformFees'],
  ['Fulfilment and shipping', 'fulfilmentAndShipping'], ['Creator commission', 'creatorCommission'],
  ['Shop adjustments', 'shopAdjustments'], ['CM2', 'cm2'], ['Ad spend', 'adSpend'], ['  of which unallocated', 'unallocatedAdSpend'],
  ['Samples', 'sampleCost'], ['Creator flat fees', 'creatorFees'], ['CM3', 'cm3'], ['Fixed costs', 'fixedCosts'], ['Net profit', 'netProfit'],
];
console.log(`\nAccrual view (amounts on the order's day)`);
console.log(`${''.padEnd(26)}${periods.map(([label]) => label.padStart(18)).join('')}`);
const sums = periods.map(([, from, to]) => sumRows(accrualDays, from, to));
console.log(`${'Orders'.padEnd(26)}${sums.map((s) => String(s?.orders ?? 0).padStart(18)).join('')}`);
for (const [label, key] of lines) console.log(`${label.padEnd(26)}${sums.map((s) => money((s?.[key] as number) ?? 0)).join('')}`);
console.log(`${'CM3 %'.padEnd(26)}${sums.map((s) => pct(s?.cm3 ?? 0, s?.netRevenue ?? 0).padStart(18)).join('')}`);
console.log(`${'Still estimated'.padEnd(26)}${sums.map((s) => pct(s?.estimatedOrders ?? 0, s?.orders ?? 0).padStart(18)).join('')}`);

const month = sumRows(accrualDays, `${lastDay.slice(0, 7)}-01`, lastDay);
const cashMonth = sumRows(cashDays.rows, `${lastDay.slice(0, 7)}-01`, today);
console.log(`\nCash view, month to date (amounts on their statement day): net revenue ${money(cashMonth?.netRevenue ?? 0).trim()}, CM3 ${money(cashMonth?.cm3 ?? 0).trim()}, net profit ${money(cashMonth?.netProfit ?? 0).trim()}`);
console.log(`  accrual − cash CM3 this month: ${money((month?.cm3 ?? 0) - (cashMonth?.cm3 ?? 0)).trim()} (orders not yet settled: ${cashDays.unsettledOrders})`);
console.log(`True-up so far (settled − estimate, all fee components): ${money(trueUpTotal).trim()}`);
console.log(`SKUs sold without a cost in the COGS tab: ${[...missing].join(', ') || 'none'}\n`);
