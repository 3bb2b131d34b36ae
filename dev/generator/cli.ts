/**
 * Prints a summary of a generated shop.
 *   npx tsx dev/generator/cli.ts --seed 1 --days 30 --orders-per-day 200 [--currency JPY]
 *     [--timezone Asia/Tokyo] [--start 2025-02-17] [--skus 40] [--creators 60] [--buyers 5000]
 *     [--allocation by_day|by_product|new_buyers] [--no-truth] [--no-analytics] [--unit-lines] [--json out.json]
 */
import { writeFileSync } from 'node:fs';
import { formatAmount } from '../../src/core/money';
import type { AllocationMethod } from '../../src/core/settings';
import { generateShop, type GenerateOptions } from './shop';

function parseArgs(argv: string[]): { options: GenerateOptions; json: string | null } {
  const options: GenerateOptions = {};
  let json: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${a} needs a value`);
      return x;
    };
    const n = () => {
      const x = Number(v());
      if (!Number.isFinite(x)) throw new Error(`${a} needs a number`);
      return x;
    };
    switch (a) {
      case '--seed': options.seed = n(); break;
      case '--days': options.days = n(); break;
      case '--orders-per-day': options.ordersPerDay = n(); break;
      case '--currency': options.currency = v(); break;
      case '--timezone': options.timezone = v(); break;
      case '--advertiser-timezone': options.advertiserTimezone = v(); break;
      case '--start': options.startDay = v(); break;
      case '--skus': options.skus = n(); break;
      case '--creators': options.creators = n(); break;
      case '--buyers': options.buyers = n(); break;
      case '--as-of': options.asOf = n(); break;
      case '--allocation': options.allocationMethod = v() as AllocationMethod; break;
      case '--no-truth': options.truth = false; break;
      case '--no-analytics': options.analytics = false; break;
      case '--unit-lines': options.unitLines = true; break;
      case '--json': json = v(); break;
      case '--help': case '-h':
        console.log('usage: npx tsx dev/generator/cli.ts --seed 1 --days 30 --orders-per-day 200 [--currency JPY] [--json out.json]');
        process.exit(0);
      default: throw new Error(`unknown option ${a}`);
    }
  }
  return { options, json };
}

const { options, json } = parseArgs(process.argv.slice(2));
const t0 = Date.now();
const shop = generateShop(options);
const ms = Date.now() - t0;
const m = shop.meta;
const d = shop.data;
const cur = m.currency;
const money = (x: number) => `${formatAmount(x, cur)} ${cur}`;
const sum = <T>(xs: readonly T[], f: (x: T) => number) => xs.reduce((a, x) => a + f(x), 0);

console.log(`Shop seed ${m.seed}, ${cur}, ${m.timezone}, ${m.startDay} .. ${m.lastDay}, as of ${new Date(m.asOf * 1000).toISOString()}  (${ms} ms)`);
console.log(`Records: ${m.orders} orders (${m.paidOrders} paid), ${m.lines} lines, ${d.returns.length} returns, ${d.cancellations.length} cancellations,`);
console.log(`  ${m.statements} statements, ${m.transactions} transactions, ${m.payouts} payouts, ${m.unsettledEstimates} TikTok estimates,`);
console.log(`  ${d.creatorOrders.length} creator order lines, ${m.adSpendRows} ad rows, ${d.products.length} SKUs, ${d.cogs.length} COGS rows,`);
console.log(`  ${d.productPerformance.length} product-days, ${d.shopPerformance.length} shop-days, ${d.fixedCosts.length} fixed costs, ${d.creatorFees.length} creator fees`);
console.log(`Statuses: ${Object.entries(m.statusCounts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
console.log(`Basis: ${Object.entries(m.basisCounts).map(([k, v]) => `${k} ${v}`).join(', ')} (reference orders for trailing rates: ${m.referenceOrders})`);
console.log(`Samples ${m.samples}, affiliate orders ${m.affiliateOrders}, returns ${m.returns} (completed ${m.completedReturns}; refunds before settlement ${m.refundsBeforeSettlement}, after ${m.refundsAfterSettlement})`);
console.log(`Settled orders still holding a TikTok estimate ${m.settledWithEstimate}; cancelled orders charged a fee ${m.cancelledCharged}`);
if (m.cogsChange) console.log(`COGS change: ${m.cogsChange.sellerSku} from ${m.cogsChange.day} (orders ${m.cogsChange.orderBefore} before, ${m.cogsChange.orderAfter} after midnight); SKU without COGS: ${m.missingCogsSku}; quiet days: ${m.quietDays.join(', ')}`);
if (m.truthComputed) {
  const o = shop.truth.orders;
  const days = shop.truth.days;
  console.log(`Truth: gross ${money(sum(o, (x) => x.grossSales))}, net revenue ${money(sum(o, (x) => x.netRevenue))}, CM1 ${money(sum(o, (x) => x.cm1))}, CM2 ${money(sum(o, (x) => x.cm2))}, CM3 ${money(sum(o, (x) => x.cm3))}`);
  console.log(`  ad spend ${money(sum(days, (x) => x.adSpend))} (unallocated ${money(sum(days, (x) => x.unallocatedAdSpend))}), creator fees ${money(sum(days, (x) => x.creatorFees))}, fixed costs in range ${money(sum(days, (x) => x.fixedCosts))}, shop adjustments ${money(sum(days, (x) => x.shopAdjustments))}`);
  const dayCm3 = sum(o, (x) => x.cm3) - sum(days, (x) => x.unallocatedAdSpend + x.creatorFees - x.shopAdjustments);
  console.log(`  shop CM3 ${money(dayCm3)}, net profit ${money(dayCm3 - sum(days, (x) => x.fixedCosts))}`);
}
if (json) {
  writeFileSync(json, JSON.stringify({ asOf: shop.asOf, settings: shop.settings, data: shop.data, truth: shop.truth, meta: shop.meta }));
  console.log(`Wrote ${json}`);
}
