/**
 * Order margin: one row per paid order with every component of its margin, so a finance
 * lead can follow any number of any other report down to the orders it is made of.
 *
 * The row is the engine's OrderMargin laid flat: fees per component, the basis (settled or
 * estimated, and from what), the true-up per component once the statement replaced the
 * estimate, and the SKUs that had no cost.
 */
import { FEE_COMPONENTS, type FeeComponent, type OrderMargin } from '../margin-types';
import { dayKey } from '../time';
import { baseDefinitions, inRange, isEstimated, share, type Column, type DayRange, type ReportInput, type ReportTable, type Row, moneyColumn } from './table';

export interface OrderMarginOptions {
  /** Orders created in this range (shop days); default every order. */
  range?: DayRange;
}

/** The seller's name for each fee component (the columns of the fee and true-up blocks). */
export const FEE_COMPONENT_LABELS: Readonly<Record<FeeComponent, string>> = {
  referralFee: 'Referral fee',
  transactionFee: 'Transaction fee',
  refundAdministrationFee: 'Refund administration fee',
  serviceFees: 'Service fees',
  otherPlatformFees: 'Other platform fees',
  shippingCost: 'Shipping cost (net)',
  affiliateCommission: 'Affiliate commission',
  affiliatePartnerCommission: 'Affiliate partner commission',
  affiliateAdsCommission: 'Shop-ads commission',
  cofundedCreatorBonus: 'Co-funded creator bonus',
  taxWithheld: 'Tax withheld',
};

const ESTIMATE_SOURCES: Readonly<Record<string, string>> = {
  tiktok_estimate: 'TikTok estimate',
  trailing_rate: 'Trailing 30-day rate',
  rate_card: 'Rate card (Settings)',
};

const trueUpKey = (c: FeeComponent) => `trueUp${c[0].toUpperCase()}${c.slice(1)}`;

/** True-up components that move CM2: tax withheld is pass-through, outside the margin. */
const MARGIN_FEE_COMPONENTS = FEE_COMPONENTS.filter((c) => c !== 'taxWithheld');

const money = moneyColumn;

export const ORDER_MARGIN_COLUMNS: Column[] = [
  { key: 'orderId', label: 'Order ID', format: 'text' },
  { key: 'day', label: 'Order day', format: 'day', note: 'Shop-timezone day the order was created.' },
  { key: 'status', label: 'Status', format: 'text' },
  { key: 'buyerId', label: 'Buyer', format: 'text' },
  { key: 'isSample', label: 'Sample', format: 'boolean', note: 'Sample sent to a creator: no revenue, its costs are the creator’s marketing.' },
  { key: 'creator', label: 'Creator', format: 'text', note: 'Creator credited: the affiliate with the largest commission base, or the sample’s creator.' },
  { key: 'isFirstOrder', label: 'First order of buyer', format: 'boolean' },
  { key: 'basis', label: 'Fees basis', format: 'text', note: 'settled (statement arrived), estimated, or none (cancelled or sample, nothing to estimate).' },
  { key: 'estimateSource', label: 'Estimated from', format: 'text' },
  { key: 'settlementDay', label: 'Settled on', format: 'day', note: 'Shop day of the order’s first settlement statement.' },
  { key: 'units', label: 'Units', format: 'integer' },
  money('grossSales', 'GMV (gross sales)'),
  money('cancelledSales', 'Cancelled sales'),
  money('sellerDiscount', 'Seller discount'),
  money('platformDiscount', 'Platform discount', 'Funded by TikTok: not the seller’s cost.'),
  money('productRevenue', 'Product revenue'),
  money('refunds', 'Refunds'),
  money('shippingRevenue', 'Shipping paid by customer'),
  money('netRevenue', 'Net revenue'),
  money('cogsGross', 'COGS before restock'),
  money('restockCredit', 'Restocked returns'),
  money('cogs', 'COGS'),
  { key: 'missingCogsSkus', label: 'SKUs without cost', format: 'text', note: 'Their COGS is left out of this order until a cost is entered.' },
  money('cm1', 'CM1'),
  ...FEE_COMPONENTS.map((c) => money(c, FEE_COMPONENT_LABELS[c])),
  money('platformFees', 'Platform fees'),
  money('ownFulfilmentCost', 'Own fulfilment cost', 'Packaging and pick-and-pack from Settings.'),
  money('fulfilmentAndShipping', 'Shipping and fulfilment'),
  money('creatorCommission', 'Creator commission'),
  money('cm2', 'CM2'),
  money('adSpend', 'Ad spend allocated'),
  money('sampleCost', 'Samples'),
  money('marketing', 'Marketing'),
  money('cm3', 'CM3 (contribution margin)'),
  { key: 'cm3Share', label: 'CM3 %', format: 'percent', note: 'CM3 / net revenue; empty when there is no net revenue.' },
  ...FEE_COMPONENTS.map((c) => money(trueUpKey(c), `True-up: ${FEE_COMPONENT_LABELS[c]}`)),
  money('trueUpTotal', 'True-up total', 'Settled − estimated over fees, shipping and commission (tax withheld excluded); positive = costs were higher than estimated.'),
];

export function orderMarginRow(o: OrderMargin, timezone: string): Row {
  const row: Row = {
    orderId: o.orderId,
    day: o.day,
    status: o.status,
    buyerId: o.buyerId,
    isSample: o.isSample,
    creator: o.creator,
    isFirstOrder: o.isFirstOrder,
    basis: o.basis === 'settled' ? 'settled' : isEstimated(o) ? 'estimated' : 'none',
    estimateSource: ESTIMATE_SOURCES[o.basis] ?? null,
    settlementDay: o.settlementTime === null ? null : dayKey(o.settlementTime, timezone),
    units: o.units,
    grossSales: o.grossSales,
    cancelledSales: o.cancelledSales,
    sellerDiscount: o.sellerDiscount,
    platformDiscount: o.platformDiscount,
    productRevenue: o.productRevenue,
    refunds: o.refunds,
    shippingRevenue: o.shippingRevenue,
    netRevenue: o.netRevenue,
    cogsGross: o.cogsGross,
    restockCredit: o.restockCredit,
    cogs: o.cogs,
    missingCogsSkus: o.missingCogsSkus.join(', '),
    cm1: o.cm1,
    platformFees: o.platformFees,
    ownFulfilmentCost: o.ownFulfilmentCost,
    fulfilmentAndShipping: o.fulfilmentAndShipping,
    creatorCommission: o.creatorCommission,
    cm2: o.cm2,
    adSpend: o.adSpend,
    sampleCost: o.sampleCost,
    marketing: o.marketing,
    cm3: o.cm3,
    cm3Share: share(o.cm3, o.netRevenue),
  };
  for (const c of FEE_COMPONENTS) {
    row[c] = o.fees[c];
    row[trueUpKey(c)] = o.trueUp === null ? null : o.trueUp[c];
  }
  row.trueUpTotal = o.trueUp === null ? null : MARGIN_FEE_COMPONENTS.reduce((sum, c) => sum + o.trueUp![c], 0);
  return row;
}

/** One row per paid order, newest first (ties by order id). */
export function orderMarginReport(input: ReportInput, options: OrderMarginOptions = {}): ReportTable {
  const { range } = options;
  const orders = input.margins.orders
    .filter((o) => !range || inRange(o.day, range))
    .sort((a, b) => b.createTime - a.createTime || (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0));
  const definitions = baseDefinitions(input, 'accrual', orders);
  definitions.notes.push(
    range ? `Orders created ${range.from} to ${range.to} (${range.label}).` : 'Every paid order in the data.',
    'Amounts are the order’s own (accrual): refunds and fees settled later are on the order, not on their statement day.',
    'Costs are positive numbers that are subtracted; true-up = settled − what the estimate gave.',
  );
  return {
    id: 'order_margin',
    title: 'Order margin',
    definitions,
    columns: ORDER_MARGIN_COLUMNS,
    rows: orders.map((o) => orderMarginRow(o, input.settings.timezone)),
  };
}
