import { fetchOrdersUpdated, getOrderDetails, mapOrder, parseApiOrder, searchOrderIds } from '../../src/tiktok/orders';
import { TikTokShopClient } from '../../src/tiktok/request';
import { pullShop } from '../../src/tiktok/pull';
import { DataError } from '../../src/core/errors';
import { FakeClock, FakeRandom, FakeTransport, nodeHmac, ok, parseUrl } from './fakes';

function client(transport: FakeTransport) {
  return new TikTokShopClient({ appKey: 'ak', appSecret: 'sec', shopCipher: 'CIPH' }, {
    transport, clock: new FakeClock(), random: new FakeRandom(), hmac: nodeHmac, tokens: { accessToken: () => 't', refreshExpired: () => 't' },
  });
}

function apiOrder(id: string, over: Record<string, unknown> = {}) {
  return {
    id, status: 'COMPLETED', user_id: `buyer-${id}`, create_time: 1700000000, update_time: 1700003600, paid_time: 1700000100,
    cancel_time: 0, delivery_time: 1700200000, fulfillment_type: 'FULFILLMENT_BY_SELLER', is_sample_order: false,
    buyer_email: 'x@scrambled', some_future_field: { nested: true },
    payment: {
      currency: 'USD', sub_total: '35.97', shipping_fee: '4.99', original_shipping_fee: '5.99', shipping_fee_seller_discount: '1.00',
      shipping_fee_platform_discount: '0', seller_discount: '2.00', platform_discount: '1.00', total_amount: '43.84', tax: '2.88',
      original_total_product_price: '38.97',
    },
    line_items: [
      { id: `${id}-1`, sku_id: 'sku-a', product_id: 'p-1', product_name: 'Tee', sku_name: 'Red M', seller_sku: 'TEE-R-M', original_price: '19.99', sale_price: '17.99', seller_discount: '2.00', platform_discount: '0', currency: 'USD', display_status: 'COMPLETED' },
      { id: `${id}-2`, sku_id: 'sku-b', product_id: 'p-2', original_price: '18.98', sale_price: '17.98', platform_discount: '1.00', display_status: 'CANCELLED', package_id: 'pk' },
    ],
    ...over,
  };
}

describe('mapping', () => {
  test('maps an order and its lines (amounts exact, one unit per line, cancelled line flagged)', () => {
    const { order, lines } = mapOrder(parseApiOrder(apiOrder('576')));
    expect(order).toEqual({
      orderId: '576', buyerId: 'buyer-576', status: 'COMPLETED', currency: 'USD', createTime: 1700000000, updateTime: 1700003600,
      paidTime: 1700000100, cancelTime: null, deliveryTime: 1700200000, fulfillmentType: 'FULFILLMENT_BY_SELLER', isSample: false,
      sampleCreator: null, originalShippingFee: 599, shippingSellerDiscount: 100, shippingPlatformDiscount: 0, shippingFee: 499, tax: 288,
      totalAmount: 4384,
    });
    expect(lines).toEqual([
      { lineId: '576-1', orderId: '576', skuId: 'sku-a', productId: 'p-1', sellerSku: 'TEE-R-M', productName: 'Tee', skuName: 'Red M', currency: 'USD', quantity: 1, originalPrice: 1999, sellerDiscount: 200, platformDiscount: 0, salePrice: 1799, cancelled: false },
      { lineId: '576-2', orderId: '576', skuId: 'sku-b', productId: 'p-2', sellerSku: '', productName: '', skuName: '', currency: 'USD', quantity: 1, originalPrice: 1898, sellerDiscount: 0, platformDiscount: 100, salePrice: 1798, cancelled: true },
    ]);
  });

  test('sample order; paid_time 0 or absent → null; absent optional fees → 0; original shipping derived', () => {
    const raw = apiOrder('9', { is_sample_order: true, status: 'UNPAID', paid_time: 0, delivery_time: undefined });
    const p = raw.payment as Record<string, unknown>;
    delete p.tax; delete p.original_shipping_fee; delete p.shipping_fee_platform_discount;
    const { order } = mapOrder(parseApiOrder(raw));
    expect(order).toMatchObject({ isSample: true, sampleCreator: null, paidTime: null, deliveryTime: null, tax: 0, originalShippingFee: 599, shippingPlatformDiscount: 0 });
    const noPaid = apiOrder('10');
    delete (noPaid as Record<string, unknown>).paid_time;
    expect(mapOrder(parseApiOrder(noPaid)).order.paidTime).toBeNull();
  });

  test('JPY amounts have no minor digits', () => {
    const raw = apiOrder('j', { payment: { currency: 'JPY', shipping_fee: '500', total_amount: '3500', original_shipping_fee: '500' }, line_items: [] });
    expect(mapOrder(parseApiOrder(raw)).order).toMatchObject({ currency: 'JPY', shippingFee: 500, totalAmount: 3500 });
  });

  test('a missing required field: DataError naming endpoint, order id and field', () => {
    const raw = apiOrder('777');
    delete (raw.line_items[1] as Record<string, unknown>).sale_price;
    let err: unknown;
    try {
      parseApiOrder(raw);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).location).toMatchObject({ record: 'order (GET /order/202507/orders)', id: '777', field: 'line_items.1.sale_price' });
    expect((err as Error).message).toMatch(/^order \(GET \/order\/202507\/orders\) 777: field "line_items.1.sale_price" expected a string, got nothing \(missing\)/);
  });

  test('an unknown fulfillment type is a DataError; a status that is no status (not LIKE_THIS) is refused', () => {
    expect(() => parseApiOrder(apiOrder('6', { fulfillment_type: 'BY_DRONE' }))).toThrow(/field "fulfillment_type"/);
    expect(() => parseApiOrder(apiOrder('5', { status: 'teleported!' }))).toThrow(/order \(GET \/order\/202507\/orders\) 5: field "status" expected a status in capitals \(LIKE_THIS\), got "teleported!"/);
  });

  test('a status the add-on does not know is kept as sent; the order counts by what its times show', () => {
    // Delivered (delivery_time set), so it counts as a delivered, paid order; the status as sent is kept.
    const delivered = mapOrder(parseApiOrder(apiOrder('5', { status: 'AWAITING_PICKUP_CONFIRMATION' }))).order;
    expect([delivered.status, delivered.statusSent]).toEqual(['DELIVERED', 'AWAITING_PICKUP_CONFIRMATION']);
    const cancelled = mapOrder(parseApiOrder(apiOrder('6', { status: 'CANCEL_PENDING_REVIEW', cancel_time: 1700009000 }))).order;
    expect([cancelled.status, cancelled.statusSent]).toEqual(['CANCELLED', 'CANCEL_PENDING_REVIEW']);
    const unpaid = mapOrder(parseApiOrder(apiOrder('7', { status: 'PAYMENT_PENDING_REVIEW', paid_time: 0, delivery_time: 0 }))).order;
    expect([unpaid.status, unpaid.statusSent]).toEqual(['UNPAID', 'PAYMENT_PENDING_REVIEW']);
    const paid = mapOrder(parseApiOrder(apiOrder('8', { status: 'PARTIALLY_DELIVERED', delivery_time: 0 }))).order;
    expect([paid.status, paid.statusSent]).toEqual(['AWAITING_SHIPMENT', 'PARTIALLY_DELIVERED']);
    // A known status has no statusSent at all.
    expect('statusSent' in mapOrder(parseApiOrder(apiOrder('9'))).order).toBe(false);
    // A line's display status is read for CANCELLED only: another one, known or not, changes nothing.
    const raw = apiOrder('10');
    (raw.line_items[0] as Record<string, unknown>).display_status = 'LOST';
    expect(mapOrder(parseApiOrder(raw)).lines.map((l) => l.cancelled)).toEqual([false, true]);
  });

  test('a malformed amount names the field; a line in another currency is refused', () => {
    const raw = apiOrder('8');
    raw.line_items[0].original_price = '19.999';
    expect(() => mapOrder(parseApiOrder(raw))).toThrow(/8: field "line_items.0.original_price" expected at most 2 decimal places for USD, got "19.999"/);
    const raw2 = apiOrder('9');
    (raw2.payment as Record<string, unknown>).total_amount = '12,50';
    expect(() => mapOrder(parseApiOrder(raw2))).toThrow(/field "payment.total_amount" expected an amount in USD/);
    const raw3 = apiOrder('10');
    raw3.line_items[0].currency = 'GBP';
    expect(() => mapOrder(parseApiOrder(raw3))).toThrow(/field "line_items.0.currency" expected the order currency USD, got "GBP"/);
  });

  test('a negative amount is refused by the core schema with the order id', () => {
    const raw = apiOrder('11');
    (raw.payment as Record<string, unknown>).shipping_fee = '-1.00';
    expect(() => mapOrder(parseApiOrder(raw))).toThrow(/order \(GET \/order\/202507\/orders\) 11: field "shippingFee"/);
  });
});

describe('search', () => {
  test('query carries paging and sort, body the update-time window; pages to exhaustion', () => {
    const transport = new FakeTransport();
    transport.reply(
      ok({ orders: [{ id: 'a', extra: 1 }, { id: 'b' }], next_page_token: 'tok/+=', total_count: 3 }),
      ok({ orders: [{ id: 'c' }], next_page_token: '', total_count: 3 }),
    );
    const pages: [string[], string][] = [];
    const r = searchOrderIds(client(transport), { updateTimeGe: 100, updateTimeLt: 200 }, (ids, next) => pages.push([ids, next]));
    expect(r).toEqual({ pages: 2, nextPageToken: '' });
    expect(pages).toEqual([[['a', 'b'], 'tok/+='], [['c'], '']]);
    const [first, second] = transport.requests;
    const q1 = parseUrl(first.url);
    expect(q1.path).toBe('/order/202309/orders/search');
    expect(q1.query).toMatchObject({ page_size: '100', sort_field: 'update_time', sort_order: 'ASC', shop_cipher: 'CIPH' });
    expect(q1.query.page_token).toBeUndefined();
    expect(JSON.parse(first.payload!)).toEqual({ update_time_ge: 100, update_time_lt: 200 });
    expect(parseUrl(second.url).query.page_token).toBe('tok/+=');
    expect(second.url).toContain('page_token=tok%2F%2B%3D');
  });

  test('page size and window are checked', () => {
    const c = client(new FakeTransport());
    expect(() => searchOrderIds(c, { updateTimeGe: 1, updateTimeLt: 2 }, () => undefined, { pageSize: 101 })).toThrow(/page_size for POST \/order\/202309\/orders\/search must be a whole number from 1 to 100/);
    expect(() => searchOrderIds(c, { updateTimeGe: 5, updateTimeLt: 5 }, () => undefined)).toThrow(/start < end/);
  });
});

describe('detail', () => {
  test('batches of at most 50 ids, several batches per fetchAll, results in id order, missing ids reported', () => {
    const ids = Array.from({ length: 120 }, (_, i) => `o${i}`);
    const transport = new FakeTransport((req) => {
      const asked = parseUrl(req.url).query.ids.split(',');
      return ok({ orders: asked.filter((id) => id !== 'o77').reverse().map((id) => apiOrder(id)) });
    });
    const r = getOrderDetails(client(transport), [...ids, 'o3'], { parallel: 2 });
    expect(transport.batches).toEqual([2, 1]);
    const sizes = transport.requests.map((q) => parseUrl(q.url).query.ids.split(',').length);
    expect(sizes).toEqual([50, 50, 20]);
    expect(transport.requests.every((q) => q.method === 'get' && q.payload === undefined)).toBe(true);
    expect(parseUrl(transport.requests[0].url).path).toBe('/order/202507/orders');
    expect(r.orders.map((o) => o.id)).toEqual(ids.filter((id) => id !== 'o77'));
    expect(r.missingIds).toEqual(['o77']);
  });

  test('search → detail → records, with a per-page callback', () => {
    const transport = new FakeTransport((req) => {
      const { path, query } = parseUrl(req.url);
      if (path.endsWith('/search')) {
        return query.page_token ? ok({ orders: [{ id: 'y' }], next_page_token: '' }) : ok({ orders: [{ id: 'x' }], next_page_token: 'p2' });
      }
      return ok({ orders: query.ids.split(',').map((id) => apiOrder(id)) });
    });
    const seen: string[] = [];
    const r = fetchOrdersUpdated(client(transport), { updateTimeGe: 0, updateTimeLt: 10 }, { onPage: (p, next) => seen.push(`${p.orders.map((o) => o.orderId).join()}|${next}`) });
    expect(r.orders.map((o) => o.orderId)).toEqual(['x', 'y']);
    expect(r.lines).toHaveLength(4);
    expect(seen).toEqual(['x|p2', 'y|']);
  });
});

describe('pullShop takes whole orders from the search', () => {
  test('a search result that reads as a whole order needs no detail call; one missing fields is detailed', () => {
    const transport = new FakeTransport((req) => {
      const { path, query } = parseUrl(req.url);
      if (path === '/order/202309/orders/search') {
        // "b" comes without its payment and line items: only its id is usable.
        return ok({ orders: [apiOrder('a'), { id: 'b', status: 'COMPLETED' }], next_page_token: '', total_count: 2 });
      }
      if (path === '/order/202507/orders') {
        expect(query.ids).toBe('b');
        return ok({ orders: [apiOrder('b')] });
      }
      return new Error(`unexpected ${path}`);
    });
    const r = pullShop(client(transport), { updateTimeGe: 1700000000, updateTimeLt: 1700007200 }, { resources: ['orders'] });
    expect(r.data.orders.map((o) => o.orderId).sort()).toEqual(['a', 'b']);
    expect(r.data.lines).toHaveLength(4);
    expect(r.stats.fromSearch).toBe(1);
    expect(r.stats.calls).toEqual({ ordersSearch: 1, orderDetail: 1 });
    // The order taken from the search is the order the detail endpoint would have given.
    expect(r.data.orders.find((o) => o.orderId === 'a')).toEqual(mapOrder(parseApiOrder(apiOrder('a'))).order);
  });

  test('an amount that cannot be read exactly in a search result is refused, naming the search endpoint', () => {
    const bad = apiOrder('a', { payment: { ...apiOrder('a').payment, total_amount: '43.845' } });
    const transport = new FakeTransport(() => ok({ orders: [bad], next_page_token: '', total_count: 1 }));
    expect(() => pullShop(client(transport), { updateTimeGe: 1700000000, updateTimeLt: 1700007200 }, { resources: ['orders'] }))
      .toThrow(/POST \/order\/202309\/orders\/search.*total_amount/);
  });
});
