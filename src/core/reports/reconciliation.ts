/**
 * Reconciliation: why doesn't the bank match?
 *
 * The bridge walks from the GMV of the orders created in a period to the money that reached the
 * bank for the statements of that period, one line per kind of amount, every line from data:
 *
 *   GMV of orders created − cancelled                                  (orders)
 *   − created here, not settled here + settled here, created earlier    (timing)
 *   ± settled GMV differs from the order                               (timing, 0 on consistent data)
 *   = settled GMV − refunds − seller discounts ± other revenue         = net sales
 *   − platform fees − creator commission − tax withheld − fees not itemised
 *   + shipping the customer paid − shipping paid + shipping subsidies
 *   ± adjustments, one line per type                                   = itemised settlement
 *   ± unexplained: transactions whose settlement is not the sum of their parts (each listed)
 *   ± unexplained: statement totals vs their transactions              = settlement amount (statements)
 *   − reserve withheld + reserve released                              = to be paid out
 *   − not paid out yet ± unexplained: payouts vs their statements      = paid to the bank
 *
 * Cash view: a statement amount sits on its statement's shop day; a transaction on the day of
 * the statement it belongs to (its own statementTime when that statement is missing).
 *
 * Sign convention (records.ts): money to the seller is positive, costs negative, and a
 * transaction's settlement amount is the SUM of its signed parts. So every line here is a signed
 * amount and the lines add up; nothing is flipped.
 *
 * Why the unexplained remainder is exactly zero on consistent data: every line is a sum of one
 * field over the same set of transactions, and the lines partition each transaction's parts
 * exactly (a remainder such as "fees not itemised" or "other revenue" is the field minus its
 * breakdown). What is left — a statement total no transaction explains, or a bank amount no
 * statement explains — is unexplained and shown, never hidden.
 */
import {
  STATEMENT_TRANSACTION_TYPES, type FeeField, type Payout, type Statement, type StatementTransaction, type StatementTransactionType,
} from '../records';
import type { FeeComponent, OrderMargin } from '../margin-types';
import { feeFieldComponent, partsDifference, unexplainedFeeAmount } from '../statement';
import { formatAmount } from '../money';
import { settlementDataNotes } from '../data-notes';
import { addDays, bucketKey, dayKey, type Grain } from '../time';
import { baseDefinitions, share, type Column, type ReportInput, type ReportTable, type Row } from './table';
import { groupBy } from '../group';

export interface ReconciliationOptions {
  /** Bucket of the period table; default 'day' (TikTok makes one statement a day). */
  grain?: Grain;
  /** Shop days of the period table; default from the first to the last order or statement day. */
  range?: { from: string; to: string };
}

export interface ReconciliationReport {
  periods: ReportTable;
  statements: ReportTable;
  payouts: ReportTable;
  /** Every transaction whose settlement amount is not the sum of its parts (none on consistent data). */
  transactionsNotAddingUp: ReportTable;
}

/** Adjustment types, each its own line; ORDER's own adjustment part comes first. */
const ADJUSTMENT_TYPES: readonly StatementTransactionType[] = STATEMENT_TRANSACTION_TYPES.filter((t) => t !== 'RESERVE');
const ADJUSTMENT_LABEL: Readonly<Record<StatementTransactionType, string>> = {
  ORDER: 'Adjustments on order settlements',
  RESERVE: 'Reserve',
  GMV_PAYMENT_FOR_ADS: 'GMV payment for TikTok ads',
  SAMPLE_SHIPPING_FEE: 'Sample shipping fees',
  COFUNDED_CREATOR_REWARDS: 'Co-funded creator rewards',
  CHARGE_BACK: 'Chargebacks',
  PLATFORM_REIMBURSEMENT: 'Platform reimbursements',
  LOGISTICS_REIMBURSEMENT: 'Logistics reimbursements',
  SHIPPING_FEE_ADJUSTMENT: 'Shipping fee adjustments',
  FBT_WAREHOUSE_SERVICE_FEE: 'FBT warehouse service fees',
  PLATFORM_PENALTY: 'Platform penalties',
  REBATE: 'Rebates',
  OTHER_ADJUSTMENT: 'Other adjustments',
};
const adjustmentKey = (t: StatementTransactionType) => `adj_${t}`;

/** The statement lines of a set of transactions: each transaction's four parts, split by what they are. */
export interface StatementLines {
  settledGmv: number;
  refunds: number;
  sellerDiscounts: number;
  otherRevenue: number;
  netSales: number;
  platformFees: number;
  creatorCommission: number;
  taxWithheld: number;
  otherFees: number;
  customerPaidShipping: number;
  shippingPaid: number;
  shippingSubsidies: number;
  adjustments: Record<string, number>;
  itemizedSettlement: number;
  /** Σ of the transactions' own settlement amounts (differs from itemised when a transaction's parts do not add up). */
  transactionsSettlement: number;
  reserveWithheld: number;
  reserveReleased: number;
  transactions: number;
}

function emptyLines(): StatementLines {
  const adjustments: Record<string, number> = {};
  for (const t of ADJUSTMENT_TYPES) adjustments[t] = 0;
  return {
    settledGmv: 0, refunds: 0, sellerDiscounts: 0, otherRevenue: 0, netSales: 0, platformFees: 0, creatorCommission: 0,
    taxWithheld: 0, otherFees: 0, customerPaidShipping: 0, shippingPaid: 0, shippingSubsidies: 0, adjustments,
    itemizedSettlement: 0, transactionsSettlement: 0, reserveWithheld: 0, reserveReleased: 0, transactions: 0,
  };
}

/** The reconciliation line of a fee field's margin component. */
const FEE_LINE: Readonly<Record<FeeComponent, 'platformFees' | 'creatorCommission' | 'taxWithheld' | 'shippingPaid'>> = {
  referralFee: 'platformFees', transactionFee: 'platformFees', refundAdministrationFee: 'platformFees', serviceFees: 'platformFees',
  otherPlatformFees: 'platformFees', shippingCost: 'shippingPaid',
  affiliateCommission: 'creatorCommission', affiliatePartnerCommission: 'creatorCommission', affiliateAdsCommission: 'creatorCommission',
  cofundedCreatorBonus: 'creatorCommission', taxWithheld: 'taxWithheld',
};

/** Adds one transaction: each of its parts to exactly one line, so the lines sum to its parts. */
export function addTransaction(l: StatementLines, t: StatementTransaction): void {
  l.transactions += 1;
  // Revenue part: GMV settled, refunds, seller discounts (net of their refund), and what the breakdown does not explain.
  l.settledGmv += t.subtotalBeforeDiscount;
  l.refunds += t.refundSubtotalBeforeDiscount;
  l.sellerDiscounts += t.sellerDiscount + t.sellerDiscountRefund;
  l.otherRevenue += t.revenueAmount - t.subtotalBeforeDiscount - t.refundSubtotalBeforeDiscount - t.sellerDiscount - t.sellerDiscountRefund;
  l.netSales += t.revenueAmount;
  // Fee and tax part, by field, each to the line of its margin component (shipping fees TikTok lists
  // among its fees go with shipping paid); the rest of feeTaxAmount — the engine's unexplained fee
  // money, unclassified fields included — is "fees not itemised".
  for (const field in t.fees) l[FEE_LINE[feeFieldComponent(field)]] += t.fees[field as FeeField] ?? 0;
  l.otherFees += unexplainedFeeAmount(t.fees, t.feeTaxAmount);
  // Shipping part: customer-paid shipping in, the label out, and what TikTok subsidised.
  l.customerPaidShipping += t.customerPaidShippingFee;
  l.shippingPaid += t.actualShippingFee;
  l.shippingSubsidies += t.shippingCostAmount - t.customerPaidShippingFee - t.actualShippingFee;
  // Adjustment part, by the transaction's type (a RESERVE transaction's own adjustment part, if any, is "other").
  l.adjustments[t.type === 'RESERVE' ? 'OTHER_ADJUSTMENT' : t.type] += t.adjustmentAmount;
  l.transactionsSettlement += t.settlementAmount;
  l.itemizedSettlement += t.settlementAmount - partsDifference(t);
  if (t.reserveAmount < 0) l.reserveWithheld += t.reserveAmount;
  else l.reserveReleased += t.reserveAmount;
}

const STATEMENT_LINE_COLUMNS: Column[] = [
  { key: 'settledGmv', label: 'Settled GMV', format: 'money', note: 'Σ subtotal before discount of the settled transactions.' },
  { key: 'refunds', label: 'Refunds', format: 'money', note: 'Refunded subtotal before discount (negative).' },
  { key: 'sellerDiscounts', label: 'Seller discounts', format: 'money', note: 'Seller discounts, net of those refunded with returns (negative).' },
  { key: 'otherRevenue', label: 'Other revenue', format: 'money', note: 'Revenue the breakdown does not itemise (e.g. COD service fees).' },
  { key: 'netSales', label: 'Net sales', format: 'money', note: 'Statement revenue amount. Tax is pass-through and not in it.' },
  { key: 'platformFees', label: 'Platform fees', format: 'money', note: 'Referral, transaction, refund administration and service fees.' },
  { key: 'creatorCommission', label: 'Creator commission', format: 'money', note: 'Affiliate, partner and shop-ads commission, co-funded creator bonus.' },
  { key: 'taxWithheld', label: 'Tax withheld', format: 'money' },
  { key: 'otherFees', label: 'Fees not itemised', format: 'money', note: 'Fee and tax amount the breakdown does not explain.' },
  { key: 'customerPaidShipping', label: 'Shipping paid by customers', format: 'money' },
  { key: 'shippingPaid', label: 'Shipping and fulfilment paid', format: 'money', note: 'Actual shipping fee charged to the seller, and the shipping fees TikTok lists among its fees (failed delivery, buyer-fault return, shipping fee guarantee) (negative).' },
  { key: 'shippingSubsidies', label: 'Shipping subsidies', format: 'money', note: 'Platform shipping discounts and incentives: shipping cost amount − customer-paid − actual shipping.' },
  ...ADJUSTMENT_TYPES.map((t): Column => ({ key: adjustmentKey(t), label: ADJUSTMENT_LABEL[t], format: 'money' })),
  { key: 'itemizedSettlement', label: 'Itemised settlement', format: 'money', note: 'Σ revenue + shipping + fee and tax + adjustment of the transactions: every line above.' },
];

function lineCells(l: StatementLines): Row {
  const row: Row = {
    settledGmv: l.settledGmv, refunds: l.refunds, sellerDiscounts: l.sellerDiscounts, otherRevenue: l.otherRevenue,
    netSales: l.netSales, platformFees: l.platformFees, creatorCommission: l.creatorCommission, taxWithheld: l.taxWithheld,
    otherFees: l.otherFees, customerPaidShipping: l.customerPaidShipping, shippingPaid: l.shippingPaid,
    shippingSubsidies: l.shippingSubsidies,
  };
  for (const t of ADJUSTMENT_TYPES) row[adjustmentKey(t)] = l.adjustments[t];
  row.itemizedSettlement = l.itemizedSettlement;
  return row;
}

interface StatementFacts {
  statementId: string;
  statement: Statement | null;
  day: string;
  lines: StatementLines;
  /** Reserve moved by its transactions (withheld negative + released positive). */
  reserve: number;
  payout: Payout | null;
}

/** Statements (and transactions whose statement record is missing), with their lines and payout. */
function statementFacts(input: ReportInput): Map<string, StatementFacts> {
  const { data, settings } = input;
  const tz = settings.timezone;
  const payouts = new Map(data.payouts.map((p) => [p.paymentId, p]));
  const out = new Map<string, StatementFacts>();
  for (const s of data.statements) {
    out.set(s.statementId, {
      statementId: s.statementId, statement: s, day: dayKey(s.statementTime, tz), lines: emptyLines(), reserve: 0,
      payout: s.paymentId === null ? null : payouts.get(s.paymentId) ?? null,
    });
  }
  for (const t of data.transactions) {
    let f = out.get(t.statementId);
    if (!f) {
      f = { statementId: t.statementId, statement: null, day: dayKey(t.statementTime, tz), lines: emptyLines(), reserve: 0, payout: null };
      out.set(t.statementId, f);
    }
    addTransaction(f.lines, t);
    f.reserve += t.reserveAmount;
  }
  return out;
}

/** What the statement says should reach the bank: its stated settlement + the reserve its transactions move. */
function expectedPayout(f: StatementFacts): number {
  return (f.statement?.settlementAmount ?? 0) + f.reserve;
}

interface PayoutFacts {
  payout: Payout;
  statements: StatementFacts[];
  expected: number;
  difference: number;
  /** Shop day whose period carries the payout's difference: its last statement's, else its creation day. */
  day: string;
}

function payoutFacts(input: ReportInput, statements: Map<string, StatementFacts>): PayoutFacts[] {
  const byPayout = groupBy(statements.values(), (f) => f.statement?.paymentId || null);
  return input.data.payouts.map((p) => {
    const list = byPayout.get(p.paymentId) ?? [];
    let expected = 0;
    let day: string | null = null;
    for (const f of list) {
      expected += expectedPayout(f);
      if (day === null || f.day > day) day = f.day;
    }
    return { payout: p, statements: list, expected, difference: p.amount - expected, day: day ?? dayKey(p.createTime, input.settings.timezone) };
  });
}

const PERIOD_COLUMNS: Column[] = [
  { key: 'period', label: 'Period', format: 'text', note: 'First day of the period (shop timezone), or Total.' },
  { key: 'gmvOrdersCreated', label: 'GMV of orders created', format: 'money', note: 'Σ original price of the lines of paid orders created in the period.' },
  { key: 'cancelled', label: 'Cancelled', format: 'money', note: 'Their cancelled lines and orders (negative).' },
  { key: 'timingNotSettledHere', label: 'Timing: created here, not settled here', format: 'money', note: 'Live GMV of orders created in the period with no order settlement on its statements: settled later or not yet (negative).' },
  { key: 'timingSettledFromEarlier', label: 'Timing: earlier orders settled here', format: 'money', note: 'Settled GMV on the period\'s statements of orders created in another period (or not in the data).' },
  { key: 'settledDiffersFromOrders', label: 'Settled GMV differs from orders', format: 'money', note: 'Settled GMV of the period\'s own orders − their live GMV: 0 when statements and orders agree.' },
  ...STATEMENT_LINE_COLUMNS,
  { key: 'partsUnexplained', label: 'Unexplained: transactions whose parts do not add up', format: 'money', note: 'Σ transaction settlement amounts − Σ their parts (revenue + shipping + fee and tax + adjustment); each such transaction is listed in "Transactions whose parts do not add up".' },
  { key: 'statementUnexplained', label: 'Unexplained: statements vs transactions', format: 'money', note: 'Statement settlement amounts − Σ settlement amounts of their transactions.' },
  { key: 'settlementAmount', label: 'Settlement amount', format: 'money', note: 'Σ statement settlement amounts, as TikTok states them.' },
  { key: 'reserveWithheld', label: 'Reserve withheld', format: 'money' },
  { key: 'reserveReleased', label: 'Reserve released', format: 'money' },
  { key: 'toBePaidOut', label: 'To be paid out', format: 'money', note: 'Settlement amount + reserve moves.' },
  { key: 'notPaidOutYet', label: 'Not paid out yet', format: 'money', note: 'To be paid out that no PAID payout covers yet (payout processing, failed or not created) (negative).' },
  { key: 'payoutUnexplained', label: 'Unexplained: payouts vs statements', format: 'money', note: 'PAID payout amounts − (stated settlement + reserve) of the statements they pay; in the period of the payout\'s last statement.' },
  { key: 'paidToBank', label: 'Paid to the bank', format: 'money', note: 'What PAID payouts brought for this period\'s statements.' },
  { key: 'unexplained', label: 'Unexplained', format: 'money', note: 'The three unexplained lines: 0 when every transaction adds up and every statement and payout is explained by its transactions.' },
  { key: 'statements', label: 'Statements', format: 'integer' },
  { key: 'statementsNotTyingOut', label: 'Statements not tying out', format: 'integer' },
];

export function reconciliationReport(input: ReportInput, options: ReconciliationOptions = {}): ReconciliationReport {
  const { data, settings, margins } = input;
  const grain = options.grain ?? 'day';
  const tz = settings.timezone;
  const bucket = (day: string) => bucketKey(day, grain, settings.weekStart);
  const statements = statementFacts(input);
  const payouts = payoutFacts(input, statements);
  const payoutByStatementDay = new Map<string, number>();
  for (const p of payouts) if (p.payout.status === 'PAID') payoutByStatementDay.set(bucket(p.day), (payoutByStatementDay.get(bucket(p.day)) ?? 0) + p.difference);

  // ---- periods
  let first: string | null = options.range?.from ?? null;
  let last: string | null = options.range?.to ?? null;
  if (!options.range) {
    const seen = [...margins.orders.map((o) => o.day), ...[...statements.values()].map((f) => f.day)];
    for (const d of seen) {
      if (first === null || d < first) first = d;
      if (last === null || d > last) last = d;
    }
  }
  interface PeriodAcc {
    orders: OrderMargin[];
    statements: StatementFacts[];
  }
  const periods = new Map<string, PeriodAcc>();
  if (first !== null && last !== null) {
    for (let d = first; d <= last; d = addDays(d, 1)) if (!periods.has(bucket(d))) periods.set(bucket(d), { orders: [], statements: [] });
  }
  for (const o of margins.orders) periods.get(bucket(o.day))?.orders.push(o);
  for (const f of statements.values()) periods.get(bucket(f.day))?.statements.push(f);

  const txByStatement = groupBy(data.transactions, (t) => t.statementId);

  const periodRows: Row[] = [];
  const total = { lines: emptyLines(), order: { gmv: 0, cancelled: 0, notSettled: 0, fromEarlier: 0, differs: 0 }, stated: 0, notPaid: 0, payoutUnexplained: 0, statements: 0, notTying: 0 };
  for (const [key, p] of [...periods.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const lines = emptyLines();
    const created = new Set(p.orders.map((o) => o.orderId));
    const settledHere = new Set<string>();
    let subtotalOfOwn = 0;
    let fromEarlier = 0;
    let stated = 0;
    let paidExpected = 0;
    let notTying = 0;
    for (const f of p.statements) {
      for (const t of txByStatement.get(f.statementId) ?? []) {
        addTransaction(lines, t);
        if (t.orderId !== null && created.has(t.orderId)) {
          subtotalOfOwn += t.subtotalBeforeDiscount;
          if (t.type === 'ORDER') settledHere.add(t.orderId);
        } else {
          fromEarlier += t.subtotalBeforeDiscount;
        }
      }
      stated += f.statement?.settlementAmount ?? 0;
      if (f.payout?.status === 'PAID') paidExpected += expectedPayout(f);
      if (!tiesOut(f)) notTying += 1;
    }
    let gmv = 0, cancelled = 0, notSettled = 0, liveSettled = 0;
    for (const o of p.orders) {
      gmv += o.grossSales;
      cancelled += o.cancelledSales;
      const live = o.grossSales - o.cancelledSales;
      if (settledHere.has(o.orderId)) liveSettled += live;
      else notSettled += live;
    }
    const differs = subtotalOfOwn - liveSettled;
    // `0 - x`, not `-x`: an empty period must show 0, not −0.
    const order = { gmv, cancelled: 0 - cancelled, notSettled: 0 - notSettled, fromEarlier, differs };
    const reserve = lines.reserveWithheld + lines.reserveReleased;
    const toBePaid = stated + reserve;
    const notPaid = paidExpected - toBePaid;
    const payoutUnexplained = payoutByStatementDay.get(key) ?? 0;
    periodRows.push(periodRow(grain === 'month' ? `${key}-01` : key, order, lines, stated, notPaid, payoutUnexplained, p.statements.length, notTying));

    for (const t of Object.keys(order) as (keyof typeof order)[]) total.order[t] += order[t];
    mergeLines(total.lines, lines);
    total.stated += stated;
    total.notPaid += notPaid;
    total.payoutUnexplained += payoutUnexplained;
    total.statements += p.statements.length;
    total.notTying += notTying;
  }
  periodRows.push(periodRow('Total', total.order, total.lines, total.stated, total.notPaid, total.payoutUnexplained, total.statements, total.notTying));

  const periodDefs = baseDefinitions(input, 'cash');
  periodDefs.notes.push(
    `Cash view by statement day (${grain}), shop timezone; order GMV by order creation day. The last row is the total of the periods shown.`,
    'Sign convention: money to the seller positive, costs negative; a transaction settles the sum of its signed parts (revenue + shipping + fee and tax + adjustment).',
    'Unexplained = (statement totals − their itemised transactions) + (PAID payouts − their statements\' settlement + reserve). It is exactly 0 when the data is consistent; a statement that overstates its transactions while the bank agrees with the transactions shows +N and −N, and a total of 0.',
    'A payout that pays statements of several periods is split by its statements; its difference goes to the period of its last statement.',
    `A statement ties out when its settlement amount equals the sum of its transactions' settlement amounts and each transaction's parts add up; it is flagged beyond ${settings.thresholds.statementTieOutBp / 100}% difference.`,
  );

  // ---- statements
  const bp = settings.thresholds.statementTieOutBp;
  const statementRows: Row[] = [...statements.values()]
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.statementId < b.statementId ? -1 : 1))
    .map((f) => {
      const stated = f.statement?.settlementAmount ?? 0;
      const tieOut = stated - f.lines.transactionsSettlement;
      const parts = f.lines.transactionsSettlement - f.lines.itemizedSettlement;
      const base = Math.abs(f.lines.transactionsSettlement);
      return {
        statementId: f.statementId,
        day: f.day,
        paymentStatus: f.statement?.paymentStatus ?? 'NO STATEMENT RECORD',
        paymentId: f.statement?.paymentId ?? null,
        transactions: f.lines.transactions,
        ...lineCells(f.lines),
        transactionsSettlement: f.lines.transactionsSettlement,
        partsUnexplained: parts,
        settlementAmount: f.statement ? stated : null,
        tieOutDifference: tieOut,
        tieOutDifferenceShare: tieOut === 0 ? 0 : share(Math.abs(tieOut), base),
        tiesOut: tiesOut(f),
        tieOutAlert: tieOut !== 0 && (base === 0 || Math.abs(tieOut) * 10000 > bp * base),
        unexplained: stated - f.lines.itemizedSettlement,
        reserveWithheld: f.lines.reserveWithheld,
        reserveReleased: f.lines.reserveReleased,
        expectedPayout: expectedPayout(f),
        payoutStatus: f.payout?.status ?? null,
      };
    });
  const statementColumns: Column[] = [
    { key: 'statementId', label: 'Statement', format: 'text' },
    { key: 'day', label: 'Statement day', format: 'day' },
    { key: 'paymentStatus', label: 'Payment status', format: 'text' },
    { key: 'paymentId', label: 'Payout', format: 'text' },
    { key: 'transactions', label: 'Transactions', format: 'integer' },
    ...STATEMENT_LINE_COLUMNS,
    { key: 'transactionsSettlement', label: 'Σ transaction settlement', format: 'money', note: 'Σ of the transactions\' own settlement amounts.' },
    { key: 'partsUnexplained', label: 'Transactions whose parts do not add up', format: 'money', note: 'Σ transaction settlement − itemised settlement.' },
    { key: 'settlementAmount', label: 'Statement settlement amount', format: 'money', note: 'As TikTok states it; empty when transactions name a statement we do not hold.' },
    { key: 'tieOutDifference', label: 'Tie-out difference', format: 'money', note: 'Statement settlement amount − Σ transaction settlement.' },
    { key: 'tieOutDifferenceShare', label: 'Tie-out difference %', format: 'percent', note: '|difference| / |Σ transaction settlement|.' },
    { key: 'tiesOut', label: 'Ties out', format: 'boolean', note: 'No tie-out difference and every transaction\'s parts add up.' },
    { key: 'tieOutAlert', label: 'Over tie-out threshold', format: 'boolean', note: `Tie-out difference above ${bp / 100}% (any difference when the transactions sum to 0).` },
    { key: 'unexplained', label: 'Unexplained', format: 'money', note: 'Statement settlement amount − itemised settlement.' },
    { key: 'reserveWithheld', label: 'Reserve withheld', format: 'money' },
    { key: 'reserveReleased', label: 'Reserve released', format: 'money' },
    { key: 'expectedPayout', label: 'To be paid out', format: 'money', note: 'Settlement amount + reserve moves.' },
    { key: 'payoutStatus', label: 'Payout status', format: 'text' },
  ];
  const statementDefs = baseDefinitions(input, 'cash');
  statementDefs.notes.push(`Tie-out threshold ${bp / 100}% (Settings: thresholds.statementTieOutBp).`);

  // ---- payouts
  const tolerance = settings.thresholds.payoutToleranceMinor;
  const payoutRows: Row[] = payouts
    .slice()
    .sort((a, b) => a.payout.createTime - b.payout.createTime || (a.payout.paymentId < b.payout.paymentId ? -1 : 1))
    .map((p) => ({
      paymentId: p.payout.paymentId,
      createdDay: dayKey(p.payout.createTime, tz),
      paidDay: p.payout.paidTime === null ? null : dayKey(p.payout.paidTime, tz),
      status: p.payout.status,
      statements: p.statements.length,
      statementsSettlement: p.statements.reduce((s, f) => s + (f.statement?.settlementAmount ?? 0), 0),
      statementsReserve: p.statements.reduce((s, f) => s + f.reserve, 0),
      expected: p.expected,
      amount: p.payout.amount,
      difference: p.difference,
      withinTolerance: Math.abs(p.difference) <= tolerance,
      payoutSettlementAmount: p.payout.settlementAmount,
      payoutReserveAmount: p.payout.reserveAmount,
      ownFieldsDifference: p.payout.amount - p.payout.settlementAmount - p.payout.reserveAmount,
    }));
  const payoutColumns: Column[] = [
    { key: 'paymentId', label: 'Payout', format: 'text' },
    { key: 'createdDay', label: 'Created', format: 'day' },
    { key: 'paidDay', label: 'Paid', format: 'day' },
    { key: 'status', label: 'Status', format: 'text' },
    { key: 'statements', label: 'Statements', format: 'integer', note: 'Statements that name this payout.' },
    { key: 'statementsSettlement', label: 'Their settlement', format: 'money' },
    { key: 'statementsReserve', label: 'Their reserve moves', format: 'money' },
    { key: 'expected', label: 'Expected', format: 'money', note: 'Their settlement + reserve moves.' },
    { key: 'amount', label: 'Payout amount', format: 'money', note: 'What reached (or will reach) the bank.' },
    { key: 'difference', label: 'Difference', format: 'money', note: 'Payout amount − expected.' },
    { key: 'withinTolerance', label: 'Within tolerance', format: 'boolean', note: `|difference| ≤ ${tolerance} minor units (thresholds.payoutToleranceMinor).` },
    { key: 'payoutSettlementAmount', label: 'Payout: settlement field', format: 'money', note: 'The payout record\'s own settlement amount.' },
    { key: 'payoutReserveAmount', label: 'Payout: reserve field', format: 'money' },
    { key: 'ownFieldsDifference', label: 'Payout fields difference', format: 'money', note: 'Amount − its own settlement − its own reserve.' },
  ];
  const payoutDefs = baseDefinitions(input, 'cash');
  payoutDefs.notes.push(`Payout tolerance ${tolerance} minor units (Settings: thresholds.payoutToleranceMinor).`);

  // ---- transactions whose parts do not add up, each listed (kept; only the check fails)
  const dayOfStatement = new Map([...statements.values()].map((f) => [f.statementId, f.day]));
  const transactionsNotAddingUp = transactionsNotAddingUpTable(input, (t) => dayOfStatement.get(t.statementId) ?? dayKey(t.statementTime, tz));
  periodDefs.notes.push(...settlementDataNotes(data.transactions, settings.currency, data.unsettled));

  return {
    transactionsNotAddingUp,
    periods: { id: 'reconciliation', title: 'Reconciliation: from GMV to the bank', definitions: periodDefs, columns: PERIOD_COLUMNS, rows: periodRows },
    statements: { id: 'reconciliationStatements', title: 'Reconciliation by statement', definitions: statementDefs, columns: statementColumns, rows: statementRows },
    payouts: { id: 'reconciliationPayouts', title: 'Payouts against statements', definitions: payoutDefs, columns: payoutColumns, rows: payoutRows },
  };
}

/**
 * Every transaction whose settlement amount is not the sum of its parts (partsDifference), with its
 * parts and the difference, by statement day: the list behind the period line "Unexplained:
 * transactions whose parts do not add up". Empty on consistent data.
 */
function transactionsNotAddingUpTable(input: ReportInput, dayOf: (t: StatementTransaction) => string): ReportTable {
  const offRows: Row[] = input.data.transactions
    .filter((t) => partsDifference(t) !== 0)
    .map((t) => ({
      transactionId: t.transactionId,
      statementId: t.statementId,
      day: dayOf(t),
      type: t.type,
      orderId: t.orderId,
      adjustmentId: t.adjustmentId,
      settlementAmount: t.settlementAmount,
      revenueAmount: t.revenueAmount,
      shippingCostAmount: t.shippingCostAmount,
      feeTaxAmount: t.feeTaxAmount,
      adjustmentAmount: t.adjustmentAmount,
      partsSum: t.settlementAmount - partsDifference(t),
      difference: partsDifference(t),
    }))
    .sort((a, b) => (a.day !== b.day ? (a.day < b.day ? -1 : 1) : a.transactionId < b.transactionId ? -1 : a.transactionId > b.transactionId ? 1 : 0));
  const offColumns: Column[] = [
    { key: 'transactionId', label: 'Transaction', format: 'text' },
    { key: 'statementId', label: 'Statement', format: 'text' },
    { key: 'day', label: 'Statement day', format: 'day' },
    { key: 'type', label: 'Type', format: 'text' },
    { key: 'orderId', label: 'Order', format: 'text' },
    { key: 'adjustmentId', label: 'Adjustment', format: 'text' },
    { key: 'settlementAmount', label: 'Settlement amount', format: 'money', note: 'As TikTok states it: what the statement pays for this transaction.' },
    { key: 'revenueAmount', label: 'Revenue', format: 'money' },
    { key: 'shippingCostAmount', label: 'Shipping cost', format: 'money' },
    { key: 'feeTaxAmount', label: 'Fees and taxes', format: 'money' },
    { key: 'adjustmentAmount', label: 'Adjustment', format: 'money' },
    { key: 'partsSum', label: 'Sum of the parts', format: 'money', note: 'Revenue + shipping cost + fees and taxes + adjustment.' },
    { key: 'difference', label: 'Difference', format: 'money', note: 'Settlement amount − sum of the parts: on the period line "Unexplained: transactions whose parts do not add up".' },
  ];
  const offDefs = baseDefinitions(input, 'cash');
  offDefs.notes.push(offRows.length === 0
    ? 'Every transaction\'s settlement amount is the sum of its parts.'
    : `${offRows.length} transaction${offRows.length === 1 ? '' : 's'} whose settlement amount is not the sum of ${offRows.length === 1 ? 'its' : 'their'} parts, ${formatAmount(offRows.reduce((a, r) => a + (r.difference as number), 0), input.settings.currency)} ${input.settings.currency} in all: kept as TikTok states them (the settlement amount is what was paid), shown here and as unexplained on the period line; margins use the itemised parts.`);
  return { id: 'reconciliationTransactionsNotAddingUp', title: 'Transactions whose parts do not add up', definitions: offDefs, columns: offColumns, rows: offRows };
}

function tiesOut(f: StatementFacts): boolean {
  return f.statement !== null
    && f.statement.settlementAmount === f.lines.transactionsSettlement
    && f.lines.transactionsSettlement === f.lines.itemizedSettlement;
}

function mergeLines(into: StatementLines, l: StatementLines): void {
  for (const k of Object.keys(l) as (keyof StatementLines)[]) {
    if (k === 'adjustments') for (const t of ADJUSTMENT_TYPES) into.adjustments[t] += l.adjustments[t];
    else into[k] += l[k];
  }
}

function periodRow(
  period: string,
  order: { gmv: number; cancelled: number; notSettled: number; fromEarlier: number; differs: number },
  lines: StatementLines, stated: number, notPaid: number, payoutUnexplained: number, statements: number, notTying: number,
): Row {
  const partsUnexplained = lines.transactionsSettlement - lines.itemizedSettlement;
  const statementUnexplained = stated - lines.transactionsSettlement;
  const toBePaidOut = stated + lines.reserveWithheld + lines.reserveReleased;
  return {
    period,
    gmvOrdersCreated: order.gmv,
    cancelled: order.cancelled,
    timingNotSettledHere: order.notSettled,
    timingSettledFromEarlier: order.fromEarlier,
    settledDiffersFromOrders: order.differs,
    ...lineCells(lines),
    partsUnexplained,
    statementUnexplained,
    settlementAmount: stated,
    reserveWithheld: lines.reserveWithheld,
    reserveReleased: lines.reserveReleased,
    toBePaidOut,
    notPaidOutYet: notPaid,
    payoutUnexplained,
    paidToBank: toBePaidOut + notPaid + payoutUnexplained,
    unexplained: partsUnexplained + statementUnexplained + payoutUnexplained,
    statements,
    statementsNotTyingOut: notTying,
  };
}
