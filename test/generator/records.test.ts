/**
 * Every generated record validates against its schema, and the statements tie out:
 * transaction settlement = sum of its signed parts, statement totals = sum of their
 * transactions, payout = settlement + reserve.
 */
import {
  AdSpendSchema, CancellationSchema, CogsEntrySchema, CreatorFeeSchema, CreatorOrderLineSchema, FixedCostSchema,
  OrderLineSchema, OrderSchema, PayoutSchema, ProductPerformanceSchema, ProductSkuSchema, ReturnSchema,
  ShopPerformanceSchema, StatementSchema, StatementTransactionSchema, UnsettledEstimateSchema, parseRecord,
  type ShopData, type FeeField,
} from '../../src/core/records';
import { SettingsSchema } from '../../src/core/settings';
import { generateShop, type GeneratedShop } from '../../dev/generator/shop';

const SCHEMAS: Record<keyof ShopData, { safeParse(v: unknown): any }> = {
  orders: OrderSchema, lines: OrderLineSchema, returns: ReturnSchema, cancellations: CancellationSchema,
  statements: StatementSchema, transactions: StatementTransactionSchema, payouts: PayoutSchema,
  unsettled: UnsettledEstimateSchema, creatorOrders: CreatorOrderLineSchema, adSpend: AdSpendSchema,
  products: ProductSkuSchema, productPerformance: ProductPerformanceSchema, shopPerformance: ShopPerformanceSchema,
  cogs: CogsEntrySchema, fixedCosts: FixedCostSchema, creatorFees: CreatorFeeSchema,
};

const CASES: [string, Parameters<typeof generateShop>[0]][] = [
  ['USD seed 1', { seed: 1, days: 45, ordersPerDay: 80 }],
  ['USD seed 2', { seed: 2, days: 45, ordersPerDay: 80 }],
  ['USD seed 3', { seed: 3, days: 45, ordersPerDay: 80 }],
  ['JPY seed 7', { seed: 7, currency: 'JPY', days: 45, ordersPerDay: 80 }],
];

describe.each(CASES)('%s', (_name, options) => {
  let shop: GeneratedShop;
  beforeAll(() => {
    shop = generateShop(options);
  });

  test('every record validates against its zod schema (and round-trips unchanged)', () => {
    for (const kind of Object.keys(SCHEMAS) as (keyof ShopData)[]) {
      const rows = shop.data[kind] as unknown[];
      const parsed = rows.map((row) => parseRecord(SCHEMAS[kind], row, kind));
      expect(JSON.stringify(parsed)).toBe(JSON.stringify(rows));
    }
    expect(SettingsSchema.safeParse(shop.settings).success).toBe(true);
  });

  test('every amount is a whole number of minor units in the shop currency', () => {
    let bad = 0;
    const check = (v: unknown): void => {
      if (typeof v === 'number') { if (!Number.isSafeInteger(v)) bad++; }
      else if (v && typeof v === 'object') for (const x of Object.values(v)) check(x);
    };
    check(shop.data);
    expect(bad).toBe(0);
    for (const kind of Object.keys(SCHEMAS) as (keyof ShopData)[]) {
      for (const row of shop.data[kind] as { currency?: string }[]) if (row.currency !== undefined && row.currency !== shop.settings.currency) bad++;
    }
    expect(bad).toBe(0);
  });

  test('each transaction: settlement = revenue + shipping + fee/tax + adjustment; revenue = its breakdown', () => {
    const problems: string[] = [];
    for (const t of shop.data.transactions) {
      const p = (ok: boolean, what: string) => { if (!ok) problems.push(`${t.transactionId}: ${what}`); };
      p(t.settlementAmount === t.revenueAmount + t.shippingCostAmount + t.feeTaxAmount + t.adjustmentAmount, 'settlement ≠ sum of parts');
      p(t.revenueAmount === t.subtotalBeforeDiscount + t.refundSubtotalBeforeDiscount + t.sellerDiscount + t.sellerDiscountRefund, 'revenue ≠ breakdown');
      p(t.sellerDiscount <= 0 && t.refundSubtotalBeforeDiscount <= 0 && t.sellerDiscountRefund >= 0, 'revenue signs');
      p(t.statementTime % 86400 === 0, 'statement not at 00:00 UTC');
      p(t.statementTime <= shop.asOf, 'statement after asOf');
      if (t.type !== 'ORDER') p(t.revenueAmount === 0 && Object.keys(t.fees).length === 0, 'adjustment with revenue or fees');
    }
    expect(problems.slice(0, 5)).toEqual([]);
    const ids = new Set<string>();
    const stmtTime = new Map(shop.data.statements.map((s) => [s.statementId, s.statementTime]));
    for (const t of shop.data.transactions) {
      if (stmtTime.get(t.statementId) !== t.statementTime) throw new Error(`transaction ${t.transactionId}: statement time differs`);
      const key = `${t.statementId}|${t.transactionId}`;
      expect(ids.has(key)).toBe(false);
      ids.add(key);
    }
  });

  test('statement totals equal the sums of their transactions', () => {
    const byStatement = new Map<string, number[]>();
    for (const t of shop.data.transactions) {
      const a = byStatement.get(t.statementId) ?? [0, 0, 0, 0, 0, 0];
      a[0] += t.settlementAmount; a[1] += t.revenueAmount; a[2] += t.feeTaxAmount; a[3] += t.adjustmentAmount;
      a[4] += t.shippingCostAmount; a[5] += t.reserveAmount;
      byStatement.set(t.statementId, a);
    }
    expect(byStatement.size).toBe(shop.data.statements.length);
    const payouts = new Map(shop.data.payouts.map((p) => [p.paymentId, p]));
    for (const s of shop.data.statements) {
      const a = byStatement.get(s.statementId)!;
      expect([s.settlementAmount, s.revenueAmount, s.feeAmount, s.adjustmentAmount, s.shippingCostAmount]).toEqual(a.slice(0, 5));
      if (s.paymentId) {
        const p = payouts.get(s.paymentId)!;
        expect(p).toBeDefined();
        expect(p.settlementAmount).toBe(s.settlementAmount);
        expect(p.reserveAmount).toBe(a[5]);
        expect(p.status).toBe(s.paymentStatus);
      } else {
        expect(s.paymentStatus).toBe('PROCESSING');
      }
    }
  });

  test('payout amount = settlement + reserve', () => {
    expect(shop.data.payouts.length).toBeGreaterThan(0);
    for (const p of shop.data.payouts) expect(p.amount).toBe(p.settlementAmount + p.reserveAmount);
  });

  test('orders: totals, discounts and line prices are consistent', () => {
    const problems: string[] = [];
    const lines = new Map<string, typeof shop.data.lines>();
    for (const l of shop.data.lines) {
      if (l.salePrice !== l.originalPrice - l.sellerDiscount - l.platformDiscount) problems.push(`${l.lineId}: sale price`);
      if (l.originalPrice > 0 && l.sellerDiscount + l.platformDiscount >= l.originalPrice) problems.push(`${l.lineId}: discount ≥ price`);
      const a = lines.get(l.orderId) ?? [];
      a.push(l);
      lines.set(l.orderId, a);
    }
    for (const o of shop.data.orders) {
      const p = (ok: boolean, what: string) => { if (!ok) problems.push(`${o.orderId}: ${what}`); };
      const ls = lines.get(o.orderId) ?? [];
      p(ls.length > 0, 'no lines');
      p(o.shippingFee === o.originalShippingFee - o.shippingSellerDiscount - o.shippingPlatformDiscount, 'shipping fee');
      p(o.totalAmount === ls.reduce((a, l) => a + l.salePrice, 0) + o.shippingFee + o.tax, 'total');
      p(o.updateTime >= o.createTime && o.updateTime <= shop.asOf, 'update time');
      p((o.paidTime === null) === (o.status === 'UNPAID'), 'paid time vs UNPAID');
      if (o.status === 'CANCELLED') p(ls.every((l) => l.cancelled) && o.cancelTime !== null, 'cancelled order lines');
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  test('estimates: settlement = sum of parts; fee/tax at least covers its breakdown', () => {
    const problems: string[] = [];
    for (const e of shop.data.unsettled) {
      const p = (ok: boolean, what: string) => { if (!ok) problems.push(`${e.orderId}: ${what}`); };
      p(e.estSettlementAmount === e.estRevenueAmount + e.estShippingCostAmount + e.estFeeTaxAmount + e.estAdjustmentAmount, 'settlement');
      const sum = Object.values(e.fees).reduce((a: number, v) => a + (v ?? 0), 0);
      p(e.estFeeTaxAmount <= sum, 'fee/tax below its breakdown');
      p(e.fetchedTime <= shop.asOf, 'fetched after asOf');
      for (const k of Object.keys(e.fees) as FeeField[]) p(e.fees[k]! < 0, `fee ${k} not a cost`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });
});
