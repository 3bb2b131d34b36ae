import { generateShop } from '../../dev/generator/shop';
import type { ShopData } from '../../src/core/records';
import {
  AD_SPEND_TAB, CANCELLATIONS_TAB, CREATOR_ORDERS_TAB, DATA_TABS, ORDERS_TAB, ORDER_LINES_TAB, PAYOUTS_TAB,
  PRODUCTS_TAB, PRODUCT_PERFORMANCE_TAB, RETURNS_TAB, SETTLEMENTS_TAB, SHOP_PERFORMANCE_TAB, STATEMENTS_TAB,
  TabRowError, UNSETTLED_TAB, feeHeader, normalizeHeader, returnsToRows, rowsToReturns, type TabDef,
} from '../../src/sheets/tabs';
import { readTab, upsert } from '../../src/sheets/table';
import { MemoryGateway } from './memory-gateway';

const shop = generateShop({ seed: 1, days: 10, ordersPerDay: 50 });
const data: ShopData = shop.data;

/** The latest estimate per order (the tab keeps one row per order, the newest fetch). */
function latestPerOrder<T extends { orderId: string; fetchedTime: number }>(list: readonly T[]): T[] {
  const m = new Map<string, T>();
  for (const e of list) {
    const prev = m.get(e.orderId);
    if (!prev || prev.fetchedTime <= e.fetchedTime) m.set(e.orderId, e);
  }
  return [...m.values()];
}

/** Every data tab with its generator records. */
const CASES: [TabDef<any>, unknown[]][] = [
  [ORDERS_TAB, data.orders],
  [ORDER_LINES_TAB, data.lines],
  [SETTLEMENTS_TAB, data.transactions],
  [STATEMENTS_TAB, data.statements],
  [PAYOUTS_TAB, data.payouts],
  [RETURNS_TAB, returnsToRows(data.returns)],
  [CANCELLATIONS_TAB, data.cancellations],
  [CREATOR_ORDERS_TAB, data.creatorOrders],
  [AD_SPEND_TAB, data.adSpend],
  [PRODUCTS_TAB, data.products],
  [UNSETTLED_TAB, latestPerOrder(data.unsettled)],
  [SHOP_PERFORMANCE_TAB, data.shopPerformance],
  [PRODUCT_PERFORMANCE_TAB, data.productPerformance],
];

test('every data tab is covered and has data to test with', () => {
  expect(CASES.map(([d]) => d.tab).sort()).toEqual(DATA_TABS.map((d) => d.tab).sort());
  for (const [def, recs] of CASES) expect([def.tab, recs.length > 0]).toEqual([def.tab, true]);
});

const LEADING_HEADERS: Record<string, string[]> = {
  'Ad spend': ['Advertiser ID', 'Date'],
  'Cancellations': ['Cancellation ID', 'Order ID'],
  'Creator orders': ['Order ID', 'SKU ID'],
  'Order lines': ['Line ID', 'Order ID'],
  'Orders': ['Order ID', 'Buyer ID'],
  'Payouts': ['Payment ID', 'Created (Unix time)'],
  'Product performance': ['Product ID', 'Date'],
  'Products': ['Product ID', 'SKU ID'],
  'Returns': ['Return ID', 'Line'],
  'Settlements': ['Transaction ID', 'Statement ID'],
  'Shop performance': ['Date', 'Currency'],
  'Statements': ['Statement ID', 'Statement time (Unix time)'],
  'Unsettled estimates': ['Order ID', 'Currency'],
};

describe.each(CASES.map(([d, r]) => [d.tab, d, r] as const))('%s tab', (_name, def, records) => {
  test('record → row → record is exact', () => {
    records.forEach((r, i) => {
      const row = def.toRow(r);
      expect(row).toHaveLength(def.headers.length);
      for (const cell of row) expect(['string', 'number', 'boolean']).toContain(typeof cell);
      expect(def.fromRow(row, i + 2)).toEqual(r);
    });
  });

  test('keys are unique over the generated shop', () => {
    expect(new Set(records.map((r) => def.key(r))).size).toBe(records.length);
  });

  test('through the (Sheets-like) gateway: upsert then read gives the records back', () => {
    const gw = new MemoryGateway();
    upsert(gw, def, records);
    const back = readTab(gw, def);
    expect(back.invalid).toEqual([]);
    expect(back.records).toEqual(records);
    expect(gw.formulas).toEqual([]);
  });

  test('headers are unique and stable text', () => {
    expect(new Set(def.headers.map(normalizeHeader)).size).toBe(def.headers.length);
    // The leading headers are what users and their formulas look up: a rename breaks workbooks.
    expect(def.headers.slice(0, 2)).toEqual(LEADING_HEADERS[def.tab]);
  });
});

test('unsettled estimates: several fetches of one order keep the newest, in one row', () => {
  const gw = new MemoryGateway();
  const r = upsert(gw, UNSETTLED_TAB, data.unsettled);
  const latest = latestPerOrder(data.unsettled);
  expect(data.unsettled.length).toBeGreaterThan(latest.length);
  expect(r.inserted).toBe(latest.length);
  expect(readTab(gw, UNSETTLED_TAB).records).toEqual(latest);
});

test('headers are the documented text (stable: users and formulas depend on them)', () => {
  expect(ORDERS_TAB.headers.slice(0, 6)).toEqual(['Order ID', 'Buyer ID', 'Status', 'Currency', 'Created (Unix time)', 'Updated (Unix time)']);
  expect(RETURNS_TAB.headers.slice(0, 3)).toEqual(['Return ID', 'Line', 'Order ID']);
  expect(SETTLEMENTS_TAB.headers).toContain('Referral fee');
  expect(DATA_TABS.map((d) => d.tab)).toEqual([
    'Orders', 'Order lines', 'Settlements', 'Statements', 'Payouts', 'Returns', 'Cancellations', 'Creator orders',
    'Ad spend', 'Products', 'Unsettled estimates', 'Shop performance', 'Product performance',
  ]);
});

test('returns: one row per return line, the return repeated, grouped back exactly', () => {
  const rows = returnsToRows(data.returns);
  expect(rowsToReturns(rows)).toEqual(data.returns);
  const two = { ...data.returns[0], returnId: 'R2', lines: [data.returns[0].lines[0], { ...data.returns[0].lines[0], skuId: 'S2', lineId: 'L2' }] };
  const none = { ...data.returns[0], returnId: 'R0', lines: [] };
  const r2 = returnsToRows([two, none]);
  expect(r2.map((r) => [r.returnId, r.lineNo])).toEqual([['R2', 1], ['R2', 2], ['R0', 0]]);
  expect(rowsToReturns(r2.map((r, i) => RETURNS_TAB.fromRow(RETURNS_TAB.toRow(r), i + 2)))).toEqual([two, none]);
  // A return whose repeated fields disagree between its rows is refused, naming the row.
  const bad = [r2[0], { ...r2[1], status: 'AWAITING_BUYER_SHIP' as const }];
  expect(() => rowsToReturns(bad, [5, 6])).toThrow('Returns tab, row 6, column "Status": expected the same value on every line of return R2');
});

describe('row errors name tab, row, column, expectation and value', () => {
  const order = data.orders[0];
  const cell = (header: string, value: unknown) => {
    const row: unknown[] = ORDERS_TAB.toRow(order);
    row[ORDERS_TAB.headers.indexOf(header)] = value;
    return () => ORDERS_TAB.fromRow(row, 17);
  };
  test.each([
    ['Shipping fee', 'abc', 'Orders tab, row 17, column "Shipping fee": expected an amount in USD, got "abc"'],
    ['Shipping fee', 1.234, 'Orders tab, row 17, column "Shipping fee": expected at most 2 decimal places for USD, got 1.234'],
    ['Shipping fee', '', 'Orders tab, row 17, column "Shipping fee": expected an amount in USD, got an empty cell'],
    ['Shipping fee', -1, 'Orders tab, row 17, column "Shipping fee": expected a value of at least 0, got -1'],
    ['Status', 'SHIPPED', 'Orders tab, row 17, column "Status": expected one of UNPAID'],
    ['Currency', 'XXX', 'Orders tab, row 17, column "Currency": expected a known ISO 4217 currency code such as USD, got "XXX"'],
    ['Order ID', '', 'Orders tab, row 17, column "Order ID": expected a non-empty text, got an empty cell'],
    ['Order ID', 576900000000000001, 'Orders tab, row 17, column "Order ID": expected a text (this number is too long'],
    ['Created (Unix time)', 'yesterday', 'Orders tab, row 17, column "Created (Unix time)": expected a whole number, got "yesterday"'],
    ['Sample order', 'maybe', 'Orders tab, row 17, column "Sample order": expected TRUE or FALSE, got "maybe"'],
  ])('%s = %p', (header, value, message) => {
    expect(cell(header, value)).toThrow(TabRowError);
    expect(cell(header, value)).toThrow(message);
  });

  test('an order kept with a status the add-on does not know: "Status as sent" round-trips; blank reads as absent', () => {
    const odd = { ...order, status: 'DELIVERED' as const, statusSent: 'AWAITING_PICKUP_CONFIRMATION' };
    const row: unknown[] = ORDERS_TAB.toRow(odd);
    expect(row[ORDERS_TAB.headers.indexOf('Status as sent')]).toBe('AWAITING_PICKUP_CONFIRMATION');
    expect(ORDERS_TAB.fromRow(row, 3)).toEqual(odd);
    const plain: unknown[] = ORDERS_TAB.toRow(order);
    expect(plain[ORDERS_TAB.headers.indexOf('Status as sent')]).toBe('');
    expect('statusSent' in (ORDERS_TAB.fromRow(plain, 3) as object)).toBe(false);
    expect(ORDERS_TAB.baseHeaders).not.toContain('Status as sent');
  });

  test('cells as a user types them are accepted', () => {
    const row: unknown[] = ORDERS_TAB.toRow(order);
    row[ORDERS_TAB.headers.indexOf('Shipping fee')] = ' 0.00 ';
    row[ORDERS_TAB.headers.indexOf('Sample order')] = 'false';
    row[ORDERS_TAB.headers.indexOf('Buyer ID')] = Number(order.buyerId) <= Number.MAX_SAFE_INTEGER ? Number(order.buyerId) : order.buyerId;
    expect(ORDERS_TAB.fromRow(row, 3)).toEqual(order);
    const ad = data.adSpend[0];
    const adRow: unknown[] = AD_SPEND_TAB.toRow(ad);
    const [y, m, d] = ad.date.split('-').map(Number);
    adRow[AD_SPEND_TAB.headers.indexOf('Date')] = new Date(y, m - 1, d);
    expect(AD_SPEND_TAB.fromRow(adRow, 3)).toEqual(ad);
  });
});

test('fee breakdown: one column per known fee field; empty = absent, 0 = present', () => {
  expect(feeHeader('referral_fee_amount')).toBe('Referral fee');
  expect(feeHeader('vat_amount')).toBe('VAT');
  expect(feeHeader('affiliate_commission_deposit')).toBe('Affiliate commission deposit');
  const t = { ...data.transactions[0], fees: { referral_fee_amount: 0, vat_amount: -123 } };
  const row = SETTLEMENTS_TAB.toRow(t);
  expect(row[SETTLEMENTS_TAB.headers.indexOf('Referral fee')]).toBe(0);
  expect(row[SETTLEMENTS_TAB.headers.indexOf('VAT')]).toBe(-1.23);
  expect(row[SETTLEMENTS_TAB.headers.indexOf('Transaction fee')]).toBe('');
  expect(SETTLEMENTS_TAB.fromRow(row, 2)).toEqual(t);
});

test('unclassified fee fields: one cell of "name: amount" pairs, sorted; read back exactly; a bad pair is refused', () => {
  const t = { ...data.transactions[0], currency: 'USD', unclassifiedFees: { zeta_fee_amount: -5, brand_new_fee_amount: -1234 } };
  const row = SETTLEMENTS_TAB.toRow(t);
  const i = SETTLEMENTS_TAB.headers.indexOf('Unclassified fee fields');
  expect(row[i]).toBe('brand_new_fee_amount: -12.34; zeta_fee_amount: -0.05');
  expect(SETTLEMENTS_TAB.fromRow(row, 2)).toEqual(t);
  const none = { ...data.transactions[0] };
  delete none.unclassifiedFees;
  expect(SETTLEMENTS_TAB.toRow(none)[i]).toBe('');
  expect(SETTLEMENTS_TAB.fromRow(SETTLEMENTS_TAB.toRow(none), 2)).toEqual(none);
  const bad = [...row];
  bad[i] = 'brand_new_fee_amount: -12.345';
  expect(() => SETTLEMENTS_TAB.fromRow(bad, 7)).toThrow(/Unclassified fee fields/);
});
