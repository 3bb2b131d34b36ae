/**
 * Upsert over a gateway that reads parts of a tab (key columns, then the rows from the first one
 * the records touch) must leave every tab exactly as a whole-tab read does: the whole of
 * table.test.ts runs again here with PartialMemoryGateway in place of MemoryGateway. Then the
 * point of it: what a backfill chunk and an incremental update read.
 */
import { generateShop } from '../../dev/generator/shop';
import { ORDERS_TAB, RETURNS_TAB, returnsToRows } from '../../src/sheets/tabs';
import { upsert } from '../../src/sheets/table';
import { MemoryGateway, PartialMemoryGateway } from './memory-gateway';

jest.mock('./memory-gateway', () => {
  const actual = jest.requireActual('./memory-gateway');
  return { ...actual, MemoryGateway: actual.PartialMemoryGateway, WholeMemoryGateway: actual.MemoryGateway };
});

// Every scenario of the whole-tab tests, over partial reads.
require('./table.test');

describe('partial reads: what upsert reads of a large tab', () => {
  const { data } = generateShop({ seed: 3, days: 20, ordersPerDay: 50 });
  const orders = data.orders;
  const width = ORDERS_TAB.baseHeaders.length;
  const Whole = (jest.requireMock('./memory-gateway') as { WholeMemoryGateway: typeof MemoryGateway }).WholeMemoryGateway;

  test('appending reads the key column only; updating recent rows reads the key column and those rows', () => {
    const gw = new PartialMemoryGateway();
    const half = Math.floor(orders.length / 2);
    upsert(gw, ORDERS_TAB, orders.slice(0, half));
    gw.cellsRead = 0;
    upsert(gw, ORDERS_TAB, orders.slice(half));
    // Header + the Order ID column of the rows already there; no body row read in full.
    expect(gw.partial.rowsFrom).toBe(0);
    expect(gw.cellsRead).toBe(width + half);
    // Ten recent orders change: the key and version columns, then the last ten rows.
    gw.cellsRead = 0;
    const recent = orders.slice(-10).map((o) => ({ ...o, status: 'COMPLETED' as const, updateTime: o.updateTime + 86400 }));
    const r = upsert(gw, ORDERS_TAB, recent);
    expect(r).toMatchObject({ updated: 10, inserted: 0 });
    expect(gw.cellsRead).toBe(width + orders.length + 10 * width); // the Order ID column, then the last 10 rows
    // And the tab is what a whole-tab read would have made.
    const whole = new Whole();
    upsert(whole, ORDERS_TAB, orders.slice(0, half));
    upsert(whole, ORDERS_TAB, orders.slice(half));
    upsert(whole, ORDERS_TAB, recent);
    expect(gw.grids.get('Orders')).toEqual(whole.grids.get('Orders'));
  });

  test('a return replaced without one of its lines: the rows of its group are read and the line is removed', () => {
    const ret = data.returns.find((x) => x.lines.length >= 2)!;
    const gw = new PartialMemoryGateway();
    upsert(gw, RETURNS_TAB, returnsToRows(data.returns));
    const shorter = { ...ret, updateTime: ret.updateTime + 60, lines: ret.lines.slice(1) };
    const r = upsert(gw, RETURNS_TAB, returnsToRows([shorter]));
    expect(r.removed).toBe(1);
    const whole = new Whole();
    upsert(whole, RETURNS_TAB, returnsToRows(data.returns));
    upsert(whole, RETURNS_TAB, returnsToRows([shorter]));
    expect(gw.grids.get('Returns')).toEqual(whole.grids.get('Returns'));
  });
});
