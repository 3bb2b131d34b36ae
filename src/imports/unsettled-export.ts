/**
 * The unsettled orders export (Finance → Transactions → "To settle" / Unsettled orders → Export):
 * TikTok's own estimate for orders that have no statement yet → `UnsettledEstimate` records, the
 * same records the API's `/finance/202507/orders/unsettled` gives (src/tiktok/finance.ts,
 * mapUnsettledTransaction), which land on the "Unsettled estimates" tab and are used by the
 * engine for an order only until its statement comes.
 *
 * Headers [U]. The real file (69 columns) is not in our reference. Seller Center's "To settle"
 * table names its columns "Order/adjustment ID", "Order create date", "Est. settlement time",
 * "Est. settlement amount", "Est. revenue", "Est. fees", "Unsettlement status"; the export's
 * breakdown columns are taken to be the "Income" export's names with an "Est." / "Estimated"
 * prefix, one per field of the API's unsettled transaction (est_settlement_amount,
 * est_revenue_amount, est_fee_tax_amount, est_shipping_cost_amount, est_adjustment_amount,
 * shipping_cost_breakdown.customer_paid_shipping_fee_amount, fee_tax_breakdown). A column is
 * matched by its name after the prefix ("Est. total fees" = "Estimated fees" = "Est. fees"), so
 * a variant of these names is read; a file that has none of the estimate amounts is not taken
 * for this kind.
 *
 * Required (what the estimate needs): Order/adjustment ID, Est. settlement amount, Est. revenue,
 * Est. fees. Optional: Type (absent: every row is an order's estimate, and a note says so), Est.
 * shipping (absent: shipping stays inside the fee estimate, counted as other platform fees),
 * Est. adjustment, Est. customer shipping fee, the fee breakdown, Order created time (dates the
 * file in the preview), Currency (checked), the unsettled reason (not read).
 *
 * Mapping, as the API's:
 * - only rows whose Type is "Order" are estimates (one per order); other types (adjustments)
 *   are counted in a note: they settle through statements. Two rows of one order with the same
 *   amounts are one estimate; with different amounts the file is refused (which one holds is
 *   not for this add-on to guess).
 * - orderId = Order/adjustment ID; currency = the shop's (a Currency cell must be it);
 *   fetchedTime = the moment the file is imported (`now`: the file does not say when it was
 *   exported; the tab keeps the first stamp of an unchanged estimate, and a later refresh's
 *   estimate replaces it);
 * - estSettlementAmount / estRevenueAmount / estAdjustmentAmount / estShippingCostAmount =
 *   the settlement, revenue, adjustment and shipping estimates, signs kept as the file gives them;
 *   estFeeTaxAmount = Est. fees, minus Est. shipping when the row shows the fee estimate already
 *   contains it (settlement = revenue + fees + adjustment), as the Income export is read;
 *   estCustomerPaidShippingFee = Est. customer shipping fee; fees = the fee breakdown columns.
 */
import { UnsettledEstimateSchema, type UnsettledEstimate } from '../core/records';
import { col, norm, req, sig, type KindSpec } from './headers';
import { ImportError } from './import-error';
import { validate, type Imported, type RowReader, type SheetReader } from './sheet';
import { feeCols, fees, unexplainedFeeNote } from './statement-rows';

const est = { estimate: true } as const;

export const UNSETTLED_SPEC: KindSpec = {
  kind: 'unsettled', label: 'the unsettled orders export (TikTok\'s estimates)', keyColumn: 'id',
  cols: [
    col('id', ['Order/adjustment ID', 'Order ID'], sig),
    col('type', 'Type', { absent: 'every row is read as an order\'s estimate (an adjustment estimate cannot be told apart)' }),
    col('createdTime', 'Order created time', { time: true }),
    col('settlementTime', 'Settlement time', { ...est, time: true }),
    col('currency', 'Currency'),
    col('settlement', ['Total settlement amount', 'Settlement amount'], { ...sig, ...est }),
    col('revenue', ['Total revenue', 'Revenue'], { ...req, ...est }),
    col('fees', ['Total fees', 'Fees', 'Total fees and taxes', 'Fees and taxes'], { ...req, ...est }),
    col('shipping', ['Seller shipping fee', 'Shipping cost', 'Shipping fee', 'Shipping'], {
      ...est, absent: 'estimated shipping costs stay inside the fee estimate and are counted as other platform fees' }),
    col('customerShipping', ['Customer shipping fee', 'Customer-paid shipping fee'], {
      ...est, absent: 'estimated shipping paid by customers is read as 0, so estimated shipping costs show gross' }),
    col('adjustment', ['Adjustment amount', 'Adjustment'], { ...est, absent: 'estimated adjustments are read as 0' }),
    col('reason', ['Unsettled reason', 'Unsettlement status', 'Settlement status']),
    ...feeCols(est),
  ],
};

type Seen = { estimate: UnsettledEstimate; row: RowReader };

export function importUnsettled(readers: SheetReader[], now: number | undefined): Imported {
  if (now === undefined) throw new Error('Internal: an unsettled orders export needs the import time (`now`)');
  const estimates: UnsettledEstimate[] = [];
  const byOrder = new Map<string, Seen>();
  const skipped = new Map<string, number>();
  const times: number[] = [];
  let rows = 0;
  for (const sheet of readers) {
    const currency = sheet.shop.currency;
    for (const { cells, rowNo } of sheet.dataRows()) {
      rows++;
      const r = sheet.row(cells, rowNo);
      r.checkCurrency();
      const orderId = r.required('id', 'an order ID');
      if (sheet.has('type')) {
        const type = r.required('type', 'a transaction type ("Order" for an order\'s estimate)');
        if (norm(type) !== 'order') {
          skipped.set(type, (skipped.get(type) ?? 0) + 1);
          continue;
        }
      }
      const settlement = r.amount('settlement', true);
      const revenue = r.amount('revenue', true);
      const totalFees = r.amount('fees', true);
      const adjustment = r.amount('adjustment');
      const shipping = r.amount('shipping');
      const shippingInsideFees = shipping !== 0 && settlement === revenue + totalFees + adjustment;
      const created = r.time('createdTime');
      r.time('settlementTime');
      const estimate = validate(UnsettledEstimateSchema, {
        orderId, currency, fetchedTime: now,
        estRevenueAmount: revenue,
        estShippingCostAmount: shipping,
        estFeeTaxAmount: shippingInsideFees ? totalFees - shipping : totalFees,
        estAdjustmentAmount: adjustment,
        estSettlementAmount: settlement,
        estCustomerPaidShippingFee: r.amount('customerShipping'),
        fees: fees(r),
      } satisfies UnsettledEstimate, r, 'unsettled estimate');
      const prev = byOrder.get(orderId);
      if (prev) {
        if (JSON.stringify(prev.estimate) === JSON.stringify(estimate)) continue;
        const a = prev.row;
        const where = a.sheet === sheet ? `rows ${a.rowNo} and ${rowNo}` : `row ${a.rowNo} of sheet "${a.sheet.sheetName}" and row ${rowNo}`;
        throw new ImportError(
          `File "${sheet.file}", sheet "${sheet.sheetName}", ${where}: two different estimates for order ${orderId} (settlement ${a.text('settlement')} and ${r.text('settlement')}); an order has one estimate, so the file is not imported. Export it again from Seller Center.`,
          { file: sheet.file, sheet: sheet.sheetName, row: rowNo, column: sheet.header('id') },
        );
      }
      byOrder.set(orderId, { estimate, row: r });
      estimates.push(estimate);
      if (created !== null) times.push(created);
    }
  }
  const file = readers[0]?.file ?? '';
  const notes: string[] = [];
  for (const [type, n] of skipped) {
    notes.push(`${n} row${n === 1 ? '' : 's'} of ${file} of type "${type}" ${n === 1 ? 'is' : 'are'} not an order's estimate and ${n === 1 ? 'was' : 'were'} not read: adjustments settle through statements (import the statement when it comes).`);
  }
  notes.push(...unexplainedFeeNote(file, estimates.map((e) => ({ fees: e.fees, feeTaxAmount: e.estFeeTaxAmount })), readers[0]?.shop.currency ?? '')
    .map((n) => n.replace('the fee total is', 'the fee estimate is')));
  return { rows, times, data: { unsettled: estimates }, notes };
}
