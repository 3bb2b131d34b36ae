import { fetchProducts, mapProduct } from '../../src/tiktok/products';
import { TikTokShopClient } from '../../src/tiktok/request';
import { FakeClock, FakeRandom, FakeTransport, nodeHmac, ok, parseUrl } from './fakes';

function client(transport: FakeTransport) {
  return new TikTokShopClient({ appKey: 'ak', appSecret: 'sec', shopCipher: 'CIPH' }, {
    transport, clock: new FakeClock(), random: new FakeRandom(), hmac: nodeHmac, tokens: { accessToken: () => 't', refreshExpired: () => 't' },
  });
}

const product = {
  id: 'p1', title: 'Tee', status: 'ACTIVATE', create_time: 100, update_time: 200,
  category_chains: [{ id: '1', name: 'Apparel', is_leaf: false }, { id: '2', name: 'T-Shirts', is_leaf: true }],
  skus: [
    { id: 's1', seller_sku: 'TEE-R-M', price: { currency: 'USD', sale_price: '19.99', tax_exclusive_price: '18.00' }, sales_attributes: [{ name: 'Color', value_name: 'Red' }, { name: 'Size', value_name: 'M' }], inventory: [{ warehouse_id: 'w', quantity: 3 }] },
    { id: 's2', price: { currency: 'USD', tax_exclusive_price: '17.00' } },
  ],
};

describe('products', () => {
  test('one record per SKU; sale_price else tax_exclusive_price; leaf category; attribute values as SKU name', () => {
    expect(mapProduct(product)).toEqual([
      { productId: 'p1', skuId: 's1', sellerSku: 'TEE-R-M', productName: 'Tee', skuName: 'Red / M', status: 'ACTIVATE', category: 'T-Shirts', currency: 'USD', price: 1999, createTime: 100, updateTime: 200 },
      { productId: 'p1', skuId: 's2', sellerSku: '', productName: 'Tee', skuName: '', status: 'ACTIVATE', category: 'T-Shirts', currency: 'USD', price: 1700, createTime: 100, updateTime: 200 },
    ]);
    const noChain = mapProduct({ ...product, category_chains: undefined, skus: [product.skus[0]] });
    expect(noChain[0].category).toBe('');
    expect(mapProduct({ ...product, category_chains: [{ name: 'A' }, { name: 'B' }] })[0].category).toBe('B');
    expect(mapProduct({ ...product, category_chains: [{ id: '9', parent_id: '0', local_name: 'Mugs', is_leaf: true }] })[0].category).toBe('Mugs');
  });

  test('a SKU without any price or with a bad one: DataError naming product/SKU and field', () => {
    expect(() => mapProduct({ ...product, skus: [{ id: 's3', price: { currency: 'USD' } }] }))
      .toThrow(/product \(POST \/product\/202502\/products\/search\) p1\/s3: field "skus.0.price.sale_price" expected a price/);
    expect(() => mapProduct({ ...product, skus: [{ id: 's3', price: { currency: 'JPY', sale_price: '10.5' } }] })).toThrow(/field "skus.0.price.sale_price" expected at most 0 decimal places/);
    expect(() => mapProduct({ ...product, update_time: 'yesterday' })).toThrow(/p1: field "update_time"/);
  });

  test('search: POST 202502, optional filters in the body, paged', () => {
    const transport = new FakeTransport();
    transport.reply(ok({ products: [product], next_page_token: 'n', total_count: 2 }), ok({ products: [{ ...product, id: 'p2' }], next_page_token: '' }));
    const got: string[] = [];
    fetchProducts(client(transport), { updateTimeGe: 5, updateTimeLe: 9 }, (skus) => got.push(...skus.map((s) => `${s.productId}/${s.skuId}`)));
    expect(got).toEqual(['p1/s1', 'p1/s2', 'p2/s1', 'p2/s2']);
    expect(parseUrl(transport.requests[0].url)).toMatchObject({ path: '/product/202502/products/search', query: { page_size: '100' } });
    expect(JSON.parse(transport.requests[0].payload!)).toEqual({ update_time_ge: 5, update_time_le: 9 });
    const t2 = new FakeTransport();
    t2.reply(ok({ products: [] }));
    fetchProducts(client(t2), {}, () => undefined);
    expect(t2.requests[0].payload).toBe('{}');
  });
});
