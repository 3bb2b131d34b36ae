/**
 * Planted reconciliation problems: each function takes a generated shop and returns a copy
 * with exactly one problem and the amount the reconciliation must find, so a test can check
 * that the unexplained remainder is that amount, to the minor unit, and nothing else moves.
 *
 * The input shop is never changed. The copy's ground truth (`truth`) is the original's: the
 * problems are in the statement and payout records, which no order margin reads (except
 * `dropTransaction`, which picks a shop-level adjustment for that reason).
 */
import type { Payout, Statement, StatementTransaction } from '../../src/core/records';
import type { GeneratedShop } from './shop';

export interface PlantedProblem {
  shop: GeneratedShop;
  /** What the reconciliation must show as unexplained (minor units, signed as money to the seller). */
  amount: number;
  statementId: string | null;
  paymentId: string | null;
  /** Shop day of the statement (or the payout's last statement) that carries the problem. */
  statementTime: number | null;
}

function copy(shop: GeneratedShop): GeneratedShop {
  return { ...shop, data: structuredClone(shop.data), settings: structuredClone(shop.settings) };
}

/**
 * The statement used for a planted problem: the paid statement in the middle of the run (an
 * ordinary day, with a PAID payout that pays it alone), so the problem is inside the data.
 */
function pickPaidStatement(shop: GeneratedShop): { statement: Statement; payout: Payout } {
  const payouts = new Map(shop.data.payouts.map((p) => [p.paymentId, p]));
  const paid = shop.data.statements
    .filter((s) => s.paymentId !== null && payouts.get(s.paymentId)?.status === 'PAID')
    .sort((a, b) => a.statementTime - b.statementTime);
  if (paid.length === 0) throw new Error('The shop has no paid statement to plant a problem in');
  const statement = paid[paid.length >> 1];
  return { statement, payout: payouts.get(statement.paymentId!)! };
}

/**
 * A statement whose settlement amount is off by `amount` (its transactions are unchanged).
 * `payoutFollows` (default true): TikTok paid what the statement says, so its payout is off by the
 * same amount — the bank got money no transaction explains. With false, the bank agrees with the
 * transactions: the statement still does not tie out, but the money is explained overall.
 */
export function statementTotalOff(shop: GeneratedShop, amount: number, options: { payoutFollows?: boolean } = {}): PlantedProblem {
  const out = copy(shop);
  const { statement, payout } = pickPaidStatement(out);
  statement.settlementAmount += amount;
  if (options.payoutFollows ?? true) {
    payout.amount += amount;
    payout.settlementAmount += amount;
  }
  return { shop: out, amount, statementId: statement.statementId, paymentId: payout.paymentId, statementTime: statement.statementTime };
}

/** A payout whose amount is off by `amount` (its statements are right): the bank differs from them. */
export function payoutAmountOff(shop: GeneratedShop, amount: number): PlantedProblem {
  const out = copy(shop);
  const { statement, payout } = pickPaidStatement(out);
  payout.amount += amount;
  return { shop: out, amount, statementId: statement.statementId, paymentId: payout.paymentId, statementTime: statement.statementTime };
}

/**
 * A transaction whose settlement amount is off by `amount` from the sum of its parts; the
 * statement total and the payout carry it (TikTok paid it), so only the itemisation fails.
 */
export function transactionPartsOff(shop: GeneratedShop, amount: number): PlantedProblem {
  const out = copy(shop);
  const { statement, payout } = pickPaidStatement(out);
  const t = out.data.transactions.find((x) => x.statementId === statement.statementId && x.type === 'ORDER');
  if (!t) throw new Error(`Statement ${statement.statementId} has no ORDER transaction`);
  t.settlementAmount += amount;
  statement.settlementAmount += amount;
  payout.amount += amount;
  payout.settlementAmount += amount;
  return { shop: out, amount, statementId: statement.statementId, paymentId: payout.paymentId, statementTime: statement.statementTime };
}

/**
 * A transaction missing from the sync (a lost page): the statement total still includes it, so
 * the statement overstates its transactions by the transaction's settlement amount. Picks a
 * shop-level adjustment (no order), so no order margin changes.
 */
export function dropTransaction(shop: GeneratedShop): PlantedProblem {
  const out = copy(shop);
  const payouts = new Map(out.data.payouts.map((p) => [p.paymentId, p]));
  const statements = new Map(out.data.statements.map((s) => [s.statementId, s]));
  const candidates = out.data.transactions.filter((t: StatementTransaction) => {
    const s = statements.get(t.statementId);
    return t.orderId === null && t.type !== 'RESERVE' && t.type !== 'GMV_PAYMENT_FOR_ADS' && t.settlementAmount !== 0
      && s?.paymentId != null && payouts.get(s.paymentId)?.status === 'PAID';
  });
  if (candidates.length === 0) throw new Error('The shop has no shop-level adjustment to drop');
  const t = candidates[candidates.length >> 1];
  out.data.transactions = out.data.transactions.filter((x) => x !== t);
  const s = statements.get(t.statementId)!;
  return { shop: out, amount: t.settlementAmount, statementId: s.statementId, paymentId: s.paymentId, statementTime: s.statementTime };
}
