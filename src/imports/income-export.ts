/**
 * The SEA "Income" export (PH/SG-style workbook: sheets "Order details", "Reports", "Withdrawal
 * records"; also the US income export, same columns) → statement transactions, one statement per
 * settled day, and payouts from "Withdrawal records".
 *
 * Real income exports write `Order created time(UTC)` / `Order settled time(UTC)` and dates like
 * `2024/04/23`: a column whose header states "(UTC)" is read in UTC, otherwise in the shop's
 * time zone (headers.ts, dates.ts).
 */
import { PayoutSchema, StatementTransactionSchema, type Payout, type ShopData, type StatementTransaction } from '../core/records';
import { dayKey, startOfDay } from '../core/time';
import { col, norm, req, sig, type KindSpec } from './headers';
import { validate, type Imported, type SheetReader } from './sheet';
import { breakdownOf, feeCols, paymentStatusOf, statementOf, transactionKey, txType, unexplainedFeeNote, validateStatement } from './statement-rows';

export const INCOME_SEA_SPEC: KindSpec = {
  kind: 'income_sea', label: 'the SEA "Income" export', keyColumn: 'id',
  cols: [
    col('id', 'Order/adjustment ID', sig),
    col('type', 'Type', req),
    col('createdTime', 'Order created time', { time: true }),
    col('settledTime', 'Order settled time', { ...sig, time: true }),
    col('currency', 'Currency'),
    col('settlement', 'Total settlement amount', sig),
    col('revenue', 'Total revenue', req),
    col('subtotalBefore', 'Subtotal before discounts', { absent: 'the Reconciliation shows settled sales as other revenue, not as settled GMV' }),
    col('sellerDiscount', 'Seller discounts', { absent: 'the Reconciliation shows seller discounts as other revenue' }),
    col('refundSubtotalBefore', 'Refund subtotal before seller discounts', { absent: 'the Reconciliation shows refunds as other revenue' }),
    col('sellerDiscountRefund', 'Refund of seller discounts', { absent: 'the Reconciliation shows refunds of seller discounts as other revenue' }),
    col('fees', ['Total fees', 'Fees'], req),
    col('sellerShipping', 'Seller shipping fee', { absent: 'shipping costs stay inside the fee total and are counted as other platform fees' }),
    col('actualShipping', 'Actual shipping fee'),
    col('customerShipping', 'Customer shipping fee', { absent: 'shipping paid by customers is read as 0, so settled orders count it as the seller\'s shipping cost' }),
    col('customerShippingRefund', 'Refund customer shipping fee'),
    col('adjustment', 'Adjustment amount', { absent: 'adjustment amounts are read as 0: adjustment rows settle with no amount of their own' }),
    col('relatedOrderId', 'Related order ID', { absent: 'adjustments are not tied to their orders (their money is kept, at shop level)' }),
    ...feeCols(),
  ],
};

export const WITHDRAWALS_SPEC: KindSpec = {
  kind: 'withdrawals', label: 'the SEA "Withdrawal records" sheet', keyColumn: 'ref',
  cols: [
    col('type', 'Transaction type', req),
    col('ref', 'Reference ID', sig),
    col('requestTime', 'Request time', { ...sig, time: true }),
    col('amount', 'Amount', sig),
    col('status', 'Status', req),
    col('successTime', 'Success time', { time: true }),
  ],
};

/**
 * SEA "Income" mapping:
 * - The export has no statement id: one Statement per shop day of "Order settled time",
 *   statementId = `income-{YYYY-MM-DD}`, statementTime = start of that shop day; its totals are
 *   the sums of the file's transactions of that day (a file holding only part of a day gives a
 *   partial total — export whole days). paymentId = null; paymentStatus = PAID (income listed
 *   here has been settled to the seller's balance).
 * - Transaction statementTime = the row's Order settled time (shop-local → Unix seconds).
 * - type, orderId, adjustmentId, transactionId as the US statement (skuId = null: one row per order).
 * - revenueAmount = Total revenue; adjustmentAmount = Ajustment amount; shippingCostAmount =
 *   Seller shipping fee; feeTaxAmount = Total fees, minus Seller shipping fee when the row shows
 *   that "Total fees" already contains it (settlement = revenue + total fees + adjustment);
 *   otherwise Total fees as is. Breakdowns: Subtotal before discounts, Refund subtotal before
 *   seller discounts, Seller discounts, Refund of seller discounts, Customer shipping fee + Refund
 *   customer shipping fee, Actual shipping fee; fees per FEE_COLUMNS.
 * - Withdrawal records → Payout: paymentId = Reference ID, createTime = Request time, paidTime =
 *   Success time (blank → null), status (Successful/Success/Completed/Paid → PAID, Failed/Rejected
 *   → FAILED, Processing/Pending/In review → PROCESSING), amount = |Amount| (a withdrawal may be
 *   shown as a negative balance movement; the payout is what reaches the bank), settlementAmount =
 *   amount, reserveAmount = 0 (the sheet does not say which statements it pays). Only
 *   withdrawal rows are read; another Transaction type is an error naming it.
 */
export function importIncomeSea(readers: SheetReader[], withdrawals: SheetReader[]): Imported {
  const transactions: StatementTransaction[] = [];
  const days = new Map<string, StatementTransaction[]>();
  const seen = new Map<string, number>();
  let rows = 0;
  let currency = '';
  let tz = '';
  for (const sheet of readers) {
    currency = sheet.shop.currency;
    tz = sheet.shop.timezone;
    for (const { cells, rowNo } of sheet.dataRows()) {
      rows++;
      const r = sheet.row(cells, rowNo);
      r.checkCurrency();
      const settled = r.time('settledTime', true)!;
      const day = dayKey(settled, tz);
      const statementId = `income-${day}`;
      const type = txType(r);
      const ref = r.required('id', 'an order or adjustment ID');
      const orderId = type === 'ORDER' ? ref : r.text('relatedOrderId') || null;
      const adjustmentId = type === 'ORDER' ? null : ref;
      const settlement = r.amount('settlement', true);
      const revenue = r.amount('revenue', true);
      const totalFees = r.amount('fees', true);
      const adjustment = r.amount('adjustment');
      const shipping = r.amount('sellerShipping');
      const shippingInsideFees = shipping !== 0 && settlement === revenue + totalFees + adjustment;
      const tx = validate(StatementTransactionSchema, {
        transactionId: transactionKey(seen, statementId, type, orderId, adjustmentId, null),
        statementId, statementTime: settled, currency, type, orderId, adjustmentId, skuId: null,
        settlementAmount: settlement,
        revenueAmount: revenue,
        shippingCostAmount: shipping,
        feeTaxAmount: shippingInsideFees ? totalFees - shipping : totalFees,
        adjustmentAmount: adjustment,
        ...breakdownOf(r),
        reserveAmount: 0,
      } satisfies StatementTransaction, r, 'statement transaction');
      transactions.push(tx);
      days.set(day, [...(days.get(day) ?? []), tx]);
    }
  }
  const statements = [...days.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([day, txs]) => validateStatement(statementOf(`income-${day}`, startOfDay(day, tz), currency, txs, 'PAID', null)));
  const payouts: Payout[] = [];
  for (const sheet of withdrawals) {
    for (const { cells, rowNo } of sheet.dataRows()) {
      rows++;
      const r = sheet.row(cells, rowNo);
      if (!norm(r.text('type')).includes('withdraw')) r.fail('type', 'a withdrawal ("Withdrawal")');
      const amount = Math.abs(r.amount('amount', true));
      payouts.push(validate(PayoutSchema, {
        paymentId: r.required('ref', 'a reference ID'),
        createTime: r.time('requestTime', true)!,
        paidTime: r.time('successTime'),
        status: paymentStatusOf(r, 'status'),
        currency: sheet.shop.currency,
        amount,
        settlementAmount: amount,
        reserveAmount: 0,
      } satisfies Payout, r, 'payout'));
    }
  }
  const data: Partial<ShopData> = readers.length > 0 ? { statements, transactions } : {};
  if (withdrawals.length > 0) data.payouts = payouts;
  return { rows, times: transactions.map((t) => t.statementTime), data, notes: unexplainedFeeNote(readers[0]?.file ?? '', transactions, currency) };
}
