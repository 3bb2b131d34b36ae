import { importExport, ImportError, parseMoneyCell, parseTimeCell, type ExportSheet } from '../../src/imports/exports';

// ------------------------------------------------------------------ fixtures from the documented headers

const ORDER_HEADERS = ['Order ID', 'Order Status', 'Order Substatus', 'Cancelation/Return Type', 'Normal or Pre-order', 'SKU ID', 'Seller SKU',
  'Product Name', 'Variation', 'Quantity', 'Sku Quantity of return', 'SKU Unit Original Price', 'SKU Subtotal Before Discount',
  'SKU Platform Discount', 'SKU Seller Discount', 'SKU Subtotal After Discount', 'Shipping Fee After Discount', 'Original Shipping Fee',
  'Shipping Fee Seller Discount', 'Shipping Fee Platform Discount', 'Payment platform discount', 'Retail Delivery Fee', 'Taxes',
  'Order Amount', 'Order Refund Amount', 'Created Time', 'Paid Time', 'RTS Time', 'Shipped Time', 'Delivered Time', 'Cancelled Time',
  'Cancel By', 'Cancel Reason', 'Fulfillment Type', 'Warehouse Name', 'Tracking ID', 'Delivery Option Type', 'Delivery Option',
  'Shipping Provider Name', 'Buyer Message', 'Buyer Username', 'Recipient', 'Phone #', 'Country', 'State', 'City', 'Zipcode',
  'Detail Address', 'Additional address information', 'House Name or Number', 'Delivery Instruction', 'Payment Method', 'Weight(kg)',
  'Product Category', 'Package ID', 'Seller Note', 'Shipping Information'];

const STATEMENT_HEADERS = ['Statement date (UTC)', 'Statement ID', 'Payment ID', 'Status', 'Currency', 'Type', 'Order/adjustment ID', 'SKU ID',
  'Quantity', 'Product name', 'SKU name', 'Order created date', 'Order delivery date', 'Total settlement amount', 'Net sales', 'Gross sales',
  'Gross sales refund', 'Seller discount', 'Seller discount refund', 'Shipping', 'TikTok Shop shipping fee',
  'Fulfilled by TikTok Shop (FBT) shipping fee', 'FBT fulfillment fee', 'Customer shipping fee offset', 'Limited-time sign up shipping incentive',
  'Signature confirmation service fee', 'Shipping insurance fee', 'Customer-paid shipping fee', 'Customer-paid shipping fee refund',
  'TikTok Shop shipping incentive', 'TikTok Shop shipping incentive refund', 'Shipping fee subsidy', 'Return shipping fee', 'Fees',
  'Transaction fee', 'Referral fee', 'Refund administration fee', 'Affiliate commission', 'Affiliate partner commission', 'Adjustment amount',
  'Adjustment reason', 'Related order ID', 'Customer payment', 'Customer refund', 'Seller co-funded voucher discount',
  'Seller co-funded voucher discount refund', 'Platform discounts', 'Platform discounts refund', 'Platform co-funded voucher discounts',
  'Platform co-funded voucher discounts refund', 'Ads referral fee discount', 'Sales tax payment', 'Sales tax refund',
  'Retail delivery fee payment', 'Retail delivery fee refund', 'Customer-paid shipping fee before discounts', 'Seller shipping fee discount',
  'TikTok Shop shipping fee discount to customer', 'Estimated chargeable package weight', 'Chargeable package weight',
  'FBT Chargeable goods weight', 'Collection methods', 'Delivery option', 'Signature confirmation service fee type'];
const STATEMENT_NEW_HEADERS = ['Return shipping label fee', 'FBT fulfillment fee reimbursement', 'Affiliate Shop Ads commission',
  'Affiliate Partner shop ads commission', 'TikTok Shop Partner commission', 'Co-funded promotion (seller-funded)', 'Campaign service fee',
  'Smart Promotion fee', 'Marketing benefits package fee', 'Logistics reimbursement', 'GMV deduction for FBT warehouse service fee',
  'TikTok Shop reimbursement'];

const INCOME_HEADERS = ['Order/adjustment ID', 'Type', 'Order created time', 'Order settled time', 'Currency', 'Total settlement amount',
  'Total revenue', 'Subtotal after seller discounts', 'Subtotal before discounts', 'Seller discounts', 'Refund subtotal after seller discounts',
  'Refund subtotal before seller discounts', 'Refund of seller discounts', 'Total fees', 'Transaction fee', 'TikTok Shop commission fee',
  'Seller shipping fee', 'Actual shipping fee', 'Platform shipping fee discount', 'Customer shipping fee', 'Refund customer shipping fee',
  'Actual return shipping fee', 'Shipping fee subsidy', 'Affiliate commission', 'Affiliate partner commission', 'Affiliate Shop Ads commission',
  'Affiliate commission deposit', 'Affiliate commission refund', 'Affiliate Partner shop ads commission', 'GST', 'SFP service fee',
  'Bonus cashback service fee', 'LIVE Specials service fee', 'Voucher Xtra service fee', 'EAMS Program service fee', 'Flash Sale service fee',
  'TikTok PayLater program fee', 'Shipping service fee', 'Campaign resource fee', 'Order processing fee', 'Pre-order service fee',
  'GMV Max Coupon', 'Ajustment amount', 'Related order ID', 'Customer payment', 'Customer refund', 'Seller co-funded voucher discount',
  'Refund of seller co-funded voucher discount', 'Platform discounts', 'Refund of platform discounts', 'Platform co-funded voucher discounts',
  'Refund of platform co-funded voucher discounts', 'Seller shipping fee discount', 'Estimated package weight (g)', 'Actual package weight (g)'];
const WITHDRAWAL_HEADERS = ['Transaction type', 'Reference ID', 'Request time', 'Amount', 'Status', 'Success time', 'Bank account'];

function table(name: string, headers: string[], records: Record<string, string>[], opts: { description?: boolean; title?: string } = {}): ExportSheet {
  for (const r of records) for (const k of Object.keys(r)) if (!headers.includes(k)) throw new Error(`fixture: unknown column ${k}`);
  const rows: string[][] = [];
  if (opts.title !== undefined) rows.push([opts.title]);
  rows.push([...headers]);
  if (opts.description) rows.push(headers.map((h) => `The ${h.toLowerCase()} of this record as shown in Seller Center.`));
  for (const r of records) rows.push(headers.map((h) => r[h] ?? ''));
  return { name, rows };
}

const LA = { currency: 'USD', timezone: 'America/Los_Angeles' };
const MANILA = { currency: 'PHP', timezone: 'Asia/Manila' };

// Unix times, hand-computed: 2025-03-04T00:00Z = 1741046400; LA is UTC-8 until 2025-03-09, UTC-7 after; Manila is UTC+8.
const A_CREATED = 1741124710; // 03/04/2025 1:45:10 PM PST = 21:45:10Z
const A_PAID = 1741124760; // 1:46:00 PM PST
const A_RTS = 1741194000; // 03/05 9:00 AM PST = 17:00Z
const A_SHIPPED = 1741197600; // 03/05 10:00 AM PST
const A_DELIVERED = 1741622400; // 03/10 9:00 AM PDT = 16:00Z
const B_CREATED = 1741190400; // 2025-03-05 08:00 PST = 16:00Z
const B_PAID = 1741190460;
const B_CANCELLED = 1741195800; // 09:30 PST = 17:30Z
const C_CREATED = 1741124448; // Excel 45720.57 = 2025-03-04 13:40:48 PST

const orderA = {
  'Order ID': '576001', 'Order Status': 'Completed', 'Fulfillment Type': 'Fulfillment by seller', 'Buyer Username': 'shopper1',
  'Shipping Fee After Discount': '$4.99', 'Original Shipping Fee': '$5.99', 'Shipping Fee Seller Discount': '$1.00',
  'Shipping Fee Platform Discount': '$0.00', 'Retail Delivery Fee': '0', 'Taxes': '$3.12', 'Order Amount': '$58.09', 'Order Refund Amount': '',
  'Created Time': '03/04/2025 1:45:10 PM', 'Paid Time': '03/04/2025 1:46:00 PM', 'RTS Time': '03/05/2025 9:00:00 AM',
  'Shipped Time': '03/05/2025 10:00:00 AM', 'Delivered Time': '03/10/2025 9:00:00 AM', 'Recipient': 'J. Doe', 'Country': 'United States',
};
const ordersFile = (): ExportSheet[] => [table('OrderSKUList', ORDER_HEADERS, [
  { ...orderA, 'SKU ID': '1001', 'Seller SKU': 'TEE-R-M', 'Product Name': 'Tee', 'Variation': 'Red, M', 'Quantity': '2',
    'SKU Unit Original Price': '$19.99', 'SKU Subtotal Before Discount': '$39.98', 'SKU Platform Discount': '$1.00',
    'SKU Seller Discount': '$4.00', 'SKU Subtotal After Discount': '$34.98' },
  // Order-level amounts repeat, written differently ("4.99" vs "$4.99") but equal.
  { ...orderA, 'Shipping Fee After Discount': '4.99', 'SKU ID': '1002', 'Seller SKU': 'CAP', 'Product Name': 'Cap', 'Variation': '', 'Quantity': '1',
    'SKU Unit Original Price': '15', 'SKU Subtotal Before Discount': '15.00', 'SKU Platform Discount': '0', 'SKU Seller Discount': '0',
    'SKU Subtotal After Discount': '15.00' },
  { 'Order ID': '576002', 'Order Status': 'Cancelled', 'Cancelation/Return Type': 'Cancel', 'SKU ID': '1001', 'Seller SKU': 'TEE-R-M',
    'Product Name': 'Tee', 'Variation': 'Red, M', 'Quantity': '1', 'SKU Subtotal Before Discount': '19.99', 'SKU Subtotal After Discount': '19.99',
    'Shipping Fee After Discount': '0', 'Original Shipping Fee': '0', 'Order Amount': '19.99', 'Order Refund Amount': '$19.99',
    'Created Time': '2025-03-05 08:00:00', 'Paid Time': '2025-03-05 08:01:00', 'Cancelled Time': '2025-03-05 09:30:00', 'Cancel By': 'Buyer',
    'Cancel Reason': 'No longer needed', 'Fulfillment Type': 'Fulfillment by TikTok Shop', 'Buyer Username': 'shopper2' },
  { 'Order ID': '576003', 'Order Status': 'Unpaid', 'SKU ID': '2001', 'Quantity': '10', 'SKU Subtotal Before Discount': '$1,234.50',
    'SKU Subtotal After Discount': '1,234.50', 'Shipping Fee After Discount': '0', 'Order Amount': '$1,234.50', 'Created Time': '45720.57' },
], { description: true })];

describe('US order export', () => {
  test('orders, lines and cancellations, exact amounts and shop-local times; description row skipped', () => {
    const r = importExport('OrderSKUList.csv', ordersFile(), LA);
    expect(r.kind).toBe('orders');
    expect(r.rows).toBe(4);
    expect(r.from).toBe('2025-03-04');
    expect(r.to).toBe('2025-03-05');
    expect(r.data.orders).toEqual([
      { orderId: '576001', buyerId: 'shopper1', status: 'COMPLETED', currency: 'USD', createTime: A_CREATED, updateTime: A_DELIVERED,
        paidTime: A_PAID, cancelTime: null, deliveryTime: A_DELIVERED, fulfillmentType: 'FULFILLMENT_BY_SELLER', isSample: false, sampleCreator: null,
        originalShippingFee: 599, shippingSellerDiscount: 100, shippingPlatformDiscount: 0, shippingFee: 499, tax: 312, totalAmount: 5809 },
      { orderId: '576002', buyerId: 'shopper2', status: 'CANCELLED', currency: 'USD', createTime: B_CREATED, updateTime: B_CANCELLED,
        paidTime: B_PAID, cancelTime: B_CANCELLED, deliveryTime: null, fulfillmentType: 'FULFILLMENT_BY_TIKTOK', isSample: false, sampleCreator: null,
        originalShippingFee: 0, shippingSellerDiscount: 0, shippingPlatformDiscount: 0, shippingFee: 0, tax: 0, totalAmount: 1999 },
      { orderId: '576003', buyerId: 'order:576003', status: 'UNPAID', currency: 'USD', createTime: C_CREATED, updateTime: C_CREATED,
        paidTime: null, cancelTime: null, deliveryTime: null, fulfillmentType: 'FULFILLMENT_BY_SELLER', isSample: false, sampleCreator: null,
        originalShippingFee: 0, shippingSellerDiscount: 0, shippingPlatformDiscount: 0, shippingFee: 0, tax: 0, totalAmount: 123450 },
    ]);
    expect(r.data.lines).toEqual([
      { lineId: '576001-1001', orderId: '576001', skuId: '1001', productId: '1001', sellerSku: 'TEE-R-M', productName: 'Tee', skuName: 'Red, M',
        currency: 'USD', quantity: 2, originalPrice: 3998, sellerDiscount: 400, platformDiscount: 100, salePrice: 3498, cancelled: false },
      { lineId: '576001-1002', orderId: '576001', skuId: '1002', productId: '1002', sellerSku: 'CAP', productName: 'Cap', skuName: '',
        currency: 'USD', quantity: 1, originalPrice: 1500, sellerDiscount: 0, platformDiscount: 0, salePrice: 1500, cancelled: false },
      { lineId: '576002-1001', orderId: '576002', skuId: '1001', productId: '1001', sellerSku: 'TEE-R-M', productName: 'Tee', skuName: 'Red, M',
        currency: 'USD', quantity: 1, originalPrice: 1999, sellerDiscount: 0, platformDiscount: 0, salePrice: 1999, cancelled: true },
      { lineId: '576003-2001', orderId: '576003', skuId: '2001', productId: '2001', sellerSku: '', productName: '', skuName: '',
        currency: 'USD', quantity: 10, originalPrice: 123450, sellerDiscount: 0, platformDiscount: 0, salePrice: 123450, cancelled: false },
    ]);
    expect(r.data.cancellations).toEqual([
      { cancelId: '576002-cancel', orderId: '576002', cancelType: 'CANCEL', status: 'CANCELLATION_REQUEST_COMPLETE', role: 'Buyer',
        reason: 'No longer needed', currency: 'USD', createTime: B_CANCELLED, updateTime: B_CANCELLED, refundTotal: 1999, lineIds: ['576002-1001'] },
    ]);
  });

  test('regional variant: title row, headers re-ordered, other case/punctuation, UK spellings; same SKU twice gets -2', () => {
    const headers = ['order id', 'SKU_ID', 'QUANTITY', 'Order status', 'Cancellation/Return Type', 'Canceled Time', 'Fulfilment Type',
      'sku subtotal before discount', 'SKU Subtotal After Discount', 'Shipping Fee After Discount', 'Order Amount', 'Created Time', 'Buyer Username',
      'Product ID', 'Small Order Fee', 'paid time'];
    const rows = [
      { 'order id': '9', 'SKU_ID': 's1', 'QUANTITY': '1', 'Order status': 'Canceled', 'Cancellation/Return Type': 'Cancel', 'Canceled Time': '2025/03/04 10:00',
        'Fulfilment Type': 'FBT', 'sku subtotal before discount': '10', 'SKU Subtotal After Discount': '10', 'Shipping Fee After Discount': '0',
        'Order Amount': '20', 'Created Time': '2025/03/04 09:00', 'Buyer Username': 'b', 'Product ID': 'P1', 'Small Order Fee': '1',
        'paid time': '2025/03/04 09:01' },
    ];
    const r = importExport('orders.xlsx', [table('Sheet1', headers, [rows[0], { ...rows[0] }], { title: 'Order list export' })], { currency: 'GBP', timezone: 'Europe/London' });
    expect(r.data.lines!.map((l) => [l.lineId, l.productId, l.cancelled])).toEqual([['9-s1', 'P1', true], ['9-s1-2', 'P1', true]]);
    expect(r.data.orders![0]).toMatchObject({ status: 'CANCELLED', fulfillmentType: 'FULFILLMENT_BY_TIKTOK', createTime: 1741078800, cancelTime: 1741082400, currency: 'GBP' });
    expect(r.data.cancellations![0].lineIds).toEqual(['9-s1', '9-s1-2']);
  });

  test('deterministic: the same file twice gives identical records; overlapping files share keys', () => {
    const a = importExport('a.csv', ordersFile(), LA);
    expect(importExport('a.csv', ordersFile(), LA)).toEqual(a);
    const onlyFirstOrder = ordersFile();
    onlyFirstOrder[0].rows = onlyFirstOrder[0].rows.slice(0, 4);
    const b = importExport('b.csv', onlyFirstOrder, LA);
    expect(b.data.orders).toEqual([a.data.orders![0]]);
    expect(b.data.lines).toEqual(a.data.lines!.slice(0, 2));
  });
});

// ------------------------------------------------------------------ US statement

const ST1_DATE = 1741046400; // 2025/03/04 00:00 UTC
const ST2_DATE = 1741132800;
const stmtRows = (): Record<string, string>[] => [
  { 'Statement date (UTC)': '2025/03/04', 'Statement ID': 'ST1', 'Payment ID': 'PAY1', 'Status': 'Paid', 'Currency': 'USD', 'Type': 'Order',
    'Order/adjustment ID': '576001', 'SKU ID': '1001', 'Quantity': '2', 'Total settlement amount': '27.43', 'Net sales': '35.98', 'Gross sales': '39.98',
    'Seller discount': '-4.00', 'Shipping': '-1.00', 'TikTok Shop shipping fee': '-5.99', 'Customer-paid shipping fee': '4.99', 'Fees': '-7.55',
    'Transaction fee': '-1.05', 'Referral fee': '-2.40', 'Affiliate commission': '-3.60', 'Adjustment amount': '0' },
  { 'Statement date (UTC)': '2025/03/04', 'Statement ID': 'ST1', 'Payment ID': 'PAY1', 'Status': 'Paid', 'Currency': 'USD', 'Type': 'Order',
    'Order/adjustment ID': '576001', 'SKU ID': '1002', 'Quantity': '1', 'Total settlement amount': '$13.65', 'Net sales': '15.00', 'Gross sales': '15.00',
    'Shipping': '0', 'Fees': '-1.35', 'Transaction fee': '-0.45', 'Referral fee': '-0.90' },
  { 'Statement date (UTC)': '2025/03/04', 'Statement ID': 'ST1', 'Payment ID': 'PAY1', 'Status': 'Paid', 'Currency': 'USD', 'Type': 'Refund',
    'Order/adjustment ID': '576001', 'SKU ID': '1002', 'Total settlement amount': '-14.28', 'Net sales': '-15.00', 'Gross sales refund': '-15.00',
    'Fees': '0.72', 'Referral fee': '0.90', 'Refund administration fee': '-0.18' },
  { 'Statement date (UTC)': '2025/03/05', 'Statement ID': 'ST2', 'Payment ID': 'PAY2', 'Status': 'Processing', 'Currency': 'USD',
    'Type': 'GMV Payment for TikTok Ads', 'Order/adjustment ID': 'ADJ-1', 'Total settlement amount': '-$50.00', 'Adjustment amount': '-50.00',
    'Adjustment reason': 'GMV Max' },
  { 'Statement date (UTC)': '2025/03/05', 'Statement ID': 'ST2', 'Payment ID': 'PAY2', 'Status': 'Processing', 'Currency': 'USD',
    'Type': 'Logistics reimbursement', 'Order/adjustment ID': 'ADJ-2', 'Related order ID': '576002', 'Total settlement amount': '3.10', 'Adjustment amount': '3.10' },
];
const zeroTx = { adjustmentAmount: 0, subtotalBeforeDiscount: 0, refundSubtotalBeforeDiscount: 0, sellerDiscount: 0, sellerDiscountRefund: 0,
  customerPaidShippingFee: 0, actualShippingFee: 0, revenueAmount: 0, shippingCostAmount: 0, feeTaxAmount: 0, reserveAmount: 0, fees: {} };

describe('US finance statement "Order details"', () => {
  test('old columns: transactions (signs kept) and one statement per Statement ID', () => {
    const sheets = [
      table('Summary', ['Statement period', 'Total'], [{ 'Statement period': 'Mar 4', 'Total': '1' }]),
      table('Order details', STATEMENT_HEADERS, stmtRows()),
    ];
    const r = importExport('statement.xlsx', sheets, LA);
    expect(r.kind).toBe('statement_us');
    expect(r.rows).toBe(5);
    expect([r.from, r.to]).toEqual(['2025-03-03', '2025-03-04']); // 00:00 UTC is the previous evening in Los Angeles
    expect(r.data.transactions).toEqual([
      { ...zeroTx, transactionId: 'ST1:ORDER:576001::1001', statementId: 'ST1', statementTime: ST1_DATE, currency: 'USD', type: 'ORDER',
        orderId: '576001', adjustmentId: null, skuId: '1001', settlementAmount: 2743, revenueAmount: 3598, shippingCostAmount: -100,
        feeTaxAmount: -755, subtotalBeforeDiscount: 3998, sellerDiscount: -400, customerPaidShippingFee: 499, actualShippingFee: -599,
        fees: { transaction_fee_amount: -105, referral_fee_amount: -240, affiliate_commission_amount: -360 } },
      { ...zeroTx, transactionId: 'ST1:ORDER:576001::1002', statementId: 'ST1', statementTime: ST1_DATE, currency: 'USD', type: 'ORDER',
        orderId: '576001', adjustmentId: null, skuId: '1002', settlementAmount: 1365, revenueAmount: 1500, feeTaxAmount: -135,
        subtotalBeforeDiscount: 1500, fees: { transaction_fee_amount: -45, referral_fee_amount: -90 } },
      { ...zeroTx, transactionId: 'ST1:ORDER:576001::1002#2', statementId: 'ST1', statementTime: ST1_DATE, currency: 'USD', type: 'ORDER',
        orderId: '576001', adjustmentId: null, skuId: '1002', settlementAmount: -1428, revenueAmount: -1500, feeTaxAmount: 72,
        refundSubtotalBeforeDiscount: -1500, fees: { referral_fee_amount: 90, refund_administration_fee_amount: -18 } },
      { ...zeroTx, transactionId: 'ST2:GMV_PAYMENT_FOR_ADS::ADJ-1', statementId: 'ST2', statementTime: ST2_DATE, currency: 'USD',
        type: 'GMV_PAYMENT_FOR_ADS', orderId: null, adjustmentId: 'ADJ-1', skuId: null, settlementAmount: -5000, adjustmentAmount: -5000 },
      { ...zeroTx, transactionId: 'ST2:LOGISTICS_REIMBURSEMENT:576002:ADJ-2', statementId: 'ST2', statementTime: ST2_DATE, currency: 'USD',
        type: 'LOGISTICS_REIMBURSEMENT', orderId: '576002', adjustmentId: 'ADJ-2', skuId: null, settlementAmount: 310, adjustmentAmount: 310 },
    ]);
    expect(r.data.statements).toEqual([
      { statementId: 'ST1', statementTime: ST1_DATE, currency: 'USD', settlementAmount: 2680, revenueAmount: 3598, feeAmount: -818,
        adjustmentAmount: 0, shippingCostAmount: -100, netSalesAmount: 3598, paymentStatus: 'PAID', paymentId: 'PAY1' },
      { statementId: 'ST2', statementTime: ST2_DATE, currency: 'USD', settlementAmount: -4690, revenueAmount: 0, feeAmount: 0,
        adjustmentAmount: -4690, shippingCostAmount: 0, netSalesAmount: 0, paymentStatus: 'PROCESSING', paymentId: 'PAY2' },
    ]);
  });

  test('newer columns map to their TikTok fee fields; unmapped newer fee columns stay in the Fees total', () => {
    const row = { ...stmtRows()[0], 'Fees': '-9.05', 'Total settlement amount': '25.93', 'Affiliate Shop Ads commission': '-0.50',
      'Affiliate Partner shop ads commission': '-0.25', 'TikTok Shop Partner commission': '-0.30', 'Co-funded promotion (seller-funded)': '-0.20',
      'Campaign service fee': '-0.25' };
    const r = importExport('new.csv', [table('Order details', [...STATEMENT_HEADERS, ...STATEMENT_NEW_HEADERS], [row])], LA);
    expect(r.data.transactions![0]).toMatchObject({ settlementAmount: 2593, feeTaxAmount: -905, fees: {
      transaction_fee_amount: -105, referral_fee_amount: -240, affiliate_commission_amount: -360, affiliate_ads_commission_amount: -50,
      tap_shop_ads_commission: -25, tsp_commission_amount: -30, cofunded_promotion_service_fee_amount: -20 } });
    expect(Object.keys(r.data.transactions![0].fees)).toHaveLength(7);
  });

  test('notes: no reserve sheet, and fee money the fee columns do not break down', () => {
    const r = importExport('statement.csv', [table('Order details', STATEMENT_HEADERS, stmtRows())], LA);
    // Row 2: Fees -7.55, its fee columns -1.05 - 2.40 - 3.60 = -7.05; rows 3 and 4 are fully broken down.
    expect(r.notes).toEqual([
      'statement.csv has no "Reserve Details" sheet (a CSV export holds "Order details" only), so reserves withheld and released are not imported: the Reconciliation shows them as unexplained until the statement\'s .xlsx is imported.',
      'On 1 row of statement.csv, the fee total is not fully broken down by the fee columns this add-on reads (-0.50 USD in all): that part is counted as other platform fees.',
    ]);
  });

  test('deterministic ids across imports and overlapping files', () => {
    const a = importExport('s.csv', [table('Order details', STATEMENT_HEADERS, stmtRows())], LA);
    expect(importExport('s.csv', [table('Order details', STATEMENT_HEADERS, stmtRows())], LA)).toEqual(a);
    const b = importExport('s2.csv', [table('Order details', STATEMENT_HEADERS, stmtRows().slice(0, 3))], LA);
    expect(b.data.transactions).toEqual(a.data.transactions!.slice(0, 3));
  });
});

// ------------------------------------------------------------------ US statement "Reserve Details"

const RESERVE_HEADERS = ['Statement date (UTC)', 'Statement ID', 'Payment ID', 'Status', 'Currency', 'Reserve ID', 'Reserve amount'];
const reserveRow = (over: Record<string, string> = {}) => ({ 'Statement date (UTC)': '2025/03/04', 'Statement ID': 'ST1', 'Payment ID': 'PAY1',
  'Status': 'Paid', 'Currency': 'USD', 'Reserve ID': 'RSV-1', 'Reserve amount': '-2.68', ...over });
const reserveTx = (over: Record<string, unknown>) => ({ ...zeroTx, settlementAmount: 0, statementId: 'ST1', statementTime: ST1_DATE, currency: 'USD', type: 'RESERVE',
  orderId: null, skuId: null, ...over });
const withReserves = (rows: Record<string, string>[], headers = RESERVE_HEADERS): ExportSheet[] => [
  table('Order details', STATEMENT_HEADERS, stmtRows()), table('Summary', ['Statement ID', 'Total'], []), table('Reserve Details', headers, rows),
];

describe('US statement "Reserve Details" sheet', () => {
  test('reserve moves become RESERVE transactions of their statements; settlement totals do not change', () => {
    const r = importExport('statement.xlsx', withReserves([
      reserveRow(),
      // A release on a statement that has no "Order details" row: dated, paid and identified by this sheet.
      reserveRow({ 'Statement date (UTC)': '2025/03/26', 'Statement ID': 'ST9', 'Payment ID': 'PAY9', 'Reserve ID': 'RSV-1R', 'Reserve amount': '2.68' }),
    ]), LA);
    expect(r.rows).toBe(7);
    expect(r.to).toBe('2025-03-25');
    expect(r.data.transactions!.filter((t) => t.type === 'RESERVE')).toEqual([
      reserveTx({ transactionId: 'ST1:RESERVE::RSV-1', adjustmentId: 'RSV-1', reserveAmount: -268 }),
      reserveTx({ transactionId: 'ST9:RESERVE::RSV-1R', adjustmentId: 'RSV-1R', reserveAmount: 268, statementId: 'ST9', statementTime: 1742947200 }),
    ]);
    const byId = new Map(r.data.statements!.map((s) => [s.statementId, s]));
    expect(byId.get('ST1')!.settlementAmount).toBe(2680);
    expect(byId.get('ST9')).toEqual({ statementId: 'ST9', statementTime: 1742947200, currency: 'USD', settlementAmount: 0, revenueAmount: 0,
      feeAmount: 0, adjustmentAmount: 0, shippingCostAmount: 0, netSalesAmount: 0, paymentStatus: 'PAID', paymentId: 'PAY9' });
    expect(r.notes.filter((n) => /Reserve/.test(n))).toEqual([]);
  });

  test('a "Reserve" row on "Order details" with the same Reserve ID receives the amount (one transaction, not two)', () => {
    const od = [...stmtRows(), { 'Statement date (UTC)': '2025/03/04', 'Statement ID': 'ST1', 'Payment ID': 'PAY1', 'Status': 'Paid',
      'Currency': 'USD', 'Type': 'Reserve', 'Order/adjustment ID': 'RSV-1', 'Total settlement amount': '0' }];
    const r = importExport('statement.xlsx', [table('Order details', STATEMENT_HEADERS, od), table('Reserve Details', RESERVE_HEADERS, [reserveRow()])], LA);
    expect(r.data.transactions!.filter((t) => t.type === 'RESERVE')).toEqual([
      reserveTx({ transactionId: 'ST1:RESERVE::RSV-1', adjustmentId: 'RSV-1', reserveAmount: -268 }),
    ]);
    expect(r.data.statements!.find((s) => s.statementId === 'ST1')!.settlementAmount).toBe(2680);
  });

  test('a sheet named for reserves whose columns are not known is reported, not guessed at', () => {
    const r = importExport('statement.xlsx', withReserves([{ 'Statement ID': 'ST1', 'Held': '-2.68' }], ['Statement ID', 'Held']), LA);
    expect(r.data.transactions!.some((t) => t.type === 'RESERVE')).toBe(false);
    expect(r.notes.slice(0, 2)).toEqual([
      'Sheet "Reserve Details" of statement.xlsx was not read: its header does not have the columns "Statement ID", "Reserve ID", "Reserve amount", so its amounts are not imported.',
      'statement.xlsx has no "Reserve Details" sheet (a CSV export holds "Order details" only), so reserves withheld and released are not imported: the Reconciliation shows them as unexplained until the statement\'s .xlsx is imported.',
    ]);
  });

  test.each<[string, () => unknown, string]>([
    ['a statement on neither sheet, undated',
      () => importExport('s.xlsx', withReserves([reserveRow({ 'Statement ID': 'ST7', 'Statement date (UTC)': '' })]), LA),
      'File "s.xlsx", sheet "Reserve Details", row 2, column "Statement date (UTC)": expected the statement\'s date: statement ST7 has no row on "Order details", so this sheet must date it, found an empty text.'],
    ['a date that disagrees with "Order details"',
      () => importExport('s.xlsx', withReserves([reserveRow({ 'Statement date (UTC)': '2025/03/05' })]), LA),
      'File "s.xlsx", sheet "Reserve Details", row 2, column "Statement date (UTC)": expected the date of statement ST1 on sheet "Order details" (row 2: 2025/03/04), found "2025/03/05".'],
    ['a Payment ID that disagrees with "Order details"',
      () => importExport('s.xlsx', withReserves([reserveRow({ 'Payment ID': 'PAY2' })]), LA),
      'File "s.xlsx", sheet "Reserve Details", row 2, column "Payment ID": expected the Payment ID of statement ST1 on sheet "Order details" (row 2: PAY1), found "PAY2".'],
    ['text where the reserve amount should be',
      () => importExport('s.xlsx', withReserves([reserveRow({ 'Reserve amount': 'held' })]), LA),
      'File "s.xlsx", sheet "Reserve Details", row 2, column "Reserve amount": expected an amount in USD like "12.34", "1,234.56" or "$12.34", found "held".'],
    ['a reserve in another currency',
      () => importExport('s.xlsx', withReserves([reserveRow({ 'Currency': 'EUR' })]), LA),
      'File "s.xlsx", sheet "Reserve Details", row 2, column "Currency": expected the shop currency USD, found "EUR".'],
    ['the reserve sheet alone',
      () => importExport('r.xlsx', [table('Reserve Details', RESERVE_HEADERS, [reserveRow()])], LA),
      'File "r.xlsx" holds only the US statement "Reserve Details" sheet: import the whole statement workbook, whose "Order details" sheet holds the statements these reserves belong to.'],
    ['the reserve sheet next to an order export',
      () => importExport('r.xlsx', [...ordersFile(), table('Reserve Details', RESERVE_HEADERS, [reserveRow()])], LA),
      'File "r.xlsx" holds the US statement "Reserve Details" sheet (sheet "Reserve Details") next to the US order export (OrderSKUList): it belongs with the US finance statement "Order details"; import them separately.'],
  ])('%s', (_name, fn, message) => {
    expect(messageOf(fn)).toBe(message);
  });
});

// ------------------------------------------------------------------ SEA income

const incomeRows = (): Record<string, string>[] => [
  { 'Order/adjustment ID': '580001', 'Type': 'Order', 'Order created time': '2025-03-03 20:00:00', 'Order settled time': '2025-03-04 13:45:10',
    'Currency': 'PHP', 'Total settlement amount': '₱850.00', 'Total revenue': '1,000.00', 'Subtotal before discounts': '1,100.00',
    'Seller discounts': '-100.00', 'Total fees': '-150.00', 'Transaction fee': '-22.40', 'TikTok Shop commission fee': '-67.20',
    'Seller shipping fee': '-40.00', 'Actual shipping fee': '-90.00', 'Customer shipping fee': '50.00', 'Affiliate commission': '-20.40' },
  // Day first: 28/02 proves it for the whole file (a PHP shop's order is not known otherwise).
  { 'Order/adjustment ID': 'ADJ-9', 'Type': 'Platform reimbursement', 'Order created time': '28/02/2025 10:00:00',
    'Order settled time': '05/03/2025 9:00:00 AM', 'Currency': 'PHP',
    'Total settlement amount': '25.00', 'Total revenue': '0', 'Total fees': '0', 'Ajustment amount': '25.00', 'Related order ID': '580001' },
];
const withdrawalRows = [{ 'Transaction type': 'Withdrawal', 'Reference ID': 'W-1', 'Request time': '2025-03-06 10:00:00', 'Amount': '-800.00',
  'Status': 'Successful', 'Success time': '2025-03-06 15:30:00', 'Bank account': '****1234' }];

describe('SEA "Income" export', () => {
  test('transactions, one statement per settled day (Manila), Withdrawal records → payouts', () => {
    const r = importExport('income.xlsx', [
      table('Order details', INCOME_HEADERS, incomeRows()),
      table('Reports', ['Report'], [{ Report: 'x' }]),
      table('Withdrawal records', WITHDRAWAL_HEADERS, withdrawalRows),
    ], MANILA);
    expect(r.kind).toBe('income_sea');
    expect(r.rows).toBe(3);
    expect([r.from, r.to]).toEqual(['2025-03-04', '2025-03-05']);
    expect(r.data.transactions).toEqual([
      { ...zeroTx, transactionId: 'income-2025-03-04:ORDER:580001:', statementId: 'income-2025-03-04', statementTime: 1741067110, // 05:45:10Z
        currency: 'PHP', type: 'ORDER', orderId: '580001', adjustmentId: null, skuId: null, settlementAmount: 85000, revenueAmount: 100000,
        shippingCostAmount: -4000, feeTaxAmount: -11000, subtotalBeforeDiscount: 110000, sellerDiscount: -10000, customerPaidShippingFee: 5000,
        actualShippingFee: -9000, fees: { transaction_fee_amount: -2240, platform_commission_amount: -6720, affiliate_commission_amount: -2040 } },
      { ...zeroTx, transactionId: 'income-2025-03-05:PLATFORM_REIMBURSEMENT:580001:ADJ-9', statementId: 'income-2025-03-05',
        statementTime: 1741136400, // 01:00Z
        currency: 'PHP', type: 'PLATFORM_REIMBURSEMENT', orderId: '580001', adjustmentId: 'ADJ-9', skuId: null, settlementAmount: 2500, adjustmentAmount: 2500 },
    ]);
    expect(r.data.statements).toEqual([
      { statementId: 'income-2025-03-04', statementTime: 1741017600, currency: 'PHP', settlementAmount: 85000, revenueAmount: 100000, feeAmount: -11000,
        adjustmentAmount: 0, shippingCostAmount: -4000, netSalesAmount: 100000, paymentStatus: 'PAID', paymentId: null },
      { statementId: 'income-2025-03-05', statementTime: 1741104000, currency: 'PHP', settlementAmount: 2500, revenueAmount: 0, feeAmount: 0,
        adjustmentAmount: 2500, shippingCostAmount: 0, netSalesAmount: 0, paymentStatus: 'PAID', paymentId: null },
    ]);
    expect(r.data.payouts).toEqual([
      { paymentId: 'W-1', createTime: 1741226400, paidTime: 1741246200, status: 'PAID', currency: 'PHP', amount: 80000, settlementAmount: 80000, reserveAmount: 0 },
    ]);
  });

  test('ID variant columns (Platform commission fee, Payment fee, Dynamic Commission, Adjustment amount)', () => {
    const headers = ['Order/adjustment ID', 'Type', 'Order settled time', 'Currency', 'Total settlement amount', 'Total revenue', 'Total fees',
      'Platform commission fee', 'Payment fee', 'Dynamic Commission', 'Adjustment amount', 'Order Source'];
    const r = importExport('income_id.csv', [table('Order details', headers, [{ 'Order/adjustment ID': '1', 'Type': 'Order',
      'Order settled time': '2025-03-04 10:00:00', 'Currency': 'IDR', 'Total settlement amount': 'Rp90,000', 'Total revenue': '100,000',
      'Total fees': '-10,000', 'Platform commission fee': '-6,000', 'Payment fee': '-3,000', 'Dynamic Commission': '-1,000' }])],
    { currency: 'IDR', timezone: 'Asia/Jakarta' });
    expect(r.data.transactions![0]).toMatchObject({ settlementAmount: 9000000, feeTaxAmount: -1000000, statementTime: 1741057200,
      fees: { platform_commission_amount: -600000, transaction_fee_amount: -300000, dynamic_commission_amount: -100000 } });
    expect(r.data.payouts).toBeUndefined();
  });
});

// ------------------------------------------------------------------ cell parsers

describe('cells', () => {
  const fail = (e: string): never => { throw new Error(e); };
  test.each([
    ['$12.34', 1234], ['12.34', 1234], ['1,234.56', 123456], ['-$1.50', -150], ['$-1.50', -150], ['(2.00)', -200], ['12.34 USD', 1234],
    ['US$7', 700], ['0.10', 10], ['12.300', 1230],
  ])('amount %s', (t, v) => expect(parseMoneyCell(t, 'USD', fail)).toBe(v));
  test.each([
    ['2025-03-04 13:45:10', A_CREATED], ['03/04/2025 1:45:10 PM', A_CREATED], ['3/4/2025 13:45:10', A_CREATED], ['2025/03/04', 1741075200],
    ['45720.57', C_CREATED], ['03/10/2025 9:00:00 AM', A_DELIVERED], ['12/31/2024 12:00:00 AM', 1735632000],
  ])('time %s (Los Angeles)', (t, v) => expect(parseTimeCell(t, 'America/Los_Angeles', 'MDY')).toBe(v));
  test.each(['2025-02-30', '13/04/2025', '2025-03-04 25:00', 'yesterday', '03/04/2025 13:00 PM'])('not a time: %s', (t) => expect(parseTimeCell(t, 'UTC', 'MDY')).toBeNull());
  test.each<[string, number]>([
    ['23/09/2026 16:06:19', Date.UTC(2026, 8, 23, 16, 6, 19) / 1000], ['05/10/2026', Date.UTC(2026, 9, 5) / 1000],
    ['05-10-2026 08:30', Date.UTC(2026, 9, 5, 8, 30) / 1000], ['05.10.2026 08:30:00', Date.UTC(2026, 9, 5, 8, 30) / 1000],
    ['2024/04/23', Date.UTC(2024, 3, 23) / 1000],
  ])('day first: %s (UTC)', (t, v) => expect(parseTimeCell(t, 'UTC', 'DMY')).toBe(v));
  test('a fixed offset from a header: 2025-03-04 10:00 at UTC+7 is 03:00Z', () =>
    expect(parseTimeCell('2025-03-04 10:00', { offsetMinutes: 420 }, null)).toBe(Date.UTC(2025, 2, 4, 3) / 1000));
  test.each(['05/10/2026', '23/09/2569 10:00'])('not read without a file order, or beyond the Common Era: %s', (t) =>
    expect(parseTimeCell(t, 'UTC', t.includes('2569') ? 'DMY' : null)).toBeNull());
});

// ------------------------------------------------------------------ broken files

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    return (e as Error).message;
  }
  throw new Error('expected an ImportError');
}

function withOrderCell(row: number, column: string, value: string): ExportSheet[] {
  const f = ordersFile();
  f[0].rows[row - 1][ORDER_HEADERS.indexOf(column)] = value;
  return f;
}
function withStatementCell(row: number, column: string, value: string): ExportSheet[] {
  const s = table('Order details', STATEMENT_HEADERS, stmtRows());
  s.rows[row - 1][STATEMENT_HEADERS.indexOf(column)] = value;
  return [s];
}

describe('broken files: exact messages', () => {
  test.each<[string, () => unknown, string]>([
    ['unrecognised file, closest match with its missing columns',
      () => importExport('x.csv', [table('Sheet1', ['Order ID', 'Order Status', 'Created Time', 'Buyer Username'], [])], LA),
      'File "x.csv" is not a Seller Center export this add-on reads. Looked for: the US finance statement "Order details"; the SEA "Income" export; the unsettled orders export (TikTok\'s estimates); the US order export (OrderSKUList); the SEA "Withdrawal records" sheet. Nearest: the US order export (OrderSKUList) (sheet "Sheet1", header row 1), which also needs the columns "SKU ID", "Quantity", "SKU Subtotal Before Discount", "SKU Subtotal After Discount", "Shipping Fee After Discount", "Order Amount", "Paid Time".'],
    ['nothing resembling an export',
      () => importExport('notes.csv', [{ name: 'Sheet1', rows: [['hello', 'world']] }], LA),
      'File "notes.csv" is not a Seller Center export this add-on reads. Looked for: the US finance statement "Order details"; the SEA "Income" export; the unsettled orders export (TikTok\'s estimates); the US order export (OrderSKUList); the SEA "Withdrawal records" sheet. No sheet has any of their columns.'],
    ['missing required columns, all listed',
      () => importExport('o.csv', [table('OrderSKUList', ORDER_HEADERS.filter((h) => !['Order Amount', 'Created Time', 'Buyer Username'].includes(h)), [])], LA),
      'File "o.csv", sheet "OrderSKUList", row 1: this looks like the US order export (OrderSKUList) but is missing required columns "Order Amount", "Created Time".'],
    ['bad number',
      () => importExport('o.csv', withOrderCell(3, 'SKU Subtotal Before Discount', '39,98'), LA),
      'File "o.csv", sheet "OrderSKUList", row 3, column "SKU Subtotal Before Discount": expected an amount in USD like "12.34", "1,234.56" or "$12.34", found "39,98".'],
    ['too many decimals',
      () => importExport('o.csv', withOrderCell(4, 'SKU Subtotal After Discount', '15.005'), LA),
      'File "o.csv", sheet "OrderSKUList", row 4, column "SKU Subtotal After Discount": expected at most 2 decimal places for USD, found "15.005".'],
    ['bad date',
      () => importExport('o.csv', withOrderCell(5, 'Created Time', '2025-02-30 08:00:00'), LA),
      'File "o.csv", sheet "OrderSKUList", row 5, column "Created Time": expected a date and time like "2025-03-04 13:45:10", "03/04/2025 1:45:10 PM", "2025/03/04" or an Excel serial like "45720.57", found "2025-02-30 08:00:00".'],
    ['negative quantity',
      () => importExport('o.csv', withOrderCell(3, 'Quantity', '-2'), LA),
      'File "o.csv", sheet "OrderSKUList", row 3, column "Quantity": expected a quantity that is not negative, found "-2".'],
    ['zero quantity',
      () => importExport('o.csv', withOrderCell(3, 'Quantity', '0'), LA),
      'File "o.csv", sheet "OrderSKUList", row 3, column "Quantity": expected a whole number of at least 1, found "0".'],
    ['currency symbol of another currency',
      () => importExport('o.csv', withOrderCell(3, 'Taxes', '₱3.12'), LA),
      'File "o.csv", sheet "OrderSKUList", row 3, column "Taxes": expected an amount in the shop currency USD (₱ is the symbol of PHP), found "₱3.12".'],
    ['order-level amounts that disagree',
      () => importExport('o.csv', withOrderCell(4, 'Order Amount', '$58.90'), LA),
      'File "o.csv", sheet "OrderSKUList", rows 3 and 4 (order 576001), column "Order Amount": an order-level value repeats on every SKU row of the order and must agree, found "$58.09" on row 3 and "$58.90" on row 4.'],
    ['missing order id',
      () => importExport('o.csv', withOrderCell(6, 'Order ID', ''), LA),
      'File "o.csv", sheet "OrderSKUList", row 6, column "Order ID": expected an order ID, found an empty text.'],
    ['unknown statement Type',
      () => importExport('s.csv', withStatementCell(4, 'Type', 'Mystery bonus'), LA),
      'File "s.csv", sheet "Order details", row 4, column "Type": expected a known statement type (Order, Refund, GMV Payment for TikTok Ads, Platform reimbursement, Logistics reimbursement, Shipping insurance compensation, Other adjustment, Additional Campaign Package, Reserve, Sample shipping fee, Co-funded creator rewards, Chargeback, Shipping fee adjustment, FBT warehouse service fee, Platform penalty, Rebate), found "Mystery bonus".'],
    ['statement in another currency',
      () => importExport('s.csv', withStatementCell(2, 'Currency', 'GBP'), LA),
      'File "s.csv", sheet "Order details", row 2, column "Currency": expected the shop currency USD, found "GBP".'],
    ['statement settlement missing',
      () => importExport('s.csv', withStatementCell(3, 'Total settlement amount', ''), LA),
      'File "s.csv", sheet "Order details", row 3, column "Total settlement amount": expected an amount in USD, found an empty text.'],
    ['rows of one statement with two dates',
      () => importExport('s.csv', withStatementCell(3, 'Statement date (UTC)', '2025/03/05'), LA),
      'File "s.csv", sheet "Order details", row 3, column "Statement date (UTC)": expected the same date as row 2 of statement ST1 (2025/03/04), found "2025/03/05".'],
    ['SEA withdrawal of an unknown kind',
      () => importExport('i.xlsx', [table('Order details', INCOME_HEADERS, incomeRows()), table('Withdrawal records', WITHDRAWAL_HEADERS,
        [{ ...withdrawalRows[0], 'Transaction type': 'Top up' }])], MANILA),
      'File "i.xlsx", sheet "Withdrawal records", row 2, column "Transaction type": expected a withdrawal ("Withdrawal"), found "Top up".'],
    ['two kinds in one file',
      () => importExport('mix.xlsx', [...ordersFile(), table('Order details', STATEMENT_HEADERS, stmtRows())], LA),
      'File "mix.xlsx" holds the US order export (OrderSKUList) (sheet "OrderSKUList") and the US finance statement "Order details" (sheet "Order details"): import them as separate files.'],
  ])('%s', (_name, fn, message) => {
    expect(messageOf(fn)).toBe(message);
  });
});
