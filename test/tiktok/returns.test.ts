import { fetchCancellations, fetchReturns, mapCancellation, mapReturn } from '../../src/tiktok/returns';
import { TikTokShopClient } from '../../src/tiktok/request';
import type { Cancellation, Return } from '../../src/core/records';
import { DataError } from '../../src/core/errors';
import { FakeClock, FakeRandom, FakeTransport, nodeHmac, ok, parseUrl } from './fakes';

function client(transport: FakeTransport) {
  return new TikTokShopClient({ appKey: 'ak', appSecret: 'sec', shopCipher: 'CIPH' }, {
    transport, clock: new FakeClock(), random: new FakeRandom(), hmac: nodeHmac, tokens: { accessToken: () => 't', refreshExpired: () => 't' },
  });
}

function apiReturn(id: string, over: Record<string, unknown> = {}) {
  return {
    return_id: id, order_id: 'o1', return_type: 'RETURN_AND_REFUND', return_status: 'RETURN_OR_REFUND_REQUEST_COMPLETE', role: 'BUYER',
    create_time: 1700000000, update_time: 1700090000, future: { x: 1 },
    refund_amount: { currency: 'USD', refund_total: '20.49', refund_subtotal: '15.50', refund_shipping_fee: '4.99', refund_tax: '0' },
    discount_amount: [
      { product_seller_discount: '2.00', product_platform_discount: '1.00', shipping_fee_seller_discount: '0', shipping_fee_platform_discount: '0' },
      { product_seller_discount: '0.50', product_platform_discount: '0' },
    ],
    return_line_items: [
      { order_line_item_id: 'l1', sku_id: 'sku-a', seller_sku: 'A', refund_amount: { currency: 'USD', refund_subtotal: '8.00' } },
      { order_line_item_id: 'l2', sku_id: 'sku-b', refund_amount: { currency: 'USD', refund_subtotal: '7.50' }, discount_amount: { product_seller_discount: '1.25', product_platform_discount: '0.25' } },
    ],
    ...over,
  };
}

describe('returns mapping', () => {
  test('refundedOriginal = refund_subtotal + seller + platform product discounts (line entry, else return-level by index)', () => {
    expect(mapReturn(apiReturn('r1'))).toEqual({
      returnId: 'r1', orderId: 'o1', returnType: 'RETURN_AND_REFUND', status: 'RETURN_OR_REFUND_REQUEST_COMPLETE', currency: 'USD',
      createTime: 1700000000, updateTime: 1700090000, refundShipping: 499,
      lines: [
        { lineId: 'l1', skuId: 'sku-a', quantity: 1, refundedOriginal: 800 + 200 + 100, refundedSellerDiscount: 200 },
        { lineId: 'l2', skuId: 'sku-b', quantity: 1, refundedOriginal: 750 + 125 + 25, refundedSellerDiscount: 125 },
      ],
    } satisfies Return);
  });

  // Real returns carry ONE return-level discount entry for two lines (issue 13): it is shared over the
  // lines by their refund subtotal, exactly; before, the first line took all of it.
  test('one return-level discount entry for two lines is shared by refund subtotal, to the cent', () => {
    const r = mapReturn(apiReturn('r-real', {
      refund_amount: { currency: 'USD', refund_total: '30.00', refund_subtotal: '30.00' },
      discount_amount: [{ product_seller_discount: '1.00', product_platform_discount: '0.05', shipping_fee_seller_discount: '0', shipping_fee_platform_discount: '0' }],
      return_line_items: [
        { order_line_item_id: 'l1', sku_id: 'sku-a', refund_amount: { currency: 'USD', refund_subtotal: '10.00' } },
        { order_line_item_id: 'l2', sku_id: 'sku-b', refund_amount: { currency: 'USD', refund_subtotal: '20.00' } },
      ],
    }));
    // seller 100 × 10/30 = 33.33…, × 20/30 = 66.66… → 33 and 67 (the larger remainder takes the cent);
    // platform 5 × 1/3 = 1.66…, × 2/3 = 3.33… → 2 and 3.
    expect(r.lines).toEqual([
      { lineId: 'l1', skuId: 'sku-a', quantity: 1, refundedOriginal: 1000 + 33 + 2, refundedSellerDiscount: 33 },
      { lineId: 'l2', skuId: 'sku-b', quantity: 1, refundedOriginal: 2000 + 67 + 3, refundedSellerDiscount: 67 },
    ]);
    const seller = r.lines.reduce((a, l) => a + l.refundedSellerDiscount, 0);
    const all = r.lines.reduce((a, l) => a + l.refundedOriginal, 0);
    expect([seller, all]).toEqual([100, 3000 + 105]);
  });

  test('a line with its own discount keeps it; the return-level entry is shared over the others only', () => {
    const r = mapReturn(apiReturn('r-mixed', {
      discount_amount: [{ product_seller_discount: '0.90', product_platform_discount: '0' }],
      return_line_items: [
        { order_line_item_id: 'l1', refund_amount: { currency: 'USD', refund_subtotal: '1.00' } },
        { order_line_item_id: 'l2', refund_amount: { currency: 'USD', refund_subtotal: '7.00' }, discount_amount: { product_seller_discount: '0.10' } },
        { order_line_item_id: 'l3', refund_amount: { currency: 'USD', refund_subtotal: '2.00' } },
      ],
    }));
    expect(r.lines.map((l) => l.refundedSellerDiscount)).toEqual([30, 10, 60]);
  });

  test('a discount that no line refund can carry is refused, naming the return and the field', () => {
    expect(() => mapReturn(apiReturn('r-zero', {
      refund_amount: { currency: 'USD', refund_subtotal: '0' },
      discount_amount: [{ product_seller_discount: '1.00' }],
      return_line_items: [
        { order_line_item_id: 'l1', refund_amount: { currency: 'USD', refund_subtotal: '0' } },
        { order_line_item_id: 'l2', refund_amount: { currency: 'USD', refund_subtotal: '0' } },
      ],
    }))).toThrow(/return \(POST \/return_refund\/202309\/returns\/search\) r-zero: field "discount_amount".*1 entry for 2 lines, every line refund 0/);
  });

  test('REFUND: quantity 0; REPLACEMENT: quantity 1; no discount entry → 0', () => {
    const r = mapReturn(apiReturn('r2', { return_type: 'REFUND', discount_amount: undefined }));
    expect(r.lines.map((l) => [l.quantity, l.refundedOriginal, l.refundedSellerDiscount])).toEqual([[0, 800, 0], [0, 750 + 150, 125]]);
    expect(mapReturn(apiReturn('r3', { return_type: 'REPLACEMENT' })).lines.every((l) => l.quantity === 1)).toBe(true);
  });

  test('a single line without its own refund takes the return-level subtotal; several lines cannot be split → DataError', () => {
    const one = mapReturn(apiReturn('r4', { return_line_items: [{ order_line_item_id: 'l1', sku_id: 'sku-a' }] }));
    // Two return-level entries for one line: both go back with it (2.00 + 0.50 seller, 1.00 platform), none is dropped.
    expect(one.lines).toEqual([{ lineId: 'l1', skuId: 'sku-a', quantity: 1, refundedOriginal: 1550 + 250 + 100, refundedSellerDiscount: 250 }]);
    expect(() => mapReturn(apiReturn('r5', { return_line_items: [{ order_line_item_id: 'l1' }, { order_line_item_id: 'l2' }] })))
      .toThrow(/return \(POST \/return_refund\/202309\/returns\/search\) r5: field "return_line_items.0.refund_amount.refund_subtotal"/);
  });

  test('partial refund → one order-level line (also beside line items: subtotal = lines + partial); without either → subtotal line or none', () => {
    const p = mapReturn(apiReturn('r6', { return_type: 'REFUND', return_line_items: [], partial_refund: { amount: '3.00', currency: 'USD' } }));
    expect(p.lines).toEqual([{ lineId: null, skuId: '', quantity: 0, refundedOriginal: 300, refundedSellerDiscount: 0 }]);
    const s = mapReturn(apiReturn('r7', { return_type: 'REFUND', return_line_items: undefined }));
    expect(s.lines).toEqual([{ lineId: null, skuId: '', quantity: 0, refundedOriginal: 1550 + 250 + 100, refundedSellerDiscount: 250 }]);
    const both = mapReturn(apiReturn('r7b', { refund_amount: { currency: 'USD', refund_subtotal: '10.00' }, discount_amount: undefined, return_line_items: [{ order_line_item_id: 'l1', sku_id: 'sku-a' }], partial_refund: { amount: '2.00', currency: 'USD' } }));
    expect(both.lines).toEqual([
      { lineId: 'l1', skuId: 'sku-a', quantity: 1, refundedOriginal: 800, refundedSellerDiscount: 0 },
      { lineId: null, skuId: '', quantity: 0, refundedOriginal: 200, refundedSellerDiscount: 0 },
    ]);
    const none = mapReturn(apiReturn('r8', { return_type: 'REPLACEMENT', refund_amount: undefined, return_line_items: [] }), { currency: 'USD' });
    expect(none).toMatchObject({ currency: 'USD', refundShipping: 0, lines: [] });
  });

  test('currency: refund_amount.currency, else the shop currency option, else DataError; mismatched line currency refused', () => {
    expect(() => mapReturn(apiReturn('r9', { refund_amount: null }))).toThrow(/r9: field "refund_amount.currency" expected a currency code/);
    const raw = apiReturn('r10');
    (raw.return_line_items[0].refund_amount as Record<string, string>).currency = 'GBP';
    expect(() => mapReturn(raw)).toThrow(/r10: field "return_line_items.0.refund_amount.currency" expected the return currency USD, got "GBP"/);
  });

  test('unknown status: kept as sent (changes no amount); missing id / bad amount: DataError naming the field', () => {
    expect(mapReturn(apiReturn('r11', { return_status: 'LOST' })).status).toBe('LOST');
    expect(() => mapReturn(apiReturn('r11', { return_status: 'lost in transit' }))).toThrow(/r11: field "return_status" expected a status in capitals \(LIKE_THIS\), got "lost in transit"/);
    const { return_id: _, ...noId } = apiReturn('x');
    expect(() => mapReturn(noId)).toThrow(DataError);
    expect(() => mapReturn(apiReturn('r12', { refund_amount: { currency: 'USD', refund_shipping_fee: '4.999' } }))).toThrow(/r12: field "refund_amount.refund_shipping_fee" expected at most 2 decimal places/);
  });
});

describe('returns search', () => {
  test('page_size 50 by default, update-time window in the body, sorted by update_time, paged to exhaustion', () => {
    const transport = new FakeTransport();
    transport.reply(ok({ return_orders: [apiReturn('a')], next_page_token: 'p/2' }), ok({ return_orders: [apiReturn('b')], next_page_token: '' }));
    const got: string[] = [];
    const r = fetchReturns(client(transport), { updateTimeGe: 100, updateTimeLt: 200 }, (rs, next) => got.push(`${rs.map((x) => x.returnId).join()}|${next}`));
    expect(r).toEqual({ pages: 2, nextPageToken: '' });
    expect(got).toEqual(['a|p/2', 'b|']);
    const q = parseUrl(transport.requests[0].url);
    expect(q.path).toBe('/return_refund/202309/returns/search');
    expect(q.query).toMatchObject({ page_size: '50', sort_field: 'update_time', sort_order: 'ASC' });
    expect(transport.requests[0].method).toBe('post');
    expect(JSON.parse(transport.requests[0].payload!)).toEqual({ update_time_ge: 100, update_time_lt: 200 });
    expect(parseUrl(transport.requests[1].url).query.page_token).toBe('p/2');
  });

  test('create-time window; page size limits 10–50', () => {
    const transport = new FakeTransport();
    transport.reply(ok({ return_orders: [] }));
    fetchReturns(client(transport), { createTimeGe: 1, createTimeLt: 2 }, () => undefined, { pageSize: 10 });
    expect(JSON.parse(transport.requests[0].payload!)).toEqual({ create_time_ge: 1, create_time_lt: 2 });
    expect(parseUrl(transport.requests[0].url).query).toMatchObject({ sort_field: 'create_time', page_size: '10' });
    const c = client(new FakeTransport());
    expect(() => fetchReturns(c, { updateTimeGe: 1, updateTimeLt: 2 }, () => undefined, { pageSize: 9 })).toThrow(/from 10 to 50, got 9/);
    expect(() => fetchReturns(c, { updateTimeGe: 1, updateTimeLt: 2 }, () => undefined, { pageSize: 51 })).toThrow(/from 10 to 50/);
    expect(() => fetchReturns(c, { updateTimeGe: 2, updateTimeLt: 2 }, () => undefined)).toThrow(/start < end/);
  });
});

describe('cancellations', () => {
  const apiCancel = { cancel_id: 'c1', order_id: 'o9', cancel_type: 'BUYER_CANCEL', cancel_status: 'CANCELLATION_REQUEST_COMPLETE', role: 'BUYER', cancel_reason: 'Changed mind', create_time: 10, update_time: 20, refund_amount: { currency: 'USD', refund_total: '12.34' }, cancel_line_items: [{ order_line_item_id: 'l1' }, { order_line_item_id: 'l2', sku_id: 's' }, {}] };

  test('maps a cancellation', () => {
    expect(mapCancellation(apiCancel)).toEqual({
      cancelId: 'c1', orderId: 'o9', cancelType: 'BUYER_CANCEL', status: 'CANCELLATION_REQUEST_COMPLETE', role: 'BUYER', reason: 'Changed mind',
      currency: 'USD', createTime: 10, updateTime: 20, refundTotal: 1234, lineIds: ['l1', 'l2'],
    } satisfies Cancellation);
    expect(mapCancellation({ ...apiCancel, refund_amount: undefined, role: undefined, cancel_reason: null }, { currency: 'GBP' })).toMatchObject({ currency: 'GBP', refundTotal: 0, role: '', reason: '' });
    expect(() => mapCancellation({ ...apiCancel, cancel_status: 'MAYBE' })).toThrow(/cancellation \(POST \/return_refund\/202309\/cancellations\/search\) c1: field "cancel_status"/);
  });

  test('search: page_size 1–50, default 50, paged', () => {
    const transport = new FakeTransport();
    transport.reply(ok({ cancellations: [apiCancel], next_page_token: 'n' }), ok({ cancellations: [{ ...apiCancel, cancel_id: 'c2' }] }));
    const ids: string[] = [];
    fetchCancellations(client(transport), { updateTimeGe: 5, updateTimeLt: 6 }, (cs) => ids.push(...cs.map((c) => c.cancelId)));
    expect(ids).toEqual(['c1', 'c2']);
    expect(parseUrl(transport.requests[0].url)).toMatchObject({ path: '/return_refund/202309/cancellations/search', query: { page_size: '50', sort_field: 'update_time' } });
    expect(() => fetchCancellations(client(new FakeTransport()), { updateTimeGe: 5, updateTimeLt: 6 }, () => undefined, { pageSize: 0 })).toThrow(/from 1 to 50/);
  });
});
