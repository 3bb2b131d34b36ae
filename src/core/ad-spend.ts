/**
 * Ad spend before allocation: which money is the shop's ad cost (counted once), in which
 * currency, and which products and creator each campaign promotes (the campaign map).
 *
 * Counted once. GMV Max spend paid out of the shop's GMV is reported by up to three sources:
 *   A. statement transactions of type GMV_PAYMENT_FOR_ADS (a shop-level deduction);
 *   B. a per-order fee field `gmv_max_ad_fee_amount` inside an ORDER transaction's fee breakdown;
 *   C. the Marketing API's rows for campaigns paid from GMV (fundingSource GMV_PAYMENT).
 * A and B are both deductions from the settlement: a statement's settlement is the SUM of its
 * transactions, so the same money in A and in B would have been taken from the seller twice.
 * They are therefore different money and both count. C is the same money seen from the ads
 * side (by advertiser day and campaign), so:
 *   - when the data holds any statement transaction, the statements are the cost (A + B) and
 *     C is only shown (the Ads report says how much GMV-paid spend is not yet on a statement);
 *   - when the data holds no statement transaction at all (nothing of the cash side was read),
 *     C is the only record of that cost and counts, on its advertiser day.
 * Card-paid spend (fundingSource AD_ACCOUNT) appears in the Marketing API only and always counts.
 */
import { allocateByWeights, minorUnits, mulDivRound } from './money';
import { AD_FEE_FIELDS, type AdSpend, type StatementTransaction } from './records';
import { DataError } from './errors';
import { addDays, dayKey, isDayKey, startOfDay } from './time';

// ---------------------------------------------------------------- counted once

export type AdCostSource = 'ad_account' | 'gmv_statement' | 'gmv_order_fee' | 'gmv_marketing_api';

/** A piece of ad cost on one shop day, before it is allocated to orders. */
export interface AdCostPiece {
  day: string;
  amount: number;
  source: AdCostSource;
  /** Products the campaign promotes (by-product allocation); [] = the day's orders. */
  productIds: readonly string[];
}

export interface CountedAdSpend {
  /** Shop-level pieces to allocate. */
  pieces: AdCostPiece[];
  /** Per-order GMV Max fees (source B): the order's own ad cost, not allocated; `day` = the statement's shop day. */
  orderFees: { orderId: string; amount: number; day: string }[];
  /** Which source the GMV-paid cost was taken from. */
  gmvPaidFrom: 'statements' | 'marketing_api';
  /** Σ GMV-paid spend the Marketing API reports (C), and Σ on statements (A + B). */
  gmvPaidReported: number;
  gmvPaidOnStatements: number;
}

/**
 * Splits one advertiser-timezone day's amount over the shop days it overlaps, by seconds of
 * overlap (an ad day in New York is 21:00–21:00 in Los Angeles: 3 hours on one shop day, 21 on the next).
 */
export function splitAdDayToShopDays(date: string, advertiserTz: string, shopTz: string, amount: number): { day: string; amount: number }[] {
  if (advertiserTz === shopTz) return [{ day: date, amount }];
  const start = startOfDay(date, advertiserTz);
  const end = startOfDay(addDays(date, 1), advertiserTz);
  const days: string[] = [];
  const weights: number[] = [];
  for (let d = dayKey(start, shopTz); ; d = addDays(d, 1)) {
    const from = Math.max(start, startOfDay(d, shopTz));
    const to = Math.min(end, startOfDay(addDays(d, 1), shopTz));
    if (from >= end) break;
    if (to > from) {
      days.push(d);
      weights.push(to - from);
    }
  }
  const parts = allocateByWeights(amount, weights);
  return days.map((day, i) => ({ day, amount: parts[i] }));
}

/** The GMV Max fee of one order transaction (a cost: positive), 0 when it has none. */
export function orderAdFee(t: StatementTransaction): number {
  let fee = 0;
  for (const f of AD_FEE_FIELDS) fee -= t.fees[f] ?? 0;
  return fee;
}

/** The counted-once rule (see the header): every ad cost of the data, once. */
export function countAdSpendOnce(adSpend: readonly AdSpend[], transactions: readonly StatementTransaction[], shopTz: string): CountedAdSpend {
  const pieces: AdCostPiece[] = [];
  const orderFees: CountedAdSpend['orderFees'] = [];
  let onStatements = 0;
  for (const t of transactions) {
    if (t.type === 'GMV_PAYMENT_FOR_ADS') {
      const spend = -t.settlementAmount;
      onStatements += spend;
      pieces.push({ day: dayKey(t.statementTime, shopTz), amount: spend, source: 'gmv_statement', productIds: [] });
    } else if (t.orderId !== null) {
      const fee = orderAdFee(t);
      if (fee !== 0) {
        onStatements += fee;
        orderFees.push({ orderId: t.orderId, amount: fee, day: dayKey(t.statementTime, shopTz) });
      }
    }
  }
  const gmvPaidFrom = transactions.length > 0 ? 'statements' : 'marketing_api';
  let reported = 0;
  for (const row of adSpend) {
    const gmvPaid = row.fundingSource === 'GMV_PAYMENT';
    if (gmvPaid) reported += row.spend;
    if (gmvPaid && gmvPaidFrom === 'statements') continue;
    const source: AdCostSource = gmvPaid ? 'gmv_marketing_api' : 'ad_account';
    for (const { day, amount } of splitAdDayToShopDays(row.date, row.advertiserTimezone, shopTz, row.spend)) {
      pieces.push({ day, amount, source, productIds: row.productIds });
    }
  }
  return { pieces, orderFees, gmvPaidFrom, gmvPaidReported: reported, gmvPaidOnStatements: onStatements };
}

// ---------------------------------------------------------------- currency

/** A conversion rate the seller gives on Settings: 1 unit of `currency` = `rate` shop-currency units, as of `date`. */
export interface AdCurrencyRate {
  currency: string;
  /** Decimal text ("1.0850"), kept as text so the conversion is exact to the rate as typed. */
  rate: string;
  date: string;
}

const RATE_RE = /^(\d+)(?:\.(\d+))?$/;

/** Parses the Settings value "EUR 1.0850 2025-03-01; GBP 1.27 2025-03-01" (blank = none). */
export function parseAdCurrencyRates(text: string, shopCurrency: string): AdCurrencyRate[] {
  const out: AdCurrencyRate[] = [];
  for (const part of text.split(/[;\n]/).map((s) => s.trim()).filter(Boolean)) {
    const [currency, rate, date, ...rest] = part.split(/\s+/);
    const bad = (expected: string) => new DataError({ record: 'Settings', field: 'Ad account currency rates', expected, got: part });
    if (rest.length > 0 || !currency || !rate || !date) throw bad('"CUR rate YYYY-MM-DD" entries separated by ";" (e.g. "EUR 1.0850 2025-03-01")');
    const cur = currency.toUpperCase();
    try {
      minorUnits(cur);
    } catch {
      throw bad('a known ISO 4217 currency code first (e.g. EUR)');
    }
    if (cur === shopCurrency) throw bad(`a currency other than the shop's (${shopCurrency})`);
    if (!RATE_RE.test(rate) || Number(rate) <= 0) throw bad('a positive decimal rate (shop currency per 1 unit of the ad account currency)');
    if (!isDayKey(date)) throw bad('the date of the rate as YYYY-MM-DD');
    if (out.some((r) => r.currency === cur)) throw bad(`one rate per currency (${cur} twice)`);
    out.push({ currency: cur, rate, date });
  }
  return out;
}

/** `amount` minor units of `from` in minor units of `to` at `rate` (rounded half away from zero). */
export function convertMinor(amount: number, from: string, to: string, rate: string): number {
  const m = RATE_RE.exec(rate);
  if (!m) throw new Error(`convertMinor: bad rate ${rate}`);
  const decimals = m[2]?.length ?? 0;
  const numerator = Number(m[1] + (m[2] ?? ''));
  const shift = minorUnits(to) - minorUnits(from);
  const num = shift >= 0 ? numerator * 10 ** shift : numerator;
  const den = 10 ** decimals * (shift < 0 ? 10 ** -shift : 1);
  return mulDivRound(amount, num, den);
}

/** Thrown when an ad account's currency is not the shop's and Settings gives no rate. */
export class AdCurrencyError extends Error {
  constructor(readonly advertiserId: string, readonly currency: string, readonly shopCurrency: string) {
    super(`Ad account ${advertiserId} reports in ${currency}, the shop in ${shopCurrency}: give a rate on the Settings tab ` +
      `(Ad account currency rates, e.g. "${currency} 1.0000 YYYY-MM-DD"), or leave this ad account out of the workbook.`);
    this.name = 'AdCurrencyError';
  }
}

/** Rows in another currency converted at the seller's rate; refused by advertiser when there is none. */
export function convertAdSpend(rows: readonly AdSpend[], shopCurrency: string, rates: readonly AdCurrencyRate[]): AdSpend[] {
  return rows.map((r) => {
    if (r.currency === shopCurrency) return r;
    const rate = rates.find((x) => x.currency === r.currency);
    if (!rate) throw new AdCurrencyError(r.advertiserId, r.currency, shopCurrency);
    return {
      ...r,
      currency: shopCurrency,
      spend: convertMinor(r.spend, r.currency, shopCurrency, rate.rate),
      ...(r.grossSpend != null ? { grossSpend: convertMinor(r.grossSpend, r.currency, shopCurrency, rate.rate) } : {}),
    };
  });
}

// ---------------------------------------------------------------- campaign map

/** A row of the Campaign map tab: what a campaign promotes. */
export interface CampaignMapEntry {
  advertiserId: string;
  campaignId: string;
  campaignName: string;
  /** Product ids the campaign promotes ([] = not mapped to products). */
  productIds: string[];
  /** Creator whose content the campaign promotes (Spark ads), or null. */
  creatorUsername: string | null;
  /** How the campaign is paid, when the seller says so (null = as the report it came from says). */
  fundingSource: AdSpend['fundingSource'] | null;
}

/** Each ad spend row takes its campaign's products and creator from the map (the map wins where it has a campaign). */
export function applyCampaignMap(rows: readonly AdSpend[], map: readonly CampaignMapEntry[]): AdSpend[] {
  if (map.length === 0) return [...rows];
  const byKey = new Map(map.map((m) => [`${m.advertiserId}\u0000${m.campaignId}`, m]));
  return rows.map((r) => {
    const m = byKey.get(`${r.advertiserId}\u0000${r.campaignId}`);
    if (!m) return r;
    return {
      ...r, productIds: [...m.productIds], creatorUsername: m.creatorUsername, campaignName: r.campaignName || m.campaignName,
      fundingSource: m.fundingSource ?? r.fundingSource,
    };
  });
}
