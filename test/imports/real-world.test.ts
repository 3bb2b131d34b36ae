/**
 * Real Seller Center files differ from the documented ones (issue 13). One fixture per class,
 * each with the exact records it must give (times hand-computed with the zone rules noted).
 */
import { importExport } from '../../src/imports/exports';
import { normalizeHeader } from '../../src/imports/headers';
import { mapUnsettledTransaction } from '../../src/tiktok/finance';
import {
  GB_ORDER_HEADERS, SHARED_ORDER_HEADERS, table, UNSETTLED_HEADERS, US_INCOME_HEADERS, US_ORDER_HEADERS,
} from '../fixtures/seller-center-files';

const LONDON = { currency: 'GBP', timezone: 'Europe/London' };
const LA = { currency: 'USD', timezone: 'America/Los_Angeles' };

// ------------------------------------------------------------------ 1 + 3: a GB order export

const gbRows: Record<string, string>[] = [
  { 'Order ID': '577700001', 'Order Status': 'Completed', 'SKU ID': 'S1', 'Seller SKU': 'MUG-BLUE', 'Product Name': 'Mug', 'Variation': 'Blue',
    'Quantity': '2', 'SKU Subtotal Before Discount': '£30.00', 'SKU Seller Discount': '£3.00', 'SKU Platform Discount': '£2.00',
    'SKU Subtotal After Discount': '£25.00', 'Shipping Fee After Discount': '£3.99', 'Original Shipping Fee': '£3.99', 'Taxes': '0',
    'Order Amount': '£28.99', 'Created Time': '23/09/2026 16:06:19', 'Paid Time': '23/09/2026 16:07:02', 'RTH Time': '24/09/2026 09:15:00',
    'Shipped Time': '24/09/2026 11:00:00', 'Delivered Time': '26/09/2026 13:20:45', 'Fulfilment Type': 'Fulfilled by seller',
    'Buyer Username': 'uk_shopper', 'County': 'Kent', 'Postcode': 'CT1 1AA' },
  // Every date of this order alone could be either order: 23/09 above settles it for the whole file.
  { 'Order ID': '577700002', 'Order Status': 'Awaiting collection', 'SKU ID': 'S2', 'Quantity': '1', 'SKU Subtotal Before Discount': '12.50',
    'SKU Subtotal After Discount': '12.50', 'Shipping Fee After Discount': '0', 'Order Amount': '12.50', 'Created Time': '05/10/2026 08:30:00',
    'Paid Time': '05/10/2026 08:31:10', 'RTH Time': '06/10/2026 10:00:00', 'Buyer Username': 'uk_shopper' },
];

describe('a GB order export: day/month/year dates, "RTH Time", UK spellings', () => {
  const r = importExport('gb-orders.csv', [table('OrderSKUList', GB_ORDER_HEADERS, gbRows)], LONDON);

  test('orders, with BST times read day first (05/10 is 5 October) and RTH as the RTS time', () => {
    expect(r.kind).toBe('orders');
    expect([r.from, r.to]).toEqual(['2026-09-23', '2026-10-05']);
    expect(r.data.orders).toEqual([
      { orderId: '577700001', buyerId: 'uk_shopper', status: 'COMPLETED', currency: 'GBP',
        createTime: 1790175979, // 2026-09-23 16:06:19 BST = 15:06:19Z
        updateTime: 1790425245, paidTime: 1790176022, cancelTime: null, deliveryTime: 1790425245, // 26/09 13:20:45 BST
        fulfillmentType: 'FULFILLMENT_BY_SELLER', isSample: false, sampleCreator: null,
        originalShippingFee: 399, shippingSellerDiscount: 0, shippingPlatformDiscount: 0, shippingFee: 399, tax: 0, totalAmount: 2899 },
      { orderId: '577700002', buyerId: 'uk_shopper', status: 'AWAITING_COLLECTION', currency: 'GBP',
        createTime: 1791185400, // 2026-10-05 08:30 BST (month first it would be 10 May)
        updateTime: 1791277200, // the RTH time, 06/10 10:00 BST: the latest time of the order
        paidTime: 1791185470, cancelTime: null, deliveryTime: null, fulfillmentType: 'FULFILLMENT_BY_SELLER', isSample: false, sampleCreator: null,
        originalShippingFee: 0, shippingSellerDiscount: 0, shippingPlatformDiscount: 0, shippingFee: 0, tax: 0, totalAmount: 1250 },
    ]);
    expect(r.data.lines).toEqual([
      { lineId: '577700001-S1', orderId: '577700001', skuId: 'S1', productId: 'S1', sellerSku: 'MUG-BLUE', productName: 'Mug', skuName: 'Blue',
        currency: 'GBP', quantity: 2, originalPrice: 3000, sellerDiscount: 300, platformDiscount: 200, salePrice: 2500, cancelled: false },
      { lineId: '577700002-S2', orderId: '577700002', skuId: 'S2', productId: 'S2', sellerSku: '', productName: '', skuName: '',
        currency: 'GBP', quantity: 1, originalPrice: 1250, sellerDiscount: 0, platformDiscount: 0, salePrice: 1250, cancelled: false },
    ]);
    expect(r.data.cancellations).toEqual([]);
    expect(r.notes).toEqual([]);
  });

  test('an SG file whose dates alone cannot tell: read day first as Seller Center writes for SG, and the preview says so', () => {
    const sg = importExport('sg-orders.csv', [table('OrderSKUList', GB_ORDER_HEADERS, [{ ...gbRows[1], 'Order Amount': '12.50' }])],
      { currency: 'SGD', timezone: 'Asia/Singapore' });
    expect(sg.data.orders!.map((o) => [o.createTime, o.paidTime, o.updateTime])).toEqual([[1791160200, 1791160270, 1791252000]]); // 5 Oct, UTC+8
    expect(sg.notes).toEqual([
      'Dates of sg-orders.csv such as "05/10/2026 08:30:00" were read as day/month/year, the order Seller Center writes for a SG shop (SGD): no date in the file has a day above 12 to prove it.',
    ]);
  });

  test('a header that states its pattern settles the order', () => {
    const headers = US_ORDER_HEADERS.map((h) => (h === 'Created Time' ? 'Created Time (DD/MM/YYYY)' : h));
    const row = { 'Order ID': '1', 'Order Status': 'Delivered', 'SKU ID': 'A', 'Quantity': '1', 'SKU Subtotal Before Discount': '10',
      'SKU Subtotal After Discount': '10', 'Shipping Fee After Discount': '0', 'Order Amount': '10', 'Created Time (DD/MM/YYYY)': '04/03/2025 10:00:00',
      'Paid Time': '04/03/2025 10:01:00' };
    const o = importExport('hint.csv', [table('Sheet1', headers, [row])], { currency: 'PHP', timezone: 'UTC' });
    expect(o.data.orders![0].createTime).toBe(Date.UTC(2025, 2, 4, 10) / 1000); // 4 March
    // The column is there, its cell blank (the mapper's fallback): said too.
    expect(o.notes).toEqual(['1 order of hint.csv has no Buyer Username: no new-buyer or repeat-buyer figures for it (each counts as its own buyer).']);
  });
});

// ------------------------------------------------------------------ 1 + 3: a US income export

describe('a US income export: "Order settled time(UTC)", dates year first', () => {
  const rows: Record<string, string>[] = [
    { 'Order/adjustment ID': '576786105183930101', 'Type': 'Order', 'Order created time(UTC)': '2024/04/12', 'Order settled time(UTC)': '2024/04/23',
      'Currency': 'USD', 'Total settlement amount': '17.31', 'Total revenue': '25.00', 'Subtotal after seller discounts': '25.00',
      'Subtotal before discounts': '25.00', 'Total fees': '-4.69', 'Transaction fee': '-0.75', 'Referral fee': '-2.00', 'Affiliate commission': '-1.94',
      'Seller shipping fee': '-3.00', 'Actual shipping fee': '-5.00', 'Customer shipping fee': '2.00' },
    { 'Order/adjustment ID': '576778866794071600', 'Type': 'Order', 'Order created time(UTC)': '2024/04/06', 'Order settled time(UTC)': '2024/04/16',
      'Currency': 'USD', 'Total settlement amount': '9.10', 'Total revenue': '10.00', 'Subtotal before discounts': '10.00', 'Total fees': '-0.90',
      'Transaction fee': '-0.30', 'Referral fee': '-0.60' },
  ];
  const r = importExport('income_20240423143123.xlsx', [table('Order details', US_INCOME_HEADERS, rows)], LA);
  const zero = { adjustmentAmount: 0, refundSubtotalBeforeDiscount: 0, sellerDiscount: 0, sellerDiscountRefund: 0, customerPaidShippingFee: 0,
    actualShippingFee: 0, shippingCostAmount: 0, reserveAmount: 0, skuId: null, adjustmentId: null, currency: 'USD', type: 'ORDER' };

  test('settled times read in UTC (the header says so), each in its shop day in Los Angeles', () => {
    expect(r.kind).toBe('income_sea');
    expect([r.from, r.to]).toEqual(['2024-04-15', '2024-04-22']);
    expect(r.data.transactions).toEqual([
      { ...zero, transactionId: 'income-2024-04-22:ORDER:576786105183930101:', statementId: 'income-2024-04-22',
        statementTime: 1713830400, // 2024-04-23 00:00 UTC = 04-22 17:00 PDT
        orderId: '576786105183930101', settlementAmount: 1731, revenueAmount: 2500, shippingCostAmount: -300, feeTaxAmount: -469,
        subtotalBeforeDiscount: 2500, customerPaidShippingFee: 200, actualShippingFee: -500,
        fees: { transaction_fee_amount: -75, referral_fee_amount: -200, affiliate_commission_amount: -194 } },
      { ...zero, transactionId: 'income-2024-04-15:ORDER:576778866794071600:', statementId: 'income-2024-04-15', statementTime: 1713225600,
        orderId: '576778866794071600', settlementAmount: 910, revenueAmount: 1000, feeTaxAmount: -90, subtotalBeforeDiscount: 1000,
        fees: { transaction_fee_amount: -30, referral_fee_amount: -60 } },
    ]);
    expect(r.data.statements).toEqual([
      { statementId: 'income-2024-04-15', statementTime: 1713164400, currency: 'USD', settlementAmount: 910, revenueAmount: 1000, feeAmount: -90,
        adjustmentAmount: 0, shippingCostAmount: 0, netSalesAmount: 1000, paymentStatus: 'PAID', paymentId: null },
      { statementId: 'income-2024-04-22', statementTime: 1713769200, currency: 'USD', settlementAmount: 1731, revenueAmount: 2500, feeAmount: -469,
        adjustmentAmount: 0, shippingCostAmount: -300, netSalesAmount: 2500, paymentStatus: 'PAID', paymentId: null },
    ]);
    expect(r.notes).toEqual([]);
  });

  test('the same file with "Order settled time" (no UTC) is read in the shop zone: seven hours later', () => {
    const plain = importExport('income.csv', [table('Order details', US_INCOME_HEADERS.map((h) => h.replace('(UTC)', '')),
      rows.map((x) => Object.fromEntries(Object.entries(x).map(([k, v]) => [k.replace('(UTC)', ''), v]))))], LA);
    expect(plain.data.transactions!.map((t) => t.statementTime)).toEqual([1713830400 + 7 * 3600, 1713225600 + 7 * 3600]);
  });
});

describe('normalized header names', () => {
  test.each<[string, string, number | null]>([
    ['Order created time(UTC)', 'ordercreatedtime', 0],
    ['ORDER  CREATED-TIME (utc)', 'ordercreatedtime', 0],
    ['Order settled time UTC', 'ordersettledtime', 0],
    ['Created Time (GMT+07:00)', 'createdtime', 420],
    ['Created Time (UTC-3)', 'createdtime', -180],
    ['Statement date (UTC)', 'statementdate', 0],
    ['Weight(kg)', 'weightkg', null],
    ['Co-funded promotion (seller-funded)', 'cofundedpromotionsellerfunded', null],
  ])('%s', (text, name, offset) => {
    const h = normalizeHeader(text);
    expect([h.name, h.zone === null ? null : h.zone.offsetMinutes]).toEqual([name, offset]);
  });
});

// ------------------------------------------------------------------ 2: a shared order export without personal data

describe('a shared order export: buyer, recipient, address and tracking cut out', () => {
  test('every figure column is there: the orders are read, each its own buyer, and the preview says what that changes', () => {
    expect(US_ORDER_HEADERS.length - SHARED_ORDER_HEADERS.length).toBe(19);
    const base = { 'Order ID': '576100001', 'Order Status': 'Delivered', 'Shipping Fee After Discount': '5.00', 'Original Shipping Fee': '5.00',
      'Taxes': '1.20', 'Order Amount': '31.20', 'Created Time': '03/14/2025 10:00:00 AM', 'Paid Time': '03/14/2025 10:01:00 AM',
      'Delivered Time': '03/16/2025 3:00:00 PM', 'Fulfillment Type': 'Fulfillment by seller' };
    const r = importExport('shared.csv', [table('OrderSKUList', SHARED_ORDER_HEADERS, [
      { ...base, 'SKU ID': 'A', 'Quantity': '1', 'SKU Subtotal Before Discount': '15.00', 'SKU Subtotal After Discount': '15.00' },
      { ...base, 'SKU ID': 'B', 'Quantity': '1', 'SKU Subtotal Before Discount': '10.00', 'SKU Subtotal After Discount': '10.00' },
    ])], LA);
    expect(r.data.orders).toEqual([
      { orderId: '576100001', buyerId: 'order:576100001', status: 'DELIVERED', currency: 'USD', createTime: 1741971600, updateTime: 1742162400,
        paidTime: 1741971660, cancelTime: null, deliveryTime: 1742162400, fulfillmentType: 'FULFILLMENT_BY_SELLER', isSample: false,
        sampleCreator: null, originalShippingFee: 500, shippingSellerDiscount: 0, shippingPlatformDiscount: 0, shippingFee: 500, tax: 120,
        totalAmount: 3120 },
    ]);
    expect(r.data.lines!.map((l) => [l.lineId, l.salePrice])).toEqual([['576100001-A', 1500], ['576100001-B', 1000]]);
    expect(r.notes).toEqual([
      'shared.csv has no "Buyer Username" column: no new-buyer or repeat-buyer figures for these orders: each order counts as its own buyer.',
    ]);
  });
});

// ------------------------------------------------------------------ 8: the unsettled orders export

describe('the unsettled orders export: TikTok\'s estimates, read as the API\'s unsettled endpoint is', () => {
  const NOW = 1750000000;
  const rows: Record<string, string>[] = [
    { 'Order/adjustment ID': '577900001', 'Type': 'Order', 'Order created time': '2025-06-10 09:00:00', 'Est. settlement time': '2025/06/25',
      'Currency': 'USD', 'Est. settlement amount': '20.12', 'Est. revenue': '25.00', 'Est. fees': '-2.88', 'Est. seller shipping fee': '-2.00',
      'Est. customer shipping fee': '0', 'Est. transaction fee': '-0.75', 'Est. referral fee': '-2.00', 'Unsettlement status': 'Waiting for package delivery' },
    { 'Order/adjustment ID': 'ADJ-77', 'Type': 'Platform reimbursement', 'Currency': 'USD', 'Est. settlement amount': '5.00', 'Est. revenue': '0',
      'Est. fees': '0', 'Est. adjustment amount': '5.00' },
    // Fees that already contain the shipping (settlement = revenue + fees): shipping is taken out of them, as the income export is read.
    { 'Order/adjustment ID': '577900002', 'Type': 'Order', 'Order created time': '2025-06-12 14:30:00', 'Currency': 'USD',
      'Est. settlement amount': '8.40', 'Est. revenue': '12.00', 'Est. fees': '-3.60', 'Est. seller shipping fee': '-1.50',
      'Est. customer shipping fee': '1.50', 'Est. transaction fee': '-0.36', 'Est. referral fee': '-0.96', 'Est. affiliate commission': '-0.78' },
  ];
  const r = importExport('unsettled.csv', [table('Unsettled orders', UNSETTLED_HEADERS, rows)], LA, { now: NOW });

  test('one estimate per order, stamped with the import time; adjustments and unexplained fee money said', () => {
    expect(r.kind).toBe('unsettled');
    expect(r.rows).toBe(3);
    expect([r.from, r.to]).toEqual(['2025-06-10', '2025-06-12']);
    expect(r.data).toEqual({ unsettled: [
      { orderId: '577900001', currency: 'USD', fetchedTime: NOW, estRevenueAmount: 2500, estShippingCostAmount: -200, estFeeTaxAmount: -288,
        estAdjustmentAmount: 0, estSettlementAmount: 2012, estCustomerPaidShippingFee: 0, fees: { transaction_fee_amount: -75, referral_fee_amount: -200 } },
      { orderId: '577900002', currency: 'USD', fetchedTime: NOW, estRevenueAmount: 1200, estShippingCostAmount: -150, estFeeTaxAmount: -210,
        estAdjustmentAmount: 0, estSettlementAmount: 840, estCustomerPaidShippingFee: 150,
        fees: { transaction_fee_amount: -36, referral_fee_amount: -96, affiliate_commission_amount: -78 } },
    ] });
    expect(r.notes).toEqual([
      '1 row of unsettled.csv of type "Platform reimbursement" is not an order\'s estimate and was not read: adjustments settle through statements (import the statement when it comes).',
      'On 1 row of unsettled.csv, the fee estimate is not fully broken down by the fee columns this add-on reads (-0.13 USD in all): that part is counted as other platform fees.',
    ]);
  });

  test('the same estimates as the API gives for the same figures', () => {
    const api = [
      { type: 'ORDER', order_id: '577900001', currency: 'USD', est_settlement_amount: '20.12', est_revenue_amount: '25.00',
        est_shipping_cost_amount: '-2.00', est_fee_tax_amount: '-2.88', est_adjustment_amount: '0',
        shipping_cost_breakdown: { customer_paid_shipping_fee_amount: '0' },
        fee_tax_breakdown: { fee: { transaction_fee_amount: '-0.75', referral_fee_amount: '-2.00' }, tax: {} } },
      { type: 'ORDER', order_id: '577900002', currency: 'USD', est_settlement_amount: '8.40', est_revenue_amount: '12.00',
        est_shipping_cost_amount: '-1.50', est_fee_tax_amount: '-2.10', est_adjustment_amount: '0',
        shipping_cost_breakdown: { customer_paid_shipping_fee_amount: '1.50' },
        fee_tax_breakdown: { fee: { transaction_fee_amount: '-0.36', referral_fee_amount: '-0.96', affiliate_commission_amount: '-0.78' }, tax: {} } },
    ].map((raw) => mapUnsettledTransaction(raw, NOW));
    expect(r.data.unsettled).toEqual(api);
  });

  test('headers written "Estimated …" with the "Total" names are the same columns; without Type every row is an order, and the preview says so', () => {
    const headers = ['Order ID', 'Estimated total settlement amount', 'Estimated total revenue', 'Estimated total fees'];
    const u = importExport('u.xlsx', [table('Sheet1', headers, [{ 'Order ID': '1', 'Estimated total settlement amount': '9.00',
      'Estimated total revenue': '10.00', 'Estimated total fees': '-1.00' }])], LA, { now: NOW });
    expect(u.data.unsettled).toEqual([{ orderId: '1', currency: 'USD', fetchedTime: NOW, estRevenueAmount: 1000, estShippingCostAmount: 0,
      estFeeTaxAmount: -100, estAdjustmentAmount: 0, estSettlementAmount: 900, estCustomerPaidShippingFee: 0, fees: {} }]);
    expect(u.notes).toEqual([
      'u.xlsx has no "Type" column: every row is read as an order\'s estimate (an adjustment estimate cannot be told apart).',
      'u.xlsx has no "Est. seller shipping fee" column: estimated shipping costs stay inside the fee estimate and are counted as other platform fees.',
      'u.xlsx has no "Est. customer shipping fee" column: estimated shipping paid by customers is read as 0, so estimated shipping costs show gross.',
      'u.xlsx has no "Est. adjustment amount" column: estimated adjustments are read as 0.',
      'On 1 row of u.xlsx, the fee estimate is not fully broken down by the fee columns this add-on reads (-1.00 USD in all): that part is counted as other platform fees.',
    ]);
  });
});
