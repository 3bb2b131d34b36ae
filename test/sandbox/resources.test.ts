/**
 * The sandbox's resource endpoints (returns, cancellations, affiliate orders, products,
 * analytics, unsettled estimates, payments, withdrawals, per-order transactions, the
 * Marketing API reports) over real loopback HTTP, with the tests' own signer. The JSON is
 * mapped back with the contract written in dev/sandbox/render-resources.ts and compared with
 * the generator's records. Every server is closed; every paging loop is bounded.
 */
import { startSandbox, type Sandbox } from '../../dev/sandbox/server';
import { parseAmount } from '../../src/core/money';
import { addDays, startOfDay } from '../../src/core/time';
import type { AdSpend, CreatorOrderLine, Return } from '../../src/core/records';
import { call, getJson, tokens, type Reply } from './helpers';

const SHOP = { days: 30, ordersPerDay: 40 };
const TZ = 'America/Los_Angeles';
// 12 days after the last order day: deliveries, returns, settlements and payouts have happened.
const START = startOfDay(addDays('2025-02-17', 42), TZ) + 12 * 3600;

const RETURNS = '/return_refund/202309/returns/search';
const CANCELS = '/return_refund/202309/cancellations/search';
const AFFILIATE = '/affiliate_seller/202410/orders/search';
const PRODUCTS = '/product/202502/products/search';
const SHOP_PERF = '/analytics/202405/shop/performance';
const PRODUCT_PERF = '/analytics/202405/shop_products/performance';
const UNSETTLED = '/finance/202507/orders/unsettled';
const PAYMENTS = '/finance/202309/payments';
const WITHDRAWALS = '/finance/202309/withdrawals';
const REPORT = '/open_api/v1.3/report/integrated/get/';
const GMV_MAX = '/open_api/v1.3/gmv_max/report/get/';

const amt = (s: string, c: string) => parseAmount(s, c, { record: 'test', field: 'amount' });

/** Every page of a paged Partner API call (POST body or GET query). */
async function pullAll(sb: Sandbox, token: string, method: 'GET' | 'POST', path: string, listKey: string, o: { pageSize: number; params?: Record<string, string>; body?: object }) {
  const items: any[] = [];
  let pageToken = '';
  for (let i = 0; i < 300; i++) {
    const params: Record<string, string> = { page_size: String(o.pageSize), ...o.params };
    if (pageToken) params.page_token = pageToken;
    const r = await call(sb, method, path, { token, cipher: sb.shop.cipher, params, body: o.body ?? {} });
    if (r.json.code !== 0) throw new Error(`${path}: ${JSON.stringify(r.json)}`);
    items.push(...r.json.data[listKey]);
    pageToken = r.json.data.next_page_token;
    if (!pageToken) return { items, last: r.json.data };
  }
  throw new Error('paging did not end');
}

async function marketing(sb: Sandbox, path: string, params: Record<string, string>, token: string | null = sb.advertiserToken): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (token !== null) headers['Access-Token'] = token;
  const res = await fetch(`${sb.url}${path}?${new URLSearchParams(params)}`, { headers });
  return { status: res.status, json: await res.json() as Reply['json'] };
}

/** The client's mapping of a return (the contract in render-resources.ts). */
function mapReturn(j: any): Return {
  const c = j.refund_amount.currency;
  const lines: Return['lines'] = j.return_line_items.map((li: any) => {
    const sd = amt(li.discount_amount.product_seller_discount, c);
    const pd = amt(li.discount_amount.product_platform_discount, c);
    return {
      lineId: li.order_line_item_id, skuId: li.sku_id, quantity: j.return_type === 'REFUND' ? 0 : 1,
      refundedOriginal: amt(li.refund_amount.refund_subtotal, c) + sd + pd, refundedSellerDiscount: sd,
    };
  });
  if (j.partial_refund) lines.push({ lineId: null, skuId: '', quantity: 0, refundedOriginal: amt(j.partial_refund.amount, c), refundedSellerDiscount: 0 });
  return {
    returnId: j.return_id, orderId: j.order_id, returnType: j.return_type, status: j.return_status, currency: c,
    createTime: j.create_time, updateTime: j.update_time, refundShipping: amt(j.refund_amount.refund_shipping_fee, c), lines,
  };
}

function mapCreatorOrders(o: any): CreatorOrderLine[] {
  return o.skus.map((s: any) => {
    const c = s.price.currency;
    // An amount not settled yet comes empty ([] or {}), as on live pages: 0.
    const m = (x: any) => (Array.isArray(x) || x.amount === undefined ? 0 : amt(x.amount, c));
    return {
      orderId: o.id, skuId: s.sku_id, productId: s.product_id, creatorUsername: s.creator_username, contentType: s.content_type,
      contentId: s.content_id, status: s.status, createTime: o.create_time, currency: c, commissionRateBp: Number(s.commission_rate),
      shopAdsCommissionRateBp: Number(s.shop_ads_commission_rate), quantity: s.quantity, refundedQuantity: s.refunded_quantity,
      returnedQuantity: s.returned_quantity, price: m(s.price), estimatedCommissionBase: m(s.estimated_commission_base),
      estimatedCommission: m(s.estimated_paid_commission), estimatedShopAdsCommission: m(s.estimated_paid_shop_ads_commission),
      estimatedCofundedBonus: m(s.estimated_cofunded_creator_bonus_amount), actualCommissionBase: m(s.actual_commission_base),
      actualCommission: m(s.actual_paid_commission), actualShopAdsCommission: m(s.actual_paid_shop_ads_commission),
      actualCofundedBonus: m(s.actual_cofunded_creator_bonus_amount),
    };
  });
}

const byId = <T>(xs: T[], k: (x: T) => string) => [...xs].sort((a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0));

describe('sandbox resources', () => {
  let sb: Sandbox;
  let token: string;
  beforeAll(async () => {
    sb = await startSandbox({ seed: 5, shop: SHOP, startTime: START });
    token = (await tokens(sb)).access_token;
  });
  afterAll(() => sb.close());
  afterEach(() => { sb.faults.clear(); sb.scopes.set(['seller.authorization.info', 'seller.order.info', 'seller.finance.info', 'seller.return_refund.basic', 'seller.product.basic', 'data.shop_analytics.public.read', 'seller.affiliate_collaboration.read']); });

  test('returns: every record recovered exactly with the client mapping; platform share from the order line', async () => {
    const snap = sb.snapshot();
    const { items, last } = await pullAll(sb, token, 'POST', RETURNS, 'return_orders', { pageSize: 10 });
    expect(last.total_count).toBe(snap.data.returns.length);
    expect(snap.data.returns.length).toBeGreaterThan(20);
    const got = byId(items.map(mapReturn), (r) => r.returnId);
    expect(got).toEqual(byId(snap.data.returns, (r) => r.returnId));
    // Coverage: partial refunds, platform discounts on refunded lines, every return type.
    expect(items.some((j) => j.partial_refund && j.return_line_items.length === 0)).toBe(true);
    expect(items.some((j) => j.return_line_items.some((li: any) => li.discount_amount.product_platform_discount !== '0.00'))).toBe(true);
    expect(new Set(items.map((j) => j.return_type))).toEqual(new Set(['REFUND', 'RETURN_AND_REFUND', 'REPLACEMENT']));
    // Full-line refunds carry the order line's whole platform discount.
    const lines = new Map(snap.data.lines.map((l) => [l.lineId, l]));
    for (const j of items) {
      for (const li of j.return_line_items) {
        const ol = lines.get(li.order_line_item_id)!;
        const rec = snap.data.returns.find((r) => r.returnId === j.return_id)!.lines.find((l) => l.lineId === li.order_line_item_id)!;
        if (rec.refundedOriginal === ol.originalPrice) expect(amt(li.discount_amount.product_platform_discount, 'USD')).toBe(ol.platformDiscount);
        expect(amt(li.refund_amount.refund_subtotal, 'USD')).toBeGreaterThanOrEqual(0);
      }
      const sub = amt(j.refund_amount.refund_subtotal, 'USD');
      expect(amt(j.refund_amount.refund_total, 'USD')).toBe(sub + amt(j.refund_amount.refund_shipping_fee, 'USD') + amt(j.refund_amount.refund_tax, 'USD'));
    }
  });

  test('returns: filters, page-size range 10–50, page tokens bound to the filters', async () => {
    const snap = sb.snapshot();
    const some = snap.data.returns.slice(0, 3).map((r) => r.orderId);
    const byOrder = await pullAll(sb, token, 'POST', RETURNS, 'return_orders', { pageSize: 10, body: { order_ids: some } });
    expect(new Set(byOrder.items.map((j) => j.order_id))).toEqual(new Set(some));
    const ge = START - 5 * 86400;
    const upd = await pullAll(sb, token, 'POST', RETURNS, 'return_orders', { pageSize: 50, body: { update_time_ge: ge, update_time_lt: START } });
    expect(upd.items.length).toBe(snap.data.returns.filter((r) => r.updateTime >= ge && r.updateTime < START).length);
    const done = await pullAll(sb, token, 'POST', RETURNS, 'return_orders', { pageSize: 50, body: { return_status: ['RETURN_OR_REFUND_REQUEST_COMPLETE'] } });
    expect(done.items.every((j) => j.return_status === 'RETURN_OR_REFUND_REQUEST_COMPLETE')).toBe(true);
    for (const size of ['9', '51']) {
      const r = await call(sb, 'POST', RETURNS, { token, cipher: sb.shop.cipher, params: { page_size: size }, body: {} });
      expect([r.status, r.json.code]).toEqual([400, 36009004]);
    }
    const first = await call(sb, 'POST', RETURNS, { token, cipher: sb.shop.cipher, params: { page_size: '10' }, body: {} });
    const pt = first.json.data.next_page_token as string;
    expect(pt).not.toBe('');
    const other = await call(sb, 'POST', RETURNS, { token, cipher: sb.shop.cipher, params: { page_size: '10', page_token: pt }, body: { create_time_ge: 1 } });
    expect([other.status, other.json.code, other.json.message]).toEqual([400, 36009004, 'invalid page_token']);
    const bad = await call(sb, 'POST', RETURNS, { token, cipher: sb.shop.cipher, params: { page_size: '10' }, body: { return_types: ['EXCHANGE'] } });
    expect([bad.status, bad.json.code]).toEqual([400, 36009004]);
  });

  test('cancellations: every record, line items and refund split; page_size 1–50', async () => {
    const snap = sb.snapshot();
    const { items } = await pullAll(sb, token, 'POST', CANCELS, 'cancellations', { pageSize: 7 });
    expect(items.length).toBe(snap.data.cancellations.length);
    expect(items.length).toBeGreaterThan(0);
    for (const j of items) {
      const rec = snap.data.cancellations.find((c) => c.cancelId === j.cancel_id)!;
      expect([j.order_id, j.cancel_status, j.role, j.cancel_reason, j.create_time, j.update_time]).toEqual([rec.orderId, rec.status, rec.role, rec.reason, rec.createTime, rec.updateTime]);
      expect(j.cancel_line_items.map((x: any) => x.order_line_item_id)).toEqual(rec.lineIds);
      const ra = j.refund_amount;
      expect(amt(ra.refund_total, 'USD')).toBe(rec.refundTotal);
      expect(amt(ra.refund_subtotal, 'USD') + amt(ra.refund_shipping_fee, 'USD') + amt(ra.refund_tax, 'USD')).toBe(rec.refundTotal);
    }
    const r = await call(sb, 'POST', CANCELS, { token, cipher: sb.shop.cipher, params: { page_size: '51' }, body: {} });
    expect([r.status, r.json.code]).toEqual([400, 36009004]);
  });

  test('affiliate orders: the creator order lines recovered exactly; page_size required 1–100; shop cipher required', async () => {
    const snap = sb.snapshot();
    const { items } = await pullAll(sb, token, 'POST', AFFILIATE, 'orders', { pageSize: 100 });
    const got = items.flatMap(mapCreatorOrders);
    const key = (l: CreatorOrderLine) => `${l.orderId}|${l.skuId}|${l.creatorUsername}`;
    expect(byId(got, key)).toEqual(byId(snap.data.creatorOrders, key));
    expect(typeof items[0].skus[0].commission_rate).toBe('string');
    expect(items.some((o) => typeof o.delivery_time === 'number')).toBe(true);
    // Live shapes: unsettled actual amounts are empty, settled ones are {amount, currency}.
    const skus = items.flatMap((o) => o.skus);
    expect(skus.some((s) => Array.isArray(s.actual_commission_base) && s.actual_commission_base.length === 0)).toBe(true);
    expect(skus.some((s) => JSON.stringify(s.actual_paid_commission) === '{}')).toBe(true);
    expect(skus.some((s) => typeof s.actual_paid_commission.amount === 'string')).toBe(true);
    const win = await pullAll(sb, token, 'POST', AFFILIATE, 'orders', { pageSize: 13, body: { create_time_ge: START - 20 * 86400, create_time_lt: START - 10 * 86400 } });
    expect(win.items.every((o) => o.create_time >= START - 20 * 86400 && o.create_time < START - 10 * 86400)).toBe(true);
    let r = await call(sb, 'POST', AFFILIATE, { token, cipher: sb.shop.cipher, body: {} });
    expect([r.status, r.json.code]).toEqual([400, 36009004]);
    r = await call(sb, 'POST', AFFILIATE, { token, params: { page_size: '10' }, body: {} });
    expect([r.status, r.json.code]).toEqual([400, 106013]);
  });

  test('products: every SKU with its price, seller SKU and name', async () => {
    const snap = sb.snapshot();
    const { items } = await pullAll(sb, token, 'POST', PRODUCTS, 'products', { pageSize: 4 });
    const skus = items.flatMap((p) => p.skus.map((s: any) => ({ p, s })));
    expect(skus.length).toBe(snap.data.products.length);
    for (const rec of snap.data.products) {
      const hit = skus.find((x) => x.s.id === rec.skuId)!;
      expect([hit.p.id, hit.p.title, hit.p.status, hit.s.seller_sku, hit.s.sales_attributes[0].value_name, amt(hit.s.price.sale_price, 'USD'), hit.p.category_chains[0].local_name])
        .toEqual([rec.productId, rec.productName, rec.status, rec.sellerSku, rec.skuName, rec.price, rec.category]);
    }
    const one = snap.data.products.find((p) => p.sellerSku !== '')!;
    const f = await pullAll(sb, token, 'POST', PRODUCTS, 'products', { pageSize: 100, body: { seller_skus: [one.sellerSku] } });
    expect(f.items.map((p) => p.id)).toEqual([one.productId]);
  });

  test('analytics: shop performance by day and product performance per day (granularity 1D) match the records', async () => {
    const snap = sb.snapshot();
    const days = snap.data.shopPerformance;
    expect(days.length).toBeGreaterThan(20);
    const start = days[0].date;
    const end = addDays(days[days.length - 1].date, 1);
    let r = await call(sb, 'GET', SHOP_PERF, { token, cipher: sb.shop.cipher, params: { start_date_ge: start, end_date_lt: end, granularity: '1D' } });
    expect(r.json.code).toBe(0);
    const intervals = r.json.data.performance.intervals;
    expect(intervals.map((i: any) => ({
      date: i.start_date, currency: i.gmv.currency, gmv: amt(i.gmv.amount, 'USD'), orders: i.orders, buyers: i.buyers,
      productImpressions: i.product_impressions, productPageViews: i.product_page_views,
      gmvByType: Object.fromEntries(i.gmv_breakdowns.map((b: any) => [b.type, amt(b.amount, 'USD')])),
    }))).toEqual(days);
    expect(r.json.data.latest_available_date).toBe(days[days.length - 1].date);
    r = await call(sb, 'GET', SHOP_PERF, { token, cipher: sb.shop.cipher, params: { start_date_ge: start, end_date_lt: end } });
    expect(amt(r.json.data.performance.intervals[0].gmv.amount, 'USD')).toBe(days.reduce((a, d) => a + d.gmv, 0));
    r = await call(sb, 'GET', SHOP_PERF, { token, cipher: sb.shop.cipher, params: { start_date_ge: end, end_date_lt: start } });
    expect([r.status, r.json.code]).toEqual([400, 28001022]);

    const week = { start_date_ge: days[3].date, end_date_lt: days[10].date };
    const { items } = await pullAll(sb, token, 'GET', PRODUCT_PERF, 'products', { pageSize: 17, params: { ...week, granularity: '1D' } });
    const want = snap.data.productPerformance.filter((p) => p.date >= week.start_date_ge && p.date < week.end_date_lt);
    const key = (p: { productId: string; date: string }) => `${p.date}|${p.productId}`;
    expect(byId(items.map((p) => ({
      productId: p.id, date: p.start_date, impressions: p.impressions, pageViews: p.page_views, unitsSold: p.units_sold, currency: p.gmv.currency, gmv: amt(p.gmv.amount, 'USD'),
    })), key)).toEqual(byId(want, key));
    const all = await pullAll(sb, token, 'GET', PRODUCT_PERF, 'products', { pageSize: 100, params: week });
    expect(all.items.length).toBe(new Set(want.map((p) => p.productId)).size);
    const gmvs = all.items.map((p) => amt(p.gmv.amount, 'USD'));
    expect(gmvs).toEqual([...gmvs].sort((a, b) => b - a)); // default gmv DESC
    r = await call(sb, 'GET', PRODUCT_PERF, { token, cipher: sb.shop.cipher, params: { ...week, page_size: '101' } });
    expect([r.status, r.json.code]).toEqual([400, 36009004]);
  });

  test('finance: unsettled = the latest estimate per order; payments; withdrawals need types; per-order transactions', async () => {
    const snap = sb.snapshot();
    const { items, last } = await pullAll(sb, token, 'GET', UNSETTLED, 'transactions', { pageSize: 50, params: { sort_field: 'order_create_time' } });
    const latest = new Map<string, (typeof snap.data.unsettled)[number]>();
    for (const e of snap.data.unsettled) if (!latest.has(e.orderId) || latest.get(e.orderId)!.fetchedTime < e.fetchedTime) latest.set(e.orderId, e);
    expect(items.length).toBe(latest.size);
    expect(latest.size).toBeGreaterThan(0);
    let sum = 0;
    for (const j of items) {
      const e = latest.get(j.order_id)!;
      const fees: Record<string, number> = {};
      for (const g of ['fee', 'tax']) for (const [k, v] of Object.entries(j.fee_tax_breakdown[g])) fees[k] = amt(v as string, 'USD');
      expect({
        orderId: j.order_id, currency: j.currency, fetchedTime: j.update_time, estRevenueAmount: amt(j.est_revenue_amount, 'USD'),
        estShippingCostAmount: amt(j.est_shipping_cost_amount, 'USD'), estFeeTaxAmount: amt(j.est_fee_tax_amount, 'USD'),
        estAdjustmentAmount: amt(j.est_adjustment_amount, 'USD'), estSettlementAmount: amt(j.est_settlement_amount, 'USD'),
        estCustomerPaidShippingFee: amt(j.shipping_cost_breakdown.customer_paid_shipping_fee_amount, 'USD'), fees,
      }).toEqual(e);
      expect(j.status).toBe('UNSETTLED');
      sum += e.estSettlementAmount;
    }
    expect(amt(last.sum_est_settlement_amount, 'USD')).toBe(sum);
    let r = await call(sb, 'GET', UNSETTLED, { token, cipher: sb.shop.cipher, params: {} });
    expect([r.status, r.json.code]).toEqual([400, 36009004]);

    const pays = await pullAll(sb, token, 'GET', PAYMENTS, 'payments', { pageSize: 5, params: { sort_field: 'create_time' } });
    expect(byId(pays.items.map((p) => ({
      paymentId: p.id, createTime: p.create_time, paidTime: p.paid_time ?? null, status: p.status, currency: p.amount.currency,
      amount: amt(p.amount.value, 'USD'), settlementAmount: amt(p.settlement_amount.value, 'USD'), reserveAmount: amt(p.reserve_amount.value, 'USD'),
    })), (p) => p.paymentId)).toEqual(byId(snap.data.payouts, (p) => p.paymentId));

    r = await call(sb, 'GET', WITHDRAWALS, { token, cipher: sb.shop.cipher, params: {} });
    expect([r.status, r.json.code]).toEqual([400, 36009004]);
    const wd = await pullAll(sb, token, 'GET', WITHDRAWALS, 'withdrawals', { pageSize: 100, params: { types: 'WITHDRAW,SETTLE' } });
    expect(wd.items.length).toBe(snap.data.payouts.length);
    r = await call(sb, 'GET', WITHDRAWALS, { token, cipher: sb.shop.cipher, params: { types: 'SETTLE' } });
    expect(r.json.data.withdrawals).toEqual([]);

    const settled = snap.data.transactions.find((t) => t.type === 'ORDER' && t.orderId !== null)!;
    const txs = snap.data.transactions.filter((t) => t.type === 'ORDER' && t.orderId === settled.orderId);
    r = await call(sb, 'GET', `/finance/202501/orders/${settled.orderId}/statement_transactions`, { token, cipher: sb.shop.cipher });
    expect(r.json.code).toBe(0);
    expect(amt(r.json.data.settlement_amount, 'USD')).toBe(txs.reduce((a, t) => a + t.settlementAmount, 0));
    expect(r.json.data.sku_transactions.map((s: any) => s.statement_id).sort()).toEqual(txs.map((t) => t.statementId).sort());
    r = await call(sb, 'GET', '/finance/202501/orders/999/statement_transactions', { token, cipher: sb.shop.cipher });
    expect([r.status, r.json.code]).toEqual([404, 36009004]);
  });

  test('Marketing API: integrated report serves the AD_ACCOUNT rows by campaign and advertiser day; 30-day rule; paging', async () => {
    const snap = sb.snapshot();
    const [adv] = sb.advertisers();
    const rows = snap.data.adSpend.filter((a) => a.advertiserId === adv.advertiserId && a.fundingSource === 'AD_ACCOUNT');
    const start = rows.map((a) => a.date).sort()[0];
    const end = addDays(start, 29);
    const base = {
      advertiser_id: adv.advertiserId, report_type: 'BASIC', data_level: 'AUCTION_CAMPAIGN', service_type: 'AUCTION',
      dimensions: JSON.stringify(['campaign_id', 'stat_time_day']), metrics: JSON.stringify(['spend']), start_date: start, end_date: end,
    };
    const got: { date: string; campaignId: string; spend: number }[] = [];
    for (let page = 1; page <= 50; page++) {
      const r = await marketing(sb, REPORT, { ...base, page: String(page), page_size: '25' });
      expect([r.status, r.json.code, r.json.message]).toEqual([200, 0, 'OK']);
      for (const x of r.json.data.list) {
        expect(x.dimensions.stat_time_day).toMatch(/^\d{4}-\d{2}-\d{2} 00:00:00$/);
        expect(typeof x.metrics.spend).toBe('string');
        got.push({ date: x.dimensions.stat_time_day.slice(0, 10), campaignId: x.dimensions.campaign_id, spend: amt(x.metrics.spend, adv.currency) });
      }
      if (page >= r.json.data.page_info.total_page) break;
    }
    const want = rows.filter((a) => a.date >= start && a.date <= end).map((a) => ({ date: a.date, campaignId: a.campaignId, spend: a.spend }));
    const key = (x: { date: string; campaignId: string }) => `${x.date}|${x.campaignId}`;
    expect(byId(got, key)).toEqual(byId(want, key));
    // 31 days with stat_time_day → error; without it 31 days are fine (one row per campaign).
    let r = await marketing(sb, REPORT, { ...base, end_date: addDays(start, 30) });
    expect([r.status, r.json.code]).toEqual([200, 40002]);
    r = await marketing(sb, REPORT, { ...base, end_date: addDays(start, 30), dimensions: JSON.stringify(['campaign_id']), metrics: JSON.stringify(['spend', 'campaign_name']), page_size: '1000' });
    expect(r.json.code).toBe(0);
    expect(r.json.data.list.every((x: any) => x.dimensions.stat_time_day === undefined && typeof x.metrics.campaign_name === 'string')).toBe(true);
    r = await marketing(sb, REPORT, { ...base, page_size: '1001' });
    expect(r.json.code).toBe(40002);
    r = await marketing(sb, REPORT, base, null);
    expect(r.json.code).toBe(40105);
    r = await marketing(sb, REPORT, { ...base, advertiser_id: '123' });
    expect(r.json.code).toBe(40001);
    sb.faults.set({ rateLimitBurst: 1 });
    r = await marketing(sb, REPORT, base);
    expect([r.status, r.json.code]).toEqual([429, 40100]);
  });

  test('Marketing API: GMV Max report serves the GMV_PAYMENT rows (item_group_id dimension)', async () => {
    const snap = sb.snapshot();
    const gmv: AdSpend[] = snap.data.adSpend.filter((a) => a.fundingSource === 'GMV_PAYMENT');
    expect(gmv.length).toBeGreaterThan(0);
    const adv = gmv[0].advertiserId;
    const start = gmv.map((a) => a.date).sort()[0];
    const end = addDays(start, 29);
    const r = await marketing(sb, GMV_MAX, {
      advertiser_id: adv, store_ids: JSON.stringify([sb.shop.id]), dimensions: JSON.stringify(['campaign_id', 'stat_time_day', 'item_group_id']),
      metrics: JSON.stringify(['cost']), start_date: start, end_date: end, page_size: '1000',
    });
    expect(r.json.code).toBe(0);
    const total = r.json.data.list.reduce((a: number, x: any) => a + amt(x.metrics.cost, 'USD'), 0);
    expect(total).toBe(gmv.filter((a) => a.advertiserId === adv && a.date >= start && a.date <= end).reduce((a, x) => a + x.spend, 0));
    expect(r.json.data.list.every((x: any) => typeof x.dimensions.item_group_id === 'string')).toBe(true);
    const bad = await marketing(sb, GMV_MAX, { advertiser_id: adv, store_ids: JSON.stringify(['1']), dimensions: '["campaign_id"]', metrics: '["cost"]', start_date: start, end_date: end });
    expect(bad.json.code).toBe(40002);
  });

  test('scopes: a route outside the granted scopes → 105005 with the documented message; POST /sandbox/scopes', async () => {
    sb.scopes.set(['seller.authorization.info', 'seller.order.info']);
    let r = await call(sb, 'GET', PAYMENTS, { token, cipher: sb.shop.cipher, params: { sort_field: 'create_time' } });
    expect([r.status, r.json.code, r.json.message]).toEqual([403, 105005, 'you should apply auth pkg for this api']);
    r = await call(sb, 'POST', '/order/202309/orders/search', { token, cipher: sb.shop.cipher, params: { page_size: '5' }, body: {} });
    expect(r.json.code).toBe(0);
    const t = await tokens(sb) as any;
    expect(t.granted_scopes).toEqual(['seller.authorization.info', 'seller.order.info']);
    await fetch(`${sb.url}/sandbox/scopes`, { method: 'POST', body: JSON.stringify({ scopes: ['seller.finance.info'] }) });
    r = await call(sb, 'GET', PAYMENTS, { token, cipher: sb.shop.cipher, params: { sort_field: 'create_time' } });
    expect(r.json.code).toBe(0);
    expect((await getJson(`${sb.url}/sandbox/scopes`)).json.data.scopes).toEqual(['seller.finance.info']);
  });

  test('the common checks apply to the new routes: sign, timestamp, injected errors', async () => {
    let r = await call(sb, 'POST', RETURNS, { token, cipher: sb.shop.cipher, params: { page_size: '10' }, body: {}, sign: (s) => s.toUpperCase() });
    expect([r.status, r.json.code]).toEqual([401, 106001]);
    r = await call(sb, 'POST', PRODUCTS, { token, cipher: sb.shop.cipher, params: { page_size: '10' }, body: {}, timestamp: sb.clock.now() - 301 });
    expect([r.status, r.json.code]).toEqual([401, 36009004]);
    sb.faults.set({ errorShare: 1, errorStatus: 503 });
    r = await call(sb, 'GET', SHOP_PERF, { token, cipher: sb.shop.cipher, params: { start_date_ge: '2025-02-17', end_date_lt: '2025-02-20' } });
    expect([r.status, r.json.code]).toEqual([503, 36009003]);
  });
});

describe('sandbox resources: rate limit per API', () => {
  let sb: Sandbox;
  beforeAll(async () => { sb = await startSandbox({ seed: 6, shop: { days: 5, ordersPerDay: 10 }, qps: 3 }); });
  afterAll(() => sb.close());

  test('more than qps calls per second to one API → 429 36009002; another API is counted apart', async () => {
    const { access_token: token } = await tokens(sb);
    const replies = await Promise.all(Array.from({ length: 6 }, () => call(sb, 'POST', CANCELS, { token, cipher: sb.shop.cipher, params: { page_size: '5' }, body: {} })));
    const limited = replies.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    expect(limited.every((r) => r.json.code === 36009002)).toBe(true);
    const other = await call(sb, 'POST', PRODUCTS, { token, cipher: sb.shop.cipher, params: { page_size: '5' }, body: {} });
    expect(other.json.code).toBe(0);
  });
});
