/**
 * Ads: what the ad spend buys, and whether it pays.
 *
 * Per standard period (shop days):
 * - Ad spend = every ad cost of the days, counted once (core/ad-spend.ts): card-paid Marketing API
 *   spend split into shop days, GMV payments for ads on statements, per-order GMV Max fees. Split
 *   by how it was paid, and how much found no order (unallocated: visible, never dropped).
 * - Paid channel = the orders that carry ad spend under the allocation method: their GMV, net
 *   revenue and CM3 (TikTok does not say per order which ad drove it; under by_day every order of a
 *   day with ads carries some, by_product and new_buyers narrow it).
 * - ROAS = paid channel net revenue / ad spend; break-even ROAS = net revenue / CM2 of all the
 *   period's orders (the ROAS at which ads eat the whole CM2: below it, ads lose money);
 *   MER = GMV of all orders / all ad spend; CAC = ad spend / new buyers (first orders).
 * Per campaign (last 30 days, advertiser days): cost (billed), spend before ad credits, how it is
 * paid and whether it counts (GMV-paid spend counts from the statements when they were read).
 */
import { countAdSpendOnce, type AdCurrencyRate } from '../ad-spend';
import { divRound, formatAmount } from '../money';
import { allocationText } from './profit';
import { baseDefinitions, inRange, standardPeriods, type Column, type DayRange, type ReportInput, type ReportTable, type Row } from './table';

export interface AdsReport {
  periods: ReportTable;
  campaigns: ReportTable;
}

export interface AdsReportOptions {
  /** The Settings rates used for ad accounts in another currency (shown with their dates). */
  adCurrencyRates?: readonly AdCurrencyRate[];
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

export const ADS_PERIOD_COLUMNS: Column[] = [
  { key: 'period', label: 'Period', format: 'text' },
  { key: 'from', label: 'From', format: 'day' },
  { key: 'to', label: 'To', format: 'day' },
  { key: 'adSpend', label: 'Ad spend', format: 'money', note: 'Every ad cost of the days, counted once.' },
  { key: 'cardPaid', label: 'of which paid from the ad account', format: 'money', note: 'Marketing API billed cost, split into shop days.' },
  { key: 'gmvPaid', label: 'of which paid from GMV', format: 'money', note: 'GMV payments for ads and GMV Max fees on statements (or, with no statement read, the Marketing API\'s GMV-paid spend).' },
  { key: 'unallocated', label: 'Unallocated ad spend', format: 'money', note: 'Spend of days with no order to carry it: in the P&L, on no order.' },
  { key: 'paidOrders', label: 'Paid channel orders', format: 'integer', note: 'Orders carrying ad spend under the allocation method.' },
  { key: 'paidGmv', label: 'Paid channel GMV', format: 'money' },
  { key: 'paidNetRevenue', label: 'Paid channel net revenue', format: 'money' },
  { key: 'paidCm3', label: 'Paid channel CM3', format: 'money' },
  { key: 'roas', label: 'ROAS', format: 'ratio', note: 'Paid channel net revenue / ad spend.' },
  { key: 'breakEvenRoas', label: 'Break-even ROAS', format: 'ratio', note: 'Net revenue / CM2 of all orders: below it, ads cost more than the margin they ride on.' },
  { key: 'mer', label: 'MER', format: 'ratio', note: 'GMV of all orders / all ad spend.' },
  { key: 'newBuyers', label: 'New buyers', format: 'integer', note: 'First paid, non-cancelled orders of their buyer in the data.' },
  { key: 'cac', label: 'CAC', format: 'money', note: 'Ad spend / new buyers.' },
];

export const ADS_CAMPAIGN_COLUMNS: Column[] = [
  { key: 'advertiserId', label: 'Ad account', format: 'text' },
  { key: 'campaignId', label: 'Campaign ID', format: 'text' },
  { key: 'campaignName', label: 'Campaign', format: 'text' },
  { key: 'paidFrom', label: 'Paid from', format: 'text' },
  { key: 'products', label: 'Products', format: 'text' },
  { key: 'creator', label: 'Creator', format: 'text' },
  { key: 'days', label: 'Days with spend', format: 'integer' },
  { key: 'spend', label: 'Cost (billed)', format: 'money', note: 'The report\'s billed_cost (GMV Max: cost): what was paid.' },
  { key: 'grossSpend', label: 'Spend before ad credits', format: 'money', note: 'The report\'s spend; blank when the report has none (GMV Max).' },
  { key: 'counted', label: 'Counted here', format: 'text', note: 'GMV-paid spend counts from the statements when statements were read.' },
];

export function adsReport(input: ReportInput, options: AdsReportOptions = {}): AdsReport {
  const { data, settings, margins } = input;
  const tz = settings.timezone;
  const counted = countAdSpendOnce(data.adSpend, data.transactions, tz);
  const bySource = new Map<string, { card: number; gmv: number }>();
  const at = (day: string) => {
    let x = bySource.get(day);
    if (!x) bySource.set(day, (x = { card: 0, gmv: 0 }));
    return x;
  };
  for (const p of counted.pieces) {
    if (p.source === 'ad_account') at(p.day).card += p.amount;
    else at(p.day).gmv += p.amount;
  }
  const orderDay = new Map(margins.orders.map((o) => [o.orderId, o.day]));
  for (const f of counted.orderFees) at(orderDay.get(f.orderId) ?? f.day).gmv += f.amount;

  const periods = standardPeriods(margins.asOf, settings);
  const rows: Row[] = periods.map((range) => periodRow(input, range, bySource));

  const definitions = baseDefinitions(input, 'accrual');
  const rates = options.adCurrencyRates ?? [];
  const currencies = new Set(data.adSpend.map((a) => a.currency));
  definitions.notes.push(
    `Ad spend allocated ${allocationText(settings.allocationMethod)}. The paid channel is the orders carrying ad spend: TikTok does not say per order which ad drove it.`,
    counted.gmvPaidFrom === 'statements'
      ? `GMV-paid ads count once, from the statements: ${formatAmount(counted.gmvPaidOnStatements, settings.currency)} ${settings.currency} on statements; the Marketing API reports ${formatAmount(counted.gmvPaidReported, settings.currency)} ${settings.currency} of GMV-paid spend (the same money, dated by ad day; the difference is mostly spend not yet on a statement).`
      : 'No statement was read: GMV-paid ads count from the Marketing API, on their ad days.',
    rates.length > 0
      ? `Ad accounts in another currency converted at the Settings rates: ${rates.map((r) => `1 ${r.currency} = ${r.rate} ${settings.currency} (rate of ${r.date})`).join('; ')}.`
      : currencies.size > 0 ? `Every ad account reports in ${[...currencies].join(', ')}.` : 'No ad spend from the Marketing API in the workbook (no ads account connected, or no spend).',
  );

  return {
    periods: { id: 'ads_periods', title: 'Ads: paid channel, ROAS, MER and CAC', definitions, columns: ADS_PERIOD_COLUMNS, rows },
    campaigns: campaignsTable(input, periods.find((p) => p.label === 'Last 30 days')!, counted.gmvPaidFrom, rates),
  };
}

function periodRow(input: ReportInput, range: DayRange, bySource: Map<string, { card: number; gmv: number }>): Row {
  const { margins } = input;
  let adSpend = 0, unallocated = 0, card = 0, gmv = 0;
  for (const d of margins.days) {
    if (!inRange(d.day, range)) continue;
    adSpend += d.adSpend;
    unallocated += d.unallocatedAdSpend;
  }
  for (const [day, x] of bySource) {
    if (!inRange(day, range)) continue;
    card += x.card;
    gmv += x.gmv;
  }
  let paidOrders = 0, paidGmv = 0, paidNet = 0, paidCm3 = 0, allGmv = 0, allNet = 0, allCm2 = 0, newBuyers = 0;
  for (const o of margins.orders) {
    if (!inRange(o.day, range)) continue;
    allGmv += o.grossSales;
    allNet += o.netRevenue;
    allCm2 += o.cm2;
    if (o.isFirstOrder) newBuyers += 1;
    if (o.adSpend !== 0) {
      paidOrders += 1;
      paidGmv += o.grossSales;
      paidNet += o.netRevenue;
      paidCm3 += o.cm3;
    }
  }
  return {
    period: range.label, from: range.from, to: range.to, adSpend, cardPaid: card, gmvPaid: gmv, unallocated,
    paidOrders, paidGmv, paidNetRevenue: paidNet, paidCm3,
    roas: ratio(paidNet, adSpend), breakEvenRoas: allCm2 > 0 ? allNet / allCm2 : null, mer: ratio(allGmv, adSpend),
    newBuyers, cac: newBuyers === 0 ? null : divRound(adSpend, newBuyers),
  };
}

function campaignsTable(input: ReportInput, range: DayRange, gmvPaidFrom: 'statements' | 'marketing_api', rates: readonly AdCurrencyRate[]): ReportTable {
  const { data, settings } = input;
  const acc = new Map<string, Row & { days: number; spend: number; grossSpend: number | null }>();
  for (const a of data.adSpend) {
    // Advertiser days, compared as calendar days with the range's.
    if (!inRange(a.date, range)) continue;
    const k = `${a.advertiserId}/${a.campaignId}`;
    let r = acc.get(k);
    if (!r) {
      acc.set(k, (r = {
        advertiserId: a.advertiserId, campaignId: a.campaignId, campaignName: a.campaignName,
        paidFrom: a.fundingSource === 'GMV_PAYMENT' ? 'shop GMV' : 'ad account', products: a.productIds.join(', '), creator: a.creatorUsername ?? '',
        days: 0, spend: 0, grossSpend: null,
        counted: a.fundingSource === 'AD_ACCOUNT' ? 'yes' : gmvPaidFrom === 'statements' ? 'from the statements' : 'yes (no statement read)',
      }));
    }
    if (a.spend !== 0) r.days += 1;
    r.spend += a.spend;
    if (a.grossSpend != null) r.grossSpend = (r.grossSpend ?? 0) + a.grossSpend;
  }
  const rows = [...acc.values()].sort((x, y) => y.spend - x.spend || (String(x.campaignId) < String(y.campaignId) ? -1 : 1));
  const definitions = baseDefinitions(input, 'accrual');
  definitions.notes.push(
    `Ad days ${range.from} to ${range.to} (${range.label}), each in its ad account's time zone. From the Ad spend tab, with the Campaign map applied.`,
    'The cost is the report\'s billed_cost (after ad credits and coupons); the spend before credits is shown beside it.',
    ...(rates.length > 0 ? [`Converted to ${settings.currency} at the Settings rates (${rates.map((r) => `${r.currency} ${r.rate}, ${r.date}`).join('; ')}).`] : []),
  );
  return { id: 'ads_campaigns', title: 'Ad spend by campaign', definitions, columns: ADS_CAMPAIGN_COLUMNS, rows };
}
