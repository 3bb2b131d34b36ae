/**
 * An order's margin split over its SKU lines, exactly: the lines of an order add up to the
 * order to the minor unit, so every SKU's CM3 summed over SKUs is the shop's CM3.
 *
 * What a line owns outright stays with it: its gross sales, its product revenue (original
 * price − seller discount), the refunds that name it, its COGS and restock credit, a sample
 * line's product cost. Everything that belongs to the order as a whole — shipping the
 * customer paid, refunds that name no line, platform fees, shipping and fulfilment, creator
 * commission, ad spend, the rest of a sample's cost — is split over the lines in proportion
 * to each line's own net product revenue (largest remainder, lines in line-id order, ties
 * to the earlier line). When no line has revenue (a sample, a free gift order, a fully
 * refunded or cancelled order) the split is by units sold, and failing those by the units
 * ordered.
 *
 * The split is made as "exact part + share of the rest", where the rest is the order's own
 * figure minus the exact parts: the sums hold by construction, and a test checks that the
 * rest of COGS is zero (SplitCheck: the lines reproduce the engine's COGS, they do not paper over it).
 */
import { CostBook } from '../cogs';
import type { OrderMargin } from '../margin-types';
import { allocateByWeights, mulDivRound } from '../money';
import { REFUNDED_RETURN_STATUSES, type OrderLine, type Return } from '../records';
import { isEstimated, type ReportInput } from './table';
import { groupBy } from '../group';

/** The SKU key used for an order with no line records: its margin must still land somewhere. */
export const NO_LINES_SKU = '(order without lines)';

export interface LineMargin {
  orderId: string;
  /** Empty for the stand-in line of an order without lines. */
  lineId: string;
  day: string;
  /** The seller's SKU code (the COGS tab's key), else TikTok's SKU id. */
  sku: string;
  skuId: string;
  productId: string;
  productName: string;
  skuName: string;
  isSample: boolean;
  /** The order's fees are still estimated. */
  estimated: boolean;
  /** Units sold: 0 for a cancelled line or order. */
  units: number;
  /** Units that came back on completed returns naming this line. */
  returnedUnits: number;
  grossSales: number;
  netRevenue: number;
  cogs: number;
  /** The line's cost was not found (its COGS is left out: an alert, never a silent zero). */
  missingCogs: boolean;
  platformFees: number;
  fulfilmentAndShipping: number;
  creatorCommission: number;
  adSpend: number;
  sampleCost: number;
  cm3: number;
}

const byLineId = (a: OrderLine, b: OrderLine) => (a.lineId < b.lineId ? -1 : a.lineId > b.lineId ? 1 : 0);

/** Weights of the order-level split: line net product revenue, else units sold, else units ordered. */
function splitWeights(ownRevenue: readonly number[], lines: readonly OrderLine[], units: readonly number[]): number[] {
  const revenue = ownRevenue.map((r) => Math.max(0, r));
  if (revenue.some((w) => w > 0)) return revenue;
  if (units.some((u) => u > 0)) return [...units];
  return lines.map((l) => l.quantity);
}

/**
 * What the lines could not explain of their orders' COGS, summed in absolute value: 0 unless
 * the lines' own costs disagree with the engine (the difference would then be split, not lost).
 */
export interface SplitCheck {
  unexplainedCogs: number;
}

/** Splits each order's margin over its lines. Orders not given produce no lines. */
export function splitOrdersToLines(input: ReportInput, orders: readonly OrderMargin[], check?: SplitCheck): LineMargin[] {
  const { data, settings } = input;
  const costs = new CostBook(data.cogs, settings.currency);
  const linesByOrder = groupBy(data.lines, (l) => l.orderId);
  const returnsByOrder = groupBy(data.returns.filter((r) => REFUNDED_RETURN_STATUSES.includes(r.status)), (r) => r.orderId);
  const out: LineMargin[] = [];
  for (const o of orders) {
    const lines = [...(linesByOrder.get(o.orderId) ?? [])].sort(byLineId);
    if (lines.length === 0) out.push(standInLine(o));
    else out.push(...splitOrder(o, lines, returnsByOrder.get(o.orderId) ?? [], costs, input, check));
  }
  return out;
}

function standInLine(o: OrderMargin): LineMargin {
  return {
    orderId: o.orderId, lineId: '', day: o.day, sku: NO_LINES_SKU, skuId: '', productId: '', productName: '', skuName: '',
    isSample: o.isSample, estimated: isEstimated(o), units: o.units, returnedUnits: 0, grossSales: o.grossSales,
    netRevenue: o.netRevenue, cogs: o.cogs, missingCogs: false, platformFees: o.platformFees,
    fulfilmentAndShipping: o.fulfilmentAndShipping, creatorCommission: o.creatorCommission, adSpend: o.adSpend,
    sampleCost: o.sampleCost, cm3: o.cm3,
  };
}

function splitOrder(o: OrderMargin, lines: readonly OrderLine[], returns: readonly Return[], costs: CostBook, input: ReportInput, check?: SplitCheck): LineMargin[] {
  const { settings } = input;
  const orderCancelled = o.status === 'CANCELLED';
  const n = lines.length;
  const index = new Map<string, number>();
  lines.forEach((l, i) => { if (!index.has(l.lineId)) index.set(l.lineId, i); });

  const units = new Array<number>(n).fill(0);
  const ownRevenue = new Array<number>(n).fill(0);
  const ownCogs = new Array<number>(n).fill(0);
  const ownSampleCost = new Array<number>(n).fill(0);
  const returnedUnits = new Array<number>(n).fill(0);
  const missing = new Array<boolean>(n).fill(false);
  const unitCost = new Array<number | undefined>(n);

  lines.forEach((l, i) => {
    if (orderCancelled || l.cancelled) return;
    units[i] = l.quantity;
    unitCost[i] = costs.unitCost(l.sellerSku, l.skuId, o.day);
    const lineCogs = unitCost[i] === undefined ? 0 : l.quantity * unitCost[i]!;
    missing[i] = unitCost[i] === undefined;
    if (o.isSample) ownSampleCost[i] = lineCogs;
    else {
      ownRevenue[i] = l.originalPrice - l.sellerDiscount;
      ownCogs[i] = lineCogs;
    }
  });

  // Refunds and restocked units that name a line are that line's; the engine applies them only to live orders.
  if (!orderCancelled) {
    for (const r of returns) {
      const shareBp = r.returnType === 'RETURN_AND_REFUND' ? settings.restockShareReturnBp
        : r.returnType === 'REFUND' ? settings.restockShareRefundOnlyBp : 0;
      for (const rl of r.lines) {
        const i = rl.lineId === null ? undefined : index.get(rl.lineId);
        if (i === undefined) continue; // an order-level refund: split with the rest of the order
        returnedUnits[i] += rl.quantity;
        if (o.isSample) continue;
        ownRevenue[i] -= rl.refundedOriginal - rl.refundedSellerDiscount;
        // Restock follows the engine: the first live line with this id, at the cost of the order day.
        const live = lines.findIndex((l) => l.lineId === rl.lineId && !l.cancelled);
        if (shareBp > 0 && rl.quantity > 0 && live >= 0 && unitCost[live] !== undefined) {
          ownCogs[live] -= mulDivRound(rl.quantity * unitCost[live]!, shareBp, 10000);
        }
      }
    }
  }

  const weights = splitWeights(ownRevenue, lines, units);
  const withRest = (own: readonly number[], total: number): number[] => {
    let ownSum = 0;
    for (const x of own) ownSum += x;
    const rest = allocateByWeights(total - ownSum, weights);
    return own.map((x, i) => x + rest[i]);
  };
  const split = (total: number): number[] => allocateByWeights(total, weights);

  const netRevenue = withRest(ownRevenue, o.netRevenue);
  const cogs = withRest(ownCogs, o.cogs);
  const sampleCost = withRest(ownSampleCost, o.sampleCost);
  if (check) check.unexplainedCogs += Math.abs(o.cogs - ownCogs.reduce((a, b) => a + b, 0));
  const platformFees = split(o.platformFees);
  const fulfilmentAndShipping = split(o.fulfilmentAndShipping);
  const creatorCommission = split(o.creatorCommission);
  const adSpend = split(o.adSpend);
  const estimated = isEstimated(o);

  return lines.map((l, i): LineMargin => ({
    orderId: o.orderId,
    lineId: l.lineId,
    day: o.day,
    sku: l.sellerSku || l.skuId,
    skuId: l.skuId,
    productId: l.productId,
    productName: l.productName,
    skuName: l.skuName,
    isSample: o.isSample,
    estimated,
    units: units[i],
    returnedUnits: returnedUnits[i],
    grossSales: o.isSample ? 0 : l.originalPrice,
    netRevenue: netRevenue[i],
    cogs: cogs[i],
    missingCogs: missing[i],
    platformFees: platformFees[i],
    fulfilmentAndShipping: fulfilmentAndShipping[i],
    creatorCommission: creatorCommission[i],
    adSpend: adSpend[i],
    sampleCost: sampleCost[i],
    cm3: netRevenue[i] - cogs[i] - platformFees[i] - fulfilmentAndShipping[i] - creatorCommission[i] - adSpend[i] - sampleCost[i],
  }));
}
