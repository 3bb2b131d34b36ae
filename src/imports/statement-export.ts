/**
 * The US finance statement (Finance → Statements → Export): sheet "Order details" → statement
 * transactions and statements; the workbook's "Reserve Details" sheet → the reserve part of
 * RESERVE transactions. Summary and Adjustments sheets repeat "Order details" and are not read.
 *
 * Required columns: Statement date (UTC), Statement ID, Type, Order/adjustment ID, Total
 * settlement amount, Net sales and Fees. "Shipping" and "Adjustment amount" may be absent only
 * while they would hold nothing: a row whose settlement is not Net sales + Fees (+ the one of
 * the two the file has) is refused, naming the row and the missing column, since its money
 * would otherwise land nowhere. The breakdown columns are optional: an absent one reads as 0 and
 * the preview says what that changes; fee money no fee column breaks down is kept as other
 * platform fees, with a note.
 */
import { StatementTransactionSchema, type Statement, type StatementTransaction } from '../core/records';
import { formatAmount } from '../core/money';
import { col, req, sig, type KindSpec } from './headers';
import { validate, type Imported, type RowReader, type SheetReader } from './sheet';
import { breakdownOf, feeCols, paymentStatusOf, statementOf, transactionKey, txType, unexplainedFeeNote } from './statement-rows';

export const STATEMENT_US_SPEC: KindSpec = {
  kind: 'statement_us', label: 'the US finance statement "Order details"', keyColumn: 'id',
  cols: [
    col('statementDate', 'Statement date (UTC)', { ...req, time: true }),
    col('statementId', 'Statement ID', sig),
    col('paymentId', 'Payment ID'),
    col('status', 'Status', { absent: 'every statement is read as not paid yet (Processing)' }),
    col('currency', 'Currency'),
    col('type', 'Type', req),
    col('id', 'Order/adjustment ID', sig),
    col('skuId', 'SKU ID'),
    col('settlement', 'Total settlement amount', sig),
    col('netSales', 'Net sales', req),
    col('subtotalBefore', 'Gross sales', { absent: 'the Reconciliation shows settled sales as other revenue, not as settled GMV' }),
    col('refundSubtotalBefore', 'Gross sales refund', { absent: 'the Reconciliation shows refunds as other revenue' }),
    col('sellerDiscount', 'Seller discount', { absent: 'the Reconciliation shows seller discounts as other revenue' }),
    col('sellerDiscountRefund', 'Seller discount refund', { absent: 'the Reconciliation shows refunds of seller discounts as other revenue' }),
    col('shipping', 'Shipping'),
    col('actualShipping', 'TikTok Shop shipping fee'),
    col('fbtShippingFee', 'Fulfilled by TikTok Shop (FBT) shipping fee'),
    col('customerShipping', 'Customer-paid shipping fee', { absent: 'shipping paid by customers is read as 0, so settled orders count it as the seller\'s shipping cost' }),
    col('customerShippingRefund', 'Customer-paid shipping fee refund'),
    col('fees', 'Fees', req),
    col('adjustment', 'Adjustment amount'),
    col('relatedOrderId', 'Related order ID', { absent: 'adjustments are not tied to their orders (their money is kept, at shop level)' }),
    ...feeCols(),
  ],
};

/**
 * The layout of the "Reserve Details" sheet is not in the public material (only that the statement
 * workbook has it, with order-specific reserve transactions): it is matched by these names, and a
 * sheet named like it that does not match is reported in the notes, never guessed at.
 */
export const RESERVES_SPEC: KindSpec = {
  kind: 'reserves', label: 'the US statement "Reserve Details" sheet', keyColumn: 'reserveId',
  cols: [
    col('statementDate', 'Statement date (UTC)', { time: true }),
    col('statementId', 'Statement ID', sig),
    col('paymentId', 'Payment ID'),
    col('status', 'Status'),
    col('currency', 'Currency'),
    col('reserveId', 'Reserve ID', req),
    col('reserveAmount', 'Reserve amount', sig),
  ],
};

/**
 * US statement "Order details" mapping (one row per SKU of an order, or per adjustment):
 * - statementId = Statement ID; statementTime = Statement date (UTC) at 00:00 UTC.
 * - type from Type (TX_TYPES); orderId = Order/adjustment ID for ORDER rows, else Related order ID
 *   (blank → null); adjustmentId = Order/adjustment ID for adjustments, else null; skuId = SKU ID.
 * - transactionId = `{statement}:{TYPE}:{order}:{adjustment}` (+ `:{sku}`) — the same key the API
 *   mapping gives — with `#2`, `#3` for repeats in file order (e.g. a "Refund" row of a SKU
 *   settled on the same statement).
 * - settlementAmount = Total settlement amount (required); revenueAmount = Net sales;
 *   shippingCostAmount = Shipping; feeTaxAmount = Fees; adjustmentAmount = Adjustment amount.
 *   subtotalBeforeDiscount / refundSubtotalBeforeDiscount / sellerDiscount / sellerDiscountRefund =
 *   Gross sales / Gross sales refund / Seller discount / Seller discount refund;
 *   customerPaidShippingFee = Customer-paid shipping fee + its refund; actualShippingFee = TikTok
 *   Shop shipping fee + FBT shipping fee (informational); fees per FEE_COLUMNS; reserveAmount = 0
 *   (reserves are on the "Reserve Details" sheet, see readReserves). Signs are kept as the file gives them (costs negative).
 * - Statement (one per Statement ID): totals = sums of its transactions; paymentId = Payment ID
 *   (blank → null); paymentStatus from Status (Paid → PAID, Failed → FAILED, blank/Processing/
 *   Pending → PROCESSING). Rows of one statement must agree on date and Payment ID.
 */
export function importStatementUs(readers: SheetReader[], reserveSheets: SheetReader[]): Imported {
  const transactions: StatementTransaction[] = [];
  const stmts = new Map<string, UsStatement>();
  const seen = new Map<string, number>();
  let rows = 0;
  for (const sheet of readers) {
    const currency = sheet.shop.currency;
    for (const { cells, rowNo } of sheet.dataRows()) {
      rows++;
      const r = sheet.row(cells, rowNo);
      r.checkCurrency();
      const statementId = r.required('statementId', 'a statement ID');
      const statementTime = r.time('statementDate', true)!;
      const paymentId = r.text('paymentId') || null;
      const status = paymentStatusOf(r, 'status');
      const type = txType(r);
      const ref = r.required('id', 'an order or adjustment ID');
      const orderId = type === 'ORDER' ? ref : r.text('relatedOrderId') || null;
      const adjustmentId = type === 'ORDER' ? null : ref;
      const skuId = r.text('skuId') || null;
      checkParts(r);
      const tx = validate(StatementTransactionSchema, {
        transactionId: transactionKey(seen, statementId, type, orderId, adjustmentId, skuId),
        statementId, statementTime, currency, type, orderId, adjustmentId, skuId,
        settlementAmount: r.amount('settlement', true),
        revenueAmount: r.amount('netSales'),
        shippingCostAmount: r.amount('shipping'),
        feeTaxAmount: r.amount('fees'),
        adjustmentAmount: r.amount('adjustment'),
        ...breakdownOf(r),
        reserveAmount: 0,
      } satisfies StatementTransaction, r, 'statement transaction');
      transactions.push(tx);
      const s = stmts.get(statementId);
      if (!s) {
        stmts.set(statementId, { time: statementTime, paymentId, status, currency, txs: [tx], first: r });
      } else {
        if (s.time !== statementTime) r.fail('statementDate', `the same date as row ${s.first.rowNo} of statement ${statementId} (${s.first.text('statementDate')})`);
        if (s.paymentId !== paymentId) r.fail('paymentId', `the same Payment ID as row ${s.first.rowNo} of statement ${statementId} (${s.first.text('paymentId') || 'blank'})`);
        s.txs.push(tx);
      }
    }
  }
  rows += readReserves(reserveSheets, transactions, stmts);
  const statements = [...stmts.entries()].map(([id, s]) => statementOf(id, s.time, s.currency, s.txs, s.status, s.paymentId));
  const file = readers[0]?.file ?? reserveSheets[0]?.file ?? '';
  return {
    rows, times: transactions.map((t) => t.statementTime), data: { statements, transactions },
    notes: unexplainedFeeNote(file, transactions, readers[0]?.shop.currency ?? ''),
  };
}

/** Without a "Shipping" or "Adjustment amount" column, the row's settlement must be the sum of the parts the file has. */
function checkParts(r: RowReader): void {
  const missing = (['shipping', 'adjustment'] as const).filter((k) => !r.sheet.has(k));
  if (missing.length === 0) return;
  const settlement = r.amount('settlement', true);
  const parts = r.amounts('netSales', 'fees', 'shipping', 'adjustment');
  if (settlement === parts) return;
  const names = missing.map((k) => `"${r.sheet.header(k)}"`).join(' or ');
  r.fail('settlement', `Net sales + Fees${missing.length < 2 ? ` + ${r.sheet.header(missing[0] === 'shipping' ? 'adjustment' : 'shipping')}` : ''} (${formatAmount(parts, r.sheet.shop.currency)}): the file has no ${names} column to hold the ${formatAmount(settlement - parts, r.sheet.shop.currency)} difference, so the row's money cannot be split exactly`);
}

type UsStatement = { time: number; paymentId: string | null; status: Statement['paymentStatus']; currency: string; txs: StatementTransaction[]; first: RowReader };

/**
 * "Reserve Details" rows → the reserve part of RESERVE transactions (the API's reserve_amount):
 * - key as the Order details mapping gives a RESERVE row: `{statement}:RESERVE::{Reserve ID}`
 *   (`#n` for repeats), so a reserve row of "Order details" with the same Reserve ID (if a file
 *   has one) receives its amount instead of being counted twice;
 * - otherwise a new RESERVE transaction (settlement 0, reserveAmount = Reserve amount) on its
 *   statement. A statement that has only reserve moves (a release day) is not on "Order details":
 *   it is built from this sheet's Statement date (UTC), Payment ID and Status, which must then be
 *   there; for a statement on both sheets they must agree.
 * Returns the number of rows read.
 */
function readReserves(sheets: SheetReader[], transactions: StatementTransaction[], stmts: Map<string, UsStatement>): number {
  const byKey = new Map(transactions.map((t) => [t.transactionId, t]));
  const seen = new Map<string, number>();
  let rows = 0;
  for (const sheet of sheets) {
    const currency = sheet.shop.currency;
    for (const { cells, rowNo } of sheet.dataRows()) {
      rows++;
      const r = sheet.row(cells, rowNo);
      r.checkCurrency();
      const statementId = r.required('statementId', 'a statement ID');
      const reserveId = r.required('reserveId', 'a reserve ID');
      const reserveAmount = r.amount('reserveAmount', true);
      const date = r.time('statementDate');
      let s = stmts.get(statementId);
      if (!s) {
        const time = date ?? r.fail('statementDate', `the statement's date: statement ${statementId} has no row on "Order details", so this sheet must date it`);
        s = { time, paymentId: r.text('paymentId') || null, status: paymentStatusOf(r, 'status'), currency, txs: [], first: r };
        stmts.set(statementId, s);
      } else {
        if (date !== null && date !== s.time) r.fail('statementDate', `the date of statement ${statementId} on sheet "${s.first.sheet.sheetName}" (row ${s.first.rowNo}: ${s.first.text('statementDate')})`);
        if (sheet.has('paymentId') && (r.text('paymentId') || null) !== s.paymentId) {
          r.fail('paymentId', `the Payment ID of statement ${statementId} on sheet "${s.first.sheet.sheetName}" (row ${s.first.rowNo}: ${s.paymentId ?? 'blank'})`);
        }
      }
      const key = transactionKey(seen, statementId, 'RESERVE', null, reserveId, null);
      const existing = byKey.get(key);
      if (existing) {
        // The same object is in the statement's list: one update serves both.
        existing.reserveAmount += reserveAmount;
        continue;
      }
      const tx = validate(StatementTransactionSchema, {
        transactionId: key, statementId, statementTime: s.time, currency, type: 'RESERVE', orderId: null, adjustmentId: reserveId,
        skuId: null, settlementAmount: 0, revenueAmount: 0, shippingCostAmount: 0, feeTaxAmount: 0, adjustmentAmount: 0,
        subtotalBeforeDiscount: 0, refundSubtotalBeforeDiscount: 0, sellerDiscount: 0, sellerDiscountRefund: 0,
        customerPaidShippingFee: 0, actualShippingFee: 0, fees: {}, reserveAmount,
      } satisfies StatementTransaction, r, 'reserve transaction');
      byKey.set(key, tx);
      transactions.push(tx);
      s.txs.push(tx);
    }
  }
  return rows;
}
