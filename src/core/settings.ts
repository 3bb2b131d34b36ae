/**
 * Settings: what the seller can change about the definitions (Settings tab).
 * Every default here is the one profit-model.md states; facts it marks unconfirmed are
 * settings so the seller can correct them.
 */
import * as z from 'zod/mini';
import { isKnownCurrency } from './money';
import { isValidTimeZone, WEEKDAYS, type Weekday } from './time';
import { parseRecord } from './records';

export const ALLOCATION_METHODS = ['by_day', 'by_product', 'new_buyers'] as const;
export type AllocationMethod = (typeof ALLOCATION_METHODS)[number];

/** Basis points (1/100 of a percent): 600 = 6.00%. */
const bp = z.int().check(z.nonnegative());
const minor = z.int().check(z.nonnegative());

export const RateCardSchema = z.object({
  /** Referral fee on customer payment + platform discount − tax (US default 6%) [U]. */
  referralFeeBp: z._default(bp, 600),
  /** Transaction / payment fee on the same base (US: included in the referral fee). */
  transactionFeeBp: z._default(bp, 0),
  /** Other platform service fees (SFP, campaigns) on the same base. */
  serviceFeeBp: z._default(bp, 0),
  /** Refund administration fee: share of the referral fee of the refunded amount (20%) [U]. */
  refundAdminShareBp: z._default(bp, 2000),
  /** ...capped per refunded SKU line, in minor units ($5) [U]. */
  refundAdminCapPerSku: z._default(minor, 500),
  /** Seller-paid shipping per order before statements arrive, in minor units. */
  shippingCostPerOrder: z._default(minor, 0),
});
export type RateCard = z.infer<typeof RateCardSchema>;

/** Thresholds of the creator groups and the alert rules (profit-model.md, "Alerts"). */
export const ThresholdsSchema = z.object({
  /** Creator GMV splitting "high" from "low" (minor units); null = the median creator's GMV. */
  creatorGmvThreshold: z._default(z.nullable(minor), null),
  /** CM3 as a share of net revenue that counts as a good margin (basis points; 1500 = 15%). */
  targetCm3Bp: z._default(bp, 1500),
  /** Return rate (returned units / units sold) above which a SKU or creator is flagged. */
  returnRateAlertBp: z._default(bp, 1000),
  /** Week-over-week rise of a return rate that counts as a spike (5000 = +50%). */
  returnRateSpikeBp: z._default(bp, 5000),
  /** Product page view rate: healthy band and the alert floor (3–8%, below 1.5%). */
  pageViewRateHealthyMinBp: z._default(bp, 300),
  pageViewRateHealthyMaxBp: z._default(bp, 800),
  pageViewRateAlertBp: z._default(bp, 150),
  /** A statement whose transactions differ from its total by more than this share does not tie out (5%). */
  statementTieOutBp: z._default(bp, 500),
  /** Payout − (settlement + reserve) beyond this (minor units) is flagged. */
  payoutToleranceMinor: z._default(minor, 0),
  /** Share of last month's orders still estimated above which an alert is raised. */
  estimatedShareAlertBp: z._default(bp, 2000),
  /** Hours since the last successful refresh after which data counts as stale. */
  staleAfterHours: z._default(z.int().check(z.positive()), 48),
});
export type Thresholds = z.infer<typeof ThresholdsSchema>;

export const SettingsSchema = z.object({
  currency: z.string().check(z.refine(isKnownCurrency, 'a known ISO 4217 currency code')),
  /** IANA zone of the shop ("America/Los_Angeles"): days, weeks, months are the shop's. */
  timezone: z.string().check(z.refine(isValidTimeZone, 'an IANA time zone such as America/Los_Angeles')),
  weekStart: z._default(z.enum(WEEKDAYS as unknown as [Weekday, ...Weekday[]]), 'MONDAY'),
  allocationMethod: z._default(z.enum(ALLOCATION_METHODS), 'by_day'),
  /** Share of returned units' COGS recovered on RETURN_AND_REFUND (units come back sellable). */
  restockShareReturnBp: z._default(z.int().check(z.nonnegative(), z.lte(10000)), 10000),
  /** ...on REFUND only (nothing comes back by default). */
  restockShareRefundOnlyBp: z._default(z.int().check(z.nonnegative(), z.lte(10000)), 0),
  /** Seller's own per-order costs (minor units), fulfilment layer. */
  packagingCostPerOrder: z._default(minor, 0),
  pickPackCostPerOrder: z._default(minor, 0),
  /** Trailing actual fee rates: window and the fewest settled orders that make a rate. */
  trailingWindowDays: z._default(z.int().check(z.positive()), 30),
  trailingMinOrders: z._default(z.int().check(z.positive()), 20),
  thresholds: z._default(ThresholdsSchema, {
    creatorGmvThreshold: null, targetCm3Bp: 1500, returnRateAlertBp: 1000, returnRateSpikeBp: 5000,
    pageViewRateHealthyMinBp: 300, pageViewRateHealthyMaxBp: 800, pageViewRateAlertBp: 150,
    statementTieOutBp: 500, payoutToleranceMinor: 0, estimatedShareAlertBp: 2000, staleAfterHours: 48,
  }),
  rateCard: z._default(RateCardSchema, {
    referralFeeBp: 600, transactionFeeBp: 0, serviceFeeBp: 0, refundAdminShareBp: 2000, refundAdminCapPerSku: 500, shippingCostPerOrder: 0,
  }),
});
export type Settings = z.infer<typeof SettingsSchema>;
export type SettingsInput = z.input<typeof SettingsSchema>;

export function parseSettings(input: unknown): Settings {
  return parseRecord(SettingsSchema, input, 'Settings');
}
