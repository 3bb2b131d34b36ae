/**
 * Builders for the reconciliation, creator and customer report tests: statement and payout
 * records (the engine fixtures build transactions only) and the report input of a generated shop.
 */
import { computeMargins } from '../../src/core/margin';
import type { Payout, Statement } from '../../src/core/records';
import type { ReportInput } from '../../src/core/reports/table';
import type { GeneratedShop } from '../../dev/generator/shop';

export function statement(statementId: string, statementTime: number, settlementAmount: number, over: Partial<Statement> = {}): Statement {
  return {
    statementId, statementTime, currency: 'USD', settlementAmount, revenueAmount: 0, feeAmount: 0, adjustmentAmount: 0,
    shippingCostAmount: 0, netSalesAmount: 0, paymentStatus: 'PROCESSING', paymentId: null, ...over,
  };
}

export function payout(paymentId: string, createTime: number, amount: number, over: Partial<Payout> = {}): Payout {
  return {
    paymentId, createTime, paidTime: createTime + 86400, status: 'PAID', currency: 'USD', amount,
    settlementAmount: amount, reserveAmount: 0, ...over,
  };
}

/** The engine run over a generated shop, as the report layer receives it. */
export function generatedInput(shop: GeneratedShop): ReportInput {
  return { data: shop.data, settings: shop.settings, margins: computeMargins(shop.data, shop.settings, shop.asOf) };
}
