/**
 * The bad-payload catalogue (issue 13, API side): for each class of real input, what the add-on
 * does with it — refuses it, naming endpoint, record, field, value and what was expected (money
 * at stake), or keeps it with a data note the seller can see (no figure changes) — and, for the
 * classes it now reads, the exact records. One table, one row per case.
 */
import { mapAffiliateOrder } from '../../src/tiktok/affiliate';
import { mapOrderSkuTransaction, mapStatement, mapStatementTransaction } from '../../src/tiktok/finance';
import { mapReturn } from '../../src/tiktok/returns';
import { mapOrder, parseApiOrder } from '../../src/tiktok/orders';
import { FEE_FIELDS, RESTATED_FEE_FIELDS, TAX_FIELDS, type StatementTransaction } from '../../src/core/records';
import { feeFieldComponent } from '../../src/core/statement';
import { reconciliationReport } from '../../src/core/reports/reconciliation';
import { creatorsReport } from '../../src/core/reports/creators';
import { profitReport } from '../../src/core/reports/profit';
import { allReports } from '../../src/core/reports';
import { at, settings, shop } from '../engine/fixtures';
import { reportInput, rowWhere } from '../reports/fixtures';
import {
  AFFILIATE_ORDER_EMPTY_MONEY, ORDER_UNKNOWN_STATUS, REFERENCE_FEE_FIELDS, REFERENCE_TAX_FIELDS, RETURN_ONE_DISCOUNT_TWO_LINES, VND_STATEMENT,
  VND_TRANSACTION_NOT_ADDING_UP,
} from '../fixtures/api-payloads';

const STATEMENT_TX = 'statement transaction (GET /finance/202501/statements/st-vnd-1/statement_transactions)';
const vndStatement = mapStatement(VND_STATEMENT);
const usdStatement = { ...vndStatement, statementId: 'st-usd-1', currency: 'USD' };

interface Refusal {
  cls: string;
  name: string;
  run: () => unknown;
  refusal: string;
}

const REFUSALS: Refusal[] = [
  {
    cls: '4 returns', name: 'a discount no line refund can carry',
    run: () => mapReturn({
      ...RETURN_ONE_DISCOUNT_TWO_LINES,
      refund_amount: { currency: 'USD', refund_subtotal: '0' },
      return_line_items: RETURN_ONE_DISCOUNT_TWO_LINES.return_line_items.map((l) => ({ ...l, refund_amount: { currency: 'USD', refund_subtotal: '0' } })),
    }),
    refusal: 'return (POST /return_refund/202309/returns/search) 4035000000000000001: field "discount_amount" expected one discount entry per line, or line refund subtotals to share it by (1 entry for 2 lines, every line refund 0), got [{"product_seller_discount":"1.00","product_platform_disc...',
  },
  {
    cls: '5 affiliate', name: 'a commission amount that is not exact in its currency',
    run: () => mapAffiliateOrder({ ...AFFILIATE_ORDER_EMPTY_MONEY, skus: [{ ...AFFILIATE_ORDER_EMPTY_MONEY.skus[0], actual_paid_commission: { amount: '2.505', currency: 'USD' } }] }),
    refusal: 'affiliate order (POST /affiliate_seller/202410/orders/search) 580000000000000003/sku-c: field "skus.0.actual_paid_commission.amount" expected at most 2 decimal places for USD, got "2.505"',
  },
  {
    cls: '5 affiliate', name: 'a commission list that is not empty',
    run: () => mapAffiliateOrder({ ...AFFILIATE_ORDER_EMPTY_MONEY, skus: [{ ...AFFILIATE_ORDER_EMPTY_MONEY.skus[0], actual_paid_commission: ['2.50'] }] }),
    refusal: 'affiliate order (POST /affiliate_seller/202410/orders/search) 580000000000000003: field "skus.0.actual_paid_commission" expected a valid value, got ["2.50"]',
  },
  {
    cls: '6 fees', name: 'an unknown fee field whose amount cannot be read exactly',
    run: () => mapStatementTransaction({
      ...VND_TRANSACTION_NOT_ADDING_UP,
      fee_tax_breakdown: { fee: { ...VND_TRANSACTION_NOT_ADDING_UP.fee_tax_breakdown.fee, brand_new_service_fee_amount: '-50000.5' } },
    }, vndStatement),
    refusal: `${STATEMENT_TX} 7000000000000000001: field "fee_tax_breakdown.fee.brand_new_service_fee_amount" expected at most 0 decimal places for VND, got "-50000.5"`,
  },
  {
    cls: '9 policy', name: 'a status that is not a status (money at stake is not, but the value is no status either)',
    run: () => mapReturn({ ...RETURN_ONE_DISCOUNT_TWO_LINES, return_status: 'refund ok' }),
    refusal: 'return (POST /return_refund/202309/returns/search) 4035000000000000001: field "return_status" expected a status in capitals (LIKE_THIS), got "refund ok"',
  },
  {
    cls: '9 policy', name: 'a transaction in another currency than its statement',
    run: () => mapStatementTransaction({ ...VND_TRANSACTION_NOT_ADDING_UP, currency: 'USD' }, vndStatement),
    refusal: `${STATEMENT_TX} 7000000000000000001: field "currency" expected the statement currency VND, got "USD"`,
  },
  {
    cls: '9 policy', name: 'a SKU transaction in another currency than its order',
    run: () => mapOrderSkuTransaction({ sku_id: 'sku-1', statement_id: 'st-usd-1', statement_time: 1, currency: 'EUR', settlement_amount: '1.00' }, { orderId: 'o1', currency: 'USD' }),
    refusal: 'order statement transaction (GET /finance/202501/orders/o1/statement_transactions) o1/sku-1: field "sku_transactions.0.currency" expected the order currency USD, got "EUR"',
  },
];

describe('refused: money at stake', () => {
  test.each(REFUSALS)('$cls: $name', ({ run, refusal }) => {
    expect(run).toThrow(refusal);
    let message = '';
    try {
      run();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(refusal);
  });
});

describe('kept: exact records, and a data note where something was not classified', () => {
  test('4 returns: one return-level discount entry for two lines is shared by refund subtotal', () => {
    expect(mapReturn(RETURN_ONE_DISCOUNT_TWO_LINES).lines).toEqual([
      { lineId: 'line-a', skuId: 'sku-a', quantity: 1, refundedOriginal: 1000 + 33 + 2, refundedSellerDiscount: 33 },
      { lineId: 'line-b', skuId: 'sku-b', quantity: 1, refundedOriginal: 2000 + 67 + 3, refundedSellerDiscount: 67 },
    ]);
  });

  test('5 affiliate: empty money objects are 0, a missing rate is null; the Creators tab says so', () => {
    const lines = mapAffiliateOrder(AFFILIATE_ORDER_EMPTY_MONEY);
    expect(lines).toEqual([{
      orderId: '580000000000000003', skuId: 'sku-c', productId: 'prod-c', creatorUsername: 'creator_c', contentType: 'LIVE', contentId: 'live-1',
      status: 'PROCESSING', createTime: 1790000000, currency: 'USD', commissionRateBp: null, shopAdsCommissionRateBp: 0, quantity: 1,
      refundedQuantity: 0, returnedQuantity: 0, price: 2500, estimatedCommissionBase: 2500, estimatedCommission: 250,
      estimatedShopAdsCommission: 0, estimatedCofundedBonus: 0, actualCommissionBase: 0, actualCommission: 0, actualShopAdsCommission: 0,
      actualCofundedBonus: 0,
    }]);
    const report = creatorsReport(reportInput(shop({ creatorOrders: lines }), at('2026-10-09')));
    expect(report.definitions.notes).toContain(
      '1 affiliate line (1 order) came without a commission rate: the rate cell is empty; commission amounts come from TikTok\'s commission fields, so no figure changes.',
    );
  });

  test('6 fees: every fee and tax field of the 202501 reference has its margin component', () => {
    const known = new Set<string>([...FEE_FIELDS, ...RESTATED_FEE_FIELDS]);
    expect(REFERENCE_FEE_FIELDS.filter((f) => !known.has(f))).toEqual([]);
    expect(REFERENCE_TAX_FIELDS.filter((f) => !known.has(f))).toEqual([]);
    expect(REFERENCE_FEE_FIELDS).toHaveLength(57);
    expect(REFERENCE_TAX_FIELDS).toHaveLength(18);
    // Every reference tax field, and every tax on a fee, is tax withheld; nothing else is.
    for (const f of REFERENCE_TAX_FIELDS) expect([f, feeFieldComponent(f)]).toEqual([f, 'taxWithheld']);
    expect(TAX_FIELDS.filter((f) => !(REFERENCE_TAX_FIELDS as readonly string[]).includes(f)).every((f) => /_tax(_amount)?$/.test(f))).toBe(true);
    expect(['failed_delivery_shipping_fee', 'buyer_fault_return_shipping_fee', 'shipping_fee_guarantee_service_fee'].map(feeFieldComponent))
      .toEqual(['shippingCost', 'shippingCost', 'shippingCost']);
    expect(feeFieldComponent('brand_new_service_fee_amount')).toBe('otherPlatformFees');
  });

  const tx: StatementTransaction = mapStatementTransaction(VND_TRANSACTION_NOT_ADDING_UP, vndStatement);

  test('6 fees: known fields by name, an unknown field kept by name with its money, a restated field not added', () => {
    expect(tx).toEqual({
      transactionId: '7000000000000000001', statementId: 'st-vnd-1', statementTime: 1790380800, currency: 'VND', type: 'ORDER',
      orderId: '580000000000000001', adjustmentId: null, skuId: null, settlementAmount: 764_171, revenueAmount: 1_585_500,
      shippingCostAmount: 0, feeTaxAmount: -624_615, adjustmentAmount: 0, subtotalBeforeDiscount: 1_585_500,
      refundSubtotalBeforeDiscount: 0, sellerDiscount: 0, sellerDiscountRefund: 0, customerPaidShippingFee: 0, actualShippingFee: 0,
      fees: {
        platform_commission_amount: -300_000, seller_growth_fee_amount: -100_000, failed_delivery_shipping_fee: -20_000,
        cps_shop_ads_commission_tax_amount: -4_615, affiliate_commission_amount: -150_000, voucher_xtra_service_fee_amount: 0,
        vat_amount: 0, pit_amount: 0,
      },
      unclassifiedFees: { brand_new_service_fee_amount: -50_000 },
      reserveAmount: 0,
    } satisfies StatementTransaction);
  });

  test('6 and 7: the refresh goes on; Reconciliation shows the unknown field in a note and the 196,714 short as its own line, listed', () => {
    const data = shop({ transactions: [tx], statements: [vndStatement] });
    const r = reconciliationReport(reportInput(data, at('2026-10-09'), settings({ currency: 'VND', timezone: 'Asia/Ho_Chi_Minh' })));
    expect(rowWhere(r.periods, 'period', 'Total')).toMatchObject({
      platformFees: -400_000, creatorCommission: -150_000, taxWithheld: -4_615, shippingPaid: -20_000, otherFees: -50_000,
      itemizedSettlement: 960_885, partsUnexplained: -196_714, statementUnexplained: 0, settlementAmount: 764_171, unexplained: -196_714,
    });
    expect(r.transactionsNotAddingUp.rows.map((x) => [x.transactionId, x.orderId, x.partsSum, x.settlementAmount, x.difference]))
      .toEqual([['7000000000000000001', '580000000000000001', 960_885, 764_171, -196_714]]);
    expect(r.periods.definitions.notes).toContain(
      'Fee fields not yet classified, counted as other platform fees (fees not itemised): brand_new_service_fee_amount -50000 VND in 1 transaction. Settlements tab, column "Unclassified fee fields".',
    );
    // ...and the Alerts tab points at it.
    const alerts = allReports(reportInput(data, at('2026-10-09'), settings({ currency: 'VND', timezone: 'Asia/Ho_Chi_Minh' }))).alerts.rows;
    expect(alerts.filter((a) => a.rule === 'transaction_parts_off').map((a) => a.message)).toEqual([
      'Transaction 7000000000000000001 (order 580000000000000001) on statement st-vnd-1 settles -196714 VND away from the sum of its revenue, shipping, fees and taxes and adjustment.',
    ]);
  });

  test('9 policy: an unknown return status is kept, not counted as refunded, and the Profit tab says so', () => {
    const ret = mapReturn({ ...RETURN_ONE_DISCOUNT_TWO_LINES, return_status: 'RETURN_OR_REFUND_REQUEST_ARBITRATION' });
    expect(ret.status).toBe('RETURN_OR_REFUND_REQUEST_ARBITRATION');
    const report = profitReport(reportInput(shop({ returns: [ret] }), at('2026-10-09')));
    expect(report.accrual.definitions.notes).toContain(
      '1 return has a status the add-on does not know (RETURN_OR_REFUND_REQUEST_ARBITRATION: 1): kept on the Returns tab, not counted as refunded until TikTok reports it RETURN_OR_REFUND_REQUEST_COMPLETE.',
    );
  });

  test('9 policy: an unknown order status is kept as sent, the order counted by its times, and the Profit tab says so', () => {
    const { order } = mapOrder(parseApiOrder(ORDER_UNKNOWN_STATUS));
    expect([order.status, order.statusSent, order.paidTime]).toEqual(['AWAITING_SHIPMENT', 'AWAITING_PICKUP_CONFIRMATION', 1790000100]);
    const report = profitReport(reportInput(shop({ orders: [order] }), at('2026-10-09')));
    expect(report.accrual.definitions.notes).toContain(
      '1 order came with a status the add-on does not know (AWAITING_PICKUP_CONFIRMATION: 1): kept, each counted by what its own times show (cancelled, unpaid, or paid), as the Status column says; the status as sent is in the Orders tab\'s "Status as sent" column.',
    );
  });

  test('9 policy: an unknown affiliate status is kept as sent, and the Creators tab says so', () => {
    const lines = mapAffiliateOrder({ ...AFFILIATE_ORDER_EMPTY_MONEY, status: 'SETTLING' });
    expect(lines.map((l) => l.status)).toEqual(['SETTLING']);
    const report = creatorsReport(reportInput(shop({ creatorOrders: lines }), at('2026-10-09')));
    expect(report.definitions.notes).toContain(
      '1 affiliate line has a status the add-on does not know (SETTLING: 1): kept as sent on the Creator orders tab; no figure reads the status.',
    );
  });
});
