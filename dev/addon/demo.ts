/**
 * `npm run demo`: the add-on end to end, off Google. The built bundle (dist/Code.js, built by the
 * npm script just before) runs in the local Apps Script runtime against the TikTok Shop sandbox:
 *
 *   install → connect (the sandbox's OAuth: authorize link, redirect, /usercallback)
 *   → connect an ads account (TikTok for Business authorization; both sandbox ad accounts chosen)
 *   → first refresh (90-day backfill, chunk by chunk) → the shop moves on two days
 *   → second, incremental refresh → out/TikTok-Shop-Profit.xlsx + a summary read from the workbook.
 *
 * Options: --seed N, --days N (of shop history), --orders-per-day N, --out FILE.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { startAddonSession } from './session';
import { readReportBlock, type ReportBlock } from './workbook-read';
import type { RefreshProgress } from '../../src/sheets/server-types';
import { option } from '../cli';


const seed = Number(option('seed') ?? 42);
const days = Number(option('days') ?? 120);
const ordersPerDay = Number(option('orders-per-day') ?? 150);
const outFile = resolve(option('out') ?? 'out/TikTok-Shop-Profit.xlsx');

function sumSteps(steps: RefreshProgress[]): { steps: number; calls: number; written: number } {
  return { steps: steps.length, calls: steps.reduce((a, s) => a + s.calls, 0), written: steps.reduce((a, s) => a + s.written, 0) };
}

const fmt = (v: unknown): string => (typeof v === 'number' ? v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : String(v));

async function main(): Promise<void> {
  const t0 = performance.now();
  console.log(`Starting the TikTok Shop sandbox (seed ${seed}, ${days} days × ~${ordersPerDay} orders) and the local Apps Script runtime…`);
  // 150 ms per service call: chunks end and resume across executions as on Google.
  const s = await startAddonSession({ seed, shop: { days, ordersPerDay }, msPerCall: 150 });
  try {
    s.install();
    console.log(`Installed: menu ${(s.rt.ui.menus[0]?.items ?? []).map((i) => ('caption' in i ? i.caption : '—')).join(' / ')}`);
    console.log(`Connect: ${await s.connect()}`);
    console.log(`Ads account: ${await s.connectAds()}`);
    await s.enterSellerInputs();
    console.log('The seller fills the COGS, Fixed costs and Creator fees tabs and adjusts Settings.');

    const first = sumSteps(s.refreshToDone());
    console.log(`First refresh (backfill): ${first.steps} executions, ${first.calls} API calls, ${first.written} rows written.`);
    await s.advance(2 * 86400);
    const second = sumSteps(s.refreshToDone());
    console.log(`Second refresh, two days later (incremental): ${second.steps} execution(s), ${second.calls} API calls, ${second.written} rows written.`);

    mkdirSync(dirname(outFile), { recursive: true });
    await s.rt.saveXlsx(outFile);

    const ss = s.rt.spreadsheet;
    const sheetRows = (name: string) => ss.getSheetByName(name)?.getDataRange().getValues() ?? [];
    const orders = sheetRows('Orders').length - 1;
    const adRows = sheetRows('Ad spend');
    const adHead = adRows[0] ?? [];
    const adCol = (name: string) => adHead.indexOf(name);
    const adBody = adRows.slice(1);
    const adTotal = (name: string, gmvPaid: boolean) => adBody
      .filter((r) => (r[adCol('Funding source')] === 'GMV_PAYMENT') === gmvPaid)
      .reduce((a, r) => a + Number(r[adCol(name)] || 0), 0);
    const profit = readReportBlock(sheetRows('Dashboard'), 'Net profit and CM3, each beside the period before');
    const actions = readReportBlock(sheetRows('Dashboard'), 'Top actions');
    const sku = readReportBlock(sheetRows('SKU profit'), 'SKU profit');
    const creators = readReportBlock(sheetRows('Creators'), 'Creators');
    const recon = readReportBlock(sheetRows('Reconciliation'), 'Reconciliation: from GMV to the bank');

    console.log('');
    console.log(`Workbook: ${ss.getSheets().length} tabs, ${ss._cellCount().toLocaleString('en-US')} cells of the 10,000,000 Sheets allows.`);
    console.log(`Orders on the Orders tab: ${orders.toLocaleString('en-US')}`);
    console.log(`Tabs: ${ss.getSheets().map((x) => x.getName()).join(', ')}`);
    const accounts = new Set(adBody.map((r) => String(r[adCol('Advertiser ID')])));
    const campaigns = new Set(adBody.map((r) => String(r[adCol('Campaign ID')])));
    console.log(`Ad spend tab: ${adBody.length} rows (${accounts.size} ad accounts, ${campaigns.size} campaigns), paid from the ad account ${fmt(adTotal('Spend', false))} billed (${fmt(adTotal('Spend before ad credits', false))} before ad credits), paid from GMV ${fmt(adTotal('Spend', true))}; Campaign map: ${sheetRows('Campaign map').length - 1} campaigns.`);
    console.log(profit.stamp);
    for (const r of profit.rows) {
      const cogs = String(r['COGS check'] ?? '');
      console.log(`  Net profit ${String(r.Period).toLowerCase().padEnd(22)} ${fmt(r['Net profit'] ?? '—').padStart(14)} (previous ${fmt(r.Previous ?? '—')}; CM3 ${fmt(r.CM3 ?? '—')}, ${r.Estimated === '' ? '—' : Math.round(Number(r.Estimated) * 100)}% estimated${cogs ? `; ${cogs}` : ''})`);
    }
    for (const a of actions.rows.slice(0, 3)) console.log(`  Action ${String(a.Rank)}: ${String(a.Action)} — ${String(a.Item)} (${fmt(a['Money at stake (30 days)'])} at stake; ${String(a.Target)})`);
    // Ranked rows only: a SKU sold without a cost has no rank (its CM3 leaves COGS out).
    const rank = (b: ReportBlock, name: string, label: string) => {
      const sorted = [...b.rows].filter((r) => typeof r[name] === 'number' && r.Rank !== '').sort((a, c) => (c[name] as number) - (a[name] as number));
      const show = (r: Record<string, unknown>) => `${String(r[label])} ${fmt(r[name])}`;
      console.log(`  Top ${b.title}: ${sorted.slice(0, 3).map(show).join(' · ')}`);
      console.log(`  Bottom ${b.title}: ${sorted.slice(-3).reverse().map(show).join(' · ')}`);
    };
    rank(sku, 'CM3 (contribution margin)', 'SKU');
    rank(creators, 'CM3', 'Creator');
    const total = recon.rows.find((r) => r.Period === 'Total');
    console.log(`  Reconciliation (${recon.stamp.split(' · ')[0]}): paid to the bank ${fmt(total?.['Paid to the bank'])}, unexplained gap ${fmt(total?.Unexplained)}`);
    console.log('');
    console.log(`Saved ${outFile} (${((performance.now() - t0) / 1000).toFixed(1)} s). Open it to see what a manager receives.`);
  } finally {
    await s.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack ?? e.message : e);
  process.exit(1);
});
