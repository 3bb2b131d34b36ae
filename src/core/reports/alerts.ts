/**
 * Alerts: the rules of profit-model.md ("Alerts") with thresholds from Settings. Each alert
 * names the item, the number, the threshold and where to look, in words an operator acts on.
 *
 * Alerts read the other reports rather than re-deriving them, so a SKU's CM3 in an alert is
 * the same number as on the SKU profit tab.
 */
import { formatAmount } from '../money';
import { profitReport } from './profit';
import { addDays } from '../time';
import type { Thresholds } from '../settings';
import { baseDefinitions, isEstimated, share, standardPeriods, type Column, type DayRange, type ReportInput, type ReportTable, type Row } from './table';

export type AlertRule =
  | 'sku_without_cogs' | 'sku_negative_cm3' | 'creator_negative_cm3' | 'cm3_below_target' | 'return_rate_high'
  | 'return_rate_spike' | 'page_view_rate_low' | 'statement_not_tied_out' | 'transaction_parts_off' | 'payout_differs'
  | 'estimated_share_high' | 'data_stale';

export interface Alert {
  rule: AlertRule;
  /** What it is about: a SKU, a creator, a statement, the shop. */
  item: string;
  /** The number that broke the rule, as text in the seller's units (money, %, hours). */
  value: string;
  threshold: string;
  /** The tab (and filter) where the detail is. */
  where: string;
  message: string;
  /** Money the alert is about (minor units, ≥ 0): a loss, a gap to target, a difference; null when it names none. */
  atStake?: number | null;
}

/** Inputs computed by the other reports (kept as plain rows so alerts need not import them). */
export interface AlertSources {
  /** SKU rows over the last 7 and 30 days: sku, cm3, netRevenue, returnRate, pageViewRate, and the previous 7 days' return rate. */
  skus7?: readonly SkuFacts[];
  skus30?: readonly SkuFacts[];
  creators7?: readonly { creator: string; cm3: number }[];
  creators30?: readonly { creator: string; cm3: number }[];
  statementsNotTiedOut?: readonly { statementId: string; difference: number; differenceShare: number | null }[];
  payoutsDiffering?: readonly { paymentId: string; difference: number }[];
  /** Transactions whose settlement amount is not the sum of their parts (Reconciliation's list). */
  transactionsNotAddingUp?: readonly { transactionId: string; statementId: string; orderId: string | null; difference: number }[];
  /** The Profit report's accrual period rows (period, cm3, netRevenue); computed here when omitted. */
  profitAccrual?: readonly Row[];
  /** When the last refresh finished (Unix seconds); null = never. Omitted = not checked. */
  lastRefreshTime?: number | null;
}

export interface SkuFacts {
  sku: string;
  cm3: number;
  netRevenue: number;
  /** Returned units / units sold (null when nothing sold). */
  returnRate: number | null;
  /** The same over the 7 days before the period, for the week-over-week spike. */
  previousReturnRate?: number | null;
  /** Page views / impressions (null without analytics). */
  pageViewRate: number | null;
}

const percent = (x: number | null, digits = 1) => (x === null ? '—' : `${(100 * x).toFixed(digits)}%`);
const bpText = (bp: number) => `${(bp / 100).toFixed(bp % 100 === 0 ? 0 : 2)}%`;

export function alerts(input: ReportInput, sources: AlertSources = {}): ReportTable {
  const { settings, margins } = input;
  const t: Thresholds = settings.thresholds;
  const cur = settings.currency;
  const money = (minor: number) => `${formatAmount(minor, cur)} ${cur}`;
  const out: Alert[] = [];
  const periods = standardPeriods(margins.asOf, settings);
  const last30 = periods.find((p) => p.label === 'Last 30 days')!;

  // SKUs sold without a cost: their COGS is missing from every margin they touch.
  const missing = new Map<string, number>();
  for (const o of margins.orders) {
    if (o.day < last30.from || o.day > last30.to) continue;
    for (const sku of o.missingCogsSkus) missing.set(sku, (missing.get(sku) ?? 0) + 1);
  }
  const revenue30 = new Map((sources.skus30 ?? []).map((s) => [s.sku, s.netRevenue]));
  for (const [sku, orders] of [...missing].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) {
    out.push({
      atStake: revenue30.has(sku) ? Math.max(0, revenue30.get(sku)!) : null,
      rule: 'sku_without_cogs', item: `SKU ${sku}`, value: `${orders} order${orders === 1 ? '' : 's'} in the last 30 days`,
      threshold: 'a cost in the COGS tab', where: 'COGS tab',
      message: `SKU ${sku} has no unit cost in effect; its orders' COGS and margins leave it out until you add one.`,
    });
  }

  const negative = (rows: readonly { key: string; cm3: number }[] | undefined, rule: AlertRule, kind: string, where: string, label: string) => {
    for (const r of rows ?? []) {
      if (r.cm3 >= 0) continue;
      out.push({ rule, atStake: -r.cm3, item: `${kind} ${r.key}`, value: money(r.cm3), threshold: `CM3 ≥ ${money(0)}`, where, message: `${kind} ${r.key} lost ${money(-r.cm3)} of contribution margin (CM3) over the ${label}.` });
    }
  };
  negative(sources.skus7?.map((s) => ({ key: s.sku, cm3: s.cm3 })), 'sku_negative_cm3', 'SKU', 'SKU profit tab', 'last 7 days');
  negative(sources.skus30?.map((s) => ({ key: s.sku, cm3: s.cm3 })), 'sku_negative_cm3', 'SKU', 'SKU profit tab', 'last 30 days');
  negative(sources.creators7?.map((c) => ({ key: c.creator, cm3: c.cm3 })), 'creator_negative_cm3', 'Creator', 'Creators tab', 'last 7 days');
  negative(sources.creators30?.map((c) => ({ key: c.creator, cm3: c.cm3 })), 'creator_negative_cm3', 'Creator', 'Creators tab', 'last 30 days');

  // The shop's CM3% against target, over the last 7 and 30 days: the Profit tab's own rows.
  const profitRows = sources.profitAccrual ?? profitReport(input).accrual.rows;
  for (const p of [periods.find((x) => x.label === 'Last 7 days')!, last30]) {
    const row = profitRows.find((r) => r.period === p.label);
    if (!row) continue;
    const rate = share(row.cm3 as number, row.netRevenue as number);
    if (rate !== null && rate * 10000 < t.targetCm3Bp) {
      out.push({
        rule: 'cm3_below_target', atStake: Math.max(0, Math.ceil((t.targetCm3Bp * (row.netRevenue as number)) / 10000) - (row.cm3 as number)), item: 'Shop', value: percent(rate), threshold: bpText(t.targetCm3Bp), where: 'Profit tab',
        message: `The shop's CM3 was ${percent(rate)} of net revenue over the ${p.label.toLowerCase()}, below the ${bpText(t.targetCm3Bp)} target.`,
      });
    }
  }

  for (const s of sources.skus30 ?? []) {
    if (s.returnRate !== null && s.returnRate * 10000 > t.returnRateAlertBp) {
      out.push({
        rule: 'return_rate_high', item: `SKU ${s.sku}`, value: percent(s.returnRate), threshold: bpText(t.returnRateAlertBp), where: 'SKU profit tab',
        message: `${percent(s.returnRate)} of SKU ${s.sku}'s units sold in the last 30 days came back.`,
      });
    }
  }
  for (const s of sources.skus7 ?? []) {
    const before = s.previousReturnRate ?? null;
    if (s.returnRate === null || before === null || before === 0) continue;
    const rise = (s.returnRate - before) / before;
    if (rise * 10000 > t.returnRateSpikeBp) {
      out.push({
        rule: 'return_rate_spike', item: `SKU ${s.sku}`, value: `${percent(before)} → ${percent(s.returnRate)}`, threshold: `+${bpText(t.returnRateSpikeBp)} week over week`,
        where: 'SKU profit tab', message: `SKU ${s.sku}'s return rate rose from ${percent(before)} to ${percent(s.returnRate)} week over week.`,
      });
    }
  }
  for (const s of sources.skus30 ?? []) {
    if (s.pageViewRate !== null && s.pageViewRate * 10000 < t.pageViewRateAlertBp) {
      out.push({
        rule: 'page_view_rate_low', item: `SKU ${s.sku}`, value: percent(s.pageViewRate, 2), threshold: `≥ ${bpText(t.pageViewRateAlertBp)} (healthy ${bpText(t.pageViewRateHealthyMinBp)}–${bpText(t.pageViewRateHealthyMaxBp)})`,
        where: 'SKU profit tab', message: `Only ${percent(s.pageViewRate, 2)} of SKU ${s.sku}'s impressions open its product page: check the call to action and shopping-bag placement.`,
      });
    }
  }
  for (const st of sources.statementsNotTiedOut ?? []) {
    out.push({
      rule: 'statement_not_tied_out', atStake: Math.abs(st.difference), item: `Statement ${st.statementId}`, value: `${money(st.difference)} (${percent(st.differenceShare)})`,
      threshold: `within ${bpText(t.statementTieOutBp)}`, where: 'Reconciliation tab',
      message: `Statement ${st.statementId}'s transactions differ from its total by ${money(st.difference)}.`,
    });
  }
  for (const x of sources.transactionsNotAddingUp ?? []) {
    const of = x.orderId ? ` (order ${x.orderId})` : '';
    out.push({
      rule: 'transaction_parts_off', atStake: Math.abs(x.difference), item: `Transaction ${x.transactionId}${of}`, value: money(x.difference), threshold: 'settlement = sum of its parts',
      where: 'Reconciliation tab, "Transactions whose parts do not add up"',
      message: `Transaction ${x.transactionId}${of} on statement ${x.statementId} settles ${money(x.difference)} away from the sum of its revenue, shipping, fees and taxes and adjustment.`,
    });
  }
  for (const p of sources.payoutsDiffering ?? []) {
    out.push({
      rule: 'payout_differs', atStake: Math.abs(p.difference), item: `Payout ${p.paymentId}`, value: money(p.difference), threshold: `within ${money(t.payoutToleranceMinor)} of settlement + reserve`,
      where: 'Reconciliation tab', message: `Payout ${p.paymentId} differs from its settlement and reserve by ${money(p.difference)}.`,
    });
  }

  // Last calendar month: how much of it is still estimated.
  const lastMonth = previousMonth(periods[0].from);
  const lastMonthOrders = margins.orders.filter((o) => o.day >= lastMonth.from && o.day <= lastMonth.to);
  const estimated = share(lastMonthOrders.filter(isEstimated).length, lastMonthOrders.length);
  if (estimated !== null && estimated * 10000 > t.estimatedShareAlertBp) {
    out.push({
      rule: 'estimated_share_high', item: `Orders of ${lastMonth.label}`, value: percent(estimated), threshold: `≤ ${bpText(t.estimatedShareAlertBp)}`,
      where: 'Order margin tab (basis column)', message: `${percent(estimated)} of last month's orders still have estimated fees; their margins change when statements arrive.`,
    });
  }

  if (sources.lastRefreshTime !== undefined) {
    const hours = sources.lastRefreshTime === null ? null : Math.floor((margins.asOf - sources.lastRefreshTime) / 3600);
    if (hours === null || hours > t.staleAfterHours) {
      out.push({
        rule: 'data_stale', item: 'Data', value: hours === null ? 'never refreshed' : `${hours} h since the last refresh`,
        threshold: `≤ ${t.staleAfterHours} h`, where: 'Sidebar → Refresh', message: 'The data is older than the freshness setting allows: refresh it.',
      });
    }
  }

  const columns: Column[] = [
    { key: 'rule', label: 'Rule', format: 'text' },
    { key: 'item', label: 'Item', format: 'text' },
    { key: 'value', label: 'Number', format: 'text' },
    { key: 'threshold', label: 'Threshold', format: 'text' },
    { key: 'where', label: 'Where to look', format: 'text' },
    { key: 'message', label: 'What it means', format: 'text' },
    { key: 'atStake', label: 'Money at stake', format: 'money', note: 'The loss, gap to the target CM3, difference or revenue without a cost the alert is about; empty when it names no amount. Alerts are ranked by it.' },
  ];
  // Ranked by money at stake (largest first); alerts naming no amount keep their order after them.
  const ranked = out.map((a, i) => ({ a, i })).sort((x, y) => {
    const ax = x.a.atStake ?? null;
    const ay = y.a.atStake ?? null;
    if (ax === null || ay === null) return ax === null && ay === null ? x.i - y.i : ax === null ? 1 : -1;
    return ay - ax || x.i - y.i;
  }).map((x) => x.a);
  const definitions = baseDefinitions(input, 'accrual');
  definitions.notes.push('Thresholds come from the Settings tab (thresholds.*).');
  definitions.notes.push('Ranked by money at stake, largest first; alerts that name no amount follow in rule order.');
  return { id: 'alerts', title: 'Alerts', definitions, columns, rows: ranked.map((a) => ({ ...a, atStake: a.atStake ?? null }) as Row) };
}

function previousMonth(today: string): DayRange {
  const firstOfThis = `${today.slice(0, 7)}-01`;
  const lastOfPrevious = addDays(firstOfThis, -1);
  return { label: lastOfPrevious.slice(0, 7), from: `${lastOfPrevious.slice(0, 7)}-01`, to: lastOfPrevious };
}
